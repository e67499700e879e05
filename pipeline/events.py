"""From a Doc with banwatch's span groups to events: who did what to which tool, when, why, how far.

find_events applies the rules below, in this order; each lives in the module of its concern:
pipeline/triggers.py (1, 2, 4), pipeline/actors.py (3), pipeline/event_dates.py (5),
pipeline/assemble.py (6, 7). Their words are the lexicon's group "words", their numbers
ctx.settings (pipeline/settings.py).

1. A *trigger* (a measure word of the lexicon) that is not negated states a measure.
2. Its *tools* are the AI tools named in its sentence; failing that, a list that the sentence
   introduces (bullets after a colon), the examples a following sentence gives of the class of tools
   it names ("AI tools" ... "tools such as ChatGPT and Gemini"), or the document's focus tool when the
   sentence refers to it ("the app", "the Chinese chatbot", "blocked access"). A sentence with no
   measure of its own that says a measure "also covers" a tool extends it to that tool.
3. Its *actors*: the "by X" agent; the antecedent of "which"/"who"; for passives and "not
   permitted" phrasing, whoever holds the staff or devices ("NASA employees", "Senate devices");
   else the nearest actor to its left in the clause, with the others coordinated with it
   ("NASA, the Navy and the Pentagon"). An actor told to act by another ("X ordered Y to block")
   yields to the one giving the order. Failing all these, the author of the memo or order the
   document is about, the body whose own site published the document, or the actor of the headline.
4. *Stage*: proposed when a proposal cue (bill, urge, would, considering...) governs the trigger
   and no enactment cue (signed, took effect) overrides it.
5. *Date*: the nearest date expression in the sentence, resolved against the publication date;
   else the date a timeline's line heading the paragraph gives ("Greece, July 2022."); else one from
   a sentence about the same measure; else the publication date (first reported).
6. Mentions of one measure merge into one event per (actor, tool, kind of action, stage); a
   country-level mention ("Italy blocked DeepSeek") merges into the specific body of that country
   acting on the same tool in the same document ("Italy's data protection authority").
7. *Reasons* are the ones the document states (weak cues only from the event's own sentences):
   a report gives its reasons once, rarely beside each measure it names.
"""
from collections import Counter
from dataclasses import replace

from banwatch.lexicon import words
from pipeline.actors import (
    AUXILIARIES,
    FIRST_PERSON,
    JOINING,
    PERSON_PRONOUNS,
    REACTING,
    actors_in,
    agents_for,
    asked_of_a_body,
    lawmakers_urge,
    body_actor,
    body_named_by,
    complied_with,
    coordinated,
    education_body_of,
    followers_of,
    is_own_product,
    is_tool_home,
    member_speaks,
    store_orderer,
    stores_acting,
)
from pipeline import dates as datemod
from pipeline.context import POSSESSIVE, Mention
from pipeline.event_dates import date_candidates
from pipeline.triggers import (
    ban_with_exceptions,
    bars_an_input,
    blocks_part_of,
    close_tools,
    compares_degree,
    conditional_permission,
    ends_a_probe,
    is_elsewhere,
    is_hypothetical,
    speculated,
    is_negated,
    is_opinion,
    is_passive,
    investigates_people,
    is_question,
    heads_towards,
    lifted_later,
    lifts_nothing_named,
    limits_a_harm,
    permits_nothing_of_a_tool,
    modifies_other_noun,
    names_a_document,
    object_of_lift,
    others_subject,
    pending_a_check,
    same_paragraph_or_next,
    scope_phrase,
    stage_of,
    tools_for,
    tools_named,
    tools_named_just_before,
)

AUTHOR_LINKS = words("author_link")
ANNOUNCING = words("announcing")
ANNOUNCED_DETERMINERS = words("announced_determiner")


CONTEXT_VIAS = ("context", "main")  # an actor the context gave, not the sentence: weighed less, never passed on


