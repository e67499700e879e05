"""The shape of kb.db: tables, foreign keys, indexes, full-text search and views.

This module is the authoritative description of kb.db (docs/architecture.md summarises it). Every
table and column is declared once, below, with a one-line description that Datasette's
metadata.yml can reuse (`column_descriptions()`); `ensure_db_shape(db)` creates whatever is
missing and is safe to run on a database that already has it.

Conventions: ids are lowercase slugs; dates are ISO `YYYY-MM-DD`, `YYYY-MM` or `YYYY` with a
`*_precision` of day, month or year; timestamps are ISO 8601 UTC; columns named in JSON_COLUMNS
hold JSON text; flags are 0/1 integers.
"""
import contextlib
from dataclasses import dataclass, field

import networkx as nx

from banwatch.vocab import (  # noqa: F401 (kb.db's vocabularies)
    ACTIONS,
    PRECISIONS,
    REASONS,
    SOURCE_STATUSES,
    STAGES,
    STATUSES,
)

# Bump when a table or column changes: a kb.db of another version is rebuilt, not patched.
SCHEMA_VERSION = 4



@dataclass
class TableSpec:
    description: str
    columns: dict  # name -> (type, description)
    pk: object
    foreign_keys: list = field(default_factory=list)
    indexes: list = field(default_factory=list)
    fts: list = field(default_factory=list)
    not_null: tuple = ()


