"""Who acts: the bodies a sentence names, and which of them took the measure a trigger states.

Two steps. sentence_actors(ctx, sent) lists every possible actor a sentence names, left to right,
without overlaps: each finder below adds one kind (listed ministries, reference agencies, office
holders, places acting through their government, "the federal government", "Gov. X", bodies the
statistical NER found, officeholders acting together, lawmakers, "the bureau" naming a body named
before). agents_for(ctx, trigger, sent, actors, passive) then picks the trigger's actors (rule 3 of
pipeline/events.py): the "by X" agent, the antecedent of "which"/"who", the holders of the staff or
devices of a passive, the nearest actor to its left in the clause with those coordinated with it,
the speaker, or where the measure holds.
"""
import itertools
import re
from dataclasses import replace

from banwatch.lexicon import words
from banwatch.names import slugify
from pipeline.components import (COMMON_CAPITALISED, HOLDER_TITLES, KNOWN_NAME_GROUPS, PLACE_PREPOSITIONS,
                                 is_title_case_headline)
from pipeline.context import NOT_AGENT_BEFORE, POSSESSIVE, Actor, only_described
from pipeline.reference import fold_name

CLAUSE_BREAKS = words("clause_break") | {";", "—", "–"}
COORDINATION = words("coordination") | {",", "&"}
LOCATIVE = words("locative")
HOLDER_LINKS = words("holder_link")
HOLDER_SUFFIXES = words("holder_suffix") | {"-"}
TITLE_PREFIXES = words("title_prefix")
LEADER_TITLES = words("holder_title")  # "Governor", "General": a post, not a word of a body's name
# Capitalised words statistical NER takes for organisations that are never a body that acts.
NOT_BODIES = words("not_body")
LOCAL_GOVERNMENT_WORDS = words("local_government")
GOVERNMENT_WORDS = words("government_word")
GENERIC_ACTOR_WORDS = words("generic_actor")
NOT_GOVERNMENT_ALONE = words("not_government_alone")
DEFINITE_GOVERNMENT = words("definite_government")
NER_PLACE_LINKS = words("ner_place_link")
ADDRESSEE_END = words("addressee_end") | {";", "."}
HOLDER_DETERMINERS = words("holder_determiner")
SPEECH_VERBS = words("speech_verb")
HOLDER_GAP_WORDS = HOLDER_LINKS | HOLDER_DETERMINERS
NATIONAL_LEVEL = words("national_level")
STATE_LEVEL = words("state_level")
LOCAL_LEVEL = words("local_level")
RELATIVE_PRONOUNS = words("relative_pronoun")
ARTICLES = words("article")
LEGISLATIVE_NOUNS = words("legislative_noun")
REGULATOR_PLURALS = words("regulator_plural")
REGULATOR_SINGULARS = words("regulator_noun") | words("regulator_title")
PRIVACY_WORDS = {w for topic in words("regulator_topic") for w in topic.split()}
BILL_OPENERS = words("bill_opener")  # what may stand before the bill: "This bill", "The proposed legislation"


def actors_in(ctx, sent):
    """sentence_actors, once per sentence."""
    found = ctx.actors_cache.get(sent.start)
    if found is None:
        found = ctx.actors_cache[sent.start] = sentence_actors(ctx, sent)
    return found


def body_actor(ctx, agency_id, mention, start, end, generic=False):
    """A body of the reference data, named by `mention` at tokens start..end."""
    agency = ctx.ref.agencies[agency_id]
    return Actor(key=agency_id, name=agency["name"], mention=mention, agency_id=agency_id, kind=agency.get("type"),
                 jurisdiction_id=agency.get("jurisdiction"), start=start, end=end, generic=generic)


def new_body(name, mention, kind, jurisdiction_id, start, end):
    """A body the reference does not know, keyed by its name (an unverified entity in the KB)."""
    return Actor(key=f"new:{slugify(name)}", name=name, mention=mention, kind=kind, jurisdiction_id=jurisdiction_id,
                 start=start, end=end, verified=False)


def agency_actor(ctx, span, mention=None):
    generic = ctx.ref.agencies[span.kb_id_].get("type") == "national_government"
    return body_actor(ctx, span.kb_id_, mention or span.text, span.start, span.end, generic=generic)


def government_of(ctx, jurisdiction_id, mention, start, end):
    """The government of a jurisdiction: its reference entry, or a new, unverified one."""
    if not jurisdiction_id:
        return None
    jur = ctx.ref.jurisdictions.get(jurisdiction_id, {})
    agency_id = ctx.ref.government_of(jurisdiction_id)
    if agency_id:
        return body_actor(ctx, agency_id, mention, start, end, generic=True)
    name = f"Government of {jur.get('name', jurisdiction_id)}"
    return Actor(key=f"government:{jurisdiction_id}", name=name, mention=mention, kind="government",
                 jurisdiction_id=jurisdiction_id, start=start, end=end, generic=True, verified=False)


def legislature_actor(ctx, jurisdiction_id, mention, start, end):
    agency_id = ctx.ref.legislature_of(jurisdiction_id)
    if agency_id:
        return body_actor(ctx, agency_id, mention, start, end)
    if not jurisdiction_id:
        return None
    name = f"Legislature of {ctx.ref.jurisdictions.get(jurisdiction_id, {}).get('name', jurisdiction_id)}"
    return Actor(key=f"legislature:{jurisdiction_id}", name=name, mention=mention, kind="legislature",
                 jurisdiction_id=jurisdiction_id, start=start, end=end, verified=False)


