"""banwatch's registered spaCy components.

Each writes span groups on the Doc that the event rules (pipeline/events.py) read:

- banwatch_sentences      sentence starts from punctuation and line breaks (no parser needed)
- banwatch_names          doc.spans["tool" | "agency" | "person" | "jurisdiction" | "vendor"] from kb/reference
- banwatch_lexicon        doc.spans[group] for every group of pipeline/patterns/lexicon.jsonl
- banwatch_dates          doc.spans["date"]: date expressions (resolved later against the publication date)
- banwatch_candidate_ner  stage two: statistical NER only on sentences that state a measure on a tool
                          with no known actor in them; doc.spans["ner"]
"""
import bisect
import json
import re
from collections import defaultdict
from pathlib import Path

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Span
from spacy.util import filter_spans

PATTERNS_DIR = Path(__file__).parent / "patterns"
SENTENCE_END = {".", "!", "?", "…", "...", "?!"}
BULLETS = {"•", "·", "▪", "◦"}
PUNCT_CONTINUE = {",", ";", ":", ")", "]", "-", "—", "–"}
CLOSERS = {'"', "'", "”", "’", ")", "]", "»"}


@Language.factory("banwatch_sentences")
def make_sentences(nlp, name):
    return sentence_boundaries


def sentence_boundaries(doc):
    """Sentences end after . ! ? (and any closing quotes) and at line breaks; a bullet starts one.

    Abbreviations ("U.S.", "Gov.", "Jan.") are single tokens in spaCy's English tokenizer, so they
    never end a sentence here. Computed over token strings and written in one array: setting
    `is_sent_start` token by token costs more than the rest of the light pipeline.
    """
    if not len(doc):
        return doc
    words = [t.text for t in doc]
    starts = numpy.full(len(words), -1, dtype="int64")
    starts[0] = 1
    pending = False  # a sentence-final mark seen, waiting for the next word
    for i in range(1, len(words)):
        previous, word = words[i - 1], words[i]
        if previous in SENTENCE_END:
            pending = True
        elif previous not in CLOSERS:
            pending = False
        is_word = not (word in CLOSERS or word in SENTENCE_END or word in PUNCT_CONTINUE)
        if ("\n" in previous and previous.isspace()) or word in BULLETS or (pending and is_word):
            starts[i] = 1
            pending = False
    doc.from_array([SENT_START], starts.view("uint64").reshape(-1, 1))  # -1 (not a start) as spaCy stores it
    return doc


def with_curly_quotes(phrases):
    """Reporters' pages use typographic apostrophes: "People’s Republic", "can’t use"."""
    out = []
    for phrase in phrases:
        out.append(phrase)
        if "'" in phrase:
            out.append(phrase.replace("'", "’"))
    return out


@Language.factory("banwatch_names", default_config={"reference_dir": None})
def make_names(nlp, name, reference_dir):
    return NameMatcher(nlp, reference_dir)


AI_CONTEXT = {"ai", "a.i.", "chatbot", "chatbots", "artificial", "intelligence", "generative", "model", "models",
              "llm", "assistant", "app", "apps", "genai", "gpt", "openai", "google", "anthropic", "xai", "meta",
              "microsoft", "image", "images", "tool", "tools"}


