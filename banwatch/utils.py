"""Small helpers more than one stage needs, each with one home here."""
import datetime
from urllib.parse import urlsplit

import yaml

from banwatch.errors import BanwatchError

# libyaml's loader parses large files several times faster than the pure-Python one when present.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def utcnow():
    """Now, as the ISO 8601 UTC timestamp every store uses: 2025-01-31T14:03:22Z."""
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_timestamp(value):
    """A timestamp of utcnow()'s form as an aware datetime."""
    return datetime.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)


def load_yaml(path, what="file"):
    """Parse a YAML file; a missing, unreadable or invalid file is one BanwatchError naming it."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BanwatchError(f"{what} {path} does not exist") from None
    except UnicodeDecodeError as e:
        raise BanwatchError(f"{path}: not UTF-8 text ({e.reason} at byte {e.start})") from None
    except OSError as e:
        raise BanwatchError(f"cannot read {what} {path}: {e.strerror or e}") from None
    try:
        return yaml.load(text, Loader=SafeLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise BanwatchError(f"{path}: not valid YAML{where}: {getattr(e, 'problem', None) or e}") from None
    except RecursionError:
        raise BanwatchError(f"{path}: YAML nested too deeply (a recursive alias?)") from None


def is_http_url(url):
    """Whether `url` is an absolute http(s) URL with a host: the only kind banwatch fetches or links."""
    if not isinstance(url, str):
        return False
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def looks_like_pdf(body):
    """A PDF by its magic bytes (servers often send PDFs as application/octet-stream)."""
    return body[:1024].lstrip().startswith(b"%PDF-")


def summary_line(step, stats):
    """`step: key value, ...`: the one line a command prints of a stage's stats (nested values left out)."""
    if not stats:
        return f"{step}: done"
    shown = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in stats.items() if not isinstance(v, (dict, list)))
    return f"{step}: {shown}"