def find_events(ctx):
    cfg = ctx.settings
    mentions = []
    title_actor = None
    last_actors = []
    authors = {}  # sentence index -> the measure's author it names (measure_author)
    heading, heading_index = None, None  # "Navy." opening a paragraph of a round-up: who acts in it
    dated, dated_index = None, None  # "Greece, July 2022." opening a paragraph of a timeline: when
    for index, sent in enumerate(ctx.sents):
        if is_heading(ctx, sent):
            heading, heading_index = actors_in(ctx, sent), index
            continue
        if heading and not same_paragraph(ctx, heading_index, index):
            heading = None
        if is_date_heading(ctx, sent):
            dated, dated_index = max(date_candidates(ctx, sent), key=lambda d: d[3], default=None), index
            continue
        if dated and not same_paragraph(ctx, dated_index, index):
            dated = None
        triggers = ctx.in_sent("trigger", sent)
        if not triggers and mentions:
            mentions.extend(extended_to(ctx, sent, index, mentions))
        if not triggers:
            mentions.extend(enumerated_after(ctx, sent, index, mentions))
        found_here = []
        for trigger in triggers:
            if is_negated(ctx, trigger, sent) or is_opinion(ctx, trigger, sent) or modifies_other_noun(ctx, trigger, sent) \
                    or is_question(ctx, sent) or limits_a_harm(ctx, trigger, sent) \
                    or compares_degree(ctx, trigger, sent) or permits_nothing_of_a_tool(ctx, trigger, sent) \
                    or lifts_nothing_named(ctx, trigger, sent) or heads_towards(ctx, trigger, sent) \
                    or asked_of_a_body(ctx, trigger, sent) or lifted_later(ctx, trigger, sent) \
                    or ends_a_probe(ctx, trigger, sent) or names_a_document(ctx, trigger, sent) \
                    or is_hypothetical(ctx, trigger, sent) or speculated(ctx, trigger, sent):
                continue
            if any(trigger.start >= s.start and trigger.end <= s.end
                   for g in ("tool", "agency", "vendor") for s in ctx.in_sent(g, sent)) \
                    or ends_a_company_name(ctx, trigger, sent):
                continue  # "Block" inside a name
            tools, tool_weight = tools_for(ctx, trigger, sent, index)
            if trigger.kb_id_ == "close":
                tools = close_tools(ctx, trigger, sent, tools)
            led = None
            if trigger.label_ == FOLLOWING:
                if any(t.start > trigger.start for t in triggers):
                    continue  # "followed suit with its own probe": the sentence's own measure word says what
                # ("Iowa banned DeepSeek on Feb. 12, and Oklahoma did the same": the measure told before is copied)
                led = measure_followed(ctx, mentions, tools, index)
                if led is None:
                    continue  # "did the same" after no measure nearby: nothing to copy
                # the tools of the measure copied: every tool that body took it on in that sentence
                tools = tools or tools_of(m for m in mentions if m.sentence == led.sentence
                                          and m.actor.key == led.actor.key and m.action == led.action)
            if not tools and trigger.kb_id_ != "weak":
                tools, tool_weight = tools_named_just_before(ctx, sent, index), cfg.focus_tool_weight
            if not tools:
                if ctx.in_sent("tool_noun", sent) and actors_in(ctx, sent):
                    # "staff have been told that free chatbots are off limits": a measure on a class of
                    # tools whose members a later sentence names ("It named ChatGPT, Claude and Gemini")
                    agents, via = agents_for(ctx, trigger, sent, actors_in(ctx, sent), is_passive(ctx, trigger, sent))
                    if via in ("subject", "by", "relative", "holder"):
                        found_here.extend(agents)
                continue
            passive = is_passive(ctx, trigger, sent)
            if investigates_people(ctx, trigger, sent, passive):
                continue
            actors = actors_in(ctx, sent)  # read only for a trigger that got this far: most never do
            agents, via = agents_for(ctx, trigger, sent, actors, passive)
            if is_elsewhere(ctx, trigger, sent) and not (agents and via == "subject"):
                continue  # "similar restrictions": someone else's, named for comparison ("NSW issued a
                # similar ban" is NSW's own)
            weak = trigger.kb_id_ == "weak"
            if not agents and others_subject(ctx, trigger, sent):
                continue  # other bodies' measure, not the context's
            if not agents and not weak and not member_speaks(ctx, trigger, sent):
                fallback = heading or measure_author(ctx, index, authors) or author_told_next(ctx, index, authors) \
                    or (last_actors[:1] if last_actors else None)
                if fallback:
                    agents, via = list(fallback), "context"
                elif ctx.publisher:
                    agents, via = [publisher_actor(ctx, sent)], "publisher"
                elif title_actor:
                    agents, via = [title_actor], "context"
                elif not ctx.positions_in(SPEAKER_PRONOUNS, sent.start, trigger.start):  # "we", "he": someone
                    nearby = named_before(ctx, index)
                    main = main_body(ctx) if nearby is None and not actors else None
                    agents, via = ([nearby], "nearby") if nearby else ([main], "main") if main else ([], "")
            elif ctx.publisher and len(agents) == 1 and agents[0].via == "locative" and publishes_for(ctx, agents[0]):
                # the Garante's own notice "ChatGPT is accessible again in Italy": where, and whose measure
                agents, via = [publisher_actor(ctx, sent)], "publisher"
            orderer = store_orderer(ctx, agents, sent) or complied_with(ctx, agents, sent, tools)
            if orderer is not None:
                agents, via = [orderer], "by"
            elif stores_acting(ctx, agents, sent):
                # "Apple and Google removed DeepSeek from their Italian stores" after the Garante's order: the
                # measure of the body that acted on the tool before; shops alone take none
                tool_ids = {t for t, _ in tools}
                earlier = next((m.actor for m in reversed(mentions) if m.tool_id in tool_ids and m.actor.kind != "company"), None)
                if earlier is None:
                    continue
                agents, via = [earlier], "context"
            if not agents:
                continue
            if via == "subject":
                agents, joined = split_joined(ctx, agents, trigger)
                followers = joined + [a for a in followers_of(ctx, trigger, sent, actors) if a not in agents + joined]
            else:
                followers = []
            agents = [education_body_of(ctx, a, sent) for a in agents]
            action = "restrict" if conditional_permission(ctx, trigger, sent) or bars_an_input(ctx, trigger, sent) \
                or blocks_part_of(ctx, trigger, sent) or ban_with_exceptions(ctx, trigger, sent) \
                else "suspend" if pending_a_check(ctx, trigger, sent) else "warn" if advises_against(ctx, trigger, sent) \
                else led.action if led else trigger.label_
            lifted = object_of_lift(ctx, trigger, triggers)
            # "would lift its ban": whatever the lift's stage, the ban it undoes was taken
            stage = "enacted" if lifted else "proposed" if lawmakers_urge(ctx, trigger, sent, agents) \
                else stage_of(ctx, trigger, sent, action)
            in_title = ctx.is_title(sent)
            weight = tool_weight * (cfg.weak_trigger_weight if weak else 1.0) \
                * (cfg.context_weight if via in CONTEXT_VIAS else 1.0)
            # "lifted the suspension it imposed in July": the lift's date is not the suspension's
            agent_keys = {a.key for a in agents}
            # "banned ChatGPT in Italy in 2023": where the measure holds is no rival owning the date after it
            others = [a for a in actors if a.key not in agent_keys and not (a.via == "locative" and a.start >= trigger.end)]
            dates = date_candidates(ctx, sent, trigger, after=trigger.end if lifted else 0,
                                    others=others)
            best_date = max(dates, key=lambda d: d[3]) if dates else dated
            scope = [scope_phrase(ctx, span, sent) for span in ctx.in_sent("scope", sent)]
            for actor, actor_via in [(a, via) for a in agents] + [(education_body_of(ctx, a, sent), "following")
                                                                   for a in followers]:
                for tool_id, tool_text in tools:
                    if is_own_product(ctx, actor, tool_id) or is_tool_home(ctx, actor, tool_id):
                        continue
                    mentions.append(Mention(actor=actor, tool_id=tool_id, tool_mention=tool_text, action=action,
                                            stage=stage, weight=weight * (cfg.title_weight if in_title else 1.0),
                                            sentence=sent, trigger=trigger, in_title=in_title,
                                            date=best_date if actor_via != "following" else None,
                                            scope=scope, via=actor_via))
            found_here.extend(a for a in agents if via not in CONTEXT_VIAS)
        # a sentence naming bodies without a measure keeps the context
        if found_here:
            last_actors = found_here
            if ctx.is_title(sent) and title_actor is None:
                title_actor = found_here[0]
    return mentions


