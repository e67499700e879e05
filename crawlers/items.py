"""What spiders hand to the store: a fetched response, or a fetch that failed.

Plain dataclasses (Scrapy passes them through item pipelines via itemadapter), so a Redis-queue
sink (issue 7) can serialise them with ``dataclasses.asdict``.
"""
from __future__ import annotations

import dataclasses

from banwatch.utils import utcnow


@dataclasses.dataclass
class FetchedPage:
    url: str  # as requested (tracking parameters already stripped)
    status: int
    headers: dict
    body: bytes | None
    final_url: str
    canonical_url: str
    source: str | None
    kind: str  # article | feed | sitemap | api | pdf | robots | other
    meta: dict = dataclasses.field(default_factory=dict)  # hints: title, published, summary, referrer
    fetched_at: str = dataclasses.field(default_factory=utcnow)
    partial: bool = False  # the transfer was cut short: body is what arrived
    failure: tuple[str, str] | None = None  # (reason, detail) when this response is also a failure
    store_page: bool = True  # False: an answer that is not the content (access wall, rate-limit text)

    def __repr__(self):  # never dump a body into a log line
        size = len(self.body) if self.body is not None else 0
        return f"<FetchedPage {self.status} {self.url} kind={self.kind} {size}B source={self.source}>"


@dataclasses.dataclass
class FetchFailure:
    url: str
    reason: str  # see banwatch.crawldb.FAILURE_REASONS
    detail: str
    source: str | None
    status: int | None = None
    at: str = dataclasses.field(default_factory=utcnow)
    meta: dict = dataclasses.field(default_factory=dict)  # the listing's hints about the page it failed to get
