"""Datasette metadata for kb.db: generates /work/main/metadata.yml.

    python -m publish.datasette_plugin.metadata > metadata.yml

Table and column descriptions come from banwatch.kbdb (the one place they are written); the views'
columns are described here, and so are the things only publishing cares about: facets, sorts,
label columns, full-text search and the canned queries (including the Atom and iCalendar feeds).
A test checks that metadata.yml is what this module generates and that every column of every
table and view is described, so the file cannot drift from the schema.
"""
import sys

import sqlite_utils
import yaml

from banwatch.kbdb import TABLES, VIEWS, column_descriptions, ensure_db_shape

DATABASE = "kb"

DESCRIPTION_HTML = """\
<div class="banwatch-home">
<p class="banwatch-lede"><strong>banwatch</strong> tracks government and institutional bans and restrictions of AI
tools: who acted (NASA, the U.S. Navy, Italy's data protection authority, Texas, ...), on which tool (DeepSeek,
ChatGPT, Copilot, ...), when, why and how far. Every fact is read from news reports and official notices, and every
event links the sources it rests on, with the sentence each one states it in.</p>
<ul class="banwatch-start">
<li><a href="/-/timeline"><strong>Timeline</strong></a> measures over time, by tool, jurisdiction and action, with each
tool's diffusion curve</li>
<li><a href="/-/map"><strong>Map</strong></a> which countries and states acted, coloured by their strongest measure</li>
<li><a href="/-/graph"><strong>Network</strong></a> who acted on what, and who followed whom</li>
<li><a href="/-/search"><strong>Search</strong></a> events first, with the words that matched</li>
<li><a href="/-/review"><strong>Needs review</strong></a> low-confidence readings, their evidence and how to settle them</li>
<li><a href="/kb"><strong>All tables and ready-made queries</strong></a> for SQL and CSV/JSON</li>
</ul>
<p class="banwatch-feeds">Follow and take away: <a href="/-/export/">every export and feed</a>, among them the
<a href="/kb/new_events.atom">Atom feed of new events</a>, the <a href="/kb/calendar.ics">calendar feed</a> and the
timeline as <a href="/-/export/timeline.csv">CSV</a>, <a href="/-/export/timeline.json">JSON</a>,
<a href="/-/export/timeline.timelinejs.json">TimelineJS</a>, <a href="/-/export/timeline.ics">ICS</a> and
<a href="/-/export/timeline.md">Markdown</a>.</p>
<p class="banwatch-note">Every event says how far it can be trusted: <em>verified</em> (a curator checked it against
its sources), <em>machine-read</em> (the extractor read it with a confidence at or above the review threshold; no
person has checked it) or <em>needs review</em> (below it: kept, but left out of the timeline, map, feeds and exports
until a curator settles it). Where sources disagree (a different date, a ban reported as a restriction) both readings
are kept and flagged. The demo data (<code>banwatch demo</code>) is built from reconstructions of real reports
written for this project, each linking to the original; the reports themselves belong to their publishers.</p>
</div>"""

LICENSE = "CC BY 4.0 (the reports it links to belong to their publishers)"
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
SOURCE = "News reports and official notices (each event links its sources)"
SOURCE_URL = "/kb/documents"

