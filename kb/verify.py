"""`banwatch verify`: the integrity of crawl.db and kb.db, as a list of problems (empty = fine).

Both databases: SQLite's integrity_check and foreign_key_check. kb.db also: the schema is
complete, every event has a source and its sources exist, ids are unique and well-formed, the
vocabularies and date formats are respected, counts agree, redirects point at live events, graph
edges point at nodes, full-text indexes cover their tables and every view answers.
Both files are opened read-only: verifying never changes anything.
"""
import json
import sqlite3
from pathlib import Path

from banwatch.crawldb import crawl_db_problems
from banwatch.db import connect_readonly
from banwatch.kbdb import EXPECTED_TABLES, EXPECTED_VIEWS, SCHEMA_VERSION, TABLES
from banwatch.vocab import (
    ACTIONS,
    EDGE_KINDS,
    PRECISIONS,
    REASONS,
    SOURCE_STATUSES,
    STAGES,
    STATUSES,
)
from kb.merge import EVENT_ID_PATTERN, date_interval, date_precision_of

MAX_PER_CHECK = 10


def verify_data(data_dir):
    """Problems found in data_dir's crawl.db and kb.db, one line each."""
    data_dir = Path(data_dir)
    problems = []
    for name, check in (("crawl.db", _check_crawl), ("kb.db", _check_kb)):
        path = data_dir / name
        if not path.exists():
            hint = "run `banwatch crawl` and `banwatch extract`" if name == "crawl.db" else "run `banwatch build`"
            problems.append(f"{name}: not found in {data_dir} ({hint})")
            continue
        try:
            conn = connect_readonly(path)
        except sqlite3.Error as e:
            problems.append(f"{name}: cannot open: {e}")
            continue
        try:
            problems += [f"{name}: {p}" for p in _check_sqlite(conn)]
            if not any(p.startswith(f"{name}: not a database") for p in problems):
                problems += [f"{name}: {p}" for p in check(conn)]
        except sqlite3.DatabaseError as e:
            problems.append(f"{name}: unreadable: {e}")
        finally:
            conn.close()
    return problems


def _check_sqlite(conn):
    try:
        result = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as e:
        return [f"not a database or badly damaged: {e}"]
    problems = [] if result == ["ok"] else [f"integrity_check: {line}" for line in result[:MAX_PER_CHECK]]
    violations = conn.execute("PRAGMA foreign_key_check").fetchall()
    for table, rowid, parent, _ in violations[:MAX_PER_CHECK]:
        problems.append(f"{table} row {rowid} refers to a missing {parent} row")
    if len(violations) > MAX_PER_CHECK:
        problems.append(f"... and {len(violations) - MAX_PER_CHECK} more foreign key violations")
    return problems


def _tables(conn):
    return {row[0]: row[1] for row in conn.execute("select name, type from sqlite_master where type in ('table', 'view')")}


def _rows(conn, sql, params=()):
    return conn.execute(sql, params).fetchall()


def _check_crawl(conn):
    problems = []
    tables = _tables(conn)
    if "extractions" in tables:
        for column, vocabulary in (("action", ACTIONS), ("stage", STAGES)):
            rows = _rows(conn, f"select id, {column} from extractions where {column} is not null "
                               f"and {column} not in ({', '.join('?' * len(vocabulary))}) limit ?",
                         (*vocabulary, MAX_PER_CHECK))
            problems += [f"extraction {i} has {column} {v!r} (not in the vocabulary)" for i, v in rows]
    if "documents" in tables and "extractions" in tables:
        rows = _rows(conn, "select id, document_url from extractions e where not exists "
                           "(select 1 from documents d where d.url = e.document_url) limit ?", (MAX_PER_CHECK,))
        problems += [f"extraction {i} belongs to a missing document {u}" for i, u in rows]
    problems += crawl_db_problems(conn, MAX_PER_CHECK)
    return problems


def _limit(problems, label):
    if len(problems) > MAX_PER_CHECK:
        return problems[:MAX_PER_CHECK] + [f"... and {len(problems) - MAX_PER_CHECK} more {label}"]
    return problems


def _check_kb(conn):
    problems = []
    tables = _tables(conn)
    missing = [t for t in EXPECTED_TABLES if tables.get(t) != "table"] + \
              [v for v in EXPECTED_VIEWS if tables.get(v) != "view"]
    if missing:
        return [f"schema incomplete: missing {', '.join(missing)} (rebuild with `banwatch build --rebuild`)"]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version != SCHEMA_VERSION:
        problems.append(f"schema version {version}, expected {SCHEMA_VERSION} (rebuild with `banwatch build --rebuild`)")
    if not _rows(conn, "select 1 from build_info limit 1"):
        problems.append("build_info is empty: this kb.db was not written by a finished build")
    problems += _check_events(conn)
    problems += _check_sources(conn)
    problems += _check_other(conn)
    for view in EXPECTED_VIEWS:
        try:
            conn.execute(f"select * from [{view}] limit 1").fetchall()
        except sqlite3.DatabaseError as e:
            problems.append(f"view {view} does not answer: {e}")
    return problems


