"""Human curation: version-controlled YAML under kb/curation/, re-applied on every build.

kb/curation/README.md documents the files for curators. In short, `events.yml` and
`entities.yml` each hold a list of entries; an entry is a mapping whose *verb* key says what it
does and names its target:

events.yml   confirm · correct (+ set) · reject · pin · merge · reject_source · add
entities.yml merge (+ into) · correct (+ set) · confirm

An event is named by its ID (as published; IDs that later changed are followed through the
previous build's sources and redirects) or by a match mapping `{agency, tool, action, stage,
date}` (date by prefix). Every entry lands in curation_log with what it did; one that matches
nothing is `stale`, counted in the build stats and warned about - never silently ignored.

A malformed file or entry is the curator's to fix: BanwatchError names the file and entry.
"""
import hashlib
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from banwatch.errors import BanwatchError
from banwatch.kbdb import ACTIONS, REASONS, STAGES
from banwatch.utils import is_http_url
from kb.merge import CURATABLE_FIELDS, Draft, date_precision_of

log = logging.getLogger("banwatch.curation")

DEFAULT_DIRECTORY = Path(__file__).parent / "curation"
EVENT_FILE = "events.yml"
ENTITY_FILE = "entities.yml"
EVENT_VERBS = ("confirm", "correct", "reject", "pin", "merge", "reject_source", "add")
ENTITY_VERBS = ("merge", "correct", "confirm")
# What entities.yml `correct` may set: field -> (column, the tables that have it).
ENTITY_FIELDS = {
    "name": ("name", ("agencies", "tools")), "short": ("short", ("agencies",)), "type": ("type", ("agencies",)),
    "jurisdiction": ("jurisdiction_id", ("agencies",)), "parent": ("parent_id", ("agencies",)),
    "vendor": ("vendor_id", ("tools",)), "kind": ("kind", ("tools",)), "qid": ("qid", ("agencies", "tools")),
}
MATCH_FIELDS = ("agency", "tool", "action", "stage", "date")
ADD_FIELDS = ("agency", "tool", "action", "stage", "date", "reasons", "scope", "summary", "source", "sources")
SOURCE_FIELDS = ("url", "title", "published", "evidence", "site")
# Keys an entry may carry besides its verb.
EXTRA_KEYS = {
    "confirm": {"note"}, "correct": {"set", "note"}, "reject": {"note"}, "pin": {"match", "note"},
    "merge": {"note", "into"}, "reject_source": {"event", "note"}, "add": {"note"},
}


@dataclass
class Entry:
    file: str
    index: int
    line: int
    verb: str
    target: object
    values: dict = field(default_factory=dict)
    note: str = None
    raw: dict = field(default_factory=dict)

    @property
    def id(self):
        return f"{self.file}#{self.index}"

    @property
    def action(self):
        return f"{self.verb}_entity" if self.file == ENTITY_FILE and self.verb != "confirm" else (
            "confirm_entity" if self.file == ENTITY_FILE else self.verb)

    def describe(self):
        return f"{self.file} entry {self.index} (line {self.line}, {self.verb} {target_text(self.target)})"


@dataclass
class Curation:
    directory: Path
    event_entries: list
    entity_entries: list
    fingerprint: str

    @property
    def entries(self):
        return self.entity_entries + self.event_entries

    def additions(self):
        return [e for e in self.event_entries if e.verb == "add"]


def target_text(target):
    if isinstance(target, dict):
        return json.dumps(target, sort_keys=True, default=str)
    if isinstance(target, list):
        return ", ".join(target_text(t) for t in target)
    return str(target)


