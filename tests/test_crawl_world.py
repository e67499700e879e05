"""Issue 14: the sources against local stand-ins for the real services, answering as the fixtures in
tests/crawl_fixtures/ model them (robots.txt rules, Bing's and Google's RSS, GDELT's rate limits and
bad escapes, the Federal Register's CAPTCHA page). Every source kind must yield pages or a clear
recorded reason, never a stored error page; `banwatch sources check` must tell the truth about each."""
import datetime
import json
import zlib
from urllib.parse import quote

import pytest

from tests.support.cli import run_banwatch
from tests.support.crawl import (
    FIXTURES,
    LocalSite,
    Reply,
    answer,
    article_html,
    crawl_db,
    fixture_text,
    make_pdf,
    robots,
    write_sources,
)

pytestmark = pytest.mark.slow

KXXV = "/news/texas-news/gov-abbott-bans-the-use-of-ai-apps-affiliated-with-chinese-government-on-texas-state-issued-devices"
NAVY = "/2025/01/28/navy-deepseek-email"
AU = "/2025/02/04/home-affairs-deepseek-directive"
TW = "/2025/01/31/moda-deepseek-public-sector"
GDELT_API = "/api/v2/doc/doc"
FR_API = "/api/v1/documents.json"
NOTICE_PAGE = "/documents/2025/02/10/FIXTURE-0002/notice-on-generative-ai-tools"
RELEASE = "/newsroom/media-releases/regulator-restricts-deepseek-on-agency-phones"


def page(title, *paragraphs):
    return Reply(article_html(title, list(paragraphs)).encode())


def rss(items):
    entries = "".join(f"<item><title>{t}</title><link>{link}</link><pubDate>{d}</pubDate></item>" for t, link, d in items)
    return Reply(f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{entries}</channel></rss>'.encode(),
                 content_type="application/rss+xml")