FOLLOWING = "follow"  # the trigger label of "followed suit", "did the same": the measure before, taken again


def measure_followed(ctx, mentions, tools, index):
    """"NASA followed suit": the last measure found (on the sentence's tool, if it names one) in this sentence
    or the two before it, whose action the follower takes (a lift, not the ban it lifts); None when there is none."""
    tool_ids = {t for t, _ in tools}
    since = ctx.sents[max(0, index - 2)].start
    last = next((m for m in reversed(mentions) if m.sentence.start >= since
                 and (not tool_ids or m.tool_id in tool_ids)), None)
    if last is None:
        return None
    # "Italy lifted its ChatGPT ban. France did the same": a sentence with a lift states that lift; its
    # other measure words name what it undoes
    lifts = [m for m in mentions if m.sentence == last.sentence and m.action == "lift" and m.tool_id == last.tool_id]
    return lifts[-1] if lifts else last


ADVISING_VERBS = words("advising_verb")


def advises_against(ctx, trigger, sent):
    """"urged civil servants not to install DeepSeek": advice against a tool, not a prohibition ("told staff not
    to use it" is one)."""
    return ctx.lower[trigger.start] == "not" and bool(
        ADVISING_VERBS & set(ctx.lower[max(sent.start, trigger.start - ctx.settings.advice_window):trigger.start]))