# Columns of the views that are not simply a column of events/agencies/tools/... by the same name.
VIEW_DESCRIPTIONS = {
    "timeline": ("One row per event with the names spelled out: the design's timeline record, the source of every "
                 "export (/-/export/timeline.csv, .json, ...)."),
    "events_by_jurisdiction": "Events counted per jurisdiction of the agency that acted, by stage and action.",
    "events_by_country": "Events counted per country (states and cities count towards their country).",
    "events_by_tool": "Events counted per tool: how many agencies, jurisdictions and countries acted on it.",
    "adoption_order": ("Each agency's first enacted ban, restriction or suspension of each tool, in order, with its lag "
                       "after the tool's first mover. Undated events cannot be ordered and are left out."),
    "first_movers": "The first agency to ban, restrict or suspend each tool, and how many followed.",
    "date_reports": "Every distinct date the sources of an event report, with those sources: where dates disagree.",
    "disputed_events": "Events whose sources disagree on the date or on the action, with every source's reading.",
    "unverified_entities": ("Agencies and tools found only by extraction, not in the reference data: awaiting a "
                            "curator (kb/curation/entities.yml)."),
    "tool_adoptions": ("Each agency's first enacted ban, restriction or suspension of each tool among published events "
                       "(verified or machine-read), its date as the days it can mean, and whether it is a first mover "
                       "(no other adoption surely came before it: a month-only date is any day of its month)."),
    "followed": ("Who followed whom: agency B acted on a tool after agency A of another jurisdiction, surely later and "
                 "within 120 days (the graph's followed edges), with the lag as an interval of days."),
    "review_queue": ("Events that need review: machine readings below the build's review threshold, kept but left out "
                     "of the default timeline, feeds and exports. Settle them in kb/curation/events.yml (see /-/review)."),
}
VIEW_COLUMNS = {
    "*": {
        "event_id": "Event (stable ID: cite this)",
        "agency": "Agency name",
        "jurisdiction": "Jurisdiction name",
        "country": "Country name",
        "tool": "Tool name",
        "vendor": "Vendor name",
        "vendor_id": "Vendor",
        "n_events": "Events",
        "n_enacted": "Enacted measures",
        "n_proposed": "Proposed measures",
        "n_restrictive": "Bans, restrictions and suspensions",
        "n_ban": "Bans", "n_restrict": "Restrictions", "n_suspend": "Suspensions", "n_lift": "Lifts",
        "n_investigate": "Investigations", "n_warn": "Warnings",
        "n_agencies": "Distinct agencies", "n_tools": "Distinct tools",
        "n_jurisdictions": "Distinct jurisdictions", "n_countries": "Distinct countries",
        "first_date": "Earliest event date (first day it can mean)",
        "last_date": "Latest event date (first day it can mean)",
    },
    "timeline": {
        "action": "ban · restrict · suspend · lift · investigate · warn (see stage: a proposed ban is no ban yet)",
        "sources": "JSON list of source URLs, earliest published first",
        "verified": "1 = confirmed, corrected or added by a human curator",
    },
    "events_by_jurisdiction": {"type": "Jurisdiction type: country · state · province · ...",
                               "country_id": "Country of the jurisdiction"},
    "events_by_tool": {"vendor_country_id": "Country where the vendor is based"},
    "adoption_order": {"rank": "Order among the agencies that acted on the tool (1 = first mover; ties share a rank)",
                       "event_id": "The agency's first such event",
                       "days_after_first": "Days after the tool's first mover"},
    "first_movers": {"event_id": "The first mover's event",
                     "n_followers": "Agencies that acted on the tool after it"},
    "date_reports": {"reported_date": "A date the sources report (NULL: undated)",
                     "n_sources": "Sources reporting this date",
                     "sources": "JSON list of their document URLs",
                     "date_texts": "JSON list of the words each read the date from",
                     "event_date": "The date the event was given",
                     "chosen": "1 when this is the event's date"},
    "disputed_events": {"reports": "JSON list of every source's reading: date, precision, date_source, date_text, "
                                   "action, url"},
    "tool_adoptions": {"event_id": "The agency's first such event", "date_start": "First day its date can mean",
                       "date_end": "Last day its date can mean",
                       "n_surely_before": "Adoptions of the tool that surely came before it",
                       "first_mover": "1 when no other adoption surely came before it",
                       "jurisdiction_id": "Jurisdiction of the agency (its country when none)"},
    "followed": {"follower_id": "Agency that followed", "follower": "Its name",
                 "follower_jurisdiction_id": "Its jurisdiction", "follower_event_id": "Its first such event",
                 "follower_date": "Its date", "leader_id": "Agency it followed (a first mover or the latest before)",
                 "leader": "Its name", "leader_jurisdiction_id": "Its jurisdiction",
                 "leader_event_id": "Its first such event", "leader_date": "Its date",
                 "relation": "first_mover · predecessor · both",
                 "lag_min_days": "Days between the two at least (dates as intervals)",
                 "lag_max_days": "Days between the two at most"},
    "review_queue": {"sources": "JSON list of source URLs"},
    "unverified_entities": {"kind": "agency · tool", "id": "Entity id (unverified-...)", "name": "Name",
                            "type": "Agency: the extractor's entity label; tool: its kind",
                            "mentions": "JSON list of the names sources used",
                            "n_events": "Events naming it"},
}

