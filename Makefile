# certtrack — `make run` serves the app with demo data and runs the task queue's worker beside
# it; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app certtrack
HOST ?= 127.0.0.1
PORT ?= 5000
# `make test` spreads the suite over one pytest-xdist worker per CPU; TEST_WORKERS=0 runs it in
# one process.
TEST_WORKERS ?= auto
# WeasyPrint's system libraries, the fonts the PDFs embed, pdftotext for reviewing them, and
# the Chromium that the browser journey (tests/e2e) drives through Playwright, and the
# redis-server the tests of the throttle's Redis counters start.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk \
	fonts-dejavu-core poppler-utils chromium redis-server
PO_FILES := $(wildcard certtrack/translations/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: run test lint bench install system-deps translations extract-messages clean

run: install instance/config.py
	$(FLASK) init-db
	CERTTRACK_ALLOW_DEMO=true $(FLASK) seed-demo --if-empty
	@echo "Serving on http://$(HOST):$(PORT) with the task queue's worker  (Ctrl+C stops both)"
	@$(FLASK) worker & worker=$$!; \
	trap 'kill -INT $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(FLASK) run --host $(HOST) --port $(PORT)

test: install
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .

install: system-deps $(VENV)/.installed $(MO_FILES)

$(VENV)/.installed: setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,postgres]'
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
	  --ignore-dirs '.*' --no-location --sort-output \
	  -o certtrack/translations/messages.pot certtrack templates
	$(BIN)/pybabel update -i certtrack/translations/messages.pot -d certtrack/translations \
	  --no-fuzzy-matching --ignore-obsolete

bench: install
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) *.egg-info
