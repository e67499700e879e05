"""What a trigger (a measure word of the lexicon) states: whether it stands, how, and on which tools.

Negation ("has not banned"), a measure named for comparison ("similar restrictions"), an opinion
("warned that"), a participle qualifying another noun; passives ("DeepSeek is banned"); the stage
(proposed when a proposal cue governs the trigger); the clause it governs; the tools it acts on and
the scope its sentence names; whether it is the object of a lift, or a measure the story recalls.
"""
from collections import Counter

from banwatch.lexicon import words
from pipeline.context import POSSESSIVE
from pipeline.dates import YEAR

RANKING_WORDS = words("ranking_word")  # "among the first": first, earliest, latest
TOOL_LIST_LEADS = words("tool_list_lead")  # "AI tools such as ...", "chatbots including ..."
BE_FORMS = words("be_form")
PASSIVE_SKIP = words("passive_skip")
# between a form of "be" and its participle ("is also banned"); an auxiliary ("has banned") is not passive
PASSIVE_SKIP_TO_BE = PASSIVE_SKIP - words("auxiliary")
# a trigger opening on these words states a prohibition ("not allowed", "may not use", "off-limits")
PASSIVE_OPENINGS = words("passive_opening")
PASSIVE_OPENING_PREFIXES = tuple(sorted(w + " " for w in PASSIVE_OPENINGS))
PASSIVE_PARTICIPLES = words("passive_participle")
ADJECTIVE_DETERMINERS = words("adjective_determiner")
USAGE_OBJECTS = words("usage_object")  # "blocked access to", "banned use of": a verb with its object
CONTRACTED_SUBJECTS = words("contracted_subject")
STAGE_CLAUSE_END = words("clause_cut") | {";"}
MODALS = words("modal")
NEGATORS = words("negator")
REQUEST_CUES = words("request_cue")
LAW_MADE = words("law_made")
SPARED = words("spared")
SPARING = words("sparing")
NOT_SCOPE_MODIFIERS = words("scope_modifier_stop")
LIFT_OBJECT_DETERMINERS = words("lift_object_determiner")
DOCUMENT_KINDS = words("document_kind")  # "risk assessment": a document, not a probe
ENDING_VERBS = words("ending_verb")  # "ended its investigation": a probe closed
BACKGROUND_CLAUSE_END = words("clause_cut") | {";", "—"}
OTHERS_BODIES = words("others_body")  # "other governments", "other school districts"


NOBODY_DID = {"has", "have", "had", "did", "was", "were"}


def is_negated(ctx, trigger, sent):
    """'has not banned', 'no plans to ban', 'declined to restrict' cancel the measure, and so does a
    verdict after it: 'A DeepSeek block across the EU is unlikely', and a subject that is nobody: 'No
    European authority has told either company that its products are prohibited' (not 'No employee
    may use it', a prohibition)."""
    if ctx.words[sent.start] == "No" and NOBODY_DID & set(ctx.lower[sent.start + 1:min(trigger.start, sent.start + 6)]):
        return True
    window_start = max(sent.start, trigger.start - ctx.settings.negation_window)
    # "has not lifted its ban", "no plans to lift its ban": the lift is denied, the ban stands
    negations = [] if object_of_lift(ctx, trigger, ctx.in_sent("trigger", sent)) else \
        ctx.spans("negation", window_start, trigger.start)
    for neg in negations:
        if not any(w in {",", ";", ":"} for w in ctx.words[neg.end:trigger.start]):
            return True
    for verdict in ctx.spans("negative_verdict", trigger.end, min(sent.end, trigger.end + ctx.settings.verdict_window)):
        if not any(w in {",", ";", ":", "and"} for w in ctx.lower[trigger.end:verdict.start]):
            return True
    return False


def is_elsewhere(ctx, trigger, sent):
    """'similar restrictions', 'such bans': a measure someone else took, named for comparison;
    'Several other governments have kept the chatbot off their devices': others than the story's."""
    cfg = ctx.settings
    cues = ctx.spans("elsewhere", max(sent.start, trigger.start - cfg.elsewhere_window), trigger.start)
    if any(trigger.start - cue.end <= cfg.elsewhere_gap for cue in cues):
        return True
    before = ctx.lower[sent.start:trigger.start]
    if any(w in BACKGROUND_CLAUSE_END for w in before):
        return False
    return any(w == "other" and OTHERS_BODIES & set(before[k + 1:k + 3]) for k, w in enumerate(before))


ELSEWHERE_ADVERBS = words("elsewhere_adverb")  # "governments elsewhere", "regulators abroad"


def others_subject(ctx, trigger, sent):
    """"..., even as governments elsewhere move to keep the chatbot off official phones": the clause's own
    subject is other bodies ("governments abroad", "foreign governments"), whoever the story is about."""
    before = clause_words_before(ctx, trigger, sent, trigger.start - sent.start, BACKGROUND_CLAUSE_END | {",", "as"})
    return any(w in OTHERS_BODIES and (before[k + 1:k + 2] and before[k + 1] in ELSEWHERE_ADVERBS
                                       or k and before[k - 1] in {"other", "foreign"})
               for k, w in enumerate(before))


DIRECTIVE_MODALS = words("directive_modal")


def is_opinion(ctx, trigger, sent):
    """'Lawmakers warned that DeepSeek gathers data': a view about a tool, not advice given to anyone
    ("advises that nothing confidential should be entered into them" is advice)."""
    if not (trigger.label_ == "warn" and trigger.end < len(ctx.lower) and ctx.lower[trigger.end] == "that"):
        return False
    return not ctx.positions_in(DIRECTIVE_MODALS, trigger.end, sent.end)


TOWARDS = words("towards")  # "first steps towards restricting or banning its use": a direction, no measure
LIST_JOINERS = {"or", "and", ","}


def heads_towards(ctx, trigger, sent):
    """"marking Australia's first steps towards restricting or banning its use": a measure word after
    "towards" (or in a list after it) is where things are heading, not a measure taken."""
    listed = {t.end for t in ctx.in_sent("trigger", sent)}  # the measure words before it in a list
    i = trigger.start - 1
    while i > sent.start and (ctx.lower[i] in LIST_JOINERS or i + 1 in listed):
        i -= 1
    return i >= sent.start and ctx.lower[i] in TOWARDS


RULE_STATES = words("rule_state")  # "no longer apply", "no longer in force"


