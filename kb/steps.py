"""The steps of a build, each a plain function of the kb.db connection (or Database) and its inputs.

kb.build runs them in this order (write_kb) and keeps the lock, the fingerprints and the swap.
The first two only read: an incremental build runs them on the previous kb.db while it is copied.

    changes = document_changes(conn)                       crawl documents new, changed or gone
    fresh = resolve_extractions(conn, reference, changes)  their extractions as event_sources rows
    save_reference(db, reference)                          full builds: the reference entity tables
    fresh += replace_curated_reports(conn, curation)       when the curation files changed
    known = known_entity_ids(conn, reference, fresh, changes)
    groups = affected_groups(conn, fresh, changes, curation, merges)   None: every group
    previous = read_previous_events(conn, groups)          IDs, first_seen, redirects to carry
    save_documents(conn, changes, ...); save_curated_documents(conn, curation)
    stored = load_reports(conn, groups)
    merged = merge_events(fresh, stored, previous, curation, known, entity_problems)
    ids = assign_event_ids(conn, merged.drafts, groups)
    redirects = plan_redirects(merged.drafts, ids, previous)
    moved = save_sources(conn, fresh, stored, staged)
    entities = save_entities(db, reference, curation)
    save_events(db, ids, redirects, previous, groups, entities, ...)
    update_document_counts(conn, urls); save_curation_log(db, rows); update_entity_counts(conn)

State passes from step to step only as arguments and return values. Temporary tables are a
step's own business: created, filled from its arguments and used inside the one function.
"""
import bisect
import datetime
import functools
import json
import operator
import sqlite3
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from banwatch.kbdb import TABLES
from banwatch.names import display_name
from kb import curation as curation_module
from kb.merge import (
    ACTION_FAMILY,
    Draft,
    cluster_reports,
    content_hash,
    group_key,
    summary_sentence,
)
from kb.resolve import Resolver, json_dict, json_list, report_from_extraction

SOURCE_COLUMNS = tuple(TABLES["event_sources"].columns)
EVENT_COLUMNS = tuple(TABLES["events"].columns)
DOCUMENT_COLUMNS = tuple(TABLES["documents"].columns)
# Columns a re-merge may change on a stored report.
MUTABLE_SOURCE_COLUMNS = ("event_id", "status", "status_note", "agency_id", "tool_id", "group_key")


def unverified(column="id"):
    """SQL condition: `column` is the id of an unverified agency or tool (along its index)."""
    return f"({column} >= 'unverified-' and {column} < 'unverified.')"

# event_sources columns in order, reading the JSON columns from the text they came as.
_source_row = operator.itemgetter(*[{"reasons": "_reasons_json", "reason_evidence": "_evidence_json"}.get(c, c)
                                    for c in SOURCE_COLUMNS])


# -- temporary tables and bulk writes ---------------------------------------------------------------


def stage(conn, name, columns, rows):
    """Rows into a fresh temp table `name` (no constraints, no triggers)."""
    conn.execute(f"drop table if exists temp.{name}")
    conn.execute(f"create temp table {name} ({', '.join(columns)})")
    conn.executemany(f"insert into temp.{name} values ({', '.join('?' * len(columns))})", rows)


def key_table(conn, name, keys):
    """A fresh temp table `name` (key text primary key) holding `keys`; returns `temp.name`."""
    conn.execute(f"drop table if exists temp.{name}")
    conn.execute(f"create temp table {name} (key text primary key)")
    conn.executemany(f"insert or ignore into temp.{name} values (?)", [(k,) for k in keys])
    return f"temp.{name}"


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


# -- reference and documents ----------------------------------------------------------------------


def save_reference(db, reference):
    """The entity tables (jurisdictions, vendors, tools, agencies, reasons) from the reference data."""
    ref = reference
    for table in ("agencies", "tools", "vendors", "jurisdictions", "reasons"):
        db.conn.execute(f"delete from {table}")
    db["jurisdictions"].insert_all(({
        "id": jid, "name": j.get("name"), "type": j.get("type"), "parent_id": j.get("parent"),
        "country_id": ref.country_of(jid), "iso": j.get("iso"), "qid": j.get("qid"),
        "aliases": json.dumps(j.get("aliases") or []), "demonyms": json.dumps(j.get("demonyms") or []),
        "n_events": 0,
    } for jid, j in sorted(ref.jurisdictions.items())))
    db["vendors"].insert_all(({
        "id": vid, "name": v.get("name"), "country_id": v.get("country"), "parent_id": v.get("parent"),
        "qid": v.get("qid"), "aliases": json.dumps(v.get("aliases") or []), "n_events": 0,
    } for vid, v in sorted(ref.vendors.items())))
    db["tools"].insert_all(({
        "id": tid, "name": t.get("name"), "vendor_id": t.get("vendor"), "kind": t.get("kind"),
        "qid": t.get("qid"), "verified": 1, "aliases": json.dumps(t.get("aliases") or []), "n_events": 0,
    } for tid, t in sorted(ref.tools.items())))
    db["agencies"].insert_all(({
        "id": aid, "name": a.get("name"), "short": a.get("short"), "type": a.get("type"),
        "parent_id": a.get("parent"), "jurisdiction_id": ref.jurisdiction_of(aid),
        "country_id": ref.country_of(ref.jurisdiction_of(aid)) if ref.jurisdiction_of(aid) else None,
        "qid": a.get("qid"), "verified": 1, "aliases": json.dumps(a.get("aliases") or []),
        "people": json.dumps(a.get("people") or []), "n_events": 0,
    } for aid, a in sorted(ref.agencies.items())))
    db["reasons"].insert_all(({
        "id": rid, "label": r.get("label"), "description": r.get("description"), "n_events": 0,
    } for rid, r in sorted(ref.reasons.items())))


