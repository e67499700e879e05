"""Every spider's callbacks on saved responses (tests/crawl_fixtures/), and failure classification."""
import datetime
import gzip
import json
from urllib.parse import parse_qsl, urlsplit

import pytest
import scrapy
from scrapy.exceptions import (
    DownloadCancelledError,
    DownloadTimeoutError,
    IgnoreRequest,
)
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.internet.error import DNSLookupError
from twisted.python.failure import Failure

from banwatch.crawldb import access_wall
from crawlers.failures import PageIsFresh, classify_failure
from crawlers.items import FetchedPage, FetchFailure
from crawlers.middlewares import STORED_FLAG
from crawlers.sources import Source
from crawlers.spiders import SPIDER_FOR_KIND
from crawlers.spiders.base import feed_date, page_wall
from crawlers.spiders.federal_register import federal_register_url
from crawlers.spiders.gdelt import gdelt_url, split_window
from crawlers.spiders.news_search import google_news_url
from crawlers.spiders.sitemap import parse_sitemap
from tests.support.crawl import FIXTURES, answer


def make_spider(kind, now=None, spider_since=None, **source_fields):
    source = Source(name=f"test-{kind}", kind=kind, **source_fields)
    spidercls = SPIDER_FOR_KIND[kind]
    crawler = get_crawler(spidercls, {"DOWNLOAD_MAXSIZE": 10 * 1024 * 1024})
    extra = {"now": now} if now else {}
    return spidercls.from_crawler(crawler, sources=[source], since=spider_since, **extra), source


def response(url, body, content_type, meta, status=200, flags=None, cls=None):
    headers = Headers({"Content-Type": content_type} if content_type else {})
    cls = cls or responsetypes.from_args(headers=headers, url=url, body=body)
    return cls(url=url, status=status, headers=headers, body=body, request=scrapy.Request(url, meta=meta), flags=flags)


def listing(spider, source, url, fixture, content_type, **kwargs):
    body = (FIXTURES / fixture).read_bytes() if isinstance(fixture, str) else fixture
    meta = {"source": source.name, "kind": spider.listing_kind, "refresh": source.refresh}
    return list(spider.parse_listing(response(url, body, content_type, meta, **kwargs)))


def split(output):
    items = [o for o in output if isinstance(o, (FetchedPage, FetchFailure))]
    requests = [o for o in output if isinstance(o, scrapy.Request)]
    return items, requests


def test_feed_spider_follows_relevant_entries_with_hints():
    spider, source = make_spider("feed", url="https://newsroom.example.gov/rss")
    items, requests = split(listing(spider, source, "https://newsroom.example.gov/rss", "newsroom.rss", "application/rss+xml"))
    assert len(items) == 1 and items[0].kind == "feed" and items[0].status == 200
    assert [r.url for r in requests] == [
        # tracking parameters gone before the fetch
        "https://www.kxxv.com/news/texas-news/gov-abbott-bans-the-use-of-ai-apps-affiliated-with-chinese-government-on-texas-state-issued-devices",
        # a relative link, resolved against the feed
        "https://newsroom.example.gov/2025/02/ai-chatbot-guidance",
    ]
    hints = requests[0].meta["hints"]
    assert hints["published"] == "2025-01-31"  # the publisher's own day, not UTC's Feb 1
    assert hints["referrer"] == "https://newsroom.example.gov/rss"
    assert "DeepSeek" in hints["title"] and "<p>" not in hints["summary"]
    assert requests[0].meta["kind"] == "article" and requests[0].callback == spider.parse_article
    assert spider.crawler.stats.get_value("banwatch/irrelevant") == 2  # lane closures, fireworks


