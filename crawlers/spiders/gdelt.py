"""The GDELT DOC 2.0 article search API, as a backfill and as a monitor.

How GDELT answers (https://blog.gdeltproject.org/gdelt-doc-2-0-api-debuts/, and what client libraries
record: alex9smith/gdelt-doc-api):

- ``mode=ArtList&format=json`` lists at most 250 articles (``maxrecords``) per request; with
  ``startdatetime``/``enddatetime`` (YYYYMMDDHHMMSS, UTC) it searches back to January 2017.
- It asks for one request every 5 seconds. Faster clients get HTTP 429, and sometimes HTTP 200,
  with the text "Please limit requests to one every 5 seconds ...".
- A query it cannot run is answered with HTTP 200 and a plain-text message ("Queries containing OR'd
  terms must be surrounded by ()."), not JSON.
- Titles are not always escaped: an invalid ``\\`` escape makes the whole answer invalid JSON.

So this spider asks in time windows: the last 7 days when monitoring, or from ``crawl --since`` (2017
at the earliest) to now in 30-day windows when backfilling; a window that comes back full (250) is
split in two until each half is under the cap (down to an hour). Its requests go through their own
download slot, one at a time, 5 seconds apart per GDELT host (BANWATCH_GDELT_INTERVAL).
A rate-limit answer is asked again later, then recorded as ``rate_limited``; a query error is
recorded as a failure; neither is ever stored as a listing. One bad record is skipped, not the page.
"""
from __future__ import annotations

import datetime
import json
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from crawlers.spiders.base import Link, Listing, ListingProblem, SourceSpider

GDELT_DOC_API = "https://api.gdeltproject.org/api/v2/doc/doc"
GDELT_EARLIEST = datetime.date(2017, 1, 1)  # the DOC API searches back to January 2017
GDELT_MAX_RECORDS = 250  # ArtList's cap per request
MONITOR_DAYS = 7  # a routine crawl (no --since) asks for the last week
BACKFILL_WINDOW_DAYS = 30
MIN_WINDOW = datetime.timedelta(hours=1)  # a window this short is not split further
CLOSED_WINDOW_REFRESH = 30 * 86400.0  # a window that ended over a day ago hardly changes
_STAMP = "%Y%m%d%H%M%S"
_RATE_LIMIT = re.compile(r"limit requests to one every", re.I)
_RECORD_START = re.compile(r'\{\s*"url"\s*:')


def gdelt_url(query: str, start: datetime.datetime | None = None, end: datetime.datetime | None = None) -> str:
    params = {"query": query, "mode": "ArtList", "format": "json", "maxrecords": GDELT_MAX_RECORDS, "sort": "DateDesc"}
    if start:
        params["startdatetime"] = start.strftime(_STAMP)
    if end:
        params["enddatetime"] = end.strftime(_STAMP)
    return f"{GDELT_DOC_API}?{urlencode(params)}"


def gdelt_windows(start: datetime.date, now: datetime.datetime, days: int) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """[start, now) in windows of ``days`` days, newest first; the last one ends at the next full hour
    (so its URL stays the same for an hour)."""
    begin = datetime.datetime.combine(max(start, GDELT_EARLIEST), datetime.time())
    end = now.replace(minute=0, second=0, microsecond=0, tzinfo=None) + datetime.timedelta(hours=1)
    windows = []
    while begin < end:
        stop = min(begin + datetime.timedelta(days=days), end)
        windows.append((begin, stop))
        begin = stop
    return windows[::-1]


def split_window(url: str) -> list[str]:
    """Two URLs covering the halves of this URL's startdatetime..enddatetime (none when too short)."""
    parts = urlsplit(url)
    params = parse_qsl(parts.query, keep_blank_values=True)
    values = dict(params)
    try:
        start = datetime.datetime.strptime(values["startdatetime"], _STAMP)
        end = datetime.datetime.strptime(values["enddatetime"], _STAMP)
    except (KeyError, ValueError):
        return []
    if end - start <= MIN_WINDOW:
        return []
    middle = start + (end - start) / 2
    middle = middle.replace(microsecond=0)
    halves = []
    for a, b in ((start, middle), (middle, end)):
        query = [(k, a.strftime(_STAMP) if k == "startdatetime" else b.strftime(_STAMP) if k == "enddatetime" else v)
                 for k, v in params]
        halves.append(urlunsplit(parts._replace(query=urlencode(query))))
    return halves


def window_refresh(url: str, refresh: float, now: datetime.datetime) -> float:
    """A closed window (ended more than a day ago) is re-read at most every 30 days."""
    values = dict(parse_qsl(urlsplit(url).query))
    try:
        end = datetime.datetime.strptime(values["enddatetime"], _STAMP)
    except (KeyError, ValueError):
        return refresh
    return max(refresh, CLOSED_WINDOW_REFRESH) if end < now.replace(tzinfo=None) - datetime.timedelta(days=1) else refresh