def load_curation(directory=None):
    """Read and validate the curation files of `directory` (default kb/curation/)."""
    directory = Path(directory) if directory else DEFAULT_DIRECTORY
    if not directory.is_dir():
        raise BanwatchError(f"curation directory not found: {directory}")
    digest = hashlib.sha1(b"curation-1")
    for path in sorted(directory.glob("*.yml")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return Curation(
        directory=directory,
        event_entries=_load_file(directory / EVENT_FILE, EVENT_VERBS, _check_event_entry),
        entity_entries=_load_file(directory / ENTITY_FILE, ENTITY_VERBS, _check_entity_entry),
        fingerprint=digest.hexdigest()[:16],
    )


def _load_file(path, verbs, check):
    if not path.exists():
        return []
    node = _compose(path)
    loader = _CurationLoader("")
    if not isinstance(node, yaml.SequenceNode):
        if node is None or loader.construct_document(node) is None:
            return []
        raise BanwatchError(f"{path}: expected a list of entries (each starting with '- ')")
    entries = []
    for index, item_node in enumerate(node.value, start=1):
        where = f"{path.name} entry {index} (line {item_node.start_mark.line + 1})"
        problem = _node_problem(item_node)
        if problem:
            raise BanwatchError(f"{where}: {problem}")
        try:
            raw = loader.construct_object(item_node, deep=True)
        except yaml.YAMLError as e:
            raise BanwatchError(f"{where}: {getattr(e, 'problem', None) or e}") from None
        if not isinstance(raw, dict):
            raise BanwatchError(f"{where}: expected a mapping like '- confirm: EVENT-ID'")
        raw = _plain(raw)
        found = [v for v in verbs if v in raw]
        if len(found) != 1:
            raise BanwatchError(f"{where}: needs exactly one of {', '.join(verbs)} (found {', '.join(found) or 'none'})")
        verb = found[0]
        if raw.get("note") is not None and not isinstance(raw["note"], str):
            raise BanwatchError(f"{where}: note must be text, not {_kind(raw['note'])}")
        entry = Entry(path.name, index, item_node.start_mark.line + 1, verb, raw[verb],
                      note=raw.get("note"), raw=raw)
        check(entry, where)
        entries.append(entry)
    return entries


class _CurationLoader(yaml.SafeLoader):
    """Safe YAML, except that a timestamp that is no real date (2025-13-45) stays text, for the
    entry's own check to name."""


def _timestamp_or_text(loader, node):
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_CurationLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


def _compose(path):
    """The YAML node tree of a curation file (None when empty). A file that is not UTF-8 or not
    YAML is a BanwatchError naming it, and the entry and line where that can be told."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[:e.start].count(b"\n") + 1
        raise BanwatchError(f"{_entry_at(path, data.decode('utf-8', 'replace'), line)}: not UTF-8 text "
                            f"(byte 0x{data[e.start]:02x}); save the file as UTF-8") from None
    try:
        return yaml.compose(text, Loader=_CurationLoader)
    except RecursionError:
        raise BanwatchError(f"{path}: not valid YAML (nested too deeply)") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = _entry_at(path, text, mark.line + 1) if mark else path
        raise BanwatchError(f"{where}: not valid YAML ({getattr(e, 'problem', None) or e})") from None


def _entry_at(path, text, line):
    """`events.yml entry N (line L) line M` for `line` inside the Nth entry of the file's list (an
    entry starts with '-' in the first column), else `path line M`."""
    starts = [n for n, row in enumerate(text.splitlines()[:line], start=1) if row[:1] == "-"]
    where = f"{path.name} entry {len(starts)} (line {starts[-1]})" if starts else str(path)
    return where if starts and starts[-1] == line else f"{where} line {line}"


# An entry is a few dozen values: more, through aliases, is a YAML bomb, not curation.
MAX_ENTRY_VALUES = 10_000


def _node_problem(node):
    """What makes an entry unreadable before it is read: an alias inside the node it names (a
    recursive alias), or aliases expanding it past MAX_ENTRY_VALUES values. None when fine."""
    sizes, open_nodes = {}, set()

    def size(n):
        if id(n) in sizes:
            return sizes[id(n)]
        if id(n) in open_nodes:
            raise ValueError("a YAML alias refers to the value that contains it (recursive)")
        open_nodes.add(id(n))
        children = n.value if isinstance(n, yaml.SequenceNode) else \
            [x for pair in n.value for x in pair] if isinstance(n, yaml.MappingNode) else []
        sizes[id(n)] = 1 + sum(size(c) for c in children)
        open_nodes.discard(id(n))
        if sizes[id(n)] > MAX_ENTRY_VALUES:
            raise ValueError(f"YAML aliases expand it to more than {MAX_ENTRY_VALUES} values")
        return sizes[id(n)]

    try:
        size(node)
    except ValueError as e:
        return str(e)
    except RecursionError:
        return "nested too deeply"
    return None


def _kind(value):
    return {list: "a list", dict: "a mapping"}.get(type(value), f"{type(value).__name__} {value!r}")


def _plain(value):
    """YAML reads 2025-01-31 as a date and 2025 as an int; curation dates are strings."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _check_keys(entry, where, allowed):
    unknown = sorted(set(entry.raw) - {entry.verb} - set(allowed))
    if unknown:
        raise BanwatchError(f"{where}: unknown key {unknown[0]!r} (expected {', '.join(sorted(allowed)) or 'nothing else'})")


