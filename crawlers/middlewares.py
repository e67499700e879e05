"""banwatch's downloader middlewares (their order is in crawlers/settings.py).

- IncrementalMiddleware (50): a page stored within its refresh interval is not fetched; a listing
  page (feed, sitemap, API, listing page, robots.txt) is then re-read from crawl.db so its links are
  still followed; an older page gets a conditional GET, and a 304 gets the stored body attached. A
  request marked ``banwatch_refetch`` (a stored listing that was not one) always goes to the server.
- RobotsRecorderMiddleware (60): robots.txt responses are stored like any page (kind robots).
- BackoffRetryMiddleware (550): Scrapy's retries, with a wait before each one: Retry-After when the
  server sends it, exponential back-off otherwise.
- WireHeadersMiddleware (960): keeps the headers as they came off the wire, before decompression
  rewrites them, for the store.
"""
from __future__ import annotations

import asyncio
import datetime
import email.utils
import logging
from urllib.parse import urlsplit

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import NotConfigured
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes
from scrapy.utils.response import response_status_message

from banwatch.crawldb import LISTING_KINDS
from banwatch.utils import parse_timestamp
from crawlers import store
from crawlers.failures import PageIsFresh, status_text
from crawlers.items import FetchedPage
from crawlers.pipelines import count_outcome, sink_for
from crawlers.safety import refused_host
from crawlers.urls import strip_tracking

logger = logging.getLogger(__name__)

STORED_FLAG = "banwatch_stored"  # response re-read from crawl.db, not fetched: nothing to store


def headers_dict(headers: Headers) -> dict:
    """Scrapy headers as a JSON-able dict; repeated headers joined with ', '."""
    return {
        key.decode("latin-1"): ", ".join(v.decode("latin-1") for v in values)
        for key, values in headers.items()
    }


class IncrementalMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler
        self.sink = sink_for(crawler)
        self.default_refresh = crawler.settings.getfloat("BANWATCH_DEFAULT_REFRESH")

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request):
        if request.meta.get("banwatch_refetch"):
            # a listing re-read from crawl.db turned out not to be one (an older crawl stored a
            # rate-limit notice or an error page): ask the server, unconditionally
            return None
        page = self.sink.find_page(strip_tracking(request.url))
        if page is None:
            return None
        refresh = request.meta.get("refresh", self.default_refresh)
        age = _age_seconds(page["fetched_at"])
        if age < refresh:
            if page["kind"] in LISTING_KINDS and page["sha256"]:
                body = self.sink.body(page["sha256"])
                if body is not None:
                    self.crawler.stats.inc_value("banwatch/listings_from_store")
                    return _stored_response(request, page, body)
            self.crawler.stats.inc_value("banwatch/fresh")
            raise PageIsFresh(f"stored {age:.0f}s ago, refresh interval {refresh:.0f}s")
        for name, value in store.conditional_headers(page).items():
            request.headers.setdefault(name, value)
        request.meta["banwatch_page"] = {"url": page["url"], "sha256": page["sha256"], "kind": page["kind"]}
        return None

    def process_response(self, request, response):
        page = request.meta.get("banwatch_page")
        if response.status == 304 and page and page["sha256"] and page["kind"] in LISTING_KINDS:
            # The spider re-parses an unchanged listing from the stored body.
            body = self.sink.body(page["sha256"]) or b""
            return response.replace(body=body)
        return response


def _age_seconds(fetched_at: str) -> float:
    then = parse_timestamp(fetched_at)
    return (datetime.datetime.now(datetime.timezone.utc) - then).total_seconds()


def _stored_response(request, page, body):
    headers = Headers()
    if page["content_type"]:
        charset = f"; charset={page['charset']}" if page["charset"] else ""
        headers["Content-Type"] = f"{page['content_type']}{charset}"
    cls = responsetypes.from_args(headers=headers, url=request.url, body=body)
    return cls(url=request.url, status=200, headers=headers, body=body, flags=[STORED_FLAG], request=request)


