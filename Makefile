# Kammerwatch: `make run` (main job on the bundled sample archive) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP_FLAGS := --quiet --disable-pip-version-check
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run test lint bench clean sample-archive chromium

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install $(PIP_FLAGS) --upgrade pip setuptools wheel

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install $(PIP_FLAGS) -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install $(PIP_FLAGS) -e '.[dev]'
	touch $(STAMP) $@

run: $(STAMP)
	$(BIN)/kammerwatch run --out output

lint: $(DEV_STAMP)
	$(BIN)/ruff check crawler pipelines tests benchmarks
	$(BIN)/ruff format --check crawler pipelines tests benchmarks
	$(BIN)/mypy crawler pipelines

# Debian's Chromium for the report's browser tests (skipped with a reason when it cannot be had).
chromium:
	@command -v chromium >/dev/null 2>&1 || test "$$(id -u)" != 0 || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null) || \
	  echo "chromium not installed: browser tests will be skipped"

test: lint chromium
	$(BIN)/python -m pytest -q

bench: $(DEV_STAMP)
	$(BIN)/python benchmarks/run_all.py

sample-archive: $(STAMP)
	$(BIN)/python -m crawler.sample build

clean:
	rm -rf $(VENV) output/*.jsonl output/*.csv output/*.db* output/runs output/warc
