"""crawlers/archive.py: WARC writing, the archive index, the replay server, the demo archive builder."""
import http.client
import urllib.error
import urllib.request

import pytest
import yaml
from warcio.archiveiterator import ArchiveIterator

from banwatch.errors import BanwatchError
from crawlers.archive import (
    REPLAY_URL_HEADER,
    ArchiveIndex,
    ReplayServer,
    WarcArchive,
    build_archive,
    iter_archive,
)

PAGE = "<html><head><title>Taiwan</title></head><body><p>Taiwan's digital ministry told agencies to stop using DeepSeek.</p></body></html>".encode()


def write_archive(path):
    archive = WarcArchive(path, info={"software": "banwatch tests"})
    archive.write_response("https://example.gov/flaky", 500, [("Content-Type", "text/plain")], b"try later",
                           request=("GET", [("Host", "example.gov")]))
    archive.write_response("https://example.gov/flaky", 200, [("Content-Type", "text/html"), ("ETag", '"e1"'),
                                                               ("Transfer-Encoding", "chunked")], PAGE,
                           request=("GET", [("Host", "example.gov")]))
    archive.write_response("https://example.gov/cut", 200, [("Content-Type", "text/html"), ("Content-Length", "500")],
                           PAGE[:50])
    archive.close()
    return path


