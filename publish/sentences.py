"""What every page, feed and export says about an event, built from its fields.

    summary(row)        "NASA banned DeepSeek on government devices and networks (31 January 2025)"
    display_date(row)   "31 January 2025", "January 2025", "2025", "date unknown"
    status_label(row)   "verified", "machine-read", "needs review"

The sentence is "<Agency> <verb> <tool> [on <things>] [for <people>] (<date>)": the agency's
name, a fixed verb for the action and stage, the tool's name, and the parts of the scope that are
plainly a noun phrase naming what the measure covers. The extractor's scope is a list of spans cut
from news sentences ("Friday told government agencies", "gathers user data"); a span is used only
when every word of it is a known modifier or a capitalised name and its last word names devices,
networks, systems or people, so a clipped clause never reaches a sentence (it stays on the event
page as the sources' wording). A curator's summary (curation `correct: ... set: {summary: ...}`)
is used as written.
"""
import calendar
import json
import re

# Past tense, as the summary reports what happened; proposals say so.
VERBS = {
    "ban": ("banned", "proposed banning"),
    "restrict": ("restricted", "proposed restricting"),
    "suspend": ("suspended", "proposed suspending"),
    "lift": ("lifted its restrictions on", "proposed lifting its restrictions on"),
    "investigate": ("opened an investigation into", "proposed investigating"),
    "warn": ("warned against", "proposed warning against"),
}
# Actions whose scope reads after the tool ("banned X on government devices"); an investigation or
# a lift has none worth saying in one line.
SCOPED_ACTIONS = ("ban", "restrict", "suspend", "warn")
STATUS_LABELS = {"verified": "verified", "machine": "machine-read", "needs_review": "needs review"}
STATUS_NOTES = {
    "verified": "checked against its sources by a curator",
    "machine": "read by the extractor with high confidence, not checked by a person",
    "needs_review": "read by the extractor with low confidence: awaiting review",
}

# Head nouns: what the measure is "on" (things) or "for" (people).
THINGS = {
    "device", "devices", "network", "networks", "system", "systems", "computer", "computers", "phone", "phones",
    "smartphone", "smartphones", "laptop", "laptops", "server", "servers", "equipment", "platform", "platforms",
    "workstation", "workstations", "download", "downloads", "app", "apps", "store", "stores", "pc", "pcs",
    "tablet", "tablets", "hardware", "infrastructure", "terminal", "terminals", "account", "accounts",
}
PEOPLE = {
    "staff", "staffers", "employee", "employees", "official", "officials", "agency", "agencies", "department",
    "departments", "ministry", "ministries", "user", "users", "personnel", "worker", "workers", "contractor",
    "contractors", "member", "members", "servant", "servants", "sailor", "sailors", "soldier", "soldiers",
    "troops", "lawmaker", "lawmakers", "student", "students", "teacher", "teachers", "school", "schools",
    "office", "offices", "bodies", "body", "institution", "institutions", "entity", "entities",
}
# Words that may stand before the head noun (lower case); capitalised names (NASA, Senate, Windows)
# are allowed too, unless they are a day or a month.
MODIFIERS = {
    "government", "governmental", "state", "federal", "official", "work", "agency", "ministry", "staff",
    "employee", "public", "new", "internal", "mobile", "managed", "owned", "issued", "office", "military",
    "connected", "central", "national", "local", "provincial", "prefectural", "municipal", "city", "county",
    "department", "departmental", "personal", "corporate", "company", "business", "all", "its", "their", "the",
    "and", "of", "civil", "public-sector", "classified", "unclassified", "secure", "sensitive", "shared",
    "remote", "desktop", "cloud", "app", "legislative", "congressional", "parliamentary", "administrative",
    "school", "education", "health", "defence", "defense", "security", "police", "court", "judicial", "it",
    "information", "technology", "digital", "computer", "communication", "communications", "network",
    "networked", "enterprise", "operational", "critical", "key", "major", "certain", "some", "specific",
    "designated", "approved", "authorized", "authorised", "other", "several", "many", "most", "every", "each",
    "both", "own", "user", "consumer", "customer", "citizen", "resident", "domestic", "foreign", "overseas",
}
# Nationalities keep their capital ("Italian users").
NATIONALITIES = {
    "european", "american", "italian", "korean", "japanese", "taiwanese", "australian", "canadian", "indian",
    "chinese", "german", "dutch", "french", "british", "czech", "brazilian", "spanish", "irish", "belgian",
}
MODIFIER_SUFFIXES = ("-issued", "-owned", "-run", "-managed", "-provided", "-funded", "-wide", "-level", "-related")
DAYS_AND_MONTHS = {d.lower() for d in calendar.day_name} | {m.lower() for m in calendar.month_name if m}
MAX_PARTS = 3


