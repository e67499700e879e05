"""Every spider's callbacks on saved responses (tests/crawl_fixtures/), and failure classification."""
import datetime
import gzip

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

from crawlers.failures import PageIsFresh, classify_failure
from crawlers.items import FetchedPage, FetchFailure
from crawlers.middlewares import STORED_FLAG
from crawlers.sources import Source
from crawlers.spiders import SPIDER_FOR_KIND
from crawlers.spiders.base import feed_date
from crawlers.spiders.federal_register import federal_register_url
from crawlers.spiders.gdelt import gdelt_url
from crawlers.spiders.news_search import google_news_url
from crawlers.spiders.sitemap import parse_sitemap
from tests.support.crawl import FIXTURES


def make_spider(kind, **source_fields):
    source = Source(name=f"test-{kind}", kind=kind, **source_fields)
    spidercls = SPIDER_FOR_KIND[kind]
    crawler = get_crawler(spidercls, {"DOWNLOAD_MAXSIZE": 10 * 1024 * 1024})
    return spidercls.from_crawler(crawler, sources=[source]), source


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


def test_feed_that_is_not_a_feed_is_recorded_and_the_crawl_goes_on():
    spider, source = make_spider("feed", url="https://example.gov/rss")
    items, requests = split(listing(spider, source, "https://example.gov/rss", b"<html><body>Moved</body></html>", "text/html"))
    assert requests == []
    page, failure = items
    assert page.kind == "feed" and failure.reason == "other" and "not an RSS/Atom feed" in failure.detail


def test_listing_served_from_the_store_is_parsed_but_not_stored_again():
    spider, source = make_spider("feed", url="https://newsroom.example.gov/rss")
    items, requests = split(listing(spider, source, "https://newsroom.example.gov/rss", "newsroom.rss",
                                    "application/rss+xml", flags=[STORED_FLAG]))
    assert items == [] and len(requests) == 2


def test_news_search_builds_the_google_news_url_and_trims_publishers():
    url = google_news_url("DeepSeek (ban OR block)", datetime.date(2025, 1, 1))
    assert url.startswith("https://news.google.com/rss/search?q=DeepSeek+%28ban+OR+block%29+after:2025-01-01")
    assert url.endswith("&hl=en-US&gl=US&ceid=US:en")
    spider, source = make_spider("news_search", query="DeepSeek ban")
    assert list(spider.seed_urls(source)) == ["https://news.google.com/rss/search?q=DeepSeek+ban&hl=en-US&gl=US&ceid=US:en"]
    _, requests = split(listing(spider, source, url, "google_news.rss", "application/xml"))
    titles = [r.meta["hints"]["title"] for r in requests]
    assert titles == ["Italy's privacy regulator orders DeepSeek to stop processing Italians' data",
                      "Texas becomes the first state to keep DeepSeek off government phones"]
    assert requests[1].meta["hints"]["published"] == "2025-02-01"


def test_gdelt_spider_reads_the_article_list():
    assert "mode=ArtList&format=json" in gdelt_url("DeepSeek ban")
    clamped = gdelt_url("x", since=datetime.date(2020, 1, 1), today=datetime.date(2025, 3, 1))
    assert "startdatetime=20241201000000" in clamped  # the API only searches three months back
    spider, source = make_spider("gdelt", query="DeepSeek ban")
    items, requests = split(listing(spider, source, gdelt_url("DeepSeek ban"), "gdelt_artlist.json", "application/json"))
    assert items[0].kind == "api"
    assert [r.meta["hints"]["published"] for r in requests] == ["2025-02-01", "2025-01-30"]  # the cup final is skipped


def test_gdelt_plain_text_error_is_recorded():
    spider, source = make_spider("gdelt", query="ai")
    items, requests = split(listing(spider, source, gdelt_url("ai"), "gdelt_error.txt", "text/html"))
    assert requests == [] and items[1].reason == "other" and "GDELT did not answer JSON" in items[1].detail


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


def errback(spider, exc, url="https://example.gov/x"):
    request = scrapy.Request(url, meta={"source": "s", "kind": "article"})
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
