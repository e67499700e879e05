"""The linked graph: nodes and edges of every kind, diffusion edges, analytics, exports that load back."""
import io
import json

import networkx as nx
import pytest

from banwatch.errors import BanwatchError
from kb.graph import BETWEENNESS_WORK, compute_metrics, followed_edges
from publish.export import export_graph
from tests.support.kb import (
    add_document,
    build,
    crawl_db,
    event,
    kb,
    load_test_reference,
)


@pytest.fixture
def data(tmp_path):
    """DeepSeek bans by NASA (day 0), Texas (day 0), the Navy (day 3), the Pentagon (day 10), Virginia (day 20)."""
    reference = load_test_reference(tmp_path / "reference")
    data = tmp_path / "data"
    db = crawl_db(data)
    add_document(db, "https://a.example/1", [event(date="2025-01-24", agency="U.S. Navy"),
                                             event(date="2025-01-21", agency="NASA")], published="2025-01-25")
    add_document(db, "https://a.example/2", [event(date="2025-01-21", agency="Texas", reasons=["data_privacy"])])
    add_document(db, "https://a.example/3", [event(date="2025-01-31", agency="Pentagon")])
    add_document(db, "https://a.example/4", [event(date="2025-02-10", agency="Virginia")])
    add_document(db, "https://a.example/5", [event(date="2025-02-10", agency="Virginia", action="lift")])
    build(data, reference)
    return data


def edges(data, kind):
    return list(kb(data).query("select * from graph_edges where kind = ? order by id", [kind]))


def test_nodes_and_edges_of_every_kind(data):
    kinds = {r["kind"]: r["n"] for r in kb(data).query("select kind, count(*) as n from graph_nodes group by kind")}
    assert kinds == {"agency": 6, "tool": 1, "vendor": 1, "jurisdiction": 4, "reason": 2, "document": 5}
    acted = edges(data, "acted_on")
    assert len(acted) == 6
    nasa = next(e for e in acted if e["source"] == "agency:nasa")
    assert (nasa["target"], nasa["action"], nasa["date"], nasa["event_id"]) == \
        ("tool:deepseek", "ban", "2025-01-21", "nasa--deepseek--ban--2025-01")
    part_of = {(e["source"], e["target"]) for e in edges(data, "part_of")}
    assert ("agency:us-navy", "agency:us-dod") in part_of and ("jurisdiction:us-tx", "jurisdiction:us") in part_of
    assert {(e["source"], e["target"]) for e in edges(data, "made_by")} == {("tool:deepseek", "vendor:deepseek")}
    assert {(e["source"], e["target"]) for e in edges(data, "based_in")} == {("vendor:deepseek", "jurisdiction:cn")}
    assert ("agency:us-tx-government", "jurisdiction:us-tx") in {(e["source"], e["target"]) for e in edges(data, "located_in")}
    assert ("agency:us-tx-government", "reason:data_privacy") in {(e["source"], e["target"]) for e in edges(data, "cites_reason")}
    reported = {(e["source"], e["target"]) for e in edges(data, "reported_by")}
    assert ("agency:nasa", "document:https://a.example/1") in reported and len(reported) == 6


def test_followed_edges_link_across_jurisdictions_to_the_first_mover_and_the_predecessor(data):
    followed = {(e["source"], e["target"]): (e["lag_days"], e["relation"]) for e in edges(data, "followed")}
    assert followed == {
        # NASA, the Navy and the Pentagon are all of the United States: diffusion is between jurisdictions.
        ("agency:us-navy", "agency:us-tx-government"): (3, "both"),
        ("agency:us-dod", "agency:us-tx-government"): (10, "both"),
        ("agency:us-va-government", "agency:nasa"): (20, "first_mover"),
        ("agency:us-va-government", "agency:us-tx-government"): (20, "first_mover"),
        ("agency:us-va-government", "agency:us-dod"): (10, "predecessor"),
    }
    # Not every earlier agency: Virginia gets no edge to the Navy.
    assert ("agency:us-va-government", "agency:us-navy") not in followed


def adoption(agency, start, end=None, jurisdiction=None):
    from kb.graph import Adoption

    return Adoption(start, end or start, agency, f"e-{agency}", start[:7] if end else start, jurisdiction or agency)


