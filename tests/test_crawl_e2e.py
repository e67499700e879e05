"""Real crawls: `banwatch crawl` in a subprocess against a local site the test starts on 127.0.0.1.

Each test checks the crawl on the wire (what the site saw) and in crawl.db (what was stored).
"""
import gzip
import json
import os
import signal
import subprocess
import time

import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.support.cli import run_banwatch, start_banwatch
from tests.support.crawl import (
    REPO,
    LocalSite,
    Reply,
    article_html,
    crawl_db,
    write_sources,
)

pytestmark = pytest.mark.slow

TEXAS = article_html("Texas keeps DeepSeek off state phones", [
    "Governor Greg Abbott ordered state agencies on Friday to add DeepSeek to the prohibited technologies list.",
    "The order, issued on January 31, 2025, also covers RedNote and Lemon8.",
])
NAVY = article_html("Navy tells sailors not to use DeepSeek", [
    "An email sent to sailors on January 24, 2025 said the app must not be used in any capacity.",
])
LATIN_1252 = ("<html><head><meta charset=\"windows-1252\"><title>Garante</title></head><body>"
              "<p>Il Garante ha inflitto a OpenAI una sanzione da 15 milioni di \u20ac \u2013 \u201cChatGPT\u201d "
              "\u00e8 tenuta a una campagna informativa.</p></body></html>").encode("cp1252")


