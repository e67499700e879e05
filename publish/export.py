"""Timeline exports: the events of kb.db as JSON, CSV, TimelineJS (JSON and spreadsheet CSV), ICS and Markdown.

    export_timeline(data_dir, "csv", tool=["deepseek"], since="2025-01") -> str

Every format is a view of the same records: the design's timeline record, read from the
`timeline` view. The Datasette plugin serves the same functions at /-/export/timeline.<format>,
so a file from the CLI and one from the browser are identical for the same filters.

Filters take ids or names (`deepseek`, `DeepSeek`, an alias); a jurisdiction includes the
jurisdictions inside it (`us` includes Texas). `since`/`until` take YYYY, YYYY-MM or YYYY-MM-DD
and keep events whose date can fall in the range (an event dated only "2025-01" is kept by
--since 2025-01-15); undated events are left out when either is given.

Scraped text is data, never markup: TimelineJS renders its headline and text fields as HTML,
so they are HTML-escaped here, links are emitted only for http(s) URLs, and Markdown
punctuation in scraped text is backslash-escaped.
"""
import calendar
import csv
import datetime
import html
import io
import json
import re
import sqlite3
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

import networkx as nx

from banwatch.db import reading_kb
from banwatch.errors import BanwatchError
from banwatch.kbdb import load_graph
from banwatch.utils import is_http_url
from banwatch.vocab import ACTIONS, GRAPH_FORMATS, STAGES, TIMELINE_FORMATS

FORMATS = TIMELINE_FORMATS

# the design's timeline record (the first fourteen fields are the contract), plus useful extras.
RECORD_FIELDS = (
    "event_id", "date", "date_precision", "agency", "agency_id", "jurisdiction", "jurisdiction_id",
    "country", "country_id", "tool", "tool_id", "vendor", "action", "stage", "reasons", "summary", "scope",
    "sources", "verified", "date_disputed", "action_disputed", "n_sources", "confidence", "first_reported",
)
BOOLEAN_FIELDS = ("verified", "date_disputed", "action_disputed")
LIST_FIELDS = ("reasons", "sources")
# CSV cells hold lists joined with this: "; " cannot occur inside a URL (no raw spaces).
LIST_SEPARATOR = "; "

TIMELINEJS_CSV_HEADERS = (
    "Year", "Month", "Day", "Time", "End Year", "End Month", "End Day", "End Time", "Display Date",
    "Headline", "Text", "Media", "Media Credit", "Media Caption", "Media Thumbnail", "Type", "Group",
    "Background",
)

# Headline verbs (news style, present tense); kb.merge writes the past-tense summary sentences.
HEADLINE_VERBS = {
    "ban": ("bans", "proposes banning"),
    "restrict": ("restricts", "proposes restricting"),
    "suspend": ("suspends", "proposes suspending"),
    "lift": ("lifts its measure on", "proposes lifting its measure on"),
    "investigate": ("investigates", "proposes investigating"),
    "warn": ("warns against", "proposes warning against"),
}
DATE_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass
class TimelineFilters:
    """Resolved filters: ids, vocabulary values and a date range (inclusive ISO days)."""

    tools: list = field(default_factory=list)
    jurisdictions: list = field(default_factory=list)
    actions: list = field(default_factory=list)
    stages: list = field(default_factory=list)
    since: str = None
    until: str = None
    labels: dict = field(default_factory=dict)  # id -> display name, for describing the selection

    def where(self):
        """(SQL condition over the events table aliased e, parameters): every filter is an events column."""
        clauses, params = [], []
        if self.tools:
            clauses.append(f"e.tool_id in ({', '.join('?' * len(self.tools))})")
            params += self.tools
        if self.jurisdictions:
            marks = ", ".join("?" * len(self.jurisdictions))
            # The jurisdictions named and every one inside them (a state inside its country).
            within = f"""with recursive within(id) as (
                           select id from jurisdictions where id in ({marks})
                           union select j.id from jurisdictions j join within w on j.parent_id = w.id)
                         select id from within"""
            clauses.append(f"(e.jurisdiction_id in ({within}) or e.country_id in ({within}))")
            params += self.jurisdictions * 2
        if self.actions:
            clauses.append(f"e.action in ({', '.join('?' * len(self.actions))})")
            params += self.actions
        if self.stages:
            clauses.append(f"e.stage in ({', '.join('?' * len(self.stages))})")
            params += self.stages
        if self.since:
            clauses.append("e.date_end >= ?")
            params.append(self.since)
        if self.until:
            clauses.append("e.date_start <= ?")
            params.append(self.until)
        return (" and ".join(clauses) or "1"), params

    def describe(self):
        """"DeepSeek · United States · ban · since 2025-01-01", or "" with no filter."""
        parts = [", ".join(self.labels.get(i, i) for i in values)
                 for values in (self.tools, self.jurisdictions, self.actions, self.stages) if values]
        if self.since:
            parts.append(f"since {self.since}")
        if self.until:
            parts.append(f"until {self.until}")
        return " · ".join(parts)

    @property
    def active(self):
        return bool(self.tools or self.jurisdictions or self.actions or self.stages or self.since or self.until)