def test_feed_spider_reads_atom_and_can_follow_everything():
    spider, source = make_spider("feed", url="https://regulator.example.eu/feed.atom", relevance=False)
    _, requests = split(listing(spider, source, "https://regulator.example.eu/feed.atom", "regulator.atom", "application/atom+xml"))
    assert [r.meta["hints"].get("published") for r in requests] == ["2025-01-30", "2025-07-15"]
    assert requests[0].url == "https://www.ilpost.it/2025/01/30/limitazioni-deepseek-garante-privacy/"


def test_feed_that_is_not_a_feed_is_recorded_not_stored_and_the_crawl_goes_on():
    spider, source = make_spider("feed", url="https://example.gov/rss")
    items, requests = split(listing(spider, source, "https://example.gov/rss", b"<html><body>Moved</body></html>", "text/html"))
    assert requests == []
    (page,) = items  # the answer is kept as a response with its failure, never as a listing page
    assert page.kind == "feed" and page.store_page is False
    assert page.failure[0] == "other" and "not an RSS/Atom feed" in page.failure[1]


def test_listing_served_from_the_store_is_parsed_but_not_stored_again():
    spider, source = make_spider("feed", url="https://newsroom.example.gov/rss")
    items, requests = split(listing(spider, source, "https://newsroom.example.gov/rss", "newsroom.rss",
                                    "application/rss+xml", flags=[STORED_FLAG]))
    assert items == [] and len(requests) == 2


def test_news_search_reads_bing_news_rss_and_decodes_publisher_urls():
    spider, source = make_spider("news_search", query="DeepSeek (ban OR block)")
    (url,) = spider.seed_urls(source)
    assert url == "https://www.bing.com/news/search?q=DeepSeek+%28ban+OR+block%29&format=rss"
    items, requests = split(listing(spider, source, url, "bing_news.rss", "application/rss+xml; charset=utf-8"))
    assert items[0].kind == "feed" and items[0].store_page
    # the publisher's own URLs, read from apiclick.aspx?...&url=...: bing.com gets no request per article
    assert [r.url for r in requests] == [
        "https://www.kxxv.com/news/texas-news/gov-abbott-bans-the-use-of-ai-apps-affiliated-with-chinese-government-on-texas-state-issued-devices",
        "https://news.example.com/2025/01/28/navy-deepseek-email",
    ]  # the bike lanes are irrelevant
    hints = requests[0].meta["hints"]
    assert hints["publisher"] == "KXXV" and hints["published"] == "2025-02-01"
    assert hints["summary"].startswith("The order adds the Chinese chatbot")  # Bing's lead is a real summary
    assert spider.crawler.stats.get_value("banwatch/irrelevant") == 1


def test_news_search_on_google_is_opt_in_and_decodes_old_article_ids_only():
    url = google_news_url("DeepSeek (ban OR block)", datetime.date(2025, 1, 1))
    assert url.startswith("https://news.google.com/rss/search?q=DeepSeek+%28ban+OR+block%29+after:2025-01-01")
    assert url.endswith("&hl=en-US&gl=US&ceid=US:en")
    spider, source = make_spider("news_search", query="DeepSeek ban", engine="google")
    assert list(spider.seed_urls(source)) == ["https://news.google.com/rss/search?q=DeepSeek+ban&hl=en-US&gl=US&ceid=US:en"]
    _, requests = split(listing(spider, source, url, "google_news.rss", "application/xml"))
    assert [r.meta["hints"]["title"] for r in requests] == [
        "Italy's privacy regulator orders DeepSeek to stop processing Italians' data",
        "Texas becomes the first state to keep DeepSeek off government phones"]
    # an old-style id carries the publisher URL; a new-style one (AU_yqL...) stays Google's interstitial
    assert requests[0].url == "https://www.ilpost.it/2025/01/30/limitazioni-deepseek-garante-privacy/"
    assert requests[1].url.startswith("https://news.google.com/rss/articles/CBMiPUFVX3lxTE")
    # the description only repeats the headline and the publisher: no summary
    assert all("summary" not in r.meta["hints"] for r in requests)
    assert requests[1].meta["hints"]["publisher"] == "KXXV" and requests[1].meta["hints"]["published"] == "2025-02-01"


