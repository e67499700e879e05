"""The linked graph: agencies, jurisdictions, tools, vendors, reasons and documents, and how they connect.

Nodes (id `kind:ref_id`): every agency that acted and its parent agencies, their jurisdictions up
to the country, every tool acted on, its vendor (and parent vendor) and the vendor's country,
every reason cited, and every source document (`document:<url>`).

Edges (graph_edges.kind):
  acted_on      agency -> tool        one per event: action, stage, date, event_id
  cites_reason  agency -> reason      one per event and reason
  reported_by   agency -> document    one per event and source document
  part_of       agency -> parent agency, jurisdiction -> parent jurisdiction, vendor -> parent vendor
  located_in    agency -> jurisdiction
  made_by       tool -> vendor
  based_in      vendor -> jurisdiction (the vendor's country)
  followed      agency B -> agency A  B's first enacted ban/restriction/suspension of tool T surely
                                      came after A's (dates are intervals: "January 2025" is any day
                                      of it), A is of another jurisdiction, and at most
                                      FOLLOW_WINDOW_DAYS (120) later. B gets an edge to the tool's
                                      first mover(s) and to its immediate predecessor(s) (the last to
                                      act before B) - not to every earlier agency, which would bury
                                      the diffusion paths in n^2 edges. lag_days is the least the lag
                                      can be; the `followed` view gives it as an interval.

The tables are filled with INSERT ... SELECT from the KB tables (100k documents must not cost a
Python round trip each) and updated per event on incremental builds; networkx computes the
analytics (centrality, components, diffusion) on the entity graph and loads the tables for
export. Documents are left out of the centrality figures: they would measure press coverage,
which n_sources already does, not position in the network.
"""
import bisect
import hashlib
import json
import statistics
from collections import Counter, defaultdict
from datetime import date as Date
from datetime import timedelta
from typing import NamedTuple

import networkx as nx

from banwatch.kbdb import bulk_load
from banwatch.vocab import (
    DIFFUSION_ACTIONS,
    NOT_DIFFUSING_TYPES,
    PUBLISHED_STATUSES,
    STRUCTURAL_EDGE_KINDS,
)

GRAPH_VERSION = "2"
# A measure more than this many days after another is no "following" of it: policy diffusion works over
# weeks and months (the DeepSeek bans of early 2025 came within ~60 days of each other), and an edge
# between acts two years apart would claim an influence nobody saw.
FOLLOW_WINDOW_DAYS = 120
# Betweenness walks every edge once per source node (Brandes): exact when nodes x edges is within
# this budget (a few tenths of a second), otherwise estimated from as many sampled source nodes
# (fixed seed, at least BETWEENNESS_MIN_SAMPLE) as the budget allows, so a dense graph costs no more.
BETWEENNESS_WORK = 600_000
BETWEENNESS_MIN_SAMPLE = 8


def _event_edge_sql(changed_only):
    events = "e.id in (select id from temp.graph_changed)" if changed_only else "1"
    sources = "event_id in (select id from temp.graph_changed)" if changed_only else "event_id is not null"
    return [
        f"""insert into graph_edges (id, source, target, kind, event_id, tool_id, action, stage, date)
            select 'acted_on:' || e.id, 'agency:' || e.agency_id, 'tool:' || e.tool_id, 'acted_on',
                   e.id, e.tool_id, e.action, e.stage, e.date
            from events e where {events}""",
        f"""insert into graph_edges (id, source, target, kind, event_id)
            select 'cites_reason:' || r.event_id || ':' || r.reason_id, 'agency:' || e.agency_id,
                   'reason:' || r.reason_id, 'cites_reason', r.event_id
            from event_reasons r join events e on e.id = r.event_id where {events}""",
        # The distinct (event, document) pairs first, then written in id order: a third of the time of
        # de-duplicating the joined rows and inserting them at random places of the primary key.
        f"""insert or ignore into graph_edges (id, source, target, kind, event_id)
            select 'reported_by:' || s.event_id || ':' || s.document_url, 'agency:' || e.agency_id,
                   'document:' || s.document_url, 'reported_by', s.event_id
            from (select distinct event_id, document_url from event_sources
                  where status = 'merged' and {sources}) s
            join events e on e.id = s.event_id
            order by s.event_id, s.document_url""",
    ]


def _id_range(kind):
    """A WHERE clause selecting the edges of one kind along the primary key (ids are `kind:...`)."""
    return f"(id >= '{kind}:' and id < '{kind};')"


