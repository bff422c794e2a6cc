# Työpari — build, test and run. GNU make.
#   make install        venv + editable install with test extras (re-runs when pyproject.toml changes)
#   make demo           run the demo (embedded SQLite) on http://127.0.0.1:5000
#   make test           all tests on SQLite, then on a throwaway PostgreSQL
#   make test-sqlite    only SQLite;  make test-postgres   only PostgreSQL
#   make test-clock     the day and week logic with the clock at a Sunday evening (part of make test)
#   make lint           ruff
#   make bench          benchmark at scale (gunicorn + wrk): prints the table, writes bench/results.json
#   make bench DATABASE_URL=postgresql://…   the same on PostgreSQL (an empty or bench database)
#   BENCH_SECONDS=10 BENCH_CONNECTIONS=8 make bench    load per page; see bench/README.md
#   make vendor         re-vendor htmx into static/vendor/htmx
#   PYTEST_ARGS='-k foo -x' make test    passes extra arguments to pytest
#   PYTEST_WORKERS=1 make test           one process instead of one per core (pytest-xdist)
#   LOAD_SECONDS=60 make test            a longer load test (default 30 s); -m 'not load' skips it

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DELETE_ON_ERROR:
.DEFAULT_GOAL := help

VENV ?= .venv
PY := $(VENV)/bin/python
PYTEST := $(VENV)/bin/pytest
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=
# pytest-xdist: one worker per core (CI has two), each test module whole in one worker (a
# module's browser journeys run in order on that worker's live server; each worker has its
# own PostgreSQL databases), in the order tests/conftest.py collects them (longest first).
# PYTEST_WORKERS=1 runs everything in one process.
PYTEST_WORKERS ?= $(shell nproc 2>/dev/null || echo 2)
XDIST := $(if $(filter 1,$(PYTEST_WORKERS)),-p no:xdist,-n $(PYTEST_WORKERS) --dist loadscope --no-loadscope-reorder)

# The test runs must not pick up a database from the caller's environment.
NO_DB_ENV := env -u DATABASE_URL -u TEST_DATABASE_URL -u E2E_DATABASE_URL \
             -u PG_THROWAWAY -u LOAD_FAULT_REQUIRED

.PHONY: help venv install translations system-deps demo test test-sqlite test-postgres test-clock \
        lint vendor clean bench

help:
	@sed -n 's/^#   //p' $(firstword $(MAKEFILE_LIST))

venv: $(PY)

$(PY):
	python3 -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -e '.[test]'
	touch $@

install: $(STAMP)

translations: install
	$(VENV)/bin/pybabel compile -d outreach/translations

# Chromium (+ driver) for the browser tests, Java for the HTML validator (vnu), Redis and
# nginx for the two-server test (tests/load/test_two_servers.py, PostgreSQL pass).
system-deps:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium chromium-driver"; \
	command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	[ -x /usr/bin/redis-server ] || missing="$$missing redis-server"; \
	[ -x /usr/sbin/nginx ] || missing="$$missing nginx"; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" != 0 ]; then \
		echo "system-deps: missing, install with apt (as root):$$missing" >&2; exit 1; \
	fi; \
	echo "system-deps: installing$$missing"; \
	apt-get update; \
	DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || \
		{ echo "system-deps: PostgreSQL server binaries (initdb) not found" >&2; exit 1; }

demo: install translations
	$(VENV)/bin/outreach demo

# Tests of what depends on the weekday or the hour (tasks, the week plan, the dashboard's
# periods, the demo), run with the app's one clock at a Sunday evening in Helsinki, when
# "this week" has no days left and UTC is still on the same day. ~1 min.
CLOCK_NOW ?= 2026-12-06T20:30:00+02:00
CLOCK_TESTS := tests/tasks tests/dashboard/test_dashboard.py tests/dashboard/test_rollup.py \
               tests/meetings/test_rhythm.py tests/clients/test_demo.py \
               tests/contacts/test_demo.py tests/steps/test_demo.py

test: install translations system-deps test-clock
	$(NO_DB_ENV) $(PYTEST) $(XDIST) $(PYTEST_ARGS)
	$(NO_DB_ENV) PYTEST=$(PYTEST) scripts/test-postgres.sh $(XDIST) $(PYTEST_ARGS)

test-sqlite: install translations system-deps
	$(NO_DB_ENV) $(PYTEST) $(XDIST) $(PYTEST_ARGS)

test-clock: install translations
	$(NO_DB_ENV) TYOPARI_NOW=$(CLOCK_NOW) $(PYTEST) $(XDIST) -q -p no:cacheprovider $(CLOCK_TESTS)

test-postgres: install translations system-deps
	$(NO_DB_ENV) PYTEST=$(PYTEST) scripts/test-postgres.sh $(XDIST) $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check outreach tests

vendor:
	scripts/vendor-htmx.sh

# wrk (Debian) is the load tool; installed here when missing (as root).
bench: install translations
	@command -v wrk >/dev/null 2>&1 || { \
		if [ "$$(id -u)" != 0 ]; then \
			echo "bench: wrk missing, install it with apt (as root): apt-get install wrk" >&2; exit 1; \
		fi; \
		echo "bench: installing wrk"; \
		DEBIAN_FRONTEND=noninteractive apt-get install -y wrk || { \
			apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y wrk; }; }
	$(PY) bench/run.py --database-url '$(DATABASE_URL)'

clean:
	-[ -f .pg-throwaway ] && scripts/pg-throwaway.sh stop
	rm -rf $(VENV) instance/ .pg-throwaway
	-find outreach -name '*.mo' -delete 2>/dev/null
