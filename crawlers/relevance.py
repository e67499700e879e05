"""The cheap crawl-time relevance filter: is a link worth fetching?

Broad sources (agency newsroom feeds, news sitemaps, search results) list far more than AI bans.
A link is followed when its title, summary or URL slug

- names an AI tool (DeepSeek, ChatGPT, Copilot... from banwatch/reference/tools.yml), or
- is headed by an AI term (the story under an AI headline may state a measure its headline leaves out), or
- has no headline of its own (an RSS item may carry only a description; readers show its opening as the
  title) and a summary too short to judge (a press-wire dateline), or one that names AI, or
- pairs an AI term ("AI", "chatbot", "intelligenza artificiale"...) or a tool whose name is also an
  ordinary word (``needs_context`` in the reference: Grok, Claude, Gemini, Manus, Pi) with a measure
  word: the measure words of extraction itself (banwatch/lexicon.jsonl, group "trigger": ban,
  block, restrict, pause, lift, "able to use", probe, inquiry, warn...) plus the other languages'
  words of relevance.yml (vieta, 금지...).

A measure word alone is not enough: every agency feed "bans" or "restricts" something. A skipped
link never reaches the knowledge base, so the filter leans to fetching: it reads like the extractor,
and `banwatch eval --site` measures its recall. Links skipped are counted in the crawl stats.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from banwatch import lexicon
from banwatch.reference import load_reference
from banwatch.utils import load_yaml

WORDS_FILE = Path(__file__).with_name("relevance.yml")
THIN_SUMMARY_WORDS = 25  # a headless item's summary shorter than this says too little to skip it on


class RelevanceFilter:
    def __init__(self, tools, ai_terms, measure_words, case_sensitive=(), context_tools=()):
        self.tools = _pattern(tools)
        self.ai_terms = _pattern(ai_terms)
        # tools named like ordinary words ("Gemini season") count as AI only beside a measure word
        self.context_tools = _pattern(context_tools)
        self.ai_terms_exact = _pattern(case_sensitive, ignore_case=False)
        self.measures = _pattern(measure_words)

    def is_relevant(self, title: str | None = None, summary: str | None = None, url: str | None = None) -> bool:
        text = " \n ".join(filter(None, [title, summary, url_words(url) if url else None]))
        if not text:
            return False
        if self.tools and self.tools.search(text):
            return True
        if title and self.names_ai(title):
            return True  # a headline about AI: the story may state a measure its headline leaves out
        if summary and is_headless(title, summary) and (
                len(summary.split()) < THIN_SUMMARY_WORDS or self.names_ai(summary)):
            return True  # no headline to judge: the summary stands in for it, and a few words cannot justify a skip
        names_ai = self.names_ai(text) or bool(self.context_tools and self.context_tools.search(text))
        return names_ai and bool(self.measures and self.measures.search(text))

    def names_ai(self, text: str) -> bool:
        return bool((self.ai_terms and self.ai_terms.search(text))
                    or (self.ai_terms_exact and self.ai_terms_exact.search(text)))


def is_headless(title: str | None, summary: str) -> bool:
    """True when a listed item has no headline of its own: none, or the opening of its summary."""
    title, summary = " ".join((title or "").split()), " ".join(summary.split())
    return not title or summary.startswith(title.rstrip(".…").rstrip())


def url_words(url: str) -> str:
    """'https://x.org/2025/01/nasa-bans-deepseek.html' -> 'x org 2025 01 nasa bans deepseek html'."""
    parts = urlsplit(url)
    return re.sub(r"[\W_]+", " ", unquote(f"{parts.netloc} {parts.path} {parts.query}")).strip()


@functools.lru_cache(maxsize=1)
def default_filter() -> RelevanceFilter:
    words = load_yaml(WORDS_FILE, "relevance words")
    tools, context_tools = reference_tool_names()
    return RelevanceFilter(
        tools=tools,
        ai_terms=words["ai_terms"],
        context_tools=context_tools,
        measure_words=[*words["measure_words"], *lexicon.phrases("trigger")],
        case_sensitive=words.get("case_sensitive", ()),
    )


def reference_tool_names() -> tuple[list[str], list[str]]:
    """(tool names, names that count only beside a measure word: tools named like ordinary words, and
    the vendors of AI tools) from the reference data."""
    reference = load_reference()
    tools, context_tools = [], []
    # the companies that make AI tools: "Italy fines OpenAI" needs a measure word, as an AI term does
    context_tools += [n for vendor in reference.vendors.values() for n in reference.names(vendor) if len(n) >= 3]
    for entry in reference.tools.values():
        for name in reference.names(entry):
            if len(name) >= 3:
                (context_tools if reference.requires_context(entry, name) else tools).append(name)
    return tools, context_tools


def _pattern(terms, ignore_case=True):
    """One regex for a list of terms; a trailing * matches a word ending. Latin-script terms must
    stand as whole words; CJK/Hangul terms match anywhere (those scripts have no spaces)."""
    alternatives = []
    for term in sorted({t.strip() for t in terms if t and t.strip()}, key=len, reverse=True):
        stem, wildcard = (term[:-1], True) if term.endswith("*") else (term, False)
        body = r"[\s\-]+".join(re.escape(w) for w in stem.split())
        if wildcard:
            body += r"\w*"
        if re.search(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]", stem):
            alternatives.append(body)
        else:
            alternatives.append(rf"(?<!\w){body}(?!\w)")
    if not alternatives:
        return None
    return re.compile("|".join(alternatives), re.IGNORECASE if ignore_case else 0)
