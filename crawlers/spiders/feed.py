"""RSS and Atom feeds."""
from __future__ import annotations

from urllib.parse import urljoin

import feedparser

from crawlers.spiders.base import Link, SourceSpider, feed_date


class FeedSpider(SourceSpider):
    """RSS 2.0 / Atom feeds of agency newsrooms and news sections (sources of kind ``feed``, and
    ``--feed URL``), parsed with feedparser; each entry's link is followed with its title, date and
    summary as hints."""

    name = "feed"
    kind = "feed"
    listing_kind = "feed"

    def seed_urls(self, source):
        return [source.url]

    def entries(self, response, source):
        parsed = feedparser.parse(
            response.body,
            response_headers={
                "content-location": response.url,
                "content-type": response.headers.get(b"Content-Type", b"application/xml").decode("latin-1"),
            },
        )
        if parsed.bozo and not parsed.entries:
            raise ValueError(f"not an RSS/Atom feed ({parsed.get('bozo_exception')})")
        for entry in parsed.entries:
            url = entry.get("link") or next(
                (link.get("href") for link in entry.get("links", []) if link.get("href")), None
            )
            if not url:
                continue
            yield self.entry_link(entry, Link(
                url=urljoin(response.url, url),
                title=entry.get("title"),
                published=feed_date(entry.get("published") or entry.get("updated")),
                summary=entry.get("summary"),
            ))

    def entry_link(self, entry, link: Link) -> Link:
        """A subclass's chance to read more of the entry (the news search spider: the publisher)."""
        return link