TABLE_OPTIONS = {
    # {"list": ...}: publish.datasette_plugin.facets.ListFacet, the array facet without its slow de-duplication.
    # {"action_stage": "action"}: facets.ActionStageFacet, "ban · enacted" apart from "ban · proposed".
    "events": {"facets": [{"action_stage": "action"}, "status", "tool_id", "jurisdiction_id", "year",
                          {"list": "reasons"}],
               "sort_desc": "date_start"},
    "event_sources": {"facets": ["status", "action", "date_source"], "sort_desc": "published"},
    "documents": {"facets": ["site", "language", "kind"], "sort_desc": "published", "label_column": "title"},
    "agencies": {"facets": ["type", "jurisdiction_id", "verified"], "sort_desc": "n_events", "label_column": "name"},
    "tools": {"facets": ["kind", "vendor_id", "verified"], "sort_desc": "n_events", "label_column": "name"},
    "jurisdictions": {"facets": ["type", "parent_id"], "sort_desc": "n_events", "label_column": "name"},
    "vendors": {"facets": ["country_id"], "sort_desc": "n_events", "label_column": "name"},
    "reasons": {"sort_desc": "n_events", "label_column": "label"},
    "event_reasons": {"facets": ["reason_id", "curated"]},
    "event_redirects": {"facets": ["reason"], "sort_desc": "since"},
    "curation_log": {"facets": ["status", "action", "file"]},
    "build_info": {"sort_desc": "id"},
    "graph_nodes": {"facets": ["kind", "verified"], "label_column": "label"},
    "graph_edges": {"facets": ["kind", "action", "stage"]},
    "graph_metrics": {"facets": ["metric"]},
    # Every facet of a view evaluates the whole view (its joins) again: the three the timeline filters by.
    # The events table has them all, cheaply.
    "timeline": {"facets": ["tool", "jurisdiction", {"action_stage": "action"}, "status"], "sort_desc": "date_start"},
    "adoption_order": {"facets": ["tool", "action"]},
    "tool_adoptions": {"facets": ["tool", "first_mover", "status"]},
    "followed": {"facets": ["tool", "relation"]},
    "review_queue": {"facets": ["tool", {"action_stage": "action"}]},
    "first_movers": {"facets": ["tool", "action"]},
    "date_reports": {"facets": ["date_source", "reported_precision", "chosen"]},
    "disputed_events": {"facets": ["tool", "action", "date_disputed", "action_disputed"]},
    "unverified_entities": {"facets": ["kind", "type"]},
}

# `:tool` as an id, a name or an alias, like `banwatch export timeline --tool`; empty: the tool with
# the most events, so a query opens on something useful.
TOOL_ID = """(select id from tools
   where (:tool = '' and n_events > 0) or lower(id) = lower(:tool) or lower(name) = lower(:tool)
      or exists (select 1 from json_each(coalesce(tools.aliases, '[]')) where lower(value) = lower(:tool))
   order by n_events desc limit 1)"""
# What may become a link: an http(s) URL (a curated `javascript:` URL must stay text).
HTTP = "(lower(substr(trim({0}), 1, 7)) = 'http://' or lower(substr(trim({0}), 1, 8)) = 'https://')"
# Published events: verified and machine-read (needs_review ones are on /-/review).
PUBLISHED = "e.status in ('verified', 'machine')"
STATUS_LABEL = ("case e.status when 'verified' then 'verified by a curator' when 'machine' then "
                "'machine-read (confidence ' || printf('%.2f', e.confidence) || '), not checked by a person' "
                "else 'needs review' end")
# The event page, relative to the site (feed readers resolve it against the feed's address).
EVENT_PATH = "'/-/event/' || e.id"