def _check_target(target, where):
    if isinstance(target, str) and target.strip():
        return
    if isinstance(target, dict) and target:
        unknown = sorted(set(target) - set(MATCH_FIELDS))
        if unknown:
            raise BanwatchError(f"{where}: cannot match on {unknown[0]!r} (use {', '.join(MATCH_FIELDS)})")
        _check_values({k: v for k, v in target.items() if k != "date"}, where)
        if "date" in target:
            target["date"] = str(target["date"])
            _check_values({"date": target["date"]}, where)
        return
    raise BanwatchError(f"{where}: name the event by its ID or by a mapping of {', '.join(MATCH_FIELDS)}")


def _check_values(values, where):
    for name, value in values.items():
        if name == "date" and date_precision_of(str(value)) is None:
            raise BanwatchError(f"{where}: date {value!r} is not YYYY-MM-DD, YYYY-MM or YYYY")
        if name == "action" and value not in ACTIONS:
            raise BanwatchError(f"{where}: action {value!r} is not one of {', '.join(ACTIONS)}")
        if name == "stage" and value not in STAGES:
            raise BanwatchError(f"{where}: stage {value!r} is not one of {', '.join(STAGES)}")
        if name == "reasons":
            if not isinstance(value, list) or any(r not in REASONS for r in value):
                raise BanwatchError(f"{where}: reasons must be a list of {', '.join(REASONS)}")
        if name in ("agency", "tool", "jurisdiction", "scope", "summary") and not (isinstance(value, str) and value):
            raise BanwatchError(f"{where}: {name} must be a non-empty string")


def _check_event_entry(entry, where):
    _check_keys(entry, where, EXTRA_KEYS[entry.verb])
    verb, target = entry.verb, entry.target
    if verb == "merge":
        if not isinstance(target, list) or len(target) < 2:
            raise BanwatchError(f"{where}: merge takes a list of two or more events")
        for t in target:
            _check_target(t, where)
    elif verb == "reject_source":
        if not (isinstance(target, str) and target.strip()):
            raise BanwatchError(f"{where}: reject_source takes a document URL or an extraction id")
        if "event" in entry.raw:
            _check_target(entry.raw["event"], where)
    elif verb == "add":
        _check_addition(entry, where)
    else:
        _check_target(target, where)
    if verb == "correct":
        values = entry.raw.get("set")
        if not isinstance(values, dict) or not values:
            raise BanwatchError(f"{where}: correct needs a 'set:' mapping of fields to new values")
        unknown = sorted(set(values) - set(CURATABLE_FIELDS))
        if unknown:
            raise BanwatchError(f"{where}: cannot set {unknown[0]!r} (fields: {', '.join(CURATABLE_FIELDS)})")
        if "date" in values:
            values["date"] = str(values["date"])
        _check_values(values, where)
        entry.values = values
    if verb == "pin" and not isinstance(target, str):
        raise BanwatchError(f"{where}: pin takes the event ID to keep (add 'match:' to find the event by its fields)")
    if verb == "pin" and "match" in entry.raw:
        _check_target(entry.raw["match"], where)


