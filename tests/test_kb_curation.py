"""Curation: every action applied on every build, curated facts labelled, stale entries reported."""
import json
import logging
import shutil

import pytest

from banwatch.errors import BanwatchError
from kb.curation import load_curation
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

NASA = "nasa--deepseek--ban--2025-01"
TEXAS = "us-tx-government--deepseek--ban--2025-01"
GARANTE_SUSPEND = "it-garante--chatgpt--suspend--2023-03"




@pytest.fixture
def data(tmp_path):
    """NASA's and Texas's DeepSeek bans and the Garante's ChatGPT order, from a few sources."""
    data = tmp_path / "data"
    db = crawl_db(data)
    add_document(db, "https://news.example/nasa-1", [event(date="2025-01-31")], published="2025-01-31")
    add_document(db, "https://news.example/nasa-2", [event(date="2025-02-03", reasons=["data_privacy"])],
                 published="2025-02-04")
    add_document(db, "https://news.example/texas", [event(agency="Texas", date="2025-01-31")], published="2025-01-31")
    add_document(db, "https://news.example/garante", [
        event(agency="Garante", tool="ChatGPT", action="suspend", date="2023-03-30", scope="users in Italy")],
        published="2023-03-31")
    add_document(db, "https://news.example/mie", [
        event(agency="Mie Prefectural Government", agency_id=None, country="Japan", date="2025-02-07")],
        published="2025-02-08")
    return data


def curate(tmp_path, events_yml="", entities_yml=""):
    return write_curation(tmp_path / "curation", events_yml, entities_yml)


def log_rows(data):
    return {row["id"]: row for row in kb(data).query("select * from curation_log")}


def event_by_id(data, event_id):
    found = [e for e in events(data) if e["id"] == event_id]
    return found[0] if found else None


def test_confirm_labels_the_event_verified(tmp_path, data, reference):
    curation = curate(tmp_path, f"- confirm: {NASA}\n  note: checked against the memo\n")
    stats = build(data, reference, curation)
    nasa = event_by_id(data, NASA)
    assert nasa["verified"] == 1 and nasa["curation_note"] == "checked against the memo"
    assert json.loads(nasa["curated_fields"]) == []
    assert log_rows(data)["events.yml#1"]["status"] == "applied"
    assert stats["curation_applied"] == 1 and stats["curation_stale"] == 0
    (row,) = kb(data).query("select verified from timeline where event_id = ?", [NASA])
    assert row["verified"] == 1


def test_correct_sets_fields_and_a_new_id_redirects_the_old_one(tmp_path, data, reference):
    build(data, reference, curate(tmp_path))
    curation = curate(tmp_path, f"""
- correct: {NASA}
  set:
    date: 2025-02-03
    reasons: [national_security, data_sovereignty]
  note: the memo took effect on Monday
""")
    build(data, reference, curation)
    assert event_by_id(data, NASA) is None
    corrected = event_by_id(data, "nasa--deepseek--ban--2025-02")
    assert (corrected["date"], corrected["date_rule"], corrected["verified"]) == ("2025-02-03", "curated", 1)
    assert json.loads(corrected["curated_fields"]) == ["date", "reasons"]
    assert json.loads(corrected["reasons"]) == ["national_security", "data_sovereignty"]
    assert corrected["machine_id"] == NASA
    reasons = {r["reason_id"]: r["curated"] for r in kb(data).query(
        "select reason_id, curated from event_reasons where event_id = ?", [corrected["id"]])}
    assert reasons == {"national_security": 1, "data_sovereignty": 1}
    assert list(kb(data).query("select new_id, reason from event_redirects where old_id = ?", [NASA])) == \
        [{"new_id": "nasa--deepseek--ban--2025-02", "reason": "renamed"}]
    # The correction keeps matching on later builds (by the old ID, through the event's sources).
    add_document(crawl_db(data), "https://news.example/nasa-3", [event(date="2025-01-31")], published="2025-02-05")
    build(data, reference, curation)
    assert event_by_id(data, "nasa--deepseek--ban--2025-02")["n_sources"] == 3
    assert log_rows(data)["events.yml#1"]["status"] == "applied"


def test_reject_sets_the_event_aside_with_its_sources(tmp_path, data, reference):
    build(data, reference, curate(tmp_path))
    build(data, reference, curate(tmp_path, f"- reject: {TEXAS}\n  note: a call for a ban, not a ban\n"))
    assert event_by_id(data, TEXAS) is None
    (source,) = kb(data).query("select status, status_note, event_id from event_sources where document_url = ?",
                               ["https://news.example/texas"])
    assert source == {"status": "rejected", "status_note": "events.yml#1: a call for a ban, not a ban", "event_id": None}
    assert list(kb(data).query("select new_id, reason from event_redirects where old_id = ?", [TEXAS])) == \
        [{"new_id": None, "reason": "rejected"}]
    assert verify_data(data) == []