TABLES = {
    "jurisdictions": TableSpec(
        "Countries, states, provinces, prefectures, cities and supranational bodies (reference data).",
        {
            "id": (str, "Slug: `us`, `us-tx`, `it`, `eu`"),
            "name": (str, "Name"),
            "type": (str, "country · state · province · prefecture · city · supranational"),
            "parent_id": (str, "The jurisdiction this one is part of (Texas -> us)"),
            "country_id": (str, "The country it lies in (itself for a country)"),
            "iso": (str, "ISO 3166 code"),
            "qid": (str, "Wikidata QID"),
            "aliases": (str, "JSON list of other names"),
            "demonyms": (str, "JSON list of demonyms (Italian, Italy's)"),
            "n_events": (int, "Events by agencies of this jurisdiction"),
        },
        pk="id",
        foreign_keys=[("parent_id", "jurisdictions", "id"), ("country_id", "jurisdictions", "id")],
        indexes=[["parent_id"], ["country_id"]],
    ),
    "agencies": TableSpec(
        "Governments, agencies, legislatures, regulators, courts, companies and universities that acted. "
        "Reference entities are verified; agencies found only by extraction are unverified until curated.",
        {
            "id": (str, "Slug; unverified agencies are `unverified-<jurisdiction>-<name>`"),
            "name": (str, "Canonical name"),
            "short": (str, "Short name or acronym"),
            "type": (str, "national_government · ministry · agency · military · legislature · regulator · dpa · court · ... "
                          "(for unverified agencies: the extractor's entity label)"),
            "parent_id": (str, "The agency this one is part of (the Navy -> Department of Defense)"),
            "jurisdiction_id": (str, "Jurisdiction it belongs to"),
            "country_id": (str, "Country of its jurisdiction"),
            "qid": (str, "Wikidata QID"),
            "verified": (int, "1 = from the reference data or confirmed by curation; 0 = found only by extraction"),
            "aliases": (str, "JSON list of other names"),
            "people": (str, "JSON list of office holders whose orders are the agency's"),
            "mentions": (str, "JSON list of the names sources used (unverified agencies)"),
            "n_events": (int, "Events of this agency"),
        },
        pk="id",
        foreign_keys=[("parent_id", "agencies", "id"), ("jurisdiction_id", "jurisdictions", "id"),
                      ("country_id", "jurisdictions", "id")],
        indexes=[["parent_id"], ["jurisdiction_id"], ["country_id"], ["verified"]],
    ),
    "vendors": TableSpec(
        "Companies that make AI tools (reference data).",
        {
            "id": (str, "Slug"),
            "name": (str, "Name"),
            "country_id": (str, "Country where the vendor is based"),
            "parent_id": (str, "Parent company"),
            "qid": (str, "Wikidata QID"),
            "aliases": (str, "JSON list of other names"),
            "n_events": (int, "Events about this vendor's tools"),
        },
        pk="id",
        foreign_keys=[("country_id", "jurisdictions", "id"), ("parent_id", "vendors", "id")],
        indexes=[["country_id"]],
    ),
    "tools": TableSpec(
        "AI tools and apps that were banned or restricted.",
        {
            "id": (str, "Slug; unverified tools are `unverified-<name>`"),
            "name": (str, "Name"),
            "vendor_id": (str, "Vendor"),
            "kind": (str, "chatbot · model · assistant · image_generator · app"),
            "qid": (str, "Wikidata QID"),
            "verified": (int, "1 = from the reference data; 0 = found only by extraction"),
            "aliases": (str, "JSON list of other names"),
            "mentions": (str, "JSON list of the names sources used (unverified tools)"),
            "n_events": (int, "Events about this tool"),
        },
        pk="id",
        foreign_keys=[("vendor_id", "vendors", "id")],
        indexes=[["vendor_id"], ["verified"]],
    ),
    "reasons": TableSpec(
        "The fixed vocabulary of reasons a measure cites.",
        {
            "id": (str, "national_security · data_privacy · data_sovereignty · cybersecurity · confidentiality · "
                        "disinformation_censorship · harmful_content · legal_compliance · unvetted · other"),
            "label": (str, "Label"),
            "description": (str, "What it covers"),
            "n_events": (int, "Events citing it"),
        },
        pk="id",
    ),
    "documents": TableSpec(
        "Every document read: news articles, press releases, notices. Metadata and evidence only; the full "
        "text is included only in builds made with --full-text.",
        {
            "url": (str, "Canonical URL"),
            "title": (str, "Headline"),
            "site": (str, "Publisher's site"),
            "published": (str, "Publication date YYYY-MM-DD"),
            "published_source": (str, "Where the publication date came from: jsonld · meta · htmldate · feed · pdf · url"),
            "language": (str, "ISO 639-1 language"),
            "kind": (str, "article · pdf · ... (curated: a source named in a curation file)"),
            "source": (str, "Crawl source it came from (sources.yml name), or `curation`"),
            "fetched_at": (str, "Last fetch (UTC)"),
            "sha256": (str, "SHA-256 of the page body extracted"),
            "extractor_version": (str, "Extractor version that read it"),
            "extracted_at": (str, "When it was extracted (UTC)"),
            "canonical_url": (str, "rel=canonical the page declared"),
            "error": (str, "Why text or metadata could not be read, if so"),
            "n_extractions": (int, "Measures the extractor read from it"),
            "n_events": (int, "Events it is a source of"),
            "origin": (str, "crawl · curation"),
            "text": (str, "Full text (only with --full-text)"),
        },
        pk="url",
        indexes=[["published"], ["site"]],
        fts=["title", "text"],
    ),
    "events": TableSpec(
        "Measures: one row per (agency, tool, action, stage, date), merged from every source that reported it.",
        {
            "id": (str, "Stable ID `agency--tool--action[-proposed]--YYYY-MM` (cite this)"),
            "agency_id": (str, "Agency that acted"),
            "tool_id": (str, "Tool acted on"),
            "jurisdiction_id": (str, "Jurisdiction of the agency"),
            "country_id": (str, "Country of that jurisdiction"),
            "action": (str, "ban · restrict · suspend · lift · investigate · warn"),
            "stage": (str, "enacted · proposed"),
            "date": (str, "When the measure was issued or took effect (failing that, first reported): YYYY-MM-DD, YYYY-MM or YYYY"),
            "date_precision": (str, "day · month · year"),
            "date_start": (str, "First day the date can mean (for sorting and lags)"),
            "date_end": (str, "Last day the date can mean"),
            "year": (str, "Year of the date (for facets)"),
            "date_rule": (str, "How the date was chosen: most_attested_day · most_attested_month · most_attested_year · "
                               "first_reported · curated · undated"),
            "date_disputed": (int, "1 when sources state incompatible dates (see date_reports)"),
            "action_disputed": (int, "1 when sources disagree on ban / restrict / suspend"),
            "summary": (str, "One generated sentence"),
            "scope": (str, "What the measure covers (devices, networks, staff, data)"),
            "reasons": (str, "JSON list of reasons cited by any source (details in event_reasons)"),
            "source_urls": (str, "JSON list of the source URLs, earliest published first"),
            "confidence": (float, "Machine confidence 0-1: the best source's calibrated confidence"),
            "verified": (int, "1 = confirmed, corrected or added by a human curator"),
            "status": (str, "verified (curated) · machine (confidence at or above the build's review threshold) · "
                            "needs_review (below it, or see review_note: kept, left out of the default timeline, "
                            "feeds and exports)"),
            "review_note": (str, "Why a confident machine-read event still needs review (it may be another "
                                 "event's measure reported at a higher level)"),
            "curated_fields": (str, "JSON list of fields set by curation"),
            "curation_note": (str, "Curator's note"),
            "n_sources": (int, "Reports merged into it"),
            "n_documents": (int, "Distinct documents among them"),
            "first_reported": (str, "Earliest publication date among its sources"),
            "last_reported": (str, "Latest publication date among its sources"),
            "first_seen": (str, "When a build first published this event (UTC)"),
            "updated_at": (str, "When a build last changed it (UTC)"),
            "machine_id": (str, "The ID its machine-read fields give (before curation)"),
            "group_key": (str, "agency|tool|action family|stage: the merging group (internal)"),
            "content_hash": (str, "Hash of the published fields (internal)"),
        },
        pk="id",
        foreign_keys=[("agency_id", "agencies", "id"), ("tool_id", "tools", "id"),
                      ("jurisdiction_id", "jurisdictions", "id"), ("country_id", "jurisdictions", "id")],
        # action, stage, year and reasons are the table's facets: Datasette counts them with a scan of
        # their index instead of the table. The build ANALYZEs kb.db, so the planner knows they are not
        # selective and keeps preferring the agency, tool and date indexes for filters. date_start
        # carries date_precision and action so the timeline's month chart reads the index alone.
        indexes=[["date_start", "date_precision", "action"], ["agency_id"], ["tool_id", "date_start"],
                 ["jurisdiction_id"], ["country_id"], ["group_key"], ["machine_id"], ["first_seen"],
                 ["action"], ["stage"], ["year"], ["reasons"], ["status"]],
        fts=["summary", "scope"],
    ),
    "event_sources": TableSpec(
        "Every measure the extractor read from a document (and every source a curator added), with its evidence "
        "sentence and the date that source reported. status=merged rows are the sources of their event; rejected "
        "and invalid rows are kept, with the reason, so nothing read is lost.",
        {
            "id": (str, "Extraction id from crawl.db (or `curated-...` for a curated source)"),
            "event_id": (str, "Event it is a source of (NULL unless status = merged)"),
            "status": (str, "merged · rejected (by curation) · invalid (unusable: see status_note)"),
            "status_note": (str, "Why it was rejected or is invalid"),
            "document_url": (str, "Document it was read from"),
            "idx": (int, "Position among the document's extractions"),
            "agency_id": (str, "Agency after resolution and curation"),
            "resolved_agency_id": (str, "Agency as resolved before curated entity merges"),
            "agency_name": (str, "Agency name as the extractor gave it"),
            "agency_mention": (str, "Words the document used for the agency"),
            "agency_kind": (str, "Reference type or NER label"),
            "tool_id": (str, "Tool after resolution and curation"),
            "resolved_tool_id": (str, "Tool as resolved before curated entity merges"),
            "tool_name": (str, "Tool name as the extractor gave it"),
            "tool_mention": (str, "Words the document used for the tool"),
            "jurisdiction_id": (str, "Jurisdiction the extractor inferred"),
            "country": (str, "Country name the extractor gave"),
            "action": (str, "Action this source reports"),
            "stage": (str, "Stage this source reports"),
            "reported_date": (str, "Date this source gives for the measure"),
            "reported_precision": (str, "day · month · year"),
            "date_text": (str, "Words the date was read from"),
            "date_source": (str, "text (read from the document) · published (defaulted to its publication date) · curated"),
            "reasons": (str, "JSON list of reasons this source gives"),
            "reason_evidence": (str, "JSON object {reason: phrase}"),
            "scope": (str, "Scope this source gives"),
            "evidence": (str, "The sentence(s) the measure was read from"),
            "evidence_start": (int, "Character offset of the evidence in the document text"),
            "evidence_end": (int, "End offset of the evidence"),
            "confidence": (float, "Extractor confidence 0-1"),
            "published": (str, "Publication date of the document"),
            "extractor_version": (str, "Extractor version"),
            "group_key": (str, "agency|tool|action family|stage (internal)"),
        },
        pk="id",
        foreign_keys=[("event_id", "events", "id"), ("document_url", "documents", "url"),
                      ("agency_id", "agencies", "id"), ("tool_id", "tools", "id")],
        # (resolved_agency_id, resolved_tool_id): every entity a report names, read by each build.
        indexes=[["event_id"], ["document_url"], ["group_key"], ["agency_id"], ["tool_id"],
                 ["resolved_agency_id", "resolved_tool_id"]],
        fts=["evidence", "agency_mention"],
    ),
    "event_reasons": TableSpec(
        "Reasons each event cites, with the phrase they were read from.",
        {
            "event_id": (str, "Event"),
            "reason_id": (str, "Reason"),
            "n_sources": (int, "Sources citing it"),
            "evidence": (str, "A phrase stating it"),
            "evidence_source_id": (str, "The event source that phrase comes from"),
            "curated": (int, "1 when set by curation"),
        },
        pk=("event_id", "reason_id"),
        foreign_keys=[("event_id", "events", "id"), ("reason_id", "reasons", "id"),
                      ("evidence_source_id", "event_sources", "id")],
        indexes=[["reason_id"]],
    ),
    "event_redirects": TableSpec(
        "Event IDs that no longer exist, and where their citations should go: carried from build to build.",
        {
            "old_id": (str, "An ID a previous build published"),
            "new_id": (str, "The event it became (NULL when the event was rejected or lost all sources)"),
            "reason": (str, "renamed (its date, agency or action changed) · merged · rejected · removed"),
            "since": (str, "Build time it was redirected (UTC)"),
            "first_seen": (str, "When the event was first published (UTC): it keeps it if it comes back"),
        },
        pk="old_id",
        foreign_keys=[("new_id", "events", "id")],
        indexes=[["new_id"]],
    ),
    "curation_log": TableSpec(
        "What each curation entry did in this build, or that it matched nothing (stale).",
        {
            "id": (str, "file#entry number"),
            "file": (str, "Curation file"),
            "entry": (int, "Entry number in the file (1-based)"),
            "line": (int, "Line in the file"),
            "action": (str, "confirm · correct · reject · pin · merge · reject_source · add · merge_entity · correct_entity"),
            "target": (str, "What the entry names"),
            "status": (str, "applied · stale (matched nothing) · ambiguous · conflict"),
            "detail": (str, "What happened"),
            "events": (str, "JSON list of event IDs it affected"),
            "groups": (str, "JSON list of merging groups it touched (internal)"),
            "note": (str, "The curator's note"),
        },
        pk="id",
        indexes=[["status"]],
    ),
    "build_info": TableSpec(
        "One row per build that produced this kb.db (the latest is the highest id).",
        {
            "id": (int, "Build number"),
            "built_at": (str, "When (UTC)"),
            "mode": (str, "full · incremental"),
            "schema_version": (int, "kb.db schema version"),
            "build_version": (str, "Version of the build rules"),
            "extractor_versions": (str, "JSON {version: documents}"),
            "reference_fingerprint": (str, "Hash of the reference data"),
            "curation_fingerprint": (str, "Hash of the curation files"),
            "input_fingerprint": (str, "Hash of the documents (url, sha256, extractor version) it was built from"),
            "full_text": (int, "1 when documents.text is included"),
            "review_threshold": (float, "Events below this confidence (and not curated) need review"),
            "counts": (str, "JSON row counts"),
            "stats": (str, "JSON build statistics"),
            "seconds": (float, "Build time"),
        },
        pk="id",
    ),
    "graph_nodes": TableSpec(
        "Nodes of the linked graph: agencies, jurisdictions (incl. vendor countries), tools, vendors, reasons, documents.",
        {
            "id": (str, "kind:ref_id (`agency:nasa`, `document:<hash>`)"),
            "kind": (str, "agency · jurisdiction · tool · vendor · reason · document"),
            "ref_id": (str, "Row id in the kind's table (documents: the URL)"),
            "label": (str, "Display label"),
            "verified": (int, "0 for unverified entities"),
        },
        pk="id",
        indexes=[["kind"], ["ref_id"]],
    ),
    "graph_edges": TableSpec(
        "Edges of the linked graph: acted_on (agency -> tool, one per event), part_of, located_in, made_by, "
        "based_in, cites_reason (agency -> reason, per event), reported_by (agency -> document, per event) and "
        "followed (agency B -> agency A: B acted on the tool after A, lag in days).",
        {
            "id": (str, "Edge id (kind:...)"),
            "source": (str, "Source node"),
            "target": (str, "Target node"),
            "kind": (str, "acted_on · part_of · located_in · made_by · based_in · cites_reason · reported_by · followed"),
            "event_id": (str, "Event the edge comes from"),
            "tool_id": (str, "Tool (acted_on, followed)"),
            "action": (str, "Action (acted_on)"),
            "stage": (str, "Stage (acted_on)"),
            "date": (str, "Date (acted_on, followed)"),
            "lag_days": (int, "followed: days after the agency followed"),
            "relation": (str, "followed: first_mover, predecessor or both"),
        },
        pk="id",
        foreign_keys=[("source", "graph_nodes", "id"), ("target", "graph_nodes", "id"),
                      ("event_id", "events", "id")],
        indexes=[["source"], ["target"], ["event_id"]],
    ),
    "graph_metrics": TableSpec(
        "Graph analytics: per node (degree, betweenness, component), per tool (first movers, time to follow) "
        "and for the whole graph.",
        {
            "subject": (str, "Node id, or `graph`"),
            "metric": (str, "degree · betweenness · component · component_size · first_mover · first_move_date · "
                            "adopters · median_days_to_follow · mean_days_to_follow · max_days_to_follow · nodes · edges · components"),
            "value": (float, "Numeric value"),
            "detail": (str, "Text or JSON detail (e.g. the first movers' agency ids)"),
        },
        pk=("subject", "metric"),
        indexes=[["metric"]],
    ),
}

