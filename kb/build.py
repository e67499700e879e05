"""The build: crawl.db (documents + extractions) + reference data + curation -> kb.db.

    build_kb(data_dir) -> stats

Steps (kb.steps, run in order by write_kb): resolve the entities of each extraction (kb.resolve),
merge reports of one measure into events (kb.merge), apply curation (kb.curation), give events
their stable IDs, write the graph and its analytics (kb.graph). This module keeps what is around
them: the lock, the fingerprints that decide what to redo, and the atomic swap.

Atomic: the new kb.db is written to a temporary file in the data directory, flushed to disk and
renamed over the old one (os.replace), so readers and a crash only ever see a complete kb.db.
A lock file keeps two builds from racing; temporary files of a killed build are removed by the
next one.

Incremental: kb.db is its own cache. A build copies the previous kb.db and redoes only
  * documents whose (sha256, extractor version, extraction time) changed, or that disappeared:
    their rows are replaced and their extractions resolved again;
  * the merging groups (agency, tool, action family, stage) those documents report on, plus
    every group a curation entry touched: their events are merged again from the stored,
    already-resolved reports;
  * the graph edges of the events that changed, the entity graph and its analytics.
A change of the curation files re-merges every group (without re-reading documents); a change of
the reference data, the build rules (BUILD_VERSION) or --full-text, or `rebuild=True`, rebuilds
everything. Either way the result is the same kb.db a full build would produce.

Stable IDs: an event's ID spells its identity (kb.merge.event_id), so a rebuild from scratch
gives the same IDs. When new data changes an event's identity (its month, action, agency), its
old ID goes to event_redirects, carried from build to build; the previous kb.db tells which new
event holds the old one's sources (matched by document URL and merging group, so a re-crawled
page keeps its events). Curators may pin an ID (kb/curation/events.yml).
"""
import contextlib
import fcntl
import gc
import hashlib
import json
import logging
import os
import shutil
import sqlite3
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import sqlite_utils

from banwatch import crawldb
from banwatch.crawldb import (
    attach_readonly,
    check_crawl_db,
    document_versions,
    input_fingerprint,
)
from banwatch.db import CRAWL_DB, KB_DB, connect_readonly, kb_db_problem
from banwatch.errors import BanwatchError
from banwatch.kbdb import SCHEMA_VERSION, bulk_load, ensure_db_shape, refresh_statistics
from banwatch.utils import utcnow
from banwatch.vocab import REVIEW_THRESHOLD
from kb import curation as curation_module
from kb import graph as graph_module
from kb import steps
from kb.resolve import RESOLVER_VERSION

log = logging.getLogger("banwatch.build")
REVIEW_THRESHOLD_ENV = "BANWATCH_REVIEW_THRESHOLD"

KB_NAME = KB_DB
CRAWL_NAME = CRAWL_DB
MERGE_VERSION = "1"
BUILD_VERSION = f"s{SCHEMA_VERSION}.r{RESOLVER_VERSION}.m{MERGE_VERSION}.g{graph_module.GRAPH_VERSION}"
TEMP_PREFIX = ".kb.db.build-"
LOCK_NAME = ".kb.db.lock"
# The kb.db a build replaced, kept to return to: `mv data/kb.db.previous data/kb.db`.
PREVIOUS_NAME = "kb.db.previous"
# A build stops rather than retire more than this share of the published events, when that is
# more than RETIRE_FEW of them (`--allow-retire` lets it): see refuse_mass_retirement().
RETIRE_SHARE = 0.2
RETIRE_FEW = 5
COPY_CHUNK = 64 * 1024 * 1024
# Tables a full build writes most rows of: indexed once, at the end.
BULK_TABLES = ("documents", "event_sources", "events", "event_reasons")


