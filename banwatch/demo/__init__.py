"""`banwatch demo`: the whole flow on the bundled demo archive, then Datasette.

The pages in this folder (reconstructions written for banwatch, each pointing at the real report)
are listed in manifest.yml, the one place they are described: built into a WARC archive and
replayed through the same spiders, middlewares and stores as a live crawl, and read as gold
records by `banwatch eval --gold demo` and the tests.
"""
import functools
import hashlib
import time
from pathlib import Path

from banwatch.errors import BanwatchError
from banwatch.utils import load_yaml, summary_line

DEMO_DIR = Path(__file__).resolve().parent
MANIFEST = DEMO_DIR / "manifest.yml"
SOURCES = DEMO_DIR / "sources.yml"
# Page kinds that are documents with events to score (feeds, sitemaps and API answers are listings).
EVAL_KINDS = ("article", "press_release", "notice")


@functools.lru_cache(maxsize=1)
def _manifest():
    records = load_yaml(MANIFEST, "demo manifest")
    if not isinstance(records, list):
        raise BanwatchError(f"{MANIFEST}: expected a list of served records")
    return records


def demo_manifest():
    """The manifest's records (a fresh list; the entries are shared, treat them as read-only)."""
    return list(_manifest())


def build_demo_archive(out_path):
    """The demo pages as a WARC archive at out_path (deterministic for an unchanged manifest)."""
    from crawlers.archive import build_archive

    return build_archive(out_path, demo_manifest(), DEMO_DIR, str(MANIFEST))


def run_demo(data_dir, serve=True, port=8001, echo=print):
    from crawlers.runner import run_crawl
    from kb.build import build_kb
    from pipeline.run import extract_crawl_db

    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    archive = data_dir / "demo.warc.gz"
    echo(f"demo: building the archive {archive} from {MANIFEST}")
    build_demo_archive(archive)
    echo("demo: replaying it through the crawlers")
    echo(summary_line("crawl", run_crawl(data_dir, sources_file=SOURCES, replay=archive)))
    echo(summary_line("extract", extract_crawl_db(data_dir)))
    echo(summary_line("build", build_kb(data_dir)))
    echo(f"demo: done in {time.monotonic() - started:.0f}s; kb.db is {data_dir / 'kb.db'}")
    if serve:
        from publish.serve import serve_kb

        echo(f"demo: serving the knowledge base on http://127.0.0.1:{port}/ (Ctrl-C to stop)")
        serve_kb(data_dir, port=port)


def demo_gold_records(manifest=None):
    """The demo's HTML pages as gold records of the evaluation contract (`html` + `events`)."""
    from pipeline.documents import decode_html

    records = []
    for entry in manifest if manifest is not None else demo_manifest():
        if entry.get("kind") not in EVAL_KINDS or not entry.get("file") or entry.get("expect_error"):
            continue
        if entry.get("language", "en") != "en":
            continue
        body = (DEMO_DIR / entry["file"]).read_bytes()
        published = entry.get("published")
        records.append({
            "id": hashlib.sha1(entry["url"].encode()).hexdigest()[:10],
            "url": entry["url"],
            "title": entry.get("title"),
            "published": str(published) if published else None,
            "html": decode_html(body, entry.get("content_type")),
            "events": [{k: (str(v) if k == "date" and v else v) for k, v in e.items()}
                       for e in entry.get("events") or []],
            **({"part": entry["part"]} if entry.get("part") else {}),
        })
    return records


def demo_training_records():
    """The demo's pages that may train the extractor's decision model: not those about a measure of
    the development set's check part (`part: check` in the manifest)."""
    return [r for r in demo_gold_records() if r.get("part") != "check"]