def _check_addition(entry, where):
    event = entry.target
    if not isinstance(event, dict):
        raise BanwatchError(f"{where}: add takes a mapping with agency, tool, action, date and sources")
    unknown = sorted(set(event) - set(ADD_FIELDS))
    if unknown:
        raise BanwatchError(f"{where}: unknown field {unknown[0]!r} in add (fields: {', '.join(ADD_FIELDS)})")
    for name in ("agency", "tool", "action"):
        if not event.get(name):
            raise BanwatchError(f"{where}: add needs {name!r}")
    event.setdefault("stage", "enacted")
    if "date" in event and event["date"] is not None:
        event["date"] = str(event["date"])
    _check_values({k: v for k, v in event.items() if k in CURATABLE_FIELDS and v is not None}, where)
    sources = event.get("sources") or ([event["source"]] if event.get("source") else [])
    if not sources:
        raise BanwatchError(f"{where}: add needs a source (source: {{url: ..., evidence: ...}}): every fact is traceable")
    for source in sources:
        if not isinstance(source, dict) or not source.get("url"):
            raise BanwatchError(f"{where}: each source needs a url")
        unknown = sorted(set(source) - set(SOURCE_FIELDS))
        if unknown:
            raise BanwatchError(f"{where}: unknown source field {unknown[0]!r} (fields: {', '.join(SOURCE_FIELDS)})")
        for name, value in source.items():
            if value is not None and not isinstance(value, str):
                raise BanwatchError(f"{where}: source {name} must be text, not {_kind(value)}")
        if not is_http_url(source["url"]):
            raise BanwatchError(f"{where}: source url {source['url']!r} is not an http(s) URL")
        if source.get("published") is not None and date_precision_of(str(source["published"])) != "day":
            raise BanwatchError(f"{where}: source published date {source['published']!r} is not YYYY-MM-DD")
    event["sources"] = sources
    event.pop("source", None)
    entry.values = {k: event[k] for k in CURATABLE_FIELDS if event.get(k) is not None}


def _check_entity_entry(entry, where):
    allowed = {"merge": {"into", "note"}, "correct": {"set", "note"}, "confirm": {"note"}}[entry.verb]
    _check_keys(entry, where, allowed)
    if not (isinstance(entry.target, str) and entry.target.strip()):
        raise BanwatchError(f"{where}: {entry.verb} takes an agency or tool id")
    if entry.verb == "merge":
        into = entry.raw.get("into")
        if not (isinstance(into, str) and into.strip()):
            raise BanwatchError(f"{where}: merge needs 'into: ID' (the entity that stays)")
        if into == entry.target:
            raise BanwatchError(f"{where}: an entity cannot be merged into itself")
        entry.values = {"into": into}
    if entry.verb == "correct":
        values = entry.raw.get("set")
        if not isinstance(values, dict) or not values:
            raise BanwatchError(f"{where}: correct needs a 'set:' mapping")
        unknown = sorted(set(values) - set(ENTITY_FIELDS))
        if unknown:
            raise BanwatchError(f"{where}: cannot set {unknown[0]!r} on an entity (fields: {', '.join(ENTITY_FIELDS)})")
        for name, value in values.items():
            if not (isinstance(value, str) and value.strip()) and (value is not None or name == "name"):
                raise BanwatchError(f"{where}: {name} must be text (or null to clear it), not {_kind(value)}")
        entry.values = values


# -- application ----------------------------------------------------------------------------------


def log_row(entry, status, detail, events=(), groups=()):
    return {
        "id": entry.id, "file": entry.file, "entry": entry.index, "line": entry.line,
        "action": entry.action, "target": target_text(entry.target), "status": status, "detail": detail,
        "events": json.dumps(sorted(set(events))), "groups": json.dumps(sorted(set(groups))),
        "note": entry.note,
    }