def test_gdelt_monitors_the_last_week_and_backfills_in_windows_back_to_2017():
    now = datetime.datetime(2025, 3, 1, 10, 30, tzinfo=datetime.timezone.utc)
    spider, source = make_spider("gdelt", query="DeepSeek ban", since=datetime.date(2025, 1, 1), now=now)
    (monitor,) = spider.seed_listings(source)
    assert "startdatetime=20250222000000" in monitor.url and "enddatetime=20250301110000" in monitor.url
    assert "mode=ArtList" in monitor.url and "maxrecords=250" in monitor.url
    backfill, _ = make_spider("gdelt", query="DeepSeek ban", now=now, spider_since=datetime.date(2010, 5, 1))
    windows = [dict(parse_qsl(urlsplit(w.url).query)) for w in backfill.seed_listings(source)]
    assert windows[-1]["startdatetime"] == "20170101000000"  # the API searches back to January 2017
    assert windows[0]["enddatetime"] == "20250301110000"
    assert all(a["startdatetime"] == b["enddatetime"] for a, b in zip(windows, windows[1:]))  # no gap, no overlap
    requests = list(backfill.seed_requests())
    assert all(r.meta["download_slot"] == "gdelt:api.gdeltproject.org" for r in requests)
    assert requests[0].meta["refresh"] == source.refresh and requests[-1].meta["refresh"] == 30 * 86400


def test_gdelt_spider_reads_the_article_list():
    spider, source = make_spider("gdelt", query="DeepSeek ban")
    items, requests = split(listing(spider, source, gdelt_url("DeepSeek ban"), "gdelt_artlist.json", "application/json"))
    assert items[0].kind == "api" and items[0].store_page
    assert [r.meta["hints"]["published"] for r in requests] == ["2025-02-01", "2025-01-30"]  # the cup final is skipped


def test_gdelt_skips_a_badly_escaped_record_not_the_page():
    spider, source = make_spider("gdelt", query="DeepSeek", relevance=False)
    items, requests = split(listing(spider, source, gdelt_url("DeepSeek"), "gdelt_bad_escape.json", "application/json"))
    assert items[0].store_page and items[0].failure is None
    assert [r.url for r in requests] == ["https://www.example-news.com.au/2025/02/04/home-affairs-deepseek-directive",
                                         "https://www.example-taiwan.tw/2025/01/31/moda-deepseek-public-sector"]
    assert spider.crawler.stats.get_value("banwatch/gdelt_bad_records") == 1


def test_a_full_gdelt_window_is_split_in_two():
    start, end = datetime.datetime(2025, 1, 1), datetime.datetime(2025, 1, 31)
    url = gdelt_url("DeepSeek", start, end)
    body = json.dumps({"articles": [{"url": f"https://n.example.com/{i}", "title": "DeepSeek ban", "seendate": "20250115T000000Z"}
                                    for i in range(250)]}).encode()
    spider, source = make_spider("gdelt", query="DeepSeek")
    _, requests = split(listing(spider, source, url, body, "application/json"))
    halves = [r for r in requests if r.meta["kind"] == "api"]
    assert [dict(parse_qsl(urlsplit(r.url).query))["startdatetime"] for r in halves] == ["20250101000000", "20250116000000"]
    assert dict(parse_qsl(urlsplit(halves[1].url).query))["enddatetime"] == "20250131000000"
    assert sum(1 for r in requests if r.meta["kind"] == "article") == 250
    assert split_window(gdelt_url("x", start, start + datetime.timedelta(minutes=59))) == []  # too short to split


