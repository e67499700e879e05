"""Mentions of measures -> one event per (actor, tool, kind of action, stage) in a document."""
import datetime
import re
from collections import Counter, defaultdict
from dataclasses import replace

from banwatch.lexicon import words
from banwatch.names import name_words, slugify
from pipeline import dates as datemod
from pipeline.actors import actors_in, is_acronym, new_body
from pipeline.context import no_line_break_between
from pipeline.decide import event_features
from pipeline.event_dates import date_candidates
from pipeline.triggers import LEGISLATIVE_NOUNS, is_background

# Among mentions of one measure, the most specific word wins a tie: a suspension is a temporary
# ban, a ban outranks the restriction it implies, and a warning is the weakest statement.
ACTION_RANK = {"suspend": 4, "ban": 3, "restrict": 2, "warn": 1}
NOT_AUTHORIZED_CUES = words("not_authorized")
GENERIC_SECURITY = words("generic_security")  # "security concerns": whose security, the tool's origin says
NAME_FILLERS = words("name_filler")
REFER_BACK_DETERMINERS = words("refer_back_determiner")


def action_class(action):
    return action if action in ("lift", "investigate", "warn") else "measure"


def assemble(ctx, mentions, body_offset):
    groups = defaultdict(list)
    for m in spell_out_initials(ctx, known_models(ctx, mentions)):
        groups[(m.actor.key, m.tool_id, action_class(m.action), m.stage)].append(m)
    merge_country_mentions(ctx, groups)
    merge_stages_of_one_sentence(groups)
    merge_nested_bodies(ctx, groups)
    drop_summing_collectives(ctx, groups)
    groups = split_by_date(ctx, groups)
    if not groups:
        return []
    weights = {key: sum(m.weight for m in ms) for key, ms in groups.items()}
    main_key = max(weights, key=lambda k: (any(m.in_title for m in groups[k]), weights[k]))
    used_sentences = defaultdict(set)
    for key, ms in groups.items():
        for m in ms:
            used_sentences[key].add(ctx.sentence_index(m.sentence.start))
    kinds_of = defaultdict(set)  # (actor, tool) -> the kinds of action the document gives it
    for key in groups:  # (actor, tool, kind, stage[, date cluster])
        kinds_of[key[:2]].add(key[2])
    events = []
    for key, ms in groups.items():
        others = set().union(*(s for k, s in used_sentences.items() if k != key)) if len(used_sentences) > 1 \
            else set()
        event = build_event(ctx, ms, key == main_key, used_sentences[key], others, body_offset)
        beside_measure = key[2] != "measure" and "measure" in kinds_of[key[:2]]
        event["features"] = event_features(ctx, ms, event, key == main_key, len(groups), beside_measure)
        # after the features: the decision layer learned from what the measure's own sentences date
        refine_date(ctx, event, ms, used_sentences[key], others if key == main_key else None)
        if event["date_source"] == "text" and before_release(ctx, event["tool_id"], event["date"]):
            continue  # "DeepSeek is newer than ChatGPT, and Italy banned it in 2023": not on DeepSeek
        events.append(event)
    events.sort(key=lambda e: (e["date"] or "", e["agency"], e["tool"]))
    return events


INITIALS_SKIP = NAME_FILLERS | words("name_link") | {"&"}  # "University of Idaho": UI


def known_models(ctx, mentions):
    """"R1, the model released by China's DeepSeek": a version name the reference does not list alone (it
    means too many things) that ends a known tool's name the document mentions ("DeepSeek R1") is that
    tool."""
    if not any(m.tool_id.startswith("new:") for m in mentions):
        return mentions
    tails = {}
    for tool_id in {s.kb_id_ for s in ctx.group("tool")[0] if not s.kb_id_.startswith("new:")}:
        for name in ctx.ref.names(ctx.ref.tools.get(tool_id, {})):
            words_of = re.split(r"[\s-]+", name.lower())
            if len(words_of) > 1 and re.search(r"[a-z]", words_of[-1]) and re.search(r"\d", words_of[-1]):
                tails.setdefault(words_of[-1], set()).add(tool_id)  # a model's version: "R1", "V3"
    out = []
    for m in mentions:
        owners = tails.get(m.tool_mention.lower()) if m.tool_id.startswith("new:") else None
        out.append(replace(m, tool_id=next(iter(owners))) if owners and len(owners) == 1 else m)
    return out