def tools_of(mentions):
    """(tool id, mention) of the tools the mentions are on, once each, in order."""
    return list(dict.fromkeys((m.tool_id, m.tool_mention) for m in mentions))


SEQUENCE_CUES = words("sequence_cue")  # "Texas was first, ... followed by New York": bodies told in order
ENUMERATED_ACTIONS = ("ban", "restrict", "suspend")


def enumerated_after(ctx, sent, index, mentions):
    """"At least a dozen states have barred DeepSeek. Texas was first, on January 28, followed by New York on
    February 10": bodies told in order (a sequence word, no measure word) right after a measure nobody named
    took, share it; a date goes to the body named last before it and the bodies listed with that one."""
    if not index or not same_paragraph_or_next(ctx, index - 1) or not ctx.positions_in(SEQUENCE_CUES, sent.start, sent.end):
        return []
    before = ctx.sents[index - 1]
    listed = [m for m in mentions if m.sentence == before]
    if listed:
        if any(before.start <= m.trigger.start < before.end for m in listed):
            return []  # the measure before has its own body: this sentence is not its list
        # the list goes on ("Iowa, Oklahoma and South Dakota joined them later in February")
        trigger, weight = listed[0].trigger, listed[0].weight
        tools = tools_of(listed)
        trigger_sent = ctx.sents[ctx.sentence_index(trigger.start)]
    else:
        trigger_sent = before
        trigger = next((t for t in ctx.in_sent("trigger", before) if t.label_ in ENUMERATED_ACTIONS
                        and not is_negated(ctx, t, before) and not is_hypothetical(ctx, t, before)), None)
        if trigger is None:
            return []
        tools, tool_weight = tools_for(ctx, trigger, before, index - 1)
        weight = tool_weight * ctx.settings.context_weight
    actors = [a for a in actors_in(ctx, sent) if a.via != "locative"]
    if not tools or not actors:
        return []
    dated = {}
    for span in ctx.in_sent("date", sent):
        owner = next((a for a in reversed(actors) if a.end <= span.start), None)
        resolved = owner and datemod.resolve(span.label_, span.text, ctx.published, ctx.default_year, ctx.not_before)
        if resolved:
            for actor in [owner] + coordinated(ctx, owner, actors):
                dated.setdefault(actor.key, (*resolved, span.text, ctx.settings.date_untargeted_score))
    return [Mention(actor=actor, tool_id=tool_id, tool_mention=tool_text, action=trigger.label_,
                    stage=stage_of(ctx, trigger, trigger_sent, trigger.label_), weight=weight, sentence=sent,
                    trigger=trigger, in_title=False, date=dated.get(actor.key), scope=[], via="subject")
            for actor in actors for tool_id, tool_text in tools]


