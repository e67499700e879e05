# banwatch: every target sets up what it needs on a fresh machine, then runs.
#   make demo   the whole flow on the bundled demo archive, then Datasette on http://127.0.0.1:8001
#   make test   the offline test suite (installs Debian's chromium and redis-server if missing)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEB_PACKAGES := chromium redis-server
PYTEST_ARGS ?=

.PHONY: demo test install system-deps lock bench clean

demo: install
	$(BIN)/banwatch demo

test: install system-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

install: $(STAMP)

# The lock pins every package with its hashes; the project itself goes in editable, without deps.
$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

# Browser and Redis tests need Debian's chromium and redis-server (Playwright's own download can't work here).
system-deps:
	@missing=""; for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

# Regenerate requirements.lock after changing a pin in pyproject.toml.
lock: install
	$(BIN)/python -m pip install --quiet pip-tools==7.6.2
	$(BIN)/pip-compile --quiet --allow-unsafe --generate-hashes --no-emit-index-url --no-emit-find-links \
	  --extra test -o requirements.lock pyproject.toml

bench: install
	$(BIN)/python bench/extract.py
	$(BIN)/python bench/crawl.py
	$(BIN)/python bench/build.py
	$(BIN)/python bench/serve.py

clean:
	rm -rf $(VENV) data build *.egg-info
