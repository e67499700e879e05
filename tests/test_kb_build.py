"""The build: merged events with all their sources, disputes kept, stable IDs, incremental = full."""
import json
import shutil

import pytest

from banwatch.errors import BanwatchError
from kb.build import build_kb
from kb.verify import verify_data
from tests.support.cli import run_banwatch
from tests.support.kb import (
    add_document,
    build,
    crawl_db,
    event,
    events,
    kb,
    sources_of,
    table_snapshot,
    write_curation,
)

NASA_CNBC = "https://www.cnbc.com/2025/01/31/nasa-becomes-latest-federal-agency-to-block-chinas-deepseek.html"
NASA_EVRIM = "https://evrimagaci.org/tpg/nasa-bans-chinas-deepseek-ai-over-security-risks-173290"
TEXAS = "https://gov.texas.gov/news/post/governor-abbott-bans-chinese-government-ai-and-social-media-apps"






def ids(data_dir):
    return [e["id"] for e in events(data_dir)]


def test_two_sources_of_one_ban_give_one_event_with_two_sources(data, reference):
    db = crawl_db(data)
    add_document(db, NASA_CNBC, [event(scope="government devices and networks")], published="2025-01-31")
    add_document(db, NASA_EVRIM, [event(date=None, date_source=None)], published="2025-02-01")
    stats = build(data, reference)
    (nasa,) = events(data)
    assert nasa["id"] == "nasa--deepseek--ban--2025-01"
    assert (nasa["date"], nasa["date_precision"], nasa["date_rule"]) == ("2025-01-31", "day", "most_attested_day")
    assert nasa["n_sources"] == 2 and nasa["date_disputed"] == 0
    assert json.loads(nasa["source_urls"]) == [NASA_CNBC, NASA_EVRIM]
    assert nasa["summary"] == "NASA banned DeepSeek on government devices and networks (2025-01-31)"
    assert [s["document_url"] for s in sources_of(data, nasa["id"])] == sorted([NASA_CNBC, NASA_EVRIM])
    assert stats["events"] == 1 and stats["sources"] == 2 and stats["mode"] == "full"
    assert verify_data(data) == []


def test_a_conflicting_date_is_flagged_and_both_dates_are_kept(data, reference):
    db = crawl_db(data)
    add_document(db, "https://a.example/1", [event(date="2025-01-31")], published="2025-01-31")
    add_document(db, "https://b.example/2", [event(date="2025-01-31")], published="2025-02-01")
    add_document(db, "https://c.example/3", [event(date="2025-02-03", date_text="on Monday")], published="2025-02-04")
    build(data, reference)
    (nasa,) = events(data)
    assert nasa["date"] == "2025-01-31" and nasa["date_disputed"] == 1
    reports = list(kb(data).query(
        "select reported_date, n_sources, sources, chosen from date_reports where event_id = ? order by reported_date",
        [nasa["id"]]))
    assert [(r["reported_date"], r["n_sources"], r["chosen"]) for r in reports] == \
        [("2025-01-31", 2, 1), ("2025-02-03", 1, 0)]
    assert json.loads(reports[1]["sources"]) == ["https://c.example/3"]
    (disputed,) = kb(data).query("select event_id, reports from disputed_events")
    assert disputed["event_id"] == nasa["id"] and len(json.loads(disputed["reports"])) == 3


def test_ids_are_unchanged_after_adding_a_source_and_after_a_rebuild_from_scratch(tmp_path, data, reference):
    db = crawl_db(data)
    add_document(db, NASA_CNBC, [event()], published="2025-01-31")
    add_document(db, TEXAS, [event(agency="Texas", date="2025-01-31")], published="2025-01-31")
    build(data, reference)
    before = ids(data)
    first_seen = {e["id"]: e["first_seen"] for e in events(data)}

    add_document(db, NASA_EVRIM, [event(date="2025-01-31")], published="2025-02-01")
    stats = build(data, reference)
    assert stats["mode"] == "incremental" and stats["documents_processed"] == 1
    assert ids(data) == before
    assert {s["document_url"] for s in sources_of(data, "nasa--deepseek--ban--2025-01")} == {NASA_CNBC, NASA_EVRIM}
    assert {e["id"]: e["first_seen"] for e in events(data)} == first_seen

    assert build(data, reference, rebuild=True)["mode"] == "full"
    assert ids(data) == before

    fresh = tmp_path / "fresh"
    fresh.mkdir()
    shutil.copy(data / "crawl.db", fresh / "crawl.db")
    build(fresh, reference)   # no kb.db at all: IDs come from the events themselves
    assert ids(fresh) == before


