"""Event merging: reports of one measure, from many sources, become one event.

The rule
--------
Two reports are the same measure when they have the same agency, the same tool, the same stage
and an action of the same family, and their dates fall within WINDOW_DAYS of each other:

* Same agency and tool: after entity resolution, so "the Pentagon" and "DoD" are one actor.
  A parent and its child (DoD and DISA) stay distinct: each really took its own measure.
* Action family: ban, restrict and suspend are one family. Reporters routinely call the same
  order a "ban" in one headline and a "restriction" in the next; an agency does not ban and
  restrict the same tool as separate measures within weeks. lift, investigate and warn are
  each their own family: they are different steps, not different words for one.
  When sources disagree inside the family the event takes the most reported action
  (`action_disputed` = 1).
* Stage: a proposal and its enactment are two events (two steps of policy, often months apart).
* Window: 45 days. Reports of one order cluster within days of it (the order, its effective
  date, follow-up coverage); a second measure by the same agency on the same tool comes months
  later (a renewal, an extension to another body). A cluster is anchored at its earliest day
  date and spans at most the window, so a run of monthly measures is never chained into one.

Dates come in three kinds and are used in that order of authority:

1. read from the text (`date_source` = text), at day, month or year precision. A month or year
   date joins the cluster with a day date inside it (compatible: no dispute); failing that the
   nearest cluster within the window (a dispute), failing that month/year reports cluster
   among themselves.
2. defaulted to the publication date (`date_source` = published). That is only a bound - the
   measure existed when the article was written - so it attaches to the latest cluster that
   began on or before it (within LOOKBACK_DAYS: background mentions months later), and anchors
   a cluster of its own only when nothing fits. It never makes a date disputed.
3. no date at all: joins the group's best-attested cluster, if any.

The event date is the most-attested day date read from the text (ties: the earliest); failing
that the most-attested month, then year; failing that the first publication date (the event
was "first reported"); `date_rule` says which. `date_disputed` = 1 when text dates disagree: two
different days, or a month/year that does not contain the chosen date. Every reported date stays
in event_sources with its source (see the date_reports view).

Event IDs spell the event: `agency--tool--action[-proposed]--YYYY-MM` (YYYY for a year-precision
date, `undated` without one). Nothing in them depends on row order, so a rebuild from scratch
gives the same IDs; kb.build keeps citations working when data later moves an event's month.
"""
import datetime
import functools
import json
import re
from collections import Counter

from banwatch.names import slugify
from banwatch.vocab import REASONS

WINDOW_DAYS = 45
LOOKBACK_DAYS = 365

ACTION_FAMILY = {
    "ban": "restrictive", "restrict": "restrictive", "suspend": "restrictive",
    "lift": "lift", "investigate": "investigate", "warn": "warn",
}
# Ties in the action vote (equal counts and equal confidence) go to the first in this order.
ACTION_ORDER = ("ban", "suspend", "restrict", "lift", "investigate", "warn")
REASON_ORDER = REASONS  # reasons are listed in the vocabulary's order

_DATE_FORMATS = {"day": re.compile(r"^\d{4}-\d{2}-\d{2}$"), "month": re.compile(r"^\d{4}-\d{2}$"),
                 "year": re.compile(r"^\d{4}$")}


def group_key(agency_id, tool_id, action, stage):
    """The merging group of a report: only reports of one group can be one event."""
    return f"{agency_id}|{tool_id}|{ACTION_FAMILY.get(action, action)}|{stage}"


@functools.lru_cache(maxsize=65536)
def date_precision_of(value):
    """'day', 'month' or 'year' for a well-formed ISO date string, else None."""
    if not isinstance(value, str):
        return None
    for precision, pattern in _DATE_FORMATS.items():
        if pattern.match(value):
            try:
                date_interval(value, precision)
            except ValueError:
                return None
            return precision
    return None


