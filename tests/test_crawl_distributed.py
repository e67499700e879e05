"""The distributed crawl: Debian's redis-server on 127.0.0.1, `banwatch crawl --redis` workers and one
`banwatch ingest`, all in subprocesses, against a local 500-page site the test starts.

Each test checks what the site saw (every page fetched once, by whom) and what crawl.db holds (every
page stored exactly once), through clean runs and kill -9 of a worker and of the ingester.
"""
import json
import os
import signal
import socket
import sqlite3
import subprocess
import time

import pytest

from tests.support.cli import finish_banwatch, run_banwatch, start_banwatch
from tests.support.crawl import (
    LocalSite,
    Reply,
    article_html,
    crawl_db,
    write_sources,
)

pytestmark = [pytest.mark.slow, pytest.mark.redis]

N_PAGES = 500
AGENCIES = ["Ministry of Digital Affairs", "State Treasury", "Navy", "Port Authority", "City Council"]
TOOLS = ["DeepSeek", "ChatGPT", "Copilot", "Gemini", "Claude"]



def news_sitemaps(site, n=N_PAGES, per_sitemap=100, delay=0.0, irrelevant=5):
    """A sitemap index of news sitemaps listing N relevant articles (plus a few irrelevant links)."""
    index = []
    for start in range(0, n, per_sitemap):
        path = f"/sitemaps/news-{start // per_sitemap}.xml"
        index.append(f"<sitemap><loc>{site.base}{path}</loc></sitemap>")
        urls = []
        for i in range(start, min(start + per_sitemap, n)):
            title = f"{AGENCIES[i % 5]} restricts {TOOLS[(i // 5) % 5]} on work devices, notice {i}"
            urls.append(f"<url><loc>{site.base}/news/{i}</loc><news:news><news:title>{title}</news:title>"
                        f"<news:publication_date>2025-02-0{1 + i % 9}</news:publication_date></news:news></url>")
            site.routes[f"/news/{i}"] = Reply(article_html(title, [
                f"The {AGENCIES[i % 5]} told staff on Monday that {TOOLS[(i // 5) % 5]} may no longer be "
                f"installed on work phones or laptops (notice {i}).",
                "Officials cited the risk that sensitive files could leave the department.",
            ]).encode(), delay=delay)
        for j in range(irrelevant if start == 0 else 0):
            urls.append(f"<url><loc>{site.base}/roads/{j}</loc><news:news><news:title>Lane closures on route {j}"
                        f"</news:title></news:news></url>")
        site.routes[path] = Reply(
            ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
             'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">' + "".join(urls) + "</urlset>").encode(),
            content_type="application/xml")
    site.routes["/sitemap-index.xml"] = Reply(
        ('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
         + "".join(index) + "</sitemapindex>").encode(), content_type="application/xml")


def start_workers(n, sources, redis_url, tmp_path):
    workers = []
    for i in range(n):
        log = open(tmp_path / f"worker-{i}.log", "w")
        workers.append(start_banwatch("crawl", "--sources", sources, "--no-polite", "--redis", redis_url,
                                        "--data-dir", tmp_path / f"worker-{i}", stdout=subprocess.PIPE, stderr=log))
    return workers


def wait_for_workers(server, n, timeout=30):
    deadline = time.monotonic() + timeout
    while len(list(server.client.scan_iter("banwatch:worker:*"))) < n:
        assert time.monotonic() < deadline, "the workers did not come up"
        time.sleep(0.05)



def article_urls(site, n=N_PAGES):
    return sorted(site.url(f"/news/{i}") for i in range(n))


def assert_every_page_once(data_dir, site, n=N_PAGES):
    db = crawl_db(data_dir)
    stored = sorted(r[0] for r in db.execute("select url from pages where kind = 'article'"))
    assert stored == article_urls(site, n)
    twice = db.execute("select url, count(*) from responses group by url having count(*) > 1").fetchall()
    assert twice == [], f"responses stored more than once: {twice[:5]}"
    assert db.execute("select count(*) from failures").fetchone()[0] == 0
    assert db.execute("select count(*) from pages where fetch_count != 1").fetchone()[0] == 0
    return db


def assert_frontier_drained(server):
    client = server.client
    assert client.llen("banwatch:ingest") == 0 and client.llen("banwatch:ingest:processing") == 0
    for key in client.scan_iter("banwatch:*:leases:*"):
        assert client.zcard(key) == 0, key
    for key in client.scan_iter("banwatch:*:requests"):
        assert client.zcard(key) == 0, key
    # The crawl is complete, so its seen-set is gone: the next run crawls afresh.
    assert list(client.scan_iter("banwatch:*:dupefilter")) == []


