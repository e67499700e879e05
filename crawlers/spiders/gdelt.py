"""The GDELT DOC 2.0 article search API."""
from __future__ import annotations

import datetime
import json
from urllib.parse import urlencode

from crawlers.spiders.base import Link, SourceSpider

GDELT_DOC_API = "https://api.gdeltproject.org/api/v2/doc/doc"
GDELT_WINDOW_DAYS = 90  # the DOC API searches the last three months only


def gdelt_url(query: str, since=None, today=None) -> str:
    params = {"query": query, "mode": "ArtList", "format": "json", "maxrecords": 250, "sort": "DateDesc"}
    if since:
        today = today or datetime.date.today()
        start = max(since, today - datetime.timedelta(days=GDELT_WINDOW_DAYS))
        params["startdatetime"] = start.strftime("%Y%m%d000000")
    return f"{GDELT_DOC_API}?{urlencode(params)}"


def gdelt_date(seendate: str | None) -> str | None:
    """'20250131T120000Z' -> '2025-01-31' (the day GDELT saw the article)."""
    if not seendate or len(seendate) < 8 or not seendate[:8].isdigit():
        return None
    return f"{seendate[:4]}-{seendate[4:6]}-{seendate[6:8]}"


class GdeltSpider(SourceSpider):
    """GDELT DOC 2.0 API in article-list mode (api.gdeltproject.org/api/v2/doc/doc?mode=ArtList&format=json):
    news worldwide, in many languages, matching a query (sources of kind ``gdelt``)."""

    name = "gdelt"
    kind = "gdelt"
    listing_kind = "api"

    def seed_urls(self, source):
        return [source.url or gdelt_url(source.query, source.since)]

    def entries(self, response, source):
        text = response.text.strip() if hasattr(response, "text") else response.body.decode("utf-8", "replace")
        if not text:
            return  # GDELT answers an empty body when nothing matches
        try:
            data = json.loads(text, strict=False)
        except json.JSONDecodeError:
            # Errors ("Your search contained...") come back as plain text with status 200.
            raise ValueError(f"GDELT did not answer JSON: {' '.join(text.split())[:200]}") from None
        for article in data.get("articles") or []:
            if article.get("url"):
                yield Link(url=article["url"], title=article.get("title"), published=gdelt_date(article.get("seendate")))
