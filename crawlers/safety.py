"""What the crawler is allowed to request: the web, and nothing else.

Listings come from the network, so whatever they link is untrusted: a sitemap index's child
sitemaps, an API's ``next_page_url``, a redirect's ``Location`` and every article link could point at
``file:///etc/passwd``, ``ftp://``, ``data:``, or at the crawling machine itself
(``http://127.0.0.1:6379/``, a router at ``http://192.168.1.1/``, a cloud metadata service at
``http://169.254.169.254/``). Three layers stop that:

- Scrapy's ``file``, ``ftp``, ``data`` and ``s3`` download handlers are switched off
  (``DOWNLOAD_HANDLERS`` in crawlers/settings.py), so no code path can read those schemes.
- ``UrlGuardMiddleware`` (downloader middleware 40, before everything else, so it sees every request
  including redirects, retries and robots.txt) refuses any request that is not http(s), and any
  request to a loopback, private, link-local or otherwise non-public IP address, unless its source
  allows that host: ``allow_private: true`` in the user's own sources file allows the hosts of the
  source's own ``url``/``urls``, a list (``allow_private: [intranet.example:8080]``) allows those too,
  and ``--allow-private`` on the command line does the former for every chosen source. Links a listing
  gives to *other* private hosts stay refused. A refusal is a failure with reason ``refused``.
- ``PrivateAddressResolver`` (``TWISTED_DNS_RESOLVER``) checks what a host *name* resolves to, at
  connection time, so ``http://localhost/`` or a name pointing at ``10.0.0.5`` is refused the same way;
  only host names some source allows may resolve to private addresses.

The setting ``BANWATCH_REFUSE_PRIVATE`` (default True) turns the address checks on; the scheme check
is always on. ``BANWATCH_PRIVATE_ORIGINS`` maps source names to the host[:port]s they may reach.
"""
from __future__ import annotations

import ipaddress
import logging
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest
from scrapy.resolver import CachingThreadedResolver
from twisted.internet.error import DNSLookupError

from banwatch.utils import is_http_url

logger = logging.getLogger(__name__)

# Names the resolver refused, with why: Twisted reports a refused name as a failed lookup, so the
# spiders look here to record it as `refused`, and the retry middleware not to retry it.
REFUSED_HOSTS: dict[str, str] = {}


class RefusedRequest(IgnoreRequest):
    """A request the crawler will not make (recorded as a failure with reason ``refused``)."""


class PrivateAddressError(DNSLookupError):
    """A host name resolved to a loopback or private address the request may not reach (a lookup
    error to Twisted, which then fails the connection as it does for an unknown name)."""


def address_kind(ip) -> str | None:
    """'loopback', 'private', 'link-local', ... for a non-public address; None for a public one."""
    ip = ipaddress.ip_address(ip)
    mapped = getattr(ip, "ipv4_mapped", None)
    if mapped is not None:
        ip = mapped
    if ip.is_global:
        return None
    for kind in ("loopback", "link_local", "private", "multicast", "unspecified", "reserved"):
        if getattr(ip, f"is_{kind}"):
            return kind.replace("_", "-")
    return "non-public"


def origin_allowed(url: str, origins) -> bool:
    """Whether URL's host:port is one of ``origins`` ('host:port', or 'host' for any port)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    try:
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError:
        return False
    return any(origin in (host, f"{host}:{port}") for origin in origins)


def scheme_refusal(url: str) -> str | None:
    """Why a URL is not one the crawler fetches (not absolute http(s)), or None."""
    if is_http_url(url):
        return None
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    return f"refused: not an http(s) URL ({scheme + ':' if scheme else 'no scheme'}); only the web is crawled"


def address_refusal(url: str) -> str | None:
    """Why a URL's host is not public when it is an IP literal in a non-public range; else None
    (a name is checked when it is resolved)."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    try:
        kind = address_kind(host)
    except ValueError:
        return None  # a name: PrivateAddressResolver checks what it resolves to
    return f"refused: {host} is a {kind} address" if kind else None


class UrlGuardMiddleware:
    """Refuses every request that is not http(s), or that goes to a non-public address its source
    may not reach (see the module docstring)."""

    def __init__(self, crawler):
        settings = crawler.settings
        self.crawler = crawler
        self.refuse_private = settings.getbool("BANWATCH_REFUSE_PRIVATE", True)
        self.private_origins = {name: tuple(origins) for name, origins in settings.getdict("BANWATCH_PRIVATE_ORIGINS").items()}
        self.vouched_origins: set[tuple[str, int | None]] = set()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request):
        reason = scheme_refusal(request.url)
        if reason is None and self.refuse_private:
            reason = self.private_refusal(request)
        if reason:
            self.crawler.stats.inc_value("banwatch/refused")
            logger.info("%s: %s", reason, request.url)
            raise RefusedRequest(reason)
        return None

    def private_refusal(self, request) -> str | None:
        parts = urlsplit(request.url)
        host = (parts.hostname or "").lower().rstrip(".")
        origin = (host, parts.port)
        allowed = origin_allowed(request.url, self.private_origins.get(request.meta.get("source"), ()))
        if request.meta.get("dont_obey_robotstxt") and parts.path == "/robots.txt":
            # robots.txt is asked for only on behalf of a request that passed this check
            allowed = allowed or origin in self.vouched_origins
        if allowed:
            self.vouched_origins.add(origin)
            return None
        reason = address_refusal(request.url)
        return f"{reason}, which this source may not reach (not in its allow_private)" if reason else None


class PrivateAddressResolver(CachingThreadedResolver):
    """Scrapy's caching resolver, refusing names that resolve to a non-public address unless a
    source allowed to reach private addresses asked for that name (``BANWATCH_REFUSE_PRIVATE``)."""

    def __init__(self, reactor, cache_size, timeout, refuse_private=True, private_names=()):
        super().__init__(reactor, cache_size, timeout)
        self.refuse_private = refuse_private
        self.private_names = {name.lower().rstrip(".") for name in private_names}

    @classmethod
    def from_crawler(cls, crawler, reactor):
        resolver = super().from_crawler(crawler, reactor)
        resolver.refuse_private = crawler.settings.getbool("BANWATCH_REFUSE_PRIVATE", True)
        origins = crawler.settings.getdict("BANWATCH_PRIVATE_ORIGINS").values()
        resolver.private_names = {o.rsplit(":", 1)[0] if o.rsplit(":", 1)[-1].isdigit() else o
                                  for allowed in origins for o in allowed}
        return resolver

    def getHostByName(self, name, timeout=()):
        deferred = super().getHostByName(name, timeout)
        if self.refuse_private:
            deferred.addCallback(self._check, name)
        return deferred

    def _check(self, address, name):
        host = name.lower().rstrip(".")
        try:
            ipaddress.ip_address(host)
            return address  # an IP literal: UrlGuardMiddleware has judged it (and the replay server is one)
        except ValueError:
            pass
        kind = address_kind(address)
        if kind and host not in self.private_names:
            reason = f"refused: {name} resolves to {address}, a {kind} address, which no source may reach"
            REFUSED_HOSTS[host] = reason
            raise PrivateAddressError(reason)
        return address


def refused_host(url: str) -> str | None:
    """Why the resolver refused this URL's host name, or None."""
    return REFUSED_HOSTS.get((urlsplit(url).hostname or "").lower().rstrip("."))
