"""Sources files, source selection, URL canonicalisation and the crawl-time relevance filter."""
import datetime

import pytest
from scrapy.http import HtmlResponse, Request

from banwatch.errors import BanwatchError
from crawlers import relevance
from crawlers.runner import choose_sources, group_by_kind
from crawlers.sources import (
    DEFAULT_SOURCES_FILE,
    SOURCE_KINDS,
    load_sources,
    parse_duration,
)
from crawlers.urls import canonical_url, rel_canonical, strip_tracking


def write(tmp_path, text):
    path = tmp_path / "sources.yml"
    path.write_text(text)
    return path


def test_the_default_sources_file_is_valid_and_covers_every_kind():
    defaults, sources = load_sources(DEFAULT_SOURCES_FILE)
    assert defaults == {"refresh": 12 * 3600.0, "relevance": True}
    assert {s.kind for s in sources} == set(SOURCE_KINDS)
    queries = " ".join(s.query or s.url or "" for s in sources if s.kind == "news_search")
    for tool in ("DeepSeek", "ChatGPT", "Copilot", "Grok", "Gemini", "Claude", "Meta AI", "Manus", "Qwen"):
        assert tool in queries, tool


def test_fields_defaults_and_overrides(tmp_path):
    path = write(tmp_path, """
defaults: {refresh: 2h, relevance: false}
sources:
  - {name: fr, kind: federal_register, query: DeepSeek, since: 2025-01-01}
  - {name: feed-a, kind: feed, url: 'https://example.gov/rss', refresh: 30m, relevance: true}
""")
    defaults, (fr, feed) = load_sources(path)
    assert fr.refresh == 7200 and fr.relevance is False and fr.since == datetime.date(2025, 1, 1)
    assert feed.refresh == 1800 and feed.relevance is True


@pytest.mark.parametrize("text, message", [
    ("sources: [", "not valid YAML at line"),
    ("- just a list", "expected a mapping with a 'sources:' list"),
    ("sources:\n  - {name: a, kind: rss, url: 'https://x.org/'}", "kind must be one of"),
    ("sources:\n  - {name: a, kind: feed}", "a feed source needs a 'url'"),
    ("sources:\n  - {name: a, kind: gdelt}", "needs a 'query'"),
    ("sources:\n  - {name: a, kind: urls, urls: []}", "non-empty 'urls' list"),
    ("sources:\n  - {name: a, kind: feed, url: 'ftp://x.org/f'}", "not an http(s) URL"),
    ("sources:\n  - {name: a, kind: feed, url: 'https://x.org/', qurey: x}", "unknown field(s) qurey"),
    ("sources:\n  - {name: A B, kind: feed, url: 'https://x.org/'}", "lowercase slug"),
    ("sources:\n  - {name: a, kind: feed, url: 'https://x.org/', refresh: soon}", "not a duration"),
    ("sources:\n  - {name: a, kind: feed, url: 'https://x.org/', since: last week}", "'since' must be a date"),
    ("sources:\n  - {name: a, kind: feed, url: 'https://x.org/'}\n  - {name: a, kind: feed, url: 'https://y.org/'}",
     "is used twice"),
    ("sources:\n  - {name: a, kind: feed, url: 'https://x.org/', engine: bing}", "'engine' is for news_search"),
    ("sources:\n  - {name: a, kind: news_search, query: x, engine: yahoo}", "one of bing, google"),
    ("sources:\n  - {name: a, kind: page}", "a page source needs a 'url'"),
    ("sources:\n  - {name: a, kind: page, url: 'https://x.org/', follow: '(unclosed'}", "not a regular expression"),
    ("sources:\n  - {name: a, kind: feed, url: 'https://x.org/', documentation: 'file:///x'}", "not an http(s) URL"),
    ("sources:\n  - {name: a, kind: feed, url: 'https://x.org/', allow_private: yes please}", "must be true, false or a list"),
    ("sources:\n  - {name: a, kind: feed, url: 'https://x.org/', verified: maybe}", "expected true or false"),
])
def test_bad_sources_files_give_one_clear_line(tmp_path, text, message):
    with pytest.raises(BanwatchError) as excinfo:
        load_sources(write(tmp_path, text))
    assert message in str(excinfo.value)
    assert "\n" not in str(excinfo.value)


def test_durations():
    assert parse_duration("12h") == 43200 and parse_duration("30m") == 1800
    assert parse_duration("2d") == 172800 and parse_duration(90) == 90 and parse_duration("0s") == 0


def test_choosing_sources(tmp_path):
    path = write(tmp_path, """
sources:
  - {name: a, kind: feed, url: 'https://x.org/rss'}
  - {name: b, kind: urls, urls: ['https://x.org/page']}
""")
    # --feed alone: instead of the configured sources (no accidental live crawl)
    chosen = choose_sources(feeds=["http://127.0.0.1:9/feed.xml"])
    assert [s.name for s in chosen] == ["feed:http://127.0.0.1:9/feed.xml"]
    # --feed with --sources: in addition to them
    assert [s.name for s in choose_sources(sources_file=path, feeds=["https://y.org/rss"])] == [
        "a", "b", "feed:https://y.org/rss"]
    # --only with --sources: the file only lends its defaults
    assert [s.kind for s in choose_sources(sources_file=path, urls=["https://y.org/p"], only=True)] == ["urls"]
    assert [s.name for s in choose_sources(["b"], sources_file=path)] == ["b"]
    with pytest.raises(BanwatchError, match="unknown source 'c' .* known sources: a, b"):
        choose_sources(["c"], sources_file=path)
    with pytest.raises(BanwatchError, match="--only needs"):
        choose_sources(only=True)
    with pytest.raises(BanwatchError, match="not an http"):
        choose_sources(urls=["www.example.org/no-scheme"])
    kinds = [spider.kind for spider, _ in group_by_kind(choose_sources(sources_file=path))]
    assert kinds == ["feed", "urls"]


