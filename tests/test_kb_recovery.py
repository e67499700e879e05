"""Nothing lost to a replaced crawl.db or a damaged kb.db: builds refuse to retire most of the KB,
keep the kb.db they replace (kb.db.previous), keep first_seen across a retire-and-return, and
find a damaged kb.db instead of trusting it."""
import itertools
import os
import shutil
import sqlite3

import pytest

from banwatch.db import kb_db_problem
from banwatch.errors import BanwatchError
from kb import build as build_module
from kb.build import PREVIOUS_NAME, RETIRE_FEW, RETIRE_SHARE
from kb.verify import verify_data
from tests.support.cli import run_banwatch
from tests.support.kb import add_document, build, crawl_db, digest, event, events, kb

AGENCIES = ["NASA", "Texas", "U.S. Navy", "Garante", "House", "Pentagon", "PIPC", "Virginia", "MODA"]
MEASURES = list(itertools.product(["DeepSeek", "ChatGPT"], ["ban", "investigate"], AGENCIES))


def crawl(data, n, skip=()):
    """crawl.db with one document for each of the first n measures (but those in skip)."""
    db = crawl_db(data)
    for i, (tool, action, agency) in enumerate(MEASURES[:n]):
        if i not in skip:
            add_document(db, f"https://news.example/{i}", [event(agency=agency, tool=tool, action=action)],
                         text=f"story {i}")
    return db


def error_lines(result):
    """What the CLI said besides its progress lines."""
    assert "Traceback" not in result.stdout + result.stderr
    return [line for line in result.stderr.splitlines() if not line.startswith("build: ")]


def replace_crawl_db(data, n, skip=()):
    (data / "crawl.db").unlink()
    crawl(data, n, skip)


@pytest.fixture
def clock(monkeypatch):
    """Set the build's clock: clock("2025-03-01") makes builds stamp 2025-03-01T00:00:00Z."""
    def set_time(day):
        monkeypatch.setattr(build_module, "utcnow", lambda: f"{day}T00:00:00Z")
    return set_time


def test_a_replaced_crawl_db_cannot_retire_the_knowledge_base(data, reference):
    crawl(data, 10)
    build(data, reference)
    before = digest(data / "kb.db")
    replace_crawl_db(data, 10, skip=range(1, 10))   # a fresh crawl.db that found one of the ten stories
    with pytest.raises(BanwatchError, match=r"would retire 9 of the 10 published events .*--allow-retire"):
        build(data, reference)
    assert digest(data / "kb.db") == before and len(events(data)) == 10
    result = run_banwatch("build", "--data-dir", data, in_process=True, check=False)
    (line,) = error_lines(result)
    assert result.returncode == 1
    assert "would retire" in line and "crawl.db" in line and "--allow-retire" in line
    assert digest(data / "kb.db") == before


@pytest.mark.parametrize("gone, refused", [(RETIRE_FEW, False), (6, False), (7, True)])
def test_the_retire_threshold(data, reference, gone, refused):
    """Of 30 events, retiring a handful (RETIRE_FEW) or up to RETIRE_SHARE of them is an ordinary build."""
    assert (RETIRE_FEW, RETIRE_SHARE) == (5, 0.2)   # as the README and `build --help` say
    crawl(data, 30)
    build(data, reference)
    replace_crawl_db(data, 30, skip=range(gone))
    if refused:
        with pytest.raises(BanwatchError, match=f"would retire {gone} of the 30 published events"):
            build(data, reference)
        assert len(events(data)) == 30
    else:
        assert build(data, reference)["events"] == 30 - gone
        assert kb(data).execute("select count(*) from event_redirects where reason = 'removed'").fetchone()[0] == gone


def test_allow_retire_keeps_the_previous_kb_db_and_first_seen_survives_the_return(tmp_path, data, reference, clock):
    crawl(data, 10)
    clock("2025-01-01")
    build(data, reference)
    first_seen = {e["id"]: e["first_seen"] for e in events(data)}
    assert set(first_seen.values()) == {"2025-01-01T00:00:00Z"}
    published = digest(data / "kb.db")
    shutil.copy(data / "crawl.db", tmp_path / "crawl.db.saved")

    replace_crawl_db(data, 10, skip=range(1, 10))
    clock("2025-02-01")
    stats = build(data, reference, allow_retire=True)
    assert stats["events"] == 1
    assert digest(data / PREVIOUS_NAME) == published   # the kb.db it replaced, kept
    retired = list(kb(data).query("select old_id, new_id, reason, first_seen from event_redirects order by old_id"))
    assert [r["old_id"] for r in retired] == sorted(set(first_seen) - {e["id"] for e in events(data)})
    assert {(r["new_id"], r["reason"], r["first_seen"]) for r in retired} == {(None, "removed", "2025-01-01T00:00:00Z")}

    # The documented way back: the previous kb.db, as it was.
    way_back = tmp_path / "way-back"
    shutil.copytree(data, way_back)
    os.replace(way_back / PREVIOUS_NAME, way_back / "kb.db")
    assert digest(way_back / "kb.db") == published and len(events(way_back)) == 10

    # Or the old crawl.db comes back: so do the events, announced as first seen when they first were.
    shutil.copy(tmp_path / "crawl.db.saved", data / "crawl.db")
    clock("2025-03-01")
    assert build(data, reference)["mode"] == "incremental"
    assert {e["id"]: e["first_seen"] for e in events(data)} == first_seen
    assert list(kb(data).query("select * from event_redirects")) == []
    assert verify_data(data) == []


