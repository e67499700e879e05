"""From a Doc with banwatch's span groups to events: who did what to which tool, when, why, how far.

The rules, in the order they apply (each a function below):

1. A *trigger* (a measure word of the lexicon) that is not negated states a measure.
2. Its *tools* are the AI tools named in its sentence; failing that, a list that the sentence
   introduces (bullets after a colon), or the document's focus tool when the sentence refers to it
   ("the app", "the Chinese chatbot").
3. Its *actors*: the "by X" agent; the antecedent of "which"/"who"; for passives and "not
   permitted" phrasing, whoever holds the staff or devices ("NASA employees", "Senate devices");
   else the nearest actor to its left in the clause, with the others coordinated with it
   ("NASA, the Navy and the Pentagon"). An actor told to act by another ("X ordered Y to block")
   yields to the one giving the order. Failing all these, the author of the memo or order the
   document is about, or the actor of the headline.
4. *Stage*: proposed when a proposal cue (bill, urge, would, considering...) governs the trigger
   and no enactment cue (signed, took effect) overrides it.
5. *Date*: the nearest date expression in the sentence, resolved against the publication date;
   else one from a sentence about the same measure; else the publication date (first reported).
6. Mentions of one measure merge into one event per (actor, tool, kind of action, stage); a
   country-level mention ("Italy blocked DeepSeek") merges into the specific body of that country
   acting on the same tool in the same document ("Italy's data protection authority").
7. *Reasons* come from the event's own sentences and their neighbours (weak cues only from its
   own sentences); the document's main event also takes the reasons stated elsewhere in it.
"""
import bisect
import re
from collections import Counter
from dataclasses import dataclass, field, replace

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

from banwatch.names import name_words, slugify
from pipeline import dates as datemod
from pipeline.components import document_text, sentences

BE_FORMS = {"is", "are", "was", "were", "be", "been", "being", "'s", "'re", "get", "gets", "got", "getting",
            "become", "became", "remains", "remain", "stay", "stays"}
PASSIVE_SKIP = {"also", "now", "officially", "reportedly", "temporarily", "effectively", "already", "just",
                "formally", "completely", "broadly", "largely", "partially", "all", "not", "since", "recently",
                "quickly", "fully", "still", "likewise", "similarly", "explicitly", "expressly", "being", "been",
                "has", "have", "had", "will", "would", "be", "n't", "newly", "outright", "entirely", "widely"}
CLAUSE_BREAKS = {";", "but", "while", "whereas", "although", "though", "because", "after", "before",
                 "following", "unlike", "until", "since", "despite", "amid", "when", "—", "–"}
COORDINATION = {",", "and", "&", "as", "well", "both", "or", "along", "with", "together", "plus", "the", "its"}
ORIGIN_NOUNS = {"ai", "a.i.", "startup", "start-up", "company", "companies", "firm", "firms", "app", "apps",
                "chatbot", "chatbots", "model", "models", "platform", "platforms", "developer", "developers",
                "servers", "server", "tech", "technology", "technologies", "artificial", "product", "products",
                "rival", "competitor", "government-linked", "owned", "based", "-based", "made", "-made",
                "origin", "hackers", "intelligence", "law", "laws", "firm's", "generative", "social", "media",
                "communist", "military", "state-owned", "state-backed", "state-linked", "data", "users"}
LOCATIVE = {"in", "across", "throughout", "within", "nationwide", "statewide"}
NOT_AGENT_BEFORE = {"in", "from", "to", "outside", "than", "like", "with", "across", "into", "about", "against",
                    "toward", "towards", "on", "at", "over", "via", "for", "of", "under", "unlike"}
AUTHOR_LINKS = {"from", "by", "of", "issued", "signed", "sent", "released", "published"}
DATE_SKIP_BEFORE = {"released", "launched", "founded", "unveiled", "debuted", "published", "updated", "posted",
                    "rolled", "went", "surged", "topped", "born", "created", "established", "reported"}
ANNOUNCING = {"announced", "announces", "issued", "issues", "imposed", "imposes", "ordered", "orders", "signed",
              "signs", "introduced", "declared", "confirmed", "unveiled", "enacted"}
HOLDER_LINKS = {"at", "of", "in", "for", "across", "within"}
HOLDER_SUFFIXES = {"-", "issued", "owned", "managed", "furnished", "controlled", "provided", "run", "operated"}
TITLE_PREFIXES = {"gov.", "governor", "gov"}
# Capitalised words statistical NER takes for organisations that are never a body that acts.
NOT_BODIES = {"ai", "a.i.", "genai", "llm", "llms", "app", "apps", "it", "ceo", "cio", "cto", "faq", "ios", "android"}
LOCAL_GOVERNMENT_WORDS = {"city", "county", "council", "municipality", "borough", "prefecture", "province",
                          "district", "township", "village", "town"}
GENERIC_ACTOR_WORDS = {"government", "administration", "authorities", "officials", "cabinet", "regulator",
                       "regulators", "watchdog", "agencies", "ministries", "executive"}