def test_tracking_parameters_are_stripped_and_the_rest_kept():
    url = "https://news.example.org/a?id=7&utm_source=rss&utm_medium=feed&fbclid=abc&page=2#comments"
    assert strip_tracking(url) == "https://news.example.org/a?id=7&page=2"
    api = "https://api.example.gov/docs.json?fields[]=title&fields[]=abstract&gclid=z"
    assert strip_tracking(api) == "https://api.example.gov/docs.json?fields[]=title&fields[]=abstract"
    assert strip_tracking("https://x.org/plain") == "https://x.org/plain"


def html_response(url, head):
    body = f"<html><head>{head}</head><body><p>text</p></body></html>".encode()
    return HtmlResponse(url=url, body=body, headers={"Content-Type": "text/html"}, request=Request(url))


def test_rel_canonical_decides_the_page_key():
    response = html_response("https://m.example.org/amp/story-1?utm_campaign=x",
                             '<link rel="canonical" href="/2025/01/31/story-1?utm_source=share">')
    assert canonical_url(response) == "https://m.example.org/2025/01/31/story-1"
    # A canonical pointing at the front page from an article is a template bug: ignored.
    broken = html_response("https://m.example.org/2025/story-2", '<link rel="canonical" href="https://m.example.org/">')
    assert rel_canonical(broken) is None
    assert canonical_url(broken) == "https://m.example.org/2025/story-2"
    assert canonical_url(html_response("https://m.example.org/x?utm_term=y", "")) == "https://m.example.org/x"


@pytest.fixture
def relevant():
    return relevance.default_filter().is_relevant


@pytest.mark.parametrize("title, summary, url", [
    ("NASA bars staff from using DeepSeek", None, None),
    ("Lawmakers move to ban Chinese AI app on government devices", None, None),
    (None, None, "https://news.example.org/2025/02/australia-deepseek-government-devices"),
    ("Il Garante blocca il chatbot cinese", "intelligenza artificiale e dati personali", None),
    ("Südkorea sperrt KI-App auf Dienstrechnern", None, None),
    ("개인정보위, 딥시크 신규 다운로드 중단 인공지능", None, None),
    ("Copilot blocked on House computers", None, None),
    # the kinds of titles the filter skipped before it read like the extractor (written here)
    ("House staff cleared to use Microsoft Copilot soon", None, None),  # a lift
    ("Grok back in Indonesia after weeks offline", None, None),
    ("Regulator normalizes Grok access", None, None),
    ("Paris moves against Grok", None, None),  # a probe
    ("Rome accuses Meta over its WhatsApp AI and demands explanations", None, None),
    ("Ministry blocks Clothoff", "The nudify app generated fake images", None),  # a tool outside the reference
    ("Italy fines OpenAI", None, None),  # a vendor of AI tools with a measure word
    ("AI tools", "Artificial intelligence tools for students", None),  # an AI headline: a measure may be inside
    # no headline of its own (none, or the summary's opening): a few words of summary cannot justify a skip
    (None, "12/03/2025 | Press release | Distributed on 12/03/2025", None),
    ("12/03/2025 | Press release", "12/03/2025 | Press release | Distributed on 12/03/2025", None),
    (None, "The commissioner opened an inquiry into how the chatbot answered children's questions about "
           "medicines, and said the findings would be published once the company had replied to the office", None),
])
def test_relevant_links_are_followed(relevant, title, summary, url):
    assert relevant(title, summary, url)


@pytest.mark.parametrize("title, summary, url", [
    ("Lane closures planned on the interstate this weekend", "Crews will resurface the road", None),
    ("Governor bans fireworks sales in drought counties", "A burn ban takes effect", None),
    ("Cup final ends in penalties", None, "https://sports.example.com/2025/01/30/cup-final"),
    ("Ai margini della città, il mercato riapre", None, None),  # Italian "ai" is not AI
    ("Gemini season: what the stars say", None, None),  # a tool named like an ordinary word, no measure
    ("Pi day celebrations at the school", None, None),
    ("Weekend weather", None, "https://news.example.com/2025/01/30/weekend-weather-outlook"),
    (None, None, None),
    # a headless item is judged by its summary when the summary is long enough to say what it is about
    (None, "Crews will resurface the interstate between exits 4 and 9 over the weekend, and drivers should "
           "expect delays on both carriageways until Monday morning when the lanes reopen to traffic", None),
])
def test_irrelevant_links_are_skipped(relevant, title, summary, url):
    assert not relevant(title, summary, url)