COVERING = words("covering")  # "Google's Bard chatbot is also covered": the measure reaches further


def extended_to(ctx, sent, index, mentions):
    """"Google's Bard chatbot is also covered, the memo says.", "It covers DeepSeek, Moonshot's Kimi and ...": a
    sentence stating no measure of its own that says the measure of one of the two sentences before also
    reaches the tools it names; or one
    opening on the measure's paper ("The guidelines single out AI meeting assistants, naming Fireflies")
    up to three sentences after it."""
    last = mentions[-1]
    back = index - ctx.sentence_index(last.sentence.start)
    tools = tools_named(ctx, sent)
    if not tools or not (0 < back <= 2 and ("also" in ctx.lower[sent.start:sent.end]
                                            and ctx.positions_in(COVERING, sent.start, sent.end)
                                            or opens_on_it_covers(ctx, sent))
                         or 0 < back <= 3 and opens_on_its_paper(ctx, sent, last)):
        return []
    stated = [m for m in mentions if m.sentence.start == last.sentence.start]
    done = {(m.actor.key, m.action, m.stage, m.tool_id) for m in stated}
    weight = ctx.settings.class_list_tool_weight
    # "The guidance, issued on February 6, also covers Kimi": the paper's date, when the measure had none
    own_date = max(date_candidates(ctx, sent), key=lambda d: d[3], default=None)
    extended, seen = [], set()
    for m in stated:
        if (m.actor.key, m.action, m.stage) in seen:
            continue
        seen.add((m.actor.key, m.action, m.stage))
        for tool_id, text in tools.items():
            if (m.actor.key, m.action, m.stage, tool_id) not in done:
                extended.append(replace(m, tool_id=tool_id, tool_mention=text, sentence=sent, in_title=False,
                                        weight=m.weight * weight, date=m.date or own_date))
    return extended


def opens_on_it_covers(ctx, sent):
    """"It covers DeepSeek, Moonshot's Kimi and ...": the measure just told, reaching the tools named."""
    return sent.end - sent.start > 2 and ctx.lower[sent.start] == "it" and ctx.lower[sent.start + 1] in COVERING


REFER_BACK_DETERMINERS = words("refer_back_determiner")
PAPER_NAMING = words("paper_naming")  # "The guidelines ... naming Fireflies", "The policy covers ..."


def opens_on_its_paper(ctx, sent, mention):
    """The sentence opens on the paper stating `mention`'s measure, named again ("The guidelines ..."
    after "has issued best-practice guidelines")."""
    paper = ctx.spans("measure_noun", sent.start + 1, sent.start + 2)
    if ctx.lower[sent.start] not in REFER_BACK_DETERMINERS or not paper:
        return False
    first_tool = min(t.start for t in ctx.in_sent("tool", sent))
    if not ctx.positions_in(PAPER_NAMING, paper[0].end, first_tool):
        return False  # "The guidelines follow a pilot of Microsoft Copilot": named, not covered
    words = ctx.lower[paper[0].start:paper[0].end]
    return any(ctx.lower[n.start:n.end] == words for n in ctx.in_sent("measure_noun", mention.sentence))