def build_kb(data_dir, curation_dir=None, full_text=False, rebuild=False, reference=None, progress=None,
             review_threshold=None, allow_retire=False):
    """Build data_dir/kb.db from data_dir/crawl.db, the reference data and the curation files.

    `reference` is a banwatch.reference.Reference or a reference directory (default: banwatch/reference);
    `progress(message)` is called at each step; events that are not curated and whose confidence is
    below `review_threshold` (default $BANWATCH_REVIEW_THRESHOLD, else vocab.REVIEW_THRESHOLD) get
    status needs_review. A build that would retire more than RETIRE_SHARE of the published events
    (and more than RETIRE_FEW) stops unless `allow_retire`. Returns the build statistics.
    """
    started = time.monotonic()
    review_threshold = review_threshold_setting(review_threshold)
    data_dir = Path(data_dir)
    crawl_path = data_dir / CRAWL_NAME
    if not crawl_path.exists():
        raise BanwatchError(f"no {CRAWL_NAME} in {data_dir}: run `banwatch crawl` and `banwatch extract` first "
                            "(or `banwatch demo`)")
    check_crawl_db(crawl_path)
    reference = _load_reference(reference)
    curation = curation_module.load_curation(curation_dir)
    say = progress or (lambda message: None)
    kb_path = data_dir / KB_NAME
    with build_lock(data_dir), _temp_kb(data_dir) as temp_path:
        previous = read_build_info(kb_path)
        settings = {"build_version": BUILD_VERSION, "reference_fingerprint": reference_fingerprint(reference),
                    "full_text": int(bool(full_text)), "review_threshold": review_threshold}
        incremental = previous is not None and not rebuild and all(previous.get(k) == v for k, v in settings.items())
        # An incremental build starts from a copy of kb.db: made (and kb.db checked) in the
        # background while crawl.db is read.
        base = _BaseCopy(kb_path, temp_path, say) if incremental else None
        try:
            say("reading the document versions of crawl.db")
            versions = document_versions(crawl_path)
            fingerprints = {**settings, "curation_fingerprint": curation.fingerprint,
                            "input_fingerprint": input_fingerprint(crawl_path, versions)}
            if incremental and all(previous.get(k) == v for k, v in fingerprints.items()):
                base.cancel()
                _refuse_damaged(kb_path, base.problem())
                say("kb.db is up to date")
                return {"mode": "unchanged", "events": previous["counts"].get("events"),
                        "documents": previous["counts"].get("documents"), "documents_processed": 0,
                        "seconds": round(time.monotonic() - started, 3)}
            carry_from = None
            if not incremental and kb_path.exists():
                # A full build only borrows the old kb.db's IDs, first_seen and redirects: a damaged
                # one lends nothing (its backup does, if sound) and is not kept as the backup.
                problem = kb_db_problem(kb_path)
                if not rebuild:
                    _refuse_damaged(kb_path, problem)
                carry_from = kb_path if problem is None else _sound_backup(data_dir)
            now = utcnow()
            # Hundreds of thousands of small dicts and no reference cycles worth collecting: the
            # cyclic collector would rescan them over and over (superlinear on large builds).
            gc.disable()
            try:
                if incremental:
                    with _reading(kb_path, crawl_path) as source:
                        changes, fresh = read_documents(source, reference, say)
                    base.copied()
                with _build_db(temp_path, crawl_path) as db:
                    if not incremental:
                        changes, fresh = read_documents(db.conn, reference, say)
                    stats, counts = write_kb(
                        db, changes, fresh, reference, curation, now=now, full_text=bool(full_text),
                        review_threshold=review_threshold, previous=previous if incremental else None,
                        carry_from=carry_from, allow_retire=allow_retire, say=say)
                    stats["seconds"] = round(time.monotonic() - started, 3)
                    save_build_info(db, now, stats, counts, fingerprints, versions)
            except sqlite3.DatabaseError:
                if incremental:  # reading a damaged kb.db: say so, not what SQLite tripped on
                    _refuse_damaged(kb_path, base.problem())
                raise
            finally:
                gc.enable()
            say("flushing kb.db to disk")
            if incremental:
                _refuse_damaged(kb_path, base.problem())
            _fsync(temp_path)
            _swap(temp_path, kb_path, keep_previous=incremental or carry_from == kb_path)
        finally:
            if base is not None:
                base.close()
    curation_module.warn_unapplied(stats.pop("_curation_rows"))
    say(f"kb.db written: {stats['events']} events from {stats['documents']} documents")
    return stats


def read_documents(conn, reference, say):
    """The first steps, which only read (`conn`: the previous kb.db, or the new one, with crawl.db
    attached): which documents are new, changed or gone, and the reports of the new and changed."""
    say("finding new and changed documents")
    changes = steps.document_changes(conn)
    say(f"resolving the extractions of {len(changes.changed)} documents")
    return changes, steps.resolve_extractions(conn, reference, changes)