def entity_merge_maps(curation, known_ids):
    """({from_id: into_id} for agencies-and-tools ids, log rows of entries that cannot apply).

    `known_ids` is every id that exists (reference and unverified). Chains are followed (A -> B,
    B -> C gives A -> C); a cycle is the curator's mistake and stops the build.
    """
    mapping, problems = {}, []
    for entry in curation.entity_entries:
        if entry.verb != "merge":
            continue
        into = entry.values["into"]
        if into not in known_ids and into not in mapping:
            problems.append(log_row(entry, "stale", f"{into!r} is not a known agency or tool: not applied"))
            continue
        mapping[entry.target] = into
    resolved = {}
    for source in mapping:
        seen, target = {source}, mapping[source]
        while target in mapping:
            if target in seen:
                raise BanwatchError(f"{ENTITY_FILE}: merge entries form a cycle through {target!r}")
            seen.add(target)
            target = mapping[target]
        resolved[source] = target
    return resolved, problems


class EventIndex:
    """Finds drafts by ID (machine, pinned, previous or redirected) or by fields."""

    def __init__(self, drafts, redirects):
        self.drafts = drafts
        self.redirects = redirects  # old id -> new id (or None)

    def live(self):
        return [d for d in self.drafts if d.rejected_by is None]

    def find(self, target):
        if isinstance(target, dict):
            return [d for d in self.live() if _matches(d, target)]
        seen = set()
        while target and target not in seen:
            seen.add(target)
            found = self._by_id(target)
            if found:
                return found
            target = self.redirects.get(target)
        return []

    def _by_id(self, event_id):
        live = self.live()
        exact = [d for d in live if d.pinned_id == event_id or (d.pinned_id is None and d.machine_id == event_id)]
        if exact:
            return exact[:1] if len(exact) == 1 else exact
        holders = [d for d in live if d.predecessors.get(event_id)]
        if holders:
            return [max(holders, key=lambda d: (d.predecessors[event_id], d.machine_id))]
        return []


def _matches(draft, target):
    f = draft.fields
    for name, value in target.items():
        column = {"agency": "agency_id", "tool": "tool_id"}.get(name, name)
        if name == "date":
            have = f.get("date") or ""
            if not have or not (have.startswith(value) or value.startswith(have)):
                return False
        elif f.get(column) != value:
            return False
    return True


def apply_event_entries(curation, drafts, redirects, known_ids, source_hits=None):
    """Apply events.yml to the drafts (in file order); return the curation_log rows.

    `known_ids` maps "agency"/"tool"/"jurisdiction" to the sets of ids a correction may name;
    `source_hits` gives, for each plain reject_source entry (applied before merging), the
    number of reports it set aside and their merging groups.
    """
    index = EventIndex(drafts, redirects)
    rows = []
    for entry in curation.event_entries:
        if entry.verb == "reject_source" and "event" not in entry.raw:
            n, groups = (source_hits or {}).get(entry.id, (0, ()))
            rows.append(log_row(entry, "applied", f"set aside {n} report(s)", groups=groups) if n
                        else log_row(entry, "stale", "no report cites this document or extraction"))
            continue
        rows.append(_HANDLERS[entry.verb](entry, index, known_ids))
    return rows


def _single(entry, index, target=None):
    found = index.find(entry.target if target is None else target)
    if not found:
        return None, log_row(entry, "stale", "matched no event")
    if len(found) > 1:
        return None, log_row(entry, "ambiguous", f"matched {len(found)} events: "
                             + ", ".join(sorted(d.final_id() for d in found)) + "; not applied",
                             groups=[d.group_key for d in found])
    return found[0], None


def _note(draft, entry):
    if entry.note and entry.note not in draft.notes:
        draft.notes.append(entry.note)


