"""`banwatch eval`: extraction quality against a gold file, by the evaluation contract of docs/design.md.

Matching (the contract's rule, as the reference scorer applies it): names are normalised (case,
accents, punctuation, possessives, a leading "the", "U.S."/"United States" -> "us"); a predicted
name matches an alias when equal, or when every word of the shorter (minus the/of/and/for) is in
the longer — unless the shorter holds only generic words (and the gold country), which must match
exactly. Agency: the predicted agency or agency_mention against any gold alias; tool likewise;
a lift pairs only with a lift. Pairs are taken greedily, best first (same action, same date,
exact agency name). Precision/recall/F1 over events; action, date (prefix at the gold precision)
and reason (set overlap, micro) scores over matched pairs.
"""
import hashlib
import json
import re
import unicodedata

from banwatch.errors import BanwatchError
from pipeline.run import read_jsonl

STOPWORDS = {"the", "of", "and", "for"}
GENERIC = {"us", "usa", "american", "federal", "government", "state", "states", "national", "department",
           "ministry", "agency", "office", "officials", "authorities", "house", "senate", "congress",
           "parliament", "china", "chinese", "eu", "european", "union", "uk", "country", "city", "county",
           "public", "regulator", "regulators", "lawmakers"}


def match_form(name):
    """A name as the evaluation compares it: name_words' rule plus "United States"/"U.S." -> "us"."""
    if not isinstance(name, str):
        return ""
    name = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).lower()
    name = name.replace("’", "'").replace("‘", "'")
    name = re.sub(r"'s\b", "", name)
    name = re.sub(r"['.]", "", name)
    name = re.sub(r"[^0-9a-z]+", " ", name).strip()
    name = re.sub(r"\bunited states\b", "us", name)
    name = re.sub(r"\bu s\b", "us", name)
    name = re.sub(r"^the\s+", "", name)
    return re.sub(r"\s+", " ", name).strip()


def words(name):
    return {w for w in name.split() if w not in STOPWORDS}


def names_match(predicted, alias, country=None):
    a, b = match_form(predicted), match_form(alias)
    if not a or not b:
        return False
    if a == b:
        return True
    wa, wb = words(a), words(b)
    if not wa or not wb:
        return False
    shorter, longer = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    if not shorter - GENERIC - words(match_form(country or "")):
        return False
    return shorter <= longer