def write_kb(db, changes, fresh, reference, curation, now, full_text, review_threshold, previous=None,
             carry_from=None, allow_retire=False, say=lambda message: None):
    """Run the steps of kb.steps on `db`: empty (a full build) or a copy of the previous kb.db whose
    build_info is `previous` (an incremental one), crawl.db attached; `changes` and `fresh` come
    from read_documents(). `carry_from`: an older kb.db a full build carries first_seen and
    redirects from. Returns (stats, counts)."""
    conn = db.conn
    incremental = previous is not None
    has_pages = crawldb.has_pages(conn)
    if not incremental:
        say("loading reference data")
        steps.save_reference(db, reference)
    n_read, n_invalid = len(fresh), sum(1 for r in fresh if r["status"] == "invalid")
    curation_changed = not incremental or previous.get("curation_fingerprint") != curation.fingerprint
    if curation_changed:
        fresh = fresh + steps.replace_curated_reports(conn, curation)
    known = steps.known_entity_ids(conn, reference, fresh, changes)
    merges, entity_problems = curation_module.entity_merge_maps(curation, known["agency"] | known["tool"])
    steps.apply_entity_merges(fresh, merges)
    # The merging groups to merge again; None: all of them.
    groups = None if curation_changed else steps.affected_groups(conn, fresh, changes, curation, merges)
    say("reading previous event IDs")
    prior = steps.read_previous_events(conn, groups) if incremental else previous_events_of(carry_from)

    with bulk_load(db, () if incremental else BULK_TABLES):
        say("writing documents")
        steps.save_documents(conn, changes, has_pages, full_text, refresh_fetch_times=incremental)
        steps.save_curated_documents(conn, curation)
        say("merging events")
        stored = steps.load_reports(conn, groups)
        if groups is None:
            steps.apply_entity_merges(stored, merges)
        merged = steps.merge_events(fresh, stored, prior, curation, known, entity_problems)
        say("writing events")
        ids = steps.assign_event_ids(conn, merged.drafts, groups)
        redirects = steps.plan_redirects(merged.drafts, ids, prior)
        if not allow_retire:
            refuse_mass_retirement(steps.retired_ids(redirects, prior), prior.published)
        moved = steps.save_sources(conn, fresh, stored, staged=incremental)
        entities = steps.save_entities(db, reference, curation)
        saved = steps.save_events(db, ids, redirects, prior, groups, entities, reference, now,
                                  review_threshold, staged=incremental, carry_redirects=not incremental)
        restatused = steps.review_overlapping_levels(conn, review_threshold)
        # Inside the bulk load: no full-text triggers to fire for every document updated.
        steps.update_document_counts(conn, None if groups is None else set(changes.changed) | moved)
    curation_rows = merged.curation_rows + steps.entity_merge_log(conn, curation, entity_problems) + \
        entities.curation_rows
    steps.save_curation_log(db, curation_rows)
    steps.update_entity_counts(conn)
    say("building the graph")
    # The graph of an event is a function of its content (content_hash) and its documents' titles:
    # the events to draw again are those that changed and those re-read documents report.
    graph_module.save_graph(db, None if (groups is None or not incremental) else
                            saved.changed_ids | set(restatused) | {r["event_id"] for r in fresh if r.get("event_id")})
    say("analyzing indexes")
    refresh_statistics(db, full=not incremental)
    conn.commit()

    counts = steps.kb_counts(conn)
    stats = {
        "mode": "incremental" if incremental else "full",
        "documents": counts["documents"],
        "documents_processed": len(changes.changed),
        "documents_removed": len(changes.removed),
        "reports_read": n_read,
        "reports_invalid": n_invalid,
        "groups_merged": merged.n_groups,
        "events": counts["events"],
        "events_needs_review": counts["events_needs_review"],
        "events_changed": saved.n_changed,
        "sources": counts["sources"],
        "unverified_agencies": counts["unverified_agencies"],
        "redirects": counts["event_redirects"],
        "curation_applied": sum(1 for r in curation_rows if r["status"] == "applied"),
        "curation_stale": sum(1 for r in curation_rows if r["status"] != "applied"),
        "_curation_rows": curation_rows,
    }
    return stats, counts


