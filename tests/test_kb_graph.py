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


def test_followed_edges_link_each_agency_to_the_first_mover_and_its_predecessor(data):
    followed = {(e["source"], e["target"]): (e["lag_days"], e["relation"]) for e in edges(data, "followed")}
    assert followed == {
        ("agency:us-navy", "agency:nasa"): (3, "first_mover"),
        ("agency:us-navy", "agency:us-tx-government"): (3, "both"),   # also the latest before it
        ("agency:us-dod", "agency:nasa"): (10, "first_mover"),
        ("agency:us-dod", "agency:us-tx-government"): (10, "first_mover"),
        ("agency:us-dod", "agency:us-navy"): (7, "predecessor"),
        ("agency:us-va-government", "agency:nasa"): (20, "first_mover"),
        ("agency:us-va-government", "agency:us-tx-government"): (20, "first_mover"),
        ("agency:us-va-government", "agency:us-dod"): (10, "predecessor"),
    }
    # Not every earlier agency: Virginia gets no edge to the Navy.
    assert ("agency:us-va-government", "agency:us-navy") not in followed


def test_followed_edges_with_a_single_first_mover():
    by_tool = {"t": [("2025-01-01", "a", "e-a", "2025-01-01"), ("2025-01-05", "b", "e-b", "2025-01-05"),
                     ("2025-01-09", "c", "e-c", "2025-01-09")]}
    pairs = {(e["source"], e["target"], e["lag_days"], e["relation"]) for e in followed_edges(by_tool)}
    assert pairs == {("agency:b", "agency:a", 4, "both"), ("agency:c", "agency:a", 8, "first_mover"),
                     ("agency:c", "agency:b", 4, "predecessor")}


def test_analytics_are_stored(data):
    metrics = {(r["subject"], r["metric"]): r for r in kb(data).query("select * from graph_metrics")}
    first = json.loads(metrics[("tool:deepseek", "first_mover")]["detail"])
    assert sorted(first["agencies"]) == ["nasa", "us-tx-government"] and first["date"] == "2025-01-21"
    assert metrics[("tool:deepseek", "adopters")]["value"] == 5
    assert metrics[("tool:deepseek", "median_days_to_follow")]["value"] == 10
    assert metrics[("agency:us-navy", "component")]["value"] == metrics[("tool:deepseek", "component")]["value"]
    assert metrics[("tool:deepseek", "betweenness")]["value"] > 0
    movers = list(kb(data).query("select agency_id, n_followers from first_movers order by agency_id"))
    assert movers == [{"agency_id": "nasa", "n_followers": 3}, {"agency_id": "us-tx-government", "n_followers": 3}]
    order = [(r["agency_id"], r["rank"], r["days_after_first"]) for r in kb(data).query(
        "select * from adoption_order where tool_id = 'deepseek'")]
    assert order == [("nasa", 1, 0), ("us-tx-government", 1, 0), ("us-navy", 3, 3), ("us-dod", 4, 10),
                     ("us-va-government", 5, 20)]


def stored_graph(data):
    nodes = {r["id"] for r in kb(data).query("select id from graph_nodes")}
    edge_set = {(r["source"], r["target"], r["id"]) for r in kb(data).query("select * from graph_edges")}
    return nodes, edge_set


def loaded(graph):
    return set(graph.nodes), {(u, v, k) for u, v, k in graph.edges(keys=True)}


def betweenness_rows(graph):
    degree = dict(graph.degree())
    return {row[0]: row for row in compute_metrics(graph, degree, {}) if row[1] == "betweenness"}


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