def spell_out_initials(ctx, mentions):
    """"OIT" and "UI" beside "University of Idaho Office of Information Technology", "Department of
    Customer Service" beside "NSW Department of Customer Service": one body the reference does not know,
    under a short name and its full one; the short name's mentions go to the full name. A short name the
    document spells out ("the Dutch Research Council (NWO)") is that name, whatever its initials; an
    acronym of a known body the document names ("the ARC") is that body."""
    names = {m.actor.name: m.actor for m in mentions if not m.actor.verified}
    known = {m.actor.name: m.actor for m in mentions if m.actor.verified}
    defined = defined_acronyms(ctx)
    out = []
    for m in mentions:
        full = None if m.actor.verified else full_name_of(m.actor.name, names)
        if full is None and not m.actor.verified and m.actor.name in defined:
            spelled = defined[m.actor.name]
            full = names.get(spelled) or known.get(spelled) or replace(m.actor, key=f"new:{slugify(spelled)}",
                                                                       name=spelled)
        if full is None and m.actor.verified and m.actor.mention in defined \
                and not names_the_agency(ctx, defined[m.actor.mention], m.actor.agency_id):
            # "The Norwegian Nurses Organisation (NSF)": here NSF is the union, not the reference's NSF
            spelled = defined[m.actor.mention]
            full = names.get(spelled) or new_body(spelled, spelled, "ORG", jurisdiction_in(ctx, spelled), 0, 0)
        if full is None and not m.actor.verified:
            full = known_initials(m.actor.name, known)
        if full is not None:
            m = replace(m, actor=replace(full, mention=m.actor.mention, start=m.actor.start, end=m.actor.end,
                                         via=m.actor.via))
        out.append(m)
    return out


ACRONYM_NAME_LINKS = words("name_link") | NAME_FILLERS


def names_the_agency(ctx, name, agency_id):
    """Whether `name` is one of the reference agency's names, or holds one ("U.S. National Science
    Foundation" holds "National Science Foundation")."""
    key = name_words(name)
    return any(n and (n in key or key in n) for n in map(name_words, ctx.ref.names(ctx.ref.agencies[agency_id])))


def jurisdiction_in(ctx, name):
    """The place a body's name holds ("Norwegian Nurses Organisation": Norway), else the story's country."""
    for word in name.split():
        found = ctx.ref.find_jurisdiction(word)
        if found:
            return found
    return ctx.dominant_of("country")


def defined_acronyms(ctx):
    """{"NWO": "Dutch Research Council"}: the short names a document defines in brackets right after a
    capitalised name ("the Dutch Research Council (NWO)"). The name is the longest run of capitalised
    words and linking words before the bracket, across commas only when its initials are the short
    name's ("Ministry of Business, Innovation and Employment (MBIE)"); "the" inside a run ends it."""
    found = {}
    for i in ctx.positions(("(",)):
        if i + 2 >= len(ctx.words) or ctx.words[i + 2] != ")":
            continue
        short = ctx.words[i + 1]
        if not is_acronym(short) or short in found:
            continue
        starts, start = [], i  # where the name may start: after each comma the run crosses
        while start > 0 and "\n" not in ctx.words[start - 1] and ctx.lower[start - 1] != "the":
            word = ctx.words[start - 1]
            if ctx.is_title_case[start - 1] or word.isupper() or ctx.lower[start - 1] in ACRONYM_NAME_LINKS:
                start -= 1
            elif word == "," and start - 2 >= 0 and ctx.is_title_case[start - 2]:
                starts.append(start)
                start -= 1
            else:
                break
        starts.append(start)
        names = []
        for first in starts:
            while first < i and (ctx.lower[first] in ACRONYM_NAME_LINKS or ctx.words[first] == ","):
                first += 1  # "of", "and" open no name
            names.append(ctx.text(first, i).strip())
        name = next((n for n in reversed(names) if initials_of(n.replace(",", " ")) == short), names[0])
        if len(name.split()) >= 2:  # one capitalised word is a place or a person, not a body's full name
            found[short] = name
    return found


def known_initials(short, known):
    """"The ARC" beside "the Australian Research Council": a known body the document names in full, whose
    initials the short name is exactly (the reference lists no acronym that means several things)."""
    if not is_acronym(short):
        return None
    return next((a for name, a in known.items() if initials_of(name) == short), None)


def full_name_of(short, names):
    """The body of `names` that `short` abbreviates: for initials, the name whose initials they are, else
    the longest holding a run of words with those initials, else the longest opening on them; for a name,
    the longest ending on it."""
    if is_acronym(short):
        spelled = [a for name, a in names.items() if name != short and short in runs_of_initials(name)]
        if not spelled:  # "TPG" beside "TPG Telecom": the name it opens
            spelled = [a for name, a in names.items() if name.startswith(short + " ")]
        return max(spelled, key=lambda a: (initials_of(a.name) == short, len(a.name)), default=None)
    longer = [a for name, a in names.items() if name.endswith(" " + short)]
    return max(longer, key=lambda a: len(a.name), default=None)


