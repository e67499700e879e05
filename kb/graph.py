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
  followed      agency B -> agency A  B's first enacted ban/restriction/suspension of tool T came
                                      after A's: lag_days. B gets an edge to the tool's first mover
                                      and to its immediate predecessor (the last agency to act
                                      before B) - not to every earlier agency, which would bury the
                                      diffusion paths in n^2 edges.

The tables are filled with INSERT ... SELECT from the KB tables (100k documents must not cost a
Python round trip each) and updated per event on incremental builds; networkx computes the
analytics (centrality, components, diffusion) on the entity graph and loads the tables for
export. Documents are left out of the centrality figures: they would measure press coverage,
which n_sources already does, not position in the network.
"""
import itertools
import json
import statistics
from collections import defaultdict
from datetime import date as Date
from pathlib import Path

import networkx as nx

from kb.errors import BanwatchError
from kb.schema import bulk_load

GRAPH_VERSION = "1"
EDGE_KINDS = ("acted_on", "cites_reason", "reported_by", "part_of", "located_in", "made_by", "based_in", "followed")
EVENT_EDGE_KINDS = ("acted_on", "cites_reason", "reported_by")
DIFFUSION_ACTIONS = ("ban", "restrict", "suspend")
# Exact betweenness is O(nodes x edges); above this many nodes it is estimated from a fixed sample.
BETWEENNESS_EXACT_MAX = 400
BETWEENNESS_SAMPLE = 32


def _event_edge_sql(where):
    return [
        f"""insert into graph_edges (id, source, target, kind, event_id, tool_id, action, stage, date)
            select 'acted_on:' || e.id, 'agency:' || e.agency_id, 'tool:' || e.tool_id, 'acted_on',
                   e.id, e.tool_id, e.action, e.stage, e.date
            from events e where {where}""",
        f"""insert into graph_edges (id, source, target, kind, event_id)
            select 'cites_reason:' || r.event_id || ':' || r.reason_id, 'agency:' || e.agency_id,
                   'reason:' || r.reason_id, 'cites_reason', r.event_id
            from event_reasons r join events e on e.id = r.event_id where {where}""",
        f"""insert or ignore into graph_edges (id, source, target, kind, event_id)
            select distinct 'reported_by:' || s.event_id || ':' || s.document_url, 'agency:' || e.agency_id,
                   'document:' || s.document_url, 'reported_by', s.event_id
            from event_sources s join events e on e.id = s.event_id
            where s.status = 'merged' and {where}""",
    ]


def save_graph(db, changed_event_ids=None):
    """(Re)write graph_nodes / graph_edges / graph_metrics from the KB tables.

    `changed_event_ids` (old and new ids of the events a build touched) limits the per-event
    edges rewritten; None rewrites everything (then without indexes until the end: faster).
    """
    conn = db.conn
    if changed_event_ids is None:
        with bulk_load(db, ("graph_nodes", "graph_edges")):
            conn.execute("delete from graph_edges")
            conn.execute("delete from graph_nodes")
            _write_graph(conn, "1")
    else:
        conn.execute("create temp table if not exists graph_changed (id text primary key)")
        conn.execute("delete from temp.graph_changed")
        conn.executemany("insert or ignore into temp.graph_changed values (?)", [(i,) for i in changed_event_ids])
        # Their documents' nodes are written again below (a re-crawled page may have a new title).
        conn.execute("""delete from graph_nodes where kind = 'document' and id in (select target from graph_edges
                        where kind = 'reported_by' and event_id in (select id from temp.graph_changed))""")
        conn.execute("delete from graph_edges where event_id in (select id from temp.graph_changed)")
        _write_graph(conn, "e.id in (select id from temp.graph_changed)")
        conn.execute("""
            delete from graph_nodes where kind = 'document'
            and not exists (select 1 from graph_edges g where g.target = graph_nodes.id)""")
    save_metrics(db)


def _write_graph(conn, events_where):
    # Entity nodes and structural edges are few: always rewritten whole.
    conn.execute("delete from graph_edges where kind not in ('acted_on', 'cites_reason', 'reported_by')")
    conn.execute("delete from graph_nodes where kind != 'document'")
    for sql in _event_edge_sql(events_where):
        conn.execute(sql)
    _save_entity_nodes(conn)
    _save_structural_edges(conn)
    # Document nodes follow the reported_by edges.
    conn.execute("""
        insert or ignore into graph_nodes (id, kind, ref_id, label, verified)
        select distinct g.target, 'document', d.url, coalesce(d.title, d.url), 1
        from graph_edges g join documents d on d.url = substr(g.target, 10)
        where g.kind = 'reported_by'""")
    _save_followed_edges(conn)


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


def _save_structural_edges(conn):
    node_exists = "exists (select 1 from graph_nodes n where n.id = {})"
    conn.execute(f"""
        insert into graph_edges (id, source, target, kind)
        select 'part_of:agency:' || a.id, 'agency:' || a.id, 'agency:' || a.parent_id, 'part_of'
        from agencies a where a.parent_id is not null and {node_exists.format("'agency:' || a.id")}
          and {node_exists.format("'agency:' || a.parent_id")}""")
    conn.execute(f"""
        insert into graph_edges (id, source, target, kind)
        select 'part_of:jurisdiction:' || j.id, 'jurisdiction:' || j.id, 'jurisdiction:' || j.parent_id, 'part_of'
        from jurisdictions j where j.parent_id is not null and {node_exists.format("'jurisdiction:' || j.id")}
          and {node_exists.format("'jurisdiction:' || j.parent_id")}""")
    conn.execute(f"""
        insert into graph_edges (id, source, target, kind)
        select 'part_of:vendor:' || v.id, 'vendor:' || v.id, 'vendor:' || v.parent_id, 'part_of'
        from vendors v where v.parent_id is not null and {node_exists.format("'vendor:' || v.id")}
          and {node_exists.format("'vendor:' || v.parent_id")}""")
    conn.execute(f"""
        insert into graph_edges (id, source, target, kind)
        select 'located_in:' || a.id, 'agency:' || a.id, 'jurisdiction:' || a.jurisdiction_id, 'located_in'
        from agencies a where a.jurisdiction_id is not null and {node_exists.format("'agency:' || a.id")}
          and {node_exists.format("'jurisdiction:' || a.jurisdiction_id")}""")
    conn.execute(f"""
        insert into graph_edges (id, source, target, kind)
        select 'made_by:' || t.id, 'tool:' || t.id, 'vendor:' || t.vendor_id, 'made_by'
        from tools t where t.vendor_id is not null and {node_exists.format("'tool:' || t.id")}
          and {node_exists.format("'vendor:' || t.vendor_id")}""")
    conn.execute(f"""
        insert into graph_edges (id, source, target, kind)
        select 'based_in:' || v.id, 'vendor:' || v.id, 'jurisdiction:' || v.country_id, 'based_in'
        from vendors v where v.country_id is not null and {node_exists.format("'vendor:' || v.id")}
          and {node_exists.format("'jurisdiction:' || v.country_id")}""")


def adoptions(conn):
    """{tool_id: [(date_start, agency_id, event_id, date)]}: each agency's first enacted
    ban/restriction/suspension of each tool, in date order (undated events cannot be ordered)."""
    rows = conn.execute(f"""
        select tool_id, agency_id, date_start, id, date from events
        where stage = 'enacted' and action in ({', '.join('?' * len(DIFFUSION_ACTIONS))}) and date_start is not null
        order by tool_id, agency_id, date_start, id""", DIFFUSION_ACTIONS).fetchall()
    first = {}
    for tool_id, agency_id, start, event_id, date in rows:
        first.setdefault((tool_id, agency_id), (start, agency_id, event_id, date))
    by_tool = defaultdict(list)
    for (tool_id, _), adoption in first.items():
        by_tool[tool_id].append(adoption)
    for adoption_list in by_tool.values():
        adoption_list.sort()
    return by_tool


def followed_edges(by_tool):
    """followed edge rows: each adopter -> the tool's first mover(s) and -> its immediate predecessor."""
    edges = []
    for tool_id, adoption_list in sorted(by_tool.items()):
        first_start = adoption_list[0][0]
        first_movers = [a for a in adoption_list if a[0] == first_start]
        predecessor = None  # the last adoption on an earlier day than the current one
        for start, same_day in itertools.groupby(adoption_list, key=lambda a: a[0]):
            same_day = list(same_day)
            if start != first_start:  # first movers (ties on the first day included) follow no one
                for _, agency_id, event_id, date in same_day:
                    targets = {a[1]: (a, "first_mover") for a in first_movers}
                    relation = "both" if predecessor[1] in targets else "predecessor"
                    targets[predecessor[1]] = (predecessor, relation)
                    for other_agency, (other, relation) in sorted(targets.items()):
                        lag = (Date.fromisoformat(start) - Date.fromisoformat(other[0])).days
                        edges.append({
                            "id": f"followed:{tool_id}:{agency_id}:{other_agency}",
                            "source": f"agency:{agency_id}", "target": f"agency:{other_agency}",
                            "kind": "followed", "event_id": event_id, "tool_id": tool_id, "date": date,
                            "lag_days": lag, "relation": relation,
                        })
            predecessor = same_day[-1]
    return edges


