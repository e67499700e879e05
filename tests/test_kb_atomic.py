"""A failed or killed build never replaces a good kb.db, and leaves nothing behind."""
import fcntl
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from banwatch.errors import BanwatchError
from kb import graph as graph_module
from kb.build import LOCK_NAME, TEMP_PREFIX
from kb.verify import verify_data
from tests.support.kb import (
    add_document,
    build,
    crawl_db,
    digest,
    event,
    events,
)

TESTS = Path(__file__).parent
ROOT = TESTS.parent


def built(tmp_path, reference):
    data = tmp_path / "data"
    db = crawl_db(data)
    add_document(db, "https://a.example/nasa", [event()], published="2025-01-31")
    build(data, reference)
    return data, db


def test_an_exception_midway_leaves_the_previous_kb_intact(tmp_path, reference, monkeypatch):
    data, db = built(tmp_path, reference)
    before = digest(data / "kb.db")
    add_document(db, "https://a.example/texas", [event(agency="Texas")], published="2025-01-31")

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(graph_module, "save_graph", broken)
    with pytest.raises(RuntimeError, match="disk on fire"):
        build(data, reference)
    assert digest(data / "kb.db") == before
    assert not list(data.glob(TEMP_PREFIX + "*"))
    assert verify_data(data) == []
    monkeypatch.undo()
    build(data, reference)
    assert len(events(data)) == 2


def test_a_build_killed_with_sigkill_leaves_the_previous_kb_intact_and_valid(tmp_path, reference):
    data, db = built(tmp_path, reference)
    for n in range(50):
        add_document(db, f"https://b.example/{n}", [event(agency="Texas", date="2025-01-31")], published="2025-02-01")
    before = digest(data / "kb.db")
    script = textwrap.dedent(f"""
        import time
        from tests.support.kb import build
        from banwatch.reference import load_reference

        def progress(message):
            if message == "building the graph":   # well inside the build: the temp file is written
                print("KILL ME", flush=True)
                time.sleep(60)

        build({str(data)!r}, load_reference({str(tmp_path / 'reference')!r}), progress=progress)
    """)
    child = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "KILL ME"
        temps = list(data.glob(TEMP_PREFIX + "*"))
        assert temps and temps[0].stat().st_size > 0   # it was mid-write
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL
    assert digest(data / "kb.db") == before
    assert verify_data(data) == []
    stats = build(data, reference)   # the next build cleans up and completes
    assert stats["events"] == 2
    assert not list(data.glob(TEMP_PREFIX + "*"))


def test_two_builds_do_not_race(tmp_path, reference):
    data, _ = built(tmp_path, reference)
    with open(data / LOCK_NAME, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        with pytest.raises(BanwatchError, match="another build is running"):
            build(data, reference, rebuild=True)


def test_a_bad_curation_file_stops_the_build_before_anything_is_written(tmp_path, reference):
    data, _ = built(tmp_path, reference)
    before = digest(data / "kb.db")
    curation = tmp_path / "bad-curation"
    curation.mkdir()
    (curation / "events.yml").write_text("- confirm: x\n  colour: red\n")
    with pytest.raises(BanwatchError, match="events.yml entry 1 .*unknown key 'colour'"):
        build(data, reference, curation)
    assert digest(data / "kb.db") == before