def test_followed_edges_with_a_single_first_mover():
    by_tool = {"t": [adoption("a", "2025-01-01"), adoption("b", "2025-01-05"), adoption("c", "2025-01-09")]}
    pairs = {(e["source"], e["target"], e["lag_days"], e["relation"]) for e in followed_edges(by_tool)}
    assert pairs == {("agency:b", "agency:a", 4, "both"), ("agency:c", "agency:a", 8, "first_mover"),
                     ("agency:c", "agency:b", 4, "predecessor")}


def test_a_month_only_date_is_the_whole_month():
    from kb.graph import first_movers, lag

    # Italy acted "in January 2025" (any day of it), the Navy on 24 January: neither surely came first.
    italy, navy = adoption("it", "2025-01-01", "2025-01-31"), adoption("navy", "2025-01-24")
    texas = adoption("tx", "2025-02-10")
    by_tool = {"deepseek": sorted([italy, navy, texas])}
    assert {a.agency_id for a in first_movers(by_tool["deepseek"])} == {"it", "navy"}
    pairs = {(e["source"], e["target"]): (e["lag_days"], e["relation"]) for e in followed_edges(by_tool)}
    assert ("agency:navy", "agency:it") not in pairs  # "the Navy followed Italy (23 days)" was wrong
    assert pairs[("agency:tx", "agency:it")] == (10, "both")  # at least 10 days (31 Jan -> 10 Feb), the latest
    assert pairs[("agency:tx", "agency:navy")] == (17, "first_mover")
    assert lag(texas, italy) == (10, 40)  # ... and at most 40


def test_followed_needs_another_jurisdiction_and_the_window():
    by_tool = {"chatgpt": [adoption("jpmorgan", "2023-02-01", "2023-02-28", "us"),
                           adoption("amazon", "2023-03-10", jurisdiction="us"),
                           adoption("in-finance", "2025-02-06", jurisdiction="in")]}
    pairs = {(e["source"], e["target"]) for e in followed_edges(by_tool)}
    # Same jurisdiction: no edge; 736 days apart: no edge either.
    assert pairs == set()
    near = {"t": [adoption("a", "2025-01-01", jurisdiction="x"), adoption("b", "2025-04-30", jurisdiction="y"),
                  adoption("c", "2025-05-02", jurisdiction="z")]}
    pairs = {(e["source"], e["target"]) for e in followed_edges(near, window=120)}
    assert pairs == {("agency:b", "agency:a"), ("agency:c", "agency:b")}  # c is 121 days after a


def test_the_followed_view_gives_the_lag_as_an_interval(tmp_path):
    reference = load_test_reference(tmp_path / "reference")
    data = tmp_path / "data"
    db = crawl_db(data)
    add_document(db, "https://a.example/m", [event(date="2025-01", agency="Garante", confidence=0.95)])
    add_document(db, "https://a.example/t", [event(date="2025-02-10", agency="Texas", confidence=0.95)])
    add_document(db, "https://a.example/low", [event(date="2025-01-02", agency="MODA", confidence=0.3)])
    build(data, reference)
    rows = list(kb(data).query("select * from followed"))
    assert [(r["follower_id"], r["leader_id"], r["lag_min_days"], r["lag_max_days"]) for r in rows] == \
        [("us-tx-government", "it-garante", 10, 40)]
    # A needs_review event is no fact yet: Taiwan's low-confidence ban moves no first mover and no edge.
    first = {r["agency_id"]: r["first_mover"] for r in kb(data).query("select * from tool_adoptions")}
    assert first == {"it-garante": 1, "us-tx-government": 0}
    metrics = {(r["subject"], r["metric"]): r for r in kb(data).query("select * from graph_metrics")}
    assert json.loads(metrics[("tool:deepseek", "first_mover")]["detail"])["agencies"] == ["it-garante"]
    assert metrics[("tool:deepseek", "median_days_to_follow")]["value"] == 10
    assert json.loads(metrics[("tool:deepseek", "median_days_to_follow")]["detail"])["at_most"] == 40


def stored_graph(data):
    nodes = {r["id"] for r in kb(data).query("select id from graph_nodes")}
    edge_set = {(r["source"], r["target"], r["id"]) for r in kb(data).query("select * from graph_edges")}
    return nodes, edge_set


def loaded(graph):
    return set(graph.nodes), {(u, v, k) for u, v, k in graph.edges(keys=True)}


def betweenness_rows(graph):
    degree = dict(graph.degree())
    return {row[0]: row for row in compute_metrics(graph, degree, {}, []) if row[1] == "betweenness"}


