# Continuum: two commands.
#   make demo   installs everything, builds the embedded SQLite demo database and serves it
#               (with the background worker that runs imports beside the web server)
#   make test   installs everything and runs ruff, the import layers, mypy, the migrations
#               check and pytest
# DATABASE_URL chooses the database (default: SQLite under var/; PostgreSQL when it names one).

SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PY_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
DEMO_ENV := CONTINUUM_DEMO=1 DATABASE_URL=$${DEMO_DATABASE_URL:-sqlite:///$(CURDIR)/var/demo.sqlite3}
PYTEST_ARGS ?=

.PHONY: install demo test lint typecheck serve bench clean

$(PY_STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Continuum needs $(PYTHON) (Python 3.11)."; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(PY_STAMP) $(NODE_STAMP)

demo: install
	mkdir -p var
	$(DEMO_ENV) $(PY) manage.py migrate --no-input
	# As of today, so the demo's queue, due dates and ages look current; the same seed and
	# date always give the same data.
	$(DEMO_ENV) $(PY) manage.py seed_demo --preset small --seed 1 --as-of $$(date +%F) --if-empty
	$(DEMO_ENV) $(PY) manage.py demo_sign_ins
	# The background worker (imports, Annex A builds, report PDFs; decision 0013) beside the web server: Ctrl-C stops both.
	$(DEMO_ENV) $(PY) manage.py db_worker --no-startup-delay --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:8000

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

typecheck: install
	$(VENV)/bin/mypy continuum conftest.py

test: lint typecheck
	$(PY) manage.py makemigrations --check --dry-run
	@if [ -x /usr/bin/chromium ] || command -v chromium >/dev/null; then \
		echo "Browser tests: running in headless Chromium."; \
	else \
		echo "Browser tests: SKIPPED - no Chromium found (install Debian's chromium package to run them)."; \
	fi
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

# The benchmark: a fresh database (PostgreSQL when DATABASE_URL names one, dropped and
# created again; otherwise SQLite at var/bench.sqlite3, deleted first) seeded with the tees
# preset's five years (timed), then every figure; see var/bench/latest.json.
# BENCH_ARGS=--no-scale skips the four-times-the-councils run.
BENCH_ENV := DATABASE_URL=$${DATABASE_URL:-sqlite:///$(CURDIR)/var/bench.sqlite3}
BENCH_ARGS ?=

bench: install
	mkdir -p var/bench
	$(BENCH_ENV) $(PY) manage.py bench --recreate-database --seed-only --preset tees --years 5 --seed 1
	$(BENCH_ENV) $(PY) manage.py bench $(BENCH_ARGS)

clean:
	rm -rf var/static var/test*.sqlite3