def rss(base, entries):
    items = "".join(
        f"<item><title>{title}</title><link>{base}{path}</link>"
        f"<pubDate>Fri, 31 Jan 2025 18:00:00 -0600</pubDate><description>{summary}</description></item>"
        for title, path, summary in entries
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode()


def sitemap(base, paths):
    urls = "".join(f"<url><loc>{base}{p}</loc><lastmod>2025-02-01</lastmod></url>" for p in paths)
    return f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode()


def pages(data_dir):
    return {row["url"]: row for row in crawl_db(data_dir).query("select * from pages")}


def failures(data_dir):
    return {row["url"]: row for row in crawl_db(data_dir).query("select * from failures")}


def first_then(first, then):
    return lambda hit, n: first if n == 1 else then


# -- one crawl of a site full of awkward pages ------------------------------------------------------


@pytest.fixture(scope="module")
def site_crawl(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("site")
    site = LocalSite()
    with site:
        base = site.base
        site.routes.update({
            "/feed.xml": Reply(rss(base, [("Texas story", "/story?utm_source=feed&utm_medium=rss", "s")]),
                               content_type="application/rss+xml"),
            "/sitemap.xml": Reply(sitemap(base, ["/story", "/amp/story"]), content_type="application/xml"),
            "/story": Reply(TEXAS.encode()),
            "/amp/story": Reply(article_html("Texas (AMP)", ["same story"], canonical=f"{base}/story").encode()),
            "/gzip": Reply(NAVY.encode(), gzip=True),
            "/r1": Reply(status=302, headers={"Location": "/r2"}, content_type=None),
            "/r2": Reply(status=301, headers={"Location": f"{base}/final"}, content_type=None),
            "/final": Reply(article_html("After two redirects", ["arrived"]).encode()),
            "/flaky": first_then(Reply(b"oops", status=500), Reply(article_html("Second try", ["ok"]).encode())),
            "/busy": first_then(Reply(b"slow down", status=429, headers={"Retry-After": "2"}),
                                Reply(article_html("Patience", ["ok"]).encode())),
            "/huge": Reply(b"x" * (11 * 1024 * 1024), content_type="text/plain"),
            "/huge-stream": Reply(b"y" * (11 * 1024 * 1024), content_type="text/plain", chunked=True),
            "/latin": Reply(LATIN_1252, content_type="text/html; charset=windows-1252"),
            "/cut": Reply(TEXAS.encode()[:100], declared_length=len(TEXAS.encode())),
            "/missing": Reply(b"no such page", status=404, content_type="text/plain"),
        })
        sources = write_sources(tmp / "sources.yml", [
            {"name": "site-feed", "kind": "feed", "url": f"{base}/feed.xml"},
            {"name": "site-sitemap", "kind": "sitemap", "url": f"{base}/sitemap.xml"},
            {"name": "site-urls", "kind": "urls", "urls": [f"{base}{p}" for p in (
                "/gzip", "/r1", "/flaky", "/busy", "/huge", "/huge-stream", "/latin", "/cut", "/missing")]},
        ], relevance=False)
        result = run_banwatch("crawl", "--sources", sources, "--no-polite", "--data-dir", tmp / "data")
    return {"site": site, "base": base, "data": tmp / "data", "result": result}


def test_the_crawl_reports_what_it_did(site_crawl):
    out = site_crawl["result"].stdout
    assert out.startswith("crawl: run id 1, status finished")
    run = next(crawl_db(site_crawl["data"])["crawl_runs"].rows)
    stats = json.loads(run["stats"])
    assert run["status"] == "finished" and stats["failure_reasons"] == {
        "dataloss": 1, "http_status": 1, "too_big": 2}


def test_same_article_under_two_urls_is_stored_once(site_crawl):
    base, site = site_crawl["base"], site_crawl["site"]
    stored = pages(site_crawl["data"])
    assert f"{base}/story" in stored and f"{base}/amp/story" not in stored
    assert stored[f"{base}/story"]["fetch_count"] == 2  # /story, and /amp/story naming it canonical
    # The feed's tracking-parameter URL and the sitemap's clean one are one request.
    assert [h.path for h in site.hits if h.path.startswith("/story")] == ["/story"]
    responses = list(crawl_db(site_crawl["data"]).query(
        "select url, canonical_url from responses where canonical_url = ?", [f"{base}/story"]))
    assert {r["url"] for r in responses} == {f"{base}/story", f"{base}/amp/story"}


def test_gzip_is_decoded_and_the_wire_headers_kept(site_crawl):
    page = pages(site_crawl["data"])[f"{site_crawl['base']}/gzip"]
    db = crawl_db(site_crawl["data"])
    from banwatch.crawldb import page_body

    assert page_body(db, page["url"]) == NAVY.encode()
    headers = json.loads(next(db.query("select headers from responses where url = ?", [page["url"]]))["headers"])
    assert headers["Content-Encoding"] == "gzip"
    assert int(headers["Content-Length"]) == len(gzip.compress(NAVY.encode()))


def test_redirect_chain_ends_at_the_final_page(site_crawl):
    base = site_crawl["base"]
    stored = pages(site_crawl["data"])
    assert f"{base}/final" in stored and f"{base}/r1" not in stored
    response = next(crawl_db(site_crawl["data"]).query("select * from responses where url = ?", [f"{base}/r1"]))
    assert response["final_url"] == f"{base}/final" and response["status"] == 200
    assert [h.path for h in site_crawl["site"].hits if h.path in ("/r1", "/r2", "/final")] == ["/r1", "/r2", "/final"]


def test_500_then_success_is_retried_and_stored(site_crawl):
    assert pages(site_crawl["data"])[f"{site_crawl['base']}/flaky"]["status"] == 200
    assert len(site_crawl["site"].hits_of("/flaky")) == 2
    assert f"{site_crawl['base']}/flaky" not in failures(site_crawl["data"])


def test_429_waits_as_long_as_retry_after_says(site_crawl):
    first, second = site_crawl["site"].hits_of("/busy")
    assert second.at - first.at >= 1.9
    assert pages(site_crawl["data"])[f"{site_crawl['base']}/busy"]["status"] == 200


def test_oversized_pages_are_refused_and_recorded(site_crawl):
    base = site_crawl["base"]
    failed = failures(site_crawl["data"])
    assert failed[f"{base}/huge"]["reason"] == "too_big"  # declared too big: refused at the headers
    assert failed[f"{base}/huge-stream"]["reason"] == "too_big"  # no length declared: cut off at the cap
    assert f"{base}/huge" not in pages(site_crawl["data"])


def test_non_utf8_page_is_stored_byte_exact_with_its_charset(site_crawl):
    from banwatch.crawldb import page_body

    page = pages(site_crawl["data"])[f"{site_crawl['base']}/latin"]
    assert page["charset"] == "windows-1252"
    assert page_body(crawl_db(site_crawl["data"]), page["url"]) == LATIN_1252


def test_a_cut_transfer_keeps_its_partial_body_and_a_dataloss_failure(site_crawl):
    url = f"{site_crawl['base']}/cut"
    page = pages(site_crawl["data"])[url]
    assert json.loads(page["meta"])["truncated"] is True and page["size"] == 100
    assert failures(site_crawl["data"])[url]["reason"] == "dataloss"


def test_http_errors_are_responses_and_failures(site_crawl):
    url = f"{site_crawl['base']}/missing"
    failure = failures(site_crawl["data"])[url]
    assert (failure["reason"], failure["status"], failure["source"]) == ("http_status", 404, "site-urls")
    assert url not in pages(site_crawl["data"])


# -- politeness -------------------------------------------------------------------------------------


def test_robots_txt_is_obeyed_recorded_and_stored(tmp_path):
    with LocalSite({
        "/robots.txt": Reply(b"User-agent: *\nDisallow: /private/\n", content_type="text/plain"),
        "/public": Reply(TEXAS.encode()),
        "/private/memo": Reply(b"secret"),
    }) as site:
        sources = write_sources(tmp_path / "s.yml", [
            {"name": "polite", "kind": "urls", "urls": [site.url("/public"), site.url("/private/memo")]}])
        run_banwatch("crawl", "--sources", sources, "--data-dir", tmp_path / "data")  # polite by default
    assert site.hits_of("/private/memo") == []
    assert failures(tmp_path / "data")[site.url("/private/memo")]["reason"] == "robots"
    stored = pages(tmp_path / "data")
    assert stored[site.url("/robots.txt")]["kind"] == "robots" and site.url("/public") in stored
    user_agent = site.hits_of("/public")[0].headers["user-agent"]
    assert user_agent.startswith("banwatch/") and "+https://" in user_agent


# -- incremental ------------------------------------------------------------------------------------


def test_rerun_fetches_only_changed_pages_with_conditional_gets(tmp_path):
    bodies = {"/a1": TEXAS, "/a2": NAVY, "/a3": article_html("Third", ["x"])}

    def article(hit, n, path):
        etag = f'"{hash(bodies[path]) & 0xffffffff:x}"'
        if hit.headers.get("if-none-match") == etag:
            return Reply(status=304, headers={"ETag": etag}, content_type=None)
        return Reply(bodies[path].encode(), headers={"ETag": etag})

    with LocalSite() as site:
        site.routes["/feed.xml"] = Reply(rss(site.base, [("a", p, "") for p in bodies]), content_type="application/rss+xml")
        for path in bodies:
            site.routes[path] = lambda hit, n, path=path: article(hit, n, path)
        stale = write_sources(tmp_path / "stale.yml", [
            {"name": "news", "kind": "feed", "url": site.url("/feed.xml")}], refresh="0s", relevance=False)
        run_banwatch("crawl", "--sources", stale, "--no-polite", "--data-dir", tmp_path / "data")
        first = pages(tmp_path / "data")
        bodies["/a2"] = NAVY.replace("sailors", "service members")
        result = run_banwatch("crawl", "--sources", stale, "--no-polite", "--data-dir", tmp_path / "data")
        second = pages(tmp_path / "data")
        assert all("if-none-match" in h.headers for h in site.hits[-3:] if h.path.startswith("/a"))
        assert "pages changed 1" in result.stdout and "not modified 2" in result.stdout
        assert second[site.url("/a2")]["sha256"] != first[site.url("/a2")]["sha256"]
        assert second[site.url("/a1")]["changed_at"] == first[site.url("/a1")]["changed_at"]
        assert second[site.url("/a1")]["fetch_count"] == 2

        # Within the refresh interval nothing is fetched at all: the feed is re-read from crawl.db.
        hits_before = len(site.hits)
        fresh = write_sources(tmp_path / "fresh.yml", [
            {"name": "news", "kind": "feed", "url": site.url("/feed.xml")}], refresh="1h", relevance=False)
        result = run_banwatch("crawl", "--sources", fresh, "--no-polite", "--data-dir", tmp_path / "data")
        assert len(site.hits) == hits_before
        assert "fresh skipped 3" in result.stdout


# -- kill -9 and resume ------------------------------------------------------------------------------


def test_kill_9_mid_crawl_then_resume_stores_every_page_exactly_once(tmp_path):
    n = 240
    with LocalSite() as site:
        site.routes["/feed.xml"] = Reply(rss(site.base, [(f"p{i}", f"/p/{i}", "") for i in range(n)]),
                                         content_type="application/rss+xml")
        for i in range(n):
            site.routes[f"/p/{i}"] = Reply(article_html(f"Page {i}", [f"body {i}"]).encode(), delay=0.25)
        sources = write_sources(tmp_path / "s.yml", [
            {"name": "many", "kind": "feed", "url": site.url("/feed.xml")}], relevance=False)
        process = start_banwatch("crawl", "--sources", sources, "--no-polite", "--data-dir", tmp_path / "data",
                                 stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        stored = 0
        while time.monotonic() < deadline and stored < 40:
            time.sleep(0.2)
            try:
                stored = crawl_db(tmp_path / "data").execute("select count(*) from pages").fetchone()[0]
            except Exception:  # noqa: BLE001 - the database may not exist yet
                stored = 0
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        assert 40 <= stored < n, "the crawl must be killed midway"
        run_banwatch("crawl", "--sources", sources, "--no-polite", "--data-dir", tmp_path / "data")
    db = crawl_db(tmp_path / "data")
    urls = [r[0] for r in db.execute("select url from pages where kind = 'article'")]
    assert sorted(urls) == sorted(site.url(f"/p/{i}") for i in range(n))
    duplicated = db.execute(
        "select url, count(*) from responses where status = 200 group by url having count(*) > 1").fetchall()
    assert duplicated == []
    runs = [r["status"] for r in db["crawl_runs"].rows]
    assert runs == ["interrupted", "finished"]


def test_sigterm_stops_cleanly_and_the_rerun_resumes(tmp_path):
    n = 120
    with LocalSite() as site:
        site.routes["/feed.xml"] = Reply(rss(site.base, [(f"p{i}", f"/p/{i}", "") for i in range(n)]),
                                         content_type="application/rss+xml")
        for i in range(n):
            site.routes[f"/p/{i}"] = Reply(article_html(f"Page {i}", [f"body {i}"]).encode(), delay=0.3)
        sources = write_sources(tmp_path / "s.yml", [
            {"name": "many", "kind": "feed", "url": site.url("/feed.xml")}], relevance=False)
        process = start_banwatch("crawl", "--sources", sources, "--no-polite", "--data-dir", tmp_path / "data",
                                 stdout=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(site.hits) < 30:
            time.sleep(0.1)
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=60)
        assert process.returncode == 1
        assert "crawl interrupted after" in err and "run the same command again to resume" in err
        db = crawl_db(tmp_path / "data")
        assert next(db["crawl_runs"].rows)["status"] == "interrupted"
        run_banwatch("crawl", "--sources", sources, "--no-polite", "--data-dir", tmp_path / "data")
    urls = [r[0] for r in crawl_db(tmp_path / "data").execute("select url from pages where kind = 'article'")]
    assert sorted(urls) == sorted(site.url(f"/p/{i}") for i in range(n))


# -- ad-hoc feeds ------------------------------------------------------------------------------------


def test_crawl_a_feed_given_on_the_command_line(tmp_path):
    with LocalSite() as site:
        site.routes.update({
            "/feed.xml": Reply(rss(site.base, [
                ("Texas bans DeepSeek on state devices", "/texas", "Governor's order"),
                ("Navy bars DeepSeek", "/navy", "An email to sailors"),
                ("Weekend lane closures on the interstate", "/roads", "Resurfacing work"),
            ]), content_type="application/rss+xml"),
            "/texas": Reply(TEXAS.encode()),
            "/navy": Reply(NAVY.encode()),
            "/roads": Reply(b"<p>roads</p>"),
        })
        result = run_banwatch("crawl", "--feed", site.url("/feed.xml"), "--no-polite", "--allow-private",
                              "--data-dir", tmp_path / "data")
    assert "irrelevant skipped 1" in result.stdout
    stored = pages(tmp_path / "data")
    assert stored[site.url("/feed.xml")]["kind"] == "feed"
    assert {u for u, p in stored.items() if p["kind"] == "article"} == {site.url("/texas"), site.url("/navy")}
    meta = json.loads(stored[site.url("/texas")]["meta"])
    assert meta == {"published": "2025-01-31", "referrer": site.url("/feed.xml"), "summary": "Governor's order",
                    "title": "Texas bans DeepSeek on state devices"}
    assert site.hits_of("/roads") == []
    assert stored[site.url("/texas")]["source"] == f"feed:{site.url('/feed.xml')}"


# -- archive and replay ------------------------------------------------------------------------------


def test_archive_then_replay_reproduces_the_same_pages(tmp_path):
    archive = tmp_path / "crawl.warc.gz"
    with LocalSite() as site:
        site.routes.update({
            "/feed.xml": Reply(rss(site.base, [("t", "/texas", ""), ("n", "/navy", ""), ("r", "/old", "")]),
                               content_type="application/rss+xml"),
            "/texas": Reply(TEXAS.encode(), headers={"ETag": '"t1"'}),
            "/navy": first_then(Reply(b"busy", status=503), Reply(NAVY.encode(), gzip=True)),
            "/old": Reply(status=301, headers={"Location": "/latin"}, content_type=None),
            "/latin": Reply(LATIN_1252, content_type="text/html; charset=windows-1252"),
        })
        sources = write_sources(tmp_path / "s.yml", [
            {"name": "news", "kind": "feed", "url": site.url("/feed.xml")}], relevance=False)
        run_banwatch("crawl", "--sources", sources, "--no-polite", "--archive", archive, "--data-dir", tmp_path / "live")
    # The site is gone: the replay can only come from the archive.
    with open(archive, "rb") as fh:
        records = [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI")) for r in ArchiveIterator(fh)]
    assert ("response", site.url("/old")) in records and ("request", site.url("/texas")) in records
    assert records.count(("response", site.url("/navy"))) == 2  # the 503 and the retry's 200
    result = run_banwatch("crawl", "--sources", sources, "--no-polite", "--replay", archive, "--data-dir", tmp_path / "replay")
    assert "failures 0" in result.stdout
    live = {u: (p["sha256"], p["kind"], p["charset"]) for u, p in pages(tmp_path / "live").items()}
    replayed = {u: (p["sha256"], p["kind"], p["charset"]) for u, p in pages(tmp_path / "replay").items()}
    assert replayed == live and len(live) == 4


# -- bad input -------------------------------------------------------------------------------------


@pytest.mark.parametrize("args, message", [
    (["--source", "no-such-source"], "unknown source 'no-such-source'"),
    (["--redis", "redis://127.0.0.1:1/0"], "cannot reach Redis at"),
    (["--url", "not-a-url"], "not an http(s) URL"),
    (["--only"], "--only needs at least one --feed or --url"),
    (["--url", "http://127.0.0.1:9/x", "--max-pages", "0"], "--max-pages must be at least 1"),
    (["--url", "http://127.0.0.1:9/x", "--since", "2999-01-01"], "--since 2999-01-01 is in the future"),
])
def test_bad_crawl_arguments_are_one_clear_line(tmp_path, args, message):
    result = run_banwatch("crawl", *args, "--data-dir", tmp_path / "data", check=False)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_bad_sources_file_and_bad_archive_are_one_clear_line(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("sources:\n  - {name: x, kind: feed}\n")
    result = run_banwatch("crawl", "--sources", bad, "--data-dir", tmp_path / "data", check=False)
    assert result.returncode != 0 and "a feed source needs a 'url'" in result.stderr
    not_warc = tmp_path / "x.warc.gz"
    not_warc.write_bytes(b"nothing here")
    result = run_banwatch("crawl", "--replay", not_warc, "--url", "https://example.org/", "--data-dir",
                          tmp_path / "data", check=False)
    assert result.returncode != 0 and "cannot read WARC archive" in result.stderr
    assert "Traceback" not in result.stderr


# -- the bundled demo archive ------------------------------------------------------------------------


def test_demo_archive_replays_every_manifest_url_into_crawl_db(tmp_path):

    from banwatch.demo import build_demo_archive, demo_manifest
    from crawlers.urls import strip_tracking

    archive = tmp_path / "demo.warc.gz"
    records = demo_manifest()
    assert build_demo_archive(archive)["records"] == len(records)
    demo_sources = REPO / "banwatch" / "demo" / "sources.yml"
    result = run_banwatch("crawl", "--replay", archive, "--sources", demo_sources, "--data-dir", tmp_path / "data")
    db = crawl_db(tmp_path / "data")
    stored, failed = pages(tmp_path / "data"), failures(tmp_path / "data")
    requested = {r["url"] for r in db.query("select url from responses")}
    for record in records:
        url, cases = strip_tracking(record["url"]), set(record.get("hard_cases") or [])
        if cases & {"irrelevant", "before_since"}:
            assert url not in requested, f"{url} should have been skipped at crawl time"
        elif record.get("redirect_to"):
            final = next(db.query("select final_url from responses where url = ?", [url]))["final_url"]
            assert final == record["redirect_to"] and strip_tracking(final) in stored
        else:
            assert url in stored or url in failed, f"{url} is neither a page nor a recorded failure"
        if record.get("status", 200) >= 400:
            assert failed[url]["reason"] == "http_status" and failed[url]["status"] == record["status"]
        if record.get("truncate_transfer"):
            assert failed[url]["reason"] == "dataloss" and json.loads(stored[url]["meta"])["truncated"]
        if "non_utf8" in cases:
            assert stored[url]["charset"] not in (None, "utf-8")
        if record.get("kind") == "pdf":
            assert stored[url]["kind"] == "pdf"
    # Replaying again changes nothing: every page is fresh, every listing is re-read from crawl.db.
    again = run_banwatch("crawl", "--replay", archive, "--sources", demo_sources, "--data-dir", tmp_path / "data")
    assert "pages new 0" in again.stdout and "pages changed 0" in again.stdout
    assert pages(tmp_path / "data").keys() == stored.keys()
    assert "status finished" in result.stdout


NASA_PAGE = article_html("NASA blocks DeepSeek on agency devices", [
    "WASHINGTON, Jan. 31, 2025 - NASA has barred its employees from using DeepSeek, the Chinese "
    "artificial intelligence chatbot, on government-issued devices and agency networks.",
    "In a memo sent to staff on Friday, the space agency's chief artificial intelligence officer said the "
    "app raised national security and privacy concerns because its servers are in China.",
    "The restriction took effect immediately, the memo said.",
])


def test_a_local_feed_becomes_events_in_kb_db(tmp_path):
    """`banwatch crawl --feed URL`, then `extract` and `build`, as a new user would."""
    import sqlite_utils

    with LocalSite() as site:
        site.routes.update({
            "/feed.xml": Reply(rss(site.base, [
                ("NASA blocks DeepSeek on agency devices", "/nasa-deepseek?utm_source=rss", "A memo to staff"),
                ("Road work closes two lanes this weekend", "/roads", "Resurfacing"),
            ]), content_type="application/rss+xml"),
            "/nasa-deepseek": Reply(NASA_PAGE.encode()),
            "/roads": Reply(b"<p>roads</p>"),
        })
        data = tmp_path / "data"
        run_banwatch("crawl", "--feed", site.url("/feed.xml"), "--no-polite", "--allow-private", "--data-dir", data)
    run_banwatch("extract", "--data-dir", data)
    run_banwatch("build", "--data-dir", data)
    kb = sqlite_utils.Database(data / "kb.db")
    events = [e for e in kb.query("select * from timeline") if site.url("/nasa-deepseek") in json.loads(e["sources"])]
    assert any(e["tool_id"] == "deepseek" and e["action"] == "ban" and "nasa" in (e["agency_id"] or "")
               for e in events), events


def test_max_pages_stops_early_and_the_next_run_finishes(tmp_path):
    n = 100
    with LocalSite() as site:
        site.routes["/feed.xml"] = Reply(rss(site.base, [(f"p{i}", f"/p/{i}", "") for i in range(n)]),
                                         content_type="application/rss+xml")
        for i in range(n):
            site.routes[f"/p/{i}"] = Reply(article_html(f"Page {i}", [f"body {i}"]).encode(), delay=0.1)
        sources = write_sources(tmp_path / "s.yml", [
            {"name": "many", "kind": "feed", "url": site.url("/feed.xml")}], relevance=False)
        first = run_banwatch("crawl", "--sources", sources, "--no-polite", "--max-pages", 5, "--data-dir", tmp_path / "data")
        stored_first = len(pages(tmp_path / "data"))
        second = run_banwatch("crawl", "--sources", sources, "--no-polite", "--data-dir", tmp_path / "data")
    assert "status interrupted" in first.stdout and "stop reason max_pages" in first.stdout
    # About five: the requests already in flight (32 at a time here) are stored, not dropped.
    assert 5 <= stored_first < n // 2
    assert "status finished" in second.stdout
    assert len(pages(tmp_path / "data")) == n + 1
    duplicated = crawl_db(tmp_path / "data").execute(
        "select url from responses where status = 200 group by url having count(*) > 1").fetchall()
    assert duplicated == []
