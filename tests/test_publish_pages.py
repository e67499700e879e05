"""The banwatch Datasette plugin in process: timeline, event and graph pages, exports, feeds, cell links, escaping."""
import asyncio
import json
import re
import shutil
import sqlite3
from html import unescape

import feedparser
import pytest
from ics import Calendar

from publish.export import export_timeline
from publish.serve import make_datasette
from tests.support.browser import (
    DOUBTFUL_EVENT,
    HOSTILE_EVIDENCE,
    HOSTILE_SCOPE,
    HOSTILE_TITLE,
    NASA_CNBC,
    NASA_EVENT,
    NASA_LATER,
    NAVY,
    NAVY_EVENT,
    cards,
    get,
)

PAYLOADS = ("<script>alert(", "<img src=x onerror", "<svg onload")


@pytest.fixture(scope="module")
def data(sample_kb):
    return sample_kb


@pytest.fixture(scope="module")
def datasette(data):
    return make_datasette(data)


def assert_inert(html):
    """No scraped payload appears as markup (it may appear escaped, as text)."""
    for payload in PAYLOADS:
        assert payload not in html, payload


def text_of(html):
    return unescape(re.sub(r"<[^>]+>", " ", html))


def test_the_plugin_is_registered_with_its_static_files(datasette):
    plugins = {p["name"]: p for p in json.loads(get(datasette, "/-/plugins.json").text)}
    assert {"banwatch", "datasette-atom", "datasette-ics", "datasette-search-all"} <= set(plugins)
    assert {"register_routes", "render_cell", "menu_links", "extra_css_urls"} <= set(plugins["banwatch"]["hooks"])
    for path in ("banwatch.css", "graph.js", "vendor/cytoscape.min.js", "vendor/cytoscape-LICENSE.txt"):
        response = get(datasette, f"/-/static-plugins/banwatch/{path}")
        assert response.status_code == 200 and len(response.content) > 500, path


def test_home_page_introduces_banwatch_and_links_its_pages(datasette):
    html = get(datasette, "/").text
    assert "banwatch" in html and "reconstructions" in html
    for path in ("/-/timeline", "/-/graph", "/-/search", "/kb/new_events.atom"):
        assert f'href="{path}"' in html
    assert "/-/static-plugins/banwatch/banwatch.css" in html


def test_pages_load_nothing_from_another_host(datasette):
    for path in ("/", "/-/timeline", "/-/graph", f"/-/event/{NASA_EVENT}", "/kb/events"):
        html = get(datasette, path).text
        fetched = re.findall(r'<(?:script|img|iframe)[^>]+src="([^"]*)"', html)
        fetched += re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]*)"', html)
        assert fetched and all(url.startswith("/") and not url.startswith("//") for url in fetched), (path, fetched)


def test_timeline_lists_measures_in_order_linked_to_their_events(datasette):
    response = get(datasette, "/-/timeline")
    assert response.status_code == 200
    html = response.text
    assert "<strong>12</strong> measures" in html and "(1 undated, listed last)" in html
    event_links = cards(html)
    assert len(event_links) == 12 and event_links[0] == "it-garante--chatgpt--suspend--2023-03"
    assert event_links[-1] == "jp-government--deepseek--warn--undated" and 'id="y-Undated"' in html
    assert event_links.index(NAVY_EVENT) < event_links.index(NASA_EVENT)
    assert "NASA bans DeepSeek" in html and 'class="banwatch-chart"' in html
    assert "dates disagree" in html and "proposed" in html
    assert_inert(html)


@pytest.mark.parametrize("query, expected", [
    ("tool=DeepSeek", 9),
    ("tool=chatgpt&tool=copilot", 3),
    ("jurisdiction=us", 6),
    ("jurisdiction=us&action=ban&stage=enacted", 4),
    ("action=lift", 1),
    ("since=2025-02&until=2025-02-09", 2),
])
def test_timeline_filters(datasette, query, expected):
    html = get(datasette, f"/-/timeline?{query}").text
    assert f"<strong>{expected}</strong> measure" in html
    assert len(re.findall(r'class="banwatch-measure-title"', html)) == expected


