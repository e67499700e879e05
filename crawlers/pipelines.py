"""Storage: every item a spider yields, and every robots.txt fetched, goes through one sink.

``sink_for(crawler).save(item)`` is the single write path. The sink class comes from the
``BANWATCH_SINK`` setting: ``SQLiteSink`` here, or, on a distributed worker,
``crawlers.distributed.RedisSink``, which pushes items to the Redis list ``banwatch ingest`` reads. A sink also answers the incremental
middleware's questions (``find_page``, ``body``); a sink that cannot (a remote worker) returns None
and every page is simply fetched.
"""
from __future__ import annotations

import logging

from scrapy import signals
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.misc import load_object

from banwatch.crawldb import body_by_sha256
from banwatch.db import open_crawl_db
from crawlers import store
from crawlers.items import FetchedPage, FetchFailure

logger = logging.getLogger(__name__)


class SQLiteSink:
    """Writes into DATA_DIR/crawl.db, one committed transaction per item (kill -9 safe)."""

    def __init__(self, data_dir, worker=None):
        self.db = open_crawl_db(data_dir)
        self.worker = worker

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings["BANWATCH_DATA_DIR"], worker=crawler.settings["BANWATCH_WORKER"])

    def save(self, item) -> str:
        """Store one item; returns the outcome ("new", "changed", "unchanged", "not_modified",
        "partial", "error_status" for responses; "failure" for failures)."""
        if isinstance(item, FetchedPage):
            return store.save_response(
                self.db, url=item.url, status=item.status, headers=item.headers, body=item.body,
                final_url=item.final_url, canonical_url=item.canonical_url, source=item.source,
                kind=item.kind, meta=item.meta, fetched_at=item.fetched_at, worker=self.worker,
                partial=item.partial, failure=item.failure, store_page=item.store_page,
            )
        if isinstance(item, FetchFailure):
            store.save_failure(
                self.db, url=item.url, reason=item.reason, detail=item.detail, source=item.source,
                status=item.status, at=item.at, worker=self.worker, meta=item.meta,
            )
            return "failure"
        raise TypeError(f"the crawl store takes FetchedPage or FetchFailure, not {type(item).__name__}")

    def find_page(self, url: str) -> dict | None:
        return store.find_page(self.db, url)

    def body(self, sha256: str) -> bytes | None:
        try:
            return body_by_sha256(self.db, sha256)
        except KeyError:
            return None

    def close(self):
        self.db.close()


def sink_for(crawler):
    """The crawler's one sink, created on first use and closed when the spider closes."""
    sink = getattr(crawler, "_banwatch_sink", None)
    if sink is None:
        sink = load_object(crawler.settings["BANWATCH_SINK"]).from_crawler(crawler)
        crawler._banwatch_sink = sink
        crawler.signals.connect(_close_sink(crawler), signal=signals.spider_closed, weak=False)
    return sink


def _close_sink(crawler):
    def close(**kwargs):
        sink = getattr(crawler, "_banwatch_sink", None)
        if sink is not None:
            sink.close()
            crawler._banwatch_sink = None
    return close


def count_outcome(stats, item, outcome):
    """Crawl stats under banwatch/: responses, pages/<outcome>, failures, failures/<reason>."""
    if isinstance(item, FetchedPage):
        stats.inc_value("banwatch/responses")
        stats.inc_value(f"banwatch/pages/{outcome}")
        if item.failure:
            stats.inc_value("banwatch/failures")
            stats.inc_value(f"banwatch/failures/{item.failure[0]}")
    else:
        stats.inc_value("banwatch/failures")
        stats.inc_value(f"banwatch/failures/{item.reason}")


class StorePipeline:
    """Item pipeline: hands items to the sink, counts outcomes, and stops at --max-pages."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.sink = sink_for(crawler)
        self.max_pages = crawler.settings.getint("BANWATCH_MAX_PAGES")
        self._closing = False

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item):
        self.count(item, self.sink.save(item))
        return item

    def count(self, item, outcome):
        count_outcome(self.crawler.stats, item, outcome)
        if self.max_pages and not self._closing and isinstance(item, FetchedPage):
            if self.crawler.stats.get_value("banwatch/responses", 0) >= self.max_pages:
                self._closing = True
                logger.info("reached --max-pages %d: stopping (the next crawl resumes)", self.max_pages)
                # Scheduled, not awaited: closing waits for the items in flight, this one included.
                deferred_from_coro(self.crawler.engine.close_spider_async(reason="max_pages"))