class NameMatcher:
    """Tools, agencies (and the people whose orders are theirs), jurisdictions and vendors of kb/reference.

    Matching is case-sensitive for one-word names and acronyms ("Navy", "House", "NASA": ordinary
    words in lower case) and case-insensitive for longer names ("Ministry of Digital Affairs").
    A name that is also an ordinary word ("Pi", "Gemini") counts only with AI words around it or
    in the document; a name several agencies share ("Ministry of Environment") goes to the one whose
    jurisdiction the sentence, or else the document, names.
    """

    GROUPS = ("tool", "agency", "person", "jurisdiction", "vendor")

    def __init__(self, nlp, reference_dir=None):
        from kb.reference import load_reference

        self.reference = ref = load_reference(reference_dir)
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.folded = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.targets = {}  # match key -> (group, id, needs AI context)
        names = defaultdict(set)
        for tool_id, tool in ref.tools.items():
            for n in ref.names(tool):
                names[("tool", tool_id, ref.requires_context(tool, n))].add(n)
        for agency_id, agency in ref.agencies.items():
            for n in [agency.get("name"), agency.get("short"), *agency.get("aliases", [])]:
                if n:
                    names[("agency", agency_id, False)].add(n)
            for person in agency.get("people") or []:
                names[("person", agency_id, False)].add(person)
                surname = person.split()[-1]
                names[("person", agency_id, False)].update(f"{t} {surname}" for t in ("Gov.", "Governor"))
        for jid, jur in ref.jurisdictions.items():
            for n in [jur.get("name"), *jur.get("aliases", []), *jur.get("demonyms", [])]:
                if n:
                    names[("jurisdiction", jid, False)].add(n)
        for vid, vendor in ref.vendors.items():
            for n in [vendor.get("name"), *vendor.get("aliases", [])]:
                if n:
                    names[("vendor", vid, False)].add(n)
        for (group, entity_id, needs_context), phrases in names.items():
            key = f"{group}|{entity_id}|{int(needs_context)}"
            self.targets[nlp.vocab.strings.add(key)] = (group, entity_id, needs_context)
            exact, folded = [], []
            for phrase in with_curly_quotes(phrases):
                doc = nlp.make_doc(phrase)
                one_word = len(doc) == 1 or phrase.isupper() or group in ("jurisdiction", "person")
                if needs_context or one_word:
                    exact.append(doc)
                    if group == "tool" and not needs_context and len(doc) == 1:
                        folded.append(doc)  # "Deepseek", "CHATGPT": distinctive tool names, any case
                else:
                    folded.append(doc)
            if exact:
                self.exact.add(key, exact)
            if folded:
                self.folded.add(key, folded)

    def __call__(self, doc):
        by_place = defaultdict(set)
        ai_document = None
        for match_id, start, end in [*self.exact(doc), *self.folded(doc)]:
            group, entity_id, needs_context = self.targets[match_id]
            if needs_context:
                if ai_document is None:
                    ai_document = sum(t.lower_ in AI_CONTEXT for t in doc) >= 2
                if not (ai_document or self._ai_context(doc, start)):
                    continue
            by_place[(group, start, end)].add(entity_id)
        found = defaultdict(list)
        ambiguous = []
        for (group, start, end), ids in by_place.items():
            if len(ids) == 1:
                found[group].append(Span(doc, start, end, label=group, kb_id=next(iter(ids))))
            else:
                ambiguous.append((group, start, end, ids))
        mentioned = defaultdict(int)
        for span in found["jurisdiction"]:
            for j in self.reference.jurisdiction_chain(span.kb_id_):
                mentioned[j] += 1
        for group, start, end, ids in ambiguous:
            chosen = self._settle(doc, start, ids, found["jurisdiction"], mentioned, group)
            if chosen:
                found[group].append(Span(doc, start, end, label=group, kb_id=chosen))
        found["person"].extend(self._surnames(doc, found["person"]))
        for group in self.GROUPS:
            doc.spans[group] = filter_spans(found.get(group, []))
        return doc

    @staticmethod
    def _surnames(doc, people):
        """After 'Governor Kim Reynolds', a bare 'Reynolds' is the same person."""
        taken = {i for span in people for i in range(span.start, span.end)}
        by_surname = {span[-1].text: span.kb_id_ for span in people if len(span) > 1}
        extra = []
        for token in doc:
            if token.text in by_surname and token.i not in taken:
                extra.append(Span(doc, token.i, token.i + 1, label="person", kb_id=by_surname[token.text]))
        return extra

    def _ai_context(self, doc, start):
        window = doc[max(0, start - 12):min(len(doc), start + 12)]
        return any(t.lower_ in AI_CONTEXT for t in window)

    def _settle(self, doc, start, ids, jurisdictions, mentioned, group):
        """A shared name: the candidate whose jurisdiction the sentence names, else the document's most named."""
        ref = self.reference
        table = "jurisdictions" if group == "jurisdiction" else "vendors" if group == "vendor" else \
            "tools" if group == "tool" else "agencies"

        def jurisdiction(entity_id):
            return ref._jurisdiction_of_entry(table, entity_id)

        sent = doc[start].sent if doc.has_annotation("SENT_START") else doc[:]
        near = {s.kb_id_ for s in jurisdictions if s.start >= sent.start and s.end <= sent.end}
        near_chain = {j for jid in near for j in ref.jurisdiction_chain(jid)}
        for pool in (near, near_chain):
            chosen = [i for i in ids if jurisdiction(i) in pool]
            if len(chosen) == 1:
                return chosen[0]
        scored = sorted(ids, key=lambda i: -mentioned.get(jurisdiction(i), 0))
        if scored and mentioned.get(jurisdiction(scored[0]), 0) > (
                mentioned.get(jurisdiction(scored[1]), 0) if len(scored) > 1 else 0):
            return scored[0]
        return None


@Language.factory("banwatch_lexicon", default_config={"path": None})
def make_lexicon(nlp, name, path):
    return LexiconMatcher(nlp, Path(path) if path else PATTERNS_DIR / "lexicon.jsonl")


