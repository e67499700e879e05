"""/-/review: the events that need review, each with its evidence and the curation YAML that settles it.

An event needs review when its machine confidence is below the build's review threshold
(build_info.review_threshold; `banwatch build --review-threshold`), or when it is a government's
event beside one of its own bodies' events of the same kind (events.review_note says which). It is kept in kb.db but left out
of the default timeline, feeds and exports. A curator reads the evidence here, then adds one of the
entries shown (kb/curation/README.md: `confirm`, `reject`, `correct`) to kb/curation/events.yml; the
next build applies it and the event is published as verified, corrected, or removed.
"""
from publish.datasette_plugin.pages import (
    read,
    render,
    row_url,
    safe_href,
    site_of,
    timeline_item,
)
from publish.export import fetch_rows


def curation_yaml(row):
    """The three curation entries for one event, as YAML a curator pastes into kb/curation/events.yml."""
    event_id = row["event_id"]
    date = row.get("date") or "YYYY-MM-DD"
    return {
        "confirm": f"- confirm: {event_id}\n  note: Checked against the sources' evidence.",
        "reject": f"- reject: {event_id}\n  note: \"Not a measure (a bill, a call, a misread sentence): say which.\"",
        "correct": (f"- correct: {event_id}\n  set:\n    action: {row['action']}\n    stage: {row['stage']}\n"
                    f"    date: {date}\n  note: What the sources actually say."),
    }


def read_review(conn):
    ids = [r[0] for r in conn.execute(
        "select id from events where status = 'needs_review' order by confidence, date_start is null, date_start, id")]
    rows = fetch_rows(conn, ids)
    sources = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        cursor = conn.execute(
            f"""select s.event_id, s.id, s.document_url, s.evidence, s.confidence, s.action, s.stage, s.reported_date,
                       s.agency_mention, s.tool_mention, d.title, d.site
                from event_sources s left join documents d on d.url = s.document_url
                where s.status = 'merged' and s.event_id in ({', '.join('?' * len(chunk))})
                order by s.confidence desc, s.id""", chunk)
        columns = [d[0] for d in cursor.description]
        for found in cursor.fetchall():
            source = dict(zip(columns, found))
            sources.setdefault(source["event_id"], []).append(source)
    threshold = conn.execute("select review_threshold from build_info order by id desc limit 1").fetchone()
    notes = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        notes.update(conn.execute(f"select id, review_note from events where review_note is not null "
                                  f"and id in ({', '.join('?' * len(chunk))})", chunk).fetchall())
    return {"rows": rows, "sources": sources, "threshold": threshold[0] if threshold else None, "notes": notes}


async def review_page(datasette, request):
    data = await read(datasette, read_review)
    items = []
    for row in data["rows"]:
        item = timeline_item(datasette, row)
        item["yaml"] = curation_yaml(row)
        item["review_note"] = data["notes"].get(row["event_id"])
        item["sources_read"] = [{**s, "href": safe_href(s["document_url"]), "site": s["site"] or site_of(s["document_url"]),
                                 "row": row_url(datasette, "document", s["document_url"])}
                                for s in data["sources"].get(row["event_id"], [])]
        items.append(item)
    context = {"title": "Events that need review", "items": items, "threshold": data["threshold"]}
    return await render(datasette, request, "banwatch_review.html", context)
