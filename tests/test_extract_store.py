"""The extractor's tables: a document and its extractions are replaced together or not at all."""
import pytest
from sqlite_utils import Database

from banwatch.crawldb import ensure_extract_shape
from pipeline import store

EVENT = {"agency": "NASA", "agency_id": "us-nasa", "tool": "DeepSeek", "tool_id": "deepseek", "action": "ban",
         "stage": "enacted", "date": "2025-01-31", "reasons": ["national_security"], "evidence": "NASA banned it."}


def document(url="https://example.org/a", sha="s1"):
    return {"url": url, "sha256": sha, "title": "t", "text": "NASA banned it.", "published": "2025-01-31",
            "language": "en", "kind": "article"}


@pytest.fixture
def db(tmp_path):
    db = Database(tmp_path / "crawl.db")
    ensure_extract_shape(db)
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


def test_a_document_the_rules_fail_on_is_recorded_as_an_extract_error(tmp_path, monkeypatch):
    from banwatch.db import open_crawl_db
    from crawlers.store import save_response
    from pipeline.extract import Extractor
    from pipeline.run import extract_crawl_db

    crawl = open_crawl_db(tmp_path)
    for name, sentence in (("good", "NASA banned DeepSeek on agency devices."),
                           ("poison", "The Navy banned DeepSeek on work phones.")):
        html = (f"<html><head><title>{name}</title></head><body><article><p>{sentence} "
                f"{'Officials gave security reasons for the decision. ' * 5}</p></article></body></html>")
        save_response(crawl, url=f"https://example.org/{name}", status=200, kind="article",
                      headers={"content-type": "text/html; charset=utf-8"}, body=html.encode())
    original = Extractor.events_of

    def fragile(self, sdoc, doc):
        if "Navy" in doc["text"]:
            raise RuntimeError("rule blew up")
        return original(self, sdoc, doc)

    monkeypatch.setattr(Extractor, "events_of", fragile)
    stats = extract_crawl_db(tmp_path, workers=1)
    db = Database(tmp_path / "crawl.db")
    errors = list(db.query("select url, error from extract_errors"))
    assert errors == [{"url": "https://example.org/poison", "error": "RuntimeError: rule blew up"}]
    assert stats["errors"] == 1
    good = db["documents"].get("https://example.org/good")
    assert good["n_events"] == 1