@functools.lru_cache(maxsize=65536)
def date_interval(value, precision=None):
    """(first day, last day) a date can mean: '2025-02' -> (2025-02-01, 2025-02-28)."""
    precision = precision or date_precision_of(value)
    if precision == "day":
        day = datetime.date.fromisoformat(value)
        return day, day
    if precision == "month":
        year, month = int(value[:4]), int(value[5:7])
        first = datetime.date(year, month, 1)
        following = datetime.date(year + month // 12, month % 12 + 1, 1)
        return first, following - datetime.timedelta(days=1)
    if precision == "year":
        year = int(value[:4])
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    raise ValueError(f"not a YYYY[-MM[-DD]] date: {value!r}")


def report_date_kind(report):
    """How a report dates the measure: ('text', precision), ('published', 'day') or (None, None)."""
    if report.get("reported_date") and report.get("reported_precision"):
        source = report.get("date_source")
        if source == "published":
            return "published", report["reported_precision"]
        return "text", report["reported_precision"]
    return None, None


class Cluster:
    __slots__ = ("reports", "days", "text_intervals", "published")

    def __init__(self):
        self.reports = []
        self.days = []            # day-precision text dates
        self.text_intervals = []  # intervals of every text date
        self.published = []       # publication-bound dates

    def add(self, report, kind=None, interval=None):
        self.reports.append(report)
        if kind == "text":
            self.text_intervals.append(interval)
            if interval[0] == interval[1]:
                self.days.append(interval[0])
        elif kind == "published":
            self.published.append(interval[0])

    @property
    def start(self):
        starts = [i[0] for i in self.text_intervals] or self.published
        return min(starts) if starts else None

    @property
    def end(self):
        ends = [i[1] for i in self.text_intervals] or self.published
        return max(ends) if ends else None


def cluster_reports(reports):
    """Split the reports of one group into clusters, one per measure (see the module docstring)."""
    day, coarse, published, undated = [], [], [], []
    for report in sorted(reports, key=lambda r: r["id"]):
        kind, precision = report_date_kind(report)
        if kind is None:
            undated.append(report)
            continue
        interval = date_interval(report["reported_date"], precision)
        if kind == "published":
            published.append((interval, report))
        elif precision == "day":
            day.append((interval, report))
        else:
            coarse.append((interval, report, precision))

    clusters = []
    anchor = None
    for interval, report in sorted(day, key=lambda x: x[0][0]):
        if not clusters or (interval[0] - anchor).days > WINDOW_DAYS:
            clusters.append(Cluster())
            anchor = interval[0]
        clusters[-1].add(report, "text", interval)

    # Month dates before year dates, each in date order.
    for interval, report, precision in sorted(coarse, key=lambda x: (x[2] != "month", x[0][0])):
        inside = [c for c in clusters if any(interval[0] <= d <= interval[1] for d in c.days)
                  or any(i[0] <= interval[0] and interval[1] <= i[1] for i in c.text_intervals)]
        if inside:
            target = max(inside, key=lambda c: (len(c.reports), -c.start.toordinal()))
        else:
            near = [(max(0, (c.start - interval[1]).days, (interval[0] - c.end).days), c) for c in clusters]
            near = [(gap, c) for gap, c in near if gap <= WINDOW_DAYS]
            target = min(near, key=lambda x: (x[0], x[1].start))[1] if near else None
        if target is None:
            target = Cluster()
            clusters.append(target)
        target.add(report, "text", interval)

    for interval, report in sorted(published, key=lambda x: x[0][0]):
        bound = interval[0]
        dated = [c for c in clusters if c.start is not None]
        before = [c for c in dated if c.start <= bound and (bound - c.start).days <= LOOKBACK_DAYS]
        after = [c for c in dated if bound < c.start and (c.start - bound).days <= WINDOW_DAYS]
        if before:
            target = max(before, key=lambda c: c.start)
        elif after:
            target = min(after, key=lambda c: c.start)
        else:
            target = Cluster()
            clusters.append(target)
        target.add(report, "published", interval)

    if undated:
        if clusters:
            target = max(clusters, key=lambda c: (len(c.reports), -(c.start or datetime.date.max).toordinal()))
        else:
            target = Cluster()
            clusters.append(target)
        for report in undated:
            target.add(report)
    return [c.reports for c in clusters]


def choose_date(reports):
    """(date, precision, rule, disputed) for one cluster, by the rule of the module docstring."""
    text = {"day": Counter(), "month": Counter(), "year": Counter()}
    published = []
    for report in reports:
        kind, precision = report_date_kind(report)
        if kind == "text":
            text[precision][report["reported_date"]] += 1
        elif kind == "published":
            published.append(report["reported_date"])
    date = precision = None
    rule = "undated"
    for level in ("day", "month", "year"):
        if text[level]:
            date = min(text[level], key=lambda d: (-text[level][d], d))
            precision, rule = level, f"most_attested_{level}"
            break
    if date is None and published:
        # a page dated only by its month ("/2025/04/" in its URL) is first reported that month
        date = min(published)
        precision, rule = date_precision_of(date) or "day", "first_reported"
    disputed = False
    if rule.startswith("most_attested"):
        chosen = date_interval(date, precision)
        if len(text["day"]) > 1:
            disputed = True
        for level in ("day", "month", "year"):
            for value in text[level]:
                start, end = date_interval(value, level)
                contains = start <= chosen[0] and chosen[1] <= end
                inside = chosen[0] <= start and end <= chosen[1]
                if not (contains or inside):
                    disputed = True
    return date, precision, rule, disputed


def choose_action(reports):
    """(action, disputed): the most reported action; ties by summed confidence, then ACTION_ORDER."""
    counts = Counter(r["action"] for r in reports)
    weight = Counter()
    for r in reports:
        weight[r["action"]] += r.get("confidence") or 0.0
    action = min(counts, key=lambda a: (-counts[a], -round(weight[a], 6), ACTION_ORDER.index(a)))
    return action, len(counts) > 1


def combine_reasons(reports):
    """[(reason, n_sources, evidence phrase, evidence source id)] in vocabulary order."""
    found = {}
    for report in sorted(reports, key=lambda r: (-(r.get("confidence") or 0.0), r["id"])):
        evidence = report.get("reason_evidence") or {}
        for reason in report.get("reasons") or []:
            entry = found.setdefault(reason, [0, None, None])
            entry[0] += 1
            if entry[1] is None and evidence.get(reason):
                entry[1], entry[2] = evidence[reason], report["id"]
    return [(reason, *found[reason]) for reason in sorted(found, key=_reason_rank)]


def _reason_rank(reason):
    return REASON_ORDER.index(reason) if reason in REASON_ORDER else len(REASON_ORDER)


def choose_scope(reports):
    counts = Counter(r["scope"].strip() for r in reports if r.get("scope") and r["scope"].strip())
    if not counts:
        return None
    return min(counts, key=lambda s: (-counts[s], -len(s), s))  # ties: the most detailed


def combined_confidence(reports):
    """The best source's confidence. Sources are not independent evidence: a rule that misreads one
    phrasing misreads it in every outlet that copies the wire story, so agreeing reports do not add up
    (1 - prod(1 - c) made three 0.7 readings of one passing mention a 0.97 event). A source without a
    figure counts 0.5."""
    values = [0.5 if r.get("confidence") is None else min(max(float(r["confidence"]), 0.0), 0.99) for r in reports]
    return round(max(values), 3) if values else 0.5


def event_id(agency_id, tool_id, action, stage, date):
    """`agency--tool--action[-proposed]--YYYY-MM`: readable, and a function of the event alone."""
    if date:
        anchor = date[:7] if len(date) >= 7 else date[:4]
    else:
        anchor = "undated"
    verb = action + ("-proposed" if stage == "proposed" else "")
    return "--".join([slugify(agency_id, 120), slugify(tool_id, 80), verb, anchor])


EVENT_ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*(?:--[a-z0-9]+(?:-[a-z0-9]+)*){3}(?:-\d+)?$")

_VERBS = {
    "ban": ("banned", "proposed banning"),
    "restrict": ("restricted", "proposed restricting"),
    "suspend": ("suspended", "proposed suspending"),
    "lift": ("lifted its restrictions on", "proposed lifting restrictions on"),
    "investigate": ("opened an investigation into", "proposed investigating"),
    "warn": ("warned against", "proposed warning against"),
}
_PREPOSITIONS = ("on ", "for ", "in ", "at ", "across ", "within ", "from ", "by ", "to ", "among ")


def summary_sentence(agency, tool, action, stage, scope=None, date=None):
    """"NASA banned DeepSeek on government devices and networks (2025-01-31)"."""
    verb = _VERBS.get(action, (action, "proposed " + action))[stage == "proposed"]
    text = f"{agency} {verb} {tool}"
    if scope:
        scope = " ".join(scope.split()).rstrip(".")
        text += " " + (scope if scope.lower().startswith(_PREPOSITIONS) else "on " + scope)
    return f"{text} ({date or 'date unknown'})"


def event_fields(reports):
    """The machine-read fields of the event a cluster of reports makes (before curation)."""
    first = min(reports, key=lambda r: r["id"])
    date, precision, rule, date_disputed = choose_date(reports)
    action, action_disputed = choose_action(reports)
    start = end = None
    if date:
        start, end = (d.isoformat() for d in date_interval(date, precision))
    published = sorted(r["published"] for r in reports if r.get("published"))
    urls = sorted({r["document_url"]: r.get("published") or "9999" for r in reports}.items(),
                  key=lambda item: (item[1], item[0]))
    reasons = combine_reasons(reports)
    return {
        "agency_id": first["agency_id"],
        "tool_id": first["tool_id"],
        "action": action,
        "stage": first["stage"],
        "date": date,
        "date_precision": precision,
        "date_start": start,
        "date_end": end,
        "year": date[:4] if date else None,
        "date_rule": rule,
        "date_disputed": int(date_disputed),
        "action_disputed": int(action_disputed),
        "scope": choose_scope(reports),
        "reasons": [r[0] for r in reasons],
        "reason_details": reasons,
        "source_urls": [url for url, _ in urls],
        "confidence": combined_confidence(reports),
        "n_sources": len(reports),
        "n_documents": len(urls),
        "first_reported": published[0] if published else None,
        "last_reported": published[-1] if published else None,
        "group_key": first["group_key"],
    }


def content_hash(fields):
    """A hash of what users see of an event, to tell when it changed (for `updated_at`)."""
    import hashlib

    keys = ("agency_id", "tool_id", "action", "stage", "date", "date_precision", "scope", "reasons",
            "source_urls", "verified", "date_disputed", "action_disputed", "summary")
    blob = json.dumps({k: fields.get(k) for k in keys}, sort_keys=True, default=str)
    return hashlib.sha1(blob.encode()).hexdigest()[:16]


CURATABLE_FIELDS = ("date", "action", "stage", "reasons", "scope", "agency", "tool", "jurisdiction", "summary")


class Draft:
    """An event being built: a cluster of reports, its machine fields, and curation on top.

    `machine` holds what the sources say; `overrides` what curators set (field -> value);
    `fields` is the two combined, recomputed whenever reports or overrides change.
    """

    def __init__(self, reports):
        self.reports = list(reports)
        self.overrides = {}
        self.verified = 0
        self.notes = []
        self.pinned_id = None
        self.rejected_by = None     # the curation entry that rejected it (or merged it into another)
        self.merged_into = None     # the draft a curated merge gave its reports to
        self.id = None              # the final ID, once kb.steps.assign_event_ids gave it
        self.predecessors = Counter()  # previous event id -> reports it shares with this draft
        self.recompute()
        m = self.machine
        self.machine_id = event_id(m["agency_id"], m["tool_id"], m["action"], m["stage"], m["date"])
        self.group_key = m["group_key"]

    def recompute(self):
        self.machine = event_fields(self.reports)
        fields = dict(self.machine)
        o = self.overrides
        if "date" in o:
            date = o["date"]
            precision = date_precision_of(date)
            start, end = date_interval(date, precision)
            fields.update(date=date, date_precision=precision, date_start=start.isoformat(),
                          date_end=end.isoformat(), year=date[:4], date_rule="curated")
        for name, column in (("action", "action"), ("stage", "stage"), ("scope", "scope"),
                             ("agency", "agency_id"), ("tool", "tool_id"), ("jurisdiction", "jurisdiction_id"),
                             ("summary", "summary")):
            if name in o:
                fields[column] = o[name]
        if "reasons" in o:
            by_reason = {r[0]: r for r in self.machine["reason_details"]}
            fields["reasons"] = sorted(o["reasons"], key=_reason_rank)
            fields["reason_details"] = [by_reason.get(r, (r, 0, None, None)) for r in fields["reasons"]]
        self.fields = fields

    def override(self, values):
        self.overrides.update(values)
        self.recompute()

    @property
    def curated_fields(self):
        return sorted(self.overrides)

    def absorb(self, other):
        """Take another draft's reports (a curated merge of two events)."""
        self.reports.extend(other.reports)
        self.predecessors.update(other.predecessors)
        self.verified = max(self.verified, other.verified)
        self.notes.extend(n for n in other.notes if n not in self.notes)
        for key, value in other.overrides.items():
            self.overrides.setdefault(key, value)
        self.recompute()

    def final_id(self):
        if self.pinned_id:
            return self.pinned_id
        f = self.fields
        return event_id(f["agency_id"], f["tool_id"], f["action"], f["stage"], f["date"])
