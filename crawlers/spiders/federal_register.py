"""The Federal Register documents API.

The API (https://www.federalregister.gov/developers/documentation/api/v1) answers programmatic clients;
the site's document pages (``html_url``) now answer them with HTTP 200 and a "Request Access" CAPTCHA
page ("programmatic access to these sites is limited to access to our extensive developer APIs").
So the spider asks the API for the documents' full-text URLs through ``fields[]`` and follows, for
each document, the first of ``body_html_url`` (the document's text as HTML), ``raw_text_url``,
``html_url`` and ``pdf_url`` (on www.govinfo.gov) that the answer gives; when one answers with an
access wall or fails, the next is tried. A wall is recorded as a ``blocked`` failure, never stored.
"""
from __future__ import annotations

from urllib.parse import urlencode

from crawlers.spiders.base import Link, Listing, SourceSpider

FEDERAL_REGISTER_API = "https://www.federalregister.gov/api/v1/documents.json"
# What we ask the API for (fields[]); the document URLs in the order they are tried.
FIELDS = ("title", "type", "abstract", "document_number", "publication_date", "agencies",
          "body_html_url", "raw_text_url", "html_url", "pdf_url")
DOCUMENT_URL_FIELDS = ("body_html_url", "raw_text_url", "html_url", "pdf_url")


def federal_register_url(term: str, since=None) -> str:
    params = [("conditions[term]", term), ("order", "newest"), ("per_page", "100")]
    params += [("fields[]", field) for field in FIELDS]
    if since:
        params.append(("conditions[publication_date][gte]", since.isoformat()))
    return f"{FEDERAL_REGISTER_API}?{urlencode(params)}"


class FederalRegisterSpider(SourceSpider):
    """Federal Register documents API (www.federalregister.gov/api/v1/documents.json?conditions[term]=...):
    rules, proposed rules, notices and presidential documents matching a term (sources of kind
    ``federal_register``). Pages through ``next_page_url``; fetches each document's full text from the
    URLs the API gives (``body_html_url``, ``raw_text_url``, ``html_url``, ``pdf_url``, in that order)."""

    name = "federal_register"
    kind = "federal_register"
    listing_kind = "api"

    def seed_urls(self, source):
        return [source.url or federal_register_url(source.query, self.since_for(source))]

    def entries(self, response, source):
        data = response.json()
        if not isinstance(data, dict):
            raise ValueError("expected a JSON object with 'results'")
        for document in data.get("results") or []:
            if not isinstance(document, dict):
                continue
            urls = [document[f] for f in DOCUMENT_URL_FIELDS if isinstance(document.get(f), str) and document[f]]
            if not urls:
                continue
            agencies = ", ".join(a.get("name") or a.get("raw_name") or ""
                                 for a in document.get("agencies") or [] if isinstance(a, dict))
            summary = " ".join(filter(None, [document.get("type"), agencies and f"({agencies})", document.get("abstract")]))
            yield Link(url=urls[0], title=document.get("title"), published=document.get("publication_date"),
                       summary=summary, alternates=tuple(urls[1:]))
        if data.get("next_page_url"):
            yield Listing(str(data["next_page_url"]))
