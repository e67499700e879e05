"""Timeline exports: the events of kb.db as JSON, CSV, TimelineJS (JSON and spreadsheet CSV), ICS and Markdown.

    export_timeline(data_dir, "csv", tool=["deepseek"], since="2025-01", status=(), base_url=None) -> str

Every format is a view of the same records: the design's timeline record, read from the
`timeline` view, with `status` (verified, machine, needs_review) and its label, a summary sentence
built from the fields (publish.sentences) and `event_url`. By default only verified and machine-read
events are exported (`status=["all"]` or `["needs_review"]` to choose otherwise). The CSVs start
with a UTF-8 byte order mark (Excel). The Datasette plugin serves the same functions at
/-/export/timeline.<format> (with absolute event URLs), so a file from the CLI and one from the
browser are identical for the same filters and base URL.

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
import os
import re
import sqlite3
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

import networkx as nx

from banwatch.db import reading_kb
from banwatch.errors import BanwatchError
from banwatch.kbdb import load_graph
from banwatch.utils import is_http_url
from banwatch.vocab import ACTIONS, GRAPH_FORMATS, STAGES, STATUSES, TIMELINE_FORMATS
from publish.sentences import (
    STATUS_LABELS,
    _json_list,
    date_note,
    display_date,
    status_label,
    status_note,
    summary,
)

FORMATS = TIMELINE_FORMATS

# the design's timeline record (the first fourteen fields are the contract), plus useful extras.
RECORD_FIELDS = (
    "event_id", "date", "date_precision", "agency", "agency_id", "jurisdiction", "jurisdiction_id",
    "country", "country_id", "tool", "tool_id", "vendor", "action", "stage", "reasons", "summary", "scope",
    "sources", "verified", "status", "status_label", "date_end", "date_disputed", "action_disputed", "n_sources",
    "confidence", "first_reported", "event_url",
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

# Published by default: what a curator checked and what the extractor read with a confidence at or
# above the build's review threshold (`banwatch build --review-threshold`). needs_review events are
# kept in kb.db and listed on /-/review; `status` filters ask for them explicitly.
DEFAULT_STATUSES = ("verified", "machine")
STATUS_CHOICES = (*STATUSES, "all")
# Excel reads a CSV as UTF-8 only when it starts with a byte order mark ("NÚKIB", not "NÃšKIB").
BOM = "\ufeff"
# TimelineJS renders a media URL it does not know as an <img>: only images and the services it embeds.
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg")
EMBEDDABLE_HOSTS = ("youtube.com", "youtu.be", "vimeo.com", "twitter.com", "x.com", "soundcloud.com",
                    "wikipedia.org", "flickr.com", "instagram.com", "dailymotion.com", "spotify.com")
# Headline verbs (news style, present tense); publish.sentences writes the past-tense summary sentences.
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
    statuses: list = field(default_factory=lambda: list(DEFAULT_STATUSES))
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
        if set(self.statuses) != set(STATUSES):
            clauses.append(f"e.status in ({', '.join('?' * len(self.statuses))})")
            params += self.statuses
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
        if self.statuses != list(DEFAULT_STATUSES):
            parts.append("all statuses" if set(self.statuses) == set(STATUSES)
                         else ", ".join(STATUS_LABELS.get(s, s) for s in self.statuses))
        if self.since:
            parts.append(f"since {self.since}")
        if self.until:
            parts.append(f"until {self.until}")
        return " · ".join(parts)

    @property
    def active(self):
        return bool(self.tools or self.jurisdictions or self.actions or self.stages or self.since or self.until
                    or self.statuses != list(DEFAULT_STATUSES))


def export_timeline(data_dir, fmt, tool=(), jurisdiction=(), action=(), stage=(), since=None, until=None,
                    status=(), base_url=None):
    """The timeline of data_dir/kb.db in `fmt` (one of FORMATS), filtered; returns the text.

    `status` (verified, machine, needs_review or all) defaults to verified + machine. Event pages
    are linked as `base_url`/-/event/<id>: base_url defaults to $BANWATCH_PUBLIC_URL, else the
    links are relative to the site (/-/event/<id>)."""
    if fmt not in FORMATS:
        raise BanwatchError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    with reading_kb(data_dir) as conn:
        filters = resolve_filters(conn, tool=tool, jurisdiction=jurisdiction, action=action, stage=stage,
                                  since=since, until=until, status=status)
        rows = fetch_timeline(conn, filters)
        documents = fetch_source_documents(conn, rows)
    if base_url is None:
        base_url = os.environ.get("BANWATCH_PUBLIC_URL", "")
    return render_timeline(rows, fmt, filters=filters, documents=documents, base_url=base_url)


# -- filters ------------------------------------------------------------------------------------

def resolve_filters(conn, tool=(), jurisdiction=(), action=(), stage=(), since=None, until=None, status=()):
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
    statuses = []
    for value in _as_list(status):
        value = str(value).strip().lower().replace("-", "_").replace(" ", "_")
        value = {"machine_read": "machine", "review": "needs_review"}.get(value, value)
        if value not in STATUS_CHOICES:
            raise BanwatchError(f"unknown status {value!r}: use one of {', '.join(STATUS_CHOICES)}")
        statuses += list(STATUSES) if value == "all" else [value]
    if statuses:
        filters.statuses = [s for s in STATUSES if s in statuses]
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
select t.*, e.date_end, e.curated_fields, e.date_rule, coalesce(a.short, t.agency) as agency_short
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
    return fetch_rows(conn, select_event_ids(conn, filters or TimelineFilters(), limit, offset))


def fetch_rows(conn, ids):
    """The timeline rows (as fetch_timeline gives them) of these event ids, in their order."""
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


def timeline_record(row, base_url=""):
    """the design's timeline record of a timeline row: lists decoded, flags as booleans, the summary a
    sentence built from the fields, the status spelled out, the event page's address."""
    record = {name: row.get(name) for name in RECORD_FIELDS}
    for name in LIST_FIELDS:
        record[name] = _json_list(record[name])
    for name in BOOLEAN_FIELDS:
        record[name] = bool(record[name])
    record["summary"] = summary(row)
    record["status_label"] = status_label(row)
    record["event_url"] = event_path(row["event_id"], base_url)
    return record