@dataclass
class DocumentChanges:
    """What a build reads again from crawl.db: documents new or changed since kb.db was built, and gone."""
    changed: list          # URLs, sorted
    removed: list          # URLs, sorted
    everything: bool       # kb.db held no crawl document: `changed` is every document of crawl.db

    def crawl_filter(self, conn, column):
        """SQL condition selecting the changed documents in a query of crawl.db's tables."""
        if self.everything:  # not a temp table of every URL: a full build reads them all
            return "1"
        return f"{column} in (select key from {key_table(conn, 'changed_documents', self.changed)})"

    def kb_filter(self, conn, column):
        """SQL condition selecting kb.db rows of changed or removed documents."""
        if self.everything:
            return f"{column} in (select url from crawl.documents)"
        return f"{column} in (select key from {key_table(conn, 'replaced_documents', self.changed + self.removed)})"


def document_changes(conn):
    """The crawl documents (crawl.db attached to `conn` as `crawl`) that are new or changed since the
    kb.db of `conn` was built - their (sha256, extractor version, extraction time) differ - and gone."""
    # Both along covering indexes (crawl.db's version index, kb.db's URL index): a Python dict of
    # every document's version would cost twice as much at 100k documents.
    changed = [row[0] for row in conn.execute("""
        select c.url from crawl.documents c left join main.documents d on d.url = c.url
        where d.url is null or d.origin is not 'crawl' or d.sha256 is not c.sha256
           or d.extractor_version is not c.extractor_version or d.extracted_at is not c.extracted_at
        order by c.url""")]
    removed = [row[0] for row in conn.execute("""
        select url from main.documents where origin = 'crawl' and url in (
          select d.url from main.documents d where not exists (select 1 from crawl.documents c where c.url = d.url))
        order by url""")]
    stored = conn.execute("select 1 from main.documents where origin = 'crawl' limit 1").fetchone()
    return DocumentChanges(changed, removed, everything=stored is None)


def save_documents(conn, changes, has_pages, full_text, refresh_fetch_times):
    """Replace the documents rows of changed and removed documents (and drop their reports);
    refresh_fetch_times: also move the fetch time of pages a re-crawl found unchanged."""
    conn.execute(f"delete from event_sources where id not like 'curated-%' and {changes.kb_filter(conn, 'document_url')}")
    conn.execute(f"delete from documents where {changes.kb_filter(conn, 'url')}")
    pages_join = "left join crawl.pages p on p.url = c.url" if has_pages else ""
    source = "p.source" if has_pages else "null"
    fetched = "p.fetched_at" if has_pages else "null"
    text = "c.text" if full_text else "null"
    conn.execute(f"""
        insert into documents ({', '.join(DOCUMENT_COLUMNS)})
        select c.url, c.title, c.site, c.published, c.published_source, c.language, c.kind, {source}, {fetched},
               c.sha256, c.extractor_version, c.extracted_at, c.canonical_url, c.error, c.n_events, 0,
               'crawl', {text}
        from crawl.documents c {pages_join}
        where {changes.crawl_filter(conn, 'c.url')}
        order by c.url""")
    if refresh_fetch_times and has_pages:
        # A re-crawl that found a page unchanged only moves its fetch time.
        conn.execute("""
            update documents set fetched_at = p.fetched_at, source = p.source
            from crawl.pages p
            where p.url = documents.url and documents.origin = 'crawl'
              and (documents.fetched_at is not p.fetched_at or documents.source is not p.source)""")


def save_curated_documents(conn, curation):
    """Sources named only in curation files get a documents row (origin = curation)."""
    for entry in curation.additions():
        documents, _ = curation_module.curated_reports(entry)
        for document in documents:
            conn.execute(
                "insert or ignore into documents (url, title, site, published, kind, source, origin, n_extractions, n_events) "
                "values (?, ?, ?, ?, ?, ?, ?, 0, 0)",
                [document["url"], document["title"], document["site"], document["published"],
                 document["kind"], document["source"], document["origin"]])


# -- reports ---------------------------------------------------------------------------------------


def resolve_extractions(conn, reference, changes):
    """The extractions of changed documents, resolved into event_sources rows (not yet written)."""
    resolver = Resolver(reference)
    cursor = conn.execute(f"""
        select e.*, d.published as doc_published, d.extractor_version as doc_extractor_version
        from crawl.extractions e join crawl.documents d on d.url = e.document_url
        where {changes.crawl_filter(conn, 'e.document_url')}
        order by e.document_url, e.idx""")
    columns = [c[0] for c in cursor.description]
    return [report_from_extraction(dict(zip(columns, values)), resolver) for values in cursor]