SPEAKER_PRONOUNS = FIRST_PERSON | PERSON_PRONOUNS


def named_before(ctx, index):
    """The body the sentence before opens on, when that sentence sets out a measure of its own words
    ("Judge Starr of the Northern District of Texas added an item to his standing requirements. Every
    attorney ... must file a certificate") or names a tool after it ("DISA reviewed DeepSeek last week. Staff
    were told that the app is no longer permitted"): whose measure a sentence naming nobody states, when
    nothing else tells. Not a company, nor one reacting to a measure ("Microsoft criticised the decision")."""
    if not index or not same_paragraph(ctx, index - 1, index):
        return None
    sent = ctx.sents[index - 1]
    named = [a for a in actors_in(ctx, sent) if not a.generic and a.via not in ("locative", "anaphor")]
    opening = min(named, key=lambda a: a.start) if named else None
    if opening is None or opening.kind == "company" or not opens_on(ctx, opening, sent) \
            or not (ctx.spans("measure_noun", opening.end, sent.end) or ctx.spans("tool", opening.end, sent.end)) \
            or REACTING & set(ctx.lower[opening.end:opening.end + 3]):
        return None
    return opening


def main_body(ctx):
    """The body the story is about, or None: named in its opening sentences (settings.early_sentences), in
    two sentences at least, and in several times as many as any other (settings.main_body_dominance); else, of
    the bodies named most, the one the headline names, when only one is. Not a place's government, nor a place
    named as where. Whose measure a sentence naming nobody states when nothing nearer tells ("Any other AI
    product is prohibited for town business" in a story about the Town of Oliver). Read once per document,
    and only when asked."""
    if ctx.main_body is False:
        counts, first = Counter(), {}
        for index, sent in enumerate(ctx.sents):
            for actor in {a.key: a for a in actors_in(ctx, sent) if not a.generic and a.via != "locative"}.values():
                counts[actor.key] += 1
                first.setdefault(actor.key, (index, actor))
        (top, named), runner_up = (counts.most_common(2) + [(None, 0)] * 2)[:2]
        dominant = named >= 2 and named >= ctx.settings.main_body_dominance * runner_up[1]
        ctx.main_body = first[top][1] if dominant and first[top][0] <= ctx.settings.early_sentences else None
        if ctx.main_body is None and named >= 2:
            # "Town of Oliver council meets" over a rival named as often
            in_title = [key for key in counts if ctx.is_title(ctx.sents[first[key][0]])]
            if len(in_title) == 1 and counts[in_title[0]] == named:
                ctx.main_body = first[in_title[0]][1]
    return ctx.main_body


def opens_on(ctx, actor, sent):
    """Nothing but punctuation and dates comes before `actor` in its sentence ("On May 30, 2023, Judge X")."""
    dated = {i for d in ctx.in_sent("date", sent) for i in range(d.start - 1, d.end)}  # with its "On"
    return all(not ctx.alpha[i] or i in dated for i in range(sent.start, actor.start))


COMPANY_SUFFIXES = words("company_suffix")


def ends_a_company_name(ctx, trigger, sent):
    """"Google Ireland Limited": a capitalised company suffix after a capitalised name, not "limited"."""
    i = trigger.start
    return trigger.end - i == 1 and ctx.words[i] in COMPANY_SUFFIXES and i > sent.start and ctx.is_title_case[i - 1]


def publisher_actor(ctx, sent):
    """The body whose own site the document is (pipeline.actors.find_the_publisher): the one a notice
    speaks for when a measure of it names nobody."""
    name = ctx.ref.agencies[ctx.publisher]["name"]
    return body_actor(ctx, ctx.publisher, name, sent.start, sent.start)


