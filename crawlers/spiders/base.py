"""What every banwatch spider shares.

A spider handles one *kind* of source (feed, sitemap, API...) and crawls all the configured sources
of that kind. It fetches each source's listing pages (the feed, the sitemap, each API page),
stores them, and follows the article links they list - those that pass the relevance filter -
with the listing's hints (title, published, summary, referrer). Articles are leaves: their links
are not followed.

A subclass declares:

- ``kind``: the source kind it handles, and ``listing_kind``: the page kind of its listings;
- ``seed_urls(source)``: the first listing URL(s) of a source;
- ``entries(response, source)``: what a listing page lists - a ``Link`` per article, a ``Listing``
  per further listing page (the next API page, a child sitemap).

Storage, failure recording, canonical URLs, relevance and incremental fetching are handled here,
in the middlewares and in the store; a spider only parses.
"""
from __future__ import annotations

import dataclasses
import datetime
import email.utils
import logging
from collections.abc import Iterable

import scrapy
from w3lib.html import remove_tags, replace_entities

from banwatch.utils import is_http_url, looks_like_pdf
from crawlers import relevance
from crawlers.failures import PageIsFresh, classify_failure
from crawlers.items import FetchedPage, FetchFailure
from crawlers.middlewares import STORED_FLAG, headers_dict
from crawlers.sources import Source
from crawlers.urls import canonical_url, strip_tracking

logger = logging.getLogger(__name__)


@dataclasses.dataclass
class Listing:
    """Another listing page to fetch and parse (next API page, child sitemap)."""

    url: str


@dataclasses.dataclass
class Link:
    """An article a listing points to, with what the listing says about it."""

    url: str
    title: str | None = None
    published: str | None = None  # YYYY-MM-DD as the listing dates it
    summary: str | None = None


