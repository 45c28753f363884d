# `make run` installs everything and serves the site on SQLite; `make test` runs the tests.
VENV ?= .venv
PY := $(VENV)/bin/python
DEMO_PASSWORD ?= letstalk-demo
PORT ?= 5000
HTMX := node_modules/htmx.org/dist/htmx.min.js
AXE := node_modules/axe-core/axe.min.js  # browser tests check pages with axe-core

.PHONY: install run test test-postgres bench clean

install: $(VENV)/.installed static/vendor/htmx.min.js $(AXE)

$(VENV)/.installed: requirements.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

# htmx comes from the npm registry at the version pinned in package-lock.json; never committed.
$(HTMX): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# An older checkout may have htmx but not yet axe-core: the same pinned install brings it.
$(AXE): $(HTMX)
	test -f $@ || npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

static/vendor/htmx.min.js: $(HTMX)
	mkdir -p static/vendor
	cp $(HTMX) $@

# PORT reaches the worker too: both derive SITE_URL (links in emails and feeds) from it unless it is set.
run: install
	$(PY) -m flask --app app db upgrade
	$(PY) -m flask --app app seed-demo --password "$(DEMO_PASSWORD)"
	@echo "Demo sign-ins (password $(DEMO_PASSWORD)): coach@example.com, alex@example.com, sam@example.com"
	PORT=$(PORT) $(PY) -m flask --app app worker & trap 'kill %1' EXIT; \
	PORT=$(PORT) $(PY) -m flask --app app run --port $(PORT)

test: install
	$(PY) -m pytest

test-postgres: install
	TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test $(PY) -m pytest

# Benchmarks (bench/README.md): /book against hello, the 100k-row growth table, the feed, the slot
# engine; on SQLite and, with BENCH_POSTGRES set (empty: SQLite only), on PostgreSQL. Needs wrk.
BENCH_POSTGRES ?= postgresql://postgres@127.0.0.1:5432/postgres
BENCH_PG = $(if $(BENCH_POSTGRES),--postgres "$(BENCH_POSTGRES)")

bench: install
	rc=0; \
	$(PY) bench/run.py $(BENCH_PG) || rc=1; \
	$(PY) bench/growth.py $(BENCH_PG) || rc=1; \
	$(PY) bench/feed.py $(BENCH_PG) || rc=1; \
	$(PY) bench/slots_month.py $(BENCH_PG) || rc=1; \
	exit $$rc

clean:
	rm -rf $(VENV) node_modules static/vendor .pytest_cache