def listify(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


ACTION_ALIASES = {
    "banned": "ban", "bans": "ban", "prohibit": "ban", "prohibited": "ban", "restriction": "restrict",
    "restricted": "restrict", "suspension": "suspend", "suspended": "suspend", "lifted": "lift",
    "lifting": "lift", "investigation": "investigate", "warning": "warn",
}


def norm_action(action):
    action = str(action or "").strip().lower()
    return ACTION_ALIASES.get(action, action)


def pair_events(gold_events, predicted):
    """Greedy one-to-one pairs (predicted index, gold index) of compatible events, best first."""
    candidates = []
    for i, p in enumerate(predicted):
        p_names = [n for n in (p.get("agency"), p.get("agency_mention")) if n]
        p_tools = [n for n in (p.get("tool"), p.get("tool_mention")) if n]
        for j, g in enumerate(gold_events):
            if (norm_action(p.get("action")) == "lift") != (g.get("action") == "lift"):
                continue
            if not any(names_match(t, alias) for t in p_tools for alias in listify(g.get("tool"))):
                continue
            if not any(names_match(n, alias, g.get("country")) for n in p_names for alias in listify(g.get("agency"))):
                continue
            same_action = norm_action(p.get("action")) == g.get("action")
            same_date = date_right(p, g)
            exact = any(match_form(n) == match_form(a) for n in p_names for a in listify(g.get("agency")))
            candidates.append((-(same_action + same_date + exact), i, j))
    used_p, used_g, pairs = set(), set(), []
    for _, i, j in sorted(candidates):
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            pairs.append((i, j))
    return pairs


def date_right(predicted, gold):
    """The predicted date starts with the gold date (a gold month is matched by any day in it)."""
    gold_date, date = gold.get("date"), predicted.get("date")
    return bool(gold_date) and isinstance(date, str) and date[:len(gold_date)] == gold_date


def ratio(a, b):
    return a / b if b else 0.0


def f1(p, r):
    return 2 * p * r / (p + r) if p + r else 0.0


def score(gold, predictions):
    """gold: {id: record with events}; predictions: {id: [events]} -> (scores, detail lines)."""
    n = {k: 0 for k in ("gold", "pred", "matched", "action", "date", "date_n", "stated", "stated_n", "stage",
                        "stage_n", "r_tp", "r_pred", "r_gold")}
    details, confidences = [], []
    for doc_id, record in gold.items():
        gold_events = listify(record.get("events"))
        predicted = [e for e in predictions.get(doc_id, []) if isinstance(e, dict)]
        n["gold"] += len(gold_events)
        n["pred"] += len(predicted)
        pairs = pair_events(gold_events, predicted)
        n["matched"] += len(pairs)
        matched_predictions = {i for i, _ in pairs}
        confidences += [(float(p.get("confidence") or 0.0), i in matched_predictions) for i, p in enumerate(predicted)]
        for i, j in pairs:
            p, g = predicted[i], gold_events[j]
            n["action"] += norm_action(p.get("action")) == g.get("action")
            if g.get("stage"):
                n["stage_n"] += 1
                n["stage"] += str(p.get("stage") or "enacted").lower() == g["stage"]
            if g.get("date"):
                right = date_right(p, g)
                n["date_n"] += 1
                n["date"] += right
                if g.get("date_stated"):
                    n["stated_n"] += 1
                    n["stated"] += right
            ps = {str(x).strip().lower() for x in listify(p.get("reasons"))}
            gs = set(listify(g.get("reasons")))
            n["r_tp"] += len(ps & gs)
            n["r_pred"] += len(ps)
            n["r_gold"] += len(gs)
            if norm_action(p.get("action")) != g.get("action") or (g.get("date") and not date_right(p, g)) or \
                    (g.get("stage") and str(p.get("stage") or "enacted") != g["stage"]):
                details.append(f"MISMATCH {doc_id} {listify(g.get('agency'))[:1]} {listify(g.get('tool'))[:1]}: "
                               f"action {p.get('action')} vs {g.get('action')}, date {p.get('date')} vs "
                               f"{g.get('date')}{' (stated)' if g.get('date_stated') else ''}, "
                               f"stage {p.get('stage')} vs {g.get('stage', 'enacted')}")
        paired_p = {i for i, _ in pairs}
        paired_g = {j for _, j in pairs}
        for j, g in enumerate(gold_events):
            if j not in paired_g:
                details.append(f"FN {doc_id} {listify(g.get('agency'))[:1]} {listify(g.get('tool'))[:1]} {g.get('action')}")
        for i, p in enumerate(predicted):
            if i not in paired_p:
                details.append(f"FP {doc_id} agency={p.get('agency')!r} mention={p.get('agency_mention')!r} "
                               f"tool={p.get('tool')!r} action={p.get('action')!r} confidence={p.get('confidence')}")
    precision, recall = ratio(n["matched"], n["pred"]), ratio(n["matched"], n["gold"])
    rp, rr = ratio(n["r_tp"], n["r_pred"]), ratio(n["r_tp"], n["r_gold"])
    scores = {
        "documents": len(gold), "gold_events": n["gold"], "predicted_events": n["pred"], "matched": n["matched"],
        "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1(precision, recall), 4),
        "action_accuracy": round(ratio(n["action"], n["matched"]), 4),
        "date_accuracy": round(ratio(n["date"], n["date_n"]), 4), "dated_pairs": n["date_n"],
        "stated_date_accuracy": round(ratio(n["stated"], n["stated_n"]), 4), "stated_date_pairs": n["stated_n"],
        "stage_accuracy": round(ratio(n["stage"], n["stage_n"]), 4), "staged_pairs": n["stage_n"],
        "reason_precision": round(rp, 4), "reason_recall": round(rr, 4), "reason_f1": round(f1(rp, rr), 4),
        "confident_events": sum(1 for c, _ in confidences if c >= HIGH_CONFIDENCE),
        "confident_precision": round(ratio(sum(1 for c, ok in confidences if c >= HIGH_CONFIDENCE and ok),
                                           sum(1 for c, _ in confidences if c >= HIGH_CONFIDENCE)), 4),
        "reliability": [[low, high, count, None if right is None else round(right, 3)]
                        for low, high, count, right in reliability_table(confidences)],
    }
    return scores, details


HIGH_CONFIDENCE = 0.8  # the default review threshold: events at or above it are published by default


def reliability_table(pairs, bins=((0.0, 0.5), (0.5, 0.6), (0.6, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 1.01))):
    """[(low, high, n, share right)] for (confidence, right) pairs: how often a confidence is right."""
    table = []
    for low, high in bins:
        inside = [right for confidence, right in pairs if low <= confidence < high]
        table.append((low, min(high, 1.0), len(inside), sum(inside) / len(inside) if inside else None))
    return table


# The fixed split of a gold file into a working part (study its errors, train on it) and a check part
# (only ever scored). Documents that share a measure (gold event_id) stay together, so no measure is
# in both parts; each group goes to the check part when the salted hash of its first measure id (or
# document id) is 0 or 1 modulo 5: about 40%, the same every time. Changing the salt re-deals the parts.
SPLIT_SALT = "banwatch-split-1"
PARTS = ("working", "check")


def split_parts(records):
    """{document id: "working" | "check"} for gold records (see SPLIT_SALT). A record's own "part"
    pins its group (check wins): our corpus's reports on a measure the dev set also holds follow
    that measure's part in the dev set, so no measure of one check part trains the model."""
    parent = {}

    def find(key):
        parent.setdefault(key, key)
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for record in records:
        find(("doc", record["id"]))
        for event in listify(record.get("events")):
            if isinstance(event, dict) and event.get("event_id"):
                parent[find(("doc", record["id"]))] = find(("measure", event["event_id"]))
    groups = {}
    for record in records:
        groups.setdefault(find(("doc", record["id"])), []).append(record)
    parts = {}
    for members in groups.values():
        pinned = {r.get("part") for r in members} & {"working", "check"}
        if pinned:
            # a report about a measure another gold file holds goes to that measure's part there
            for record in members:
                parts[record["id"]] = "check" if "check" in pinned else "working"
            continue
        keys = sorted({e["event_id"] for r in members for e in listify(r.get("events"))
                       if isinstance(e, dict) and e.get("event_id")}) or sorted(r["id"] for r in members)
        digest = int(hashlib.sha1(f"{SPLIT_SALT}:{keys[0]}".encode()).hexdigest(), 16)
        for record in members:
            parts[record["id"]] = "check" if digest % 5 < 2 else "working"
    return parts


def read_gold(gold_path, part=None):
    """{id: gold record} of a gold file, or of one part of it (see split_parts)."""
    gold = {}
    for n, record, error in read_jsonl(gold_path):
        if error:
            raise BanwatchError(f"{gold_path}: {error}")
        gold[record["id"]] = record
    if not gold:
        raise BanwatchError(f"{gold_path}: no gold records")
    if part is not None:
        parts = split_parts(list(gold.values()))
        gold = {doc_id: record for doc_id, record in gold.items() if parts[doc_id] == part}
    return gold


def evaluate(gold_path, output_path=None, full_pipeline=False, part=None):
    """Extract the gold file's documents (or one part's) and score them: (scores, detail lines)."""
    from pipeline.extract import Extractor

    gold = read_gold(gold_path, part)
    extractor = Extractor(full_pipeline=full_pipeline)
    fields = ("id", "url", "title", "published", "text", "html")
    results = extractor.extract_many([{k: r.get(k) for k in fields if k in r} for r in gold.values()])
    predictions = {r["id"]: r["events"] for r in results}
    if output_path:
        with open(output_path, "w", encoding="utf-8") as out:
            for r in results:
                out.write(json.dumps({"id": r["id"], "events": r["events"]}, ensure_ascii=False) + "\n")
    scores, details = score(gold, predictions)
    # a document the extractor failed on counts as missed; say so, or a broken rule reads as a bad score
    failed = [(r["id"], r["error"]) for r in results if r["error"]]
    scores["failed_documents"] = len(failed)
    return scores, [f"FAILED {doc_id}: {error}" for doc_id, error in failed] + details


def format_scores(s):
    failed = [f"FAILED: the extractor failed on {s['failed_documents']} documents (--details names them)"] \
        if s.get("failed_documents") else []
    return "\n".join(failed + [
        f"documents {s['documents']}  gold events {s['gold_events']}  predicted {s['predicted_events']}  "
        f"matched {s['matched']}",
        f"event precision  {s['precision']:.3f}",
        f"event recall     {s['recall']:.3f}",
        f"event F1         {s['f1']:.3f}",
        f"action accuracy  {s['action_accuracy']:.3f}",
        f"date accuracy    {s['date_accuracy']:.3f}  (over {s['dated_pairs']} dated pairs)",
        f"stated date acc  {s['stated_date_accuracy']:.3f}  (over {s['stated_date_pairs']} pairs whose date the text states)",
        f"stage accuracy   {s['stage_accuracy']:.3f}  (over {s['staged_pairs']} pairs with a gold stage)",
        f"reason P/R/F1    {s['reason_precision']:.3f} / {s['reason_recall']:.3f} / {s['reason_f1']:.3f}",
        f"confidence >= {HIGH_CONFIDENCE}: {s['confident_events']} events, {s['confident_precision']:.3f} right",
        "reliability      " + "  ".join(f"[{low:.1f},{min(high, 1):.1f}) {count}:"
                                        f"{'-' if right is None else f'{right:.2f}'}"
                                        for low, high, count, right in s["reliability"]),
    ])


# Actions of one family can describe one measure (a ban read as a restriction is the same measure);
# a lift, a probe or a warning is another measure of its own.
ACTION_FAMILIES = {"ban": "measure", "restrict": "measure", "suspend": "measure"}


def measures_of(gold_records):
    """{measure id: [gold events]}: a gold event_id names one real measure across documents."""
    measures = {}
    for record in gold_records:
        for n, g in enumerate(listify(record.get("events"))):
            if isinstance(g, dict):
                measures.setdefault(g.get("event_id") or f"{record['id']}#{n}", []).append(g)
    return measures


def _names(event, fields):
    out = []
    for field in fields:
        value = event.get(field)
        if isinstance(value, str) and value.startswith("["):
            out += [v for v in json.loads(value) if isinstance(v, str)]
        elif isinstance(value, str):
            out += [v for v in value.split("|") if v]
    return out


def matches_measure(event, gold, same_family=False):
    """A KB event (names spelled out with aliases and source mentions) is a report of this gold event."""
    if (norm_action(event.get("action")) == "lift") != (gold.get("action") == "lift"):
        return False
    if same_family and (ACTION_FAMILIES.get(norm_action(event.get("action")), event.get("action")) !=
                        ACTION_FAMILIES.get(gold.get("action"), gold.get("action"))
                        or (event.get("stage") or "enacted") != (gold.get("stage") or "enacted")):
        return False  # a proposed ban is not the enacted restriction of the same body
    tools = _names(event, ("tool", "tool_aliases", "tool_mentions"))
    agencies = _names(event, ("agency", "short", "agency_aliases", "mentions"))
    return any(names_match(t, a) for t in tools for a in listify(gold.get("tool"))) and \
        any(names_match(n, a, gold.get("country")) for n in agencies for a in listify(gold.get("agency")))


def measure_assignment(gold_records, kb_events):
    """{KB event id: [measure ids it reports]} matching by names, action family and stage."""
    measures = measures_of(gold_records)
    return {e["id"]: sorted(m for m, gs in measures.items() if any(matches_measure(e, g, True) for g in gs))
            for e in kb_events}


def score_measures(gold_records, kb_events):
    """The whole product against gold measures: which measures (gold event_id) reach the KB, which KB
    events are real measures, which measures have the right date. `kb_events` are dicts with agency,
    tool, action, date, status and the names the KB knows for both (aliases, source mentions)."""
    measures = measures_of(gold_records)

    def scores(events):
        found, dated, date_right_n = set(), 0, 0
        real = 0
        for event in events:
            hits = [m for m, gs in measures.items() if any(matches_measure(event, g) for g in gs)]
            real += bool(hits)
            found.update(hits)
        for measure in found:
            gold_dates = {str(g["date"]) for g in measures[measure] if g.get("date")}
            if not gold_dates:
                continue
            dated += 1
            candidates = [e for e in events if any(matches_measure(e, g) for g in measures[measure])]
            date_right_n += any(date_right(e, {"date": d}) for e in candidates for d in gold_dates)
        return {"measures": len(measures), "kb_events": len(events), "measures_found": len(found),
                "recall": round(ratio(len(found), len(measures)), 4), "precision": round(ratio(real, len(events)), 4),
                "date_accuracy": round(ratio(date_right_n, dated), 4), "dated_measures": dated}

    published = [e for e in kb_events if e.get("status") in ("verified", "machine")]
    return {"all": scores(kb_events), "published": scores(published)}


def format_measure_scores(s):
    lines = []
    if "relevance_filter" in s:
        f = s["relevance_filter"]
        lines.append(f"relevance filter: followed {f['followed']}/{f['pages_stating_measures']} pages stating a "
                     f"measure (recall {f['recall']:.3f})")
    for name, label in (("published", "published by default (verified + machine)"), ("all", "all KB events")):
        x = s[name]
        lines.append(f"{label}: {x['kb_events']} events; measures found {x['measures_found']}/{x['measures']} "
                     f"(recall {x['recall']:.3f}); real {x['precision']:.3f}; date right {x['date_accuracy']:.3f} "
                     f"(over {x['dated_measures']} dated measures)")
    return "\n".join(lines)