def test_two_workers_and_an_ingester_store_every_page_exactly_once(tmp_path, redis_server):
    with LocalSite() as site:
        news_sitemaps(site, delay=0.05)
        sources = write_sources(tmp_path / "s.yml", [
            {"name": "news-sitemaps", "kind": "sitemap", "url": site.url("/sitemap-index.xml")}])
        workers = start_workers(2, sources, redis_server.url, tmp_path)
        wait_for_workers(redis_server, 2)
        ingester = start_banwatch("ingest", "--redis", redis_server.url, "--idle-exit", 2,
                                  "--data-dir", tmp_path / "data", stdout=subprocess.PIPE)
        outs = [finish_banwatch(w, name=f"worker {i}", log_path=tmp_path / f"worker-{i}.log") for i, w in enumerate(workers)]
        ingest_out = finish_banwatch(ingester, name="ingest")
    assert all("status finished" in out for out in outs), outs
    assert "ingest: status idle" in ingest_out and "pages new 506" in ingest_out  # 500 articles, 6 sitemaps
    # On the wire: each article fetched once across both workers, irrelevant links never.
    for i in range(N_PAGES):
        assert len(site.hits_of(f"/news/{i}")) == 1
    assert not any(h.path.startswith("/roads/") for h in site.hits)
    db = assert_every_page_once(tmp_path / "data", site)
    by_worker = dict(db.execute("select worker, count(*) from responses group by worker").fetchall())
    assert len(by_worker) == 2 and min(by_worker.values()) >= 50, by_worker
    assert not (tmp_path / "worker-0" / "crawl.db").exists()  # workers write no SQLite
    runs = list(db.query("select status, args, stats from crawl_runs"))
    assert [r["status"] for r in runs] == ["finished", "finished"]
    assert sum(json.loads(r["stats"])["sent_to_ingest"] for r in runs) == N_PAGES + 6
    meta = json.loads(db.execute("select meta from pages where url = ?", [site.url("/news/7")]).fetchone()[0])
    assert meta["title"].endswith("notice 7") and meta["referrer"] == site.url("/sitemaps/news-0.xml")
    assert_frontier_drained(redis_server)


def test_kill_9_of_a_worker_and_of_the_ingester_loses_and_duplicates_nothing(tmp_path, redis_server):
    with LocalSite() as site:
        news_sitemaps(site, delay=0.15)  # slow enough that "midway" is real
        sources = write_sources(tmp_path / "s.yml", [
            {"name": "news-sitemaps", "kind": "sitemap", "url": site.url("/sitemap-index.xml")}])
        workers = start_workers(3, sources, redis_server.url, tmp_path)
        wait_for_workers(redis_server, 3)
        ingester = start_banwatch("ingest", "--redis", redis_server.url, "--data-dir", tmp_path / "data",
                                  stdout=subprocess.PIPE)

        def articles_fetched():
            return sum(1 for h in list(site.hits) if h.path.startswith("/news/"))

        first = f"{socket.gethostname()}:{workers[0].pid}"

        def stored_from_first():
            # under load the first worker can start late; kill it only once some of its pages are stored,
            # or "its pages count too" below would test nothing (read-only: the ingester owns the file)
            path = tmp_path / "data" / "crawl.db"
            if not path.exists():
                return 0
            try:
                with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
                    return conn.execute("select count(*) from responses where worker = ?", (first,)).fetchone()[0]
            except sqlite3.OperationalError:  # not created yet, or locked for a moment
                return 0

        deadline = time.monotonic() + 60
        while (articles_fetched() < 120 or not stored_from_first()) and time.monotonic() < deadline:
            time.sleep(0.02)
        os.kill(workers[0].pid, signal.SIGKILL)
        killed_at = articles_fetched()
        while articles_fetched() < 220 and time.monotonic() < deadline:
            time.sleep(0.02)
        os.kill(ingester.pid, signal.SIGKILL)
        ingester.wait(timeout=10)
        stored_when_killed = crawl_db(tmp_path / "data").execute("select count(*) from pages").fetchone()[0]
        assert 120 <= killed_at < N_PAGES and 0 < stored_when_killed < N_PAGES, "the kills must land midway"
        restarted = start_banwatch("ingest", "--redis", redis_server.url, "--idle-exit", 2,
                                   "--data-dir", tmp_path / "data", stdout=subprocess.PIPE)
        assert workers[0].wait(timeout=10) == -signal.SIGKILL
        for i, w in enumerate(workers[1:], 1):
            finish_banwatch(w, name=f"worker {i}", log_path=tmp_path / f"worker-{i}.log")
        finish_banwatch(restarted, name="restarted ingest")
    db = assert_every_page_once(tmp_path / "data", site)
    # The killed worker's in-flight requests were fetched again by the survivors, and stored once.
    refetched = [i for i in range(N_PAGES) if len(site.hits_of(f"/news/{i}")) > 1]
    assert len(refetched) <= 32  # at most the killed worker's in-flight requests (CONCURRENT_REQUESTS)
    fetched_by = {w for (w,) in db.execute("select distinct worker from responses")}
    assert len(fetched_by) == 3  # the killed worker's pages, stored before it died, count too
    statuses = sorted(r[0] for r in db.execute("select status from crawl_runs"))
    assert statuses == ["finished", "finished", "interrupted"]
    assert_frontier_drained(redis_server)