def export_timeline(data_dir, fmt, tool=(), jurisdiction=(), action=(), stage=(), since=None, until=None):
    """The timeline of data_dir/kb.db in `fmt` (one of FORMATS), filtered; returns the text."""
    if fmt not in FORMATS:
        raise BanwatchError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    with reading_kb(data_dir) as conn:
        filters = resolve_filters(conn, tool=tool, jurisdiction=jurisdiction, action=action, stage=stage,
                                  since=since, until=until)
        rows = fetch_timeline(conn, filters)
        documents = fetch_source_documents(conn, rows)
    return render_timeline(rows, fmt, filters=filters, documents=documents)


# -- filters ------------------------------------------------------------------------------------

def resolve_filters(conn, tool=(), jurisdiction=(), action=(), stage=(), since=None, until=None):
    """Check and resolve filter values (ids or names) into TimelineFilters; BanwatchError if unknown."""
    filters = TimelineFilters()
    for values, table, target, what in ((tool, "tools", filters.tools, "tool"),
                                        (jurisdiction, "jurisdictions", filters.jurisdictions, "jurisdiction")):
        for value in _as_list(values):
            entity_id, name = resolve_entity(conn, table, value, what)
            if entity_id not in target:
                target.append(entity_id)
            filters.labels[entity_id] = name
    for values, vocabulary, target, what in ((action, ACTIONS, filters.actions, "action"),
                                             (stage, STAGES, filters.stages, "stage")):
        for value in _as_list(values):
            value = value.strip().lower()
            if value not in vocabulary:
                raise BanwatchError(f"unknown {what} {value!r}: use one of {', '.join(vocabulary)}")
            if value not in target:
                target.append(value)
    filters.since = parse_date_bound(since, "since", end=False)
    filters.until = parse_date_bound(until, "until", end=True)
    if filters.since and filters.until and filters.since > filters.until:
        raise BanwatchError(f"--since {since} is after --until {until}")
    return filters


def _as_list(values):
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    return [v for v in values if v is not None and str(v).strip()]


def resolve_entity(conn, table, value, what):
    """(id, name) of the tool or jurisdiction whose id, name or alias is `value` (case-insensitive)."""
    text = str(value).strip()
    row = conn.execute(
        f"""select id, name from [{table}]
            where lower(id) = lower(:v) or lower(name) = lower(:v)
               or exists (select 1 from json_each(case when json_valid(aliases) then aliases else '[]' end)
                          where lower(json_each.value) = lower(:v))
            order by lower(id) = lower(:v) desc, lower(name) = lower(:v) desc, n_events desc, id
            limit 1""",
        {"v": text}).fetchone()
    if row is None:
        known = [r[0] for r in conn.execute(
            f"select id from [{table}] where n_events > 0 order by n_events desc, id limit 6")]
        hint = f" (e.g. {', '.join(known)})" if known else ""
        raise BanwatchError(f"unknown {what} {text!r}: give an id or a name{hint}")
    return row[0], row[1]


