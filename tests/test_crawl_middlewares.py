"""The incremental middleware against a real crawl.db, and Retry-After parsing."""
import datetime
import email.utils

import pytest
import scrapy
from scrapy.http import Response
from scrapy.utils.test import get_crawler

from crawlers import store
from crawlers.failures import PageIsFresh
from crawlers.middlewares import STORED_FLAG, IncrementalMiddleware, parse_retry_after
from crawlers.pipelines import sink_for

FEED = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'
ARTICLE = b"<html><body><p>Taiwan told agencies not to use DeepSeek.</p></body></html>"


@pytest.fixture
def middleware(tmp_path):
    crawler = get_crawler(scrapy.Spider, {"BANWATCH_DATA_DIR": str(tmp_path), "BANWATCH_DEFAULT_REFRESH": 3600,
                                          "BANWATCH_SINK": "crawlers.pipelines.SQLiteSink"})
    mw = IncrementalMiddleware(crawler)
    yield mw
    sink_for(crawler).close()


def stored(mw, url, body, kind, age, **headers):
    fetched = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=age)).strftime("%Y-%m-%dT%H:%M:%SZ")
    store.save_response(mw.sink.db, url=url, status=200, body=body, kind=kind, fetched_at=fetched, source="s",
                        headers={"Content-Type": "application/rss+xml" if kind == "feed" else "text/html", **headers})


def request(url, kind, refresh=600):
    return scrapy.Request(url, meta={"kind": kind, "refresh": refresh, "source": "s"})


def test_unknown_pages_go_to_the_network(middleware):
    assert middleware.process_request(request("https://example.gov/new", "article")) is None


def test_a_fresh_article_is_not_fetched(middleware):
    stored(middleware, "https://example.gov/a", ARTICLE, "article", age=60)
    with pytest.raises(PageIsFresh):
        middleware.process_request(request("https://example.gov/a?utm_source=rss", "article"))
    assert middleware.crawler.stats.get_value("banwatch/fresh") == 1


def test_a_fresh_listing_is_reread_from_the_store(middleware):
    stored(middleware, "https://example.gov/feed.xml", FEED, "feed", age=60)
    response = middleware.process_request(request("https://example.gov/feed.xml", "feed"))
    assert response.body == FEED and STORED_FLAG in response.flags and response.status == 200


def test_a_stale_page_gets_a_conditional_get_and_a_304_brings_the_stored_listing(middleware):
    last_modified = email.utils.format_datetime(datetime.datetime(2025, 1, 31, 12, tzinfo=datetime.timezone.utc), usegmt=True)
    stored(middleware, "https://example.gov/feed.xml", FEED, "feed", age=7200, ETag='"f1"', **{"Last-Modified": last_modified})
    req = request("https://example.gov/feed.xml", "feed")
    assert middleware.process_request(req) is None
    assert req.headers[b"If-None-Match"] == b'"f1"'
    assert req.headers[b"If-Modified-Since"] == last_modified.encode()
    not_modified = middleware.process_response(req, Response(req.url, status=304, request=req))
    assert not_modified.status == 304 and not_modified.body == FEED


def test_a_stale_article_304_carries_no_body(middleware):
    stored(middleware, "https://example.gov/a", ARTICLE, "article", age=7200, ETag='"a1"')
    req = request("https://example.gov/a", "article")
    middleware.process_request(req)
    assert middleware.process_response(req, Response(req.url, status=304, request=req)).body == b""


def test_retry_after_in_seconds_or_as_a_date():
    assert parse_retry_after(b"120") == 120.0
    soon = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=30)
    assert 25 <= parse_retry_after(email.utils.format_datetime(soon, usegmt=True).encode()) <= 31
    assert parse_retry_after(b"Fri, 31 Jan 2020 18:00:00 GMT") == 0.0
    assert parse_retry_after(b"soon") is None and parse_retry_after(None) is None


def test_a_stored_listing_that_was_not_one_is_fetched_again(middleware):
    stored(middleware, "https://api.example.org/doc?q=x", b"Please limit requests to one every 5 seconds", "api", age=60)
    fresh = request("https://api.example.org/doc?q=x", "api")
    assert STORED_FLAG in middleware.process_request(fresh).flags  # re-read from crawl.db, as any fresh listing
    again = request("https://api.example.org/doc?q=x", "api")
    again.meta["banwatch_refetch"] = True
    assert middleware.process_request(again) is None and b"If-None-Match" not in again.headers