def test_a_recrawled_page_keeps_its_events(data, reference):
    db = crawl_db(data)
    add_document(db, NASA_CNBC, [event()], published="2025-01-31", text="first version")
    build(data, reference)
    add_document(db, NASA_CNBC, [event(evidence="An updated paragraph.")], published="2025-01-31",
                 text="updated version")
    stats = build(data, reference)
    assert stats["documents_processed"] == 1
    assert ids(data) == ["nasa--deepseek--ban--2025-01"]
    assert sources_of(data, "nasa--deepseek--ban--2025-01")[0]["evidence"] == "An updated paragraph."


def test_when_new_data_moves_an_event_its_old_id_redirects(data, reference):
    db = crawl_db(data)
    add_document(db, "https://a.example/1", [event(date="2025-01-31")], published="2025-02-01")
    build(data, reference)
    assert ids(data) == ["nasa--deepseek--ban--2025-01"]
    add_document(db, "https://b.example/2", [event(date="2025-02-02")], published="2025-02-02")
    add_document(db, "https://c.example/3", [event(date="2025-02-02")], published="2025-02-03")
    build(data, reference)
    assert ids(data) == ["nasa--deepseek--ban--2025-02"]
    redirects = list(kb(data).query("select old_id, new_id, reason from event_redirects"))
    assert redirects == [{"old_id": "nasa--deepseek--ban--2025-01", "new_id": "nasa--deepseek--ban--2025-02",
                          "reason": "renamed"}]
    build(data, reference, rebuild=True)   # carried into a kb.db built from scratch
    assert list(kb(data).query("select old_id, new_id from event_redirects")) == \
        [{"old_id": "nasa--deepseek--ban--2025-01", "new_id": "nasa--deepseek--ban--2025-02"}]


def test_an_event_whose_sources_disappear_is_retired_not_forgotten(data, reference):
    db = crawl_db(data)
    add_document(db, "https://a.example/1", [event()], published="2025-02-01")
    add_document(db, "https://a.example/2", [event(agency="Texas")], published="2025-02-01")
    build(data, reference)
    db.execute("delete from extractions where document_url = 'https://a.example/2'")
    db.execute("delete from documents where url = 'https://a.example/2'")
    db.conn.commit()
    stats = build(data, reference)
    assert stats["documents_removed"] == 1
    assert ids(data) == ["nasa--deepseek--ban--2025-01"]
    assert list(kb(data).query("select old_id, new_id, reason from event_redirects")) == \
        [{"old_id": "us-tx-government--deepseek--ban--2025-01", "new_id": None, "reason": "removed"}]
    assert verify_data(data) == []


def test_unchanged_inputs_are_not_reprocessed(data, reference):
    db = crawl_db(data)
    for n in range(5):
        add_document(db, f"https://a.example/{n}", [event(date="2025-01-31")], published="2025-02-01")
    build(data, reference)
    assert build(data, reference)["mode"] == "unchanged"
    add_document(db, "https://a.example/new", [event(agency="Texas")], published="2025-02-01")
    stats = build(data, reference)
    assert (stats["mode"], stats["documents_processed"], stats["reports_read"]) == ("incremental", 1, 1)
    assert stats["groups_merged"] == 1   # only the Texas group was merged again


