"""Hostile documents stay within their budget: recorded with the reason, never retried, the batch saved."""
import time

from sqlite_utils import Database

from banwatch.db import open_crawl_db
from crawlers.store import save_response
from pipeline import budget
from pipeline.extract import Extractor
from pipeline.run import extract_crawl_db
from tests.support.crawl import pdf_file

GOOD = ("<html><head><title>Navy memo</title></head><body><article><p>The Navy banned DeepSeek on work phones. "
        + "Officials gave security reasons for the decision. " * 5 + "</p></article></body></html>")


def shared_stream_pdf(pages, repeats):
    """PAGES pages that all draw one content stream of REPEATS text lines: small on disk, huge to read."""
    stream = "BT /F1 11 Tf 72 720 Td 14 TL " + "(DeepSeek is banned on agency devices) ' " * repeats + "ET"
    kids = " ".join(f"{4 + n} 0 R" for n in range(pages))
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>",
               f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream"]
    objects += ["<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R "
                f"/Resources << /Font << /F1 {4 + pages} 0 R >> >> >>" for _ in range(pages)]
    objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    return pdf_file(objects)


def crawl_with(tmp_path, pages):
    crawl = open_crawl_db(tmp_path)
    for url, body, content_type, kind in pages:
        save_response(crawl, url=url, status=200, kind=kind, headers={"content-type": content_type}, body=body)
    return Database(tmp_path / "crawl.db")


def test_a_pdf_of_pages_sharing_one_huge_stream_is_an_error_and_the_batch_is_saved(tmp_path):
    hostile = shared_stream_pdf(pages=200, repeats=20_000)
    assert len(hostile) < 1_000_000
    db = crawl_with(tmp_path, [("https://example.org/hostile.pdf", hostile, "application/pdf", "pdf"),
                               ("https://example.org/good", GOOD.encode(), "text/html; charset=utf-8", "article")])
    started = time.monotonic()
    stats = extract_crawl_db(tmp_path, workers=1)
    assert time.monotonic() - started < budget.SECONDS_PER_DOCUMENT + 15
    bad = db["documents"].get("https://example.org/hostile.pdf")
    assert "over budget" in bad["error"]
    good = db["documents"].get("https://example.org/good")
    assert good["error"] is None and good["n_events"] >= 1
    assert stats["errors"] == 1
    # The next run does not try it again (same bytes, same extractor).
    assert extract_crawl_db(tmp_path, workers=1)["pending_before"] == 0


def test_a_huge_html_page_is_refused_by_size(tmp_path):
    huge = ("<html><body>" + "<p>DeepSeek banned here and there.</p>" * 200_000 + "</body></html>").encode()
    assert len(huge) > budget.MAX_HTML_BYTES
    db = crawl_with(tmp_path, [("https://example.org/huge", huge, "text/html", "article")])
    started = time.monotonic()
    extract_crawl_db(tmp_path, workers=1)
    assert time.monotonic() - started < 10
    assert db["documents"].get("https://example.org/huge")["error"].startswith("page too large to extract")


def test_a_document_that_outruns_the_time_budget_is_recorded_and_not_retried(tmp_path, monkeypatch):
    monkeypatch.setattr(budget, "SECONDS_PER_DOCUMENT", 0.5)
    monkeypatch.setattr("pipeline.extract.SECONDS_PER_DOCUMENT", 0.5)
    original = Extractor.events_of

    def slow(self, sdoc, doc):
        if "Navy" in doc["text"]:
            time.sleep(30)  # a rule stuck on this document
        return original(self, sdoc, doc)

    monkeypatch.setattr(Extractor, "events_of", slow)
    db = crawl_with(tmp_path, [("https://example.org/stuck", GOOD.encode(), "text/html; charset=utf-8", "article"),
                               ("https://example.org/fine", GOOD.replace("Navy", "NASA").encode(),
                                "text/html; charset=utf-8", "article")])
    started = time.monotonic()
    stats = extract_crawl_db(tmp_path, workers=1)
    assert time.monotonic() - started < 10
    errors = list(db.query("select url, error from extract_errors"))
    assert errors == [{"url": "https://example.org/stuck",
                       "error": "OverBudget: finding the document's events took more than its budget of 0.5 s"}]
    assert db["documents"].get("https://example.org/fine")["n_events"] >= 1
    assert stats["errors"] == 1
    assert extract_crawl_db(tmp_path, workers=1)["pending_before"] == 0