def publishes_for(ctx, actor):
    """The place `actor` stands for lies in the country of the publisher's own jurisdiction."""
    home = ctx.ref.country_of(ctx.ref.agencies[ctx.publisher].get("jurisdiction"))
    return home is not None and ctx.ref.country_of(actor.jurisdiction_id) == home


def is_heading(ctx, sent):
    """"Navy.", "Indonesia and Malaysia.", "House of Representatives:": a paragraph of a round-up
    opened by the bodies it is about (the sentence names them and nothing else)."""
    words = [i for i in range(sent.start, sent.end) if ctx.alpha[i]]
    if not heading_shaped(ctx, sent, words):
        return False
    actors = actors_in(ctx, sent)
    covered = {i for a in actors for i in range(a.start, a.end)}
    return bool(actors) and all(i in covered or ctx.lower[i] in {"and", "the"} for i in words)


def heading_shaped(ctx, sent, words):
    """A line with the shape of a paragraph's heading: a few words (`words`, their positions), closed by
    "." or ":", and not the document's title."""
    return 0 < len(words) <= 6 and ctx.words[sent.end - 1] in {".", ":"} and not ctx.is_title(sent)


def is_date_heading(ctx, sent):
    """"Greece, July 2022.", "March 2023:": a line of a timeline or round-up naming a date (and perhaps
    a place or body) and nothing else; the measures of its paragraph were taken then."""
    if not ctx.in_sent("date", sent) or ctx.in_sent("trigger", sent):
        return False
    words = [i for i in range(sent.start, sent.end) if ctx.alpha[i] or ctx.digit[i]]
    if not heading_shaped(ctx, sent, words):
        return False
    covered = {i for g in ("date", "jurisdiction", "agency") for s in ctx.in_sent(g, sent) for i in range(s.start, s.end)}
    return all(i in covered or ctx.lower[i] in {"and", "the", "in"} for i in words)


def same_paragraph(ctx, i, j):
    """Two sentences with no blank line between them."""
    a, b = sorted((i, j))
    return "\n\n" not in ctx.text(ctx.sents[a].start, ctx.sents[b].start + 1)


JOINING_VERBS = JOINING - {"after", "following", "followed", "follows"}  # "X joined Y in banning"


def split_joined(ctx, agents, trigger):
    """"WA joined NSW, Queensland and Tasmania in blocking ChatGPT": (the joiners, the bodies joined). The
    bodies joined took the measure before; the story is the joiners'."""
    verbs = ctx.positions_in(JOINING_VERBS, min(a.start for a in agents), trigger.start)
    if not verbs:
        return agents, []
    joiners = [a for a in agents if a.end <= verbs[0]]
    joined = [a for a in agents if a.start > verbs[0]]
    return (joiners, joined) if joiners and joined else (agents, [])


def measure_author(ctx, index, named):
    """Who issued the measure sentence `index` states without naming its author: the first author
    named by it or by one of the sentences just before ('a memo from X', 'X's directive', 'issued by
    X'). `named` keeps each sentence's author (or None), read only for sentences asked about: most
    documents never ask."""
    for k in range(max(0, index - ctx.settings.author_spread_sentences + 1), index + 1):
        if author_of(ctx, k, named):
            return named[k]
    return paper_named_again(ctx, index, named)


def author_of(ctx, k, named):
    """The author sentence k names (author_named_in), read once per document into `named`."""
    if k not in named:
        named[k] = author_named_in(ctx, ctx.sents[k])
    return named[k]


def paper_named_again(ctx, index, named):
    """"The guidance also tells judges to be alert ...": a paper named again with "the", further back than
    measure_author reads, is the one whose author an earlier sentence named ("Guidance published on Tuesday by
    the Courts and Tribunals Judiciary tells ...")."""
    sent = ctx.sents[index]
    papers = {n.text.lower() for n in ctx.in_sent("measure_noun", sent)
              if n.start > sent.start and ctx.lower[n.start - 1] == "the"}
    if not papers:
        return None
    for k in range(index - ctx.settings.author_spread_sentences, -1, -1):
        if papers & {n.text.lower() for n in ctx.in_sent("measure_noun", ctx.sents[k])} and author_of(ctx, k, named):
            return named[k]
    return None