def test_timeline_filter_chips_and_export_links_keep_the_filters(datasette):
    html = get(datasette, "/-/timeline?tool=DeepSeek+AI&action=ban").text
    assert 'class="banwatch-chip" href="?action=ban"' in html  # removing the tool keeps the action
    assert 'href="/-/export/timeline.csv?tool=deepseek&amp;action=ban"' in html
    assert '<option value="deepseek" selected>' in html
    graph = get(datasette, "/-/graph?tool=DeepSeek").text  # a name selects the same option as the id
    assert '<option value="deepseek" selected>' in graph


def test_timeline_with_an_unknown_filter_says_so(datasette):
    response = get(datasette, "/-/timeline?tool=nosuchtool")
    assert response.status_code == 400
    assert "unknown tool &#39;nosuchtool&#39;" in response.text


def test_event_page_shows_every_source_and_the_date_disagreement(datasette):
    response = get(datasette, f"/-/event/{NASA_EVENT}")
    assert response.status_code == 200
    html = response.text
    assert "NASA bans DeepSeek" in html and "Where the sources disagree" in html
    sources = re.findall(r'<article class="banwatch-source">.*?</article>', html, re.S)
    assert len(sources) == 2
    assert NASA_CNBC in sources[0] and NASA_LATER in sources[1]  # oldest first
    assert "2025-02-03" in sources[1] and 'class="banwatch-differs">2025-02-03' in sources[1]
    assert "on Monday" in sources[1]
    assert "agency devices or networks" in text_of(sources[0])
    dates = re.findall(r"<tr class=\"(banwatch-chosen)?\">\s*<td>([0-9-]+)</td>", html)
    assert sorted(d for _, d in dates) == ["2025-01-31", "2025-02-03"]
    assert ("banwatch-chosen", "2025-01-31") in dates
    assert f"<code class=\"banwatch-id\">{NASA_EVENT}</code>" in html
    assert 'href="/-/agency/nasa"' in html and 'href="/-/tool/deepseek"' in html
    assert "Machine-read (confidence 0.80): read by the extractor with high confidence, not checked by a person." in html
    assert f'href="/kb/events/{NASA_EVENT}"' in html  # the raw row stays one click away


def test_event_page_shows_hostile_text_as_text(datasette):
    html = get(datasette, f"/-/event/{NAVY_EVENT}").text
    assert_inert(html)
    text = text_of(html)
    assert HOSTILE_TITLE in text and HOSTILE_EVIDENCE in text and HOSTILE_SCOPE in text
    assert f'href="{NAVY}"' in html


def test_unknown_and_redirected_event_ids(data, tmp_path):
    datasette = make_datasette(data)
    assert get(datasette, "/-/event/no-such-event").status_code == 404
    # A citation of an ID a previous build published follows event_redirects.
    copy = tmp_path / "data"
    copy.mkdir()
    shutil.copy(data / "kb.db", copy / "kb.db")
    with sqlite3.connect(copy / "kb.db") as conn:
        conn.execute("insert into event_redirects (old_id, new_id, reason, since) values (?, ?, 'renamed', '2025-03-01')",
                     ["nasa--deepseek--ban--2025-02", NASA_EVENT])
        conn.execute("insert into event_redirects (old_id, new_id, reason, since) values (?, null, 'rejected', '2025-03-01')",
                     ["nasa--chatgpt--ban--2025-02"])
    moved = make_datasette(copy)
    response = get(moved, "/-/event/nasa--deepseek--ban--2025-02")
    assert response.status_code == 302
    assert response.headers["location"] == f"/-/event/{NASA_EVENT}?from=nasa--deepseek--ban--2025-02"
    landed = get(moved, response.headers["location"]).text
    assert "is now published under this ID" in landed
    gone = get(moved, "/-/event/nasa--chatgpt--ban--2025-02")
    assert gone.status_code == 410 and "rejected" in gone.text