class RobotsRecorderMiddleware:
    """Stores each robots.txt fetched by Scrapy's RobotsTxtMiddleware (which bypasses the spider)."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("ROBOTSTXT_OBEY"):
            raise NotConfigured
        return cls(crawler)

    def process_response(self, request, response):
        if (
            request.meta.get("dont_obey_robotstxt")
            and urlsplit(request.url).path == "/robots.txt"
            and STORED_FLAG not in response.flags
        ):
            item = FetchedPage(
                url=request.meta.get("redirect_urls", [request.url])[0],
                status=response.status,
                headers=request.meta.get("banwatch_wire_headers") or headers_dict(response.headers),
                body=response.body,
                final_url=response.url,
                canonical_url=strip_tracking(response.url),
                source=None,
                kind="robots",
                partial="dataloss" in response.flags,
            )
            outcome = sink_for(self.crawler).save(item)
            count_outcome(self.crawler.stats, item, outcome)
        return response


class BackoffRetryMiddleware(RetryMiddleware):
    """Retries 429/5xx and network errors like Scrapy's RetryMiddleware, but waits first.

    The wait is the server's Retry-After (seconds or an HTTP date) when given, else
    BANWATCH_RETRY_BACKOFF_BASE * 2**n capped at BANWATCH_RETRY_BACKOFF_MAX. A Retry-After above
    BANWATCH_RETRY_AFTER_MAX is not waited for: the response goes through as a failure, recorded.
    The wait ends early when the crawl is being stopped, and the retry is then left in the
    scheduler's queue (JOBDIR) for the next run.
    """

    def __init__(self, settings):
        super().__init__(settings)
        self.backoff_base = settings.getfloat("BANWATCH_RETRY_BACKOFF_BASE")
        self.backoff_max = settings.getfloat("BANWATCH_RETRY_BACKOFF_MAX")
        self.retry_after_max = settings.getfloat("BANWATCH_RETRY_AFTER_MAX")

    async def process_response(self, request, response):
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            return response
        retry_after = parse_retry_after(response.headers.get(b"Retry-After"))
        if retry_after is not None and retry_after > self.retry_after_max:
            self.crawler.stats.inc_value("banwatch/retry_after_too_long")
            logger.warning(
                "%s asks to retry after %.0fs (cap %.0fs): recording it as failed",
                request.url, retry_after, self.retry_after_max,
            )
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        delay = retry_after if retry_after is not None else self._backoff(retry)
        logger.info("%s for %s: retrying in %.1fs", status_text(response.status), request.url, delay)
        await self._wait(delay)
        return retry

    async def process_exception(self, request, exception):
        if not isinstance(exception, self.exceptions_to_retry) or request.meta.get("dont_retry"):
            return None
        if refused_host(request.url):  # a name resolving to a private address will not change its mind
            return None
        retry = self._retry(request, exception)
        if retry is not None:
            await self._wait(self._backoff(retry))
        return retry

    def _backoff(self, retry) -> float:
        attempt = retry.meta.get("retry_times", 1)
        return min(self.backoff_base * 2 ** (attempt - 1), self.backoff_max)

    async def _wait(self, seconds: float):
        # Short steps so a graceful stop (SIGTERM, Ctrl-C) is not held up by a long Retry-After.
        deadline = asyncio.get_running_loop().time() + seconds
        while (remaining := deadline - asyncio.get_running_loop().time()) > 0:
            if not getattr(self.crawler.engine, "running", True):
                return
            await asyncio.sleep(min(remaining, 0.25))


def parse_retry_after(value: bytes | None) -> float | None:
    """Retry-After as seconds from now: '120' or 'Fri, 31 Jan 2025 18:00:00 GMT'."""
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.timezone.utc)
    return max(0.0, (when - datetime.datetime.now(datetime.timezone.utc)).total_seconds())


class WireHeadersMiddleware:
    """Saves the response headers as received (Content-Encoding, Content-Length of the wire body)
    before HttpCompressionMiddleware rewrites them; the store keeps these."""

    def process_response(self, request, response):
        request.meta["banwatch_wire_headers"] = headers_dict(response.headers)
        return response