@pytest.mark.parametrize("name, reason, retried", [
    ("gdelt_rate_limit_200", "rate_limited", True),
    ("gdelt_query_error", "other", False),
])
def test_gdelt_error_texts_are_never_listings(name, reason, retried):
    spider, source = make_spider("gdelt", query="ai")
    reply = answer(name)
    items, requests = split(listing(spider, source, gdelt_url("ai"), reply.body, reply.content_type))
    if retried:  # asked again later (the GDELT slot spaces it), not recorded yet
        assert items == [] and len(requests) == 1 and requests[0].dont_filter
        assert requests[0].meta["banwatch_listing_retries"] == 1 and requests[0].meta["download_slot"].startswith("gdelt:")
        last = response(gdelt_url("ai"), reply.body, reply.content_type, dict(requests[0].meta, banwatch_listing_retries=3))
        items, requests = split(spider.parse_listing(last))
    assert requests == []
    (page,) = items
    assert page.store_page is False and page.failure[0] == reason and page.status == 200
    if reason == "other":
        assert "surrounded by ()" in page.failure[1]


def test_a_rate_limit_text_stored_by_an_older_crawl_is_asked_again_not_replayed():
    spider, source = make_spider("gdelt", query="ai")
    reply = answer("gdelt_rate_limit_200")
    items, requests = split(listing(spider, source, gdelt_url("ai"), reply.body, reply.content_type, flags=[STORED_FLAG]))
    assert items == [] and requests[0].meta["banwatch_refetch"] is True and requests[0].dont_filter


def test_federal_register_spider_follows_documents_and_next_page():
    url = federal_register_url("covered application", datetime.date(2023, 1, 1))
    assert "conditions%5Bterm%5D=covered+application" in url and "conditions%5Bpublication_date%5D%5Bgte%5D=2023-01-01" in url
    spider, source = make_spider("federal_register", query="covered application", relevance=False)
    items, requests = split(listing(spider, source, url, "federal_register_page1.json", "application/json"))
    assert items[0].kind == "api"
    html, pdf_only, next_page = requests
    assert html.url.startswith("https://www.federalregister.gov/documents/2023/06/02/")
    assert html.meta["hints"]["published"] == "2023-06-02"
    assert "Defense Department, General Services Administration" in html.meta["hints"]["summary"]
    assert pdf_only.url.endswith("DEMO-0002.pdf")  # no HTML version: the PDF instead
    assert next_page.callback == spider.parse_listing and "page=2" in next_page.url
    assert next_page.meta["kind"] == "api"


def test_sitemap_spider_filters_by_since_and_keeps_news_titles():
    kind, entries = parse_sitemap((FIXTURES / "news_sitemap.xml").read_bytes())
    assert kind == "urlset" and entries[0]["title"].startswith("Chatbot DeepSeek")
    spider, source = make_spider("sitemap", url="https://news.example.com/sitemap.xml", since=datetime.date(2025, 1, 1))
    body = gzip.compress((FIXTURES / "news_sitemap.xml").read_bytes())  # gzipped sitemaps work too
    _, requests = split(listing(spider, source, "https://news.example.com/sitemap.xml.gz", body, "application/x-gzip",
                                cls=Response))
    assert [r.url for r in requests] == [
        "https://www.helpconsumatori.it/primo-piano/chatbot-deepseek-il-garante-privacy-blocca-il-software-di-intelligenza-artificiale/",
        "https://news.example.com/2025/02/04/australia-deepseek-government-devices",
    ]  # the 2024 story is older than since; the weather outlook is irrelevant
    assert requests[0].meta["hints"]["published"] == "2025-01-30"


