"""Helpers for the crawler tests: a local HTTP site the test defines, and the CLI in a subprocess.

Every network request a crawler test makes goes to a LocalSite on 127.0.0.1 that the test itself
started; the site logs each request it gets (path, headers, time) so tests can check what the
crawler actually did on the wire.
"""
from __future__ import annotations

import dataclasses
import gzip
import http.server
import threading
import time
from pathlib import Path

import sqlite_utils

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parents[1] / "crawl_fixtures"


@dataclasses.dataclass
class Reply:
    body: bytes = b""
    status: int = 200
    headers: dict = dataclasses.field(default_factory=dict)
    content_type: str | None = "text/html; charset=utf-8"
    gzip: bool = False
    delay: float = 0.0
    declared_length: int | None = None  # larger than the body: the transfer is cut short
    chunked: bool = False  # no Content-Length: the body is streamed until the connection closes


@dataclasses.dataclass
class Hit:
    path: str
    headers: dict
    at: float


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        site = self.server.site
        with site.lock:
            site.hits.append(Hit(self.path, {k.lower(): v for k, v in self.headers.items()}, time.monotonic()))
            count = sum(1 for h in site.hits if h.path == self.path)
        route = site.routes.get(self.path) or site.routes.get(self.path.split("?", 1)[0])
        if route is None:
            reply = Reply(b"not found", status=404, content_type="text/plain")
        elif callable(route):
            reply = route(site.hits[-1], count)
        else:
            reply = route
        if reply.delay:
            time.sleep(reply.delay)
        body = gzip.compress(reply.body) if reply.gzip else reply.body
        self.send_response_only(reply.status)
        if reply.content_type:
            self.send_header("Content-Type", reply.content_type)
        if reply.gzip:
            self.send_header("Content-Encoding", "gzip")
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if reply.chunked:
            self.send_header("Connection", "close")
            self.end_headers()
            try:
                for start in range(0, len(body), 65536):
                    self.wfile.write(body[start:start + 65536])
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True
            return
        self.send_header("Content-Length", str(reply.declared_length or len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass
        if reply.declared_length and reply.declared_length > len(body):
            self.close_connection = True

    def log_message(self, *args):
        pass


class LocalSite:
    """routes: {"/path": Reply | callable(hit, nth_request_of_this_path) -> Reply}."""

    def __init__(self, routes=None):
        self.routes = dict(routes or {})
        self.hits: list[Hit] = []
        self.lock = threading.Lock()
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.site = self
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def hits_of(self, path: str) -> list[Hit]:
        with self.lock:
            return [h for h in self.hits if h.path == path]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()



def crawl_db(data_dir) -> sqlite_utils.Database:
    return sqlite_utils.Database(Path(data_dir) / "crawl.db")


def write_sources(path: Path, sources: list[dict], refresh="12h", relevance=True, allow_private=True) -> Path:
    """A sources file for local test servers. Their URLs are on 127.0.0.1, which the crawler refuses
    unless a source allows private addresses: ``allow_private`` is set on every source that does not
    say otherwise (pass False to test the refusal)."""
    import yaml

    sources = [{"allow_private": allow_private, **source} for source in sources]
    path.write_text(yaml.safe_dump({"defaults": {"refresh": refresh, "relevance": relevance}, "sources": sources}))
    return path


def answer(name: str, **replace) -> Reply:
    """A real service's answer, as tests/crawl_fixtures/answers.yml models it, as a Reply."""
    import yaml

    spec = yaml.safe_load((FIXTURES / "answers.yml").read_text())[name]
    body = (FIXTURES / spec["file"]).read_bytes() if "file" in spec else spec["body"].encode()
    reply = Reply(body=body, status=spec["status"], content_type=spec["content_type"],
                  headers=dict(spec.get("headers") or {}))
    return dataclasses.replace(reply, **replace)


def fixture_text(name: str, **hosts) -> bytes:
    """A saved response with its real hosts pointed at local sites: fixture_text("x.json",
    **{"https://www.federalregister.gov": site.base}) (keys are origins, replaced as written)."""
    text = (FIXTURES / name).read_text()
    for origin, base in hosts.items():
        text = text.replace(origin, base)
    return text.encode()


def robots(name: str) -> Reply:
    """A robots.txt modelled in tests/crawl_fixtures/robots/."""
    return Reply((FIXTURES / "robots" / name).read_bytes(), content_type="text/plain")


def article_html(title: str, paragraphs: list[str], canonical: str | None = None, charset: str = "utf-8") -> str:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f'<!doctype html><html><head><meta charset="{charset}"><title>{title}</title>{link}</head>'
            f"<body><nav>Home | World | Tech</nav><article><h1>{title}</h1>{body}</article>"
            f"<footer>Contact us</footer></body></html>")


def make_pdf(lines: list[str], title: str | None = None) -> bytes:
    """A small valid one-page PDF showing LINES in Helvetica (hand-written: no PDF writer is a
    dependency, and the format needs only five objects and an xref table)."""
    def escape(text):
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    stream = "BT /F1 11 Tf 72 720 Td 14 TL " + " ".join(f"({escape(line)}) '" for line in lines) + " ET"
    info = f"<< /Title ({escape(title)}) /CreationDate (D:20250211120000Z) >>" if title else "<< >>"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        info,
    ]
    return pdf_file(objects, info=len(objects))


def pdf_file(objects, info=None):
    """A PDF of these objects (1 is the catalog), with its xref table and trailer."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{obj}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    info_ref = f" /Info {info} 0 R" if info else ""
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R{info_ref} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