def test_an_incremental_build_equals_a_full_one(tmp_path, data, reference):
    """Add, change and remove documents across incremental builds; a full build must agree row for row."""
    db = crawl_db(data)
    add_document(db, "https://a.example/1", [event(), event(agency="Texas")], published="2025-02-01")
    add_document(db, "https://a.example/2", [event(date="2025-02-03")], published="2025-02-03")
    add_document(db, "https://a.example/3", [event(agency="Garante", tool="ChatGPT", action="suspend",
                                                   date="2023-03-30", scope="Italian users")], published="2023-03-31")
    add_document(db, "https://a.example/4", [event(agency="Mie Prefectural Government", agency_id=None,
                                                   country="Japan", date="2025-02-07")], published="2025-02-08")
    build(data, reference)
    add_document(db, "https://a.example/5", [event(agency="Garante", tool="ChatGPT", action="lift",
                                                   date="2023-04-28")], published="2023-04-28")
    add_document(db, "https://a.example/2", [event(date="2025-01-31")], published="2025-02-03", text="fixed")
    build(data, reference)
    db.execute("delete from extractions where document_url = 'https://a.example/4'")
    db.execute("delete from documents where url = 'https://a.example/4'")
    db.conn.commit()
    add_document(db, "https://a.example/6", [event(agency="Virginia", date="2025-02-11")], published="2025-02-12")
    assert build(data, reference)["mode"] == "incremental"

    full = tmp_path / "full"
    full.mkdir()
    shutil.copy(data / "crawl.db", full / "crawl.db")
    build(full, reference)
    volatile = ("first_seen", "updated_at")
    for table, order, drop in (("events", "id", volatile), ("event_sources", "id", ()),
                               ("event_reasons", "event_id, reason_id", ()), ("agencies", "id", ()),
                               ("documents", "url", ()), ("graph_nodes", "id", ()), ("graph_edges", "id", ()),
                               ("graph_metrics", "subject, metric", ())):
        assert table_snapshot(data, table, order, drop) == table_snapshot(full, table, order, drop), table
    assert verify_data(data) == [] and verify_data(full) == []


def test_an_unknown_agency_is_kept_unverified_with_its_jurisdiction(data, reference):
    db = crawl_db(data)
    add_document(db, "https://japannews.example/mie", [
        event(agency="Mie Prefectural Government", agency_id=None, agency_kind="ORG", country="Japan",
              jurisdiction_id="jp-mie", date="2025-02-07")], published="2025-02-08")
    build(data, reference)
    (agency,) = kb(data).query("select * from agencies where verified = 0")
    assert (agency["id"], agency["name"], agency["jurisdiction_id"], agency["country_id"]) == \
        ("unverified-jp-mie-prefectural-government", "Mie Prefectural Government", "jp-mie", "jp")
    (row,) = kb(data).query("select * from unverified_entities")
    assert row["id"] == agency["id"] and row["n_events"] == 1
    (timeline,) = kb(data).query("select * from timeline")
    assert (timeline["jurisdiction"], timeline["country_id"]) == ("Mie", "jp")


def test_an_unusable_extraction_is_kept_with_the_reason_and_the_build_goes_on(data, reference):
    db = crawl_db(data)
    add_document(db, "https://a.example/1", [event(), event(action="ignore"), event(tool="", tool_mention="")])
    stats = build(data, reference)
    assert stats["reports_invalid"] == 2 and stats["events"] == 1
    notes = [r["status_note"] for r in kb(data).query("select status_note from event_sources where status = 'invalid'")]
    assert sorted(notes) == ["no tool", "unknown action 'ignore'"]
    problems = verify_data(data)
    assert len(problems) == 1 and "crawl.db: extraction" in problems[0] and "'ignore'" in problems[0]


