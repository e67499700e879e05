"""The diffusion of measures on a tool: how many jurisdictions and agencies had acted on it, over time.

    diffusion_rows(conn, ["deepseek"])  -> one row per tool and day the curve moves
    diffusion_csv(rows)                 -> the same as CSV (/-/export/diffusion.csv)
    diffusion_chart(rows, tool_id)      -> the geometry of the SVG step chart the pages draw

An adoption is an enacted ban, restriction or suspension (kb.graph's diffusion actions) by a public
body (not a company or a university) of a published event (verified or machine-read; needs_review
ones are left out). A date is an interval
(a month-only date is any of its days), so each count is a band: `*_by` counts those that had
surely acted by that day (their interval ended), `*_possibly` those that may have (it began).
For a day-precise date both are the same. Undated events cannot be placed and are left out.
"""
import csv
import datetime
import io

from banwatch.vocab import DIFFUSION_ACTIONS, NOT_DIFFUSING_TYPES, PUBLISHED_STATUSES

CSV_FIELDS = ("tool_id", "tool", "date", "jurisdictions_by", "jurisdictions_possibly", "agencies_by",
              "agencies_possibly", "new_jurisdictions", "new_agencies")


def adoptions(conn, tool_ids=None):
    """{tool_id: {"tool", "agencies": {id: (start, end, name)}, "jurisdictions": {id: (start, end, name)}}}."""
    where, params = "", []
    if tool_ids:
        where = f"and e.tool_id in ({', '.join('?' * len(tool_ids))})"
        params = list(tool_ids)
    rows = conn.execute(f"""
        select e.tool_id, t.name, e.agency_id, a.name, coalesce(e.jurisdiction_id, e.country_id), j.name,
               min(e.date_start), min(e.date_end)
        from events e join tools t on t.id = e.tool_id join agencies a on a.id = e.agency_id
        left join jurisdictions j on j.id = coalesce(e.jurisdiction_id, e.country_id)
        where e.stage = 'enacted' and e.action in ({', '.join('?' * len(DIFFUSION_ACTIONS))})
          and e.status in ({', '.join('?' * len(PUBLISHED_STATUSES))}) and e.date_start is not null
          and coalesce(a.type, '') not in ({', '.join('?' * len(NOT_DIFFUSING_TYPES))}) {where}
        group by e.tool_id, e.agency_id""", [*DIFFUSION_ACTIONS, *PUBLISHED_STATUSES, *NOT_DIFFUSING_TYPES, *params]).fetchall()
    tools = {}
    for tool_id, tool, agency_id, agency, jurisdiction_id, jurisdiction, start, end in rows:
        entry = tools.setdefault(tool_id, {"tool": tool, "agencies": {}, "jurisdictions": {}})
        entry["agencies"][agency_id] = (start, end or start, agency)
        if jurisdiction_id:
            known = entry["jurisdictions"].get(jurisdiction_id)
            span = (start, end or start, jurisdiction or jurisdiction_id)
            entry["jurisdictions"][jurisdiction_id] = span if not known else (
                min(known[0], span[0]), min(known[1], span[1]), known[2])
    return tools


def diffusion_rows(conn, tool_ids=None):
    """The curve of each tool: a row for every day its counts change, in date order."""
    rows = []
    for tool_id, entry in sorted(adoptions(conn, tool_ids).items()):
        days = sorted({d for span in (*entry["agencies"].values(), *entry["jurisdictions"].values())
                       for d in span[:2]})
        for day in days:
            row = {"tool_id": tool_id, "tool": entry["tool"], "date": day}
            for kind in ("jurisdictions", "agencies"):
                spans = entry[kind].values()
                row[f"{kind}_by"] = sum(1 for start, end, _ in spans if end <= day)
                row[f"{kind}_possibly"] = sum(1 for start, end, _ in spans if start <= day)
                row[f"new_{kind}"] = "; ".join(sorted(name for start, end, name in spans if start == day))
            rows.append(row)
    return rows


def diffusion_csv(rows):
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: row.get(k) for k in CSV_FIELDS})
    return out.getvalue()


WIDTH, HEIGHT = 640, 220
MARGIN = {"left": 40, "right": 16, "top": 14, "bottom": 28}
SERIES = (("jurisdictions", "#2c5aa0", "jurisdictions"), ("agencies", "#c0392b", "agencies"))


def _day(text):
    return datetime.date.fromisoformat(text)


def diffusion_chart(rows, tool_id):
    """Step lines (surely acted: solid; may have: a band up to it) for one tool, in SVG coordinates."""
    points = [r for r in rows if r["tool_id"] == tool_id]
    if not points:
        return None
    first, last = _day(points[0]["date"]), _day(points[-1]["date"])
    span = max((last - first).days, 1)
    first -= datetime.timedelta(days=max(2, span // 20))
    last += datetime.timedelta(days=max(2, span // 20))
    days = (last - first).days
    peak = max(max(r["agencies_possibly"], r["jurisdictions_possibly"]) for r in points)
    inner_w = WIDTH - MARGIN["left"] - MARGIN["right"]
    inner_h = HEIGHT - MARGIN["top"] - MARGIN["bottom"]

    def x(day):
        return round(MARGIN["left"] + inner_w * (_day(day) - first).days / days, 1)

    def y(value):
        return round(MARGIN["top"] + inner_h * (1 - value / max(peak, 1)), 1)

    series = []
    for kind, color, label in SERIES:
        solid = _steps(points, f"{kind}_by", x, y, first.isoformat(), last.isoformat())
        upper = _steps(points, f"{kind}_possibly", x, y, first.isoformat(), last.isoformat())
        band = solid + list(reversed(upper))
        series.append({
            "kind": kind, "color": color, "label": label, "total": points[-1][f"{kind}_by"],
            "line": " ".join(f"{px},{py}" for px, py in solid),
            "band": " ".join(f"{px},{py}" for px, py in band),
            "uncertain": any(r[f"{kind}_by"] != r[f"{kind}_possibly"] for r in points),
        })
    ticks = []
    step = max(1, round(peak / 4))
    for value in range(0, peak + 1, step):
        ticks.append({"y": y(value), "label": value})
    months = []
    cursor = datetime.date(first.year, first.month, 1)
    n_months = (last.year - first.year) * 12 + last.month - first.month + 1
    every = max(1, n_months // 6)
    index = 0
    while cursor <= last:
        if cursor >= first and index % every == 0:
            months.append({"x": x(cursor.isoformat()), "label": cursor.strftime("%b %Y")})
        index += 1
        cursor = datetime.date(cursor.year + (cursor.month == 12), cursor.month % 12 + 1, 1)
    steps = [{"x": x(r["date"]), "date": r["date"], "jurisdictions": r["jurisdictions_by"],
              "agencies": r["agencies_by"], "new": r["new_agencies"]} for r in points if r["new_agencies"]]
    return {"width": WIDTH, "height": HEIGHT, "margin": MARGIN, "series": series, "ticks": ticks,
            "months": months, "peak": peak, "tool_id": tool_id, "tool": points[0]["tool"], "steps": steps,
            "first": points[0]["date"], "last": points[-1]["date"],
            "baseline": MARGIN["top"] + inner_h, "right": WIDTH - MARGIN["right"]}


def _steps(points, key, x, y, start, end):
    coords = [(x(start), y(0))]
    value = 0
    for row in points:
        if row[key] != value:
            coords.append((x(row["date"]), y(value)))
            value = row[key]
            coords.append((x(row["date"]), y(value)))
    coords.append((x(end), y(value)))
    return coords
