"""The measure vocabulary extraction and crawling share: banwatch/lexicon.jsonl.

One JSON object per line: {"group", "label", "pattern"} where pattern is a phrase or
{"near": [[first words], [last words]], "within": N}; optional "weak", "close", "case_sensitive".
The extractor matches every group (pipeline.components.LexiconMatcher); the crawl-time relevance
filter reads the measure words (group "trigger") so that a link is followed on the same words
extraction will look for.
"""
import functools
import json
from pathlib import Path

from banwatch.errors import BanwatchError

LEXICON_PATH = Path(__file__).with_name("lexicon.jsonl")


@functools.lru_cache(maxsize=4)
def load_lexicon(path=LEXICON_PATH):
    """Every entry of the lexicon file, in order (BanwatchError naming the line for a bad one)."""
    entries = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as e:
            raise BanwatchError(f"{path}:{n}: invalid JSON ({e.msg})") from None
        if not isinstance(entry, dict) or not {"group", "label", "pattern"} <= set(entry):
            raise BanwatchError(f"{path}:{n}: an entry needs group, label and pattern")
        entries.append(entry)
    return tuple(entries)


def phrases(group, path=LEXICON_PATH):
    """The plain phrases of one group (near patterns left out)."""
    return [e["pattern"] for e in load_lexicon(path) if e["group"] == group and isinstance(e["pattern"], str)]