def test_a_sitemap_may_hold_more_than_the_article_download_limit():
    # the protocol allows 50 MB uncompressed; DOWNLOAD_MAXSIZE (10 MB) is the articles' limit, not the sitemaps'
    spider, source = make_spider("sitemap", url="https://news.example.com/sitemap.xml.gz",
                                 since=datetime.date(2025, 1, 1))
    (seed,) = spider.seed_requests()
    assert seed.meta["download_maxsize"] == 50 * 1024 * 1024
    entry = b"<url><loc>https://news.example.com/2025/02/04/deepseek-ban</loc></url>"
    filler = b"<url><loc>https://news.example.com/2019/%06d-archive</loc><lastmod>2019-05-01</lastmod></url>"
    padding = b"".join(filler % i for i in range(140_000))  # about 12 MB of old entries
    xml = b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">' + padding + entry + b"</urlset>"
    _, requests = split(listing(spider, source, seed.url, gzip.compress(xml), "application/x-gzip", cls=Response))
    assert [r.url for r in requests] == ["https://news.example.com/2025/02/04/deepseek-ban"]
    assert requests[0].meta.get("download_maxsize") is None  # the article keeps the crawl's own limit


def test_sources_check_reads_a_sitemap_as_large_as_the_crawl_would():
    import httpx

    from crawlers.check import Fetcher, check_source

    entry = b"<url><loc>https://news.example.com/2025/02/04/%06d</loc><image:caption>" + b"x" * 1500 \
        + b"</image:caption></url>"  # long entries: what is large is the file, not the number of links
    xml = (b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
           b'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">'
           + b"".join(entry % i for i in range(8_000)) + b"</urlset>")  # about 12 MB, not gzipped
    assert len(xml) > 10 * 1024 * 1024

    def serve(request):
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        return httpx.Response(200, content=xml, headers={"Content-Type": "application/xml"})

    fetcher = Fetcher(delay=0, transport=httpx.MockTransport(serve))
    sitemap = Source(name="big-sitemap", kind="sitemap", url="https://news.example.com/sitemap.xml")
    assert not [p for p in check_source(sitemap, fetcher, {}).problems if "too big" in p]
    feed = Source(name="big-feed", kind="feed", url="https://news.example.com/feed.xml")
    assert [p for p in check_source(feed, fetcher, {}).problems if "too big" in p]  # a feed keeps 10 MB


def test_sitemap_index_follows_recent_child_sitemaps():
    spider, source = make_spider("sitemap", url="https://news.example.com/index.xml", since=datetime.date(2025, 1, 1))
    _, requests = split(listing(spider, source, "https://news.example.com/index.xml", "sitemap_index.xml", "application/xml"))
    assert [(r.url, r.meta["kind"]) for r in requests] == [("https://news.example.com/sitemaps/2025-02.xml", "sitemap")]


def test_urls_spider_fetches_every_url_without_relevance():
    spider, source = make_spider("urls", urls=("https://example.gov/notice.pdf", "https://example.gov/road-closures"))
    requests = list(spider.seed_requests())
    assert [r.url for r in requests] == list(source.urls)
    assert all(r.meta["kind"] == "article" for r in requests)


def test_article_items_carry_wire_headers_canonical_and_kind():
    spider, source = make_spider("urls", urls=("https://example.gov/a",))
    meta = {"source": source.name, "kind": "article", "hints": {"title": "T"},
            "banwatch_wire_headers": {"Content-Type": "text/html", "Content-Encoding": "gzip"},
            "redirect_urls": ["http://example.gov/a"]}
    body = b'<html><head><link rel="canonical" href="https://example.gov/story"></head><body>x</body></html>'
    (item,) = spider.parse_article(response("https://example.gov/a", body, "text/html", meta))
    assert item.url == "http://example.gov/a" and item.final_url == "https://example.gov/a"
    assert item.canonical_url == "https://example.gov/story"
    assert item.headers["Content-Encoding"] == "gzip" and item.meta == {"title": "T"} and item.kind == "article"
    (pdf,) = spider.parse_article(response("https://example.gov/n", b"%PDF-1.4 ...", "application/octet-stream",
                                           {"source": source.name, "kind": "article"}))
    assert pdf.kind == "pdf"


