"""Issue 15, finding 1: a remote listing must not make the crawler read local files, other schemes, or
hosts on the crawling machine's network. Real crawls in a subprocess against local sites; the guard's
pieces on their own."""
import base64
import json
import zlib

import pytest
import scrapy
import sqlite_utils
from scrapy.core.downloader.handlers import DownloadHandlers
from scrapy.utils.test import get_crawler

from banwatch.crawldb import (
    crawl_db_problems,
    ensure_crawl_db_shape,
    ensure_extract_shape,
)
from crawlers.safety import (
    RefusedRequest,
    UrlGuardMiddleware,
    address_kind,
    origin_allowed,
)
from crawlers.settings import crawl_settings
from crawlers.sources import load_sources
from tests.support.cli import run_banwatch
from tests.support.crawl import LocalSite, Reply, article_html, crawl_db, write_sources

SECRET = "banwatch-test-secret-7f3a"
STORY = article_html("Ministry blocks DeepSeek on staff phones", [
    "The ministry told staff on February 6, 2025 that DeepSeek is blocked on work phones."]).encode()


def sitemap_index(locs):
    items = "".join(f"<sitemap><loc>{loc}</loc></sitemap>" for loc in locs)
    return f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{items}</sitemapindex>'


def urlset(locs):
    items = "".join(f"<url><loc>{loc}</loc></url>" for loc in locs)
    return f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{items}</urlset>'


@pytest.fixture(scope="module")
def hostile_crawl(tmp_path_factory):
    """One crawl of sources whose listings point everywhere but the web: local files (a secret, and
    /dev/zero), ftp:, data:, and a second local server standing for the crawling machine's network."""
    tmp = tmp_path_factory.mktemp("hostile")
    secret = tmp / "secret.txt"
    secret.write_text(SECRET)
    internal = LocalSite({"/admin.xml": Reply(urlset(["http://example.org/x"]).encode(), content_type="application/xml"),
                          "/robots.txt": Reply(b"User-agent: *\nAllow: /\n", content_type="text/plain"),
                          "/story": Reply(STORY)})
    site = LocalSite()
    with internal, site:
        data_uri = "data:text/xml;base64," + base64.b64encode(urlset(["http://example.org/y"]).encode()).decode()
        site.routes.update({
            "/index.xml": Reply(sitemap_index([
                f"file://{secret}", "file:///dev/zero", f"ftp://127.0.0.1:{internal.httpd.server_address[1]}/admin.xml",
                data_uri, internal.url("/admin.xml"), f"http://localhost:{internal.httpd.server_address[1]}/admin.xml",
                site.url("/child.xml"),
            ]).encode(), content_type="application/xml"),
            "/child.xml": Reply(urlset([site.url("/story"), internal.url("/story"), f"file://{secret}"]).encode(),
                                content_type="application/xml"),
            "/story": Reply(STORY),
            "/api/documents.json": Reply(json.dumps({"results": [], "next_page_url": f"file://{secret}"}).encode(),
                                         content_type="application/json"),
            "/feed.atom": Reply(f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
                                f'<entry><title>DeepSeek banned</title><link href="file://{secret}"/></entry>'
                                f'<entry><title>DeepSeek blocked</title><link href="{internal.url("/story")}"/></entry>'
                                f'</feed>'.encode(), content_type="application/atom+xml"),
            "/moved": Reply(status=302, headers={"Location": internal.url("/story")}, content_type=None),
        })
        sources = write_sources(tmp / "sources.yml", [
            {"name": "index", "kind": "sitemap", "url": site.url("/index.xml")},
            {"name": "register", "kind": "federal_register", "url": site.url("/api/documents.json")},
            {"name": "atom", "kind": "feed", "url": site.url("/feed.atom")},
            {"name": "moved", "kind": "urls", "urls": [site.url("/moved")]},
        ], relevance=False)
        result = run_banwatch("crawl", "--sources", sources, "--no-polite", "--archive", tmp / "crawl.warc.gz",
                              "--data-dir", tmp / "data", timeout=120)
    return {"tmp": tmp, "site": site, "internal": internal, "result": result, "secret": secret}


def test_nothing_outside_the_web_is_read_or_stored(hostile_crawl):
    db = crawl_db(hostile_crawl["tmp"] / "data")
    bodies = b"".join(zlib.decompress(row[0]) for row in db.execute("select body from bodies").fetchall())
    assert SECRET.encode() not in bodies
    assert SECRET.encode() not in (hostile_crawl["tmp"] / "crawl.warc.gz").read_bytes()  # nor archived
    assert SECRET not in "".join(r[0] or "" for r in db.execute("select meta from pages"))
    assert all(url.startswith("http") for (url,) in db.execute("select url from responses"))
    # the crawl finished quickly: /dev/zero was never opened
    assert "status finished" in hostile_crawl["result"].stdout


