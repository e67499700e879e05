"""The extractor's writers of crawl.db: documents, extractions, extract_errors (declared in
banwatch.crawldb, with the readers other stages use).

A document and its extractions are always replaced together, in one transaction, so a kill -9
mid-extract leaves either the old version or the new one, never a mix.
"""
import hashlib
import json

from banwatch.crawldb import DOCUMENT_COLUMNS, EXTRACTION_COLUMNS
from banwatch.utils import utcnow


def extraction_id(url, sha256, extractor_version, idx):
    key = "\x1f".join([url, sha256 or "", extractor_version, str(idx)])
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def extraction_row(url, sha256, extractor_version, idx, event):
    """One `extractions` row from an extractor event dict (lists/dicts become JSON text)."""
    row = {k: event.get(k) for k in EXTRACTION_COLUMNS if k in event}
    row["reasons"] = json.dumps(list(event.get("reasons") or []))
    row["reason_evidence"] = json.dumps(event.get("reason_evidence") or {}, ensure_ascii=False)
    row.update(
        id=extraction_id(url, sha256, extractor_version, idx), document_url=url, idx=idx
    )
    return row


def save_document(db, document, events, extractor_version):
    """Replace a document and its extractions in one transaction.

    `document` has the `documents` columns (url, sha256, title, text, ...); `events` are the
    extractor's event dicts.
    """
    url = document["url"]
    sha256 = document.get("sha256")
    doc_row = {k: document.get(k) for k in DOCUMENT_COLUMNS}
    doc_row.update(extractor_version=extractor_version, n_events=len(events), extracted_at=utcnow())
    rows = [extraction_row(url, sha256, extractor_version, i, e) for i, e in enumerate(events)]
    # Plain SQL on one connection-level transaction: sqlite-utils' insert() commits on its own,
    # which would split the document from its extractions (a kill between them left a half).
    with db.conn:
        if not db.conn.in_transaction:
            db.conn.execute("BEGIN")
        db.conn.execute("DELETE FROM extractions WHERE document_url = ?", [url])
        _replace_rows(db.conn, "documents", [doc_row])
        _replace_rows(db.conn, "extractions", rows)
        db.conn.execute(
            "DELETE FROM extract_errors WHERE url = ? AND sha256 IS ? AND extractor_version = ?",
            [url, sha256, extractor_version],
        )


def _replace_rows(conn, table, rows):
    if not rows:
        return
    columns = list(rows[0])
    sql = (f"INSERT OR REPLACE INTO [{table}] ({', '.join(f'[{c}]' for c in columns)}) "
           f"VALUES ({', '.join('?' for _ in columns)})")
    conn.executemany(sql, [[_sql_value(row.get(c)) for c in columns] for row in rows])


def _sql_value(value):
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list, tuple)) else value


def save_extract_error(db, url, sha256, extractor_version, error, traceback_text=None):
    """Record a document whose extraction raised; the batch goes on."""
    with db.conn:
        db["extract_errors"].insert(
            {
                "url": url,
                "sha256": sha256,
                "extractor_version": extractor_version,
                "error": error,
                "traceback": traceback_text,
                "at": utcnow(),
            },
            replace=True,
        )
