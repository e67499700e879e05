"""Text from PDF notices (executive orders, regulator decisions) for the extractor.

    >>> pdf_text(body)            # doctest: +SKIP
    'EXECUTIVE ORDER NUMBER FORTY-SIX (2025) ...'
"""
from __future__ import annotations

import datetime
import io
import logging

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from banwatch.utils import looks_like_pdf

# pypdf logs every recoverable oddity of real-world PDFs as a warning; the caller decides what matters.
logging.getLogger("pypdf").setLevel(logging.ERROR)


class PdfError(ValueError):
    """The bytes are not a readable PDF (corrupt, truncated, encrypted, or not a PDF at all)."""


class PdfTooLarge(PdfError):
    """A PDF whose text exceeds the extraction budget."""


def _reader(body: bytes) -> PdfReader:
    if not looks_like_pdf(body):
        raise PdfError("not a PDF: the body does not start with %PDF-")
    try:
        reader = PdfReader(io.BytesIO(body))
        if reader.is_encrypted and not reader.decrypt(""):
            raise PdfError("encrypted PDF: cannot read it without a password")
        return reader
    except PdfError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as e:
        raise PdfError(f"corrupt PDF: {type(e).__name__}: {e}") from e


def pdf_text(body: bytes, max_pages: int | None = None, max_chars: int | None = None) -> str:
    """The text of the pages (the first `max_pages`), pages separated by a blank line.

    Raises PdfError with a one-line reason for anything that is not a readable PDF, and
    PdfTooLarge when the text grows past `max_chars` (pages sharing one huge content stream)."""
    reader = _reader(body)
    pages, chars = [], 0
    try:
        for n, page in enumerate(reader.pages):
            if max_pages is not None and n >= max_pages:
                break
            pages.append((page.extract_text() or "").strip())
            chars += len(pages[-1])
            if max_chars is not None and chars > max_chars:
                raise PdfTooLarge(f"PDF text over budget: more than {max_chars} characters by page {n + 1}")
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError, RecursionError) as e:
        raise PdfError(f"corrupt PDF: page {len(pages) + 1}: {type(e).__name__}: {e}") from e
    return "\n\n".join(p for p in pages if p)


def pdf_metadata(body: bytes) -> dict:
    """Title and creation date (``YYYY-MM-DD``) from the PDF's info dictionary, where present."""
    reader = _reader(body)
    try:
        info = reader.metadata
    except (PyPdfError, ValueError, KeyError, TypeError) as e:
        raise PdfError(f"corrupt PDF metadata: {e}") from e
    if not info:
        return {"title": None, "created": None, "pages": len(reader.pages)}
    created = None
    try:
        when = info.creation_date
        if isinstance(when, datetime.datetime):
            created = when.date().isoformat()
    except (ValueError, TypeError):
        pass
    title = info.title if isinstance(info.title, str) and info.title.strip() else None
    return {"title": title.strip() if title else None, "created": created, "pages": len(reader.pages)}
