"""Entity resolution: the names extraction found -> agency, tool and jurisdiction ids.

The extractor already gives `agency_id` / `tool_id` / `jurisdiction_id` when it matched the
reference data. When it could not (an agency found by statistical NER), the name is looked up,
normalized, among the reference names and aliases (disambiguated by the jurisdiction the
extractor inferred), then a country's or state's bare name is read as its government, and
failing all that an *unverified* agency is created. Its id is derived from the name and country
alone, `unverified-<country>-<name-slug>` (e.g. `unverified-jp-mie-prefectural-government`), so
the same agency named by two documents - or by two builds - gets the same id, and a curator can
refer to it in kb/curation/entities.yml to merge it into a reference agency. Names are looked up
with banwatch.reference's own rules (Reference.resolve: normalized names, shared names settled by the
jurisdiction); this module adds what only the build needs.
"""
import functools
import json

from banwatch.names import name_words, slugify
from banwatch.vocab import ACTIONS, GOVERNMENT_TYPES, REASONS, STAGES
from kb.merge import date_precision_of, group_key

# Bump when a rule below changes what a name resolves to: stored resolutions are then redone.
RESOLVER_VERSION = "1"

class Resolver:
    """Resolves extraction rows against the reference data (banwatch.reference: its names, aliases and
    ambiguity rules) and names the unverified entities it has to create."""

    def __init__(self, reference):
        self.reference = reference
        # Demonyms are not names of the jurisdiction in the reference index ("Italian" is not
        # Italy), but an extractor's `country` may be one.
        self.demonyms = {}
        for jid, entry in sorted(reference.jurisdictions.items()):
            for demonym in entry.get("demonyms") or []:
                self.demonyms.setdefault(name_words(demonym), jid)
        self.government_of = {}
        for aid, entry in sorted(reference.agencies.items()):
            if entry.get("type") in GOVERNMENT_TYPES and entry.get("jurisdiction"):
                self.government_of.setdefault(entry["jurisdiction"], aid)

    # -- jurisdictions ------------------------------------------------------------------------

    @functools.lru_cache(maxsize=65536)  # noqa: B019
    def jurisdiction_for(self, jurisdiction_id=None, country=None):
        """A jurisdiction id from the extractor's id or its country name, or None."""
        if jurisdiction_id and jurisdiction_id in self.reference.jurisdictions:
            return jurisdiction_id
        for text in (jurisdiction_id, country):
            if text:
                jid = self.reference.resolve("jurisdictions", text) or self.demonyms.get(name_words(text))
                if jid:
                    return jid
        return None

    def country_of(self, jurisdiction_id):
        return self.reference.country_of(jurisdiction_id) if jurisdiction_id else None

    def _place(self, words):
        text = " ".join(words)
        return self.reference.resolve("jurisdictions", text) or self.demonyms.get(text)

    # -- agencies -----------------------------------------------------------------------------

    def agency_for(self, extraction):
        """The agency id for an extraction row (an unverified agency's id if need be), or None."""
        agency_id = extraction.get("agency_id")
        if agency_id and agency_id in self.reference.agencies:
            return agency_id
        return self._agency(extraction.get("agency"), extraction.get("agency_mention"),
                            extraction.get("jurisdiction_id"), extraction.get("country"))

    @functools.lru_cache(maxsize=65536)  # noqa: B019 - the resolver lives for one build; names repeat a lot
    def _agency(self, agency, mention, jurisdiction_id, country):
        jurisdiction = self.jurisdiction_for(jurisdiction_id, country)
        names = [n for n in (agency, mention) if n and n.strip()]
        for name in names:
            found = self._reference_agency(name, jurisdiction)
            if found:
                return found
        if not names:
            return None
        return self._unverified_agency_id(names[0], jurisdiction)

    def _reference_agency(self, name, jurisdiction):
        resolve = self.reference.resolve
        found = resolve("agencies", name, jurisdiction)
        if found:
            return found
        stripped = self._strip_place(name_words(name), jurisdiction)
        if stripped != name_words(name):
            found = resolve("agencies", stripped, jurisdiction)
            if found:
                return found
        # "Texas banned ..." - a country's or state's own name stands for its government.
        place = self._place(name_words(name).split())
        return self.government_of.get(place)

    def _strip_place(self, key, jurisdiction):
        """Drop a leading name or demonym of the agency's own country: "south korea ministry of x".

        Only the country's: it is already in an unverified id, while a state or prefecture name
        ("Mie Prefectural Government") is what tells two such agencies apart."""
        if not jurisdiction:
            return key
        places = {self.country_of(jurisdiction)}
        words = key.split()
        for n in range(min(3, len(words) - 1), 0, -1):
            if self._place(words[:n]) in places:
                return " ".join(words[n:])
        return key

    def _unverified_agency_id(self, name, jurisdiction):
        """`unverified-<country>-<name>`: the same agency named twice gets the same id."""
        key = self._strip_place(name_words(name), jurisdiction)
        country = self.country_of(jurisdiction)
        return "unverified-" + "-".join(p for p in (slugify(country or ""), slugify(key)) if p)

    # -- tools --------------------------------------------------------------------------------

    def tool_for(self, extraction):
        """The tool id for an extraction row (`unverified-<name>` when unknown), or None."""
        tool_id = extraction.get("tool_id")
        if tool_id and tool_id in self.reference.tools:
            return tool_id
        return self._tool(extraction.get("tool"), extraction.get("tool_mention"))

    @functools.lru_cache(maxsize=65536)  # noqa: B019
    def _tool(self, tool, mention):
        names = [n for n in (tool, mention) if n and n.strip()]
        for name in names:
            found = self.reference.resolve("tools", name)
            if found:
                return found
        slug = slugify(names[0]) if names else ""
        return f"unverified-{slug}" if slug else None