def unknown_tool_name(ctx, mention):
    """A tool the reference does not know, named as the text first writes it ("EPIK", even when the
    measure's own sentence says "the app")."""
    return next((s.text for s in ctx.group("tool")[0] if s.kb_id_ == mention.tool_id), mention.tool_mention)


def initials_of(name):
    return "".join(w[0] for w in name.split() if w.lower() not in INITIALS_SKIP and w[:1].isupper())


def runs_of_initials(name):
    """The initials of every run of capitalised words in `name`, linking words skipped: "University of
    Idaho Office" gives "U", "UI", "UIO", "I", "IO", "O"."""
    initials = initials_of(name)
    return {initials[i:j] for i in range(len(initials)) for j in range(i + 1, len(initials) + 1)}


def merge_stages_of_one_sentence(groups):
    """"In January it blocked ChatGPT, explaining that the chatbot would stay off-limits while ...": a
    proposal read only in sentences that state the same body's measure in force is that measure, told
    once."""
    for key in [k for k in groups if k[3] == "proposed"]:
        enacted = groups.get(key[:3] + ("enacted",))
        if enacted and {m.sentence.start for m in groups[key]} <= {m.sentence.start for m in enacted}:
            del groups[key]  # its dates are the enacted statement's own, or a hedge's ("would stay")


def merge_country_mentions(ctx, groups):
    """'Italy blocked DeepSeek' and 'the Garante ordered the block' are one measure by the Garante;
    'the Treasury' (found by NER) is the 'Pennsylvania Treasury' the document names elsewhere."""
    for key in list(groups):
        ms = groups[key]
        actor = ms[0].actor
        if not actor.verified and not actor.generic:
            words = set(normalize_words(actor.name))
            targets = [k for k in groups if k != key and k[1:] == key[1:] and groups[k][0].actor.verified
                       and words and words <= set(normalize_words(groups[k][0].actor.name)
                                                  + normalize_words(groups[k][0].actor.mention))]
            if not targets and ctx.publisher:
                # "the Office of the Chief Information Officer" in a NASA memo on nasa.gov: NASA's own office
                targets = [k for k in groups if k != key and k[1:] == key[1:] and k[0] == ctx.publisher]
            if len(targets) == 1:
                groups[targets[0]].extend(ms)
                del groups[key]
            continue
        if not actor.generic or actor.kind == "officials":
            continue  # officeholders acting together are nobody's stand-in
        country = ctx.ref.country_of(actor.jurisdiction_id)
        # a body inside the place named: Italy -> its Garante; Texas -> a Texas body, never New York's
        targets = [k for k in groups if k != key and k[1:] == key[1:] and not groups[k][0].actor.generic
                   and actor.jurisdiction_id in ctx.ref.reference.jurisdiction_chain(
                       groups[k][0].actor.jurisdiction_id or actor.jurisdiction_id)
                   and (only_warnings(ms) or not only_warnings(groups[k]))]
        if len(targets) == 1:
            groups[targets[0]].extend(ms)
            del groups[key]
            continue
        # no named body acting in the same way: the one regulator of that country the document names
        regulator = document_regulator(ctx, country)
        if regulator and not targets:
            agency = ctx.ref.agencies[regulator]
            for m in ms:
                m.actor = type(actor)(key=regulator, name=agency["name"], mention=m.actor.mention,
                                      agency_id=regulator, kind=agency.get("type"),
                                      jurisdiction_id=agency.get("jurisdiction"), start=m.actor.start,
                                      end=m.actor.end)
            groups.setdefault((regulator,) + key[1:], []).extend(ms)
            del groups[key]


def drop_summing_collectives(ctx, groups):
    """"At least three governors have barred DeepSeek", then each governor's ban: the collective mention
    only sums up the bodies' own measures (it stays when it is all the story says)."""
    for key in [k for k in groups if str(k[0]).startswith("collective:")]:
        country = ctx.ref.country_of(groups[key][0].actor.jurisdiction_id)
        bodies = [k for k in groups if k != key and k[1:] == key[1:] and not str(k[0]).startswith("collective:")
                  and ctx.ref.country_of(groups[k][0].actor.jurisdiction_id) == country]
        if len(bodies) >= 2:
            del groups[key]


def only_warnings(ms):
    """A body that only warned about a tool did not take the ban a country mention reports."""
    return all(m.action == "warn" for m in ms)


REGULATOR_TYPES = ("dpa", "regulator", "court")


