"""The build: crawl.db (documents + extractions) + reference data + curation -> kb.db.

    build_kb(data_dir) -> stats

Steps: resolve the entities of each extraction (kb.resolve), merge reports of one measure into
events (kb.merge), apply curation (kb.curation), give events their stable IDs, write the graph
and its analytics (kb.graph).

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
import functools
import gc
import hashlib
import json
import logging
import operator
import os
import shutil
import sqlite3
import time
from collections import Counter, defaultdict
from pathlib import Path

import sqlite_utils

from banwatch.crawldb import (
    attach_readonly,
    check_crawl_db,
    document_versions,
    input_fingerprint,
)
from banwatch.db import CRAWL_DB, KB_DB, connect_readonly
from banwatch.errors import BanwatchError
from banwatch.kbdb import SCHEMA_VERSION, bulk_load, ensure_db_shape, refresh_statistics
from banwatch.names import display_name
from banwatch.utils import utcnow
from banwatch.vocab import ACTIONS, REASONS, REVIEW_THRESHOLD, STAGES
from kb import curation as curation_module
from kb import graph as graph_module
from kb.merge import (
    Draft,
    cluster_reports,
    content_hash,
    date_precision_of,
    group_key,
    summary_sentence,
)
from kb.resolve import RESOLVER_VERSION, Resolver

log = logging.getLogger("banwatch.build")
REVIEW_THRESHOLD_ENV = "BANWATCH_REVIEW_THRESHOLD"

KB_NAME = KB_DB
CRAWL_NAME = CRAWL_DB
MERGE_VERSION = "1"
BUILD_VERSION = f"s{SCHEMA_VERSION}.r{RESOLVER_VERSION}.m{MERGE_VERSION}.g{graph_module.GRAPH_VERSION}"
TEMP_PREFIX = ".kb.db.build-"
LOCK_NAME = ".kb.db.lock"

SOURCE_COLUMNS = (
    "id", "event_id", "status", "status_note", "document_url", "idx", "agency_id", "resolved_agency_id",
    "agency_name", "agency_mention", "agency_kind", "tool_id", "resolved_tool_id", "tool_name", "tool_mention",
    "jurisdiction_id", "country", "action", "stage", "reported_date", "reported_precision", "date_text",
    "date_source", "reasons", "reason_evidence", "scope", "evidence", "evidence_start", "evidence_end",
    "confidence", "published", "extractor_version", "group_key",
)
# Columns a re-merge may change on a stored report.
MUTABLE_SOURCE_COLUMNS = ("event_id", "status", "status_note", "agency_id", "tool_id", "group_key")
EVENT_COLUMNS = (
    "id", "agency_id", "tool_id", "jurisdiction_id", "country_id", "action", "stage", "date", "date_precision",
    "date_start", "date_end", "year", "date_rule", "date_disputed", "action_disputed", "summary", "scope",
    "reasons", "source_urls", "confidence", "verified", "status", "curated_fields", "curation_note", "n_sources",
    "n_documents", "first_reported", "last_reported", "first_seen", "updated_at", "machine_id", "group_key",
    "content_hash",
)
DOCUMENT_COLUMNS = (
    "url", "title", "site", "published", "published_source", "language", "kind", "source", "fetched_at",
    "sha256", "extractor_version", "extracted_at", "canonical_url", "error", "n_extractions", "n_events",
    "origin", "text",
)



def build_kb(data_dir, curation_dir=None, full_text=False, rebuild=False, reference=None, progress=None,
             review_threshold=None):
    """Build data_dir/kb.db from data_dir/crawl.db, the reference data and the curation files.

    `reference` is a banwatch.reference.Reference or a reference directory (default: banwatch/reference);
    `progress(message)` is called at each step; events that are not curated and whose confidence is
    below `review_threshold` (default $BANWATCH_REVIEW_THRESHOLD, else vocab.REVIEW_THRESHOLD) get
    status needs_review. Returns the build statistics.
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
    with build_lock(data_dir):
        _remove_stale_temps(data_dir)
        previous = read_build_info(kb_path)
        versions = document_versions(crawl_path)
        fingerprints = {
            "build_version": BUILD_VERSION,
            "reference_fingerprint": reference_fingerprint(reference),
            "curation_fingerprint": curation.fingerprint,
            "input_fingerprint": input_fingerprint(crawl_path, versions),
            "full_text": int(bool(full_text)),
            "review_threshold": review_threshold,
        }
        if previous and not rebuild and all(previous.get(k) == v for k, v in fingerprints.items()):
            say("kb.db is up to date")
            return {"mode": "unchanged", "events": previous["counts"].get("events"),
                    "documents": previous["counts"].get("documents"), "documents_processed": 0,
                    "seconds": round(time.monotonic() - started, 3)}
        incremental = bool(previous) and not rebuild and all(
            previous.get(k) == fingerprints[k]
            for k in ("build_version", "reference_fingerprint", "full_text", "review_threshold"))
        fd, temp_name = _make_temp(data_dir)
        os.close(fd)
        temp_path = Path(temp_name)
        conn = None
        try:
            if incremental:
                say("copying the previous kb.db")
                shutil.copyfile(kb_path, temp_path)
            conn = _connect(temp_path)
            db = sqlite_utils.Database(conn)
            run = Build(db, crawl_path, reference, curation, fingerprints, previous if incremental else None,
                        kb_path if (kb_path.exists() and not incremental) else None, say, versions)
            # Hundreds of thousands of small dicts and no reference cycles worth collecting: the
            # cyclic collector would rescan them over and over (superlinear on large builds).
            gc.disable()
            try:
                stats = run.run()
            finally:
                gc.enable()
            stats["seconds"] = round(time.monotonic() - started, 3)
            run.save_build_info(stats)
            conn.commit()
            conn.execute("DETACH DATABASE crawl")
            conn.execute("PRAGMA journal_mode = DELETE")
            conn.close()
            conn = None
            _fsync(temp_path)
            os.replace(temp_path, kb_path)
            _fsync_directory(data_dir)
        except BaseException:
            if conn is not None:
                with contextlib.suppress(Exception):
                    conn.close()
            with contextlib.suppress(FileNotFoundError):
                temp_path.unlink()
            raise
    curation_module.warn_unapplied(stats.pop("_curation_rows"))
    say(f"kb.db written: {stats['events']} events from {stats['documents']} documents")
    return stats


