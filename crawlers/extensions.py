"""Progress lines while a crawl runs: every N stored responses, and at least every T seconds."""
from __future__ import annotations

import logging
import time

from scrapy import signals
from scrapy.utils.asyncio import create_looping_call

logger = logging.getLogger("banwatch.crawl")


def progress_line(stats: dict, seconds: float) -> str:
    get = lambda key: stats.get(f"banwatch/{key}", 0)  # noqa: E731
    responses = get("responses")
    rate = responses / seconds if seconds > 0 else 0.0
    return (
        f"{responses} responses ({get('pages/new')} new, {get('pages/changed')} changed, "
        f"{get('pages/unchanged') + get('pages/not_modified')} unchanged), {get('failures')} failures, "
        f"{get('fresh')} fresh skipped, {get('irrelevant')} irrelevant links skipped, {rate:.1f} responses/s"
    )


class ProgressLog:
    def __init__(self, crawler):
        self.crawler = crawler
        self.every = crawler.settings.getint("BANWATCH_PROGRESS_EVERY")
        self.interval = crawler.settings.getfloat("BANWATCH_PROGRESS_INTERVAL")
        self.started = time.monotonic()
        self.logged_at = 0
        self.loop = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def spider_opened(self, spider):
        self.started = time.monotonic()
        if self.interval > 0:
            self.loop = create_looping_call(self.log)
            self.loop.start(self.interval, now=False)

    def item_scraped(self, item, **kwargs):
        if self.every:
            responses = self.crawler.stats.get_value("banwatch/responses", 0)
            if responses // self.every > self.logged_at // self.every:
                self.logged_at = responses
                self.log()

    def log(self):
        spider = self.crawler.spider
        logger.info("%s: %s", spider.name if spider else "crawl",
                    progress_line(self.crawler.stats.get_stats(), time.monotonic() - self.started))

    def spider_closed(self, spider, reason):
        if self.loop is not None and self.loop.running:
            self.loop.stop()