def refuse_mass_retirement(retired, published):
    """BanwatchError when a build would retire more than RETIRE_SHARE of the `published` events and
    more than RETIRE_FEW: their documents vanished from crawl.db all at once, which a replaced or
    emptied crawl.db does, not the news."""
    if len(retired) > RETIRE_FEW and len(retired) > RETIRE_SHARE * published:
        raise BanwatchError(
            f"this build would retire {len(retired)} of the {published} published events (no document in "
            f"{CRAWL_NAME} reports them any more: was it replaced or emptied?); {KB_NAME} is unchanged. If those "
            f"documents are really gone, run `banwatch build --allow-retire`")


def previous_events_of(path):
    """steps.PreviousEvents of every group of the kb.db at `path` (None, unreadable: nothing to carry)."""
    if path is None:
        return steps.PreviousEvents()
    try:
        conn = connect_readonly(path)
    except sqlite3.DatabaseError:
        return steps.PreviousEvents()
    try:
        return steps.read_previous_events(conn, None)
    finally:
        conn.close()


def save_build_info(db, now, stats, counts, fingerprints, versions):
    # The extractor versions of the crawl documents the input fingerprint covers.
    extractor_versions = dict(sorted(Counter(version[1] or "" for version in versions.values()).items()))
    public_stats = {k: v for k, v in stats.items() if not k.startswith("_")}
    db["build_info"].insert({
        "built_at": now, "mode": stats["mode"], "schema_version": SCHEMA_VERSION,
        "build_version": fingerprints["build_version"], "extractor_versions": json.dumps(extractor_versions),
        "reference_fingerprint": fingerprints["reference_fingerprint"],
        "curation_fingerprint": fingerprints["curation_fingerprint"],
        "input_fingerprint": fingerprints["input_fingerprint"], "full_text": fingerprints["full_text"],
        "review_threshold": fingerprints["review_threshold"],
        "counts": json.dumps(counts), "stats": json.dumps(public_stats), "seconds": stats["seconds"],
    })


# -- files, locks, fingerprints -------------------------------------------------------------------


@contextlib.contextmanager
def _temp_kb(data_dir):
    """A temporary file in data_dir for the new kb.db, removed unless it was renamed into place.
    Temporary files of a killed build go first (the caller holds the lock: no build owns them)."""
    for path in Path(data_dir).glob(TEMP_PREFIX + "*"):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    fd, name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".tmp", dir=data_dir)
    os.close(fd)
    path = Path(name)
    try:
        yield path
    finally:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


class _BaseCopy:
    """The previous kb.db copied to the build's temporary file, flushed to disk and checked
    (banwatch.db.kb_db_problem) in a background thread, while the build reads crawl.db: at 100k
    documents the copy and the check of a 380 MB kb.db take about as long as those reads."""

    def __init__(self, kb_path, temp_path, say):
        say("copying and checking the previous kb.db (in the background)")
        self.path = temp_path
        self._cancelled = threading.Event()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kb-base")
        self._copy = self._pool.submit(_copy_and_flush, kb_path, temp_path, self._cancelled)
        self._check = self._pool.submit(kb_db_problem, kb_path)

    def copied(self):
        """The path of the copy, once complete."""
        self._copy.result()
        return self.path

    def problem(self):
        """What kb_db_problem() found in the previous kb.db (None: sound)."""
        return self._check.result()

    def cancel(self):
        """Stop copying (the check still runs)."""
        self._cancelled.set()

    def close(self):
        self._cancelled.set()
        self._pool.shutdown(wait=True, cancel_futures=True)


def _copy_and_flush(source, target, cancelled):
    """Copy `source` over `target` in the kernel (sendfile), chunk by chunk until `cancelled`, then
    start it on its way to disk: the final fsync then only waits for what the build changed."""
    with open(source, "rb") as src, open(target, "wb") as dst:
        size = os.fstat(src.fileno()).st_size
        offset = 0
        while offset < size and not cancelled.is_set():
            sent = os.sendfile(dst.fileno(), src.fileno(), offset, min(COPY_CHUNK, size - offset))
            if not sent:
                raise OSError(f"{source} shrank while it was copied")
            offset += sent
        if not cancelled.is_set():
            os.fsync(dst.fileno())


