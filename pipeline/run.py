"""`banwatch extract`: incremental extraction over crawl.db, or a JSONL file of documents.

Workers compute (one extractor per process) and the parent alone writes: SQLite has one writer.
Each document is saved with its events in one transaction, so a killed run loses at most the
documents in flight, and the next run picks them up again (they are still pending).
"""
import json
import multiprocessing
import sys
import time
import traceback

import sqlite_utils

from banwatch.crawldb import body_by_sha256, ensure_extract_shape, pending_pages
from banwatch.db import open_crawl_db
from banwatch.errors import BanwatchError
from pipeline import store
from pipeline.budget import SECONDS_PER_DOCUMENT, OverBudget, time_budget
from pipeline.documents import DocumentError, document_from_html, document_from_pdf
from pipeline.extract import Extractor

BATCH = 32
_worker_extractor = None


def _init_worker(full_pipeline, reference_dir=None):
    global _worker_extractor
    _worker_extractor = Extractor(full_pipeline=full_pipeline, reference_dir=reference_dir)


def _extractor():
    return _worker_extractor


def _pool(workers, full_pipeline):
    context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    return context.Pool(workers, initializer=_init_worker, initargs=(full_pipeline,))


def _map(func, batches, workers, full_pipeline):
    """Run func over batches in order: in this process (1 worker) or a pool."""
    if workers <= 1:
        _init_worker(full_pipeline)
        for batch in batches:
            yield func(batch)
        return
    with _pool(workers, full_pipeline) as pool:
        yield from pool.imap(func, batches)


class Progress:
    def __init__(self, label, total=None, every=2.0, stream=sys.stderr):
        self.label, self.total, self.every, self.stream = label, total, every, stream
        self.done = 0
        self.started = self.last = time.monotonic()

    def add(self, n):
        self.done += n
        now = time.monotonic()
        if now - self.last >= self.every:
            self.last = now
            self.report()

    def report(self):
        elapsed = max(time.monotonic() - self.started, 1e-9)
        of = f"/{self.total}" if self.total is not None else ""
        print(f"{self.label}: {self.done}{of} documents ({self.done / elapsed:.1f}/s)", file=self.stream, flush=True)

    @property
    def rate(self):
        return self.done / max(time.monotonic() - self.started, 1e-9)


# ---- JSONL in, JSONL out (the evaluation contract) ----

