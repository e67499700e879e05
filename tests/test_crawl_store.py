"""crawlers/store.py on an in-memory Database: schema, the writers, the readers."""
import hashlib
import json
import zlib

import pytest
from sqlite_utils import Database

from banwatch import crawldb
from banwatch import db as bwdb
from crawlers import store

HTML = b"<html><head><title>NASA</title></head><body><p>NASA staff told not to use DeepSeek.</p></body></html>"


@pytest.fixture
def db():
    database = Database(memory=True)
    crawldb.ensure_crawl_db_shape(database)
    return database


def test_shape_is_the_contract_and_idempotent(db):
    crawldb.ensure_crawl_db_shape(db)  # a second time changes nothing
    assert set(db.table_names()) >= {"bodies", "responses", "pages", "failures", "crawl_runs"}
    assert set(db["pages"].columns_dict) == {
        "url", "final_url", "status", "content_type", "charset", "sha256", "size", "etag", "last_modified",
        "source", "kind", "first_fetched", "fetched_at", "changed_at", "fetch_count", "meta",
    }
    assert set(db["responses"].columns_dict) == {
        "id", "url", "final_url", "canonical_url", "status", "headers", "fetched_at", "sha256", "source", "worker",
    }
    assert set(db["failures"].columns_dict) == {"id", "url", "source", "reason", "status", "detail", "at", "worker",
                                                "meta"}
    assert set(db["bodies"].columns_dict) == {"sha256", "body", "size"}
    assert set(db["crawl_runs"].columns_dict) == {"id", "started_at", "finished_at", "args", "stats", "status"}
    assert db["pages"].pks == ["url"]


def test_open_crawl_db_uses_wal(tmp_path):
    database = bwdb.open_crawl_db(tmp_path)
    assert database.journal_mode == "wal"
    assert (tmp_path / "crawl.db").exists()


def save(db, body=HTML, status=200, **kwargs):
    fields = dict(url="https://www.example.org/nasa?utm_source=x", final_url="https://www.example.org/nasa",
                  canonical_url="https://www.example.org/nasa", status=status, body=body,
                  headers={"Content-Type": "text/html; charset=UTF-8", "ETag": '"v1"'},
                  source="test", kind="article", fetched_at="2025-02-01T10:00:00Z")
    fields.update(kwargs)
    return store.save_response(db, **fields)


def test_new_page_stores_body_compressed_and_byte_exact(db):
    assert save(db, meta={"title": "NASA", "summary": None}) == "new"
    page = db["pages"].get("https://www.example.org/nasa")
    assert page["sha256"] == hashlib.sha256(HTML).hexdigest()
    assert page["size"] == len(HTML)
    assert page["content_type"] == "text/html" and page["charset"] == "utf-8"
    assert page["etag"] == '"v1"' and page["fetch_count"] == 1
    assert page["first_fetched"] == page["fetched_at"] == page["changed_at"] == "2025-02-01T10:00:00Z"
    assert json.loads(page["meta"]) == {"title": "NASA"}  # empty hints are not stored
    assert zlib.decompress(db["bodies"].get(page["sha256"])["body"]) == HTML
    assert crawldb.page_body(db, "https://www.example.org/nasa") == HTML
    response = next(db["responses"].rows)
    assert response["url"] == "https://www.example.org/nasa?utm_source=x"
    assert json.loads(response["headers"])["ETag"] == '"v1"'


def test_same_body_again_is_unchanged_and_only_moves_fetch_time(db):
    save(db)
    assert save(db, fetched_at="2025-02-02T10:00:00Z", meta={"referrer": "https://feed.example.org/"}) == "unchanged"
    page = db["pages"].get("https://www.example.org/nasa")
    assert page["fetch_count"] == 2
    assert page["fetched_at"] == "2025-02-02T10:00:00Z"
    assert page["changed_at"] == "2025-02-01T10:00:00Z"
    assert json.loads(page["meta"]) == {"referrer": "https://feed.example.org/"}
    assert db["bodies"].count == 1 and db["responses"].count == 2


def test_new_body_is_a_change_and_keeps_first_fetched(db):
    save(db)
    assert save(db, body=HTML + b"<!-- updated -->", fetched_at="2025-02-03T00:00:00Z") == "changed"
    page = db["pages"].get("https://www.example.org/nasa")
    assert page["changed_at"] == "2025-02-03T00:00:00Z"
    assert page["first_fetched"] == "2025-02-01T10:00:00Z"
    assert db["bodies"].count == 2


