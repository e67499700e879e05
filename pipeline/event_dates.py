"""The dates a sentence offers for the measure a trigger states, scored: the nearest to its trigger wins."""
from banwatch.lexicon import words
from pipeline import dates as datemod
from pipeline.components import dates_in
from pipeline.context import no_line_break_between
from pipeline.triggers import nearest_in_clause, object_of_lift

DATE_SKIP_BEFORE = words("date_skip_before")
RELATIVE_CLAUSE = words("relative_pronoun") | {";"}
OTHER_CLAUSE = words("date_contrast")
DATE_CUES = words("date_cue")
IMPOSING = words("imposing")  # "a ban it imposed in February": the verb of the measure a lift ends
RULE_STATES = words("rule_state")  # "its ban, in place since January": since when the lifted measure held
DOCUMENT_DATED = {"dated"}  # "an order dated 2 February": the date of the paper stating the measure


def date_candidates(ctx, sent, trigger=None, after=0, others=()):
    """Dates of a sentence scored for one trigger: a date belongs to its nearest trigger, and one
    across a relative clause ("..., which banned it last week") belongs to that clause. `others`: the
    sentence's actors that do not take this measure; a date one of them owns is theirs."""
    cfg = ctx.settings
    out = []
    triggers = ctx.in_sent("trigger", sent)
    dates = ctx.in_sent("date", sent)
    floor = release_floor(ctx, sent) if dates else None
    later = trigger is not None and takes_effect_later(ctx, trigger, sent)
    for n, span in enumerate(dates):
        if span.start < after or any(owns_date(ctx, actor, span) for actor in others):
            continue
        if after and not dates_the_lifted(ctx, after, span):
            continue  # "lifted its ban on ChatGPT on April 28": the lift's date; "the ban it imposed in March" the ban's
        if trigger is None and in_cause_clause(ctx, sent, span):
            continue  # "The move came after engineers uploaded code to the chatbot in April": the leak's date
        if span.label_ == "weekday" and n + 1 < len(dates) and dates[n + 1].start - span.end <= 1:
            continue  # "on Monday, Feb. 3": the date itself follows its weekday
        before = words_before(ctx, sent, span)
        if before & DATE_SKIP_BEFORE and not ctx.spans("measure_noun", max(sent.start, span.start - cfg.date_measure_window),
                                                      span.start):
            continue  # "launched in January": the product's date; not "a letter published in November"
        if in_dateline(ctx, span):
            continue
        if span.text.isdigit() and (trigger is None or trigger.start != span.end):
            continue  # "its 2014 order": the year names the measure right after it, no other
        if span.label_ == "later":  # "New York acted on Feb. 10, and a day later Virginia ...": from the date before
            anchor = next((datemod.resolve(d.label_, d.text, ctx.published, ctx.default_year, ctx.not_before)
                           for d in reversed(dates[:n] or dates_before(ctx, sent)) if d.label_ != "later"), None)
            resolved = datemod.later_than(anchor, span.text) if anchor else None
        else:
            resolved = datemod.resolve(span.label_, span.text, ctx.published, ctx.default_year, ctx.not_before)
            if span.label_ in YEARLESS and resolved:
                resolved = in_the_story_s_year(ctx, sent, span, resolved)
        if not resolved:
            continue
        iso, precision = resolved
        if later and before & EFFECT_CUES:
            # "will ban it from March 1": when it takes effect, read before the tool's release date would drop it
            iso = next_such_date(ctx, span, iso)
        if floor and iso < floor.isoformat()[:len(iso)]:
            continue  # no measure predates the tool it acts on: this date is about something else
        score = cfg.date_untargeted_score
        if trigger is not None:
            distance = _gap(span, trigger)
            score = cfg.date_base_score - min(distance, cfg.date_distance_cap) / cfg.date_distance_scale
            # the measure a lift undoes ("lifted the ban on April 28") leaves the lift its dates
            rivals = [t for t in triggers if t is trigger or not object_of_lift(ctx, t, [trigger])]
            nearest = min(rivals, key=lambda t: _gap(span, t)) if rivals else trigger
            other_nearer = nearest is not trigger and _gap(span, nearest) < distance
            if other_nearer:
                score -= cfg.date_other_trigger_penalty
            lo, hi = sorted((span.end, trigger.start)) if span.end <= trigger.start else sorted((trigger.end, span.start))
            if span.end <= trigger.start and inside_relative_clause(ctx, span, triggers, sent) and "," in ctx.lower[lo:hi]:
                continue  # "The Garante, which had blocked ChatGPT on March 31, lifted the ban": the clause's date
            if any(w in RELATIVE_CLAUSE for w in ctx.lower[lo:hi]):
                if other_nearer and span.start >= trigger.end and nearest.start > lo:
                    continue  # "..., which had blocked the service in March": the date of the clause's own measure
                score -= cfg.date_relative_clause_penalty
            if other_clause_date(ctx, lo, hi, date_first=span.end <= trigger.start):
                continue  # "X banned it, while Y acted on Wednesday": the date is Y's
            if span.end <= trigger.start and closes_earlier_predicate(ctx, span, trigger, triggers):
                continue  # "banned ChatGPT on March 31, 2023 and fined OpenAI on ...": the ban's date
            if trigger.label_ == "lift" and span.start >= trigger.end and dates_the_lifted(ctx, trigger.end, span):
                continue  # "reversing a ban it imposed in February": the date of the measure lifted
            if trigger.label_ == "lift" and span.end <= trigger.start and IMPOSING & set(
                    ctx.lower[max(sent.start, span.start - cfg.imposed_date_window):span.start]):
                continue  # "The rule adopted in February ... will no longer apply": the rule's date
        if trigger is not None and reported_earlier(ctx, span, trigger):
            score -= cfg.date_reported_penalty
        if before & DATE_CUES:
            score += cfg.date_cue_bonus
        if later and before & EFFECT_CUES:
            score += cfg.effective_date_bonus  # "will block it ... beginning May 6": when it takes effect
        if span.start > sent.start and ctx.lower[span.start - 1] in DOCUMENT_DATED:
            score += cfg.document_dated_bonus  # "an order dated 2 February": the measure's own paper
        if precision == "day":
            score += cfg.date_day_bonus
        out.append((iso, precision, span.text, score))
    return out