class TokenStrings:
    """Token strings by position, looked up on demand: the rules read a few hundred of a document's
    thousands, and a list of all of them costs more than the rules themselves."""

    def __init__(self, strings, hashes):
        self.strings = strings
        self.hashes = hashes
        self.cache = {}

    def __len__(self):
        return len(self.hashes)

    def __getitem__(self, key):
        if isinstance(key, slice):
            return [self[i] for i in range(*key.indices(len(self.hashes)))]
        if key < 0:
            key += len(self.hashes)
        word = self.cache.get(key)
        if word is None:
            word = self.cache[key] = self.strings[int(self.hashes[key])]
        return word


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

    def __init__(self, doc, reference, published=None, title_end=0, default_year=None):
        self.doc = doc
        self.ref = reference
        self.published = published
        self.title_end = title_end  # character offset where the body begins
        self.default_year = default_year
        self.published_month = None  # 'YYYY-MM' when only the month of publication is known
        self.dateline = None  # (start, end) characters of the story's dateline: its date is no measure's
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
        self._lower_hashes = columns[:, 1]
        self._positions = {}
        self._groups = {}
        self.by_sentence = {}  # (group, sentence start token) -> spans, the lookup the rules make most
        self._actors = {}
        self._own_product = {}
        self._authors = None
        self.ministry_nouns = self.positions(MINISTRY_NOUNS)
        self.name_starts = {s.start for g in ("tool", "vendor") for s in self.group(g)[0]}
        self.focus_tools = self._focus_tools()
        released = reference.tools.get(self.focus_tools[0], {}).get("released") if self.focus_tools else None
        self.not_before = datemod.parse_iso(f"{released}-01"[:10] if released and len(released) == 7 else
                                            f"{released}-01-01" if released else None)
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
            hashes = [self.doc.vocab.strings.add(w) for w in key]
            self._positions[key] = set(numpy.flatnonzero(numpy.isin(self._lower_hashes, hashes)).tolist())
        return self._positions[key]

    def positions_in(self, words, start, end):
        return sorted(p for p in self.positions(words) if start <= p < end)

    def authors(self):
        if self._authors is None:
            self._authors = measure_authors(self)
        return self._authors

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

    def actors(self, sent):
        """sentence_actors, once per sentence."""
        if sent.start not in self._actors:
            self._actors[sent.start] = sentence_actors(self, sent)
        return self._actors[sent.start]

    def sentence_index(self, token_i):
        return bisect.bisect_right(self.sent_starts, token_i) - 1

    def is_title(self, sent):
        return sent.start_char < self.title_end

    # ---- document level ----
    def _focus_tools(self):
        counts = Counter()
        for span in self.spans("tool"):
            counts[span.kb_id_] += 2 if span.start_char < self.title_end else 1
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
                counts[jid] += 2
        for span in self.spans("person"):
            jid = self.ref.agencies[span.kb_id_].get("jurisdiction")
            if jid:
                counts[jid] += 1
        return [j for j, _ in counts.most_common()]

    def dominant_of(self, level):
        """The document's main country ('country') or sub-national unit ('state')."""
        for jid in self.dominant:
            jtype = self.ref.jurisdictions.get(jid, {}).get("type")
            if level == "country" and jtype == "country":
                return jid
            if level == "state" and jtype not in ("country", "supranational", None):
                return jid
        if level == "country" and self.dominant:
            return self.ref.country_of(self.dominant[0])
        return None

    def is_origin(self, span):
        """'China's DeepSeek', 'the Chinese AI startup', 'servers in China': where a tool comes from, not who acts."""
        words, n = self.words, len(self.words)
        i = span.end
        while i < n and words[i] in {"'s", "’s", "-", "'", "’"}:
            i += 1
        for j in range(i, min(i + 3, n)):
            if self.lower[j] in ORIGIN_NOUNS or j in self.name_starts:
                return True
            if self.lower[j] not in {"-", "based", "'s"}:
                break
        return False

    def government_of(self, jurisdiction_id, mention, start, end):
        """The government of a jurisdiction: its reference entry, or a new, unverified one."""
        if not jurisdiction_id:
            return None
        jur = self.ref.jurisdictions.get(jurisdiction_id, {})
        agency_id = self.ref.government_of(jurisdiction_id)
        if agency_id:
            agency = self.ref.agencies[agency_id]
            return Actor(key=agency_id, name=agency["name"], mention=mention, agency_id=agency_id,
                         kind=agency.get("type"), jurisdiction_id=jurisdiction_id, start=start, end=end,
                         generic=True)
        name = f"Government of {jur.get('name', jurisdiction_id)}"
        return Actor(key=f"government:{jurisdiction_id}", name=name, mention=mention, kind="government",
                     jurisdiction_id=jurisdiction_id, start=start, end=end, generic=True, verified=False)


def agency_actor(ctx, span, mention=None):
    agency = ctx.ref.agencies[span.kb_id_]
    return Actor(key=span.kb_id_, name=agency["name"], mention=mention or span.text, agency_id=span.kb_id_,
                 kind=agency.get("type"), jurisdiction_id=agency.get("jurisdiction"), start=span.start,
                 end=span.end, generic=agency.get("type") in ("national_government",))


