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
  per further listing page (the next API page, a child sitemap);

and may declare ``listing_problem(response)``: why an answer is not a listing at all (a rate-limit
notice, an error text sent with HTTP 200) and whether to ask again later.

What the base class guarantees, whatever the spider parses:

- a listing is stored only once it has parsed; an answer that is not one (an access wall, a
  rate-limit notice, a page that does not parse) is recorded as a failure with its reason, never as a
  listing, so it is never re-read from crawl.db either;
- further listings must be http(s) (others are recorded as ``refused``), and every request also
  passes crawlers/safety.py;
- an article answered with an access wall (CAPTCHA, bot check, a JavaScript interstitial) is a
  ``blocked`` failure, not a page; the spider's alternates (``Link.alternates``) are tried instead;
- a failed or refused article keeps the listing's hints (title, date, summary) on its failure row.

Storage, canonical URLs, relevance and incremental fetching are handled here, in the middlewares
and in the store; a spider only parses.
"""
from __future__ import annotations

import dataclasses
import datetime
import email.utils
import logging
import re
from collections.abc import Iterable

import parsel
import scrapy
from w3lib.html import remove_tags, replace_entities

from banwatch.crawldb import ACCESS_WALLS, access_wall
from banwatch.utils import is_http_url, looks_like_pdf
from crawlers import relevance
from crawlers.failures import PageIsFresh, classify_failure
from crawlers.items import FetchedPage, FetchFailure
from crawlers.middlewares import STORED_FLAG, headers_dict
from crawlers.safety import refused_host, scheme_refusal
from crawlers.sources import Source
from crawlers.urls import canonical_url, strip_tracking

logger = logging.getLogger(__name__)


@dataclasses.dataclass
class Listing:
    """Another listing page to fetch and parse (next API page, child sitemap, a GDELT time window)."""

    url: str
    meta: dict = dataclasses.field(default_factory=dict)  # extra request meta the spider reads back
    refresh: float | None = None  # instead of the source's refresh (a closed GDELT window changes little)


@dataclasses.dataclass
class Link:
    """An article a listing points to, with what the listing says about it."""

    url: str
    title: str | None = None
    published: str | None = None  # YYYY-MM-DD as the listing dates it
    summary: str | None = None
    publisher: str | None = None  # the outlet, when the listing names it (news search results)
    alternates: tuple[str, ...] = ()  # other URLs of the same document, tried in turn if this one fails


@dataclasses.dataclass
class ListingProblem:
    """Why an answer is not a listing: a failure ``reason`` (banwatch.crawldb.FAILURE_REASONS), one line
    of ``detail``, and whether to ask again later (a rate-limit notice)."""

    reason: str
    detail: str
    retry: bool = False


class SourceSpider(scrapy.Spider):
    kind: str = ""
    listing_kind: str = "feed"
    # 304s come from our conditional GETs (IncrementalMiddleware attaches the stored body).
    handle_httpstatus_list = [304]
    # Listings before articles: they lead to the rest of the crawl.
    LISTING_PRIORITY = 10

    def __init__(self, sources: Iterable[Source] = (), since: datetime.date | None = None, **kwargs):
        super().__init__(**kwargs)
        self.sources = {source.name: source for source in sources}
        self.since = since  # `crawl --since`: instead of each source's own `since`
        self._relevance = None

    # -- what subclasses declare -----------------------------------------------------------------

    def seed_urls(self, source: Source) -> Iterable[str]:
        raise NotImplementedError

    def seed_listings(self, source: Source) -> Iterable[Listing]:
        """The first listings of a source: its seed URLs, unless the spider says more (GDELT's windows)."""
        return [Listing(url) for url in self.seed_urls(source)]

    def entries(self, response, source: Source) -> Iterable[Link | Listing]:
        return ()

    def listing_problem(self, response) -> ListingProblem | None:
        """Why this answer is not a listing (None: it is one). The base class knows access walls."""
        wall = page_wall(response)
        return ListingProblem("blocked", f"{self.listing_kind} answered with {wall}") if wall else None

    def listing_meta(self, source: Source) -> dict:
        """Extra meta for every listing request of this source (a download slot, say)."""
        return {}

    @classmethod
    def crawler_settings(cls, sources: list[Source], settings: dict) -> dict:
        """Settings this spider needs for these sources, on top of the crawl's (the runner asks)."""
        return {}

    # -- helpers ---------------------------------------------------------------------------------

    def since_for(self, source: Source) -> datetime.date | None:
        return self.since or source.since

    def count(self, key: str, n: int = 1) -> None:
        crawler = getattr(self, "crawler", None)
        if crawler is not None:
            crawler.stats.inc_value(key, n)

    def is_relevant(self, link: Link) -> bool:
        if self._relevance is None:
            self._relevance = relevance.default_filter()
        return self._relevance.is_relevant(link.title, link.summary, link.url)

    # -- start -----------------------------------------------------------------------------------

    async def start(self):
        for request in self.seed_requests():
            yield request

    def start_requests(self):
        # The pre-2.13 entry point, still used by scrapy-redis (issue 7).
        yield from self.seed_requests()

    def seed_requests(self):
        for source in self.sources.values():
            for listing in self.seed_listings(source):
                yield self.listing_request(listing.url, source, meta=listing.meta, refresh=listing.refresh)

    # -- requests --------------------------------------------------------------------------------

    def listing_request(self, url: str, source: Source, referrer: str | None = None, meta: dict | None = None,
                        refresh: float | None = None) -> scrapy.Request:
        extra = {**self.listing_meta(source), **(meta or {})}
        request_meta = {"source": source.name, "kind": self.listing_kind,
                        "refresh": source.refresh if refresh is None else refresh,
                        "banwatch_listing": {"referrer": referrer, "meta": extra, "refresh": refresh},
                        **extra}
        if referrer:
            request_meta["hints"] = {"referrer": referrer}
        return scrapy.Request(
            strip_tracking(url), callback=self.parse_listing, errback=self.on_error,
            meta=request_meta, priority=self.LISTING_PRIORITY,
        )

    def listing_again(self, response, **flags) -> scrapy.Request:
        """The same listing request once more (not filtered as a duplicate), with these meta flags."""
        request = response.request
        source = self.sources[request.meta["source"]]
        again = request.meta.get("banwatch_listing") or {}
        retry = self.listing_request(request.url, source, referrer=again.get("referrer"), meta=again.get("meta"),
                                     refresh=again.get("refresh"))
        retry.meta.update(flags)
        return retry.replace(dont_filter=True)

    def article_request(self, link: Link, source: Source, referrer: str | None = None, check_relevance=True):
        """A request for a listed article, or None when it is skipped (not http, or not relevant)."""
        if not link.url or not is_http_url(link.url):
            self.count("banwatch/bad_links")
            return None
        if check_relevance and source.relevance and not self.is_relevant(link):
            self.count("banwatch/irrelevant")
            logger.debug("skipped as irrelevant: %s (%s)", link.url, link.title)
            return None
        hints = {
            "title": _clean(link.title),
            "published": link.published,
            "summary": _clean(link.summary),
            "publisher": _clean(link.publisher, 200),
            "referrer": referrer,
        }
        meta = {"source": source.name, "kind": "article", "refresh": source.refresh,
                "hints": {k: v for k, v in hints.items() if v}}
        alternates = [u for u in link.alternates if u and is_http_url(u) and u != link.url]
        if alternates:
            meta["alternates"] = alternates
        return scrapy.Request(strip_tracking(link.url), callback=self.parse_article, errback=self.on_error, meta=meta)

    def alternate_request(self, request) -> scrapy.Request | None:
        """The next URL of a document whose URL failed (Federal Register: body HTML, text, PDF...)."""
        alternates = request.meta.get("alternates") or []
        source = self.sources.get(request.meta.get("source"))
        if not alternates or source is None:
            return None
        hints = request.meta.get("hints") or {}
        link = Link(url=alternates[0], title=hints.get("title"), published=hints.get("published"),
                    summary=hints.get("summary"), publisher=hints.get("publisher"), alternates=tuple(alternates[1:]))
        self.count("banwatch/alternates")
        return self.article_request(link, source, referrer=hints.get("referrer"), check_relevance=False)

    # -- callbacks -------------------------------------------------------------------------------

    def parse_listing(self, response):
        source = self.sources[response.meta["source"]]
        stored = STORED_FLAG in response.flags or response.status == 304
        problem = None
        if response.status in (200, 203, 304):
            problem = self.listing_problem(response)
            if problem is None:
                try:
                    entries = list(self.entries(response, source))
                except Exception as e:  # noqa: BLE001 - a listing that fails to parse is recorded, the crawl goes on
                    logger.warning("could not parse %s %s: %s", self.listing_kind, response.url, e)
                    problem = ListingProblem("other", f"could not parse {self.listing_kind}: {type(e).__name__}: {e}")
        else:
            entries = []
        if problem is not None:
            yield from self.listing_failed(response, problem, stored)
            return
        if STORED_FLAG not in response.flags:
            yield self.page_item(response)
        for entry in entries:
            if isinstance(entry, Listing):
                refusal = scheme_refusal(entry.url)
                if refusal:
                    self.count("banwatch/bad_links")
                    yield FetchFailure(url=entry.url[:2000], reason="refused", source=source.name,
                                       detail=f"{refusal} (listed as a {self.listing_kind} by {response.url})"[:500])
                    continue
                yield self.listing_request(entry.url, source, referrer=response.url, meta=entry.meta,
                                           refresh=entry.refresh)
                continue
            request = self.article_request(entry, source, referrer=response.url)
            if request is not None:
                yield request

    def listing_failed(self, response, problem: ListingProblem, stored: bool):
        """An answer that is not a listing: asked again (a stale stored copy, a rate-limit notice) or
        recorded as a failure with its reason; never stored as a listing."""
        if stored and not response.meta.get("banwatch_refetch"):
            # crawl.db holds this as a listing from an older crawl: ask the server instead
            self.count("banwatch/listings_refetched")
            yield self.listing_again(response, banwatch_refetch=True)
            return
        attempts = response.meta.get("banwatch_listing_retries", 0)
        settings = getattr(self, "settings", None)
        if problem.retry and attempts < (settings.getint("BANWATCH_LISTING_RETRIES", 3) if settings else 3):
            self.count("banwatch/listing_retries")
            logger.info("%s: %s; asking again later", response.url, problem.detail)
            yield self.listing_again(response, banwatch_refetch=True, banwatch_listing_retries=attempts + 1)
            return
        logger.warning("%s %s: %s", self.listing_kind, response.url, problem.detail)
        detail = problem.detail[:500]
        if STORED_FLAG in response.flags:
            yield FetchFailure(url=response.url, reason=problem.reason, detail=detail,
                               source=response.meta.get("source"), status=response.status)
        else:
            yield self.page_item(response, failure=(problem.reason, detail), store_page=False)

    def parse_article(self, response):
        if STORED_FLAG in response.flags:
            return
        wall = page_wall(response) if 200 <= response.status < 300 else None
        if wall:
            self.count("banwatch/access_walls")
            yield self.page_item(response, failure=("blocked", f"answered with {wall}"), store_page=False)
            alternate = self.alternate_request(response.request)
            if alternate is not None:
                yield alternate
            return
        yield self.page_item(response)

    def on_error(self, failure):
        exc = failure.value
        request = failure.request
        source = request.meta.get("source")
        if isinstance(exc, PageIsFresh):
            return
        reason, status, detail = classify_failure(exc)
        if reason == "dns" and refused_host(request.url):
            reason, detail = "refused", refused_host(request.url)
        response = getattr(exc, "response", None)
        if response is not None:
            # An HTTP error is a response too: store it, with its failure, in one go.
            wall = page_wall(response) if reason == "http_status" else None
            if wall:  # a bot check answered with 403, say: blocked, not merely an error status
                reason, detail = "blocked", f"{detail}: answered with {wall}"
            yield self.page_item(response, failure=(reason, detail))
        else:
            logger.info("failed (%s): %s: %s", reason, request.url, detail)
            yield FetchFailure(url=request.url, reason=reason, detail=detail, source=source, status=status,
                               meta=request.meta.get("hints") or {})
        if request.meta.get("kind") == "article" and reason not in ("refused", "robots"):
            alternate = self.alternate_request(request)
            if alternate is not None:
                yield alternate

    # -- items -----------------------------------------------------------------------------------

    def page_item(self, response, failure=None, store_page=True) -> FetchedPage:
        meta = response.meta
        headers = meta.get("banwatch_wire_headers") or headers_dict(response.headers)
        partial = "dataloss" in response.flags
        if partial and failure is None:
            declared = next((v for k, v in headers.items() if k.lower() == "content-length"), "?")
            failure = ("dataloss", f"transfer cut short: {len(response.body)} of {declared} bytes arrived")
        if response.status == 304:
            key = (meta.get("banwatch_page") or {}).get("url") or strip_tracking(response.url)
        elif 200 <= response.status < 300 and not partial and store_page:
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
            store_page=store_page,
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


_TITLE = re.compile(rb"<title[^>]*>(.*?)</title", re.I | re.S)
_WALL_TITLES = tuple(title_pattern for _, title_pattern, _ in ACCESS_WALLS)
WALL_CHECK_LIMIT = 512 * 1024  # walls are small pages; bigger ones are not examined


def page_wall(response) -> str | None:
    """What access wall an HTML answer is (see banwatch.crawldb.access_wall), or None.

    Cheap for ordinary pages: only a page whose <title> reads like a wall is parsed for its text."""
    url = response.url
    wall = access_wall(None, None, url)
    if wall:
        return wall
    body = response.body or b""
    content_type = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
    if len(body) > WALL_CHECK_LIMIT or not ("html" in content_type or (not content_type and b"<html" in body[:2048].lower())):
        return None
    match = _TITLE.search(body, 0, 65536)
    if not match:
        return None
    title = replace_entities(match.group(1).decode("utf-8", "replace"))
    if not any(pattern.search(title) for pattern in _WALL_TITLES):
        return None
    selector = parsel.Selector(text=body.decode("utf-8", "replace"))
    text = " ".join(" ".join(selector.xpath("//body//text()[not(ancestor::script) and not(ancestor::style)]").getall()).split())
    return access_wall(title, text)


def _clean(text: str | None, limit: int = 2000) -> str | None:
    if not text:
        return None
    return " ".join(replace_entities(remove_tags(text)).split())[:limit] or None
