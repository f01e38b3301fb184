# certtrack — `make run` serves the app with demo data and runs the task queue's worker beside
# it; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app certtrack
HOST ?= 127.0.0.1
PORT ?= 5000
# The address QR codes and printed links carry: the one the app is served on, unless given.
PUBLIC_BASE_URL ?= http://$(HOST):$(PORT)
# `make test` spreads the suite over one pytest-xdist worker per CPU (a worker that runs out of
# tests takes some of another's: worksteal); TEST_WORKERS=0 runs it in
# one process.
TEST_WORKERS ?= auto
# WeasyPrint's system libraries, the fonts the PDFs embed, pdftotext for reviewing them, the
# Chromium that the browser journey (tests/e2e) drives through Playwright, the redis-server the
# tests of the throttle's Redis counters start, and Node.js, whose npm installs the
# accessibility checker (axe-core) that the browser tests inject into pages.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk \
	fonts-dejavu-core poppler-utils chromium redis-server nodejs
# The browser tests' npm packages, pinned by tests/e2e/package-lock.json.
E2E_NODE := tests/e2e/node_modules/.package-lock.json
PO_FILES := $(wildcard certtrack/translations/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: run test cluster lint audit lock bench soak install system-deps translations extract-messages clean

run: export CERTTRACK_PUBLIC_BASE_URL = $(PUBLIC_BASE_URL)
run: install instance/config.py
	$(FLASK) init-db
	$(FLASK) init-seal
	CERTTRACK_ALLOW_DEMO=true $(FLASK) seed-demo --if-empty
	@echo "Serving on http://$(HOST):$(PORT) with the task queue's worker  (Ctrl+C stops both)"
	@echo "Certificates' QR codes and links lead to $(PUBLIC_BASE_URL)"
	@$(FLASK) worker & worker=$$!; \
	trap 'kill -INT $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(FLASK) run --host $(HOST) --port $(PORT)

test: install
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

# Two gunicorn servers and one worker on PostgreSQL (127.0.0.1:5432, a database of its own),
# Redis (database 5 of 127.0.0.1:6379) and an S3 server (moto), walked through alternately
# (tests/cluster); everything it starts is taken down at the end. It needs no pytest plugin:
# not loading them saves seconds of a run that CI's time limit counts.
cluster: install
	PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 $(BIN)/python -m pytest tests/cluster -q $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .

# The known vulnerabilities of the locked packages (docs/security.md item 26).
audit: install
	$(BIN)/python .ci/audit.py requirements.lock

# requirements.lock pins every package, with hashes, from setup.cfg's requirements and the
# test and postgres extras; `make install` installs exactly it. Run after changing setup.cfg.
lock: $(VENV)/.installed
	$(BIN)/pip-compile --quiet --generate-hashes --extra test --extra postgres --strip-extras \
	  --no-emit-index-url --no-emit-find-links --allow-unsafe -o requirements.lock setup.cfg

install: system-deps $(VENV)/.installed $(MO_FILES) $(E2E_NODE)

$(VENV)/.installed: setup.cfg pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

# Debian ships npm apart from nodejs (NodeSource's nodejs brings its own): installed when missing.
$(E2E_NODE): tests/e2e/package.json tests/e2e/package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get install -y -qq npm >/dev/null; \
	  else echo "npm is missing. Run: sudo apt-get install -y npm"; exit 1; fi; }
	npm ci --prefix tests/e2e --no-audit --no-fund --loglevel=error
	touch $@

# Installs the missing system packages with apt-get where it can (Debian/Ubuntu, as root or
# with sudo); anywhere else it stops and prints the command to run.
system-deps:
	@missing=""; \
	if command -v dpkg-query >/dev/null 2>&1; then \
	  for p in $(SYSTEM_PACKAGES); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	  done; \
	else \
	  echo "Not a Debian system: make sure Pango, HarfBuzz (with libharfbuzz-subset) and a CJK font (Noto Sans CJK) are installed."; \
	fi; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo"; \
	  else echo "Missing system packages:$$missing"; echo "Run: sudo apt-get install -y$$missing"; exit 1; fi; \
	  echo "Installing system packages:$$missing"; \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing >/dev/null; \
	fi

instance/config.py:
	@mkdir -p instance
	@echo "# Local settings (git-ignored). See instance/config.example.py for every setting." > $@
	@echo "SECRET_KEY = '$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(48))')'" >> $@
	@echo "Wrote $@ with a fresh SECRET_KEY."

%.mo: %.po $(VENV)/.installed
	$(BIN)/pybabel compile -i $< -o $@

# Developers: refresh the catalogs after changing user-facing strings.
extract-messages: install
	$(BIN)/pybabel extract -F certtrack/translations/babel.cfg -k _l -k lazy_gettext \
	  -k pgettext:1c,2 -k npgettext:1c,2,3 -k lazy_pgettext:1c,2 \
	  --ignore-dirs '.*' --no-location --sort-output \
	  -o certtrack/translations/messages.pot certtrack templates
	$(BIN)/pybabel update -i certtrack/translations/messages.pot -d certtrack/translations \
	  --no-fuzzy-matching --ignore-obsolete

bench: install
	$(BIN)/python -m bench $(BENCH_ARGS)

# Ten minutes of mixed journeys through gunicorn and the worker on a PostgreSQL cluster and a
# Redis of the soak's own, PostgreSQL restarted half-way (docs/performance.md, Soak); not in CI.
# SOAK_ARGS="--minutes 1" for a short run.
soak: install
	$(BIN)/python -m bench.soak $(SOAK_ARGS)

clean:
	rm -rf $(VENV) *.egg-info tests/e2e/node_modules