def document_regulator(ctx, country):
    """The single regulator (or court) of a country that a document names, if there is exactly one."""
    found = {s.kb_id_ for s in ctx.spans("agency")
             if ctx.ref.agencies[s.kb_id_].get("type") in REGULATOR_TYPES
             and ctx.ref.country_of(ctx.ref.agencies[s.kb_id_].get("jurisdiction")) == country}
    return found.pop() if len(found) == 1 else None


EDUCATION_KINDS = ("university",)  # the reference's kind for universities and university systems


def merge_nested_bodies(ctx, groups):
    """The Senate and the Senate's CIO blocking DeepSeek in one story are one measure: the body that
    acted (the more specific one) keeps it, unless the other is a government acting through it."""
    several_children = set()
    for key in list(groups):
        actor = groups[key][0].actor
        if actor.kind not in ("national_government", "state_government"):
            continue
        children = [k for k in groups if k != key and k[1:] == key[1:] and groups[k][0].actor.agency_id
                    and actor.agency_id in ctx.ref.reference.ancestors(groups[k][0].actor.agency_id)]
        if len(children) >= 2:
            # "South Korean ministries block DeepSeek", then each ministry's own block: the bodies acted
            several_children.add(key)
            if not any(GOVERNMENT_WORDS & set(normalize_words(m.actor.mention)) for m in groups[key]):
                del groups[key]  # the collective mention only summed up the bodies' measures
    for key in list(groups):
        if key not in groups:
            continue
        actor = groups[key][0].actor
        if not actor.agency_id:
            continue
        ancestors = set(ctx.ref.reference.ancestors(actor.agency_id))
        for other in list(groups):
            if other == key or other[1:] != key[1:] or other not in groups or key not in groups:
                continue
            other_actor = groups[other][0].actor
            together = {(m.trigger.start, m.sentence.start) for m in groups[key]} & \
                {(m.trigger.start, m.sentence.start) for m in groups[other]}
            if other in several_children or key in several_children:
                continue
            if only_warnings(groups[key]) != only_warnings(groups[other]):
                continue  # an agency's warning beside its government's ban: two steps
            if other_actor.agency_id in ancestors and not together:  # listed side by side: two measures
                if other_actor.kind in ("national_government", "state_government") and actor.kind in EDUCATION_KINDS:
                    continue  # a university applying its state's ban on its own network takes a measure of its own
                if other_actor.kind in ("national_government", "state_government"):
                    groups[other].extend(groups.pop(key))
                else:
                    groups[key].extend(groups.pop(other))


GOVERNMENT_WORDS = words("government_word")

def normalize_words(name):
    return [w for w in name_words(name).split() if w not in NAME_FILLERS]


def split_by_date(ctx, groups):
    """One body acting twice on a tool (a court blocking posts in July, the account in September):
    mentions whose dates lie more than settings.same_measure_days apart are separate events. An undated
    mention is taken to be about the news of the day, i.e. dated by publication."""
    out = {}
    for key, ms in groups.items():
        anchored = []
        for m in ms:
            anchor = _as_day(m.date[0]) if m.date else ctx.published
            anchored.append((anchor, m))
        dated = sorted([(a, i, m) for i, (a, m) in enumerate(anchored) if a is not None], key=lambda x: (x[0], x[1]))
        clusters = []
        for anchor, _, m in dated:
            if clusters and (anchor - clusters[-1][-1][0]).days <= ctx.settings.same_measure_days:
                clusters[-1].append((anchor, m))
            else:
                clusters.append([(anchor, m)])
        undated = [m for a, m in anchored if a is None]
        if len(clusters) <= 1:
            out[key] = ms
            continue
        largest = max(range(len(clusters)), key=lambda k: len(clusters[k]))
        for k, cluster in enumerate(clusters):
            members = [m for _, m in cluster] + (undated if k == largest else [])
            out[key + (k,)] = members
    return out


def _as_day(iso):
    parts = (iso + "-01-01").split("-")[:3]
    try:
        return datetime.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None