def test_reject_source_takes_one_document_out(tmp_path, data, reference):
    curation = curate(tmp_path, "- reject_source: https://news.example/nasa-2\n  note: misdated copy\n")
    build(data, reference, curation)
    nasa = event_by_id(data, NASA)
    assert nasa["n_sources"] == 1 and nasa["date_disputed"] == 0
    (rejected,) = kb(data).query("select status from event_sources where document_url = 'https://news.example/nasa-2'")
    assert rejected["status"] == "rejected"
    assert log_rows(data)["events.yml#1"]["detail"] == "set aside 1 report(s)"


def test_reject_source_for_one_event_only(tmp_path, data, reference):
    curation = curate(tmp_path, f"- reject_source: https://news.example/nasa-2\n  event: {NASA}\n")
    build(data, reference, curation)
    assert event_by_id(data, NASA)["n_sources"] == 1
    assert log_rows(data)["events.yml#1"]["status"] == "applied"


@pytest.mark.parametrize("entry", [
    "- reject_source: https://news.example/nasa-2\n",
    f"- reject_source: https://news.example/nasa-2\n  event: {NASA}\n",
    f"- reject: {TEXAS}\n",
])
def test_a_source_set_aside_later_leaves_its_event(tmp_path, data, reference, entry):
    """Rejected in an incremental build, a stored report loses its event as in a full one."""
    build(data, reference, curate(tmp_path))
    curation = curate(tmp_path, entry)
    assert build(data, reference, curation)["mode"] == "incremental"
    rejected = list(kb(data).query("select id, event_id from event_sources where status = 'rejected'"))
    assert rejected and all(r["event_id"] is None for r in rejected)
    assert verify_data(data) == []
    full = tmp_path / "full"
    full.mkdir()
    shutil.copy(data / "crawl.db", full / "crawl.db")
    build(full, reference, curation)
    assert table_snapshot(data, "event_sources", "id") == table_snapshot(full, "event_sources", "id")


def test_merge_two_events_into_one(tmp_path, data, reference):
    db = crawl_db(data)
    add_document(db, "https://news.example/garante-ban", [
        event(agency="Garante", tool="ChatGPT", action="ban", date="2023-05-20")], published="2023-05-20")
    build(data, reference, curate(tmp_path))
    later = "it-garante--chatgpt--ban--2023-05"
    assert event_by_id(data, later)
    build(data, reference, curate(tmp_path, f"- merge: [{GARANTE_SUSPEND}, {later}]\n  note: one order\n"))
    merged = event_by_id(data, GARANTE_SUSPEND)
    assert merged["n_sources"] == 2 and merged["verified"] == 1 and event_by_id(data, later) is None
    assert list(kb(data).query("select new_id, reason from event_redirects where old_id = ?", [later])) == \
        [{"new_id": GARANTE_SUSPEND, "reason": "merged"}]


def test_merge_an_unverified_agency_into_a_reference_one(tmp_path, data, reference):
    build(data, reference, curate(tmp_path))
    old = "unverified-jp-mie-prefectural-government--deepseek--ban--2025-02"
    assert event_by_id(data, old)
    entities = "- merge: unverified-jp-mie-prefectural-government\n  into: jp-government\n"
    build(data, reference, curate(tmp_path, entities_yml=entities))
    assert event_by_id(data, "jp-government--deepseek--ban--2025-02")["agency_id"] == "jp-government"
    assert not list(kb(data).query("select id from agencies where verified = 0"))
    assert log_rows(data)["entities.yml#1"]["status"] == "applied"
    assert list(kb(data).query("select new_id from event_redirects where old_id = ?", [old])) == \
        [{"new_id": "jp-government--deepseek--ban--2025-02"}]
    (source,) = kb(data).query("select agency_id, resolved_agency_id from event_sources where document_url = ?",
                               ["https://news.example/mie"])
    assert source == {"agency_id": "jp-government", "resolved_agency_id": "unverified-jp-mie-prefectural-government"}