def _confirm(entry, index, known_ids):
    draft, problem = _single(entry, index)
    if problem:
        return problem
    draft.verified = 1
    _note(draft, entry)
    return log_row(entry, "applied", "confirmed", [draft.final_id()], [draft.group_key])


def _correct(entry, index, known_ids):
    draft, problem = _single(entry, index)
    if problem:
        return problem
    for name in ("agency", "tool", "jurisdiction"):
        value = entry.values.get(name)
        if value is not None and value not in known_ids[name]:
            return log_row(entry, "stale", f"{name} {value!r} does not exist: not applied",
                           [draft.final_id()], [draft.group_key])
    before = draft.final_id()
    draft.override(entry.values)
    draft.verified = 1
    _note(draft, entry)
    changed = ", ".join(f"{k}={v}" for k, v in entry.values.items())
    return log_row(entry, "applied", f"set {changed}", {before, draft.final_id()}, [draft.group_key])


def _reject(entry, index, known_ids):
    draft, problem = _single(entry, index)
    if problem:
        return problem
    draft.rejected_by = entry
    return log_row(entry, "applied", f"rejected ({len(draft.reports)} sources set aside)",
                   [draft.final_id()], [draft.group_key])


def _pin(entry, index, known_ids):
    target = entry.raw.get("match") or entry.target
    found = index.find(target)
    if not found and "match" in entry.raw:
        found = index.find(entry.target)
    if not found:
        return log_row(entry, "stale", "matched no event")
    if len(found) > 1:
        return log_row(entry, "ambiguous", f"matched {len(found)} events; not applied",
                       groups=[d.group_key for d in found])
    draft = found[0]
    holder = [d for d in index.live() if d is not draft and d.pinned_id == entry.target]
    if holder:
        return log_row(entry, "conflict", f"{entry.target} is already pinned to another event", groups=[draft.group_key])
    draft.pinned_id = entry.target
    _note(draft, entry)
    return log_row(entry, "applied", f"ID pinned (machine ID {draft.machine_id})", [entry.target], [draft.group_key])


def _merge(entry, index, known_ids):
    found, missing = [], []
    for target in entry.target:
        hits = index.find(target)
        if len(hits) == 1:
            if hits[0] not in found:
                found.append(hits[0])
        else:
            missing.append(target_text(target) + (" (ambiguous)" if hits else ""))
    groups = [d.group_key for d in found]
    if len(found) < 2:
        return log_row(entry, "stale", "fewer than two of the events exist"
                       + (f"; not found: {', '.join(missing)}" if missing else ""), groups=groups)
    keep, others = found[0], found[1:]
    ids = [d.final_id() for d in found]
    # The merged event stays under the first event's ID, whatever the combined sources now say.
    keep.pinned_id = ids[0]
    for other in others:
        keep.absorb(other)
        other.reports = []
        other.rejected_by = entry
        other.merged_into = keep
    keep.verified = 1
    _note(keep, entry)
    detail = f"merged {', '.join(ids[1:])} into {ids[0]}"
    if missing:
        detail += f"; not found: {', '.join(missing)}"
    return log_row(entry, "applied", detail, ids + [keep.final_id()], groups)


def _reject_source(entry, index, known_ids):
    """The event-limited form: take one document out of one event."""
    draft, problem = _single(entry, index, entry.raw["event"])
    if problem:
        return problem
    kept = [r for r in draft.reports if not _source_matches(r, entry.target)]
    removed = [r for r in draft.reports if _source_matches(r, entry.target)]
    if not removed:
        return log_row(entry, "stale", f"{draft.final_id()} has no source {entry.target}", groups=[draft.group_key])
    for report in removed:
        report["status"], report["status_note"] = "rejected", f"{entry.id}: {entry.note or 'rejected by curation'}"
    before = draft.final_id()
    if kept:
        draft.reports = kept
        draft.recompute()
    else:
        draft.reports = []
        draft.rejected_by = entry
    return log_row(entry, "applied", f"removed {len(removed)} source(s) from {before}",
                   {before, draft.final_id()}, [draft.group_key])