def event_path(event_id, base_url=""):
    """The event page: /-/event/<id>, under base_url when one is given."""
    return f"{(base_url or '').rstrip('/')}/-/event/{quote(str(event_id), safe='')}"


def headline(row):
    """"NASA bans DeepSeek", "Texas proposes banning DeepSeek"."""
    verb = HEADLINE_VERBS.get(row["action"], (row["action"], "proposes " + str(row["action"])))
    return f"{row.get('agency_short') or row['agency']} {verb[row['stage'] == 'proposed']} {row['tool']}"


def display_date_noted(row):
    """"January 2025 (day not known)": a date that is a whole month or year says so."""
    note = date_note(row)
    return display_date(row) + (f" ({note})" if note else "")


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

def render_timeline(rows, fmt, filters=None, documents=None, base_url=""):
    """Rows from fetch_timeline as text in `fmt`; event pages linked under base_url."""
    renderers = {
        "json": to_json, "csv": to_csv, "timelinejs": to_timelinejs, "timelinejs-csv": to_timelinejs_csv,
        "ics": to_ics, "markdown": to_markdown,
    }
    if fmt not in renderers:
        raise BanwatchError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    return renderers[fmt](rows, filters=filters, documents=documents or {}, base_url=base_url or "")


def to_json(rows, base_url="", **_):
    return json.dumps([timeline_record(r, base_url) for r in rows], indent=2, ensure_ascii=False) + "\n"


def to_csv(rows, base_url="", **_):
    """The records as CSV, starting with a UTF-8 byte order mark so Excel reads the accents right."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.DictWriter(out, fieldnames=RECORD_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        record = timeline_record(row, base_url)
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


def status_sentence(row):
    """"Machine-read (confidence 0.97): read by the extractor ..., not checked by a person.\""""
    label = status_label(row)
    confidence = row.get("confidence")
    figure = f" (confidence {confidence:.2f})" if row.get("status") != "verified" and confidence is not None else ""
    return f"{label[:1].upper()}{label[1:]}{figure}: {status_note(row)}."


