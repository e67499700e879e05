"""Timeline exports: every format parses, carries the same events, honours the filters and never lets scraped text
become markup."""
import csv
import io
import json
import re

import pytest

from banwatch.errors import BanwatchError
from publish.export import (
    RECORD_FIELDS,
    TIMELINEJS_CSV_HEADERS,
    export_timeline,
    fold_ics,
    md,
    md_link,
    parse_date_bound,
)
from tests.support.browser import (
    DOUBTFUL_EVENT,
    HOSTILE_SCOPE,
    ITALY_HALT,
    NASA_CNBC,
    NASA_EVENT,
    NAVY_EVENT,
    TEXAS_EVENT,
)
from tests.support.cli import run_banwatch

CONTRACT_FIELDS = ("event_id", "date", "date_precision", "agency", "agency_id", "jurisdiction", "tool", "tool_id",
                   "action", "stage", "reasons", "summary", "sources", "verified", "confidence", "status")


@pytest.fixture(scope="module")
def data(sample_kb):
    return sample_kb


def timeline_json(data, **filters):
    return json.loads(export_timeline(data, "json", **filters))


def csv_rows(text):
    assert text.startswith("\ufeff"), "no UTF-8 byte order mark: Excel would read NÚKIB as NÃšKIB"
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_json_is_the_timeline_record_of_every_event(data):
    records = timeline_json(data)
    assert len(records) == 12
    for record in records:
        assert set(CONTRACT_FIELDS) <= set(record)
        assert isinstance(record["reasons"], list) and isinstance(record["sources"], list)
        assert isinstance(record["verified"], bool)
        assert record["event_url"] == f"/-/event/{record['event_id']}"
    status = {r["event_id"]: (r["status"], r["status_label"], r["verified"]) for r in records}
    assert status[TEXAS_EVENT] == ("verified", "verified", True)
    assert status[NASA_EVENT] == ("machine", "machine-read", False)
    nasa = next(r for r in records if r["event_id"] == NASA_EVENT)
    assert (nasa["date"], nasa["date_precision"], nasa["agency_id"], nasa["tool_id"]) == \
        ("2025-01-31", "day", "nasa", "deepseek")
    assert nasa["agency"] == "National Aeronautics and Space Administration"
    assert nasa["jurisdiction"] == "United States" and nasa["action"] == "ban" and nasa["stage"] == "enacted"
    assert nasa["sources"][0] == NASA_CNBC and len(nasa["sources"]) == 2
    assert nasa["reasons"] == ["national_security", "data_privacy"]
    assert nasa["date_disputed"] is True


def test_records_run_oldest_first_undated_last(data):
    records = timeline_json(data)
    dates = [r["date"] for r in records]
    assert dates[0] == "2023-03-30" and dates[-2] == "2025-02-15"
    assert dates[:-1] == sorted(dates[:-1])
    assert dates[-1] is None and records[-1]["event_id"] == "jp-government--deepseek--warn--undated"


def test_needs_review_events_are_left_out_unless_asked_for(data):
    assert DOUBTFUL_EVENT not in {r["event_id"] for r in timeline_json(data)}
    review = timeline_json(data, status=["needs_review"])
    assert [(r["event_id"], r["status"], r["status_label"]) for r in review] == \
        [(DOUBTFUL_EVENT, "needs_review", "needs review")]
    assert len(timeline_json(data, status=["all"])) == 13
    assert [r["event_id"] for r in timeline_json(data, status=["verified"])] == [TEXAS_EVENT]
    for fmt in ("csv", "timelinejs", "timelinejs-csv", "ics", "markdown"):
        assert DOUBTFUL_EVENT not in export_timeline(data, fmt), fmt
        assert DOUBTFUL_EVENT in export_timeline(data, fmt, status=["all"]), fmt
    with pytest.raises(BanwatchError, match="unknown status 'sure'"):
        export_timeline(data, "json", status=["sure"])


def test_event_urls_take_the_public_base(data):
    records = json.loads(export_timeline(data, "json", base_url="https://banwatch.example/"))
    assert {r["event_url"] for r in records} == {f"https://banwatch.example/-/event/{r['event_id']}" for r in records}
    rows = csv_rows(export_timeline(data, "csv", base_url="https://banwatch.example"))
    assert rows[0]["event_url"] == f"https://banwatch.example/-/event/{rows[0]['event_id']}"


