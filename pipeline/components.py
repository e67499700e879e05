"""banwatch's registered spaCy components, and where the extraction rules that read them live.

Each component but the last writes span groups on the Doc that the event rules read:

- banwatch_sentences      sentence starts from punctuation and line breaks (no parser needed)
- banwatch_names          doc.spans["tool" | "agency" | "person" | "jurisdiction" | "vendor"] from banwatch/reference
- banwatch_lexicon        doc.spans[group] for every group of banwatch/lexicon.jsonl (shared with the crawler),
                          except "words": the word sets the rules read (banwatch.lexicon.words)
- banwatch_dates          doc.spans["date"]: date expressions (resolved later against the publication date)
- banwatch_unknown_tools  doc.spans["tool"] also gets AI tools the reference does not list ("the AI app
                          OpenClaw"), with kb_id "new:<slug>"
- banwatch_candidate_ner  stage two: statistical NER only on sentences that state a measure on a tool
                          with no known actor in them; doc.spans["ner"]
- banwatch_events         the rules' weights and windows as its config (pipeline/settings.py); the
                          rules run on the finished Doc, read by pipeline.extract.Extractor

The rules, by concern (docs/extraction.md, "How the rules are organised"):

- pipeline/context.py     DocContext: token strings and flags, span groups by sentence, the focus tool,
                          dominant jurisdictions; Actor and Mention
- pipeline/triggers.py    what a trigger states: negation, passives, stage, clause, tools, scope, background
- pipeline/actors.py      who is named in a sentence (sentence_actors and its finders), who acts (agents_for)
- pipeline/event_dates.py the dates a sentence offers a trigger, scored
- pipeline/events.py      find_events (mentions of measures) and measure_author
- pipeline/assemble.py    mentions -> candidate events (merging, dates, reasons)
- pipeline/decide.py      the features of a candidate and the learned decision layer
"""
import bisect
import re
import typing
import unicodedata
from collections import defaultdict
from dataclasses import fields
from pathlib import Path

import numpy
from spacy.attrs import IDX, IS_ALPHA, IS_DIGIT, IS_LOWER, IS_SPACE, LENGTH, LOWER, ORTH, SENT_START, SHAPE, SPACY
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Span
from spacy.util import filter_spans

from banwatch.lexicon import LEXICON_PATH, WORDS_GROUP, load_lexicon, words
from banwatch.names import slugify
from banwatch.reference import load_reference
from pipeline.dates import MONTH_PART
from pipeline.settings import DEFAULT_SETTINGS, RuleSettings

SENTENCE_END = {".", "!", "?", "…", "...", "?!"}
ELLIPSES = {"…", "...", ".."}  # a cut in a quotation; the sentence goes on when a lower-case word follows
BULLETS = {"•", "·", "▪", "◦"}
PUNCT_CONTINUE = {",", ";", ":", ")", "]", "-", "—", "–"}
CLOSERS = {'"', "'", "”", "’", ")", "]", "»"}


@Language.factory("banwatch_sentences")
def make_sentences(nlp, name):
    return sentence_boundaries


CLOCK_TIMES = words("clock_abbreviation")  # "a.m.", "p.m."
FINAL_ABBREVIATIONS = words("final_abbreviation")  # "U.S.": may end a sentence, its period doing for both
SENTENCE_OPENERS = {w.capitalize() for w in words("sentence_opener")}  # "The", "Other": a new sentence after one
CALENDAR_WORDS = {w.capitalize() for w in words("calendar_word")}  # "p.m. Friday", "a.m. Jan. 3": the time goes on
# the word sets sentence_boundaries reads, in the order it unpacks their hashes
BOUNDARY_WORD_SETS = tuple(frozenset(group) for group in (
    SENTENCE_END, CLOSERS, PUNCT_CONTINUE, BULLETS, ELLIPSES,
    CLOCK_TIMES | {w.upper() for w in CLOCK_TIMES}, {w.upper() for w in FINAL_ABBREVIATIONS},
    SENTENCE_OPENERS, CALENDAR_WORDS))


def sentence_boundaries(doc):
    """Sentences end after . ! ? (and any closing quotes) and at line breaks; a bullet starts one.

    Abbreviations ("U.S.", "Gov.", "Jan.") are single tokens in spaCy's English tokenizer, so they
    end no sentence here, but for two whose period often does for the sentence's too: a clock time
    ("from 9 a.m. North Chungcheong followed") before a capitalised word that is no day or month, and
    "U.S." before a word that opens sentences ("across the U.S. The agency ..."). Nor does a period a
    letter follows without a space ("Character.AI").
    Worked out on token hashes and written in one array: Python Token objects, one per word, would
    cost more than the rest of the light pipeline.
    """
    n = len(doc)
    if not n:
        return doc
    columns = doc.to_array([ORTH, IS_SPACE, SPACY, IS_ALPHA, IS_LOWER]).T
    is_space_array = columns[1]
    # plain lists: the loop reads every word, and indexing a numpy array costs several times more
    orth, is_space, spaced, alpha, lower = (column.tolist() for column in columns)
    strings = doc.vocab.strings
    ends, closers, continuing, bullets, ellipses, clocks, finals, openers, calendar = (
        word_hashes(strings, group) for group in BOUNDARY_WORD_SETS)
    abbreviations = clocks | finals  # checked once per word; which one, only when it is one
    breaks = {i for i in numpy.flatnonzero(is_space_array).tolist() if "\n" in strings[orth[i]]}
    starts = numpy.full(n, -1, dtype="int64")
    starts[0] = 1
    pending = False  # a sentence-final mark seen, waiting for the next word
    broke = False  # a line break since the last word
    previous = orth[0]
    for i in range(1, n):
        word = orth[i]
        if is_space[i]:  # whitespace stays with the sentence before: a blank line is no sentence
            broke = broke or i in breaks
            continue
        if previous in ends:
            # "Character.AI", "example.com": a period with a letter right after it ends no sentence
            pending = bool(spaced[i - 1]) or not alpha[i]
            if previous in ellipses and lower[i]:
                pending = False  # "applied to the court ... for an access ban": a quotation cut short
        elif previous in abbreviations and spaced[i - 1]:
            pending = (doc[i].is_title and word not in calendar) if previous in clocks else word in openers
        elif previous not in closers:
            pending = False
        if broke or word in bullets or (
                pending and not (word in closers or word in ends or word in continuing)):
            starts[i] = 1
            pending = False
        broke = False
        previous = word
    doc.from_array([SENT_START], starts.view("uint64").reshape(-1, 1))  # -1 (not a start) as spaCy stores it
    return doc


_WORD_HASHES = {}  # a set of words -> their string hashes


def word_hashes(strings, words):
    """The string hashes of a set of words (a frozenset). A word's hash is the same in every document, so
    a set's are worked out once; a one-word set is worked out each time (it may be one document's own word)."""
    key = frozenset(words)
    found = _WORD_HASHES.get(key)
    if found is None:
        found = frozenset(strings.add(w) for w in key)
        if len(key) > 1:
            _WORD_HASHES[key] = found
    return found