def test_not_modified_confirms_the_page_without_a_body(db):
    save(db)
    assert save(db, status=304, body=b"ignored", fetched_at="2025-02-04T00:00:00Z") == "not_modified"
    page = db["pages"].get("https://www.example.org/nasa")
    assert page["fetched_at"] == "2025-02-04T00:00:00Z" and page["fetch_count"] == 2
    assert page["sha256"] == hashlib.sha256(HTML).hexdigest()
    last = list(db["responses"].rows)[-1]
    assert last["status"] == 304 and last["sha256"] is None


def test_error_status_with_failure_is_one_response_and_one_failure(db):
    outcome = save(db, status=404, body=b"gone", failure=("http_status", "HTTP 404 Not Found"))
    assert outcome == "error_status"
    assert db["pages"].count == 0
    failure = next(db["failures"].rows)
    assert (failure["reason"], failure["status"], failure["source"]) == ("http_status", 404, "test")


def test_partial_body_becomes_a_flagged_page_only_when_there_is_none(db):
    assert save(db, body=HTML[:40], partial=True, failure=("dataloss", "40 of 96 bytes")) == "partial"
    page = db["pages"].get("https://www.example.org/nasa")
    assert json.loads(page["meta"])["truncated"] is True
    assert crawldb.page_body(db, page["url"]) == HTML[:40]
    assert next(db["failures"].rows)["reason"] == "dataloss"
    # A complete copy replaces it; a later partial one does not replace a complete copy.
    assert save(db) == "changed"
    assert save(db, body=HTML[:10], partial=True) == "partial"
    assert crawldb.page_body(db, page["url"]) == HTML


def test_failure_reasons_are_a_fixed_vocabulary(db):
    store.save_failure(db, url="https://x.example/", reason="robots", detail="forbidden by robots.txt", source="s")
    assert next(db["failures"].rows)["reason"] == "robots"
    with pytest.raises(ValueError, match="unknown failure reason"):
        store.save_failure(db, url="https://x.example/", reason="bad luck")
    assert db["failures"].count == 1


def test_a_failed_write_leaves_nothing_behind(db):
    with pytest.raises(ValueError):
        save(db, failure=("not-a-reason", "x"))
    assert db["responses"].count == 0 and db["bodies"].count == 0 and db["pages"].count == 0


def test_find_page_by_canonical_or_by_a_url_that_led_to_it(db):
    save(db)
    assert store.find_page(db, "https://www.example.org/nasa")["etag"] == '"v1"'
    assert store.find_page(db, "https://www.example.org/nasa?utm_source=x")["url"] == "https://www.example.org/nasa"
    assert store.find_page(db, "https://www.example.org/other") is None
    assert store.conditional_headers(store.find_page(db, "https://www.example.org/nasa")) == {"If-None-Match": '"v1"'}


def test_iter_pages_by_kind_with_decoded_meta_and_body(db):
    save(db, meta={"title": "NASA"})
    save(db, url="https://feed.example.org/rss", final_url=None, canonical_url=None, kind="feed", body=b"<rss/>")
    pages = list(crawldb.iter_pages(db, kinds=("article",)))
    assert [p["url"] for p in pages] == ["https://www.example.org/nasa"]
    assert pages[0]["meta"] == {"title": "NASA"} and pages[0]["body"] == HTML
    assert [p["kind"] for p in crawldb.iter_pages(db, kinds=("feed",), with_body=False)] == ["feed"]


def test_declared_charset_comes_from_header_then_body():
    assert store.content_type_and_charset({"Content-Type": "text/html; charset=windows-1252"}) == ("text/html", "windows-1252")
    body = b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1"></head>'
    assert store.content_type_and_charset({"content-type": "text/html"}, body) == ("text/html", "iso-8859-1")
    assert store.content_type_and_charset({}, b"<?xml version='1.0' encoding='utf-8'?><rss/>") == (None, "utf-8")
    assert store.content_type_and_charset({"Content-Type": "application/pdf"}, b"%PDF-1.4") == ("application/pdf", None)


def test_runs_are_recorded_and_dead_ones_marked_interrupted(db):
    finished = store.start_run(db, {"sources": ["a"]})
    store.finish_run(db, finished, "finished", {"responses": 3})
    dead = store.start_run(db, {"sources": ["b"]})
    assert store.mark_dead_runs_interrupted(db) == 1
    rows = {r["id"]: r for r in db["crawl_runs"].rows}
    assert rows[finished]["status"] == "finished" and json.loads(rows[finished]["stats"]) == {"responses": 3}
    assert rows[dead]["status"] == "interrupted"
    assert "process ended" in json.loads(rows[dead]["stats"])["note"]
