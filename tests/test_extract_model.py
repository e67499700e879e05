"""The decision layer: a model rebuilt exactly from its committed training rows, current with the code,
deciding with calibrated confidence, and an extractor that reads nothing but documents, reference and model."""
import builtins
import json

import pytest

from banwatch.demo import demo_gold_records, demo_training_records
from pipeline.decide import MODEL_PATH, DecisionModel, one_event_per_measure
from pipeline.train import (REGULARIZATION, REGULARIZATION_GRID, ROWS_PATH, best_threshold, collect_rows, fit,
                            read_rows, regularization_curve)


@pytest.fixture(scope="module")
def rows():
    return read_rows()


def test_retraining_reproduces_the_committed_model(rows):
    committed = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert fit(rows) == committed, "pipeline/model/decision.json is stale: run `banwatch train`"


def test_the_committed_regularization_predicts_unseen_documents_best(rows):
    # chosen on the training rows alone (cross-validated log-loss), never on a check part; rows that
    # change with the rules can move the best value, and then REGULARIZATION follows it
    curve = dict(regularization_curve(rows))
    assert set(curve) == set(REGULARIZATION_GRID) and REGULARIZATION in curve
    assert curve[REGULARIZATION] <= min(curve.values()) + 0.002, curve


def test_the_training_rows_are_what_the_code_extracts_today(rows):
    # The demo pages are in the repository, so their rows can be collected again and compared: a
    # change to the rules or the features that was not followed by `banwatch train --gold` fails here.
    committed = [r for r in rows if r["source"] == "demo"]
    assert committed, "the training rows include the demo pages"
    assert collect_rows(demo_training_records(), "demo") == committed
    left_out = [r for r in demo_gold_records() if r.get("part") == "check"]
    assert left_out and not {r["id"] for r in left_out} & {r["doc"] for r in committed}


def test_rows_hold_numbers_and_ids_never_text(rows):
    for row in rows:
        assert set(row) == {"doc", "source", "label", "action", "gold_action", "features"}
        assert all(isinstance(v, (int, float)) for v in row["features"].values())
    assert {r["source"] for r in rows} <= {"gold-working", "demo", "fresh-working", "probes-studied"}


def test_held_probes_never_train(rows):
    from pipeline.evaluate import read_gold
    from pipeline.train import MODEL_DIR

    held = set(read_gold(MODEL_DIR / "corpus" / "probes_held.jsonl"))
    studied = set(read_gold(MODEL_DIR / "corpus" / "probes_studied.jsonl"))
    assert held and studied and not held & studied
    trained = {r["doc"] for r in rows}
    assert not held & trained
    assert studied & {r["doc"] for r in rows if r["source"] == "probes-studied"}


def test_the_model_keeps_what_it_believes_and_says_how_sure():
    spec = {"features": ["actor_reference", "hedged"], "coef": [2.0, -4.0], "intercept": 0.0,
            "calibration": {"a": 1.0, "b": 0.0}, "keep_threshold": 0.3}
    model = DecisionModel(spec)
    sure = {"features": {"actor_reference": 1.0, "hedged": 0.0}}
    hedged = {"features": {"actor_reference": 1.0, "hedged": 1.0}}
    kept = model.decide([sure, hedged])
    assert kept == [sure] and sure["confidence"] == pytest.approx(0.881, abs=1e-3)


def test_the_keep_threshold_prefers_keeping_among_equals():
    import numpy

    probabilities = numpy.array([0.95, 0.9, 0.2, 0.15])
    labels = numpy.array([1, 1, 0, 0])
    assert best_threshold(probabilities, labels) == 0.25  # 0.25 to 0.9 all give F1 1.0: the lowest wins


def test_confident_events_on_the_demo_are_right(tmp_path):
    # The demo pages are training data too, so this is a floor, not the measure (see docs/extraction.md)
    from pipeline.evaluate import evaluate

    gold = tmp_path / "demo.jsonl"
    gold.write_text("".join(json.dumps(r, default=str) + "\n" for r in demo_gold_records()), encoding="utf-8")
    scores, _ = evaluate(gold)
    assert scores["confident_events"] >= 40
    assert scores["confident_precision"] >= 0.9