def _timelinejs_text(row, documents, base_url):
    """The HTML body of a TimelineJS slide: every scraped value escaped."""
    record = timeline_record(row, base_url)
    where = record["jurisdiction"] or record["country"] or ""
    facts = [f"{html.escape(record['agency'])}" + (f" ({html.escape(where)})" if where else "")]
    if record["reasons"]:
        facts.append("Reasons: " + html.escape(", ".join(r.replace("_", " ") for r in record["reasons"])))
    if record["date_disputed"]:
        facts.append("Sources disagree on the date")
    facts.append(f'Event ID: <a href="{html.escape(record["event_url"], quote=True)}">'
                 f'{html.escape(record["event_id"])}</a>')
    sources = [_source_html(url, documents) for url in record["sources"] if is_http_url(url)]
    text = (f"<p>{html.escape(record['summary'] or '')}</p><p><em>{html.escape(status_sentence(row))}</em></p>"
            f"<p>{' · '.join(facts)}</p>")
    if sources:
        text += "<p>Sources:</p><ul>" + "".join(f"<li>{s}</li>" for s in sources) + "</ul>"
    return text


def media_url(url):
    """url when TimelineJS can show it (an image, or a service it embeds); None for a news article."""
    if not is_http_url(url):
        return None
    parts = urlsplit(url)
    host = parts.netloc.lower().split(":")[0]
    if parts.path.lower().endswith(IMAGE_EXTENSIONS):
        return url
    if any(host == h or host.endswith("." + h) for h in EMBEDDABLE_HOSTS):
        return url
    return None


def _timelinejs_media(row, documents):
    url = next((u for u in _json_list(row.get("sources")) if media_url(u)), None)
    if not url:
        return None
    document = documents.get(url) or {}
    return {"url": url, "caption": html.escape(document.get("title") or ""),
            "credit": html.escape(document.get("site") or urlsplit(url).netloc)}


def _timelinejs_dates(row):
    """TimelineJS start and end dates: a month or a year is a span over its days, not its first day."""
    start = dict(zip(("year", "month", "day"), date_parts(row["date_start"] or row["date"])))
    end = dict(zip(("year", "month", "day"), date_parts(row.get("date_end") or row["date_start"] or row["date"])))
    start = {k: v for k, v in start.items() if v}
    end = {k: v for k, v in end.items() if v}
    if row.get("date_precision") == "day" or end == start:
        return start, None
    return start, end


def title_text(rows, filters):
    dated = [r for r in rows if r.get("date")]
    statuses = filters.statuses if filters else list(DEFAULT_STATUSES)
    shown = ("verified and machine-read events (those needing review are left out)"
             if set(statuses) == set(DEFAULT_STATUSES) else
             ", ".join(STATUS_LABELS.get(s, s) for s in statuses) + " events")
    intro = (f"{span_of(dated)}: {shown}. Every slide says whether a curator verified it or it was machine-read, "
             "and links its sources; event IDs are stable, cite them.")
    left_out = len(rows) - len(dated)
    if left_out:
        intro += f" {left_out} undated measure{'s' if left_out != 1 else ''} cannot be placed on a timeline."
    return intro


def to_timelinejs(rows, filters=None, documents=None, base_url="", **_):
    """TimelineJS 3 JSON: https://timeline.knightlab.com/docs/json-format.html (undated events left out)."""
    documents = documents or {}
    dated = [r for r in rows if r.get("date")]
    timeline = {
        "title": {"text": {"headline": html.escape(title_of(filters)),
                           "text": f"<p>{html.escape(title_text(rows, filters))}</p>"}},
        "events": [],
    }
    for row in dated:
        start, end = _timelinejs_dates(row)
        slide = {
            "unique_id": row["event_id"],
            "start_date": start,
            "display_date": display_date_noted(row),
            "text": {"headline": html.escape(headline(row) + (" (proposed)" if row["stage"] == "proposed" else "")),
                     "text": _timelinejs_text(row, documents, base_url)},
            "group": row["tool"],
        }
        if end:
            slide["end_date"] = end
        media = _timelinejs_media(row, documents)
        if media:
            slide["media"] = media
        timeline["events"].append(slide)
    return json.dumps(timeline, indent=2, ensure_ascii=False) + "\n"


