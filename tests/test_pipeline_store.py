"""The extractor's tables: a document and its extractions are replaced together or not at all."""
import pytest
from sqlite_utils import Database

from pipeline import store

EVENT = {"agency": "NASA", "agency_id": "us-nasa", "tool": "DeepSeek", "tool_id": "deepseek", "action": "ban",
         "stage": "enacted", "date": "2025-01-31", "reasons": ["national_security"], "evidence": "NASA banned it."}


def document(url="https://example.org/a", sha="s1"):
    return {"url": url, "sha256": sha, "title": "t", "text": "NASA banned it.", "published": "2025-01-31",
            "language": "en", "kind": "article"}


@pytest.fixture
def db(tmp_path):
    db = Database(tmp_path / "crawl.db")
    store.ensure_extract_shape(db)
    return db


def test_a_document_is_saved_with_its_extractions_and_replaced_whole(db):
    store.save_document(db, document(), [EVENT, dict(EVENT, tool="ChatGPT", tool_id="chatgpt")], "v1")
    assert db["documents"].get("https://example.org/a")["n_events"] == 2
    assert db.execute("select count(*) from extractions").fetchone()[0] == 2
    store.save_document(db, document(sha="s2"), [EVENT], "v1")
    assert db.execute("select count(*) from extractions").fetchone()[0] == 1
    row = db.execute("select reasons from extractions").fetchone()[0]
    assert "national_security" in row


def test_a_failure_midway_leaves_the_previous_version(db, monkeypatch):
    store.save_document(db, document(), [EVENT], "v1")
    original = store._replace_rows

    def fail_on_extractions(conn, table, rows):
        if table == "extractions":
            raise RuntimeError("killed here")
        return original(conn, table, rows)

    monkeypatch.setattr(store, "_replace_rows", fail_on_extractions)
    with pytest.raises(RuntimeError):
        store.save_document(db, document(sha="s2"), [EVENT, EVENT], "v1")
    doc = db["documents"].get("https://example.org/a")
    assert (doc["sha256"], doc["n_events"]) == ("s1", 1)
    assert db.execute("select count(*) from extractions").fetchone()[0] == 1