def save_graph(db, changed_event_ids=None):
    """(Re)write graph_nodes / graph_edges / graph_metrics from the KB tables.

    `changed_event_ids` (old and new ids of the events a build touched) limits the per-event
    edges and document nodes rewritten; None rewrites everything (then without indexes until
    the end: faster).
    """
    conn = db.conn
    if changed_event_ids is None:
        with bulk_load(db, ("graph_nodes", "graph_edges")):
            conn.execute("delete from graph_edges")
            conn.execute("delete from graph_nodes")
            by_tool, followed = _write_graph(conn, changed_only=False)
    else:
        conn.execute("create temp table if not exists graph_changed (id text primary key)")
        conn.execute("delete from temp.graph_changed")
        conn.executemany("insert or ignore into temp.graph_changed values (?)", [(i,) for i in changed_event_ids])
        # The documents those events cite, before and after: their nodes are written again (a
        # re-crawled page may have a new title), or dropped when no edge points at them any more.
        conn.execute("create temp table if not exists graph_documents (id text primary key)")
        conn.execute("delete from temp.graph_documents")
        conn.execute("""insert or ignore into temp.graph_documents select target from graph_edges
                        where event_id in (select id from temp.graph_changed) and kind = 'reported_by'""")
        conn.execute("delete from graph_nodes where id in (select id from temp.graph_documents)")
        conn.execute("delete from graph_edges where event_id in (select id from temp.graph_changed)")
        by_tool, followed = _write_graph(conn, changed_only=True)
    save_metrics(db, by_tool, followed)


def _write_graph(conn, changed_only):
    """Edges of the (changed) events, their document nodes, the entity graph; returns adoptions() and
    the followed edges computed from it."""
    for sql in _event_edge_sql(changed_only):
        conn.execute(sql)
    _save_document_nodes(conn, changed_only)
    # Entity nodes and structural edges are few: always rewritten whole.
    conn.execute("delete from graph_nodes where kind != 'document'")
    conn.execute("delete from graph_edges where " + " or ".join(_id_range(k) for k in STRUCTURAL_EDGE_KINDS))
    _save_entity_nodes(conn)
    _save_structural_edges(conn)
    by_tool = adoptions(conn)
    followed = followed_edges(by_tool)
    _save_followed_edges(conn, followed)
    return by_tool, followed


def _save_document_nodes(conn, changed_only):
    """A node for every document a reported_by edge points at."""
    if not changed_only:
        conn.execute("""
            insert into graph_nodes (id, kind, ref_id, label, verified)
            select 'document:' || d.url, 'document', d.url, coalesce(d.title, d.url), 1
            from documents d
            where d.url in (select document_url from event_sources where status = 'merged' and event_id is not null)
            order by d.url""")
        return
    conn.execute("""insert or ignore into temp.graph_documents select target from graph_edges
                    where event_id in (select id from temp.graph_changed) and kind = 'reported_by'""")
    conn.execute("""
        insert or ignore into graph_nodes (id, kind, ref_id, label, verified)
        select x.id, 'document', d.url, coalesce(d.title, d.url), 1
        from temp.graph_documents x join documents d on d.url = substr(x.id, 10)
        where exists (select 1 from graph_edges g where g.target = x.id)
        order by x.id""")


def _save_entity_nodes(conn):
    # Involved agencies: those with events and all their ancestors.
    conn.execute("""
        insert into graph_nodes (id, kind, ref_id, label, verified)
        with recursive involved(id) as (
            select distinct agency_id from events
            union select a.parent_id from agencies a join involved i on a.id = i.id where a.parent_id is not null
        )
        select 'agency:' || a.id, 'agency', a.id, a.name, a.verified from agencies a join involved i on i.id = a.id""")
    conn.execute("""
        insert into graph_nodes (id, kind, ref_id, label, verified)
        with recursive vendors_involved(id) as (
            select distinct t.vendor_id from tools t join events e on e.tool_id = t.id where t.vendor_id is not null
            union select v.parent_id from vendors v join vendors_involved i on v.id = i.id where v.parent_id is not null
        )
        select 'vendor:' || v.id, 'vendor', v.id, v.name, 1 from vendors v join vendors_involved i on i.id = v.id""")
    conn.execute("""
        insert into graph_nodes (id, kind, ref_id, label, verified)
        select distinct 'tool:' || t.id, 'tool', t.id, t.name, t.verified from tools t join events e on e.tool_id = t.id""")
    conn.execute("""
        insert into graph_nodes (id, kind, ref_id, label, verified)
        select distinct 'reason:' || r.id, 'reason', r.id, r.label, 1
        from reasons r join event_reasons er on er.reason_id = r.id""")
    conn.execute("""
        insert into graph_nodes (id, kind, ref_id, label, verified)
        with recursive places(id) as (
            select a.jurisdiction_id from agencies a join graph_nodes n on n.id = 'agency:' || a.id
            where a.jurisdiction_id is not null
            union select v.country_id from vendors v join graph_nodes n on n.id = 'vendor:' || v.id
            where v.country_id is not null
            union select j.parent_id from jurisdictions j join places p on j.id = p.id where j.parent_id is not null
        )
        select 'jurisdiction:' || j.id, 'jurisdiction', j.id, j.name, 1 from jurisdictions j join places p on p.id = j.id""")