JSON_COLUMNS = {
    "jurisdictions": ["aliases", "demonyms"],
    "agencies": ["aliases", "people", "mentions"],
    "vendors": ["aliases"],
    "tools": ["aliases", "mentions"],
    "events": ["reasons", "source_urls", "curated_fields"],
    "event_sources": ["reasons", "reason_evidence"],
    "curation_log": ["events", "groups"],
    "build_info": ["extractor_versions", "counts", "stats"],
}

# The views answer the questions users ask first. Each is plain SQL over the tables above.
VIEWS = {
    # the design's timeline record, one row per event, plus useful extras. No ORDER BY: callers sort
    # (Datasette adds its own), and a sort inside the view would run under every filter and facet.
    "timeline": """
select
  e.id as event_id, e.date, e.date_precision,
  a.name as agency, e.agency_id,
  j.name as jurisdiction, e.jurisdiction_id,
  c.name as country, e.country_id,
  t.name as tool, e.tool_id,
  v.name as vendor, t.vendor_id,
  e.action, e.stage,
  e.reasons, e.summary, e.source_urls as sources, e.verified, e.status,
  e.scope, e.date_disputed, e.action_disputed, e.n_sources, e.confidence,
  e.first_reported, e.last_reported, e.date_start, e.year, e.first_seen, e.updated_at
from events e
join agencies a on a.id = e.agency_id
join tools t on t.id = e.tool_id
left join vendors v on v.id = t.vendor_id
left join jurisdictions j on j.id = e.jurisdiction_id
left join jurisdictions c on c.id = e.country_id""",
    "events_by_jurisdiction": """
select
  e.jurisdiction_id, j.name as jurisdiction, j.type, e.country_id,
  count(*) as n_events,
  sum(e.stage = 'enacted') as n_enacted, sum(e.stage = 'proposed') as n_proposed,
  sum(e.action = 'ban') as n_ban, sum(e.action = 'restrict') as n_restrict,
  sum(e.action = 'suspend') as n_suspend, sum(e.action = 'lift') as n_lift,
  sum(e.action = 'investigate') as n_investigate, sum(e.action = 'warn') as n_warn,
  count(distinct e.agency_id) as n_agencies, count(distinct e.tool_id) as n_tools,
  min(e.date_start) as first_date, max(e.date_start) as last_date
from events e
left join jurisdictions j on j.id = e.jurisdiction_id
group by e.jurisdiction_id
order by n_events desc, e.jurisdiction_id""",
    "events_by_country": """
select
  e.country_id, c.name as country,
  count(*) as n_events,
  sum(e.stage = 'enacted') as n_enacted, sum(e.stage = 'proposed') as n_proposed,
  sum(e.action in ('ban', 'restrict', 'suspend')) as n_restrictive, sum(e.action = 'lift') as n_lift,
  count(distinct e.jurisdiction_id) as n_jurisdictions,
  count(distinct e.agency_id) as n_agencies, count(distinct e.tool_id) as n_tools,
  min(e.date_start) as first_date, max(e.date_start) as last_date
from events e
left join jurisdictions c on c.id = e.country_id
group by e.country_id
order by n_events desc, e.country_id""",
    "events_by_tool": """
select
  e.tool_id, t.name as tool, t.vendor_id, v.name as vendor, v.country_id as vendor_country_id,
  count(*) as n_events,
  sum(e.stage = 'enacted') as n_enacted, sum(e.stage = 'proposed') as n_proposed,
  sum(e.action in ('ban', 'restrict', 'suspend')) as n_restrictive, sum(e.action = 'lift') as n_lift,
  count(distinct e.agency_id) as n_agencies, count(distinct e.jurisdiction_id) as n_jurisdictions,
  count(distinct e.country_id) as n_countries,
  min(e.date_start) as first_date, max(e.date_start) as last_date
from events e
join tools t on t.id = e.tool_id
left join vendors v on v.id = t.vendor_id
group by e.tool_id
order by n_events desc, e.tool_id""",
    # Each agency's first enacted ban/restriction/suspension of each tool, in order, with the lag
    # after the tool's first mover. Undated events cannot be ordered and are left out.
    "adoption_order": """
with firsts as (
  select tool_id, agency_id, min(date_start) as date_start
  from events
  where stage = 'enacted' and action in ('ban', 'restrict', 'suspend') and date_start is not null
  group by tool_id, agency_id
), adoptions as (
  select f.tool_id, f.agency_id, f.date_start,
    (select e.id from events e where e.tool_id = f.tool_id and e.agency_id = f.agency_id
       and e.stage = 'enacted' and e.action in ('ban', 'restrict', 'suspend') and e.date_start = f.date_start
     order by e.id limit 1) as event_id
  from firsts f
)
select
  d.tool_id, t.name as tool,
  rank() over (partition by d.tool_id order by d.date_start) as rank,
  d.agency_id, a.name as agency, e.jurisdiction_id, e.country_id,
  d.event_id, e.action, e.date, e.date_precision,
  cast(julianday(d.date_start) - julianday(min(d.date_start) over (partition by d.tool_id)) as integer) as days_after_first
from adoptions d
join events e on e.id = d.event_id
join tools t on t.id = d.tool_id
join agencies a on a.id = d.agency_id
order by d.tool_id, d.date_start, d.agency_id""",
    "first_movers": """
select tool_id, tool, agency_id, agency, jurisdiction_id, country_id, event_id, action, date, date_precision,
  (select count(*) from adoption_order o where o.tool_id = f.tool_id and o.rank > 1) as n_followers
from adoption_order f
where rank = 1
order by date, tool_id""",
    # Every distinct date the sources of each event report, with those sources.
    "date_reports": """
select
  s.event_id, s.reported_date, s.reported_precision, s.date_source,
  count(*) as n_sources,
  json_group_array(s.document_url) as sources,
  json_group_array(s.date_text) as date_texts,
  e.date as event_date, (s.reported_date is e.date) as chosen
from event_sources s
join events e on e.id = s.event_id
where s.status = 'merged'
group by s.event_id, s.reported_date, s.reported_precision, s.date_source
order by s.event_id, s.reported_date""",
    "disputed_events": """
select
  e.id as event_id, e.date, e.date_precision, e.date_rule, e.date_disputed, e.action_disputed,
  a.name as agency, e.agency_id, t.name as tool, e.tool_id, e.action, e.stage, e.summary, e.n_sources,
  (select json_group_array(json_object('date', s.reported_date, 'precision', s.reported_precision,
                                       'date_source', s.date_source, 'date_text', s.date_text,
                                       'action', s.action, 'url', s.document_url))
   from event_sources s where s.event_id = e.id and s.status = 'merged') as reports
from events e
join agencies a on a.id = e.agency_id
join tools t on t.id = e.tool_id
where e.date_disputed = 1 or e.action_disputed = 1
order by e.date_start""",
    "unverified_entities": """
select 'agency' as kind, a.id, a.name, a.type, a.jurisdiction_id, a.country_id, a.mentions, a.n_events
from agencies a where a.verified = 0
union all
select 'tool' as kind, t.id, t.name, t.kind, null, null, t.mentions, t.n_events
from tools t where t.verified = 0
order by n_events desc, id""",
    # -- appended by publishing (kb.graph's diffusion rules, dates as intervals) --------------------
    # Each public body's first enacted ban/restriction/suspension of each tool among published events
    # (verified or machine-read), its date as the days it can mean, and whether it is a first mover:
    # no other adoption surely came before it (a month-only date is any day of its month). Companies'
    # and universities' measures are events, not diffusion (kb.graph.NOT_DIFFUSING_TYPES).
    "tool_adoptions": """
with firsts as (
  select e.tool_id, e.agency_id, min(e.date_start) as date_start
  from events e join agencies g on g.id = e.agency_id
  where e.stage = 'enacted' and e.action in ('ban', 'restrict', 'suspend') and e.status in ('verified', 'machine')
    and e.date_start is not null and coalesce(g.type, '') not in ('company', 'university', 'other')
  group by e.tool_id, e.agency_id
), adoptions as (
  select f.tool_id, f.agency_id,
    (select e.id from events e where e.tool_id = f.tool_id and e.agency_id = f.agency_id and e.stage = 'enacted'
       and e.action in ('ban', 'restrict', 'suspend') and e.status in ('verified', 'machine')
       and e.date_start = f.date_start
     order by coalesce(e.date_end, e.date_start), e.id limit 1) as event_id
  from firsts f
), spans as (
  select d.tool_id, d.agency_id, d.event_id, e.date_start, coalesce(e.date_end, e.date_start) as date_end
  from adoptions d join events e on e.id = d.event_id
)
select
  s.tool_id, t.name as tool, s.agency_id, a.name as agency,
  coalesce(e.jurisdiction_id, e.country_id) as jurisdiction_id, j.name as jurisdiction,
  s.event_id, e.action, e.date, e.date_precision, s.date_start, s.date_end, e.status,
  (select count(*) from spans o where o.tool_id = s.tool_id and o.date_end < s.date_start) as n_surely_before,
  (select count(*) from spans o where o.tool_id = s.tool_id and o.date_end < s.date_start) = 0 as first_mover
from spans s
join events e on e.id = s.event_id
join tools t on t.id = s.tool_id
join agencies a on a.id = s.agency_id
left join jurisdictions j on j.id = coalesce(e.jurisdiction_id, e.country_id)
order by s.tool_id, s.date_start, s.date_end, s.agency_id""",
    # The followed edges of the graph with both measures and the lag as an interval of days.
    "followed": """
select
  g.tool_id, t.name as tool,
  substr(g.source, 8) as follower_id, fa.name as follower, fe.jurisdiction_id as follower_jurisdiction_id,
  g.event_id as follower_event_id, fe.date as follower_date,
  substr(g.target, 8) as leader_id, la.name as leader, le.jurisdiction_id as leader_jurisdiction_id,
  le.id as leader_event_id, le.date as leader_date,
  g.relation,
  cast(julianday(fe.date_start) - julianday(coalesce(le.date_end, le.date_start)) as integer) as lag_min_days,
  cast(julianday(coalesce(fe.date_end, fe.date_start)) - julianday(le.date_start) as integer) as lag_max_days
from graph_edges g
join events fe on fe.id = g.event_id
join agencies fa on fa.id = substr(g.source, 8)
join agencies la on la.id = substr(g.target, 8)
join tools t on t.id = g.tool_id
join events le on le.id = (
  select e.id from events e where e.tool_id = g.tool_id and e.agency_id = substr(g.target, 8)
    and e.stage = 'enacted' and e.action in ('ban', 'restrict', 'suspend') and e.status in ('verified', 'machine')
    and e.date_start is not null
  order by e.date_start, coalesce(e.date_end, e.date_start), e.id limit 1)
where g.id > 'followed:' and g.id < 'followed;' and g.kind = 'followed'
order by g.tool_id, fe.date_start, g.source, g.target""",
    # Events awaiting a curator: below the build's review threshold, kept but not published by default.
    "review_queue": """
select e.id as event_id, e.date, e.date_precision, a.name as agency, e.agency_id, t.name as tool, e.tool_id,
  e.action, e.stage, e.scope, e.confidence, e.n_sources, e.source_urls as sources, e.date_start
from events e
join agencies a on a.id = e.agency_id
join tools t on t.id = e.tool_id
where e.status = 'needs_review'
order by e.confidence, e.date_start, e.id""",
}

