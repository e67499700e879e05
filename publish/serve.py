"""`banwatch serve`: Datasette on kb.db, read-only, with metadata.yml and the banwatch plugin.

    serve_kb(data_dir, port=8001, host="127.0.0.1", allow_sql=True)

Safe by default: kb.db is opened immutable (Datasette -i: no writes, no locks), every query runs
under a time limit, every value a query builds is capped (publish.datasette_plugin.limits), and the
plugin adds no write path. A public deployment can turn arbitrary SQL off (`allow_sql=False`,
`banwatch serve --no-sql`): tables, facets, canned queries, feeds, the plugin's pages and exports
still work; the SQL editor and ?sql= answer 403. Datasette runs in this process under
uvicorn; Ctrl-C stops it cleanly. Port 0 picks a free port (the URL printed says which).

Datasette keeps its connections to the kb.db it opened, so restart `serve` after a build to
publish the new one.
"""
import asyncio
import socket
import sys
from pathlib import Path

from banwatch.db import kb_db_path, kb_db_problem, open_kb_readonly
from banwatch.errors import BanwatchError
from banwatch.utils import load_yaml

METADATA_PATH = Path(__file__).resolve().parent.parent / "metadata.yml"
SETTINGS = {
    # Canned queries and the plugin's pages take a few ms on the demo and < 200 ms at 100k documents;
    # a runaway SQL query from the browser is stopped after this.
    "sql_time_limit_ms": 2000,
    "facet_time_limit_ms": 400,
    "max_returned_rows": 1000,
    # Tables of 30 described columns render slowly in pages of 100 rows; 25 reads well (?_size= for more).
    "default_page_size": 25,
    # Suggesting facets runs a query per column and facet type on every table page: seconds at 100k
    # documents. The useful facets are configured in metadata.yml; any column can be faceted from its menu.
    "suggest_facets": False,
    # Analysts write their own SQL: read-only (immutable) and under the time limit above.
    "default_allow_sql": True,
}


class SharedMetadata(dict):
    """A metadata mapping that copy.deepcopy() shares instead of copying.

    Datasette 0.65.5 deep-copies the whole metadata on every table permission check, and a page
    makes dozens (one per table on the home page): with every kb.db column described that cost
    ~100 ms a page at 100k documents. Nothing writes to metadata once loaded, so the copies can share it.
    """

    def __deepcopy__(self, memo):
        return self


def load_metadata(path=None):
    """metadata.yml as a dict: the repository's file, or the same document generated when it is not there."""
    path = Path(path) if path else METADATA_PATH
    if path.exists():
        metadata = load_yaml(path, "metadata file")
    else:
        from publish.datasette_plugin.metadata import build_metadata

        metadata = build_metadata()
    databases = metadata.get("databases") or {}
    metadata["databases"] = {name: SharedMetadata(entry) for name, entry in databases.items()}
    return metadata


def check_kb(data_dir):
    """The path of data_dir/kb.db, after checking it is a sound kb.db; BanwatchError otherwise.

    Datasette opens kb.db immutable and would serve a file damaged mid-way until a page hit the
    damage: read every page first (quick_check, well under a second at 100k documents)."""
    open_kb_readonly(data_dir).close()
    path = kb_db_path(data_dir)
    problem = kb_db_problem(path)
    if problem:
        raise BanwatchError(f"{path} is damaged ({problem}): run `banwatch build --rebuild`")
    return path


def make_datasette(data_dir, metadata=None, settings=None, allow_sql=True):
    """The Datasette instance `serve` runs: kb.db immutable, metadata.yml, time limits (startup hooks run)."""
    from datasette.app import Datasette

    kb_path = check_kb(data_dir)
    datasette = Datasette(
        immutables=[str(kb_path)],
        metadata=metadata if metadata is not None else load_metadata(),
        settings={**SETTINGS, **({} if allow_sql else {"default_allow_sql": False}), **(settings or {})},
        cors=False,
    )
    asyncio.run(datasette.invoke_startup())
    return datasette


def listen(host, port):
    """A listening socket on host:port (port 0: any free port), or a clear error."""
    try:
        info = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(info[0], socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(info[4])
        sock.listen(128)
    except OSError as e:
        raise BanwatchError(f"cannot listen on {host}:{port}: {e.strerror or e} (try another --port)") from None
    sock.set_inheritable(True)
    return sock


def serve_kb(data_dir, port=8001, host="127.0.0.1", allow_sql=True):
    """Serve data_dir/kb.db with Datasette until Ctrl-C (allow_sql=False: no arbitrary SQL)."""
    import uvicorn

    datasette = make_datasette(data_dir, allow_sql=allow_sql)
    sock = listen(host, port)
    bound_port = sock.getsockname()[1]
    shown_host = f"[{host}]" if ":" in host else host
    url = f"http://{shown_host}:{bound_port}/"
    print(f"banwatch: serving {Path(data_dir) / 'kb.db'} read-only at {url}", flush=True)
    print(f"  timeline {url}-/timeline · map {url}-/map · network {url}-/graph · Ctrl-C to stop"
          + ("" if allow_sql else " · arbitrary SQL is off"), flush=True)
    config = uvicorn.Config(datasette.app(), log_level="warning", access_log=False, lifespan="on")
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        # uvicorn shuts down gracefully on Ctrl-C, then re-raises it: stopping is how serve ends.
        pass
    finally:
        sock.close()
    print("banwatch: stopped", file=sys.stderr, flush=True)