def test_correct_and_confirm_an_unverified_agency(tmp_path, data, reference):
    entities = """
- correct: unverified-jp-mie-prefectural-government
  set: {jurisdiction: jp-mie, type: local_government}
- confirm: unverified-jp-mie-prefectural-government
"""
    build(data, reference, curate(tmp_path, entities_yml=entities))
    (agency,) = kb(data).query("select * from agencies where id = 'unverified-jp-mie-prefectural-government'")
    assert (agency["jurisdiction_id"], agency["type"], agency["verified"]) == ("jp-mie", "local_government", 1)
    (mie,) = [e for e in events(data) if e["agency_id"] == agency["id"]]
    assert mie["jurisdiction_id"] == "jp-mie"


def test_add_an_event_the_crawl_missed_and_merge_it_when_the_crawl_finds_it(tmp_path, data, reference):
    curation = curate(tmp_path, """
- add:
    agency: us-navy
    tool: deepseek
    action: ban
    date: 2025-01-24
    reasons: [national_security]
    scope: work and personal use by sailors
    source:
      url: https://www.cnbc.com/2025/01/28/us-navy-restricts-use-of-deepseek-ai-imperative-to-avoid-using.html
      title: US Navy bans use of DeepSeek
      published: 2025-01-28
      evidence: The Navy's email of January 24 told sailors not to use DeepSeek in any capacity.
  note: the crawl has no source for this order
""")
    build(data, reference, curation)
    navy = event_by_id(data, "us-navy--deepseek--ban--2025-01")
    assert navy["verified"] == 1 and navy["date"] == "2025-01-24" and navy["n_sources"] == 1
    assert set(json.loads(navy["curated_fields"])) == {"agency", "tool", "action", "stage", "date", "reasons", "scope"}
    (document,) = kb(data).query("select origin, kind, title from documents where url like '%us-navy%'")
    assert document == {"origin": "curation", "kind": "curated", "title": "US Navy bans use of DeepSeek"}
    assert sources_of(data, navy["id"])[0]["evidence"].startswith("The Navy's email")
    assert log_rows(data)["events.yml#1"]["detail"] == "added"

    add_document(crawl_db(data), "https://news.example/navy", [event(agency="U.S. Navy", date="2025-01-28")],
                 published="2025-01-28")
    build(data, reference, curation)
    navy = event_by_id(data, "us-navy--deepseek--ban--2025-01")
    assert navy["n_sources"] == 2 and navy["date"] == "2025-01-24"   # the curated date stands
    assert "the crawl also found it" in log_rows(data)["events.yml#1"]["detail"]


def test_pin_keeps_an_id_when_the_data_moves_the_event(tmp_path, data, reference):
    curation = curate(tmp_path, f"- pin: {NASA}\n  note: cited in our January report\n")
    build(data, reference, curation)
    db = crawl_db(data)
    for n in range(3):
        add_document(db, f"https://news.example/late-{n}", [event(date="2025-02-03")], published="2025-02-05")
    build(data, reference, curation)
    nasa = event_by_id(data, NASA)
    assert nasa["date"] == "2025-02-03" and nasa["machine_id"] == "nasa--deepseek--ban--2025-02"
    assert log_rows(data)["events.yml#1"]["status"] == "applied"


def test_match_by_fields_and_ambiguity(tmp_path, data, reference):
    curation = curate(tmp_path, """
- confirm: {agency: it-garante, tool: chatgpt, date: 2023-03}
- confirm: {tool: deepseek}
""")
    build(data, reference, curation)
    assert event_by_id(data, GARANTE_SUSPEND)["verified"] == 1
    rows = log_rows(data)
    assert rows["events.yml#1"]["status"] == "applied"
    assert rows["events.yml#2"]["status"] == "ambiguous"


def test_a_stale_entry_is_reported_not_ignored(tmp_path, data, reference, caplog):
    curation = curate(tmp_path, "- confirm: nobody--deepseek--ban--2024-01\n",
                      "- merge: unverified-xx-no-such-agency\n  into: nasa\n")
    with caplog.at_level(logging.WARNING, logger="banwatch"):
        stats = build(data, reference, curation)
    assert stats["curation_stale"] == 2 and stats["curation_applied"] == 0
    rows = log_rows(data)
    assert rows["events.yml#1"]["status"] == "stale" and rows["events.yml#1"]["detail"] == "matched no event"
    assert rows["entities.yml#1"]["status"] == "stale"
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("events.yml entry 1" in w and "stale" in w for w in warnings)


