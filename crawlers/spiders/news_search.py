"""Keyword news search through Google News RSS."""
from __future__ import annotations

from urllib.parse import urlencode

from crawlers.spiders.feed import FeedSpider

GOOGLE_NEWS_SEARCH = "https://news.google.com/rss/search"


def google_news_url(query: str, since=None) -> str:
    """https://news.google.com/rss/search?q=...&hl=en-US&gl=US&ceid=US:en ('after:' bounds the dates)."""
    q = f"{query} after:{since.isoformat()}" if since else query
    return f"{GOOGLE_NEWS_SEARCH}?{urlencode({'q': q, 'hl': 'en-US', 'gl': 'US', 'ceid': 'US:en'}, safe=':')}"


class NewsSearchSpider(FeedSpider):
    """Google News RSS search (https://news.google.com/rss/search?q=...): one feed per keyword query
    (sources of kind ``news_search``; a source may give a full ``url`` for another edition)."""

    name = "news_search"
    kind = "news_search"

    def seed_urls(self, source):
        return [source.url or google_news_url(source.query, source.since)]

    def entry_title(self, entry):
        # Google News titles end with " - Publisher"; the publisher is not part of the headline.
        title = entry.get("title") or ""
        publisher = (entry.get("source") or {}).get("title")
        if publisher and title.endswith(f" - {publisher}"):
            return title[: -len(publisher) - 3]
        return title or None
