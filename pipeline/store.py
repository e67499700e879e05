"""The extractor's tables in crawl.db: documents, extractions, extract_errors.

See docs/architecture.md. A document and its extractions are always replaced together, in one
transaction, so a kill -9 mid-extract leaves either the old version or the new one, never a mix.
"""
import datetime
import hashlib
import json

DOCUMENT_COLUMNS = {
    "url": str,
    "sha256": str,
    "extractor_version": str,
    "title": str,
    "text": str,
    "published": str,
    "published_source": str,
    "site": str,
    "language": str,
    "kind": str,
    "canonical_url": str,
    "error": str,
    "n_events": int,
    "extracted_at": str,
}

EXTRACTION_COLUMNS = {
    "id": str,
    "document_url": str,
    "idx": int,
    "agency": str,
    "agency_id": str,
    "agency_mention": str,
    "agency_kind": str,
    "country": str,
    "jurisdiction_id": str,
    "tool": str,
    "tool_id": str,
    "tool_mention": str,
    "action": str,
    "stage": str,
    "date": str,
    "date_precision": str,
    "date_text": str,
    "date_source": str,
    "reasons": str,
    "reason_evidence": str,
    "scope": str,
    "evidence": str,
    "evidence_start": int,
    "evidence_end": int,
    "confidence": float,
}

ERROR_COLUMNS = {
    "url": str,
    "sha256": str,
    "extractor_version": str,
    "error": str,
    "traceback": str,
    "at": str,
}


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def ensure_extract_shape(db):
    """Create the extractor's tables and indexes if missing (idempotent)."""
    if "documents" not in db.table_names():
        db["documents"].create(DOCUMENT_COLUMNS, pk="url")
    if "extractions" not in db.table_names():
        db["extractions"].create(
            EXTRACTION_COLUMNS, pk="id", foreign_keys=[("document_url", "documents", "url")]
        )
    if "extract_errors" not in db.table_names():
        db["extract_errors"].create(ERROR_COLUMNS, pk=("url", "sha256", "extractor_version"))
    db["extractions"].create_index(["document_url"], if_not_exists=True)
    db["extractions"].create_index(["tool_id", "agency_id"], if_not_exists=True)
    db["documents"].create_index(["sha256", "extractor_version"], if_not_exists=True)
    # covers the build's read of every document's version without touching the full text
    db["documents"].create_index(["url", "sha256", "extractor_version", "extracted_at"], if_not_exists=True)


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


def pending_pages(db, extractor_version, kinds=("article", "pdf", "other"), force=False):
    """Pages that have no current document: new, changed, or extracted by another version."""
    if "pages" not in db.table_names():
        return []
    placeholders = ", ".join("?" for _ in kinds)
    sql = f"""
        select pages.url, pages.sha256, pages.kind, pages.content_type, pages.charset,
               pages.final_url, pages.meta, pages.source, pages.fetched_at
        from pages
        left join documents on documents.url = pages.url
        where pages.kind in ({placeholders}) and pages.sha256 is not null
    """
    params = list(kinds)
    if not force:
        sql += " and (documents.url is null or documents.sha256 is not pages.sha256" \
               " or documents.extractor_version is not ?)"
        params.append(extractor_version)
    sql += " order by pages.url"
    return list(db.query(sql, params))
