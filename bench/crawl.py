"""Crawl throughput: the full banwatch stack against a bare Scrapy spider, on the same local site.

    .venv/bin/python bench/crawl.py [--pages 2000] [--repeat 3]

Starts a local HTTP server (127.0.0.1, a thread of this process) with a sitemap of N article pages
(~8 KB each, with the boilerplate and rel=canonical a news page has), then crawls it, politeness
off, in subprocesses (one crawl per process):

- banwatch: ``run_crawl(..., polite=False)`` with a sitemap source - every middleware, the
  relevance and freshness checks, canonical URLs, sha256 + zlib, one committed SQLite transaction per
  page into crawl.db;
- bare: a ``scrapy.spiders.SitemapSpider`` with the same concurrency whose pipeline only inserts
  (url, body) into SQLite (WAL, synchronous=NORMAL, a commit per page - the same durability).

Prints pages/second for each (pages / the crawl's own elapsed time, Scrapy's
``elapsed_time_seconds``, best of --repeat runs), the process wall times, and the ratio.
"""
from __future__ import annotations

import argparse
import http.server
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PARAGRAPH = ("The agency's chief information officer told staff that the application may not be installed "
             "on government phones or laptops, citing the security of the data it sends abroad. ")


def article(i: int, base: str) -> bytes:
    nav = "".join(f'<li><a href="/section/{k}">Section {k}</a></li>' for k in range(30))
    related = "".join(f'<li><a href="/p/{(i + k) % 997}">Related story {k}</a></li>' for k in range(10))
    body = "".join(f"<p>{PARAGRAPH * 2} (Story {i}, paragraph {k}.)</p>" for k in range(14))
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Story {i}</title>'
        f'<link rel="canonical" href="{base}/p/{i}"><meta property="og:title" content="Story {i}">'
        f'<script type="application/ld+json">{{"@type":"NewsArticle","headline":"Story {i}",'
        f'"datePublished":"2025-02-0{1 + i % 9}"}}</script></head><body><nav><ul>{nav}</ul></nav>'
        f"<article><h1>Story {i}</h1>{body}</article><aside><ul>{related}</ul></aside>"
        f"<footer>Contact - Privacy - Terms</footer></body></html>"
    ).encode()


