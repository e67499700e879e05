"""Benchmark of `banwatch build`: full builds of 1k, 10k and 100k documents, and an incremental one.

Generates synthetic crawl.db files shaped like the extractor's output - a reference of a few
hundred agencies in ~60 jurisdictions and 50 tools, measures reported by 1 to 10 documents each,
1 to 3 measures per document, the usual mess (sources a few days apart, month-only dates,
undated reports that fall back to the publication date, agencies the reference does not know) -
then times build_kb on each and prints the figures:

    python bench/build.py                 # 1k, 10k, 100k documents
    python bench/build.py --sizes 1000 5000

Targets (issue 5): 100k/10k time ratio <= 12 (near-linear); an incremental build after adding 1%
new documents takes under a tenth of the full build.
"""
import argparse
import datetime
import hashlib
import random
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from banwatch.crawldb import DOCUMENT_COLUMNS, ensure_extract_shape  # noqa: E402
from banwatch.reference import load_reference  # noqa: E402
from kb.build import build_kb  # noqa: E402
from pipeline.store import extraction_row  # noqa: E402

ACTIONS = ["ban"] * 6 + ["restrict"] * 3 + ["suspend", "lift", "investigate", "warn"]
REASONS = ["national_security", "data_privacy", "data_sovereignty", "cybersecurity", "confidentiality",
           "disinformation_censorship", "harmful_content", "legal_compliance", "unvetted", "other"]
WORDS = ("the agency said staff may no longer use the application on devices it issues citing risks to "
         "data held abroad and the security of networks officials added that a review would follow").split()
FIRST_DAY = datetime.date(2023, 1, 1)
DAYS = 3 * 365


def write_reference(directory, rng):
    """~60 jurisdictions, 300 agencies, 20 vendors, 50 tools in the documented YAML shape."""
    directory.mkdir(parents=True)
    countries = [f"c{i:02d}" for i in range(20)]
    jurisdictions = [{"id": c, "name": f"Country {c.upper()}", "type": "country"} for c in countries]
    for c in countries[:8]:
        jurisdictions += [{"id": f"{c}-s{j}", "name": f"State {j} of {c.upper()}", "type": "state", "parent": c}
                          for j in range(5)]
    agencies = []
    for n in range(300):
        place = rng.choice(jurisdictions)
        agencies.append({"id": f"agency-{n:03d}", "name": f"Agency number {n} of {place['name']}",
                         "short": f"A{n}", "type": rng.choice(["agency", "ministry", "regulator", "dpa"]),
                         "jurisdiction": place["id"]})
    for n in range(30, 300, 7):  # some hierarchy
        agencies[n]["parent"] = agencies[n % 30]["id"]
        agencies[n]["jurisdiction"] = agencies[n % 30]["jurisdiction"]
    vendors = [{"id": f"vendor-{n:02d}", "name": f"Vendor {n}", "country": rng.choice(countries)} for n in range(20)]
    tools = [{"id": f"tool-{n:02d}", "name": f"Tool {n}", "vendor": f"vendor-{n % 20:02d}", "kind": "chatbot"}
             for n in range(50)]
    reasons = [{"id": r, "label": r, "description": r} for r in REASONS]
    for name, entries in (("jurisdictions", jurisdictions), ("agencies", agencies), ("vendors", vendors),
                          ("tools", tools), ("reasons", reasons)):
        (directory / f"{name}.yml").write_text(yaml.safe_dump(entries, sort_keys=False))
    return agencies, tools, countries


def make_events(n_events, agencies, tools, countries, rng, offset=0):
    events = []
    unknown = [(f"Local office {n}", rng.choice(countries)) for n in range(60)]
    for n in range(n_events):
        day = FIRST_DAY + datetime.timedelta(days=rng.randrange(DAYS))
        if rng.random() < 0.05:
            name, country = rng.choice(unknown)
            agency = {"agency": name, "agency_id": None, "country": f"Country {country.upper()}",
                      "jurisdiction_id": None}
        else:
            a = rng.choice(agencies)
            agency = {"agency": a["name"], "agency_id": a["id"], "country": None, "jurisdiction_id": a["jurisdiction"]}
        tool = rng.choice(tools)
        events.append({
            "n": offset + n, "day": day, "tool": tool["name"], "tool_id": tool["id"], **agency,
            "action": rng.choice(ACTIONS), "stage": "proposed" if rng.random() < 0.1 else "enacted",
            "reasons": rng.sample(REASONS, rng.randint(0, 2)), "sources": rng.randint(1, 10),
        })
    return events


def report_of(event, published, rng):
    """One extraction of an event, with realistic disagreement."""
    roll = rng.random()
    date, precision, source = event["day"].isoformat(), "day", "text"
    if roll < 0.10:
        date = (event["day"] + datetime.timedelta(days=rng.randint(-4, 4))).isoformat()
    elif roll < 0.20:
        date, precision = date[:7], "month"
    elif roll < 0.30:
        date, precision, source = published, "day", "published"
    sentence = " ".join(rng.choice(WORDS) for _ in range(25))
    return {
        "agency": event["agency"], "agency_id": event["agency_id"], "agency_mention": event["agency"],
        "agency_kind": "ORG", "country": event["country"], "jurisdiction_id": event["jurisdiction_id"],
        "tool": event["tool"], "tool_id": event["tool_id"], "tool_mention": event["tool"],
        "action": event["action"], "stage": event["stage"], "date": date, "date_precision": precision,
        "date_text": date, "date_source": source, "reasons": event["reasons"],
        "reason_evidence": {r: "security of the data" for r in event["reasons"]}, "scope": "government devices",
        "evidence": f"{event['agency']} acted on {event['tool']}: {sentence}.", "evidence_start": 0,
        "evidence_end": 200, "confidence": round(rng.uniform(0.5, 0.95), 2),
    }