def to_timelinejs_csv(rows, filters=None, documents=None, base_url="", **_):
    """The TimelineJS Google Sheets template: a title row, then one row per dated event."""
    documents = documents or {}
    out = io.StringIO()
    out.write(BOM)
    writer = csv.DictWriter(out, fieldnames=TIMELINEJS_CSV_HEADERS, lineterminator="\r\n")
    writer.writeheader()
    dated = [r for r in rows if r.get("date")]
    writer.writerow({"Headline": html.escape(title_of(filters)), "Text": html.escape(title_text(rows, filters)),
                     "Type": "title"})
    for row in dated:
        start, end = _timelinejs_dates(row)
        end = end or {}
        media = _timelinejs_media(row, documents) or {}
        writer.writerow({
            "Year": start.get("year", ""), "Month": start.get("month", ""), "Day": start.get("day", ""),
            "End Year": end.get("year", ""), "End Month": end.get("month", ""), "End Day": end.get("day", ""),
            "Display Date": display_date_noted(row),
            "Headline": html.escape(headline(row) + (" (proposed)" if row["stage"] == "proposed" else "")),
            "Text": _timelinejs_text(row, documents, base_url),
            "Media": media.get("url", ""), "Media Credit": media.get("credit", ""),
            "Media Caption": media.get("caption", ""), "Group": row["tool"],
        })
    return out.getvalue()


def to_ics(rows, filters=None, documents=None, base_url="", **_):
    """An iCalendar file: one all-day event per dated measure, spanning the days its date can mean."""
    import arrow
    from ics import Calendar, Event
    from ics.grammar.parse import ContentLine

    calendar_ = Calendar(creator="-//banwatch//timeline export//EN")
    calendar_.extra.append(ContentLine(name="X-WR-CALNAME", params={}, value=title_of(filters)))
    stamp = arrow.utcnow()
    for row in rows:
        if not row.get("date_start"):
            continue
        record = timeline_record(row, base_url)
        lines = [record["summary"], status_sentence(row)]
        if row.get("date_precision") != "day":
            lines.append(f"Date known only to the {row.get('date_precision')}: {row['date']}.")
        if record["date_disputed"]:
            lines.append("Sources disagree on the date.")
        if record["reasons"]:
            lines.append("Reasons: " + ", ".join(r.replace("_", " ") for r in record["reasons"]))
        lines.append(f"Event ID: {record['event_id']}")
        lines += ["Sources:"] + [url for url in record["sources"] if is_http_url(url)]
        url = record["event_url"] if is_http_url(record["event_url"]) else \
            next((u for u in record["sources"] if is_http_url(u)), None)
        event = Event(
            name=f"[{record['status_label']}] {headline(row)}", begin=row["date_start"],
            end=row.get("date_end") or row["date_start"],
            uid=f"{record['event_id']}@banwatch", description="\n".join(lines), url=url,
            categories=[record["action"], record["tool"], record["status_label"]], created=stamp,
            status="TENTATIVE" if record["stage"] == "proposed" or record["status"] != "verified" else "CONFIRMED",
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


def to_markdown(rows, filters=None, documents=None, base_url="", **_):
    """A readable chronology: one section per year, one entry per measure, its status and its sources linked."""
    documents = documents or {}
    lines = [f"# {md(title_of(filters))}", "",
             f"{md(title_text(rows, filters))} Each entry links the reports it rests on.", ""]
    year = object()
    for row in rows:
        this_year = row["date"][:4] if row.get("date") else "Undated"
        if this_year != year:
            year = this_year
            lines += [f"## {this_year}", ""]
        record = timeline_record(row, base_url)
        where = record["jurisdiction"] or record["country"]
        head = f"- **{md(display_date_noted(row))}** · {md(record['agency'])}" + (f" ({md(where)})" if where else "")
        head += f" · **{record['action']}**{' (proposed)' if record['stage'] == 'proposed' else ''} · {md(record['tool'])}"
        head += f" · _{md(record['status_label'])}_"
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
        event_id = f"`{record['event_id']}`"
        details.append(f"[{event_id}]({record['event_url']})" if is_http_url(record["event_url"]) else event_id)
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