EXPECTED_TABLES = tuple(TABLES)
EXPECTED_VIEWS = tuple(VIEWS)


def ensure_db_shape(db):
    """Create every kb.db table, index, full-text index and view that is missing (idempotent).

    Tables are created in dependency order so foreign keys always name an existing table;
    the documents, events and event_sources full-text indexes use the porter stemmer and are
    kept current by triggers.
    """
    existing = set(db.table_names())
    for name, spec in TABLES.items():
        if name not in existing:
            db[name].create(
                {column: kind for column, (kind, _) in spec.columns.items()},
                pk=spec.pk,
                foreign_keys=spec.foreign_keys,
                not_null=spec.not_null or None,
            )
        for columns in spec.indexes:
            db[name].create_index(columns, if_not_exists=True)
        if spec.fts and not db[name].detect_fts():
            db[name].enable_fts(spec.fts, tokenize="porter", create_triggers=True)
    for name, sql in VIEWS.items():
        db.create_view(name, sql.strip(), replace=True)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


@contextlib.contextmanager
def bulk_load(db, tables):
    """Load `tables` without their secondary indexes and full-text triggers, then rebuild both.

    Building an index or an FTS index once over sorted rows is several times faster than
    updating it row by row; a full build writes hundreds of thousands of rows.
    """
    for name in tables:
        spec = TABLES[name]
        for columns in spec.indexes:
            db.execute(f"drop index if exists [idx_{name}_{'_'.join(columns)}]")
        if spec.fts and db[name].detect_fts():
            db[name].disable_fts()
    yield
    ensure_db_shape(db)