def tokenized_casings(nlp, pattern):
    """The pattern, and its capitalised form where the tokenizer splits that one otherwise: its
    abbreviation exceptions are case-sensitive ("Sen." is one token, "sen." two)."""
    forms = [pattern]
    capitalised = pattern[:1].upper() + pattern[1:]
    if [t.lower_ for t in nlp.make_doc(capitalised)] != [t.lower_ for t in nlp.make_doc(pattern)]:
        forms.append(capitalised)
    return forms


def with_curly_quotes(phrases):
    """Reporters' pages use typographic apostrophes: "People’s Republic", "can’t use"."""
    out = []
    for phrase in phrases:
        out.append(phrase)
        if "'" in phrase:
            out.append(phrase.replace("'", "’"))
    return out


def with_plain_letters(phrases):
    """English-language wires drop the accents of foreign names: "NÚKIB" is written "NUKIB"."""
    out = set(phrases)
    for phrase in phrases:
        plain = "".join(c for c in unicodedata.normalize("NFKD", phrase) if not unicodedata.combining(c))
        out.add(plain)
    return sorted(out)


@Language.factory("banwatch_names", default_config={"reference_dir": None, "ai_context_window": 12,
                                                    "ai_context_in_document": 2})
def make_names(nlp, name, reference_dir, ai_context_window, ai_context_in_document):
    return NameMatcher(nlp, reference_dir, ai_context_window, ai_context_in_document)


# "Italy's data regulator": what a country's data-protection authority is called
REGULATOR_TOPICS = words("regulator_topic")
REGULATOR_NOUNS = words("regulator_noun")


def regulator_descriptions(ref):
    """"Italy's data regulator", "the Irish privacy watchdog": how reporters name a country's one data
    protection authority. Derived for every country with exactly one, so no list has to spell them out."""
    by_country = defaultdict(list)
    for agency_id, agency in ref.agencies.items():
        if agency.get("type") == "dpa":
            by_country[ref.country_of(agency.get("jurisdiction"))].append(agency_id)
    out = {}
    for country, ids in by_country.items():
        jur = ref.jurisdictions.get(country) or {}
        if len(ids) != 1 or not jur:
            continue
        owners = [f"{n}'s" for n in [jur.get("name"), *(jur.get("aliases") or [])] if n] + list(jur.get("demonyms") or [])
        out[ids[0]] = {f"{owner} {what} {noun}" for owner in owners
                       for what in REGULATOR_TOPICS
                       for noun in REGULATOR_NOUNS}
    return out


AI_CONTEXT = words("ai_context")
OFFICE_TITLES = words("office_title")  # "Chief Administrative Officer": a post, named in lower case anywhere
HOLDER_TITLES = OFFICE_TITLES | words("holder_title")  # "Attorney General Austin Knudsen", "Administrator Bill Nelson"
# A web address standing for a service ("deepseek.com", "ai-writer.com"): host labels then a top-level
# domain AI services use; no scheme, path or "@" (a link or an e-mail address names no tool).
WEB_ADDRESS = re.compile(r"(?:www\.)?((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+)(?:" +
                         "|".join(sorted(words("web_address_ending"))) + r")", re.IGNORECASE)


def web_address_labels(text):
    """"chat.deepseek.com" -> ["chat", "deepseek"]: the host's labels before its top-level domain, or
    None when `text` is no web address."""
    match = WEB_ADDRESS.fullmatch(text)
    return [label for label in match.group(1).lower().split(".") if label] if match else None


def folded_name(name):
    return re.sub(r"[^a-z0-9]", "", name.lower())
LIST_AND = words("list_and")  # "and", "or", "&": what joins the last item of a list
LIST_LINKS = LIST_AND | {","}
REGION_PREFIXES = words("region_prefix")  # "Latin America", "Central Asia": as written, case kept
GOVERNOR_TITLES = words("governor_title")  # "Gov. Reynolds", "Governor Reynolds": as written, case kept