def test_the_machines_own_network_is_not_reached(hostile_crawl):
    assert hostile_crawl["internal"].hits == []  # not by IP, by name (localhost), nor by a redirect


def test_every_refusal_is_recorded_with_its_reason(hostile_crawl):
    db = crawl_db(hostile_crawl["tmp"] / "data")
    refused = {row["url"]: row for row in db.query("select * from failures where reason = 'refused'")}
    internal = hostile_crawl["internal"].base
    port = hostile_crawl["internal"].httpd.server_address[1]
    secret = f"file://{hostile_crawl['secret']}"
    assert secret in refused and "not an http(s) URL (file:)" in refused[secret]["detail"]
    assert "file:///dev/zero" in refused
    assert f"ftp://127.0.0.1:{port}/admin.xml" in refused
    assert any(url.startswith("data:text/xml") for url in refused)
    assert "127.0.0.1 is a loopback address" in refused[f"{internal}/admin.xml"]["detail"]
    assert "resolves to 127.0.0.1" in refused[f"http://localhost:{port}/admin.xml"]["detail"]
    assert refused[f"{internal}/story"]["source"] in ("index", "atom", "moved")
    # the sources' own server was crawled as usual
    pages = {row["url"] for row in db.query("select url from pages")}
    assert hostile_crawl["site"].url("/story") in pages


def test_settings_switch_off_every_handler_but_http():
    for settings in (crawl_settings("d"), crawl_settings("d", replay_server="http://127.0.0.1:1")):
        assert {k: v for k, v in settings["DOWNLOAD_HANDLERS"].items() if v is None} == {
            "file": None, "ftp": None, "data": None, "s3": None}
        crawler = get_crawler(scrapy.Spider, settings)
        handlers = DownloadHandlers(crawler)
        assert [scheme for scheme in ("file", "ftp", "data", "s3") if handlers._get_handler(scheme)] == []


def guard(private=None):
    crawler = get_crawler(scrapy.Spider, {"BANWATCH_PRIVATE_ORIGINS": private or {}})
    return UrlGuardMiddleware.from_crawler(crawler)


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "ftp://example.org/x", "data:text/plain,hi", "s3://bucket/key", "gopher://x/",
    "http://127.0.0.1/", "http://127.1.2.3:6379/", "http://10.0.0.5/", "http://192.168.1.1/", "http://172.16.0.1/",
    "http://169.254.169.254/latest/meta-data/", "http://[::1]/", "http://[fd00::1]/", "http://[::ffff:127.0.0.1]/",
    "http://0.0.0.0/", "http://100.64.0.1/",
])
def test_the_guard_refuses_other_schemes_and_non_public_addresses(url):
    with pytest.raises(RefusedRequest, match="refused"):
        guard().process_request(scrapy.Request(url, meta={"source": "remote"}))


def test_the_guard_lets_a_source_reach_only_the_private_hosts_it_allows():
    mw = guard({"mine": ["127.0.0.1:8080", "intranet.example"]})
    assert mw.process_request(scrapy.Request("http://127.0.0.1:8080/feed", meta={"source": "mine"})) is None
    assert mw.process_request(scrapy.Request("https://www.nasa.gov/x", meta={"source": "remote"})) is None
    with pytest.raises(RefusedRequest):  # another port of the same machine
        mw.process_request(scrapy.Request("http://127.0.0.1:6379/", meta={"source": "mine"}))
    with pytest.raises(RefusedRequest):  # another source
        mw.process_request(scrapy.Request("http://127.0.0.1:8080/feed", meta={"source": "remote"}))
    # robots.txt is asked for on behalf of a request that passed
    robots = scrapy.Request("http://127.0.0.1:8080/robots.txt", meta={"dont_obey_robotstxt": True})
    assert mw.process_request(robots) is None
    with pytest.raises(RefusedRequest):
        mw.process_request(scrapy.Request("http://127.0.0.1:9/robots.txt", meta={"dont_obey_robotstxt": True}))


