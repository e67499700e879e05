"""``banwatch sources check``: does each source answer, and with what? One line per source.

For each source: its robots.txt (is the listing allowed for banwatch's user agent?), one listing (the
feed, the search, the first API page or GDELT window), parsed by the source's own spider: how many
items it lists, how many pass the relevance filter, the newest item's date, and what is wrong. It
asks as politely as a crawl: banwatch's user agent, at most one request a second per site and one
every 5 seconds per GDELT host, nothing robots.txt disallows, the same refusals of non-http(s) URLs
and private addresses (crawlers/safety.py), and no more than the crawl's size cap.

It uses httpx rather than Scrapy: a check is a handful of sequential requests, and a Scrapy crawl
could not run twice in one process (``banwatch run`` may check, then crawl).
"""
from __future__ import annotations

import dataclasses
import datetime
import ipaddress
import socket
import time
from urllib.parse import urljoin, urlsplit

import httpx
from protego import Protego
from scrapy import Request
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes

from banwatch.utils import is_http_url
from crawlers.failures import status_text
from crawlers.safety import (
    address_kind,
    address_refusal,
    origin_allowed,
    scheme_refusal,
)
from crawlers.settings import BASE, POLITE, USER_AGENT
from crawlers.spiders import SPIDER_FOR_KIND
from crawlers.spiders.base import Link, Listing, page_wall
from crawlers.spiders.gdelt import GdeltSpider

STALE_DAYS = 180  # a listing whose newest item is older than this is reported as stale
MAX_REDIRECTS = 5
MAX_BODY = BASE["DOWNLOAD_MAXSIZE"]


@dataclasses.dataclass
class SourceCheck:
    name: str
    kind: str
    url: str | None = None
    robots: str = "-"  # allowed | disallowed, with why when there is no robots.txt to read
    status: int | None = None
    items: int | None = None
    relevant: int | None = None
    newest: str | None = None
    problems: list[str] = dataclasses.field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def line(self, width: int = 0) -> str:
        def number(value):
            return "-" if value is None else str(value)

        return "  ".join([
            self.name.ljust(width), self.kind.ljust(16), f"robots {self.robots}",
            f"HTTP {number(self.status)}", f"items {number(self.items)}", f"relevant {number(self.relevant)}",
            f"newest {self.newest or '-'}", "ok" if self.ok else "; ".join(self.problems),
        ])


class Fetcher:
    """Sequential, polite GETs with the crawl's user agent, refusals, redirect and size limits."""

    def __init__(self, *, timeout=20.0, delay=POLITE["DOWNLOAD_DELAY"], gdelt_interval=BASE["BANWATCH_GDELT_INTERVAL"],
                 user_agent=USER_AGENT, transport=None):
        self.client = httpx.Client(headers={"User-Agent": user_agent}, timeout=timeout, follow_redirects=False,
                                   transport=transport)
        self.delay = delay
        self.gdelt_interval = gdelt_interval
        self.last: dict[str, float] = {}

    def close(self):
        self.client.close()

    def get(self, url: str, allow_private=(), gdelt=False, max_body=MAX_BODY) -> tuple[str, httpx.Response, bytes]:
        """(final URL, response, body) after redirects; raises Refused or httpx.HTTPError.
        ``allow_private``: the host[:port]s that may be private (the source's allow_private);
        ``max_body``: the crawl's size limit for this request."""
        for _ in range(MAX_REDIRECTS + 1):
            refusal = request_refusal(url, allow_private)
            if refusal:
                raise Refused(refusal)
            self._wait(url, self.gdelt_interval if gdelt else self.delay)
            with self.client.stream("GET", url) as response:
                if response.is_redirect and response.headers.get("location"):
                    url = urljoin(url, response.headers["location"])
                    continue
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > max_body:
                        raise Refused(f"too big: more than {max_body // (1024 * 1024)} MB")
                return url, response, bytes(body)
        raise Refused(f"more than {MAX_REDIRECTS} redirects")

    def _wait(self, url: str, interval: float):
        key = urlsplit(url).netloc.lower()
        pause = self.last.get(key, -1e9) + interval - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        self.last[key] = time.monotonic()


class Refused(Exception):
    """A request the check will not make (the crawl would not either)."""


def request_refusal(url: str, allow_private=()) -> str | None:
    """Why the check will not request URL (as the crawl would not): not http(s), or a non-public
    address its source may not reach; None when it may."""
    return scheme_refusal(url) or (None if origin_allowed(url, allow_private) else private_refusal(url))


def private_refusal(url: str) -> str | None:
    """crawlers.safety's refusal of a non-public address, for a name too (resolved here)."""
    refusal = address_refusal(url)
    if refusal:
        return refusal
    host = urlsplit(url).hostname or ""
    try:
        ipaddress.ip_address(host)
        return None  # a public IP literal
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return None  # httpx will say it cannot resolve it
    for info in infos:
        kind = address_kind(info[4][0])
        if kind:
            return f"refused: {host} resolves to {info[4][0]}, a {kind} address"
    return None


def check_sources(sources, *, fetcher: Fetcher | None = None, now: datetime.datetime | None = None):
    """One SourceCheck per source, in order, each as soon as it is done (a generator)."""
    own = fetcher is None
    fetcher = fetcher or Fetcher()
    robots_cache: dict[str, tuple[str, Protego | None]] = {}
    try:
        for source in sources:
            yield check_source(source, fetcher, robots_cache, now)
    finally:
        if own:
            fetcher.close()