@pytest.fixture(scope="module")
def world():
    """Local stand-ins for Bing, Google News, GDELT, the Federal Register, govinfo, publishers and
    newsrooms, each on its own port (so each has its own robots.txt)."""
    names = ("bing", "google", "gdelt", "fr", "govinfo", "publisher", "newsroom", "closed", "walled")
    sites = {name: LocalSite() for name in names}
    for site in sites.values():
        site.__enter__()
    s = {name: site for name, site in sites.items()}
    pub = s["publisher"]

    def gdelt(hit, n):
        if "query=broken" in hit.path:
            return answer("gdelt_query_error")
        if "query=check" in hit.path:
            return Reply(fixture_text("gdelt_bad_escape.json", **{"https://www.example-news.com.au": pub.base,
                                                                  "https://www.example-taiwan.tw": pub.base}),
                         content_type="application/json; charset=utf-8")
        first = sum(1 for h in s["gdelt"].hits if h.path.startswith(GDELT_API) and "query=DeepSeek" in h.path)
        if first == 1:
            return answer("gdelt_rate_limit_429")
        if first == 2:
            return answer("gdelt_rate_limit_200")
        return Reply(fixture_text("gdelt_bad_escape.json", **{"https://www.example-news.com.au": pub.base,
                                                              "https://www.example-taiwan.tw": pub.base}),
                     content_type="application/json; charset=utf-8")

    def fr_api(hit, n):
        if "&page=2" in hit.path:
            return Reply(b'{"count": 3, "results": []}', content_type="application/json")
        return Reply(fixture_text("federal_register_documents.json", **{"https://www.federalregister.gov": s["fr"].base,
                                                                       "https://www.govinfo.gov": s["govinfo"].base}),
                     content_type="application/json; charset=utf-8")

    today = datetime.date.today()
    s["bing"].routes.update({
        "/robots.txt": robots("www.bing.com.txt"),
        "/news/search": Reply(fixture_text("bing_news.rss", **{
            "https%3a%2f%2fwww.kxxv.com": quote(pub.base, safe=""), "https%3a%2f%2fnews.example.com": quote(pub.base, safe=""),
            "https%3a%2f%2fpaper.example.com": quote(pub.base, safe="")}), content_type="application/rss+xml; charset=utf-8"),
    })
    s["google"].routes.update({
        "/robots.txt": robots("news.google.com.txt"),
        "/rss/search": Reply(fixture_text("google_news.rss"), content_type="application/xml; charset=utf-8"),
    })
    s["gdelt"].routes.update({GDELT_API: gdelt})
    s["fr"].routes.update({
        FR_API: fr_api,
        "/documents/full_text/html/2023/06/02/2023-11756.html": Reply((FIXTURES / "federal_register_body.html").read_bytes()),
        NOTICE_PAGE: answer("federal_register_request_access"),
    })
    s["govinfo"].routes.update({
        "/content/pkg/FR-2025-02-10/pdf/FIXTURE-0002.pdf": Reply(make_pdf([
            "Notice on generative AI tools in agency systems.",
            "Agencies must not use DeepSeek on government devices."]), content_type="application/pdf"),
    })
    pub.routes.update({
        "/robots.txt": Reply(b"User-agent: *\nDisallow:\n", content_type="text/plain"),
        KXXV: page("Texas keeps DeepSeek off state phones", "Governor Abbott ordered agencies on January 31, 2025 to "
                   "add DeepSeek to the prohibited technologies list."),
        NAVY: page("Navy bars DeepSeek", "The Navy told sailors on January 24, 2025 not to use DeepSeek."),
        AU: page("Australia removes DeepSeek from government devices", "Home Affairs issued the direction on "
                 "February 4, 2025."),
        TW: page("Taiwan bars DeepSeek in the public sector", "Taiwan's digital ministry said on January 31, 2025 that "
                 "agencies must not use DeepSeek."),
    })
    s["newsroom"].routes.update({
        "/newsroom/media-releases": Reply(
            f'<html><body><a href="{RELEASE}">Regulator restricts DeepSeek on agency phones</a>'
            f'<a href="/newsroom/media-releases/annual-report">Annual report published</a></body></html>'.encode()),
        RELEASE: page("Regulator restricts DeepSeek on agency phones", "The regulator restricted DeepSeek on "
                      f"agency phones on {today.isoformat()}."),
        "/feed.xml": rss([("Regulator restricts DeepSeek on agency phones", s["newsroom"].url(RELEASE),
                           today.strftime("%a, %d %b %Y 09:00:00 GMT"))]),
    })
    s["closed"].routes.update({
        "/robots.txt": robots("disallow-all.txt"),
        "/feed.xml": rss([("DeepSeek banned", s["closed"].url("/a"), "Fri, 31 Jan 2025 09:00:00 GMT")]),
    })
    s["walled"].routes.update({"/feed.xml": answer("cloudflare_challenge")})
    yield s
    for site in sites.values():
        site.__exit__(None, None, None)


def origins(*sites):
    return [site.base.split("://", 1)[1] for site in sites]


def world_sources(w):
    gdelt_url = (w["gdelt"].url(GDELT_API) + "?query=DeepSeek&mode=ArtList&format=json&maxrecords=250&sort=DateDesc"
                 "&startdatetime=20250101000000&enddatetime=20250301000000")
    fr_url = w["fr"].url(FR_API) + "?conditions%5Bterm%5D=covered+application&fields%5B%5D=title&per_page=2"
    return [
        {"name": "bing-news", "kind": "news_search", "url": w["bing"].url("/news/search?q=DeepSeek+ban&format=rss"),
         "allow_private": origins(w["publisher"])},
        {"name": "gdelt", "kind": "gdelt", "url": gdelt_url, "relevance": False, "allow_private": origins(w["publisher"])},
        {"name": "federal-register", "kind": "federal_register", "url": fr_url, "relevance": False,
         "allow_private": origins(w["govinfo"])},
        {"name": "newsroom", "kind": "page", "url": w["newsroom"].url("/newsroom/media-releases")},
    ]