def test_csv_has_the_json_columns_and_lists_joined(data):
    text = export_timeline(data, "csv")
    rows = csv_rows(text)
    # Excel opens a UTF-8 CSV with a BOM correctly: the bytes start EF BB BF.
    assert text.encode("utf-8")[:3] == b"\xef\xbb\xbf"
    records = timeline_json(data)
    assert tuple(rows[0]) == RECORD_FIELDS
    assert [r["event_id"] for r in rows] == [r["event_id"] for r in records]
    nasa = next(r for r in rows if r["event_id"] == NASA_EVENT)
    assert nasa["sources"].split("; ") == next(r for r in records if r["event_id"] == NASA_EVENT)["sources"]
    assert nasa["reasons"] == "national_security; data_privacy"
    assert nasa["verified"] == "false" and nasa["date_disputed"] == "true" and nasa["status"] == "machine"
    assert nasa["event_url"] == f"/-/event/{NASA_EVENT}"


def test_filters_take_ids_names_and_aliases(data):
    by_id = timeline_json(data, tool=["deepseek"])
    assert {r["tool_id"] for r in by_id} == {"deepseek"} and len(by_id) == 9
    assert timeline_json(data, tool=["DEEPSEEK AI"]) == by_id  # an alias, any case
    copilot = timeline_json(data, tool=["Copilot"])
    assert [r["tool_id"] for r in copilot] == ["microsoft-copilot"]
    both = timeline_json(data, tool=["chatgpt", "Microsoft Copilot"])
    assert {r["tool_id"] for r in both} == {"chatgpt", "microsoft-copilot"}


def test_a_country_includes_its_states(data):
    us = timeline_json(data, jurisdiction=["us"])
    assert {r["jurisdiction_id"] for r in us} == {"us", "us-tx", "us-ny"}
    texas = timeline_json(data, jurisdiction=["Texas"])
    assert [r["agency_id"] for r in texas] == ["us-tx-government"]


def test_action_stage_and_dates(data):
    assert [r["event_id"] for r in timeline_json(data, action=["lift"])] == ["it-garante--chatgpt--lift--2023-04"]
    proposed = timeline_json(data, stage=["proposed"])
    assert [r["event_id"] for r in proposed] == ["us-house--deepseek--ban-proposed--2025-02"]
    january = timeline_json(data, since="2025-01", until="2025-01")
    assert {r["date"][:7] for r in january} == {"2025-01"} and len(january) == 4
    # A month-precision event is kept by a range that falls inside its month.
    march = timeline_json(data, since="2024-03-15", until="2024-03-20")
    assert [r["date"] for r in march] == ["2024-03"]
    assert timeline_json(data, since="2026") == []
    assert "jp-government--deepseek--warn--undated" not in {r["event_id"] for r in timeline_json(data, until="2030")}


@pytest.mark.parametrize("filters, message", [
    ({"tool": ["nosuchtool"]}, "unknown tool 'nosuchtool'"),
    ({"jurisdiction": ["Atlantis"]}, "unknown jurisdiction 'Atlantis'"),
    ({"action": ["prohibit"]}, "unknown action 'prohibit'"),
    ({"stage": ["rumoured"]}, "unknown stage 'rumoured'"),
    ({"since": "last week"}, "--since 'last week' is not a date"),
    ({"until": "2025-02-30"}, "--until '2025-02-30' is not a date"),
    ({"since": "2025-03", "until": "2025-01"}, "is after --until"),
])
def test_bad_filters_are_one_clear_error(data, filters, message):
    with pytest.raises(BanwatchError, match=message.replace("(", r"\(")):
        export_timeline(data, "json", **filters)


def test_missing_kb_and_unknown_format(tmp_path, data):
    with pytest.raises(BanwatchError, match="no kb.db in"):
        export_timeline(tmp_path, "json")
    with pytest.raises(BanwatchError, match="unknown export format 'pdf'"):
        export_timeline(data, "pdf")
    (tmp_path / "kb.db").write_bytes(b"not a database at all" * 100)
    with pytest.raises(BanwatchError, match="is not a banwatch kb.db"):
        export_timeline(tmp_path, "json")