def lifts_nothing_named(ctx, trigger, sent):
    """"The interim rule ... will no longer apply" lifts the rule; "its exemption for researchers will no
    longer apply" tightens one: a rule said with "no longer" to be out of force needs a measure noun before
    it ("no longer blocks ChatGPT" names what it ends). "The ban ended up covering ..." ends nothing either."""
    if trigger.label_ != "lift":
        return False
    if trigger.end < sent.end and ctx.lower[trigger.end - 1] in ENDING_VERBS and ctx.lower[trigger.end] == "up":
        return True
    return ctx.lower[trigger.start] == "no" and ctx.lower[trigger.end - 1] in RULE_STATES \
        and not ctx.spans("measure_noun", sent.start, trigger.start)


HARMS = words("harm_object")  # "limit the harm", "curb the risks": a measure on a harm, not a tool
OBJECT_DETERMINERS = {"the", "its", "their", "any", "such", "these", "those", "this", "that"}


def compares_degree(ctx, trigger, sent):
    """"could not be used as casually as the US-made chatbots": "as <word> as" right after a measure word
    compares how a tool is used, it states no measure."""
    i = trigger.end
    return i + 2 < sent.end and ctx.lower[i] == "as" and ctx.alpha[i + 1] and ctx.lower[i + 2] == "as"


def limits_a_harm(ctx, trigger, sent):
    """"ordered the companies to ... limit the harm their products may cause": what is limited is a
    harm, not a tool."""
    i = trigger.end
    while i < sent.end and ctx.lower[i] in OBJECT_DETERMINERS:
        i += 1
    return i < sent.end and ctx.lower[i] in HARMS


PERMITTING = words("permitting")  # "not allow", "not permit": a prohibition read through its object


def permits_nothing_of_a_tool(ctx, trigger, sent):
    """"said he would not allow Texans' private information ... to be traded away": what is not
    allowed to happen is to something else than a tool (not "will not allow DeepSeek to be installed")."""
    if ctx.lower[trigger.end - 1] not in PERMITTING:
        return False
    end = min(sent.end - 1, trigger.end + ctx.settings.permitted_object_window)
    to = next((i for i in range(trigger.end, end) if ctx.lower[i] == "to"), None)
    if to is None or ctx.lower[to + 1] != "be":
        return False
    return not any(ctx.spans(g, trigger.end, to) for g in ("tool", "anaphor", "tool_noun", "vendor"))


SUSPECTS = words("suspect_people")  # "students are being investigated": people suspected, not a tool


def investigates_people(ctx, trigger, sent, passive):
    """"400 students are being investigated for cheating with ChatGPT": the probe is of the people
    who used the tool, not of the tool."""
    # a passive ("are being investigated"), however is_passive reads the auxiliaries
    if trigger.label_ != "investigate" or not (passive or set(ctx.lower[max(sent.start, trigger.start - 2):
                                                                          trigger.start]) & BE_FORMS):
        return False
    before = ctx.lower[max(sent.start, trigger.start - ctx.settings.suspect_window):trigger.start]
    return any(w in SUSPECTS for w in before)


YES_NO_OPENERS = words("yes_no_opener")  # "Are", "Will", "Should": a question that states nothing


CONDITIONALS = words("conditional")


SPECULATORS = words("speculator")  # "experts", "analysts": people guessing at what a body will do
SPECULATING = words("speculating")  # "say", "expect", "predict"


def speculated(ctx, trigger, sent):
    """"Experts say the Pentagon could ban DeepSeek soon", "Analysts expect Brussels may restrict it":
    someone else's guess at a body's measure (a modal after their saying), not the body's own plan."""
    before = ctx.lower[sent.start:trigger.start]
    for k, w in enumerate(before[:-1]):
        if w in SPECULATORS and before[k + 1] in SPECULATING:
            return bool(MODALS & set(before[k + 2:]))
    return False


def is_hypothetical(ctx, trigger, sent):
    """"If NASA bans DeepSeek, other agencies will follow", "It is unclear whether NASA will ban it": a measure
    supposed in a clause of its own, not taken."""
    lo = max(sent.start, trigger.start - ctx.settings.conditional_window)
    return nearest_in_clause(ctx, CONDITIONALS, trigger.start, lo) is not None


def nearest_in_clause(ctx, wanted, start, lo):
    """The position of the nearest of `wanted` before `start` (back to `lo`) with no comma, semicolon or colon
    between, or None."""
    for i in range(start - 1, lo - 1, -1):
        if ctx.lower[i] in {",", ";", ":"}:
            return None
        if ctx.lower[i] in wanted:
            return i
    return None


def is_question(ctx, sent):
    """"Are civil servants banned from using ChatGPT?", "Will Europe ban DeepSeek?": asked, not stated
    ("Why did SPS unblock ChatGPT?" takes the lift as given)."""
    last = sent.end - 1
    while last > sent.start and not ctx.words[last].strip():
        last -= 1
    first = sent.start
    while first < last and not ctx.alpha[first]:
        first += 1
    return ctx.words[last] == "?" and ctx.lower[first] in YES_NO_OPENERS


NOT_NOUNS = BE_FORMS | PASSIVE_SKIP | words("not_noun")


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
    if has_object(ctx, trigger, sent):
        return False  # "the officer barred employees", "launched an investigation": a verb with its object
    return not any(s.start <= i < s.end for g in ("tool", "anaphor", "staff", "scope", "agency", "jurisdiction",
                                                  "government") for s in ctx.in_sent(g, sent))


def has_object(ctx, trigger, sent):
    """The participle takes an object: a determiner right after it ("launched an investigation"), or
    a noun phrase after the trigger (a determiner, staff, a tool or a body)."""
    if len(trigger) > 1 and (ctx.lower[trigger.start + 1] in ADJECTIVE_DETERMINERS
                             or ctx.alpha[trigger.end - 1] and not ctx.stop[trigger.end - 1]):
        return True  # "reversed course": the measure words hold their own object
    j = trigger.end
    if j >= sent.end:
        return False
    if ctx.lower[j] in ADJECTIVE_DETERMINERS or ctx.lower[j] in USAGE_OBJECTS:
        return True
    return any(s.start == j for g in ("staff", "tool", "agency", "anaphor", "tool_noun") for s in ctx.in_sent(g, sent))


def is_passive(ctx, trigger, sent):
    first = ctx.lower[trigger.start]
    phrase = trigger.text.lower()
    if phrase in PASSIVE_OPENINGS or phrase.startswith(PASSIVE_OPENING_PREFIXES):
        return True
    if not (first.endswith("ed") or first in PASSIVE_PARTICIPLES):
        return False
    i = trigger.start - 1
    while i >= sent.start and ctx.lower[i] in PASSIVE_SKIP_TO_BE:
        if _is_be(ctx, i):
            return True
        i -= 1
    if i >= sent.start and _is_be(ctx, i):
        return True
    # "the banned app", "a blocked service": a participle used as an adjective
    return i >= sent.start and ctx.lower[i] in ADJECTIVE_DETERMINERS