def sentence_actors(ctx, sent):
    """Every possible actor named in a sentence, left to right, without overlaps."""
    actors = []
    taken = set()

    def claim(actor):
        span_tokens = set(range(actor.start, actor.end))
        if span_tokens & taken:
            return
        if ctx.dateline and ctx.dateline[0] <= ctx.idx[actor.start] < ctx.dateline[1]:
            return  # "ROME, March 31 (Reuters) -": where the story was filed
        # "the South Dakota Bureau of Information and Telecommunications (BIT)": one mention
        for other in actors:
            gap = ctx.words[other.end:actor.start]
            if other.key == actor.key and other.end <= actor.start and len(gap) <= 1 and all(w == "(" for w in gap):
                taken.update(span_tokens)
                return
        taken.update(span_tokens)
        actors.append(actor)

    outlets = ctx.in_sent("outlet", sent)
    outlet_tokens = {i for s in outlets for i in range(s.start, s.end)}
    tool_tokens = {i for s in ctx.in_sent("tool", sent) for i in range(s.start, s.end)}
    place_names = {(s.start, s.end) for s in ctx.in_sent("jurisdiction", sent)}
    # first: "South Korea's foreign and trade ministries" are the ministries, not the government
    for actor in listed_ministries(ctx, sent):
        claim(actor)
    for span in ctx.in_sent("agency", sent):
        if ctx.is_origin(span) or set(range(span.start, span.end)) & tool_tokens:
            continue
        actor = place_body(ctx, span, sent) or agency_actor(ctx, span)
        previous = ctx.lower[span.start - 1] if span.start > sent.start else ""
        if (span.start, span.end) in place_names and previous in NOT_AGENT_BEFORE:
            # "a school board in Virginia": a place, not the state government acting
            if previous not in LOCATIVE:
                continue
            actor.via = "locative"
        claim(actor)
    for span in ctx.in_sent("person", sent):
        agency = ctx.ref.agencies[span.kb_id_]
        claim(Actor(key=span.kb_id_, name=agency["name"], mention=span.text, agency_id=span.kb_id_,
                    kind=agency.get("type"), jurisdiction_id=agency.get("jurisdiction"),
                    start=span.start, end=span.end))
    governments = ctx.in_sent("government", sent)
    staff = ctx.in_sent("staff", sent)
    lawmakers = ctx.in_sent("lawmaker", sent)
    for span in ctx.in_sent("jurisdiction", sent):
        if ctx.is_origin(span) or set(range(span.start, span.end)) & taken:
            continue
        # "Dutch government", "Italian authorities", "Texas officials", "the Belgian federal government"
        following = [g for g in governments + staff + lawmakers if 0 <= g.start - span.end <= 2]
        end = following[0].end if following else span.end
        is_demonym = span.text in (ctx.ref.jurisdictions.get(span.kb_id_, {}).get("demonyms") or [])
        if is_demonym and not following:
            continue
        previous = ctx.lower[span.start - 1] if span.start > sent.start else ""
        if previous in NOT_AGENT_BEFORE and previous not in LOCATIVE and not following:
            continue
        if following and following[0].label_ == "lawmaker" or (following and following[0] in lawmakers):
            actor = legislature_actor(ctx, span.kb_id_, ctx.text(span.start, end), span.start, end)
        else:
            actor = ctx.government_of(span.kb_id_, ctx.text(span.start, end), span.start, end)
        if actor:
            actor.via = "locative" if previous in LOCATIVE and not following else ""
            claim(actor)
    # "the federal government", "state officials": the document's own country or state
    for span in governments:
        if set(range(span.start, span.end)) & taken:
            continue
        left_start = max(sent.start, span.start - 2)
        words = set(ctx.lower[left_start:span.start])
        if words & NOT_AGENT_BEFORE:
            continue  # "a letter to central government agencies": who was told, not who acted
        if span.text.lower() in {"state", "executive"}:
            continue
        if "federal" in words or "national" in words or "central" in words:
            jid = ctx.dominant_of("country")
        elif "state" in words or "provincial" in words or "prefectural" in words:
            jid = ctx.dominant_of("state")
        elif "the" in words and span.text.lower() in {"government", "administration", "cabinet"}:
            jid = ctx.dominant_of("country")
        else:
            continue
        actor = ctx.government_of(jid, ctx.text(left_start, span.end), left_start, span.end)
        if actor:
            claim(actor)
    # "Gov. Rhoden", "Governor Smith": a state government, the document's state
    for i in ctx.positions_in(TITLE_PREFIXES, sent.start, sent.end - 1):
        if ctx.is_title_case[i + 1] and i not in taken:
            jid = ctx.dominant_of("state")
            actor = ctx.government_of(jid, ctx.text(i, i + 2), i, i + 2)
            if actor:
                claim(actor)
    # stage two: statistical NER finds bodies the reference data does not know
    for span in ctx.in_sent("ner", sent):
        tokens = set(range(span.start, span.end))
        if tokens & (taken | outlet_tokens | tool_tokens) or ctx.is_origin(span):
            continue
        actor = ner_actor(ctx, span, sent)
        if actor:
            claim(actor)
    # "21 state attorneys general", "Republican governors": officeholders acting together, of the story's country
    for span in ctx.in_sent("collective", sent):
        if set(range(span.start, span.end)) & taken:
            continue
        jid = ctx.dominant_of("country")
        if jid:
            country = ctx.ref.jurisdictions.get(jid, {}).get("name", jid)
            claim(Actor(key=f"collective:{jid}:{span.label_}", name=f"{span.label_.capitalize()} ({country})",
                        mention=ctx.text(max(sent.start, span.start - 2), span.end), kind="officials",
                        jurisdiction_id=jid, start=span.start, end=span.end, verified=False, generic=True))
    for span in lawmakers:
        if set(range(span.start, span.end)) & taken:
            continue
        actor = legislature_actor(ctx, ctx.dominant_of("country"), span.text, span.start, span.end)
        if actor:
            claim(actor)
    # "the bureau said", "the regulator ordered": a body the story has named before
    for span in ctx.in_sent("body_anaphor", sent):
        if set(range(span.start, span.end)) & taken:
            continue
        antecedent = antecedent_of(ctx, span, sent, actors)
        if antecedent is not None:
            actor = replace(antecedent, start=span.start, end=span.end)
            actor.via = "anaphor"
            claim(actor)
    actors.sort(key=lambda a: a.start)
    return actors


ANAPHOR_LOOKBACK = 8  # sentences: a definite description names a body of the last few sentences


def antecedent_of(ctx, span, sent, actors_here):
    """The body "the bureau" or "the regulator" refers to: the nearest actor before it whose name holds
    one of the anaphor's words ("bureau") or whose type it names (a regulator: dpa, regulator)."""
    words = [w for w in span.label_.split(",") if w and not w.startswith("kind=")]
    kinds = {w[5:] for w in span.label_.split(",") if w.startswith("kind=")}
    index = ctx.sentence_index(sent.start)
    earlier = [a for a in reversed(actors_here) if a.end <= span.start]
    for k in range(index - 1, max(-1, index - ANAPHOR_LOOKBACK - 1), -1):
        earlier += list(reversed(ctx.actors(ctx.sents[k])))
    for actor in earlier:
        if actor.generic and not kinds & {"national_government", "state_government"}:
            continue
        name = f"{actor.name} {actor.mention}".lower()
        if actor.kind in kinds or any(re.search(rf"\b{re.escape(w)}\b", name) for w in words):
            return actor
    return None


def place_body(ctx, span, sent):
    """"Kentucky Department of Education", "the Victorian education department": a body of the place named
    right before a reference name that belongs elsewhere (the U.S. Department of Education) is that
    place's own body, known to the reference under the full name or else new."""
    if span.start <= sent.start:
        return None
    places = [p for p in ctx.in_sent("jurisdiction", sent) if p.end == span.start or
              (p.end == span.start - 1 and ctx.lower[p.end] in {"'s", "’s"})]
    if not places:
        return None
    place = places[-1]
    agency = ctx.ref.agencies[span.kb_id_]
    if place.kb_id_ in ctx.ref.reference.jurisdiction_chain(ctx.ref.reference.jurisdiction_of(span.kb_id_) or place.kb_id_):
        return None  # "the U.S. Department of Education": the place is the body's own
    text = ctx.text(place.start, span.end)
    known = ctx.ref.reference.resolve("agencies", text, jurisdiction=place.kb_id_)
    if known:
        found = ctx.ref.agencies[known]
        return Actor(key=known, name=found["name"], mention=text, agency_id=known, kind=found.get("type"),
                     jurisdiction_id=found.get("jurisdiction"), start=place.start, end=span.end)
    return Actor(key=f"new:{slugify(text)}", name=text, mention=text, kind=agency.get("type"),
                 jurisdiction_id=place.kb_id_, start=place.start, end=span.end, verified=False)


