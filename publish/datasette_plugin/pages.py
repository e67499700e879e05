"""The plugin's pages: timeline, graph, event, and the export endpoints.

Each handler reads kb.db in one function run on Datasette's read connection (execute_fn) under
the instance's SQL time limit, then renders a template of this package. Queries shared with the
CLI exports (filters, the timeline rows) come from publish.export.
"""
import asyncio
import calendar
import json
import sqlite3
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import quote, unquote, urlencode, urlsplit

from datasette.utils import sqlite_timelimit, tilde_encode
from datasette.utils.asgi import NotFound, Response
from datasette.views.base import DatasetteError

from banwatch.errors import BanwatchError
from banwatch.kbdb import ACTIONS, STAGES
from banwatch.vocab import DIFFUSION_ACTIONS, PUBLISHED_STATUSES
from publish.diffusion import diffusion_chart, diffusion_csv, diffusion_rows
from publish.export import (
    DEFAULT_STATUSES,
    TIMELINE_SELECT,
    fetch_source_documents,
    fetch_timeline,
    headline,
    is_http_url,
    render_timeline,
    resolve_filters,
    status_sentence,
    timeline_record,
)
from publish.sentences import date_note, display_date, status_label, status_note

DATABASE = "kb"
PAGE_SIZE = 100
FILTER_NAMES = ("tool", "jurisdiction", "action", "stage", "status", "since", "until")
# A page number past this is no page (and would overflow SQLite's integers).
MAX_PAGE = 1_000_000
EXPORTS = {  # URL extension -> (publish.export format, content type, download?)
    "json": ("json", "application/json; charset=utf-8", False),
    "csv": ("csv", "text/csv; charset=utf-8", True),
    "timelinejs.json": ("timelinejs", "application/json; charset=utf-8", False),
    "timelinejs.csv": ("timelinejs-csv", "text/csv; charset=utf-8", True),
    "ics": ("ics", "text/calendar; charset=utf-8", True),
    "md": ("markdown", "text/markdown; charset=utf-8", True),
}
EXPORT_LABELS = {"csv": "CSV", "json": "JSON", "timelinejs.json": "TimelineJS", "timelinejs.csv": "TimelineJS sheet",
                 "ics": "Calendar (ICS)", "md": "Markdown"}
GRAPH_KINDS = ("agency", "jurisdiction", "tool", "vendor", "reason", "document")
DEFAULT_GRAPH_KINDS = ("agency", "jurisdiction", "tool", "vendor")
# The browser lays out a few thousand elements in seconds; beyond that the strongest links are kept.
MAX_GRAPH_LINKS = 1500
# Node kind -> the table its rows live in (also the plural the page shows).
GRAPH_TABLES = {"agency": "agencies", "jurisdiction": "jurisdictions", "tool": "tools", "vendor": "vendors",
                "reason": "reasons", "document": "documents"}
# Kinds with an entity page (/-/agency/<id>, ...) listing their measures; the others open their row.
ENTITY_KINDS = ("agency", "jurisdiction", "tool", "vendor")


def kb_database(datasette):
    try:
        return datasette.get_database(DATABASE)
    except KeyError:
        return datasette.get_database()


async def read(datasette, fn):
    """Run fn(conn) on kb.db's read connection under the SQL time limit (a clear 400 when it runs out)."""
    limit = datasette.setting("sql_time_limit_ms")

    def run(conn):
        with sqlite_timelimit(conn, limit):
            return fn(conn)

    try:
        return await kb_database(datasette).execute_fn(run)
    except sqlite3.OperationalError as e:
        if e.args != ("interrupted",):
            raise
        raise DatasetteError(f"This page took longer than the {limit} ms time limit: narrow the filters "
                             "(a tool, a jurisdiction or a date range).", status=400) from None


def filter_args(request):
    """The filter parameters of a request: lists for the repeatable ones, blank values dropped."""
    args = {}
    for name in ("tool", "jurisdiction", "action", "stage", "status"):
        values = [v.strip() for v in request.args.getlist(name) if v.strip()]
        if values:
            args[name] = values
    for name in ("since", "until"):
        value = (request.args.get(name) or "").strip()
        if value:
            args[name] = value
    return args


def query_string(args, **changes):
    merged = {**args, **changes}
    return urlencode({k: v for k, v in merged.items() if v not in (None, "", [])}, doseq=True)


def row_url(datasette, kind, ref_id):
    """The Datasette row page of an entity (kind as in graph_nodes) or a document URL."""
    table = GRAPH_TABLES[kind]
    return datasette.urls.row(kb_database(datasette).name, table, tilde_encode(str(ref_id)))


