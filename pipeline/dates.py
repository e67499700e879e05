"""Resolve the date expressions banwatch_dates found, against the document's publication date.

Returns ISO strings at the precision the words carry: "2025-01-31" (day), "2025-01" (month),
"2025" (year). Relative words ("on Friday", "last week", "Jan. 31") need the publication date;
without it only absolute dates resolve.
"""
import datetime
import functools
import re

import dateparser

# "early", "end of", "the final days of" a month: the month is the date (its precision, a month)
MONTH_PART = (r"(?:early|mid|late|end of|beginning of|start of|"
              r"the (?:first|last|final|closing|opening) (?:days?|weeks?|half) of|the (?:first|second) half of)")
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}
NUMBER_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "several": 3, "a few": 3}


def parse_iso(value):
    """'2025-01-31' -> date; None for missing or partial values."""
    if not value or not isinstance(value, str):
        return None
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        return None


def month_of(text):
    m = re.search(r"(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", text)
    return MONTHS[m.group(1).lower()] if m else None


@functools.lru_cache(maxsize=4096)
def _dateparser(text):
    # English only and no relative base: absolute expressions only (relative ones are handled here)
    return dateparser.parse(text, languages=["en"], settings={"PREFER_DAY_OF_MONTH": "first",
                                                               "REQUIRE_PARTS": ["month", "year"]})


def resolve(kind, text, published=None, default_year=None, not_before=None):
    """One date expression -> (iso, precision) or None.

    `published` (a date) anchors relative expressions; without it, `default_year` completes a
    year-less date, and failing that `not_before` does (the first such date on or after it: the
    release of the tool acted on, as no measure predates its tool).
    """
    clean = re.sub(r"(?i)^(on|in|since|from|until|by|during|of)\s+", "", text.strip()).strip(" ,.")
    lower = clean.lower()
    if kind == "iso":
        d = parse_iso(clean)
        return (d.isoformat(), "day") if d else None
    if kind == "numeric":
        # "29/01/2024" reads one way only; "05/06/2024" is May 6 in the US and 5 June elsewhere: no guess
        first, second, year = (int(n) for n in re.findall(r"\d+", clean)[:3])
        if first <= 12 and second <= 12 and first != second:
            return None
        day, month = (first, second) if first > 12 else (second, first)
        try:
            return datetime.date(year, month, day).isoformat(), "day"
        except ValueError:
            return None
    if kind in {"month_day_year", "day_month_year"}:
        parsed = _dateparser(re.sub(r"(?i)(\d)(st|nd|rd|th)\b", r"\1", clean).replace(" day of ", " ").replace(" of ", " "))
        return (parsed.date().isoformat(), "day") if parsed else None
    if kind in {"month_year", "part_month_year"}:
        year = int(re.search(r"(19|20)\d\d", clean).group(0))
        month = month_of(re.sub(rf"(?i)^{MONTH_PART}[- ]", "", clean))
        return (f"{year:04d}-{month:02d}", "month") if month else None
    if kind in {"year", "school_year", "season_year"}:  # "the 2025-26 school year" begins in 2025
        return re.search(r"(19|20)\d\d", clean).group(0), "year"
    if kind in {"month_day", "day_month"}:
        month = month_of(clean)
        day = int(re.search(r"\d+", clean).group(0))
        year = _year_for(month, day, published, default_year, not_before)
        if not month or year is None:
            return None
        try:
            return datetime.date(year, month, day).isoformat(), "day"
        except ValueError:
            return None
    if kind in {"in_month", "part_month"}:
        month = month_of(re.sub(rf"(?i)^(?:{MONTH_PART}|last|this|earlier this|late last)[- ]", "", lower))
        year = _year_for(month, 1, published, default_year, not_before)
        if not month or year is None:
            return None
        if lower.startswith("last ") and published and year == published.year and month >= published.month:
            year -= 1  # "last May" in May: a year ago (a later month is last year's already)
        return f"{year:04d}-{month:02d}", "month"
    if published is None:
        return None
    if kind == "weekday":
        return _weekday(lower, published)
    if kind == "relative":
        return _relative(lower, published)
    return None


def _year_for(month, day, published, default_year, not_before=None):
    """A year-less date is the latest such date not after the publication (allowing a week's slack)."""
    if not month:
        return None
    if published is None:
        # the year the page names most, unless that puts the date before the story's tool existed (a page
        # about DeepSeek recalling a 2023 ban still tells "Feb. 6" of DeepSeek's time)
        if not_before is None or default_year is not None and (default_year, month, day) >= (
                not_before.year, not_before.month, not_before.day):
            return default_year
        year = not_before.year
        return year if (month, day) >= (not_before.month, not_before.day) else year + 1
    year = published.year
    try:
        candidate = datetime.date(year, month, min(day, 28))
    except ValueError:
        return year
    if candidate - published > datetime.timedelta(days=7):
        year -= 1
    return year


def _weekday(lower, published):
    name = next((w for w in WEEKDAYS if w in lower), None)
    if name is None:
        return None
    target = WEEKDAYS.index(name)
    if lower.endswith("last week"):  # "on Friday of last week": that day of the previous calendar week
        monday = published - datetime.timedelta(days=published.weekday() + 7)
        return (monday + datetime.timedelta(days=target)).isoformat(), "day"
    back = (published.weekday() - target) % 7
    if lower.startswith("last ") and back == 0:
        back = 7
    if lower.startswith("next "):
        back = -((target - published.weekday()) % 7 or 7)
    elif lower.split()[0] in ("starting", "beginning", "from"):  # "Starting Monday, staff may no longer ...": ahead
        back = -((target - published.weekday()) % 7)
    return (published - datetime.timedelta(days=back)).isoformat(), "day"


