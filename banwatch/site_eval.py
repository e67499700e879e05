"""`banwatch eval --site`: the whole product measured on a gold file served as a local news site.

The gold documents become article pages (title, publication date, paragraphs, a rel=canonical to
the real report) listed in an RSS feed whose items carry a one-paragraph summary, as a news site's
feed does. A local server on 127.0.0.1 serves them; `crawl --feed` reads the feed (the relevance
filter decides which links to fetch, as it would live), `extract` and `build` make kb.db, and the
KB's events are scored against the gold *measures* (gold event_id): how many measures reach the KB,
how many KB events are real measures, how many measures have the right date.
"""
import contextlib
import html
import http.server
import tempfile
import threading
from datetime import datetime, timezone
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import urlsplit

from banwatch.db import reading_kb


def paragraphs_of(record):
    return [p.strip() for p in (record.get("text") or "").split("\n\n") if p.strip()]


def page_html(record):
    paragraphs = paragraphs_of(record)
    published = record.get("published")
    meta = f'<meta property="article:published_time" content="{published}T09:00:00Z">' if published else ""
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (f'<!doctype html><html><head><meta charset="utf-8"><title>{html.escape(record.get("title") or "")}</title>'
            f'<link rel="canonical" href="{html.escape(record["url"])}">{meta}</head>'
            f'<body><article><h1>{html.escape(record.get("title") or "")}</h1>{body}</article></body></html>')


def feed_xml(records, base):
    items = []
    for record in records:
        paragraphs = paragraphs_of(record)
        summary = paragraphs[0][:400] if paragraphs else ""
        date = ""
        if record.get("published"):
            when = datetime.fromisoformat(record["published"]).replace(tzinfo=timezone.utc)
            date = f"<pubDate>{format_datetime(when)}</pubDate>"
        items.append(f"<item><title>{html.escape(record.get('title') or summary[:80])}</title>"
                     f"<link>{html.escape(local_url(record, base))}</link><description>{html.escape(summary)}</description>"
                     f"{date}</item>")
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>gold news</title>'
            f'<link>{base}/</link><description>gold documents</description>{"".join(items)}</channel></rss>')


def local_path(record):
    """The real report's path (its slug is what a feed reader sees), made unique by the record id."""
    parts = urlsplit(record["url"])
    path = parts.path if parts.path not in ("", "/") else "/index"
    return f"/{record['id']}{path}"


def local_url(record, base):
    return base + local_path(record)


@contextlib.contextmanager
def serving(records):
    """A threaded HTTP server on a free 127.0.0.1 port serving the records as a news site."""
    pages = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = pages.get(urlsplit(self.path).path)
            if body is None:
                self.send_error(404)
                return
            kind = "application/rss+xml" if self.path.endswith(".xml") else "text/html; charset=utf-8"
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    for record in records:
        pages[local_path(record)] = page_html(record).encode("utf-8")
    pages["/feed.xml"] = feed_xml(records, base).encode("utf-8")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()


def kb_events(data_dir):
    """The KB's events as the measure scorer reads them (names spelled out, every alias it knows)."""
    with reading_kb(data_dir) as conn:
        rows = conn.execute("""
            select e.id, a.name as agency, a.short, a.aliases as agency_aliases, t.name as tool,
                   t.aliases as tool_aliases, e.action, e.stage, e.date, e.status,
                   (select group_concat(s.agency_mention, '|') from event_sources s where s.event_id = e.id) as mentions,
                   (select group_concat(s.tool_mention, '|') from event_sources s where s.event_id = e.id) as tool_mentions
            from events e join agencies a on a.id = e.agency_id join tools t on t.id = e.tool_id""").fetchall()
    return [dict(row) for row in rows]


def fetched_urls(data_dir):
    """The URLs (canonical and as fetched) of every page the crawl stored."""
    from banwatch.db import connect_readonly, crawl_db_path

    conn = connect_readonly(crawl_db_path(data_dir))
    try:
        return {u for row in conn.execute("select url, final_url from pages") for u in row if u}
    finally:
        conn.close()


def run_site_eval(records, data_dir=None, echo=print):
    """Serve `records` (gold documents), crawl, extract and build them; return the measure scores."""
    from crawlers.runner import run_crawl
    from crawlers.urls import strip_tracking
    from kb.build import build_kb
    from pipeline.evaluate import score_measures
    from pipeline.run import extract_crawl_db

    with contextlib.ExitStack() as stack:
        if data_dir is None:
            data_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="banwatch-site-")))
        base = stack.enter_context(serving(records))
        echo(f"site: {len(records)} gold documents served at {base}/feed.xml")
        crawl = run_crawl(data_dir, feeds=[f"{base}/feed.xml"], only=True, polite=False, allow_private=True)
        echo(f"site: crawl fetched {crawl.get('pages_new', crawl.get('responses'))} pages, "
             f"skipped {crawl.get('irrelevant_skipped', 0)} links as irrelevant")
        fetched = fetched_urls(data_dir)
        stating = [r for r in records if r.get("events")]
        missed = [r for r in stating if strip_tracking(r["url"]) not in fetched and r["url"] not in fetched
                  and strip_tracking(local_url(r, base)) not in fetched]
        filter_recall = round(1 - len(missed) / len(stating), 4) if stating else 1.0
        echo(f"site: the relevance filter followed {len(stating) - len(missed)}/{len(stating)} pages that state "
             f"a measure (recall {filter_recall})")
        extract_crawl_db(data_dir)
        # no curation: the score is of what the machine found, not of facts a person added
        no_curation = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="banwatch-no-curation-")))
        build_kb(data_dir, curation_dir=no_curation)
        scores = score_measures(records, kb_events(data_dir))
        scores["relevance_filter"] = {"pages_stating_measures": len(stating), "followed": len(stating) - len(missed),
                                      "recall": filter_recall, "missed": [r["id"] for r in missed]}
        return scores
