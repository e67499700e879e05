"""`banwatch demo`: the whole flow on the bundled demo archive, then Datasette.

The archive is built from the editable pages in crawlers/demo/ (reconstructions written for
banwatch, each pointing at the real report) and replayed through the same spiders, middlewares
and stores as a live crawl.
"""
import time
from pathlib import Path

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