def release_floor(ctx, sent):
    """The earliest day a measure told in this sentence can have: the release of the oldest tool it names
    ("... than ChatGPT did when Italy banned it in 2023" in a DeepSeek story), else the story's tool's."""
    days = [day for day in [ctx.not_before] + [ctx.ref.release_days.get(t.kb_id_) for t in ctx.in_sent("tool", sent)]
            if day]
    return min(days, default=None)


CAUSE_OPENERS = words("cause_opener")  # "after", "because": what opens a measure's cause


def in_cause_clause(ctx, sent, span):
    """A date after a measure noun and a word opening its cause ("The move came after engineers uploaded ...
    in April") is the cause's, not the measure's."""
    nouns = ctx.spans("measure_noun", sent.start, span.start)
    return bool(nouns) and bool(CAUSE_OPENERS & set(ctx.lower[nouns[0].end:span.start]))


SPEECH_VERBS = words("speech_verb") - {"announced"}  # "announced on Monday it would ban": the measure's news


def reported_earlier(ctx, span, trigger):
    """"said on Monday that DeepSeek had been removed": a date on the telling, with the measure told in the past
    perfect after it, is when it was told; the measure came before."""
    words = ctx.lower[max(0, span.start - 2):span.start]
    if not (SPEECH_VERBS & set(words)) or trigger.start < span.end:
        return False
    return "had" in ctx.lower[span.end:trigger.start]


def dates_the_lifted(ctx, start, span):
    """A date after a lift's object dates the measure lifted: across an imposing verb ("the ban it imposed in
    February"), or since when it held ("its ban, in place since January"; not "available again since April 28")."""
    between = set(ctx.lower[start:span.start])
    since = "since" in (ctx.lower[span.start], ctx.lower[span.start - 1])  # the date span may hold it
    return bool(IMPOSING & between) or since and bool(RULE_STATES & between)


EFFECT_CUES = words("effect_cue")  # "beginning", "starting", "effective", "from"
FUTURE_MARKS = words("future_mark")  # "will", "shall"
YEARLESS = {"in_month", "part_month", "month_day", "day_month"}


RELATIVE_PRONOUNS = words("relative_pronoun")


def inside_relative_clause(ctx, span, triggers, sent):
    """A date in a relative clause stating a measure of its own ("which had blocked ChatGPT on March 31")."""
    i = nearest_in_clause(ctx, RELATIVE_PRONOUNS, span.start, sent.start)
    return i is not None and any(i < t.start < span.start for t in triggers)


def next_such_date(ctx, span, iso):
    """A date without its year that a measure announced for later takes effect on is the next such date, not
    the last: "will block it from March 1" in a November story is next March (dates.resolve reads year-less
    dates as past ones, a week's slack aside)."""
    if span.label_ not in YEARLESS or ctx.published is None:
        return iso
    date = datemod.parse_iso(iso if len(iso) == 10 else f"{iso}-28")
    if date is None or (ctx.published - date).days <= 7:
        return iso
    return f"{int(iso[:4]) + 1:04d}{iso[4:]}"