def _is_be(ctx, i):
    """A form of 'be' or 'get'; "'s" only after a pronoun ("it's banned", not "the state's banned list")."""
    word = ctx.lower[i]
    if word in POSSESSIVE:
        return i > 0 and ctx.lower[i - 1] in CONTRACTED_SUBJECTS
    return word in BE_FORMS


AFTER_CUES = words("proposal_after")


def stage_of(ctx, trigger, sent, action):
    """Proposed when a proposal cue stands in the clause before the trigger (or right around it)."""
    cfg = ctx.settings
    enacted = [e for e in ctx.in_sent("enactment", sent) if not a_step_of_a_bill(ctx, e, sent)]
    start = max(sent.start, trigger.start - cfg.proposal_window_before)
    cues = [c for c in ctx.spans("proposal", start, min(sent.end, trigger.end + cfg.proposal_window_after))
            if not (c.start >= trigger.start and c.end <= trigger.end and c.text.lower() not in DRAFT_WORDS)
            and not names_no_proposal(ctx, c)]  # "drafts rules": a trigger still being written
    cues = [c for c in cues if not any(w in STAGE_CLAUSE_END for w in ctx.lower[c.end:trigger.start])]
    # "announced an investigation and urged users to be careful": a cue of the next predicate
    cues = [c for c in cues if not (c.start >= trigger.end and "and" in ctx.lower[trigger.end:c.start])]
    # "may no longer be used", "may not install": a prohibition in force, not a possibility
    cues = [c for c in cues if not (c.text.lower() in MODALS and c.end < len(ctx.lower)
                                    and ctx.lower[c.end] in NEGATORS)]
    # "A ban on DeepSeek for government devices looks likely": a verdict on the measure after it
    cues += [c for c in ctx.spans("proposal", trigger.end, min(sent.end, trigger.end + cfg.verdict_window))
             if c.text.lower() in AFTER_CUES and not any(w in {",", ";", ":", "."} for w in ctx.lower[trigger.end:c.start])]
    if action == "warn":  # a warning is a request: asking for caution is issuing it
        cues = [c for c in cues if c.text.lower() not in REQUEST_CUES]
    # "Their bill ... was introduced on Feb. 7; its stated purpose is to prohibit ...": a sentence about a
    # bill states what the bill would do, across its clauses
    if refers_to_the_bill(ctx, trigger, sent):
        cues += [c for c in ctx.spans("proposal", sent.start, trigger.start) if c.text.lower() in LEGISLATIVE_NOUNS
                 and c not in cues and not names_no_proposal(ctx, c)]
    if not cues and not asks_the_vendor(ctx, trigger, sent):
        return "enacted"
    if enacted and any(e.start > (cues[0].start if cues else trigger.start) or e.text.lower() in LAW_MADE
                       for e in enacted):
        return "enacted"
    return "proposed"


LEGISLATIVE_STEPS = words("legislative_step")  # "committee", "reading": where a bill passes on its way


def a_step_of_a_bill(ctx, enactment, sent):
    """"passed the Senate State and Local Government Committee", "passed its second reading": a bill
    passing a step on its way, still a proposal; not passing into law."""
    if ctx.lower[enactment.end - 1] != "passed":
        return False
    after = ctx.lower[enactment.end:min(sent.end, enactment.end + ctx.settings.bill_step_window)]
    for w in after:
        if w in {",", ";", ".", ":", "after", "before", "as", "when", "while"}:  # (not "and": "the State
            return False  # and Local Government Committee"; "after committee chair Jane Doe pushed ...": no step)
        if w in LEGISLATIVE_STEPS:
            return True
    return False


NAME_TITLES = words("holder_title") | words("title_prefix")  # "Governor Bill Lee", "Gov. Bill Lee"
DRAFT_WORDS = words("draft_word")  # "draft", "drafts": a proposal as a noun, a use of a tool as a verb after "to"
CONTINUING = words("continuing")  # "would stay blocked": a measure going on, not one to come


def names_no_proposal(ctx, cue):
    """A proposal cue that is something else: a person's name ("Gov. Bill Lee": a known officeholder, or a
    capitalised word after a title), a verb of use ("has used ChatGPT to draft what they file"), a measure
    going on ("would stay blocked until checks confirm ..."), or a month ("Since May 2023")."""
    i, word = cue.start, cue.text.lower()
    if word in DRAFT_WORDS and i and ctx.lower[i - 1] == "to":
        return True
    if cue.end < len(ctx.lower) and f"{word} {ctx.lower[cue.end]}" in CONTINUING:
        return True
    if any(d.start <= i < d.end for d in ctx.spans("date", max(0, i - 3), min(len(ctx.doc), i + 4))):
        return True  # "Since May 2023": a month
    if i == 0 or not ctx.is_title_case[i]:
        return False
    if any(p.start <= i < p.end for p in ctx.spans("person", max(0, i - 3), min(len(ctx.doc), i + 4))):
        return True
    before = ctx.words[i - 1]
    return ctx.lower[i - 1] in NAME_TITLES or (before[:1].isupper() and before.endswith(".") and len(before) <= 5)


VENDOR_REQUESTS = words("vendor_request")
BILL_REFERENCES = words("bill_reference")


def refers_to_the_bill(ctx, trigger, sent):
    """"...was introduced on Friday; its purpose is to prohibit DeepSeek": the trigger's clause goes on
    about the bill ("it", "its", "the bill"), rather than about another body's own measure."""
    breaks = [i for i in range(sent.start, trigger.start) if ctx.lower[i] in STAGE_CLAUSE_END]
    if not breaks:
        return True
    clause = set(ctx.lower[breaks[-1] + 1:trigger.start])
    return bool(clause & (BILL_REFERENCES | LEGISLATIVE_NOUNS))


def asks_the_vendor(ctx, trigger, sent):
    """"asked DeepSeek to remove its apps from the app stores": a request the maker may refuse is a
    demand, not a measure taken (an order, "ordered OpenAI to stop", is one)."""
    for vendor in ctx.spans("vendor", sent.start, trigger.start):
        if vendor.start > sent.start and ctx.lower[vendor.start - 1] in VENDOR_REQUESTS \
                and "to" in ctx.lower[vendor.end:trigger.start] \
                and trigger.start - vendor.end <= ctx.settings.vendor_request_window \
                and not {";", "."} & set(ctx.lower[vendor.end:trigger.start]):
            return True
    return False