def test_a_cut_transfer_is_stored_with_a_dataloss_failure():
    spider, source = make_spider("urls", urls=("https://example.gov/a",))
    meta = {"source": source.name, "kind": "article", "banwatch_wire_headers": {"Content-Length": "900"}}
    (item,) = spider.parse_article(response("https://example.gov/a", b"<html><p>half", "text/html", meta, flags=["dataloss"]))
    assert item.partial and item.failure[0] == "dataloss" and "of 900 bytes" in item.failure[1]


def errback(spider, exc, url="https://example.gov/x", request=None):
    request = request or scrapy.Request(url, meta={"source": "s", "kind": "article"})
    failure = Failure(exc)
    failure.request = request
    return list(spider.on_error(failure))


def test_errback_records_failures_and_skips_fresh_pages():
    spider, _ = make_spider("urls", urls=("https://example.gov/a",))
    assert errback(spider, PageIsFresh("stored 10s ago")) == []
    (failure,) = errback(spider, IgnoreRequest("Forbidden by robots.txt"))
    assert (failure.reason, failure.source) == ("robots", "s")
    not_found = response("https://example.gov/x", b"gone", "text/plain", {"source": "s", "kind": "article"}, status=404)
    (item,) = errback(spider, HttpError(not_found, "Ignoring non-200 response"))
    assert isinstance(item, FetchedPage) and item.status == 404 and item.failure == ("http_status", "HTTP 404 Not Found")


@pytest.mark.parametrize("exc, reason", [
    (DNSLookupError("no such host"), "dns"),
    (DownloadTimeoutError("took longer than 30 seconds"), "timeout"),
    (DownloadCancelledError("Expected to receive 20000000 bytes which is larger than download max size (10485760)"), "too_big"),
    (IgnoreRequest("Ignored response because its body (11 MB) exceeded DOWNLOAD_MAXSIZE (10 MB) during decompression."), "too_big"),
    (ConnectionRefusedError("refused"), "connection"),
    (ValueError("something odd"), "other"),
])
def test_failure_classification(exc, reason):
    assert classify_failure(exc)[0] == reason


def test_feed_dates():
    assert feed_date("Fri, 31 Jan 2025 22:00:00 -0500") == "2025-01-31"
    assert feed_date("2025-02-10T09:00:00Z") == "2025-02-10"
    assert feed_date("2025-02-10") == "2025-02-10"
    assert feed_date("next Tuesday") is None


def test_the_jobdir_queue_round_trips_requests_with_their_callbacks(tmp_path):
    from crawlers.queues import RequestDiskQueue, method_name

    spider, source = make_spider("feed", url="https://example.gov/rss")
    spider.crawler.spider = spider
    assert method_name(spider, spider.parse_listing) == "parse_listing"
    queue = RequestDiskQueue(spider.crawler, str(tmp_path / "q"))
    (request,) = [r for r in spider.seed_requests()]
    queue.push(request)
    queue.close()
    queue = RequestDiskQueue(spider.crawler, str(tmp_path / "q"))
    restored = queue.pop()
    assert restored.url == request.url and restored.meta == request.meta and restored.priority == request.priority
    assert restored.callback == spider.parse_listing and restored.errback == spider.on_error


# -- the Federal Register's documents, access walls and alternates ---------------------------------------


def test_federal_register_asks_for_full_text_urls_and_keeps_the_others_as_alternates():
    url = federal_register_url("covered application")
    query = parse_qsl(urlsplit(url).query)
    assert [v for k, v in query if k == "fields[]"] == [
        "title", "type", "abstract", "document_number", "publication_date", "agencies",
        "body_html_url", "raw_text_url", "html_url", "pdf_url"]
    spider, source = make_spider("federal_register", query="covered application", relevance=False)
    _, requests = split(listing(spider, source, url, "federal_register_documents.json", "application/json"))
    rule, notice, next_page = requests
    assert rule.url == "https://www.federalregister.gov/documents/full_text/html/2023/06/02/2023-11756.html"
    assert rule.meta["alternates"] == [
        "https://www.federalregister.gov/documents/full_text/text/2023/06/02/2023-11756.txt",
        "https://www.federalregister.gov/documents/2023/06/02/2023-11756/federal-acquisition-regulation-prohibition-on-a-bytedance-covered-application",
        "https://www.govinfo.gov/content/pkg/FR-2023-06-02/pdf/2023-11756.pdf"]
    assert notice.url.endswith("/notice-on-generative-ai-tools") and notice.meta["alternates"][0].endswith(".pdf")
    assert next_page.meta["kind"] == "api" and "page=2" in next_page.url