def _refuse_damaged(kb_path, problem):
    if problem:
        raise BanwatchError(f"{kb_path} is damaged ({problem}): run `banwatch build --rebuild` to build it "
                            f"again from {CRAWL_NAME}")


def _sound_backup(data_dir):
    """data_dir/kb.db.previous when it exists and is sound (what a rebuild of a damaged kb.db carries IDs from)."""
    path = Path(data_dir) / PREVIOUS_NAME
    return path if path.exists() and kb_db_problem(path) is None else None


@contextlib.contextmanager
def _reading(kb_path, crawl_path):
    """The previous kb.db read-only, crawl.db attached: what an incremental build reads while it is copied."""
    conn = connect_readonly(kb_path)
    try:
        attach_readonly(conn, crawl_path, "crawl")
        yield conn
    finally:
        conn.close()


@contextlib.contextmanager
def _build_db(path, crawl_path):
    """The new kb.db (a Database), in shape, crawl.db attached; committed and closed on success."""
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}", uri=True)
    try:
        # The temporary file is thrown away if anything fails: no journal, no syncs until the end.
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA cache_size = -262144")
        conn.execute("PRAGMA temp_store = MEMORY")
        db = sqlite_utils.Database(conn)
        ensure_db_shape(db)
        attach_readonly(conn, crawl_path, "crawl")
        yield db
        conn.commit()
        conn.execute("DETACH DATABASE crawl")
        conn.execute("PRAGMA journal_mode = DELETE")
    finally:
        conn.close()


def _swap(temp_path, kb_path, keep_previous):
    """Rename the new kb.db into place. keep_previous: the kb.db it replaces stays as kb.db.previous
    (a second name for the same file, no copy)."""
    if keep_previous and kb_path.exists():
        link = kb_path.with_name(TEMP_PREFIX + "previous")
        with contextlib.suppress(FileNotFoundError):
            link.unlink()
        try:
            os.link(kb_path, link)
        except OSError:  # a file system without hard links
            shutil.copyfile(kb_path, link)
        os.replace(link, kb_path.with_name(PREVIOUS_NAME))
    os.replace(temp_path, kb_path)
    _fsync_directory(kb_path.parent)


def review_threshold_setting(value=None):
    """The review threshold to build with: `value`, else $BANWATCH_REVIEW_THRESHOLD, else the default."""
    raw = value if value is not None else os.environ.get(REVIEW_THRESHOLD_ENV, REVIEW_THRESHOLD)
    try:
        threshold = float(raw)
    except (TypeError, ValueError):
        threshold = -1.0
    if not 0.0 <= threshold <= 1.0:
        raise BanwatchError(f"review threshold {raw!r} is not a number from 0 to 1 (${REVIEW_THRESHOLD_ENV})")
    return threshold


@contextlib.contextmanager
def build_lock(data_dir):
    """One build at a time per data directory (an advisory lock the OS drops if the build dies)."""
    path = Path(data_dir) / LOCK_NAME
    handle = open(path, "a+")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BanwatchError(f"another build is running in {data_dir}; wait for it to finish") from None
        yield
    finally:
        handle.close()


def _fsync(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_directory(path):
    with contextlib.suppress(OSError):
        _fsync(path)


def _load_reference(reference):
    from banwatch.reference import load_reference

    if reference is None:
        return load_reference()
    if isinstance(reference, (str, Path)):
        return load_reference(Path(reference))
    return reference


def reference_fingerprint(reference):
    payload = {name: getattr(reference, name) for name in ("jurisdictions", "agencies", "tools", "vendors", "reasons")}
    blob = json.dumps(payload, sort_keys=True, default=str)
    return hashlib.sha1(blob.encode()).hexdigest()[:16]


def read_build_info(kb_path):
    """The latest build_info row of an existing kb.db (JSON decoded), or None."""
    if not Path(kb_path).exists():
        return None
    try:
        conn = connect_readonly(kb_path)
        try:
            conn.row_factory = sqlite3.Row
            row = conn.execute("select * from build_info order by id desc limit 1").fetchone()
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return None
    if row is None or version != SCHEMA_VERSION:
        return None
    info = dict(row)
    for key in ("counts", "stats", "extractor_versions"):
        info[key] = json.loads(info[key] or "{}")
    return info