def refresh_statistics(db, full=True):
    """ANALYZE kb.db so SQLite's planner (Datasette's, the exports') knows how selective each index is.

    `full` re-reads every index (a few tenths of a second at 100k documents: exact statistics, not
    the skewed sample of analysis_limit). Otherwise only tables whose statistics are missing or
    stale - an index never analyzed, or a row count that moved by more than a quarter - are
    analyzed again: an incremental build adds a few rows, which change no index's selectivity.
    """
    conn = db.conn
    conn.execute("PRAGMA analysis_limit = 0")
    if full or not db["sqlite_stat1"].exists():
        conn.execute("ANALYZE main")
        return
    analyzed = {}
    for table, index, stat in conn.execute("select tbl, idx, stat from main.sqlite_stat1"):
        analyzed.setdefault(table, {})[index] = int(stat.split()[0]) if stat else 0
    for table in db.table_names():
        if table.startswith("sqlite_") or db[table].virtual_table_using:
            continue
        indexes = [row[1] for row in conn.execute(f"PRAGMA main.index_list([{table}])")]
        if not indexes:
            continue
        known = analyzed.get(table, {})
        stale = any(index not in known for index in indexes)
        if not stale:
            rows = conn.execute(f"select count(*) from [{table}]").fetchone()[0]
            stale = abs(rows - max(known.values())) > max(known.values()) / 4
        if stale:
            conn.execute(f"ANALYZE main.[{table}]")


