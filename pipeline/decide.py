"""The learned decision layer: which candidate events are measures, and how sure we can be.

The rules of pipeline/events.py and pipeline/assemble.py propose candidate events (an actor, a
tool, a trigger, the sentences, the date); each candidate is described by the features below, and
a logistic regression trained on gold documents (`banwatch train`, pipeline/train.py) gives the
probability that it is a real measure, calibrated (Platt scaling on cross-validated scores) so
that a confidence of 0.8 means right about four times in five. Candidates under the model's keep
threshold are dropped; the rest carry the probability as their `confidence`.

The model is data, not code: pipeline/model/decision.json holds the feature names, weights,
calibration and threshold, and its digest is part of the extractor version.
"""
import hashlib
import json
import math
from pathlib import Path

from banwatch.lexicon import words
from pipeline.actors import actors_in
from pipeline.context import only_described
from pipeline.dates import month_number
from pipeline.triggers import clause_words_before, is_background

MODEL_DIR = Path(__file__).parent / "model"
MODEL_PATH = MODEL_DIR / "decision.json"

# Cues in the words around a trigger that make a statement less than a measure taken.
HEDGES = words("hedge")
COMPARISONS = words("comparison")
CUE_CLAUSE_END = words("clause_cut") | {";", "—", "."}
REFERENCE_KINDS = ("national_government", "state_government", "ministry", "agency", "military", "legislature",
                   "legislative_office", "regulator", "dpa", "court", "local_government", "university",
                   "company", "other")
VIAS = ("by", "relative", "subject", "holder", "speaker", "locative", "context", "nearby", "main", "publisher", "")
ACTIONS = ("ban", "restrict", "suspend", "lift", "investigate", "warn")


def event_features(ctx, ms, event, is_main, n_candidates, beside_measure=False):
    """The features of one candidate event (its mentions `ms` and the event assembled from them);
    `beside_measure`: the same body takes a ban, restriction or suspension of the same tool in the
    document (a warning or probe beside it is often part of that one measure)."""
    cfg = ctx.settings
    best = max(ms, key=lambda m: m.weight)
    first_sentence = min(ctx.sentence_index(m.sentence.start) for m in ms)
    actor = ms[0].actor
    key = actor.key or ""
    name = actor.name or ""
    f = {
        "actor_reference": float(bool(actor.agency_id)),
        "actor_generic": float(bool(actor.generic)),
        "actor_unknown_body": float(key.startswith("new:")),
        "actor_unknown_government": float(key.startswith("government:")),
        "actor_unknown_legislature": float(key.startswith("legislature:")),
        "actor_officeholders": float(key.startswith("collective:")),
        "actor_acronym_unknown": float(not actor.agency_id and len(name) <= 4 and name.isupper()),
        "actor_one_word_unknown": float(not actor.agency_id and len(name.split()) == 1),
        "actor_in_title": float(any(m.in_title for m in ms)),
        # "lawmakers", "the education department": described, never named, so which body is a guess
        "actor_described": float(all(only_described(m.actor.mention) for m in ms)),
        "actor_of_document_country": float(bool(actor.jurisdiction_id) and
                                           ctx.ref.country_of(actor.jurisdiction_id) == ctx.dominant_of("country")),
        "tool_unknown": float(ms[0].tool_id.startswith("new:")),
        "tool_named": float(best.weight > 0 and any(m.tool_mention and m.via != "context" for m in ms)),
        "tool_is_focus": float(bool(ctx.focus_tools) and ms[0].tool_id == ctx.focus_tools[0]),
        "tool_in_title": float(any(s.kb_id_ == ms[0].tool_id for s in ctx.spans("tool", 0, _title_end_token(ctx)))),
        "stage_proposed": float(event["stage"] == "proposed"),
        "trigger_weak": float(all(m.trigger.kb_id_ == "weak" for m in ms)),
        "trigger_close": float(any(m.trigger.kb_id_ == "close" for m in ms)),
        "mentions": math.log1p(len(ms)),
        "sentences": math.log1p(len({m.sentence.start for m in ms})),
        "in_title": float(any(m.in_title for m in ms)),
        "early": float(first_sentence <= cfg.early_sentences),
        # told only in the story's closing lines: background more often than news ("Italy briefly
        # blocked ChatGPT in 2023" at the end of a story about another regulator)
        "late": float(len(ctx.sents) > cfg.early_sentences + 2 and
                      first_sentence >= len(ctx.sents) - cfg.late_sentences),
        "main_event": float(is_main),
        "candidates_in_document": math.log1p(n_candidates),
        "date_from_text": float(event["date_source"] == "text"),
        "undated": float(event["date"] is None),
        "weight": min(best.weight, cfg.weight_feature_cap),
        "hedged": float(all(_near_words(ctx, m, HEDGES) for m in ms)),
        "comparison": float(all(_near_words(ctx, m, COMPARISONS) for m in ms)),
        "background": float(all(is_background(ctx, m) for m in ms)),
        "tools_in_sentence": math.log1p(len(ctx.in_sent("tool", best.sentence))),
        "actors_in_sentence": math.log1p(len(actors_in(ctx, best.sentence))),
        "reasons": math.log1p(len(event["reasons"])),
        "scope": float(bool(event["scope"])),
        # a measure dated long before the report is more often recalled than reported
        "years_before_report": _years_before(ctx, event),
        "beside_measure": float(beside_measure),
    }
    for kind in REFERENCE_KINDS:
        f[f"kind={kind}"] = float(actor.kind == kind)
    for via in VIAS:
        f[f"via={via or 'none'}"] = float(best.via == via)
    for action in ACTIONS:
        f[f"action={action}"] = float(event["action"] == action)
    return f


