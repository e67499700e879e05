"""kb.db's shape: idempotent creation, foreign keys, porter full-text search, the views."""
import sqlite_utils

from banwatch.kbdb import (
    EXPECTED_TABLES,
    EXPECTED_VIEWS,
    TABLES,
    column_descriptions,
    ensure_db_shape,
    refresh_statistics,
)

DESIGN_TIMELINE_COLUMNS = ["event_id", "date", "date_precision", "agency", "agency_id", "jurisdiction", "tool",
                           "tool_id", "action", "stage", "reasons", "summary", "sources", "verified"]


def schema_of(db):
    return sorted(db.execute("select type, name, sql from sqlite_master").fetchall(), key=lambda r: (r[0], r[1]))


def test_ensure_db_shape_creates_everything_and_is_idempotent():
    db = sqlite_utils.Database(memory=True)
    ensure_db_shape(db)
    first = schema_of(db)
    ensure_db_shape(db)
    assert schema_of(db) == first
    assert set(EXPECTED_TABLES) <= set(db.table_names())
    assert set(EXPECTED_VIEWS) == set(db.view_names())
    for name in ("documents", "events", "event_sources"):
        assert db[name].detect_fts() == f"{name}_fts"


def test_ensure_db_shape_adds_what_is_missing():
    db = sqlite_utils.Database(memory=True)
    ensure_db_shape(db)
    db["graph_metrics"].drop()
    db.execute("drop view timeline")
    ensure_db_shape(db)
    assert "graph_metrics" in db.table_names()
    assert "timeline" in db.view_names()


def test_foreign_keys_link_events_to_entities_and_sources_to_documents():
    db = sqlite_utils.Database(memory=True)
    ensure_db_shape(db)
    event_fks = {(fk.column, fk.other_table) for fk in db["events"].foreign_keys}
    assert {("agency_id", "agencies"), ("tool_id", "tools"), ("jurisdiction_id", "jurisdictions")} <= event_fks
    source_fks = {(fk.column, fk.other_table) for fk in db["event_sources"].foreign_keys}
    assert {("event_id", "events"), ("document_url", "documents")} <= source_fks
    assert ("parent_id", "agencies") in {(fk.column, fk.other_table) for fk in db["agencies"].foreign_keys}
    assert any(index.columns == ["event_id"] for index in db["event_sources"].indexes)


def test_full_text_search_uses_the_porter_stemmer():
    db = sqlite_utils.Database(memory=True)
    ensure_db_shape(db)
    db["documents"].insert({"url": "https://example.org/a", "title": "Agencies keep banning chatbots"})
    hits = list(db.query("select url from documents_fts join documents on documents.rowid = documents_fts.rowid "
                         "where documents_fts match 'banned'"))
    assert hits == [{"url": "https://example.org/a"}]


def test_timeline_view_has_the_design_columns_first():
    db = sqlite_utils.Database(memory=True)
    ensure_db_shape(db)
    columns = [c.name for c in db["timeline"].columns]
    assert columns[:3] == ["event_id", "date", "date_precision"]
    assert set(DESIGN_TIMELINE_COLUMNS) <= set(columns)


def test_every_column_is_described():
    descriptions = column_descriptions()
    assert set(descriptions) == set(TABLES)
    for table, spec in TABLES.items():
        assert descriptions[table]["description"]
        assert all(descriptions[table]["columns"][c] for c in spec.columns)


def test_the_facet_columns_of_events_are_indexed_and_the_timeline_view_is_unsorted():
    db = sqlite_utils.Database(memory=True)
    ensure_db_shape(db)
    indexed = {tuple(index.columns) for index in db["events"].indexes}
    assert {("action",), ("stage",), ("year",)} <= indexed
    # Callers sort (Datasette adds its own ORDER BY): a sort inside the view would run under every facet.
    assert "order by" not in db["timeline"].schema.lower()


def test_ensure_db_shape_upgrades_an_older_kb_db():
    db = sqlite_utils.Database(memory=True)
    ensure_db_shape(db)
    db.execute("drop index idx_events_action")
    db.execute("drop view timeline")
    db.execute("create view timeline as select id as event_id from events order by date_start")
    ensure_db_shape(db)
    assert ["action"] in [index.columns for index in db["events"].indexes]
    assert "order by" not in db["timeline"].schema.lower()
    assert [c.name for c in db["timeline"].columns][:3] == ["event_id", "date", "date_precision"]


def events_stat(db):
    return {index: stat.split() for index, stat in db.execute(
        "select idx, stat from sqlite_stat1 where tbl = 'events'").fetchall()}


def add_events(db, start, stop):
    db["events"].insert_all({"id": f"event-{n}", "action": "ban" if n % 3 else "lift", "stage": "enacted",
                             "year": str(2020 + n % 5), "agency_id": f"agency-{n}"} for n in range(start, stop))


def test_statistics_tell_the_planner_the_facet_columns_are_not_selective():
    db = sqlite_utils.Database(memory=True)
    ensure_db_shape(db)
    add_events(db, 0, 300)
    refresh_statistics(db)
    stats = events_stat(db)
    assert stats["idx_events_action"] == ["300", "150"]  # 2 values: ~150 rows each
    assert stats["idx_events_agency_id"] == ["300", "1"]
    # A facet count reads the index, not the table; a filter on action and agency takes the agency index.
    plan = " ".join(r[3] for r in db.execute("explain query plan select action, count(*) from events group by action"))
    assert "COVERING INDEX idx_events_action" in plan
    plan = " ".join(r[3] for r in db.execute(
        "explain query plan select * from events where action = 'ban' and agency_id = 'agency-7'"))
    assert "idx_events_agency_id" in plan


def test_an_incremental_refresh_analyzes_only_missing_or_stale_statistics():
    db = sqlite_utils.Database(memory=True)
    ensure_db_shape(db)
    add_events(db, 0, 40)
    refresh_statistics(db)
    add_events(db, 40, 45)  # a few more rows: the statistics still hold
    refresh_statistics(db, full=False)
    assert events_stat(db)["idx_events_action"][0] == "40"
    add_events(db, 45, 80)  # twice as many: stale
    refresh_statistics(db, full=False)
    assert events_stat(db)["idx_events_action"][0] == "80"
    db["events"].create_index(["scope"])  # an index never analyzed
    refresh_statistics(db, full=False)
    assert events_stat(db)["idx_events_scope"][0] == "80"