def takes_effect_later(ctx, trigger, sent):
    """"... told staff on Wednesday that it will block ChatGPT ... beginning May 6": a measure announced for later,
    whose date is the day it takes effect, not the day it was announced."""
    return bool(FUTURE_MARKS & set(ctx.lower[max(sent.start, trigger.start - 3):trigger.start]))


def other_clause_date(ctx, lo, hi, date_first):
    """A "while", "whereas" or "but" between date and trigger opens a clause with a subject of its own
    ("X banned it, while Y acted on Wednesday"; "Italy acted on Monday, but Germany restricted it"): the
    date belongs to the other party. Not when the clause after it names nobody ("On Wednesday X said staff
    may try ChatGPT, but may not use it to write"): one subject, one date."""
    contrasts = [i for i in range(lo, hi) if ctx.lower[i] in OTHER_CLAUSE]
    if not contrasts:
        return False
    start = contrasts[-1] if date_first else contrasts[0]
    return any(ctx.spans(group, start, hi) for group in SOMEONE_GROUPS)


def words_before(ctx, sent, span):
    """The words right before a date in its sentence ("launched in", "effective from")."""
    return set(ctx.lower[max(sent.start, span.start - ctx.settings.date_words_before):span.start])


def in_dateline(ctx, span):
    """The date of a dateline ("MILAN, March 31 (Reuters) -"): the story's, no measure's."""
    return bool(ctx.dateline) and ctx.dateline[0] <= ctx.idx[span.start] < ctx.dateline[1]


def closes_earlier_predicate(ctx, span, trigger, triggers):
    """A date between two measures joined by "and" ends the first one's clause."""
    between = [w for w in ctx.lower[span.end:trigger.start] if w != ","]
    return between == ["and"] and any(t.end <= span.start for t in triggers)


SOMEONE_GROUPS = ("agency", "jurisdiction", "government", "person", "lawmaker", "ner", "vendor", "body_anaphor", "outlet")


def owns_date(ctx, actor, date):
    """'starting with Texas in January', 'the Jan. 31 directive from Governor Abbott': a date right after a
    body's name, or on a measure noun that names its body right after, is that body's."""
    before = ctx.lower[actor.end:date.start]
    if 0 <= len(before) <= 2 and all(w in DATE_OWNER_LINKS for w in before) and actor.end <= date.start:
        return True
    after = ctx.lower[date.end:actor.start]
    return 2 <= len(after) <= 4 and bool(ctx.spans("measure_noun", date.end, date.end + 1)) \
        and after[1] in DATE_OWNER_AFTER  # (a title may open the name: "from Governor Greg Abbott")


DATE_OWNER_LINKS = {"in", "on", "'s", "’s"}
DATE_OWNER_AFTER = {"from", "by", "of"}


def _gap(a, b):
    return max(0, b.start - a.end, a.start - b.end)


def dates_before(ctx, sent, back=3):
    """The dates of the nearest of the `back` sentences before `sent` that has any ("Seoul blocked it on
    Thursday." then "Gyeonggi restricted it the same day.")."""
    k = ctx.sentence_index(sent.start)
    for j in range(k - 1, max(-1, k - 1 - back), -1):
        # (a sentence far from any measure word has no date spans: its dates are read here)
        dates = ctx.in_sent("date", ctx.sents[j]) or dates_in(ctx.sents[j].text)
        if dates:
            return dates
    return []


WITH_YEAR = {"iso", "numeric", "month_day_year", "day_month_year", "month_year", "part_month_year"}


def in_the_story_s_year(ctx, sent, span, resolved):
    """"New York City blocked ChatGPT in January 2023. It reversed the ban in May": a date without its year
    goes on from the last date with a year in its sentence or the two before it in its paragraph (not a
    product's launch, nor the dateline), when that year is before the report's and the date still falls
    after it; otherwise the report's year stands."""
    k = ctx.sentence_index(sent.start)
    anchor = None
    for j in range(k, max(-1, k - 3), -1):
        if not no_line_break_between(ctx, j, k):
            break  # the paragraph began after it
        dated = [d for d in ctx.in_sent("date", ctx.sents[j]) if d.label_ in WITH_YEAR and d.end <= span.start
                 and not DATE_SKIP_BEFORE & words_before(ctx, ctx.sents[j], d) and not in_dateline(ctx, d)]
        if dated:
            anchor = datemod.resolve(dated[-1].label_, dated[-1].text)
            break
    if not anchor or not ctx.published or int(anchor[0][:4]) >= ctx.published.year:
        return resolved
    story = datemod.resolve(span.label_, span.text, None, int(anchor[0][:4]))
    return story if story and story[0] >= anchor[0][:len(story[0])] else resolved
