"""Plain URL lists."""
from __future__ import annotations

from crawlers.spiders.base import Link, SourceSpider


class UrlsSpider(SourceSpider):
    """A plain list of URLs - official notices, known reports (sources of kind ``urls``, and
    ``--url URL``): each is fetched and stored as a page. No relevance filter: the list is the choice."""

    name = "urls"
    kind = "urls"

    def seed_requests(self):
        for source in self.sources.values():
            for url in source.urls:
                request = self.article_request(Link(url=url), source, check_relevance=False)
                if request is not None:
                    yield request
