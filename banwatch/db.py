"""The data directory's files and how every stage opens them.

    data/crawl.db   private working store: crawled pages, documents, extractions (banwatch.crawldb)
    data/kb.db      the published knowledge base (banwatch.kbdb), replaced atomically by `build`

One busy timeout for every connection: a reader waits this long for a writer, never fails at once.
"""
import contextlib
import sqlite3
from pathlib import Path

import sqlite_utils

from banwatch.errors import BanwatchError

DEFAULT_DATA_DIR = "data"
DATA_DIR_ENV = "BANWATCH_DATA"
CRAWL_DB = "crawl.db"
KB_DB = "kb.db"
BUSY_TIMEOUT_MS = 30_000


def crawl_db_path(data_dir):
    return Path(data_dir) / CRAWL_DB


def kb_db_path(data_dir):
    return Path(data_dir) / KB_DB


def connect_readonly(path):
    """A read-only sqlite3 connection (mode=ro: never creates or writes the file)."""
    return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)


def open_crawl_db(data_dir, create=True):
    """DATA_DIR/crawl.db for writing, in WAL mode with every table in shape.

    With create=False a missing crawl.db is a BanwatchError saying to crawl first.
    """
    from banwatch.crawldb import ensure_crawl_db_shape

    path = crawl_db_path(data_dir)
    if not create and not path.exists():
        raise BanwatchError(f"no {CRAWL_DB} in {data_dir}: run `banwatch crawl` first (or `banwatch demo`)")
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite_utils.Database(path)
    db.enable_wal()
    # WAL + synchronous=NORMAL: a commit survives a killed process (not a power cut) without an fsync
    # per page; the busy timeout lets `banwatch extract` read while a crawl writes.
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    ensure_crawl_db_shape(db)
    return db


def open_kb_readonly(data_dir):
    """DATA_DIR/kb.db read-only (rows as sqlite3.Row), checked to be a kb.db; BanwatchError if not."""
    path = kb_db_path(data_dir)
    if not path.exists():
        raise BanwatchError(f"no {KB_DB} in {data_dir}: run `banwatch build` (or `banwatch demo`) first")
    conn = connect_readonly(path)
    conn.row_factory = sqlite3.Row
    try:
        conn.execute("select 1 from events limit 1").fetchall()
    except sqlite3.DatabaseError as e:
        conn.close()
        raise BanwatchError(f"{path} is not a banwatch kb.db ({e}): rebuild it with `banwatch build --rebuild`") from None
    return conn


def kb_db_problem(path):
    """Why the kb.db at `path` cannot be trusted, in a few words, or None when it is sound.

    SQLite's quick_check reads every page (b-trees, records, free list: ~0.4 s for a 380 MB kb.db),
    so a file damaged anywhere is found, not only where the first query looks. It cannot see
    bytes changed inside a text value: that is a matter for `banwatch verify`.
    """
    try:
        conn = connect_readonly(path)
    except sqlite3.Error as e:
        return f"cannot open it: {e}"
    try:
        found = [row[0] for row in conn.execute("PRAGMA quick_check(3)")]
        if found != ["ok"]:
            lines = [line for row in found for line in row.splitlines() if not line.startswith("*** in database")]
            return "SQLite's quick_check: " + "; ".join(lines)[:300]
        tables = {row[0] for row in conn.execute("select name from sqlite_master where type = 'table'")}
    except sqlite3.DatabaseError as e:
        return str(e)
    finally:
        conn.close()
    if not {"events", "build_info"} <= tables:
        return "not a banwatch kb.db: it has no events or build_info table"
    return None


@contextlib.contextmanager
def reading_kb(data_dir):
    """open_kb_readonly() as a context manager that closes the connection."""
    conn = open_kb_readonly(data_dir)
    try:
        yield conn
    finally:
        conn.close()