def _save_followed_edges(conn):
    edges = followed_edges(adoptions(conn))
    columns = ("id", "source", "target", "kind", "event_id", "tool_id", "date", "lag_days", "relation")
    conn.executemany(
        f"insert into graph_edges ({', '.join(columns)}) values ({', '.join('?' * len(columns))})",
        [tuple(e[c] for c in columns) for e in edges],
    )


def load_graph(db, documents=True):
    """The graph tables as a networkx MultiDiGraph (node and edge attributes from the table columns)."""
    graph = nx.MultiDiGraph()
    kinds = "" if documents else "where kind != 'document'"
    for row in db.execute(f"select id, kind, ref_id, label, verified from graph_nodes {kinds} order by id").fetchall():
        graph.add_node(row[0], **_attrs({"kind": row[1], "ref_id": row[2], "label": row[3], "verified": row[4]}))
    edge_filter = "" if documents else "where kind != 'reported_by'"
    columns = ("id", "source", "target", "kind", "event_id", "tool_id", "action", "stage", "date", "lag_days", "relation")
    for row in db.execute(f"select {', '.join(columns)} from graph_edges {edge_filter} order by id").fetchall():
        values = dict(zip(columns, row))
        graph.add_edge(values.pop("source"), values.pop("target"), key=values["id"], **_attrs(values))
    return graph