CONTRAST = words("contrast") | {";"}
LEGISLATIVE_NOUNS = words("legislative_noun")


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


RIVAL_CUES = words("rival_cue")


MAKER_NOUNS, MAKER_LINKS = words("maker_noun"), words("maker_link")
COMPANY_PEOPLE = words("company_people")  # "executives from", "representatives of"


def names_a_maker(ctx, tool):
    """"OpenAI, the firm behind ChatGPT": the tool describes a company named just before (not "ordered the
    makers of Character.AI and ChatGPT to explain ...", where the makers are addressed over their tools);
    "summoned executives from social platform Momo over ZAO": the company whose people were called in."""
    i = tool.start
    before = ctx.lower[max(0, i - ctx.settings.company_people_window):i]
    if any(w in COMPANY_PEOPLE and nxt in {"from", "of", "at"} for w, nxt in zip(before, before[1:])) \
            and ctx.spans("tool", tool.end, tool.sent.end):
        return True
    if i < 5 or ctx.lower[i - 1] not in MAKER_LINKS or ctx.lower[i - 2] not in MAKER_NOUNS \
            or ctx.lower[i - 3] not in {"the", "a"} or ctx.words[i - 4] != ",":
        return False
    return any(s.end == i - 4 for g in ("vendor", "agency") for s in ctx.spans(g, max(0, i - 12), i - 4))


def is_rival(ctx, tool):
    """"The app, a cheaper alternative to ChatGPT, was banned": a tool named as what another one rivals;
    "powered by technology from OpenAI, the firm behind ChatGPT": a tool named to say who its maker is."""
    before = ctx.lower[max(0, tool.start - 3):tool.start]
    if names_a_maker(ctx, tool):
        return True
    return bool(before) and (before[-1] in RIVAL_CUES or before[-1] in {"to", "than", "of"} and
                             bool(RIVAL_CUES & set(before[:-1])))


def tools_named(ctx, sent):
    """{tool id: text} of the tools a sentence names, once each, less those named only as rivals or makers."""
    return {t.kb_id_: t.text for t in ctx.in_sent("tool", sent) if not is_rival(ctx, t)}


def left_available(ctx, tool, sent):
    """"...left other services, such as ChatGPT, available to staff": a tool the measure spares."""
    cfg = ctx.settings
    after = ctx.lower[tool.end:min(sent.end, tool.end + cfg.spared_window_after)]
    before = ctx.lower[max(sent.start, tool.start - cfg.spared_window_before):tool.start]
    return bool(SPARED & set(after)) and bool(SPARING & set(before))


ORDER_VERBS = words("ordering")
ADDITIVE = words("additive")
VENDOR_OBJECT_LINKS = words("vendor_object_link")
ADDRESSING = ORDER_VERBS | words("addressing")  # "sent the companies a request", "ordered the firm to stop"
REFER_BACK_DETERMINERS = words("refer_back_determiner")  # "The request concerns ...", "This ban ..."
FOLLOWING = words("joining") - words("clause_break")  # "followed", "joined"; not "after", "following"


def tools_for(ctx, trigger, sent, sent_index):
    """The AI tools a trigger acts on, with the weight of how they were found: named in its clause,
    listed after it, a vendor's product, or the focus tool."""
    cfg = ctx.settings
    start, end = clause_of(ctx, trigger, sent)
    if start > sent.start and ADDITIVE & set(ctx.lower[max(start, trigger.start - 2):trigger.start]):
        start = sent.start  # "..., while Tasmania also blocked access": the same measure on the same tools
    tools = ctx.spans("tool", start, end)
    if not tools and start > sent.start:
        tools = ctx.spans("tool", sent.start, start)
    tools = [t for t in tools if not left_available(ctx, t, sent) and not is_rival(ctx, t)]
    refused = [n.end for n in ctx.in_sent("trigger", sent) if n.start >= trigger.end and is_negated(ctx, n, sent)]
    if refused:
        # "DeepSeek is the only tool UBC has banned and there are no plans to restrict others, such as
        # ChatGPT": the tools after a measure the sentence goes on to deny are that one's
        tools = [t for t in tools if t.start < refused[0]]
    if tools:
        return [(t.kb_id_, t.text) for t in tools], cfg.named_tool_weight
    if any(not is_rival(ctx, t) for t in ctx.in_sent("tool", sent)):
        # the sentence names tools, but in another clause: only a measure addressed to the maker ("opened
        # an investigation into Meta ..., while leaving Meta AI in place") is on one, or one its clause
        # names by a word for it ("suspended new downloads of the app ... while it reviewed DeepSeek's data
        # practices"), when that one is the story's tool or the only one the sentence names
        found = tool_of_addressed_maker(ctx, trigger, sent, start, end)
        one = [a for a in ctx.spans("anaphor", start, end) if names_one_thing(ctx, a) and ctx.lower[a.start] != "it"]
        ids = {t.kb_id_ for t in ctx.in_sent("tool", sent) if not is_rival(ctx, t)
               and not left_available(ctx, t, sent) and not (refused and t.start >= refused[0])}
        if found[0] or not one or not ids:
            return found
        tool_id = ctx.focus_tools[0] if ctx.focus_tools and ctx.focus_tools[0] in ids else \
            next(iter(ids)) if len(ids) == 1 else None
        return ([(tool_id, one[0].text)], cfg.focus_tool_weight) if tool_id else found
    # a list introduced by the sentence ("...the following apps:" then one item per line)
    if ":" in ctx.words[max(sent.start, sent.end - cfg.list_colon_window):sent.end]:
        listed = []
        for nxt in ctx.sents[sent_index + 1:sent_index + cfg.list_lookahead_sentences]:
            if len(nxt) > cfg.list_item_max_tokens:
                break
            listed.extend((t.kb_id_, t.text) for t in ctx.in_sent("tool", nxt))
        if listed:
            return listed, cfg.listed_tool_weight
    # "...urged people to be on alert when using Chinese AI apps." then "Its inspections of five apps --
    # DeepSeek, Doubao, ...": a class of tools whose members the next sentence lists
    if any(not names_one_thing(ctx, a) for a in ctx.spans("anaphor", start, end)):
        listed = members_listed_after(ctx, sent_index)
        if listed:
            return listed, cfg.class_list_tool_weight
    named_next = tools_of_next_sentence(ctx, trigger, sent_index)
    if named_next:
        return named_next, cfg.class_list_tool_weight
    vendors = [v for v in ctx.spans("vendor", start, end) if ctx.ref.flagship_tool(v.kb_id_)
               and not runs_a_store(ctx, v, end) and not describes_another(ctx, v)]
    if vendors and ctx.spans("anaphor", start, end):
        # "suspend Meta's use of personal data to train its AI": the vendor's AI product
        return [(vendors_tool(ctx, v.kb_id_), v.text) for v in vendors[:1]], cfg.vendor_tool_weight
    for v in vendors:
        # "the regulator ordered OpenAI to stop processing...": an order to the vendor is on its product
        if v.end <= trigger.start <= v.end + cfg.vendor_order_gap and v.start > sent.start \
                and ctx.lower[v.start - 1] in ORDER_VERBS:
            return [(vendors_tool(ctx, v.kb_id_), v.text)], cfg.vendor_tool_weight
    found = tool_of_addressed_maker(ctx, trigger, sent, start, end)
    if found[0]:
        return found
    listed = tools_referred_back(ctx, start, end, sent_index)
    if listed:
        return listed, cfg.focus_tool_weight
    # "the app"; "the city's schools followed in January with a block": the story's tool
    if ctx.focus_tools and (ctx.spans("anaphor", start, end) or follows_with(ctx, trigger, start)
                            or continues_measure(ctx, trigger, sent_index) or bare_access(ctx, trigger, sent)
                            or bare_measure(ctx, trigger, sent)) \
            and not ctx.in_sent("other_product", sent):
        tool_id = ctx.focus_tools[0]
        return [(tool_id, ctx.ref.tools.get(tool_id, {}).get("name") or tool_id.partition(":")[2])], \
            cfg.focus_tool_weight
    return [], 0.0


