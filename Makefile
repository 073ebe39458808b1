# Two commands on a fresh clone: `make run` and `make test` (README, "Quick start").
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Debian's Chromium (apt-get install chromium); Playwright's own download is not used.
export CHROMIUM_PATH ?= /usr/bin/chromium

.PHONY: help run test test-fast lint format migrate demo check-chromium clean

help:
	@echo "make run    - install, migrate, load demo data if the database is empty, serve on http://$(HOST):$(PORT) with the task cluster"
	@echo "make test   - install test tools and run the whole suite, browser tests included"
	@echo "make lint   - ruff"

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

migrate: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py seed_demo --if-empty

# The web server and the django-q2 cluster together; Ctrl-C (or either one stopping)
# stops both.
run: demo
	@echo "Serving on http://$(HOST):$(PORT) with the task cluster. Ctrl-C stops both."
	@$(BIN)/python manage.py qcluster & q=$$!; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT) & w=$$!; \
	stop() { pkill -P $$w 2>/dev/null || true; kill $$q $$w 2>/dev/null || true; wait 2>/dev/null || true; }; \
	trap 'stop; exit 0' INT TERM; \
	trap stop EXIT; \
	wait -n

check-chromium:
	@if [ ! -x "$(CHROMIUM_PATH)" ]; then \
		echo "Chromium was not found at $(CHROMIUM_PATH); the browser tests need it." >&2; \
		echo "Fix: sudo apt-get install -y chromium   (or set CHROMIUM_PATH to a Chromium executable)" >&2; \
		exit 1; \
	fi

test: $(VENV)/.installed-dev check-chromium
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=impact.settings_test
	$(BIN)/python -m pytest

test-fast: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -m "not e2e"

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) *.egg-info staticfiles