class LexiconMatcher:
    """Measure words, stage and negation cues, reasons, scope... from a JSONL file of patterns.

    A line is {"group", "label", "pattern"} with a phrase (case-insensitive unless
    "case_sensitive") or a spaCy token pattern; "weak": true marks a reason cue that counts only in
    the sentence stating the measure.
    """

    def __init__(self, nlp, path):
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.tokens = Matcher(nlp.vocab)
        self.targets = {}
        self.groups = set()
        by_key = defaultdict(lambda: {"phrases": [], "exact": [], "tokens": []})
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
            except json.JSONDecodeError as e:
                raise ValueError(f"{path}:{n}: invalid JSON ({e.msg})") from None
            group, label, pattern = entry["group"], entry["label"], entry["pattern"]
            weak = "weak" if entry.get("weak") else ""
            key = f"{group}|{label}|{weak}"
            self.groups.add(group)
            if isinstance(pattern, list):
                by_key[key]["tokens"].append(pattern)
            elif entry.get("case_sensitive"):
                by_key[key]["exact"].extend(nlp.make_doc(p) for p in with_curly_quotes([pattern]))
            else:
                by_key[key]["phrases"].extend(nlp.make_doc(p) for p in with_curly_quotes([pattern]))
        for key, kinds in by_key.items():
            self.targets[nlp.vocab.strings.add(key)] = tuple(key.split("|"))
            if kinds["phrases"]:
                self.phrases.add(key, kinds["phrases"])
            if kinds["exact"]:
                self.exact.add(key, kinds["exact"])
            if kinds["tokens"]:
                self.tokens.add(key, kinds["tokens"])

    def __call__(self, doc):
        found = defaultdict(list)
        for match_id, start, end in [*self.phrases(doc), *self.exact(doc), *self.tokens(doc)]:
            group, label, weak = self.targets[match_id]
            found[group].append(Span(doc, start, end, label=label, kb_id=weak))
        for group in self.groups:
            spans = found.get(group, [])
            # reasons may overlap across families ("data security" vs "security"): longest wins
            doc.spans[group] = filter_spans(spans)
        return doc


MONTHS = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
WEEKDAYS = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
# Hand-written because dateparser.search_dates is slow and reads bare numbers and words ("may",
# "march") as dates; dateparser still resolves what these find (pipeline/dates.py).
DATE_PATTERNS = [
    ("iso", rf"\b(?:19|20)\d\d-[01]\d-[0-3]\d\b"),
    ("numeric", r"\b[0-3]?\d/[01]?\d/(?:19|20)\d\d\b"),
    ("month_day_year", rf"\b{MONTHS}\s+[0-3]?\d(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d\b"),
    ("day_month_year", rf"\b[0-3]?\d(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTHS},?\s+(?:19|20)\d\d\b"),
    ("month_day", rf"\b{MONTHS}\s+[0-3]?\d(?:st|nd|rd|th)?\b(?!,?\s*(?:19|20)\d\d)"),
    ("day_month", rf"\b[0-3]?\d(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTHS}(?![\w.]*,?\s+(?:19|20)\d\d)"),
    ("part_month_year", rf"\b(?:early|mid|late|end of|beginning of|start of)[- ]{MONTHS},?\s+(?:19|20)\d\d\b"),
    ("month_year", rf"\b{MONTHS},?\s+(?:of\s+)?(?:19|20)\d\d\b"),
    ("part_month", rf"\b(?:early|mid|late|end of|beginning of|start of)[- ]{MONTHS}"),
    ("in_month", rf"\b(?:in|since|from|until|by|during|last|this|earlier this|late last)\s+{MONTHS}(?=[\s,.;)]|$)"),
    ("weekday", rf"\b(?:(?:last|this|on|early|late)\s+)?{WEEKDAYS}(?:\s+(?:morning|afternoon|evening|night))?\b"),
    ("relative", r"\b(?:today|yesterday|tonight|this morning|this afternoon|last night|"
                 r"(?:earlier |late |early )?(?:this|last) (?:week|month|year)|"
                 r"(?:a|one|two|three|four|five|six|several|a few|\d+) (?:days?|weeks?|months?) ago|"
                 r"the (?:previous|prior) (?:day|week|month))\b"),
    ("year", r"\b(?:in|since|during|from|by|of|early|late|mid-)\s*(?:19|20)\d\d\b"),
]
DATE_RE = re.compile("|".join(f"(?P<{kind}>{pattern})" for kind, pattern in DATE_PATTERNS), re.IGNORECASE)


@Language.factory("banwatch_dates")
def make_dates(nlp, name):
    return find_date_spans


def find_date_spans(doc):
    """Dates of the sentences that speak of a measure, and of their neighbours: nothing else needs one."""
    spans = []
    text = doc.text  # built token by token on each access: once per document
    for start, end in measure_regions(doc):
        spans.extend(_dates_between(doc, text, start, end))
    doc.spans["date"] = filter_spans(spans)
    return doc