class SourceSpider(scrapy.Spider):
    kind: str = ""
    listing_kind: str = "feed"
    # 304s come from our conditional GETs (IncrementalMiddleware attaches the stored body).
    handle_httpstatus_list = [304]
    # Listings before articles: they lead to the rest of the crawl.
    LISTING_PRIORITY = 10

    def __init__(self, sources: Iterable[Source] = (), **kwargs):
        super().__init__(**kwargs)
        self.sources = {source.name: source for source in sources}
        self._relevance = None

    # -- what subclasses declare -----------------------------------------------------------------

    def seed_urls(self, source: Source) -> Iterable[str]:
        raise NotImplementedError

    def entries(self, response, source: Source) -> Iterable[Link | Listing]:
        return ()

    # -- start -----------------------------------------------------------------------------------

    async def start(self):
        for request in self.seed_requests():
            yield request

    def start_requests(self):
        # The pre-2.13 entry point, still used by scrapy-redis (issue 7).
        yield from self.seed_requests()

    def seed_requests(self):
        for source in self.sources.values():
            for url in self.seed_urls(source):
                yield self.listing_request(url, source)

    # -- requests --------------------------------------------------------------------------------

    def listing_request(self, url: str, source: Source, referrer: str | None = None) -> scrapy.Request:
        meta = {"source": source.name, "kind": self.listing_kind, "refresh": source.refresh}
        if referrer:
            meta["hints"] = {"referrer": referrer}
        return scrapy.Request(
            strip_tracking(url), callback=self.parse_listing, errback=self.on_error,
            meta=meta, priority=self.LISTING_PRIORITY,
        )

    def article_request(self, link: Link, source: Source, referrer: str | None = None, check_relevance=True):
        """A request for a listed article, or None when it is skipped (not http, or not relevant)."""
        if not link.url or not is_http_url(link.url):
            self.crawler.stats.inc_value("banwatch/bad_links")
            return None
        if check_relevance and source.relevance:
            if self._relevance is None:
                self._relevance = relevance.default_filter()
            if not self._relevance.is_relevant(link.title, link.summary, link.url):
                self.crawler.stats.inc_value("banwatch/irrelevant")
                logger.debug("skipped as irrelevant: %s (%s)", link.url, link.title)
                return None
        hints = {
            "title": _clean(link.title),
            "published": link.published,
            "summary": _clean(link.summary),
            "referrer": referrer,
        }
        return scrapy.Request(
            strip_tracking(link.url), callback=self.parse_article, errback=self.on_error,
            meta={"source": source.name, "kind": "article", "refresh": source.refresh,
                  "hints": {k: v for k, v in hints.items() if v}},
        )

    # -- callbacks -------------------------------------------------------------------------------

    def parse_listing(self, response):
        source = self.sources[response.meta["source"]]
        if STORED_FLAG not in response.flags:
            yield self.page_item(response)
        if response.status not in (200, 203, 304):
            return
        try:
            for entry in self.entries(response, source):
                if isinstance(entry, Listing):
                    yield self.listing_request(entry.url, source, referrer=response.url)
                    continue
                request = self.article_request(entry, source, referrer=response.url)
                if request is not None:
                    yield request
        except Exception as e:  # noqa: BLE001 - a listing that fails to parse is recorded, the crawl goes on
            logger.warning("could not parse %s %s: %s", self.listing_kind, response.url, e)
            yield FetchFailure(
                url=response.url, reason="other", source=source.name, status=response.status,
                detail=f"could not parse {self.listing_kind}: {type(e).__name__}: {e}"[:500],
            )

    def parse_article(self, response):
        if STORED_FLAG not in response.flags:
            yield self.page_item(response)

    def on_error(self, failure):
        exc = failure.value
        request = failure.request
        source = request.meta.get("source")
        if isinstance(exc, PageIsFresh):
            return
        reason, status, detail = classify_failure(exc)
        response = getattr(exc, "response", None)
        if response is not None:
            # An HTTP error is a response too: store it, with its failure, in one go.
            yield self.page_item(response, failure=(reason, detail))
            return
        logger.info("failed (%s): %s: %s", reason, request.url, detail)
        yield FetchFailure(url=request.url, reason=reason, detail=detail, source=source, status=status)

    # -- items -----------------------------------------------------------------------------------

    def page_item(self, response, failure=None) -> FetchedPage:
        meta = response.meta
        headers = meta.get("banwatch_wire_headers") or headers_dict(response.headers)
        partial = "dataloss" in response.flags
        if partial and failure is None:
            declared = next((v for k, v in headers.items() if k.lower() == "content-length"), "?")
            failure = ("dataloss", f"transfer cut short: {len(response.body)} of {declared} bytes arrived")
        if response.status == 304:
            key = (meta.get("banwatch_page") or {}).get("url") or strip_tracking(response.url)
        elif 200 <= response.status < 300 and not partial:
            key = canonical_url(response)
        else:
            key = strip_tracking(response.url)
        return FetchedPage(
            url=meta.get("redirect_urls", [response.url])[0],
            status=response.status,
            headers=headers,
            body=None if response.status == 304 else response.body,
            final_url=response.url,
            canonical_url=key,
            source=meta.get("source"),
            kind=page_kind(meta.get("kind", "article"), headers, response.body),
            meta=meta.get("hints") or {},
            partial=partial,
            failure=failure,
        )


def page_kind(expected: str, headers: dict, body: bytes) -> str:
    """The stored kind: what the request expected, corrected by what actually came back."""
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "").lower()
    if "pdf" in content_type or looks_like_pdf(body or b""):
        return "pdf"
    if expected != "article":
        return expected
    if not content_type or any(t in content_type for t in ("html", "xml", "text/")):
        return "article"
    return "other"


def feed_date(value: str | None) -> str | None:
    """A listing's date as the publisher's own calendar day (YYYY-MM-DD): RFC 822 or ISO 8601."""
    if not value:
        return None
    value = value.strip()
    try:
        return email.utils.parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return datetime.datetime.fromisoformat(value.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        pass
    try:
        return datetime.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


def _clean(text: str | None, limit: int = 2000) -> str | None:
    if not text:
        return None
    return " ".join(replace_entities(remove_tags(text)).split())[:limit] or None