def _attrs(values):
    # GraphML and GEXF have no null: absent attributes are left out.
    return {k: v for k, v in values.items() if v is not None}


def compute_metrics(simple, degree, by_tool):
    """graph_metrics rows: centrality and components of the entity graph, diffusion per tool.

    `simple` is the entity graph as a simple undirected networkx Graph, `degree` each node's
    number of edges in the full (multi-edge) entity graph."""
    rows = []
    if simple.number_of_nodes():
        centrality = nx.degree_centrality(simple)
        estimated = None
        if simple.number_of_nodes() <= BETWEENNESS_EXACT_MAX:
            betweenness = nx.betweenness_centrality(simple)
        else:
            betweenness = nx.betweenness_centrality(simple, k=BETWEENNESS_SAMPLE, seed=0)
            estimated = f"estimated from {BETWEENNESS_SAMPLE} sampled nodes"
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
    for tool_id, adoption_list in sorted(by_tool.items()):
        subject = f"tool:{tool_id}"
        first_start = adoption_list[0][0]
        first = [a for a in adoption_list if a[0] == first_start]
        lags = [(Date.fromisoformat(a[0]) - Date.fromisoformat(first_start)).days for a in adoption_list if a[0] != first_start]
        rows.append((subject, "first_mover", len(first), json.dumps(
            {"agencies": [a[1] for a in first], "events": [a[2] for a in first], "date": first[0][3]})))
        rows.append((subject, "first_move_date", None, first_start))
        rows.append((subject, "adopters", len(adoption_list), None))
        if lags:
            rows.append((subject, "median_days_to_follow", statistics.median(lags), None))
            rows.append((subject, "mean_days_to_follow", round(statistics.mean(lags), 2), None))
            rows.append((subject, "max_days_to_follow", max(lags), None))
    return rows


def save_metrics(db):
    """Analytics of the entity graph (documents left out), read straight from the graph tables."""
    conn = db.conn
    simple = nx.Graph()
    simple.add_nodes_from(row[0] for row in conn.execute("select id from graph_nodes where kind != 'document'"))
    simple.add_edges_from(conn.execute(
        "select distinct source, target from graph_edges where kind != 'reported_by'").fetchall())
    degree = dict(conn.execute("""
        select node, count(*) from (
            select source as node from graph_edges where kind != 'reported_by'
            union all select target from graph_edges where kind != 'reported_by'
        ) group by node"""))
    rows = compute_metrics(simple, degree, adoptions(conn))
    conn.execute("delete from graph_metrics")
    conn.executemany("insert into graph_metrics (subject, metric, value, detail) values (?, ?, ?, ?)", rows)


def export_graph(data_dir, fmt):
    """The graph of data_dir/kb.db as GraphML, GEXF or node-link JSON (for d3 / Cytoscape)."""
    import io
    import sqlite3

    path = Path(data_dir) / "kb.db"
    if not path.exists():
        raise BanwatchError(f"no kb.db in {data_dir}: run `banwatch build` first")
    if fmt not in ("graphml", "gexf", "json"):
        raise BanwatchError(f"unknown graph format {fmt!r}: use graphml, gexf or json")
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        graph = load_graph(conn)
    except sqlite3.DatabaseError as e:
        raise BanwatchError(f"cannot read the graph from {path}: {e} (run `banwatch verify`)") from None
    finally:
        conn.close()
    graph.graph["name"] = "banwatch"
    if fmt == "json":
        return json.dumps(nx.node_link_data(graph, edges="edges"), ensure_ascii=False, indent=1) + "\n"
    buffer = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(graph, buffer)
    else:
        nx.write_gexf(graph, buffer)
    return buffer.getvalue().decode("utf-8")
