"""The CLI: help everywhere, and a clear one-line message (never a traceback) for bad arguments."""
import subprocess

import pytest

from tests.support.cli import BANWATCH, run_banwatch

COMMANDS = ["crawl", "ingest", "extract", "build", "verify", "serve", "run", "demo", "eval",
            "export", "export timeline", "export graph", "train", "sources", "sources check"]


@pytest.fixture
def run(tmp_path):
    """`banwatch ARGS` in this process, from tmp_path, with its data in tmp_path/data."""
    def invoke(*args):
        result = run_banwatch(*args, in_process=True, check=False, cwd=tmp_path,
                              env={"BANWATCH_DATA": str(tmp_path / "data"), "BANWATCH_DEBUG": None})
        result.output = result.stdout + result.stderr
        return result
    return invoke


def test_help_from_the_installed_script():
    result = subprocess.run([str(BANWATCH), "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    for command in ("crawl", "extract", "build", "serve", "demo", "export", "eval", "verify"):
        assert f"  {command} " in result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(run, command):
    result = run(*command.split(), "--help")
    assert result.returncode == 0, result.output
    assert "Usage: banwatch " + command in result.output
    assert "Traceback" not in result.output


def test_bad_arguments_in_the_installed_script_give_no_traceback(tmp_path):
    result = subprocess.run([str(BANWATCH), "export", "timeline", "--format", "pdf"], capture_output=True,
                            text=True, timeout=60, cwd=tmp_path)
    assert result.returncode == 2
    assert "Invalid value for '--format'" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


@pytest.mark.parametrize("args, setup, message", [
    (["frobnicate"], None, "No such command 'frobnicate'"),
    (["crawl", "--bogus"], None, "No such option '--bogus'"),
    (["crawl", "--feed", "not-a-url"], None, "not an http(s) URL"),
    (["crawl", "--sources", "missing.yml"], None, "does not exist"),
    (["crawl", "--sources", "bad.yml"], ("bad.yml", "sources: [\n"), "not valid YAML"),
    (["extract", "--output", "x.jsonl"], None, "--output goes with --input"),
    (["extract"], None, "no crawl.db"),
    (["extract"], ("data/crawl.db", "not sqlite"), "database problem"),
    (["build"], None, "no crawl.db"),
    (["export", "timeline", "--format", "pdf"], None, "Invalid value for '--format'"),
    (["export", "timeline", "--since", "yesterday"], None, "YYYY"),
    (["export", "timeline"], None, "no kb.db"),
    (["export", "timeline"], ("data/kb.db", "not sqlite"), "not a banwatch kb.db"),
    (["export", "graph", "--format", "png"], None, "Invalid value for '--format'"),
    (["serve", "--port", "abc"], None, "Invalid value for '--port'"),
    (["serve"], None, "no kb.db"),
    (["eval", "--gold", "missing.jsonl"], None, "does not exist"),
    (["eval", "--gold", "bad.jsonl"], ("bad.jsonl", "{not json\n"), "invalid JSON"),
])
def test_bad_input_gives_one_clear_line(run, tmp_path, args, setup, message):
    if setup:
        _write(tmp_path / setup[0], setup[1])
    result = run(*args)
    assert result.returncode != 0
    assert "Traceback" not in result.output
    assert message in result.output, result.output


def test_verify_reports_each_damaged_store(run, tmp_path):
    _write(tmp_path / "data" / "crawl.db", "not sqlite")
    _write(tmp_path / "data" / "kb.db", "not sqlite")
    result = run("verify")
    assert result.returncode == 1
    assert "crawl.db" in result.output and "kb.db" in result.output
    assert "Traceback" not in result.output