# (edge kind, edge id prefix, table, source node kind, link column, target node kind)
STRUCTURAL_LINKS = (
    ("part_of", "part_of:agency:", "agencies", "agency", "parent_id", "agency"),
    ("part_of", "part_of:jurisdiction:", "jurisdictions", "jurisdiction", "parent_id", "jurisdiction"),
    ("part_of", "part_of:vendor:", "vendors", "vendor", "parent_id", "vendor"),
    ("located_in", "located_in:", "agencies", "agency", "jurisdiction_id", "jurisdiction"),
    ("made_by", "made_by:", "tools", "tool", "vendor_id", "vendor"),
    ("based_in", "based_in:", "vendors", "vendor", "country_id", "jurisdiction"),
)


def _save_structural_edges(conn):
    """Hierarchy and location edges between entity nodes that are in the graph."""
    for kind, prefix, table, source, column, target in STRUCTURAL_LINKS:
        conn.execute(f"""
            insert into graph_edges (id, source, target, kind)
            select '{prefix}' || x.id, '{source}:' || x.id, '{target}:' || x.{column}, '{kind}'
            from {table} x where x.{column} is not null
              and exists (select 1 from graph_nodes n where n.id = '{source}:' || x.id)
              and exists (select 1 from graph_nodes n where n.id = '{target}:' || x.{column})""")


class Adoption(NamedTuple):
    """An agency's first enacted ban/restriction/suspension of a tool: the days its date can mean."""

    start: str
    end: str
    agency_id: str
    event_id: str
    date: str
    jurisdiction_id: str


def adoptions(conn):
    """{tool_id: [Adoption]}: each public body's first enacted ban/restriction/suspension of each tool among
    the published events (verified or machine-read; needs_review ones are not facts yet), ordered by
    the first and then the last day its date can mean. Undated events cannot be ordered."""
    rows = conn.execute(f"""
        select e.tool_id, e.agency_id, e.date_start, coalesce(e.date_end, e.date_start), e.id, e.date,
               coalesce(e.jurisdiction_id, e.country_id)
        from events e join agencies a on a.id = e.agency_id
        where e.stage = 'enacted' and e.action in ({', '.join('?' * len(DIFFUSION_ACTIONS))})
          and e.date_start is not null and e.status in ({', '.join('?' * len(PUBLISHED_STATUSES))})
          and coalesce(a.type, '') not in ({', '.join('?' * len(NOT_DIFFUSING_TYPES))})
        order by e.tool_id, e.agency_id, e.date_start, coalesce(e.date_end, e.date_start), e.id""",
        (*DIFFUSION_ACTIONS, *PUBLISHED_STATUSES, *NOT_DIFFUSING_TYPES)).fetchall()
    first = {}
    for tool_id, agency_id, start, end, event_id, date, jurisdiction_id in rows:
        first.setdefault((tool_id, agency_id), Adoption(start, end, agency_id, event_id, date, jurisdiction_id))
    by_tool = defaultdict(list)
    for (tool_id, _), adoption in first.items():
        by_tool[tool_id].append(adoption)
    for adoption_list in by_tool.values():
        adoption_list.sort()
    return by_tool


def _days(later, earlier):
    return (Date.fromisoformat(later) - Date.fromisoformat(earlier)).days


def first_movers(adoption_list):
    """The adoptions no other one surely preceded: a month-only date is any of its days, so an agency
    that acted "in January" is a first mover beside one that acted on 24 January."""
    earliest_end = min(a.end for a in adoption_list)
    return [a for a in adoption_list if a.start <= earliest_end]


def lag(follower, leader):
    """(at least, at most) days between two adoptions' dates, as intervals."""
    return _days(follower.start, leader.end), _days(follower.end, leader.start)


