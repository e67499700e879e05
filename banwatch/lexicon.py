"""The measure vocabulary extraction and crawling share: banwatch/lexicon.jsonl.

One JSON object per line: {"group", "label", "pattern"} where pattern is a phrase or
{"near": [[first words], [last words]], "within": N}; optional "weak", "close", "case_sensitive".
The extractor matches every group (pipeline.components.LexiconMatcher) except "words"; the
crawl-time relevance filter reads the measure words (group "trigger") so that a link is followed on
the same words extraction will look for.

The group "words" is not matched against text: it holds the word sets the extraction rules test
tokens against, one word or phrase per line (lower case, as the rules compare it; "governor_title",
"company_suffix" and "title_abbreviation", the tokenizer's extra abbreviations, keep the case names are
written in), the label naming the set:
{"group": "words", "label": "clause_break", "pattern": "but"}. The rules read a set with
words("clause_break"), a frozenset; punctuation the rules test stays in their code.
"""
import functools
import json
from pathlib import Path

from banwatch.errors import BanwatchError

LEXICON_PATH = Path(__file__).with_name("lexicon.jsonl")
WORDS_GROUP = "words"  # word sets the rules read, not patterns to match


@functools.lru_cache(maxsize=4)
def load_lexicon(path=LEXICON_PATH):
    """Every entry of the lexicon file, in order (BanwatchError naming the line for a bad one)."""
    entries, seen = [], {}
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as e:
            raise BanwatchError(f"{path}:{n}: invalid JSON ({e.msg})") from None
        if not isinstance(entry, dict) or not {"group", "label", "pattern"} <= set(entry):
            raise BanwatchError(f"{path}:{n}: an entry needs group, label and pattern")
        key = json.dumps(entry, sort_keys=True)
        if key in seen:  # a second copy would hide that one of them was meant to differ
            raise BanwatchError(f"{path}:{n}: the same entry as line {seen[key]}")
        seen[key] = n
        entries.append(entry)
    return tuple(entries)


def phrases(group, path=LEXICON_PATH):
    """The plain phrases of one group (near patterns left out)."""
    return [e["pattern"] for e in load_lexicon(path) if e["group"] == group and isinstance(e["pattern"], str)]


@functools.lru_cache(maxsize=None)
def words(label, path=LEXICON_PATH):
    """The word set of group "words" with this label (BanwatchError when the lexicon has none)."""
    found = frozenset(e["pattern"] for e in load_lexicon(path) if e["group"] == WORDS_GROUP and e["label"] == label)
    if not found:
        raise BanwatchError(f"{path}: no {WORDS_GROUP!r} entries labelled {label!r}")
    return found
