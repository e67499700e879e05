"""The merging rule, the date rule, event IDs and summaries (pure functions, no database)."""
import datetime
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from kb.merge import (
    EVENT_ID_PATTERN,
    WINDOW_DAYS,
    Draft,
    choose_date,
    cluster_reports,
    combined_confidence,
    event_id,
    group_key,
    summary_sentence,
)

_ids = itertools.count(1)


def report(date=None, precision=None, source="text", action="ban", published="2025-02-01", url=None, **fields):
    if date and precision is None:
        precision = {10: "day", 7: "month", 4: "year"}[len(date)]
    n = next(_ids)
    value = {
        "id": f"r{n:05d}", "document_url": url or f"https://news{n}.example/story", "agency_id": "nasa",
        "tool_id": "deepseek", "action": action, "stage": "enacted", "reported_date": date,
        "reported_precision": precision if date else None, "date_source": source if date else None,
        "published": published, "reasons": [], "reason_evidence": {}, "scope": None, "confidence": 0.8,
        "group_key": group_key("nasa", "deepseek", action, "enacted"),
    }
    value.update(fields)
    return value


def published_only(day):
    return report(day, source="published", published=day)


def test_two_reports_of_one_day_are_one_event():
    clusters = cluster_reports([report("2025-01-31"), report("2025-01-31")])
    assert [len(c) for c in clusters] == [2]


def test_reports_a_few_days_apart_are_one_disputed_event_dated_by_the_majority():
    reports = [report("2025-01-31"), report("2025-02-03"), report("2025-02-03")]
    (cluster,) = cluster_reports(reports)
    assert choose_date(cluster) == ("2025-02-03", "day", "most_attested_day", True)


def test_a_tie_between_dates_goes_to_the_earliest():
    (cluster,) = cluster_reports([report("2025-02-03"), report("2025-01-31")])
    assert choose_date(cluster)[0] == "2025-01-31"


def test_reports_months_apart_are_two_events():
    clusters = cluster_reports([report("2025-01-31"), report("2025-06-10")])
    assert sorted(choose_date(c)[0] for c in clusters) == ["2025-01-31", "2025-06-10"]


def test_a_cluster_never_spans_more_than_the_window():
    day = datetime.date(2025, 1, 1)
    chain = [report((day + datetime.timedelta(days=30 * i)).isoformat()) for i in range(6)]
    for cluster in cluster_reports(chain):
        days = [datetime.date.fromisoformat(r["reported_date"]) for r in cluster]
        assert (max(days) - min(days)).days <= WINDOW_DAYS


def test_a_month_date_containing_the_day_is_compatible():
    (cluster,) = cluster_reports([report("2025-01-31"), report("2025-01")])
    assert choose_date(cluster) == ("2025-01-31", "day", "most_attested_day", False)


def test_a_nearby_month_that_does_not_contain_the_day_is_the_same_event_but_disputed():
    (cluster,) = cluster_reports([report("2025-01-31"), report("2025-02")])
    assert choose_date(cluster) == ("2025-01-31", "day", "most_attested_day", True)


def test_month_only_reports_give_a_month_precision_event():
    (cluster,) = cluster_reports([report("2025-02"), report("2025-02"), report("2025")])
    assert choose_date(cluster) == ("2025-02", "month", "most_attested_month", False)


def test_a_publication_date_is_only_a_bound_and_never_disputes():
    text = report("2025-01-31")
    later = published_only("2025-03-15")   # a background mention six weeks on
    (cluster,) = cluster_reports([text, later])
    assert choose_date(cluster) == ("2025-01-31", "day", "most_attested_day", False)


def test_a_date_read_from_the_text_beats_an_earlier_publication_default():
    (cluster,) = cluster_reports([published_only("2025-01-29"), report("2025-01-31")])
    assert choose_date(cluster)[0] == "2025-01-31"


def test_without_text_dates_the_event_is_dated_when_first_reported():
    (cluster,) = cluster_reports([published_only("2025-02-05"), published_only("2025-02-02")])
    assert choose_date(cluster) == ("2025-02-02", "day", "first_reported", False)


def test_undated_reports_join_the_best_attested_cluster():
    main = [report("2025-01-31"), report("2025-01-31")]
    other = [report("2025-07-01")]
    undated = report(None, published=None)
    clusters = cluster_reports(main + other + [undated])
    assert any(undated in c and len(c) == 3 for c in clusters)
    (alone,) = cluster_reports([report(None, published=None)])
    assert choose_date(alone) == (None, None, "undated", False)


