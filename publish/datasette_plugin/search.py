"""/-/search?q=: search people can use. Events first (their sentence, scope or a source's evidence
matches), each with the matching words highlighted in a snippet, then agencies and tools by name,
then documents; in the site's layout. Published events (verified, machine-read) unless
`status=all`. The words are searched as FTS5 terms (quoted, so punctuation is never query syntax);
a snippet's text is escaped and only the highlight markers become <mark>.
"""
import re

from markupsafe import Markup, escape

from publish.datasette_plugin.pages import (
    entity_url,
    event_url,
    read,
    render,
    safe_href,
    site_of,
    timeline_item,
)
from publish.export import fetch_rows

LIMIT = 50
OPEN, CLOSE = "\x02", "\x03"


def fts_query(text):
    """Each word of the user's text as a quoted FTS5 prefix term, all of them required."""
    words = re.findall(r"\w[\w'.-]*", text or "")
    return " ".join('"' + w.replace('"', '""') + '"*' for w in words[:12])


def highlight(snippet):
    """An FTS5 snippet with OPEN/CLOSE markers as safe HTML: text escaped, matches in <mark>."""
    text = str(escape(snippet or ""))
    return Markup(text.replace(OPEN, "<mark>").replace(CLOSE, "</mark>"))


def run_search(conn, text, include_review):
    query = fts_query(text)
    if not query:
        return None
    statuses = "('verified', 'machine', 'needs_review')" if include_review else "('verified', 'machine')"
    like = f"%{text.strip()}%"
    snippets = {}
    for event_id, snippet in conn.execute(
            f"""select e.id, snippet(events_fts, -1, ?, ?, '…', 14) from events_fts
                join events e on e.rowid = events_fts.rowid
                where events_fts match ? and e.status in {statuses} limit {LIMIT * 2}""", [OPEN, CLOSE, query]):
        snippets.setdefault(event_id, ("the event's scope", snippet))
    for event_id, snippet, url in conn.execute(
            f"""select s.event_id, snippet(event_sources_fts, -1, ?, ?, '…', 18), s.document_url from event_sources_fts
                join event_sources s on s.rowid = event_sources_fts.rowid
                join events e on e.id = s.event_id
                where event_sources_fts match ? and s.status = 'merged' and e.status in {statuses}
                limit {LIMIT * 4}""", [OPEN, CLOSE, query]):
        if event_id not in snippets or snippets[event_id][0] == "the event's scope":
            snippets[event_id] = (site_of(url), snippet)
    for event_id, in conn.execute(
            f"""select e.id from events e join agencies a on a.id = e.agency_id join tools t on t.id = e.tool_id
                where (a.name like ? or a.short like ? or t.name like ?) and e.status in {statuses}
                order by e.date_start limit {LIMIT}""", [like, like, like]):
        snippets.setdefault(event_id, (None, None))
    ids = [r[0] for r in conn.execute(
        f"""select id from events where id in ({', '.join('?' * len(snippets))})
            order by date_start is null, date_start desc, id""", list(snippets))] if snippets else []
    rows = fetch_rows(conn, ids[:LIMIT])
    entities = [dict(zip(("kind", "id", "name", "n"), r)) for r in conn.execute(
        """select 'agency', id, name, n_events from agencies where (name like ? or short like ?) and n_events > 0
           union all select 'tool', id, name, n_events from tools where name like ? and n_events > 0
           union all select 'jurisdiction', id, name, n_events from jurisdictions where name like ? and n_events > 0
           order by 4 desc limit 20""", [like, like, like, like])]
    documents = [dict(zip(("url", "title", "site", "published", "snippet"), r)) for r in conn.execute(
        """select d.url, d.title, d.site, d.published, snippet(documents_fts, 0, ?, ?, '…', 14) from documents_fts
           join documents d on d.rowid = documents_fts.rowid where documents_fts match ?
           order by d.published desc limit 20""", [OPEN, CLOSE, query])]
    return {"rows": rows, "snippets": snippets, "entities": entities, "documents": documents,
            "n_events": len(ids)}


async def search_page(datasette, request):
    text = (request.args.get("q") or "").strip()[:200]
    include_review = request.args.get("status") == "all"
    data = await read(datasette, lambda conn: run_search(conn, text, include_review)) if text else None
    context = {"title": f"Search: {text}" if text else "Search", "q": text, "include_review": include_review}
    if data:
        items = []
        for row in data["rows"]:
            item = timeline_item(datasette, row)
            where, snippet = data["snippets"].get(row["event_id"], (None, None))
            item["snippet"] = highlight(snippet) if snippet else None
            item["snippet_from"] = where
            items.append(item)
        context.update({
            "items": items, "n_events": data["n_events"],
            "entities": [{**e, "href": entity_url(datasette, e["kind"], e["id"])} for e in data["entities"]],
            "documents": [{**d, "href": safe_href(d["url"]), "snippet": highlight(d["snippet"])} for d in data["documents"]],
            "event_url": lambda i: event_url(datasette, i),
        })
    return await render(datasette, request, "banwatch_search.html", context)