def test_an_access_wall_is_a_blocked_failure_and_the_next_url_is_tried():
    spider, source = make_spider("federal_register", query="x", relevance=False)
    _, requests = split(listing(spider, source, federal_register_url("x"), "federal_register_documents.json",
                                "application/json"))
    rule = requests[0]
    wall = answer("federal_register_request_access")
    (page, alternate) = spider.parse_article(response(rule.url, wall.body, wall.content_type, rule.meta))
    assert page.store_page is False and page.failure[0] == "blocked"
    assert "'Request Access' CAPTCHA page" in page.failure[1] and page.meta["title"].startswith("Federal Acquisition")
    assert alternate.url.endswith("2023-11756.txt") and alternate.meta["hints"] == rule.meta["hints"]
    assert len(alternate.meta["alternates"]) == 2
    body = (FIXTURES / "federal_register_body.html").read_bytes()
    (document,) = spider.parse_article(response(rule.url, body, "text/html", rule.meta))
    assert document.store_page and document.failure is None  # the full text is a document
    # a failed URL moves on to the next one too
    items = errback(spider, HttpError(response(alternate.url, b"gone", "text/plain", alternate.meta, status=404), "x"),
                    request=alternate)
    assert items[0].failure == ("http_status", "HTTP 404 Not Found") and items[1].url.endswith("/federal-acquisition-"
                                                                                             "regulation-prohibition-on-a-bytedance-covered-application")


@pytest.mark.parametrize("name, url, expected", [
    ("federal_register_request_access", "https://www.federalregister.gov/documents/2023/06/02/x/y", "'Request Access' CAPTCHA"),
    ("cloudflare_challenge", "https://www.example.org/news", "Cloudflare browser check"),
    ("google_news_interstitial", "https://news.google.com/rss/articles/CBMiXYZ?oc=5", "Google News redirect page"),
])
def test_walls_are_recognised(name, url, expected):
    reply = answer(name)
    assert expected in page_wall(response(url, reply.body, reply.content_type, {}))


def test_an_article_about_captchas_is_not_a_wall():
    body = ("<html><head><title>Request access to the archive: why CAPTCHAs fail</title></head><body>"
            + "<p>" + "A long article about bot tests and programmatic access. " * 200 + "</p></body></html>").encode()
    assert page_wall(response("https://example.org/a", body, "text/html", {})) is None
    assert access_wall("Request Access", "captcha " * 2000) is None  # a long text is content


# -- listings may not lead outside the web; failures keep the listing's hints -----------------------------


