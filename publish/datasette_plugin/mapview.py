"""/-/map: which countries (and US states, Canadian provinces, Australian states) acted on a tool.

Each region is coloured by the strongest enacted measure taken there (ban > suspend > restrict >
investigate > warn > lift) by the month the slider (or `?until=YYYY-MM`) names, and links to its
jurisdiction's page listing those measures. A country is coloured by national measures; the states
and provinces drawn on top by their own; a country whose only measures are those of a place not
drawn (a prefecture, a German state) is hatched "sub-national only". Measures of companies,
universities and supranational bodies are listed, not painted on a country. Published events only
(verified, machine-read), as everywhere.

The geometry (static/vendor/regions-50m.json) is Natural Earth 1:50m, made by make_regions.py; the
page is inline SVG, drawn by the server, so it works without scripts; static/map.js only moves
the time slider.
"""
import calendar
import functools
import json
from pathlib import Path

from banwatch.errors import BanwatchError
from banwatch.vocab import NOT_DIFFUSING_TYPES
from publish.datasette_plugin.pages import (
    ACTION_COLORS,
    canonical_args,
    entity_url,
    event_url,
    filter_args,
    filter_options,
    query_string,
    read,
    render,
)
from publish.export import parse_date_bound, resolve_filters

GEOMETRY = Path(__file__).resolve().parent / "static" / "vendor" / "regions-50m.json"
STRENGTH = ("ban", "suspend", "restrict", "investigate", "warn", "lift")


@functools.lru_cache(maxsize=1)
def geometry():
    return json.loads(GEOMETRY.read_text(encoding="utf-8"))


def strongest(actions):
    return min(actions, key=STRENGTH.index) if actions else None


def read_map(conn, args):
    filters = resolve_filters(conn, tool=args.get("tool"), action=args.get("action"),
                              stage=args.get("stage") or ["enacted"], status=args.get("status"))
    where, params = filters.where()
    rows = conn.execute(f"""
        select e.id, e.action, e.stage, e.date, e.date_precision, e.date_start, e.date_end,
               j.id, j.name, j.type, j.iso, c.id, c.name, c.iso, a.type, a.name, t.name
        from events e join agencies a on a.id = e.agency_id join tools t on t.id = e.tool_id
        left join jurisdictions j on j.id = e.jurisdiction_id left join jurisdictions c on c.id = e.country_id
        where {where} order by e.date_start is null, e.date_start, e.id""", params).fetchall()
    return {"rows": rows, "filters": filters, "options": filter_options(conn)}


def place(row, regions):
    """(region code, jurisdiction id, jurisdiction name, national?) of an event, or None when not mappable."""
    (_, _, _, _, _, _, _, j_id, j_name, j_type, j_iso, c_id, c_name, c_iso, agency_type, _, _) = row
    if agency_type in NOT_DIFFUSING_TYPES or j_type == "supranational":
        return None
    if j_iso and j_iso in regions and j_type != "country":
        return j_iso, j_id, j_name, True
    if c_iso and c_iso in regions:
        return c_iso, c_id, c_name, j_id == c_id or j_type == "country"
    return None


def build_map(rows, until):
    regions = geometry()["regions"]
    by_region, elsewhere, months = {}, [], set()
    for row in rows:
        event_id, action, stage, date, precision, start, end = row[:7]
        if start:
            months.add(start[:7])
        where = place(row, regions)
        record = {"id": event_id, "action": action, "start": start, "end": end, "date": date,
                  "agency": row[15], "tool": row[16], "stage": stage}
        if not where:
            elsewhere.append({**record, "where": row[8] or row[12] or "", "kind": row[14]})
            continue
        code, jurisdiction_id, name, national = where
        entry = by_region.setdefault(code, {"jurisdiction_id": jurisdiction_id, "name": name, "events": [],
                                            "subnational": []})
        (entry["events"] if national else entry["subnational"]).append(record)
    paint = {}
    for code, entry in by_region.items():
        shown = [e for e in entry["events"] if not until or (e["start"] and e["start"] <= until)]
        hidden = [e for e in entry["subnational"] if not until or (e["start"] and e["start"] <= until)]
        action = strongest([e["action"] for e in shown])
        paint[code] = {"action": action, "color": ACTION_COLORS.get(action) if action else None,
                       "subnational": bool(hidden) and not action, "n": len(shown) + len(hidden)}
    return by_region, paint, elsewhere, sorted(months)