def replace_curated_reports(conn, curation):
    """Drop the reports and documents the previous curation files added; return this curation's reports."""
    conn.execute("delete from event_sources where id like 'curated-%'")
    conn.execute("delete from documents where origin = 'curation'")
    reports = []
    for entry in curation.additions():
        reports.extend(curation_module.curated_reports(entry)[1])
    return reports


def known_entity_ids(conn, reference, fresh, changes):
    """Agency and tool ids curation may name: the reference's and every report's (the stored
    reports of documents that did not change, and the fresh ones), as a full build sees them."""
    agencies = set(reference.agencies)
    tools = set(reference.tools)
    # Every stored pair (along the covering index, not the table), less the reports of
    # changed and removed documents, which are about to be replaced.
    pairs = Counter(dict(((a, t), n) for a, t, n in conn.execute(
        "select resolved_agency_id, resolved_tool_id, count(*) from event_sources group by 1, 2")))
    pairs.subtract(dict(((a, t), n) for a, t, n in conn.execute(f"""
        select resolved_agency_id, resolved_tool_id, count(*) from event_sources
        where id not like 'curated-%' and {changes.kb_filter(conn, 'document_url')}
        group by 1, 2""")))
    for (agency_id, tool_id), n in pairs.items():
        if n > 0:
            agencies.add(agency_id)
            tools.add(tool_id)
    agencies |= {r["resolved_agency_id"] for r in fresh}
    tools |= {r["resolved_tool_id"] for r in fresh}
    agencies.discard(None)
    tools.discard(None)
    return {"agency": agencies, "tool": tools, "jurisdiction": set(reference.jurisdictions)}


def apply_entity_merges(reports, merges):
    """Curated entity merges ({from id: into id}): each report's effective agency/tool and merging group."""
    for report in reports:
        report["agency_id"] = merges.get(report["resolved_agency_id"], report["resolved_agency_id"])
        report["tool_id"] = merges.get(report["resolved_tool_id"], report["resolved_tool_id"])
        if report["status"] != "invalid":
            report["group_key"] = group_key(report["agency_id"], report["tool_id"], report["action"], report["stage"])


def affected_groups(conn, fresh, changes, curation, merges):
    """The merging groups to merge again: those the fresh reports and the changed or removed
    documents report on, and every group a curation entry touches."""
    groups = {r["group_key"] for r in fresh if r["group_key"]}
    groups |= {row[0] for row in conn.execute(
        "select distinct group_key from event_sources where group_key is not null and id not like 'curated-%' "
        f"and {changes.kb_filter(conn, 'document_url')}")}
    return groups | curation_footprint(conn, curation, merges)


def curation_footprint(conn, curation, merges):
    """Merging groups every curation entry touched last build (re-merged every build)."""
    groups = set()
    for (value,) in conn.execute("select groups from curation_log"):
        groups.update(json.loads(value or "[]"))
    for entry in curation_module.source_rejections(curation):
        for (value,) in conn.execute(
                "select distinct group_key from event_sources where (id = ? or document_url = ?) and group_key is not null",
                [entry.target, entry.target]):
            groups.add(value)
    for entry in curation.additions():
        event = entry.target
        groups.add(group_key(merges.get(event["agency"], event["agency"]),
                             merges.get(event["tool"], event["tool"]), event["action"], event["stage"]))
    return groups


def load_reports(conn, groups):
    """Stored reports of the merging groups to merge again (of every group when groups is None)."""
    where = "" if groups is None else f"group_key in (select key from {key_table(conn, 'load_groups', groups)}) and "
    reports = []
    for values in conn.execute(f"select {', '.join(SOURCE_COLUMNS)} from event_sources "
                               f"where {where}status != 'invalid'"):
        report = dict(zip(SOURCE_COLUMNS, values))
        report["_reasons_json"], report["_evidence_json"] = report["reasons"], report["reason_evidence"]
        report["reasons"] = json_list(report["reasons"])
        report["reason_evidence"] = json_dict(report["reason_evidence"])
        report["_stored"] = {c: report[c] for c in MUTABLE_SOURCE_COLUMNS}
        reports.append(report)
    return reports


# -- previous build ---------------------------------------------------------------------------------


@dataclass
class PreviousEvents:
    """What the previous kb.db said about the groups being merged again."""
    assignments: dict = field(default_factory=dict)  # (document URL, group key) -> event id
    events: dict = field(default_factory=dict)       # event id -> first_seen, updated_at, content_hash, group_key
    redirects: dict = field(default_factory=dict)    # old id -> new_id, reason, since, first_seen (every redirect)
    published: int = 0                               # events it published (of every group)