@pytest.fixture(scope="module")
def world_crawl(world, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("world")
    sources = write_sources(tmp / "world.yml", world_sources(world))
    result = run_banwatch("crawl", "--sources", sources, "--no-polite", "--data-dir", tmp / "data", timeout=240)
    return {"data": tmp / "data", "result": result}


def rows(data, sql, params=()):
    return list(crawl_db(data).query(sql, params))


def test_bing_results_are_fetched_from_the_publishers_directly(world, world_crawl):
    assert [h.path for h in world["bing"].hits] == ["/news/search?q=DeepSeek+ban&format=rss"]  # no apiclick.aspx
    pages = {r["url"]: r for r in rows(world_crawl["data"], "select * from pages where source = 'bing-news'")}
    kxxv = pages[world["publisher"].url(KXXV)]
    assert kxxv["kind"] == "article"
    hints = json.loads(kxxv["meta"])
    assert hints["publisher"] == "KXXV" and hints["published"] == "2025-02-01" and hints["summary"]
    assert world["publisher"].url(NAVY) in pages
    assert not world["publisher"].hits_of("/bike-lanes")  # irrelevant, skipped


def test_gdelt_waits_five_seconds_retries_rate_limits_and_skips_the_bad_record(world, world_crawl):
    hits = [h for h in world["gdelt"].hits if h.path.startswith(GDELT_API) and "query=DeepSeek" in h.path]
    assert len(hits) == 3  # 429, then the 200 rate-limit text, then the answer
    assert all(b.at - a.at >= 4.9 for a, b in zip(hits, hits[1:])), [b.at - a.at for a, b in zip(hits, hits[1:])]
    data = world_crawl["data"]
    listings = rows(data, "select * from pages where source = 'gdelt' and kind = 'api'")
    assert len(listings) == 1  # only the real answer is a listing: never a rate-limit notice
    statuses = [r["status"] for r in rows(data, "select status from responses where source = 'gdelt' and url like ? "
                                                "order by id", [world["gdelt"].base + "%"])]
    assert statuses == [200]  # the answers asked again (429, the 200 notice) were retried, not stored
    articles = {r["url"] for r in rows(data, "select url from pages where source = 'gdelt' and kind = 'article'")}
    assert articles == {world["publisher"].url(AU), world["publisher"].url(TW)}  # the badly escaped record skipped
    run = json.loads(rows(data, "select stats from crawl_runs")[0]["stats"])
    gdelt = next(spider["stats"] for spider in run["spiders"] if spider["kind"] == "gdelt")
    assert gdelt["banwatch/gdelt_bad_records"] == 1 and gdelt["banwatch/listing_retries"] == 1


def test_federal_register_documents_are_full_texts_and_walls_are_failures(world, world_crawl):
    data = world_crawl["data"]
    api_hit = next(h for h in world["fr"].hits if h.path.startswith(FR_API))
    assert "fields%5B%5D=title" in api_hit.path
    pages = {r["url"]: r for r in rows(data, "select * from pages where source = 'federal-register'")}
    body_url = world["fr"].url("/documents/full_text/html/2023/06/02/2023-11756.html")
    pdf_url = world["govinfo"].url("/content/pkg/FR-2025-02-10/pdf/FIXTURE-0002.pdf")
    assert pages[body_url]["kind"] == "article" and pages[pdf_url]["kind"] == "pdf"
    assert world["fr"].url(NOTICE_PAGE) not in pages
    (wall,) = rows(data, "select * from failures where url = ?", [world["fr"].url(NOTICE_PAGE)])
    assert wall["reason"] == "blocked" and "'Request Access' CAPTCHA page" in wall["detail"] and wall["status"] == 200
    assert json.loads(wall["meta"])["title"] == "Notice on generative AI tools in agency systems (test fixture)"
    assert json.loads(pages[pdf_url]["meta"])["title"] == "Notice on generative AI tools in agency systems (test fixture)"


def test_no_stored_page_is_an_error_page(world_crawl):
    data = world_crawl["data"]
    for row in rows(data, "select pages.url, bodies.body from pages join bodies using (sha256)"):
        body = zlib.decompress(row["body"])
        assert b"<title>Federal Register :: Request Access" not in body, row["url"]
        assert b"limit requests to one every" not in body, row["url"]
    kinds = {r["source"]: r["n"] for r in rows(data, "select source, count(*) n from pages where kind in "
                                                    "('article', 'pdf') group by source")}
    assert kinds == {"bing-news": 2, "gdelt": 2, "federal-register": 2, "newsroom": 1}


def test_google_news_is_refused_by_its_robots_txt_in_a_polite_crawl(world, tmp_path):
    sources = write_sources(tmp_path / "g.yml", [
        {"name": "google-news", "kind": "news_search", "engine": "google",
         "url": world["google"].url("/rss/search?q=DeepSeek+ban&hl=en-US&gl=US&ceid=US:en")}])
    run_banwatch("crawl", "--sources", sources, "--data-dir", tmp_path / "data")  # polite
    assert [h.path for h in world["google"].hits if h.path != "/robots.txt"] == []
    (failure,) = rows(tmp_path / "data", "select * from failures")
    assert failure["reason"] == "robots" and failure["source"] == "google-news"


def test_sources_check_prints_one_truthful_line_per_source(world, tmp_path):
    w = world
    sources = write_sources(tmp_path / "check.yml", [
        {"name": "bing-news", "kind": "news_search", "url": w["bing"].url("/news/search?q=DeepSeek+ban&format=rss")},
        {"name": "google-news", "kind": "news_search", "engine": "google",
         "url": w["google"].url("/rss/search?q=DeepSeek+ban&hl=en-US&gl=US&ceid=US:en")},
        {"name": "gdelt", "kind": "gdelt", "url": w["gdelt"].url(GDELT_API) + "?query=check&mode=ArtList&format=json"},
        {"name": "gdelt-broken", "kind": "gdelt", "url": w["gdelt"].url(GDELT_API) + "?query=broken&mode=ArtList"},
        {"name": "federal-register", "kind": "federal_register", "relevance": False,
         "url": w["fr"].url(FR_API) + "?conditions%5Bterm%5D=covered+application"},
        {"name": "newsroom-page", "kind": "page", "url": w["newsroom"].url("/newsroom/media-releases")},
        {"name": "newsroom-feed", "kind": "feed", "url": w["newsroom"].url("/feed.xml")},
        {"name": "closed", "kind": "feed", "url": w["closed"].url("/feed.xml")},
        {"name": "walled", "kind": "feed", "url": w["walled"].url("/feed.xml")},
        {"name": "not-allowed", "kind": "feed", "url": w["newsroom"].url("/feed.xml"), "allow_private": False},
    ])
    result = run_banwatch("sources", "check", "--sources", sources, in_process=True, check=False)
    assert result.returncode == 1
    lines = {line.split()[0]: line for line in result.stdout.splitlines()}
    assert len(lines) == 10
    assert "robots allowed  HTTP 200  items 3  relevant 2  newest 2025-02-02" in lines["bing-news"]
    assert "stale: the newest item is from 2025-02-02" in lines["bing-news"]
    assert "robots disallowed" in lines["google-news"] and "robots.txt disallows /rss/search" in lines["google-news"]
    assert "HTTP 200  items 2  relevant 2  newest 2025-02-04" in lines["gdelt"]  # the 02-06 record is the bad one
    assert "GDELT refused the query: Queries containing OR'd terms must be surrounded by ()." in lines["gdelt-broken"]
    assert "items 2  relevant 2  newest 2025-02-10" in lines["federal-register"]
    assert lines["newsroom-page"].endswith("items 2  relevant 1  newest -  ok")
    today = datetime.date.today().isoformat()
    assert lines["newsroom-feed"].endswith(f"items 1  relevant 1  newest {today}  ok")
    assert "robots disallowed" in lines["closed"] and "a polite crawl fetches nothing" in lines["closed"]
    assert "HTTP 403 Forbidden: a Cloudflare browser check" in lines["walled"]
    assert "robots -  HTTP -" in lines["not-allowed"] and "refused: 127.0.0.1 is a loopback address" in lines["not-allowed"]
    assert "10 source(s), 2 ok, 8 with problems" in result.stderr