def tools_named_just_before(ctx, sent, sent_index):
    """"Anything typed into a public AI chatbot such as ChatGPT ..." then "The guidance says such systems must
    not ...": a word for tools nothing else resolved (a class, "the services", "it") stands for the tools the
    sentence just before names, when that one states no measure of its own (one paragraph break at most between
    them: a news paragraph is often one sentence)."""
    if not sent_index or not same_paragraph_or_next(ctx, sent_index - 1) or ctx.in_sent("other_product", sent) \
            or not (ctx.in_sent("tool_noun", sent) or ctx.in_sent("anaphor", sent)):
        return []
    before = ctx.sents[sent_index - 1]
    if ctx.in_sent("trigger", before):
        return []
    return list(tools_named(ctx, before).items())


PLURAL_REFERRERS = words("plural_referrer")  # "such services", "these tools", "those tools"


def tools_referred_back(ctx, start, end, sent_index):
    """"... into ChatGPT and Gemini." then "Staff who want to use such services ...": words standing for
    several tools ("such", "these" or "those" before a plural; or any plural class when the sentence before
    gave its tools as examples, "free chatbots such as ChatGPT, Claude or Gemini" then "using free AI tools
    ... is prohibited") take the tools the sentence before, in the same paragraph, named (two at least): all
    of them, not only the story's first."""
    plurals = [a for g in ("anaphor", "tool_noun") for a in ctx.spans(g, start, end)
               if ctx.lower[a.end - 1].endswith("s") and not names_one_thing(ctx, a)]
    if not plurals:
        return []
    referred = any(ctx.lower[a.start] in PLURAL_REFERRERS for a in plurals)
    for k in range(sent_index - 1, max(-1, sent_index - 1 - ctx.settings.class_examples_back), -1):
        if not same_paragraph_or_next(ctx, k):
            return []
        before = ctx.sents[k]
        tools = tools_named(ctx, before)
        if not tools:
            continue
        # "free AI tools" with no "such" or "these": only when that sentence gave the tools as examples of a
        # class ("staff who use free chatbots such as ChatGPT, Claude or Gemini ..."); "such tools" only
        # right after the sentence naming them
        if len(tools) >= 2 and (referred and k == sent_index - 1 or gives_examples(ctx, before)):
            return list(tools.items())
        return []
    return []


def names_one_thing(ctx, anaphor):
    """"it", "the app", "this chatbot" stand for one tool, never a list of them ("such apps", "AI" can)."""
    first, last = ctx.lower[anaphor.start], ctx.lower[anaphor.end - 1]
    return first == "it" or first in {"the", "this"} and (not last.endswith("s") or last == "'s")


def continues_measure(ctx, trigger, sent_index):
    """"Four regulators are investigating whether Clearview AI ..." then "The commissioners said they had
    opened a joint investigation after ...": the same kind of measure right after one on the story's
    tool tells more of it."""
    if not sent_index or not same_paragraph_or_next(ctx, sent_index - 1):
        return False
    before = ctx.sents[sent_index - 1]
    return any(t.label_ == trigger.label_ for t in ctx.in_sent("trigger", before)) \
        and any(t.kb_id_ == ctx.focus_tools[0] for t in ctx.in_sent("tool", before))


def members_listed_after(ctx, sent_index):
    """The tools of the first of the next sentences that names any, when it lists at least two, no
    paragraph break comes before it, and (past the very next sentence) it gives them as examples: the
    members of a class of tools a measure names ("must not use AI tools ..." then "... tools such as
    ChatGPT, Gemini and Copilot")."""
    for k in range(sent_index + 1, min(len(ctx.sents), sent_index + 1 + ctx.settings.class_list_lookahead_sentences)):
        if not same_paragraph_or_next(ctx, k - 1):
            return []
        listed = tools_named(ctx, ctx.sents[k])
        if listed:
            return list(listed.items()) if len(listed) >= 2 and (k == sent_index + 1 or gives_examples(ctx, ctx.sents[k])) else []
    return []


def gives_examples(ctx, sent):
    """The sentence's first tool opens a list of examples: "tools such as ChatGPT", "including ChatGPT", or
    of the tools in use ("use of ChatGPT, Gemini and Claude had been growing among its staff")."""
    first = min(t.start for t in ctx.in_sent("tool", sent))
    before = ctx.lower[max(sent.start, first - 2):first]
    return before[-1:] == [":"] or before in (["such", "as"], ["use", "of"]) \
        or before[-1:] and before[-1] in TOOL_LIST_LEADS


def tools_of_next_sentence(ctx, trigger, sent_index):
    """"adopted a request for information addressed to Microsoft." then "The request concerns ... 'Copilot
    in Bing' and 'Image Creator by Designer'": the tools of a sentence that opens on the measure itself."""
    if sent_index + 1 >= len(ctx.sents) or not same_paragraph_or_next(ctx, sent_index):
        return []
    following = ctx.sents[sent_index + 1]
    opening = ctx.lower[following.start:following.start + 2]
    measure_words = {w for w in ctx.lower[trigger.start:trigger.end] if w.isalpha() and len(w) > 3}
    if len(opening) < 2 or opening[0] not in REFER_BACK_DETERMINERS or opening[1] not in measure_words:
        return []
    return list(tools_named(ctx, following).items())


