"""The crawlers' writers of crawl.db (banwatch.crawldb declares its tables and readers).

Tables the crawlers write:

- ``bodies``      one row per distinct response body: zlib-compressed bytes, keyed by sha256
- ``responses``   one row per fetch: the final response of its redirect/retry chain (304s included)
- ``pages``       one row per canonical URL: its latest good (2xx) content
- ``failures``    one row per failed fetch, with a reason from FAILURE_REASONS
- ``crawl_runs``  one row per ``banwatch crawl`` (per worker in a distributed crawl)
- ``ingest_log``  one row per record ``banwatch ingest`` stored (distributed crawl): a record
                  delivered twice is stored once

``save_response`` and ``save_failure`` are the only writers of crawl data. Each call is one
transaction, committed before it returns, so a kill -9 loses at most the item in flight and never
leaves half a row. Bodies are stored decoded (after Content-Encoding), byte-exact otherwise;
``headers`` are the headers as received on the wire.

    >>> from sqlite_utils import Database
    >>> from banwatch.crawldb import ensure_crawl_db_shape, page_body
    >>> db = Database(memory=True)
    >>> ensure_crawl_db_shape(db)
    >>> save_response(db, url="https://example.org/a", status=200, body=b"<p>hi</p>",
    ...               headers={"Content-Type": "text/html"}, source="demo", kind="article")
    'new'
    >>> page_body(db, "https://example.org/a")
    b'<p>hi</p>'
"""
from __future__ import annotations

import hashlib
import json
import re
import zlib

from sqlite_utils import Database

from banwatch.crawldb import FAILURE_REASONS, PAGE_KINDS, RUN_STATUSES
from banwatch.utils import utcnow

# -- writers -------------------------------------------------------------------------------------


def save_response(
    db: Database,
    *,
    url: str,
    status: int,
    headers: dict | None = None,
    body: bytes | None = None,
    final_url: str | None = None,
    canonical_url: str | None = None,
    source: str | None = None,
    kind: str = "other",
    meta: dict | None = None,
    fetched_at: str | None = None,
    worker: str | None = None,
    partial: bool = False,
    failure: tuple[str, str] | None = None,
    store_page: bool = True,
) -> str:
    """Store one fetch in one transaction and say what it did to its page.

    Always adds a ``responses`` row (and the body, once per distinct sha256). Then, keyed by
    ``canonical_url`` (default: ``final_url``, then ``url``):

    - 2xx: the page is created (``"new"``), replaced (``"changed"``), or, when the body's sha256 is
      the stored one, only ``fetched_at``/``fetch_count`` move (``"unchanged"``);
    - 304: the stored page is confirmed (``"not_modified"``);
    - ``partial=True`` (a transfer cut short): the partial body is kept, but becomes the page only
      when there is no page yet, flagged ``meta.truncated`` (``"partial"``);
    - anything else (404, 500 after retries...): no page change (``"error_status"``).

    ``failure=(reason, detail)`` also records a ``failures`` row in the same transaction (e.g. an
    HTTP 404 is both a response and a failure), with ``meta`` (the listing's hints) on it.
    ``store_page=False``: a 2xx answer that is not the content (an access wall, a rate-limit notice,
    a listing that does not parse) is kept as a response, never as a page (``"not_content"``).
    """
    if kind not in PAGE_KINDS:
        raise ValueError(f"unknown page kind {kind!r}; expected one of {', '.join(PAGE_KINDS)}")
    headers = headers or {}
    final_url = final_url or url
    canonical_url = canonical_url or final_url
    fetched_at = fetched_at or utcnow()
    has_body = body is not None and status != 304
    sha256 = hashlib.sha256(body).hexdigest() if has_body else None

    conn = db.conn  # the hot path: plain sqlite3 calls inside one sqlite-utils transaction
    with db.atomic():
        if has_body:
            conn.execute(
                "INSERT OR IGNORE INTO bodies (sha256, body, size) VALUES (?, ?, ?)",
                [sha256, zlib.compress(body, 6), len(body)],
            )
        conn.execute(
            "INSERT INTO responses (url, final_url, canonical_url, status, headers, fetched_at,"
            " sha256, source, worker) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [url, final_url, canonical_url, status, json.dumps(headers, ensure_ascii=False),
             fetched_at, sha256, source, worker],
        )
        if failure:
            _insert_failure(conn, url, source, failure[0], status, failure[1], fetched_at, worker, meta)
        if not store_page:
            return "not_content"
        if status == 304:
            touched = conn.execute(
                "UPDATE pages SET fetched_at = ?, fetch_count = fetch_count + 1 WHERE url = ?",
                [fetched_at, canonical_url],
            ).rowcount
            return "not_modified" if touched else "error_status"
        if not 200 <= status < 300:
            return "error_status"
        existing = conn.execute(
            "SELECT sha256, meta FROM pages WHERE url = ?", [canonical_url]
        ).fetchone()
        if partial:
            if existing:
                return "partial"
            meta = {**(meta or {}), "truncated": True}
        content_type, charset = content_type_and_charset(headers, body if has_body else b"")
        fields = {
            "final_url": final_url, "status": status, "content_type": content_type,
            "charset": charset, "etag": header_value(headers, "ETag"),
            "last_modified": header_value(headers, "Last-Modified"), "source": source, "kind": kind,
        }
        if existing is None:
            conn.execute(
                "INSERT INTO pages (url, final_url, status, content_type, charset, sha256, size, etag,"
                " last_modified, source, kind, first_fetched, fetched_at, changed_at, fetch_count, meta)"
                " VALUES (:url, :final_url, :status, :content_type, :charset, :sha256, :size, :etag,"
                " :last_modified, :source, :kind, :now, :now, :now, 1, :meta)",
                {**fields, "url": canonical_url, "sha256": sha256, "size": len(body or b""),
                 "now": fetched_at, "meta": _meta_json(None, meta)},
            )
            return "partial" if partial else "new"
        changed = existing[0] != sha256
        conn.execute(
            "UPDATE pages SET final_url = :final_url, status = :status, content_type = :content_type,"
            " charset = :charset, etag = :etag, last_modified = :last_modified, source = :source,"
            " kind = :kind, sha256 = :sha256, size = :size, fetched_at = :now,"
            " changed_at = CASE WHEN :changed THEN :now ELSE changed_at END,"
            " fetch_count = fetch_count + 1, meta = :meta WHERE url = :url",
            {**fields, "url": canonical_url, "sha256": sha256, "size": len(body or b""),
             "now": fetched_at, "changed": changed, "meta": _meta_json(existing[1], meta)},
        )
        return "changed" if changed else "unchanged"


