"""Canonical URLs: one key per article however a feed, a sitemap or a share button spells it.

Two steps, in this order: tracking parameters are stripped before a URL is fetched (so the
scheduler's duplicate filter already sees one URL), then a fetched HTML page's
``<link rel="canonical">`` names the key it is stored under.
"""
from __future__ import annotations

import re
from urllib.parse import parse_qsl, urljoin, urlsplit

from w3lib.html import replace_entities
from w3lib.url import url_query_cleaner

from banwatch.utils import is_http_url

# Parameters that identify a click or a campaign, never the document.
TRACKING_PREFIXES = ("utm_", "hsa_", "pk_", "mtm_")
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid", "igshid",
    "mc_cid", "mc_eid", "mkt_tok", "_ga", "_gl", "_hsenc", "_hsmi", "oly_anon_id", "oly_enc_id",
    "vero_id", "vero_conv", "rb_clickid", "s_cid", "cmpid", "smid", "ocid", "ref_src", "ref_url",
    "wt.mc_id", "at_medium", "at_campaign", "sr_share", "cid_source", "guccounter", "guce_referrer",
    "guce_referrer_sig", "__twitter_impression", "spm", "share", "fb_ref", "fb_source",
})


def is_tracking_param(name: str) -> bool:
    name = name.lower()
    return name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES)


def strip_tracking(url: str) -> str:
    """The URL without tracking parameters or fragment; other parameters keep their order."""
    if "?" not in url:
        return url.split("#", 1)[0]
    query = urlsplit(url).query
    tracking = [k for k, _ in parse_qsl(query, keep_blank_values=True) if is_tracking_param(k)]
    if not tracking:
        return url.split("#", 1)[0]
    # unique=False: repeated keys (fields[]=a&fields[]=b) are real API parameters.
    return url_query_cleaner(url, tracking, remove=True, unique=False, keep_fragments=False)


# A regex over the <head>, not parsel: parsing a whole page into a tree for one tag in its head was
# the crawl's largest per-page cost (see bench/crawl.py).
_HEAD_END = re.compile(rb"</head\s*>|<body[\s>]", re.I)
_LINK_TAG = re.compile(rb"<link\b[^>]*>", re.I)
_ATTRIBUTE = re.compile(rb"""([a-zA-Z:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_HEAD_LIMIT = 256 * 1024


def declared_canonical(body: bytes, encoding: str = "utf-8") -> str | None:
    """The href of the first <link rel="canonical"> in an HTML document's head, as written."""
    end = _HEAD_END.search(body, 0, _HEAD_LIMIT)
    head = body[: end.start() if end else _HEAD_LIMIT]
    for tag in _LINK_TAG.finditer(head):
        attributes = {
            m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or b""
            for m in _ATTRIBUTE.finditer(tag.group())
        }
        if b"canonical" in attributes.get(b"rel", b"").lower().split() and attributes.get(b"href"):
            return replace_entities(attributes[b"href"].decode(encoding, "replace")).strip()
    return None


def rel_canonical(response) -> str | None:
    """The page's declared canonical URL (absolute, tracking stripped), or None.

    Ignored when it is not http(s), or when it points at the site's front page from a deeper page
    (a common template bug that would fold every article into one)."""
    if not _is_html(response):
        return None
    # UTF-8 for the href: URLs are ASCII or percent-encoded in practice, and working out the page's
    # own encoding (response.encoding) costs more than the whole search.
    href = declared_canonical(response.body)
    if not href:
        return None
    canonical = strip_tracking(urljoin(response.url, href))
    if not is_http_url(canonical):
        return None
    if urlsplit(canonical).path in ("", "/") and urlsplit(response.url).path not in ("", "/"):
        return None
    return canonical


def canonical_url(response) -> str:
    """The key a fetched page is stored under: rel=canonical, else its final URL without tracking."""
    return rel_canonical(response) or strip_tracking(response.url)


def _is_html(response) -> bool:
    content_type = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
    return "html" in content_type or (not content_type and b"<html" in response.body[:2048].lower())
