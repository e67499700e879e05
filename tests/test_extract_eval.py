"""`banwatch eval`: the matching rule of the design's evaluation contract, and the command itself."""
import json

from pipeline.evaluate import names_match, score
from tests.support.cli import run_banwatch


def test_names_match_by_words_of_the_shorter_name():
    assert names_match("NASA", "nasa")
    assert names_match("Italy's privacy regulator", "Italy privacy regulator")
    assert names_match("Garante", "Italy's Garante")
    assert names_match("U.S. Navy", "United States Navy")
    assert not names_match("the government", "Dutch government")  # only generic words: must be equal
    assert not names_match("Texas", "New York")


def test_a_lift_pairs_only_with_a_lift_and_dates_match_at_the_gold_precision():
    gold = {"d": {"events": [
        {"agency": ["Garante"], "tool": ["ChatGPT"], "action": "ban", "date": "2023-03", "reasons": ["data_privacy"]},
        {"agency": ["Garante"], "tool": ["ChatGPT"], "action": "lift", "date": "2023-04-28", "reasons": []},
    ]}}
    predicted = {"d": [
        {"agency": "Garante", "tool": "ChatGPT", "action": "lift", "date": "2023-04-28", "reasons": []},
        {"agency": "Garante", "tool": "ChatGPT", "action": "suspend", "date": "2023-03-30",
         "reasons": ["data_privacy", "child_safety"]},
    ]}
    s, details = score(gold, predicted)
    assert (s["matched"], s["precision"], s["recall"]) == (2, 1.0, 1.0)
    assert s["date_accuracy"] == 1.0  # "2023-03-30" is right for a month-precision gold date
    assert s["action_accuracy"] == 0.5
    assert (s["reason_precision"], s["reason_recall"]) == (0.5, 1.0)
    assert any(d.startswith("MISMATCH d") for d in details)


def test_eval_command_on_a_gold_file(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(json.dumps(r) for r in [
        {"id": "1", "title": "", "published": "2025-02-01",
         "text": "NASA blocked DeepSeek on its devices on Friday over national security concerns.",
         "events": [{"agency": ["NASA"], "country": "United States", "tool": ["DeepSeek"], "action": "ban",
                     "date": "2025-01-31", "reasons": ["national_security"]}]},
        {"id": "2", "title": "", "published": "2025-02-01",
         "text": "Lawmakers said they had not banned DeepSeek and had no plans to.", "events": []},
    ]) + "\n")
    out = tmp_path / "pred.jsonl"
    result = run_banwatch("eval", "--gold", gold, "--json", "--output", out, in_process=True)
    scores = json.loads(result.stdout)
    assert (scores["matched"], scores["f1"], scores["date_accuracy"]) == (1, 1.0, 1.0)
    assert scores["reason_f1"] == 1.0
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["1", "2"]
    assert scores["failed_documents"] == 0


def test_eval_names_the_documents_the_extractor_failed_on(tmp_path, monkeypatch):
    from pipeline.evaluate import evaluate, format_scores
    from pipeline.extract import Extractor

    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "1", "title": "", "published": "2025-02-01", "text": "NASA banned DeepSeek.",
                                "events": []}) + "\n")

    def broken(self, sdoc, doc):
        raise ValueError("a rule broke")

    monkeypatch.setattr(Extractor, "events_of", broken)
    scores, details = evaluate(gold)
    assert scores["failed_documents"] == 1 and "FAILED 1: ValueError: a rule broke" in details
    assert format_scores(scores).startswith("FAILED: the extractor failed on 1 documents")


def test_eval_on_the_bundled_demo_manifest():
    # a regression guard on our own reconstructed pages (not the publishers' dev text)
    result = run_banwatch("eval", "--gold", "demo", "--json", in_process=True)
    scores = json.loads(result.stdout)
    assert scores["documents"] >= 50
    assert scores["f1"] >= 0.8, scores
    assert scores["action_accuracy"] >= 0.85, scores


def test_the_split_keeps_a_measures_reports_together_and_a_pinned_part_wins():
    from pipeline.evaluate import split_parts

    records = [{"id": f"d{n}", "events": [{"event_id": f"m{n}"}]} for n in range(200)]
    records.append({"id": "twin", "events": [{"event_id": "m7"}]})  # a second report of measure m7
    parts = split_parts(records)
    assert parts == split_parts(list(reversed(records)))  # the order of the file does not matter
    assert parts["twin"] == parts["d7"]
    assert 0.3 < sum(p == "check" for p in parts.values()) / len(parts) < 0.5
    # a report pinned to a part (its measure is in that part of another gold file) takes its group along;
    # when members disagree, check wins: a measure of a check part must never train the model
    working = next(r for r in records[:200] if parts[r["id"]] == "working")
    pinned = records + [{"id": "pin", "part": "check", "events": [{"event_id": working["events"][0]["event_id"]}]},
                        {"id": "pin2", "part": "working", "events": [{"event_id": working["events"][0]["event_id"]}]}]
    repinned = split_parts(pinned)
    assert repinned[working["id"]] == repinned["pin"] == repinned["pin2"] == "check"
    assert {k: v for k, v in repinned.items() if k in parts and k != working["id"]} == \
        {k: v for k, v in parts.items() if k != working["id"]}