def _json_list(value):
    if isinstance(value, list):
        return value
    try:
        parsed = json.loads(value) if value else []
    except (TypeError, ValueError):
        return []
    return parsed if isinstance(parsed, list) else []


def display_date(row):
    """"31 January 2025", "January 2025", "2025" or "date unknown"."""
    date, precision = row.get("date"), row.get("date_precision")
    if not date:
        return "date unknown"
    try:
        parts = [int(p) for p in str(date).split("-")]
        if precision == "day" and len(parts) == 3:
            return f"{parts[2]} {calendar.month_name[parts[1]]} {parts[0]}"
        if precision in ("day", "month") and len(parts) >= 2:
            return f"{calendar.month_name[parts[1]]} {parts[0]}"
        return str(parts[0])
    except (ValueError, IndexError):
        return str(date)


def date_note(row):
    """"day not known" / "month not known" for a date that is a month or a year, else ""."""
    if not row.get("date"):
        return ""
    return {"month": "day not known", "year": "month not known"}.get(row.get("date_precision"), "")


def scope_parts(scope):
    """The parts of an extracted scope that are plainly noun phrases: ([things], [people])."""
    things, people, seen = [], [], set()
    for raw in re.split(r"[;|]", str(scope or "")):
        phrase = " ".join(raw.split()).strip(" .,:")
        words = phrase.split(" ")
        if not phrase or len(words) > 6:
            continue
        head = words[-1].lower()
        if head not in THINGS and head not in PEOPLE:
            continue
        if not all(_modifier(word) for word in words[:-1]):
            continue
        text = " ".join(w if _keeps_case(w) else w.lower() for w in words)
        key = text.lower()
        if key in seen or any(key in other or other in key for other in seen):
            continue
        seen.add(key)
        (things if head in THINGS else people).append(text)
    return things[:MAX_PARTS], people[:MAX_PARTS]


def _modifier(word):
    lower = word.lower().strip(",")
    if lower in DAYS_AND_MONTHS:
        return False
    if lower in MODIFIERS or lower in NATIONALITIES or lower in THINGS or lower in PEOPLE \
            or lower.endswith(MODIFIER_SUFFIXES):
        return True
    # A name: NASA, Senate, Windows, Prefectural. Not a clause word that happens to start a span.
    return word[:1].isupper() and word.isalpha() or word.isupper() and len(word) > 1


def _keeps_case(word):
    """Acronyms and names keep their capitals; "Government Devices" reads "government devices"."""
    lower = word.lower()
    if word.isupper() and len(word) > 1:
        return True
    return word[:1].isupper() and lower not in MODIFIERS and lower not in THINGS and lower not in PEOPLE


def _join(parts):
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def summary(row):
    """The event as one sentence, from its fields (a curated summary as written)."""
    curated = _json_list(row.get("curated_fields"))
    if "summary" in curated and row.get("summary"):
        return row["summary"]
    action, stage = row.get("action"), row.get("stage")
    verb = VERBS.get(action, (str(action), f"proposed {action}"))[stage == "proposed"]
    agency = row.get("agency") or row.get("agency_id") or "An unknown agency"
    text = f"{agency} {verb} {row.get('tool') or row.get('tool_id')}"
    if action in SCOPED_ACTIONS:
        things, people = scope_parts(row.get("scope"))
        if things:
            text += " on " + _join(things)
        if people:
            text += " for " + _join(people)
    return f"{text} ({display_date(row)})"


def status_label(row):
    return STATUS_LABELS.get(row.get("status"), row.get("status") or "")


def status_note(row):
    return STATUS_NOTES.get(row.get("status"), "")
