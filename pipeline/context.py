"""What the extraction rules know about one document: its tokens, span groups, sentences and main subjects.

DocContext wraps a Doc that went through banwatch's components (pipeline/components.py) with the
lookups the rules make thousands of times per document (token strings and flags as plain lists,
span groups bucketed by sentence), and the document-level facts every rule may ask for: the focus
tool, the dominant jurisdictions, where a name is only a tool's origin. Actor and Mention are what
the rules hand each other.
"""
import bisect
from collections import Counter
from dataclasses import dataclass, field

import numpy
from spacy.attrs import (
    IDX,
    IS_ALPHA,
    IS_DIGIT,
    IS_LOWER,
    IS_PUNCT,
    IS_STOP,
    IS_TITLE,
    LOWER,
    ORTH,
)

from banwatch.lexicon import words
from pipeline.components import document_text, sentences, word_hashes
from pipeline.settings import DEFAULT_SETTINGS

ORIGIN_NOUNS = words("origin_noun")
ORIGIN_LINKS = words("origin_link")  # "affiliation with", "ties to": whom a tool is tied to
NOT_AGENT_BEFORE = words("not_agent_before")
POSSESSIVE = frozenset({"'s", "’s", "'", "’"})  # spaCy's token for the possessive, either apostrophe; a bare one after a plural ("Netherlands'")


class TokenStrings:
    """Token strings by position, looked up on demand: the rules read a few hundred of a document's
    thousands, and a list of all of them costs more than the rules themselves. Kept in a list with a
    gap (None) for each string not read yet, so that a slice of strings already read is one list slice."""

    def __init__(self, strings, hashes):
        self.strings = strings
        self.hashes = hashes.tolist()  # Python ints: no conversion per lookup
        self.cache = [None] * len(self.hashes)

    def __len__(self):
        return len(self.hashes)

    def __getitem__(self, key):
        cache = self.cache
        if isinstance(key, slice):
            out = cache[key]
            if None in out:
                for k, i in enumerate(range(*key.indices(len(cache)))):
                    if out[k] is None:
                        out[k] = cache[i] = self.strings[self.hashes[i]]
            return out
        word = cache[key]
        if word is None:
            word = cache[key] = self.strings[self.hashes[key]]
        return word


def no_line_break_between(ctx, i, j):
    """Sentences i and j with no line break between them (one paragraph of a news page)."""
    if not (0 <= i < len(ctx.sents) and 0 <= j < len(ctx.sents)):
        return False
    a, b = sorted((i, j))
    return "\n" not in ctx.text(ctx.sents[a].end - 1, ctx.sents[b].start + 1)


def only_described(text):
    """"lawmakers", "the national cyber security agency": words without a capital letter describe a
    body rather than name it."""
    return bool(text) and not any(c.isupper() for c in text)


@dataclass
class Actor:
    key: str
    name: str
    mention: str
    agency_id: str = None
    kind: str = None
    jurisdiction_id: str = None
    start: int = 0
    end: int = 0
    generic: bool = False  # a whole jurisdiction ("Italy", "Dutch officials"), not a named body
    verified: bool = True
    via: str = field(default="", compare=False)  # "locative" ("in Italy"), "anaphor" ("the bureau")


@dataclass
class Mention:
    """One statement of a measure: a trigger with one actor and one tool."""
    actor: Actor
    tool_id: str
    tool_mention: str
    action: str
    stage: str
    weight: float
    sentence: object
    trigger: object
    in_title: bool
    date: tuple = None  # (iso, precision, text, score)
    scope: list = field(default_factory=list)
    via: str = ""


