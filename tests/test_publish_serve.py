"""`banwatch serve`: read-only, time-limited Datasette on kb.db; clear errors; starts and stops cleanly."""
import asyncio
import json
import signal
import socket
import subprocess
import sys

import httpx
import pytest

from banwatch.errors import BanwatchError
from publish.serve import SETTINGS, listen, make_datasette, serve_kb
from tests.support.browser import ROOT, get, running_server
from tests.support.cli import run_banwatch


@pytest.fixture(scope="module")
def data(sample_kb):
    return sample_kb


def test_missing_kb_is_one_clear_error(tmp_path):
    with pytest.raises(BanwatchError, match=r"no kb.db in .*: run `banwatch build`"):
        serve_kb(tmp_path)
    result = run_banwatch("serve", "--data-dir", tmp_path, in_process=True, check=False)
    assert result.returncode == 1 and result.stderr.startswith("Error: no kb.db in") and "Traceback" not in result.stderr


def test_a_file_that_is_not_a_kb_is_refused(tmp_path):
    (tmp_path / "kb.db").write_text("hello")
    with pytest.raises(BanwatchError, match="is not a banwatch kb.db"):
        make_datasette(tmp_path)


def test_a_kb_db_damaged_mid_file_is_refused(sample_kb, tmp_path):
    import shutil

    shutil.copy(sample_kb / "kb.db", tmp_path / "kb.db")
    raw = bytearray((tmp_path / "kb.db").read_bytes())
    page = 4096
    middle = (len(raw) // page // 2) * page
    raw[middle:middle + 2 * page] = b"\x00\xff" * page  # two b-tree pages wiped, the header intact
    (tmp_path / "kb.db").write_bytes(bytes(raw))
    with pytest.raises(BanwatchError, match=r"is damaged .*run `banwatch build --rebuild`"):
        make_datasette(tmp_path)


def test_a_busy_port_is_one_clear_error():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        with pytest.raises(BanwatchError, match=f"cannot listen on 127.0.0.1:{port}"):
            listen("127.0.0.1", port)


def test_datasette_is_immutable_time_limited_and_refuses_writes(data):
    datasette = make_datasette(data)
    database = datasette.get_database("kb")
    assert database.is_mutable is False
    assert datasette.setting("sql_time_limit_ms") == SETTINGS["sql_time_limit_ms"] == 2000
    response = get(datasette, "/kb.json?sql=delete+from+events")
    assert response.status_code == 400 and "Statement must be a SELECT" in response.text
    rows = json.loads(get(datasette, "/kb.json?sql=select+count(*)+as+n+from+events&_shape=array").text)
    assert rows == [{"n": 13}]  # twelve published, one that needs review: all in kb.db


def test_a_runaway_query_is_stopped(data):
    datasette = make_datasette(data, settings={"sql_time_limit_ms": 100})
    sql = "with recursive n(i) as (select 1 union all select i + 1 from n) select count(*) from n"
    response = asyncio.run(datasette.client.get("/kb.json", params={"sql": sql}))
    assert response.status_code == 400 and "SQL query took too long" in response.text


def test_serve_prints_its_url_serves_and_stops_on_ctrl_c(data):
    with running_server(data) as url:
        home = httpx.get(url + "/", timeout=10)
        assert home.status_code == 200 and "banwatch" in home.text
        assert httpx.get(url + "/-/timeline", timeout=10).status_code == 200
        versions = httpx.get(url + "/-/settings.json", timeout=10).json()
        assert versions["sql_time_limit_ms"] == 2000
    with pytest.raises(httpx.ConnectError):
        httpx.get(url + "/", timeout=2)


def test_serve_exits_when_interrupted(data):
    process = subprocess.Popen([sys.executable, "-m", "banwatch.cli", "serve", "--data-dir", str(data), "--port", "0"],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        assert "read-only at http://127.0.0.1:" in line
        url = line.split(" at ")[1].split()[0]
        assert httpx.get(url, timeout=10).status_code == 200  # serving: uvicorn now owns Ctrl-C
        process.send_signal(signal.SIGINT)
        process.wait(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
    stderr = process.stderr.read()
    assert process.returncode == 0 and "banwatch: stopped" in stderr and "Traceback" not in stderr


def test_metadata_falls_back_to_the_generator_and_is_shared_not_copied(tmp_path):
    import copy

    from publish.datasette_plugin.metadata import build_metadata
    from publish.serve import load_metadata

    generated = load_metadata(tmp_path / "missing.yml")
    assert generated["databases"]["kb"]["tables"] == build_metadata()["databases"]["kb"]["tables"]
    shipped = load_metadata()
    # Datasette deep-copies metadata on every table permission check: the big part is shared instead.
    assert copy.deepcopy(shipped)["databases"]["kb"] is shipped["databases"]["kb"]
    assert shipped["databases"]["kb"]["queries"].keys() == build_metadata()["databases"]["kb"]["queries"].keys()