QUERIES = {
    "tool_timeline": {
        "title": "Timeline of one tool",
        "description": ("Every published measure on one tool, oldest first. tool: an id, name or alias, e.g. deepseek, "
                        "ChatGPT; empty: the tool with the most measures."),
        # Few columns: Datasette renders every row of a canned query at once, each cell through the
        # render_cell hooks, and a tool can have hundreds of measures (each event ID links to its page,
        # with the summary and sources): the jurisdiction goes with the agency, the stage with the action.
        "sql": f"""select event_id, date, tool, agency || coalesce(' (' || jurisdiction || ')', '') as agency,
  action || case when stage = 'proposed' then ' (proposed)' else '' end as action, n_sources, status
from timeline
where tool_id = {TOOL_ID} and status in ('verified', 'machine')
order by date_start is null, date_start, event_id""",
    },
    "who_acted_on_tool": {
        "title": "Who acted on a tool",
        "description": ("Agencies that took any published measure on one tool: how often, how, and when first and last. "
                        "tool: an id, name or alias; empty: the tool with the most measures."),
        "sql": f"""select t.name as tool, a.name as agency, e.agency_id, j.name as jurisdiction, e.jurisdiction_id,
  count(*) as n_events,
  (select group_concat(action, ', ') from (select x.action || case when x.stage = 'proposed' then ' (proposed)'
     else '' end as action, min(x.date_start) as first from events x
     where x.agency_id = e.agency_id and x.tool_id = e.tool_id and x.status in ('verified', 'machine')
     group by 1 order by first, 1)) as actions,
  sum(e.stage = 'proposed') as n_proposed,
  min(e.date_start) as first_date, max(e.date_start) as last_date,
  json_group_array(e.id) as event_ids
from events e
join agencies a on a.id = e.agency_id
join tools t on t.id = e.tool_id
left join jurisdictions j on j.id = e.jurisdiction_id
where e.tool_id = {TOOL_ID} and {PUBLISHED}
group by e.agency_id
order by first_date is null, first_date, agency""",
    },
    "first_movers_per_tool": {
        "title": "First movers",
        "description": ("The first agencies to ban, restrict or suspend each tool (dates as intervals: one that acted "
                        "\"in January\" ties with one that acted on 24 January), how many followed within 120 days "
                        "from another jurisdiction, and the median lag. Leave tool empty for every tool."),
        "sql": f"""select f.tool, f.tool_id, f.agency, f.agency_id, f.jurisdiction_id, f.action, f.date, f.event_id,
  (select count(*) from followed w where w.tool_id = f.tool_id and w.leader_id = f.agency_id) as n_followers,
  (select value from graph_metrics m where m.subject = 'tool:' || f.tool_id and m.metric = 'median_days_to_follow')
    as median_days_to_follow
from tool_adoptions f
where f.first_mover = 1 and (:tool = '' or f.tool_id = {TOOL_ID})
order by f.date_start, f.tool_id, f.agency_id""",
    },
    "measures_per_month": {
        "title": "Measures per jurisdiction per month",
        "description": ("Published events per month and jurisdiction (by the first day their date can mean; events dated only "
                        "to the year are left out). jurisdiction: an id such as us or it, empty for all; a country "
                        "includes its states."),
        "sql": """select substr(e.date_start, 1, 7) as month, e.jurisdiction_id, j.name as jurisdiction,
  count(*) as n_measures,
  sum(e.action in ('ban', 'restrict', 'suspend')) as n_restrictive,
  sum(e.action = 'lift') as n_lift, sum(e.action in ('investigate', 'warn')) as n_investigate_or_warn,
  sum(e.stage = 'proposed') as n_proposed
from events e
left join jurisdictions j on j.id = e.jurisdiction_id
where e.date_precision in ('day', 'month') and e.status in ('verified', 'machine')
  and (:jurisdiction = '' or e.jurisdiction_id = lower(:jurisdiction) or e.country_id = lower(:jurisdiction))
group by month, e.jurisdiction_id
order by month, n_measures desc, e.jurisdiction_id""",
    },
    "sources_disagree": {
        "title": "Events whose sources disagree",
        "description": ("Events whose sources report different dates or different actions; every reading is kept. "
                        "Open an event page (/-/event/ID) to see the sources side by side."),
        "sql": """select d.event_id, d.agency, d.tool, d.action, d.stage, d.date, d.date_rule,
  d.date_disputed, d.action_disputed,
  (select group_concat(coalesce(r.reported_date, 'undated') || ' (' || r.n_sources || ')', '; ')
     from date_reports r where r.event_id = d.event_id) as reported_dates,
  (select group_concat(distinct s.action) from event_sources s
     where s.event_id = d.event_id and s.status = 'merged') as reported_actions,
  d.n_sources
from disputed_events d
order by d.date is null, d.date, d.event_id""",
    },
    "entities_to_review": {
        "title": "Unverified entities awaiting review",
        "description": ("Agencies and tools the extractor found that the reference data does not know. Confirm, "
                        "correct or merge them in kb/curation/entities.yml; the next build applies it."),
        "sql": """select u.kind, u.id, u.name, u.type, u.jurisdiction_id, u.mentions, u.n_events,
  (select json_group_array(id) from (select id from events e
     where (u.kind = 'agency' and e.agency_id = u.id) or (u.kind = 'tool' and e.tool_id = u.id)
     order by e.date_start limit 5)) as example_events
from unverified_entities u
order by u.n_events desc, u.id""",
    },
    "new_events": {
        "title": "banwatch: new events (Atom feed)",
        "description": ("The 100 published events (verified or machine-read) most recently added to the knowledge base, "
                        "newest first. Subscribe to it as an Atom feed: /kb/new_events.atom. Each entry links its "
                        "event page and says whether a curator verified it."),
        "sql": f"""select 'urn:banwatch:event:' || e.id as atom_id,
  '[' || case e.status when 'verified' then 'verified' else 'machine-read' end || '] '
    || a.name || ' ' || case e.action when 'lift' then 'lifted its measure on' when 'investigate' then 'investigated'
       when 'warn' then 'warned against' else e.action || case when e.action = 'ban' then 'ned' else 'ed' end end
    || ' ' || t.name || case when e.stage = 'proposed' then ' (proposed)' else '' end
    || ' (' || coalesce(e.date, 'date unknown') || ')' as atom_title,
  coalesce(e.updated_at, e.first_seen) as atom_updated,
  '<p>' || replace(replace(replace(a.name || coalesce(' (' || j.name || ')', '') || ': ' || e.action || ', ' || e.stage
    || ', ' || t.name || '. Date: ' || coalesce(e.date, 'unknown')
    || case when e.date_disputed then ' (sources disagree)' else '' end, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')
    || '</p><p><strong>Status:</strong> ' || {STATUS_LABEL} || '</p>'
    || '<p>Reasons: ' || coalesce((select group_concat(replace(value, '_', ' '), ', ')
                                   from json_each(coalesce(e.reasons, '[]'))), 'none stated') || '</p>'
    || '<p>Event ID: ' || e.id || '</p><p>Sources:</p><ul>'
    || coalesce((select group_concat('<li><a href="' || replace(replace(replace(value, '&', '&amp;'), '"', '&quot;'),
                                     '<', '&lt;') || '">'
                                     || replace(replace(value, '&', '&amp;'), '<', '&lt;') || '</a></li>', '')
                 from json_each(coalesce(e.source_urls, '[]')) where {HTTP.format('value')}), '')
    || '</ul>' as atom_content_html,
  {EVENT_PATH} as atom_link,
  e.id as event_id, e.status, e.first_seen, e.date, e.action, e.stage
from events e
join agencies a on a.id = e.agency_id
join tools t on t.id = e.tool_id
left join jurisdictions j on j.id = e.jurisdiction_id
where {PUBLISHED}
order by e.first_seen desc, e.date_start desc, e.id
limit 100""",
    },
    "calendar": {
        "title": "banwatch: calendar of measures (iCalendar feed)",
        "description": ("Published dated events (verified or machine-read) as an iCalendar feed: /kb/calendar.ics (the "
                        "latest 1,000). For all-day events spanning month- and year-precision dates use "
                        "/-/export/timeline.ics."),
        "sql": f"""select '[' || case e.status when 'verified' then 'verified' else 'machine-read' end || '] '
    || a.name || ': ' || e.action || case when e.stage = 'proposed' then ' (proposed)' else '' end || ' ' || t.name
    as event_name,
  e.date_start as event_dtstart,
  e.id || '@banwatch' as event_uid,
  'Status: ' || {STATUS_LABEL} || char(10) || 'Event ID: ' || e.id || char(10)
    || 'Event page: ' || {EVENT_PATH} || char(10)
    || 'Date: ' || e.date || ' (' || e.date_precision || ' precision)' || char(10)
    || 'Sources: ' || coalesce((select group_concat(value, ' ') from json_each(coalesce(e.source_urls, '[]'))
                                where {HTTP.format('value')}), '')
    as event_description,
  e.id as event_id, e.status, e.date, e.action, e.stage
from events e
join agencies a on a.id = e.agency_id
join tools t on t.id = e.tool_id
where e.date_start is not null and {PUBLISHED}
order by e.date_start desc, e.id
limit 1000""",
    },
    "review_queue_with_evidence": {
        "title": "Events that need review",
        "description": ("Machine readings below the review threshold, lowest confidence first, with the evidence each "
                        "rests on. /-/review shows them with the curation YAML that confirms, rejects or corrects them."),
        "sql": """select r.event_id, r.agency, r.tool, r.action, r.stage, r.date, r.confidence,
  (select group_concat(s.evidence, ' | ') from event_sources s where s.event_id = r.event_id and s.status = 'merged')
    as evidence,
  r.sources
from review_queue r
order by r.confidence, r.date_start, r.event_id""",
    },
}