def entity_url(datasette, kind, ref_id):
    """The page of an agency, jurisdiction, tool or vendor listing its measures; other kinds' rows."""
    if kind in ENTITY_KINDS:
        return datasette.urls.path(f"/-/{kind}/" + quote(str(ref_id), safe=""))
    return row_url(datasette, kind, ref_id)


def page_number(request):
    """?page= as a page number from 1 to MAX_PAGE (anything else is page 1 or the last possible)."""
    try:
        page = int(request.args.get("page") or 1)
    except ValueError:
        return 1
    return min(max(1, page), MAX_PAGE)


def event_url(datasette, event_id):
    return datasette.urls.path("/-/event/" + quote(str(event_id), safe=""))


def safe_href(url):
    """The URL itself when it is http(s); None otherwise (a javascript: URL must never become a link)."""
    return url if is_http_url(url) else None


def site_of(url):
    return urlsplit(str(url)).netloc or str(url)


async def render(datasette, request, template, context, status=200):
    # The footer shows the licence and source from metadata, as on Datasette's own pages.
    context = {"metadata": datasette.metadata(), **context}
    html = await datasette.render_template(template, context, request=request)
    return Response.html(html, status=status)


def error_page(datasette, request, message, status):
    return render(datasette, request, "banwatch_message.html", {"message": message, "title": "banwatch"}, status)


# -- timeline -----------------------------------------------------------------------------------

ACTION_COLORS = {"ban": "#c0392b", "restrict": "#e67e22", "suspend": "#d4a017", "lift": "#27ae60",
                 "investigate": "#2c7bb6", "warn": "#7f8c8d"}
MIN_CHART_MONTHS = 12


def month_histogram(conn, filters, args):
    """Bars per month (stacked by action) for the timeline's chart; year-only dates cannot be placed."""
    where, params = filters.where()
    rows = conn.execute(
        f"""select substr(e.date_start, 1, 7) as month, e.action, count(*)
            from events e
            where {where} and e.date_start is not null and e.date_precision in ('day', 'month')
            group by month, e.action""", params).fetchall()
    if not rows:
        return None
    counts = defaultdict(Counter)
    for month, action, n in rows:
        counts[month][action] += n
    first, last = min(counts), max(counts)
    # At least a year of months, so one or two months of measures do not become two giant bars.
    year, month = int(last[:4]), int(last[5:7]) - (MIN_CHART_MONTHS - 1)
    while month < 1:
        year, month = year - 1, month + 12
    first = min(first, f"{year:04d}-{month:02d}")
    months = []
    year, month = int(first[:4]), int(first[5:7])
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    peak = max(sum(c.values()) for c in counts.values())
    width, height, gap = 1000, 120, 2
    bar = width / len(months)
    bars = []
    for i, key in enumerate(months):
        total = sum(counts[key].values())
        y = height
        segments = []
        for action in ACTIONS:
            n = counts[key].get(action, 0)
            if not n:
                continue
            h = max(1.0, (height - 4) * n / peak)
            y -= h
            segments.append({"y": round(y, 2), "h": round(h, 2), "color": ACTION_COLORS[action], "action": action,
                             "n": n})
        y_, m_ = int(key[:4]), int(key[5:])
        bars.append({
            "x": round(i * bar + gap / 2, 2), "w": round(max(1.0, bar - gap), 2), "segments": segments,
            "total": total, "label": f"{calendar.month_name[m_]} {y_}",
            "href": "?" + query_string(args, since=key, until=key),
            "year_label": str(y_) if (m_ == 1 or i == 0) else None,
        })
    return {"bars": bars, "width": width, "height": height, "peak": peak}


def timeline_item(datasette, row):
    record = timeline_record(row)
    return {
        **record,
        "headline": headline(row),
        "display_date": display_date(row),
        "date_note": date_note(row),
        "date_start": row.get("date_start"),
        "status_label": status_label(row),
        "status_note": status_note(row),
        "status_sentence": status_sentence(row),
        "event_url": event_url(datasette, row["event_id"]),
        "agency_url": entity_url(datasette, "agency", row["agency_id"]),
        "tool_url": entity_url(datasette, "tool", row["tool_id"]),
        "jurisdiction_url": entity_url(datasette, "jurisdiction", row["jurisdiction_id"]) if row["jurisdiction_id"] else None,
        "reasons_text": ", ".join(r.replace("_", " ") for r in record["reasons"]),
        "color": ACTION_COLORS.get(row["action"], "#555"),
    }