def followed_edges(by_tool, window=FOLLOW_WINDOW_DAYS):
    """followed edge rows: an adopter -> the tool's first mover(s) and -> its immediate predecessor(s).

    Agency B "followed" agency A on a tool only when B surely acted after A (B's first possible day
    is after A's last), A is of another jurisdiction (diffusion between governments, not inside
    one), and B acted within `window` days of A at most (a later act is no following). lag_days is
    the least the lag can be; the `followed` view gives the interval."""
    edges = []
    for tool_id, adoption_list in sorted(by_tool.items()):
        movers = {a.agency_id for a in first_movers(adoption_list)}
        starts = [a.start for a in adoption_list]  # sorted: the window is a slice of them
        for follower in adoption_list:
            earliest = (Date.fromisoformat(follower.end) - timedelta(days=window)).isoformat()
            nearby = adoption_list[bisect.bisect_left(starts, earliest):bisect.bisect_left(starts, follower.start)]
            leaders = [a for a in nearby
                       if a.end < follower.start and a.jurisdiction_id != follower.jurisdiction_id
                       and lag(follower, a)[1] <= window]
            if not leaders:
                continue
            latest = max(a.end for a in leaders)
            targets = {}
            for leader in leaders:
                is_first, is_last = leader.agency_id in movers, leader.end == latest
                if is_first or is_last:
                    targets[leader.agency_id] = (leader, "both" if is_first and is_last else
                                                 "first_mover" if is_first else "predecessor")
            for other_agency, (leader, relation) in sorted(targets.items()):
                edges.append({
                    "id": f"followed:{tool_id}:{follower.agency_id}:{other_agency}",
                    "source": f"agency:{follower.agency_id}", "target": f"agency:{other_agency}",
                    "kind": "followed", "event_id": follower.event_id, "tool_id": tool_id, "date": follower.date,
                    "lag_days": lag(follower, leader)[0], "relation": relation,
                })
    return edges


def _save_followed_edges(conn, followed):
    """Write the followed edges, touching only the rows that differ from the stored ones (a new event
    moves a few adopters; rewriting tens of thousands of edges would cost more)."""
    columns = ("id", "source", "target", "kind", "event_id", "tool_id", "date", "lag_days", "relation")
    wanted = {e["id"]: tuple(e[c] for c in columns) for e in followed}
    stored = {row[0]: row for row in conn.execute(
        f"select {', '.join(columns)} from graph_edges where {_id_range('followed')}")}
    gone = [(i,) for i, row in stored.items() if wanted.get(i) != row]
    if gone:
        conn.executemany("delete from graph_edges where id = ?", gone)
    conn.executemany(
        f"insert into graph_edges ({', '.join(columns)}) values ({', '.join('?' * len(columns))})",
        sorted(row for i, row in wanted.items() if stored.get(i) != row),
    )



STRUCTURAL_METRICS = ("component", "component_size", "degree_centrality", "betweenness")


def _stored_digest(conn):
    row = conn.execute("select detail from graph_metrics where subject = 'graph' and metric = 'structure_digest'"
                       ).fetchone()
    return row[0] if row else None