# What publishing adds to a table's description from banwatch.kbdb: how not to miscount.
TABLE_NOTES = {
    "events": (" Count measures with their stage: action = 'ban' alone includes proposed bans (bills, calls); "
               "add stage = 'enacted' for measures in force. status says how far each can be trusted: verified, "
               "machine (read with high confidence) or needs_review (left out of the default pages and exports)."),
}


def view_columns():
    """{view: [column, ...]} as SQLite reports them on an empty kb.db."""
    db = sqlite_utils.Database(memory=True)
    ensure_db_shape(db)
    return {view: [column.name for column in db[view].columns] for view in VIEWS}


def describe_view_column(view, column, tables):
    """A view column's description: the view's own note, a shared note, or the events/... column of that name."""
    for notes in (VIEW_COLUMNS.get(view, {}), VIEW_COLUMNS["*"]):
        if column in notes:
            return notes[column]
    for table in ("events", "agencies", "tools", "jurisdictions", "vendors", "event_sources"):
        if column in tables[table]["columns"]:
            return tables[table]["columns"][column]
    return None


def build_metadata():
    """The metadata.yml document as a dict."""
    tables_described = column_descriptions()
    tables = {}
    for name, described in tables_described.items():
        tables[name] = {"description": described["description"] + TABLE_NOTES.get(name, ""), **TABLE_OPTIONS.get(name, {})}
        if TABLES[name].fts:
            # sqlite-utils' index, keyed by the table's rowid (so no fts_pk: the text ids are not rowids).
            tables[name]["fts_table"] = f"{name}_fts"
        tables[name]["columns"] = described["columns"]
    for view, columns in view_columns().items():
        tables[view] = {"description": VIEW_DESCRIPTIONS.get(view), **TABLE_OPTIONS.get(view, {}),
                        "columns": {c: describe_view_column(view, c, tables_described) for c in columns}}
    return {
        "title": "banwatch: government bans and restrictions of AI tools",
        "description_html": DESCRIPTION_HTML,
        "license": LICENSE,
        "license_url": LICENSE_URL,
        "source": SOURCE,
        "source_url": SOURCE_URL,
        "databases": {
            DATABASE: {
                "description": ("The banwatch knowledge base: events (measures) merged from every source that "
                                "reported them, the agencies, jurisdictions, tools and vendors involved, the "
                                "evidence, and the linked graph."),
                "tables": tables,
                "queries": QUERIES,
            }
        },
    }


