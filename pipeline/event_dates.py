"""The dates a sentence offers for the measure a trigger states, scored: the nearest to its trigger wins."""
from banwatch.lexicon import words
from pipeline import dates as datemod

DATE_SKIP_BEFORE = words("date_skip_before")
RELATIVE_CLAUSE = words("relative_pronoun") | {";"}
OTHER_CLAUSE = words("date_contrast")
DATE_CUES = words("date_cue")


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
            if any(w in RELATIVE_CLAUSE for w in ctx.lower[lo:hi]):
                score -= 1.5
            if any(w in OTHER_CLAUSE for w in ctx.lower[lo:hi]):
                continue  # "X banned it, while Y acted on Wednesday": the date is Y's
        if before & DATE_CUES:
            score += 0.3
        if precision == "day":
            score += 0.2
        out.append((iso, precision, span.text, score))
    return out


def _gap(a, b):
    return max(0, b.start - a.end, a.start - b.end)
