"""crawl.db: the one interface between the crawl, extract and build stages.

The crawlers write pages; the extractor reads them and writes documents and extractions; the
build reads documents and extractions. Each table is declared here once, and the readers other
stages use live here too: a stage never imports another stage's store.

Tables (docs/architecture.md gives the contract in prose):

- ``bodies``          one row per distinct response body: zlib-compressed bytes, keyed by sha256
- ``responses``       one row per fetch: the final response of its redirect/retry chain (304s included)
- ``pages``           one row per canonical URL: its latest good (2xx) content
- ``failures``        one row per failed fetch, with a reason from FAILURE_REASONS
- ``crawl_runs``      one row per ``banwatch crawl`` (per worker in a distributed crawl)
- ``ingest_log``      one row per record ``banwatch ingest`` stored (distributed crawl)
- ``documents``       one row per page the extractor read: text and metadata, or its error
- ``extractions``     the events read from each document, with their evidence
- ``extract_errors``  documents whose extraction failed, with the reason

Writers: crawlers.store (pages and everything fetched), pipeline.store (documents, extractions).

    >>> from sqlite_utils import Database
    >>> db = Database(memory=True)
    >>> ensure_crawl_db_shape(db); ensure_extract_shape(db)
    >>> sorted(db.table_names())[:3]
    ['bodies', 'crawl_runs', 'documents']
"""
import contextlib
import hashlib
import json
import re
import sqlite3
import zlib

from banwatch.db import connect_readonly
from banwatch.errors import BanwatchError

# `listing`: an HTML page that lists articles (a newsroom's index page), parsed for its links.
PAGE_KINDS = ("article", "feed", "sitemap", "api", "listing", "pdf", "robots", "other")
# Pages the extractor reads (listings are parsed by the crawlers for links only).
DOCUMENT_PAGE_KINDS = ("article", "pdf", "other")
# Listing pages are parsed for links; when fresh they are re-read from the store instead of fetched.
LISTING_KINDS = ("feed", "sitemap", "api", "listing", "robots")
# refused: the crawler would not make the request (not http(s), or a loopback/private address);
# blocked: the server answered with an access wall (CAPTCHA, "Request Access", a JavaScript
# interstitial) instead of the content; rate_limited: the server asked to slow down (retry later).
FAILURE_REASONS = (
    "dns", "timeout", "connection", "http_status", "too_big", "robots", "tls", "dataloss",
    "refused", "blocked", "rate_limited", "other",
)
RUN_STATUSES = ("running", "finished", "interrupted")

BODY_COLUMNS = {"sha256": str, "body": bytes, "size": int}
RESPONSE_COLUMNS = {
    "id": int, "url": str, "final_url": str, "canonical_url": str, "status": int, "headers": str,
    "fetched_at": str, "sha256": str, "source": str, "worker": str,
}
PAGE_COLUMNS = {
    "url": str, "final_url": str, "status": int, "content_type": str, "charset": str, "sha256": str,
    "size": int, "etag": str, "last_modified": str, "source": str, "kind": str, "first_fetched": str,
    "fetched_at": str, "changed_at": str, "fetch_count": int, "meta": str,
}
FAILURE_COLUMNS = {
    "id": int, "url": str, "source": str, "reason": str, "status": int, "detail": str, "at": str,
    "worker": str, "meta": str,  # meta: the listing's hints (title, published, summary, referrer) as JSON
}
RUN_COLUMNS = {
    "id": int, "started_at": str, "finished_at": str, "args": str, "stats": str, "status": str,
}
INGEST_LOG_COLUMNS = {"record_id": str, "worker": str, "at": str}

