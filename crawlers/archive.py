"""Web archives: write every exchange to WARC (``--archive``), and crawl from one (``--replay``).

Writing: ``ArchiveMiddleware`` sits next to the downloader, so it records each exchange as it came
off the wire (redirect hops, retried 5xx, 304s; bodies still Content-Encoded), as a WARC request +
response pair, appended to a ``.warc.gz`` with one gzip member per record.

Replaying: ``ReplayServer`` serves an archive from 127.0.0.1 in a thread, and
``ReplayDownloadHandler`` sends every request there instead of to its host, then maps the response
back to the original URL. Everything above the socket - spiders, robots.txt, redirects,
decompression, retries, the store - runs exactly as in a live crawl. A URL archived several times
(a 500, then the 200 of its retry) is answered with its records in order, then the last one again;
a URL not in the archive gets a 404. Conditional requests are answered with 304 when the archived
ETag / Last-Modified match.

``build_archive`` turns a manifest of served records (the demo pages of banwatch/demo/) into a WARC.
"""
from __future__ import annotations

import datetime
import email.utils
import http.server
import io
import logging
import os
import threading
import uuid
from collections import defaultdict
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.core.downloader.handlers.base import BaseDownloadHandler
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.exceptions import NotConfigured
from scrapy.responsetypes import responsetypes
from w3lib.url import canonicalize_url
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from banwatch.errors import BanwatchError
from banwatch.utils import is_http_url
from crawlers.middlewares import STORED_FLAG
from crawlers.urls import strip_tracking

logger = logging.getLogger(__name__)

REPLAY_URL_HEADER = "X-Banwatch-Replay-Url"
# Hop-by-hop headers describe the original connection, not the resource.
HOP_BY_HOP = {"transfer-encoding", "connection", "keep-alive", "proxy-connection", "upgrade", "te", "trailer"}


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def _warc_date(value: datetime.datetime | None = None) -> str:
    value = value or datetime.datetime.now(datetime.timezone.utc)
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


# -- writing ---------------------------------------------------------------------------------------


class WarcArchive:
    """Append-only WARC writer: one gzip member per record, flushed as written, so a killed crawl
    leaves at most its last record incomplete."""

    def __init__(self, path, info: dict | None = None):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file = open(self.path, "ab")
        self.writer = WARCWriter(self._file, gzip=True, warc_version="WARC/1.1")
        if info is not None:
            self.writer.write_record(self.writer.create_warcinfo_record(self.path.name, info))

    def write_response(self, url, status, headers, body, *, date=None, record_id=None, request=None):
        """One response record (and, with ``request=(method, headers)``, its request record)."""
        warc_headers = {"WARC-Date": date or _warc_date()}
        if record_id:
            warc_headers["WARC-Record-ID"] = record_id
        http_headers = StatusAndHeaders(
            f"{status} {_reason(status)}",
            [(k, v) for k, v in headers if k.lower() not in HOP_BY_HOP],
            protocol="HTTP/1.1",
        )
        response = self.writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), length=len(body),
            http_headers=http_headers, warc_headers_dict=warc_headers,
        )
        if request is None:
            self.writer.write_record(response)
            return
        method, request_headers = request
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        request_record = self.writer.create_warc_record(
            url, "request", payload=io.BytesIO(b""), length=0,
            http_headers=StatusAndHeaders(f"{method} {target} HTTP/1.1", request_headers,
                                          protocol="", is_http_request=True),
            warc_headers_dict={"WARC-Date": warc_headers["WARC-Date"]},
        )
        self.writer.write_request_response_pair(request_record, response)

    def close(self):
        self._file.close()


def _header_pairs(headers) -> list[tuple[str, str]]:
    return [
        (key.decode("latin-1"), value.decode("latin-1"))
        for key, values in headers.items()
        for value in values
    ]


