"""Synthetic inputs for the kb tests: a small reference directory, crawl.db documents and extractions.

The facts are real (NASA banned DeepSeek on 2025-01-31; Italy's Garante ordered ChatGPT blocked
on 2023-03-30 and lifted it on 2023-04-28; ...); every sentence is written here for the tests.
"""
import hashlib
import itertools
import json
import sqlite3
from pathlib import Path

import sqlite_utils
import yaml

from banwatch.crawldb import ensure_extract_shape
from pipeline.store import save_document

EXTRACTOR_VERSION = "test-1"

REFERENCE = {
    "jurisdictions": [
        {"id": "us", "name": "United States", "type": "country", "iso": "US", "qid": "Q30",
         "aliases": ["U.S.", "USA", "America"], "demonyms": ["American"]},
        {"id": "us-tx", "name": "Texas", "type": "state", "parent": "us", "iso": "US-TX", "demonyms": ["Texan"]},
        {"id": "us-va", "name": "Virginia", "type": "state", "parent": "us", "iso": "US-VA"},
        {"id": "it", "name": "Italy", "type": "country", "iso": "IT", "demonyms": ["Italian"]},
        {"id": "kr", "name": "South Korea", "type": "country", "iso": "KR",
         "aliases": ["Republic of Korea", "Korea"], "demonyms": ["South Korean", "Korean"]},
        {"id": "jp", "name": "Japan", "type": "country", "iso": "JP", "demonyms": ["Japanese"]},
        {"id": "jp-mie", "name": "Mie", "type": "prefecture", "parent": "jp"},
        {"id": "tw", "name": "Taiwan", "type": "country", "iso": "TW", "demonyms": ["Taiwanese"]},
        {"id": "cn", "name": "China", "type": "country", "iso": "CN", "demonyms": ["Chinese"]},
    ],
    "agencies": [
        {"id": "us-government", "name": "United States federal government", "type": "national_government",
         "jurisdiction": "us", "aliases": ["U.S. government", "federal government"]},
        {"id": "nasa", "name": "National Aeronautics and Space Administration", "short": "NASA",
         "type": "agency", "jurisdiction": "us", "parent": "us-government", "qid": "Q23548"},
        {"id": "us-dod", "name": "United States Department of Defense", "short": "DoD", "type": "ministry",
         "jurisdiction": "us", "parent": "us-government", "aliases": ["Pentagon", "Department of Defense"]},
        {"id": "us-navy", "name": "United States Navy", "short": "Navy", "type": "military",
         "jurisdiction": "us", "parent": "us-dod", "aliases": ["U.S. Navy"]},
        {"id": "us-house", "name": "United States House of Representatives", "type": "legislature",
         "jurisdiction": "us", "aliases": ["House of Representatives", "House"]},
        {"id": "us-tx-government", "name": "State of Texas", "type": "state_government", "jurisdiction": "us-tx",
         "aliases": ["Texas state government", "Governor of Texas"], "people": ["Greg Abbott"]},
        {"id": "us-va-government", "name": "Commonwealth of Virginia", "type": "state_government",
         "jurisdiction": "us-va", "aliases": ["Governor of Virginia"], "people": ["Glenn Youngkin"]},
        {"id": "it-garante", "name": "Garante per la protezione dei dati personali", "short": "Garante",
         "type": "dpa", "jurisdiction": "it", "aliases": ["Italian Data Protection Authority"]},
        {"id": "kr-pipc", "name": "Personal Information Protection Commission", "short": "PIPC", "type": "dpa",
         "jurisdiction": "kr"},
        {"id": "jp-pipc", "name": "Personal Information Protection Commission (Japan)", "type": "dpa",
         "jurisdiction": "jp", "aliases": ["Personal Information Protection Commission"]},
        {"id": "jp-government", "name": "Government of Japan", "type": "national_government", "jurisdiction": "jp"},
        {"id": "tw-moda", "name": "Ministry of Digital Affairs", "short": "MODA", "type": "ministry",
         "jurisdiction": "tw"},
    ],
    "vendors": [
        {"id": "deepseek", "name": "DeepSeek", "country": "cn", "aliases": ["Hangzhou DeepSeek"]},
        {"id": "openai", "name": "OpenAI", "country": "us"},
        {"id": "microsoft", "name": "Microsoft", "country": "us"},
    ],
    "tools": [
        {"id": "deepseek", "name": "DeepSeek", "vendor": "deepseek", "kind": "chatbot",
         "aliases": ["DeepSeek AI", "DeepSeek-R1"]},
        {"id": "chatgpt", "name": "ChatGPT", "vendor": "openai", "kind": "chatbot"},
        {"id": "microsoft-copilot", "name": "Microsoft Copilot", "vendor": "microsoft", "kind": "assistant",
         "aliases": ["Copilot"]},
    ],
    "reasons": [
        {"id": r, "label": r.replace("_", " ").capitalize(), "description": f"Measures citing {r.replace('_', ' ')}."}
        for r in ("national_security", "data_privacy", "data_sovereignty", "cybersecurity", "confidentiality",
                  "disinformation_censorship", "harmful_content", "legal_compliance", "unvetted", "other")
    ],
}


