"""The whole flow on the bundled demo archive, run as a user would: `banwatch demo --no-serve`.

The crawl replays the WARC built from banwatch/demo/ through the real spiders and middlewares (a
replay server on 127.0.0.1), then extract and build run; kb.db is checked against the manifest.
The run is the session fixture demo_run (tests/conftest.py), built once and shared with the browser tests.
"""
import json
import sqlite3
import subprocess

import pytest

from banwatch.demo import demo_manifest
from pipeline.evaluate import names_match
from tests.support.cli import BANWATCH

pytestmark = pytest.mark.slow


def query(path, sql, params=()):
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in conn.execute(sql, params)]
    finally:
        conn.close()


def test_demo_reports_each_stage(demo_run):
    data_dir, result = demo_run
    for step in ("crawl:", "extract:", "build:"):
        assert step in result.stdout
    assert (data_dir / "kb.db").exists() and (data_dir / "crawl.db").exists()
    verify = subprocess.run([str(BANWATCH), "verify", "--data-dir", str(data_dir)], capture_output=True, text=True)
    assert verify.returncode == 0, verify.stderr


def test_nasa_ban_of_deepseek_with_its_sources(demo_run):
    data_dir, _ = demo_run
    rows = query(data_dir / "kb.db", "select * from timeline where agency_id = 'us-nasa' and tool_id = 'deepseek' "
                                     "and action = 'ban' and stage = 'enacted'")
    assert len(rows) == 1
    nasa = rows[0]
    assert nasa["date"] == "2025-01-31"
    sources = json.loads(nasa["sources"])
    assert len(sources) >= 2
    assert any("cnbc.com" in url for url in sources)


def test_proposed_ban_is_stored_as_proposed(demo_run):
    data_dir, _ = demo_run
    # the No DeepSeek on Government Devices Act, introduced by Reps. Gottheimer and LaHood
    rows = query(data_dir / "kb.db", "select * from timeline where tool_id = 'deepseek' and stage = 'proposed' "
                                     "and jurisdiction like 'United States%'")
    assert rows, "the bill to ban DeepSeek on federal devices should be a proposed event"
    enacted_congress = query(data_dir / "kb.db", "select * from timeline where agency_id = 'us-congress' "
                                                 "and tool_id = 'deepseek' and stage = 'enacted'")
    assert enacted_congress == [], "a bill is not an enacted ban"


def test_lifted_ban_is_a_lift(demo_run):
    data_dir, _ = demo_run
    lifts = query(data_dir / "kb.db", "select * from timeline where action = 'lift'")
    assert any(r["tool_id"] == "chatgpt" and r["date"] == "2023-04-28" for r in lifts), lifts


def test_script_injection_is_stored_as_inert_text(demo_run):
    data_dir, _ = demo_run
    rows = query(data_dir / "kb.db", "select title from documents where url like '%indiannewsnetwork%'")
    assert rows and "<script>alert(1)</script>" in rows[0]["title"]
    # the text is kept as text: markup characters survive verbatim, nothing was parsed into the page
    evidence = query(data_dir / "kb.db", "select evidence from event_sources where document_url like "
                                         "'%indiannewsnetwork%'")
    assert evidence


def test_broken_pages_recorded_with_errors_and_the_run_went_on(demo_run):
    data_dir, _ = demo_run
    failures = query(data_dir / "crawl.db", "select url, reason, detail from failures")
    truncated = [f for f in failures if f["reason"] == "dataloss"]
    assert truncated and "cut short" in truncated[0]["detail"]
    errors = query(data_dir / "crawl.db", "select url, error from documents where error is not null")
    assert any(e["url"].endswith(".pdf") and "PDF" in e["error"] for e in errors)
    # ... and everything else went through
    assert query(data_dir / "crawl.db", "select count(*) as n from documents where error is null")[0]["n"] >= 50


def test_non_utf8_page_decoded(demo_run):
    data_dir, _ = demo_run
    entry = next(e for e in demo_manifest() if "non_utf8" in (e.get("hard_cases") or []))
    rows = query(data_dir / "crawl.db", "select text from documents where url = ?", [entry["url"]])
    assert rows and rows[0]["text"]
    assert "\ufffd" not in rows[0]["text"]  # no replacement characters: the declared charset was honoured


def test_kb_recalls_the_manifest(demo_run):
    """Most events the demo pages state are in kb.db, under the agency and tool the manifest names."""
    data_dir, _ = demo_run
    timeline = query(data_dir / "kb.db", "select * from timeline")
    expected, found, missed = 0, 0, []
    for entry in demo_manifest():
        if entry.get("language", "en") != "en" or entry.get("expect_error"):
            continue
        for event in entry.get("events") or []:
            expected += 1
            hit = any(any(names_match(t["tool"], alias) for alias in event["tool"])
                      and any(names_match(t["agency"], alias, event.get("country")) for alias in event["agency"])
                      and (t["action"] == "lift") == (event["action"] == "lift")
                      for t in timeline)
            found += hit
            if not hit:
                missed.append(f"{event['agency'][0]} / {event['tool'][0]} / {event['action']}")
    assert expected >= 80
    assert found / expected >= 0.7, f"recall {found}/{expected}; missed: {missed}"


def test_every_event_published_by_default_is_one_real_measure(demo_run):
    # The demo's manifest names the real measure (event_id) behind every event a page states: what the
    # KB publishes by default (machine-read at or above the review threshold) must each be one of them,
    # and no measure may appear under two event IDs. (Curated events are checked by their curators.)
    from banwatch.site_eval import kb_events
    from pipeline.evaluate import measure_assignment

    data_dir, _ = demo_run
    published = [e for e in kb_events(data_dir) if e["status"] == "machine"]
    assert len(published) >= 40
    records = [{"id": entry["url"], "events": entry.get("events") or []} for entry in demo_manifest()]
    assignment = measure_assignment(records, published)
    assert [event for event, measures in assignment.items() if not measures] == []
    by_measure = {}
    for event, measures in assignment.items():
        for measure in measures:
            by_measure.setdefault(measure, []).append(event)
    assert {m: ids for m, ids in by_measure.items() if len(ids) > 1} == {}