def compute_metrics(simple, degree, by_tool, followed, previous=None):
    """graph_metrics rows: centrality and components of the entity graph, diffusion per tool.

    `simple` is the entity graph as a simple undirected networkx Graph, `degree` each node's
    number of edges in the full (multi-edge) entity graph; `followed` the followed edges of `by_tool`
    (followed_edges); `previous` the structural metrics of
    the same graph from the last build, {(node, metric): (value, detail)}, reused when complete."""
    rows = []
    if previous and all((node, metric) in previous for node in simple.nodes for metric in STRUCTURAL_METRICS):
        for node in simple.nodes:
            for metric in ("component", "component_size"):
                rows.append((node, metric, *previous[(node, metric)]))
            rows.append((node, "degree", degree.get(node, 0), None))
            for metric in ("degree_centrality", "betweenness"):
                rows.append((node, metric, *previous[(node, metric)]))
        rows.append(("graph", "components", len({previous[(n, "component")][0] for n in simple.nodes}), None))
    elif simple.number_of_nodes():
        centrality = nx.degree_centrality(simple)
        estimated = None
        n_nodes, n_edges = simple.number_of_nodes(), max(1, simple.number_of_edges())
        sample = max(BETWEENNESS_MIN_SAMPLE, BETWEENNESS_WORK // n_edges)
        if n_nodes * n_edges <= BETWEENNESS_WORK or sample >= n_nodes:
            betweenness = nx.betweenness_centrality(simple)
        else:
            betweenness = nx.betweenness_centrality(simple, k=sample, seed=0)
            estimated = f"estimated from {sample} sampled nodes"
        components = sorted(nx.connected_components(simple), key=lambda c: (-len(c), min(c)))
        for number, component in enumerate(components, start=1):
            for node in component:
                rows.append((node, "component", number, None))
                rows.append((node, "component_size", len(component), None))
        for node in simple.nodes:
            rows.append((node, "degree", degree.get(node, 0), None))
            rows.append((node, "degree_centrality", round(centrality[node], 6), None))
            rows.append((node, "betweenness", round(betweenness[node], 6), estimated))
        rows.append(("graph", "components", len(components), None))
    rows.append(("graph", "nodes", simple.number_of_nodes(), "entity graph (documents excluded)"))
    rows.append(("graph", "edges", sum(degree.values()) // 2, "entity graph (documents excluded)"))
    follows = defaultdict(list)  # tool -> (least, most) lags of the followed edges to its first movers
    for edge in followed:
        if edge["relation"] in ("first_mover", "both"):
            follows[edge["tool_id"]].append(edge)
    for tool_id, adoption_list in sorted(by_tool.items()):
        subject = f"tool:{tool_id}"
        first = first_movers(adoption_list)
        rows.append((subject, "first_mover", len(first), json.dumps(
            {"agencies": [a.agency_id for a in first], "events": [a.event_id for a in first],
             "date": min(first).date})))
        rows.append((subject, "first_move_date", None, min(a.start for a in first)))
        rows.append((subject, "adopters", len(adoption_list), None))
        adopters = {a.agency_id: a for a in adoption_list}
        lags = []
        for edge in follows.get(tool_id, []):
            follower, leader = adopters[edge["source"][7:]], adopters[edge["target"][7:]]
            lags.append(lag(follower, leader))
        if lags:
            least, most = [lag_[0] for lag_ in lags], [lag_[1] for lag_ in lags]
            note = "days after a first mover, at least (followed edges); detail: at most"
            rows.append((subject, "median_days_to_follow", statistics.median(least),
                         json.dumps({"at_most": statistics.median(most), "note": note})))
            rows.append((subject, "mean_days_to_follow", round(statistics.mean(least), 2),
                         json.dumps({"at_most": round(statistics.mean(most), 2), "note": note})))
            rows.append((subject, "max_days_to_follow", max(least), json.dumps({"at_most": max(most), "note": note})))
    return rows


def save_metrics(db, by_tool, followed):
    """Analytics of the entity graph (documents left out), read straight from the graph tables;
    `by_tool` is adoptions(conn), `followed` followed_edges(by_tool)."""
    conn = db.conn
    simple = nx.Graph()
    # Nodes in id order: the sampled betweenness picks its sample by position, and a full and an
    # incremental build (whose rows are in different orders) must pick the same nodes.
    simple.add_nodes_from(row[0] for row in conn.execute(
        "select id from graph_nodes where kind != 'document' order by id"))
    degree = Counter()  # edges of the multigraph, counted in the same pass that builds the simple one
    pairs = conn.execute(
        "select source, target, count(*) from graph_edges where kind != 'reported_by' group by source, target").fetchall()
    for source, target, n in pairs:
        degree[source] += n
        degree[target] += n
    simple.add_edges_from((source, target) for source, target, _ in pairs)
    digest = hashlib.sha256("\x1e".join(
        [*simple.nodes, "\x1d", *(f"{a}\x1f{b}" for a, b in sorted(tuple(sorted(e)) for e in simple.edges))]
    ).encode()).hexdigest()
    # An unchanged entity graph has unchanged centrality and components: reuse them (the costly part
    # of an incremental build that only added reports of known measures).
    previous = {} if _stored_digest(conn) != digest else {
        (subject, metric): (value, detail) for subject, metric, value, detail in conn.execute(
            "select subject, metric, value, detail from graph_metrics where metric in (?, ?, ?, ?)", STRUCTURAL_METRICS)}
    rows = compute_metrics(simple, degree, by_tool, followed, previous)
    rows.append(("graph", "structure_digest", None, digest))
    conn.execute("delete from graph_metrics")
    conn.executemany("insert into graph_metrics (subject, metric, value, detail) values (?, ?, ?, ?)", rows)