def undescribed(metadata):
    """["table.column", ...] for every table/view column metadata leaves without a description."""
    missing = []
    tables = metadata["databases"][DATABASE]["tables"]
    for name in list(TABLES) + list(VIEWS):
        entry = tables.get(name) or {}
        if not entry.get("description"):
            missing.append(name)
        missing += [f"{name}.{c}" for c, text in (entry.get("columns") or {}).items() if not text]
    return missing


class _LiteralDumper(yaml.SafeDumper):
    """Multi-line strings (SQL, HTML) as YAML block literals, so metadata.yml reads like the source."""


def _str_presenter(dumper, value):
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_LiteralDumper.add_representer(str, _str_presenter)


def metadata_yaml():
    header = ("# Generated by `python -m publish.datasette_plugin.metadata > metadata.yml`: edit that module\n"
              "# (or banwatch/kbdb.py for table and column descriptions), not this file.\n")
    return header + yaml.dump(build_metadata(), Dumper=_LiteralDumper, sort_keys=False, allow_unicode=True,
                              width=120)


def main():
    missing = undescribed(build_metadata())
    if missing:
        print(f"warning: no description for {', '.join(missing)}", file=sys.stderr)
    sys.stdout.write(metadata_yaml())


if __name__ == "__main__":
    main()