def group_by_month(items):
    """[{"year", "months": [{"label", "anchor", "items"}]}] in order; undated last."""
    sections = []
    for item in items:
        date = item["date"]
        year = date[:4] if date else "Undated"
        if date and item["date_precision"] in ("day", "month"):
            key, label = date[:7], f"{calendar.month_name[int(date[5:7])]} {date[:4]}"
        elif date:
            key, label = date[:4], f"{date[:4]} (month unknown)"
        else:
            key, label = "undated", "Date unknown"
        if not sections or sections[-1]["year"] != year:
            sections.append({"year": year, "months": []})
        months = sections[-1]["months"]
        if not months or months[-1]["key"] != key:
            months.append({"key": key, "label": label, "anchor": f"m-{key}", "items": []})
        months[-1]["items"].append(item)
    return sections


def filter_options(conn):
    tools = [dict(zip(("id", "name", "n"), r)) for r in conn.execute(
        "select id, name, n_events from tools where n_events > 0 order by name collate nocase")]
    jurisdictions = [dict(zip(("id", "name", "type"), r)) for r in conn.execute(
        """select id, name, type from jurisdictions
           where n_events > 0 or id in (select country_id from events where country_id is not null)
           order by name collate nocase""")]
    return {"tools": tools, "jurisdictions": jurisdictions, "actions": ACTIONS, "stages": STAGES}