def test_betweenness_is_exact_on_a_small_graph():
    graph = nx.Graph([("agency:a", "tool:x"), ("tool:x", "agency:b"), ("agency:b", "reason:r"), ("agency:c", "tool:x")])
    rows = betweenness_rows(graph)
    exact = nx.betweenness_centrality(graph)
    assert {node: row[2] for node, row in rows.items()} == {node: round(v, 6) for node, v in exact.items()}
    assert all(row[3] is None for row in rows.values())  # not marked as an estimate


def test_betweenness_of_a_dense_graph_is_sampled_within_the_work_budget():
    graph = nx.complete_graph([f"agency:{n:03d}" for n in range(150)])
    graph.add_edges_from([("agency:000", "tool:x"), ("tool:x", "reason:r")])  # a path through the dense core
    sample = BETWEENNESS_WORK // graph.number_of_edges()
    assert 8 <= sample < 150
    rows = betweenness_rows(graph)
    assert {row[3] for row in rows.values()} == {f"estimated from {sample} sampled nodes"}
    assert rows["tool:x"][2] > 0
    # A fixed seed over the nodes in id order (as save_metrics adds them): edge order does not matter.
    reordered = nx.Graph()
    reordered.add_nodes_from(sorted(graph))
    reordered.add_edges_from(reversed(list(graph.edges())))
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(graph))
    ordered.add_edges_from(graph.edges())
    assert betweenness_rows(reordered) == betweenness_rows(ordered)


def test_graphml_loads_back_with_the_same_nodes_and_edges(data):
    graph = nx.read_graphml(io.BytesIO(export_graph(data, "graphml").encode()), force_multigraph=True)
    assert loaded(graph) == stored_graph(data)
    nasa_edge = graph.edges["agency:nasa", "tool:deepseek", "acted_on:nasa--deepseek--ban--2025-01"]
    assert nasa_edge["event_id"] == "nasa--deepseek--ban--2025-01" and nasa_edge["date"] == "2025-01-21"


def test_gexf_loads_back_with_the_same_nodes_and_edges(data):
    graph = nx.read_gexf(io.BytesIO(export_graph(data, "gexf").encode()))
    nodes, edge_set = stored_graph(data)
    assert set(graph.nodes) == nodes
    assert {(u, v, d["id"]) for u, v, d in graph.edges(data=True)} == edge_set


def test_node_link_json_loads_back_with_the_same_nodes_and_edges(data):
    graph = nx.node_link_graph(json.loads(export_graph(data, "json")), edges="edges")
    assert loaded(graph) == stored_graph(data)
    assert graph.nodes["agency:nasa"]["label"] == "National Aeronautics and Space Administration"


def test_export_errors_are_clear(tmp_path, data):
    with pytest.raises(BanwatchError, match="no kb.db"):
        export_graph(tmp_path / "empty", "json")
    with pytest.raises(BanwatchError, match="unknown graph format"):
        export_graph(data, "dot")


def test_an_unchanged_entity_graph_reuses_its_centrality(data, monkeypatch):
    reference = load_test_reference(data.parent / "reference")
    before = {(r["subject"], r["metric"]): r["value"] for r in kb(data).query("select * from graph_metrics")}
    # another report of a measure already known: documents change, the entity graph does not
    add_document(crawl_db(data), "https://a.example/6", [event(date="2025-01-24", agency="U.S. Navy")],
                 published="2025-01-26")

    def no_recompute(*args, **kwargs):
        raise AssertionError("betweenness recomputed for an unchanged entity graph")

    monkeypatch.setattr(nx, "betweenness_centrality", no_recompute)
    build(data, reference)
    after = {(r["subject"], r["metric"]): r["value"] for r in kb(data).query("select * from graph_metrics")}
    for key in [k for k in before if k[1] in ("betweenness", "degree_centrality", "component")]:
        assert after[key] == before[key]
    assert after[("agency:us-navy", "degree")] == before[("agency:us-navy", "degree")]  # the same event
    # a new agency acting changes the graph: computed afresh
    add_document(crawl_db(data), "https://a.example/7", [event(date="2025-02-12", agency="Texas", tool="ChatGPT")])
    monkeypatch.undo()
    build(data, reference)
    assert ("tool:chatgpt", "betweenness") in {(r["subject"], r["metric"]) for r in
                                                kb(data).query("select * from graph_metrics")}
