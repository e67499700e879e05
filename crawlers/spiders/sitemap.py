"""XML sitemaps, sitemap indexes and Google News sitemaps."""
from __future__ import annotations

import datetime

import lxml.etree
from scrapy.utils.gz import gunzip

from crawlers.spiders.base import Link, Listing, SourceSpider, feed_date

# Scrapy's own Sitemap class drops the nested news:news fields (title, publication date) we keep as
# hints, so the few lines of lxml are here; entities and network access stay off.
MAX_SITEMAP_SIZE = 50 * 1024 * 1024  # the sitemaps protocol's own limit for an uncompressed sitemap
_PARSER = lxml.etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def parse_sitemap(body: bytes) -> tuple[str, list[dict]]:
    """('urlset' | 'sitemapindex', [{'loc', 'lastmod', 'title', 'published'}, ...])."""
    root = lxml.etree.fromstring(body, parser=_PARSER)
    if root is None:
        raise ValueError("not an XML sitemap (empty or unparseable)")
    kind = _local(root.tag)
    if kind not in ("urlset", "sitemapindex"):
        raise ValueError(f"not a sitemap: root element is <{kind}>")
    entries = []
    for element in root:
        if _local(element.tag) not in ("url", "sitemap"):
            continue
        entry = {}
        for node in element.iter():
            name = _local(node.tag)
            if name in ("loc", "lastmod", "title", "publication_date") and node.text and node.text.strip():
                entry.setdefault(name, node.text.strip())
        if entry.get("loc"):
            entries.append({"loc": entry["loc"], "lastmod": entry.get("lastmod"),
                            "title": entry.get("title"), "published": entry.get("publication_date")})
    return kind, entries


class SitemapSpider(SourceSpider):
    """XML sitemaps of newsrooms and agencies: news sitemaps (news:title, news:publication_date),
    plain urlsets and sitemap indexes, gzipped or not (sources of kind ``sitemap``; the format is
    https://www.sitemaps.org/protocol.html). With ``since`` (or ``crawl --since``), only entries (and
    child sitemaps) modified on or after that date are followed. Child sitemaps must be http(s)."""

    name = "sitemap"
    kind = "sitemap"
    listing_kind = "sitemap"

    def seed_urls(self, source):
        return [source.url]

    def listing_meta(self, source):
        # A sitemap may legally hold 50 MB (more than DOWNLOAD_MAXSIZE, which stays the articles' limit):
        # Scrapy reads this per-request limit for the download and for its Content-Encoding decompression.
        return {"download_maxsize": MAX_SITEMAP_SIZE}

    def entries(self, response, source):
        body = response.body
        if body[:2] == b"\x1f\x8b":  # a .xml.gz file, not a compressed transfer
            body = gunzip(body, max_size=MAX_SITEMAP_SIZE)
        kind, entries = parse_sitemap(body)
        since = self.since_for(source)
        for entry in entries:
            day = feed_date(entry["lastmod"]) or feed_date(entry["published"])
            if since and day and datetime.date.fromisoformat(day) < since:
                self.count("banwatch/sitemap_older_than_since")
                continue
            if kind == "sitemapindex":
                yield Listing(entry["loc"])
            else:
                yield Link(url=entry["loc"], title=entry["title"],
                           published=feed_date(entry["published"]) or day)