# -- extraction rows -> reports --------------------------------------------------------------------


def report_from_extraction(x, resolver):
    """One event_sources row (status merged, or invalid with the reason) from a crawl.db extraction row
    (with its document's `doc_published` and `doc_extractor_version`)."""
    notes = []
    agency_id = resolver.agency_for(x)
    tool_id = resolver.tool_for(x)
    action = x.get("action")
    stage = x.get("stage") or "enacted"
    if agency_id is None:
        notes.append("no agency")
    if tool_id is None:
        notes.append("no tool")
    if action not in ACTIONS:
        notes.append(f"unknown action {action!r}")
    if stage not in STAGES:
        notes.append(f"unknown stage {stage!r}")
    date = x.get("date")
    precision = date_precision_of(date) if date else None
    if date and precision is None:
        notes.append(f"unreadable date {date!r} ignored")
        date = None
    elif date and x.get("date_precision") and x["date_precision"] != precision:
        notes.append(f"date precision {x['date_precision']!r} corrected to {precision!r}")
    date_source = x.get("date_source") if date else None
    published = x.get("doc_published")
    if date is None and date_precision_of(published) == "day":
        # No date in the text: the publication date bounds it (and says so).
        date, precision, date_source = published, "day", "published"
    given = json_list(x.get("reasons"))
    reasons = []
    for reason in given:
        if reason in REASONS and reason not in reasons:
            reasons.append(reason)
        elif reason not in REASONS:
            notes.append(f"unknown reason {reason!r} dropped")
    evidence = json_dict(x.get("reason_evidence"))
    confidence = x.get("confidence")
    if not isinstance(confidence, (int, float)) or confidence != confidence:
        confidence = None
    jurisdiction_id = resolver.jurisdiction_for(x.get("jurisdiction_id"), x.get("country"))
    invalid = [n for n in notes if n.startswith(("no ", "unknown action", "unknown stage"))]
    report = {
        "id": x["id"], "event_id": None, "status": "invalid" if invalid else "merged",
        "status_note": "; ".join(notes) or None, "document_url": x["document_url"], "idx": x.get("idx"),
        "agency_id": agency_id, "resolved_agency_id": agency_id, "agency_name": x.get("agency"),
        "agency_mention": x.get("agency_mention"), "agency_kind": x.get("agency_kind"),
        "tool_id": tool_id, "resolved_tool_id": tool_id, "tool_name": x.get("tool"),
        "tool_mention": x.get("tool_mention"), "jurisdiction_id": jurisdiction_id, "country": x.get("country"),
        "action": action, "stage": stage, "reported_date": date, "reported_precision": precision,
        "date_text": x.get("date_text"), "date_source": date_source, "reasons": reasons,
        "reason_evidence": evidence, "scope": x.get("scope"),
        "evidence": x.get("evidence"), "evidence_start": x.get("evidence_start"),
        "evidence_end": x.get("evidence_end"), "confidence": confidence, "published": published,
        "extractor_version": x.get("doc_extractor_version"), "group_key": None,
    }
    if not invalid:
        report["group_key"] = group_key(agency_id, tool_id, action, stage)
    # Written back as the extractor stored them when nothing was dropped (saves re-encoding).
    report["_reasons_json"] = x["reasons"] if (isinstance(x.get("reasons"), str) and given == reasons) \
        else json.dumps(reasons)
    report["_evidence_json"] = x["reason_evidence"] if (isinstance(x.get("reason_evidence"), str) and evidence) \
        else json.dumps(evidence, ensure_ascii=False)
    return report


def json_list(value):
    if isinstance(value, list):
        return value
    return list(_parse_json(value or "[]", list))


def json_dict(value):
    if isinstance(value, dict):
        return value
    return _parse_json(value or "{}", dict)


@functools.lru_cache(maxsize=65536)
def _parse_json(text, kind):
    """Parsed JSON of one kind (the same few reason lists recur thousands of times); callers
    must not modify what they get."""
    try:
        parsed = json.loads(text)
    except (TypeError, ValueError):
        return kind()
    return parsed if isinstance(parsed, kind) else kind()