def measure_regions(doc):
    """Character ranges of sentences holding a trigger or a measure noun, with one sentence either side."""
    sents = list(doc.sents)
    marks = [s.start for g in ("trigger", "measure_noun") for s in doc.spans.get(g, [])]
    if not marks or not sents:
        return []
    starts = [s.start for s in sents]
    wanted = set()
    for token_i in marks:
        k = bisect.bisect_right(starts, token_i) - 1
        wanted.update((k - 1, k, k + 1))
    regions = []
    for k in sorted(i for i in wanted if 0 <= i < len(sents)):
        start, end = sents[k].start_char, sents[k].end_char
        if regions and start <= regions[-1][1]:
            regions[-1] = (regions[-1][0], end)
        else:
            regions.append((start, end))
    return regions


# Every date expression holds a digit, a month or weekday name, or a relative word: sentences
# without one (most) skip the big pattern.
DATE_HINT = re.compile(r"\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun|"
                       r"today|yesterday|tonight|week|month|year|ago|morning|afternoon|night|previous|prior|early|"
                       r"mid|late)", re.IGNORECASE)


def _dates_between(doc, text, start, end):
    spans = []
    if not DATE_HINT.search(text, start, end):
        return spans
    for m in DATE_RE.finditer(text, start, end):
        kind = m.lastgroup
        text = m.group(0)
        if kind in {"month_day", "in_month", "month_year"} and re.match(r"(?i)may\b", text.split()[-1] if kind == "in_month" else text) and not _may_is_month(text):
            continue
        span = doc.char_span(m.start(), m.end(), label=kind, alignment_mode="expand")
        if span is not None:
            spans.append(span)
    return spans


def _may_is_month(text):
    """'May 3' and 'in May 2023' are dates; 'may' the verb is not (it has a lower-case m)."""
    return bool(re.search(r"\bMay\b", text))


@Language.factory("banwatch_candidate_ner", default_config={"labels": ["ORG", "GPE", "NORP", "PERSON"]})
def make_candidate_ner(nlp, name, labels):
    return CandidateNER(labels)


ACTOR_GROUPS = ("agency", "person", "jurisdiction", "government", "lawmaker")
COMMON_CAPITALISED = {"i", "ai", "a.i.", "it", "ceo", "cio", "cto", "app", "apps", "ios", "android", "us", "u.s.",
                      "eu", "uk", "pdf", "faq", "news", "update", "read", "more", "photo", "the"}
PLACE_PREPOSITIONS = {"in", "from", "to", "across", "throughout", "within", "outside", "into"}


class CandidateNER:
    """Stage two: en_core_web_sm's NER, run only where the rules found a measure on a tool but no actor.

    `ner_nlp` is set by pipeline.nlp (a model pipeline holding only its NER and that NER's own
    tok2vec). The found entities land in doc.spans["ner"] at their places in the document.
    """

    def __init__(self, labels):
        self.labels = set(labels)
        self.ner_nlp = None

    def candidate_sentences(self, doc):
        triggers = doc.spans.get("trigger", [])
        if not triggers:
            return []
        tools = doc.spans.get("tool", [])
        # a place after a preposition ("a board in Virginia") names where, not who
        actors = [s for g in ACTOR_GROUPS for s in doc.spans.get(g, [])
                  if not (s.start and doc[s.start - 1].lower_ in PLACE_PREPOSITIONS)]
        out = []
        for sent in doc.sents:
            def inside(spans):
                return any(s.start >= sent.start and s.end <= sent.end for s in spans)
            if inside(triggers) and not inside(actors) and (inside(tools) or inside(doc.spans.get("anaphor", []))) \
                    and self.has_unknown_name(doc, sent):
                out.append(sent)
        return out

    @staticmethod
    def has_unknown_name(doc, sent):
        """A capitalised word no matcher explained ("Fairfax", "CICC"): only then can NER add an actor."""
        known = set()
        for group in ("tool", "agency", "person", "jurisdiction", "vendor", "date", "outlet", "other_product",
                      "trigger"):
            for span in doc.spans.get(group, []):
                if span.start < sent.end and span.end > sent.start:
                    known.update(range(span.start, span.end))
        for token in sent[1:]:
            if token.i not in known and token.is_alpha and (token.is_title or token.is_upper) \
                    and len(token) > 1 and token.lower_ not in COMMON_CAPITALISED:
                return True
        return False

    def __call__(self, doc):
        found = []
        sentences = self.candidate_sentences(doc) if self.ner_nlp is not None else []
        for sent, parsed in zip(sentences, self.ner_nlp.pipe([s.text for s in sentences]) if sentences else []):
            for ent in parsed.ents:
                if ent.label_ not in self.labels:
                    continue
                span = doc.char_span(sent.start_char + ent.start_char, sent.start_char + ent.end_char,
                                     label=ent.label_, alignment_mode="expand")
                if span is not None:
                    found.append(span)
        doc.spans["ner"] = filter_spans(found)
        return doc
