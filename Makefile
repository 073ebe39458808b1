# Two commands on a fresh clone: `make run` and `make test` (README, "Quick start").
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 3
# Debian's Chromium (apt-get install chromium); Playwright's own download is not used.
export CHROMIUM_PATH ?= /usr/bin/chromium

# The database `make test-postgres` runs the suite on (pytest-django creates and drops
# test_<name> there); `.ci/postgres start` starts a private server that serves this URL.
POSTGRES_TEST_URL ?= postgres://impact:impact@127.0.0.1:54329/impact

.PHONY: help run serve test test-night test-postgres test-fast bench lint format migrate demo check-chromium clean \
	messages translations

help:
	@echo "make run    - install, migrate, load demo data if the database is empty, serve on http://$(HOST):$(PORT) with the task cluster"
	@echo "make serve  - the same with gunicorn (WORKERS=$(WORKERS)) and WhiteNoise serving collected static files"
	@echo "make test   - install test tools and run the whole suite, browser tests included"
	@echo "make test-night - the same suite at night: the clock travelled to the next Saturday 03:00"
	@echo "               in the program's time zone (README, \"Tests at any hour\")"
	@echo "make test-postgres - the same suite on PostgreSQL at POSTGRES_TEST_URL"
	@echo "               (default: the private server that '.ci/postgres start' installs and starts)"
	@echo "make bench  - benchmark every main page and job on the large program (bench/pages.py;"
	@echo "               seeds \$$TMPDIR/impact-large.sqlite3 once, or the empty DATABASE_URL)"
	@echo "make lint   - ruff (check and format), import-linter (the layers of DESIGN.md §2) and mypy"
	@echo "make messages - extract marked strings into locale/es/LC_MESSAGES/django.po (needs gettext)"

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# Translations. `make messages` extracts every marked string into the Spanish catalog
# (needs GNU gettext's xgettext); translate the new entries in the .po. The build compiles
# each .po to .mo with polib (`make translations`), so running needs only Python.
# tests/i18n/test_strings.py runs this same makemessages line to check the .po is current.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))

messages: $(VENV)/.installed
	@command -v xgettext >/dev/null || { \
		echo "makemessages needs GNU gettext. Fix: sudo apt-get install -y gettext" >&2; exit 1; }
	$(BIN)/python manage.py makemessages -l es --no-location --no-obsolete -i staticfiles -i static -i tests -i bench -i data -i backups
	$(BIN)/python manage.py compile_translations

translations: $(MO_FILES)

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po $(VENV)/.installed
	$(BIN)/python manage.py compile_translations

migrate: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput

# The demo program (demo/, one module per app: README, "Demo logins").
demo: migrate
	$(BIN)/python manage.py seed_demo --if-empty

# The web server and the django-q2 cluster together, handed to tools/supervise.py: Ctrl-C
# or SIGTERM stops both within 10 s (SIGKILL to what is left after 8 s: django-q2 can hang
# while stopping), and either one stopping stops the other. The cluster gets the signal
# on its main process (--leader), which stops its own workers. QCLUSTER: a stand-in.
QCLUSTER ?= $(BIN)/python manage.py qcluster
SUPERVISE := exec $(BIN)/python tools/supervise.py --grace 8

run: demo translations
	@echo "Serving on http://$(HOST):$(PORT) with the task cluster. Ctrl-C stops both."
	@$(SUPERVISE) --leader "$(QCLUSTER)" "$(BIN)/python manage.py runserver $(HOST):$(PORT)"

# Production-style serving on this machine: collectstatic, then gunicorn with WhiteNoise
# serving the collected files (no finders), beside the task cluster (README, "Production").
# collectstatic again only when the static sources or the installed packages changed.
staticfiles/.collected: $(VENV)/.installed $(shell find static -type f 2>/dev/null)
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@touch $@

serve: demo translations staticfiles/.collected
	@echo "Serving with gunicorn ($(WORKERS) workers) on http://$(HOST):$(PORT) with the task cluster. Ctrl-C stops both."
	@$(SUPERVISE) --leader "$(QCLUSTER)" \
		"env WHITENOISE_USE_FINDERS=false $(BIN)/gunicorn impact.wsgi -w $(WORKERS) -b $(HOST):$(PORT)"

check-chromium:
	@if [ ! -x "$(CHROMIUM_PATH)" ]; then \
		echo "Chromium was not found at $(CHROMIUM_PATH); the browser tests need it." >&2; \
		echo "Fix: sudo apt-get install -y chromium   (or set CHROMIUM_PATH to a Chromium executable)" >&2; \
		exit 1; \
	fi

test: $(VENV)/.installed-dev translations check-chromium
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=impact.settings_test
	$(BIN)/python -m pytest

# Every test passes at any hour on any day: this runs the whole suite travelled (ticking)
# to the next Saturday 03:00 in the program's time zone, the browser's clock and the
# servers the tests start included (tests/conftest.py, impact/testclock.py).
# TRAVEL_TO=next-weekday-noon, or an ISO datetime with its offset, picks another instant.
TRAVEL_TO ?= next-saturday-3am

test-night: $(VENV)/.installed-dev translations check-chromium
	$(BIN)/python -m pytest --travel-to='$(TRAVEL_TO)'

$(VENV)/.installed-postgres: $(VENV)/.installed-dev
	$(BIN)/python -m pip install --quiet -e '.[dev,postgres]'
	touch $@

test-postgres: $(VENV)/.installed-postgres translations check-chromium
	@$(BIN)/python -c 'import sys, psycopg; psycopg.connect(sys.argv[1], connect_timeout=5).close()' \
		'$(POSTGRES_TEST_URL)' 2>/dev/null || { \
		echo "No PostgreSQL answers at $(POSTGRES_TEST_URL)." >&2; \
		echo "Fix: .ci/postgres start   (or set POSTGRES_TEST_URL to a role that may create databases)" >&2; \
		exit 1; }
	DATABASE_URL='$(POSTGRES_TEST_URL)' $(BIN)/python -m pytest

test-fast: $(VENV)/.installed-dev translations
	$(BIN)/python -m pytest -m "not e2e"

bench: $(VENV)/.installed
	$(BIN)/python -m bench.pages

# The layers: each app imports only the apps before it (pyproject.toml, [tool.importlinter];
# README, "Development"). tests/test_layers.py runs the same contract in `make test`.
# Types: mypy with django-stubs over the whole codebase ([tool.mypy]; README, "Types").
lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) *.egg-info staticfiles
	rm -f locale/*/LC_MESSAGES/*.mo
