# Continuum: two commands.
#   make demo   installs everything, builds the embedded SQLite demo database and serves it
#               (with the background worker that runs imports beside the web server);
#               PORT=8001 make demo serves another port; make demo-fresh (or FRESH=1 make
#               demo) starts again with fresh data
#   make test   installs everything and runs ruff, the import layers, mypy, the migrations
#               check and pytest
# DATABASE_URL chooses the database (default: SQLite under var/; PostgreSQL when it names one).

SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PY_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
# The demo's port (PORT=8001 make demo); security keys are bound to http://localhost:$(PORT).
PORT ?= 8000
DEMO_ENV := CONTINUUM_DEMO=1 DATABASE_URL=$${DEMO_DATABASE_URL:-sqlite:///$(CURDIR)/var/demo.sqlite3} \
	WEBAUTHN_ORIGINS=$${WEBAUTHN_ORIGINS:-http://localhost:$(PORT)}
# FRESH=1 (or make demo-fresh): throw the demo database away and seed it again.
FRESH ?=
PYTEST_ARGS ?=

.PHONY: install demo demo-fresh test lint typecheck serve bench clean load

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
	@case "$(PORT)" in ''|*[!0-9]*) echo "PORT must be a port number, e.g. PORT=8001 make demo."; exit 1;; esac
	mkdir -p var
	# As of today, so the demo's queue, due dates and ages look current; the same seed and
	# date always give the same data. FRESH=1: the database is made again first (--fresh
	# drops and creates it, or deletes the SQLite file, then migrates).
ifeq ($(strip $(FRESH)),)
	$(DEMO_ENV) $(PY) manage.py migrate --no-input
	$(DEMO_ENV) $(PY) manage.py seed_demo --preset small --seed 1 --as-of $$(date +%F) --if-empty
else
	$(DEMO_ENV) $(PY) manage.py seed_demo --preset small --seed 1 --as-of $$(date +%F) --fresh
endif
	# The background worker (imports, Annex A builds, report PDFs; decision 0013) beside the web server:
	# Ctrl-C stops both. The sign-ins are printed once the worker has started, so they are
	# the last thing above the server's log.
	$(DEMO_ENV) $(PY) manage.py db_worker --no-startup-delay --no-reload --skip-checks & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	sleep 2; \
	$(DEMO_ENV) $(PY) manage.py demo_sign_ins --port $(PORT) --skip-checks && \
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT) --skip-checks

demo-fresh:
	$(MAKE) demo FRESH=1

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
# Issue 16 (bench): the seed step also rebuilds the maintained figures when the code base
# has rebuild_figures (timed); the scale run seeds 4x and 8x the councils (<db>_scale4 and
# _scale8; BENCH_ARGS=--no-scale8 for 4x only); latest.json has "targets" and "missed".
BENCH_ENV := DATABASE_URL=$${DATABASE_URL:-sqlite:///$(CURDIR)/var/bench.sqlite3}
BENCH_ARGS ?=

bench: install
	mkdir -p var/bench
	$(BENCH_ENV) $(PY) manage.py bench --recreate-database --seed-only --preset tees --years 5 --seed 1
	$(BENCH_ENV) $(PY) manage.py bench $(BENCH_ARGS)

# Issue 16: the production web server on this machine, as deployed (docs/deploy.md):
# gunicorn with deploy/gunicorn.conf.py against DATABASE_URL, static files collected first.
# Not the demo (no demo mode, no demo sign-ins); plain HTTP here, so cookies are not marked
# HTTPS-only unless SECURE_COOKIES=true.
serve: install
	$(PY) manage.py collectstatic --no-input --verbosity 0
	SECURE_COOKIES=$${SECURE_COOKIES:-false} GUNICORN_BIND=$${GUNICORN_BIND:-127.0.0.1:$(PORT)} \
		$(VENV)/bin/gunicorn -c deploy/gunicorn.conf.py continuum.wsgi

# --- issue 16: the front door under load (not in CI) ---
# gunicorn and the task worker on 127.0.0.1, Locust headless (50 users, 5 minutes) doing the
# front door's mix, then the writes-lost check; see var/bench/load.json and load/run.py.
# DATABASE_URL must name a PostgreSQL database seeded with the tees preset (a copy: the
# test writes to it). LOAD_USERS=10 LOAD_TIME=1m make load for a short run.
load: install
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev,load]'
	mkdir -p var/bench
	$(PY) load/run.py
# --- end issue 16, load ---

clean:
	rm -rf var/static var/test*.sqlite3