DOCUMENT_COLUMNS = {
    "url": str, "sha256": str, "extractor_version": str, "title": str, "text": str, "published": str,
    "published_source": str, "site": str, "language": str, "kind": str, "canonical_url": str,
    "error": str, "n_events": int, "extracted_at": str,
}
EXTRACTION_COLUMNS = {
    "id": str, "document_url": str, "idx": int, "agency": str, "agency_id": str, "agency_mention": str,
    "agency_kind": str, "country": str, "jurisdiction_id": str, "tool": str, "tool_id": str,
    "tool_mention": str, "action": str, "stage": str, "date": str, "date_precision": str,
    "date_text": str, "date_source": str, "reasons": str, "reason_evidence": str, "scope": str,
    "evidence": str, "evidence_start": int, "evidence_end": int, "confidence": float,
}
EXTRACT_ERROR_COLUMNS = {
    "url": str, "sha256": str, "extractor_version": str, "error": str, "traceback": str, "at": str,
}


def ensure_crawl_db_shape(db):
    """Create the crawlers' tables and indexes if missing (idempotent)."""
    tables = set(db.table_names())
    if "bodies" not in tables:
        db["bodies"].create(BODY_COLUMNS, pk="sha256")
    if "responses" not in tables:
        db["responses"].create(RESPONSE_COLUMNS, pk="id", foreign_keys=[("sha256", "bodies", "sha256")])
    if "pages" not in tables:
        db["pages"].create(PAGE_COLUMNS, pk="url", foreign_keys=[("sha256", "bodies", "sha256")])
    if "failures" not in tables:
        db["failures"].create(FAILURE_COLUMNS, pk="id")
    elif "meta" not in db["failures"].columns_dict:
        db["failures"].add_column("meta", str)  # crawl.db written before failures kept their hints
    if "crawl_runs" not in tables:
        db["crawl_runs"].create(RUN_COLUMNS, pk="id")
    if "ingest_log" not in tables:
        db["ingest_log"].create(INGEST_LOG_COLUMNS, pk="record_id")
    for table, columns in (
        ("responses", ["url"]), ("responses", ["final_url"]), ("responses", ["canonical_url"]),
        ("pages", ["kind"]), ("pages", ["final_url"]), ("pages", ["sha256"]),
        ("failures", ["url"]), ("failures", ["reason"]),
    ):
        db[table].create_index(columns, if_not_exists=True)


def ensure_extract_shape(db):
    """Create the extractor's tables and indexes if missing (idempotent)."""
    tables = set(db.table_names())
    if "documents" not in tables:
        db["documents"].create(DOCUMENT_COLUMNS, pk="url")
    if "extractions" not in tables:
        db["extractions"].create(EXTRACTION_COLUMNS, pk="id", foreign_keys=[("document_url", "documents", "url")])
    if "extract_errors" not in tables:
        db["extract_errors"].create(EXTRACT_ERROR_COLUMNS, pk=("url", "sha256", "extractor_version"))
    for table, columns in (
        ("extractions", ["document_url"]), ("extractions", ["tool_id", "agency_id"]),
        ("documents", ["sha256", "extractor_version"]),
        # covers the build's read of every document's version without touching the full text
        ("documents", ["url", "sha256", "extractor_version", "extracted_at"]),
    ):
        db[table].create_index(columns, if_not_exists=True)


# -- what is not a document ---------------------------------------------------------------------------

# Pages that answer with a wall instead of the content asked for. Each wall is known by its title and
# by words of its (short) text; both must match, so an article *about* CAPTCHAs is not a wall.
# (label, title pattern, text pattern)
ACCESS_WALLS = (
    # federalregister.gov and ecfr.gov answer programmatic clients with HTTP 200 and this page
    # ("Federal Register :: Request Access", a CAPTCHA to get the IP allowed; their APIs stay open).
    ("a 'Request Access' CAPTCHA page", re.compile(r"\brequest access\b", re.I),
     re.compile(r"captcha|programmatic access|bot test", re.I)),
    # Cloudflare's browser check ("Just a moment...", "Attention Required! | Cloudflare").
    ("a Cloudflare browser check", re.compile(r"just a moment|attention required", re.I),
     re.compile(r"cloudflare|enable javascript and cookies|checking your browser|cf[-_]chl", re.I)),
    # Bot managers' block pages (Akamai "Access Denied ... Reference #", DataDome, PerimeterX).
    ("a bot-check or access-denied page",
     re.compile(r"access denied|are you a robot|bot check|verify you are (a )?human|human verification|"
                r"request blocked|pardon our interruption", re.I),
     re.compile(r"captcha|robot|automated|reference #|you don.t have permission|unusual traffic", re.I)),
)
WALL_TITLE_SQL = ("request access", "just a moment", "attention required", "access denied", "are you a robot",
                  "bot check", "human", "request blocked", "pardon our interruption")