def test_a_sitemap_index_pointing_at_local_files_is_refused_and_recorded():
    body = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>file:///etc/hostname</loc></sitemap><sitemap><loc>ftp://ftp.example.org/s.xml</loc></sitemap>
      <sitemap><loc>data:text/xml,&lt;urlset/&gt;</loc></sitemap><sitemap><loc>https://news.example.com/s1.xml</loc></sitemap>
    </sitemapindex>"""
    spider, source = make_spider("sitemap", url="https://news.example.com/index.xml")
    items, requests = split(listing(spider, source, "https://news.example.com/index.xml", body, "application/xml"))
    assert [r.url for r in requests] == ["https://news.example.com/s1.xml"]
    refused = [i for i in items if isinstance(i, FetchFailure)]
    assert [(f.url, f.reason) for f in refused] == [("file:///etc/hostname", "refused"),
                                                    ("ftp://ftp.example.org/s.xml", "refused"),
                                                    ("data:text/xml,<urlset/>", "refused")]
    assert "not an http(s) URL (file:)" in refused[0].detail


def test_a_federal_register_next_page_outside_the_web_is_refused():
    body = json.dumps({"results": [], "next_page_url": "file:///dev/zero"}).encode()
    spider, source = make_spider("federal_register", query="x")
    items, requests = split(listing(spider, source, federal_register_url("x"), body, "application/json"))
    assert requests == [] and items[1].reason == "refused" and items[1].url == "file:///dev/zero"


def test_a_refused_or_failed_article_keeps_the_listings_hints():
    spider, source = make_spider("feed", url="https://newsroom.example.gov/rss")
    _, requests = split(listing(spider, source, "https://newsroom.example.gov/rss", "newsroom.rss", "application/rss+xml"))
    (failure,) = errback(spider, IgnoreRequest("Forbidden by robots.txt"), request=requests[0])
    assert failure.reason == "robots" and failure.meta["title"].startswith("Texas") and failure.meta["published"] == "2025-01-31"
    assert failure.meta["referrer"] == "https://newsroom.example.gov/rss"


def test_a_listing_page_lists_the_links_under_its_path():
    body = b"""<html><body><nav><a href="/about">About</a><a href="https://elsewhere.example.org/x">x</a></nav>
      <ul><li><a href="/newsroom/media-releases/commissioner-orders-ai-chatbots-to-restrict-access">Commissioner
      orders AI chatbots to restrict access for children</a></li>
      <li><a href="/newsroom/media-releases/new-office-opens">New office opens</a></li>
      <li><a href="/newsroom/media-releases/">All releases</a></li></ul></body></html>"""
    spider, source = make_spider("page", url="https://www.esafety.gov.au/newsroom/media-releases")
    items, requests = split(listing(spider, source, "https://www.esafety.gov.au/newsroom/media-releases", body, "text/html"))
    assert items[0].kind == "listing"
    assert [r.url for r in requests] == [
        "https://www.esafety.gov.au/newsroom/media-releases/commissioner-orders-ai-chatbots-to-restrict-access"]
    assert requests[0].meta["hints"]["title"] == "Commissioner orders AI chatbots to restrict access for children"
    followed, _ = make_spider("page", url="https://www.esafety.gov.au/newsroom", follow=r"/new-office", relevance=False)
    _, requests = split(listing(followed, followed.sources["test-page"], "https://www.esafety.gov.au/newsroom", body, "text/html"))
    assert [r.url for r in requests] == ["https://www.esafety.gov.au/newsroom/media-releases/new-office-opens"]


def test_a_listing_page_follows_its_pdf_notices_but_not_other_files():
    # Scrapy's LinkExtractor drops .pdf links by default; a regulator's order is often only a PDF.
    body = b"""<html><body><ul>
      <li><a href="/media/releases/2025-02-04-ministerial-direction.pdf">Direction on DeepSeek products</a></li>
      <li><a href="/media/releases/2025-02-04-direction.pdf">Direction (again)</a></li>
      <li><a href="/media/releases/briefing.mp4">Video briefing</a></li>
      <li><a href="/media/releases/logo.png">Logo</a></li></ul></body></html>"""
    spider, source = make_spider("page", url="https://www.homeaffairs.gov.au/media/releases", relevance=False)
    _, requests = split(listing(spider, source, "https://www.homeaffairs.gov.au/media/releases", body, "text/html"))
    assert [r.url for r in requests] == [
        "https://www.homeaffairs.gov.au/media/releases/2025-02-04-ministerial-direction.pdf",
        "https://www.homeaffairs.gov.au/media/releases/2025-02-04-direction.pdf"]
    assert requests[0].meta["hints"]["title"] == "Direction on DeepSeek products"
