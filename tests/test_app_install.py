"""The install a fresh machine runs: a pinned pip first, then exactly the hash-pinned lock.

A fresh clone must keep installing after any number of upstream releases, so these tests check
the lock's shape on every run and run the Makefile's own install step into an empty venv, offline,
from the wheelhouse the outer install kept.
"""

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==([^\s;\\]+)")


def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def read_requirements(path):
    """{name: (version, extras, [hashes])} for every requirement in a pip-compile output file."""
    entries, current = {}, None
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("--hash="):
            assert current, f"{path.name}: a hash before any requirement: {raw}"
            entries[current][2].append(line.split("=", 1)[1].rstrip(" \\"))
            continue
        match = PIN.match(line)
        assert match, f"{path.name}: not pinned with ==: {raw}"
        current = canonical(match.group(1))
        entries[current] = (match.group(3), match.group(2), [])
    return entries


def test_every_lock_entry_is_pinned_with_hashes_and_no_extras():
    lock = read_requirements(ROOT / "requirements.lock")
    assert len(lock) > 100
    for name, (version, extras, hashes) in lock.items():
        assert hashes and all(h.startswith("sha256:") for h in hashes), name
        # A pin with extras is not the pin of the plain package for every pip: strip them.
        assert not extras, f"{name}{extras}: pip-compile --strip-extras keeps the lock plain"


def test_bootstrap_pins_are_the_locks_own():
    lock = read_requirements(ROOT / "requirements.lock")
    bootstrap = read_requirements(ROOT / "requirements-bootstrap.txt")
    assert set(bootstrap) == {"pip", "setuptools"}
    for name, (version, _, hashes) in bootstrap.items():
        assert lock[name][0] == version and sorted(lock[name][2]) == sorted(hashes), name


def test_pyproject_and_lock_agree():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        wanted += extra
    lock = read_requirements(ROOT / "requirements.lock")
    for requirement in wanted:
        match = PIN.match(requirement)
        assert match, f"pyproject.toml pins exactly: {requirement}"
        name, version = canonical(match.group(1)), match.group(3)
        assert name in lock, f"{name} is in pyproject.toml but not in requirements.lock (make lock)"
        assert lock[name][0] == version, f"{name}: pyproject {version}, lock {lock[name][0]}"


def pinned_pip_version():
    return read_requirements(ROOT / "requirements-bootstrap.txt")["pip"][0]


def system_python():
    """The Python the Makefile uses by default, not this venv's."""
    base = Path(sys.base_prefix) / "bin" / "python3"
    return str(base if base.exists() else shutil.which("python3"))


def offline_pip_env(**extra):
    """This machine's environment with pip cut off from every index and from its own config."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_NO_INDEX="1", **extra)
    return env


@pytest.mark.slow
def test_make_install_into_an_empty_venv(tmp_path):
    # Offline, like every test: the wheelhouse the outer `make install` kept is the only source.
    wheelhouse = Path(sys.prefix) / "wheels"
    assert any(wheelhouse.glob("pip-*.whl")), f"no wheelhouse at {wheelhouse}: run make clean test"
    venv = tmp_path / "venv"
    result = subprocess.run(
        ["make", "--no-print-directory", "-C", str(ROOT), "install",
         f"VENV={venv}", f"PYTHON={system_python()}"],
        capture_output=True, text=True, timeout=900,
        env=offline_pip_env(PIP_FIND_LINKS=str(wheelhouse), BANWATCH_WHEELHOUSE=str(wheelhouse)),
    )
    assert result.returncode == 0, result.stdout + result.stderr + (venv / "install.log").read_text()
    # The pinned pip installed the lock, not the one venv bundles: fails if the bootstrap goes.
    log = (venv / "install.log").read_text()
    assert "Looking in indexes" not in log and "Looking in links" in log, "the install went online"
    assert f"requirements.lock installed by: pip {pinned_pip_version()} " in log
    # Exactly the lock, nothing newer: every installed version is the locked one.
    frozen = subprocess.run([venv / "bin" / "python", "-m", "pip", "list", "--format=freeze"],
                            capture_output=True, text=True, check=True).stdout
    lock = read_requirements(ROOT / "requirements.lock")
    installed = {canonical(l.split("==")[0]): l.split("==")[1] for l in frozen.split() if "==" in l}
    for name, (version, _, _) in lock.items():
        assert installed.get(name) == version, name
    help_text = subprocess.run([venv / "bin" / "banwatch", "--help"],
                               capture_output=True, text=True, check=True).stdout
    assert "Usage: banwatch" in help_text


def test_a_failed_install_says_what_to_do_in_one_line(tmp_path):
    # No index, no cache, no extra links: pip cannot fetch the pinned pip, and must fail fast.
    env = offline_pip_env(PIP_NO_CACHE_DIR="1", PIP_FIND_LINKS=str(tmp_path))
    venv = tmp_path / "venv"
    result = subprocess.run(
        [str(ROOT / "scripts" / "install-venv"), system_python(), str(venv)],
        capture_output=True, text=True, env=env, timeout=300,
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("banwatch: install failed while installing the pinned pip")
    assert "make clean" in lines[0] and "install.log" in lines[0]
    assert "Traceback" not in result.stdout + result.stderr