MINISTRY_NOUNS = {"ministries": "ministry", "departments": "department", "agencies": "agency"}


def listed_ministries(ctx, sent):
    """"South Korea's foreign and trade ministries": one actor per ministry the list names."""
    out = []
    for position in sorted(p for p in ctx.ministry_nouns if sent.start <= p < sent.end):
        noun = MINISTRY_NOUNS[ctx.lower[position]]
        words, i = [], position - 1
        while i >= sent.start and (ctx.alpha[i] and ctx.is_lower[i] or ctx.lower[i] in {",", "and"}):
            if ctx.alpha[i] and ctx.lower[i] != "and":
                words.append(i)
            i -= 1
        if len(words) < 2:
            continue
        place = [j for j in ctx.spans("jurisdiction", max(sent.start, i - 3), i + 1)]
        jid = place[-1].kb_id_ if place else ctx.dominant_of("country")
        found = []
        for word in reversed(words):
            agency_id = None
            text = ctx.words[word]
            for phrase in (f"{text} {noun}", f"{noun} of {text}", f"{text} affairs {noun}"):
                agency_id = ctx.ref.reference.resolve("agencies", phrase, jurisdiction=jid)
                if agency_id:
                    break
                country = ctx.ref.country_of(jid)
                bare = [a for a in ctx.ref.reference.bare_names().get(phrase.lower(), [])
                        if ctx.ref.country_of(ctx.ref.agencies[a].get("jurisdiction")) == country]
                if len(bare) == 1:
                    agency_id = bare[0]
                    break
            if agency_id:
                agency = ctx.ref.agencies[agency_id]
                found.append(Actor(key=agency_id, name=agency["name"], mention=f"{text} {noun}",
                                   agency_id=agency_id, kind=agency.get("type"),
                                   jurisdiction_id=agency.get("jurisdiction"), start=word, end=word + 1))
        if len(found) >= 2:
            if place:  # the possessive place belongs to the list
                found[0].start = place[-1].start
            out.extend(found)
    return out


def legislature_actor(ctx, jurisdiction_id, mention, start, end):
    agency_id = ctx.ref.legislature_of(jurisdiction_id)
    if agency_id:
        agency = ctx.ref.agencies[agency_id]
        return Actor(key=agency_id, name=agency["name"], mention=mention, agency_id=agency_id,
                     kind=agency.get("type"), jurisdiction_id=agency.get("jurisdiction"), start=start, end=end)
    if not jurisdiction_id:
        return None
    name = f"Legislature of {ctx.ref.jurisdictions.get(jurisdiction_id, {}).get('name', jurisdiction_id)}"
    return Actor(key=f"legislature:{jurisdiction_id}", name=name, mention=mention, kind="legislature",
                 jurisdiction_id=jurisdiction_id, start=start, end=end, verified=False)


def ner_actor(ctx, span, sent):
    text = re.sub(r"^(?i:the)\s+", "", span.text).strip()
    text = re.sub(r"['’]s$", "", text).strip()
    if len(text) < 2 or text.lower() in GENERIC_ACTOR_WORDS or text.lower() in NOT_BODIES:
        return None
    if span.label_ in ("GPE", "NORP"):
        jid = ctx.ref.find_jurisdiction(text)
        if jid:
            return ctx.government_of(jid, span.text, span.start, span.end)
        if span.label_ == "NORP" or not LOCAL_GOVERNMENT_WORDS & set(text.lower().split()):
            return None  # "London", "Los Angeles": a place the reference does not know is where, not who
        return Actor(key=f"new:{slugify(text)}", name=text, mention=span.text, kind="local_government",
                     jurisdiction_id=ctx.dominant_of("country"), start=span.start, end=span.end, verified=False)
    if span.label_ == "PERSON":
        return None
    # an unknown body: its jurisdiction from a place named just before it or inside it, else the document's
    jid = None
    for j in ctx.spans("jurisdiction", max(sent.start, span.start - 3), min(sent.end, span.end + 3)):
        if j.end <= span.end or ctx.lower[span.end] in {"in", "of", "from"}:
            jid = j.kb_id_
    return Actor(key=f"new:{slugify(text)}", name=text, mention=span.text, kind="ORG",
                 jurisdiction_id=jid or ctx.dominant_of("country"), start=span.start, end=span.end,
                 verified=False)




# ---- triggers ----

def is_negated(ctx, trigger, sent):
    """'has not banned', 'no plans to ban', 'declined to restrict' cancel the measure."""
    window_start = max(sent.start, trigger.start - 4)
    for neg in ctx.spans("negation", window_start, trigger.start):
        if not any(w in {",", ";", ":"} for w in ctx.words[neg.end:trigger.start]):
            return True
    return False


def is_elsewhere(ctx, trigger, sent):
    """'similar restrictions', 'such bans': a measure someone else took, named for comparison."""
    return any(trigger.start - cue.end <= 1 for cue in ctx.spans("elsewhere", max(sent.start, trigger.start - 2),
                                                                  trigger.start))


def is_opinion(ctx, trigger):
    """'Lawmakers warned that DeepSeek gathers data': a view about a tool, not advice given to anyone."""
    return trigger.label_ == "warn" and trigger.end < len(ctx.lower) and ctx.lower[trigger.end] == "that"


NOT_NOUNS = BE_FORMS | PASSIVE_SKIP | {"and", "or", "but", "who", "which", "that", "the", "a", "an", "to", "of",
                                       "was", "were", "is", "are", "be", "as", "so", "then", "now", "it"}