def save_failure(
    db: Database,
    *,
    url: str,
    reason: str,
    detail: str | None = None,
    source: str | None = None,
    status: int | None = None,
    at: str | None = None,
    worker: str | None = None,
    meta: dict | None = None,
) -> None:
    """Record a fetch that produced no response (DNS, timeout, robots, too big...), with the hints the
    listing gave about the page (``meta``: title, published, summary, referrer), so it stays readable."""
    with db.atomic():
        _insert_failure(db.conn, url, source, reason, status, detail, at or utcnow(), worker, meta)


def _insert_failure(conn, url, source, reason, status, detail, at, worker, meta=None):
    if reason not in FAILURE_REASONS:
        raise ValueError(f"unknown failure reason {reason!r}; expected one of {', '.join(FAILURE_REASONS)}")
    conn.execute(
        "INSERT INTO failures (url, source, reason, status, detail, at, worker, meta)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [url, source, reason, status, detail, at, worker, _meta_json(None, meta)],
    )


def _meta_json(old: str | None, new: dict | None) -> str | None:
    """Merge new hints over old ones; a hint a later referrer lacks is kept, not erased."""
    merged = json.loads(old) if old else {}
    merged.update({k: v for k, v in (new or {}).items() if v not in (None, "", [])})
    return json.dumps(merged, ensure_ascii=False, sort_keys=True) if merged else None


def claim_record(db: Database, record_id: str, worker: str | None = None) -> bool:
    """Log a distributed-crawl record as stored; False when it already was (delivered again after a
    crash). Call it in the transaction that stores the record, so the two commit together."""
    return db.conn.execute(
        "INSERT OR IGNORE INTO ingest_log (record_id, worker, at) VALUES (?, ?, ?)", [record_id, worker, utcnow()]
    ).rowcount == 1


# -- crawl runs ----------------------------------------------------------------------------------


def start_run(db: Database, args: dict) -> int:
    with db.atomic():
        cursor = db.execute(
            "INSERT INTO crawl_runs (started_at, args, status) VALUES (?, ?, 'running')",
            [utcnow(), json.dumps(args, default=str, sort_keys=True)],
        )
    return cursor.lastrowid


def finish_run(db: Database, run_id: int, status: str, stats: dict) -> None:
    if status not in RUN_STATUSES:
        raise ValueError(f"unknown run status {status!r}")
    with db.atomic():
        db.execute(
            "UPDATE crawl_runs SET finished_at = ?, status = ?, stats = ? WHERE id = ?",
            [utcnow(), status, json.dumps(stats, default=str, sort_keys=True), run_id],
        )


