"""Newsroom index pages: the HTML page that lists a body's press releases, for bodies with no feed."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from scrapy.linkextractors import IGNORED_EXTENSIONS, LinkExtractor

from crawlers.spiders.base import Link, SourceSpider


# Scrapy skips links to .pdf files by default, but many bodies publish their orders and notices
# only as PDFs, which extract reads; the other binary types stay skipped.
READABLE_EXTENSIONS = {"pdf"}
LINKS = LinkExtractor(unique=True, deny_extensions=sorted(set(IGNORED_EXTENSIONS) - READABLE_EXTENSIONS))


class ListingPageSpider(SourceSpider):
    """An HTML listing page - a regulator's or ministry's "media releases" index - for bodies that
    publish no feed or sitemap (sources of kind ``page``). The links it lists are followed with their
    text as the title hint: by default those on the same host whose path lies under the page's own
    path (``/newsroom/media-releases`` -> ``/newsroom/media-releases/<release>``), or those whose URL
    matches the source's ``follow`` regular expression. Links are extracted with Scrapy's
    LinkExtractor (links to PDFs included); the relevance filter applies as for feeds."""

    name = "page"
    kind = "page"
    listing_kind = "listing"

    def seed_urls(self, source):
        return [source.url]

    def entries(self, response, source):
        if not hasattr(response, "text"):
            raise ValueError("not an HTML page")
        pattern = re.compile(source.follow) if source.follow else None
        here = urlsplit(response.url)
        prefix = here.path.rstrip("/") + "/"
        for link in LINKS.extract_links(response):
            parts = urlsplit(link.url)
            if pattern is not None:
                if not pattern.search(link.url):
                    continue
            elif parts.hostname != here.hostname or not parts.path.startswith(prefix) or parts.path == prefix:
                continue
            yield Link(url=link.url, title=" ".join(link.text.split()) or None)