def read_previous_events(conn, groups):
    """PreviousEvents of `groups` (None: all) from a kb.db connection: the build's own copy on an
    incremental build, else the old kb.db, so that rebuilding from scratch still carries
    first_seen and redirects. An unreadable old kb.db carries nothing."""
    previous = PreviousEvents()
    try:
        where = ""
        if groups is not None:
            where = f" and group_key in (select key from {key_table(conn, 'previous_groups', groups)})"
        for url, key, event_id in conn.execute(
                f"select document_url, group_key, event_id from event_sources where event_id is not null{where}"):
            previous.assignments[(url, key)] = event_id
        for row in conn.execute(
                f"select id, first_seen, updated_at, content_hash, group_key from events where 1{where}"):
            previous.events[row[0]] = {"first_seen": row[1], "updated_at": row[2], "content_hash": row[3],
                                       "group_key": row[4]}
        # A kb.db of schema 2 kept no first_seen of the IDs it retired.
        has_first_seen = any(c[1] == "first_seen" for c in conn.execute("PRAGMA table_info(event_redirects)"))
        for old_id, new_id, reason, since, first_seen in conn.execute(
                f"select old_id, new_id, reason, since, {'first_seen' if has_first_seen else 'null'} "
                "from event_redirects"):
            previous.redirects[old_id] = {"new_id": new_id, "reason": reason, "since": since, "first_seen": first_seen}
        previous.published = conn.execute("select count(*) from events").fetchone()[0]
    except sqlite3.DatabaseError:
        return PreviousEvents()
    return previous


# -- merging ---------------------------------------------------------------------------------------


@dataclass
class Merged:
    drafts: list           # kb.merge.Draft, curation applied (rejected and merged-away ones included)
    curation_rows: list    # curation_log rows of entity merges that cannot apply and of events.yml
    n_groups: int          # merging groups merged


def merge_events(fresh, stored, previous, curation, known, entity_problems):
    """Cluster the reports into drafts of events, each remembering the previous events whose
    reports it holds, and apply events.yml on top."""
    reports = stored + [r for r in fresh if r["status"] != "invalid"]
    for report in reports:
        report["status"] = "merged"
        if not report["id"].startswith("curated-"):
            report["status_note"] = None
    hits = defaultdict(lambda: [0, set()])
    curation_module.reject_sources(curation, reports)
    for report in reports:
        if report["status"] == "rejected":
            entry_id = report["status_note"].split(":", 1)[0]
            hits[entry_id][0] += 1
            hits[entry_id][1].add(report["group_key"])
    by_group = defaultdict(list)
    for report in reports:
        if report["status"] == "merged":
            by_group[report["group_key"]].append(report)
    drafts = []
    for key in sorted(by_group):
        for cluster in cluster_reports(by_group[key]):
            draft = Draft(cluster)
            for report in cluster:
                previous_id = report.get("event_id") or previous.assignments.get((report["document_url"], key))
                if previous_id:
                    draft.predecessors[previous_id] += 1
            drafts.append(draft)
    redirects = {old: r["new_id"] for old, r in previous.redirects.items()}
    rows = list(entity_problems)
    rows += curation_module.apply_event_entries(
        curation, drafts, redirects, known, source_hits={k: (n, sorted(g)) for k, (n, g) in hits.items()})
    for draft in drafts:
        if draft.rejected_by is not None and draft.reports:
            for report in draft.reports:
                report["status"] = "rejected"
                report["status_note"] = f"{draft.rejected_by.id}: {draft.rejected_by.note or 'rejected by curation'}"
    for report in reports:
        if report["status"] != "merged":  # a stored report set aside keeps no event (as in a full build)
            report["event_id"] = None
    return Merged(drafts, rows, len(by_group))


@dataclass
class EventIds:
    live: list             # the drafts that become events, each with its final .id
    unaffected: set        # ids of events of groups not merged again that the drafts' IDs or reports meet


def assign_event_ids(conn, drafts, groups):
    """Final IDs: pinned, else spelled from the fields. A clash (two measures of one agency on
    one tool in one month) gets -2, -3 ... in date order, the ID's previous holder first.
    Sets each report's event_id."""
    live = [d for d in drafts if d.rejected_by is None and d.reports]
    taken = set()
    if groups is not None:
        # IDs of events of the groups not merged again: those a draft's ID could clash with (the
        # ID itself, or it with -2, -3 ...: the range [id, id + '.')) and those a draft holds the
        # reports of, not the tens of thousands of others.
        bases = key_table(conn, "id_bases", {d.final_id() for d in live})
        held = key_table(conn, "id_predecessors", {p for d in drafts for p in d.predecessors})
        merged = key_table(conn, "id_groups", groups)
        taken = {row[0] for row in conn.execute(f"""
            select e.id from {bases} b join events e on e.id >= b.key and e.id < b.key || '.'
            where e.group_key not in (select key from {merged})
            union select id from events where id in (select key from {held})
                                          and group_key not in (select key from {merged})""")}
    unaffected = set(taken)
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
    live_drafts = set(map(id, live))
    for draft in drafts:
        for report in draft.reports:
            report["event_id"] = draft.id if id(draft) in live_drafts else None
    return EventIds(live, unaffected)


# -- writing ---------------------------------------------------------------------------------------


