"""Faults, run as a user would meet them: kill -9 during `extract` and `build`, SIGTERM to a crawl
worker, and `extract --workers 2` against `--workers 1`.

The data is the bundled demo archive replayed through the real crawlers (the whole demo run is
test_app_demo.py; the replay alone, test_crawl_e2e.py). The kill -9 and SIGTERM of a single-process
crawl are covered in test_crawl_e2e.py; the distributed crawl's kill -9 cases in test_crawl_distributed.py.
"""
import json
import os
import signal
import sqlite3
import subprocess
import threading
import time

import pytest

from tests.support.cli import finish_banwatch, run_banwatch, start_banwatch
from tests.support.crawl import (
    REPO,
    LocalSite,
    Reply,
    article_html,
    crawl_db,
    write_sources,
)

pytestmark = pytest.mark.slow


def copy_db(source, target_dir):
    """A consistent copy of a SQLite file (the backup API, so a WAL is folded in)."""
    target_dir.mkdir(parents=True, exist_ok=True)
    src, dst = sqlite3.connect(source), sqlite3.connect(target_dir / source.name)
    with dst:
        src.backup(dst)
    src.close()
    dst.close()
    return target_dir


def rows(path, sql):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


DOCUMENTS = "select url, sha256, extractor_version, title, text, published, published_source, site, language, " \
            "kind, canonical_url, error, n_events from documents order by url"
EXTRACTIONS = "select * from extractions order by id"


@pytest.fixture(scope="module")
def demo_crawl(tmp_path_factory):
    """crawl.db of the demo archive, replayed through the real spiders (not yet extracted)."""
    from banwatch.demo import build_demo_archive

    tmp = tmp_path_factory.mktemp("demo-crawl")
    build_demo_archive(tmp / "demo.warc.gz")
    run_banwatch("crawl", "--replay", tmp / "demo.warc.gz", "--sources", REPO / "banwatch" / "demo" / "sources.yml",
                 "--data-dir", tmp / "data")
    return tmp / "data" / "crawl.db"


@pytest.fixture(scope="module")
def serial_extraction(demo_crawl, tmp_path_factory):
    """The reference: `banwatch extract --workers 1`, uninterrupted."""
    data = copy_db(demo_crawl, tmp_path_factory.mktemp("serial"))
    run_banwatch("extract", "--workers", 1, "--data-dir", data)
    return data / "crawl.db"


def test_extract_with_two_workers_gives_exactly_the_serial_extractions(demo_crawl, serial_extraction, tmp_path):
    data = copy_db(demo_crawl, tmp_path / "parallel")
    result = run_banwatch("extract", "--workers", 2, "--data-dir", data)
    assert "extract: documents 62" in result.stdout
    serial_docs, parallel_docs = rows(serial_extraction, DOCUMENTS), rows(data / "crawl.db", DOCUMENTS)
    assert len(serial_docs) == 62 and parallel_docs == serial_docs
    serial_events = rows(serial_extraction, EXTRACTIONS)
    assert len(serial_events) >= 80 and rows(data / "crawl.db", EXTRACTIONS) == serial_events


def test_kill_9_during_extract_then_rerun_extracts_every_document_exactly_once(demo_crawl, serial_extraction,
                                                                              tmp_path):
    data = copy_db(demo_crawl, tmp_path / "data")
    db_path = data / "crawl.db"
    process = start_banwatch("extract", "--data-dir", data)
    deadline, done = time.monotonic() + 120, 0
    while time.monotonic() < deadline and process.poll() is None:
        try:
            done = rows(db_path, "select count(*) from documents")[0][0]
        except sqlite3.OperationalError:  # the documents table is not there yet
            done = 0
        if done:
            break
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    done = rows(db_path, "select count(*) from documents")[0][0]
    assert 0 < done < 62, "the kill must land midway"
    # What the killed run saved is whole: each document has all of its extractions.
    half = rows(db_path, "select url from documents d where n_events != "
                         "(select count(*) from extractions e where e.document_url = d.url)")
    assert half == []
    result = run_banwatch("extract", "--data-dir", data)
    assert f"pending before {62 - done}" in result.stdout
    assert rows(db_path, DOCUMENTS) == rows(serial_extraction, DOCUMENTS)
    assert rows(db_path, EXTRACTIONS) == rows(serial_extraction, EXTRACTIONS)
    assert rows(db_path, "select count(*) from extract_errors")[0][0] == \
        rows(serial_extraction, "select count(*) from extract_errors")[0][0]


