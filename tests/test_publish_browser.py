"""Datasette and the banwatch plugin in Debian's Chromium: what a visitor sees and clicks.

The server is a real `banwatch serve` on 127.0.0.1 over the sample kb.db, whose Navy report carries
<script>, onerror= and onload= payloads: no dialog may ever open, and the payloads show as text.
Screenshots go to tests/artifacts/.
"""
import json

import feedparser
import pytest
from ics import Calendar

from tests.support.browser import (
    HOSTILE_EVIDENCE,
    HOSTILE_SCOPE,
    HOSTILE_TITLE,
    NASA_EVENT,
    NAVY_EVENT,
    launch_chromium,
    running_server,
    screenshot,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(sample_kb):
    with running_server(sample_kb) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh page that records every dialog and script error; the test fails if any happened."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.dialogs, page.errors = [], []

    def on_dialog(dialog):
        page.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.set_default_timeout(15000)
    yield page
    assert page.dialogs == [], f"a scraped payload ran: {page.dialogs}"
    assert page.errors == [], f"script errors: {page.errors}"
    context.close()


def test_home_page(server, page):
    page.goto(server + "/")
    assert "banwatch" in page.title()
    assert page.get_by_role("link", name="Timeline", exact=True).is_visible()
    assert page.get_by_text("reconstructions of real reports").is_visible()
    screenshot(page, "home")
    page.get_by_role("link", name="Timeline", exact=True).click()
    page.wait_for_url("**/-/timeline")


def test_faceted_events_table(server, page):
    page.goto(server + "/kb/events")
    facet = page.locator('.facet-info[data-column="action"]')
    assert facet.is_visible()
    screenshot(page, "events-table")
    facet.get_by_role("link", name="ban").first.click()
    page.wait_for_url("**action=ban**")
    assert "7 rows" in page.locator("h3").first.inner_text()
    screenshot(page, "events-table-ban")


def test_timeline_filter_and_open_an_event(server, page):
    page.goto(server + "/-/timeline")
    assert page.locator(".banwatch-measure").count() == 12
    assert page.locator("figure.banwatch-chart svg rect").count() > 5
    screenshot(page, "timeline")
    page.select_option('select[name="tool"]', "deepseek")
    page.select_option('select[name="jurisdiction"]', "us")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**tool=deepseek**")
    assert page.locator(".banwatch-measure").count() == 5
    assert "action=" not in page.url  # empty fields stay out of the address
    assert page.get_by_text("Scope: " + HOSTILE_SCOPE).is_visible()
    screenshot(page, "timeline-deepseek-us")
    page.get_by_role("link", name="NASA bans DeepSeek").click()
    page.wait_for_url(f"**/-/event/{NASA_EVENT}")
    assert page.get_by_role("heading", name="Where the sources disagree").is_visible()


def test_event_page_with_sources_side_by_side(server, page):
    page.goto(f"{server}/-/event/{NASA_EVENT}")
    cards = page.locator("article.banwatch-source")
    assert cards.count() == 2
    first, second = cards.nth(0).bounding_box(), cards.nth(1).bounding_box()
    assert abs(first["y"] - second["y"]) < 2 and second["x"] > first["x"] + first["width"] - 1  # side by side
    assert page.locator(".banwatch-differs", has_text="2025-02-03").is_visible()
    screenshot(page, "event-nasa")


def test_script_injection_shows_as_text(server, page):
    page.goto(f"{server}/-/event/{NAVY_EVENT}")
    assert page.get_by_text(HOSTILE_TITLE).is_visible()
    assert page.get_by_text(HOSTILE_EVIDENCE).is_visible()
    assert page.locator("img[src=x], svg[onload]").count() == 0
    screenshot(page, "event-navy-injection")
    page.goto(server + "/kb/documents")
    assert page.get_by_text(HOSTILE_TITLE).first.is_visible()
    page.goto(f"{server}/kb/events/{NAVY_EVENT}")
    assert page.get_by_text(HOSTILE_SCOPE).first.is_visible()
    page.goto(server + "/kb/new_events")
    assert page.get_by_text(HOSTILE_SCOPE).first.is_visible()


def test_graph_click_a_node_to_land_on_its_row(server, page):
    page.goto(server + "/-/graph")
    page.wait_for_selector("body[data-graph-ready='1']")
    assert page.evaluate("window.banwatchGraph.nodes().length") > 10
    canvas = page.locator("#banwatch-graph")
    canvas.scroll_into_view_if_needed()
    screenshot(page, "graph")
    point = page.evaluate("""() => {
        const node = window.banwatchGraph.getElementById('tool:deepseek');
        const box = document.getElementById('banwatch-graph').getBoundingClientRect();
        const p = node.renderedPosition();
        return {x: box.left + p.x, y: box.top + p.y};
    }""")
    page.mouse.move(point["x"], point["y"])
    assert "DeepSeek (tool)" in page.locator("#banwatch-graph-hover").inner_text()
    page.mouse.click(point["x"], point["y"])
    page.wait_for_url("**/kb/tools/deepseek")
    assert page.locator("h1").inner_text().startswith("tools: deepseek")


def test_graph_filtered_to_one_tool(server, page):
    page.goto(server + "/-/graph?tool=chatgpt&kind=agency&kind=tool&kind=jurisdiction&kind=reason")
    page.wait_for_selector("body[data-graph-ready='1']")
    labels = set(page.evaluate("window.banwatchGraph.nodes().map(n => n.data('label'))"))
    assert {"ChatGPT", "Garante per la protezione dei dati personali", "Italy", "Data privacy"} <= labels
    assert "DeepSeek" not in labels
    screenshot(page, "graph-chatgpt")


def test_search_across_tables(server, page):
    page.goto(server + "/-/search?q=sailors")
    results = page.locator("#search-all-results table")
    results.first.wait_for()
    assert page.get_by_text(HOSTILE_EVIDENCE).first.is_visible()
    screenshot(page, "search")


def test_feeds_parse(server, page):
    atom = page.request.get(server + "/kb/new_events.atom")
    assert atom.ok
    feed = feedparser.parse(atom.text())
    assert not feed.bozo and len(feed.entries) == 12
    calendar = page.request.get(server + "/kb/calendar.ics")
    assert calendar.ok and len(Calendar(calendar.text()).events) == 11
    export = page.request.get(server + "/-/export/timeline.json?tool=deepseek")
    assert len(json.loads(export.text())) == 9