def build_event(ctx, ms, is_main, own_sentences, other_sentences, body_offset):
    best = max(ms, key=lambda m: (not m.in_title, m.weight, m.date is not None, m.via != "context"))
    # a named body beats the country it belongs to ("blocked in Italy" + "Italy's privacy regulator")
    named_bodies = [m for m in ms if not m.actor.generic or GOVERNMENT_WORDS & set(normalize_words(m.actor.mention))]
    # and the body that acted beats the parent it belongs to ("the Pentagon" in the headline, "DISA" in the text)
    inner = {a for m in named_bodies if m.actor.agency_id for a in ctx.ref.reference.ancestors(m.actor.agency_id)}
    named_bodies = [m for m in named_bodies if m.actor.agency_id not in inner] or named_bodies
    actor = max(named_bodies, key=lambda m: (m.weight, not m.in_title)).actor if named_bodies else best.actor
    # the mention naming the actor best (a named body beats "the government")
    named = [m for m in ms if not m.actor.generic] or ms
    mention_text = max(named, key=lambda m: (m.via != "context", len(m.actor.mention)))
    action = choose_action(ms, ctx.settings.title_weight)
    date, precision, date_text, date_source = choose_date(ctx, ms, own_sentences, other_sentences if is_main else None)
    if all(m.via == "following" for m in ms):
        reasons, reason_evidence = [], {}  # "joins NSW and Queensland": the story's reasons are its own measure's
    else:
        reasons, reason_evidence = reasons_for(ctx, own_sentences, domestic=is_domestic(ctx, actor, best.tool_id))
    scope = []
    for m in sorted(ms, key=lambda m: -m.weight):
        for s in m.scope:
            if s not in scope and not any(s in t for t in scope):
                scope = [t for t in scope if t not in s] + [s]
    sent = best.sentence
    sentence_text = ctx.text(sent.start, sent.end)
    evidence = re.sub(r"\s+", " ", sentence_text).strip()
    sent_start = ctx.idx[sent.start]
    start = sent_start - body_offset if sent_start >= body_offset else None
    tool = ctx.ref.tools.get(best.tool_id)  # None: a tool the reference does not know ("new:<slug>")
    jurisdiction = actor.jurisdiction_id
    return {
        "agency": actor.name,
        "agency_id": actor.agency_id,
        "agency_mention": mention_text.actor.mention,
        "agency_kind": actor.kind,
        "agency_verified": actor.verified,
        "country": ctx.ref.country_name(jurisdiction),
        "jurisdiction_id": jurisdiction,
        "tool": tool["name"] if tool else unknown_tool_name(ctx, best),
        "tool_id": best.tool_id if tool else None,
        "tool_mention": best.tool_mention,
        "action": action,
        "stage": best.stage,
        "date": date,
        "date_precision": precision,
        "date_text": date_text,
        "date_source": date_source,
        "reasons": reasons,
        "reason_evidence": reason_evidence,
        "scope": "; ".join(scope) or None,
        "evidence": evidence,
        "evidence_start": start,
        "evidence_end": (start + len(sentence_text.rstrip())) if start is not None else None,
        "confidence": confidence(ctx.settings, ms, actor, date_source),
    }


def is_bill(ms):
    """A legislature's proposed measure: what a bill would do."""
    return all(m.stage == "proposed" and m.actor.kind == "legislature" for m in ms)


def names_a_bill(ctx, sent):
    """"Senate Bill 44 was introduced on February 3": a sentence about the bill dates it."""
    return not LEGISLATIVE_NOUNS.isdisjoint(ctx.lower[sent.start:sent.end])


def choose_action(ms, title_weight=1.0):
    votes = Counter()
    for m in ms:
        # a headline's verb is loose ("NASA and Navy restrict DeepSeek"): it weighs no more than the body's
        votes[m.action] += m.weight / title_weight if m.in_title else m.weight
    if any(a != "warn" for a in votes) and "warn" in votes:
        del votes["warn"]
    return max(votes, key=lambda a: (round(votes[a], 3), ACTION_RANK.get(a, 0)))


