"""pipeline.pdf: the one PDF text function the crawler and the extractor share."""
import pytest

from pipeline.pdf import PdfError, pdf_metadata, pdf_text
from tests.support.crawl import make_pdf

LINES = [
    "COMMONWEALTH OF VIRGINIA - EXECUTIVE ORDER 46 (2025)",
    "No state employee may download or use the DeepSeek application",
    "on a state-issued device or on a state-run network.",
]


def test_text_of_a_pdf_notice():
    text = pdf_text(make_pdf(LINES))
    for line in LINES:
        assert line in text


def test_metadata():
    meta = pdf_metadata(make_pdf(LINES, title="Executive Order 46"))
    assert meta == {"title": "Executive Order 46", "created": "2025-02-11", "pages": 1}


@pytest.mark.parametrize("body, message", [
    (b"<html>not a pdf</html>", "not a PDF"),
    (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R", "corrupt PDF"),
    (make_pdf(LINES)[:180], "corrupt PDF"),
])
def test_corrupt_or_foreign_bytes_raise_one_clear_error(body, message):
    with pytest.raises(PdfError) as excinfo:
        pdf_text(body)
    assert message in str(excinfo.value)
    assert isinstance(excinfo.value, ValueError)