class NameMatcher:
    """Tools, agencies (and the people whose orders are theirs), jurisdictions and vendors of banwatch/reference.

    Matching is case-sensitive for one-word names and acronyms ("Navy", "House", "NASA": ordinary
    words in lower case) and case-insensitive for longer names ("Ministry of Digital Affairs").
    A name that is also an ordinary word ("Pi", "Gemini") counts only with AI words around it or
    in the document; a name several agencies share ("Ministry of Environment") goes to the one whose
    jurisdiction the sentence, or else the document, names.
    """

    GROUPS = ("tool", "agency", "person", "jurisdiction", "vendor")

    def __init__(self, nlp, reference_dir=None, ai_context_window=12, ai_context_in_document=2):
        """A name needing AI context counts with an AI word fewer than `ai_context_window` tokens from
        it, or with `ai_context_in_document` AI words anywhere in the document."""
        self.reference = ref = load_reference(reference_dir)
        self.ai_context = numpy.array([nlp.vocab.strings.add(w) for w in AI_CONTEXT], dtype="uint64")
        self.ai_window = ai_context_window
        self.ai_in_document = ai_context_in_document
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.folded = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.targets = {}  # match key -> (group, id, needs AI context)
        self.lower_case_names = set()  # (match key, name) of agency names the reference writes in lower case
        self.office_titles = {nlp.vocab.strings.add(w) for w in OFFICE_TITLES}
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
                names[("person", agency_id, False)].update(f"{t} {surname}" for t in GOVERNOR_TITLES)
        for jid, jur in ref.jurisdictions.items():
            for n in [jur.get("name"), *jur.get("aliases", []), *jur.get("demonyms", [])]:
                if n:
                    names[("jurisdiction", jid, False)].add(n)
        for vid, vendor in ref.vendors.items():
            for n in [vendor.get("name"), *vendor.get("aliases", [])]:
                if n:
                    names[("vendor", vid, False)].add(n)
        for agency_id, phrases in regulator_descriptions(ref).items():
            names[("agency", agency_id, False)].update(phrases)
        for bare, ids in ref.bare_names().items():
            for agency_id in ids:
                names[("agency_bare", agency_id, False)].add(bare)
        # "perplexity.ai", "chat.deepseek.com": a web address whose host names a tool is that tool; a name
        # two tools share (folded) names neither
        by_folded = defaultdict(set)
        for tool_id, tool in ref.tools.items():
            for n in ref.names(tool):
                by_folded[folded_name(n)].add(tool_id)
        self.tool_hosts = {name: next(iter(ids)) for name, ids in by_folded.items() if len(ids) == 1 and len(name) > 2}
        for (group, entity_id, needs_context), phrases in names.items():
            key = f"{group}|{entity_id}|{int(needs_context)}"
            self.targets[nlp.vocab.strings.add(key)] = (group, entity_id, needs_context)
            exact, folded = [], []
            if group == "tool" and not needs_context:
                # "character.ai" is one token, "Character.AI" three: lower case needs its own pattern
                phrases = set(phrases) | {p.lower() for p in phrases if "." in p}
            for phrase in with_curly_quotes(with_plain_letters(phrases)):
                doc = nlp.make_doc(phrase)
                one_word = len(doc) == 1 or phrase.isupper() or group in ("jurisdiction", "person")
                if needs_context or one_word:
                    exact.append(doc)
                    if group == "tool" and not needs_context and len(doc) == 1:
                        folded.append(doc)  # "Deepseek", "CHATGPT": distinctive tool names, any case
                else:
                    folded.append(doc)
                    if group == "agency" and phrase == phrase.lower():
                        self.lower_case_names.add((key, phrase))
            if exact:
                self.exact.add(key, exact)
            if folded:
                self.folded.add(key, folded)

    def __call__(self, doc):
        by_place = defaultdict(set)
        ai_words = None
        pending = []  # names needing AI context that have none around them
        lower = doc.to_array(LOWER)
        for match_id, start, end in [*self.exact(doc), *self.folded(doc)]:
            group, entity_id, needs_context = self.targets[match_id]
            if group == "agency" and int(lower[end - 1]) in self.office_titles \
                    and self.written_as_a_title(doc, match_id, start, end):
                continue
            if needs_context:
                if ai_words is None:
                    ai_words = numpy.flatnonzero(numpy.isin(lower, self.ai_context))
                near = ai_words[(ai_words > start - self.ai_window) & (ai_words < start + self.ai_window)]
                if len(ai_words) < self.ai_in_document and not len(near):
                    pending.append((group, start, end, entity_id))
                    continue
            by_place[(group, start, end)].add(entity_id)
        matched = {i for _, start, end in by_place for i in range(start, end)}
        for i in dotted_tokens(doc):
            if i not in matched:
                tool_id = self.tool_of_address(doc[i].text)
                if tool_id:
                    by_place[("tool", i, i + 1)].add(tool_id)
        # "DeepSeek, Kimi and Grok": listed with a tool, a name needing AI context has it (and passes it on)
        pending = [p for p in pending if p[0] == "tool"]
        # "X's Grok": a capitalised name owned by a capitalised name is a product, and so are its other mentions
        owned_ids = {p[3] for p in pending if self.owned_name(doc, p[1], p[2])}
        for group, start, end, entity_id in pending:
            if entity_id in owned_ids:
                by_place[(group, start, end)].add(entity_id)
        pending = [p for p in pending if p[3] not in owned_ids]
        while pending:
            tool_ends = {e for g, _, e in by_place if g == "tool"}
            tool_starts = {b for g, b, _ in by_place if g == "tool"}
            listed = [p for p in pending if self.listed_beside(doc, p[1], p[2], tool_ends, tool_starts)]
            for group, start, end, entity_id in listed:
                by_place[(group, start, end)].add(entity_id)
            pending = [p for p in pending if p not in listed]
            if not listed:
                break
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
        bare = [a for a in ambiguous if a[0] == "agency_bare"]
        ambiguous = [a for a in ambiguous if a[0] != "agency_bare"]
        bare += [(group, start, end, {span.kb_id_}) for group in ["agency_bare"]
                 for span in found.pop("agency_bare", [])]
        for group, start, end, ids in ambiguous:
            chosen = self._settle(doc, start, ids, found["jurisdiction"], mentioned, group)
            if chosen:
                found[group].append(Span(doc, start, end, label=group, kb_id=chosen))
        named = {i for span in found["agency"] for i in range(span.start, span.end)}
        for _, start, end, ids in bare:
            chosen = None if named & set(range(start, end)) else \
                self._settle_bare(doc, start, ids, found["jurisdiction"], mentioned)
            if chosen:
                found["agency"].append(Span(doc, start, end, label="agency", kb_id=chosen))
        found["person"].extend(self._surnames(doc, found["person"] + self._holders(doc, found)))
        # "New York City": the city, not the state named by its first two words
        places = [(span.start, span.end) for span in found["jurisdiction"]]
        # and "Ibero-American", "Latin America": the end of a compound or a region's name names no place of ours
        for group in ("agency", "jurisdiction"):
            found[group] = [span for span in found[group] if not self.ends_a_compound(doc, span)
                            and not self.shouted_word(doc, span) and not any(
                start <= span.start and span.end <= end and end - start > len(span) for start, end in places)]
        for group in self.GROUPS:
            set_group(doc, group, found.get(group, []))
        return doc

    SHOUTED_ARTICLES = {"AN", "THE"}  # not "A": any sentence may open on it ("A WA spokesperson said")

    @classmethod
    def shouted_word(cls, doc, span):
        """"AN ACT relating to ...", a bill's enacting words: a one-word name in capitals between an article in
        capitals and words in lower case is a bill's caption, not the name ("ACT", the Australian territory);
        "THE FBI BANS DEEPSEEK" is a headline in capitals naming the FBI."""
        if len(span) != 1 or span.start == 0 or doc[span.start - 1].text not in cls.SHOUTED_ARTICLES \
                or not span.text.isupper():
            return False
        following = next((t for t in doc[span.end:span.end + 3] if t.is_alpha), None)
        return following is not None and following.is_lower

    def written_as_a_title(self, doc, match_id, start, end):
        """"approved by the chief administrative officer": an office's name ("Chief Administrative Officer",
        "Privacy Commissioner") the text writes all in lower case is a post anywhere, not that office."""
        text = doc[start:end].text
        return text == text.lower() and (doc.vocab.strings[match_id], text) not in self.lower_case_names

    def tool_of_address(self, text):
        """The known tool a web address names: its whole host ("openai" of "chat.openai" is not enough
        for ChatGPT, "chatopenai" is no name either) or else one of its labels ("chat.deepseek.com")."""
        labels = web_address_labels(text)
        if not labels:
            return None
        for name in ["".join(labels), *labels]:
            if name in self.tool_hosts:
                return self.tool_hosts[name]
        return None

    @staticmethod
    def owned_name(doc, start, end):
        """"X’s Grok", "Google's Gemini": written with a capital after an owner's capitalised name."""
        return start >= 2 and doc[start - 1].text in POSSESSIVES and doc[start - 2].text[:1].isupper() \
            and doc[start].text[:1].isupper()

    @staticmethod
    def listed_beside(doc, start, end, tool_ends, tool_starts):
        """Tokens start..end sit in a list with a tool: "DeepSeek, Kimi and", "and Kimi", "Kimi, DeepSeek";
        a comma alone must lead on to more of the list ("After trying DeepSeek, Kimi said" is a clause)."""
        before = doc[start - 1].lower_ if start else ""
        after = doc[end].lower_ if end < len(doc) else ""
        if start - 1 in tool_ends and (before in LIST_AND or before == "," and after in LIST_LINKS):
            return True
        return end + 1 in tool_starts and after in LIST_LINKS

    @staticmethod
    def ends_a_compound(doc, span):
        i = span.start
        if i >= 1 and doc[i - 1].text in REGION_PREFIXES:
            return True
        # not a party's letter: "R-Ohio" names the senator's state
        return i >= 2 and doc[i - 1].text == "-" and not doc[i - 2].whitespace_ and not doc[i - 1].whitespace_ \
            and doc[i - 2].is_alpha and len(doc[i - 2]) > 1

    @staticmethod
    def _holders(doc, found):
        """"Montana Attorney General Austin Knudsen", "NASA Administrator Bill Nelson": the person named
        right after a body (and a title of theirs) holds its office in this document, so that a later bare
        "Knudsen instructed ..." is the body (the reference lists few office holders, and they change)."""
        taken = {i for group in found.values() for span in group for i in range(span.start, span.end)}
        holders = []
        for span in found["agency"]:
            titled = span.end < len(doc) and doc[span.end].lower_ in HOLDER_TITLES
            if not titled and doc[span.end - 1].lower_ not in HOLDER_TITLES:
                continue  # "Google Play Store" names no one: a holder follows an office's title
            i = span.end + titled
            j = i
            while j < min(len(doc), i + 3) and doc[j].is_title and doc[j].is_alpha and j not in taken \
                    and doc[j].text not in CALENDAR_WORDS:
                j += 1
            if j - i >= 2 and (j == len(doc) or not doc[j].is_title):
                holders.append(Span(doc, i, j, label="person", kb_id=span.kb_id_))
        return holders

    @staticmethod
    def _surnames(doc, people):
        """After 'Governor Kim Reynolds', a bare 'Reynolds' is the same person."""
        if not people:
            return []
        taken = {i for span in people for i in range(span.start, span.end)}
        by_surname = {doc[span.end - 1].orth: span.kb_id_ for span in people if len(span) > 1}
        orth = doc.to_array(ORTH)
        extra = []
        for i in numpy.flatnonzero(numpy.isin(orth, list(by_surname))):
            if int(i) not in taken:
                extra.append(Span(doc, int(i), int(i) + 1, label="person", kb_id=by_surname[int(orth[i])]))
        return extra

    def _settle_bare(self, doc, start, ids, jurisdictions, mentioned):
        """"the interior ministry": the one of the country the sentence names, else of the country the
        document names most; never a guess when the sentence names another country."""
        ref = self.reference
        sent = doc[start].sent
        near = {ref.country_of(s.kb_id_) for s in jurisdictions if s.start >= sent.start and s.end <= sent.end}
        if not near:
            # "India. On Jan. 2 the IT ministry sent X a notice": the place a paragraph opens with
            opening = doc.text.rfind("\n\n", 0, doc[start].idx) + 2
            near = {ref.country_of(s.kb_id_) for s in jurisdictions
                    if opening <= s.start_char and s.end <= sent.start}
        if near:
            chosen = [i for i in ids if ref.country_of(ref.jurisdiction_of(i)) in near]
            return chosen[0] if len(chosen) == 1 else None
        countries = {j: n for j, n in mentioned.items() if ref.jurisdictions.get(j, {}).get("type") == "country"}
        if not countries:
            return None
        top = sorted(countries.values(), reverse=True)
        if len(top) > 1 and top[0] == top[1]:
            return None
        best = max(countries, key=countries.get)
        chosen = [i for i in ids if ref.country_of(ref.jurisdiction_of(i)) == best]
        return chosen[0] if len(chosen) == 1 else None

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
    return LexiconMatcher(nlp, Path(path) if path else LEXICON_PATH)