def parse_date_bound(value, name, end):
    """YYYY, YYYY-MM or YYYY-MM-DD -> the first (or, for end=True, last) day it can mean."""
    if value is None or not str(value).strip():
        return None
    text = str(value).strip()
    match = DATE_PATTERN.match(text)
    try:
        if not match:
            raise ValueError
        year, month, day = (int(g) if g else None for g in match.groups())
        if month is None:
            first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        elif day is None:
            first = datetime.date(year, month, 1)
            last = datetime.date(year, month, calendar.monthrange(year, month)[1])
        else:
            first = last = datetime.date(year, month, day)
    except ValueError:
        raise BanwatchError(f"--{name} {text!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD") from None
    return (last if end else first).isoformat()


# -- reading ------------------------------------------------------------------------------------

TIMELINE_SELECT = """
select t.*, e.date_end, coalesce(a.short, t.agency) as agency_short
from timeline t
join events e on e.id = t.event_id
join agencies a on a.id = t.agency_id
"""
def fetch_timeline(conn, filters=None, limit=None, offset=0):
    """Timeline rows (all columns of the view, plus date_end and agency_short), oldest first, undated last.

    The events are chosen and ordered on the events table alone (dated ones along the date_start
    index, then the undated), and only then their timeline rows fetched by id: a page of 100 out
    of 30,000 events joins 100 rows, not 30,000.
    """
    ids = select_event_ids(conn, filters or TimelineFilters(), limit, offset)
    rows = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        cursor = conn.execute(f"{TIMELINE_SELECT} where t.event_id in ({', '.join('?' * len(chunk))})", chunk)
        columns = [d[0] for d in cursor.description]
        for row in cursor.fetchall():
            record = dict(zip(columns, row))
            rows[record["event_id"]] = record
    return [rows[i] for i in ids if i in rows]


def select_event_ids(conn, filters, limit=None, offset=0):
    """Ids of the filtered events in timeline order (date, then id; undated last), one page of them."""
    where, params = filters.where()

    def ids(dated, count, skip):
        sql = (f"select e.id from events e where {where} and e.date_start is not null order by e.date_start, e.id"
               if dated else f"select e.id from events e where {where} and e.date_start is null order by e.id")
        if count is None:
            return [r[0] for r in conn.execute(sql, params)]
        return [r[0] for r in conn.execute(sql + " limit ? offset ?", params + [count, skip])]

    if limit is None:
        return ids(True, None, 0) + ids(False, None, 0)
    page = ids(True, limit, offset)
    if len(page) == limit:
        return page
    if page:
        n_dated = offset + len(page)
    else:
        n_dated = conn.execute(f"select count(*) from events e where {where} and e.date_start is not null",
                               params).fetchone()[0]
    return page + ids(False, limit - len(page), offset + len(page) - n_dated)


def fetch_source_documents(conn, rows):
    """{url: {"title", "site", "published"}} for every source of the rows (captions and credits)."""
    urls = sorted({url for row in rows for url in _json_list(row.get("sources"))})
    documents = {}
    for start in range(0, len(urls), 500):
        chunk = urls[start:start + 500]
        for url, title, site, published in conn.execute(
                f"select url, title, site, published from documents where url in ({', '.join('?' * len(chunk))})",
                chunk):
            documents[url] = {"title": title, "site": site, "published": published}
    return documents


def timeline_record(row):
    """the design's timeline record of a timeline row: lists decoded, flags as booleans."""
    record = {name: row.get(name) for name in RECORD_FIELDS}
    for name in LIST_FIELDS:
        record[name] = _json_list(record[name])
    for name in BOOLEAN_FIELDS:
        record[name] = bool(record[name])
    return record