def test_kill_9_during_build_keeps_the_previous_kb_valid_and_the_rerun_completes(serial_extraction, tmp_path):
    from kb.build import TEMP_PREFIX
    from kb.verify import verify_data

    data = copy_db(serial_extraction, tmp_path / "data")
    run_banwatch("build", "--data-dir", data)
    kb_path = data / "kb.db"
    before = kb_path.read_bytes()
    events_before = rows(kb_path, "select count(*) from events")[0][0]
    # Eighty times the documents (same texts under new URLs), so the next build takes long enough to kill.
    conn = sqlite3.connect(data / "crawl.db")
    with conn:
        for k in range(1, 81):
            conn.execute("insert into documents select url || '?copy={0}', sha256, extractor_version, title, text, "
                         "published, published_source, site, language, kind, canonical_url, error, n_events, "
                         "extracted_at from documents where url not like '%?copy=%'".format(k))
            conn.execute("insert into extractions select id || '-{0}', document_url || '?copy={0}', idx, agency, "
                         "agency_id, agency_mention, agency_kind, country, jurisdiction_id, tool, tool_id, tool_mention, "
                         "action, stage, date, date_precision, date_text, date_source, reasons, reason_evidence, "
                         "scope, evidence, evidence_start, evidence_end, confidence from extractions "
                         "where id not like '%-%'".format(k))
    conn.close()

    problems, stop, passes = [], threading.Event(), [0]

    def keep_verifying():
        while not stop.is_set():
            problems.extend(verify_data(data))
            passes[0] += 1

    process = start_banwatch("build", "--rebuild", "--data-dir", data)
    checker = threading.Thread(target=keep_verifying)
    checker.start()
    # The build says where it is on stderr: kill it once it is writing the events into its temp file.
    for line in process.stderr:
        if line.startswith("build: writing events"):
            break
    assert process.poll() is None, "the build must still be running when it is killed"
    assert list(data.glob(TEMP_PREFIX + "*")), "the killed build was mid-write"
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    seen = passes[0]
    while passes[0] < seen + 2:  # the verifier also looks at what the kill left behind
        checker.join(timeout=0.01)
    stop.set()
    checker.join()
    assert problems == []
    assert kb_path.read_bytes() == before  # untouched, and still valid
    assert run_banwatch("verify", "--data-dir", data).returncode == 0
    result = run_banwatch("build", "--data-dir", data)
    assert "build: mode" in result.stdout
    assert not list(data.glob(TEMP_PREFIX + "*"))  # the killed build's temp file was cleaned up
    assert run_banwatch("verify", "--data-dir", data).returncode == 0
    assert rows(kb_path, "select count(*) from documents")[0][0] > 80 * 62
    assert rows(kb_path, "select count(*) from events")[0][0] >= events_before


@pytest.mark.redis
def test_sigterm_stops_a_crawl_worker_cleanly_and_the_rerun_resumes(tmp_path, redis_server):
    n = 200
    with LocalSite() as site:
        feed = "".join(f"<item><title>Agency {i} suspends DeepSeek</title><link>{site.base}/p/{i}</link></item>"
                       for i in range(n))
        site.routes["/feed.xml"] = Reply(f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{feed}'
                                         "</channel></rss>".encode(), content_type="application/rss+xml")
        for i in range(n):
            site.routes[f"/p/{i}"] = Reply(article_html(f"Agency {i} suspends DeepSeek", [
                f"Agency {i} suspended the DeepSeek app on its phones pending a security review."]).encode(),
                delay=0.25)
        sources = write_sources(tmp_path / "s.yml", [{"name": "feed", "kind": "feed", "url": site.url("/feed.xml")}])
        crawl = ["crawl", "--sources", sources, "--no-polite", "--redis", redis_server.url, "--data-dir", tmp_path / "w"]
        ingester = start_banwatch("ingest", "--redis", redis_server.url, "--data-dir", tmp_path / "data",
                                  stdout=subprocess.PIPE)
        worker = start_banwatch(*crawl, stdout=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while sum(1 for h in list(site.hits) if h.path.startswith("/p/")) < 40 and time.monotonic() < deadline:
            time.sleep(0.02)
        worker.send_signal(signal.SIGTERM)
        out, err = worker.communicate(timeout=60)
        assert worker.returncode == 1, err[-3000:]
        assert "its requests are back in the shared queue" in err.strip().splitlines()[-1]
        client = redis_server.client
        assert [k for k in client.scan_iter("banwatch:*:leases:*") if client.zcard(k)] == []
        queued = sum(client.zcard(k) for k in client.scan_iter("banwatch:*:requests"))
        fetched = sum(1 for h in site.hits if h.path.startswith("/p/"))
        assert queued == n - fetched and 0 < queued < n
        ingester.send_signal(signal.SIGTERM)  # the ingester stops cleanly too, after its batch
        ingest_out = finish_banwatch(ingester, name="ingest")
        assert "status stopped by SIGTERM" in ingest_out
        assert rows(tmp_path / "data" / "crawl.db", "pragma integrity_check") == [("ok",)]
        run = json.loads(rows(tmp_path / "data" / "crawl.db", "select json_object('s', status) from crawl_runs")[0][0])
        assert run == {"s": "interrupted"}
        # The same commands again: the worker resumes from the shared queue, the ingester drains.
        ingester = start_banwatch("ingest", "--redis", redis_server.url, "--idle-exit", 2,
                                  "--data-dir", tmp_path / "data", stdout=subprocess.PIPE)
        assert "status finished" in finish_banwatch(start_banwatch(*crawl, stdout=subprocess.PIPE),
                                                    name="resumed worker")
        finish_banwatch(ingester, name="ingest")
    for i in range(n):
        assert len(site.hits_of(f"/p/{i}")) == 1, f"/p/{i} fetched {len(site.hits_of(f'/p/{i}'))} times"
    db = crawl_db(tmp_path / "data")
    urls = sorted(r[0] for r in db.execute("select url from pages where kind = 'article'"))
    assert urls == sorted(site.url(f"/p/{i}") for i in range(n))
    assert db.execute("select count(*) from responses group by url having count(*) > 1").fetchall() == []
    assert sorted(r[0] for r in db.execute("select status from crawl_runs")) == ["finished", "interrupted"]
