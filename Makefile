# linernotes: `make run` serves the web app on the demo catalog; `make test` runs the suite.
# Both create .venv and install what they need on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
# Keep the catalog of `make run` inside the checkout unless the user chose a place.
export LINERNOTES_HOME ?= $(CURDIR)/.linernotes

.PHONY: run test lint bench bench-questions bench-search bench-pages bench-notify bench-ingest bench-identity eval fmt clean

$(STAMP): pyproject.toml
	@scripts/bootstrap.sh "$(PYTHON)" "$(VENV)"
	@rm -f $(VENV)/.installed-* && touch $@

run: $(STAMP)
	$(BIN)/linernotes serve

# The whole suite on SQLite, then every test that uses a catalog again on a real PostgreSQL
# (Debian's, started by the tests on loopback and stopped by its pid).
test: $(STAMP)
	$(BIN)/python -m pytest -q
	$(BIN)/python -m pytest -q --backend postgresql

lint: $(STAMP)
	$(BIN)/ruff check src tests bench eval
	$(BIN)/ruff format --check src tests bench eval
	$(BIN)/mypy

# Every benchmark of the product's answers: the CLI's questions, search at scale, the pages' and
# API's server time, notification delivery, then bulk ingest of one small generated dump (2k
# releases) into SQLite and into a PostgreSQL the benchmark starts (~2 min; make bench-ingest for
# 10k and 100k releases).
bench: bench-questions bench-search bench-pages bench-notify
	$(BIN)/python bench/ingest.py --sizes 2000 --ingest-only --out bench/results/ingest-small.json

bench-questions: $(STAMP)
	$(BIN)/python bench/run.py

# Server time of the artist, album, song and person pages and the main API answers, read from a
# real `linernotes serve` on the demo catalog and on the generated one of 1M people.
bench-pages: $(STAMP)
	$(BIN)/python bench/pages.py

# Notification delivery: 100,000 events matching 1 to 10 of 10,000 follows (~500,000 webhook
# requests to a loopback sink in its own process), then commit-to-first-attempt at 200 events/s.
bench-notify: $(STAMP)
	$(BIN)/python bench/notify.py

# Search at 1M, 5M and 15M names against PostgreSQL pg_trgm and Typesense (installed on first use).
bench-search: $(STAMP)
	$(BIN)/python -m pip install -q -e '.[dev,bench]'
	$(BIN)/python bench/search.py

# Bulk ingest at 10k and 100k releases: reader stages, SQLite, and PostgreSQL (indexes kept, and
# built after the load), peak memory of each; bench/README.md says what each row runs.
bench-ingest: $(STAMP)
	$(BIN)/python bench/ingest.py

# Identity resolution at scale: 1M incoming person records against a catalog of 1M people.
bench-identity: $(STAMP)
	$(BIN)/python bench/identity.py

# Identity resolution against the labelled pairs in eval/ (precision, recall, F1, every error).
eval: $(STAMP)
	$(BIN)/python eval/run.py

fmt: $(STAMP)
	$(BIN)/ruff format src tests bench eval
	$(BIN)/ruff check --fix src tests bench eval

clean:
	rm -rf $(VENV) .linernotes .pytest_cache .mypy_cache .ruff_cache
