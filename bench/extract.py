"""Extraction throughput: banwatch's two-stage extractor against the full en_core_web_sm pipeline.

    python bench/extract.py [--docs 1000] [--full-docs N] [--gold GOLD.jsonl] [--workers 2]

The corpus is built from the bundled demo pages (our own reconstructions of real reports): each
benchmark document is one demo article, padded to news length (500-900 words) with context
paragraphs about the AI industry (bench/filler.txt, written for this benchmark: markets, research,
products — no measures). So every document reports measures, as after the crawler's relevance
filter, and none can be skipped as irrelevant. Prints documents/second for banwatch's
extractor and for the full-pipeline variant over the same documents, the ratio, the dev-set F1 of
both when a gold file is given, the CPU cost of each stage (steadier than wall clock on a shared
machine), and the speed-up of parallel workers.
"""
import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from banwatch.demo import demo_gold_records  # noqa: E402
from pipeline.documents import DocumentError, document_from_html  # noqa: E402
from pipeline.extract import Extractor  # noqa: E402


def build_corpus(n, seed=7):
    pages = []
    for record in demo_gold_records():
        try:
            doc = document_from_html(record["html"], url=record["url"])
        except DocumentError:
            continue
        paragraphs = [p for p in doc["text"].split("\n") if len(p.split()) > 12]
        if paragraphs:
            pages.append((record, doc["title"], paragraphs))
    filler = [p for p in (Path(__file__).parent / "filler.txt").read_text(encoding="utf-8").split("\n") if p.strip()]
    rng = random.Random(seed)
    corpus = []
    for i in range(n):
        record, title, paragraphs = pages[i % len(pages)]
        body = list(paragraphs)
        target = rng.randint(500, 900)
        while sum(len(p.split()) for p in body) < target:
            body.insert(rng.randint(1, len(body)), rng.choice(filler))
        corpus.append({"id": f"bench-{i}", "url": record["url"], "title": title,
                       "published": record["published"], "text": "\n\n".join(body)})
    return corpus


def throughput(extractor, records, batch=32):
    extractor.extract_many(records[:8])  # load models outside the clock
    started = time.perf_counter()
    events = 0
    for i in range(0, len(records), batch):
        events += sum(len(r["events"]) for r in extractor.extract_many(records[i:i + batch]))
    elapsed = time.perf_counter() - started
    return len(records) / elapsed, events, elapsed


def stage_costs(records, repeats=5):
    """CPU milliseconds per document of each pipeline stage and of the event rules, best of `repeats`
    (process time: steadier than wall clock on a shared machine)."""
    from pipeline.extract import compose

    extractor = Extractor()
    extractor.extract_many(records[:8])
    nlp = extractor._pipeline()
    prepared = [extractor.prepare(r) for r in records]
    texts = [compose(p)[0] for p in prepared]
    best = {}
    for _ in range(repeats):
        started = time.process_time()
        docs = [nlp.make_doc(t) for t in texts]
        best["tokenizer"] = min(best.get("tokenizer", 1e9), time.process_time() - started)
        for name, component in nlp.pipeline:
            started = time.process_time()
            docs = [component(d) for d in docs]
            best[name] = min(best.get(name, 1e9), time.process_time() - started)
        started = time.process_time()
        for doc, p in zip(docs, prepared):
            extractor.events_of(doc, p)
        best["event rules"] = min(best.get("event rules", 1e9), time.process_time() - started)
    return {name: 1000 * seconds / len(records) for name, seconds in best.items()}


def parallel_throughput(records, workers):
    import json
    import tempfile

    from pipeline.run import extract_jsonl

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "docs.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        started = time.perf_counter()
        extract_jsonl(path, Path(tmp) / "out.jsonl", workers=workers)
        return len(records) / (time.perf_counter() - started)


def dev_f1(gold_path, full):
    from pipeline.evaluate import evaluate

    scores, _ = evaluate(gold_path, full_pipeline=full)
    return scores


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--full-docs", type=int, default=None, help="documents for the full pipeline (default: all)")
    parser.add_argument("--gold", default=os.environ.get("BANWATCH_GOLD"),
                        help="a gold JSONL file to score both pipelines on (default: $BANWATCH_GOLD)")
    parser.add_argument("--workers", type=int, default=2, help="also time 1 and this many worker processes")
    args = parser.parse_args(argv)

    corpus = build_corpus(args.docs)
    words = [len((r["title"] + " " + r["text"]).split()) for r in corpus]
    print(f"corpus: {len(corpus)} documents, {statistics.mean(words):.0f} words on average "
          f"(min {min(words)}, max {max(words)}), each one demo article padded with context paragraphs")

    light_rate, light_events, light_time = throughput(Extractor(), corpus)
    print(f"banwatch extractor:     {light_rate:8.1f} documents/second  ({light_events} events, {light_time:.1f}s)")
    full_docs = corpus[:args.full_docs] if args.full_docs else corpus
    full_rate, full_events, full_time = throughput(Extractor(full_pipeline=True), full_docs)
    print(f"full en_core_web_sm:    {full_rate:8.1f} documents/second  ({len(full_docs)} documents, "
          f"{full_events} events, {full_time:.1f}s)")
    print(f"speed ratio:            {light_rate / full_rate:8.1f}x  (target >= 10x, and >= 150 documents/second)")

    costs = stage_costs(corpus[:150])
    print("CPU per document (best of 5 over 150 documents): " +
          ", ".join(f"{name} {ms:.2f}" for name, ms in costs.items()) +
          f" = {sum(costs.values()):.2f} ms, i.e. {1000 / sum(costs.values()):.0f} documents/second of CPU")

    if args.gold and Path(args.gold).exists():
        light, full = dev_f1(args.gold, False), dev_f1(args.gold, True)
        print(f"dev F1 ({args.gold}): banwatch {light['f1']:.3f}, full pipeline {full['f1']:.3f} "
              f"(date accuracy {light['date_accuracy']:.3f} / {full['date_accuracy']:.3f})")
    else:
        print(f"dev F1: skipped (no gold file{' at ' + args.gold if args.gold else ''}; pass --gold FILE)")

    if args.workers and args.workers > 1:
        one = parallel_throughput(corpus, 1)
        many = parallel_throughput(corpus, args.workers)
        print(f"extract --workers 1:    {one:8.1f} documents/second")
        print(f"extract --workers {args.workers}:    {many:8.1f} documents/second  (speed-up {many / one:.2f}x)")


if __name__ == "__main__":
    main()