def test_warc_records_read_back_with_warcio(tmp_path):
    path = write_archive(tmp_path / "a.warc.gz")
    with open(path, "rb") as fh:
        types = [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI")) for r in ArchiveIterator(fh)]
    assert types[0][0] == "warcinfo"
    assert types.count(("request", "https://example.gov/flaky")) == 2
    responses = list(iter_archive(path))
    assert [(r.url, r.status) for r in responses] == [
        ("https://example.gov/flaky", 500), ("https://example.gov/flaky", 200), ("https://example.gov/cut", 200)]
    assert responses[1].body == PAGE
    assert responses[1].header("ETag") == '"e1"'
    assert responses[1].header("Transfer-Encoding") is None  # hop-by-hop headers are not archived


def test_a_second_crawl_appends_to_the_archive(tmp_path):
    path = write_archive(tmp_path / "a.warc.gz")
    archive = WarcArchive(path, info={"software": "banwatch tests"})
    archive.write_response("https://example.gov/new", 200, [], b"new")
    archive.close()
    assert [r.url for r in iter_archive(path)][-1] == "https://example.gov/new"


def test_index_serves_a_urls_records_in_order_then_the_last_again(tmp_path):
    index = ArchiveIndex(write_archive(tmp_path / "a.warc.gz"))
    assert len(index) == 3
    assert [index.next_response("https://example.gov/flaky").status for _ in range(3)] == [500, 200, 200]
    assert index.next_response("https://example.gov/flaky?utm_source=x").body == PAGE  # tracking ignored
    assert index.next_response("https://example.gov/missing") is None


def test_unreadable_archive_is_one_clear_error(tmp_path):
    bad = tmp_path / "bad.warc.gz"
    bad.write_bytes(b"this is not a warc")
    with pytest.raises(BanwatchError, match="cannot read WARC archive"):
        ArchiveIndex(bad)


def fetch(server, url, headers=None):
    request = urllib.request.Request(server.url + "/replay", headers={REPLAY_URL_HEADER: url, **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=10) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def test_replay_server_answers_like_the_archived_server(tmp_path):
    with ReplayServer(write_archive(tmp_path / "a.warc.gz")) as server:
        assert server.url.startswith("http://127.0.0.1:")
        assert fetch(server, "https://example.gov/flaky")[0] == 500
        status, headers, body = fetch(server, "https://example.gov/flaky")
        assert (status, body, headers["ETag"]) == (200, PAGE, '"e1"')
        assert headers["Content-Length"] == str(len(PAGE))
        assert fetch(server, "https://example.gov/flaky", {"If-None-Match": '"e1"'})[0] == 304
        status, _, body = fetch(server, "https://example.gov/elsewhere")
        assert status == 404 and b"not in the archive" in body
        with pytest.raises(http.client.IncompleteRead):  # the archived transfer was cut: so is the replay
            fetch(server, "https://example.gov/cut")


def write_manifest(tmp_path, records):
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "taiwan.html").write_bytes(PAGE)
    (pages / "cp1252.html").write_bytes("<p>Garante: 15 milioni \u20ac \u201cmulta\u201d</p>".encode("cp1252"))
    manifest = tmp_path / "manifest.yml"
    manifest.write_text(yaml.safe_dump(records))
    return manifest


RECORDS = [
    {"file": "pages/taiwan.html", "url": "https://www.example.tw/news/deepseek", "content_type": "text/html; charset=utf-8",
     "headers": {"Last-Modified": "Fri, 31 Jan 2025 10:00:00 GMT"}, "kind": "article", "published": "2025-01-31"},
    {"file": "pages/cp1252.html", "url": "https://www.example.it/multa", "content_type": "text/html; charset=windows-1252",
     "kind": "article", "published": None},
    {"url": "https://www.example.tw/old-link", "redirect_to": "https://www.example.tw/news/deepseek", "kind": "article"},
    {"file": "pages/taiwan.html", "url": "https://www.example.tw/cut", "content_type": "text/html",
     "truncate_transfer": True, "kind": "article"},
    {"file": "pages/taiwan.html", "url": "https://www.example.tw/gone", "status": 410, "kind": "article"},
]


def test_build_archive_honours_the_manifest(tmp_path):
    manifest = write_manifest(tmp_path, RECORDS)
    stats = build_archive(tmp_path / "demo.warc.gz", yaml.safe_load(manifest.read_text()), tmp_path, str(manifest))
    assert stats["records"] == 5
    got = {r.url: r for r in iter_archive(tmp_path / "demo.warc.gz")}
    taiwan = got["https://www.example.tw/news/deepseek"]
    assert taiwan.body == PAGE and taiwan.header("Last-Modified") == "Fri, 31 Jan 2025 10:00:00 GMT"
    assert taiwan.header("Content-Type") == "text/html; charset=utf-8"
    assert got["https://www.example.it/multa"].body == "<p>Garante: 15 milioni \u20ac \u201cmulta\u201d</p>".encode("cp1252")
    redirect = got["https://www.example.tw/old-link"]
    assert redirect.status == 301 and redirect.header("Location") == "https://www.example.tw/news/deepseek"
    cut = got["https://www.example.tw/cut"]
    assert cut.header("Content-Length") == str(len(PAGE)) and cut.body == PAGE[: len(PAGE) // 2]
    assert got["https://www.example.tw/gone"].status == 410
    # Deterministic: the same manifest gives the same archive, byte for byte.
    build_archive(tmp_path / "again.warc.gz", yaml.safe_load(manifest.read_text()), tmp_path, str(manifest))
    assert (tmp_path / "again.warc.gz").read_bytes() == (tmp_path / "demo.warc.gz").read_bytes()


@pytest.mark.parametrize("record, message", [
    ({"file": "pages/missing.html", "url": "https://x.example/"}, "file not found"),
    ({"file": "pages/taiwan.html", "url": "not a url"}, "'url' must be an http(s) URL"),
    ({"url": "https://x.example/"}, "needs a 'file'"),
])
def test_bad_manifest_records_are_named(tmp_path, record, message):
    manifest = write_manifest(tmp_path, [RECORDS[0], record])
    with pytest.raises(BanwatchError, match="record #2") as excinfo:
        build_archive(tmp_path / "demo.warc.gz", yaml.safe_load(manifest.read_text()), tmp_path, str(manifest))
    assert message in str(excinfo.value)
    assert not (tmp_path / "demo.warc.gz").exists()  # nothing half-written