def test_date_bounds():
    assert parse_date_bound("2024-02", "since", end=False) == "2024-02-01"
    assert parse_date_bound("2024-02", "until", end=True) == "2024-02-29"
    assert parse_date_bound("2025", "until", end=True) == "2025-12-31"
    assert parse_date_bound(" ", "since", end=False) is None


def test_timelinejs_json_has_the_required_keys(data):
    timeline = json.loads(export_timeline(data, "timelinejs"))
    assert set(timeline["title"]["text"]) == {"headline", "text"}
    events = timeline["events"]
    assert len(events) == 11  # the undated measure cannot be placed
    assert "1 undated measure cannot be placed on a timeline" in timeline["title"]["text"]["text"]
    for slide in events:
        assert slide["start_date"]["year"].isdigit()
        assert slide["text"]["headline"] and slide["text"]["text"]
        assert slide["group"] in ("DeepSeek", "ChatGPT", "Microsoft Copilot")
        # Every source is a news article: TimelineJS would draw it as a broken image.
        assert "media" not in slide
        assert ("Machine-read (confidence" in slide["text"]["text"]) != ("Verified:" in slide["text"]["text"])
    nasa = next(s for s in events if s["unique_id"] == NASA_EVENT)
    assert nasa["start_date"] == {"year": "2025", "month": "1", "day": "31"} and "end_date" not in nasa
    assert nasa["text"]["headline"] == "NASA bans DeepSeek"
    assert NASA_CNBC in nasa["text"]["text"] and f'href="/-/event/{NASA_EVENT}"' in nasa["text"]["text"]
    # A month-only date is the whole month: a span, and said so.
    copilot = next(s for s in events if s["group"] == "Microsoft Copilot")
    assert copilot["start_date"] == {"year": "2024", "month": "3", "day": "1"}
    assert copilot["end_date"] == {"year": "2024", "month": "3", "day": "31"}
    assert copilot["display_date"] == "March 2024 (day not known)"
    proposed = next(s for s in events if s["unique_id"] == "us-house--deepseek--ban-proposed--2025-02")
    assert proposed["text"]["headline"].endswith("(proposed)")
    texas = next(s for s in events if s["unique_id"] == TEXAS_EVENT)
    assert "Verified: checked against its sources by a curator" in texas["text"]["text"]


def test_timelinejs_media_only_for_images_and_embeddable_urls():
    from publish.export import media_url

    assert media_url(NASA_CNBC) is None
    assert media_url("https://upload.example.org/photo.JPG") == "https://upload.example.org/photo.JPG"
    assert media_url("https://www.youtube.com/watch?v=abc") == "https://www.youtube.com/watch?v=abc"
    assert media_url("javascript:alert(1)//x.png") is None


def test_timelinejs_escapes_scraped_text(data):
    # TimelineJS renders headline, text and caption as HTML.
    timeline = json.loads(export_timeline(data, "timelinejs"))
    navy = next(s for s in timeline["events"] if s["unique_id"] == NAVY_EVENT)
    assert "<script>" not in navy["text"]["text"] and "&lt;script&gt;alert(&quot;title-xss&quot;)" in navy["text"]["text"]
    assert "<svg" not in navy["text"]["text"]


def test_timelinejs_csv_has_the_exact_headers_and_a_title_row(data):
    text = export_timeline(data, "timelinejs-csv", tool=["deepseek"])
    assert text.startswith("\ufeff")
    text = text[1:]
    reader = csv.reader(io.StringIO(text))
    assert tuple(next(reader)) == TIMELINEJS_CSV_HEADERS == (
        "Year", "Month", "Day", "Time", "End Year", "End Month", "End Day", "End Time", "Display Date", "Headline",
        "Text", "Media", "Media Credit", "Media Caption", "Media Thumbnail", "Type", "Group", "Background")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["Type"] == "title" and "DeepSeek" in rows[0]["Headline"]
    slides = rows[1:]
    assert len(slides) == 8 and {r["Group"] for r in slides} == {"DeepSeek"}
    navy = next(r for r in slides if r["Day"] == "24")
    assert (navy["Year"], navy["Month"], navy["Display Date"]) == ("2025", "1", "24 January 2025")
    assert navy["Media"] == "" and "<script>" not in navy["Text"]