class LexiconMatcher:
    """Measure words, stage and negation cues, reasons, scope... from a JSONL file of patterns.

    A line is {"group", "label", "pattern"}: a phrase (case-insensitive unless "case_sensitive"),
    or {"near": [[first words], [last words]], "within": N} for a first word followed by a last
    word at most N tokens on ("protect the Senate network"). "weak": true marks a cue that counts
    only in the sentence stating the measure; "close": true a trigger whose tool must sit right by
    it ("delete DeepSeek", not "data deleted" in a sentence that names a tool elsewhere). (A "near" pattern is checked on token hashes: spaCy's
    Matcher with wildcard tokens cost more than everything else here.)
    """

    def __init__(self, nlp, path):
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.near = []  # (key hash, first word hashes, last word hashes, within)
        self._near_first = None
        self._first_sets = {}
        self.targets = {}
        self.groups = set()
        by_key = defaultdict(lambda: {"phrases": [], "exact": []})
        strings = nlp.vocab.strings
        for entry in load_lexicon(path):
            group, label, pattern = entry["group"], entry["label"], entry["pattern"]
            if group == WORDS_GROUP:
                continue  # word sets the rules read (banwatch.lexicon.words), not patterns
            weak = "weak" if entry.get("weak") else "close" if entry.get("close") else ""
            key = f"{group}|{label}|{weak}"
            self.groups.add(group)
            if isinstance(pattern, dict):
                first, last = ([strings.add(w) for w in words] for words in pattern["near"])
                self.targets[strings.add(key)] = (group, label, weak)
                self.near.append((strings.add(key), numpy.array(first, dtype="uint64"), set(last),
                                  int(pattern.get("within", 1))))
            elif entry.get("case_sensitive"):
                by_key[key]["exact"].extend(nlp.make_doc(p) for p in with_curly_quotes([pattern]))
            else:
                by_key[key]["phrases"].extend(nlp.make_doc(p) for p in with_curly_quotes(tokenized_casings(nlp, pattern)))
        for key, kinds in by_key.items():
            self.targets[nlp.vocab.strings.add(key)] = tuple(key.split("|"))
            if kinds["phrases"]:
                self.phrases.add(key, kinds["phrases"])
            if kinds["exact"]:
                self.exact.add(key, kinds["exact"])

    def near_matches(self, doc):
        if self._near_first is None:  # one isin over every pattern's first words, not one per pattern
            self._near_first = numpy.array(sorted({int(h) for _, first, _, _ in self.near for h in first}),
                                           dtype="uint64")
        lower = doc.to_array(LOWER)
        hits = numpy.flatnonzero(numpy.isin(lower, self._near_first)).tolist()
        if not hits:
            return
        words = lower.tolist()
        for n, (key, first, last, within) in enumerate(self.near):
            firsts = self._first_sets.setdefault(n, set(first.tolist()))
            for i in hits:
                if words[i] in firsts:
                    for j in range(i + 1, min(len(words), i + within + 1)):
                        if words[j] in last:
                            yield key, i, j + 1
                            break

    def __call__(self, doc):
        found = defaultdict(list)
        for match_id, start, end in [*self.phrases(doc), *self.exact(doc), *self.near_matches(doc)]:
            group, label, weak = self.targets[match_id]
            found[group].append(Span(doc, start, end, label=label, kb_id=weak))
        for group in self.groups:
            spans = found.get(group, [])
            # reasons may overlap across families ("data security" vs "security"): longest wins, and
            # of two as long the later, whose last word heads the phrase ("potential security breaches")
            set_group(doc, group, spans, heads_last=group == "reason")
        return doc


# a full name takes no full stop ("in early February." ends the sentence); an abbreviation may ("Jan. 31")
MONTHS = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
          r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?)")