# -- files, locks, fingerprints -------------------------------------------------------------------


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


def _make_temp(data_dir):
    import tempfile

    return tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".tmp", dir=data_dir)


def _remove_stale_temps(data_dir):
    """Temporary files of a killed build (we hold the lock, so no other build owns them)."""
    for path in Path(data_dir).glob(TEMP_PREFIX + "*"):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _fsync(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_directory(path):
    with contextlib.suppress(OSError):
        _fsync(path)


def _connect(path):
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}", uri=True)
    # The temporary file is thrown away if anything fails: no journal, no syncs until the end.
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -262144")
    conn.execute("PRAGMA temp_store = MEMORY")
    return conn



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


# -- the build ------------------------------------------------------------------------------------


class Build:
    def __init__(self, db, crawl_path, reference, curation, fingerprints, previous, previous_path, say, versions):
        self.db = db
        self.conn = db.conn
        self.crawl_path = crawl_path
        self.reference = reference
        self.curation = curation
        self.fingerprints = fingerprints
        self.previous = previous            # build_info of the kb.db copied (incremental), or None
        self.previous_path = previous_path  # an older kb.db to carry IDs from (full builds)
        self.versions = versions            # document_versions(crawl_path)
        self.say = say
        self.now = utcnow()
        self.full_text = bool(fingerprints["full_text"])
        self.stats = Counter()

    @property
    def incremental(self):
        return self.previous is not None

    def run(self):
        conn = self.conn
        ensure_db_shape(self.db)
        self.has_pages = attach_readonly(conn, self.crawl_path, "crawl")
        curation_changed = not self.incremental or \
            self.previous.get("curation_fingerprint") != self.fingerprints["curation_fingerprint"]
        if not self.incremental:
            self.say("loading reference data")
            self.save_reference()

        self.say("finding new and changed documents")
        changed, removed = self.document_delta()
        self.say(f"resolving the extractions of {changed} documents")
        fresh, self.resolver = self.resolve_extractions()
        if curation_changed:
            conn.execute("delete from event_sources where id like 'curated-%'")
            conn.execute("delete from documents where origin = 'curation'")
            for entry in self.curation.additions():
                fresh.extend(curation_module.curated_reports(entry)[1])

        self.known = known = self.known_entity_ids(fresh)
        self.merges, self.entity_problems = curation_module.entity_merge_maps(self.curation, known["agency"] | known["tool"])
        for report in fresh:
            self.apply_entity_merges(report)

        all_groups = curation_changed
        affected = set()
        if not all_groups:
            affected |= {r["group_key"] for r in fresh if r["group_key"]}
            affected |= {row[0] for row in conn.execute(
                "select distinct group_key from event_sources where group_key is not null and document_url in "
                "(select url from temp.changed_docs union select url from temp.removed_docs) and id not like 'curated-%'")}
            affected |= self.curation_footprint()
        self.say("reading previous event IDs")
        prior = self.previous_state(None if all_groups else affected)

        # A full build writes most rows of these tables: index them once, at the end.
        bulk = ("documents", "event_sources", "events", "event_reasons")
        with bulk_load(self.db, bulk if not self.incremental else ()):
            self.say("writing documents")
            self.write_documents()
            self.ensure_curated_documents()
            self.say("merging events")
            stored = self.load_reports(None if all_groups else affected)
            if all_groups:
                for report in stored:
                    self.apply_entity_merges(report)
            drafts, curation_rows = self.merge(fresh, stored, prior)
            self.say("writing events")
            live = self.assign_ids(drafts, None if all_groups else affected)
            self.write_sources(fresh, stored)
            self.save_unverified_entities()
            changed_ids = self.write_events(drafts, live, prior, None if all_groups else affected)
            # Inside the bulk load: no full-text triggers to fire for every document updated.
            self.update_document_counts(None if all_groups else changed_ids)
        curation_rows += self.entity_curation_rows()
        self.save_curation_log(curation_rows)
        self.update_entity_counts()
        self.say("building the graph")
        graph_module.save_graph(self.db, None if (all_groups or not self.incremental) else changed_ids)
        self.say("analyzing indexes")
        refresh_statistics(self.db, full=not self.incremental)
        conn.commit()

        self.final_counts = counts = self.counts()
        stats = {
            "mode": "incremental" if self.incremental else "full",
            "documents": counts["documents"],
            "documents_processed": changed,
            "documents_removed": removed,
            "reports_read": self.stats["reports_read"],
            "reports_invalid": self.stats["reports_invalid"],
            "groups_merged": self.stats["groups"],
            "events": counts["events"],
            "events_needs_review": counts["events_needs_review"],
            "events_changed": self.stats["events_changed"],
            "sources": counts["sources"],
            "unverified_agencies": counts["unverified_agencies"],
            "redirects": counts["event_redirects"],
            "curation_applied": sum(1 for r in curation_rows if r["status"] == "applied"),
            "curation_stale": sum(1 for r in curation_rows if r["status"] != "applied"),
            "_curation_rows": curation_rows,
        }
        return stats

    # -- reference and documents -----------------------------------------------------------------

    def save_reference(self):
        ref = self.reference
        conn = self.conn
        for table in ("agencies", "tools", "vendors", "jurisdictions", "reasons"):
            conn.execute(f"delete from {table}")
        self.db["jurisdictions"].insert_all(({
            "id": jid, "name": j.get("name"), "type": j.get("type"), "parent_id": j.get("parent"),
            "country_id": ref.country_of(jid), "iso": j.get("iso"), "qid": j.get("qid"),
            "aliases": json.dumps(j.get("aliases") or []), "demonyms": json.dumps(j.get("demonyms") or []),
            "n_events": 0,
        } for jid, j in sorted(ref.jurisdictions.items())))
        self.db["vendors"].insert_all(({
            "id": vid, "name": v.get("name"), "country_id": v.get("country"), "parent_id": v.get("parent"),
            "qid": v.get("qid"), "aliases": json.dumps(v.get("aliases") or []), "n_events": 0,
        } for vid, v in sorted(ref.vendors.items())))
        self.db["tools"].insert_all(({
            "id": tid, "name": t.get("name"), "vendor_id": t.get("vendor"), "kind": t.get("kind"),
            "qid": t.get("qid"), "verified": 1, "aliases": json.dumps(t.get("aliases") or []), "n_events": 0,
        } for tid, t in sorted(ref.tools.items())))
        self.db["agencies"].insert_all(({
            "id": aid, "name": a.get("name"), "short": a.get("short"), "type": a.get("type"),
            "parent_id": a.get("parent"), "jurisdiction_id": ref.jurisdiction_of(aid),
            "country_id": ref.country_of(ref.jurisdiction_of(aid)) if ref.jurisdiction_of(aid) else None,
            "qid": a.get("qid"), "verified": 1, "aliases": json.dumps(a.get("aliases") or []),
            "people": json.dumps(a.get("people") or []), "n_events": 0,
        } for aid, a in sorted(ref.agencies.items())))
        self.db["reasons"].insert_all(({
            "id": rid, "label": r.get("label"), "description": r.get("description"), "n_events": 0,
        } for rid, r in sorted(ref.reasons.items())))

    def document_delta(self):
        """Fill temp.changed_docs / temp.removed_docs; return their sizes."""
        conn = self.conn
        conn.execute("create temp table changed_docs (url text primary key)")
        conn.execute("create temp table removed_docs (url text primary key)")
        # Compared in Python with the versions already read for the fingerprint: a join with
        # crawl.documents would scan its rows (full text and all) a second time.
        stored = {row[0]: row[2:] for row in conn.execute(
            "select url, origin, sha256, extractor_version, extracted_at from main.documents") if row[1] == "crawl"}
        versions = self.versions
        changed = sorted(url for url, version in versions.items() if stored.get(url) != version)
        removed = sorted(url for url in stored if url not in versions)
        conn.executemany("insert into temp.changed_docs values (?)", [(url,) for url in changed])
        conn.executemany("insert into temp.removed_docs values (?)", [(url,) for url in removed])
        return len(changed), len(removed)

    def write_documents(self):
        conn = self.conn
        conn.execute("""
            delete from event_sources where id not like 'curated-%' and document_url in
            (select url from temp.changed_docs union all select url from temp.removed_docs)""")
        conn.execute("""
            delete from documents where url in (select url from temp.changed_docs union all select url from temp.removed_docs)""")
        pages_join = "left join crawl.pages p on p.url = c.url" if self.has_pages else ""
        source = "p.source" if self.has_pages else "null"
        fetched = "p.fetched_at" if self.has_pages else "null"
        text = "c.text" if self.full_text else "null"
        conn.execute(f"""
            insert into documents ({', '.join(DOCUMENT_COLUMNS)})
            select c.url, c.title, c.site, c.published, c.published_source, c.language, c.kind, {source}, {fetched},
                   c.sha256, c.extractor_version, c.extracted_at, c.canonical_url, c.error, c.n_events, 0,
                   'crawl', {text}
            from crawl.documents c {pages_join}
            where c.url in (select url from temp.changed_docs)""")
        if self.incremental and self.has_pages:
            # A re-crawl that found a page unchanged only moves its fetch time.
            conn.execute("""
                update documents set fetched_at = p.fetched_at, source = p.source
                from crawl.pages p
                where p.url = documents.url and documents.origin = 'crawl'
                  and (documents.fetched_at is not p.fetched_at or documents.source is not p.source)""")

    def ensure_curated_documents(self):
        """Sources named only in curation files get a documents row (origin = curation)."""
        for entry in self.curation.additions():
            documents, _ = curation_module.curated_reports(entry)
            for document in documents:
                self.conn.execute(
                    "insert or ignore into documents (url, title, site, published, kind, source, origin, n_extractions, n_events) "
                    "values (?, ?, ?, ?, ?, ?, ?, 0, 0)",
                    [document["url"], document["title"], document["site"], document["published"],
                     document["kind"], document["source"], document["origin"]])

    # -- resolution ------------------------------------------------------------------------------

    def resolve_extractions(self):
        """Resolve the extractions of changed documents into event_sources rows (not yet written)."""
        resolver = Resolver(self.reference)
        reports = []
        cursor = self.conn.execute("""
            select e.*, d.published as doc_published, d.extractor_version as doc_extractor_version
            from crawl.extractions e join crawl.documents d on d.url = e.document_url
            where e.document_url in (select url from temp.changed_docs)
            order by e.document_url, e.idx""")
        columns = [c[0] for c in cursor.description]
        for values in cursor:
            reports.append(report_from_extraction(dict(zip(columns, values)), resolver))
        self.stats["reports_read"] = len(reports)
        self.stats["reports_invalid"] = sum(1 for r in reports if r["status"] == "invalid")
        return reports, resolver

    def known_entity_ids(self, fresh):
        """Agency and tool ids curation may name: the reference's and every report's (the stored
        reports of documents that did not change, and the fresh ones), as a full build sees them."""
        agencies = set(self.reference.agencies)
        tools = set(self.reference.tools)
        # Every stored pair (along the covering index, not the table), less the reports of
        # changed and removed documents, which are about to be replaced.
        pairs = Counter(dict(((a, t), n) for a, t, n in self.conn.execute(
            "select resolved_agency_id, resolved_tool_id, count(*) from event_sources group by 1, 2")))
        pairs.subtract(dict(((a, t), n) for a, t, n in self.conn.execute("""
            select resolved_agency_id, resolved_tool_id, count(*) from event_sources
            where id not like 'curated-%' and document_url in
              (select url from temp.changed_docs union all select url from temp.removed_docs)
            group by 1, 2""")))
        for (agency_id, tool_id), n in pairs.items():
            if n > 0:
                agencies.add(agency_id)
                tools.add(tool_id)
        agencies |= {r["resolved_agency_id"] for r in fresh}
        tools |= {r["resolved_tool_id"] for r in fresh}
        agencies.discard(None)
        tools.discard(None)
        return {"agency": agencies, "tool": tools, "jurisdiction": set(self.reference.jurisdictions)}

    def apply_entity_merges(self, report):
        """Curated entity merges: the report's effective agency/tool and merging group."""
        report["agency_id"] = self.merges.get(report["resolved_agency_id"], report["resolved_agency_id"])
        report["tool_id"] = self.merges.get(report["resolved_tool_id"], report["resolved_tool_id"])
        if report["status"] != "invalid":
            report["group_key"] = group_key(report["agency_id"], report["tool_id"], report["action"], report["stage"])

    def curation_footprint(self):
        """Merging groups every curation entry touched last build (re-merged every build)."""
        groups = set()
        for (value,) in self.conn.execute("select groups from curation_log"):
            groups.update(json.loads(value or "[]"))
        for entry in curation_module.source_rejections(self.curation):
            for (value,) in self.conn.execute(
                    "select distinct group_key from event_sources where (id = ? or document_url = ?) and group_key is not null",
                    [entry.target, entry.target]):
                groups.add(value)
        for entry in self.curation.additions():
            event = entry.target
            groups.add(group_key(self.merges.get(event["agency"], event["agency"]),
                                 self.merges.get(event["tool"], event["tool"]), event["action"], event["stage"]))
        return groups

    # -- previous state --------------------------------------------------------------------------

    def previous_state(self, groups):
        """What the last kb.db said about these groups: {assignments, events, redirects}.

        Incremental builds read the copy they are about to change; full builds read the old
        kb.db, if any, so that rebuilding from scratch still carries first_seen and redirects.
        """
        state = {"assignments": {}, "events": {}, "redirects": {}}
        if self.incremental:
            source = self.conn
            prefix = "main."
        elif self.previous_path is not None:
            try:
                source = connect_readonly(self.previous_path)
                source.execute("select 1 from event_sources limit 1")
            except sqlite3.DatabaseError:
                return state
            prefix = ""
        else:
            return state
        try:
            filter_sql, params = "", []
            if groups is not None:
                source.execute("create temp table if not exists prior_groups (key text primary key)")
                source.execute("delete from temp.prior_groups")
                source.executemany("insert or ignore into temp.prior_groups values (?)", [(g,) for g in groups])
                filter_sql = " and group_key in (select key from temp.prior_groups)"
            for url, key, event_id in source.execute(
                    f"select document_url, group_key, event_id from {prefix}event_sources "
                    f"where event_id is not null{filter_sql}", params):
                state["assignments"][(url, key)] = event_id
            for row in source.execute(
                    f"select id, first_seen, updated_at, content_hash, group_key from {prefix}events where 1{filter_sql}"):
                state["events"][row[0]] = {"first_seen": row[1], "updated_at": row[2], "content_hash": row[3],
                                           "group_key": row[4]}
            for old_id, new_id, reason, since in source.execute(
                    f"select old_id, new_id, reason, since from {prefix}event_redirects"):
                state["redirects"][old_id] = {"new_id": new_id, "reason": reason, "since": since}
        except sqlite3.DatabaseError:
            return {"assignments": {}, "events": {}, "redirects": {}}
        finally:
            if source is not self.conn:
                source.close()
        if not self.incremental:
            self.carried_redirects = state["redirects"]
        return state

    # -- merging ---------------------------------------------------------------------------------

    def load_reports(self, groups):
        """Stored reports of the groups to re-merge (all of them when groups is None)."""
        conn = self.conn
        if groups is None:
            sql = f"select {', '.join(SOURCE_COLUMNS)} from event_sources where status != 'invalid'"
            params = []
        else:
            conn.execute("create temp table if not exists merge_groups (key text primary key)")
            conn.execute("delete from temp.merge_groups")
            conn.executemany("insert or ignore into temp.merge_groups values (?)", [(g,) for g in groups])
            sql = (f"select {', '.join(SOURCE_COLUMNS)} from event_sources "
                   f"where group_key in (select key from temp.merge_groups) and status != 'invalid'")
            params = []
        reports = []
        for values in conn.execute(sql, params):
            report = dict(zip(SOURCE_COLUMNS, values))
            report["_reasons_json"], report["_evidence_json"] = report["reasons"], report["reason_evidence"]
            report["reasons"] = _json_list(report["reasons"])
            report["reason_evidence"] = _json_dict(report["reason_evidence"])
            report["_stored"] = {c: report[c] for c in MUTABLE_SOURCE_COLUMNS}
            reports.append(report)
        return reports

    def merge(self, fresh, stored, prior):
        """Cluster reports into drafts, apply curation; returns (drafts, curation_log rows)."""
        reports = [r for r in stored] + [r for r in fresh if r["status"] != "invalid"]
        for report in reports:
            report["status"] = "merged"
            if not report["id"].startswith("curated-"):
                report["status_note"] = None
        hits = defaultdict(lambda: [0, set()])
        curation_module.reject_sources(self.curation, reports)
        for report in reports:
            if report["status"] == "rejected":
                entry_id = report["status_note"].split(":", 1)[0]
                hits[entry_id][0] += 1
                hits[entry_id][1].add(report["group_key"])
        by_group = defaultdict(list)
        for report in reports:
            if report["status"] == "merged":
                by_group[report["group_key"]].append(report)
        self.stats["groups"] = len(by_group)
        drafts = []
        assignments = prior["assignments"]
        for key in sorted(by_group):
            for cluster in cluster_reports(by_group[key]):
                draft = Draft(cluster)
                for report in cluster:
                    previous_id = report.get("event_id") or assignments.get((report["document_url"], key))
                    if previous_id:
                        draft.predecessors[previous_id] += 1
                drafts.append(draft)
        redirects = {old: r["new_id"] for old, r in prior["redirects"].items()}
        rows = list(self.entity_problems)
        rows += curation_module.apply_event_entries(
            self.curation, drafts, redirects, self.known,
            source_hits={k: (n, sorted(g)) for k, (n, g) in hits.items()})
        for draft in drafts:
            if draft.rejected_by is not None and draft.reports:
                for report in draft.reports:
                    report["status"] = "rejected"
                    report["status_note"] = f"{draft.rejected_by.id}: {draft.rejected_by.note or 'rejected by curation'}"
        return drafts, rows

    # -- writing events --------------------------------------------------------------------------

    def assign_ids(self, drafts, groups):
        """Final IDs: pinned, else spelled from the fields. A clash (two measures of one agency on
        one tool in one month) gets -2, -3 ... in date order, the ID's previous holder first.
        Sets each report's event_id; returns the live drafts."""
        live = [d for d in drafts if d.rejected_by is None and d.reports]
        taken = set()
        if groups is not None:
            taken = {row[0] for row in self.conn.execute(
                "select id from events where group_key not in (select key from temp.merge_groups)")}
        self.unaffected_ids = set(taken)
        by_base = defaultdict(list)
        for draft in live:
            by_base[draft.final_id()].append(draft)
        for base, holders in by_base.items():
            holders.sort(key=lambda d: (d.pinned_id is None, -d.predecessors.get(base, 0),
                                        d.fields["date_start"] or "9999", d.machine_id))
            n = 1
            for draft in holders:
                candidate = base
                while candidate in taken:
                    n += 1
                    candidate = f"{base}-{n}"
                draft.id = candidate
                taken.add(candidate)
        live_set = set(map(id, live))
        for draft in drafts:
            draft.live = id(draft) in live_set
            for report in draft.reports:
                report["event_id"] = draft.id if draft.live else None
        return live

    def write_events(self, drafts, live, prior, groups):
        """Write events and their reasons, record redirects of IDs that went away.

        Returns the set of event IDs written or removed (for the graph update)."""
        conn = self.conn
        names = self.entity_names()
        rows, reason_rows = [], []
        for draft in live:
            rows.append(self.event_row(draft, prior, names))
            for reason, n_sources, evidence, evidence_source in draft.fields["reason_details"]:
                reason_rows.append({"event_id": draft.id, "reason_id": reason, "n_sources": n_sources,
                                    "evidence": evidence, "evidence_source_id": evidence_source,
                                    "curated": int("reasons" in draft.overrides)})

        # Redirects: previous IDs that are not live any more go to the event holding most of
        # their sources (or nowhere, when those sources were rejected or are gone).
        live_ids = {d.id for d in live} | self.unaffected_ids
        successors = defaultdict(Counter)
        for draft in live:
            for previous_id, n in draft.predecessors.items():
                successors[previous_id][draft.id] += n
        rejected_previous = {p for d in drafts if d.rejected_by is not None and not hasattr(d, "merged_into")
                             for p in d.predecessors}
        by_id = {d.id: d for d in live}
        redirect_rows = {}
        for old_id in sorted(set(prior["events"]) | set(successors) | rejected_previous):
            if old_id in live_ids:
                continue
            if successors.get(old_id):
                new_id = min(successors[old_id], key=lambda i: (-successors[old_id][i], i))
                merged = len(by_id[new_id].predecessors) > 1  # it holds the sources of several old events
                redirect_rows[old_id] = (new_id, "merged" if merged else "renamed")
            else:
                redirect_rows[old_id] = (None, "rejected" if old_id in rejected_previous else "removed")

        if groups is None:
            conn.execute("delete from event_reasons")
            conn.execute("delete from events")
        else:
            conn.execute("create temp table if not exists gone_events (id text primary key)")
            conn.execute("delete from temp.gone_events")
            conn.execute("insert into temp.gone_events select id from events "
                         "where group_key in (select key from temp.merge_groups)")
            conn.execute("delete from event_reasons where event_id in (select id from temp.gone_events)")
            conn.execute("delete from events where id in (select id from temp.gone_events)")
        insert_rows(conn, "events", EVENT_COLUMNS, [tuple(row[c] for c in EVENT_COLUMNS) for row in rows],
                    staged=self.incremental)
        if reason_rows:
            self.db["event_reasons"].insert_all(reason_rows)
        self.write_redirects(redirect_rows)
        previous_hashes = {i: e["content_hash"] for i, e in prior["events"].items()}
        self.stats["events_changed"] = sum(1 for r in rows if previous_hashes.get(r["id"]) != r["content_hash"]) + \
            sum(1 for i in previous_hashes if i not in live_ids)
        stored_events = set(prior["events"]) if groups is not None else set()
        return {r["id"] for r in rows} | stored_events | set(redirect_rows)

    def event_row(self, draft, prior, names):
        f = draft.fields
        agency_id, tool_id = f["agency_id"], f["tool_id"]
        jurisdiction_id = f.get("jurisdiction_id") or self.agency_jurisdiction(agency_id)
        country_id = self.reference.country_of(jurisdiction_id) if jurisdiction_id else None
        date_text = f["date"]
        summary = f.get("summary") if "summary" in draft.overrides else summary_sentence(
            names["agency"].get(agency_id, agency_id), names["tool"].get(tool_id, tool_id),
            f["action"], f["stage"], f["scope"], date_text)
        row = {
            "id": draft.id, "agency_id": agency_id, "tool_id": tool_id, "jurisdiction_id": jurisdiction_id,
            "country_id": country_id, "action": f["action"], "stage": f["stage"], "date": f["date"],
            "date_precision": f["date_precision"], "date_start": f["date_start"], "date_end": f["date_end"],
            "year": f["year"], "date_rule": f["date_rule"], "date_disputed": f["date_disputed"],
            "action_disputed": f["action_disputed"], "summary": summary, "scope": f["scope"],
            "reasons": json.dumps(f["reasons"]), "source_urls": json.dumps(f["source_urls"]),
            "confidence": f["confidence"], "verified": draft.verified,
            "status": event_status(draft.verified, f["confidence"], self.fingerprints["review_threshold"]),
            "curated_fields": json.dumps(draft.curated_fields), "curation_note": "\n".join(draft.notes) or None,
            "n_sources": f["n_sources"], "n_documents": f["n_documents"], "first_reported": f["first_reported"],
            "last_reported": f["last_reported"], "machine_id": draft.machine_id, "group_key": draft.group_key,
        }
        row["content_hash"] = content_hash({**row, "reasons": f["reasons"], "source_urls": f["source_urls"]})
        predecessors = [prior["events"][p] for p in draft.predecessors if p in prior["events"]]
        first_seen = [p["first_seen"] for p in predecessors if p.get("first_seen")]
        row["first_seen"] = min(first_seen) if first_seen else self.now
        same = prior["events"].get(draft.id)
        row["updated_at"] = same["updated_at"] if same and same["content_hash"] == row["content_hash"] else self.now
        return row

    def write_sources(self, fresh, stored):
        conn = self.conn
        rows = []
        for report in fresh:
            if "_reasons_json" not in report:  # a curated report
                report["_reasons_json"] = json.dumps(report.get("reasons") or [])
                report["_evidence_json"] = json.dumps(report.get("reason_evidence") or {}, ensure_ascii=False)
                report = {c: report.get(c) for c in SOURCE_COLUMNS} | {
                    k: report[k] for k in ("_reasons_json", "_evidence_json")}
            rows.append(_source_row(report))
        insert_rows(conn, "event_sources", SOURCE_COLUMNS, rows, staged=self.incremental)
        updates = []
        for report in stored:
            if any(report["_stored"][c] != report.get(c) for c in MUTABLE_SOURCE_COLUMNS):
                updates.append((report["id"],) + tuple(report.get(c) for c in MUTABLE_SOURCE_COLUMNS))
        if updates:
            # One UPDATE ... FROM, not one statement per row: see insert_rows.
            stage(conn, "source_updates", ("id",) + MUTABLE_SOURCE_COLUMNS, updates)
            assignments = ", ".join(f"{c} = u.{c}" for c in MUTABLE_SOURCE_COLUMNS)
            conn.execute(f"update event_sources set {assignments} from temp.source_updates u "
                         "where u.id = event_sources.id")

    def write_redirects(self, redirect_rows):
        conn = self.conn
        if not self.incremental:
            # A full build starts from an empty kb.db: carry the old kb.db's redirects over.
            for old_id, r in sorted(getattr(self, "carried_redirects", {}).items()):
                conn.execute("insert or replace into event_redirects (old_id, new_id, reason, since) values (?, ?, ?, ?)",
                             [old_id, r["new_id"], r["reason"], r["since"]])
        for old_id, (new_id, reason) in redirect_rows.items():
            existing = conn.execute("select new_id from event_redirects where old_id = ?", [old_id]).fetchone()
            if existing is None or existing[0] != new_id:
                conn.execute("insert or replace into event_redirects (old_id, new_id, reason, since) values (?, ?, ?, ?)",
                             [old_id, new_id, reason, self.now])
            # Citations of IDs that redirected to this one follow it (no chains).
            conn.execute("update event_redirects set new_id = ? where new_id = ?", [new_id, old_id])
        conn.execute("delete from event_redirects where old_id in (select id from events)")
        # A redirect to an event that no longer exists (and was not redirected itself) is retired.
        conn.execute("""
            update event_redirects set new_id = null, reason = 'removed'
            where new_id is not null and new_id not in (select id from events)""")

    # -- entities, counts ------------------------------------------------------------------------

    def agency_jurisdiction(self, agency_id):
        if agency_id in self.reference.agencies:
            return self.reference.jurisdiction_of(agency_id)
        row = self.unverified_jurisdictions.get(agency_id)
        return row

    def entity_names(self):
        names = {"agency": {}, "tool": {}}
        for table, kind in (("agencies", "agency"), ("tools", "tool")):
            # Summaries use the short form of a long name: "NASA banned ...", not the full title.
            short = "short" if table == "agencies" else "null"
            for entity_id, name in self.conn.execute(
                    f"select id, case when length(name) > 40 and {short} is not null then {short} else name end "
                    f"from {table}"):
                names[kind][entity_id] = name
        return names

    def save_unverified_entities(self):
        """(Re)write the unverified agencies and tools from every report that names them.

        Name, type and jurisdiction are the ones most reports give (ties: alphabetical), so the
        row does not depend on which document came first; curated corrections go on top."""
        conn = self.conn
        tallies = {"agency": defaultdict(lambda: defaultdict(Counter)), "tool": defaultdict(lambda: defaultdict(Counter))}
        for (agency_id, name, kind, jurisdiction, mention, tool_id, tool_name, tool_mention, n) in conn.execute("""
                select agency_id, agency_name, agency_kind, jurisdiction_id, agency_mention,
                       tool_id, tool_name, tool_mention, count(*)
                from event_sources where (agency_id >= 'unverified-' and agency_id < 'unverified.')
                   or (tool_id >= 'unverified-' and tool_id < 'unverified.')
                group by 1, 2, 3, 4, 5, 6, 7, 8"""):
            if agency_id and agency_id.startswith("unverified-"):
                t = tallies["agency"][agency_id]
                t["name"][name] += n
                t["type"][kind] += n
                t["jurisdiction"][jurisdiction] += n
                t["mention"][mention] += n
            if tool_id and tool_id.startswith("unverified-"):
                t = tallies["tool"][tool_id]
                t["name"][tool_name] += n
                t["mention"][tool_mention] += n

        def top(counter):
            counter = Counter({k: v for k, v in counter.items() if k})
            return min(counter, key=lambda k: (-counter[k], str(k))) if counter else None

        agencies, self.unverified_jurisdictions = [], {}
        for agency_id, t in sorted(tallies["agency"].items()):
            jurisdiction = top(t["jurisdiction"])
            if jurisdiction not in self.reference.jurisdictions:
                jurisdiction = None
            mentions = sorted(m for m in t["mention"] if m)[:20]
            agencies.append({
                "id": agency_id, "name": display_name(top(t["name"])) or agency_id, "type": top(t["type"]),
                "jurisdiction_id": jurisdiction,
                "country_id": self.reference.country_of(jurisdiction) if jurisdiction else None,
                "verified": 0, "aliases": "[]", "people": "[]", "mentions": json.dumps(mentions), "n_events": 0,
            })
        tools = []
        for tool_id, t in sorted(tallies["tool"].items()):
            tools.append({"id": tool_id, "name": display_name(top(t["name"])) or tool_id, "verified": 0, "aliases": "[]",
                          "mentions": json.dumps(sorted(m for m in t["mention"] if m)[:20]), "n_events": 0})
        conn.execute("delete from agencies where id >= 'unverified-' and id < 'unverified.'")
        conn.execute("delete from tools where id >= 'unverified-' and id < 'unverified.'")
        if agencies:
            self.db["agencies"].insert_all(agencies)
        if tools:
            self.db["tools"].insert_all(tools)
        self.entity_rows = self.apply_entity_corrections()
        for agency_id, jurisdiction in conn.execute(
                "select id, jurisdiction_id from agencies where id >= 'unverified-' and id < 'unverified.'"):
            self.unverified_jurisdictions[agency_id] = jurisdiction

    def apply_entity_corrections(self):
        """entities.yml correct/confirm on the entity tables; returns their curation_log rows."""
        rows = []
        columns = {"name": "name", "short": "short", "type": "type", "jurisdiction": "jurisdiction_id",
                   "parent": "parent_id", "vendor": "vendor_id", "kind": "kind", "qid": "qid"}
        for entry in self.curation.entity_entries:
            if entry.verb == "merge":
                continue
            table = "agencies" if self.conn.execute("select 1 from agencies where id = ?", [entry.target]).fetchone() \
                else "tools" if self.conn.execute("select 1 from tools where id = ?", [entry.target]).fetchone() else None
            if table is None:
                rows.append(curation_module.log_row(entry, "stale", "no agency or tool has this id"))
                continue
            if entry.verb == "confirm":
                self.conn.execute(f"update {table} set verified = 1 where id = ?", [entry.target])
                rows.append(curation_module.log_row(entry, "applied", f"{table[:-1] if table == 'tools' else 'agency'} marked verified"))
                continue
            allowed = {"agencies": ("name", "short", "type", "jurisdiction", "parent", "qid"),
                       "tools": ("name", "vendor", "kind", "qid")}[table]
            bad = [k for k in entry.values if k not in allowed]
            if bad:
                rows.append(curation_module.log_row(entry, "stale", f"{bad[0]!r} cannot be set on {table}"))
                continue
            values = {columns[k]: v for k, v in entry.values.items()}
            if "jurisdiction_id" in values:
                if values["jurisdiction_id"] not in self.reference.jurisdictions:
                    rows.append(curation_module.log_row(entry, "stale", f"unknown jurisdiction {values['jurisdiction_id']!r}"))
                    continue
                values["country_id"] = self.reference.country_of(values["jurisdiction_id"])
            assignments = ", ".join(f"{c} = ?" for c in values)
            self.conn.execute(f"update {table} set {assignments} where id = ?", [*values.values(), entry.target])
            rows.append(curation_module.log_row(entry, "applied", "set " + ", ".join(f"{k}={v}" for k, v in entry.values.items())))
        return rows

    def entity_curation_rows(self):
        """Log rows for entities.yml: merges (did any report name the merged entity?) and corrections."""
        rows = []
        failed = {r["id"] for r in self.entity_problems}
        for entry in self.curation.entity_entries:
            if entry.verb != "merge" or entry.id in failed:
                continue
            n = self.conn.execute(
                "select count(*) from event_sources where resolved_agency_id = ? or resolved_tool_id = ?",
                [entry.target, entry.target]).fetchone()[0]
            if n:
                rows.append(curation_module.log_row(entry, "applied", f"{n} report(s) now name {entry.values['into']}"))
            else:
                rows.append(curation_module.log_row(entry, "stale", f"no report names {entry.target}"))
        return rows + self.entity_rows

    def save_curation_log(self, rows):
        self.conn.execute("delete from curation_log")
        if rows:
            self.db["curation_log"].insert_all(rows)

    def update_entity_counts(self):
        conn = self.conn
        conn.execute("update agencies set n_events = (select count(*) from events where agency_id = agencies.id)")
        conn.execute("update tools set n_events = (select count(*) from events where tool_id = tools.id)")
        conn.execute("update jurisdictions set n_events = (select count(*) from events where jurisdiction_id = jurisdictions.id)")
        conn.execute("""update vendors set n_events = (select count(*) from events e join tools t on t.id = e.tool_id
                        where t.vendor_id = vendors.id)""")
        conn.execute("update reasons set n_events = (select count(*) from event_reasons where reason_id = reasons.id)")

    def update_document_counts(self, changed_event_ids):
        """documents.n_events: of every document (None), or of those the changed events touch."""
        conn = self.conn
        if changed_event_ids is None:
            # Every document: counted in one pass over event_sources, not a lookup per document.
            conn.execute("drop table if exists temp.document_counts")
            conn.execute("create temp table document_counts (url text primary key, n integer)")
            conn.execute("""insert into temp.document_counts
                            select document_url, count(distinct event_id) from event_sources
                            where status = 'merged' and document_url is not null group by document_url""")
            conn.execute("""update documents set n_events = coalesce((select n from temp.document_counts c
                                                                      where c.url = documents.url), 0)
                            where n_events is not coalesce((select n from temp.document_counts c
                                                            where c.url = documents.url), 0)""")
            return
        conn.execute("create temp table if not exists count_events (id text primary key)")
        conn.execute("delete from temp.count_events")
        conn.executemany("insert or ignore into temp.count_events values (?)", [(i,) for i in changed_event_ids])
        # The documents to count again, gathered first: an OR of three IN lists would scan documents.
        conn.execute("create temp table if not exists count_documents (url text primary key)")
        conn.execute("delete from temp.count_documents")
        conn.execute("""insert or ignore into temp.count_documents
                        select url from temp.changed_docs
                        union select document_url from event_sources
                              where event_id in (select id from temp.count_events) and document_url is not null
                        union select document_url from event_sources
                              where group_key in (select key from temp.merge_groups) and document_url is not null""")
        conn.execute("""update documents set n_events = (select count(distinct event_id) from event_sources
                         where document_url = documents.url and status = 'merged')
                        where url in (select url from temp.count_documents)""")

    def counts(self):
        conn = self.conn
        return {
            "documents": conn.execute("select count(*) from documents").fetchone()[0],
            "events": conn.execute("select count(*) from events").fetchone()[0],
            "events_needs_review": conn.execute(
                "select count(*) from events where status = 'needs_review'").fetchone()[0],
            "sources": conn.execute("select count(*) from event_sources where status = 'merged'").fetchone()[0],
            "event_sources": conn.execute("select count(*) from event_sources").fetchone()[0],
            "unverified_agencies": conn.execute(
                "select count(*) from agencies where id >= 'unverified-' and id < 'unverified.'").fetchone()[0],
            "agencies": conn.execute("select count(*) from agencies").fetchone()[0],
            "tools": conn.execute("select count(*) from tools").fetchone()[0],
            "event_redirects": conn.execute("select count(*) from event_redirects").fetchone()[0],
            "graph_nodes": conn.execute("select count(*) from graph_nodes").fetchone()[0],
            "graph_edges": conn.execute("select count(*) from graph_edges").fetchone()[0],
        }

    def save_build_info(self, stats):
        conn = self.conn
        # The crawl documents are exactly those document_versions() read.
        versions = dict(sorted(Counter(version[1] or "" for version in self.versions.values()).items()))
        public_stats = {k: v for k, v in stats.items() if not k.startswith("_")}
        self.db["build_info"].insert({
            "built_at": self.now, "mode": stats["mode"], "schema_version": SCHEMA_VERSION,
            "build_version": self.fingerprints["build_version"], "extractor_versions": json.dumps(versions),
            "reference_fingerprint": self.fingerprints["reference_fingerprint"],
            "curation_fingerprint": self.fingerprints["curation_fingerprint"],
            "input_fingerprint": self.fingerprints["input_fingerprint"], "full_text": int(self.full_text),
            "review_threshold": self.fingerprints["review_threshold"],
            "counts": json.dumps(self.final_counts), "stats": json.dumps(public_stats), "seconds": stats["seconds"],
        })