def write_documents(crawl_path, events, n_documents, rng, prefix="doc"):
    """n_documents documents carrying the events' source reports, 1-3 per document."""
    slots = [e for e in events for _ in range(e["sources"])]
    rng.shuffle(slots)
    db_conn = sqlite3.connect(crawl_path)
    import sqlite_utils

    db = sqlite_utils.Database(db_conn)
    ensure_extract_shape(db)
    documents, extractions = [], []
    position = 0
    for n in range(n_documents):
        take = rng.choice([1, 1, 1, 2, 2, 3])
        chunk = slots[position:position + take] or [rng.choice(events)]
        position += take
        url = f"https://news{n % 500}.example/{prefix}/{n}"
        latest = max(e["day"] for e in chunk)
        published = (latest + datetime.timedelta(days=rng.randint(0, 20))).isoformat()
        text = " ".join(rng.choice(WORDS) for _ in range(300))
        sha = hashlib.sha256((url + text).encode()).hexdigest()
        events_here = [report_of(e, published, rng) for e in chunk]
        documents.append({
            "url": url, "sha256": sha, "extractor_version": "bench-1", "title": f"Story {n}", "text": text,
            "published": published, "published_source": "meta", "site": f"news{n % 500}.example",
            "language": "en", "kind": "article", "canonical_url": url, "error": None,
            "n_events": len(events_here), "extracted_at": "2025-06-01T00:00:00Z",
        })
        extractions += [extraction_row(url, sha, "bench-1", i, e) for i, e in enumerate(events_here)]
    with db_conn:
        columns = list(DOCUMENT_COLUMNS)
        db_conn.executemany(f"insert into documents ({', '.join(columns)}) values ({', '.join('?' * len(columns))})",
                            [tuple(d[c] for c in columns) for d in documents])
        columns = list(extractions[0])
        db_conn.executemany(f"insert into extractions ({', '.join(columns)}) values ({', '.join('?' * len(columns))})",
                            [tuple(e.get(c) for c in columns) for e in extractions])
    db_conn.close()
    return len(extractions)


def timed_build(data_dir, curation, reference, steps=None):
    """(seconds, stats) of one build; `steps` (a list) receives (step, seconds) from its progress messages."""
    marks = []
    started = time.perf_counter()
    stats = build_kb(data_dir, curation_dir=curation, reference=reference,
                     progress=lambda message: marks.append((message, time.perf_counter())))
    seconds = time.perf_counter() - started
    if steps is not None:
        ends = [at for _, at in marks[1:]] + [started + seconds]
        steps.extend((message, end - at) for (message, at), end in zip(marks, ends))
    return seconds, stats


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--keep", action="store_true", help="Keep the generated data directories.")
    args = parser.parse_args()
    rng = random.Random(5)
    work = Path(tempfile.mkdtemp(prefix="banwatch-bench-build-"))
    agencies, tools, countries = write_reference(work / "reference", rng)
    reference = load_reference(work / "reference")
    curation = work / "curation"
    curation.mkdir()
    print(f"banwatch build benchmark ({work}); reference: {len(agencies)} agencies, {len(tools)} tools")
    print(f"{'documents':>10} {'reports':>8} {'events':>7} {'sources':>8} {'seconds':>8} {'docs/s':>8}  kb.db MB")
    times = {}
    for size in args.sizes:
        data = work / f"data-{size}"
        data.mkdir()
        n_events = max(1, int(size * 1.67 / 5.5))
        events = make_events(n_events, agencies, tools, countries, rng)
        n_reports = write_documents(data / "crawl.db", events, size, rng)
        seconds, stats = timed_build(data, curation, reference)
        times[size] = (seconds, data, events)
        mb = (data / "kb.db").stat().st_size / 1e6
        print(f"{size:>10} {n_reports:>8} {stats['events']:>7} {stats['sources']:>8} {seconds:>8.2f} "
              f"{size / seconds:>8.0f}  {mb:.1f}")
    sizes = sorted(times)
    if 100000 in times and 10000 in times:
        ratio = times[100000][0] / times[10000][0]
        print(f"100k/10k time ratio: {ratio:.1f} (target <= 12)")
    largest = sizes[-1]
    seconds, data, events = times[largest]
    new = max(1, largest // 100)
    # 1% new documents: mostly new reports of known measures, some new measures.
    more = make_events(max(1, new // 5), agencies, tools, countries, rng, offset=len(events))
    write_documents(data / "crawl.db", rng.sample(events, min(len(events), new)) + more, new, rng, prefix="new")
    steps = []
    incremental, stats = timed_build(data, curation, reference, steps)
    print(f"incremental build after adding {new} documents (1%) to {largest}: {incremental:.2f} s "
          f"= {incremental / seconds:.3f} of the full build (target < 0.1); mode {stats['mode']}, "
          f"{stats['documents_processed']} documents processed, {stats['groups_merged']} groups merged")
    # Each progress message starts a step (the copy of kb.db runs in the background meanwhile).
    print("  by step: " + "; ".join(f"{message} {step:.2f} s" for message, step in steps))
    rebuild_started = time.perf_counter()
    build_kb(data, curation_dir=curation, reference=reference, rebuild=True)
    print(f"full rebuild of the same {largest + new} documents: {time.perf_counter() - rebuild_started:.2f} s")
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    if not args.keep:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
