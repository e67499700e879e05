"""Entity pages: /-/agency/<id>, /-/jurisdiction/<id>, /-/tool/<id>, /-/vendor/<id>.

What a graph node or a name on a timeline card opens: the entity's name and place, and every measure
it took (an agency), was taken in it (a jurisdiction and those inside it), or on it (a tool, a
vendor's tools), as timeline cards with their status; a tool's page draws its diffusion curve. The
Datasette row stays one click away for the raw record.
"""
from urllib.parse import unquote

from datasette.utils.asgi import NotFound

from publish.datasette_plugin.pages import (
    ACTION_COLORS,
    entity_url,
    event_url,
    filter_args,
    group_by_month,
    query_string,
    read,
    render,
    row_url,
    timeline_item,
)
from publish.diffusion import diffusion_chart, diffusion_rows
from publish.export import fetch_rows, resolve_filters

ENTITIES = {  # kind -> (table, SQL for the entity's event ids: one parameter, the id)
    "agency": ("agencies", "select id from events where agency_id = ?"),
    "tool": ("tools", "select id from events where tool_id = ?"),
    "vendor": ("vendors", "select e.id from events e join tools t on t.id = e.tool_id where t.vendor_id = ?"),
    "jurisdiction": ("jurisdictions", """
        with recursive within(id) as (select ? union select j.id from jurisdictions j join within w on j.parent_id = w.id)
        select id from events where jurisdiction_id in (select id from within) or country_id in (select id from within)"""),
}
TITLES = {"agency": "Agency", "tool": "Tool", "vendor": "Vendor", "jurisdiction": "Jurisdiction"}


def read_entity(conn, kind, entity_id, args):
    table, ids_sql = ENTITIES[kind]
    cursor = conn.execute(f"select * from [{table}] where id = ?", [entity_id])
    found = cursor.fetchone()
    if found is None:
        return None
    entity = dict(zip([d[0] for d in cursor.description], found))
    filters = resolve_filters(conn, status=args.get("status"))
    where, params = filters.where()
    ids = [r[0] for r in conn.execute(
        f"""select e.id from events e where e.id in ({ids_sql}) and {where}
            order by e.date_start is null, e.date_start, e.id""", [entity_id, *params])]
    rows = fetch_rows(conn, ids)
    hidden = conn.execute(f"select count(*) from events where id in ({ids_sql}) and status = 'needs_review'",
                          [entity_id]).fetchone()[0]
    facts = []
    for column, label, target in (("parent_id", "Part of", kind), ("jurisdiction_id", "Jurisdiction", "jurisdiction"),
                                  ("country_id", "Country", "jurisdiction"), ("vendor_id", "Made by", "vendor")):
        value = entity.get(column)
        if value and value != entity_id:
            name = conn.execute(f"select name from [{ENTITIES[target][0]}] where id = ?", [value]).fetchone()
            facts.append({"label": label, "kind": target, "id": value, "name": name[0] if name else value})
    inside = []
    if kind == "jurisdiction":
        inside = [dict(zip(("id", "name", "n"), r)) for r in conn.execute(
            "select id, name, n_events from jurisdictions where parent_id = ? and n_events > 0 order by name",
            [entity_id])]
    tools = [r[0] for r in conn.execute("select id from tools where vendor_id = ?", [entity_id])] \
        if kind == "vendor" else [entity_id] if kind == "tool" else []
    charts = []
    if tools:
        curves = diffusion_rows(conn, tools)
        charts = [c for c in (diffusion_chart(curves, t) for t in tools) if c]
    return {"entity": entity, "rows": rows, "facts": facts, "inside": inside, "hidden": hidden, "charts": charts,
            "filters": filters}


async def entity_page(datasette, request):
    kind = request.url_vars["kind"]
    entity_id = unquote(request.url_vars["entity_id"])
    args = {k: v for k, v in filter_args(request).items() if k == "status"}
    data = await read(datasette, lambda conn: read_entity(conn, kind, entity_id, args))
    if data is None:
        raise NotFound(f"No {kind} with ID {entity_id}")
    entity = data["entity"]
    items = [timeline_item(datasette, row) for row in data["rows"]]
    name = entity.get("name") or entity.get("label") or entity_id
    timeline_arg = {"agency": None, "vendor": None}.get(kind, kind)
    context = {
        "title": name, "kind": kind, "kind_title": TITLES[kind], "entity": entity, "entity_id": entity_id,
        "sections": group_by_month(items), "total": len(items), "hidden": data["hidden"],
        "facts": [{**f, "href": entity_url(datasette, f["kind"], f["id"])} for f in data["facts"]],
        "inside": [{**j, "href": entity_url(datasette, "jurisdiction", j["id"])} for j in data["inside"]],
        "row_href": row_url(datasette, kind, entity_id),
        "timeline_href": datasette.urls.path("/-/timeline") + "?" + query_string({timeline_arg: [entity_id]})
        if timeline_arg else None,
        "graph_href": datasette.urls.path("/-/graph") + "?" + query_string({timeline_arg: [entity_id]})
        if timeline_arg else None,
        "review_href": datasette.urls.path("/-/review"),
        "all_href": "?" + query_string({"status": ["all"]}), "showing_all": bool(args.get("status")),
        "charts": [{**c, "csv_href": datasette.urls.path("/-/export/diffusion.csv") + "?" +
                    query_string({"tool": [c["tool_id"]]})} for c in data["charts"]],
        "action_colors": ACTION_COLORS, "event_url": lambda i: event_url(datasette, i),
        "aliases": entity.get("aliases"),
    }
    return await render(datasette, request, "banwatch_entity.html", context)