def modifies_other_noun(ctx, trigger, sent):
    """'a state-owned company barred from operating here': the participle qualifies the noun before it,
    and the measure is on that thing, not on the AI tool named elsewhere in the sentence."""
    first = ctx.lower[trigger.start]
    i = trigger.start - 1
    if not first.endswith("ed") or i < sent.start:
        return False
    previous = ctx.lower[i]
    if not ctx.alpha[i] or not ctx.is_lower[i] or previous in NOT_NOUNS or previous.endswith("ly"):
        return False
    return not any(s.start <= i < s.end for g in ("tool", "anaphor", "staff", "scope", "agency", "jurisdiction",
                                                  "government") for s in ctx.in_sent(g, sent))


def is_passive(ctx, trigger, sent):
    first = ctx.lower[trigger.start]
    phrase = trigger.text.lower()
    if phrase.startswith(("not ", "may not", "must not", "cannot", "can not", "can't", "can no longer",
                          "no longer", "barred from", "off-limits", "off limits")):
        return True
    if not (first.endswith("ed") or first in {"forbidden", "barred", "banned", "shut", "cut", "put"}):
        return False
    i = trigger.start - 1
    while i >= sent.start and ctx.lower[i] in PASSIVE_SKIP - {"has", "have", "had", "will", "would"}:
        if _is_be(ctx, i):
            return True
        i -= 1
    if i >= sent.start and _is_be(ctx, i):
        return True
    # "the banned app", "a blocked service": a participle used as an adjective
    return i >= sent.start and ctx.lower[i] in {"the", "a", "an", "its", "their"}


def _is_be(ctx, i):
    """A form of 'be' or 'get'; "'s" only after a pronoun ("it's banned", not "the state's banned list")."""
    word = ctx.lower[i]
    if word in {"'s", "’s"}:
        return i > 0 and ctx.lower[i - 1] in {"it", "that", "he", "she", "there", "what", "who", "this"}
    return word in BE_FORMS


AFTER_CUES = {"looks likely", "likely to", "is set to", "are set to", "expected to", "proposed", "considering"}


def stage_of(ctx, trigger, sent, action):
    """Proposed when a proposal cue stands in the clause before the trigger (or right around it)."""
    enacted = ctx.in_sent("enactment", sent)
    start = max(sent.start, trigger.start - 10)
    cues = [c for c in ctx.spans("proposal", start, min(sent.end, trigger.end + 2))
            if not (c.start >= trigger.start and c.end <= trigger.end)]
    cues = [c for c in cues if not any(w in {";", "but", "while"} for w in ctx.lower[c.end:trigger.start])]
    # "may no longer be used", "may not install": a prohibition in force, not a possibility
    cues = [c for c in cues if not (c.text.lower() in {"may", "might", "could", "can"} and c.end < len(ctx.lower)
                                    and ctx.lower[c.end] in {"not", "no", "never", "n't"})]
    # "A ban on DeepSeek for government devices looks likely": a verdict on the measure after it
    cues += [c for c in ctx.spans("proposal", trigger.end, min(sent.end, trigger.end + 10))
             if c.text.lower() in AFTER_CUES and not any(w in {",", ";", ":", "."} for w in ctx.lower[trigger.end:c.start])]
    if action == "warn":  # a warning is a request: asking for caution is issuing it
        cues = [c for c in cues if c.text.lower() not in {"urge", "urges", "urged", "urging", "ask", "asks",
                                                          "asked", "asking", "call", "calls", "called",
                                                          "calling", "request", "requested", "requesting",
                                                          "asking for", "asked for", "calling for", "called for"}]
    if not cues:
        return "enacted"
    if enacted and any(e.start > cues[0].start or e.text.lower() in {"signed into law", "became law"} for e in enacted):
        return "enacted"
    return "proposed"


CONTRAST = {";", "while", "whereas", "but", "although", "though", "unlike", "except"}


def clause_of(ctx, trigger, sent):
    """The stretch of the sentence a trigger governs: contrastive clauses ("..., while ChatGPT was not
    restricted") are kept apart."""
    start, end = sent.start, sent.end
    for i in ctx.positions_in(CONTRAST, sent.start, sent.end):
        if i < trigger.start:
            start = i
        elif i >= trigger.end:
            end = i
            break
    return start, end


def left_available(ctx, tool, sent):
    """"...left other services, such as ChatGPT, available to staff": a tool the measure spares."""
    after = ctx.lower[tool.end:min(sent.end, tool.end + 4)]
    before = ctx.lower[max(sent.start, tool.start - 8):tool.start]
    return bool({"available", "allowed", "permitted", "accessible", "unaffected", "exempt"} & set(after)) and \
        bool({"left", "leaving", "leaves", "remain", "remains", "remained", "still", "except", "exempting"} & set(before))


ORDER_VERBS = {"ordered", "orders", "order", "told", "tells", "required", "requires", "forced", "directed",
               "instructed", "compelled"}


def tools_for(ctx, trigger, sent, sent_index):
    """The AI tools a trigger acts on: named in its clause, listed after it, or the focus tool."""
    start, end = clause_of(ctx, trigger, sent)
    tools = ctx.spans("tool", start, end)
    if not tools and start > sent.start:
        tools = ctx.spans("tool", sent.start, start)
    tools = [t for t in tools if not left_available(ctx, t, sent)]
    if tools:
        return [(t.kb_id_, t.text) for t in tools], 1.0
    if ctx.in_sent("tool", sent):
        return [], 0.0  # the sentence names tools, but in another clause
    # a list introduced by the sentence ("...the following apps:" then one item per line)
    if ":" in ctx.words[max(sent.start, sent.end - 3):sent.end]:
        listed = []
        for nxt in ctx.sents[sent_index + 1:sent_index + 40]:
            if len(nxt) > 12:
                break
            listed.extend((t.kb_id_, t.text) for t in ctx.in_sent("tool", nxt))
        if listed:
            return listed, 0.9
    # "...urged people to be on alert when using Chinese AI apps." then "Its inspections of five apps --
    # DeepSeek, Doubao, ...": a class of tools whose members the next sentence lists
    if ctx.spans("anaphor", start, end) and sent_index + 1 < len(ctx.sents):
        following = ctx.sents[sent_index + 1]
        listed = {t.kb_id_: t.text for t in ctx.in_sent("tool", following)}
        if len(listed) >= 2 and same_paragraph_or_next(ctx, sent_index):
            return list(listed.items()), 0.8
    vendors = [v for v in ctx.spans("vendor", start, end) if ctx.ref.flagship_tool(v.kb_id_)]
    if vendors and ctx.spans("anaphor", start, end):
        # "suspend Meta's use of personal data to train its AI": the vendor's AI product
        return [(ctx.ref.flagship_tool(v.kb_id_), v.text) for v in vendors[:1]], 0.7
    for v in vendors:
        # "the regulator ordered OpenAI to stop processing...": an order to the vendor is on its product
        if v.end <= trigger.start <= v.end + 4 and v.start > sent.start and ctx.lower[v.start - 1] in ORDER_VERBS:
            return [(ctx.ref.flagship_tool(v.kb_id_), v.text)], 0.7
    if ctx.focus_tools and ctx.spans("anaphor", start, end) and not ctx.in_sent("other_product", sent):
        tool_id = ctx.focus_tools[0]
        return [(tool_id, ctx.ref.tools.get(tool_id, {}).get("name") or tool_id.partition(":")[2])], 0.6
    return [], 0.0