class SentenceActors:
    """The actors found in one sentence so far, in the order found, and the tokens they cover: a token
    belongs to the first actor that claims it."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.actors = []
        self.taken = set()

    def covers(self, span):
        return not self.taken.isdisjoint(range(span.start, span.end))

    def claim(self, actor):
        ctx = self.ctx
        span_tokens = set(range(actor.start, actor.end))
        if span_tokens & self.taken:
            return
        if ctx.dateline and ctx.dateline[0] <= ctx.idx[actor.start] < ctx.dateline[1]:
            return  # "ROME, March 31 (Reuters) -": where the story was filed
        if names_a_bill(ctx, actor):
            return  # "House Bill 1062", "Senate Resolution 12": a bill's name, not the chamber acting
        # "the South Dakota Bureau of Information and Telecommunications (BIT)": one mention
        for other in self.actors:
            gap = ctx.words[other.end:actor.start]
            if other.key == actor.key and other.end <= actor.start and len(gap) <= 1 and all(w == "(" for w in gap):
                self.taken.update(span_tokens)
                return
        self.taken.update(span_tokens)
        self.actors.append(actor)


BILL_TITLE_WORDS = words("bill_title_word")  # "Bill", "Substitute": after a chamber, a bill's name


def names_a_bill(ctx, actor):
    """"House Bill 1062", "Senate Substitute for House Bill No. 2313": a chamber's name opening a bill's
    (not "the Department of Defense Joint Artificial Intelligence Center")."""
    i = actor.end
    return (actor.kind == "legislature" or ctx.lower[i - 1] in CHAMBER_WORDS) and i < len(ctx.words) \
        and ctx.is_title_case[i] and ctx.lower[i] in BILL_TITLE_WORDS


def sentence_actors(ctx, sent):
    """Every possible actor named in a sentence, left to right, without overlaps."""
    found = SentenceActors(ctx)
    for finder in ACTOR_FINDERS:
        finder(ctx, sent, found)
    found.actors.sort(key=lambda a: a.start)
    return found.actors


def _tokens(spans):
    return {i for s in spans for i in range(s.start, s.end)}


def find_listed_ministries(ctx, sent, found):
    """First: "South Korea's foreign and trade ministries" are the ministries, not the government."""
    for actor in listed_ministries(ctx, sent):
        found.claim(actor)


def find_place_regulators(ctx, sent, found):
    """"the privacy authorities of Quebec, British Columbia and Alberta", "Dutch and French data
    regulators", "the data protection commissioner of Hesse": each place's data protection authority,
    not its government."""
    # every place: is_origin would read "Hesse's data protection ..." as where some data come from
    places = {p.start: p for p in ctx.in_sent("jurisdiction", sent)}
    agencies = ctx.in_sent("agency", sent)
    for noun in ctx.positions_in(REGULATOR_PLURALS | REGULATOR_SINGULARS, sent.start, sent.end):
        single = ctx.lower[noun] not in REGULATOR_PLURALS
        topic = noun
        while topic > sent.start and ctx.lower[topic - 1] in PRIVACY_WORDS:
            topic -= 1
        if topic == noun and not (single and about_privacy(ctx)):
            continue  # "regulators" alone may be any kind; "Italy's watchdog" in a privacy story is its DPA
        if noun + 1 < sent.end and ctx.lower[noun + 1] == "of":
            listed = _place_chain(ctx, places, noun + 2, sent.end)[:1 if single else None]
        else:
            by_end = {p.end: p for p in places.values()}
            listed, i = [], topic - (topic > sent.start and ctx.lower[topic - 1] in POSSESSIVE)
            while i in by_end:
                listed.insert(0, by_end[i])
                i = by_end[i].start
                while i > sent.start and ctx.lower[i - 1] in PLACE_LIST_JOINERS and not single:
                    i -= 1
            if not listed and single:
                home_regulator(ctx, topic, noun, sent, found)
        for place in listed:
            body = ctx.ref.data_protection_authority(place.kb_id_)
            if body:
                # one body: the whole phrase is its mention; a list: each place stands for its own
                start, end = (min(topic, place.start), max(noun + 1, place.end)) if single else (place.start, place.end)
                if any(a.start < end and a.end > start and (a.start < start or a.end > end) for a in agencies):
                    # part of a body's longer name: "the Information and Privacy Commissioner of Alberta",
                    # "Quebec's Commission d'accès à l'information"
                    continue
                found.claim(body_actor(ctx, body, ctx.text(start, end), start, end))


def about_privacy(ctx):
    """The story gives data privacy as a reason somewhere (read once per document)."""
    if ctx.about_privacy is None:
        ctx.about_privacy = any(r.label_ == "data_privacy" for r in ctx.spans("reason"))
    return ctx.about_privacy


PLACE_LIST_JOINERS = {",", "and", "&"}
HOME_PLACES = words("home_place")


def home_regulator(ctx, topic, noun, sent, found):
    """"the country's data protection authority", "Italy ... its privacy watchdog": the data protection
    authority of the country in view."""
    if topic - 1 >= sent.start and ctx.lower[topic - 1] in PLACE_PRONOUNS:
        start = topic - 1
        if not owned_by_a_place(ctx, start, sent):
            return  # "Microsoft said its data protection officer ...": a company's
    elif topic - 2 >= sent.start and ctx.lower[topic - 2] in HOME_PLACES and ctx.lower[topic - 1] in POSSESSIVE:
        start = topic - 2 - (topic - 3 >= sent.start and ctx.lower[topic - 3] in ARTICLES)
    else:
        return
    country = country_in_view(ctx, start, sent)
    body = ctx.ref.data_protection_authority(country) if country else None
    if body:
        found.claim(body_actor(ctx, body, ctx.text(start, noun + 1), start, noun + 1))


PLACE_PRONOUNS = {"its"}  # "Italy ... its data protection authority"
OWNER_GROUPS = ("jurisdiction", "agency", "vendor", "body_anaphor", "ner")


def owned_by_a_place(ctx, i, sent):
    """The nearest name "its" at token i may point back to, in its sentence or else the one before in its
    paragraph, is a place ("Italy became the first ... after its data protection authority")."""
    index = ctx.sentence_index(sent.start)
    for start, end in [(sent.start, i)] + ([(ctx.sents[index - 1].start, ctx.sents[index - 1].end)] if index else []):
        owners = [s for g in OWNER_GROUPS for s in ctx.spans(g, start, end)]
        if owners:
            last = max(owners, key=lambda s: (s.end, s.label_ == "jurisdiction"))
            return last.label_ == "jurisdiction" or last.label_ == "agency" and \
                ctx.ref.agencies.get(last.kb_id_, {}).get("type") == "national_government"
    return False


def country_in_view(ctx, i, sent):
    """The country "the country's" at token i means: the last one named before it in its sentence or in
    the two before ("Italy was first. In 2023 the country's data protection authority ..."), not where
    something is ("servers in China") nor a comparison ("unlike Italy"); else the story's (a round-up
    moves from country to country)."""
    index = ctx.sentence_index(sent.start)
    spans = [(sent.start, i)] + [(ctx.sents[k].start, ctx.sents[k].end) for k in (index - 1, index - 2) if k >= 0]
    for start, end in spans:
        places = [p for p in ctx.spans("jurisdiction", start, end) if not ctx.is_origin(p)
                  and not (p.start > start and ctx.lower[p.start - 1] in NOT_AGENT_BEFORE)]
        if places:
            return ctx.ref.country_of(places[-1].kb_id_)
    return ctx.dominant_of("country")


def _place_chain(ctx, places, i, end):
    """The places listed from token i on: "Quebec, British Columbia and Alberta"."""
    listed = []
    while i < end and i in places:
        listed.append(places[i])
        i = places[i].end
        while i < end and ctx.lower[i] in PLACE_LIST_JOINERS:
            i += 1
    return listed


BODY_NAME_NOUNS = words("body_name_noun")  # "Department", "Office": what heads a body's proper name
PLACE_INSTITUTIONS = words("place_institution")  # "Bangladesh Bank": a body named by its place and its head
POSSESSIVE_MARKS = {"'s", "’s"}


def find_place_named_bodies(ctx, sent, found):
    """"The NSW Department of Customer Service", "Bangladesh Bank", "Tennessee's Department of Finance and
    Administration": a place's body named in full, by the reference if it knows the name, else a new body of
    that place (not the place's government, which "NSW" alone would be)."""
    for place in ctx.in_sent("jurisdiction", sent):
        i = place.end
        owned = i < sent.end and ctx.words[i] in POSSESSIVE_MARKS
        i += owned
        if not owned and i < sent.end and ctx.lower[i] not in BODY_NAME_NOUNS | PLACE_INSTITUTIONS \
                and not ctx.is_origin(place):
            named = qualified_body_end(ctx, i, sent) or office_title_end(ctx, i, sent)
            if named and not set(range(place.start, named)) & found.taken:
                # "The Texas Lottery Commission", "the Washington State Auditor's Office": a body of the
                # place with a name of its own, not the place's government that "Texas" alone would be
                mention = ctx.text(place.start, named)
                known = ctx.ref.reference.resolve("agencies", mention, jurisdiction=place.kb_id_) \
                    or agency_holding_words(ctx, place.kb_id_, ctx.lower[place.end:named])
                found.claim(body_actor(ctx, known, mention, place.start, named) if known else
                            new_body(mention, mention, "agency", place.kb_id_, place.start, named))
            continue
        if i >= sent.end or not ctx.is_title_case[i] or ctx.lower[i] not in BODY_NAME_NOUNS | PLACE_INSTITUTIONS \
                or ctx.is_origin(place) or owned and ctx.lower[i] in PLACE_INSTITUTIONS:
            continue
        if place.start - 2 >= sent.start and ctx.lower[place.start - 1] in NAME_LINKS \
                and ctx.is_title_case[place.start - 2]:
            continue  # "University of Idaho Office of ...": the place is inside a longer name
        end = court_name_end(ctx, i, sent, BODY_NAME_NOUNS) or i + 1
        if owned and any(a.start < end and a.end >= end or a.end <= place.start
                         or a.start >= end and not listed_right_after(ctx, end, a)
                         for a in ctx.in_sent("agency", sent)):
            # a reference name through its end is place_body's or straddled_body's to read; another body
            # named in the sentence is likelier its actor than a place's body the reference does not know,
            # unless listed with it ("Utah's Division of Consumer Protection and the FTC warned ...")
            continue
        if set(range(place.start, end)) & found.taken or end - i < 2 and (
                ctx.lower[i] not in PLACE_INSTITUTIONS or place.start > sent.start and ctx.is_title_case[place.start - 1]):
            continue  # (not "National Australia Bank": the place is inside a longer name, left to NER)
        mention, place_name, body_name = ctx.text(place.start, end), ctx.text(place.start, place.end), ctx.text(i, end)
        # "Tennessee's Department of ..." is named "Tennessee Department of ..."
        name = f"{place_name} {body_name}" if owned else mention
        # also as the reference may name it: "Office of the Privacy Commissioner of Canada", "Centre for
        # Cybersecurity Belgium"
        forms = (mention, name, f"{body_name} of {place_name}", f"{body_name} {place_name}")
        known = next(filter(None, (ctx.ref.reference.resolve("agencies", form, jurisdiction=place.kb_id_)
                                   for form in forms)), None)
        found.claim(body_actor(ctx, known, mention, place.start, end) if known else
                    new_body(name, mention, "agency", place.kb_id_, place.start, end))


def agency_holding_words(ctx, jurisdiction_id, name_words_):
    """The one reference body of the place whose name holds every word of a shortened name ("US Patent
    Office": the U.S. Patent and Trademark Office); None for none or several. The place's own bodies
    only: "Texas Comptroller's Office" is not the federal Office of the Comptroller of the Currency."""
    wanted = {w for w in name_words_ if w.isalpha()}
    hits = {agency_id for agency_id, agency in ctx.ref.agencies.items()
            if agency.get("jurisdiction") == jurisdiction_id
            and any(wanted <= set(name.lower().split()) for name in ctx.ref.names(agency))}
    return hits.pop() if len(hits) == 1 else None


PLACE_HEADS = words("place_head")  # "governor", "mayor": who acts for the place itself
# "Director", "Officer": posts companies have too ("California Pizza Kitchen Director"); a place's only with "Chief"
SHARED_TITLES = words("shared_title")
NOT_OFFICE_WORDS = PLACE_HEADS | TITLE_PREFIXES  # "Texas Governor ...": the place's head, no office of its own


def office_title_end(ctx, i, sent):
    """Where an office a place opens ends: "Texas Comptroller Glenn Hegar", "Washington State Auditor Pat
    McCarthy", "Virginia Secretary of Administration": capitalised words up to an office's title (and its
    "of ..."), before the holder's name or the verb; not a governor's, who acts for the place."""
    if not OFFICE_TITLES.intersection(ctx.lower[i:min(sent.end, i + 4)]):
        return None  # (most places are followed by no office: the people are read only when one is)
    k, end = i, None
    people = {p.start for p in ctx.in_sent("person", sent)} | \
        {name_start(ctx, p) for p in ctx.in_sent("ner", sent) if p.label_ == "PERSON"}
    while k < sent.end and k - i < 4 and ctx.is_title_case[k] and ctx.words[k].isalpha():
        if ctx.lower[k] in NOT_OFFICE_WORDS or k in people:
            break
        if ctx.lower[k] in OFFICE_TITLES and (ctx.lower[k] not in SHARED_TITLES or "chief" in ctx.lower[i:k]):
            end = k + 1
        k += 1
    if end is None or any(ctx.spans(group, i, end) for group in ("person", "tool", "vendor", "agency")):
        return None
    if end + 1 < sent.end and ctx.lower[end] == "of" and ctx.is_title_case[end + 1]:  # "Secretary of Administration"
        k = end + 1
        while k < sent.end and k - end <= 3 and ctx.is_title_case[k] and k not in people \
                and not (k > end + 1 and written_as_a_name(ctx, k, sent)):
            k += 1
        end = k if k > end + 1 else end
    following = ctx.words[end] if end < sent.end else ""
    return end if not following[:1].isupper() or end in people or written_as_a_name(ctx, end, sent) else None


def name_start(ctx, person):
    """Where a person's name begins, past the title NER took in ("Treasurer Robert Sprague")."""
    i = person.start
    while i < person.end - 1 and ctx.lower[i] in HOLDER_TITLES:
        i += 1
    return i


def written_as_a_name(ctx, i, sent):
    """Two or three capitalised words and then a word in lower case: "Pat McCarthy issued ..." (a name
    statistical NER missed)."""
    k = i
    while k < sent.end and k - i < 3 and ctx.words[k][:1].isupper() and ctx.words[k].isalpha():
        k += 1
    return k - i >= 2 and k < sent.end and ctx.is_lower[k]


def qualified_body_end(ctx, i, sent):
    """Where a body's name that a place opens ends: one to three capitalised words, an officeholder's "'s"
    perhaps, then a body noun ("Lottery Commission", "State Auditor's Office", "Comptroller's Office");
    None when the words are no such name (a title and a person: "Texas Governor Greg Abbott")."""
    k = i
    while k < sent.end and k - i < 3 and ctx.is_title_case[k] and ctx.words[k].isalpha() \
            and ctx.lower[k] not in NOT_BODY_NAME_WORDS:
        k += 1
    if k == i or any(ctx.spans(group, i, k) for group in ("person", "tool", "vendor", "agency")):
        return None
    k += k < sent.end and ctx.words[k] in POSSESSIVE_MARKS
    if k >= sent.end or not ctx.is_title_case[k] or ctx.lower[k] not in BODY_NAME_NOUNS:
        return None
    if k + 1 < sent.end and ctx.lower[k + 1] in NAME_LINKS - {"the"}:  # "Commission on ...", not "Commission Chair ..."
        return court_name_end(ctx, k, sent, BODY_NAME_NOUNS) or k + 1
    return k + 1


CHAMBER_WORDS = words("chamber_word")  # "Senate", "House", "Assembly": what heads a legislature's name
CHAMBER_QUALIFIERS = {"state", "general", "legislative", "national"}  # "state Senate", "General Assembly"
STATE_WORD = frozenset({"state"})


def find_place_chambers(ctx, sent, found):
    """"The Georgia Senate", "Georgia's state Senate", "the Virginia House of Delegates": a place's own
    legislature, not the U.S. Senate that "Senate" alone is; "the state Senate" is the legislature of the
    story's state, and nobody's when the story names none."""
    for place in ctx.in_sent("jurisdiction", sent):
        i = place.end
        i += i < sent.end and ctx.words[i] in POSSESSIVE_MARKS
        i += i < sent.end and ctx.lower[i] in CHAMBER_QUALIFIERS
        if i >= sent.end or ctx.lower[i] not in CHAMBER_WORDS or not ctx.is_title_case[i] or ctx.is_origin(place):
            continue
        end = court_name_end(ctx, i, sent, CHAMBER_WORDS) or i + 1
        if set(range(place.start, end)) & found.taken:
            continue
        mention = ctx.text(place.start, end)
        known = ctx.ref.reference.resolve("agencies", mention, jurisdiction=place.kb_id_)
        actor = body_actor(ctx, known, mention, place.start, end) if known else \
            legislature_actor(ctx, place.kb_id_, mention, place.start, end)
        if actor is not None:
            found.claim(actor)
    for i in ctx.positions_in(STATE_WORD, sent.start + 1, sent.end - 1):
        if ctx.lower[i + 1] in CHAMBER_WORDS and ctx.is_title_case[i + 1] \
                and i + 1 not in found.taken and not ctx.is_title_case[i]:
            state = ctx.dominant_of("state")
            actor = legislature_actor(ctx, state, ctx.text(i, i + 2), i, i + 2) if state else None
            if actor is not None:
                found.claim(actor)
            else:
                found.taken.update((i, i + 1))  # someone's state Senate, not the U.S. Senate


def own_chamber(ctx, span, actor):
    """"The Senate" in a Manila story is the Philippine legislature, not the U.S. Senate the bare word is in
    the reference."""
    if actor.kind != "legislature" or len(span) != 1 or ctx.lower[span.start] not in CHAMBER_WORDS:
        return None
    country = ctx.dominant_of("country")
    if not country or ctx.ref.country_of(actor.jurisdiction_id) == country:
        return None
    return legislature_actor(ctx, country, span.text, span.start, span.end)


OUTLET_SUFFIXES = words("outlet_suffix")  # "The New York Times", "Korea Herald": a paper, not the place


def names_an_outlet(ctx, span):
    """A place opening a newspaper's name ("The New York Times sued OpenAI")."""
    return span.end < len(ctx.lower) and ctx.is_title_case[span.end] and ctx.lower[span.end] in OUTLET_SUFFIXES


def find_agencies(ctx, sent, found):
    """Bodies of the reference data ("NASA"), or a place's own body ("Kentucky Department of Education")."""
    spans = ctx.in_sent("agency", sent)
    if not spans:
        return
    tool_tokens = _tokens(ctx.in_sent("tool", sent))
    place_names = {(s.start, s.end): s.kb_id_ for s in ctx.in_sent("jurisdiction", sent)}
    for span in spans:
        if ctx.is_origin(span) or set(range(span.start, span.end)) & tool_tokens or party_tag(ctx, span) \
                or names_an_outlet(ctx, span):
            continue
        if is_stray_acronym(ctx, span) or owns_named_body(ctx, span, spans) or addresses_the_place_before(ctx, span, sent):
            continue
        own = place_body(ctx, span, sent) or straddled_body(ctx, span, sent)
        if own is False:
            continue
        # "Queensland's education department": no foreign body described
        if own is None and is_foreign_description(ctx, span):
            continue
        actor = own or local_education_body(ctx, span) or agency_actor(ctx, span)
        actor = own_chamber(ctx, span, actor) or actor
        if actor.kind in ("national_government", "state_government") and names_a_department(ctx, span.end, sent):
            actor = department_described(ctx, actor.jurisdiction_id, span.start, span.end, sent)
            if actor is None:
                continue
        previous = ctx.lower[span.start - 1] if span.start > sent.start else ""
        if (span.start, span.end) in place_names and (describes_private_party(ctx, span, sent)
                                                      or closes_unknown_name(ctx, span, sent)
                                                      or below_the_place(ctx, place_names[span.start, span.end], span.end,
                                                                         min(span.end + 1, sent.end))):
            continue
        if (span.start, span.end) in place_names and (legislature_noun_after(ctx, span, sent) is not None or any(
                0 <= m.start - span.end <= ctx.settings.place_noun_gap for m in ctx.in_sent("lawmaker", sent))
                or listed_under(ctx, span, sent, LEGISLATURE_PLURALS) or education_bodies_listed(ctx, span, sent)):
            continue  # "Texas lawmakers", "A Texas senator", "Australia's parliament", "the parliaments of Denmark and
            # the Netherlands": the place's legislature (find_places)
        if (span.start, span.end) in place_names and previous in NOT_AGENT_BEFORE:
            # "a school board in Virginia": a place, not the state government acting
            if previous not in LOCATIVE:
                continue
            actor.via = "" if schools_in(ctx, span, sent) else "locative"
        arm = next((p for p in place_names if p[0] == span.end), None) if actor.kind == "company" else None
        if arm:  # "KPMG UK", "Deloitte Australia": the firm's national arm, not the country acting
            actor = replace(actor, mention=ctx.text(span.start, arm[1]), end=arm[1])
        found.claim(actor)
        for listed in school_systems_listed_before(ctx, span, sent):
            found.claim(listed)


def addresses_the_place_before(ctx, span, sent):
    """"Schools in Victoria, Australia": a place (or its government) right after a comma and a place inside
    it says where that place is; it takes no measure of its own."""
    if span.start - 2 < sent.start or ctx.words[span.start - 1] != ",":
        return False
    mine = ctx.ref.reference.jurisdiction_of(span.kb_id_) if span.kb_id_ in ctx.ref.agencies else span.kb_id_
    if any(p.end == span.start - 1 and p.kb_id_ != mine and mine in ctx.ref.reference.jurisdiction_chain(p.kb_id_)
           for p in ctx.in_sent("jurisdiction", sent)):
        return True
    # "a court in Ankara, Turkey", "public schools in Seattle, Washington": a town the reference does not know
    i = span.start - 2
    while i > sent.start and ctx.is_title_case[i] and i - 1 > sent.start and ctx.is_title_case[i - 1]:
        i -= 1
    return ctx.is_title_case[span.start - 2] and i > sent.start and ctx.lower[i - 1] in LOCATIVE \
        and not overlaps_marks(ctx, sent, i, span.start - 1, KNOWN_NAME_GROUPS)


def school_systems_listed_before(ctx, span, sent):
    """"New York City, Los Angeles and Seattle public schools": the places listed before a place's school
    system named with a school word ("Seattle public schools") each stand for their own school system, when
    the reference knows it."""
    if not ctx.in_sent("school", sent) or not any(s.end == span.end for s in ctx.in_sent("school", sent)):
        return []
    out, i = [], span.start
    places = {p.end: p for p in ctx.in_sent("jurisdiction", sent)}
    while i > sent.start:
        j = i
        while j > sent.start and ctx.lower[j - 1] in {",", "and"}:
            j -= 1
        if j == i:
            break
        k = j  # a listed place, or an unknown capitalised name (skipped over)
        if k in places:
            place = places[k]
            body = ctx.ref.education_body(place.kb_id_)
            if body:
                out.append(replace(body_actor(ctx, body, place.text, place.start, place.end), via="listed"))
            i = place.start
            continue
        while k > sent.start and ctx.is_title_case[k - 1]:
            k -= 1
        if k == j:
            break
        i = k
    return out


def straddled_body(ctx, span, sent):
    """"Western Australia's Department of Education": a reference name starting inside a longer place name
    ("Australia's Department of Education") is the longer place's body: known to the reference, or its
    education body; False (no body at all) when neither; None when no place straddles the name."""
    place = next((p for p in ctx.in_sent("jurisdiction", sent) if p.start < span.start < p.end < span.end), None)
    if place is None:
        return None
    text = ctx.text(place.start, span.end)
    known = known_body_of_place(ctx, place, span, text)
    return body_actor(ctx, known, text, place.start, span.end) if known else False


def known_body_of_place(ctx, place, span, text):
    """The reference's body of `place` that `text` (the place and the name `span` matched) names: under that
    full name, or the place's education body when the name is another place's ("New York City's education
    department"); None when the reference knows neither."""
    known = ctx.ref.reference.resolve("agencies", text, jurisdiction=place.kb_id_)
    if not known and ctx.ref.education_body(ctx.ref.reference.jurisdiction_of(span.kb_id_)) == span.kb_id_:
        known = ctx.ref.education_body(place.kb_id_)
    return known


def local_education_body(ctx, span):
    """"the education department" in a story about New York City's schools is the city's, not the U.S.
    Department of Education: a described (lower-case) education body is that of the story's own place,
    the first of its dominant places inside the body's jurisdiction that has one."""
    home = ctx.ref.agencies[span.kb_id_].get("jurisdiction")
    if not home or ctx.ref.education_body(home) != span.kb_id_:
        return None
    if not (only_described(span.text) or owned_by_local_place(ctx, span) or bare_in_local_story(ctx, span)):
        return None
    places = list(ctx.dominant)
    if owned_by_local_place(ctx, span):  # any place the story names, even "on New York City school networks"
        places += [s.kb_id_ for s in ctx.spans("jurisdiction") if s.kb_id_ not in places]
    for jid in places:
        if jid != home and home in ctx.ref.reference.jurisdiction_chain(jid):
            local = ctx.ref.education_body(jid)
            if local:
                return body_actor(ctx, local, span.text, span.start, span.end)
    return None


LOCAL_OWNERS = {"city", "state", "county", "district", "province"}  # "the city's Education Department"


def bare_in_local_story(ctx, span):
    """"The Education Department blocked the chatbot on school devices" in a story about New York City's
    schools: the name alone, capitals and all, in a story whose main place is a city or state, is that
    place's department; "the U.S. Education Department" or a national story keeps the country's."""
    if not ctx.dominant or ctx.ref.jurisdictions.get(ctx.dominant[0], {}).get("type") in ("country", "supranational"):
        return False
    named = [w for w in ctx.lower[span.start:span.end] if w not in ("the",)]
    return " ".join(named) in BARE_EDUCATION_NAMES and not (span.start > 0 and ctx.lower[span.start - 1] in NATIONAL_QUALIFIERS)


BARE_EDUCATION_NAMES = {"education department", "department of education"}
NATIONAL_QUALIFIERS = {"u.s.", "us", "federal", "national", "american"}


def owned_by_local_place(ctx, span):
    """"The city's Education Department": the body of the story's own place, whatever its capitals."""
    return span.start >= 2 and ctx.lower[span.start - 1] in POSSESSIVE_MARKS and ctx.lower[span.start - 2] in LOCAL_OWNERS


def is_foreign_description(ctx, span):
    """"a warning from the national cyber security agency" in a Czech story is the Czech agency
    described, not Malaysia's of that name: a body written all in lower case is only a name in its
    own country's stories."""
    if not only_described(span.text):
        return False
    home = ctx.dominant_of("country")
    country = ctx.ref.country_of(ctx.ref.agencies[span.kb_id_].get("jurisdiction") or "")
    return bool(home and country and country != home)


def owns_named_body(ctx, span, agencies):
    """"Quebec's Commission d'accès à l'information": the place owns the body named next; the body acts."""
    return span.end + 1 < len(ctx.lower) and ctx.lower[span.end] in POSSESSIVE and \
        any(a.start == span.end + 1 for a in agencies)


OFFICE_TITLES = words("office_title")  # "officer", "director": what ends a post's title
TITLE_OPENERS = words("title_opener")  # "Chief Administrative Officer": a post's bare title, no body's name


def is_stray_acronym(ctx, span):
    """"PTA representatives" in a Virginia story are no Pakistani regulator, and a town's "Chief
    administrative officer Wayne Anderson" in a Canadian one is not the U.S. House's: a short acronym, or
    a post's bare title, of a foreign body is its name only when the story names that body's country or
    the body by another name."""
    text = span.text
    country = ctx.ref.country_of(ctx.ref.agencies[span.kb_id_].get("jurisdiction") or "")
    if ctx.lower[span.start] in TITLE_OPENERS and ctx.lower[span.end - 1] in OFFICE_TITLES:
        # a bare title makes its own story look foreign: another body of its country must be named
        return bool(country) and not (
            any(ctx.ref.country_of(j.kb_id_) == country for j in ctx.spans("jurisdiction"))
            or any(a.kb_id_ != span.kb_id_ and ctx.ref.agencies[a.kb_id_].get("type") != "company"
                   and ctx.ref.country_of(ctx.ref.agencies[a.kb_id_].get("jurisdiction") or "") == country
                   for a in ctx.spans("agency")))
    if not (text.isupper() and len(text) <= STRAY_ACRONYM_LENGTH and text.isalpha()):
        return False
    home = ctx.dominant_of("country")
    if not home or not country or country == home:
        return False
    named = any(ctx.ref.country_of(j.kb_id_) == country for j in ctx.spans("jurisdiction")) or \
        any(a.kb_id_ == span.kb_id_ and a.text != text for a in ctx.spans("agency"))
    return not named


STRAY_ACRONYM_LENGTH = 5  # "PTA", "CNIL": longer all-capital words are rarely another body's initials


def is_acronym(word):
    """"NWO", "ARC": a short name in capitals."""
    return word.isupper() and word.isalpha() and 2 <= len(word) <= STRAY_ACRONYM_LENGTH


def is_demonym(ctx, place):
    """Whether a place's mention is its people's adjective ("Dominican", "Victorian"), not its name."""
    return place.text in (ctx.ref.jurisdictions.get(place.kb_id_, {}).get("demonyms") or [])


def find_people(ctx, sent, found):
    """Office holders whose orders are their body's ("Governor Kim Reynolds"); not one named as a
    lawmaker ("Pete Ricketts (R-NE)": once Nebraska's governor, here a senator)."""
    for span in ctx.in_sent("person", sent):
        if not tagged_as_lawmaker(ctx, span):
            found.claim(body_actor(ctx, span.kb_id_, span.text, span.start, span.end))


JUDGE_TITLES = words("judge_title")  # "Judge Brantley Starr": a court's own order
JUDGE_TITLE_PARTS = words("judge_title_part")  # "U.S. District Judge", "Chief Magistrate Judge"
JUDICIAL_WORDS = words("judicial_word")  # "court", "district": what a court's name holds
NAME_LINKS = words("name_link")  # "of", "for", "the" inside a court's name
NOT_BODY_NAME_WORDS = BODY_NAME_NOUNS | LEADER_TITLES | TITLE_PREFIXES | NAME_LINKS  # where a qualifier stops
NOT_JUDGE_NAMES = words("not_judge_name")  # "Judge Advocate General": a post, not a judge's name


def find_judges(ctx, sent, found):
    """A judge's standing order is the court's: "Judge Brantley Starr of the U.S. District Court for the
    Northern District of Texas" (the court, by its full name), else "Judge Brantley Starr" himself; "a
    Northern District of Texas judge" is that district's court. Not one addressed ("told Judge X")."""
    for i in ctx.positions_in(JUDGE_TITLES, sent.start, sent.end - 1):
        if not ctx.is_title_case[i]:
            court = court_before(ctx, i, sent)
            if court is not None and not found.taken & set(range(court, i + 1)):
                name = ctx.text(court, i)
                found.claim(new_body(name, ctx.text(court, i + 1), "court", ctx.dominant_of("country"), court, i + 1))
            continue
        if not ctx.is_title_case[i + 1] or i in found.taken or ctx.lower[i + 1] in NOT_JUDGE_NAMES:
            continue
        end = i + 1
        while end < sent.end and end - i <= ctx.settings.judge_name_words and ctx.is_title_case[end]:
            end += 1
        start = i
        while start > sent.start and ctx.lower[start - 1] in JUDGE_TITLE_PARTS and ctx.is_title_case[start - 1]:
            start -= 1
        if start > sent.start and ctx.lower[start - 1] in RECIPIENT_BEFORE:
            continue
        name = f"Judge {ctx.text(i + 1, end)}"
        court_end = court_name_end(ctx, end + 2, sent) if ctx.lower[end:end + 2] == ["of", "the"] else None
        if court_end:
            name, end = ctx.text(end + 2, court_end), court_end
            known = ctx.ref.reference.resolve("agencies", name, ctx.dominant_of("country"))
            if known:
                found.claim(body_actor(ctx, known, ctx.text(start, end), start, end))
                continue
        found.claim(new_body(name, ctx.text(start, end), "court", ctx.dominant_of("country"), start, end))


COURT_HEADS = {"court", "tribunal"}


def find_courts(ctx, sent, found):
    """A court named in full, whose orders and practice directions are its own: "the Supreme Court of Yukon",
    "the Kerala High Court", a notice's heading "SUPREME COURT OF YUKON" (the reference's body when it knows
    the name, else a new court of the place inside the name or the document's country). Not a bare "High
    Court" or "Constitutional Court": which one, the text must say."""
    for i in ctx.positions_in(COURT_HEADS, sent.start + 1, sent.end):
        capitals = ctx.words[i].isupper()  # a notice's heading: "SUPREME COURT OF YUKON"
        if not (ctx.is_title_case[i] or capitals) or i in found.taken:
            continue
        start = i
        while start > sent.start and (ctx.words[start - 1].isupper() if capitals else ctx.is_title_case[start - 1]
                                      or ORDINAL.match(ctx.words[start - 1])) \
                and ctx.lower[start - 1] not in NAME_LINKS:
            start -= 1  # (an ordinal is part of the name: "the 5th U.S. Circuit Court of Appeals")
        # a Title Case headline capitalises every word: the name ends on its head ("Turkish Court Orders
        # Block On X's Grok" names no "Court Orders Block On X")
        end = i + 1 if not capitals and is_title_case_headline(sent) else court_name_end(ctx, i, sent, COURT_HEADS) or i + 1
        if set(range(start, end)) & found.taken:
            continue
        name = ctx.text(start, end)
        if capitals:
            name = " ".join(w if w in NAME_LINKS else w.capitalize() for w in name.lower().split())
        places = ctx.spans("jurisdiction", start, end)
        jurisdiction = places[0].kb_id_ if places else ctx.dominant_of("country")
        known = ctx.ref.reference.resolve("agencies", name, jurisdiction=jurisdiction)
        if known:
            found.claim(body_actor(ctx, known, name, start, end))
        elif len([w for w in ctx.lower[start:end] if w not in NAME_LINKS]) >= 3:
            found.claim(new_body(name, name, "court", jurisdiction, start, end))


SCHOOL_HEADS = words("school_system_head")  # what ends a school system's name: "Schools", "School District", "High"
SCHOOL_NAME_WORDS = words("school_system_word")  # the generic words of such a name ("Public", "County", "Unified")
SCHOOL_TAILS = {"board", "division", "system", "committee"}  # a name going on past its head: "School Board"


INSTRUMENT_LINKS = {"through", "via"}
INSTRUMENT_OWNERS = {"its", "their"}


def skip_instruments(ctx, sent, found):
    """"NITDA, through its Computer Emergency Readiness and Response Team, has put out an advisory": the
    unit a body acts through is its means, not another actor (its words are taken, no finder reads them)."""
    for i in ctx.positions_in(INSTRUMENT_LINKS, sent.start, sent.end - 2):
        if ctx.lower[i + 1] not in INSTRUMENT_OWNERS:
            continue
        end = i + 2
        while end < sent.end and (ctx.is_title_case[end] or ctx.words[end].isupper()
                                  or ctx.lower[end] in NAME_LINKS | {"and"} and end + 1 < sent.end
                                  and ctx.is_title_case[end + 1]):
            end += 1
        found.taken.update(range(i + 2, end))


def find_named_schools(ctx, sent, found):
    """A school or school system named in full, which sets its own rules: "Walla Walla Public Schools", "the
    Ames High School", "Ames High", "Peninsula School District" (the reference's body when it knows the name,
    else a new one of the document's place). A name needs a word of its own besides the generic ones."""
    find_named_bodies(ctx, sent, found, SCHOOL_HEADS, SCHOOL_TAILS, SCHOOL_NAME_WORDS, "agency")


LOCAL_GOVERNMENT_HEADS = words("local_government_head")  # "Seoul Metropolitan Government", "Incheon Metropolitan City"
LOCAL_GOVERNMENT_NAME_WORDS = words("local_government_name_word")  # "Metropolitan", "Prefectural", "City"


def find_named_local_governments(ctx, sent, found):
    """A local government named in full where the reference knows no such place: "The Seoul Metropolitan
    Government", "Incheon Metropolitan City", "Gyeonggi Province" (not "in Gyeonggi Province": where)."""
    find_named_bodies(ctx, sent, found, LOCAL_GOVERNMENT_HEADS, set(), LOCAL_GOVERNMENT_NAME_WORDS,
                      "local_government", not_after=PLACE_PREPOSITIONS)  # "in Gyeonggi Province": where


def find_governments_of_places(ctx, sent, found):
    """"The city of Yokohama said ...", "the Town of Oliver": a place's own government, named by what it
    is (not "in the city of Yokohama": where)."""
    for i in ctx.positions_in(LOCAL_GOVERNMENT_WORDS, sent.start, sent.end - 2):
        if ctx.lower[i + 1] != "of" or not ctx.is_title_case[i + 2] or not ctx.alpha[i + 2]:
            continue
        start = i - 1 if i > sent.start and ctx.lower[i - 1] == "the" else i
        if start > sent.start and (ctx.lower[start - 1] in PLACE_PREPOSITIONS or ctx.is_title_case[start - 1]):
            continue  # "in the city of X"; "Kansas City of ..."
        end = i + 2
        while end < sent.end and ctx.is_title_case[end] and ctx.alpha[end]:
            end += 1
        if set(range(start, end)) & found.taken or overlaps_marks(ctx, sent, start, end, ("tool", "agency")):
            continue
        place = ctx.text(i + 2, end)
        jid = ctx.ref.find_jurisdiction(place)
        if jid:
            found.claim(government_of(ctx, jid, ctx.text(start, end), start, end))
        else:
            found.claim(new_body(f"{ctx.words[i].capitalize()} of {place}", ctx.text(start, end), "local_government",
                                 ctx.dominant_of("country"), start, end))


CITY_OFFICES = words("city_office")  # "Seattle city employees", "Port Townsend city manager"
CITY_STAFF_QUALIFIERS = words("city_staff_qualifier")  # "Senior city officials", "Democratic city council members"


def find_cities_by_their_staff(ctx, sent, found):
    """"Seattle city employees", "the Port Townsend city manager": a place named by the city's own staff or
    offices after it is a city, whose government is the body ("City of Seattle"); its bare name then stands
    for it elsewhere (find_short_names). Not "Kansas City employees" (a name), nor a state's or a country's."""
    for i in ctx.positions_in({"city"}, sent.start + 1, sent.end - 1):
        if ctx.words[i] != "city" or ctx.lower[i + 1] not in CITY_OFFICES or not ctx.is_title_case[i - 1]:
            continue
        start = i
        while start > sent.start and ctx.is_title_case[start - 1] and ctx.alpha[start - 1] \
                and ctx.lower[start - 1] != "the" and i - start < 3:
            start -= 1
        if start > sent.start and ctx.lower[start - 1] in PLACE_PREPOSITIONS or set(range(start, i)) & found.taken \
                or overlaps_marks(ctx, sent, start, i, ("tool", "agency", "person", "outlet", "vendor")) \
                or any(ctx.stop[k] or ctx.lower[k] in CITY_STAFF_QUALIFIERS for k in range(start, i)):
            continue  # "in Brookfield city hall": where; "Many city employees", "Senior city officials": whose
        place = ctx.text(start, i)
        jid = ctx.ref.find_jurisdiction(place)
        if jid and ctx.ref.jurisdictions.get(jid, {}).get("type") == "city":
            found.claim(government_of(ctx, jid, ctx.text(start, i + 1), start, i + 1))
        elif not jid:
            found.claim(new_body(f"City of {place}", ctx.text(start, i + 1), "local_government",
                                 ctx.dominant_of("country"), start, i + 1))


SHAPE_HEADS = SCHOOL_HEADS | LOCAL_GOVERNMENT_HEADS | LOCAL_GOVERNMENT_WORDS
SHAPE_WORDS = LOCAL_GOVERNMENT_WORDS | LOCAL_GOVERNMENT_HEADS | LOCAL_GOVERNMENT_NAME_WORDS | SCHOOL_HEADS \
    | SCHOOL_NAME_WORDS | SCHOOL_TAILS | {"of", "the"}


def find_short_names(ctx, sent, found):
    """"Cabonne drafts rules ..." beside "Cabonne Council has put a draft policy ...": a body the reference
    does not know, which the document names in full by its shape (a council, a town, a school system), called
    by the words of its own name alone ("Cabonne"; "Oliver" for "the Town of Oliver"); not "in Oliver": where.
    A name NER reads as a place is the place's own government only ("the Town of Oliver"), never another body
    of it ("Daejeon" is not "the Daejeon City Council")."""
    places = [s for s in ctx.in_sent("ner", sent) if s.label_ == "GPE"]
    for own, (body, is_government) in bodies_named_in_full(ctx).items():
        for i in ctx.positions_in({own[0]}, sent.start, sent.end - len(own) + 1):
            end = i + len(own)
            if tuple(ctx.lower[i:end]) != own or not all(ctx.is_title_case[k] for k in range(i, end)) \
                    or set(range(i, end)) & found.taken or end < sent.end and ctx.is_title_case[end] \
                    or i > sent.start and (ctx.is_title_case[i - 1] or ctx.lower[i - 1] in PLACE_PREPOSITIONS) \
                    or not is_government and any(p.start < end and p.end > i for p in places):
                continue
            found.claim(new_body(body.name, ctx.text(i, end), body.kind, body.jurisdiction_id, i, end))


def bodies_named_in_full(ctx):
    """{own words (lower case): (body, whether it is a place's own government)} of the new bodies named by
    their shape anywhere in the document, once per document; own words that two of them share, or that name a
    place the reference knows, name none."""
    if ctx.short_names is None:
        keys, bodies = {}, {}
        shaped_sentences = sorted({ctx.sentence_index(i) for i in ctx.positions(SHAPE_HEADS)})
        for sent in (ctx.sents[k] for k in shaped_sentences):  # only where a shape's head word stands
            scratch = SentenceActors(ctx)
            counts = {}
            for finder in ACTOR_FINDERS[:ACTOR_FINDERS.index(find_short_names)]:  # the names taken as in a sentence
                counts[finder] = len(scratch.actors)
                finder(ctx, sent, scratch)
            shaped, governments = counts[find_named_schools], counts[find_governments_of_places]
            for n, body in enumerate(scratch.actors[shaped:], shaped):
                words_of_name = ctx.lower[body.start:body.end]
                own = tuple(w for w in words_of_name if w not in SHAPE_WORDS and w.isalpha())
                if body.verified or not own or ctx.ref.find_jurisdiction(" ".join(own)) \
                        or council_of_a_unit(words_of_name):
                    continue
                keys.setdefault(own, set()).add(body.key)
                bodies[own] = (body, n >= governments)  # found by find_governments_of_places
        ctx.short_names = {own: bodies[own] for own in bodies if len(keys[own]) == 1}
    return ctx.short_names


def council_of_a_unit(words_of_name):
    """"Daejeon City Council", "Ashburton District Council": the council of a unit the short name names
    ("Daejeon" is the city)."""
    return any(w == "council" and k and words_of_name[k - 1] in LOCAL_GOVERNMENT_WORDS
               for k, w in enumerate(words_of_name))


def overlaps_marks(ctx, sent, start, end, groups):
    """Whether tokens start..end overlap a span of one of `groups` in the sentence."""
    return any(s.start < end and s.end > start for g in groups for s in ctx.in_sent(g, sent))


def find_named_bodies(ctx, sent, found, heads, tails, generic, kind, not_after=frozenset()):
    """Bodies named in full by a capitalised run ending on one of `heads` (and going on over `tails`), with a
    word of their own besides the `generic` ones: the reference's body when it knows the name, else new."""
    for i in ctx.positions_in(heads, sent.start + 1, sent.end):
        if not ctx.is_title_case[i] or i in found.taken:
            continue
        end = i + 1
        while end < sent.end and ctx.is_title_case[end] and ctx.lower[end] in heads | tails:
            end += 1  # "High School District", "School Board"
        start = i
        while start > sent.start and ctx.alpha[start - 1] and (ctx.is_title_case[start - 1] or ctx.words[start - 1].isupper()) \
                and ctx.lower[start - 1] not in NAME_LINKS:
            start -= 1  # (words only: "/TASS/. Government agencies in Taiwan" names no TASS government)
        own = [k for k in range(start, i) if ctx.lower[k] not in generic | heads]
        if not own or set(range(start, end)) & found.taken or ctx.is_title(sent) and is_title_case_headline(sent):
            continue
        if start > sent.start and ctx.lower[start - 1] in not_after:
            continue
        if overlaps_marks(ctx, sent, start, end, ("tool", "trigger", "outlet", "agency", "jurisdiction")):
            continue  # a name the other finders read ("Victorian Government")
        name = ctx.text(start, end)
        jurisdiction = place_of_name(ctx, start, end, sent)
        known = ctx.ref.reference.resolve("agencies", name, jurisdiction=jurisdiction)
        found.claim(body_actor(ctx, known, name, start, end) if known else
                    new_body(name, name, kind, jurisdiction, start, end))


def court_before(ctx, end, sent):
    """Where a court's name ending right before `end` begins ("Northern District of Texas"): two capitalised
    words or more, one of them judicial; else None ("District judge Ann Lee" names no court)."""
    start = end
    while start > sent.start and (ctx.is_title_case[start - 1] or ctx.lower[start - 1] in NAME_LINKS - {"the"}):
        start -= 1
    while start < end and ctx.lower[start] in NAME_LINKS | INDEFINITE:  # "A Northern District ... judge"
        start += 1
    named = [w for w in ctx.lower[start:end] if w not in NAME_LINKS]
    return start if len(named) >= 2 and JUDICIAL_WORDS & set(named) else None


ORDINAL = re.compile(r"\d+(?:st|nd|rd|th)$")


def court_name_end(ctx, start, sent, heads=JUDICIAL_WORDS):
    """Where a name beginning at `start` ends: capitalised words and the links between them, holding one
    of `heads` ("U.S. District Court for the Northern District of Texas"); None for none."""
    end, last_named, headed = start, None, False
    while end < sent.end and (ctx.is_title_case[end] or ctx.words[end].isupper() or ctx.lower[end] in NAME_LINKS
                              or ORDINAL.match(ctx.words[end])):
        if ctx.lower[end] not in NAME_LINKS:
            last_named = end + 1
            headed = headed or ctx.lower[end] in heads
        end += 1
    return last_named if headed else None


def tagged_as_lawmaker(ctx, span):
    """A party-and-state tag right after a name: "(R-NE)", ", R-Ohio,"."""
    after = ctx.lower[span.end:span.end + 3]
    return len(after) == 3 and after[0] in {"(", ","} and after[1] in PARTY_LETTERS and after[2] == "-"


PRIVATE_PARTIES = words("private_party")


def describes_private_party(ctx, span, sent):
    """"a Florida family sued Character.AI": people or a firm of the place, not its government."""
    return span.end < sent.end and ctx.lower[span.end] in PRIVATE_PARTIES


def find_places(ctx, sent, found):
    """A place acting through its government or legislature: "Italy", "Dutch government", "Italian
    authorities", "Texas officials", "the Belgian federal government", "Texas lawmakers"; "in Italy" is
    where a measure holds (via "locative")."""
    gap = ctx.settings.place_noun_gap
    governments = ctx.in_sent("government", sent)
    staff = ctx.in_sent("staff", sent)
    lawmakers = ctx.in_sent("lawmaker", sent)
    for span in ctx.in_sent("jurisdiction", sent):
        if ctx.is_origin(span) or found.covers(span) or party_tag(ctx, span) or names_an_outlet(ctx, span) \
                or addresses_the_place_before(ctx, span, sent):
            continue
        following = [g for g in governments + staff + lawmakers if 0 <= g.start - span.end <= gap]
        if below_the_place(ctx, span.kb_id_, span.end, following[0].start if following else min(span.end + 1, sent.end)):
            continue  # "Dutch local authorities", "German regional governments": many bodies, not the country's
        end = following[0].end if following else span.end
        if is_demonym(ctx, span) and not following or not following and owns_named_body(ctx, span, ctx.in_sent("agency", sent)):
            continue
        if not following and describes_private_party(ctx, span, sent):
            continue
        if closes_unknown_name(ctx, span, sent):
            continue  # "Macquarie Group Australia", "Telstra Australia": NER names the body
        if not following and any(s.label_ == "ORG" and s.start <= span.start and s.end > span.end
                                 for s in ctx.in_sent("ner", sent)):
            continue  # "Bangladesh Bank": the place opens a body's name NER found
        previous = ctx.lower[span.start - 1] if span.start > sent.start else ""
        if previous in NOT_AGENT_BEFORE and previous not in LOCATIVE and not following \
                and not of_its_officeholders(ctx, span, sent):
            continue
        jid = seat_standing_for(ctx, span, sent) or span.kb_id_
        chamber = legislature_noun_after(ctx, span, sent) if not following else None
        if chamber is not None:  # "Australia's parliament": the place's legislature
            end = chamber + 1
            actor = legislature_actor(ctx, jid, ctx.text(span.start, end), span.start, end)
        elif not following and listed_under(ctx, span, sent, LEGISLATURE_PLURALS):
            actor = legislature_actor(ctx, jid, span.text, span.start, span.end)
        elif not following and education_bodies_listed(ctx, span, sent):
            body = ctx.ref.education_body(jid)
            if body is None:
                continue
            actor = body_actor(ctx, body, span.text, span.start, span.end)
            found.claim(actor)  # (named as where, but the list's head says whose: not a locative)
            continue
        elif following and following[0].label_ == "lawmaker" or (following and following[0] in lawmakers):
            actor = legislature_actor(ctx, jid, ctx.text(span.start, end), span.start, end)
        elif following and names_a_department(ctx, end, sent):
            actor = department_described(ctx, jid, span.start, end, sent)
            if actor is None:
                continue
        else:
            actor = government_of(ctx, jid, ctx.text(span.start, end), span.start, end)
        if actor:
            actor.via = "locative" if previous in LOCATIVE and not following and not schools_in(ctx, span, sent) else ""
            found.claim(actor)


def seat_standing_for(ctx, span, sent):
    """"Washington has banned DeepSeek on federal devices": a country's capital, named bare in a sentence with a
    national-level word, stands for that country (the state is "Washington State", or acts on state devices).
    The country's id, or None."""
    country = ctx.ref.seats.get(span.text)
    if country and NATIONAL_LEVEL & set(ctx.lower[sent.start:sent.end]):
        return country
    return None


LEGISLATURE_NOUNS = words("legislature_noun")  # "Australia's parliament" (lower case: a word, not a name)


def legislature_noun_after(ctx, span, sent):
    """"Australia's parliament", "the Texas legislature": a lower-case word for a legislature right after the
    place (its possessive between): that word's position, or None."""
    i = span.end + (span.end < sent.end and ctx.words[span.end] in POSSESSIVE_MARKS)
    return i if i < sent.end and ctx.words[i] in LEGISLATURE_NOUNS else None


def schools_in(ctx, span, sent):
    """"Public schools in Queensland banned ChatGPT": the schools of a place, opening the sentence, are the
    place's school system acting (education_body_of), not where someone else's measure holds."""
    i = span.start - 1
    return any(s.start == sent.start and s.end == i for s in ctx.in_sent("school", sent)) and ctx.lower[i] == "in"


def of_its_officeholders(ctx, span, sent):
    """"The governors of Texas, Virginia and New York", "the governments of Italy and France", "the states of
    Texas and Virginia": the first place after "of" and a word for those who govern (or for places) acts like
    the others of the list."""
    return span.start - 2 >= sent.start and ctx.lower[span.start - 1] == "of" and (
        ctx.lower[span.start - 2] in PLACE_KIND_PLURALS | LEGISLATURE_PLURALS  # "the states of Texas and Virginia"
        or any(c.end == span.start - 1 for g in ("collective", "government") for c in ctx.in_sent(g, sent)))


LEGISLATURE_PLURALS = words("legislature_plural")  # "the parliaments of Australia, Denmark and the Netherlands"


def listed_under(ctx, span, sent, nouns):
    """"The parliaments of Australia, Denmark and the Netherlands": the place is in a list of places after
    one of `nouns` and "of" or "in"."""
    head = list_head(ctx, span, sent)
    return head is not None and ctx.lower[head] in nouns


def education_bodies_listed(ctx, span, sent):
    """"Education departments in Queensland and Victoria banned ChatGPT": each place's education body."""
    head = list_head(ctx, span, sent)
    return head is not None and head > sent.start and ctx.lower[head] in BODY_PLURALS \
        and ctx.lower[head - 1] in EDUCATION_WORDS


BODY_PLURALS = words("body_plural")  # "departments", "ministries"
EDUCATION_WORDS = words("education_word")  # "education": what a list's bodies run


def list_head(ctx, span, sent):
    """The word before "of" or "in" that heads the list of places the span is in ("parliaments of
    Australia, Denmark and the Netherlands"), or None."""
    place_starts = {s.end: s.start for s in ctx.in_sent("jurisdiction", sent)}
    k = span.start
    while k > sent.start:
        if ctx.lower[k - 1] in PLACE_LIST_JOINERS or ctx.lower[k - 1] == "the":  # "... and the Netherlands"
            k -= 1
        elif k in place_starts:
            k = place_starts[k]
        else:
            break
    return k - 2 if k - 1 > sent.start and ctx.lower[k - 1] in {"of", "in"} else None


PLACE_KIND_PLURALS = words("place_kind_plural")  # "the states of Texas and Virginia"


def below_the_place(ctx, jurisdiction_id, place_end, noun_start):
    """A level word after a place (up to its government word) below the place's own level: "Dutch local
    authorities" (a country's), "Texas county officials" (a state's)."""
    between = {w for w, lower in zip(ctx.words[place_end:noun_start], ctx.lower[place_end:noun_start]) if w == lower}
    level = ctx.ref.jurisdictions.get(jurisdiction_id, {}).get("type")
    if level in ("country", "supranational"):
        return bool(between & (STATE_LEVEL | LOCAL_LEVEL))
    return level in ("state", "province", "prefecture") and bool(between & LOCAL_LEVEL)


def closes_unknown_name(ctx, span, sent):
    """A place right after a capitalised word no matcher explained ends a longer name ("Macquarie Group
    Australia", "Telstra Australia"), unless the sentence is a Title Case headline."""
    i = span.start - 1
    if i < sent.start or not ctx.words[i].isalpha() or ctx.lower[i] in COMMON_CAPITALISED:
        return False
    if not (ctx.is_title_case[i] or ctx.words[i].isupper()) or is_title_case_headline(sent):
        return False
    return not overlaps_marks(ctx, sent, i, i + 1, KNOWN_NAME_GROUPS)


def names_a_department(ctx, end, sent):
    """A place's government word followed by a body noun: "a New South Wales government department"."""
    return end < sent.end and ctx.is_lower[end] and ctx.lower[end] in BODY_NAME_NOUNS


def department_described(ctx, jurisdiction_id, start, end, sent):
    """The department described at tokens start..end+1 ("a New South Wales government department"): the
    first body of the place named in full in the sentences after ("The New South Wales Department of
    Customer Service told staff ..."), mentioned here; None when none is."""
    index = ctx.sentence_index(sent.start)
    for k in range(index + 1, min(len(ctx.sents), index + 1 + ctx.settings.described_body_lookahead)):
        named = SentenceActors(ctx)
        find_place_named_bodies(ctx, ctx.sents[k], named)
        for actor in named.actors:
            if actor.jurisdiction_id == jurisdiction_id:
                return replace(actor, mention=ctx.text(start, end + 1), start=start, end=end + 1)
    return None


PARTY_LETTERS = words("party_letter")


def party_tag(ctx, span):
    """"Sen. Jon Husted, R-Ohio": the state a lawmaker represents, not a body acting."""
    return span.start >= 2 and ctx.words[span.start - 1] == "-" and ctx.lower[span.start - 2] in PARTY_LETTERS


def find_described_governments(ctx, sent, found):
    """"The federal government", "state officials": the document's own country or state."""
    for span in ctx.in_sent("government", sent):
        if found.covers(span) or any(0 <= span.start - p.end <= ctx.settings.place_noun_gap
                                     for p in ctx.in_sent("jurisdiction", sent)):
            continue  # "the Chinese government" is China's (find_places), or nobody's: never the story's own
        left_start = max(sent.start, span.start - ctx.settings.government_words_before)
        jid = _described_jurisdiction(ctx, set(ctx.lower[left_start:span.start]), span.text.lower())
        # the description starts at its first describing word: "require federal agencies" is "federal agencies"
        while left_start < span.start and ctx.lower[left_start] not in DESCRIBING_WORDS:
            left_start += 1
        actor = government_of(ctx, jid, ctx.text(left_start, span.end), left_start, span.end)
        if actor:
            found.claim(actor)


DESCRIBING_WORDS = NATIONAL_LEVEL | STATE_LEVEL | ARTICLES


def _described_jurisdiction(ctx, words, noun):
    """The jurisdiction "federal government" (the words before the noun, and the noun) stands for: the
    document's country or state; None when it names no government that acts."""
    if words & NOT_AGENT_BEFORE:
        return None  # "a letter to central government agencies": who was told, not who acted
    if noun in NOT_GOVERNMENT_ALONE:
        return None
    if words & NATIONAL_LEVEL:
        return ctx.dominant_of("country")
    if words & STATE_LEVEL:
        return ctx.dominant_of("state")
    if "the" in words and noun in DEFINITE_GOVERNMENT:
        return ctx.dominant_of("country")
    return None


def find_governor_titles(ctx, sent, found):
    """"Gov. Rhoden", "Governor Smith": a state government, the document's state."""
    for i in ctx.positions_in(TITLE_PREFIXES, sent.start, sent.end - 1):
        if ctx.is_title_case[i + 1] and i not in found.taken:
            jid = ctx.dominant_of("state")
            actor = government_of(ctx, jid, ctx.text(i, i + 2), i, i + 2)
            if actor:
                found.claim(actor)


def find_state_offices(ctx, sent, found):
    """"The Office of the Attorney General", "Attorney General Jonathan Skrmetti" in a Tennessee story: the
    office of the document's state (a place named right before the title is its own, left to the names)."""
    for span in ctx.in_sent("state_office", sent):
        if found.covers(span) or ctx.spans("jurisdiction", max(sent.start, span.start - 2), span.start):
            continue
        state = ctx.dominant_of("state")
        if not state:
            continue
        name = f"{ctx.ref.jurisdictions[state]['name']} {span.label_}"
        agency_id = ctx.ref.reference.resolve("agencies", name, state)
        if agency_id:
            found.claim(body_actor(ctx, agency_id, span.text, span.start, span.end))


def find_ner_bodies(ctx, sent, found):
    """Stage two: bodies the reference data does not know, found by statistical NER."""
    spans = ctx.in_sent("ner", sent)
    if not spans:
        return
    # outlets, tools, and the staff a measure binds ("tells Guardians that ...")
    not_bodies = _tokens(ctx.in_sent("outlet", sent)) | _tokens(ctx.in_sent("tool", sent)) | _tokens(ctx.in_sent("staff", sent))
    for span in spans:
        tokens = set(range(span.start, span.end))
        if tokens & (found.taken | not_bodies) or ctx.is_origin(span) or reports(ctx, span, sent) \
                or unit_of_a_body(ctx, span, sent, found) or is_quoted(ctx, span, sent):
            continue
        actor = ner_actor(ctx, span, sent)
        if actor:
            found.claim(actor)


UNIT_NOUNS = words("unit_noun")
QUOTES = {'"', "“", "”", "‘"}


def is_quoted(ctx, span, sent):
    """"The memo, titled “Protecting Federal Networks”, ...": a quoted title or phrase, not a body."""
    return bool(QUOTES & set(span.text)) or span.start > sent.start and ctx.words[span.start - 1] in QUOTES


def unit_of_a_body(ctx, span, sent, found):
    """"The City of Greensboro's Information Technology department": a unit named after its work, owned by
    a body found before it; the body it belongs to acts."""
    return span.start >= 2 and ctx.lower[span.start - 1] in POSSESSIVE and span.start - 2 in found.taken \
        and span.end < sent.end and ctx.lower[span.end] in UNIT_NOUNS


def find_named_subjects(ctx, sent, found):
    """"Fox Rothschild blocks DeepSeek", then "Fox Rothschild has blocked DeepSeek on its systems": a name of
    two to four capitalised words nothing else explains (the NER misses many firms' names), opening its
    clause right before a ban, restriction or suspension, and named again elsewhere in the document (a
    one-off capitalised phrase is more often a headline's words than a body), is a body taking it."""
    if is_title_case_headline(sent):
        return  # "Bans Chinese AI Apps On State Devices": capitals name nothing
    for trigger in ctx.in_sent("trigger", sent):
        if trigger.label_ not in OWN_RULE_ACTIONS:
            continue
        end = trigger.start
        while end > sent.start and ctx.lower[end - 1] in AUXILIARIES_AND_ALSO:
            end -= 1
        start = end
        while start > sent.start and end - start < 4 and ctx.is_title_case[start - 1] and ctx.words[start - 1].isalpha():
            start -= 1
        if end - start < 2 or start > sent.start and ctx.lower[start - 1] not in CLAUSE_OPENERS \
                or any(i in found.taken or ctx.lower[i] in COMMON_CAPITALISED or ctx.lower[i] in NOT_BODIES
                       for i in range(start, end)) \
                or overlaps_marks(ctx, sent, start, end, KNOWN_NAME_GROUPS + NOT_NAME_GROUPS):
            continue
        name = ctx.text(start, end)
        if ctx.full_text.count(name) < 2:
            continue
        found.claim(new_body(name, name, "ORG", ctx.dominant_of("country"), start, end))


LOCAL_BODY_HEADS = words("local_body_head")  # "Supervisors", "Commissioners": what ends a local body's name


def find_headed_subjects(ctx, sent, found):
    """"The Los Angeles County Board of Supervisors directed county departments to ...": a capitalised name
    opening the sentence, headed by a body's noun ("Board", "Council", "Commission", or "Supervisors"), before
    a verb in lower case, is a body even when statistical NER misses it and nothing else explains it."""
    start = sent.start + (ctx.lower[sent.start] == "the")
    end = start
    while end < sent.end and end - start < ctx.settings.name_max_words and (
            ctx.is_title_case[end] and ctx.words[end].isalpha() or ctx.lower[end] in NAME_CONNECTORS and end > start):
        end += 1
    if end >= sent.end or not ctx.is_lower[end] or not ctx.alpha[end] or end - start < 3 \
            or set(range(start, end)) & found.taken:
        return
    if ctx.lower[end - 1] not in BODY_NAME_NOUNS | LOCAL_BODY_HEADS:
        return
    body = capitalised_body(ctx, sent, start, end)
    if body is not None and not overlaps_marks(ctx, sent, start, end, NOT_NAME_GROUPS):
        found.claim(replace(body, jurisdiction_id=place_of_name(ctx, start, end, sent)))


NOT_NAME_GROUPS = ("staff", "school", "lawmaker", "government", "body_anaphor", "anaphor")
NAME_CONNECTORS = words("name_connector")  # "Association of Netherlands Municipalities"


def in_a_name(ctx, i, opening):
    """Token i can be part of a capitalised name: a capitalised word, a hyphen ("Ibero-American"), or a
    connector inside it ("of", "for"; not the name's first word, `opening`)."""
    return ctx.words[i] == "-" or ctx.alpha[i] and (ctx.is_title_case[i] or not opening and ctx.lower[i] in NAME_CONNECTORS)


def body_named_by(ctx, sent, by):
    """"a handbook published by the Association of Netherlands Municipalities (VNG)": the body a paper is
    by, named in capitalised words no matcher explains whole (NER only reads sentences that state a
    measure, and a paper's author is often named in the sentence after it)."""
    start = by + 1 + (by + 1 < sent.end and ctx.lower[by + 1] == "the")
    end = start
    while end < sent.end and end - start < ctx.settings.name_max_words and in_a_name(ctx, end, end == start):
        end += 1
    return capitalised_body(ctx, sent, start, end)


def find_bracketed_bodies(ctx, sent, found):
    """"The Ibero-American Data Protection Network (RIPD), which groups ...": capitalised words right before a
    short name in brackets name a body (the NER misses many), unless a matcher explains them or the short name."""
    for i in range(sent.start + 2, sent.end - 2):
        if ctx.words[i] != "(" or ctx.words[i + 2] != ")" or not is_acronym(ctx.words[i + 1]) \
                or overlaps_marks(ctx, sent, i + 1, i + 2, KNOWN_NAME_GROUPS):
            continue
        start = i
        while start > sent.start and i - start < ctx.settings.name_max_words and in_a_name(ctx, start - 1, False):
            start -= 1
        while start < i and (ctx.lower[start] in NAME_CONNECTORS | ARTICLES or ctx.words[start] == "-"):
            start += 1
        body = capitalised_body(ctx, sent, start, i) if not set(range(start, i + 3)) & found.taken else None
        if body is not None:  # the short name in brackets is the same body, no second actor
            found.claim(replace(body, mention=ctx.text(start, i + 3), end=i + 3))


def capitalised_body(ctx, sent, start, end):
    """A new body named by the capitalised words start..end (two at least, none a tool's, maker's, person's or
    outlet's, not all of one known body's name), or None."""
    while end > start and (ctx.lower[end - 1] in NAME_CONNECTORS or ctx.words[end - 1] == "-"):
        end -= 1
    capitalised = sum(1 for i in range(start, end) if ctx.is_title_case[i])
    if capitalised < 2 or ctx.lower[start] in COMMON_CAPITALISED or is_title_case_headline(sent) \
            or overlaps_marks(ctx, sent, start, end, ("tool", "vendor", "person", "outlet")) \
            or any(s.start <= start and s.end >= end for s in ctx.in_sent("agency", sent)):
        return None
    name = ctx.text(start, end)
    return new_body(name, name, "ORG", ctx.dominant_of("country"), start, end)


ACRONYM_SUBJECT_VERBS = words("acronym_subject_verb")  # "SURF advises ...", "NSF has advised ...": a body acting


def find_acronym_subjects(ctx, sent, found):
    """"SURF advises universities not to deploy ...": a short name in capitals nothing else explained (NER
    often misses them), opening the sentence or its clause and followed by a verb of acting or saying."""
    if not ctx.in_sent("trigger", sent):
        return
    for verb in ctx.positions_in(ACRONYM_SUBJECT_VERBS, sent.start + 1, sent.end):
        i = verb - 1
        word = ctx.words[i]
        if not is_acronym(word) or i in found.taken or ctx.lower[i] in NOT_BODIES \
                or overlaps_marks(ctx, sent, i, i + 1, KNOWN_NAME_GROUPS):
            continue
        before = ctx.lower[i - 1] if i > sent.start else ""
        if i == sent.start or before in ("the", ",", ";", ":") or ctx.punct[i - 1]:
            found.claim(new_body(word, word, "ORG", ctx.dominant_of("country"), i, i + 1))


def find_collectives(ctx, sent, found):
    """"21 state attorneys general", "Republican governors": officeholders acting together, of the
    story's country."""
    for span in ctx.in_sent("collective", sent):
        if found.covers(span):
            continue
        jid = ctx.dominant_of("country")
        if jid:
            country = ctx.ref.jurisdictions.get(jid, {}).get("name", jid)
            mention_start = max(sent.start, span.start - ctx.settings.collective_mention_words)
            found.claim(Actor(key=f"collective:{jid}:{span.label_}", name=f"{span.label_.capitalize()} ({country})",
                              mention=ctx.text(mention_start, span.end), kind="officials",
                              jurisdiction_id=jid, start=span.start, end=span.end, verified=False, generic=True))


def find_lawmakers(ctx, sent, found):
    """"Lawmakers" no place names before them: the legislature of a place named right after ("lawmakers in
    Virginia"), else of the story's country ("state lawmakers": of its state)."""
    for span in ctx.in_sent("lawmaker", sent):
        if found.covers(span) or represents_others(ctx, span, sent) or one_member(ctx, span, sent):
            continue
        level = "state" if span.start > sent.start and ctx.lower[span.start - 1] in STATE_LEVEL else "country"
        place = next((j.kb_id_ for j in ctx.in_sent("jurisdiction", sent)
                      if j.start == span.end + 1 and ctx.lower[span.end] in LAWMAKERS_OF), None)
        actor = legislature_actor(ctx, place or ctx.dominant_of(level), span.text, span.start, span.end)
        if actor:
            found.claim(actor)


LAWMAKERS_OF = {"in", "from"}  # "lawmakers in Virginia"
SINGLE_LAWMAKERS = words("single_lawmaker")  # "a lawmaker", "a senator": one member
AMBIGUOUS_LAWMAKERS = words("ambiguous_lawmaker")  # "representatives", "delegates": of anyone
NOT_LEGISLATURES = words("not_legislature")  # "union representatives", "industry delegates"


def represents_others(ctx, span, sent):
    """"PTA representatives", "union delegates": people speaking for an organisation, not lawmakers
    (a capitalised name that is no place, or a word naming who they represent, right before)."""
    if ctx.lower[span.start] not in AMBIGUOUS_LAWMAKERS or span.start == sent.start:
        return False
    i = span.start - 1
    if ctx.lower[i] in NOT_LEGISLATURES:
        return True
    named = ctx.is_title_case[i] or ctx.words[i].isupper()
    is_place = any(s.start <= i < s.end for s in ctx.in_sent("jurisdiction", sent))
    return named and ctx.alpha[i] and not is_place and i > sent.start


def one_member(ctx, span, sent):
    """"Wang Ting-yu, a lawmaker from the ruling party, called on companies to stay away": one member
    speaks for himself, not for the legislature (a bill he introduces is found by its own rule)."""
    return span.start > sent.start and ctx.lower[span.start - 1] in ONE_OF_MANY and \
        ctx.lower[span.start] in SINGLE_LAWMAKERS


ONE_OF_MANY = {"a", "an", "one", "another"}  # "a senator", "One senator said", "Another lawmaker"


def member_speaks(ctx, trigger, sent):
    """"One senator said government offices should stop using the app": the clause is one member's
    call, so no body of the context takes it."""
    return any(one_member(ctx, span, sent) for span in ctx.in_sent("lawmaker", sent) if span.end <= trigger.start)


def find_body_anaphors(ctx, sent, found):
    """"The bureau said", "the regulator ordered": a body the story has named before, or on a body's own
    site the body itself; "a court blocked ..." then "The decision, issued by Ankara's 7th Criminal
    Judgeship of Peace": the body it names next."""
    for span in ctx.in_sent("body_anaphor", sent):
        if found.covers(span):
            continue
        if ctx.lower[span.start] in INDEFINITE:
            antecedent = postcedent_of(ctx, span, sent)
        else:
            antecedent = antecedent_of(ctx, span, sent, found.actors)
            if antecedent is None and ctx.is_title(sent):
                # "..., prosecutors open probe": a headline's body is named in the story below it
                antecedent = postcedent_of(ctx, span, sent, ctx.settings.anaphor_lookback_sentences)
        if antecedent is None and ctx.publisher:
            # on the Commission's own site, "the Commission" is the Commission
            antecedent = _describes(span, [body_actor(ctx, ctx.publisher, span.text, span.start, span.end)])
        if antecedent is not None:
            actor = replace(antecedent, start=span.start, end=span.end)
            actor.via = "anaphor"
            found.claim(actor)


FIRST_PERSON = words("first_person")


def find_acting_outlets(ctx, sent, found):
    """"The Associated Press has laid down its first rules for newsroom use of generative AI": a news
    organisation opening its clause and going straight on to a measure or its announcing acts on its own
    newsroom; one that reports ("Reuters reported", "according to AP") stays no body."""
    for span in ctx.in_sent("outlet", sent):
        start = span.start - (span.start > sent.start and ctx.lower[span.start - 1] == "the")
        if start > sent.start and ctx.lower[start - 1] not in CLAUSE_OPENERS:
            continue
        i = span.end
        while i < sent.end and ctx.lower[i] in AUXILIARIES_AND_ALSO:
            i += 1
        # (a newspaper suing or probing is a party, not a regulator: its own rules only)
        if i < sent.end and (ctx.lower[i] in ANNOUNCING_VERBS or any(
                t.start == i and t.label_ in OWN_RULE_ACTIONS for t in ctx.in_sent("trigger", sent))):
            found.claim(new_body(span.text, ctx.text(start, span.end), "company", ctx.dominant_of("country"),
                                 span.start, span.end))


AUXILIARIES = words("auxiliary")
AUXILIARIES_AND_ALSO = AUXILIARIES | {"also"}  # "has also banned": what stands between a subject and its verb
OWN_RULE_ACTIONS = {"ban", "restrict", "suspend"}
CLAUSE_OPENERS = {",", ";", ":", "and", "but"}


def find_the_publisher(ctx, sent, found):
    """On a body's own site (its `domains` in agencies.yml) "we ordered the limitation" is the body's own
    voice."""
    if ctx.publisher is None:
        return
    for i in ctx.positions_in(FIRST_PERSON, sent.start, sent.end):
        found.claim(body_actor(ctx, ctx.publisher, ctx.words[i], i, i + 1))


BODY_PRONOUNS = words("body_pronoun")
PERSON_PRONOUNS = words("person_pronoun")
ACTION_OWNERS = words("action_owner")  # "These actions", "Its measures": the previous subject's own
ACTION_NOUNS = words("action_noun")


def after_opening_date(ctx, sent):
    """Where the clause begins once a fronted date is passed ("In January, it blocked ...")."""
    for date in ctx.in_sent("date", sent):
        if date.start - sent.start in (0, 1) and date.end < sent.end:
            return date.end + (ctx.words[date.end] == "," and date.end + 1 < sent.end)
    return sent.start


def find_subject_pronouns(ctx, sent, found):
    """"Sophia University went further. It said that ...": a sentence opening on "It", "They" or "He"
    continues the sentence before when that one opened on a body (or, for "he"/"she", an office
    holder). Only the topic of the sentence right before: anything further is guesswork."""
    opening = after_opening_date(ctx, sent)
    first = ctx.lower[opening]
    # "Governor Rhoden continues to take actions ... These actions include banning DeepSeek": the
    # actions of whoever the sentence before opened on
    own_actions = first in ACTION_OWNERS and opening + 1 < sent.end and ctx.lower[opening + 1] in ACTION_NOUNS
    if not (first in BODY_PRONOUNS | PERSON_PRONOUNS or own_actions) or found.taken & {opening}:
        return
    index = ctx.sentence_index(sent.start)
    if index < 1:
        return
    before = ctx.sents[index - 1]
    actors = actors_in(ctx, before)
    topic_start = before.start + (ctx.lower[before.start] in ARTICLES)
    topic = next((a for a in actors if a.start == topic_start and a.via != "anaphor"), None)
    if topic is None or topic.generic:
        return
    is_person = any(p.start == topic.start for p in ctx.in_sent("person", before))
    if not own_actions and is_person != (first in PERSON_PRONOUNS):
        return
    end = opening + 1 + own_actions
    actor = replace(topic, mention=ctx.text(opening, end), start=opening, end=end)
    actor.via = "anaphor"
    found.claim(actor)


# In this order: a token goes to the first finder's actor that claims it (a judge first: "Judge X of the U.S.
# District Court" is the court, not the United States).
ACTOR_FINDERS = (skip_instruments, find_judges, find_courts, find_named_schools, find_named_local_governments,
                 find_governments_of_places, find_cities_by_their_staff, find_short_names,
                 find_place_named_bodies, find_place_chambers, find_listed_ministries, find_place_regulators, find_agencies,
                 find_people, find_places,
                 find_described_governments, find_governor_titles, find_state_offices, find_acting_outlets, find_ner_bodies,
                 find_bracketed_bodies, find_acronym_subjects,
                 find_collectives, find_lawmakers, find_the_publisher, find_body_anaphors, find_subject_pronouns,
                 find_named_subjects, find_headed_subjects)


INDEFINITE = {"a", "an"}


def postcedent_of(ctx, span, sent, sentences=1):
    """The body "a court" turns out to be, named in the next sentence (or the next few: a headline's
    "prosecutors" are named in the story); its named actors only: no anaphora or pronouns there,
    which would look back here."""
    index = ctx.sentence_index(sent.start)
    for k in range(index + 1, min(len(ctx.sents), index + 1 + sentences)):
        following = SentenceActors(ctx)
        for finder in ACTOR_FINDERS:
            if finder not in (find_body_anaphors, find_subject_pronouns):
                finder(ctx, ctx.sents[k], following)
        found = _describes(span, following.actors)
        if found is not None:
            return found
    return None


def _describes(span, actors):
    """The first of `actors` the description `span` fits: a word of its label in the actor's name, or
    a type it names."""
    words = [w for w in span.label_.split(",") if w and not w.startswith("kind=")]
    kinds = {w[5:] for w in span.label_.split(",") if w.startswith("kind=")}
    for actor in actors:
        if actor.generic and not kinds & {"national_government", "state_government"}:
            continue
        name = f"{actor.name} {actor.mention}".lower()
        if actor.kind in kinds or any(re.search(rf"\b{re.escape(w)}\b", name) for w in words):
            return actor
    return None


def antecedent_of(ctx, span, sent, actors_here):
    """The body "the bureau" or "the regulator" refers to: the nearest actor before it whose name holds
    one of the anaphor's words ("bureau") or whose type it names (a regulator: dpa, regulator)."""
    index = ctx.sentence_index(sent.start)
    found = _describes(span, [a for a in reversed(actors_here) if a.end <= span.start])
    # a definite description names a body of the last few sentences, nearest first (each read only if
    # the nearer ones name none)
    for k in range(index - 1, max(-1, index - ctx.settings.anaphor_lookback_sentences - 1), -1):
        if found is not None:
            return found
        found = _describes(span, list(reversed(actors_in(ctx, ctx.sents[k]))))
    return found


def place_body(ctx, span, sent):
    """"Kentucky Department of Education", "the Victorian education department": a body of the place named
    right before a reference name that belongs elsewhere (the U.S. Department of Education) is that
    place's own body, known to the reference under the full name or else new."""
    if span.start <= sent.start:
        return None
    places = [p for p in ctx.in_sent("jurisdiction", sent) if p.end == span.start or
              (p.end == span.start - 1 and ctx.lower[p.end] in POSSESSIVE)]
    if not places:
        return None
    place = places[-1]
    agency = ctx.ref.agencies[span.kb_id_]
    if place.kb_id_ in ctx.ref.reference.jurisdiction_chain(ctx.ref.reference.jurisdiction_of(span.kb_id_) or place.kb_id_):
        return None  # "the U.S. Department of Education": the place is the body's own
    text = ctx.text(place.start, span.end)
    known = known_body_of_place(ctx, place, span, text)
    if known:
        return body_actor(ctx, known, text, place.start, span.end)
    inner = [p for p in ctx.in_sent("jurisdiction", sent) if span.start <= p.start and p.end <= span.end]
    if inner and is_demonym(ctx, place):
        # "Dominican University of California": an adjective opening another body's name; the name's own place
        return new_body(text, text, agency.get("type"), inner[-1].kb_id_, place.start, span.end)
    return new_body(text, text, agency.get("type"), place.kb_id_, place.start, span.end)


# "ministries" -> "ministry": the plural a list of ministries ends on, and the noun of each one's name
MINISTRY_NOUNS = {plural: plural[:-3] + "y" if plural.endswith("ies") else plural[:-1]
                  for plural in words("ministry_plural")}


def listed_ministries(ctx, sent):
    """"South Korea's foreign and trade ministries": one actor per ministry the list names."""
    out = []
    for position in ctx.positions_in(MINISTRY_NOUNS, sent.start, sent.end):
        noun = MINISTRY_NOUNS[ctx.lower[position]]
        words, i = [], position - 1
        while i >= sent.start and (ctx.alpha[i] and ctx.is_lower[i] or ctx.lower[i] in {",", "and"}):
            if ctx.alpha[i] and ctx.lower[i] != "and":
                words.append(i)
            i -= 1
        if len(words) < 2:
            continue
        place = [j for j in ctx.spans("jurisdiction", max(sent.start, i - ctx.settings.ministry_place_window), i + 1)]
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
                found.append(body_actor(ctx, agency_id, f"{text} {noun}", word, word + 1))
        if len(found) >= 2:
            if place:  # the possessive place belongs to the list
                found[0].start = place[-1].start
            out.extend(found)
    return out


PRODUCT_ENDINGS = words("product_ending")
JOB_TITLES = words("job_title")  # "CFO Rich Bressler", "COO": someone's post, not a body


def ner_actor(ctx, span, sent):
    text = re.sub(r"^(?i:the)\s+", "", span.text).strip()
    text = re.sub(r"['’]s$", "", text).strip()
    if len(text) < 2 or text.lower() in GENERIC_ACTOR_WORDS or text.lower() in NOT_BODIES:
        return None
    if span.label_ in ("GPE", "NORP"):
        jid = ctx.ref.find_jurisdiction(text)
        if jid:
            return government_of(ctx, jid, span.text, span.start, span.end)
        by_agent = (span.start > sent.start and ctx.lower[span.start - 1] == "by"
                    and not (span.end < len(ctx.words) and ctx.words[span.end] == "-"))  # "by London-based X"
        if span.label_ == "NORP" or not (by_agent or LOCAL_GOVERNMENT_WORDS & set(text.lower().split())):
            # "London", "Los Angeles": a place the reference does not know is where, not who; but what a
            # measure is "by" acts (NER calls many bodies it does not know places)
            return None
        return new_body(text, span.text, "local_government", ctx.dominant_of("country"), span.start, span.end)
    words_of_name = text.lower().split()
    if span.label_ == "PERSON" or words_of_name[-1] in PRODUCT_ENDINGS or words_of_name[0] in JOB_TITLES:
        return None  # a person ("CFO Rich Bressler"); "WhatsApp AI", "Acme Labs": a product or a company
    if len(words_of_name) >= 2 and re.sub(r"[^a-z0-9]", "", text.lower()) in ctx.outlet_names \
            and reporting_position(ctx, span, sent):
        return None  # "told Cyber Daily" on cyberdaily.au: the outlet reporting
    return new_body(text, span.text, "ORG", place_of_name(ctx, span.start, span.end, sent), span.start, span.end)


def place_of_name(ctx, start, end, sent):
    """An unknown body's jurisdiction: a place named just before its name, inside it or right after it ("the
    Fairfax County School Board in Virginia"), else the document's country."""
    jid = None
    window = ctx.settings.ner_place_window
    for j in ctx.spans("jurisdiction", max(sent.start, start - window), min(sent.end, end + window)):
        if j.end <= end or ctx.lower[end] in NER_PLACE_LINKS:
            jid = j.kb_id_
    return jid or ctx.dominant_of("country")


REPORTING_VERBS = words("reporting_verb")  # "Cyber Daily reported", "... has learned"


def reporting_position(ctx, span, sent):
    """Where a page names its own outlet: told to it ("told Cyber Daily", "according to Cyber Daily"), or
    reporting ("Cyber Daily has learned")."""
    before = ctx.lower[span.start - 1] if span.start > sent.start else ""
    return before in RECIPIENT_BEFORE or reports(ctx, span, sent)


def reports(ctx, span, sent):
    """"The Los Angeles Times reported that ...", "Cyber Daily has learned": a news outlet at work."""
    after = [w for w in ctx.lower[span.end:min(sent.end, span.end + 2)] if w not in ("has", "have")]
    return bool(after) and after[0] in REPORTING_VERBS


# ---- which actors took the measure a trigger states ----

URGING = words("urging")


def urged_addressee(ctx, actor, trigger):
    """"...urged Google and Apple to remove it": whom a call is made to does not act."""
    cfg = ctx.settings
    before = ctx.lower[max(0, actor.start - cfg.urged_window):actor.start]
    urging = [i for i, w in enumerate(before) if w in URGING]
    between = ctx.lower[actor.end:trigger.start]
    # the urging word, then only the names it addresses ("urged Google and Apple to ...")
    return bool(urging) and "to" in between and len(between) <= cfg.urged_gap and \
        not any(w in ADDRESSEE_END for w in before[urging[-1] + 1:])


# a court asked to rule by a prosecutor or a body
ASKED_BODY_NOUNS = {"court", "judge"}


def urging_before(ctx, trigger, sent):
    """Positions of the urging words ("asked", "pressing") of "... to <trigger>", nearest last."""
    if trigger.start - 1 <= sent.start or ctx.lower[trigger.start - 1] != "to":
        return []
    start = max(sent.start, trigger.start - 1 - ctx.settings.urged_window - ctx.settings.urged_gap)
    return [i for i in range(start, trigger.start - 1) if ctx.lower[i] in URGING]


def asked_of_a_body(ctx, trigger, sent):
    """"a complaint asking the agency to look into Replika", "Advocacy groups ask FTC to investigate": a
    measure someone asks a body to take is not taken (who asks a company to stop acts, and is found as
    the one urging)."""
    urging = urging_before(ctx, trigger, sent)
    if not urging:
        # "asking the authority to order OpenAI to delete ... and to fine the company": the request goes on
        return trigger.start - 2 > sent.start and ctx.lower[trigger.start - 2:trigger.start] == ["and", "to"] \
            and any(t.end <= trigger.start - 2 and asked_of_a_body(ctx, t, sent) for t in ctx.in_sent("trigger", sent))
    first, last = urging[-1] + 1, trigger.start - 1
    asked = {g for g in ("body_anaphor", "agency", "government") for s in ctx.in_sent(g, sent)
             if first <= s.start and s.end <= last}
    if "body_anaphor" in asked:  # "... with the FTC asking the agency to": the body named, asked
        return True
    asked_agencies = [s for s in ctx.in_sent("agency", sent) if first <= s.start and s.end <= last]
    types = [ctx.ref.agencies.get(s.kb_id_, {}).get("type") for s in asked_agencies]
    if ASKED_BODY_NOUNS & set(ctx.lower[first:last]) or "legislature" in types:
        # "asked a criminal court of peace in Ankara to restrict access": the court decides; "NASA has asked
        # Congress to ban DeepSeek": nobody instructs a legislature
        return True
    askers = [a for a in actors_in(ctx, sent) if a.end <= urging[-1]]
    # "Poland intends to ask the European Commission to look into Grok": a body outside the asker's
    # jurisdiction is asked, not instructed (a company asked is told)
    if any(outside_of(ctx, s, askers) for s, kind in zip(asked_agencies, types) if kind != "company"):
        return True
    # "The ministry asked government agencies to stop using it" is the ministry's instruction
    return bool(asked) and not askers


def outside_of(ctx, span, askers):
    """The body named by `span` answers to none of the askers' jurisdictions (the European Commission
    to Poland)."""
    home = ctx.ref.agencies.get(span.kb_id_, {}).get("jurisdiction")
    places = [a.jurisdiction_id for a in askers if a.jurisdiction_id]
    return bool(home and places) and not any(p in ctx.ref.reference.jurisdiction_chain(home) for p in places)


def lawmakers_urge(ctx, trigger, sent, agents):
    """"Two congressmen are pressing governors to keep DeepSeek off state phones": lawmakers calling on
    others to act bind no one; their call is a proposal (a legislature binds by law, not by letter)."""
    if not agents or any(a.kind != "legislature" for a in agents):
        return False
    return any(i >= agents[0].end for i in urging_before(ctx, trigger, sent))


STORE_NOUNS = words("store_noun")
ORDERING_WORDS = words("ordering") | words("request_noun") | {"requested", "demanded"}  # "after the Garante's order"


def store_orderer(ctx, agents, sent):
    """"Apple and Google removed DeepSeek from their Italian app stores after the Garante's order": shops
    carrying out a body's order; the measure is that body's. The body, or None."""
    return ordering_body(ctx, sent) if stores_acting(ctx, agents, sent) else None


def stores_acting(ctx, agents, sent):
    """Companies acting in a sentence about their (app) stores: shops carrying out someone's measure."""
    return bool(agents) and all(a.kind == "company" for a in agents) and bool(STORE_NOUNS & set(ctx.lower[sent.start:sent.end]))


def complied_with(ctx, agents, sent, tools):
    """"Meta Platforms delayed a plan to train AI models ... due to a request from the Irish Data Protection
    Commission": a maker pausing its own product at a body's request or order; the measure is that body's.
    The body, or None. (A maker the reference knows as a vendor is often no actor at all: no agents.)"""
    if not tools or any(a.kind != "company" or not all(is_own_product(ctx, a, t) for t, _ in tools) for a in agents):
        return None
    tool_spans = ctx.in_sent("tool", sent)
    makers = {v.kb_id_ for v in ctx.in_sent("vendor", sent)  # the maker named as a firm, not as its tool
              if not any(t.start < v.end and v.start < t.end for t in tool_spans)}
    if not all(ctx.ref.maker_of(t) in makers for t, _ in tools):
        return None
    return ordering_body(ctx, sent)


def ordering_body(ctx, sent):
    """The body a sentence names beside an order or request for companies to carry out: the first actor of
    the sentence that is no company, or None when the sentence speaks of no order or request."""
    if not ORDERING_WORDS & set(ctx.lower[sent.start:sent.end]):
        return None
    return next((a for a in actors_in(ctx, sent) if a.kind != "company" and not a.generic), None)


RECIPIENT_BEFORE = words("recipient_before")
REACTING = words("reacting")  # "welcomed", "criticised": an opinion of someone else's measure


def reacts_to(ctx, actor, trigger):
    """"Toby Walsh, the chief scientist at UNSW's AI Institute, welcomed the move to reverse the ban":
    who welcomes or criticises a measure comments on it; it is someone else's."""
    return any(w in REACTING for w in ctx.lower[actor.end:trigger.start])


def agents_for(ctx, trigger, sent, actors, passive):
    """The actors of one trigger (rule 3 of pipeline/events.py) and how they were found (the "via")."""
    legislature = bill_legislature(ctx, trigger, sent, actors)
    if legislature is not None:
        return [legislature], "subject"  # the bill's subject position is its legislature's
    if not actors:
        return [], ""
    agent = by_agent(ctx, trigger, actors) or issued_under(ctx, trigger, sent, actors)
    if agent is not None:
        recalled = RECALLING_CUES & set(ctx.lower[sent.start:trigger.start])
        return [agent] + ([] if recalled else listed_after(ctx, agent, actors)), "by"
    left = [a for a in actors if a.end <= trigger.start and a.via != "locative"
            and not urged_addressee(ctx, a, trigger) and not reacts_to(ctx, a, trigger)]
    antecedent = relative_antecedent(ctx, trigger, left)
    if antecedent is not None:
        return [antecedent], "relative"
    holders = [runner_of(ctx, a, actors) or a for a in actors if is_holder(ctx, a, sent)]
    if passive and holders:
        return holders[:1], "holder"
    subject = clause_subject(ctx, trigger, sent, left)
    if subject is not None:
        # "X ordered Y to block": the one who gave the order acts
        subject = order_giver_of(ctx, subject, trigger, sent, left) or subject
        group = [subject] + coordinated(ctx, subject, left)
        group = without_descendants(ctx, group + list_head_after_in(ctx, group, actors))
        if passive and len(group) == 1 and not speaker(ctx, subject, sent) and holders:
            return holders[:1], "holder"
        # "Queensland and Tasmania have joined New South Wales in banning": the joiners act too
        joiners = joined_by(ctx, group, left)
        return without_descendants(ctx, group + joiners), "subject"
    if passive:
        found = passive_agent(ctx, trigger, sent, actors, left)
        if found:
            return found
    if holders:
        return holders[:1], "holder"
    found = trailing_speaker(ctx, trigger, sent, actors)
    if found:
        return found
    # "ChatGPT is back online in Italy": where the measure holds, when nobody is named; "DeepSeek is banned
    # at the Department of Defense": a body named as where holds it as its own
    locative = [a for a in actors if 0 <= a.start - trigger.end <= ctx.settings.locative_gap
                and (a.via == "locative" or passive and not a.generic and named_as_where(ctx, a))]
    if locative:
        return locative[:1], "locative"
    return [], ""


def list_head_after_in(ctx, group, actors):
    """"Government agencies in Texas, Virginia, New York and Iowa have banned ...": the place after "in"
    opening a list of the same kind of body is one of them (not only where it holds)."""
    if len(group) < 2:
        return []
    first = min(group, key=lambda a: a.start)
    head = next((a for a in actors if a.via == "locative" and a.end <= first.start), None)
    if head is None or head.kind != first.kind or any(a.start < head.start for a in group):
        return []
    between = ctx.lower[head.end:first.start]
    return [head] if between and all(w in COORDINATION for w in between) else []


WHERE_PREPOSITIONS = LOCATIVE | {"at"}


def named_as_where(ctx, actor):
    """"at the Department of Defense", "across Sciences Po": a preposition of place (and "the") before it."""
    i = actor.start - 1
    if i > 0 and ctx.lower[i] == "the":
        i -= 1
    return i >= 0 and ctx.lower[i] in WHERE_PREPOSITIONS


def bill_legislature(ctx, trigger, sent, actors):
    """"This bill prohibits DeepSeek", "Legislation that would require agencies to remove it": a bill
    that is its clause's subject (before any body) proposes for the legislature it is before, the one
    its sentence names or else the document's first."""
    bill = next((i for i in range(sent.start, trigger.start) if ctx.lower[i] in LEGISLATIVE_NOUNS), None)
    if bill is None:
        return None
    # the sentence opens with the bill ("This bill", "The proposed legislation"), not "signing a bill that"
    opening = range(sent.start, bill)
    if len(opening) > ctx.settings.bill_opening_words or any(
            ctx.alpha[i] and ctx.lower[i] not in BILL_OPENERS for i in opening):
        return None
    if any(ctx.lower[i] in CLAUSE_BREAKS for i in range(bill, trigger.start)) \
            or any(a.start < bill and a.via != "locative" for a in actors):
        return None
    # the sentence's legislature, else the document's first (its sentences read only as far as needed)
    for candidates in itertools.chain([actors], (actors_in(ctx, s) for s in ctx.sents)):
        legislatures = [a for a in candidates if a.kind == "legislature"]
        if legislatures:
            return legislatures[0]
    return None


ISSUED_BY = {"from", "by", "issued", "of", "adopted", "approved", "published"}


def issued_under(ctx, trigger, sent, actors):
    """"Aides may use them only for research ..., under a notice from the CIO of the Senate Sergeant at
    Arms": the measure is the one whose notice, order or policy it stands under."""
    for noun in ctx.spans("measure_noun", trigger.end, sent.end):
        if "under" not in ctx.lower[max(trigger.end, noun.start - 2):noun.start] \
                or noun.end >= sent.end or ctx.lower[noun.end] not in ISSUED_BY:
            continue
        for actor in actors:
            between = ctx.lower[noun.end:actor.start]
            if 0 < len(between) <= ctx.settings.issued_under_window and not any(ctx.punct[i] for i in range(noun.end, actor.start)):
                return actor
    return None


def by_agent(ctx, trigger, actors):
    """"banned by X", "a ban issued by X"; "a warning from X" when the trigger is a noun (a company
    is where a thing is removed from, not who acts: "its removal from Apple's store")."""
    nominal = any(ctx.lower[i] in ARTICLES for i in range(max(0, trigger.start - 2), trigger.start))
    for actor in actors:
        between = ctx.lower[trigger.end:actor.start]
        if not (trigger.end <= actor.start <= trigger.end + ctx.settings.by_agent_window
                or described_before(ctx, between)):
            continue
        if any(w in {";", "."} for w in between):
            continue
        if "by" in between and between.index("by") and between[between.index("by") - 1] in JOINING:
            continue  # "the first agency to ban DeepSeek, followed by the Navy": one who acted too, later
        if "by" in between or nominal and between[:1] == ["from"] and actor.kind != "company" \
                or requested_by(ctx, between, actor) or nominal and launched_by(ctx, between, actor):
            return actor
    return None


def described_before(ctx, between):
    """"a warning from the national cyber security agency, NUKIB": the body is named after a
    description of it, so it stands further from the trigger than by_agent_window."""
    if len(between) > 2 * ctx.settings.by_agent_window or between[:1] not in (["by"], ["from"]):
        return False
    if "," not in between:
        return False
    comma = between.index(",")
    description, rest = between[1:comma], between[comma + 1:]
    return bool(GENERIC_ACTOR_WORDS & set(description)) and all(w.isalpha() or w == "'s" for w in description) \
        and all(w in ARTICLES for w in rest)


def launched_by(ctx, between, actor):
    """"a probe that Italy's competition authority, the AGCM, launched in July": the subject of the
    relative clause naming the measure launched it."""
    if [w for w in between if w not in ARTICLES] not in ([], ["that"], ["which"]):
        return False
    after = ctx.lower[actor.end:actor.end + ctx.settings.launched_window]
    for w in after:
        if w in ANNOUNCING_VERBS:
            return True
        if w in {".", ";", "and"} or w in RELATIVE_PRONOUNS:
            return False
    return False


REQUEST_NOUNS = words("request_noun")
ANNOUNCING_VERBS = words("announcing")


def requested_by(ctx, between, actor):
    """"pulled from the stores at the commission's request", "removed at the request of the Garante":
    who asked for the measure took it."""
    if "at" not in between:
        return False
    phrase = between[len(between) - between[::-1].index("at"):]  # the words after the last "at"
    named = [w for w in phrase if w not in ARTICLES]
    if named[-1:] == ["of"] and REQUEST_NOUNS & set(named):
        return True  # "at the request of X"
    after = ctx.lower[actor.end:actor.end + 2]
    return not named and len(after) == 2 and after[0] in POSSESSIVE \
        and after[1] in REQUEST_NOUNS  # "at the commission's request"


def relative_antecedent(ctx, trigger, left):
    """"the Navy, which banned it": the antecedent of a relative pronoun right before the trigger."""
    if not left:
        return None
    nearest = left[-1]
    between = ctx.lower[nearest.end:trigger.start]
    if any(w in RELATIVE_PRONOUNS for w in between) and len(between) <= ctx.settings.relative_gap:
        return nearest
    return None


PERFECT_AUXILIARIES = {"has", "have", "had"}


def breaks_clause(words):
    """A clause break among `words`; "has since banned" is an adverb, not "since the ban ..."."""
    return any(w in CLAUSE_BREAKS and not (w == "since" and k and words[k - 1] in PERFECT_AUXILIARIES)
               or w == "as" and k and (words[k - 1] == "even" or words[k - 1] == "," and words[k + 1:k + 2] != ["well"])
               for k, w in enumerate(words))  # "..., even as governments abroad moved to"; "..., as overseas bans pile up"


def new_subject(between):
    """"Some senators think it should be, and an online petition calling for Grok to be banned": a
    clause of its own, opening on a noun nobody's actor, comes between."""
    return any(between[k:k + 2] == [",", "and"] and between[k + 2] in ARTICLES for k in range(len(between) - 2))


def opens_subordinate_clause(ctx, actor, sent, between):
    """"Since Texas acted on Jan. 31, roughly ten states have told employees ...": the body is the
    subject of a clause the sentence opens with, and the comma closes it before the measure word."""
    return "," in between and sent.start <= actor.start - 1 and ctx.lower[sent.start] in CLAUSE_BREAKS \
        and not any(w in {",", ";"} for w in ctx.lower[sent.start:actor.start])


def clause_subject(ctx, trigger, sent, left):
    """The nearest actor to the trigger's left in its clause, skipping one who is written to or told
    ("the ministry wrote to central agencies asking...": the writer acts, not the addressee)."""
    for n, actor in enumerate(reversed(left)):
        between = ctx.lower[actor.end:trigger.start]
        if breaks_clause(between) or someone_else_speaks(ctx, actor.end, trigger.start) or new_subject(between) \
                or opens_subordinate_clause(ctx, actor, sent, between):
            return None
        if is_addressed(ctx, actor.start, sent) and n + 1 < len(left) \
                and not breaks_clause(ctx.lower[left[-n - 2].end:actor.start]):
            continue
        # "Paxton described the company as ... and said he would not allow": "he" is a person, not the company
        if reported_person_subject(between) and not is_person(ctx, actor, sent):
            continue
        return actor
    return None


def reported_person_subject(between):
    """"... said he would not allow": a person is the subject of the reported clause (not "the
    subcommittee he chairs")."""
    return any(w in PERSON_PRONOUNS and k and between[k - 1] in SPEECH_VERBS | {"that"} for k, w in enumerate(between))


def is_person(ctx, actor, sent):
    """The actor is named by an office holder's name or title ("Attorney General Paxton", "Abbott")."""
    return any(p.start <= actor.start < p.end for p in ctx.in_sent("person", sent))


ADDRESSEE_DETERMINERS = ARTICLES | {"all", "every", "its", "their"}  # "directed all federal ministries"


def is_addressed(ctx, start, sent):
    """The words before token `start` tell or write to it: "told staff", "directed all federal ministries"."""
    i = start - 1
    while i > sent.start and ctx.lower[i] in ADDRESSEE_DETERMINERS:
        i -= 1
    return sent.start <= i < start and ctx.lower[i] in RECIPIENT_BEFORE


SPEAKER_OPENERS = CLAUSE_BREAKS | {",", "and"}  # what comes before a speaker's name opening a clause


def someone_else_speaks(ctx, start, end):
    """"Speaking at a hearing of the Senate Commerce Committee, Smith said the restriction ...": a named
    speaker who is no body of ours stands between a body and the measure word, and the clause is his."""
    for i in range(start + 1, end):
        if ctx.lower[i] not in SPEECH_VERBS:
            continue
        name = i
        while name - 1 > start and ctx.is_title_case[name - 1] and ctx.alpha[name - 1]:
            name -= 1
        if name < i and ctx.lower[name - 1] in SPEAKER_OPENERS:
            return True
    return False


def passive_agent(ctx, trigger, sent, actors, left):
    """Who stands behind a passive with no subject: "MODA said workers would be banned" (the speaker),
    "DeepSeek may no longer be used ..., the government said" (a speaker after a comma), "banned in
    Italy" (where). Returns (actors, via) or None."""
    for actor in left:
        if speaker(ctx, actor, sent):
            return [actor], "speaker"
    found = trailing_speaker(ctx, trigger, sent, actors)
    if found:
        return found
    locative = [a for a in actors if a.start >= trigger.end and a.via == "locative"
                and a.start - trigger.end <= ctx.settings.passive_locative_gap]
    if locative:
        return locative[:1], "locative"
    return None


# "joined", "following", and the asides "together with", "along with": the bodies named with them join the measure
JOINING = words("joining") | words("joined_aside")
JOIN_BREAKS = (CLAUSE_BREAKS - {"after"}) | {".", ":"}  # "joined NSW after..." is no break
FOLLOWING_CUES = JOINING | {"like"}
JOINING_VERBS = JOINING - {"after", "following"}  # "joined", "followed": a verb of joining, not a time


def joined_by(ctx, group, left):
    """Actors before `group` whose verb joins them to it: "Queensland and Tasmania have joined NSW in
    banning..." (the subject of "joined" acts as the body it joins)."""
    first = min(group, key=lambda a: a.start)
    earlier = [a for a in left if a.end <= first.start]
    if not earlier:
        return []
    nearest = earlier[-1]
    between = ctx.lower[nearest.end:first.start]
    if not (set(between) & JOINING) or any(w in JOIN_BREAKS for w in between) \
            or len(between) > ctx.settings.joined_gap:
        return []
    if not (set(between) & JOINING_VERBS) and any(w.isalpha() and w not in JOINING for w in between):
        return []  # "the task force regulators set up after Italy blocked it": they did something else
    return [nearest] + coordinated(ctx, nearest, left)


FOLLOWER_LINKS = ARTICLES | {"similar", "earlier", "moves", "move", "steps", "bans", "ban", "those", "of", "in", "by"}


def followers_of(ctx, trigger, sent, actors):
    """"WA is the latest state to ban ChatGPT, following New South Wales, Queensland and Tasmania":
    the bodies named after "following" (or "after", "joining") took the measure before."""
    cfg = ctx.settings
    cues = ctx.positions_in(FOLLOWING_CUES, trigger.end, min(sent.end, trigger.end + cfg.follower_window))
    if not cues:
        return []
    cue = cues[0]
    after = [a for a in actors if cue < a.start <= cue + cfg.follower_gap]
    if not after:
        return []
    first = after[0]
    between = ctx.lower[cue + 1:first.start]
    if between and between[-1] != "by" and not all(w in FOLLOWER_LINKS for w in between):
        return []  # "after the chatbot insulted Erdogan": someone named, not someone who acted first
    following = ctx.lower[first.end:first.end + 2]
    if following[:1] in (["'s"], ["’s"]):
        following = following[1:]
    if following[:1] and following[0] in ADVISING_ACTS:
        return []  # "pulls DeepSeek off state devices after OMES review": the body advised, it took no measure
    group = [first]
    for other in [a for a in actors if a.start > first.end]:
        between = ctx.lower[group[-1].end:other.start]
        if between and all(w in COORDINATION or not w.strip() for w in between):
            group.append(other)
        else:
            break
    return group


ADVISING_ACTS = words("advising_act")  # "review", "audit", "recommendation": what a body did instead of a measure


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


RUNNER_VERBS = words("runner_verb")


def runner_of(ctx, holder, actors):
    """"the Defense Department's network, run by the Defense Information Systems Agency": the body
    that runs what another body holds is the one that blocks things on it."""
    for actor in actors:
        if holder.end < actor.start <= holder.end + 6:
            between = ctx.lower[holder.end:actor.start]
            if "by" in between and set(between) & RUNNER_VERBS and not {".", ";"} & set(between):
                return actor
    return None


def is_holder(ctx, actor, sent):
    """'NASA employees', 'staff at the Commerce Department', 'Senate devices', 'Treasury-issued laptops'."""
    cfg = ctx.settings
    nouns = ctx.in_sent("staff", sent) + ctx.in_sent("scope", sent)
    for noun in nouns:
        gap = without_parenthetical(ctx.lower[actor.end:noun.start])  # "the Storting's (parliament) systems"
        if actor.end <= noun.start and (len(gap) == 0 or all(
                w in HOLDER_SUFFIXES or w in POSSESSIVE for w in gap) and len(gap) <= cfg.holder_suffix_gap):
            return True
        if noun.end <= actor.start:
            gap = ctx.lower[noun.end:actor.start]
            if 1 <= len(gap) <= cfg.holder_link_gap and gap[0] in HOLDER_LINKS \
                    and all(w in HOLDER_GAP_WORDS for w in gap):
                return True
    return False


def without_parenthetical(tokens):
    """The tokens with one bracketed aside taken out."""
    if "(" in tokens and ")" in tokens[tokens.index("("):]:
        opening = tokens.index("(")
        closing = tokens.index(")", opening)
        return tokens[:opening] + tokens[closing + 1:]
    return tokens


def trailing_speaker(ctx, trigger, sent, actors):
    """"Voters should not rely on AI chatbots ..., the Dutch data protection authority said": the body
    speaking after a comma states the measure (not one in a clause of contrast: "Blocks of DeepSeek swept
    through ministries, while the Bank of Korea said it would wait"). Returns (actors, via) or None."""
    for actor in actors:
        between = ctx.lower[trigger.end:actor.start]
        if actor.start > trigger.end and "," in between and not SPEAKER_CONTRAST & set(between) \
                and actor.via != "locative" and (speaker(ctx, actor, sent) or directs(ctx, actor, sent)):
            return [actor], "speaker"
    return None


SPEAKER_CONTRAST = words("contrast")  # "while", "but", "whereas": a clause of its own


def directs(ctx, actor, sent):
    """"..., the High Court has directed": an order verb right after the actor (its own, not one it reports)."""
    end = min(sent.end, actor.end + ctx.settings.speaker_window)
    return any(o.start - actor.end <= 2 for o in ctx.spans("order_verb", actor.end, end))


def speaker(ctx, actor, sent):
    """'X said', 'X told reporters', 'according to X': the actor speaks."""
    window = ctx.lower[actor.end:min(sent.end, actor.end + ctx.settings.speaker_window)]
    if any(w in SPEECH_VERBS for w in window):
        return True
    return "according" in ctx.lower[max(sent.start, actor.start - ctx.settings.according_window):actor.start]


def order_giver_of(ctx, actor, trigger, sent, left):
    if not (trigger.start >= 1 and ctx.lower[trigger.start - 1] == "to"):
        return None
    for order in ctx.in_sent("order_verb", sent):
        if order.end <= actor.start and actor.start - order.end <= ctx.settings.order_gap:
            givers = [a for a in left if a.end <= order.start]
            if givers:
                return givers[-1]
    return None


def coordinated(ctx, actor, left):
    """Actors listed with this one: 'NASA, the Navy and the Pentagon'."""
    group = []
    current = actor
    for other in reversed([a for a in left if a.end <= actor.start]):
        between = ctx.lower[holder_name_end(ctx, other, current.start):_owner_start(ctx, current)]
        # a school system listed by its place may have unknown places beside it ("New York City, Los Angeles and")
        named = other.via == "listed" and all(ctx.is_title_case[i] for i in range(other.end, current.start)
                                              if ctx.lower[i] not in COORDINATION)
        if between and (named or all(w in COORDINATION or not w.strip() for w in between)) \
                or _parenthetical(ctx.text(other.end, current.start)):
            group.append(other)
            current = other
        else:
            break
    return group


# "had already been banned by Texas, New York and Virginia": a list recalled, the bodies' own news elsewhere
RECALLING_CUES = words("background_cue")
LIST_CONTINUERS = words("list_continuer")  # "and", "on", "in": what may follow one body of a list


def listed_after(ctx, actor, actors):
    """Actors listed after this one: "banned by the Pentagon, NASA and the US Navy"."""
    group, current = [], actor
    for other in [a for a in actors if a.start >= actor.end]:
        between = ctx.lower[holder_name_end(ctx, current, other.start):other.start]
        if not between or not all(w in COORDINATION or not w.strip() for w in between) or opens_a_clause(ctx, other):
            break
        group.append(other)
        current = other
    return group


def opens_a_clause(ctx, actor):
    """"..., and the Navy said it was reviewing the decision": a body followed by a verb in lower case
    is the subject of a clause of its own, not one more of a list."""
    i = actor.end
    return i < len(ctx.words) and ctx.alpha[i] and ctx.is_lower[i] and ctx.lower[i] not in LIST_CONTINUERS


def holder_name_end(ctx, actor, limit):
    """Where the name of an office's holder after it ends ("California Attorney General Rob Bonta and ..."),
    or the actor's end when no name follows."""
    person = next((p for p in ctx.spans("person", actor.end, limit) if p.start == actor.end), None)
    if person is not None:
        return person.end
    i = actor.end
    if ctx.lower[actor.end - 1] in HOLDER_TITLES:
        while i < limit and i - actor.end < 3 and ctx.is_title_case[i]:
            i += 1
    return i


def listed_right_after(ctx, end, span):
    """Only "and", a comma or an article between a name ending at `end` and `span`: listed with it."""
    return all(w in COORDINATION or w in ARTICLES for w in ctx.lower[end:span.start])


def _owner_start(ctx, actor):
    """Where an actor's name starts with its owner: "Quebec's Commission d'accès ..." from "Quebec"."""
    i = actor.start - 1
    if i < 1 or ctx.lower[i] not in POSSESSIVE:
        return actor.start
    owners = [s for g in ("jurisdiction", "agency") for s in ctx.spans(g, max(0, i - 6), i) if s.end == i]
    return min((s.start for s in owners), default=actor.start)


def _parenthetical(text):
    text = text.strip()
    return bool(re.fullmatch(r"\([^)]{1,12}\)\s*(,|and)?", text))


def education_body_of(ctx, actor, sent):
    """A government acting on its schools ("banned in Western Australia's public schools") acts through
    the body that runs them: its education department, when the reference data knows it."""
    named_schools = local_schools(ctx, actor, sent)
    if named_schools is not None:
        return named_schools
    if not (actor.kind in ("national_government", "state_government") or actor.kind == "local_government" and actor.generic) \
            or not ctx.in_sent("school", sent):
        return actor  # (a city named bare, "New York City's decision to block ChatGPT on its school devices", too)
    body = ctx.ref.education_body(actor.jurisdiction_id)
    if body is None:
        return actor
    return body_actor(ctx, body, actor.mention, actor.start, actor.end)


def local_schools(ctx, actor, sent):
    """"Fairfax County schools blocked ChatGPT": a local body the reference does not know, the school word
    right after it, is that place's school system (new, named as written), not the county; None otherwise."""
    if actor.kind != "local_government" or actor.verified or actor.generic:
        return None
    school = next((s for s in ctx.in_sent("school", sent) if s.start == actor.end), None)
    if school is None:
        return None
    text = ctx.text(actor.start, school.end)
    return new_body(text, text, "local_government", actor.jurisdiction_id, actor.start, school.end)


def is_tool_home(ctx, actor, tool_id):
    """"China" read as the actor on DeepSeek, in "apps linked to China are now banned" or "DeepSeek, a
    startup in Hangzhou, China, has run into bans": a tool's home country, named bare, is where the
    tool comes from, not who restricts it. Its government named as such ("the Chinese government")
    still counts."""
    if not actor.generic or actor.kind not in ("national_government", "government"):
        return False
    home = ctx.ref.tool_home(tool_id)
    if not home or ctx.ref.country_of(actor.jurisdiction_id) != home:
        return False
    return not (set(ctx.lower[actor.start:actor.end]) & GOVERNMENT_WORDS)


def is_own_product(ctx, actor, tool_id):
    """A vendor restricting its own product (Meta pausing Meta AI) is product news, not a measure on it."""
    key = (actor.name, actor.mention, tool_id)
    if key not in ctx.own_product_cache:
        ctx.own_product_cache[key] = _is_own_product(ctx, actor, tool_id)
    return ctx.own_product_cache[key]


def _is_own_product(ctx, actor, tool_id):
    names = ctx.ref.makers_names(tool_id)
    return fold_name(actor.name) in names or fold_name(actor.mention) in names