def test_ics_parses_with_all_day_events(data):
    from ics import Calendar

    text = export_timeline(data, "ics", tool=["deepseek", "copilot"])
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    calendar = Calendar(text)
    events = {e.uid: e for e in calendar.events}
    assert len(events) == 9
    nasa = events[f"{NASA_EVENT}@banwatch"]
    assert nasa.all_day and nasa.begin.date().isoformat() == "2025-01-31"
    assert nasa.name == "[machine-read] NASA bans DeepSeek" and nasa.url == NASA_CNBC
    assert "Sources disagree on the date" in nasa.description and "Machine-read (confidence 0.80)" in nasa.description
    copilot = events["us-house--microsoft-copilot--restrict--2024-03@banwatch"]
    assert copilot.begin.date().isoformat() == "2024-03-01" and copilot.end.date().isoformat() == "2024-04-01"
    assert "Date known only to the month" in copilot.description
    proposed = events["us-house--deepseek--ban-proposed--2025-02@banwatch"]
    assert proposed.status == "TENTATIVE" and nasa.status == "TENTATIVE"
    texas = events[f"{TEXAS_EVENT}@banwatch"]
    assert texas.status == "CONFIRMED" and texas.name.startswith("[verified] ")


def test_ics_folding_keeps_multibyte_characters_whole():
    folded = fold_ics("DESCRIPTION:" + "é" * 80 + "\r\n")
    lines = folded.split("\r\n")[:-1]
    assert all(len(line.encode()) <= 75 for line in lines) and len(lines) == 3
    assert "".join(line[1:] if i else line for i, line in enumerate(lines)) == "DESCRIPTION:" + "é" * 80


def test_markdown_lists_every_event_with_its_sources(data):
    text = export_timeline(data, "markdown")
    assert text.startswith("# banwatch")
    assert "## 2023" in text and "## 2025" in text
    assert text.count("\n- **") == 12
    assert text.rstrip().split("## ")[-1].startswith("Undated\n\n- **date unknown** · Government of Japan")
    assert f"[www.cnbc.com]({NASA_CNBC})" in text
    assert f"`{NASA_EVENT}`" in text and "sources disagree on the date" in text
    assert "_machine\\-read_" in text or "_machine-read_" in text
    assert "March 2024 (day not known)" in text
    # Scraped markup stays literal text in any Markdown renderer: no raw <.
    assert re.search(r"(?<!\\)<", text) is None


def test_markdown_helpers_neutralise_markup():
    assert md("*bold* [link](javascript:x) <b>") == r"\*bold\* \[link\](javascript:x) \<b\>"
    assert md_link("click", "javascript:alert(1)") == "click"
    assert md_link("x", "https://a.example/p(1) q") == "[x](https://a.example/p%281%29%20q)"


def test_hostile_text_is_data_in_json_and_never_markup_in_html_formats(data):
    navy = next(r for r in timeline_json(data) if r["event_id"] == NAVY_EVENT)
    assert navy["scope"] == HOSTILE_SCOPE  # verbatim: JSON is data
    # The summary is a sentence built from fields: the hostile span is no noun phrase, so it is not in it.
    assert navy["summary"] == "United States Navy banned DeepSeek (24 January 2025)"
    for fmt in ("timelinejs", "timelinejs-csv"):
        text = export_timeline(data, fmt)
        assert "<script>" not in text and "<svg" not in text, fmt
        assert "&lt;script&gt;alert(" in text, fmt


def test_cli_export_writes_the_same_text(data, tmp_path):
    out = tmp_path / "deepseek.csv"
    run_banwatch("export", "timeline", "--data-dir", data, "--format", "csv", "--tool", "deepseek",
                 "--since", "2025-02", "-o", out, in_process=True)
    text = out.read_bytes().decode("utf-8")
    assert text == export_timeline(data, "csv", tool=["deepseek"], since="2025-02")
    assert len(csv_rows(text)) == 4
    bad = run_banwatch("export", "timeline", "--data-dir", data, "--tool", "nosuch", in_process=True, check=False)
    assert bad.returncode != 0 and "Error: unknown tool 'nosuch'" in bad.stderr and "Traceback" not in bad.stderr


def test_an_italian_source_url_is_carried_verbatim(data):
    records = timeline_json(data, jurisdiction=["it"])
    assert [r["action"] for r in records] == ["suspend", "lift"]
    assert records[0]["sources"] == [ITALY_HALT]
