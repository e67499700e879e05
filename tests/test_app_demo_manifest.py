"""The bundled demo archive (banwatch/demo/) is well-formed: the manifest matches the pages it
describes, every page is reachable from a seed of banwatch/demo/sources.yml, events use the fixed
vocabularies, and the hard cases the end-to-end test relies on are really there."""
import datetime
import html
import importlib.util
import json
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest
import yaml
from pypdf import PdfReader
from pypdf.errors import PdfReadError, PdfStreamError

DEMO = Path(__file__).resolve().parents[1] / "banwatch" / "demo"

KINDS = {"article", "press_release", "notice", "pdf", "feed", "sitemap", "api"}
DOCUMENT_KINDS = {"article", "press_release", "notice", "pdf"}
# The contract's hard cases, plus five the demo also marks (documented in banwatch/demo/README.md).
HARD_CASES = {"multi_event", "proposed", "lift", "relative_date", "date_disagreement", "non_english",
              "script_injection", "truncated", "non_utf8", "pdf", "broken",
              "duplicate_url", "no_event", "irrelevant", "redirect", "before_since"}
ACTIONS = {"ban", "restrict", "suspend", "lift", "investigate", "warn"}
STAGES = {"enacted", "proposed"}
REASONS = {"national_security", "data_privacy", "data_sovereignty", "cybersecurity", "confidentiality",
           "disinformation_censorship", "harmful_content", "legal_compliance", "unvetted", "other"}
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def iso(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


@pytest.fixture(scope="module")
def manifest():
    return yaml.safe_load((DEMO / "manifest.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def by_url(manifest):
    return {r["url"]: r for r in manifest}


def body_of(record):
    return (DEMO / record["file"]).read_bytes()


def charset_of(record):
    m = re.search(r"charset=([\w-]+)", record["content_type"])
    return m.group(1) if m else "utf-8"


def documents(manifest):
    return [r for r in manifest if r["kind"] in DOCUMENT_KINDS and not r.get("duplicate_of") and not r.get("redirect_to")]


class HeadLinks(HTMLParser):
    """rel=canonical and og:url of a page; <title> is read as browsers do (raw text up to </title>),
    which html.parser does not do for markup inside it."""

    def __init__(self):
        super().__init__()
        self.canonical = self.og_url = None
        self.title = ""

    def feed(self, data):
        m = re.search(r"<title>(.*?)</title>", data, re.S | re.I)
        self.title = m.group(1) if m else ""
        super().feed(data)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and a.get("rel") == "canonical":
            self.canonical = a.get("href")
        if tag == "meta" and a.get("property") == "og:url":
            self.og_url = a.get("content")


def test_records_have_the_contract_shape(manifest):
    assert len(manifest) >= 60
    for r in manifest:
        assert r["kind"] in KINDS, r["url"]
        assert r["url"].startswith(("http://", "https://")), r["url"]
        assert r["title"] and r["notes"], r["url"]
        assert isinstance(r["events"], list) and isinstance(r["hard_cases"], list), r["url"]
        assert set(r["hard_cases"]) <= HARD_CASES, (r["url"], r["hard_cases"])
        assert r["published"] is None or isinstance(r["published"], datetime.date), r["url"]
        assert "redirect_to" in r or (DEMO / r["file"]).is_file(), r["url"]


def test_urls_are_unique(manifest):
    urls = [r["url"] for r in manifest]
    assert len(urls) == len(set(urls))


def test_enough_pages_about_enough_real_measures(manifest):
    docs = documents(manifest)
    assert len(docs) >= 45
    measures = {e["event_id"] for r in docs for e in r["events"]}
    assert len(measures) >= 28
    # every required measure of the brief is there
    for required in ["nasa-deepseek-2025", "navy-deepseek-2025", "house-cao-deepseek-2025", "disa-deepseek-2025",
                     "texas-deepseek-2025", "virginia-deepseek-2025", "newyork-deepseek-2025", "garante-deepseek-2025",
                     "garante-chatgpt-2023", "garante-chatgpt-lift-2023", "moda-deepseek-2025", "pipc-deepseek-2025",
                     "pipc-deepseek-lift-2025", "australia-deepseek-2025", "house-copilot-2024", "spaceforce-genai-2023",
                     "samsung-genai-2023", "no-deepseek-act-2025"]:
        assert required in measures, required


def test_events_use_the_fixed_vocabularies(manifest):
    for r in manifest:
        for e in r["events"]:
            where = (r["url"], e["event_id"])
            assert e["action"] in ACTIONS, where
            assert e["stage"] in STAGES, where
            assert set(e["reasons"]) <= REASONS, where
            assert e["agency"] and all(isinstance(a, str) and a for a in e["agency"]), where
            assert e["tool"] and all(isinstance(t, str) and t for t in e["tool"]), where
            assert isinstance(e["country"], str) and e["country"], where
            assert DATE_RE.match(str(iso(e["date"]))), where
            if "date_as_stated" in e:
                assert "date_disagreement" in r["hard_cases"], where


def test_one_event_id_is_one_curated_measure(manifest):
    """Pages may differ in the reasons they give, never in who did what to which tool, when."""
    seen = {}
    for r in manifest:
        for e in r["events"]:
            key = (tuple(e["agency"]), e["country"], tuple(e["tool"]), e["action"], e["stage"], iso(e["date"]))
            assert seen.setdefault(e["event_id"], key) == key, (r["url"], e["event_id"])


def test_html_pages_declare_their_url_and_date(manifest):
    for r in manifest:
        if r.get("redirect_to") or not r["file"].endswith(".html"):
            continue
        text = body_of(r).decode(charset_of(r))
        head = HeadLinks()
        head.feed(text)
        expected = r.get("duplicate_of") or r["url"]
        assert head.canonical == expected, r["url"]
        if r.get("status"):  # the 404 page
            continue
        assert head.og_url in (None, expected), r["url"]  # plain government pages carry no OpenGraph
        if r["published"]:
            assert iso(r["published"]) in text, r["url"]  # JSON-LD, article:published_time or a <time>
        if "script_injection" not in r["hard_cases"]:
            assert html.unescape(head.title).startswith(r["title"][:40]), r["url"]


def test_declared_charsets_are_the_real_encodings(manifest):
    non_utf8 = [r for r in manifest if "non_utf8" in r["hard_cases"]]
    assert non_utf8
    for r in non_utf8:
        data = body_of(r)
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")
        text = data.decode(charset_of(r))
        assert f'charset="{charset_of(r)}"' in text
        assert "€" in text and "“" in text and "à" in text
    for r in manifest:
        if r.get("file") and r["file"].endswith((".html", ".rss", ".atom", ".xml", ".json")):
            body_of(r).decode(charset_of(r))  # must not raise


def test_the_hard_cases_are_all_present(manifest):
    cases = defaultdict(list)
    for r in manifest:
        for c in r["hard_cases"]:
            cases[c].append(r)
    assert HARD_CASES <= set(cases), HARD_CASES - set(cases)
    assert any(e["action"] == "lift" for r in cases["lift"] for e in r["events"])
    assert all(any(e["stage"] == "proposed" for e in r["events"]) for r in cases["proposed"])
    assert all(r["language"] != "en" for r in cases["non_english"])
    assert all(not r["events"] for r in cases["no_event"] + cases["irrelevant"] + cases["broken"])
    assert any(r["kind"] == "pdf" and r["expect_error"] for r in cases["broken"])
    assert any(r.get("status") == 404 for r in cases["broken"])


def test_script_injection_is_in_title_and_body(manifest):
    (r,) = [r for r in manifest if "script_injection" in r["hard_cases"]]
    text = body_of(r).decode("utf-8")
    head = HeadLinks()
    head.feed(text)
    for needle in ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>"):
        assert needle in head.title and needle in r["title"]
        assert text.count(needle) >= 2  # the <title> and the injected ad in the body


def test_truncated_page_ends_mid_tag_and_is_cut_in_transfer(manifest):
    (r,) = [r for r in manifest if "truncated" in r["hard_cases"]]
    assert r["truncate_transfer"] is True and r["expect_error"] is True
    text = body_of(r).decode("utf-8")
    assert text.rfind("<") > text.rfind(">")  # the file stops inside a tag
    assert "</html>" not in text


def test_duplicate_and_redirect_point_at_real_records(manifest, by_url):
    dups = [r for r in manifest if r.get("duplicate_of")]
    assert dups
    for r in dups:
        assert "utm_source=" in r["url"] and by_url[r["duplicate_of"]]["file"] == r["file"]
    redirects = [r for r in manifest if r.get("redirect_to")]
    assert redirects
    for r in redirects:
        assert r["status"] == 301 and r["redirect_to"] in by_url and "file" not in r


def _reachable(manifest, by_url):
    """Every URL a crawl starting from banwatch/demo/sources.yml can reach, following feeds, the
    sitemap, the API's html_url/pdf_url and redirects (and nothing else)."""
    sources = yaml.safe_load((DEMO / "sources.yml").read_text(encoding="utf-8"))
    assert {s["kind"] for s in sources["sources"]} == {"feed", "sitemap", "federal_register", "urls"}
    found = set()
    for s in sources["sources"]:
        if s["kind"] == "urls":
            found.update(s["urls"])
            continue
        seed = by_url[s["url"]]  # every seed is itself served by the archive
        body = body_of(seed)
        if s["kind"] == "feed":
            parsed = feedparser.parse(body)
            assert not parsed.bozo, s["url"]
            found.update(entry.link for entry in parsed.entries)
        elif s["kind"] == "sitemap":
            ns = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
            found.update(loc.text for loc in ET.fromstring(body).iterfind("sm:url/sm:loc", ns))
        elif s["kind"] == "federal_register":
            for doc in json.loads(body)["results"]:
                found.update([doc["html_url"], doc["pdf_url"]])
    for url in list(found):
        if url in by_url and by_url[url].get("redirect_to"):
            found.add(by_url[url]["redirect_to"])
    return found


def test_every_page_is_reachable_from_a_seed(manifest, by_url):
    reachable = _reachable(manifest, by_url)
    missing = [r["url"] for r in manifest if r["kind"] in DOCUMENT_KINDS and r["url"] not in reachable]
    assert not missing
    assert reachable <= set(by_url), reachable - set(by_url)  # no seed links outside the archive


def test_before_since_pages_are_only_in_the_sitemap_and_older_than_since(manifest):
    sources = yaml.safe_load((DEMO / "sources.yml").read_text(encoding="utf-8"))
    (sitemap,) = [s for s in sources["sources"] if s["kind"] == "sitemap"]
    old = [r for r in manifest if "before_since" in r["hard_cases"]]
    assert old
    for r in old:
        assert r["published"] < sitemap["since"] and not r["events"]


def test_feeds_carry_off_topic_entries_to_filter(manifest, by_url):
    for feed in (r for r in manifest if r["kind"] == "feed"):
        links = [e.link for e in feedparser.parse(body_of(feed)).entries]
        assert any("irrelevant" in by_url[link]["hard_cases"] for link in links), feed["url"]


def test_federal_register_response_has_the_api_shape(manifest, by_url):
    (api,) = [r for r in manifest if r["kind"] == "api"]
    payload = json.loads(body_of(api))
    assert payload["count"] == len(payload["results"]) >= 1
    for doc in payload["results"]:
        assert {"title", "type", "abstract", "document_number", "html_url", "pdf_url", "publication_date", "agencies"} <= set(doc)
        page = by_url[doc["html_url"]]
        assert iso(page["published"]) == doc["publication_date"]
        assert doc["document_number"] in doc["html_url"] and doc["document_number"] in body_of(page).decode()


def test_pdfs_have_text_or_fail_as_declared(manifest):
    pdfs = [r for r in manifest if r["kind"] == "pdf"]
    assert len([r for r in pdfs if not r["expect_error"]]) >= 2
    for r in pdfs:
        data = body_of(r)
        assert data.startswith(b"%PDF-")
        if r["expect_error"]:
            with pytest.raises((PdfReadError, PdfStreamError, ValueError)):
                reader = PdfReader(DEMO / r["file"])
                "".join(page.extract_text() for page in reader.pages)
        else:
            text = "".join(page.extract_text() for page in PdfReader(DEMO / r["file"]).pages)
            assert "banwatch demo" in text and len(text) > 500, r["url"]


def test_committed_pdfs_are_what_make_pdfs_writes():
    spec = importlib.util.spec_from_file_location("make_pdfs", DEMO / "make_pdfs.py")
    make_pdfs = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_pdfs)
    for name, (title, paragraphs) in make_pdfs.DOCUMENTS.items():
        assert (DEMO / "pages" / name).read_bytes() == make_pdfs.build_pdf(title, paragraphs), name
    assert (DEMO / "pages" / "demo-texas-prohibited-technologies-corrupt.pdf").read_bytes() == make_pdfs.corrupt_pdf()