def _years_before(ctx, event):
    """How long before the publication date the event's text date lies, in years (0 to 2)."""
    if event["date_source"] != "text" or not event["date"] or ctx.published is None:
        return 0.0
    date = event["date"]
    month = int(date[5:7]) if len(date) >= 7 else 6  # a year alone: its middle
    months = (ctx.published.year - int(date[:4])) * 12 + ctx.published.month - month
    return min(max(months, 0), 24) / 12


def _title_end_token(ctx):
    for sent in ctx.sents:
        if not ctx.is_title(sent):
            return sent.start
    return len(ctx.doc)


def _near_words(ctx, m, words):
    """A cue among the words before the trigger (settings.cue_window), within its clause."""
    return bool(words & set(clause_words_before(ctx, m.trigger, m.sentence, ctx.settings.cue_window, CUE_CLAUSE_END)))


class DecisionModel:
    """decision.json: a logistic regression over event_features, Platt-calibrated, with a keep threshold."""

    def __init__(self, spec):
        self.spec = spec
        self.features = spec["features"]
        self.weights = dict(zip(self.features, spec["coef"]))
        self.intercept = spec["intercept"]
        self.a, self.b = spec["calibration"]["a"], spec["calibration"]["b"]
        self.keep_threshold = spec["keep_threshold"]
        self.digest = hashlib.sha1(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:8]

    @classmethod
    def load(cls, path=MODEL_PATH):
        return cls(json.loads(Path(path).read_text(encoding="utf-8")))

    def score(self, features):
        """The model's raw score (log-odds before calibration)."""
        return self.intercept + sum(self.weights.get(name, 0.0) * value for name, value in features.items())

    def probability(self, features):
        z = self.a * self.score(features) + self.b
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def decide(self, events):
        """Keep the candidates the model believes; their confidence is the calibrated probability."""
        kept = []
        for event in events:
            p = self.probability(event["features"])
            if p >= self.keep_threshold:
                event["confidence"] = round(p, 3)
                kept.append(event)
        return kept


def one_event_per_measure(events, months_apart):
    """A document's kept events on the same body and tool, both lifts or both not, dated less than
    `months_apart` apart (or one undated), are one measure told in several words ("fines Clearview,
    warns organisations off the service"): the most confident stands, with the date the text states
    if only another telling has one. Gold files and the KB count a
    measure once, and a second event would publish a measure nobody took."""
    kept = []
    for event in sorted(events, key=lambda e: -e["confidence"]):
        standing = next((other for other in kept if same_measure(event, other, months_apart)), None)
        if standing is None:
            kept.append(event)
        elif standing["date_source"] != "text" and event["date_source"] == "text":
            # the measure's date as the text states it, rather than the day of the report
            for field in ("date", "date_precision", "date_text", "date_source"):
                standing[field] = event[field]
    standing_ids = {id(k) for k in kept}
    return [e for e in events if id(e) in standing_ids]


def same_measure(a, b, months_apart):
    if (a.get("agency_id") or a["agency"], a.get("tool_id") or a["tool"], a["action"] == "lift") != \
            (b.get("agency_id") or b["agency"], b.get("tool_id") or b["tool"], b["action"] == "lift"):
        return False
    if kind_of_act(a["action"]) != kind_of_act(b["action"]) and a["date_source"] == b["date_source"] == "text" \
            and a["date"] and b["date"] and not same_day_or_within(a["date"], b["date"]):
        return False  # a probe opened on one day and a ban ordered on another are two measures
    first, second = month_number(a.get("date")), month_number(b.get("date"))
    return first is None or second is None or abs(first - second) <= months_apart


def same_day_or_within(a, b):
    """"2025-01" and "2025-01-30" may be one day: dates compare at the coarser precision."""
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def kind_of_act(action):
    """A prohibition (ban, restriction, suspension), a probe, a warning or a lift."""
    return "prohibit" if action in ("ban", "restrict", "suspend") else action