def gdelt_date(seendate: str | None) -> str | None:
    """'20250131T120000Z' -> '2025-01-31' (the day GDELT saw the article)."""
    if not seendate or len(seendate) < 8 or not seendate[:8].isdigit():
        return None
    return f"{seendate[:4]}-{seendate[4:6]}-{seendate[6:8]}"


def parse_artlist(text: str) -> tuple[list[dict], int]:
    """(articles, bad records) of an ArtList answer. A record GDELT failed to escape is skipped, not
    the page: when the whole answer is not valid JSON it is read one record at a time."""
    if not text.strip():
        return [], 0  # GDELT answers an empty body when nothing matches
    try:
        data = json.loads(text, strict=False)
    except json.JSONDecodeError:
        data = None
    if isinstance(data, dict):
        return [a for a in data.get("articles") or [] if isinstance(a, dict)], 0
    if data is not None:
        raise ValueError("expected a JSON object with 'articles'")
    key = text.find('"articles"')
    start = text.find("[", key) if key >= 0 else -1
    if start < 0:
        raise ValueError(f"GDELT did not answer JSON: {' '.join(text.split())[:200]}")
    decoder = json.JSONDecoder(strict=False)
    articles, bad, pos = [], 0, start + 1
    while True:
        match = _RECORD_START.search(text, pos)
        if match is None:
            break
        try:
            record, pos = decoder.raw_decode(text, match.start())
        except json.JSONDecodeError:
            bad += 1
            pos = match.end()
            continue
        if isinstance(record, dict):
            articles.append(record)
    return articles, bad


class GdeltSpider(SourceSpider):
    """GDELT DOC 2.0 API in article-list mode (api.gdeltproject.org/api/v2/doc/doc?mode=ArtList&format=json,
    documented at https://blog.gdeltproject.org/gdelt-doc-2-0-api-debuts/): news worldwide, in many
    languages, matching a query (sources of kind ``gdelt``), in time windows under the 250-record cap."""

    name = "gdelt"
    kind = "gdelt"
    listing_kind = "api"

    def __init__(self, *args, now=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now or datetime.datetime.now(datetime.timezone.utc)

    @classmethod
    def crawler_settings(cls, sources, settings):
        interval = float(settings.get("BANWATCH_GDELT_INTERVAL", 5.0))
        slots = dict(settings.get("DOWNLOAD_SLOTS") or {})
        for source in sources:
            slots[slot_for(source)] = {"concurrency": 1, "delay": interval, "jitter": 0}
        return {"DOWNLOAD_SLOTS": slots}

    def listing_meta(self, source):
        # One slot per GDELT host, one request at a time, BANWATCH_GDELT_INTERVAL apart; AutoThrottle
        # must not shorten that delay.
        return {"download_slot": slot_for(source), "autothrottle_dont_adjust_delay": True}

    def seed_listings(self, source):
        if source.url:
            return [Listing(source.url)]
        if self.since:  # backfill
            start, days = self.since, BACKFILL_WINDOW_DAYS
        else:  # monitor: the last week (or less, when the source's own since is later)
            recent = self.now.date() - datetime.timedelta(days=MONITOR_DAYS)
            start, days = max(source.since or recent, recent), MONITOR_DAYS + 1
        listings = []
        for begin, end in gdelt_windows(start, self.now, days):
            url = gdelt_url(source.query, begin, end)
            listings.append(Listing(url, refresh=window_refresh(url, source.refresh, self.now)))
        return listings

    def listing_problem(self, response):
        text = response.body[:2000].decode("utf-8", "replace").lstrip("\ufeff").strip()
        if _RATE_LIMIT.search(text):
            return ListingProblem("rate_limited", f"GDELT asks to slow down ({' '.join(text.split())[:120]!r}); "
                                                  "retry later", retry=True)
        if text and not text.startswith(("{", "[")):
            return ListingProblem("other", f"GDELT refused the query: {' '.join(text.split())[:200]}")
        return super().listing_problem(response)

    def entries(self, response, source):
        articles, bad = parse_artlist(response.body.decode("utf-8", "replace"))
        if bad:
            self.count("banwatch/gdelt_bad_records", bad)
        for article in articles:
            url, title, seen, domain = (article.get(k) for k in ("url", "title", "seendate", "domain"))
            if isinstance(url, str) and url:
                yield Link(url=url, title=title if isinstance(title, str) else None,
                           published=gdelt_date(seen if isinstance(seen, str) else None),
                           publisher=domain if isinstance(domain, str) else None)
        if len(articles) + bad >= GDELT_MAX_RECORDS:
            halves = split_window(response.url)
            if halves:
                self.count("banwatch/gdelt_windows_split")
                for half in halves:
                    yield Listing(half, refresh=window_refresh(half, source.refresh, self.now))
            else:
                self.count("banwatch/gdelt_windows_capped")


def slot_for(source) -> str:
    return f"gdelt:{urlsplit(source.url or GDELT_DOC_API).netloc}"
