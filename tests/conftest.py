"""Fixtures every test module may use. Helpers (local sites, sample data, the CLI runner) live in
tests/support/; tests are named by the stage they test: test_app_* (the banwatch shell), test_crawl_*,
test_extract_*, test_kb_*, test_publish_*."""
import pytest

from tests.support.browser import build_sample_kb
from tests.support.cli import run_demo
from tests.support.kb import load_test_reference
from tests.support.redis import RedisServer


@pytest.fixture(scope="session")
def sample_kb(tmp_path_factory):
    """The data directory of the sample knowledge base (twelve real measures), built once per run.

    Shared by every publishing test: read it, never write to it (copy it first).
    """
    return build_sample_kb(tmp_path_factory.mktemp("sample-kb"))


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory):
    """`banwatch demo --no-serve`, run once per test run: (its data directory, the finished process).

    The demo tests read its output and databases; the browser and sentence tests serve and read its kb.db
    (through demo_kb). Read it, never write to it (copy it first).
    """
    data_dir = tmp_path_factory.mktemp("demo")
    return data_dir, run_demo(data_dir)


@pytest.fixture(scope="session")
def demo_kb(demo_run):
    """The data directory of the bundled demo: demo_run's, for tests that need only its files."""
    data_dir, _ = demo_run
    return data_dir


@pytest.fixture
def reference(tmp_path):
    """The small test reference data (tests/support/kb.py), written to this test's tmp_path."""
    return load_test_reference(tmp_path / "reference")


@pytest.fixture
def data(tmp_path):
    """An empty data directory for this test."""
    return tmp_path / "data"


@pytest.fixture
def redis_server(tmp_path):
    """Debian's redis-server on a free loopback port, stopped after the test."""
    server = RedisServer(tmp_path / "redis")
    yield server
    server.stop()