async def map_page(datasette, request):
    args = {k: v for k, v in filter_args(request).items() if k in ("tool", "action", "stage", "status")}
    until_arg = (request.args.get("until") or "").strip()
    error = None
    try:
        until = parse_date_bound(until_arg, "until", end=True) if until_arg else None
    except BanwatchError as e:
        until, error = None, str(e)

    def work(conn):
        try:
            return read_map(conn, args)
        except BanwatchError as e:
            return {"error": str(e), "options": filter_options(conn)}

    data = await read(datasette, work)
    error = error or data.get("error")
    context = {"title": "Map of measures", "args": args, "until": until_arg, "options": data["options"],
               "error": error, "action_colors": ACTION_COLORS, "strength": STRENGTH,
               "map_js": datasette.urls.static_plugins("banwatch", "map.js")}
    if error:
        return await render(datasette, request, "banwatch_map.html", context, status=400)
    args = canonical_args(args, data["filters"])
    by_region, paint, elsewhere, months = build_map(data["rows"], until)
    geo = geometry()
    regions = []
    for code, region in geo["regions"].items():
        entry = by_region.get(code)
        painted = paint.get(code, {})
        regions.append({
            "code": code, "name": entry["name"] if entry else region["name"], "kind": region["kind"], "d": region["d"],
            "subdivision": "parent" in region, "color": painted.get("color"), "action": painted.get("action"),
            "subnational": painted.get("subnational"), "n": painted.get("n", 0),
            "href": entity_url(datasette, "jurisdiction", entry["jurisdiction_id"]) if entry else None,
        })
    # Countries first, their states and provinces on top.
    regions.sort(key=lambda r: (r["subdivision"], r["code"]))
    data_js = {code: {"name": entry["name"],
                      "events": [[e["start"], e["action"]] for e in entry["events"] if e["start"]],
                      "sub": [[e["start"], e["action"]] for e in entry["subnational"] if e["start"]]}
               for code, entry in by_region.items()}
    listing = sorted(({"code": code, "name": entry["name"], "href": entity_url(datasette, "jurisdiction", entry["jurisdiction_id"]),
                       "action": paint[code]["action"], "n": paint[code]["n"],
                       "events": [{**e, "url": event_url(datasette, e["id"])} for e in entry["events"] + entry["subnational"]
                                  if not until or (e["start"] and e["start"] <= until)]}
                      for code, entry in by_region.items() if paint[code]["n"]),
                     key=lambda r: (STRENGTH.index(r["action"]) if r["action"] else 99, r["name"]))
    context.update({
        "args": args, "described": data["filters"].describe(), "geo": {"width": geo["width"], "height": geo["height"]},
        "regions": regions, "listing": listing,
        "elsewhere": [{**e, "url": event_url(datasette, e["id"])} for e in elsewhere
                      if not until or (e["start"] and e["start"] <= until)],
        "months": months, "month_labels": [f"{calendar.month_abbr[int(m[5:])]} {m[:4]}" for m in months],
        "until_month": until[:7] if until else (months[-1] if months else ""),
        "map_data": {"regions": data_js, "colors": ACTION_COLORS, "strength": list(STRENGTH), "months": months},
        "timeline_href": datasette.urls.path("/-/timeline") + ("?" + query_string(args) if args else ""),
        "source": geo.get("source"),
    })
    return await render(datasette, request, "banwatch_map.html", context)