def _check_events(conn):
    problems = []
    for row in conn.execute("""
            select id, action, stage, date, date_precision, date_start, date_end, reasons, verified, n_sources,
                   (select count(*) from event_sources s where s.event_id = events.id and s.status = 'merged'),
                   status
            from events"""):
        event_id, action, stage, date, precision, start, end, reasons, verified, n_sources, n_merged, status = row
        label = f"event {event_id}"
        if status not in STATUSES or (status == "verified") != bool(verified):
            problems.append(f"{label}: status {status!r} does not fit verified={verified}")
        if not isinstance(event_id, str) or not EVENT_ID_PATTERN.match(event_id):
            problems.append(f"{label}: malformed id")
        if action not in ACTIONS:
            problems.append(f"{label}: action {action!r} is not in the vocabulary")
        if stage not in STAGES:
            problems.append(f"{label}: stage {stage!r} is not in the vocabulary")
        if date is not None:
            if precision not in PRECISIONS or date_precision_of(date) != precision:
                problems.append(f"{label}: date {date!r} does not match its precision {precision!r}")
            else:
                first, last = (d.isoformat() for d in date_interval(date, precision))
                if (start, end) != (first, last):
                    problems.append(f"{label}: date_start/date_end {start}/{end} do not match {date}")
        elif precision is not None or start is not None:
            problems.append(f"{label}: undated but has a precision or start date")
        try:
            reason_list = json.loads(reasons or "[]")
            bad = [r for r in reason_list if r not in REASONS]
            if bad or not isinstance(reason_list, list):
                problems.append(f"{label}: reasons {bad} are not in the vocabulary")
        except ValueError:
            problems.append(f"{label}: reasons is not JSON")
        if verified not in (0, 1):
            problems.append(f"{label}: verified must be 0 or 1")
        if n_merged == 0:
            problems.append(f"{label}: has no source")
        elif n_sources != n_merged:
            problems.append(f"{label}: n_sources {n_sources} but {n_merged} sources")
    problems = _limit(problems, "event problems")
    rows = _rows(conn, "select e.id from events e left join timeline t on t.event_id = e.id where t.event_id is null limit ?",
                 (MAX_PER_CHECK,))
    problems += [f"event {i} is missing from the timeline view (its agency or tool row is missing)" for (i,) in rows]
    return problems


def _check_sources(conn):
    problems = []
    rows = _rows(conn, f"""select id, status, event_id from event_sources
        where status not in ({', '.join('?' * len(SOURCE_STATUSES))})
           or (status = 'merged' and (event_id is null or not exists (select 1 from events e where e.id = event_id)))
           or (status != 'merged' and event_id is not null)
        limit ?""", (*SOURCE_STATUSES, MAX_PER_CHECK))
    for source_id, status, event_id in rows:
        problems.append(f"event source {source_id}: status {status!r} with event {event_id!r}")
    rows = _rows(conn, """select id, document_url from event_sources s
        where not exists (select 1 from documents d where d.url = s.document_url) limit ?""", (MAX_PER_CHECK,))
    problems += [f"event source {i}: its document {u} is missing" for i, u in rows]
    rows = _rows(conn, f"""select id, action, stage from event_sources where status = 'merged'
        and (action not in ({', '.join('?' * len(ACTIONS))}) or stage not in ({', '.join('?' * len(STAGES))})) limit ?""",
                 (*ACTIONS, *STAGES, MAX_PER_CHECK))
    problems += [f"event source {i}: action/stage {a!r}/{s!r} not in the vocabulary" for i, a, s in rows]
    return problems


def _check_other(conn):
    problems = []
    rows = _rows(conn, f"select event_id, reason_id from event_reasons where reason_id not in "
                       f"({', '.join('?' * len(REASONS))}) limit ?", (*REASONS, MAX_PER_CHECK))
    problems += [f"event {e}: reason {r!r} is not in the vocabulary" for e, r in rows]
    rows = _rows(conn, "select old_id from event_redirects where old_id in (select id from events) limit ?", (MAX_PER_CHECK,))
    problems += [f"redirect {i}: the ID is a live event and also redirected" for (i,) in rows]
    rows = _rows(conn, "select old_id, new_id from event_redirects where new_id is not null "
                       "and new_id not in (select id from events) limit ?", (MAX_PER_CHECK,))
    problems += [f"redirect {o} -> {n}: no such event" for o, n in rows]
    rows = _rows(conn, """select id, source, target from graph_edges g
        where not exists (select 1 from graph_nodes n where n.id = g.source)
           or not exists (select 1 from graph_nodes n where n.id = g.target) limit ?""", (MAX_PER_CHECK,))
    problems += [f"graph edge {i}: {s} -> {t} points at a missing node" for i, s, t in rows]
    rows = _rows(conn, f"select id, kind from graph_edges where kind not in ({', '.join('?' * len(EDGE_KINDS))}) limit ?",
                 (*EDGE_KINDS, MAX_PER_CHECK))
    problems += [f"graph edge {i}: unknown kind {k!r}" for i, k in rows]
    rows = _rows(conn, "select id from events e where not exists "
                       "(select 1 from graph_edges g where g.id = 'acted_on:' || e.id) limit ?", (MAX_PER_CHECK,))
    problems += [f"event {i} has no acted_on edge in the graph" for (i,) in rows]
    for table, spec in TABLES.items():
        if not spec.fts:
            continue
        indexed = conn.execute(f"select count(*) from [{table}_fts_docsize]").fetchone()[0]
        rows_in_table = conn.execute(f"select count(*) from [{table}]").fetchone()[0]
        if indexed != rows_in_table:
            problems.append(f"full-text index of {table} covers {indexed} of {rows_in_table} rows")
    return problems