def choose_date(ctx, ms, own_sentences, others=None):
    """A date read from the sentences stating the measure; else a nearby sentence about it; for the
    document's main event, else any sentence about a measure that no other event claims; else the
    publication date (when it was first reported)."""
    # "The investigation follows Governor Abbott's order last month": a date in a sentence that states
    # another event's measure, reached only through the context, is that measure's
    candidates = [(m.date, m.weight) for m in ms if m.date and not (
        others and m.via == "context" and ctx.sentence_index(m.sentence.start) in others)]
    if candidates:
        (iso, precision, text, score), _ = max(candidates, key=lambda c: (c[0][3] + c[1], c[0][1] == "day",
                                                                           -_ord(c[0][0])))
        return iso, precision, text, "text"
    nearby = []
    for index in sorted(own_sentences):
        before = index - 1  # blank lines are no sentences (banwatch_sentences)
        for k in (before, index + 1, index + 2):
            if 0 <= k < len(ctx.sents) and k not in own_sentences:
                sent = ctx.sents[k]
                # the sentence right after, or one further on in the same paragraph
                close = k == index + 1 or no_line_break_between(ctx, index, k)
                if close and (ctx.in_sent("measure_noun", sent) or is_bill(ms) and names_a_bill(ctx, sent)) \
                        and not ctx.in_sent("trigger", sent):
                    nearby.extend(date_candidates(ctx, sent))
                elif k == before and refers_back(ctx, ctx.sents[index]) \
                        and (not ctx.in_sent("tool", sent) or names_tool_or_maker(ctx, sent, ms[0].tool_id)) \
                        and k not in (others or ()) and ctx.in_sent("trigger", sent):
                    # "The ban covers DeepSeek...": the measure the sentence before announced, with its date
                    nearby.extend(date_candidates(ctx, sent, ctx.in_sent("trigger", sent)[0]))
    if not nearby and others is not None:
        tool_id = ms[0].tool_id
        for k, sent in enumerate(ctx.sents):
            if k in own_sentences or k in others or ctx.in_sent("other_product", sent):
                continue
            if any(t.kb_id_ != tool_id for t in ctx.in_sent("tool", sent)):
                continue
            if ctx.in_sent("measure_noun", sent) or ctx.in_sent("trigger", sent):
                nearby.extend(date_candidates(ctx, sent))
    if nearby:
        iso, precision, text, _ = best_date(nearby)
        return iso, precision, text, "text"
    if others is None and all(is_background(ctx, m) for m in ms):
        return None, None, None, None  # "states that already bar it": earlier than the story, date unknown
    if ctx.published:
        return ctx.published.isoformat(), "day", None, "published"
    if ctx.published_month:
        return ctx.published_month, "month", None, "published"
    if others is not None:
        told = page_date(ctx)
        if told:
            return told[0], told[1], told[2], "text"
    return None, None, None, None


def page_date(ctx):
    """An undated page's own date: its dated lead, else the day it was signed ("Given under my hand ...
    this 11th day of February, 2025" closing an executive order)."""
    return lead_date(ctx) or signed_date(ctx)


def signed_date(ctx):
    """A day, year written out, in one of the page's last sentences after a signing word ("signed", "given",
    "dated"): the day the page was issued."""
    for sent in reversed(ctx.sents[-ctx.settings.closing_sentences:]):
        for span in ctx.in_sent("date", sent):
            if not datemod.YEAR.search(span.text) or not SIGNING & set(ctx.lower[sent.start:span.start]):
                continue
            resolved = datemod.resolve(span.label_, span.text, None, ctx.default_year, ctx.not_before)
            if resolved and resolved[1] == "day":
                return resolved[0], resolved[1], span.text
    return None


def lead_date(ctx):
    """A page without a publication date that opens on a dated lead ("As we begin the 2025-2026 school
    year, ...", "Issued: June 26, 2023"): the date of the first of its first body sentences that has one,
    with its year written out or the year the page names most: when the page's main measure was told."""
    body = [sent for sent in ctx.sents if not ctx.is_title(sent)][:ctx.settings.lead_sentences]
    for sent in body:
        for span in ctx.in_sent("date", sent):
            if not datemod.YEAR.search(span.text) and ctx.default_year is None:
                continue  # "April 11" takes the year the page names most; without one, no guess
            resolved = datemod.resolve(span.label_, span.text, None, ctx.default_year, ctx.not_before)
            if resolved:
                return resolved[0], resolved[1], span.text
    return None


SIGNING = words("signing")
SPEECH_VERBS = words("speech_verb")
THIS_YEAR = {"this year"}


def refine_date(ctx, event, ms, own_sentences, others=None):
    """"this year" alone says no more than the publication date, which dates the measure instead; a
    measure dated by its publication takes the day its body spoke of it, when the story tells it; an
    undated page's measure its text does not date takes the page's own date, as the main one does
    ("HCPS now blocks ... chatgpt.com, Grok, Google Gemini and Claude" in a letter dated by its lead)."""
    actor = ms[0].actor
    if ctx.published is None:
        if event["date"] is None and not all(is_background(ctx, m) for m in ms):
            told = page_date(ctx)
            if told:
                event.update(date=told[0], date_precision=told[1], date_text=told[2], date_source="text")
        return
    if event["date_source"] == "text" and event["date_precision"] == "year" \
            and event["date"] == str(ctx.published.year) and (event["date_text"] or "").lower() in THIS_YEAR:
        event.update(date=ctx.published.isoformat(), date_precision="day", date_text=None, date_source="published")
    if event["date_source"] == "published":
        announced = enactment_date(ctx, actor, own_sentences) or announcement_date(ctx, actor, own_sentences, others)
        if announced:
            event.update(date=announced[0], date_precision=announced[1], date_text=announced[2], date_source="text")
    since = in_place_since(ctx, event, own_sentences)
    if since:
        event.update(date=since[0], date_precision=since[1], date_text=since[2], date_source="text")
    if event["date_source"] == "published" and before_release(ctx, event["tool_id"], event["date"]):
        # a page first published before the tool existed, since updated ("Updated: February 3, 2025"):
        # its publication date is no date of this measure; the page's own later date, or none
        told = updated_date(ctx) or page_date(ctx)
        if told and not before_release(ctx, event["tool_id"], told[0]):
            event.update(date=told[0], date_precision=told[1], date_text=told[2], date_source="text")
        else:
            event.update(date=None, date_precision=None, date_text=None, date_source=None)