def test_curation_survives_rebuilds_and_incremental_builds(tmp_path, data, reference):
    curation = curate(tmp_path, f"- confirm: {TEXAS}\n- reject: {GARANTE_SUSPEND}\n")
    build(data, reference, curation)
    add_document(crawl_db(data), "https://news.example/other", [event(agency="Virginia", date="2025-02-11")])
    assert build(data, reference, curation)["mode"] == "incremental"
    assert event_by_id(data, TEXAS)["verified"] == 1 and event_by_id(data, GARANTE_SUSPEND) is None
    build(data, reference, curation, rebuild=True)
    assert event_by_id(data, TEXAS)["verified"] == 1 and event_by_id(data, GARANTE_SUSPEND) is None
    assert {r["status"] for r in log_rows(data).values()} == {"applied"}


@pytest.mark.parametrize("events_yml, message", [
    ("- confirm: [\n", "events.yml entry 1 \\(line 1\\) line 2: not valid YAML"),
    ("confirm: x\n", "expected a list"),
    ("- frobnicate: x\n", "entry 1 .*needs exactly one of"),
    ("- correct: x\n  set: {date: 31/01/2025}\n", "entry 1 .*not YYYY-MM-DD"),
    ("- correct: x\n  set: {action: banned}\n", "action 'banned' is not one of"),
    ("- correct: x\n  set: {colour: red}\n", "cannot set 'colour'"),
    ("- confirm: x\n- add: {agency: nasa, tool: deepseek, action: ban}\n", "entry 2 .*needs a source"),
    ("- merge: [only-one]\n", "two or more"),
    # Each of these raised a traceback (ValueError, RecursionError) before it became one line.
    ("- confirm: x\n- correct: x\n  set: {date: 2025-13-45}\n", "events.yml entry 2 .*date '2025-13-45'"),
    ("- confirm: {agency: nasa, date: 2025-13-45}\n", "events.yml entry 1 .*date '2025-13-45'"),
    ("- add: {agency: nasa, tool: deepseek, action: ban, date: 2025-02,\n"
     "         source: {url: 'https://a.example/', published: 2025-02-30}}\n", "entry 1 .*published date '2025-02-30'"),
    ("- &a {confirm: *a}\n", "events.yml entry 1 .*alias refers to the value that contains it"),
    ("- confirm: x\n  note: [checked, twice]\n", "events.yml entry 1 .*note must be text, not a list"),
    ("- confirm: x\n  a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
     "  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n  d: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n",
     "entry 1 .*aliases expand it to more than 10000 values"),
    ("- add: {agency: nasa, tool: deepseek, action: ban, source: {url: 'javascript:alert(1)'}}\n",
     "entry 1 .*'javascript:alert\\(1\\)' is not an http\\(s\\) URL"),
])
def test_a_malformed_entry_is_a_clear_error(tmp_path, events_yml, message):
    with pytest.raises(BanwatchError, match=message):
        load_curation(curate(tmp_path, events_yml))


def test_a_file_that_is_not_utf8_names_the_entry_and_line(tmp_path):
    curation = curate(tmp_path)
    (curation / "events.yml").write_bytes(b"- confirm: a\n  note: fine\n- confirm: b\n  note: caf\xe9 checked\n")
    with pytest.raises(BanwatchError, match=r"events.yml entry 2 \(line 3\) line 4: not UTF-8 text \(byte 0xe9\)"):
        load_curation(curation)


def test_an_entity_correction_takes_text_only(tmp_path):
    with pytest.raises(BanwatchError, match="entities.yml entry 1 .*name must be text .*not a list"):
        load_curation(curate(tmp_path, entities_yml="- correct: unverified-x\n  set: {name: [a, b]}\n"))
    entry, = load_curation(curate(tmp_path, entities_yml="- correct: unverified-x\n  set: {parent: null}\n")).entity_entries
    assert entry.values == {"parent": None}   # null clears a field


@pytest.mark.parametrize("text", [b"- correct: x\n  set: {date: 2025-13-45}\n", b"- &a {confirm: *a}\n",
                                  b"- confirm: x\n  note: caf\xe9\n", b"- confirm: x\n  note: [a, b]\n"])
def test_the_cli_shows_a_bad_curation_file_in_one_line(tmp_path, text):
    data = tmp_path / "data"
    add_document(crawl_db(data), "https://news.example/nasa", [event()])
    curation = curate(tmp_path)
    (curation / "events.yml").write_bytes(text)
    result = run_banwatch("build", "--data-dir", data, "--curation", curation, in_process=True, check=False)
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert "events.yml entry 1 (line 1)" in line
    assert not (data / "kb.db").exists()


def test_the_shipped_curation_files_load():
    curation = load_curation()
    assert curation.fingerprint
    for entry in curation.entries:
        assert entry.note, f"{entry.describe()} has no note saying why"