def read_jsonl(path):
    """Yield (line number, record or None, error) for each non-blank line: a bad line (not UTF-8, not
    JSON, nested too deeply, no "id") is reported and skipped, never the end of the run."""
    try:
        handle = sys.stdin.buffer if str(path) == "-" else open(path, "rb")
    except OSError as e:
        raise BanwatchError(f"cannot read {path}: {e.strerror}") from None
    with handle:
        for n, raw in enumerate(handle, 1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                yield n, None, f"line {n}: not UTF-8 ({e.reason} at byte {e.start})"
                continue
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as e:
                yield n, None, f"line {n}: invalid JSON ({e.msg})"
                continue
            except RecursionError:
                yield n, None, f"line {n}: JSON nested too deeply"
                continue
            if not isinstance(record, dict) or "id" not in record:
                yield n, None, f"line {n}: a record needs an \"id\""
                continue
            yield n, record, None


def _extract_records(records):
    out = []
    for result in _extractor().extract_many(records):
        line = {"id": result["id"], "events": result["events"]}
        if result["error"]:
            line["error"] = result["error"]
        document = result.get("document") or {}
        if document.get("language") not in (None, "en"):
            line["language"] = document["language"]
        out.append(line)
    return out


def extract_jsonl(input_path, output_path=None, workers=1, full_pipeline=False):
    """Documents in (the design's evaluation records), one line of events out per document."""
    batches, batch, errors = [], [], 0
    for n, record, error in read_jsonl(input_path):
        if error:
            print(f"extract: skipped {error}", file=sys.stderr)
            errors += 1
            continue
        batch.append(record)
        if len(batch) == BATCH:
            batches.append(batch)
            batch = []
    if batch:
        batches.append(batch)
    total = sum(len(b) for b in batches)
    out = open(output_path, "w", encoding="utf-8") if output_path else sys.stdout
    progress = Progress("extract", total)
    n_events = 0
    try:
        for lines in _map(_extract_records, batches, workers, full_pipeline):
            for line in lines:
                n_events += len(line["events"])
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
            progress.add(len(lines))
    finally:
        if output_path:
            out.close()
    return {"documents": total, "events": n_events, "skipped_lines": errors,
            "documents_per_second": round(progress.rate, 1)}


# ---- crawl.db ----

def document_from_page(body, page):
    meta = json.loads(page.get("meta") or "{}") if isinstance(page.get("meta"), str) else (page.get("meta") or {})
    hints = {"title": meta.get("title"), "published": meta.get("published")}
    url = page.get("final_url") or page["url"]
    if page.get("kind") == "pdf" or (page.get("content_type") or "").startswith("application/pdf") \
            or body[:5] == b"%PDF-":
        doc = document_from_pdf(body, url=url, hints=hints)
        doc["kind"] = "pdf"
    else:
        doc = document_from_html(body, url=url, content_type=page.get("content_type"), hints=hints)
        doc["kind"] = page.get("kind") or "article"
    doc.update(url=page["url"], sha256=page["sha256"])
    return doc


def _extract_pages(job):
    """In a worker: read bodies (read-only), build documents, extract; return rows for the writer."""
    db_path, pages = job
    db = sqlite_utils.Database(db_path)  # one connection per batch: WAL readers never block the writer
    extractor = _extractor()
    results = []
    prepared = []
    for page in pages:
        try:
            body = page_body(db, page["sha256"])
            with time_budget(SECONDS_PER_DOCUMENT, "reading the page"):
                prepared.append((page, document_from_page(body, page), None))
        except (DocumentError, OverBudget) as e:
            prepared.append((page, None, str(e)))
        except Exception as e:  # a broken page must not stop the batch: record it with its traceback
            prepared.append((page, None, f"{type(e).__name__}: {e}", traceback.format_exc()))
    records = [{"id": p["url"], "title": d["title"], "text": d["text"], "published": d["published"],
                "url": p["url"]} for p, d, *_ in prepared if d]
    # extract_many isolates a failing document itself and reports it in "error"
    by_url = {r["id"]: r for r in extractor.extract_many(records)}
    for item in prepared:
        page, doc, error = item[:3]
        if doc is None:
            doc = {"url": page["url"], "sha256": page["sha256"], "kind": page.get("kind"), "error": error}
            results.append(("document", doc, [], item[3] if len(item) > 3 else None))
            continue
        result = by_url.get(page["url"], {"events": [], "error": None})
        if result["error"]:
            results.append(("error", doc, [], result["error"]))
            continue
        results.append(("document", doc, result["events"], None))
    db.close()
    return results


def page_body(db, sha256):
    try:
        return body_by_sha256(db, sha256)
    except KeyError:
        raise DocumentError("page body missing from crawl.db") from None


def extract_crawl_db(data_dir, workers=1, full_pipeline=False, force=False):
    """Extract every new or changed page (or every page with force) into documents/extractions."""
    db = open_crawl_db(data_dir, create=False)
    ensure_extract_shape(db)
    version = Extractor(full_pipeline=full_pipeline).version
    pages = pending_pages(db, version, force=force)
    progress = Progress("extract", len(pages))
    jobs = [(str(db.conn.execute("pragma database_list").fetchone()[2]), pages[i:i + BATCH])
            for i in range(0, len(pages), BATCH)]
    stats = {"documents": 0, "events": 0, "errors": 0}
    for results in _map(_extract_pages, jobs, workers, full_pipeline):
        for kind, doc, found, error in results:
            if kind == "error":
                store.save_extract_error(db, doc["url"], doc.get("sha256"), version, error)
                stats["errors"] += 1
                continue
            store.save_document(db, doc, found, version)
            stats["documents"] += 1
            stats["events"] += len(found)
            if doc.get("error"):
                stats["errors"] += 1
                if error:
                    store.save_extract_error(db, doc["url"], doc.get("sha256"), version, doc["error"], error)
        progress.add(len(results))
    stats["pending_before"] = len(pages)
    stats["documents_per_second"] = round(progress.rate, 1)
    return stats