# Google News item links are JavaScript interstitials on news.google.com, never the article.
GOOGLE_NEWS_INTERSTITIAL = re.compile(r"^https?://news\.google\.com/(rss/)?(articles|read)/", re.I)
_WALL_TEXT_LIMIT = 6000  # characters: a wall is a short page


def access_wall(title, text, url=None):
    """What kind of access wall a page is (one line), or None when it looks like content.

    ``title`` and ``text`` are the page's title and visible text (the crawler's view of the HTML,
    or a stored document's title and text)."""
    if url and GOOGLE_NEWS_INTERSTITIAL.match(url):
        return "a Google News redirect page (JavaScript interstitial), not the article"
    title = " ".join((title or "").split())
    text = text or ""
    if not title or len(text) > _WALL_TEXT_LIMIT:
        return None
    for label, title_pattern, text_pattern in ACCESS_WALLS:
        if title_pattern.search(title) and text_pattern.search(text):
            return f"{label} ({title[:80]!r}), not the content"
    return None


def crawl_db_problems(conn, limit=10):
    """What `banwatch verify` reports about crawl.db's crawled content, one line each: stored pages and
    documents whose URL is not http(s) (a listing pointed the crawler elsewhere), and documents that
    are access walls (CAPTCHA pages, bot checks, Google News interstitials) rather than content."""
    tables = {row[0] for row in conn.execute("select name from sqlite_master where type = 'table'")}
    problems = []
    not_http = "not (lower({0}) like 'http://_%' or lower({0}) like 'https://_%')"
    if "pages" in tables:
        rows = conn.execute(f"select url, final_url from pages where {not_http.format('url')} "
                            f"or (final_url is not null and {not_http.format('final_url')}) limit ?", [limit]).fetchall()
        problems += [f"page {url!r} (fetched from {final!r}) is not an http(s) URL: delete it "
                     "(a listing pointed the crawler outside the web)" for url, final in rows]
    if "documents" not in tables:
        return problems
    rows = conn.execute(f"select url from documents where {not_http.format('url')} limit ?", [limit]).fetchall()
    problems += [f"document {url!r} is not an http(s) URL: delete it and its extractions "
                 "(a listing pointed the crawler outside the web)" for (url,) in rows]
    title_match = " or ".join("lower(title) like ?" for _ in WALL_TITLE_SQL)
    candidates = conn.execute(
        f"select url, title, substr(text, 1, {_WALL_TEXT_LIMIT + 1}) from documents "
        f"where ({title_match}) or url like '%://news.google.com/%'",
        [f"%{t}%" for t in WALL_TITLE_SQL])
    walls = []
    for url, title, text in candidates:
        wall = access_wall(title, text, url)
        if wall:
            walls.append(f"document {url} is {wall}: delete it; the crawler now records such pages as failures")
    if len(walls) > limit:
        walls = walls[:limit] + [f"... and {len(walls) - limit} more access walls stored as documents"]
    return problems + walls


# -- readers for the extractor ---------------------------------------------------------------------


def body_by_sha256(db, sha256):
    """A stored response body, decompressed (KeyError if there is none)."""
    row = db.execute("SELECT body FROM bodies WHERE sha256 = ?", [sha256]).fetchone()
    if row is None:
        raise KeyError(sha256)
    return zlib.decompress(row[0])