def test_extraction_reads_no_gold_and_no_known_events(tmp_path, monkeypatch):
    from pipeline.run import extract_jsonl

    source = tmp_path / "docs.jsonl"
    record = {"id": "1", "title": "", "published": "2025-02-01",
              "text": "NASA banned DeepSeek on agency devices on Friday over security concerns."}
    source.write_text(json.dumps(record) + "\n", encoding="utf-8")
    forbidden = ("manifest.yml", ROWS_PATH.name, "dev.jsonl", "fresh.jsonl")
    real_open = builtins.open

    def guarded(file, *args, **kwargs):
        assert not str(file).endswith(forbidden), f"extraction opened {file}"
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded)
    out = tmp_path / "out.jsonl"
    extract_jsonl(source, out)
    (line,) = [json.loads(x) for x in real_open(out, encoding="utf-8")]
    assert [e["agency_id"] for e in line["events"]] == ["us-nasa"]


def test_a_document_the_extractor_fails_on_stops_training(monkeypatch):
    # extract_many records a failing document and goes on; training must not quietly lose its rows
    from banwatch.errors import BanwatchError
    from pipeline.extract import Extractor

    def broken(self, sdoc, doc):
        raise ValueError("a rule broke")

    monkeypatch.setattr(Extractor, "events_of", broken)
    record = {"id": "d1", "url": "https://example.org/a", "title": "", "published": "2025-02-03",
              "text": "NASA banned DeepSeek.", "events": []}
    with pytest.raises(BanwatchError, match=r"document d1 \(gold-working\) failed: ValueError: a rule broke"):
        collect_rows([record], "gold-working")


def test_one_body_acting_on_one_tool_within_a_year_is_one_measure():
    def event(action, date, confidence, tool="clearview-ai", source="text"):
        return {"agency": "Autoriteit Persoonsgegevens", "agency_id": "nl-ap", "tool": tool, "tool_id": tool,
                "action": action, "date": date, "date_precision": "day", "date_text": date, "date_source": source,
                "confidence": confidence}
    fine, warning = event("investigate", "2024-09-03", 0.63), event("warn", "2024-09-03", 0.92)
    assert one_event_per_measure([fine, warning], 12) == [warning]
    # a lift is another measure; so is a measure years later, or on another tool
    lift, later, other = event("lift", "2024-10", 0.7), event("ban", "2026-09", 0.5), event("ban", None, 0.5, "grok")
    assert one_event_per_measure([fine, lift, later, other], 12) == [fine, lift, later, other]
    # an undated one is the same measure as a dated one
    assert one_event_per_measure([event("ban", None, 0.5), fine], 12) == [fine]
    # the surest telling dated only by the report takes the date another telling states
    reported = event("ban", "2024-09-05", 0.9, source="published")
    assert one_event_per_measure([reported, fine], 12) == [reported]
    assert (reported["date"], reported["date_source"]) == ("2024-09-03", "text")
    # a probe and a ban the text dates to different days are two measures; told the same day, one
    probe, ban = event("investigate", "2025-01-28", 0.7), event("ban", "2025-01-30", 0.98)
    assert one_event_per_measure([probe, ban], 12) == [probe, ban]
    assert one_event_per_measure([event("investigate", "2025-01-30", 0.7), ban], 12) == [ban]
    assert one_event_per_measure([event("investigate", "2025-01", 0.7), ban], 12) == [ban]  # may be that day



def test_a_measure_told_only_in_the_closing_lines_is_marked_late():
    from pipeline.extract import Extractor
    text = ("The Dutch data protection authority has opened an investigation into ChatGPT over how the chatbot "
            "handles personal data. The regulator wants answers by June 23. It says prompts can hold health "
            "details. Around a million and a half Dutch people used the service in its first months. "
            "A spokesperson would not rule anything out. "
            "Italy's data protection authority temporarily blocked ChatGPT in March 2023.")
    found = Extractor(candidates=True).extract({"id": "t", "url": "https://example.org/t", "title": "",
                                                 "published": "2023-06-08", "text": text})["events"]
    late = {e["agency_id"]: e["features"]["late"] for e in found}
    assert late["it-garante"] == 1.0 and late["nl-ap"] == 0.0
