"""Robustness: generated text and HTML never crash a batch; a failing document is recorded, the rest go on."""
import functools
import json
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.extract import Extractor
from pipeline.run import extract_jsonl

ACTIONS = {"ban", "restrict", "suspend", "lift", "investigate", "warn"}
STAGES = {"enacted", "proposed"}
ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

# Words the extractor reacts to, mixed with noise, so generated text reaches the rules, not just the tokenizer.
WORDS = ["NASA", "the Navy", "Texas", "Italy's Garante", "the House", "DeepSeek", "ChatGPT", "Copilot", "it",
         "banned", "ban", "lifted", "blocked", "restricts", "urged", "not", "would", "which", "on Friday",
         "Jan. 31", "2025", "last week", "March 3, 2023", "national security", "privacy", "devices", "staff",
         "said", "by", ",", ".", ";", ":", "\n", "\n\n", "“", "”", "(", ")", "'s", "—", "-", "&amp;", "🚫",
         "Regierung", "禁止", "x" * 300, "", " "]

settings_ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@functools.lru_cache(maxsize=1)
def extractor():
    return Extractor()


def check_result(result):
    assert set(result) >= {"id", "events", "error"}
    for event in result["events"]:
        assert event["action"] in ACTIONS
        assert event["stage"] in STAGES
        assert event["date"] is None or ISO.match(event["date"]), event["date"]
        assert event["tool_id"] and event["agency"]
        assert isinstance(event["reasons"], list)


text_strategy = st.one_of(
    st.lists(st.sampled_from(WORDS), max_size=80).map(" ".join),
    st.text(max_size=400),
)


@settings_
@given(texts=st.lists(text_strategy, min_size=1, max_size=5),
       published=st.one_of(st.none(), st.dates().map(str), st.text(max_size=12)))
def test_generated_text_never_crashes_a_batch(texts, published):
    records = [{"id": str(i), "title": t[:60], "text": t, "published": published} for i, t in enumerate(texts)]
    results = extractor().extract_many(records)
    assert [r["id"] for r in results] == [r["id"] for r in records]
    for result in results:
        check_result(result)


fragment = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(["<p>", "</p>", "<div class='x'>", "</div>", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
                     "<title>", "</title>", "<br>", "<!--", "-->", "<![CDATA[", "]]>", "<meta property='og:title' content='",
                     "'>", "<", ">", "&", "&#0;", "<svg onload=alert(1)>", "<article>", "</article>", "<html>", "<body>"]),
    st.text(max_size=30),
)


@settings_
@given(pages=st.lists(st.lists(fragment, max_size=60).map("".join), min_size=1, max_size=4))
def test_generated_html_never_crashes_a_batch(pages):
    records = [{"id": str(i), "html": html, "url": "https://example.org/news/story"} for i, html in enumerate(pages)]
    results = extractor().extract_many(records)
    assert len(results) == len(records)
    for result in results:
        check_result(result)
        assert result["error"] is None or isinstance(result["error"], str)


def test_a_failing_document_is_recorded_and_the_batch_goes_on(monkeypatch):
    ex = Extractor()
    original = ex.events_of

    def fragile(sdoc, doc):
        if "poison" in doc["text"]:
            raise RuntimeError("rule blew up")
        return original(sdoc, doc)

    monkeypatch.setattr(ex, "events_of", fragile)
    results = ex.extract_many([
        {"id": "a", "text": "NASA banned DeepSeek on its devices on Jan. 31, 2025.", "published": "2025-01-31"},
        {"id": "b", "text": "poison: the Navy banned DeepSeek.", "published": "2025-01-28"},
        {"id": "c", "text": "Texas banned DeepSeek on state devices.", "published": "2025-01-28"},
    ])
    assert [r["id"] for r in results] == ["a", "b", "c"]
    assert results[1]["error"] == "RuntimeError: rule blew up" and results[1]["events"] == []
    assert results[0]["error"] is None and results[0]["events"][0]["agency_id"] == "us-nasa"
    assert results[2]["events"][0]["agency_id"] == "us-tx-government"


def test_jsonl_batch_keeps_going_past_bad_lines_and_bad_documents(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join([
        json.dumps({"id": "1", "text": "NASA banned DeepSeek on Jan. 31, 2025.", "published": "2025-01-31"}),
        "{this is not json",
        json.dumps({"id": "2", "html": b"\x00\xff\xfe".decode("latin-1")}),
        json.dumps({"id": "3", "text": "The Navy told its members not to use DeepSeek.", "published": "2025-01-28"}),
    ]) + "\n")
    out = tmp_path / "out.jsonl"
    stats = extract_jsonl(source, out)
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [line["id"] for line in lines] == ["1", "2", "3"]
    assert stats["skipped_lines"] == 1
    assert lines[0]["events"] and lines[2]["events"]


def test_jsonl_lines_of_invalid_utf8_or_deep_nesting_are_skipped_and_counted(tmp_path):
    good = json.dumps({"id": "ok", "text": "NASA banned DeepSeek on Jan. 31, 2025.", "published": "2025-01-31"})
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"\n".join([
        good.encode(),
        b'{"id": "bad-bytes", "text": "caf\xe9 \xff"}',
        b'{"id": "deep", "text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        good.replace('"ok"', '"ok2"').encode(),
    ]) + b"\n")
    out = tmp_path / "out.jsonl"
    stats = extract_jsonl(source, out)
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["ok", "ok2"]
    assert stats["skipped_lines"] == 2


def test_html_that_breaks_the_parser_is_a_recorded_error():
    # found by hypothesis: lxml asserts on this tree; the page is an error, the batch goes on
    results = extractor().extract_many([
        {"id": "bad", "html": "<svg onload=alert(1)><html>", "url": "https://example.org/a"},
        {"id": "good", "text": "NASA banned DeepSeek on Jan. 31, 2025.", "published": "2025-01-31"},
    ])
    assert results[0]["error"] and "parse" in results[0]["error"]
    assert results[1]["events"]