BACK_POINTERS = words("back_pointer")  # "That is the core of ...", "This is part of ..."


def by_after(ctx, noun, sent, dated, gap):
    """The "by" at most `gap` words (dates aside) after a measure noun: "a handbook published this week by"."""
    words_seen = 0
    for i in range(noun.end, sent.end):
        if i in dated:
            continue
        if ctx.lower[i] == "by":
            return i
        words_seen += 1
        if words_seen > gap:
            return None
    return None


def author_told_next(ctx, index, named):
    """The author the next sentence of the paragraph names when it opens by pointing back at the measure:
    "Staff should never paste records into Copilot. That is the core of a handbook published by X"."""
    k = index + 1
    if k >= len(ctx.sents) or ctx.lower[ctx.sents[k].start] not in BACK_POINTERS or not same_paragraph_or_next(ctx, index):
        return None
    return author_of(ctx, k, named)


def announces(ctx, start, end):
    """The words from a body to a measure noun say the body announced it: an announcing verb, then
    determiners and words of how far along it is ("announced the ban", "released interim guidance"), after at most an
    aside on who joined it ("The DTA, together with the Department of Industry, released ...")."""
    words_between = ctx.lower[start:end]
    if words_between[:1] == ["("] and ")" in words_between:  # "The Digital Transformation Agency (DTA), ..."
        skip = words_between.index(")") + 1
        start, words_between = start + skip, words_between[skip:]
    if words_between[:1] == [","] and words_between[1:2] and words_between[1] in JOINING and "," in words_between[1:]:
        skip = len(words_between) - words_between[::-1].index(",")  # past the aside's closing comma
        start, words_between = start + skip, words_between[skip:]
    while words_between[:1] and words_between[0] in AUXILIARIES:  # "has published its first standards"
        start, words_between = start + 1, words_between[1:]
    if not words_between or len(words_between) > ctx.settings.author_announcing_gap or words_between[0] not in ANNOUNCING:
        return False
    return all(w in ANNOUNCING or w in ANNOUNCED_DETERMINERS or w in MEASURE_QUALIFIERS for w in words_between)


# "released interim guidance": how far along the measure is, not what it is about ("new overtime requirements")
MEASURE_QUALIFIERS = words("measure_qualifier")


def author_named_in(ctx, sent):
    """The body a sentence names as the author of a measure it names, or None."""
    cfg = ctx.settings
    author = None
    nouns = ctx.in_sent("measure_noun", sent)
    actors = actors_in(ctx, sent) if nouns else []
    dated = {i for d in ctx.in_sent("date", sent) for i in range(d.start, d.end)} if nouns else set()
    for noun in nouns:
        for actor in actors:
            # "a practice direction dated June 26 and signed by X": the date is no link word
            after = [ctx.lower[i] for i in range(noun.end, actor.start) if i not in dated] \
                if actor.start >= noun.end else None
            before = ctx.lower[actor.end:noun.start] if actor.end <= noun.start else None
            if after is not None and len(after) <= cfg.author_link_gap and any(w in AUTHOR_LINKS for w in after):
                author = [actor]
            elif before and before[0] in POSSESSIVE and len(before) <= cfg.author_possessive_gap \
                    and all(ctx.alpha[i] and not ctx.stop[i] for i in range(actor.end + 1, noun.start)):
                author = [actor]  # "X's directive", "the City's interim guidelines"
            elif before and announces(ctx, actor.end, noun.start):
                author = [actor]  # "Minister Tony Burke announced the ban on Tuesday", "X released interim guidance"
    if author is None:
        for noun in nouns:
            by = by_after(ctx, noun, sent, dated, cfg.author_link_gap)
            body = body_named_by(ctx, sent, by) if by is not None else None
            if body is not None:
                return [body]
    return author
