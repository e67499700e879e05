"""Stored pages -> documents: main text and metadata (trafilatura, htmldate inside it, pypdf, py3langid)."""
import functools
import re
import warnings

import trafilatura
from w3lib.encoding import html_to_unicode

from pipeline.budget import MAX_PDF_CHARS, MAX_PDF_PAGES, OverBudget, check_html_size
from pipeline.dates import date_from_url, parse_iso

PAGE_DATE_PARAMS = {"original_date": True, "extensive_search": False}
ENGLISH_MARKERS = {"the", "and", "of", "to", "in", "is", "that", "for", "on", "with", "was", "has", "have",
                   "its", "by", "from", "said", "will", "are", "be", "as", "an", "it", "this", "were"}


class DocumentError(Exception):
    """A page that yields no usable document (empty, corrupt, not text); recorded, never fatal."""


def decode_html(body, content_type=None):
    """Bytes -> str by the HTTP header, BOM or <meta charset>, falling back to detection (w3lib, as Scrapy does)."""
    if isinstance(body, str):
        return body
    header = f"text/html; charset={content_type.split('charset=')[-1]}" if content_type and "charset=" in content_type \
        else content_type
    _, text = html_to_unicode(header, body)
    return text


def document_from_html(html, url=None, content_type=None, hints=None):
    """Main text, title, publication date, site and language of an HTML page.

    Text inside <script>, <style> and attributes never reaches the document: trafilatura keeps
    the article's text nodes only. Raises DocumentError when no main text can be found.
    """
    hints = hints or {}
    check_html_size(html)
    text = decode_html(html, content_type)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # extensive_search off: a copyright year or a sidebar date is no publication date
        try:
            extracted = trafilatura.bare_extraction(text, url=url, with_metadata=True, include_comments=False,
                                                    include_tables=True, favor_recall=True,
                                                    date_extraction_params=PAGE_DATE_PARAMS)
        except (AssertionError, ValueError, TypeError, RecursionError) as e:
            # lxml asserts on some malformed trees ("<svg ...><html>"): a broken page, not a broken run
            raise DocumentError(f"could not parse the page: {type(e).__name__} {e}".strip()) from None
    if extracted is None or not (extracted.text or "").strip():
        raise DocumentError("no main text found in the page (empty, truncated or not an article)")
    title = clean_title(extracted.title or hints.get("title") or "")
    body = strip_repeated_title(extracted.text, title)
    published, source = None, None
    if extracted.date and parse_iso(extracted.date):
        published, source = extracted.date, "page"
    elif parse_iso(hints.get("published")):
        published, source = hints["published"][:10], "feed"
    elif date_from_url(url):
        published, source = date_from_url(url).isoformat(), "url"
    return {
        "title": title,
        "text": body,
        "published": published,
        "published_source": source,
        "site": extracted.sitename or extracted.hostname,
        "canonical_url": extracted.url,
        "language": detect_language(title + "\n" + body),
    }


def document_from_pdf(body, url=None, hints=None):
    from pipeline.pdf import PdfTooLarge, pdf_text

    hints = hints or {}
    try:
        text = pdf_text(body, max_pages=MAX_PDF_PAGES, max_chars=MAX_PDF_CHARS)
    except PdfTooLarge as e:
        raise OverBudget(str(e)) from None
    except Exception as e:  # a corrupt PDF is a recorded error, whatever pypdf raised
        raise DocumentError(f"unreadable PDF: {e}") from None
    text = unwrap_lines(re.sub(r"[ \t]+\n", "\n", text).strip())
    if not text:
        raise DocumentError("PDF has no extractable text (scanned image?)")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    title = hints.get("title") or (lines[0][:200] if lines else "")
    published = hints.get("published") if parse_iso(hints.get("published")) else None
    source = "feed" if published else None
    if not published and date_from_url(url):
        published, source = date_from_url(url).isoformat(), "url"
    return {
        "title": clean_title(title),
        "text": text,
        "published": published[:10] if published else None,
        "published_source": source,
        "site": None,
        "canonical_url": None,
        "language": detect_language(text),
    }


SENTENCE_END = re.compile(r"[.!?:;\u201d\"')\]]$")
BULLET = re.compile(r"^(?:[-•·▪◦*]|\d+[.)]|[a-z][.)])\s")


def unwrap_lines(text):
    """A PDF's text comes in printed lines: "...decide whether to\nblock the app" is one sentence.
    A line joins the next unless it ends a sentence or is short (a heading), or the next starts a
    bullet; "infor-\nmation" is one word again. Blank lines (paragraphs) stay."""
    out = []
    for paragraph in text.split("\n\n"):
        lines = [line.strip() for line in paragraph.split("\n") if line.strip()]
        joined = ""
        for line in lines:
            if not joined:
                joined = line
            elif joined.endswith("-") and line[:1].islower():
                joined = joined[:-1] + line
            elif BULLET.match(line) or SENTENCE_END.search(joined) or \
                    (len(joined.rsplit("\n", 1)[-1]) < 40 and not line[:1].islower()):
                joined += "\n" + line  # a sentence ends, a bullet starts, or a short line heads what follows
            else:
                joined += " " + line
        out.append(joined)
    return "\n\n".join(p for p in out if p)


def clean_title(title):
    title = re.sub(r"\s+", " ", title or "").strip()
    # "Headline | Site Name" / "Headline - Site": keep the headline
    parts = re.split(r"\s+[|–—]\s+", title)
    return parts[0] if len(parts) > 1 and len(parts[0]) > 15 else title


def strip_repeated_title(text, title):
    lines = text.split("\n")
    if title and lines and lines[0].strip() == title.strip():
        lines = lines[1:]
    return "\n".join(lines).strip()


def detect_language(text):
    """ISO 639-1 code. Most documents are English: a stopword check answers those without a model."""
    words = re.findall(r"[a-zA-Z]+", text[:3000].lower())
    if not words:
        return None
    english = sum(1 for w in words if w in ENGLISH_MARKERS)
    if len(words) >= 8 and english / len(words) >= 0.12:
        return "en"
    ranked = _language_identifier().rank(text[:3000])[:3]
    language, probability = ranked[0]
    # a short text heavy in names ("South Dakota Governor Larry Rhoden banned DeepSeek on February 5.") reads
    # as Nigerian Pidgin, or as nothing in particular: English unless another language is clearly likelier
    if language in ENGLISH_LEXIFIED or probability < 0.5 and any(code == "en" for code, _ in ranked):
        return "en"
    return language


ENGLISH_LEXIFIED = {"pcm"}  # Nigerian Pidgin: English words, and English news misread as it


@functools.lru_cache(maxsize=1)
def _language_identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
