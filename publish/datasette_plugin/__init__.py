"""The banwatch Datasette plugin: timeline, graph and event pages, exports, and links between them.

Registered through the `datasette` entry point in pyproject.toml (`banwatch = "publish.datasette_plugin"`).

    /-/timeline                  measures over time, filterable by tool, jurisdiction, action, stage, dates
    /-/graph                     the interactive network (cytoscape.js, vendored in static/vendor)
    /-/event/<id>                one event: all its sources and their evidence side by side, disagreements
    /-/export/timeline.<format>  json, csv, timelinejs.json, timelinejs.csv, ics, md (publish.export)
    /-/export/graph.<format>     graphml, gexf, json (publish.export.export_graph)

Templates and static files live in this package; nothing is fetched from another host. Scraped
values reach pages only through Jinja autoescaping (or markupsafe.escape here), JSON only through
|tojson, and links only for http(s) URLs.
"""
import json
from urllib.parse import quote, urlsplit

from datasette import hookimpl
from markupsafe import Markup

from publish.datasette_plugin import pages
from publish.datasette_plugin.facets import ListFacet

PLUGIN = "banwatch"
# Columns whose values are event IDs (or JSON lists of them) in tables, views and canned queries.
EVENT_ID_COLUMNS = {"event_id", "new_id"}
EVENT_ID_LIST_COLUMNS = {"event_ids", "example_events"}
URL_LIST_COLUMNS = {"sources", "source_urls"}


@hookimpl
def register_routes():
    return [
        (r"^/-/timeline$", pages.timeline),
        (r"^/-/graph$", pages.graph),
        (r"^/-/event/(?P<event_id>[^/]+)$", pages.event),
        (r"^/-/export/timeline\.(?P<format>json|csv|timelinejs\.json|timelinejs\.csv|ics|md)$",
         pages.export_timeline),
        (r"^/-/export/graph\.(?P<format>graphml|gexf|json)$", pages.export_graph),
    ]


@hookimpl
def register_facet_classes():
    return [ListFacet]


@hookimpl
def menu_links(datasette):
    return [
        {"href": datasette.urls.path("/-/timeline"), "label": "Timeline of measures"},
        {"href": datasette.urls.path("/-/graph"), "label": "Network graph"},
        {"href": datasette.urls.path("/-/timeline#exports"), "label": "Exports and feeds"},
    ]


@hookimpl
def extra_css_urls(datasette):
    return [datasette.urls.static_plugins(PLUGIN, "banwatch.css")]


def event_link(datasette, event_id, label=None):
    href = datasette.urls.path("/-/event/" + quote(str(event_id), safe=""))
    return Markup('<a href="{}">{}</a>').format(href, label if label is not None else event_id)


def _json_list(value):
    if not isinstance(value, str) or not value.startswith("["):
        return None
    try:
        parsed = json.loads(value)
    except ValueError:
        return None
    return parsed if isinstance(parsed, list) else None


@hookimpl
def render_cell(value, column, datasette):
    """Event IDs link to their event page; JSON lists of URLs become lists of links."""
    if column in EVENT_ID_COLUMNS and value:
        if isinstance(value, dict):  # a foreign key Datasette expanded to {"value", "label"}
            return event_link(datasette, value["value"], value.get("label") or value["value"])
        if isinstance(value, str):
            return event_link(datasette, value)
    if column in EVENT_ID_LIST_COLUMNS:
        ids = _json_list(value)
        if ids and all(isinstance(i, str) for i in ids):
            return Markup(", ").join(event_link(datasette, i) for i in ids)
    if column in URL_LIST_COLUMNS:
        urls = _json_list(value)
        if urls is not None and all(isinstance(u, str) for u in urls):
            items = [Markup('<li><a href="{}" title="{}">{}</a></li>').format(u, u, urlsplit(u).netloc or u)
                     if pages.is_http_url(u) else Markup("<li>{}</li>").format(u) for u in urls]
            return Markup('<ul class="banwatch-links">{}</ul>').format(Markup("").join(items))
    return None
