"""Why a fetch failed, in the store's vocabulary (banwatch.crawldb.FAILURE_REASONS).

Besides network and HTTP errors: ``refused`` (crawlers.safety would not make the request: not
http(s), or a loopback/private address), ``rate_limited`` (HTTP 429: retry later). ``blocked`` (an
access wall instead of the content) is decided by the spiders, which see the answer."""
from __future__ import annotations

from http import HTTPStatus

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    NotSupported,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as tx_error
from twisted.internet.defer import TimeoutError as DeferTimeoutError
from twisted.web._newclient import ResponseNeverReceived
from twisted.web.client import ResponseFailed

try:  # pyOpenSSL is always there with Scrapy, but a TLS error may also arrive as Twisted's own
    from OpenSSL.SSL import Error as OpenSSLError
except ImportError:  # pragma: no cover
    OpenSSLError = tx_error.SSLError

TIMEOUT = (DownloadTimeoutError, tx_error.TimeoutError, tx_error.TCPTimedOutError, DeferTimeoutError)
DNS = (CannotResolveHostError, tx_error.DNSLookupError)
TLS = (OpenSSLError, tx_error.SSLError, tx_error.CertificateError)
CONNECTION = (
    DownloadConnectionRefusedError, DownloadFailedError, tx_error.ConnectError, tx_error.ConnectionLost,
    tx_error.ConnectionDone, tx_error.NoRouteError, ResponseFailed, ResponseNeverReceived, ConnectionError,
)


# Raised by crawlers.safety (imported here by name to keep this module free of Scrapy middleware code).
REFUSED_NAMES = ("RefusedRequest", "PrivateAddressError")


class PageIsFresh(IgnoreRequest):
    """Not a failure: the page was stored within its source's refresh interval, so it is not fetched."""


def status_text(status: int) -> str:
    try:
        return f"HTTP {status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"HTTP {status}"


def classify_failure(exc: BaseException) -> tuple[str, int | None, str]:
    """(reason, HTTP status or None, one-line detail) for an exception from a Scrapy errback."""
    if isinstance(exc, HttpError):
        status = exc.response.status
        if status == 429:
            return "rate_limited", status, f"{status_text(status)}: the server asks to slow down; retry later"
        return "http_status", status, status_text(status)
    refused = next((e for e in _causes(exc) if type(e).__name__ in REFUSED_NAMES), None)
    if refused is not None:
        return "refused", None, " ".join(str(refused).split())[:500]
    message = _one_line(exc)
    if isinstance(exc, IgnoreRequest):
        lowered = message.lower()
        if "robots.txt" in lowered:
            return "robots", None, "forbidden by robots.txt"
        if "maxsize" in lowered or "max size" in lowered:
            return "too_big", None, message
        return "other", None, message or type(exc).__name__
    causes = list(_causes(exc))
    if any(isinstance(e, NotSupported) for e in causes):
        return "refused", None, message or "unsupported URL scheme"
    if any(isinstance(e, ResponseDataLossError) for e in causes):
        return "dataloss", None, message or "transfer cut short"
    if any(isinstance(e, DNS) for e in causes):
        return "dns", None, message or "DNS lookup failed"
    if any(isinstance(e, TIMEOUT) for e in causes):
        return "timeout", None, message or "timed out"
    if any(isinstance(e, DownloadCancelledError) for e in causes):
        # Scrapy cancels a download only when it outgrows DOWNLOAD_MAXSIZE (declared or received).
        return "too_big", None, message or "body larger than DOWNLOAD_MAXSIZE"
    if any(isinstance(e, TLS) for e in causes):
        return "tls", None, message or "TLS handshake failed"
    if any(isinstance(e, CONNECTION) for e in causes):
        return "connection", None, message or "connection failed"
    return "other", None, message or type(exc).__name__


def _causes(exc, depth=0):
    """The exception, its causes, and the failures Twisted wraps inside ResponseFailed & co."""
    if exc is None or depth > 6:
        return
    yield exc
    for reason in getattr(exc, "reasons", None) or []:
        yield from _causes(getattr(reason, "value", reason), depth + 1)
    yield from _causes(exc.__cause__ or exc.__context__, depth + 1)


def _one_line(exc) -> str:
    text = str(exc).strip() or ""
    if not text:
        for cause in list(_causes(exc))[1:]:
            text = str(cause).strip()
            if text:
                break
    name = type(exc).__name__
    text = " ".join(text.split())
    return f"{name}: {text}"[:500] if text else ""