def _json_list(value):
    if isinstance(value, list):
        return value
    try:
        parsed = json.loads(value) if value else []
    except (TypeError, ValueError):
        return []
    return parsed if isinstance(parsed, list) else []


def headline(row):
    """"NASA bans DeepSeek", "Texas proposes banning DeepSeek"."""
    verb = HEADLINE_VERBS.get(row["action"], (row["action"], "proposes " + str(row["action"])))
    return f"{row.get('agency_short') or row['agency']} {verb[row['stage'] == 'proposed']} {row['tool']}"


def display_date(row):
    """"31 January 2025", "January 2025", "2025" or "date unknown"."""
    date, precision = row.get("date"), row.get("date_precision")
    if not date:
        return "date unknown"
    parts = [int(p) for p in date.split("-")]
    if precision == "day" and len(parts) == 3:
        return f"{parts[2]} {calendar.month_name[parts[1]]} {parts[0]}"
    if precision in ("day", "month") and len(parts) >= 2:
        return f"{calendar.month_name[parts[1]]} {parts[0]}"
    return str(parts[0])


def date_parts(date):
    """"2025-01-31" -> ("2025", "1", "31"); missing parts are ""."""
    parts = [str(int(p)) for p in (date or "").split("-") if p]
    return tuple(parts + [""] * (3 - len(parts)))


def title_of(filters):
    described = filters.describe() if filters else ""
    return "banwatch: government measures on AI tools" + (f" ({described})" if described else "")


def span_of(rows):
    dated = [r["date"] for r in rows if r.get("date")]
    undated = len(rows) - len(dated)
    text = f"{len(rows)} measure{'s' if len(rows) != 1 else ''}"
    if dated:
        text += f", {min(dated)} to {max(dated)}"
    if undated:
        text += f" ({undated} undated)"
    return text


# -- formats ------------------------------------------------------------------------------------

def render_timeline(rows, fmt, filters=None, documents=None):
    """Rows from fetch_timeline as text in `fmt`."""
    renderers = {
        "json": to_json, "csv": to_csv, "timelinejs": to_timelinejs, "timelinejs-csv": to_timelinejs_csv,
        "ics": to_ics, "markdown": to_markdown,
    }
    if fmt not in renderers:
        raise BanwatchError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    return renderers[fmt](rows, filters=filters, documents=documents or {})


def to_json(rows, **_):
    return json.dumps([timeline_record(r) for r in rows], indent=2, ensure_ascii=False) + "\n"


def to_csv(rows, **_):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=RECORD_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        record = timeline_record(row)
        for name in LIST_FIELDS:
            record[name] = LIST_SEPARATOR.join(record[name])
        for name in BOOLEAN_FIELDS:
            record[name] = "true" if record[name] else "false"
        writer.writerow(record)
    return out.getvalue()


def _source_html(url, documents):
    document = documents.get(url) or {}
    label = document.get("title") or document.get("site") or url
    site = document.get("site") or urlsplit(url).netloc
    return (f'<a href="{html.escape(url, quote=True)}">{html.escape(label)}</a>'
            f' <small>({html.escape(site)})</small>')


def _timelinejs_text(row, documents):
    """The HTML body of a TimelineJS slide: every scraped value escaped."""
    record = timeline_record(row)
    where = record["jurisdiction"] or record["country"] or ""
    facts = [f"{html.escape(record['agency'])}" + (f" ({html.escape(where)})" if where else "")]
    if record["reasons"]:
        facts.append("Reasons: " + html.escape(", ".join(r.replace("_", " ") for r in record["reasons"])))
    if record["date_disputed"]:
        facts.append("Sources disagree on the date")
    facts.append(f"Event ID: {html.escape(record['event_id'])}")
    sources = [_source_html(url, documents) for url in record["sources"] if is_http_url(url)]
    text = f"<p>{html.escape(record['summary'] or '')}</p><p>{' · '.join(facts)}</p>"
    if sources:
        text += "<p>Sources:</p><ul>" + "".join(f"<li>{s}</li>" for s in sources) + "</ul>"
    return text