def test_a_rebuild_from_scratch_keeps_the_first_seen_of_retired_ids(tmp_path, data, reference, clock):
    crawl(data, 10)
    clock("2025-01-01")
    build(data, reference)
    shutil.copy(data / "crawl.db", tmp_path / "crawl.db.saved")
    replace_crawl_db(data, 10, skip=range(1, 10))
    clock("2025-02-01")
    build(data, reference, allow_retire=True)
    shutil.copy(tmp_path / "crawl.db.saved", data / "crawl.db")
    clock("2025-03-01")
    assert build(data, reference, rebuild=True)["mode"] == "full"
    assert {e["first_seen"] for e in events(data)} == {"2025-01-01T00:00:00Z"}


def damage(path, index="idx_events_action"):
    """Overwrite the root page of one of kb.db's indexes (build_info stays readable)."""
    conn = sqlite3.connect(path)
    page_size = conn.execute("pragma page_size").fetchone()[0]
    (root,) = conn.execute("select rootpage from sqlite_master where name = ?", [index]).fetchone()
    conn.close()
    with open(path, "r+b") as f:
        f.seek((root - 1) * page_size)
        f.write(b"\xff" * page_size)


def test_a_damaged_kb_db_is_found_and_a_rebuild_repairs_it(data, reference, clock):
    db = crawl(data, 10)
    clock("2025-01-01")
    build(data, reference)
    add_document(db, "https://news.example/more", [event(agency="NASA", date="2025-01-30")])
    clock("2025-02-01")
    build(data, reference)
    backup = digest(data / PREVIOUS_NAME)
    damage(data / "kb.db")
    damaged = digest(data / "kb.db")
    assert verify_data(data) != []

    # Inputs unchanged: the build used to answer "unchanged".
    with pytest.raises(BanwatchError, match=r"kb.db is damaged \(SQLite's quick_check: .*\): run `banwatch build --rebuild`"):
        build(data, reference)
    # New inputs: an incremental build would start from the damaged file.
    add_document(db, "https://news.example/texas-again", [event(agency="Texas", date="2025-01-29")])
    with pytest.raises(BanwatchError, match="is damaged"):
        build(data, reference)
    result = run_banwatch("build", "--data-dir", data, in_process=True, check=False)
    (line,) = error_lines(result)
    assert result.returncode == 1 and "is damaged (SQLite's quick_check: Page " in line and "--rebuild" in line
    assert digest(data / "kb.db") == damaged and digest(data / PREVIOUS_NAME) == backup

    clock("2025-03-01")
    stats = build(data, reference, rebuild=True)
    assert stats["mode"] == "full" and stats["events"] == 10
    assert verify_data(data) == []
    # IDs and first_seen come from the sound backup; the damaged file does not replace it.
    assert {e["first_seen"] for e in events(data)} == {"2025-01-01T00:00:00Z"}
    assert digest(data / PREVIOUS_NAME) == backup


def test_kb_db_problem(tmp_path, data, reference):
    crawl(data, 3)
    build(data, reference)
    assert kb_db_problem(data / "kb.db") is None
    (tmp_path / "text.db").write_text("not sqlite")
    assert "not a database" in kb_db_problem(tmp_path / "text.db")
    sqlite3.connect(tmp_path / "other.db").execute("create table t (x)")
    assert kb_db_problem(tmp_path / "other.db").startswith("not a banwatch kb.db")
    damage(data / "kb.db")
    assert kb_db_problem(data / "kb.db").startswith("SQLite's quick_check: ")


def test_build_help_states_the_retire_threshold():
    result = run_banwatch("build", "--help", in_process=True)
    assert f"{RETIRE_SHARE:.0%} of them (and more than {RETIRE_FEW})" in " ".join(result.stdout.split())
    assert "kb.db.previous" in result.stdout
