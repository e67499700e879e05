"""`banwatch eval --site`: gold documents served as a local news site, crawled, extracted, built, scored."""
import json

import pytest

from tests.support.cli import run_banwatch

# Written for this test: two measures (one reported twice), one page with no measure at all.
GOLD = [
    {"id": "a1", "url": "https://news.example/nasa-deepseek", "title": "NASA blocks DeepSeek on agency devices",
     "published": "2025-01-31",
     "text": "NASA told its staff on Friday that DeepSeek may not be used on agency devices or networks.\n\n"
             "The space agency cited security and privacy concerns about the Chinese chatbot.",
     "events": [{"event_id": "nasa", "agency": ["NASA"], "country": "United States", "tool": ["DeepSeek"],
                 "action": "ban", "date": "2025-01-31", "reasons": ["national_security"]}]},
    {"id": "a2", "url": "https://news.example/nasa-follow-up", "title": "NASA's DeepSeek block, explained",
     "published": "2025-02-03",
     "text": "NASA banned DeepSeek on its devices last week, according to a memo to employees.",
     "events": [{"event_id": "nasa", "agency": ["NASA"], "country": "United States", "tool": ["DeepSeek"],
                 "action": "ban", "date": "2025-01-31", "reasons": []}]},
    {"id": "a3", "url": "https://news.example/texas", "title": "Texas bans DeepSeek on state devices",
     "published": "2025-01-28",
     "text": "Governor Greg Abbott banned DeepSeek on state-issued devices on Tuesday, citing data security.",
     "events": [{"event_id": "texas", "agency": ["Texas", "State of Texas"], "country": "United States",
                 "tool": ["DeepSeek"], "action": "ban", "date": "2025-01-28", "reasons": ["data_privacy"]}]},
    {"id": "a4", "url": "https://news.example/bridge", "title": "Bridge repairs begin in the spring",
     "published": "2025-02-01", "text": "Crews will repair the river bridge in April; lanes will close at night.",
     "events": []},
]


@pytest.mark.slow
def test_the_whole_product_is_scored_against_gold_measures(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(r) + "\n" for r in GOLD), encoding="utf-8")
    result = run_banwatch("eval", "--gold", gold, "--site", "--json", timeout=300)
    scores = json.loads(result.stdout.strip().splitlines()[-1])
    assert scores["all"]["measures"] == 2
    assert scores["all"]["measures_found"] == 2 and scores["all"]["precision"] == 1.0
    assert scores["all"]["date_accuracy"] == 1.0
    assert "skipped 1 links as irrelevant" in result.stderr  # the bridge page never reaches the crawl
