"""The one way the tests run the `banwatch` command."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from banwatch.db import DATA_DIR_ENV

REPO = Path(__file__).resolve().parents[2]
BANWATCH = Path(sys.executable).with_name("banwatch")  # the installed console script


def run_banwatch(*args, in_process=False, env=None, check=True, timeout=180, cwd=REPO):
    """Run `banwatch ARGS` and return a CompletedProcess (returncode, stdout, stderr).

    By default in a subprocess, as a user runs it (crawls need a fresh Twisted reactor each time);
    in_process=True invokes the Click command in this process, for the many quick checks of
    arguments and messages. check=True raises with the output when the exit code is not 0.
    """
    args = [str(a) for a in args]
    if in_process:
        from banwatch.cli import cli

        runner = CliRunner()
        old_cwd = os.getcwd()
        os.chdir(cwd)
        try:
            outcome = runner.invoke(cli, args, prog_name="banwatch", env=env, catch_exceptions=False)
        finally:
            os.chdir(old_cwd)
        result = subprocess.CompletedProcess(["banwatch", *args], outcome.exit_code, outcome.stdout, outcome.stderr)
    else:
        result = subprocess.run([sys.executable, "-m", "banwatch.cli", *args], cwd=cwd, capture_output=True,
                                text=True, timeout=timeout, env={**os.environ, **(env or {})})
    if check and result.returncode != 0:
        raise AssertionError(f"banwatch {' '.join(args)} failed ({result.returncode}):\n"
                             f"{result.stdout}\n{result.stderr[-4000:]}")
    return result


def start_banwatch(*args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=REPO):
    """Start `banwatch ARGS` in the background (for tests that signal or kill it): a Popen in text mode."""
    return subprocess.Popen([sys.executable, "-m", "banwatch.cli", *map(str, args)], cwd=cwd,
                            stdout=stdout, stderr=stderr, text=True)


def finish_banwatch(process, timeout=120, name="process", log_path=None):
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        pytest.fail(f"{name} did not finish: {err or ''}{log_path.read_text()[-3000:] if log_path else ''}")
    log = log_path.read_text() if log_path else err
    assert process.returncode == 0, f"{name} failed ({process.returncode}):\n{out}\n{(log or '')[-4000:]}"
    return out


def run_demo(data_dir):
    """`banwatch demo --no-serve --data-dir DATA_DIR` through the installed script, exactly as a user types it
    (with $BANWATCH_DATA pointing there too, so nothing can fall back to ./data); returns the CompletedProcess."""
    result = subprocess.run([str(BANWATCH), "demo", "--no-serve", "--data-dir", str(data_dir)], cwd=REPO,
                            capture_output=True, text=True, timeout=900,
                            env={**os.environ, DATA_DIR_ENV: str(data_dir)})
    assert result.returncode == 0, result.stderr[-3000:]
    return result
