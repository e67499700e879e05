"""Summaries read as sentences built from fields: "<Agency> <verb> <tool> [on <things>] [for <people>] (<date>)".

Checked by rule over every event of the bundled demo (whose extracted scopes include clipped clauses
such as "Friday told government agencies" and "gathers user data"), with spaCy's tagger as a second
reader: no finite verb may appear after the main one, no weekday or month inside the scope.
"""
import calendar
import re
import sqlite3

import pytest

from publish.sentences import VERBS, display_date, scope_parts, summary

FINITE_VERB_TAGS = ("VBD", "VBZ", "VBP", "MD")  # told, gathers, say, will
DAYS_AND_MONTHS = "|".join([*calendar.day_name, *(m for m in calendar.month_name if m)])


@pytest.fixture(scope="module")
def demo_events(demo_kb):
    conn = sqlite3.connect(f"{(demo_kb / 'kb.db').as_uri()}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    rows = [dict(r) for r in conn.execute(
        "select t.*, e.curated_fields from timeline t join events e on e.id = t.event_id order by t.event_id")]
    conn.close()
    return rows


@pytest.fixture(scope="module")
def nlp():
    from pipeline.nlp import load_model

    return load_model(exclude=["ner", "lemmatizer"])


def grammar_problems(row, sentence, nlp):
    """What is wrong with a summary sentence, by rule ([] when nothing)."""
    problems = []
    verb = VERBS[row["action"]][row["stage"] == "proposed"]
    head = f"{row['agency']} {verb} {row['tool']}"
    if not sentence.startswith(head):
        problems.append(f"does not start with {head!r}")
    date = display_date(row)
    if not sentence.endswith(f"({date})"):
        problems.append(f"does not end with ({date})")
    middle = sentence[len(head):-len(f" ({date})")]
    if middle and not re.fullmatch(r"( on [^()]+?)?( for [^()]+?)?", middle):
        problems.append(f"scope is not 'on ...' / 'for ...': {middle!r}")
    if re.search(rf"\b({DAYS_AND_MONTHS})\b", middle):
        problems.append(f"a day or month inside the scope: {middle!r}")
    if re.search(r"[;|]|\b(\w+) \1\b|\bon on\b|\bfor for\b", middle, re.I):
        problems.append(f"a list separator or a doubled word: {middle!r}")
    if middle:
        doc = nlp(f"The ministry banned the app{middle}.")
        finite = [t.text for t in doc[5:] if t.tag_ in FINITE_VERB_TAGS]
        if finite:
            problems.append(f"verb fragments {finite} in {middle!r}")
    return problems


def test_every_demo_summary_reads_as_a_sentence(demo_events, nlp):
    assert len(demo_events) >= 55  # enough summaries for the check to mean something (59 in December 2026)
    problems = {}
    for row in demo_events:
        sentence = summary(row)
        found = grammar_problems(row, sentence, nlp)
        if found:
            problems[row["event_id"]] = (sentence, found)
    assert problems == {}


def test_the_demo_has_the_clipped_scopes_the_rule_must_catch(demo_events, nlp):
    """The check is not vacuous: the raw scopes, put in the sentence as the old summary did, fail it."""
    failing = 0
    for row in demo_events:
        if not row["scope"]:
            continue
        verb = VERBS[row["action"]][row["stage"] == "proposed"]
        naive = f"{row['agency']} {verb} {row['tool']} on {row['scope']} ({display_date(row)})"
        failing += bool(grammar_problems(row, naive, nlp))
    assert failing >= 10


@pytest.mark.parametrize("scope, things, people", [
    ("Friday told government agencies", [], []),
    ("gathers user data; Ministry computers; outside networks", ["ministry computers"], []),
    ("Administrative Officer told staff; issued devices", ["issued devices"], []),
    ("NASA staff; employees; managed devices; networks", ["managed devices", "networks"], ["NASA staff", "employees"]),
    ("Government Devices; government-issued devices", ["government devices", "government-issued devices"], []),
    ("Italian users", [], ["Italian users"]),
    ('work devices <svg onload=alert("x")>', [], []),
    ("personal data", [], []),
    ("", [], []),
])
def test_scope_parts_keep_only_noun_phrases(scope, things, people):
    assert scope_parts(scope) == (things, people)


def test_summary_forms():
    row = {"agency": "State of Texas", "tool": "DeepSeek", "action": "ban", "stage": "enacted",
           "scope": "state-issued devices", "date": "2025-01-31", "date_precision": "day"}
    assert summary(row) == "State of Texas banned DeepSeek on state-issued devices (31 January 2025)"
    assert summary({**row, "stage": "proposed", "date": "2025-02", "date_precision": "month"}) == \
        "State of Texas proposed banning DeepSeek on state-issued devices (February 2025)"
    assert summary({**row, "action": "investigate", "date": None}) == \
        "State of Texas opened an investigation into DeepSeek (date unknown)"
    curated = {**row, "summary": "Texas's governor ordered DeepSeek off state devices.", "curated_fields": '["summary"]'}
    assert summary(curated) == "Texas's governor ordered DeepSeek off state devices."