def column_descriptions():
    """{table: {"description": ..., "columns": {column: description}}} for tables (Datasette metadata)."""
    return {
        name: {"description": spec.description,
               "columns": {column: text for column, (_, text) in spec.columns.items()}}
        for name, spec in TABLES.items()
    }


def load_graph(db, documents=True):
    """The graph tables as a networkx MultiDiGraph (node and edge attributes from the table columns)."""
    graph = nx.MultiDiGraph()
    kinds = "" if documents else "where kind != 'document'"
    for row in db.execute(f"select id, kind, ref_id, label, verified from graph_nodes {kinds} order by id").fetchall():
        graph.add_node(row[0], **_attrs({"kind": row[1], "ref_id": row[2], "label": row[3], "verified": row[4]}))
    edge_filter = "" if documents else "where kind != 'reported_by'"
    columns = ("id", "source", "target", "kind", "event_id", "tool_id", "action", "stage", "date", "lag_days", "relation")
    for row in db.execute(f"select {', '.join(columns)} from graph_edges {edge_filter} order by id").fetchall():
        values = dict(zip(columns, row))
        graph.add_edge(values.pop("source"), values.pop("target"), key=values["id"], **_attrs(values))
    return graph


def _attrs(values):
    # GraphML and GEXF have no null: absent attributes are left out.
    return {k: v for k, v in values.items() if v is not None}