def _relative(lower, published):
    if lower in {"today", "tonight", "this morning", "this afternoon"}:
        return published.isoformat(), "day"
    if lower in {"yesterday", "last night", "the previous day", "the prior day"}:
        return (published - datetime.timedelta(days=1)).isoformat(), "day"
    m = re.match(r"(a few|a|one|two|three|four|five|six|several|\d+) (day|week|month)s? ago", lower)
    if m:
        n = NUMBER_WORDS.get(m.group(1)) or int(m.group(1))
        if m.group(2) == "day":
            return (published - datetime.timedelta(days=n)).isoformat(), "day"
        if m.group(2) == "week":
            return _month_of(published - datetime.timedelta(days=7 * n))
        return _month_of(_months_back(published, n))
    if lower.endswith("week"):
        back = 7 if "last" in lower or "previous" in lower or "prior" in lower else 0
        return _month_of(published - datetime.timedelta(days=back))
    if lower.endswith("month"):
        back = 1 if "last" in lower or "previous" in lower or "prior" in lower else 0
        return _month_of(_months_back(published, back))
    if lower.endswith("year"):
        back = 1 if "last" in lower else 0
        return str(published.year - back), "year"
    return None


def later_than(anchor, text):
    """"a day later", "two weeks later", "the next day", "the same day" after the date `anchor` (iso, precision) -> (iso,
    precision); a day counted from a month is no day, and a month from a year none."""
    iso, precision = anchor
    lower = text.lower()
    if lower.endswith("same day"):
        return (iso, "day") if precision == "day" else None
    m = re.match(r"(a|one|two|three|four|five|six|seven|\d+) (day|week|month)s? later", lower)
    n, unit = (NUMBER_WORDS.get(m.group(1)) or int(m.group(1)), m.group(2)) if m else \
        (1, re.search(r"(day|week|month)", lower).group(1))
    if unit == "month" and precision in ("day", "month"):
        return _month_of(_months_back(parse_iso(iso[:7] + "-01"), -n))
    if precision == "day":
        day = parse_iso(iso)
        if unit == "week":  # "two weeks later": which day, the text does not say
            return _month_of(day + datetime.timedelta(days=7 * n))
        return (day + datetime.timedelta(days=n)).isoformat(), "day"
    return None


def _month_of(day):
    return f"{day.year:04d}-{day.month:02d}", "month"


def _months_back(day, n):
    """The first day of the month `n` months before `day`'s (after it, for a negative `n`)."""
    months = day.year * 12 + day.month - 1 - n
    return datetime.date(months // 12, months % 12 + 1, 1)


# "MILAN, March 31 (Reuters) -", "Seoul, Feb 5 (IANS)", "WASHINGTON, Jan. 28, 2025 —": the day the
# story was filed, at the head of its first paragraph
YEAR = re.compile(r"\b(?:19|20)\d\d\b")  # a year written out


def month_number(iso):
    """'2023-03-31' -> months since year 0; a year alone counts as its middle."""
    if not iso:
        return None
    return int(iso[:4]) * 12 + (int(iso[5:7]) if len(iso) >= 7 else 6)


def first_day(released):
    """The first day of a tool's release month or year ("2025-01" -> 2025-01-01), or None."""
    if not released:
        return None
    return parse_iso(f"{released}-01"[:10] if len(released) == 7 else f"{released}-01-01")


DATELINE = re.compile(
    r"^\s*[A-Z][A-Za-z.'’ -]{1,40},\s+((?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+[0-3]?\d)"
    r"(?:,\s+((?:19|20)\d\d))?\s*(?:\([^)]{1,40}\))?\s*[-—–:]?", re.MULTILINE)


def dateline(body, default_year=None):
    """(iso date or None, end offset) of a dateline opening one of the first two paragraphs, else None."""
    head = "\n".join(body.split("\n")[:2])
    m = DATELINE.search(head)
    if not m or not (m.group(0).rstrip().endswith(("-", "—", "–", ":", ")"))):
        return None
    year = int(m.group(2)) if m.group(2) else default_year
    day = None
    if year:
        try:
            day = datetime.date(year, month_of(m.group(1)), int(re.search(r"\d+$", m.group(1)).group(0)))
        except ValueError:
            day = None
    return (day.isoformat() if day else None), m.end()


URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-]([01]\d)[/-]([0-3]\d)(?:[/-]|$)|/((?:19|20)\d\d)([01]\d)([0-3]\d)/")


URL_MONTH = re.compile(r"/((?:19|20)\d\d)/([01]\d)/")


def month_from_url(url):
    """Failing a full date, /2025/04/ in a URL still says the month: '2025-04'."""
    m = URL_MONTH.search(url or "")
    if not m or not 1 <= int(m.group(2)) <= 12:
        return None
    return f"{m.group(1)}-{m.group(2)}"


def date_from_url(url):
    """News URLs often carry their date: /2025/01/31/ or /2025-01-31- or /20250131/."""
    if not url:
        return None
    m = URL_DATE.search(url)
    if not m:
        return None
    y, mo, d = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(4), m.group(5), m.group(6))
    try:
        return datetime.date(int(y), int(mo), int(d))
    except ValueError:
        return None