def stage(conn, name, columns, rows):
    """Rows into a fresh temp table `name` (no constraints, no triggers)."""
    conn.execute(f"drop table if exists temp.{name}")
    conn.execute(f"create temp table {name} ({', '.join(columns)})")
    conn.executemany(f"insert into temp.{name} values ({', '.join('?' * len(columns))})", rows)


def insert_rows(conn, table, columns, rows, staged=False):
    """INSERT rows (tuples in `columns` order) into `table`.

    staged: through a temp table and a single INSERT ... SELECT. FTS5 flushes its pending terms
    into a new segment at the end of every statement that wrote to it, so a table whose
    full-text index is kept by triggers costs ~0.5 ms a row when written row by row at 100k
    documents (and merging those segments), and one flush when written in one statement.
    """
    if not rows:
        return
    if not staged:
        conn.executemany(f"insert into {table} ({', '.join(columns)}) values ({', '.join('?' * len(columns))})",
                         rows)
        return
    stage(conn, f"new_{table}", columns, rows)
    conn.execute(f"insert into {table} ({', '.join(columns)}) select {', '.join(columns)} from temp.new_{table}")
    conn.execute(f"drop table temp.new_{table}")


# event_sources columns in order, reading the JSON columns from the text they came as.
_source_row = operator.itemgetter(*[{"reasons": "_reasons_json", "reason_evidence": "_evidence_json"}.get(c, c)
                                    for c in SOURCE_COLUMNS])