def save_worker_run(db: Database, run_key: str, *, started_at: str, status: str, args: dict,
                    finished_at: str | None = None, stats: dict | None = None) -> int:
    """A distributed worker's run, as its records report it: created, then updated by ``run_key``."""
    if status not in RUN_STATUSES:
        raise ValueError(f"unknown run status {status!r}")
    with db.atomic():
        row = db.execute("SELECT id FROM crawl_runs WHERE json_extract(args, '$.run_key') = ?", [run_key]).fetchone()
        if row is None:
            return db.execute(
                "INSERT INTO crawl_runs (started_at, finished_at, args, stats, status) VALUES (?, ?, ?, ?, ?)",
                [started_at, finished_at, json.dumps({**args, "run_key": run_key}, default=str, sort_keys=True),
                 json.dumps(stats, default=str, sort_keys=True) if stats is not None else None, status],
            ).lastrowid
        db.execute(
            "UPDATE crawl_runs SET finished_at = ?, status = ?, stats = ? WHERE id = ?",
            [finished_at, status, json.dumps(stats, default=str, sort_keys=True) if stats is not None else None, row[0]],
        )
        return row[0]


def mark_worker_runs_interrupted(db: Database, worker: str) -> int:
    """The runs of a distributed worker that died (its leases were taken back by another worker)."""
    with db.atomic():
        return db.execute(
            "UPDATE crawl_runs SET status = 'interrupted',"
            " stats = json_set(coalesce(stats, '{}'), '$.note', 'worker stopped answering; its requests were re-queued')"
            " WHERE status = 'running' AND json_extract(args, '$.worker') = ?", [worker]
        ).rowcount


def mark_dead_runs_interrupted(db: Database) -> int:
    """Runs still 'running' whose process died (kill -9, power loss). Call only while holding the crawl lock."""
    with db.atomic():
        return db.execute(
            "UPDATE crawl_runs SET status = 'interrupted',"
            " stats = json_set(coalesce(stats, '{}'), '$.note', 'process ended without closing the run')"
            " WHERE status = 'running' AND json_extract(args, '$.run_key') IS NULL"  # not distributed workers' runs
        ).rowcount


# -- readers -------------------------------------------------------------------------------------


def find_page(db: Database, url: str) -> dict | None:
    """The stored page for a URL: by canonical URL, or by a URL an earlier fetch started from or
    ended at (a page keyed by its rel=canonical is still found under the URL a feed links)."""
    cursor = db.conn.execute(
        "SELECT * FROM pages WHERE url = :url"
        " UNION ALL SELECT * FROM (SELECT pages.* FROM responses JOIN pages ON pages.url = responses.canonical_url"
        " WHERE responses.url = :url OR responses.final_url = :url ORDER BY responses.id DESC LIMIT 1)"
        " LIMIT 1",
        {"url": url},
    )
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip([d[0] for d in cursor.description], row))


def conditional_headers(page: dict | None) -> dict:
    """If-None-Match / If-Modified-Since for re-fetching a stored page."""
    headers = {}
    if page and page.get("etag"):
        headers["If-None-Match"] = page["etag"]
    if page and page.get("last_modified"):
        headers["If-Modified-Since"] = page["last_modified"]
    return headers


# -- header helpers ------------------------------------------------------------------------------


def header_value(headers: dict, name: str) -> str | None:
    lowered = name.lower()
    for key, value in headers.items():
        if key.lower() == lowered:
            return value
    return None


# The charset label as declared (w3lib would normalise it to a Python codec name).
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_BODY_CHARSET = re.compile(
    rb"<meta[^>]+charset\s*=\s*[\"']?([\w.:-]+)|<\?xml[^>]+encoding\s*=\s*[\"']([\w.:-]+)", re.I
)


def content_type_and_charset(headers: dict, body: bytes = b"") -> tuple[str | None, str | None]:
    """The MIME type (lowercase, no parameters) and the *declared* charset label: the
    Content-Type header's, else an HTML/XML body's own declaration; None when neither declares one."""
    raw = header_value(headers, "Content-Type") or ""
    mime = raw.split(";", 1)[0].strip().lower() or None
    match = _HEADER_CHARSET.search(raw)
    if match:
        return mime, match.group(1).lower()
    if body and (mime is None or "html" in mime or "xml" in mime):
        found = _BODY_CHARSET.search(body[:4096])
        if found:
            return mime, (found.group(1) or found.group(2)).decode("ascii").lower()
    return mime, None