def _timelinejs_media(row, documents):
    url = next((u for u in _json_list(row.get("sources")) if is_http_url(u)), None)
    if not url:
        return None
    document = documents.get(url) or {}
    return {"url": url, "caption": html.escape(document.get("title") or ""),
            "credit": html.escape(document.get("site") or urlsplit(url).netloc)}


def to_timelinejs(rows, filters=None, documents=None, **_):
    """TimelineJS 3 JSON: https://timeline.knightlab.com/docs/json-format.html (undated events left out)."""
    documents = documents or {}
    dated = [r for r in rows if r.get("date")]
    left_out = len(rows) - len(dated)
    intro = f"{span_of(dated)}. Every slide links its sources; event IDs are stable, cite them."
    if left_out:
        intro += f" {left_out} undated measure{'s' if left_out != 1 else ''} cannot be placed on a timeline."
    timeline = {
        "title": {"text": {"headline": html.escape(title_of(filters)), "text": f"<p>{html.escape(intro)}</p>"}},
        "events": [],
    }
    for row in dated:
        year, month, day = date_parts(row["date"])
        start = {"year": year}
        if month:
            start["month"] = month
        if day:
            start["day"] = day
        slide = {
            "unique_id": row["event_id"],
            "start_date": start,
            "display_date": display_date(row),
            "text": {"headline": html.escape(headline(row)), "text": _timelinejs_text(row, documents)},
            "group": row["tool"],
        }
        media = _timelinejs_media(row, documents)
        if media:
            slide["media"] = media
        timeline["events"].append(slide)
    return json.dumps(timeline, indent=2, ensure_ascii=False) + "\n"


def to_timelinejs_csv(rows, filters=None, documents=None, **_):
    """The TimelineJS Google Sheets template: a title row, then one row per dated event."""
    documents = documents or {}
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=TIMELINEJS_CSV_HEADERS, lineterminator="\r\n")
    writer.writeheader()
    dated = [r for r in rows if r.get("date")]
    writer.writerow({"Headline": html.escape(title_of(filters)),
                     "Text": html.escape(span_of(dated) + ". Every slide links its sources."), "Type": "title"})
    for row in dated:
        year, month, day = date_parts(row["date"])
        media = _timelinejs_media(row, documents) or {}
        writer.writerow({
            "Year": year, "Month": month, "Day": day, "Display Date": display_date(row),
            "Headline": html.escape(headline(row)), "Text": _timelinejs_text(row, documents),
            "Media": media.get("url", ""), "Media Credit": media.get("credit", ""),
            "Media Caption": media.get("caption", ""), "Group": row["tool"],
        })
    return out.getvalue()


def to_ics(rows, filters=None, documents=None, **_):
    """An iCalendar file: one all-day event per dated measure, spanning the days its date can mean."""
    import arrow
    from ics import Calendar, Event
    from ics.grammar.parse import ContentLine

    documents = documents or {}
    calendar_ = Calendar(creator="-//banwatch//timeline export//EN")
    calendar_.extra.append(ContentLine(name="X-WR-CALNAME", params={}, value=title_of(filters)))
    stamp = arrow.utcnow()
    for row in rows:
        if not row.get("date_start"):
            continue
        record = timeline_record(row)
        lines = [record["summary"] or headline(row)]
        if row.get("date_precision") != "day":
            lines.append(f"Date known only to the {row.get('date_precision')}: {row['date']}.")
        if record["date_disputed"]:
            lines.append("Sources disagree on the date.")
        if record["reasons"]:
            lines.append("Reasons: " + ", ".join(r.replace("_", " ") for r in record["reasons"]))
        lines.append(f"Event ID: {record['event_id']}")
        lines += ["Sources:"] + [url for url in record["sources"] if is_http_url(url)]
        url = next((u for u in record["sources"] if is_http_url(u)), None)
        event = Event(
            name=headline(row), begin=row["date_start"], end=row.get("date_end") or row["date_start"],
            uid=f"{record['event_id']}@banwatch", description="\n".join(lines), url=url,
            categories=[record["action"], record["tool"]], created=stamp,
            status="TENTATIVE" if record["stage"] == "proposed" else "CONFIRMED",
            location=record["jurisdiction"] or record["country"],
        )
        event.make_all_day()
        calendar_.events.add(event)
    return fold_ics(calendar_.serialize())