def same_paragraph_or_next(ctx, index):
    """The sentence after `index` follows it directly (at most one line break between them)."""
    between = ctx.text(ctx.sents[index].end - 1, ctx.sents[index + 1].start + 1)
    return between.count("\n") <= 2


def object_of_lift(ctx, trigger, triggers):
    if trigger.label_ == "lift":
        return False
    for other in triggers:
        if other.label_ == "lift" and other.end <= trigger.start <= other.end + 3 and \
                all(w in {"its", "the", "a", "their", "his", "her", "this", "that"} for w in ctx.lower[other.end:trigger.start]):
            return True
    return False


def close_tools(ctx, trigger, sent, tools):
    """Only the tools right by a "close" trigger: "delete DeepSeek", "the app must be uninstalled"."""
    start, end = max(sent.start, trigger.start - 4), min(sent.end, trigger.end + 4)
    if ctx.spans("anaphor", start, end):
        return tools
    near = {t.kb_id_ for t in ctx.spans("tool", start, end)}
    return [t for t in tools if t[0] in near]


URGING = {"urged", "urging", "urges", "urge", "asked", "asking", "asks", "pressed", "pressing", "petitioned",
          "implored", "encouraged", "called", "calling", "calls"}


def urged_addressee(ctx, actor, trigger):
    """"...urged Google and Apple to remove it": whom a call is made to does not act."""
    before = ctx.lower[max(0, actor.start - 6):actor.start]
    urging = [i for i, w in enumerate(before) if w in URGING]
    between = ctx.lower[actor.end:trigger.start]
    # the urging word, then only the names it addresses ("urged Google and Apple to ...")
    return bool(urging) and "to" in between and len(between) <= 8 and \
        not any(w in {";", ".", "to", "that"} for w in before[urging[-1] + 1:])


RECIPIENT_BEFORE = {"to", "told", "asked", "urged", "instructed", "directed", "ordered", "notified", "informed"}


def agents_for(ctx, trigger, sent, actors, passive):
    """The actors of one trigger (see the module docstring, rule 3)."""
    if not actors:
        return [], ""
    # "banned by X", "a ban issued by X"
    for actor in actors:
        if trigger.end <= actor.start <= trigger.end + 6:
            between = ctx.lower[trigger.end:actor.start]
            if "by" in between and not any(w in {";", "."} for w in between):
                return [actor], "by"
    left = [a for a in actors if a.end <= trigger.start and a.via != "locative"
            and not urged_addressee(ctx, a, trigger)]
    # "the Navy, which banned it": the antecedent of a relative pronoun right before the trigger
    if left:
        nearest = left[-1]
        between = ctx.lower[nearest.end:trigger.start]
        if ("which" in between or "who" in between) and len(between) <= 8:
            return [nearest], "relative"
    holders = [a for a in actors if is_holder(ctx, a, sent)]
    if passive and holders:
        return holders[:1], "holder"
    clause_left = []
    for n, actor in enumerate(reversed(left)):
        between = ctx.lower[actor.end:trigger.start]
        if any(w in CLAUSE_BREAKS for w in between):
            break
        if actor.start > sent.start and ctx.lower[actor.start - 1] in RECIPIENT_BEFORE and n + 1 < len(left) \
                and not any(w in CLAUSE_BREAKS for w in ctx.lower[left[-n - 2].end:actor.start]):
            continue  # "the ministry wrote to central agencies asking...": the writer acts, not the addressee
        clause_left.append(actor)
        break
    if clause_left:
        chosen = clause_left[0]
        # "X ordered Y to block": the one who gave the order acts
        order_giver = order_giver_of(ctx, chosen, trigger, sent, left)
        if order_giver is not None:
            chosen = order_giver
        group = without_descendants(ctx, [chosen] + coordinated(ctx, chosen, left))
        if passive and len(group) == 1 and not speaker(ctx, chosen, sent) and holders:
            return holders[:1], "holder"
        # "Queensland and Tasmania have joined New South Wales in banning": the joiners act too
        joiners = joined_by(ctx, group, left)
        return without_descendants(ctx, group + joiners), "subject"
    if passive:
        # "MODA said workers would be banned": the speaker; "banned in Italy": where
        for actor in left:
            if speaker(ctx, actor, sent):
                return [actor], "speaker"
        # "DeepSeek may no longer be used ..., the government said": a speaker after a comma
        for actor in actors:
            if actor.start > trigger.end and "," in ctx.lower[trigger.end:actor.start] \
                    and actor.via != "locative" and speaker(ctx, actor, sent):
                return [actor], "speaker"
        locative = [a for a in actors if a.start >= trigger.end and a.via == "locative"
                    and a.start - trigger.end <= 3]
        if locative:
            return locative[:1], "locative"
    if holders:
        return holders[:1], "holder"
    # "ChatGPT is back online in Italy": where the measure holds, when nobody is named
    locative = [a for a in actors if a.via == "locative" and 0 <= a.start - trigger.end <= 4]
    if locative:
        return locative[:1], "locative"
    return [], ""


JOINING = {"joined", "joins", "join", "joining", "followed", "follows", "following", "after"}