def event_status(verified, confidence, review_threshold):
    """verified (curated), machine (confident enough to publish by default) or needs_review."""
    if verified:
        return "verified"
    return "machine" if (confidence or 0.0) >= review_threshold else "needs_review"


def report_from_extraction(x, resolver):
    """One event_sources row (status merged, or invalid with the reason) from an extraction row."""
    notes = []
    agency_id = resolver.agency_for(x)
    tool_id = resolver.tool_for(x)
    action = x.get("action")
    stage = x.get("stage") or "enacted"
    if agency_id is None:
        notes.append("no agency")
    if tool_id is None:
        notes.append("no tool")
    if action not in ACTIONS:
        notes.append(f"unknown action {action!r}")
    if stage not in STAGES:
        notes.append(f"unknown stage {stage!r}")
    date = x.get("date")
    precision = date_precision_of(date) if date else None
    if date and precision is None:
        notes.append(f"unreadable date {date!r} ignored")
        date = None
    elif date and x.get("date_precision") and x["date_precision"] != precision:
        notes.append(f"date precision {x['date_precision']!r} corrected to {precision!r}")
    date_source = x.get("date_source") if date else None
    published = x.get("doc_published")
    if date is None and date_precision_of(published) == "day":
        # No date in the text: the publication date bounds it (and says so).
        date, precision, date_source = published, "day", "published"
    given = _json_list(x.get("reasons"))
    reasons = []
    for reason in given:
        if reason in REASONS and reason not in reasons:
            reasons.append(reason)
        elif reason not in REASONS:
            notes.append(f"unknown reason {reason!r} dropped")
    evidence = _json_dict(x.get("reason_evidence"))
    confidence = x.get("confidence")
    if not isinstance(confidence, (int, float)) or confidence != confidence:
        confidence = None
    jurisdiction_id = resolver.jurisdiction_for(x.get("jurisdiction_id"), x.get("country"))
    invalid = [n for n in notes if n.startswith(("no ", "unknown action", "unknown stage"))]
    report = {
        "id": x["id"], "event_id": None, "status": "invalid" if invalid else "merged",
        "status_note": "; ".join(notes) or None, "document_url": x["document_url"], "idx": x.get("idx"),
        "agency_id": agency_id, "resolved_agency_id": agency_id, "agency_name": x.get("agency"),
        "agency_mention": x.get("agency_mention"), "agency_kind": x.get("agency_kind"),
        "tool_id": tool_id, "resolved_tool_id": tool_id, "tool_name": x.get("tool"),
        "tool_mention": x.get("tool_mention"), "jurisdiction_id": jurisdiction_id, "country": x.get("country"),
        "action": action, "stage": stage, "reported_date": date, "reported_precision": precision,
        "date_text": x.get("date_text"), "date_source": date_source, "reasons": reasons,
        "reason_evidence": evidence, "scope": x.get("scope"),
        "evidence": x.get("evidence"), "evidence_start": x.get("evidence_start"),
        "evidence_end": x.get("evidence_end"), "confidence": confidence, "published": published,
        "extractor_version": x.get("doc_extractor_version"), "group_key": None,
    }
    if not invalid:
        report["group_key"] = group_key(agency_id, tool_id, action, stage)
    # Written back as the extractor stored them when nothing was dropped (saves re-encoding).
    report["_reasons_json"] = x["reasons"] if (isinstance(x.get("reasons"), str) and given == reasons) \
        else json.dumps(reasons)
    report["_evidence_json"] = x["reason_evidence"] if (isinstance(x.get("reason_evidence"), str) and evidence) \
        else json.dumps(evidence, ensure_ascii=False)
    return report


def _json_list(value):
    if isinstance(value, list):
        return value
    return list(_parse_json(value or "[]", list))


def _json_dict(value):
    if isinstance(value, dict):
        return value
    return _parse_json(value or "{}", dict)


@functools.lru_cache(maxsize=65536)
def _parse_json(text, kind):
    """Parsed JSON of one kind (the same few reason lists recur thousands of times); callers
    must not modify what they get."""
    try:
        parsed = json.loads(text)
    except (TypeError, ValueError):
        return kind()
    return parsed if isinstance(parsed, kind) else kind()