DESCRIBING_PARTICIPLES = words("describing_participle")  # "-backed", "-owned", "-based"


def describes_another(ctx, vendor):
    """"The Microsoft-backed company": the vendor only describes another company, whose measure it is not."""
    i = vendor.end
    return i + 1 < len(ctx.words) and ctx.words[i] == "-" and ctx.lower[i + 1] in DESCRIBING_PARTICIPLES


def vendors_tool(ctx, vendor_id):
    """The product a measure on its maker is on: the one tool of the maker the story names again and more
    than any other of the maker's ("an inquiry into Google ... to develop its foundational model, PaLM 2"
    ... "PaLM 2 was launched in May 2023"), else the maker's flagship (one passing name is no focus)."""
    ranked = makers_tools_named(ctx, vendor_id).most_common(2) + [(None, 0)]
    if ranked[0][1] >= 2 and ranked[0][1] > ranked[1][1]:
        return ranked[0][0]
    return ctx.ref.flagship_tool(vendor_id)


def tool_of_addressed_maker(ctx, trigger, sent, start, end):
    """The story's tool, when the measure is addressed to its maker: "announced an investigation into
    xAI", "the Garante had sent the companies a formal request for information"; with several makers
    ("an inquiry into Google and OpenAI"), each one's tool the story names."""
    maker = ctx.focus_tools and ctx.ref.maker_of(ctx.focus_tools[0])
    vendors = ctx.spans("vendor", start, end)
    addressed = [v for k, v in enumerate(vendors) if is_object_of(ctx, trigger, v) or k and addressed_with(
        ctx, vendors[k - 1], v) and is_object_of(ctx, trigger, vendors[0])]
    if len(addressed) > 1:
        named = [(next(iter(makers_tools_named(ctx, v.kb_id_)), None), v.text) for v in addressed]
        if all(tool_id for tool_id, _ in named):
            return named, ctx.settings.vendor_tool_weight
    if not maker:
        return [], 0.0
    for v in vendors:
        if v.kb_id_ == maker and is_object_of(ctx, trigger, v):
            return [(ctx.focus_tools[0], v.text)], ctx.settings.vendor_tool_weight
    for v in ctx.spans("vendor_anaphor", start, end):
        if acts_on_vendor(ctx, trigger, sent, v):
            return [(ctx.focus_tools[0], v.text)], ctx.settings.vendor_tool_weight
    return [], 0.0


def addressed_with(ctx, before, vendor):
    """Two makers listed together: "Google and OpenAI", "Meta, Google and OpenAI"."""
    return all(w in {",", "and", "&"} for w in ctx.lower[before.end:vendor.start])


def makers_tools_named(ctx, vendor_id):
    """How often the story names each tool of this maker, in the order it first names them."""
    return Counter(t.kb_id_ for t in ctx.spans("tool") if ctx.ref.maker_of(t.kb_id_) == vendor_id)


def acts_on_vendor(ctx, trigger, sent, vendor):
    """The measure is addressed to the vendor: "an investigation into the company" (its object) or
    "sent the companies a request for information" (the one the measure is sent to)."""
    cfg = ctx.settings
    if 0 <= vendor.start - trigger.end <= cfg.vendor_object_gap:
        return is_object_of(ctx, trigger, vendor)
    if processed_by(ctx, trigger, vendor):
        return True
    return vendor.end <= trigger.start <= vendor.end + cfg.vendor_order_gap and vendor.start > sent.start \
        and ctx.lower[vendor.start - 1] in ADDRESSING


def processed_by(ctx, trigger, vendor):
    """"the temporary limitation of the processing of Italian users' data by the US company": a data
    protection order on the processing the vendor does is a measure on its service."""
    between = ctx.lower[trigger.end:vendor.start]
    return 0 < len(between) <= ctx.settings.processing_by_window and between[-1:] == ["by"] \
        and PROCESSING & set(between) and not CLAUSE_CUT & set(between)


def is_object_of(ctx, trigger, span):
    """`span` follows the trigger as its object: "an investigation into xAI", "a probe of the company"."""
    return 0 <= span.start - trigger.end <= ctx.settings.vendor_object_gap \
        and all(w in VENDOR_OBJECT_LINKS for w in ctx.lower[trigger.end:span.start])


STORE_NOUNS = words("store_noun")
PROCESSING = words("processing")  # "the processing of ... data by the company"
CLAUSE_CUT = words("clause_cut") | {";", "."}


def runs_a_store(ctx, vendor, end):
    """"pulled from the Apple and Google stores", "Google Play": the maker named as a shop, not a product."""
    return bool(STORE_NOUNS & set(ctx.lower[vendor.end:min(end, vendor.end + ctx.settings.store_window)]))


def bare_access(ctx, trigger, sent):
    """"Sejong City blocked access from 4 p.m.": access cut with nothing named, in a story about one tool."""
    after = ctx.lower[trigger.end:min(sent.end, trigger.end + 2)]
    return bool(after) and after[0] == "access" and (len(after) < 2 or after[1] not in {"to", "for", "of"})


BARE_MEASURE_NOUNS = words("bare_measure_noun")  # "ban", "prohibition": a measure noun that may stand alone


def bare_measure(ctx, trigger, sent):
    """"Iowa: Gov. Kim Reynolds announced a ban on Feb. 12.": a new measure ("a ban") naming nothing it
    covers (the sentence ends, or only its date follows), in a story about one tool."""
    k = trigger.end - 1 if ctx.lower[trigger.end - 1] == "on" else trigger.end  # the trigger "ban on"
    if k <= trigger.start or trigger.start <= sent.start or ctx.lower[k - 1] not in BARE_MEASURE_NOUNS \
            or ctx.lower[trigger.start - 1] not in {"a", "an"}:  # "enforce the ban": one told before
        return False
    index = ctx.sentence_index(sent.start)
    if ctx.in_sent("other_product", sent) or index and ctx.in_sent("other_product", ctx.sents[index - 1]):
        return False  # "Montana lawmakers targeted TikTok first. The legislature passed a ban in 2023."
    if k < sent.end and ctx.lower[k] in {"on", "in"}:
        dates = ctx.spans("date", k, sent.end)
        year = dates and YEAR.search(dates[0].text)
        if not dates or dates[0].start > k + 1 or ctx.not_before and year and int(year.group()) < ctx.not_before.year:
            return False  # a ban dated before the story's tool came out is on something else
        k = dates[0].end
    return k >= sent.end or ctx.words[k] in {".", ";", "!", ","}