WEEKDAYS = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
# Hand-written because dateparser.search_dates is slow and reads bare numbers and words ("may",
# "march") as dates; dateparser still resolves what these find (pipeline/dates.py).
DATE_PATTERNS = [
    ("iso", r"\b(?:19|20)\d\d-[01]\d-[0-3]\d\b"),
    ("numeric", r"\b[0-3]?\d/[01]?\d/(?:19|20)\d\d\b"),
    ("month_day_year", rf"\b{MONTHS}\s+[0-3]?\d(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d\b"),
    ("day_month_year", rf"\b[0-3]?\d(?:st|nd|rd|th)?\s+(?:day\s+of\s+|of\s+)?{MONTHS},?\s+(?:19|20)\d\d\b"),  # "this 11th day of February, 2025": a signed instrument's date
    ("month_day", rf"\b{MONTHS}\s+[0-3]?\d(?:st|nd|rd|th)?\b(?!,?\s*(?:19|20)\d\d)"),
    ("day_month", rf"\b[0-3]?\d(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTHS}(?![\w.]*,?\s+(?:19|20)\d\d)"),
    ("part_month_year", rf"\b{MONTH_PART}[- ]{MONTHS},?\s+(?:19|20)\d\d\b"),
    ("month_year", rf"\b{MONTHS},?\s+(?:of\s+)?(?:19|20)\d\d\b"),
    ("part_month", rf"\b{MONTH_PART}[- ]{MONTHS}"),
    ("in_month", rf"\b(?:in|since|from|until|by|during|last|this|earlier this|late last)\s+{MONTHS}(?=[\s,.;)]|$)(?!\s+[0-3]?\d(?:st|nd|rd|th)?\b|\.[ \t]+[0-3]?\d(?:st|nd|rd|th)?\b)(?!,?\s+(?:of\s+)?(?:19|20)\d\d\b|\.,?[ \t]+(?:of\s+)?(?:19|20)\d\d\b)"),  # "from March 31", "since Jan. 3" are days, "in March 2024" a month of that year
    ("weekday", rf"\b(?:(?:last|this|on|early|late|next|starting|beginning|from)\s+)?{WEEKDAYS}(?:\s+(?:morning|afternoon|evening|night))?"
                rf"(?:\s+(?:of\s+)?last\s+week)?\b"),
    ("relative", r"\b(?:today|yesterday|tonight|this morning|this afternoon|last night|"
                 r"(?:earlier |late |early )?(?:this|last) (?:week|month|year)|"
                 r"(?:a|one|two|three|four|five|six|several|a few|\d+) (?:days?|weeks?|months?) ago|"
                 r"the (?:previous|prior) (?:day|week|month))\b"),
    ("later", r"\b(?:a|one|two|three|four|five|six|seven|\d+) (?:days?|weeks?|months?) later\b|"
              r"\bthe (?:next|following) (?:day|week|month)\b|\b(?:the|that) same day\b"),  # from the date before it
    ("school_year", r"\b(?:19|20)\d\d\s*[-–/]\s*(?:(?:19|20)\d\d|\d\d)\s+(?:school|academic)\s+year\b"),  # its first year
    ("season_year", r"\b(?:spring|summer|fall|autumn|winter)\s+(?:of\s+)?(?:19|20)\d\d\b"),  # "Fall 2023": that year
    ("year", r"\b(?:in|since|during|from|by|of|early|late|mid-)\s*(?:19|20)\d\d\b|"
             # "Italy's 2023 ban on ChatGPT": the year a measure is named by
             r"\b(?:19|20)\d\d(?=\s+(?:ban|bans|block|blocks|restrictions?|suspension|order|decision|probe|"
             r"investigation|inquiry|guidance|directive|prohibition|moratorium)\b)"),
]
DATE_RE = re.compile("|".join(f"(?P<{kind}>{pattern})" for kind, pattern in DATE_PATTERNS), re.IGNORECASE)


@Language.factory("banwatch_dates")
def make_dates(nlp, name):
    return find_date_spans


def find_date_spans(doc):
    """Dates of the sentences that speak of a measure, and of their neighbours: nothing else needs one.

    Every date expression holds an anchor word (a month or weekday name, a relative word like
    "yesterday", or a number): the date pattern is tried only around anchors, on a few dozen
    characters, instead of over whole sentences.
    """
    regions = measure_regions(doc)
    if not regions:
        set_group(doc, "date", [])
        return doc
    text = document_text(doc)
    lower, is_digit, length, idx, shape = doc.to_array([LOWER, IS_DIGIT, LENGTH, IDX, SHAPE]).T
    # a year, a month, weekday or relative word (a day number never stands without one of them), or a
    # numeric date in one token ("29/01/2024")
    anchors = numpy.isin(lower, _date_anchors(doc.vocab)) | ((is_digit == 1) & (length == 4)) \
        | numpy.isin(shape, _numeric_date_shapes(doc.vocab))
    positions = idx[numpy.flatnonzero(anchors)].tolist()
    found = {}
    for region_start, region_end in regions:
        lo, hi = bisect.bisect_left(positions, region_start), bisect.bisect_left(positions, region_end)
        covered = -1
        for position in positions[lo:hi]:
            if position < covered:
                continue  # inside the date just found ("January 31, 2025": one match, three anchors)
            window_start = max(region_start, position - 30)
            for m in DATE_RE.finditer(text, window_start, min(region_end, position + 40)):
                if m.start() <= position < m.end():
                    found.setdefault((m.start(), m.end()), m)
                    covered = max(covered, m.end())
    spans = []
    for (start, end), m in found.items():
        kind, matched = m.lastgroup, m.group(0)
        if is_may_the_verb(kind, matched):
            continue
        span = doc.char_span(start, end, label=kind, alignment_mode="expand")
        if span is not None:
            spans.append(span)
    set_group(doc, "date", spans)
    return doc


DATE_ANCHOR_WORDS = (
    "jan jan. january feb feb. february mar mar. march apr apr. april may jun jun. june jul jul. july aug aug. "
    "august sep sep. sept sept. september oct oct. october nov nov. november dec dec. december monday tuesday "
    "wednesday thursday friday saturday sunday today yesterday tonight week weeks month months year years ago "
    "morning afternoon night day days previous prior").split()


_ANCHORS = {}
NUMERIC_DATE_SHAPES = ("dd/dd/dddd", "d/dd/dddd", "dd/d/dddd", "d/d/dddd")


def _numeric_date_shapes(vocab):
    key = ("shapes", id(vocab))
    if key not in _ANCHORS:
        _ANCHORS[key] = numpy.array([vocab.strings.add(w) for w in NUMERIC_DATE_SHAPES], dtype="uint64")
    return _ANCHORS[key]


def _date_anchors(vocab):
    if id(vocab) not in _ANCHORS:
        _ANCHORS[id(vocab)] = numpy.array([vocab.strings.add(w) for w in DATE_ANCHOR_WORDS], dtype="uint64")
    return _ANCHORS[id(vocab)]


def set_group(doc, name, spans, heads_last=False):
    """doc.spans[name] without overlaps, plus its (start, end) pairs for the other components
    (iterating a SpanGroup builds a Span object per entry). Overlaps keep the longest span; of two as
    long, the first (spaCy's filter_spans) or, with `heads_last`, the one ending later."""
    if heads_last:
        kept, taken = [], set()
        for span in sorted(spans, key=lambda s: (s.end - s.start, s.end), reverse=True):
            if not taken & set(range(span.start, span.end)):
                kept.append(span)
                taken.update(range(span.start, span.end))
        kept.sort(key=lambda s: s.start)
    else:
        kept = filter_spans(spans)
    doc.spans[name] = kept
    doc.user_data.setdefault("banwatch_marks", {})[name] = sorted((s.start, s.end) for s in kept)