class ArchiveMiddleware:
    """Downloader middleware (next to the downloader): writes each exchange to BANWATCH_ARCHIVE."""

    def __init__(self, crawler, path):
        self.archive = WarcArchive(path, info={
            "software": "banwatch (Scrapy)",
            "format": "WARC File Format 1.1",
            "isPartOf": crawler.settings.get("BOT_NAME"),
            "http-header-user-agent": crawler.settings.get("USER_AGENT"),
        })
        crawler.signals.connect(self.close, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        path = crawler.settings.get("BANWATCH_ARCHIVE")
        if not path:
            raise NotConfigured
        return cls(crawler, path)

    def process_response(self, request, response):
        if STORED_FLAG in response.flags:
            return response
        headers = _header_pairs(response.headers)
        request_headers = [("Host", urlsplit(request.url).netloc), *_header_pairs(request.headers)]
        self.archive.write_response(
            response.url, response.status, headers, response.body,
            request=(request.method, request_headers),
        )
        return response

    def close(self, spider=None, reason=None):
        self.archive.close()


# -- reading and replaying -------------------------------------------------------------------------


class ArchivedResponse:
    __slots__ = ("url", "status", "headers", "body")

    def __init__(self, url, status, headers, body):
        self.url, self.status, self.headers, self.body = url, status, headers, body

    def header(self, name):
        lowered = name.lower()
        return next((v for k, v in self.headers if k.lower() == lowered), None)


def iter_archive(path):
    """Yield (url, status, headers, payload bytes) for each HTTP response record of a WARC."""
    with open(path, "rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_type != "response" or not record.http_headers:
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            status = int(record.http_headers.get_statuscode() or 0)
            yield ArchivedResponse(url, status, list(record.http_headers.headers), record.raw_stream.read())


class ArchiveIndex:
    """Where each URL's responses are in a WARC (offsets: bodies are read when served)."""

    def __init__(self, path):
        self.path = Path(path)
        self.offsets: dict[str, list[int]] = defaultdict(list)
        self.aliases: dict[str, str] = {}
        self._served: dict[str, int] = defaultdict(int)
        self._lock = threading.Lock()
        try:
            with open(self.path, "rb") as fh:
                iterator = ArchiveIterator(fh)
                for record in iterator:
                    if record.rec_type == "response" and record.http_headers:
                        # 304s are answers to conditional requests; the server makes its own.
                        if record.http_headers.get_statuscode() != "304":
                            url = record.rec_headers.get_header("WARC-Target-URI")
                            self.offsets[url].append(iterator.get_record_offset())
                    iterator.read_to_end()
        except Exception as e:  # noqa: BLE001 - any unreadable archive is one clear user error
            raise BanwatchError(f"cannot read WARC archive {self.path}: {type(e).__name__}: {e}") from None
        if not self.offsets:
            raise BanwatchError(f"cannot read WARC archive {self.path}: it holds no HTTP response records")
        for url in list(self.offsets):
            for alias in (canonicalize_url(url), strip_tracking(url), canonicalize_url(strip_tracking(url))):
                self.aliases.setdefault(alias, url)

    def __len__(self):
        return sum(len(v) for v in self.offsets.values())

    def lookup(self, url: str) -> str | None:
        if url in self.offsets:
            return url
        for alias in (canonicalize_url(url), strip_tracking(url), canonicalize_url(strip_tracking(url))):
            if alias in self.aliases:
                return self.aliases[alias]
        return None

    def next_response(self, url: str) -> ArchivedResponse | None:
        """The URL's next archived response: its records in order, then the last one again."""
        key = self.lookup(url)
        if key is None:
            return None
        with self._lock:
            offsets = self.offsets[key]
            offset = offsets[min(self._served[key], len(offsets) - 1)]
            self._served[key] += 1
        with open(self.path, "rb") as fh:
            fh.seek(offset)
            record = next(iter(ArchiveIterator(fh)))
            return ArchivedResponse(
                key, int(record.http_headers.get_statuscode()), list(record.http_headers.headers),
                record.raw_stream.read(),
            )


class _ReplayHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "banwatch-replay"

    def do_GET(self):
        self._serve(with_body=True)

    def do_HEAD(self):
        self._serve(with_body=False)

    def _serve(self, with_body):
        url = self.headers.get(REPLAY_URL_HEADER)
        archived = self.server.index.next_response(url) if url else None
        if archived is None:
            body = f"not in the archive: {url}\n".encode()
            self.send_response_only(404 if url else 400)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if with_body:
                self.wfile.write(body)
            return
        if self._not_modified(archived):
            self.send_response_only(304)
            for name in ("ETag", "Last-Modified"):
                if archived.header(name):
                    self.send_header(name, archived.header(name))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = archived.body
        declared = archived.header("Content-Length")
        length = int(declared) if declared and declared.isdigit() and int(declared) > len(body) else len(body)
        self.send_response_only(archived.status, _reason(archived.status))
        for name, value in archived.headers:
            if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                self.send_header(name, value)
        self.send_header("Content-Length", str(length))
        self.end_headers()
        if with_body:
            self.wfile.write(body)
        if length > len(body):
            # The archived transfer was cut short: so is this one.
            self.close_connection = True

    def _not_modified(self, archived) -> bool:
        etag, last_modified = archived.header("ETag"), archived.header("Last-Modified")
        if etag and self.headers.get("If-None-Match") == etag:
            return True
        since = self.headers.get("If-Modified-Since")
        if last_modified and since and not self.headers.get("If-None-Match"):
            try:
                return email.utils.parsedate_to_datetime(last_modified) <= email.utils.parsedate_to_datetime(since)
            except (TypeError, ValueError):
                return False
        return False

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        logger.debug("replay: " + format, *args)


class ReplayServer:
    """Serves a WARC on 127.0.0.1 from a daemon thread. Use as a context manager."""

    def __init__(self, archive_path):
        self.index = ArchiveIndex(archive_path)
        self._httpd = None
        self._thread = None

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self):
        self._httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _ReplayHandler)
        self._httpd.daemon_threads = True
        self._httpd.index = self.index
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="banwatch-replay", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._httpd:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