def follows_with(ctx, trigger, start):
    """"followed in January with a block": the measure of a body following the ones before it."""
    before = ctx.lower[start:trigger.start]
    return "with" in before[-3:] and bool(FOLLOWING & set(before))


def same_paragraph_or_next(ctx, index):
    """The sentence after `index` follows it directly (at most one line break between them)."""
    between = ctx.text(ctx.sents[index].end - 1, ctx.sents[index + 1].start + 1)
    return between.count("\n") <= 2


def close_tools(ctx, trigger, sent, tools):
    """Only the tools right by a "close" trigger: "delete DeepSeek", "the app must be uninstalled"."""
    window = ctx.settings.close_window
    start, end = max(sent.start, trigger.start - window), min(sent.end, trigger.end + window)
    if ctx.spans("anaphor", start, end):
        return tools
    # a tool starting in the window ("disabled access to Character.AI": its name runs on past it)
    named = [t for t in ctx.in_sent("tool", sent) if start <= t.start < end] or tools_in_use(ctx, trigger, sent)
    near = {t.kb_id_ for t in named}
    last = max((t.end for t in named), default=None)
    for t in ctx.spans("tool", end, sent.end):  # "drafts rules for staff using ChatGPT, Copilot and Gemini": the list goes on
        if last is None or t.start - last > 2 or any(w not in LIST_JOINERS for w in ctx.lower[last:t.start]):
            break
        near.add(t.kb_id_)
        last = t.end
    return [t for t in tools if t[0] in near]


USE_OPENERS, USE_WORDS, USE_FILLERS = words("use_opener"), words("use_word"), words("use_filler")


def tools_in_use(ctx, trigger, sent):
    """"puts guardrails on staff use of ChatGPT", "issued guidelines for employees who use ChatGPT": the
    tool whose use a "close" trigger's rules govern, further than its window reaches."""
    first = next(iter(ctx.spans("tool", trigger.end, sent.end)), None)
    if first is None:
        return []
    gap = ctx.lower[trigger.end:first.start]
    if not 2 <= len(gap) <= ctx.settings.close_use_gap or gap[0] not in USE_OPENERS \
            or not (gap[-1] in USE_WORDS or gap[-2:] == ["use", "of"]):
        return []
    staff = {i for s in ctx.spans("staff", trigger.end, first.start) for i in range(s.start, s.end)}
    fillers = USE_OPENERS | USE_WORDS | USE_FILLERS
    return [first] if all(w in fillers or trigger.end + k in staff for k, w in enumerate(gap)) else []


def scope_phrase(ctx, span, sent):
    """'devices' -> 'agency devices', 'laptops' -> 'student laptops': the words modifying a scope noun."""
    start = span.start
    while start - 1 >= max(sent.start, span.start - ctx.settings.scope_modifier_words):
        i = start - 1
        if ctx.stop[i] or ctx.punct[i] or ctx.digit[i] or not (ctx.alpha[i] or "-" in ctx.words[i]) \
                or ctx.lower[i] in NOT_SCOPE_MODIFIERS:
            break
        if any(other.start <= i < other.end for g in ("tool", "trigger") for other in ctx.in_sent(g, sent)):
            break
        start -= 1
    return ctx.text(start, span.end)


def object_of_lift(ctx, trigger, triggers):
    """"lifted its ban": the measure a lift undoes."""
    if trigger.label_ == "lift":
        return False
    tool_tokens = None
    for other in triggers:
        if other.label_ == "lift" and other.end <= trigger.start <= other.end + ctx.settings.lift_object_gap:
            if tool_tokens is None:  # "lifted its ChatGPT ban": the tool's name may stand before the ban
                tool_tokens = {i for t in ctx.spans("tool", other.end, trigger.start) for i in range(t.start, t.end)}
            if all(w in LIFT_OBJECT_DETERMINERS or i in tool_tokens
                   for i, w in enumerate(ctx.lower[other.end:trigger.start], other.end)):
                return True
    return False


def names_a_document(ctx, trigger, sent):
    """"the risk assessment the law requires", "an impact assessment": a document a company owes, not a
    regulator's probe."""
    return trigger.kb_id_ == "weak" and trigger.start > sent.start and ctx.lower[trigger.start - 1] in DOCUMENT_KINDS


def ends_a_probe(ctx, trigger, sent):
    """"has ended its investigation into My AI": a probe closed is no probe opened (nor a lift: nothing was
    barred)."""
    if trigger.label_ != "investigate":
        return False
    before = ctx.lower[max(sent.start, trigger.start - ctx.settings.lift_object_gap - 1):trigger.start]
    for k, w in enumerate(before):
        if w in ENDING_VERBS and all(x in LIFT_OBJECT_DETERMINERS for x in before[k + 1:]):
            return True
    return False


def lifted_later(ctx, trigger, sent):
    """"the ban on students using ChatGPT may be reversed": the measure is named as what a lift (passive,
    later in its clause) would undo; the lift is the news, the ban no measure of the sentence's subject."""
    if trigger.label_ == "lift" or trigger.start == 0 or ctx.lower[trigger.start - 1] not in LIFT_OBJECT_DETERMINERS:
        return False
    for other in ctx.in_sent("trigger", sent):
        if other.label_ == "lift" and trigger.end <= other.start <= trigger.end + ctx.settings.passive_lift_gap \
                and ctx.lower[other.start - 1] in BE_FORMS \
                and not CLAUSE_CUT & set(ctx.lower[trigger.end:other.start]):
            return True
    return False


BACKGROUND_CUES = words("background_cue")


def is_background(ctx, m):
    """A measure the story recalls rather than reports: a cue in the words leading up to its trigger."""
    if object_of_lift(ctx, m.trigger, ctx.in_sent("trigger", m.sentence)):
        return True
    before = clause_words_before(ctx, m.trigger, m.sentence, ctx.settings.background_window, BACKGROUND_CLAUSE_END)
    cues = BACKGROUND_CUES & set(before)
    if cues == {"among"} and RANKING_WORDS & set(before[before.index("among") + 1:before.index("among") + 3]):
        return False  # "was among the first, disabling the service": news of the day, not recalled
    return bool(cues)


def clause_words_before(ctx, trigger, sent, window, clause_ends):
    """The lower-case words of the trigger's own clause, at most `window` of them, before it."""
    before = ctx.lower[max(sent.start, trigger.start - window):trigger.start]
    for i in range(len(before) - 1, -1, -1):
        if before[i] in clause_ends:
            return before[i + 1:]
    return before