def test_the_timeline_view_is_the_design_record(data, reference):
    db = crawl_db(data)
    add_document(db, NASA_CNBC, [event(reasons=["national_security", "data_privacy"])], published="2025-01-31")
    build(data, reference)
    (row,) = kb(data).query("select * from timeline")
    assert row["event_id"] == "nasa--deepseek--ban--2025-01"
    assert (row["agency"], row["agency_id"], row["tool"], row["tool_id"]) == \
        ("National Aeronautics and Space Administration", "nasa", "DeepSeek", "deepseek")
    assert (row["jurisdiction"], row["action"], row["stage"], row["verified"]) == ("United States", "ban", "enacted", 0)
    assert json.loads(row["reasons"]) == ["national_security", "data_privacy"]
    assert json.loads(row["sources"]) == [NASA_CNBC]
    (reason,) = kb(data).query("select * from event_reasons where reason_id = 'data_privacy'")
    assert reason["evidence"] is None and reason["n_sources"] == 1


def test_full_text_only_when_asked(data, reference):
    db = crawl_db(data)
    add_document(db, NASA_CNBC, [event()], text="The full article text.")
    build(data, reference)
    assert list(kb(data).query("select text from documents")) == [{"text": None}]
    assert build(data, reference, full_text=True)["mode"] == "full"
    assert list(kb(data).query("select text from documents")) == [{"text": "The full article text."}]
    hits = list(kb(data).query("select url from documents_fts join documents d on d.rowid = documents_fts.rowid "
                               "where documents_fts match 'articles'"))
    assert hits == [{"url": NASA_CNBC}]


def test_build_info_records_the_build(data, reference):
    db = crawl_db(data)
    add_document(db, NASA_CNBC, [event()])
    build(data, reference)
    (info,) = kb(data).query("select * from build_info")
    assert info["mode"] == "full" and json.loads(info["extractor_versions"]) == {"test-1": 1}
    assert json.loads(info["counts"])["events"] == 1 and info["input_fingerprint"]


def test_a_missing_crawl_db_is_a_clear_error(tmp_path):
    with pytest.raises(BanwatchError, match="no crawl.db in .*banwatch extract"):
        build_kb(tmp_path)


def test_a_crawl_db_not_yet_extracted_is_a_clear_error(tmp_path):
    import sqlite_utils

    sqlite_utils.Database(tmp_path / "crawl.db")["pages"].insert({"url": "https://a.example/"})
    with pytest.raises(BanwatchError, match="banwatch extract"):
        build_kb(tmp_path)


def test_the_cli_builds_with_the_shipped_reference_and_curation(data):
    db = crawl_db(data)
    add_document(db, NASA_CNBC, [event(agency="NASA", agency_id=None, tool_id=None, country="United States")])
    result = run_banwatch("build", "--data-dir", data, in_process=True)
    assert result.stdout.startswith("build: mode full, documents ") and "curation stale 0" in result.stdout
    assert "build: merging events" in result.stderr  # progress goes to stderr
    (row,) = kb(data).query("select agency_id, tool_id from events where verified = 0")
    assert row["tool_id"] == "deepseek" and not row["agency_id"].startswith("unverified-")
    run_banwatch("verify", "--data-dir", data, in_process=True)


def test_every_build_leaves_planner_statistics(data, reference):
    db = crawl_db(data)
    add_document(db, NASA_CNBC, [event()])
    build(data, reference)
    analyzed = {row["idx"] for row in kb(data).query("select idx from sqlite_stat1 where tbl = 'events'")}
    assert {"idx_events_action", "idx_events_stage", "idx_events_year", "idx_events_agency_id"} <= analyzed
    add_document(db, TEXAS, [event(agency="Texas")])
    assert build(data, reference)["mode"] == "incremental"
    analyzed = {row["idx"] for row in kb(data).query("select idx from sqlite_stat1")}
    assert "idx_event_sources_resolved_agency_id_resolved_tool_id" in analyzed