async def timeline(datasette, request):
    args = filter_args(request)
    page = page_number(request)

    def work(conn):
        error = None
        try:
            filters = resolve_filters(conn, **args)
        except BanwatchError as e:
            filters, error = None, str(e)
        options = filter_options(conn)
        if error:
            return {"error": error, "options": options}
        where, params = filters.where()
        total, undated = conn.execute(
            f"select count(*), sum(e.date_start is null) from events e where {where}", params).fetchone()
        rows = fetch_timeline(conn, filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
        span = conn.execute(
            f"""select (select e.date from events e where {where} and e.date_start is not null
                        order by e.date_start, e.id limit 1),
                       (select e.date from events e where {where} and e.date_start is not null
                        order by e.date_start desc, e.id desc limit 1)""", params * 2).fetchone()
        # The diffusion curve of the tool chosen, or of the tool most agencies acted on.
        tool_ids = filters.tools or [r[0] for r in conn.execute(
            f"""select tool_id from events where stage = 'enacted' and action in ({', '.join('?' * len(DIFFUSION_ACTIONS))})
               and status in ({', '.join('?' * len(PUBLISHED_STATUSES))}) and date_start is not null
               group by tool_id order by count(distinct agency_id) desc, tool_id limit 1""",
            (*DIFFUSION_ACTIONS, *PUBLISHED_STATUSES))]
        curves = diffusion_rows(conn, tool_ids[:3])
        return {"filters": filters, "total": total, "undated": undated or 0, "rows": rows, "options": options,
                "histogram": month_histogram(conn, filters, canonical_args(args, filters)), "span": span,
                "diffusion": [c for c in (diffusion_chart(curves, t) for t in tool_ids[:3]) if c],
                "n_review": conn.execute("select count(*) from events where status = 'needs_review'").fetchone()[0]}

    data = await read(datasette, work)
    if not data.get("error"):
        args = canonical_args(args, data["filters"])
    context = {"args": args, "options": data["options"], "error": data.get("error"),
               "action_colors": ACTION_COLORS, "page": page, "page_size": PAGE_SIZE,
               "exports": export_links(datasette, args),
               "feeds": {"atom": datasette.urls.path(f"/{DATABASE}/new_events.atom"),
                         "ics": datasette.urls.path(f"/{DATABASE}/calendar.ics")}}
    if data.get("error"):
        return await render(datasette, request, "banwatch_timeline.html", context, status=400)
    filters = data["filters"]
    items = [timeline_item(datasette, row) for row in data["rows"]]
    total = data["total"]
    graph_args = {k: v for k, v in args.items() if k in ("tool", "jurisdiction", "action")}
    context.update({
        "diffusion": [{**chart, "csv_href": datasette.urls.path("/-/export/diffusion.csv") + "?" +
                       query_string({"tool": [chart["tool_id"]]}),
                       "tool_href": entity_url(datasette, "tool", chart["tool_id"])} for chart in data["diffusion"]],
        "n_review": data["n_review"], "review_href": datasette.urls.path("/-/review"),
        "default_statuses": list(filters.statuses) == list(DEFAULT_STATUSES),
        "total": total, "undated": data["undated"], "span": data["span"], "sections": group_by_month(items),
        "histogram": data["histogram"], "described": filters.describe(),
        "chips": [{"label": filters.labels.get(value, value) if name in ("tool", "jurisdiction")
                   else f"{name} {value}" if name in ("since", "until")
                   else f"status: {value.replace('_', ' ')}" if name == "status" else value,
                   "href": "?" + query_string(without(args, name, value))}
                  for name in FILTER_NAMES for value in _values(args.get(name))],
        "first_shown": (page - 1) * PAGE_SIZE + 1 if items else 0,
        "last_shown": (page - 1) * PAGE_SIZE + len(items),
        "next_href": "?" + query_string(args, page=page + 1) if page * PAGE_SIZE < total else None,
        "previous_href": "?" + query_string(args, page=page - 1 if page > 2 else None) if page > 1 else None,
        "graph_href": datasette.urls.path("/-/graph") + ("?" + query_string(graph_args) if graph_args else ""),
    })
    return await render(datasette, request, "banwatch_timeline.html", context)


def canonical_args(args, filters):
    """The request's filters spelled as resolved ids and vocabulary, for links and the form."""
    statuses = None
    if filters.statuses != list(DEFAULT_STATUSES):
        statuses = ["all"] if len(filters.statuses) == 3 else filters.statuses
    canonical = {"tool": filters.tools, "jurisdiction": filters.jurisdictions, "action": filters.actions,
                 "stage": filters.stages, "status": statuses, "since": args.get("since"), "until": args.get("until")}
    return {k: v for k, v in canonical.items() if v}


def without(args, name, value):
    """args with one value of one filter removed."""
    changed = dict(args)
    if isinstance(changed.get(name), list):
        changed[name] = [v for v in changed[name] if v != value]
    else:
        changed.pop(name, None)
    return changed


def export_links(datasette, args):
    exports_query = query_string(args)
    return [{"label": EXPORT_LABELS[ext], "href": datasette.urls.path(f"/-/export/timeline.{ext}")
             + (f"?{exports_query}" if exports_query else "")} for ext in EXPORTS]


def _values(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


# -- event --------------------------------------------------------------------------------------

def _dates_compatible(reported, chosen):
    """A month or year report containing the chosen day (or the reverse) is not a disagreement."""
    if not reported or not chosen:
        return True
    return reported.startswith(chosen) or chosen.startswith(reported)


def read_event(conn, event_id):
    cursor = conn.execute(f"{TIMELINE_SELECT} where t.event_id = ?", [event_id])
    columns = [d[0] for d in cursor.description]
    found = cursor.fetchone()
    if found is None:
        redirect = conn.execute("select new_id, reason, since from event_redirects where old_id = ?",
                                [event_id]).fetchone()
        return {"redirect": dict(zip(("new_id", "reason", "since"), redirect)) if redirect else None}
    row = dict(zip(columns, found))
    extra = conn.execute(
        """select date_rule, date_end, curated_fields, curation_note, first_seen, updated_at, n_documents,
                  machine_id from events where id = ?""", [event_id]).fetchone()
    row.update(zip(("date_rule", "date_end", "curated_fields", "curation_note", "first_seen", "updated_at",
                    "n_documents", "machine_id"), extra))
    row["agency_parent"] = conn.execute(
        "select p.id, p.name from agencies a join agencies p on p.id = a.parent_id where a.id = ?",
        [row["agency_id"]]).fetchone()
    reasons = [dict(zip(("id", "label", "evidence", "n_sources", "curated"), r)) for r in conn.execute(
        """select r.reason_id, coalesce(x.label, r.reason_id), r.evidence, r.n_sources, r.curated
           from event_reasons r left join reasons x on x.id = r.reason_id
           where r.event_id = ? order by r.n_sources desc, r.reason_id""", [event_id])]
    cursor = conn.execute(
        """select s.*, d.title, d.site, d.published as document_published, d.kind as document_kind,
                  d.language as document_language, d.origin as document_origin
           from event_sources s left join documents d on d.url = s.document_url
           where s.event_id = ? and s.status = 'merged'
           order by coalesce(s.published, d.published) is null, coalesce(s.published, d.published),
                    s.document_url, s.idx""", [event_id])
    columns = [d[0] for d in cursor.description]
    sources = [dict(zip(columns, r)) for r in cursor.fetchall()]
    date_reports = [dict(zip(("reported_date", "reported_precision", "date_source", "n_sources", "sources",
                              "date_texts", "chosen"), r)) for r in conn.execute(
        """select reported_date, reported_precision, date_source, n_sources, sources, date_texts, chosen
           from date_reports where event_id = ? order by n_sources desc, reported_date""", [event_id])]
    nearby = [dict(zip(("event_id", "date", "date_precision", "agency", "action", "stage"), r)) for r in conn.execute(
        """select event_id, date, date_precision, agency, action, stage from timeline
           where tool_id = ? and event_id != ? and date_start is not null and status in ('verified', 'machine')
           order by abs(julianday(date_start) - julianday(coalesce(?, date_start))), event_id limit 8""",
        [row["tool_id"], event_id, row["date_start"]])]
    by_agency = [dict(zip(("event_id", "date", "tool", "action", "stage"), r)) for r in conn.execute(
        """select event_id, date, tool, action, stage from timeline
           where agency_id = ? and event_id != ? and status in ('verified', 'machine')
           order by date_start is null, date_start limit 8""",
        [row["agency_id"], event_id])]
    return {"row": row, "reasons": reasons, "sources": sources, "date_reports": date_reports,
            "nearby": nearby, "by_agency": by_agency}


def source_card(datasette, source, event):
    """One source's reading of the event, with what differs from the event marked."""
    reasons = _json(source.get("reasons"), [])
    reason_evidence = _json(source.get("reason_evidence"), {})
    date_differs = source.get("date_source") != "published" and not _dates_compatible(
        source.get("reported_date"), event["date"])
    return {
        **source,
        "href": safe_href(source["document_url"]),
        "site": source.get("site") or site_of(source["document_url"]),
        "published": source.get("published") or source.get("document_published"),
        "reasons_list": [{"id": r, "phrase": reason_evidence.get(r) if isinstance(reason_evidence, dict) else None}
                         for r in reasons] if isinstance(reasons, list) else [],
        "date_differs": date_differs,
        "action_differs": source.get("action") != event["action"],
        "stage_differs": source.get("stage") != event["stage"],
        "document_row": row_url(datasette, "document", source["document_url"]),
        "source_row": datasette.urls.row(kb_database(datasette).name, "event_sources",
                                         tilde_encode(str(source["id"]))),
    }


def _json(value, default):
    try:
        return json.loads(value) if value else default
    except (TypeError, ValueError):
        return default


async def event(datasette, request):
    event_id = unquote(request.url_vars["event_id"])
    data = await read(datasette, lambda conn: read_event(conn, event_id))
    if "row" not in data:
        redirect = data.get("redirect")
        if redirect and redirect["new_id"]:
            return Response.redirect(event_url(datasette, redirect["new_id"]) + "?" + urlencode({"from": event_id}))
        if redirect:
            return await error_page(
                datasette, request,
                f"Event {event_id} is no longer published: {redirect['reason']} (since {redirect['since']}).", 410)
        raise NotFound(f"No event with ID {event_id}")
    row = data["row"]
    item = timeline_item(datasette, row)
    sources = [source_card(datasette, s, row) for s in data["sources"]]
    reported_actions = Counter(s["action"] for s in sources)
    context = {
        "title": headline(row),
        "event": {**item, "date_rule": row["date_rule"], "date_end": row["date_end"],
                  "date_start": row["date_start"], "curation_note": row["curation_note"],
                  "curated_fields": _json(row["curated_fields"], []), "first_seen": row["first_seen"],
                  "updated_at": row["updated_at"], "last_reported": row["last_reported"],
                  "n_documents": row["n_documents"], "agency_parent": row["agency_parent"],
                  "agency_parent_url": entity_url(datasette, "agency", row["agency_parent"][0])
                  if row["agency_parent"] else None,
                  "vendor_url": entity_url(datasette, "vendor", row["vendor_id"]) if row["vendor_id"] else None,
                  "row_url": datasette.urls.row(kb_database(datasette).name, "events", tilde_encode(row["event_id"])),
                  "json_url": datasette.urls.row(kb_database(datasette).name, "events",
                                                 tilde_encode(row["event_id"]), format="json")},
        "renamed_from": request.args.get("from"),
        "review_href": datasette.urls.path("/-/review"),
        "reasons": data["reasons"],
        "sources": sources,
        "date_reports": [{**r, "sources_list": _json(r["sources"], []), "date_texts_list": _json(r["date_texts"], [])}
                         for r in data["date_reports"]],
        "reported_actions": reported_actions.most_common(),
        # The eight nearest in time, shown in date order.
        "nearby": [{**n, "url": event_url(datasette, n["event_id"])}
                   for n in sorted(data["nearby"], key=lambda n: (n["date"] or "", n["event_id"]))],
        "by_agency": [{**n, "url": event_url(datasette, n["event_id"])} for n in data["by_agency"]],
        "timeline_href": datasette.urls.path("/-/timeline") + "?" + query_string({"tool": [row["tool_id"]]}),
        "graph_href": datasette.urls.path("/-/graph") + "?" + query_string({"tool": [row["tool_id"]]}),
        "action_colors": ACTION_COLORS,
    }
    return await render(datasette, request, "banwatch_event.html", context)


# -- graph --------------------------------------------------------------------------------------

def graph_elements(conn, datasette, args, kinds, followed):
    """Cytoscape elements for the filtered graph: acted_on links aggregated per (agency, tool)."""
    filters = resolve_filters(conn, tool=args.get("tool"), jurisdiction=args.get("jurisdiction"),
                              action=args.get("action"))
    filtered = filters.active
    if filtered:
        where, params = filters.where()
        conn.execute("create temp table if not exists banwatch_graph_events (id text primary key)")
        conn.execute("delete from temp.banwatch_graph_events")
        conn.execute(f"insert into temp.banwatch_graph_events select e.id from events e where {where}", params)
    links = _event_edges(conn, "acted_on", filtered,
                         """g.source, g.target, count(*) as n, group_concat(distinct g.action) as actions,
                            min(g.date) as first_date, max(g.event_id) as an_event""",
                         "group by g.source, g.target order by n desc, g.source, g.target")
    total_links = len(links)
    links = links[:MAX_GRAPH_LINKS]
    nodes = set()
    edges = []
    weight = Counter()
    for source, target, n, actions, first_date, _ in links:
        nodes.update((source, target))
        weight[source] += n
        weight[target] += n
        main_action = next((a for a in ACTIONS if a in (actions or "").split(",")), "ban")
        edges.append({"id": f"acted_on:{source}:{target}", "source": source, "target": target, "kind": "acted_on",
                      "n": n, "actions": actions, "action": main_action, "first_date": first_date,
                      "label": f"{actions} ({n})" if n > 1 else actions})
    agencies = [n for n in nodes if n.startswith("agency:")]
    shown_agencies = set(agencies)
    structural = []
    if "jurisdiction" in kinds and agencies:
        structural += _edges_from(conn, "located_in", "source", agencies)
    if "vendor" in kinds:
        tools = [n for n in nodes if n.startswith("tool:")]
        made_by = _edges_from(conn, "made_by", "source", tools)
        structural += made_by
        if "jurisdiction" in kinds:
            structural += _edges_from(conn, "based_in", "source", [t for _, t, _ in made_by])
    if "reason" in kinds:
        for source, target, n in _event_edges(conn, "cites_reason", filtered, "g.source, g.target, count(*)",
                                              "group by g.source, g.target"):
            if source not in shown_agencies:
                continue
            edges.append({"id": f"cites_reason:{source}:{target}", "source": source, "target": target,
                          "kind": "cites_reason", "n": n})
            nodes.update((source, target))
    if "document" in kinds:
        documents = _event_edges(conn, "reported_by", filtered, "distinct g.source, g.target")
        for source, target in [d for d in documents if d[0] in shown_agencies][:MAX_GRAPH_LINKS]:
            edges.append({"id": f"reported_by:{source}:{target}", "source": source, "target": target,
                          "kind": "reported_by"})
            nodes.update((source, target))
    for source, target, kind in structural:
        nodes.update((source, target))
        edges.append({"id": f"{kind}:{source}:{target}", "source": source, "target": target, "kind": kind})
    # Jurisdictions up to their country, and agencies' parents already shown, keep their part_of links.
    if "jurisdiction" in kinds:
        frontier = [n for n in nodes if n.startswith("jurisdiction:")]
        while frontier:
            parents = _edges_from(conn, "part_of", "source", frontier)
            frontier = [t for _, t, _ in parents if t not in nodes]
            for source, target, kind in parents:
                nodes.update((source, target))
                edges.append({"id": f"{kind}:{source}:{target}", "source": source, "target": target, "kind": kind})
    for source, target, kind in _edges_from(conn, "part_of", "source", agencies):
        if target in nodes:
            edges.append({"id": f"{kind}:{source}:{target}", "source": source, "target": target, "kind": kind})
    if followed and agencies:
        for follower, leader, tool_id, tool, least, most in conn.execute(
                "select follower_id, leader_id, tool_id, tool, lag_min_days, lag_max_days from followed"):
            source, target = f"agency:{follower}", f"agency:{leader}"
            if source in shown_agencies and target in shown_agencies and (not filters.tools or tool_id in filters.tools):
                days = f"{least} days" if least == most else f"{least}–{most} days"
                edges.append({"id": f"followed:{source}:{target}:{tool_id}", "source": source, "target": target,
                              "kind": "followed", "label": f"{tool}: {days} later", "tool_id": tool_id})
    node_rows = _nodes(conn, sorted(nodes))
    elements = []
    degree = Counter()
    for e in edges:
        degree[e["source"]] += 1
        degree[e["target"]] += 1
    for node_id, kind, ref_id, label, verified in node_rows:
        if kind not in GRAPH_TABLES:
            continue
        elements.append({"data": {
            "id": node_id, "kind": kind, "label": label or ref_id, "verified": verified,
            "weight": weight.get(node_id) or degree.get(node_id, 1),
            "href": entity_url(datasette, kind, ref_id),
        }})
    known = {e["data"]["id"] for e in elements}
    elements += [{"data": e} for e in edges if e["source"] in known and e["target"] in known]
    return {"elements": elements, "filters": filters, "total_links": total_links,
            "shown_links": len(links), "n_nodes": len(known)}


def _kind_range(kind):
    """Edges of one kind by a range of their ids (`kind:...`, as banwatch.kbdb documents graph_edges.id): the
    primary key finds 360 located_in edges among 260,000 without scanning them."""
    return "g.id > ? and g.id < ? and g.kind = ?", [f"{kind}:", f"{kind};", kind]


def _event_edges(conn, kind, filtered, columns, tail=""):
    """Edges of an event kind (acted_on, cites_reason, reported_by), of the chosen events when filtered."""
    if filtered:  # a few events: through the event_id index
        where, params = "g.event_id in (select id from temp.banwatch_graph_events) and g.kind = ?", [kind]
    else:  # every published event: those that need review (found through the status index) left out
        where, params = _kind_range(kind)
        where += " and g.event_id not in (select id from events where status = 'needs_review')"
    return conn.execute(f"select {columns} from graph_edges g where {where} {tail}", params).fetchall()


def _edges_from(conn, kind, end, node_ids):
    """(source, target, kind) of the edges of a structural kind whose `end` is one of node_ids."""
    wanted = set(node_ids)
    position = 0 if end == "source" else 1
    where, params = _kind_range(kind)
    return [row for row in conn.execute(f"select g.source, g.target, g.kind from graph_edges g where {where}", params)
            if row[position] in wanted]


def _nodes(conn, node_ids):
    found = []
    for start in range(0, len(node_ids), 500):
        chunk = node_ids[start:start + 500]
        found += conn.execute(
            f"select id, kind, ref_id, label, verified from graph_nodes where id in ({', '.join('?' * len(chunk))})",
            chunk).fetchall()
    return found


async def graph(datasette, request):
    args = {k: v for k, v in filter_args(request).items() if k in ("tool", "jurisdiction", "action")}
    chosen = [k for k in request.args.getlist("kind") if k in GRAPH_KINDS]
    kinds = tuple(chosen) if chosen else DEFAULT_GRAPH_KINDS
    followed = request.args.get("followed") == "1"

    def work(conn):
        options = filter_options(conn)
        try:
            result = graph_elements(conn, datasette, args, kinds, followed)
        except BanwatchError as e:
            return {"error": str(e), "options": options}
        top = [dict(zip(("id", "kind", "ref_id", "label", "n"), r)) for r in conn.execute(
            """select n.id, n.kind, n.ref_id, n.label, m.value from graph_metrics m
               join graph_nodes n on n.id = m.subject
               where m.metric = 'degree' and n.kind in ('agency', 'tool', 'jurisdiction')
               order by m.value desc, n.id limit 15""")]
        return {**result, "options": options, "top": top}

    data = await read(datasette, work)
    if not data.get("error"):
        args = canonical_args(args, data["filters"])
    context = {"args": args, "kinds": kinds, "all_kinds": GRAPH_KINDS, "kind_labels": GRAPH_TABLES, "followed": followed,
               "options": data["options"], "error": data.get("error"), "action_colors": ACTION_COLORS,
               "cytoscape_js": datasette.urls.static_plugins("banwatch", "vendor/cytoscape.min.js"),
               "graph_js": datasette.urls.static_plugins("banwatch", "graph.js"),
               "exports": [{"label": f.upper() if f != "json" else "JSON (node-link)",
                            "href": datasette.urls.path(f"/-/export/graph.{f}")} for f in ("graphml", "gexf", "json")]}
    if data.get("error"):
        return await render(datasette, request, "banwatch_graph.html", context, status=400)
    context.update({
        "graph": {"elements": data["elements"], "actionColors": ACTION_COLORS},
        "n_nodes": data["n_nodes"], "total_links": data["total_links"], "shown_links": data["shown_links"],
        "described": data["filters"].describe(),
        "top": [{**t, "href": entity_url(datasette, t["kind"], t["ref_id"])} for t in data["top"]],
        "timeline_href": datasette.urls.path("/-/timeline") + ("?" + query_string(args) if args else ""),
    })
    return await render(datasette, request, "banwatch_graph.html", context)


# -- exports ------------------------------------------------------------------------------------

async def export_timeline(datasette, request):
    extension = request.url_vars["format"]
    fmt, content_type, download = EXPORTS[extension]
    args = filter_args(request)

    base_url = datasette.absolute_url(request, datasette.urls.path("/")).rstrip("/")

    def work(conn):
        filters = resolve_filters(conn, **args)
        rows = fetch_timeline(conn, filters)
        return render_timeline(rows, fmt, filters=filters, documents=fetch_source_documents(conn, rows),
                               base_url=base_url)

    try:
        text = await read(datasette, work)
    except BanwatchError as e:
        return Response.text(f"{e}\n", status=400)
    headers = {"access-control-allow-origin": "*"}  # public, read-only: TimelineJS may load it from anywhere
    if download:
        headers["content-disposition"] = f'attachment; filename="banwatch-timeline.{extension}"'
    return Response(text, content_type=content_type, headers=headers)


async def export_graph(datasette, request):
    from publish.export import export_graph as graph_export

    fmt = request.url_vars["format"]
    path = kb_database(datasette).path
    if not path:
        raise NotFound("no kb.db file behind this Datasette")
    try:
        text = await asyncio.to_thread(graph_export, Path(path).parent, fmt)
    except BanwatchError as e:
        return Response.text(f"{e}\n", status=400)
    content_type = {"graphml": "application/graphml+xml", "gexf": "application/gexf+xml",
                    "json": "application/json"}[fmt]
    return Response(text, content_type=f"{content_type}; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="banwatch-graph.{fmt}"'})


async def export_diffusion(datasette, request):
    args = {k: v for k, v in filter_args(request).items() if k == "tool"}

    def work(conn):
        filters = resolve_filters(conn, tool=args.get("tool"))
        return diffusion_csv(diffusion_rows(conn, filters.tools or None))

    try:
        text = await read(datasette, work)
    except BanwatchError as e:
        return Response.text(f"{e}\n", status=400)
    return Response(text, content_type="text/csv; charset=utf-8",
                    headers={"content-disposition": 'attachment; filename="banwatch-diffusion.csv"',
                             "access-control-allow-origin": "*"})


# -- indexes --------------------------------------------------------------------------------------

async def event_index(datasette, request):
    """/-/event/ names no event: the timeline lists them all."""
    return Response.redirect(datasette.urls.path("/-/timeline"))


EXPORT_FORMATS = (  # (extension, label, what it is for)
    ("csv", "CSV", "spreadsheets: one row per event, UTF-8 with a byte order mark so Excel reads accents; "
                   "event_url links each event page"),
    ("json", "JSON", "scripts: the timeline record of docs/design.md, one object per event"),
    ("timelinejs.json", "TimelineJS (JSON)", "a TimelineJS story: a title slide, one slide per dated event, "
                                             "month-only dates drawn as spans"),
    ("timelinejs.csv", "TimelineJS sheet (CSV)", "the TimelineJS Google Sheets template, to paste into a copy of it"),
    ("ics", "Calendar (ICS)", "calendar apps: all-day events spanning the days each date can mean"),
    ("md", "Markdown", "a readable chronology with its sources linked"),
)


async def export_index(datasette, request):
    """/-/export/: every export and feed, with the filters each takes and links that keep the current ones."""
    args = filter_args(request)

    def work(conn):
        try:
            filters = resolve_filters(conn, **args)
        except BanwatchError as e:
            return {"error": str(e), "options": filter_options(conn)}
        return {"filters": filters, "options": filter_options(conn)}

    data = await read(datasette, work)
    if not data.get("error"):
        args = canonical_args(args, data["filters"])
    query = query_string(args)
    suffix = f"?{query}" if query else ""
    context = {
        "title": "Exports and feeds", "args": args, "options": data["options"], "error": data.get("error"),
        "described": data["filters"].describe() if not data.get("error") else "",
        "timeline": [{"label": label, "about": about,
                      "href": datasette.urls.path(f"/-/export/timeline.{ext}") + suffix} for ext, label, about in EXPORT_FORMATS],
        "diffusion_href": datasette.urls.path("/-/export/diffusion.csv") + (
            "?" + query_string({"tool": args["tool"]}) if args.get("tool") else ""),
        "graph": [{"label": f.upper() if f != "json" else "JSON (node-link)",
                   "href": datasette.urls.path(f"/-/export/graph.{f}")} for f in ("graphml", "gexf", "json")],
        "feeds": {"atom": datasette.urls.path(f"/{DATABASE}/new_events.atom"),
                  "ics": datasette.urls.path(f"/{DATABASE}/calendar.ics")},
    }
    return await render(datasette, request, "banwatch_exports.html", context, status=400 if data.get("error") else 200)
