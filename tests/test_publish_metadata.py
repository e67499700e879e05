"""metadata.yml: generated from banwatch.kbdb, every table and column described, facets, sorts and canned queries that run."""
import sqlite3
from pathlib import Path

import pytest
import yaml

from banwatch.kbdb import TABLES, VIEWS
from publish.datasette_plugin.metadata import (
    QUERIES,
    build_metadata,
    metadata_yaml,
    undescribed,
    view_columns,
)
from tests.support.browser import DOUBTFUL_EVENT, NASA_EVENT, NAVY_EVENT, TEXAS_EVENT

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def metadata():
    return yaml.safe_load((ROOT / "metadata.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def kb(sample_kb):
    conn = sqlite3.connect(f"{(sample_kb / 'kb.db').as_uri()}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    yield conn
    conn.close()


def test_metadata_yml_is_what_the_generator_writes(metadata):
    assert (ROOT / "metadata.yml").read_text(encoding="utf-8") == metadata_yaml(), \
        "metadata.yml is stale: run `python -m publish.datasette_plugin.metadata > metadata.yml`"
    assert metadata == build_metadata()


def test_title_description_license_and_source(metadata):
    assert "banwatch" in metadata["title"]
    description = metadata["description_html"]
    assert "reconstructions" in description and "publishers" in description
    for path in ("/-/timeline", "/-/graph", "/-/search", "/kb/new_events.atom", "/kb/calendar.ics",
                 "/-/export/timeline.csv", "/-/export/timeline.timelinejs.json"):
        assert f'href="{path}"' in description
    assert "CC BY 4.0" in metadata["license"] and metadata["license_url"].startswith("https://creativecommons.org/")
    assert metadata["source"] and metadata["source_url"]


def test_every_table_view_and_column_is_described(metadata):
    tables = metadata["databases"]["kb"]["tables"]
    assert undescribed(metadata) == []
    for name, spec in TABLES.items():
        assert set(tables[name]["columns"]) == set(spec.columns), name
    for view, columns in view_columns().items():
        assert list(tables[view]["columns"]) == columns, view
    assert set(VIEWS) <= set(tables)


def test_facets_sorts_and_labels(metadata):
    tables = metadata["databases"]["kb"]["tables"]
    events = tables["events"]
    assert {"status", "tool_id", "jurisdiction_id", "year"} <= set(f for f in events["facets"] if isinstance(f, str))
    # action is faceted with its stage, never alone: a "ban" count must not hide the bills.
    assert {"action_stage": "action"} in events["facets"] and "action" not in events["facets"]
    assert {"list": "reasons"} in events["facets"]
    assert events["sort_desc"] == "date_start"
    assert {"tool", "jurisdiction", "status"} <= set(f for f in tables["timeline"]["facets"] if isinstance(f, str))
    assert {"action_stage": "action"} in tables["timeline"]["facets"]
    assert {t: o["fts_table"] for t, o in tables.items() if "fts_table" in o} == {
        "documents": "documents_fts", "events": "events_fts", "event_sources": "event_sources_fts"}
    for table, label in (("agencies", "name"), ("tools", "name"), ("jurisdictions", "name"), ("reasons", "label"),
                         ("documents", "title")):
        assert tables[table]["label_column"] == label
    for table, options in tables.items():
        for facet in options.get("facets", []):
            column = next(iter(facet.values())) if isinstance(facet, dict) else facet
            assert column in options["columns"], f"{table} facets on unknown column {column}"
        if "sort_desc" in options:
            assert options["sort_desc"] in options["columns"], table


def test_the_issues_canned_queries_are_there_with_their_parameters(metadata):
    queries = metadata["databases"]["kb"]["queries"]
    for name in ("tool_timeline", "who_acted_on_tool", "first_movers_per_tool", "measures_per_month",
                 "sources_disagree", "entities_to_review", "new_events", "calendar", "review_queue_with_evidence"):
        assert queries[name]["title"] and queries[name]["description"] and queries[name]["sql"]
    assert ":tool" in queries["tool_timeline"]["sql"] and ":tool" in queries["who_acted_on_tool"]["sql"]
    assert ":jurisdiction" in queries["measures_per_month"]["sql"]
    tables = metadata["databases"]["kb"]["tables"]
    assert not set(queries) & set(tables), "a canned query named like a table hides it"


def run(kb, name, **params):
    return [dict(r) for r in kb.execute(QUERIES[name]["sql"], params)]


def test_tool_timeline_and_who_acted(kb):
    rows = run(kb, "tool_timeline", tool="DeepSeek AI")
    assert len(rows) == 9 and rows[0]["event_id"] == NAVY_EVENT and rows[-1]["date"] is None
    assert [r["date"] for r in rows[:-1]] == sorted(r["date"] for r in rows[:-1])
    assert DOUBTFUL_EVENT not in {r["event_id"] for r in rows}  # needs review: not published
    # Opened with no tool, they show the tool with the most events instead of nothing.
    busiest = kb.execute("select id from tools order by n_events desc limit 1").fetchone()[0]
    assert {r["tool"] for r in run(kb, "tool_timeline", tool="")} == {"DeepSeek"} and busiest == "deepseek"
    assert len(run(kb, "who_acted_on_tool", tool="")) == len({r["agency"] for r in rows})
    acted = run(kb, "who_acted_on_tool", tool="chatgpt")
    assert [(r["agency_id"], r["n_events"], r["actions"]) for r in acted] == [("it-garante", 2, "suspend, lift")]
    house = {r["agency_id"]: r for r in run(kb, "who_acted_on_tool", tool="deepseek")}["us-house"]
    assert house["actions"] == "ban (proposed)" and house["n_proposed"] == 1


def test_first_movers_and_months(kb):
    movers = {r["tool_id"]: r for r in run(kb, "first_movers_per_tool", tool="")}
    # The Navy (24 January) moved first; Texas (28 January), Taiwan and NASA (31 January) followed from
    # other jurisdictions; NASA is of the Navy's own country, so it is no follower of it.
    assert movers["deepseek"]["agency_id"] == "us-navy"
    followers = {r["follower_id"] for r in kb.execute("select * from followed where leader_id = 'us-navy'")}
    assert movers["deepseek"]["n_followers"] == len(followers) > 0 and "nasa" not in followers
    assert [r["tool_id"] for r in run(kb, "first_movers_per_tool", tool="ChatGPT")] == ["chatgpt"]
    months = run(kb, "measures_per_month", jurisdiction="us")
    assert {(r["month"], r["jurisdiction_id"]): r["n_measures"] for r in months} == {
        ("2024-03", "us"): 1, ("2025-01", "us"): 2, ("2025-01", "us-tx"): 1, ("2025-02", "us"): 1,
        ("2025-02", "us-ny"): 1}


def test_disagreements_and_review_queue(kb):
    disputed = run(kb, "sources_disagree")
    assert [r["event_id"] for r in disputed] == [NASA_EVENT]
    assert disputed[0]["reported_dates"] == "2025-01-31 (1); 2025-02-03 (1)"
    review = run(kb, "entities_to_review")
    assert [(r["kind"], r["name"]) for r in review] == [("agency", "Department of Home Affairs")]
    assert "unverified-department-of-home-affairs--deepseek--ban--2025-02" in review[0]["example_events"]


def test_feed_queries_have_the_columns_the_plugins_need(kb):
    atom = run(kb, "new_events")
    assert len(atom) == 12 and DOUBTFUL_EVENT not in {r["event_id"] for r in atom}  # published events only
    assert {"atom_id", "atom_title", "atom_updated", "atom_content_html", "atom_link"} <= set(atom[0])
    assert all(r["atom_id"].startswith("urn:banwatch:event:") and r["atom_link"] == f"/-/event/{r['event_id']}"
               for r in atom)
    titles = {r["event_id"]: r["atom_title"] for r in atom}
    assert titles[TEXAS_EVENT].startswith("[verified] ") and titles[NASA_EVENT].startswith("[machine-read] ")
    calendar = run(kb, "calendar")
    assert {"event_name", "event_dtstart", "event_uid", "event_description"} <= set(calendar[0])
    assert len(calendar) == 11 and all(r["event_dtstart"] for r in calendar)  # the undated one has no day
    assert all("Status: " in r["event_description"] for r in calendar)
    review = run(kb, "review_queue_with_evidence")
    assert [r["event_id"] for r in review] == [DOUBTFUL_EVENT] and "without naming a source" in review[0]["evidence"]
