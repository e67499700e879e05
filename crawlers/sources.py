"""Sources files (crawlers/sources.yml, banwatch/demo/sources.yml, ``--sources FILE``).

    defaults:
      refresh: 12h        # an unchanged page is not fetched again within this interval
      relevance: true     # apply the crawl-time relevance filter to links found in this source
    sources:
      - name: bing-news-deepseek
        kind: news_search # feed | news_search | gdelt | federal_register | sitemap | page | urls
        engine: bing      # news_search only: bing (default) | google (blocked by robots.txt when polite)
        query: 'DeepSeek (ban OR banned OR block OR prohibit OR restrict)'
        since: 2023-01-01
        refresh: 6h
        relevance: false
        follow: '/news/'  # page only: follow links whose URL matches this regular expression
        allow_private: false  # true: this source may reach the loopback/private hosts of its own url/urls;
                              # or a list of host[:port] it may reach besides (your own servers only)
        verified: false   # has `banwatch sources check` seen it answer? (informational)
        documentation: https://example.org/where-the-feed-is-documented
        description: what it is

Every problem with a file is a BanwatchError naming the file and the source, in one line.
"""
from __future__ import annotations

import dataclasses
import datetime
import re
from pathlib import Path
from urllib.parse import urlsplit

from banwatch.errors import BanwatchError
from banwatch.utils import is_http_url, load_yaml

DEFAULT_SOURCES_FILE = Path(__file__).with_name("sources.yml")
SOURCE_KINDS = ("feed", "news_search", "gdelt", "federal_register", "sitemap", "page", "urls")
NEWS_ENGINES = ("bing", "google")
DEFAULT_REFRESH = 12 * 3600
SOURCE_FIELDS = {"name", "kind", "query", "url", "urls", "since", "refresh", "relevance", "description", "engine",
                 "follow", "allow_private", "verified", "documentation"}
_NAME = re.compile(r"^[a-z0-9][a-z0-9._:-]*$")
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)\s*([smhd]?)$")
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclasses.dataclass(frozen=True)
class Source:
    name: str
    kind: str
    query: str | None = None
    url: str | None = None
    urls: tuple[str, ...] = ()
    since: datetime.date | None = None
    refresh: float = DEFAULT_REFRESH  # seconds
    relevance: bool = True
    description: str | None = None
    engine: str | None = None  # news_search: bing | google
    follow: str | None = None  # page: regular expression the followed links' URLs match
    allow_private: tuple[str, ...] = ()  # host[:port] it may reach even when private (crawlers/safety.py)
    verified: bool | None = None  # seen answering by `banwatch sources check` (informational)
    documentation: str | None = None  # where the source documents this feed/API

    def as_dict(self) -> dict:
        d = dataclasses.asdict(self)
        d["since"] = self.since.isoformat() if self.since else None
        d["urls"] = list(self.urls)
        return {k: v for k, v in d.items() if v not in (None, [], "")}

    def own_origins(self) -> tuple[str, ...]:
        """host:port of this source's own url/urls (what ``allow_private: true`` allows)."""
        return own_origins(self.url, self.urls)