def joined_by(ctx, group, left):
    """Actors before `group` whose verb joins them to it: "Queensland and Tasmania have joined NSW in
    banning..." (the subject of "joined" acts as the body it joins)."""
    first = min(group, key=lambda a: a.start)
    earlier = [a for a in left if a.end <= first.start]
    if not earlier:
        return []
    nearest = earlier[-1]
    between = ctx.lower[nearest.end:first.start]
    if not (set(between) & JOINING) or any(w in CLAUSE_BREAKS - {"after"} or w in {".", ":"} for w in between) \
            or len(between) > 8:
        return []
    return [nearest] + coordinated(ctx, nearest, left)


def followers_of(ctx, trigger, sent, actors):
    """"WA is the latest state to ban ChatGPT, following New South Wales, Queensland and Tasmania":
    the bodies named after "following" (or "after", "joining") took the measure before."""
    cues = [i for i in ctx.positions_in(JOINING | {"like"}, trigger.end, min(sent.end, trigger.end + 12))]
    if not cues:
        return []
    cue = cues[0]
    after = [a for a in actors if cue < a.start <= cue + 3]
    if not after:
        return []
    first = after[0]
    group = [first]
    for other in [a for a in actors if a.start > first.end]:
        between = ctx.lower[group[-1].end:other.start]
        if between and all(w in COORDINATION or not w.strip() for w in between):
            group.append(other)
        else:
            break
    return group


def without_descendants(ctx, actors):
    """'Governor Rhoden and the state's IT bureau banned...': one measure, by the government the bureau
    belongs to. (The Pentagon and the Navy, by contrast, each take measures of their own.)"""
    governments = {a.key for a in actors if a.kind in ("national_government", "state_government")}
    out, seen = [], set()
    for actor in actors:
        if actor.key in seen:
            continue
        if actor.agency_id and governments & set(ctx.ref.reference.ancestors(actor.agency_id)):
            continue
        seen.add(actor.key)
        out.append(actor)
    return out


def is_holder(ctx, actor, sent):
    """'NASA employees', 'staff at the Commerce Department', 'Senate devices', 'Treasury-issued laptops'."""
    nouns = ctx.in_sent("staff", sent) + ctx.in_sent("scope", sent)
    for noun in nouns:
        gap = ctx.lower[actor.end:noun.start]
        if actor.end <= noun.start and (len(gap) == 0 or all(
                w in HOLDER_SUFFIXES or w in {"'s", "’s", "-"} for w in gap) and len(gap) <= 3):
            return True
        if noun.end <= actor.start:
            gap = ctx.lower[noun.end:actor.start]
            if 1 <= len(gap) <= 2 and gap[0] in HOLDER_LINKS and all(w in HOLDER_LINKS | {"the", "all"} for w in gap):
                return True
    return False


def speaker(ctx, actor, sent):
    window = ctx.lower[actor.end:min(sent.end, actor.end + 3)]
    if any(w in {"said", "says", "announced", "confirmed", "stated", "told", "notified", "informed",
                 "wrote", "explained", "added", "noted", "according"} for w in window):
        return True
    return "according" in ctx.lower[max(sent.start, actor.start - 4):actor.start]


def order_giver_of(ctx, actor, trigger, sent, left):
    if not (trigger.start >= 1 and ctx.lower[trigger.start - 1] == "to"):
        return None
    for order in ctx.in_sent("order_verb", sent):
        if order.end <= actor.start and actor.start - order.end <= 3:
            givers = [a for a in left if a.end <= order.start]
            if givers:
                return givers[-1]
    return None


def coordinated(ctx, actor, left):
    """Actors listed with this one: 'NASA, the Navy and the Pentagon'."""
    group = []
    current = actor
    for other in reversed([a for a in left if a.end <= actor.start]):
        between = ctx.lower[other.end:current.start]
        if between and all(w in COORDINATION or not w.strip() for w in between) \
                or _parenthetical(ctx.text(other.end, current.start)):
            group.append(other)
            current = other
        else:
            break
    return group


def _parenthetical(text):
    text = text.strip()
    return bool(re.fullmatch(r"\([^)]{1,12}\)\s*(,|and)?", text))


# ---- dates ----

def date_candidates(ctx, sent, trigger=None, after=0):
    """Dates of a sentence scored for one trigger: a date belongs to its nearest trigger, and one
    across a relative clause ("..., which banned it last week") belongs to that clause."""
    out = []
    triggers = ctx.in_sent("trigger", sent)
    for span in ctx.in_sent("date", sent):
        if span.start < after:
            continue
        before = set(ctx.lower[max(sent.start, span.start - 3):span.start])
        if before & DATE_SKIP_BEFORE:
            continue
        if ctx.dateline and ctx.dateline[0] <= ctx.idx[span.start] < ctx.dateline[1]:
            continue
        resolved = datemod.resolve(span.label_, span.text, ctx.published, ctx.default_year, ctx.not_before)
        if not resolved:
            continue
        iso, precision = resolved
        if ctx.not_before and iso < ctx.not_before.isoformat()[:len(iso)]:
            continue  # no measure predates the tool it acts on: this date is about something else
        score = 2.0
        if trigger is not None:
            distance = _gap(span, trigger)
            score = 3.0 - min(distance, 30) / 10
            nearest = min(triggers, key=lambda t: _gap(span, t)) if triggers else trigger
            if nearest is not trigger and _gap(span, nearest) < distance:
                score -= 1.5
            lo, hi = sorted((span.end, trigger.start)) if span.end <= trigger.start else sorted((trigger.end, span.start))
            if any(w in {"which", "who", ";"} for w in ctx.lower[lo:hi]):
                score -= 1.5
            if any(w in {"while", "whereas", "but"} for w in ctx.lower[lo:hi]):
                continue  # "X banned it, while Y acted on Wednesday": the date is Y's
        if before & {"on", "as", "effective", "from", "since", "starting", "beginning", "until", "dated"}:
            score += 0.3
        if precision == "day":
            score += 0.2
        out.append((iso, precision, span.text, score))
    return out


def _gap(a, b):
    return max(0, b.start - a.end, a.start - b.end)


# ---- the whole document ----