def marks(doc, name):
    saved = doc.user_data.get("banwatch_marks", {})
    if name not in saved:
        saved[name] = sorted((s.start, s.end) for s in doc.spans.get(name, []))
    return saved[name]


def sentences(doc):
    """(sentences, their start tokens), once per document, read off the SENT_START array
    (doc.sents would build a Token object for every word)."""
    if "banwatch_sents" not in doc.user_data:
        flags = doc.to_array(SENT_START).astype("int64")
        starts = [int(i) for i in numpy.flatnonzero(flags == 1)] or [0]
        if starts[0] != 0:
            starts.insert(0, 0)
        bounds = starts[1:] + [len(doc)]
        sents = [doc[a:b] for a, b in zip(starts, bounds) if b > a]
        doc.user_data["banwatch_sents"] = (sents, [s.start for s in sents])
    return doc.user_data["banwatch_sents"]


def document_text(doc):
    """The text the document was made from (kept by the tokenizer; doc.text rebuilds it word by word)."""
    return doc.user_data.get("banwatch_text") or doc.text


class TextKeepingTokenizer:
    """spaCy's tokenizer, also keeping the input string on the Doc for the components above."""

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer

    def __call__(self, text):
        doc = self.tokenizer(text)
        doc.user_data["banwatch_text"] = text
        return doc

    def pipe(self, texts, batch_size=1000):
        for text in texts:
            yield self(text)

    def __getattr__(self, name):
        return getattr(self.tokenizer, name)


def measure_regions(doc):
    """Character ranges of sentences holding a trigger or a measure noun, with one sentence either side."""
    sents, starts = sentences(doc)
    found = [start for g in ("trigger", "measure_noun") for start, _ in marks(doc, g)]
    if not found or not sents:
        return []
    wanted = set()
    for token_i in found:
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


class DateMention(typing.NamedTuple):
    label_: str
    text: str


def dates_in(text):
    """The date expressions of a text outside the measure regions find_date_spans reads, as (label_,
    text) pairs: read on demand ("the same day" names a day a few sentences back)."""
    return [DateMention(m.lastgroup, m.group(0)) for m in DATE_RE.finditer(text)
            if not is_may_the_verb(m.lastgroup, m.group(0))]


def is_may_the_verb(kind, matched):
    """'May 3' and 'in May 2023' are dates; 'may' the verb is not (it has a lower-case m)."""
    return kind in {"month_day", "in_month", "month_year"} and re.search(r"(?i)\bmay\b", matched) is not None \
        and not re.search(r"\bMay\b", matched)


@Language.factory("banwatch_candidate_ner", default_config={"labels": ["ORG", "GPE", "NORP", "PERSON"]})
def make_candidate_ner(nlp, name, labels):
    return CandidateNER(labels)


ACTOR_GROUPS = ("agency", "person", "jurisdiction", "government", "lawmaker")
COMMON_CAPITALISED = words("common_capitalised")
PLACE_PREPOSITIONS = words("place_preposition")
SUBJECT_PRONOUNS = words("body_pronoun") | words("person_pronoun")
POSSESSIVE_DETERMINERS = words("possessive_determiner")  # "its officials": people the measure binds
# the groups whose marks explain a capitalised word: a capitalised word none of them covers names something unknown
KNOWN_NAME_GROUPS = ("tool", "agency", "person", "jurisdiction", "vendor", "trigger", "date", "outlet", "other_product")


def is_title_case_headline(sent):
    """A headline in Title Case ("Bans Chinese AI Apps On State Devices"): capitals name nothing.
    Once per sentence: the rules ask it of the same sentences many times, and each asking built a
    Token per word."""
    known = sent.doc.user_data.setdefault("banwatch_title_case", {})
    if sent.start not in known:
        words = [t for t in sent if t.is_alpha and len(t) > 3]
        known[sent.start] = len(words) >= 4 and sum(t.is_title for t in words) >= 0.8 * len(words)
    return known[sent.start]


class CandidateNER:
    """Stage two: en_core_web_sm's NER, run only where the rules found a measure on a tool but no actor.

    `ner_nlp` is set by pipeline.nlp (a model pipeline holding only its NER and that NER's own
    tok2vec). The found entities land in doc.spans["ner"] at their places in the document.
    """

    def __init__(self, labels):
        self.labels = set(labels)
        self.ner_nlp = None

    def candidate_sentences(self, doc):
        if not marks(doc, "trigger"):
            return []
        sents, starts = sentences(doc)
        lower = doc.to_array(LOWER)
        places = {doc.vocab.strings.add(w) for w in PLACE_PREPOSITIONS}
        of_word = doc.vocab.strings.add("of")
        owners = {doc.vocab.strings.add(w) for w in POSSESSIVE_DETERMINERS}
        members_of = {doc.vocab.strings.add(w) for w in ("at", "from")}

        def sentences_with(groups, keep=lambda start, end: True):
            return {bisect.bisect_right(starts, start) - 1 for g in groups for start, end in marks(doc, g)
                    if keep(start, end)}

        def is_agent(start, end):
            # a place after a preposition ("a board in Virginia") names where, not who; after "of" in a
            # capitalised name ("University of British Columbia") it is part of an unknown body's name,
            # and so is one a capitalised word follows ("the Philippine National Police")
            if start and int(lower[start - 1]) in places:
                return False
            if start in place_starts and end < len(doc) and doc[end].is_title and end not in known_starts \
                    and not is_title_case_headline(sents[bisect.bisect_right(starts, start) - 1]):
                return False  # (a Title Case headline capitalises every word)
            if start in in_tools:  # "Microsoft" of "Microsoft 365 Copilot" is the tool's name
                return False
            if start in place_starts and start and start - 1 not in known_tokens and doc[start - 1].is_alpha \
                    and (doc[start - 1].is_title or doc[start - 1].is_upper) \
                    and doc[start - 1].lower_ not in COMMON_CAPITALISED \
                    and not is_title_case_headline(sents[bisect.bisect_right(starts, start) - 1]):
                return False  # "Macquarie Group Australia": a place closing a name nobody knows
            if start and int(lower[start - 1]) in owners:
                return False  # "barred its officials from using ChatGPT": those bound, not who binds them
            if end + 1 < len(doc) and int(lower[end]) in members_of and doc[end + 1].is_title \
                    and end + 1 not in known_tokens:
                return False  # "Officials at Macquarie University": the body is the unknown name after them
            if end in tool_starts:
                return False  # "the Chinese generative AI service DeepSeek": where the tool comes from
            if 2 <= start and end < len(doc) and doc[start - 1].text == "(" and doc[end].text == ")" \
                    and doc[start - 2].is_title and start - 2 not in known_tokens:
                return False  # "The Norwegian Nurses Organisation (NSF)": the short name of the name before it
            return not (start >= 2 and int(lower[start - 1]) == of_word and doc[start - 2].is_title)

        known_starts = {start for g in ("tool", "agency", "person", "jurisdiction", "vendor", "trigger", "date")
                        for start, _ in marks(doc, g)}
        in_tools = {i for start, end in marks(doc, "tool") for i in range(start, end)}
        known_tokens = {i for g in KNOWN_NAME_GROUPS for start, end in marks(doc, g) for i in range(start, end)}
        tool_starts = {start for g in ("tool", "tool_noun") for start, _ in marks(doc, g)}
        place_starts = {start for start, _ in marks(doc, "jurisdiction")}
        wanted = sentences_with(["trigger"]) & sentences_with(["tool", "anaphor"])
        wanted -= sentences_with(ACTOR_GROUPS, is_agent)
        # "Sophia University went further. It said ...": the pronoun's body is named in the sentence before
        pronouns = {doc.vocab.strings.add(w) for w in SUBJECT_PRONOUNS}
        wanted |= {k - 1 for k in wanted if k and int(lower[sents[k].start]) in pronouns}
        return [sents[k] for k in sorted(wanted) if self.has_unknown_name(doc, sents[k])]

    @staticmethod
    def has_unknown_name(doc, sent):
        """A capitalised word no matcher explained ("Fairfax", "CICC"): only then can NER add an actor."""
        known = set()
        for group in ("tool", "agency", "person", "jurisdiction", "vendor", "date", "outlet", "other_product",
                      "trigger"):
            for start, end in marks(doc, group):
                if start < sent.end and end > sent.start:
                    known.update(range(start, end))
        for token in sent:
            # a sentence's first word is capitalised anyway; an acronym there still names something ("UBC says")
            capitalised = token.is_upper if token.i == sent.start else (token.is_title or token.is_upper)
            if token.i not in known and token.is_alpha and capitalised \
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
        set_group(doc, "ner", found)
        return doc