def check_source(source, fetcher: Fetcher, robots_cache: dict, now=None) -> SourceCheck:
    spidercls = SPIDER_FOR_KIND[source.kind]
    spider = spidercls(sources=[source], now=now) if spidercls is GdeltSpider else spidercls(sources=[source])
    if source.kind == "urls":
        url = source.urls[0]
    else:
        url = next(iter(spider.seed_listings(source))).url
    result = SourceCheck(source.name, source.kind, url)
    refusal = request_refusal(url, source.allow_private)
    if refusal:  # not even its robots.txt is asked for
        result.problems.append(refusal)
        return result
    robots_state, parser = robots_for(url, fetcher, robots_cache, source.allow_private)
    result.robots = robots_state
    if parser is not None and not parser.can_fetch(url, USER_AGENT):
        result.robots = "disallowed"
        result.problems.append(f"robots.txt disallows {urlsplit(url).path or '/'} for banwatch: "
                               "a polite crawl fetches nothing from this source")
        return result
    try:
        # the limit the crawl's own listing request has (a sitemap may hold 50 MB)
        limit = spider.listing_meta(source).get("download_maxsize", MAX_BODY) if source.kind != "urls" else MAX_BODY
        final_url, response, body = fetcher.get(url, source.allow_private, gdelt=source.kind == "gdelt",
                                                max_body=limit)
    except Refused as e:
        result.problems.append(str(e))
        return result
    except httpx.HTTPError as e:
        result.problems.append(f"no answer: {type(e).__name__}: {' '.join(str(e).split())[:160]}")
        return result
    result.status = response.status_code
    scrapy_response = as_scrapy_response(final_url, response, body, source, spider)
    if not 200 <= response.status_code < 300:
        wall = page_wall(scrapy_response) if body else None
        result.problems.append(status_text(response.status_code) + (f": {wall}" if wall else ""))
        return result
    if source.kind == "urls":
        wall = page_wall(scrapy_response)
        result.items = len(source.urls)
        result.relevant = len(source.urls)
        if wall:
            result.problems.append(f"the first URL answered with {wall}")
        return result
    problem = spider.listing_problem(scrapy_response)
    if problem is not None:
        result.problems.append(problem.detail + (" (a crawl asks again later)" if problem.retry else ""))
        return result
    try:
        entries = list(spider.entries(scrapy_response, source))
    except Exception as e:  # noqa: BLE001 - reported as the source's problem
        result.problems.append(f"could not parse the {spider.listing_kind}: {type(e).__name__}: "
                               f"{' '.join(str(e).split())[:160]}")
        return result
    links = [e for e in entries if isinstance(e, Link)]
    listings = [e for e in entries if isinstance(e, Listing)]
    result.items = len(links)
    result.relevant = sum(1 for link in links if spider.is_relevant(link)) if source.relevance else len(links)
    dates = [link.published for link in links if link.published]
    result.newest = max(dates) if dates else None
    if not links and not listings:
        result.problems.append("lists no items")
    elif not links:
        result.problems.append(f"lists no items, only {len(listings)} further listing(s)")
    if result.newest and result.newest < (datetime.date.today() - datetime.timedelta(days=STALE_DAYS)).isoformat():
        result.problems.append(f"stale: the newest item is from {result.newest}")
    blocked = [link for link in links if not is_http_url(link.url)
               or (parser is not None and same_origin(link.url, url) and not parser.can_fetch(link.url, USER_AGENT))]
    if blocked:
        result.problems.append(f"{len(blocked)} of {len(links)} item links are disallowed by robots.txt or not http(s)")
    return result


def robots_for(url: str, fetcher: Fetcher, cache: dict, allow_private=()) -> tuple[str, Protego | None]:
    """(what robots.txt says, parser or None) for URL's site, fetched once. As Scrapy does, a site
    without a readable robots.txt allows everything."""
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    if origin in cache:
        return cache[origin]
    try:
        _, response, body = fetcher.get(origin + "/robots.txt", allow_private)
    except (Refused, httpx.HTTPError):
        outcome = ("allowed (robots.txt unreachable)", None)
    else:
        if 200 <= response.status_code < 300:
            outcome = ("allowed", Protego.parse(body.decode("utf-8", "replace")))
        elif 400 <= response.status_code < 500:
            outcome = ("allowed (no robots.txt)", None)
        else:
            outcome = (f"allowed (robots.txt: HTTP {response.status_code})", None)
    cache[origin] = outcome
    return outcome


def as_scrapy_response(url, response: httpx.Response, body: bytes, source, spider):
    headers = Headers({key: value for key, value in response.headers.items()
                       if key.lower() not in ("content-encoding", "content-length", "transfer-encoding")})
    cls = responsetypes.from_args(headers=headers, url=url, body=body)
    request = Request(url, meta={"source": source.name, "kind": spider.listing_kind, "refresh": source.refresh})
    return cls(url=url, status=response.status_code, headers=headers, body=body, request=request)


def same_origin(a: str, b: str) -> bool:
    return urlsplit(a).netloc.lower() == urlsplit(b).netloc.lower()