def find_events(ctx):
    mentions = []
    title_actor = None
    last_actors = []
    for index, sent in enumerate(ctx.sents):
        triggers = ctx.in_sent("trigger", sent)
        actors = ctx.actors(sent) if triggers else []
        found_here = []
        for trigger in triggers:
            if is_negated(ctx, trigger, sent) or is_elsewhere(ctx, trigger, sent) or is_opinion(ctx, trigger) \
                    or modifies_other_noun(ctx, trigger, sent):
                continue
            if any(trigger.start >= s.start and trigger.end <= s.end
                   for g in ("tool", "agency", "vendor") for s in ctx.in_sent(g, sent)):
                continue  # "Block" inside a name
            tools, tool_weight = tools_for(ctx, trigger, sent, index)
            if trigger.kb_id_ == "close":
                tools = close_tools(ctx, trigger, sent, tools)
            if not tools:
                continue
            passive = is_passive(ctx, trigger, sent)
            agents, via = agents_for(ctx, trigger, sent, actors, passive)
            weak = trigger.kb_id_ == "weak"
            if not agents and not weak:
                fallback = ctx.authors().get(index) or (last_actors[:1] if last_actors else None) or \
                    ([title_actor] if title_actor else None)
                if fallback:
                    agents, via = list(fallback), "context"
            if not agents:
                continue
            if via == "subject":
                followers = [a for a in followers_of(ctx, trigger, sent, actors) if a not in agents]
            else:
                followers = []
            agents = [education_body_of(ctx, a, sent) for a in agents]
            action = trigger.label_
            stage = stage_of(ctx, trigger, sent, action)
            in_title = ctx.is_title(sent)
            weight = tool_weight * (0.5 if weak else 1.0) * (0.6 if via == "context" else 1.0)
            # "lifted the suspension it imposed in July": the lift's date is not the suspension's
            dates = date_candidates(ctx, sent, trigger, after=trigger.end if object_of_lift(ctx, trigger, triggers) else 0)
            best_date = max(dates, key=lambda d: d[3]) if dates else None
            scope = [scope_phrase(ctx, s, sent) for s in ctx.in_sent("scope", sent)]
            for actor, actor_via in [(a, via) for a in agents] + [(education_body_of(ctx, a, sent), "following")
                                                                   for a in followers]:
                for tool_id, tool_text in tools:
                    if is_own_product(ctx, actor, tool_id):
                        continue
                    mentions.append(Mention(actor=actor, tool_id=tool_id, tool_mention=tool_text, action=action,
                                            stage=stage, weight=weight * (1.5 if in_title else 1.0),
                                            sentence=sent, trigger=trigger, in_title=in_title,
                                            date=best_date if actor_via != "following" else None,
                                            scope=scope, via=actor_via))
            found_here.extend(a for a in agents if via != "context")
        # a sentence naming bodies without a measure keeps the context
        if found_here:
            last_actors = found_here
            if ctx.is_title(sent) and title_actor is None:
                title_actor = found_here[0]
    return mentions


def education_body_of(ctx, actor, sent):
    """A government acting on its schools ("banned in Western Australia's public schools") acts through
    the body that runs them: its education department, when the reference data knows it."""
    if actor.kind not in ("national_government", "state_government") or not ctx.in_sent("school", sent):
        return actor
    body = ctx.ref.education_body(actor.jurisdiction_id)
    if body is None:
        return actor
    agency = ctx.ref.agencies[body]
    return Actor(key=body, name=agency["name"], mention=actor.mention, agency_id=body, kind=agency.get("type"),
                 jurisdiction_id=agency.get("jurisdiction"), start=actor.start, end=actor.end)


def is_own_product(ctx, actor, tool_id):
    """A vendor restricting its own product (Meta pausing Meta AI) is product news, not a measure on it."""
    key = (actor.name, actor.mention, tool_id)
    if key not in ctx._own_product:
        ctx._own_product[key] = _is_own_product(ctx, actor, tool_id)
    return ctx._own_product[key]


def _is_own_product(ctx, actor, tool_id):
    vendor_id = ctx.ref.tools.get(tool_id, {}).get("vendor")
    chain = [vendor_id]
    while chain[-1] and ctx.ref.vendors.get(chain[-1], {}).get("parent"):
        chain.append(ctx.ref.vendors[chain[-1]]["parent"])
    names = {fold_name(n) for v in chain if v for n in ctx.ref.names(ctx.ref.vendors[v])}
    return fold_name(actor.name) in names or fold_name(actor.mention) in names


def fold_name(text):
    return name_words(text).replace(" inc", "")


def scope_phrase(ctx, span, sent):
    """'devices' -> 'agency devices', 'laptops' -> 'student laptops': the words modifying a scope noun."""
    start = span.start
    while start - 1 >= max(sent.start, span.start - 3):
        i = start - 1
        if ctx.stop[i] or ctx.punct[i] or ctx.digit[i] or not (ctx.alpha[i] or "-" in ctx.words[i]) \
                or ctx.lower[i] in {"on", "all", "from", "using", "use", "its", "their", "any"}:
            break
        if any(s.start <= i < s.end for g in ("tool", "trigger") for s in ctx.in_sent(g, sent)):
            break
        start -= 1
    return ctx.text(start, span.end)


def measure_authors(ctx):
    """Sentences naming who issued the measure: 'a memo from X', 'X's directive', 'issued by X'."""
    authors = {}
    for index, sent in enumerate(ctx.sents):
        nouns = ctx.in_sent("measure_noun", sent)
        if not nouns:
            continue
        actors = None
        for noun in nouns:
            actors = actors if actors is not None else ctx.actors(sent)
            for actor in actors:
                after = ctx.lower[noun.end:actor.start] if actor.start >= noun.end else None
                before = ctx.lower[actor.end:noun.start] if actor.end <= noun.start else None
                if after is not None and len(after) <= 5 and any(w in AUTHOR_LINKS for w in after):
                    authors[index] = [actor]
                elif before and len(before) <= 2 and all(w in {"'s", "’s"} or not w.strip() for w in before):
                    authors[index] = [actor]
                elif before and len(before) <= 3 and before[0] in ANNOUNCING and \
                        all(w in ANNOUNCING or w in {"the", "a", "an", "this", "its", "their"} for w in before):
                    authors[index] = [actor]  # "Minister Tony Burke announced the ban on Tuesday"
    # an author names the measure for its own sentence and the next two
    spread = {}
    for index, actor in sorted(authors.items()):
        for k in range(index, index + 3):
            spread.setdefault(k, actor)
    return spread