class DocContext:
    """What the rules need to know about the whole document."""

    def __init__(self, doc, reference, published=None, title_end=0, default_year=None, settings=DEFAULT_SETTINGS):
        self.doc = doc
        self.settings = settings  # the rules' weights and windows (pipeline.settings.RuleSettings)
        self.ref = reference
        self.published = published
        self.title_end = title_end  # character offset where the body begins
        self.default_year = default_year
        self.published_month = None  # 'YYYY-MM' when only the month of publication is known
        self.dateline = None  # (start, end) characters of the story's dateline: its date is no measure's
        self.publisher = None  # the agency whose own site published the document ("we" there is that body)
        self.outlet_names = frozenset()  # what a news site's host spells ("cyberdaily"): the outlet's name
        self.sents, self.sent_starts = sentences(doc)
        # token attributes as plain lists: the rules read them thousands of times per document, and
        # doc[i] builds a new Token object each time
        columns = doc.to_array([ORTH, LOWER, IS_PUNCT, IS_ALPHA, IS_LOWER, IS_TITLE, IS_STOP, IS_DIGIT, IDX])
        self.full_text = document_text(doc)
        self.idx = columns[:, 8].tolist()
        self.words = TokenStrings(doc.vocab.strings, columns[:, 0])
        self.lower = TokenStrings(doc.vocab.strings, columns[:, 1])
        (self.punct, self.alpha, self.is_lower, self.is_title_case, self.stop,
         self.digit) = (columns[:, k].astype(bool).tolist() for k in range(2, 8))
        self._positions = {}
        self._word_index = None
        self._ordered_positions = {}  # the same, sorted: positions_in reads a range by bisection
        self._groups = {}
        self.by_sentence = {}  # (group, sentence start token) -> spans, the lookup the rules make most
        self.actors_cache = {}  # sentence start -> its actors (pipeline.actors.actors_in)
        self.short_names = None  # own words -> a body named in full (pipeline.actors.bodies_named_in_full)
        self.about_privacy = None  # the story gives data privacy as a reason (pipeline.actors.about_privacy)
        self.own_product_cache = {}  # (actor name, mention, tool) -> bool (pipeline.actors.is_own_product)
        self.reason_cues = None  # (sentence index, span) of the reason cues (pipeline.assemble.reason_cues)
        self.main_body = False  # the body the story is about, once asked (pipeline.events.main_body); False: not yet
        self.name_starts = {s.start for g in ("tool", "vendor") for s in self.group(g)[0]}
        self.focus_tools = self._focus_tools()
        self.not_before = reference.release_days.get(self.focus_tools[0]) if self.focus_tools else None
        self.dominant = self._dominant_jurisdictions()

    # ---- span lookups ----
    def group(self, name):
        """A span group sorted by position, bucketed by sentence on first use (most are never asked for)."""
        if name not in self._groups:
            spans = sorted(self.doc.spans[name], key=lambda s: s.start) if name in self.doc.spans else []
            self._groups[name] = (spans, [s.start for s in spans])
            for span in spans:
                k = bisect.bisect_right(self.sent_starts, span.start) - 1
                if k >= 0 and span.end <= self.sents[k].end:
                    self.by_sentence.setdefault((name, self.sent_starts[k]), []).append(span)
        return self._groups[name]

    def positions(self, words):
        """Token positions whose lower-case form is one of `words` (a frozen set, cached)."""
        key = frozenset(words)
        if key not in self._positions:
            if self._word_index is None:  # lower-case form -> its positions, built once: each set is then a few lookups
                self._word_index = {}
                for i, h in enumerate(self.lower.hashes):
                    self._word_index.setdefault(h, []).append(i)
            index = self._word_index
            self._positions[key] = {i for h in word_hashes(self.doc.vocab.strings, key) for i in index.get(h, ())}
        return self._positions[key]

    def positions_in(self, words, start, end):
        key = frozenset(words)
        ordered = self._ordered_positions.get(key)
        if ordered is None:
            ordered = self._ordered_positions[key] = sorted(self.positions(key))
        return ordered[bisect.bisect_left(ordered, start):bisect.bisect_left(ordered, end)]

    def spans(self, group, start=0, end=None):
        spans, starts = self.group(group)
        end = len(self.doc) if end is None else end
        lo = bisect.bisect_left(starts, start)
        out = []
        for s in spans[lo:]:
            if s.start >= end:
                break
            if s.end <= end:
                out.append(s)
        return out

    def text(self, start, end):
        """The words of tokens start..end, as the document spells them."""
        if end <= start:
            return ""
        return self.full_text[self.idx[start]:self.idx[end - 1] + len(self.words[end - 1])]

    def in_sent(self, group, sent):
        if group not in self._groups:
            self.group(group)
        return self.by_sentence.get((group, sent.start), [])

    def sentence_index(self, token_i):
        return bisect.bisect_right(self.sent_starts, token_i) - 1

    def is_title(self, sent):
        return sent.start_char < self.title_end

    # ---- document level ----
    def _focus_tools(self):
        counts = Counter()
        for span in self.spans("tool"):
            counts[span.kb_id_] += self.settings.focus_title_count if span.start_char < self.title_end else 1
        return [tool for tool, _ in counts.most_common()]

    def _dominant_jurisdictions(self):
        counts = Counter()
        for span in self.spans("jurisdiction"):
            before = self.lower[span.start - 1] if span.start else ""
            if not self.is_origin(span) and before not in NOT_AGENT_BEFORE:
                counts[span.kb_id_] += 1
        for span in self.spans("agency"):
            jid = self.ref.agencies[span.kb_id_].get("jurisdiction")
            if jid and not self.is_origin(span):
                counts[jid] += self.settings.dominant_agency_count
        for span in self.spans("person"):
            jid = self.ref.agencies[span.kb_id_].get("jurisdiction")
            if jid:
                counts[jid] += 1
        self._dominant_counts = counts
        self._dominant_country = None
        return [j for j, _ in counts.most_common()]

    def dominant_of(self, level):
        """The document's main country ('country') or sub-national unit ('state'). A story about
        three U.S. states is a U.S. story, however often it names China: places count for their
        country."""
        if level == "country":
            if self._dominant_country is None:
                counts = Counter()
                for rank, jid in enumerate(self.dominant):
                    counts[self.ref.country_of(jid)] += self._dominant_counts[jid]
                self._dominant_country = max(counts, key=lambda c: (counts[c], -self.dominant.index(
                    next(j for j in self.dominant if self.ref.country_of(j) == c)))) if counts else ""
            return self._dominant_country or None
        for jid in self.dominant:
            jtype = self.ref.jurisdictions.get(jid, {}).get("type")
            if jtype not in ("country", "supranational", None):
                return jid
        return None

    def holds_measure_on(self, span, name_start):
        """"Italy's ChatGPT ban", "NASA's DeepSeek ban": the owner of a tool named with a measure word right
        after it holds the measure, unless it is the tool's home ("China's DeepSeek ban" says where it is from)."""
        tool = next((t for t in self.spans("tool", name_start, name_start + 8) if t.start == name_start), None)
        if tool is None or not any(t.start == tool.end for t in self.spans("trigger", tool.end, tool.end + 4)):
            return False
        body = self.ref.agencies.get(span.kb_id_)
        if body and body.get("type") != "national_government":
            return True  # a body is never where a tool comes from ("the U.S. Navy's ChatGPT ban")
        home = self.ref.country_of(body["jurisdiction"] if body else span.kb_id_ or None)
        return home is not None and home != self.ref.tool_home(tool.kb_id_)

    def is_origin(self, span):
        """'China's DeepSeek', 'the Chinese AI startup', 'servers in China', 'affiliation with the Chinese
        government': where a tool comes from, or whom it is tied to, not who acts."""
        words, n = self.words, len(self.words)
        k = span.start - (span.start > 0 and self.lower[span.start - 1] in {"the", "a"})
        if k >= 2 and f"{self.lower[k - 2]} {self.lower[k - 1]}" in ORIGIN_LINKS:
            return True
        i = span.end
        while i < n and words[i] in {"'s", "’s", "-", "'", "’"}:
            i += 1
        for j in range(i, min(i + self.settings.origin_window, n)):
            if self.lower[j] in ORIGIN_NOUNS:
                return True
            if j in self.name_starts:
                return not (i > span.end and self.holds_measure_on(span, j))
            if self.lower[j] not in {"-", "based", "'s"}:
                break
        return False