def page_body(db, url):
    """The stored body of the page with this canonical URL (KeyError if there is none)."""
    row = db.execute(
        "SELECT bodies.body FROM pages JOIN bodies ON bodies.sha256 = pages.sha256 WHERE pages.url = ?", [url],
    ).fetchone()
    if row is None:
        raise KeyError(url)
    return zlib.decompress(row[0])


def iter_pages(db, kinds=DOCUMENT_PAGE_KINDS, with_body=True):
    """Yield stored pages as dicts (``meta`` decoded, ``body`` decompressed), by URL."""
    placeholders = ", ".join("?" for _ in kinds)
    sql = f"SELECT * FROM pages WHERE kind IN ({placeholders}) AND sha256 IS NOT NULL ORDER BY url"
    for page in db.query(sql, list(kinds)):
        page["meta"] = json.loads(page["meta"]) if page["meta"] else {}
        if with_body:
            page["body"] = body_by_sha256(db, page["sha256"])
        yield page


def pending_pages(db, extractor_version, kinds=DOCUMENT_PAGE_KINDS, force=False):
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
        # a page whose extraction failed for these bytes and this extractor is not tried again
        sql += " and (documents.url is null or documents.sha256 is not pages.sha256" \
               " or documents.extractor_version is not ?)" \
               " and not exists (select 1 from extract_errors x where x.url = pages.url" \
               " and x.sha256 is pages.sha256 and x.extractor_version = ?)"
        params += [extractor_version, extractor_version]
    sql += " order by pages.url"
    return list(db.query(sql, params))


# -- readers for the build -------------------------------------------------------------------------


def check_crawl_db(path):
    """BanwatchError unless `path` is a readable crawl.db holding extracted documents."""
    try:
        conn = connect_readonly(path)
        try:
            tables = {r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")}
        finally:
            conn.close()
    except sqlite3.DatabaseError as e:
        raise BanwatchError(f"cannot read {path}: {e} (run `banwatch verify`)") from None
    missing = {"documents", "extractions"} - tables
    if missing:
        raise BanwatchError(f"{path} has no {' or '.join(sorted(missing))} table: run `banwatch extract` first")


def attach_readonly(conn, path, alias="crawl"):
    """ATTACH crawl.db read-only to a kb.db connection as `alias`; returns whether it has pages."""
    conn.execute(f"ATTACH DATABASE ? AS {alias}", [f"{path.resolve().as_uri()}?mode=ro"])
    return has_pages(conn, alias)


def has_pages(conn, alias="crawl"):
    """Whether the crawl.db attached as `alias` has a pages table (an extract-only one has not)."""
    return bool(conn.execute(
        f"select 1 from {alias}.sqlite_master where type = 'table' and name = 'pages'").fetchone())


def document_versions(path):
    """{url: (sha256, extractor_version, extracted_at)} of every document in crawl.db.

    Read once per build: it is both the input fingerprint and what finds the changed documents
    (each a scan of documents, whose rows carry the full text, were it not for the covering index)."""
    conn = connect_readonly(path)
    try:
        return {row[0]: row[1:] for row in conn.execute(
            "select url, sha256, extractor_version, extracted_at from documents")}
    finally:
        conn.close()


def input_fingerprint(path, versions):
    """A hash of what the build reads from crawl.db: every document's identity and version
    (`versions`: document_versions(path), which the build has read already)."""
    digest = hashlib.sha1()
    digest.update("".join(f"{url}\x1f{sha}\x1f{version}\x1f{extracted_at}\x1e"
                          for url, (sha, version, extracted_at) in sorted(versions.items())).encode())
    conn = connect_readonly(path)
    try:
        with contextlib.suppress(sqlite3.OperationalError):  # crawl.db may have no pages table
            digest.update(str(conn.execute("select count(*), max(fetched_at) from pages").fetchone()).encode())
    finally:
        conn.close()
    return digest.hexdigest()[:16]