def save_sources(conn, fresh, stored, staged):
    """Insert the fresh reports; update the stored ones a re-merge changed. Returns the URLs of
    the documents whose stored reports changed."""
    rows = []
    for report in fresh:
        if "_reasons_json" not in report:  # a curated report
            report["_reasons_json"] = json.dumps(report.get("reasons") or [])
            report["_evidence_json"] = json.dumps(report.get("reason_evidence") or {}, ensure_ascii=False)
            report = {c: report.get(c) for c in SOURCE_COLUMNS} | {
                k: report[k] for k in ("_reasons_json", "_evidence_json")}
        rows.append(_source_row(report))
    insert_rows(conn, "event_sources", SOURCE_COLUMNS, rows, staged=staged)
    updated = [r for r in stored if any(r["_stored"][c] != r.get(c) for c in MUTABLE_SOURCE_COLUMNS)]
    if updated:
        # One UPDATE ... FROM, not one statement per row: see insert_rows.
        stage(conn, "source_updates", ("id",) + MUTABLE_SOURCE_COLUMNS,
              [(r["id"],) + tuple(r.get(c) for c in MUTABLE_SOURCE_COLUMNS) for r in updated])
        assignments = ", ".join(f"{c} = u.{c}" for c in MUTABLE_SOURCE_COLUMNS)
        conn.execute(f"update event_sources set {assignments} from temp.source_updates u "
                     "where u.id = event_sources.id")
    return {r["document_url"] for r in updated}


@dataclass
class Entities:
    unverified_jurisdictions: dict   # unverified agency id -> its jurisdiction (after corrections)
    curation_rows: list              # curation_log rows of entities.yml corrections and confirmations