def test_redelivered_records_are_stored_once(tmp_path, redis_server):
    """An ingester killed after its commit but before removing the records from Redis: the restart
    reads them again and skips what crawl.db already holds."""
    from banwatch.db import open_crawl_db
    from crawlers import store
    from crawlers.distributed import (
        INGEST_KEY,
        PROCESSING_KEY,
        encode_record,
        run_ingest,
    )
    from crawlers.items import FetchedPage, FetchFailure

    client = redis_server.client
    pages = [FetchedPage(url=f"https://example.org/a/{i}", status=200, headers={"Content-Type": "text/html"},
                         body=f"<p>Ministry restricts DeepSeek, notice {i}</p>".encode(),
                         final_url=f"https://example.org/a/{i}", canonical_url=f"https://example.org/a/{i}",
                         source="t", kind="article") for i in range(6)]
    failure = FetchFailure(url="https://example.org/gone", reason="timeout", detail="timed out", source="t")
    records = [encode_record(p, f"r{i}:0", "w1") for i, p in enumerate(pages)]
    records.append(encode_record(failure, "r9:0", "w1"))
    # Records 0-2 were committed by the dead ingester but still sit in its processing list.
    db = open_crawl_db(tmp_path / "data")
    for i in range(3):
        with db.atomic():
            assert store.claim_record(db, f"r{i}:0", "w1")
            store.save_response(db, **{k: getattr(pages[i], k) for k in (
                "url", "status", "headers", "body", "final_url", "canonical_url", "source", "kind")})
    db.close()
    client.lpush(PROCESSING_KEY, *records[:4])
    client.lpush(INGEST_KEY, *records[4:], records[5])  # and one record pushed twice by a worker
    stats = run_ingest(tmp_path / "data", redis_server.url, idle_exit=0.2)
    assert stats["records"] == 8 and stats["duplicates_skipped"] == 4 and stats["pages_new"] == 3
    assert stats["failures"] == 1
    db = crawl_db(tmp_path / "data")
    assert db.execute("select count(*) from responses").fetchone()[0] == 6
    assert db.execute("select count(*) from pages where fetch_count = 1").fetchone()[0] == 6
    assert db.execute("select count(*) from failures").fetchone()[0] == 1
    assert client.llen(PROCESSING_KEY) == 0 and client.llen(INGEST_KEY) == 0


def test_a_second_ingester_on_the_same_redis_is_refused(tmp_path, redis_server):
    redis_server.client.set("banwatch:ingester", f"{socket.gethostname()}:{os.getpid()}")  # this live process
    result = run_banwatch("ingest", "--redis", redis_server.url, "--idle-exit", 0, "--data-dir", tmp_path / "d",
                          check=False)
    assert result.returncode == 1 and "another `banwatch ingest` is reading this Redis" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "d" / "crawl.db").exists()


@pytest.mark.parametrize("command", ["crawl", "ingest"])
def test_unreachable_or_malformed_redis_is_one_clear_line(tmp_path, command):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    extra = ["--url", "http://127.0.0.1:9/x"] if command == "crawl" else []
    for url, message in ((f"redis://127.0.0.1:{closed_port}/0", "cannot reach Redis at"),
                         ("http://127.0.0.1:6379", "--redis wants a URL like redis://HOST:PORT/DB")):
        result = run_banwatch(command, "--redis", url, *extra, "--data-dir", tmp_path / "d", check=False)
        assert result.returncode == 1 and message in result.stderr, result.stderr
        assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