@Language.factory("banwatch_unknown_tools", default_config={"max_words": 3, "appositive_window": 6})
def make_unknown_tools(nlp, name, max_words, appositive_window):
    return UnknownTools(max_words, appositive_window)


# Capitalised words that are never a tool's name (sentence openers, places' adjectives, generic words).
NOT_TOOL_NAMES = words("not_tool_name")
# A name ending in one of these is a law or a document, not a tool ("the No DeepSeek on Government Devices Act").
NOT_TOOL_ENDINGS = words("not_tool_ending")
TOOL_NAME_LEADS = words("tool_name_lead")  # "the AI app called Clothoff"
ARTICLES = words("article")
TOOL_LIST_LEADS = words("tool_list_lead")  # "AI tools such as ...", "chatbots including ..."
POSSESSIVES = {"'s", "’s"}


def unknown_tool(doc, start, end):
    """A tool the reference does not list, named by tokens start..end: an unverified tool keyed by its name."""
    return Span(doc, start, end, label="tool", kb_id=f"new:{slugify(doc[start:end].text)}")


class UnknownTools:
    """AI tools the reference data does not list, named next to a tool noun of the lexicon: "the AI app
    OpenClaw", "Clothoff app", "chatbot service character.ai", "Talkie, an AI companion app". Only in
    sentences with a measure word; the decision layer weighs them (they are unverified tools)."""

    def __init__(self, max_words, appositive_window):
        self.max_words = max_words
        self.window = appositive_window

    def is_name(self, token, known):
        text = token.text
        if token.i in known or not any(c.isalpha() for c in text) or text.lower() in NOT_TOOL_NAMES:
            return False
        return text[0].isupper() or any(c.isupper() for c in text[1:]) or "." in text.strip(".")

    def __call__(self, doc):
        nouns = marks(doc, "tool_noun")
        triggers = marks(doc, "trigger")
        if not triggers:
            return doc
        sents, starts = sentences(doc)
        with_trigger = {bisect.bisect_right(starts, start) - 1 for start, _ in triggers}
        known = set()
        for group in ("tool", "agency", "person", "jurisdiction", "vendor", "outlet", "date", "trigger", "other_product"):
            for start, end in marks(doc, group):
                known.update(range(start, end))
        found = list(doc.spans.get("tool", [])) + self.web_addresses(doc, sents, starts, with_trigger, known)
        tools = dict(marks(doc, "tool"))
        vendors = dict(marks(doc, "vendor"))
        products = dict(marks(doc, "other_product"))
        defined = set()  # "EPIK, a photo-editing app from ...": a name a sentence without a measure defines
        for start, end in nouns:
            k = bisect.bisect_right(starts, start) - 1
            if is_title_case_headline(sents[k]):
                continue
            sent = sents[k]
            if k not in with_trigger:
                name = self.appositive_name(doc, start, sent, known)
                if name is not None:
                    defined.add(doc[name[0]:name[1]].text)
                    found.append(unknown_tool(doc, *name))
                continue
            names = self.listed_after(doc, end, sent, known, tools, vendors, products)
            if names is None:  # no list after the noun: a name right after or before it ("the Clothoff app")
                names = [self.name_after(doc, end, sent, known) or self.name_before(doc, start, sent, known)]
            for name in names:
                if name is not None and len(doc[name[0]:name[1]].text.strip(".")) > 1 \
                        and doc[name[1] - 1].lower_ not in NOT_TOOL_ENDINGS:
                    found.append(unknown_tool(doc, *name))
        tools_by_sentence = defaultdict(list)  # the known tools' starts, sentence by sentence
        for start in sorted(tools):
            tools_by_sentence[bisect.bisect_right(starts, start) - 1].append(start)
        for k, tool_starts in sorted(tools_by_sentence.items()):
            if len(tool_starts) >= 2:  # a list of tools names two at least
                found.extend(unknown_tool(doc, *name)
                             for name in self.listed_with_tools(doc, sents[k], tool_starts, known, tools))
        # ... and is the tool wherever a sentence with a measure names it again
        for k in sorted(with_trigger) if defined else ():
            for token in sents[k]:
                if token.text in defined and token.i not in known and not any(s.start <= token.i < s.end for s in found):
                    found.append(unknown_tool(doc, token.i, token.i + 1))
        set_group(doc, "tool", found)
        return doc

    def listed_with_tools(self, doc, sent, tool_starts, known, tools):
        """"Nomi, Chai and Chub AI": an unknown name in one list with at least two known tools is a tool too.
        The list runs over commas and "and"/"or"; any other known name in it (a vendor, a body, TikTok)
        makes it no list of tools ("Character.AI, Reddit, Instagram and Discord"). `tool_starts`: where the
        sentence's known tools begin, in order."""
        names = []
        for i in tool_starts:
            if names and i < names[-1][1]:
                continue  # inside a list already read
            j, known_tools, unknown, mixed = tools[i], 1, [], False
            while j + 1 < sent.end and (doc[j].text == "," or doc[j].lower_ in LIST_AND):
                k = j + 1
                if doc[j].text == "," and doc[k].lower_ in LIST_AND and k + 1 < sent.end:
                    k += 1  # "Nomi, Chai, and Chub AI"
                if k in tools:
                    j, known_tools = tools[k], known_tools + 1
                    continue
                end = k
                while end < min(sent.end, k + self.max_words) and (
                        self.is_name(doc[end], known) or end > k and doc[end].text == "AI"):  # "Chub AI"
                    end += 1
                mixed = mixed or k in known
                if end == k or doc[end - 1].lower_ in NOT_TOOL_ENDINGS:
                    break
                # a comma alone must lead on to more of the list ("After trying DeepSeek, Kimi said ...")
                if doc[j].text == "," and k == j + 1 and not (
                        end < sent.end and (doc[end].text == "," or doc[end].lower_ in LIST_AND)):
                    break
                unknown.append((k, end))
                j = end
            if known_tools >= 2 and not mixed:
                names.extend(unknown)
        return names

    def appositive_name(self, doc, i, sent, known):
        """"EPIK, a photo-editing app": the one-word name before ", a/an/the <lower-case words> <noun>"."""
        k = i - 1
        while k > sent.start and i - k <= self.max_words and (doc[k].is_lower or doc[k].text in ("-", "AI")) \
                and doc[k].lower_ not in ARTICLES:  # "Rytr, an AI writing assistant"
            k -= 1
        if not (k - 2 >= sent.start and doc[k].lower_ in ARTICLES and doc[k - 1].text == ","):
            return None
        return (k - 2, k - 1) if self.is_name(doc[k - 2], known) and len(doc[k - 2].text) > 1 else None

    def web_addresses(self, doc, sents, starts, with_trigger, known):
        """"blocked ai-writer.com, wordai.com and other AI writing sites": a web address in a sentence with
        a measure word and AI words (a known tool's address is the tool already, banwatch_names)."""
        found = []
        ai_marks = [start for group in ("tool_noun", "tool") for start, _ in marks(doc, group)]
        ai_sentences = {bisect.bisect_right(starts, start) - 1 for start in ai_marks}
        for i in dotted_tokens(doc):
            token = doc[i]
            if i in known or web_address_labels(token.text) is None:
                continue
            k = bisect.bisect_right(starts, token.i) - 1
            if k in with_trigger and (k in ai_sentences or any(t.lower_ in AI_CONTEXT for t in sents[k])):
                found.append(Span(doc, token.i, token.i + 1, label="tool", kb_id=f"new:{slugify(token.text.replace('.', ' '))}"))
        return found

    def name_after(self, doc, i, sent, known):
        # "the AI app OpenClaw", "chatbot service character.ai", "an app called Clothoff"
        while i < sent.end and doc[i].lower_ in TOOL_NAME_LEADS:
            i += 1
        j = i
        while j < min(sent.end, i + self.max_words) and self.is_name(doc[j], known):
            j += 1
        return (i, j) if j > i else None

    def listed_after(self, doc, i, sent, known, tools, vendors, products):
        """"AI tools such as ChatGPT, Harvey.AI or Google Bard": every name the list gives, known tools
        passed over (they are marked already), each unknown one a new tool; None when no list follows. A list
        of known tools only names no other ("Using AI tools such as ChatGPT ...": "Using" is no tool)."""
        if i + 2 < sent.end and doc[i].is_lower and doc[i].is_alpha and doc[i + 1].lower_ == "such":
            i += 1  # "generative AI tools such as": the noun the lexicon's mark stopped short of
        if i + 1 < sent.end and doc[i].lower_ == "," and doc[i + 1].lower_ in TOOL_LIST_LEADS:
            i += 1
        if i + 1 < sent.end and (doc[i].lower_, doc[i + 1].lower_) == ("such", "as"):
            i += 2
        elif i < sent.end and doc[i].lower_ in TOOL_LIST_LEADS:
            i += 1
        else:
            return None
        names = []
        while i < sent.end:
            if i in vendors and vendors[i] < sent.end and doc[vendors[i]].lower_ in POSSESSIVES:
                i = vendors[i] + 1  # "Microsoft's Bing": the product, not its maker
            if i in tools:
                j = tools[i]
            elif i in products:  # "Microsoft's Bing" in a list of AI tools is its chatbot
                j = products[i]
                names.append((i, j))
            else:
                j = i
                while j < min(sent.end, i + self.max_words) and self.is_name(doc[j], known):
                    j += 1
                if j == i:
                    break
                names.append((i, j))
            k = j + 1 if j < sent.end and doc[j].text == "," else j
            if k < sent.end and doc[k].lower_ in ("and", "or"):
                k += 1
            if k == j:
                break  # no separator: the list has ended
            i = k
        return names

    def name_before(self, doc, i, sent, known):
        # "the Clothoff app", "Talkie, an AI companion app", "ZAO, the face-swapping app"
        j = i
        k = i - 1
        while k > sent.start and i - k <= self.max_words and (doc[k].is_lower or doc[k].text in ("-", "AI")) \
                and doc[k].lower_ not in ARTICLES:
            k -= 1  # the noun's lower-case modifiers ("face-swapping"), back to the article
        if k < i - 1 and k - 1 >= sent.start and doc[k].lower_ in ARTICLES and doc[k - 1].text == ",":
            j = k - 1
        elif i - 1 >= sent.start and doc[i - 1].lower_ in ARTICLES:
            # appositive: "Talkie, an AI companion app": the name before the comma
            comma = next((k for k in range(i - 2, max(sent.start, i - self.window) - 1, -1) if doc[k].text == ","), None)
            if comma is None:
                return None
            j = comma
        start = j
        while start - 1 >= max(sent.start, j - self.max_words) and self.is_name(doc[start - 1], known):
            start -= 1
        return (start, j) if start < j else None