def save_entities(db, reference, curation):
    """(Re)write the unverified agencies and tools from every report that names them, then apply
    entities.yml corrections and confirmations to every agency and tool.

    Name, type and jurisdiction are the ones most reports give (ties: alphabetical), so the
    row does not depend on which document came first; curated corrections go on top."""
    conn = db.conn
    tallies = {"agency": defaultdict(lambda: defaultdict(Counter)), "tool": defaultdict(lambda: defaultdict(Counter))}
    for (agency_id, name, kind, jurisdiction, mention, tool_id, tool_name, tool_mention, n) in conn.execute(f"""
            select agency_id, agency_name, agency_kind, jurisdiction_id, agency_mention,
                   tool_id, tool_name, tool_mention, count(*)
            from event_sources where {unverified('agency_id')} or {unverified('tool_id')}
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

    agencies = []
    for agency_id, t in sorted(tallies["agency"].items()):
        jurisdiction = top(t["jurisdiction"])
        if jurisdiction not in reference.jurisdictions:
            jurisdiction = None
        mentions = sorted(m for m in t["mention"] if m)[:20]
        agencies.append({
            "id": agency_id, "name": display_name(top(t["name"])) or agency_id, "type": top(t["type"]),
            "jurisdiction_id": jurisdiction,
            "country_id": reference.country_of(jurisdiction) if jurisdiction else None,
            "verified": 0, "aliases": "[]", "people": "[]", "mentions": json.dumps(mentions), "n_events": 0,
        })
    tools = []
    for tool_id, t in sorted(tallies["tool"].items()):
        tools.append({"id": tool_id, "name": display_name(top(t["name"])) or tool_id, "verified": 0, "aliases": "[]",
                      "mentions": json.dumps(sorted(m for m in t["mention"] if m)[:20]), "n_events": 0})
    conn.execute(f"delete from agencies where {unverified()}")
    conn.execute(f"delete from tools where {unverified()}")
    if agencies:
        db["agencies"].insert_all(agencies)
    if tools:
        db["tools"].insert_all(tools)
    rows = apply_entity_corrections(conn, curation, reference)
    jurisdictions = dict(conn.execute(f"select id, jurisdiction_id from agencies where {unverified()}"))
    return Entities(jurisdictions, rows)


def apply_entity_corrections(conn, curation, reference):
    """entities.yml correct/confirm on the agencies and tools tables; returns their curation_log rows."""
    rows = []
    for entry in curation.entity_entries:
        if entry.verb == "merge":
            continue
        table = next((t for t in ("agencies", "tools")
                      if conn.execute(f"select 1 from {t} where id = ?", [entry.target]).fetchone()), None)
        if table is None:
            rows.append(curation_module.log_row(entry, "stale", "no agency or tool has this id"))
            continue
        if entry.verb == "confirm":
            conn.execute(f"update {table} set verified = 1 where id = ?", [entry.target])
            rows.append(curation_module.log_row(entry, "applied", f"{'tool' if table == 'tools' else 'agency'} marked verified"))
            continue
        bad = [k for k in entry.values if table not in curation_module.ENTITY_FIELDS[k][1]]
        if bad:
            rows.append(curation_module.log_row(entry, "stale", f"{bad[0]!r} cannot be set on {table}"))
            continue
        values = {curation_module.ENTITY_FIELDS[k][0]: v for k, v in entry.values.items()}
        if "jurisdiction_id" in values:
            if values["jurisdiction_id"] not in reference.jurisdictions:
                rows.append(curation_module.log_row(entry, "stale", f"unknown jurisdiction {values['jurisdiction_id']!r}"))
                continue
            values["country_id"] = reference.country_of(values["jurisdiction_id"])
        assignments = ", ".join(f"{c} = ?" for c in values)
        conn.execute(f"update {table} set {assignments} where id = ?", [*values.values(), entry.target])
        rows.append(curation_module.log_row(entry, "applied", "set " + ", ".join(f"{k}={v}" for k, v in entry.values.items())))
    return rows


def entity_merge_log(conn, curation, problems):
    """curation_log rows of the entities.yml merges that applied: did any report name the merged entity?"""
    rows = []
    failed = {r["id"] for r in problems}
    for entry in curation.entity_entries:
        if entry.verb != "merge" or entry.id in failed:
            continue
        n = conn.execute("select count(*) from event_sources where resolved_agency_id = ? or resolved_tool_id = ?",
                         [entry.target, entry.target]).fetchone()[0]
        if n:
            rows.append(curation_module.log_row(entry, "applied", f"{n} report(s) now name {entry.values['into']}"))
        else:
            rows.append(curation_module.log_row(entry, "stale", f"no report names {entry.target}"))
    return rows


def event_status(verified, confidence, review_threshold):
    """verified (curated), machine (confident enough to publish by default) or needs_review."""
    if verified:
        return "verified"
    return "machine" if (confidence or 0.0) >= review_threshold else "needs_review"


# A government's event and one of its bodies' events on one tool, in the same way, this close in time
# (days): reports that name the country may be reporting the body's measure.
LEVEL_WINDOW_DAYS = 45
# the governments that stand above bodies of their jurisdiction (a city's government is a body here)
LEVEL_GOVERNMENT_TYPES = ("national_government", "state_government")


def review_overlapping_levels(conn, review_threshold):
    """Mark for review a machine-read event whose actor is a government (or a legislature) when one of
    the bodies of its jurisdiction (or one of its own offices) took a measure of the same kind on the
    same tool within LEVEL_WINDOW_DAYS ("Italy blocked DeepSeek" beside the Garante's block, "Taiwan
    barred it" beside the digital ministry's ban): it may be that body's measure reported at the
    country level, and published twice it would be one measure under two IDs. Recomputed over every
    event on each build (a pure function of the events table, so an incremental build ends as a full
    one does); returns the ids whose status changed."""
    kind, parent, place = {}, {}, {}
    for agency_id, agency_type, parent_id, jurisdiction_id in conn.execute(
            "select id, type, parent_id, jurisdiction_id from agencies"):
        kind[agency_id], parent[agency_id], place[agency_id] = agency_type, parent_id, jurisdiction_id
    place_parent = dict(conn.execute("select id, parent_id from jurisdictions"))

    def chain(key, links):
        out = []
        while key and key not in out:
            out.append(key)
            key = links.get(key)
        return out

    events = conn.execute("select id, agency_id, tool_id, action, stage, date_start, date_end, verified, "
                          "confidence, status, review_note from events").fetchall()
    # Who each event's body sits under: its jurisdictions (for governments) and its parent bodies (for
    # legislatures), indexed by (tool, kind of action, stage, the one above) with the event's days.
    below = defaultdict(list)
    for event_id, agency_id, tool_id, action, stage, start, end, *_ in events:
        if not start or kind.get(agency_id) in LEVEL_GOVERNMENT_TYPES:
            continue
        group = (tool_id, ACTION_FAMILY.get(action, action), stage)
        above = set(chain(place.get(agency_id), place_parent)) | set(chain(parent.get(agency_id), parent))
        for higher in above:
            below[group + (higher,)].append((_days(start), _days(end), event_id))
    for entries in below.values():
        entries.sort()
    changed = []
    for event_id, agency_id, tool_id, action, stage, start, end, verified, confidence, old_status, old_note in events:
        status = event_status(verified, confidence, review_threshold)
        note = None
        higher = place.get(agency_id) if kind.get(agency_id) in LEVEL_GOVERNMENT_TYPES else \
            agency_id if kind.get(agency_id) == "legislature" else None
        if status == "machine" and higher and start:
            first, last = _days(start) - LEVEL_WINDOW_DAYS, _days(end) + LEVEL_WINDOW_DAYS
            entries = below.get((tool_id, ACTION_FAMILY.get(action, action), stage, higher), [])
            # entries start no later than `last` and end no earlier than `first` (starts sorted)
            lower = sorted(i for s, e, i in entries[:bisect.bisect_right(entries, (last, float("inf"), ""))]
                           if e >= first and i != event_id)
            if lower:
                status, note = "needs_review", f"may be the measure of {', '.join(lower[:3])} reported at a higher level"
        if (status, note) != (old_status, old_note):
            conn.execute("update events set status = ?, review_note = ? where id = ?", [status, note, event_id])
            changed.append(event_id)
    return changed


def _days(iso):
    return datetime.date.fromisoformat(iso).toordinal()


def entity_names(conn):
    """{"agency": {id: name}, "tool": {id: name}} as event summaries name them."""
    names = {"agency": {}, "tool": {}}
    for table, kind in (("agencies", "agency"), ("tools", "tool")):
        # Summaries use the short form of a long name: "NASA banned ...", not the full title.
        short = "short" if table == "agencies" else "null"
        names[kind] = dict(conn.execute(
            f"select id, case when length(name) > 40 and {short} is not null then {short} else name end from {table}"))
    return names


def event_row(draft, previous, names, jurisdiction_of, reference, now, review_threshold):
    """The events row of a live draft; first_seen and updated_at carried from its previous events."""
    f = draft.fields
    agency_id, tool_id = f["agency_id"], f["tool_id"]
    jurisdiction_id = f.get("jurisdiction_id") or jurisdiction_of(agency_id)
    country_id = reference.country_of(jurisdiction_id) if jurisdiction_id else None
    summary = f.get("summary") if "summary" in draft.overrides else summary_sentence(
        names["agency"].get(agency_id, agency_id), names["tool"].get(tool_id, tool_id),
        f["action"], f["stage"], f["scope"], f["date"])
    row = {
        "id": draft.id, "agency_id": agency_id, "tool_id": tool_id, "jurisdiction_id": jurisdiction_id,
        "country_id": country_id, "action": f["action"], "stage": f["stage"], "date": f["date"],
        "date_precision": f["date_precision"], "date_start": f["date_start"], "date_end": f["date_end"],
        "year": f["year"], "date_rule": f["date_rule"], "date_disputed": f["date_disputed"],
        "action_disputed": f["action_disputed"], "summary": summary, "scope": f["scope"],
        "reasons": json.dumps(f["reasons"]), "source_urls": json.dumps(f["source_urls"]),
        "confidence": f["confidence"], "verified": draft.verified,
        "status": event_status(draft.verified, f["confidence"], review_threshold), "review_note": None,
        "curated_fields": json.dumps(draft.curated_fields), "curation_note": "\n".join(draft.notes) or None,
        "n_sources": f["n_sources"], "n_documents": f["n_documents"], "first_reported": f["first_reported"],
        "last_reported": f["last_reported"], "machine_id": draft.machine_id, "group_key": draft.group_key,
    }
    row["content_hash"] = content_hash({**row, "reasons": f["reasons"], "source_urls": f["source_urls"]})
    # When the event was first published: under an ID whose sources it now holds, or under its own
    # ID before that was retired (its documents went away for a while) or redirected.
    first_seen = [previous.events[p]["first_seen"] for p in draft.predecessors if p in previous.events]
    first_seen.append(previous.redirects.get(draft.id, {}).get("first_seen"))
    first_seen = [f for f in first_seen if f]
    row["first_seen"] = min(first_seen) if first_seen else now
    same = previous.events.get(draft.id)
    row["updated_at"] = same["updated_at"] if same and same["content_hash"] == row["content_hash"] else now
    return row


def plan_redirects(drafts, ids, previous):
    """{old id: (new id or None, reason)} for every previous ID that is not live any more: it goes
    to the event holding most of its sources, or nowhere when they were rejected or are gone."""
    live_ids = {d.id for d in ids.live} | ids.unaffected
    successors = defaultdict(Counter)
    for draft in ids.live:
        for previous_id, n in draft.predecessors.items():
            successors[previous_id][draft.id] += n
    rejected_previous = {p for d in drafts if d.rejected_by is not None and d.merged_into is None
                         for p in d.predecessors}
    by_id = {d.id: d for d in ids.live}
    redirects = {}
    for old_id in sorted(set(previous.events) | set(successors) | rejected_previous):
        if old_id in live_ids:
            continue
        if successors.get(old_id):
            new_id = min(successors[old_id], key=lambda i: (-successors[old_id][i], i))
            merged = len(by_id[new_id].predecessors) > 1  # it holds the sources of several old events
            redirects[old_id] = (new_id, "merged" if merged else "renamed")
        else:
            redirects[old_id] = (None, "rejected" if old_id in rejected_previous else "removed")
    return redirects


def retired_ids(redirects, previous):
    """The published events plan_redirects() retires because their sources are gone (not curation)."""
    return sorted(old for old, (new, reason) in redirects.items()
                  if new is None and reason == "removed" and old in previous.events)


@dataclass
class SavedEvents:
    changed_ids: set       # ids of events new, changed (content_hash), gone or redirected
    n_changed: int         # events whose content changed, appeared or went away


def save_events(db, ids, redirects, previous, groups, entities, reference, now, review_threshold, staged,
                carry_redirects):
    """Write the live events and their reasons (replacing those of `groups`, or all), and the
    `redirects` of plan_redirects(). staged: insert through a temp table (see insert_rows);
    carry_redirects: the kb.db is new, so the previous build's redirects are written again first."""
    conn = db.conn
    names = entity_names(conn)
    jurisdiction_of = functools.partial(agency_jurisdiction, reference, entities.unverified_jurisdictions)
    rows, reason_rows = [], []
    for draft in ids.live:
        rows.append(event_row(draft, previous, names, jurisdiction_of, reference, now, review_threshold))
        for reason, n_sources, evidence, evidence_source in draft.fields["reason_details"]:
            reason_rows.append({"event_id": draft.id, "reason_id": reason, "n_sources": n_sources,
                                "evidence": evidence, "evidence_source_id": evidence_source,
                                "curated": int("reasons" in draft.overrides)})
    if groups is None:
        conn.execute("delete from event_reasons")
        conn.execute("delete from events")
    else:
        gone = key_table(conn, "gone_events", [])
        conn.execute(f"insert into {gone} select id from events "
                     f"where group_key in (select key from {key_table(conn, 'event_groups', groups)})")
        conn.execute(f"delete from event_reasons where event_id in (select key from {gone})")
        conn.execute(f"delete from events where id in (select key from {gone})")
    insert_rows(conn, "events", EVENT_COLUMNS, [tuple(row[c] for c in EVENT_COLUMNS) for row in rows],
                staged=staged)
    if reason_rows:
        db["event_reasons"].insert_all(reason_rows)
    save_redirects(conn, redirects, previous, now, carry=carry_redirects)
    live_ids = {d.id for d in ids.live} | ids.unaffected
    previous_hashes = {i: e["content_hash"] for i, e in previous.events.items()}
    changed = {r["id"] for r in rows if previous_hashes.get(r["id"]) != r["content_hash"]}
    gone = {i for i in previous_hashes if i not in live_ids}
    return SavedEvents(changed | gone | set(redirects), len(changed) + len(gone))


def agency_jurisdiction(reference, unverified_jurisdictions, agency_id):
    if agency_id in reference.agencies:
        return reference.jurisdiction_of(agency_id)
    return unverified_jurisdictions.get(agency_id)


def save_redirects(conn, redirects, previous, now, carry):
    """Write this build's redirects ({old id: (new id, reason)}), over the previous build's when
    `carry` (a kb.db built from scratch). Each keeps the first_seen of the event it was."""
    if carry:
        for old_id, r in sorted(previous.redirects.items()):
            conn.execute("insert or replace into event_redirects (old_id, new_id, reason, since, first_seen) "
                         "values (?, ?, ?, ?, ?)", [old_id, r["new_id"], r["reason"], r["since"], r["first_seen"]])
    for old_id, (new_id, reason) in redirects.items():
        existing = conn.execute("select new_id from event_redirects where old_id = ?", [old_id]).fetchone()
        if existing is None or existing[0] != new_id:
            first_seen = previous.events.get(old_id, {}).get("first_seen") or \
                previous.redirects.get(old_id, {}).get("first_seen")
            conn.execute("insert or replace into event_redirects (old_id, new_id, reason, since, first_seen) "
                         "values (?, ?, ?, ?, ?)", [old_id, new_id, reason, now, first_seen])
        # Citations of IDs that redirected to this one follow it (no chains).
        conn.execute("update event_redirects set new_id = ? where new_id = ?", [new_id, old_id])
    conn.execute("delete from event_redirects where old_id in (select id from events)")
    # A redirect to an event that no longer exists (and was not redirected itself) is retired.
    conn.execute("""
        update event_redirects set new_id = null, reason = 'removed'
        where new_id is not null and new_id not in (select id from events)""")


def save_curation_log(db, rows):
    db.conn.execute("delete from curation_log")
    if rows:
        db["curation_log"].insert_all(rows)


# -- counts ----------------------------------------------------------------------------------------


def update_entity_counts(conn):
    conn.execute("update agencies set n_events = (select count(*) from events where agency_id = agencies.id)")
    conn.execute("update tools set n_events = (select count(*) from events where tool_id = tools.id)")
    conn.execute("update jurisdictions set n_events = (select count(*) from events where jurisdiction_id = jurisdictions.id)")
    conn.execute("""update vendors set n_events = (select count(*) from events e join tools t on t.id = e.tool_id
                    where t.vendor_id = vendors.id)""")
    conn.execute("update reasons set n_events = (select count(*) from event_reasons where reason_id = reasons.id)")


def update_document_counts(conn, urls=None):
    """documents.n_events: of every document (None), or of these. A document's count moves only when
    its reports do: it is new or changed, or a re-merge changed one of its stored reports."""
    if urls is None:
        # Every document: counted in one pass over event_sources, not a lookup per document.
        stage(conn, "document_counts", ("url text primary key", "n integer"), [])
        conn.execute("""insert into temp.document_counts
                        select document_url, count(distinct event_id) from event_sources
                        where status = 'merged' and document_url is not null group by document_url""")
        conn.execute("""update documents set n_events = coalesce((select n from temp.document_counts c
                                                                  where c.url = documents.url), 0)
                        where n_events is not coalesce((select n from temp.document_counts c
                                                        where c.url = documents.url), 0)""")
        return
    conn.execute(f"""update documents set n_events = (select count(distinct event_id) from event_sources
                     where document_url = documents.url and status = 'merged')
                     where url in (select key from {key_table(conn, 'count_documents', urls)})""")


def kb_counts(conn):
    """Row counts of kb.db, as build_info.counts records them."""
    return {
        "documents": conn.execute("select count(*) from documents").fetchone()[0],
        "events": conn.execute("select count(*) from events").fetchone()[0],
        "events_needs_review": conn.execute(
            "select count(*) from events where status = 'needs_review'").fetchone()[0],
        # Merged reports are those with an event (verify checks it): counted along the event_id
        # index, not by reading every row's status.
        "sources": conn.execute("select count(*) from event_sources where event_id is not null").fetchone()[0],
        "event_sources": conn.execute("select count(*) from event_sources").fetchone()[0],
        "unverified_agencies": conn.execute(f"select count(*) from agencies where {unverified()}").fetchone()[0],
        "agencies": conn.execute("select count(*) from agencies").fetchone()[0],
        "tools": conn.execute("select count(*) from tools").fetchone()[0],
        "event_redirects": conn.execute("select count(*) from event_redirects").fetchone()[0],
        "graph_nodes": conn.execute("select count(*) from graph_nodes").fetchone()[0],
        "graph_edges": conn.execute("select count(*) from graph_edges").fetchone()[0],
    }