UPDATE_WORDS = words("page_update_word")  # "Updated:", "Last revised"


def updated_date(ctx):
    """The latest day the page says it was updated on ("Updated: February 3, 2025")."""
    days = []
    for span in ctx.spans("date"):
        sent = ctx.sents[ctx.sentence_index(span.start)]
        if UPDATE_WORDS & set(ctx.lower[max(sent.start, span.start - 3):span.start]):
            resolved = datemod.resolve(span.label_, span.text, None, ctx.default_year, ctx.not_before)
            if resolved and resolved[1] == "day":
                days.append((resolved[0], resolved[1], span.text))
    return max(days, default=None)


def before_release(ctx, tool_id, iso):
    """A date more than a year before the month the reference says the tool came out: no measure on it
    then (a year's grace: products are probed before launch, and renamed, as Bard became Gemini)."""
    released = ctx.ref.tools.get(tool_id, {}).get("released")
    if not (released and iso):
        return False
    return datemod.month_number(released) - datemod.month_number(iso) > ctx.settings.release_grace_months


def in_place_since(ctx, event, own_sentences):
    """"The city said on Friday that it has banned staff from using it." then "The block has been in place
    since Jan. 28": a later sentence of the measure's, or the next one, back on the measure tells since
    when it holds; an earlier day than the one the story was told."""
    if not own_sentences or not event["date"] or event["date_precision"] != "day":
        return None
    later = sorted(own_sentences)[1:] + [max(own_sentences) + 1]
    for k in later:
        sent = ctx.sents[k] if k < len(ctx.sents) else None
        if sent is None or not refers_back(ctx, sent) or any(t.kb_id_ != event["tool_id"] for t in ctx.in_sent("tool", sent)):
            continue
        for span in ctx.in_sent("date", sent):
            if span.start > sent.start and ctx.lower[span.start - 1] == "since" or span.text.lower().startswith("since "):
                resolved = datemod.resolve(span.label_, span.text, ctx.published, ctx.default_year, ctx.not_before)
                if resolved and resolved[1] == "day" and resolved[0] < event["date"]:
                    return resolved[0], resolved[1], span.text
    return None


def announcement_date(ctx, actor, own_sentences, others=None):
    """A fresh measure stated with no date: the day its body spoke of it, when another sentence has
    that body say or announce something on a day just before publication ("The ministry said on Monday
    that it had sent notices", "The FTC on Wednesday announced five cases"); nearer than the
    publication date the report was filed on."""
    for k in sorted({ctx.sentence_index(p) for p in ctx.positions(SPEECH_VERBS)}):  # sentences with a speech verb
        if k in own_sentences or k in (others or ()):
            continue
        sent = ctx.sents[k]
        if not ctx.in_sent("date", sent):
            continue
        days = days_before_publication(ctx, sent)
        speech = ctx.positions_in(SPEECH_VERBS, sent.start, sent.end)
        # (the sentence's actors last: finding them is the costly part)
        if days and any(a.key == actor.key and a.start < speech[0] for a in actors_in(ctx, sent)):
            return best_date(days)
    return None


def enactment_date(ctx, actor, own_sentences):
    """"... under recommendations adopted by the council. The plenary approved the text on Wednesday 8
    October.": the sentence right after the measure's tells the day it was approved or signed, naming no
    other body."""
    k = max(own_sentences, default=-1) + 1
    if not 0 < k < len(ctx.sents):
        return None
    sent = ctx.sents[k]
    if not ctx.in_sent("enactment", sent) or not ctx.in_sent("date", sent) or ctx.in_sent("tool", sent):
        return None
    days = days_before_publication(ctx, sent)
    if not days or any(a.key != actor.key for a in actors_in(ctx, sent)):
        return None
    return best_date(days)


