"""`banwatch verify` passes a good build and catches a damaged one."""
import sqlite3

import pytest

from kb.verify import verify_data
from tests.support.cli import run_banwatch
from tests.support.kb import add_document, build, crawl_db, event, load_test_reference


@pytest.fixture
def data(tmp_path):
    data = tmp_path / "data"
    db = crawl_db(data)
    add_document(db, "https://a.example/1", [event(), event(agency="Texas")], published="2025-02-01")
    add_document(db, "https://a.example/2", [event(date="2025-02-02")], published="2025-02-02")
    build(data, load_test_reference(tmp_path / "reference"))
    return data


def damage(data, *statements):
    conn = sqlite3.connect(data / "kb.db")
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def test_a_good_build_verifies(data):
    assert verify_data(data) == []
    result = run_banwatch("verify", "--data-dir", data, in_process=True)
    assert "ok" in result.stdout


def test_an_event_without_sources(data):
    damage(data, "delete from event_sources where event_id like 'us-tx-government%'")
    problems = verify_data(data)
    assert "kb.db: event us-tx-government--deepseek--ban--2025-01: has no source" in problems
    # Its reason's evidence pointed at one of the deleted sources: the foreign key check says so.
    assert "kb.db: event_reasons row 2 refers to a missing event_sources row" in problems


def test_broken_references_and_vocabularies(data):
    damage(data,
           "update event_sources set document_url = 'https://gone.example/' where document_url = 'https://a.example/2'",
           "update events set action = 'banned', date = '2025-02' where id like 'nasa%'",
           "insert into graph_edges (id, source, target, kind) values ('x', 'agency:nasa', 'agency:nobody', 'followed')",
           "insert into event_redirects (old_id, new_id, reason) values ('a--b--ban--2025-01', 'no--such--ban--2025-01', 'renamed')")
    problems = verify_data(data)
    assert any("refers to a missing documents row" in p for p in problems)
    assert any("action 'banned' is not in the vocabulary" in p for p in problems)
    assert any("date '2025-02' does not match its precision 'day'" in p for p in problems)
    assert any("graph edge x: agency:nasa -> agency:nobody points at a missing node" in p for p in problems)
    assert any("redirect a--b--ban--2025-01 -> no--such--ban--2025-01: no such event" in p for p in problems)


def test_a_corrupted_file(data):
    path = data / "kb.db"
    raw = bytearray(path.read_bytes())
    page = 4096
    raw[page * 2: page * 4] = b"\x00\xff" * page   # wipe two pages of b-tree
    path.write_bytes(bytes(raw))
    problems = verify_data(data)
    assert problems and all(p.startswith("kb.db: ") for p in problems)
    result = run_banwatch("verify", "--data-dir", data, in_process=True, check=False)
    assert result.returncode == 1 and "problem: kb.db" in result.stderr


def test_not_a_database_at_all(data):
    (data / "kb.db").write_bytes(b"this is not sqlite" * 100)
    assert verify_data(data) == ["kb.db: not a database or badly damaged: file is not a database"]


def test_missing_files(tmp_path):
    problems = verify_data(tmp_path)
    assert problems == [f"crawl.db: not found in {tmp_path} (run `banwatch crawl` and `banwatch extract`)",
                        f"kb.db: not found in {tmp_path} (run `banwatch build`)"]
