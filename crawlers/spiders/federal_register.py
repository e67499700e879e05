"""The Federal Register documents API."""
from __future__ import annotations

from urllib.parse import urlencode

from crawlers.spiders.base import Link, Listing, SourceSpider

FEDERAL_REGISTER_API = "https://www.federalregister.gov/api/v1/documents.json"


def federal_register_url(term: str, since=None) -> str:
    params = [("conditions[term]", term), ("order", "newest"), ("per_page", "100")]
    if since:
        params.append(("conditions[publication_date][gte]", since.isoformat()))
    return f"{FEDERAL_REGISTER_API}?{urlencode(params)}"


class FederalRegisterSpider(SourceSpider):
    """Federal Register documents API (www.federalregister.gov/api/v1/documents.json?conditions[term]=...):
    rules, proposed rules, notices and presidential documents matching a term (sources of kind
    ``federal_register``). Pages through ``next_page_url``; follows each document's ``html_url``,
    or its ``pdf_url`` when it has no HTML version."""

    name = "federal_register"
    kind = "federal_register"
    listing_kind = "api"

    def seed_urls(self, source):
        return [source.url or federal_register_url(source.query, source.since)]

    def entries(self, response, source):
        data = response.json()
        if not isinstance(data, dict):
            raise ValueError("expected a JSON object with 'results'")
        for document in data.get("results") or []:
            url = document.get("html_url") or document.get("pdf_url")
            if not url:
                continue
            agencies = ", ".join(a.get("name") or a.get("raw_name") or "" for a in document.get("agencies") or [])
            summary = " ".join(filter(None, [document.get("type"), agencies and f"({agencies})", document.get("abstract")]))
            yield Link(url=url, title=document.get("title"), published=document.get("publication_date"), summary=summary)
        if data.get("next_page_url"):
            yield Listing(data["next_page_url"])