def days_before_publication(ctx, sent):
    """The days a sentence names at most `announcement_days` before publication: when a fresh measure's
    body spoke of it or approved it."""
    earliest = (ctx.published - datetime.timedelta(days=ctx.settings.announcement_days)).isoformat()
    return [d for d in date_candidates(ctx, sent) if d[1] == "day" and earliest <= d[0] <= ctx.published.isoformat()]


def best_date(dates):
    """The best scored of (iso, precision, text, score) dates; of two as good, the earlier."""
    return max(dates, key=lambda d: (d[3], -_ord(d[0])))


def names_tool_or_maker(ctx, sent, tool_id):
    """"... opened an investigation into Meta and Character.AI on August 18" then "The probe covers Meta AI
    Studio": the sentence before names the tool, or its maker."""
    maker = ctx.ref.maker_of(tool_id)
    return any(t.kb_id_ == tool_id for t in ctx.in_sent("tool", sent)) or \
        bool(maker) and any(v.kb_id_ == maker for v in ctx.in_sent("vendor", sent))


def refers_back(ctx, sent):
    """A sentence opening on a measure already named: "The ban ...", "This order ..."."""
    words = [(i, w) for i, w in enumerate(ctx.lower[sent.start:sent.start + 4], sent.start) if w.strip()]
    return bool(words) and words[0][1] in REFER_BACK_DETERMINERS and \
        any(s.start <= words[0][0] + 2 for g in ("measure_noun", "trigger") for s in ctx.in_sent(g, sent))


def _ord(iso):
    return int(re.sub(r"\D", "", (iso + "-01-01")[:10]))


PRECISE_SECURITY = {"cybersecurity", "data_privacy", "confidentiality", "data_sovereignty"}


def is_domestic(ctx, actor, tool_id):
    """Whether the tool's maker is based in the acting body's own country."""
    home = ctx.ref.country_of(actor.jurisdiction_id)
    return bool(home) and ctx.ref.tool_home(tool_id) == home


def reasons_for(ctx, own, domestic=False):
    """The reasons the document states: strong cues from any of its sentences, weak ones only from the
    event's own (measured: whole-document reasons score better than each event's neighbours'). A generic
    "security concern" is national security when the tool is foreign, a cyber one when it is the
    acting body's own country's (docs/extraction.md, the annotation conventions)."""
    found, weak, generic = {}, {}, {}
    for index, span in reason_cues(ctx):
        if span.kb_id_ == "weak" and index not in own:
            continue
        found.setdefault(span.label_, span.text)
        weak.setdefault(span.label_, True)
        weak[span.label_] = weak[span.label_] and span.kb_id_ == "weak"
        generic[span.label_] = generic.get(span.label_, True) and span.text.lower() in GENERIC_SECURITY
    # a bare "security" concern says national security only when no more precise risk is named
    # ("security and privacy concerns": privacy; "security of its networks": cybersecurity)
    if weak.get("national_security") and set(found) & PRECISE_SECURITY:
        del found["national_security"]
    elif domestic and generic.get("national_security"):
        found.setdefault("cybersecurity", found["national_security"])
        del found["national_security"]
    if "unvetted" in found and len(found) > 1 and found["unvetted"].lower() in NOT_AUTHORIZED_CUES:
        # "not authorized" states the rule itself; it is the reason only when no other is given
        del found["unvetted"]
    return sorted(found), found


def reason_cues(ctx):
    """(sentence index, span) of the document's reason cues, but those inside a name ("Centre for
    Cybersecurity Belgium" names a body, not a reason); once per document, for all its events."""
    if ctx.reason_cues is None:
        ctx.reason_cues = []
        for index, sent in enumerate(ctx.sents):
            spans = ctx.in_sent("reason", sent)
            names = [n for g in ("agency", "vendor", "tool", "outlet") for n in ctx.in_sent(g, sent)] if spans else []
            ctx.reason_cues.extend((index, span) for span in spans
                                   if not any(n.start <= span.start and span.end <= n.end for n in names))
    return ctx.reason_cues


def confidence(cfg, ms, actor, date_source):
    """The rules' own confidence in an event (the decision layer's calibrated one replaces it)."""
    best = max(ms, key=lambda m: m.weight)
    score = cfg.prior_base
    score += cfg.prior_reference_actor if actor.agency_id else cfg.prior_other_actor
    score += cfg.prior_direct_via if best.via in ("by", "subject", "holder", "relative") else 0.0
    score += cfg.prior_full_weight if best.weight >= 1.0 else 0.0
    score += cfg.prior_text_date if date_source == "text" else 0.0
    score += min(cfg.prior_mentions_cap, cfg.prior_per_mention * (len(ms) - 1))
    return round(max(cfg.prior_floor, min(cfg.prior_ceiling, score)), 2)