class ReplayDownloadHandler(BaseDownloadHandler):
    """Download handler for http/https that fetches from the ReplayServer at BANWATCH_REPLAY_SERVER.

    The request goes to the local server through Scrapy's own HTTP/1.1 handler (so size limits,
    timeouts and data-loss handling are the real ones), carrying its original URL in a header; the
    response comes back under the original URL."""

    def __init__(self, crawler):
        server = crawler.settings.get("BANWATCH_REPLAY_SERVER")
        if not server:
            raise NotConfigured("BANWATCH_REPLAY_SERVER is not set")
        super().__init__(crawler)
        self.server = server.rstrip("/")
        self.http = HTTP11DownloadHandler.from_crawler(crawler)

    async def download_request(self, request):
        local = request.replace(url=f"{self.server}/replay")
        local.headers[REPLAY_URL_HEADER] = request.url
        response = await self.http.download_request(local)
        cls = responsetypes.from_args(headers=response.headers, url=request.url, body=response.body)
        return response.replace(cls=cls, url=request.url)

    async def close(self):
        await self.http.close()


# -- the demo archive ------------------------------------------------------------------------------


def build_archive(out_path, records, base: Path, label: str = "manifest") -> dict:
    """Write a manifest's served records into a WARC at OUT_PATH (replaced atomically).

    ``records`` are the manifest's entries (banwatch/demo/manifest.yml is one); a record's
    ``file`` is relative to ``base``; ``label`` names the manifest in error messages.

    Each record is served as the manifest says: its file's bytes under ``content_type``, with
    ``status`` and extra ``headers``; ``redirect_to`` becomes a 301 with that Location;
    ``truncate_transfer`` declares the full Content-Length but archives only the first half of the
    body, so the replayed transfer is cut short. The output is deterministic (record ids and dates
    derive from the manifest), so rebuilding an unchanged manifest gives the same archive.
    """
    if not isinstance(records, list):
        raise BanwatchError(f"{label}: expected a list of served records")
    out_path = Path(out_path)
    tmp_path = out_path.with_name(f".{out_path.name}.{os.getpid()}.tmp")
    out_path.parent.mkdir(parents=True, exist_ok=True)
    seen, written = set(), 0
    try:
        archive = WarcArchive(tmp_path, info=None)
        try:
            for i, record in enumerate(records, 1):
                url, status, headers, payload = _demo_response(record, base, f"{label}: record #{i}")
                if url in seen:
                    raise BanwatchError(f"{label}: record #{i}: URL {url} is served twice")
                seen.add(url)
                archive.write_response(
                    url, status, headers, payload,
                    date=_demo_date(record), record_id=f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, url)}>",
                )
                written += 1
        finally:
            archive.close()
        os.replace(tmp_path, out_path)
    finally:
        tmp_path.unlink(missing_ok=True)
    return {"records": written, "path": str(out_path)}


def _demo_response(record, base: Path, where: str):
    if not isinstance(record, dict):
        raise BanwatchError(f"{where}: expected a mapping with file and url")
    url = record.get("url")
    if not isinstance(url, str) or not is_http_url(url):
        raise BanwatchError(f"{where}: 'url' must be an http(s) URL, got {url!r}")
    extra = record.get("headers") or {}
    if not isinstance(extra, dict):
        raise BanwatchError(f"{where}: 'headers' must be a mapping")
    if record.get("redirect_to"):
        if not is_http_url(str(record["redirect_to"])):
            raise BanwatchError(f"{where}: 'redirect_to' must be an http(s) URL")
        status = int(record.get("status") or 301)
        headers = [("Location", record["redirect_to"]), ("Content-Length", "0")]
        headers += [(str(k), str(v)) for k, v in extra.items()]
        return url, status, headers, b""
    file = record.get("file")
    if not file:
        raise BanwatchError(f"{where} ({url}): needs a 'file' (or 'redirect_to')")
    path = (base / file).resolve()
    try:
        body = path.read_bytes()
    except OSError:
        raise BanwatchError(f"{where} ({url}): file not found: {base / file}") from None
    status = int(record.get("status") or 200)
    headers = []
    if record.get("content_type"):
        headers.append(("Content-Type", str(record["content_type"])))
    headers += [(str(k), str(v)) for k, v in extra.items() if str(k).lower() != "content-length"]
    headers.append(("Content-Length", str(len(body))))
    if record.get("truncate_transfer"):
        body = body[: len(body) // 2]
    return url, status, headers, body


def _demo_date(record) -> str:
    published = record.get("published")
    if isinstance(published, datetime.date):
        return f"{published.isoformat()}T12:00:00Z"
    if isinstance(published, str) and len(published) == 10:
        try:
            return f"{datetime.date.fromisoformat(published).isoformat()}T12:00:00Z"
        except ValueError:
            pass
    return "2025-01-01T00:00:00Z"