@Language.factory("banwatch_events", default_config={"settings": DEFAULT_SETTINGS.as_config()})
def make_events(nlp, name, settings):
    return EventRules(settings)


class EventRules:
    """banwatch_events: the settings of the event rules (pipeline/settings.py), as this component's config.

    The rules themselves run after the pipeline, on the finished Doc, because they need what the Doc
    does not hold (the publication date, where the title ends): pipeline.extract.Extractor reads
    nlp.get_pipe("banwatch_events").settings into the DocContext, and the rules read ctx.settings.
    On a Doc the component changes nothing.
    """

    def __init__(self, settings):
        given = dict(settings)
        unknown = set(given) - {f.name for f in fields(RuleSettings)}
        if unknown:
            raise ValueError(f"banwatch_events: unknown settings {sorted(unknown)}")
        # a value takes its setting's type: 2 for a weight is 2.0, as in the defaults
        self.settings = RuleSettings(**{f.name: f.type(given[f.name]) for f in fields(RuleSettings) if f.name in given})

    def __call__(self, doc):
        return doc


def dotted_tokens(doc):
    """Indices of the tokens holding a dot and more ("ai-writer.com", "U.S."), read from the token ids:
    making a Token object for every word costs more than the rest of a component. Once per document
    (the names and the unknown tools both ask)."""
    if "banwatch_dotted" in doc.user_data:
        return doc.user_data["banwatch_dotted"]
    orths = doc.to_array(ORTH)
    unique = numpy.unique(orths).tolist()
    for orth in unique:
        if orth not in _SEEN_ORTHS:
            _SEEN_ORTHS.add(orth)
            text = doc.vocab.strings[orth]
            if len(text) > 1 and "." in text:
                _DOTTED_ORTHS.add(orth)
    dotted = [orth for orth in unique if orth in _DOTTED_ORTHS]
    found = doc.user_data["banwatch_dotted"] = numpy.flatnonzero(numpy.isin(orths, dotted)).tolist() if dotted else []
    return found


# token ids (hashes of their text, the same in every document) already read, and those with a dot
_SEEN_ORTHS = set()
_DOTTED_ORTHS = set()
