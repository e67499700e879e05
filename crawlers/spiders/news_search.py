"""Keyword news search through a search engine's RSS: Bing News (default), or Google News (opt-in).

Bing News answers ``https://www.bing.com/news/search?q=QUERY&format=rss`` with an RSS 2.0 feed whose
item links go through ``www.bing.com/news/apiclick.aspx?...&url=<publisher URL>&...``: the publisher's
URL is read from the ``url`` parameter, so articles are fetched from the publishers directly and
bing.com sees one request per query. bing.com's robots.txt (as recorded in scrapy/protego's test data,
tests/crawl_fixtures/robots/www.bing.com.txt) disallows ``/search`` but not ``/news/search``.

Google News (``engine: google``) is kept for people who may use it: news.google.com's robots.txt
disallows ``/rss/search`` and ``/rss/articles`` for every agent, so a polite crawl records its
searches as refused by robots.txt (reason ``robots``) and fetches nothing. Its item links are
JavaScript interstitials (``news.google.com/rss/articles/CBMi...``); the older ones carry the
publisher URL inside their base64 id and are decoded here without a request, the newer ones
(``AU_yqL...``) can only be resolved by a further Google request, which banwatch does not make.
"""
from __future__ import annotations

import base64
import binascii
from urllib.parse import parse_qsl, urlencode, urlsplit

from w3lib.html import remove_tags, replace_entities

from crawlers.spiders.base import Link
from crawlers.spiders.feed import FeedSpider

BING_NEWS_SEARCH = "https://www.bing.com/news/search"
GOOGLE_NEWS_SEARCH = "https://news.google.com/rss/search"


def bing_news_url(query: str) -> str:
    """https://www.bing.com/news/search?q=...&format=rss (Bing has no date bound: sources refresh often)."""
    return f"{BING_NEWS_SEARCH}?{urlencode({'q': query, 'format': 'rss'})}"


def google_news_url(query: str, since=None) -> str:
    """https://news.google.com/rss/search?q=...&hl=en-US&gl=US&ceid=US:en ('after:' bounds the dates)."""
    q = f"{query} after:{since.isoformat()}" if since else query
    return f"{GOOGLE_NEWS_SEARCH}?{urlencode({'q': q, 'hl': 'en-US', 'gl': 'US', 'ceid': 'US:en'}, safe=':')}"


def engine_of(source) -> str:
    """'google' or 'bing': the source's engine, or the one its full URL points at."""
    if source.engine:
        return source.engine
    host = (urlsplit(source.url).hostname or "") if source.url else ""
    return "google" if host.endswith("news.google.com") else "bing"


def bing_publisher_url(link: str) -> str | None:
    """The publisher URL a Bing News click-through link carries (its ``url`` parameter), or None."""
    parts = urlsplit(link)
    if not (parts.hostname or "").endswith("bing.com") or not parts.path.lower().endswith("/apiclick.aspx"):
        return None
    return next((value for key, value in parse_qsl(parts.query) if key.lower() == "url" and value), None)


def google_publisher_url(link: str) -> str | None:
    """The publisher URL inside an old-style Google News article id (CBMi... base64 of a small
    protobuf whose string field holds the URL), or None (new-style ids need Google's help)."""
    parts = urlsplit(link)
    if (parts.hostname or "") != "news.google.com":
        return None
    article_id = parts.path.rstrip("/").rsplit("/", 1)[-1]
    try:
        data = base64.urlsafe_b64decode(article_id + "=" * (-len(article_id) % 4))
    except (binascii.Error, ValueError):
        return None
    for value in _protobuf_strings(data):
        if value.startswith((b"http://", b"https://")):
            try:
                return value.decode("utf-8")
            except UnicodeDecodeError:
                return None
    return None


def _protobuf_strings(data: bytes):
    """The length-delimited fields of a protobuf message (varints skipped); stops at anything odd."""
    pos = 0
    while pos < len(data):
        tag, pos = _varint(data, pos)
        if tag is None:
            return
        wire = tag & 7
        if wire == 0:
            _, pos = _varint(data, pos)
            if pos is None:
                return
        elif wire == 2:
            length, pos = _varint(data, pos)
            if length is None or pos + length > len(data):
                return
            yield data[pos:pos + length]
            pos += length
        else:
            return


def _varint(data: bytes, pos: int):
    value = shift = 0
    while pos < len(data) and shift < 64:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
        shift += 7
    return None, None


class NewsSearchSpider(FeedSpider):
    """Keyword news search feeds (sources of kind ``news_search``): Bing News RSS
    (https://www.bing.com/news/search?q=...&format=rss; item links decoded to the publisher's URL),
    or, with ``engine: google``, Google News RSS (https://news.google.com/rss/search?q=..., blocked by
    its robots.txt in polite mode). A source may give a full ``url`` for another market or edition."""

    name = "news_search"
    kind = "news_search"

    def seed_urls(self, source):
        if source.url:
            return [source.url]
        if engine_of(source) == "google":
            return [google_news_url(source.query, self.since_for(source))]
        return [bing_news_url(source.query)]

    def entries(self, response, source):
        google = (urlsplit(response.url).hostname or "").endswith("news.google.com")
        for link in super().entries(response, source):
            yield self.google_link(link) if google else self.bing_link(link)

    def entry_link(self, entry, link: Link) -> Link:
        # the outlet: Google's <source>, Bing's <News:Source>
        link.publisher = (entry.get("source") or {}).get("title") or entry.get("news_source")
        return link

    def bing_link(self, link: Link) -> Link:
        publisher_url = bing_publisher_url(link.url)
        if publisher_url:
            link.url = publisher_url
        return link

    def google_link(self, link: Link) -> Link:
        # Titles end with " - Publisher"; the description only repeats the title and the publisher
        # (<a href=...>title</a>&nbsp;&nbsp;<font color="#6f6f6f">Publisher</font>): no summary.
        title = link.title or ""
        if link.publisher and title.endswith(f" - {link.publisher}"):
            title = title[: -len(link.publisher) - 3]
        link.title = title or None
        summary = " ".join(replace_entities(remove_tags(link.summary or "")).split())
        if not summary or summary.startswith(title) or (link.publisher and summary.endswith(link.publisher)):
            link.summary = None
        decoded = google_publisher_url(link.url)
        if decoded:
            link.url = decoded
        return link

