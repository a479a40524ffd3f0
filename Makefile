# The two commands of the README: `make demo` and `make test`. Both create .venv when needed.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install lint typecheck browser bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Set everything up, load the demo store on first run, and serve it on http://127.0.0.1:8000/
demo: $(STAMP)
	$(BIN)/hangat demo

## Set everything up and run every gate: the test suite (SQLite, PostgreSQL, chromium), ruff, mypy
test: $(STAMP) browser
	$(BIN)/pytest
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

typecheck: $(STAMP)
	$(BIN)/mypy

## Debian's chromium for the browser tests (Playwright drives it; it never downloads a browser)
browser:
	@test -x /usr/bin/chromium || (apt-get install -y --no-install-recommends chromium \
		|| (apt-get update && apt-get install -y --no-install-recommends chromium))

## Benchmarks written to docs/benchmarks.md
bench: $(STAMP)
	$(BIN)/hangat eval ingest --postgres postgresql://postgres@127.0.0.1:5432/postgres --report docs/benchmarks.md
	$(BIN)/hangat eval memory --report docs/benchmarks.md

clean:
	rm -rf $(VENV) hangat-data .pytest_cache .mypy_cache .ruff_cache