class Site:
    def __init__(self, pages: int):
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        urls = "".join(f"<url><loc>{self.base}/p/{i}</loc><lastmod>2025-02-01</lastmod></url>" for i in range(pages))
        self.sitemap = (f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/'
                        f'sitemap/0.9">{urls}</urlset>').encode()
        self.pages = {f"/p/{i}": article(i, self.base) for i in range(pages)}
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def _handler(site_self):
        site = site_self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                if self.path == "/sitemap.xml":
                    body, content_type = site.sitemap, "application/xml"
                else:
                    body, content_type = site.pages.get(self.path), "text/html; charset=utf-8"
                if body is None:
                    body, content_type = b"not found", "text/plain"
                    self.send_response_only(404)
                else:
                    self.send_response_only(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                # Headers and body in one write: two small writes meet Nagle + delayed ACK (40 ms stalls).
                self._headers_buffer.append(b"\r\n")
                self.wfile.write(b"".join(self._headers_buffer) + body)
                self._headers_buffer = []

            def log_message(self, *args):
                pass

        return Handler

    def close(self):
        self.httpd.shutdown()


BARE_SPIDER = r'''
import json, sqlite3, sys
import scrapy
from scrapy.crawler import AsyncCrawlerProcess
from scrapy.spiders import SitemapSpider

sitemap_url, db_path = sys.argv[1], sys.argv[2]


class Bare(SitemapSpider):
    name = "bare"
    sitemap_urls = [sitemap_url]

    def parse(self, response):
        yield {"url": response.url, "body": response.body}


class StoreBodies:
    def open_spider(self):
        self.db = sqlite3.connect(db_path)
        self.db.execute("PRAGMA journal_mode=wal")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("create table if not exists pages (url text primary key, body blob)")

    def process_item(self, item):
        with self.db:
            self.db.execute("insert or replace into pages values (?, ?)", [item["url"], item["body"]])
        return item

    def close_spider(self):
        self.db.close()


process = AsyncCrawlerProcess({
    "LOG_LEVEL": "WARNING", "TELNETCONSOLE_ENABLED": False, "REMOTE_CONTROL_ENABLED": False,
    "ROBOTSTXT_OBEY": False, "CONCURRENT_REQUESTS": 32, "CONCURRENT_REQUESTS_PER_DOMAIN": 32,
    "DOWNLOAD_DELAY": 0, "COOKIES_ENABLED": False, "ITEM_PIPELINES": {"__main__.StoreBodies": 300},
})
crawler = process.create_crawler(Bare)
process.crawl(crawler)
process.start()
print(json.dumps({"elapsed": crawler.stats.get_value("elapsed_time_seconds"),
                  "items": crawler.stats.get_value("item_scraped_count")}))
'''

BANWATCH = r'''
import json, sys
from crawlers.runner import run_crawl
sources, data_dir = sys.argv[1], sys.argv[2]
stats = run_crawl(data_dir, sources_file=sources, polite=False)
import sqlite_utils
db = sqlite_utils.Database(data_dir + "/crawl.db")
run = json.loads(next(db["crawl_runs"].rows_where(order_by="id desc"))["stats"])
spider = run["spiders"][0]["stats"]
articles = db.execute("select count(*) from pages where kind = 'article'").fetchone()[0]
print(json.dumps({"elapsed": spider["elapsed_time_seconds"], "items": articles}))
'''


def run(script: str, *args: str) -> tuple[dict, float]:
    # From a file, not `python -c`: Scrapy reads its callbacks' source.
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as fh:
        fh.write(script)
    started = time.monotonic()
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run([sys.executable, fh.name, *args], cwd=REPO, capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=900)
    wall = time.monotonic() - started
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    os.unlink(fh.name)
    if result.returncode != 0:
        raise SystemExit(f"crawl failed:\n{result.stderr[-3000:]}")
    got = json.loads(result.stdout.strip().splitlines()[-1])
    got["cpu"] = (cpu_after.ru_utime + cpu_after.ru_stime) - (cpu_before.ru_utime + cpu_before.ru_stime)
    return got, wall


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    site = Site(args.pages)
    results = {"bare": [], "banwatch": []}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            sources = Path(tmp) / "sources.yml"
            sources.write_text(json.dumps({"defaults": {"refresh": "12h", "relevance": False}, "sources": [
                {"name": "bench-sitemap", "kind": "sitemap", "url": f"{site.base}/sitemap.xml"}]}))
            for attempt in range(args.repeat):
                for name in ("bare", "banwatch"):  # alternate, so both see the same machine state
                    out = Path(tmp) / f"{name}-{attempt}"
                    out.mkdir()
                    if name == "bare":
                        got, wall = run(BARE_SPIDER, f"{site.base}/sitemap.xml", str(out / "bare.db"))
                    else:
                        got, wall = run(BANWATCH, str(sources), str(out))
                    if got["items"] != args.pages:
                        raise SystemExit(f"{name} stored {got['items']} pages, expected {args.pages}")
                    results[name].append((args.pages / got["elapsed"], got["elapsed"], wall, got["cpu"]))
    finally:
        site.close()
    print(f"crawl benchmark: {args.pages} local pages (~{len(site.pages['/p/0']) // 1024} KB each) + 1 sitemap, "
          f"politeness off, best of {args.repeat}")
    best = {name: max(runs) for name, runs in results.items()}
    for name in ("bare", "banwatch"):
        rate, elapsed, wall, cpu = best[name]
        label = "bare Scrapy (store bodies only)" if name == "bare" else "banwatch full stack"
        print(f"  {label:34s} {rate:7.1f} pages/s   (crawl {elapsed:5.2f}s, process wall {wall:5.2f}s, "
              f"crawler CPU {cpu:5.2f}s = {1000 * cpu / args.pages:.1f} ms/page)")
    ratio = best["banwatch"][0] / best["bare"][0]
    # each banwatch run against the bare run just before it: robust to the machine's speed drifting
    paired = sorted(b[0] / a[0] for a, b in zip(results["bare"], results["banwatch"]))
    print(f"  ratio banwatch / bare: {ratio:.2f} best against best, {statistics.median(paired):.2f} median of "
          f"{len(paired)} back-to-back pairs (target >= 0.70)")


if __name__ == "__main__":
    main()