def graph_data(html):
    match = re.search(r'<script type="application/json" id="banwatch-graph-data">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_graph_page_embeds_the_network_as_json_with_links_to_rows(datasette):
    response = get(datasette, "/-/graph")
    assert response.status_code == 200
    elements = graph_data(response.text)["elements"]
    nodes = {e["data"]["id"]: e["data"] for e in elements if "source" not in e["data"]}
    edges = [e["data"] for e in elements if "source" in e["data"]]
    # A node opens the entity's page, which lists its measures, not a raw row.
    assert nodes["tool:deepseek"]["href"] == "/-/tool/deepseek"
    assert nodes["agency:nasa"]["href"] == "/-/agency/nasa"
    assert nodes["jurisdiction:us-tx"]["href"] == "/-/jurisdiction/us-tx"
    assert nodes["vendor:openai"]["kind"] == "vendor"
    assert nodes["agency:unverified-department-of-home-affairs"]["verified"] == 0
    acted = {(e["source"], e["target"]): e for e in edges if e["kind"] == "acted_on"}
    assert acted[("agency:it-garante", "tool:chatgpt")]["n"] == 2
    assert ("agency:us-navy", "jurisdiction:us") in {(e["source"], e["target"]) for e in edges if e["kind"] == "located_in"}
    assert {e["source"] for e in edges} | {e["target"] for e in edges} <= set(nodes)
    assert not any(n["kind"] in ("reason", "document") for n in nodes.values())


def test_graph_filters_and_kinds(datasette):
    elements = graph_data(get(datasette, "/-/graph?tool=chatgpt&kind=agency&kind=tool&kind=reason").text)["elements"]
    nodes = {e["data"]["id"] for e in elements if "source" not in e["data"]}
    assert nodes == {"agency:it-garante", "tool:chatgpt", "reason:data_privacy", "reason:legal_compliance"}
    us = graph_data(get(datasette, "/-/graph?jurisdiction=us&followed=1").text)["elements"]
    agencies = {e["data"]["id"] for e in us if e["data"].get("kind") == "agency"}
    assert "agency:it-garante" not in agencies and {"agency:nasa", "agency:us-tx-government"} <= agencies
    assert any(e["data"].get("kind") == "followed" for e in us)
    bad = get(datasette, "/-/graph?jurisdiction=Atlantis")
    assert bad.status_code == 400 and "unknown jurisdiction" in bad.text


def test_graph_json_is_embedded_safely(datasette):
    html = get(datasette, "/-/graph?kind=agency&kind=tool&kind=document").text
    assert_inert(html)
    labels = [e["data"].get("label") for e in graph_data(html)["elements"]]
    assert HOSTILE_TITLE in labels  # the document node: data for the canvas, never markup


def test_render_cell_links_event_ids_and_source_lists(datasette):
    html = get(datasette, "/kb/timeline?tool_id=deepseek&_sort=date_start").text
    assert f'<a href="/-/event/{NAVY_EVENT}">{NAVY_EVENT}</a>' in html
    assert f'<ul class="banwatch-links"><li><a href="{NAVY}" title="{NAVY}">nypost.com</a></li></ul>' in html
    sources = get(datasette, f"/kb/event_sources?event_id={NASA_EVENT}").text
    assert f'href="/-/event/{NASA_EVENT}"' in sources
    acted = get(datasette, "/kb/who_acted_on_tool?tool=chatgpt").text
    assert 'href="/-/event/it-garante--chatgpt--suspend--2023-03"' in acted


def test_render_cell_never_links_a_javascript_url(datasette):
    from publish.datasette_plugin import render_cell

    cell = render_cell(row=None, value='["javascript:alert(1)", "https://a.example/x"]', column="sources",
                       datasette=datasette)
    assert 'href="javascript' not in cell and "<li>javascript:alert(1)</li>" in cell
    assert '<a href="https://a.example/x"' in cell
    assert render_cell(row=None, value="plain text", column="summary", datasette=datasette) is None
    linked = render_cell(row=None, value='<b>"x"</b>', column="event_id", datasette=datasette)
    assert "<b>" not in linked and "&lt;b&gt;" in linked


def test_faceted_events_table_and_the_event_row_page(data, datasette):
    html = get(datasette, "/kb/events").text
    for facet in ("action · stage", "status", "tool_id", "jurisdiction_id", "year", "reasons"):
        assert f'data-column="{facet}"' in html, facet
    facets = json.loads(get(datasette, "/kb/events.json").text)["facet_results"]
    # A ban facet never silently includes the bill: the pairs are counted apart, and selecting one
    # filters on both columns.
    pairs = {v["value"]: v for v in facets["action · stage"]["results"]}
    with sqlite3.connect(f"{(data / 'kb.db').as_uri()}?mode=ro", uri=True) as conn:
        counts = dict(conn.execute("select stage, count(*) from events where action = 'ban' group by stage"))
    assert pairs["ban · enacted"]["count"] == counts["enacted"] and pairs["ban · proposed"]["count"] == counts["proposed"] == 1
    assert "action=ban" in pairs["ban · enacted"]["toggle_url"] and "stage=enacted" in pairs["ban · enacted"]["toggle_url"]
    statuses = {v["value"]: v["count"] for v in facets["status"]["results"]}
    assert statuses == {"machine": 11, "verified": 1, "needs_review": 1}
    assert 'class="banwatch-stage banwatch-stage-proposed">· proposed</span>' in html
    # The list facet counts what Datasette's array facet counts.
    reasons = {v["value"]: v["count"] for v in facets["reasons"]["results"]}
    array = json.loads(get(datasette, "/kb/events.json?_facet_array=reasons").text)["facet_results"]
    assert reasons == {v["value"]: v["count"] for v in array["reasons"]["results"]}
    assert reasons["national_security"] == 7 and facets["reasons"]["type"] == "list"
    selected = json.loads(get(datasette, "/kb/events.json?reasons__arraycontains=cybersecurity").text)
    assert [r[0] for r in selected["rows"]] == ["tw-moda--deepseek--ban--2025-01"]
    row = get(datasette, f"/kb/events/{NAVY_EVENT}").text
    assert f'href="/-/event/{NAVY_EVENT}"' in row and "Open the event page" in row
    assert_inert(row)
    assert_inert(get(datasette, "/kb/documents").text)
    assert_inert(get(datasette, "/kb/event_sources").text)


def test_atom_feed_of_new_events(datasette):
    response = get(datasette, "/kb/new_events.atom")
    assert response.status_code == 200
    feed = feedparser.parse(response.text)
    assert not feed.bozo and feed.feed.title == "banwatch: new events (Atom feed)"
    assert len(feed.entries) == 12  # published events only: the one that needs review is not announced
    navy = next(e for e in feed.entries if e.id == f"urn:banwatch:event:{NAVY_EVENT}")
    # The entry links its event page, says its status and lists its sources.
    assert navy.link == f"/-/event/{NAVY_EVENT}" and navy.title.startswith("[machine-read] ")
    content = navy.content[0].value
    assert f'<a href="{NAVY}">' in content and "machine-read (confidence 0.80), not checked by a person" in content
    assert "<svg" not in response.text and "<script" not in response.text


# datasette-ics serialises with str(Calendar), which the ics package warns will change in 0.9.
@pytest.mark.filterwarnings("ignore:Behaviour of str\\(Component\\):FutureWarning")
def test_icalendar_feed(datasette):
    response = get(datasette, "/kb/calendar.ics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/calendar")
    events = {e.uid: e for e in Calendar(response.text).events}
    assert len(events) == 11
    assert events[f"{NASA_EVENT}@banwatch"].begin.date().isoformat() == "2025-01-31"


def test_export_routes_serve_the_cli_files(data, datasette):
    for extension, fmt in (("json", "json"), ("csv", "csv"), ("timelinejs.json", "timelinejs"),
                           ("timelinejs.csv", "timelinejs-csv"), ("md", "markdown")):
        response = get(datasette, f"/-/export/timeline.{extension}?tool=deepseek&since=2025-02")
        assert response.status_code == 200, extension
        # The site links its event pages in full (the CLI takes --base-url for the same).
        assert response.text == export_timeline(data, fmt, tool=["deepseek"], since="2025-02",
                                                base_url="http://localhost"), extension
        assert response.headers["access-control-allow-origin"] == "*"
    ics = get(datasette, "/-/export/timeline.ics?jurisdiction=it")
    assert {e.uid for e in Calendar(ics.text).events} == {
        "it-garante--chatgpt--suspend--2023-03@banwatch", "it-garante--chatgpt--lift--2023-04@banwatch"}
    assert 'filename="banwatch-timeline.ics"' in ics.headers["content-disposition"]
    bad = get(datasette, "/-/export/timeline.csv?action=prohibit")
    assert bad.status_code == 400 and "unknown action 'prohibit'" in bad.text


def test_graph_exports(datasette):
    gexf = get(datasette, "/-/export/graph.gexf")
    assert gexf.status_code == 200 and "<gexf" in gexf.text and "agency:nasa" in gexf.text
    graph = json.loads(get(datasette, "/-/export/graph.json").text)
    assert any(n["id"] == "tool:deepseek" for n in graph["nodes"])


def test_search_lists_events_first_with_the_match_highlighted(datasette):
    html = get(datasette, "/-/search?q=sailors").text
    assert 'class="banwatch-tabs"' in html  # the site's layout
    events = html.index("<h2>Events")
    assert cards(html) == [NAVY_EVENT]
    assert "<mark>sailors</mark>" in html and html.index("<mark>sailors</mark>") > events
    assert_inert(html)  # the snippet is the hostile evidence: escaped, only <mark> is markup
    found = get(datasette, "/-/search?q=downloads").text
    assert cards(found) == ["kr-pipc--deepseek--suspend--2025-02"]
    assert "Documents" in get(datasette, "/-/search?q=Italy").text
    # Words are terms, never FTS syntax; needs_review events only when asked for.
    assert get(datasette, '/-/search?q=%22NEAR(%29+OR+*').status_code == 200
    assert DOUBTFUL_EVENT not in get(datasette, "/-/search?q=rumour+Virginia").text
    assert DOUBTFUL_EVENT in get(datasette, "/-/search?q=Virginia&status=all").text


def test_timeline_pages_through_long_selections(datasette, monkeypatch):
    from publish.datasette_plugin import pages

    monkeypatch.setattr(pages, "PAGE_SIZE", 4)
    first = get(datasette, "/-/timeline?tool=deepseek").text
    assert len(re.findall(r'class="banwatch-measure-title"', first)) == 4
    assert "Measures 1–4 of 9." in first and 'href="?tool=deepseek&amp;page=2"' in first
    second = get(datasette, "/-/timeline?tool=deepseek&page=2").text
    titles = re.findall(r'<a href="/-/event/([^"]+)">', second)
    assert "Measures 5–8 of 9." in second and 'href="?tool=deepseek"' in second  # back to page 1
    assert "us-ny-government--deepseek--ban--2025-02" in titles and NAVY_EVENT not in titles
    last = get(datasette, "/-/timeline?tool=deepseek&page=3").text  # the page where the dated run out
    titles = cards(last)
    assert titles == ["jp-government--deepseek--warn--undated"] and "later →" not in last


def test_graph_keeps_the_strongest_links_when_there_are_too_many(datasette, monkeypatch):
    from publish.datasette_plugin import pages

    monkeypatch.setattr(pages, "MAX_GRAPH_LINKS", 3)
    html = get(datasette, "/-/graph").text
    assert "Showing the 3 strongest of 11 agency–tool links" in html
    edges = [e["data"] for e in graph_data(html)["elements"] if e["data"].get("kind") == "acted_on"]
    assert len(edges) == 3 and ("agency:it-garante", "tool:chatgpt") in {(e["source"], e["target"]) for e in edges}


def test_month_groups_place_month_year_and_undated_events():
    from publish.datasette_plugin.pages import group_by_month

    items = [{"date": "2024-03-05", "date_precision": "day"}, {"date": "2024-03", "date_precision": "month"},
             {"date": "2024", "date_precision": "year"}, {"date": None, "date_precision": None}]
    sections = group_by_month(items)
    assert [s["year"] for s in sections] == ["2024", "Undated"]
    assert [m["label"] for m in sections[0]["months"]] == ["March 2024", "2024 (month unknown)"]
    assert len(sections[0]["months"][0]["items"]) == 2 and sections[1]["months"][0]["label"] == "Date unknown"


def test_the_list_facet_survives_a_value_that_is_not_json(data, tmp_path):
    copy = tmp_path / "data"
    copy.mkdir()
    shutil.copy(data / "kb.db", copy / "kb.db")
    with sqlite3.connect(copy / "kb.db") as conn:
        conn.execute("update events set reasons = 'national security, surely' where id = ?", [NASA_EVENT])
        expected = conn.execute("select count(*) from events where json_valid(reasons) "
                                "and reasons like '%national_security%'").fetchone()[0]
    facets = json.loads(get(make_datasette(copy), "/kb/events.json").text)["facet_results"]
    assert {v["value"]: v["count"] for v in facets["reasons"]["results"]}["national_security"] == expected


def test_a_page_over_the_time_limit_says_so(data):
    from datasette.views.base import DatasetteError

    from publish.datasette_plugin.pages import read

    hurried = make_datasette(data, settings={"sql_time_limit_ms": 100})
    runaway = "with recursive n(i) as (select 1 union all select i + 1 from n) select count(*) from n"
    with pytest.raises(DatasetteError, match="took longer than the 100 ms time limit") as raised:
        asyncio.run(read(hurried, lambda conn: conn.execute(runaway).fetchall()))
    assert raised.value.status == 400