def _add(entry, index, known_ids):
    """The added source went through merging like any report; label the event it ended in."""
    for name in ("agency", "tool"):
        if entry.target[name] not in known_ids[name]:
            return log_row(entry, "stale", f"{name} {entry.target[name]!r} does not exist: not added")
    report_ids = set(curated_report_ids(entry))
    found = [d for d in index.live() if any(r["id"] in report_ids for r in d.reports)]
    if not found:
        return log_row(entry, "stale", "the added event was not built (its sources were rejected?)")
    draft = found[0]
    also_crawled = sum(1 for r in draft.reports if r["id"] not in report_ids)
    draft.override(entry.values)
    draft.verified = 1
    _note(draft, entry)
    detail = "added" + (f"; the crawl also found it ({also_crawled} sources)" if also_crawled else "")
    return log_row(entry, "applied", detail, [draft.final_id()], [draft.group_key])


_HANDLERS = {"confirm": _confirm, "correct": _correct, "reject": _reject, "pin": _pin, "merge": _merge,
             "reject_source": _reject_source, "add": _add}


def _source_matches(report, target):
    return report["id"] == target or report["document_url"] == target


def source_rejections(curation):
    """The reject_source entries that apply to a document or extraction wherever it is cited."""
    return [e for e in curation.event_entries if e.verb == "reject_source" and "event" not in e.raw]


def reject_sources(curation, reports):
    """Mark reports rejected by plain reject_source entries (before merging). Returns {entry id: n}."""
    counts = {}
    rejections = source_rejections(curation)
    if not rejections:
        return counts
    for report in reports:
        for entry in rejections:
            if _source_matches(report, entry.target):
                report["status"] = "rejected"
                report["status_note"] = f"{entry.id}: {entry.note or 'rejected by curation'}"
                counts[entry.id] = counts.get(entry.id, 0) + 1
                break
    return counts


def curated_report_ids(entry):
    """Stable ids of the reports an `add` entry contributes, one per source."""
    event = entry.target
    ids = []
    for source in event["sources"]:
        key = "\x1f".join([event["agency"], event["tool"], event["action"], event["stage"], source["url"]])
        ids.append("curated-" + hashlib.sha1(key.encode()).hexdigest()[:16])
    return ids


def curated_reports(entry):
    """(document rows, report rows) an `add` entry puts into the build."""
    event = entry.target
    documents, reports = [], []
    date = event.get("date")
    for report_id, source in zip(curated_report_ids(entry), event["sources"]):
        documents.append({
            "url": source["url"], "title": source.get("title"), "site": source.get("site"),
            "published": source.get("published"), "kind": "curated", "source": "curation", "origin": "curation",
        })
        reports.append({
            "id": report_id, "document_url": source["url"], "idx": 0, "status": "merged",
            "agency_id": event["agency"], "resolved_agency_id": event["agency"], "agency_name": event["agency"],
            "tool_id": event["tool"], "resolved_tool_id": event["tool"], "tool_name": event["tool"],
            "action": event["action"], "stage": event["stage"],
            "reported_date": date, "reported_precision": date_precision_of(date) if date else None,
            "date_source": "curated" if date else None,
            "reasons": list(event.get("reasons") or []), "reason_evidence": {},
            "scope": event.get("scope"), "evidence": source.get("evidence"),
            "confidence": 1.0, "published": source.get("published"),
            "status_note": f"added by {entry.id}",
        })
    return documents, reports


def warn_unapplied(rows):
    """One warning line per entry that did not apply (the CLI shows them on stderr)."""
    for row in rows:
        if row["status"] != "applied":
            log.warning("curation: %s entry %s (%s %s) %s: %s", row["file"], row["entry"], row["action"],
                        row["target"], row["status"], row["detail"])


__all__ = ["Curation", "Draft", "Entry", "load_curation", "apply_event_entries", "entity_merge_maps",
           "reject_sources", "curated_reports", "curated_report_ids", "warn_unapplied", "log_row"]