def test_ban_and_restrict_are_one_family_and_lift_is_another():
    assert group_key("nasa", "deepseek", "ban", "enacted") == group_key("nasa", "deepseek", "restrict", "enacted")
    assert group_key("nasa", "deepseek", "ban", "enacted") != group_key("nasa", "deepseek", "lift", "enacted")
    assert group_key("nasa", "deepseek", "ban", "enacted") != group_key("nasa", "deepseek", "ban", "proposed")
    draft = Draft([report("2025-01-31"), report("2025-01-31", action="restrict"), report("2025-02-01")])
    assert draft.fields["action"] == "ban"
    assert draft.fields["action_disputed"] == 1


def test_event_ids_spell_the_event():
    assert event_id("nasa", "deepseek", "ban", "enacted", "2025-01-31") == "nasa--deepseek--ban--2025-01"
    assert event_id("us-house", "microsoft-copilot", "ban", "proposed", "2024-03") == \
        "us-house--microsoft-copilot--ban-proposed--2024-03"
    assert event_id("jp-government", "deepseek", "restrict", "enacted", "2025") == "jp-government--deepseek--restrict--2025"
    assert event_id("tw-moda", "deepseek", "restrict", "enacted", None) == "tw-moda--deepseek--restrict--undated"
    for value in ("nasa--deepseek--ban--2025-01", "us-house--microsoft-copilot--ban-proposed--2024-03",
                  "unverified-jp-mie-prefectural-government--deepseek--ban--2025-02-2"):
        assert EVENT_ID_PATTERN.match(value)
    assert not EVENT_ID_PATTERN.match("nasa--deepseek")


def test_summary_sentence():
    assert summary_sentence("NASA", "DeepSeek", "ban", "enacted", "government devices and networks",
                            "2025-01-31") == "NASA banned DeepSeek on government devices and networks (2025-01-31)"
    assert summary_sentence("U.S. House", "Microsoft Copilot", "ban", "proposed", "for staff", None) == \
        "U.S. House proposed banning Microsoft Copilot for staff (date unknown)"
    assert summary_sentence("Garante", "ChatGPT", "lift", "enacted", None, "2023-04-28") == \
        "Garante lifted its restrictions on ChatGPT (2023-04-28)"


def test_an_event_is_as_sure_as_its_best_source():
    # agreeing reports of one misreading are not independent evidence: they do not add up
    assert combined_confidence([{"confidence": 0.6}]) == 0.6
    assert combined_confidence([{"confidence": 0.6}, {"confidence": 0.7}, {"confidence": 0.6}]) == 0.7
    assert combined_confidence([{"confidence": None}]) == 0.5


def test_curated_overrides_sit_on_top_of_the_machine_fields():
    draft = Draft([report("2025-02-03"), report("2025-02-03", reasons=["data_privacy"])])
    draft.override({"date": "2025-01-31", "reasons": ["national_security"]})
    assert draft.fields["date"] == "2025-01-31" and draft.fields["date_rule"] == "curated"
    assert draft.machine["date"] == "2025-02-03"
    assert draft.final_id() == "nasa--deepseek--ban--2025-01" and draft.machine_id == "nasa--deepseek--ban--2025-02"
    assert draft.curated_fields == ["date", "reasons"]


dates = st.dates(min_value=datetime.date(2023, 1, 1), max_value=datetime.date(2026, 12, 31))
report_specs = st.lists(st.tuples(dates, st.sampled_from(["day", "month", "year", "published", "none"])),
                        min_size=1, max_size=25)


@settings(max_examples=150, deadline=None)
@given(report_specs)
def test_clustering_partitions_the_reports_and_respects_the_window(specs):
    reports = []
    for day, kind in specs:
        if kind == "day":
            reports.append(report(day.isoformat()))
        elif kind == "month":
            reports.append(report(day.isoformat()[:7]))
        elif kind == "year":
            reports.append(report(day.isoformat()[:4]))
        elif kind == "published":
            reports.append(published_only(day.isoformat()))
        else:
            reports.append(report(None, published=None))
    clusters = cluster_reports(reports)
    flat = [r["id"] for c in clusters for r in c]
    assert sorted(flat) == sorted(r["id"] for r in reports)   # every report exactly once
    for cluster in clusters:
        assert cluster
        days = [datetime.date.fromisoformat(r["reported_date"]) for r in cluster
                if r["reported_precision"] == "day" and r["date_source"] == "text"]
        if days:
            assert (max(days) - min(days)).days <= WINDOW_DAYS
        date, precision, rule, disputed = choose_date(cluster)
        assert (date is None) == (rule == "undated")
    # Membership does not depend on the order the reports come in (so neither do event IDs).
    def partition(cs):
        return sorted(sorted(r["id"] for r in c) for c in cs)
    assert partition(cluster_reports(list(reversed(reports)))) == partition(clusters)


def test_a_page_dated_only_by_its_month_is_first_reported_that_month():
    cluster = [report("2025-04", "month", source="published", published=None)]
    assert choose_date(cluster) == ("2025-04", "month", "first_reported", False)