def test_an_incremental_build_keeps_full_text_search_current(data, reference):
    """Fresh sources are written in one statement (see insert_rows): the triggers must still index them."""
    db = crawl_db(data)
    add_document(db, NASA_CNBC, [event(evidence="NASA told staff to keep DeepSeek off agency devices.")])
    build(data, reference)
    (before,) = ids(data)
    # Two later reports of the same ban move its date to February: the stored source gets the new event ID.
    add_document(db, NASA_EVRIM, [event(date="2025-02-03", evidence="Reporters saw the quarantine memo.")])
    add_document(db, "https://b.example/nasa", [event(date="2025-02-03", evidence="The memo went out Monday.")])
    add_document(db, TEXAS, [event(agency="Texas", evidence="Texas ordered the chatbot removed.")])
    assert build(data, reference)["mode"] == "incremental"
    (after,) = [i for i in ids(data) if i.startswith("nasa--")]
    assert after != before and NASA_CNBC in [s["document_url"] for s in sources_of(data, after)]

    def search(table, words):
        return [r["id"] for r in kb(data).query(
            f"select {table}.id from {table} join {table}_fts on {table}_fts.rowid = {table}.rowid "
            f"where {table}_fts match ? order by {table}.id", [words])]

    assert len(search("event_sources", "quarantine")) == 1
    assert len(search("event_sources", "agency devices")) == 1  # the re-merged source is indexed once
    assert search("events", "Texas") == [e["id"] for e in events(data) if e["agency_id"] == "us-tx-government"]
    assert kb(data).execute("select count(*) from event_sources_fts").fetchone()[0] == 4


def test_status_marks_low_confidence_events_for_review(data, reference, tmp_path):
    db = crawl_db(data)
    add_document(db, "https://a.example/nasa", [event(confidence=0.95)])
    add_document(db, "https://a.example/texas", [event(agency="Texas", confidence=0.5)])
    add_document(db, "https://a.example/navy", [event(agency="U.S. Navy", date="2025-01-24", confidence=0.3)])
    curation = write_curation(tmp_path / "curation", events_yml="- confirm: us-navy--deepseek--ban--2025-01\n")
    stats = build(data, reference, curation_dir=curation)
    status = {r["agency_id"]: r["status"] for r in kb(data).query("select agency_id, status from timeline")}
    assert status == {"nasa": "machine", "us-tx-government": "needs_review", "us-navy": "verified"}
    assert stats["events_needs_review"] == 1
    # A lower threshold publishes Texas by default; changing it rebuilds every event.
    stats = build(data, reference, curation_dir=curation, review_threshold=0.5)
    assert stats["mode"] == "full" and stats["events_needs_review"] == 0
    assert kb(data).execute("select status from events where agency_id = 'us-tx-government'").fetchone()[0] == "machine"
    with pytest.raises(BanwatchError, match="review threshold"):
        build(data, reference, curation_dir=curation, review_threshold=1.5)


def test_a_government_reported_beside_its_own_body_needs_review(data, reference):
    db = crawl_db(data)
    add_document(db, "https://a.example/japan", [event(agency="Government of Japan", agency_id="jp-government",
                                                        jurisdiction_id="jp", action="warn", date="2025-02-06",
                                                        confidence=0.9)])
    add_document(db, "https://a.example/texas", [event(agency="Texas", confidence=0.9)])
    build(data, reference)
    assert kb(data).execute("select status from events where agency_id = 'jp-government'").fetchone()[0] == "machine"
    # Japan's privacy commission warned about DeepSeek three days earlier: the country-level report
    # may be the commission's measure, and the incremental build sees it as a full build would.
    add_document(db, "https://a.example/pipc", [event(agency="PIPC", agency_id="jp-pipc", jurisdiction_id="jp",
                                                       action="warn", date="2025-02-03", confidence=0.9)])
    stats = build(data, reference)
    assert stats["mode"] == "incremental"
    rows = {r["agency_id"]: (r["status"], r["review_note"]) for r in kb(data).query(
        "select agency_id, status, review_note from events")}
    assert rows["jp-government"] == ("needs_review", "may be the measure of jp-pipc--deepseek--warn--2025-02 "
                                                     "reported at a higher level")
    assert rows["jp-pipc"] == ("machine", None)
    assert rows["us-tx-government"] == ("machine", None)  # NASA-level bodies are not inside Texas
    incremental = table_snapshot(data, "events", "id", drop=("updated_at", "first_seen"))
    build(data, reference, rebuild=True)
    assert table_snapshot(data, "events", "id", drop=("updated_at", "first_seen")) == incremental