def parse_duration(value, where: str = "refresh") -> float:
    """'12h' -> 43200.0; plain numbers are seconds."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
        return float(value)
    match = _DURATION.match(str(value).strip().lower())
    if not match:
        raise BanwatchError(f"{where}: {value!r} is not a duration like 30m, 12h or 2d")
    return float(match.group(1)) * _UNIT_SECONDS[match.group(2)]


def load_sources(path=None) -> tuple[dict, list[Source]]:
    """Read and validate a sources file: (defaults, sources)."""
    path = Path(path or DEFAULT_SOURCES_FILE)
    data = load_yaml(path, "sources file")
    if not isinstance(data, dict) or not isinstance(data.get("sources"), list):
        raise BanwatchError(f"{path}: expected a mapping with a 'sources:' list")
    defaults = parse_defaults(data.get("defaults") or {}, path)
    sources, seen = [], set()
    for i, entry in enumerate(data["sources"], 1):
        source = parse_source(entry, defaults, f"{path}: source #{i}")
        if source.name in seen:
            raise BanwatchError(f"{path}: source name {source.name!r} is used twice")
        seen.add(source.name)
        sources.append(source)
    return defaults, sources


def parse_defaults(raw, path) -> dict:
    if not isinstance(raw, dict):
        raise BanwatchError(f"{path}: 'defaults' must be a mapping")
    unknown = set(raw) - {"refresh", "relevance"}
    if unknown:
        raise BanwatchError(f"{path}: unknown field(s) in defaults: {', '.join(sorted(unknown))}")
    return {
        "refresh": parse_duration(raw.get("refresh", DEFAULT_REFRESH), f"{path}: defaults.refresh"),
        "relevance": _bool(raw.get("relevance", True), f"{path}: defaults.relevance"),
    }


def parse_source(entry, defaults: dict, where: str) -> Source:
    if not isinstance(entry, dict):
        raise BanwatchError(f"{where}: expected a mapping with name and kind")
    name = entry.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise BanwatchError(f"{where}: 'name' must be a lowercase slug like google-news-deepseek, got {name!r}")
    where = f"{where.rsplit(': ', 1)[0]}: source {name!r}"
    unknown = set(entry) - SOURCE_FIELDS
    if unknown:
        raise BanwatchError(
            f"{where}: unknown field(s) {', '.join(sorted(unknown))} (known: {', '.join(sorted(SOURCE_FIELDS))})"
        )
    kind = entry.get("kind")
    if kind not in SOURCE_KINDS:
        raise BanwatchError(f"{where}: kind must be one of {', '.join(SOURCE_KINDS)}, got {kind!r}")
    query, url = entry.get("query"), entry.get("url")
    urls = entry.get("urls") or []
    if query is not None and (not isinstance(query, str) or not query.strip()):
        raise BanwatchError(f"{where}: 'query' must be a non-empty string")
    if url is not None:
        _check_url(url, where)
    if not isinstance(urls, list):
        raise BanwatchError(f"{where}: 'urls' must be a list of URLs")
    for u in urls:
        _check_url(u, where)
    if kind in ("feed", "sitemap") and not url:
        raise BanwatchError(f"{where}: a {kind} source needs a 'url'")
    if kind in ("news_search", "gdelt", "federal_register") and not (query or url):
        raise BanwatchError(f"{where}: a {kind} source needs a 'query' (or a full 'url')")
    if kind == "urls" and not urls:
        raise BanwatchError(f"{where}: a urls source needs a non-empty 'urls' list")
    if kind == "page" and not url:
        raise BanwatchError(f"{where}: a page source needs a 'url' (the listing page)")
    engine = entry.get("engine")
    if engine is not None and (kind != "news_search" or engine not in NEWS_ENGINES):
        raise BanwatchError(f"{where}: 'engine' is for news_search sources, one of {', '.join(NEWS_ENGINES)}; "
                            f"got {engine!r}")
    follow = entry.get("follow")
    if follow is not None:
        try:
            re.compile(follow)
        except (re.error, TypeError) as e:
            raise BanwatchError(f"{where}: 'follow' is not a regular expression: {e}") from None
    documentation = entry.get("documentation")
    if documentation is not None:
        _check_url(documentation, f"{where}: documentation")
    verified = entry.get("verified")
    return Source(
        name=name,
        kind=kind,
        query=query.strip() if query else None,
        url=url,
        urls=tuple(urls),
        since=_date(entry.get("since"), where),
        refresh=parse_duration(entry.get("refresh", defaults["refresh"]), f"{where}: refresh"),
        relevance=_bool(entry.get("relevance", defaults["relevance"]), f"{where}: relevance"),
        description=entry.get("description"),
        engine=engine,
        follow=follow,
        allow_private=_allow_private(entry.get("allow_private", False), url, urls, where),
        verified=None if verified is None else _bool(verified, f"{where}: verified"),
        documentation=documentation,
    )


def adhoc_sources(feeds=(), urls=(), defaults=None) -> list[Source]:
    """Sources for ``--feed URL`` (one each) and ``--url URL`` (all in one)."""
    defaults = defaults or {"refresh": DEFAULT_REFRESH, "relevance": True}
    sources = []
    for url in feeds:
        _check_url(url, "--feed")
        sources.append(Source(name=f"feed:{url}", kind="feed", url=url, refresh=defaults["refresh"],
                              relevance=defaults["relevance"], description="--feed on the command line"))
    for url in urls:
        _check_url(url, "--url")
    if urls:
        # An explicit URL is always wanted: no relevance filter on it.
        sources.append(Source(name="cli-urls", kind="urls", urls=tuple(urls), refresh=defaults["refresh"],
                              relevance=False, description="--url on the command line"))
    return sources


def allowing_own_hosts(sources) -> list[Source]:
    """``--allow-private``: each source may also reach the (private) hosts of its own url/urls."""
    return [dataclasses.replace(s, allow_private=tuple(dict.fromkeys(s.allow_private + s.own_origins())))
            for s in sources]


def select_sources(sources: list[Source], names, path) -> list[Source]:
    """The sources named by ``--source NAME`` (all when no name is given)."""
    if not names:
        return list(sources)
    by_name = {s.name: s for s in sources}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        known = ", ".join(sorted(by_name)) or "none"
        raise BanwatchError(f"unknown source {unknown[0]!r} in {path}; known sources: {known}")
    return [by_name[n] for n in dict.fromkeys(names)]


def _check_url(url, where):
    if not isinstance(url, str) or not is_http_url(url):
        raise BanwatchError(f"{where}: not an http(s) URL: {url!r}")


def origin_of(url: str) -> str:
    """'host:port' of an http(s) URL (the scheme's default port when none is written)."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    return f"{(parts.hostname or '').lower().rstrip('.')}:{port}"


def own_origins(url, urls) -> tuple[str, ...]:
    """host:port of a source's url and urls, each once, in order."""
    return tuple(dict.fromkeys(origin_of(u) for u in (url, *urls) if u))


def _allow_private(value, url, urls, where) -> tuple[str, ...]:
    if value is False:
        return ()
    own = own_origins(url, urls)
    if value is True:
        return own
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise BanwatchError(f"{where}: 'allow_private' must be true, false or a list of host[:port]")
    return tuple(dict.fromkeys([*own, *(v.strip().lower().rstrip(".") for v in value)]))


def _bool(value, where):
    if not isinstance(value, bool):
        raise BanwatchError(f"{where}: expected true or false, got {value!r}")
    return value


def _date(value, where):
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise BanwatchError(f"{where}: 'since' must be a date like 2023-01-01, got {value!r}") from None
