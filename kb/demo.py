"""`banwatch demo`: the whole flow on the bundled demo archive, then Datasette.

The archive is built from the editable pages in crawlers/demo/ (reconstructions written for
banwatch, each pointing at the real report) and replayed through the same spiders, middlewares
and stores as a live crawl.
"""
import hashlib
import time
from pathlib import Path

import yaml

DEMO_DIR = Path(__file__).resolve().parent.parent / "crawlers" / "demo"


def run_demo(data_dir, serve=True, port=8001, echo=print):
    from crawlers.archive import build_demo_archive
    from crawlers.runner import run_crawl
    from kb.build import build_kb
    from pipeline.run import extract_crawl_db

    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    archive = data_dir / "demo.warc.gz"
    echo(f"demo: building the archive {archive} from {DEMO_DIR / 'manifest.yml'}")
    build_demo_archive(archive)
    echo("demo: replaying it through the crawlers")
    echo(_line("crawl", run_crawl(data_dir, sources_file=DEMO_DIR / "sources.yml", replay=archive)))
    echo(_line("extract", extract_crawl_db(data_dir)))
    echo(_line("build", build_kb(data_dir)))
    echo(f"demo: done in {time.monotonic() - started:.0f}s; kb.db is {data_dir / 'kb.db'}")
    if serve:
        from kb.serve import serve_kb

        echo(f"demo: serving the knowledge base on http://127.0.0.1:{port}/ (Ctrl-C to stop)")
        serve_kb(data_dir, port=port)


def _line(step, stats):
    shown = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in (stats or {}).items()
                      if not isinstance(v, (dict, list)))
    return f"{step}: {shown}"


def demo_manifest():
    return yaml.safe_load((DEMO_DIR / "manifest.yml").read_text(encoding="utf-8"))


EVAL_KINDS = ("article", "press_release", "notice")


def demo_gold_records(manifest=None):
    """The demo's HTML pages as gold records of DESIGN.md's evaluation contract (`html` + `events`)."""
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
        })
    return records
