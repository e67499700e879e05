"""kb.db's shape: idempotent creation, foreign keys, porter full-text search, the views."""
import sqlite_utils

from kb.schema import EXPECTED_TABLES, EXPECTED_VIEWS, TABLES, column_descriptions, ensure_db_shape

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