# Names the reference lets two entries share (settled by jurisdiction), per file.
AMBIGUOUS = {"agencies": ["Personal Information Protection Commission"]}


def write_reference(directory, data=None, ambiguous=None):
    """Write a reference directory (the documented YAML files) and return its path."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    ambiguous = AMBIGUOUS if ambiguous is None else ambiguous
    for name, entries in (data or REFERENCE).items():
        content = {"ambiguous_aliases": ambiguous[name], name: entries} if ambiguous.get(name) else entries
        (directory / f"{name}.yml").write_text(yaml.safe_dump(content, sort_keys=False, allow_unicode=True))
    return directory


def load_test_reference(directory):
    from banwatch.reference import load_reference

    return load_reference(write_reference(directory))


def crawl_db(data_dir):
    """crawl.db in data_dir with the extractor's tables (created if missing)."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    db = sqlite_utils.Database(data_dir / "crawl.db")
    ensure_extract_shape(db)
    return db


_counter = itertools.count(1)


def event(agency="NASA", tool="DeepSeek", action="ban", stage="enacted", date="2025-01-31", **fields):
    """An extractor event dict with sensible defaults: ids as the extractor gives them when resolved."""
    ids = {"NASA": ("nasa", "us"), "Texas": ("us-tx-government", "us-tx"), "U.S. Navy": ("us-navy", "us"),
           "Garante": ("it-garante", "it"), "House": ("us-house", "us"), "Pentagon": ("us-dod", "us"),
           "PIPC": ("kr-pipc", "kr"), "Virginia": ("us-va-government", "us-va"), "MODA": ("tw-moda", "tw")}
    tool_ids = {"DeepSeek": "deepseek", "ChatGPT": "chatgpt", "Copilot": "microsoft-copilot"}
    agency_id, jurisdiction_id = ids.get(agency, (None, None))
    precision = None
    if date:
        precision = {10: "day", 7: "month", 4: "year"}[len(date)]
    value = {
        "agency": agency, "agency_id": agency_id, "agency_mention": agency, "agency_kind": "agency",
        "country": None, "jurisdiction_id": jurisdiction_id,
        "tool": tool, "tool_id": tool_ids.get(tool), "tool_mention": tool,
        "action": action, "stage": stage, "date": date, "date_precision": precision,
        "date_text": date, "date_source": "text" if date else None,
        "reasons": ["national_security"], "reason_evidence": {"national_security": "security concerns"},
        "scope": "government devices", "evidence": f"{agency} took a measure against {tool}.",
        "evidence_start": 0, "evidence_end": 40, "confidence": 0.8,
    }
    value.update(fields)
    return value


def add_document(db, url, events, published="2025-02-01", title=None, text=None, sha=None,
                 extractor_version=EXTRACTOR_VERSION, **fields):
    """Save a document and its extractions exactly as the extractor does (pipeline.store)."""
    body = text or " ".join(e.get("evidence") or "" for e in events) or "No measure here."
    document = {
        "url": url, "sha256": sha or hashlib.sha256((url + body + json.dumps(events, default=str)).encode()).hexdigest(),
        "title": title or f"Report {next(_counter)}", "text": body, "published": published,
        "published_source": "meta" if published else None, "site": url.split("/")[2], "language": "en",
        "kind": "article", "canonical_url": url, "error": None,
    }
    document.update(fields)
    save_document(db, document, events, extractor_version)
    return document


def kb(data_dir):
    """The built kb.db of data_dir, opened read-only (rows as dicts via .query)."""
    conn = sqlite3.connect(f"{(Path(data_dir) / 'kb.db').resolve().as_uri()}?mode=ro", uri=True)
    return sqlite_utils.Database(conn)


def events(data_dir):
    return list(kb(data_dir).query("select * from events order by id"))


def sources_of(data_dir, event_id):
    return list(kb(data_dir).query(
        "select * from event_sources where event_id = ? order by document_url", [event_id]))


def write_curation(directory, events_yml="", entities_yml=""):
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "events.yml").write_text(events_yml)
    (directory / "entities.yml").write_text(entities_yml)
    return directory


def build(data_dir, reference, curation_dir=None, **options):
    """build_kb with the test reference and, unless given, an empty curation directory."""
    from kb.build import build_kb

    if curation_dir is None:
        curation_dir = write_curation(Path(data_dir).parent / "curation-empty")
    return build_kb(data_dir, curation_dir=curation_dir, reference=reference, **options)


def digest(path):
    """SHA-256 of a file's bytes, to tell that a build left a kb.db exactly as it was."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def table_snapshot(data_dir, table, order, drop=()):
    """A table's rows (minus volatile columns) for comparing two builds."""
    rows = list(kb(data_dir).query(f"select * from [{table}] order by {order}"))
    return [{k: v for k, v in row.items() if k not in drop} for row in rows]