PERMISSION_CONDITIONS = words("permission_condition")  # "provided", "as long as": on a condition
# "with a human check on every output", "under safeguards": a condition (not "lifted after ... new safeguards")
PERMISSION_CHECKS, PERMISSION_CHECK_LINKS = words("permission_check"), words("permission_check_link")


INPUT_GERUNDS = words("input_gerund")  # "feeding", "uploading": putting material into a tool


def bars_an_input(ctx, trigger, sent):
    """"bars officials from feeding confidential data to AI tools", "barred reviewers from uploading
    proposals into chatbots": a bar on what goes into a tool restricts its use; it does not ban the tool."""
    if trigger.label_ != "ban":
        return False
    start = max(sent.start, trigger.end - 1)
    for k in range(start, min(sent.end - 1, trigger.end + ctx.settings.input_bar_window)):
        if ctx.lower[k] == "from" and ctx.lower[k + 1] in INPUT_GERUNDS:
            # not "barred DeepSeek from entering government networks": the tool itself kept out
            return not ctx.spans("tool", trigger.start, k)
    return False


def blocks_part_of(ctx, trigger, sent):
    """"Turkish court blocks Grok content", "ordered access to some content generated by Grok to be blocked":
    a block on some of what a tool puts out, or on one of its features, restricts the tool; it does not ban it."""
    if trigger.label_ != "ban":
        return False
    tools = ctx.in_sent("tool", sent)
    after = [t for t in tools if t.start >= trigger.end]
    before = [t for t in tools if t.end <= trigger.start]
    window = ctx.settings.tool_part_window
    if after and after[0].start - trigger.end <= window:
        tool = after[0]
        between = ctx.lower[trigger.end:tool.start]
        if whole_output_of(between):
            return False
        around = between + ctx.lower[tool.end:min(sent.end, tool.end + 1)]
    elif before and trigger.start - before[-1].end <= window:
        tool = before[-1]
        around = ctx.lower[max(sent.start, tool.start - 3):tool.start] + ctx.lower[tool.end:min(sent.end, tool.end + 1)]
    else:
        return False
    return bool(TOOL_PARTS & set(around))


TOOL_PARTS = words("tool_part")
OUTPUT_VERBS = words("output_verb")  # "content produced by ChatGPT": everything the tool puts out
PARTIAL_QUANTIFIERS = words("partial_quantifier")  # "some content generated by Grok": a part of it


def whole_output_of(between):
    """"does not permit content produced by ChatGPT": whatever the tool puts out, which bans the tool where the
    rule holds (not "some content generated by Grok": a part of it)."""
    if between[-1:] != ["by"] or PARTIAL_QUANTIFIERS & set(between):
        return False
    return any(w in TOOL_PARTS and between[k + 1] in OUTPUT_VERBS for k, w in enumerate(between[:-2]))


def ban_with_exceptions(ctx, trigger, sent):
    """"will not accept essays that contain text produced by ChatGPT unless the instructor has given
    permission", "bars ChatGPT-written assignments without instructor approval", "banned from using ChatGPT
    for drafting policy": a ban someone may waive, or on some uses only, restricts the tool."""
    if trigger.label_ != "ban":
        return False
    end = min(sent.end, trigger.end + ctx.settings.ban_exception_window)
    # the exception word within the window, its permission noun up to permission_gap words after it
    after = ctx.lower[trigger.end:min(sent.end, end + ctx.settings.permission_gap)]
    for k, w in enumerate(after[:end - trigger.end]):
        # by leave of someone, not a carve-out ("unless that text is part of the paper's experiments": a ban)
        if w in BAN_EXCEPTIONS and PERMISSION_NOUNS & set(after[k + 1:k + 1 + ctx.settings.permission_gap]):
            return True
    for tool in ctx.spans("tool", trigger.end, end) + ctx.spans("tool_noun", trigger.end, end):
        # "using ChatGPT for drafting policy": some uses only
        if ctx.lower[tool.end:tool.end + 1] == ["for"] and tool.end + 1 < sent.end \
                and ctx.lower[tool.end + 1].endswith("ing") and ctx.alpha[tool.end + 1]:
            return True
        # "rules out ChatGPT as a co-author": one role only
        role = ctx.lower[tool.end:min(sent.end, tool.end + 5)]  # "as a co - author"
        if role[:1] == ["as"] and USE_ROLES & set(role[1:]):
            return True
    return False


BAN_EXCEPTIONS = words("ban_exception")  # "unless", "without"
PERMISSION_NOUNS = words("permission_noun")  # "approval", "permission", "authorisation"
USE_ROLES = words("use_role")  # "as a co-author", "as reviewers": one role a tool may not play


def pending_a_check(ctx, trigger, sent):
    """"blocks DeepSeek on police computers pending security check", "shut out of schools until safety is
    confirmed": a ban held until a check is done, or called temporary, suspends the tool; it does not ban it
    for good. ("while the agency weighs safe use" is not read: "while" is mostly a contrast.)"""
    if trigger.label_ != "ban":
        return False
    window = ctx.settings.pending_check_window
    for k in range(trigger.end, min(sent.end, trigger.end + window)):
        if ctx.lower[k] in PENDING_LINKS:
            return bool(CHECK_WORDS & set(ctx.lower[k + 1:min(sent.end, k + 1 + window)]))
    return said_temporary(ctx, trigger, sent)


TEMPORARY = words("temporary")  # "banned it temporarily from public schools"


def said_temporary(ctx, trigger, sent):
    """"Victoria has since banned it temporarily from public schools": a ban its clause calls temporary, a few
    words on, is a suspension (the lexicon's "temporarily banned", "temporary ban" are suspensions already)."""
    after = ctx.lower[trigger.end:min(sent.end, trigger.end + ctx.settings.temporary_window)]
    for word in after:
        if word in CLAUSE_CUT or word == ",":
            return False
        if word in TEMPORARY:
            return True
    return False


PENDING_LINKS = words("pending_link")  # "until", "pending"
CHECK_WORDS = words("check_word")  # "verified", "review", "safety", "weighs"


def conditional_permission(ctx, trigger, sent):
    """"will let students use ChatGPT, as long as they say so", "allowed provided they disclose it", "lets
    staff use AI writing tools - with a human check on every output": a permission on a condition
    restricts; it does not lift."""
    if trigger.label_ != "lift":
        return False
    after = ctx.lower[trigger.end:min(sent.end, trigger.end + ctx.settings.permission_condition_window)]
    return any(w in PERMISSION_CONDITIONS and (w != "long" or "as" in after)
               or w in PERMISSION_CHECKS and PERMISSION_CHECK_LINKS & set(after[max(0, k - 3):k])
               for k, w in enumerate(after))
