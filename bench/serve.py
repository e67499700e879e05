"""Benchmark of `banwatch serve`: page latency on a KB built from 100k synthetic documents.

Builds a kb.db with the synthetic generator of bench/build.py (a few hundred agencies, 50 tools,
measures reported by 1 to 10 documents each), starts a real `banwatch serve` on 127.0.0.1 and
times sequential requests to each page, after a warm-up:

    python bench/serve.py                          # 100k documents, 50 timed requests per page
    python bench/serve.py --documents 10000 --requests 20
    python bench/serve.py --data-dir /tmp/kb100k   # reuse (or keep) the built KB there

Target (issue 6): p95 under 200 ms for the home page, a faceted table, a full-text search, the
timeline page and a canned query.
"""
import argparse
import importlib.util
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET_MS = 200


def load_build_bench():
    """bench/build.py as a module: its synthetic reference and documents generator."""
    spec = importlib.util.spec_from_file_location("bench_build", ROOT / "bench" / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_synthetic_kb(data_dir, documents, seed=6):
    from banwatch.reference import load_reference
    from kb.build import build_kb

    generator = load_build_bench()
    rng = random.Random(seed)
    work = data_dir.parent
    reference_dir = work / "reference"
    if reference_dir.exists():
        shutil.rmtree(reference_dir)
    agencies, tools, countries = generator.write_reference(reference_dir, rng)
    curation = work / "curation"
    curation.mkdir(exist_ok=True)
    data_dir.mkdir(parents=True, exist_ok=True)
    n_events = max(1, int(documents * 1.67 / 5.5))  # the same mix as bench/build.py
    events = generator.make_events(n_events, agencies, tools, countries, rng)
    started = time.perf_counter()
    generator.write_documents(data_dir / "crawl.db", events, documents, rng)
    written = time.perf_counter() - started
    stats = build_kb(data_dir, curation_dir=curation, reference=load_reference(reference_dir))
    print(f"built {data_dir / 'kb.db'}: {documents:,} documents ({written:.0f} s to generate), {stats['events']:,} "
          f"events, {stats['sources']:,} sources in {stats['seconds']:.0f} s; "
          f"kb.db {(data_dir / 'kb.db').stat().st_size / 1e6:.0f} MB")


def start_server(data_dir):
    process = subprocess.Popen([sys.executable, "-m", "banwatch.cli", "serve", "--data-dir", str(data_dir), "--port", "0"],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    url = next((w for w in line.split() if w.startswith("http://")), None)
    if not url:
        process.kill()
        raise SystemExit(f"banwatch serve did not start: {line}{process.stderr.read()}")
    return process, url.rstrip("/")


def pages(client, base):
    """(label, path, targeted): the five pages of the issue's target, then more a visitor opens."""
    tool = client.get(base + "/kb/tools.json?_shape=array&_sort_desc=n_events&_size=1").json()[0]["id"]
    event = client.get(base + f"/kb/events.json?_shape=array&tool_id={tool}&_sort_desc=n_sources&_size=1").json()[0]
    agency_name = client.get(base + f"/kb/agencies/{event['agency_id']}.json?_shape=array").json()[0]["name"]
    tool_name = client.get(base + f"/kb/tools/{tool}.json?_shape=array").json()[0]["name"]
    return [
        ("home page", "/", True),
        ("faceted table (events, 6 facets)", "/kb/events", True),
        # An agency's name, as a researcher searches the evidence for "NASA": ~500 of 167k sources match.
        ("full-text search (evidence)", f"/kb/event_sources?_search=%22{quote(agency_name)}%22", True),
        ("timeline page", "/-/timeline", True),
        ("canned query: timeline of a tool", f"/kb/tool_timeline?tool={tool}", True),
        ("faceted table, filtered", f"/kb/events?tool_id={tool}&action=ban", False),
        ("full-text search (events)", f"/kb/events?_search={quote(tool_name)}", False),
        # The synthetic evidence draws on 30 words, so this matches nearly every one of 167k sources.
        ("search matching ~every source", "/kb/event_sources?_search=abroad+officials", False),
        ("timeline page, one tool", f"/-/timeline?tool={tool}", False),
        ("canned query: who acted on a tool", f"/kb/who_acted_on_tool?tool={tool}", False),
        ("event page", f"/-/event/{event['id']}", False),
        ("graph page, one tool", f"/-/graph?tool={tool}", False),
        ("Atom feed", "/kb/new_events.atom", False),
    ]


def time_page(client, url, requests, warmup=3):
    for _ in range(warmup):
        response = client.get(url)
        response.raise_for_status()
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
    return statistics.median(times), p95, times[-1], len(response.content)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=50, help="Timed requests per page (after 3 warm-up).")
    parser.add_argument("--data-dir", type=Path, help="Build the KB here (kept), or reuse the kb.db already there.")
    args = parser.parse_args()
    temporary = None
    if args.data_dir:
        data_dir = args.data_dir.resolve()
    else:
        temporary = Path(tempfile.mkdtemp(prefix="banwatch-bench-serve-"))
        data_dir = temporary / "data"
    try:
        if (data_dir / "kb.db").exists():
            print(f"reusing {data_dir / 'kb.db'}")
        else:
            build_synthetic_kb(data_dir, args.documents)
        process, base = start_server(data_dir)
        try:
            with httpx.Client(timeout=30) as client:
                print(f"serving at {base}; {args.requests} sequential requests per page after 3 warm-up\n")
                print(f"{'page':<38} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'KB':>7}  target")
                failures = 0
                for label, path, targeted in pages(client, base):
                    p50, p95, worst, size = time_page(client, base + path, args.requests)
                    verdict = ("ok" if p95 < TARGET_MS else "SLOW") if targeted else "-"
                    failures += verdict == "SLOW"
                    print(f"{label:<38} {p50:>8.1f} {p95:>8.1f} {worst:>8.1f} {size / 1024:>7.0f}  {verdict}")
                print(f"\n{'all' if not failures else 'not all'} targeted pages under {TARGET_MS} ms at p95")
        finally:
            process.terminate()
            process.wait(timeout=15)
    finally:
        if temporary:
            shutil.rmtree(temporary, ignore_errors=True)


if __name__ == "__main__":
    main()