def fold_ics(text):
    """Fold content lines longer than 75 octets (RFC 5545 3.1); the ics package leaves them long."""
    folded = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if not line:
            continue
        chunk, size = "", 0
        for char in line:
            width = len(char.encode("utf-8"))
            if size + width > 75:
                folded.append(chunk)
                chunk, size = " ", 1
            chunk += char
            size += width
        folded.append(chunk)
    return "\r\n".join(folded) + "\r\n"


# Only what can start markup mid-line: emphasis, code, links (brackets), HTML and autolinks (<>).
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>~])")


def md(text):
    """Scraped text as literal Markdown: punctuation that means something is backslash-escaped."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text or "").split()))


def md_link(label, url):
    if not is_http_url(url):
        return md(label)
    # Parentheses and spaces are percent-encoded so they cannot end the link early.
    return f"[{md(label)}]({quote(url.strip(), safe=':/?#@!$&*+,;=%~-._')})"


def to_markdown(rows, filters=None, documents=None, **_):
    """A readable chronology: one section per year, one entry per measure, its sources linked."""
    documents = documents or {}
    lines = [f"# {md(title_of(filters))}", "",
             f"{md(span_of(rows))}. Event IDs are stable: cite them. Each entry links the reports it rests on.", ""]
    year = object()
    for row in rows:
        this_year = row["date"][:4] if row.get("date") else "Undated"
        if this_year != year:
            year = this_year
            lines += [f"## {this_year}", ""]
        record = timeline_record(row)
        where = record["jurisdiction"] or record["country"]
        head = f"- **{md(display_date(row))}** · {md(record['agency'])}" + (f" ({md(where)})" if where else "")
        head += f" · **{record['action']}**{' (proposed)' if record['stage'] == 'proposed' else ''} · {md(record['tool'])}"
        lines.append(head + "  ")
        lines.append(f"  {md(record['summary'])}  ")
        details = []
        if record["reasons"]:
            details.append("Reasons: " + md(", ".join(r.replace("_", " ") for r in record["reasons"])))
        if record["date_disputed"]:
            details.append("sources disagree on the date")
        sources = []
        for url in record["sources"]:
            document = documents.get(url) or {}
            sources.append(md_link(document.get("site") or urlsplit(str(url)).netloc or url, url))
        if sources:
            details.append("Sources: " + ", ".join(sources))
        details.append(f"`{record['event_id']}`")
        lines.append("  " + " · ".join(details))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


# -- the graph -------------------------------------------------------------------------------------

def export_graph(data_dir, fmt):
    """The graph of data_dir/kb.db as GraphML, GEXF or node-link JSON (for d3 / Cytoscape)."""
    if fmt not in GRAPH_FORMATS:
        raise BanwatchError(f"unknown graph format {fmt!r}: use one of {', '.join(GRAPH_FORMATS)}")
    with reading_kb(data_dir) as conn:
        try:
            graph = load_graph(conn)
        except sqlite3.DatabaseError as e:
            raise BanwatchError(f"cannot read the graph from {data_dir}/kb.db: {e} (run `banwatch verify`)") from None
    graph.graph["name"] = "banwatch"
    if fmt == "json":
        return json.dumps(nx.node_link_data(graph, edges="edges"), ensure_ascii=False, indent=1) + "\n"
    buffer = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(graph, buffer)
    else:
        nx.write_gexf(graph, buffer)
    return buffer.getvalue().decode("utf-8")