def test_allow_private_in_a_sources_file(tmp_path):
    path = tmp_path / "s.yml"
    path.write_text("""
sources:
  - {name: mine, kind: feed, url: 'http://127.0.0.1:8080/feed.xml', allow_private: true}
  - {name: more, kind: feed, url: 'http://192.168.1.5/feed.xml', allow_private: ['10.0.0.7:8443']}
  - {name: remote, kind: feed, url: 'https://example.org/feed.xml'}
""")
    _, (mine, more, remote) = load_sources(path)
    assert mine.allow_private == ("127.0.0.1:8080",) and remote.allow_private == ()
    assert more.allow_private == ("192.168.1.5:80", "10.0.0.7:8443")
    assert origin_allowed("http://10.0.0.7:8443/x", more.allow_private)
    assert not origin_allowed("http://10.0.0.7:8444/x", more.allow_private)
    settings = crawl_settings("d", sources=[mine, more, remote])
    assert settings["BANWATCH_PRIVATE_ORIGINS"] == {"mine": ["127.0.0.1:8080"], "more": ["192.168.1.5:80", "10.0.0.7:8443"]}


def test_address_kinds():
    assert address_kind("8.8.8.8") is None and address_kind("2606:4700::1111") is None
    assert address_kind("127.0.0.1") == "loopback" and address_kind("10.1.2.3") == "private"
    assert address_kind("169.254.169.254") == "link-local" and address_kind("::ffff:192.168.0.1") == "private"


# -- verify reports what should never have been stored ----------------------------------------------------


def test_verify_reports_documents_outside_the_web_and_access_walls(tmp_path):
    from kb.verify import verify_data

    db = sqlite_utils.Database(tmp_path / "crawl.db")
    ensure_crawl_db_shape(db)
    ensure_extract_shape(db)
    db["pages"].insert({"url": "file:///etc/hostname", "final_url": "file:///etc/hostname", "kind": "other"})
    db["documents"].insert_all([
        {"url": "file:///etc/hostname", "title": "hostname", "text": "vm"},
        {"url": "data:text/html,<p>x</p>", "title": "x", "text": "x"},
        {"url": "https://www.federalregister.gov/documents/2023/06/02/2023-11756/far",
         "title": "Federal Register :: Request Access",
         "text": "Request Access. Programmatic access to this site is limited to its developer APIs. Pass the CAPTCHA."},
        {"url": "https://news.google.com/rss/articles/CBMiXYZ?oc=5", "title": "Google News", "text": "Opening..."},
        {"url": "https://example.org/captcha-story", "title": "Why request access pages annoy researchers",
         "text": "A long story about CAPTCHA walls. " * 400},
    ])
    db.close()
    conn = sqlite_utils.Database(tmp_path / "crawl.db").conn
    problems = crawl_db_problems(conn)
    assert len(problems) == 5, problems
    assert any("page 'file:///etc/hostname'" in p for p in problems)
    assert any("document 'data:text/html" in p and "not an http(s) URL" in p for p in problems)
    assert any("2023-11756" in p and "'Request Access' CAPTCHA page" in p for p in problems)
    assert any("news.google.com" in p and "Google News redirect page" in p for p in problems)
    assert not any("captcha-story" in p for p in problems)  # an article about walls is content
    # and `banwatch verify` says so
    assert any("crawl.db: document 'file:///etc/hostname'" in p for p in verify_data(tmp_path))


def test_a_source_without_allow_private_cannot_reach_its_own_loopback_server(tmp_path):
    with LocalSite({"/feed.xml": Reply(b"<rss/>", content_type="application/rss+xml")}) as site:
        sources = write_sources(tmp_path / "s.yml", [{"name": "f", "kind": "feed", "url": site.url("/feed.xml")}],
                                allow_private=False)
        run_banwatch("crawl", "--sources", sources, "--no-polite", "--data-dir", tmp_path / "data")
    assert site.hits == []
    (row,) = crawl_db(tmp_path / "data").query("select reason, detail from failures")
    assert row["reason"] == "refused" and "loopback" in row["detail"]



def test_sources_check_refuses_redirects_to_hosts_the_source_may_not_reach():
    from crawlers.check import Fetcher, Refused

    with LocalSite({"/admin": Reply(b"internal")}) as internal, LocalSite() as site:
        site.routes["/feed.xml"] = Reply(status=302, headers={"Location": internal.url("/admin")}, content_type=None)
        fetcher = Fetcher(delay=0)
        try:
            with pytest.raises(Refused, match="127.0.0.1 is a loopback address"):
                fetcher.get(site.url("/feed.xml"), allow_private=[site.base.split("://")[1]])
            with pytest.raises(Refused, match="not an http"):
                fetcher.get("file:///etc/passwd")
        finally:
            fetcher.close()
    assert internal.hits == []
