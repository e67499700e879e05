"""The banwatch Datasette plugin: timeline, map, graph, entity and event pages, review, search, exports.

Registered through the `datasette` entry point in pyproject.toml (`banwatch = "publish.datasette_plugin"`).

    /-/timeline                  measures over time, filterable by tool, jurisdiction, action, stage, status, dates;
                                 the diffusion curve of the tool chosen
    /-/map                       which countries and states acted on a tool, coloured by their strongest measure
    /-/graph                     the interactive network (cytoscape.js, vendored in static/vendor)
    /-/event/<id>                one event: its status, all its sources and their evidence side by side
    /-/agency/<id>, /-/jurisdiction/<id>, /-/tool/<id>, /-/vendor/<id>   an entity and its measures
    /-/review                    events that need review, their evidence and the curation YAML to settle them
    /-/search                    events first, then sources' evidence and documents, matches highlighted
    /-/export/                   every export and feed, with the filters each takes
    /-/export/timeline.<format>  json, csv, timelinejs.json, timelinejs.csv, ics, md (publish.export)
    /-/export/diffusion.csv      the diffusion curves (publish.diffusion)
    /-/export/graph.<format>     graphml, gexf, json (publish.export.export_graph)

By default every page, feed and export shows verified and machine-read events (status) and leaves
the ones that need review to /-/review. Templates and static files live in this package; nothing
is fetched from another host. Scraped values reach pages only through Jinja autoescaping (or
markupsafe.escape here), JSON only through |tojson, and links only for http(s) URLs. Every
connection Datasette opens gets the limits of publish.datasette_plugin.limits.
"""
import json
from urllib.parse import quote, urlsplit

from datasette import hookimpl
from markupsafe import Markup

from publish.datasette_plugin import entities, mapview, pages, review, search
from publish.datasette_plugin.facets import ActionStageFacet, ListFacet
from publish.datasette_plugin.limits import limit_connection
from publish.sentences import STATUS_LABELS, STATUS_NOTES

PLUGIN = "banwatch"
# Columns whose values are event IDs (or JSON lists of them) in tables, views and canned queries.
EVENT_ID_COLUMNS = {"event_id", "new_id", "follower_event_id", "leader_event_id"}
EVENT_ID_LIST_COLUMNS = {"event_ids", "example_events"}
URL_LIST_COLUMNS = {"sources", "source_urls"}


# tryfirst: these routes come before those of other plugins (datasette-search-all's /-/search).
@hookimpl(tryfirst=True)
def register_routes():
    return [
        (r"^/-/timeline$", pages.timeline),
        (r"^/-/map$", mapview.map_page),
        (r"^/-/graph$", pages.graph),
        (r"^/-/review$", review.review_page),
        (r"^/-/search$", search.search_page),
        (r"^/-/event/?$", pages.event_index),
        (r"^/-/event/(?P<event_id>[^/]+)$", pages.event),
        (r"^/-/(?P<kind>agency|jurisdiction|tool|vendor)/(?P<entity_id>[^/]+)$", entities.entity_page),
        (r"^/-/export/?$", pages.export_index),
        (r"^/-/export/timeline\.(?P<format>json|csv|timelinejs\.json|timelinejs\.csv|ics|md)$",
         pages.export_timeline),
        (r"^/-/export/diffusion\.csv$", pages.export_diffusion),
        (r"^/-/export/graph\.(?P<format>graphml|gexf|json)$", pages.export_graph),
    ]


@hookimpl
def prepare_connection(conn):
    limit_connection(conn)


@hookimpl
def register_facet_classes():
    return [ListFacet, ActionStageFacet]


@hookimpl
def menu_links(datasette):
    return [
        {"href": datasette.urls.path("/-/timeline"), "label": "Timeline of measures"},
        {"href": datasette.urls.path("/-/map"), "label": "Map"},
        {"href": datasette.urls.path("/-/graph"), "label": "Network graph"},
        {"href": datasette.urls.path("/-/review"), "label": "Events that need review"},
        {"href": datasette.urls.path("/-/export/"), "label": "Exports and feeds"},
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


def _plain(value):
    return value["value"] if isinstance(value, dict) and "value" in value else value


@hookimpl
def render_cell(row, value, column, datasette):
    """Event IDs link to their event page; JSON lists of URLs become lists of links; an action shows its
    stage ("ban · proposed"); a status reads as a label."""
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
    keys = row.keys() if row is not None and hasattr(row, "keys") else ()
    if column == "action" and "stage" in keys and isinstance(value, str):
        stage = _plain(row["stage"])
        if stage in ("enacted", "proposed"):
            return Markup('{} <span class="banwatch-stage banwatch-stage-{}">· {}</span>').format(value, stage, stage)
    if column == "status" and value in STATUS_LABELS and ("confidence" in keys or "event_id" in keys or "id" in keys):
        return Markup('<span class="banwatch-badge banwatch-status-{}" title="{}">{}</span>').format(
            value, STATUS_NOTES[value], STATUS_LABELS[value])
    return None
