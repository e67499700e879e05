"""The code's shape holds: stages never import each other (import-linter contracts in pyproject.toml)."""
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STAGES = ["crawlers", "pipeline", "kb", "publish"]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(cwd):
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--config", str(cwd / "pyproject.toml")],
                          cwd=cwd, capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"})


def test_the_contracts_cover_every_stage():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    independence = [c for c in config["contracts"] if c["type"] == "independence"]
    assert [sorted(c["modules"]) for c in independence] == [sorted(STAGES)]
    assert set(config["root_packages"]) == {"banwatch", *STAGES}


def test_the_import_contracts_hold():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_stage_importing_another_breaks_the_build(tmp_path):
    # The same tree with one forbidden import added: lint-imports must fail and name it.
    for package in ["banwatch", *STAGES]:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("*.yml", "pages", "*.jsonl"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    init = tmp_path / "crawlers" / "__init__.py"
    init.write_text(init.read_text() + "\nimport pipeline.extract  # noqa\n")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert "Stages never import each other BROKEN" in result.stdout
    assert "crawlers -> pipeline.extract" in result.stdout
