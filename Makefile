# The README's two commands: `make run` (first-run experience on SQLite) and `make test`
# (the whole suite against PostgreSQL). Both install what they need into .venv.

SHELL := /bin/bash
.DEFAULT_GOAL := help

# Python 3.12+ is needed (Django 6.1). The machine's default python3 may be 3.11, so look for
# a newer interpreter on PATH, then under pyenv.
BOOT_PYTHON ?= $(shell for p in python3.13 python3.12 $$HOME/.pyenv/versions/3.13*/bin/python3.13 \
	$$HOME/.pyenv/versions/3.12*/bin/python3.12 python3; do \
	"$$p" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && \
	{ command -v "$$p" 2>/dev/null || echo "$$p"; } && break; done)
UV_VERSION := 0.13.9
UV := .tools/bin/uv
PY := .venv/bin/python
DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/hims
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help install run test lint typecheck pytest check-postgres clean

help:
	@echo "make run    install, migrate and seed a SQLite database, serve on http://$(HOST):$(PORT)"
	@echo "make test   install, then check, makemigrations --check, ruff, mypy and pytest on PostgreSQL"

$(UV):
	@test -n "$(BOOT_PYTHON)" || { echo "Python 3.12 or newer is required (set BOOT_PYTHON=/path/to/python3.13)"; exit 1; }
	"$(BOOT_PYTHON)" -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# `uv sync --frozen` installs exactly what uv.lock pins; it is a no-op when nothing changed.
install: $(UV)
	@$(UV) sync --frozen --quiet --python "$(BOOT_PYTHON)"

run: install
	@mkdir -p var
	@DEBUG=$${DEBUG:-true} $(PY) manage.py migrate --noinput
	@DEBUG=$${DEBUG:-true} $(PY) manage.py seed_reference_data
	@DEBUG=$${DEBUG:-true} $(PY) manage.py seed_demo_data
	@echo "Serving on http://$(HOST):$(PORT)/ with a background task worker beside it (Ctrl-C stops both)."
	@# The worker executes the runs started from the web. A run left unfinished by a worker that
	@# died (its progress still for 10 minutes) is never re-run by django-tasks-db: --resume
	@# finishes it, beside the worker, without duplicating the checks it already wrote.
	@DEBUG=$${DEBUG:-true} $(PY) manage.py db_worker & worker=$$!; \
		DEBUG=$${DEBUG:-true} $(PY) manage.py run_compliance_checks --resume & resume=$$!; \
		trap 'kill $$worker $$resume 2>/dev/null' EXIT INT TERM; \
		DEBUG=$${DEBUG:-true} $(PY) manage.py runserver --noreload $(HOST):$(PORT)

check-postgres: install
	@DATABASE_URL="$(DATABASE_URL)" $(PY) -m hims.dbcheck || { \
	echo "PostgreSQL does not answer at DATABASE_URL=$(DATABASE_URL)."; \
	echo "Start a server, or point DATABASE_URL at one, e.g."; \
	echo "  make test DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/hims"; exit 1; }

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

typecheck: install
	$(PY) -m mypy .

test: install check-postgres
	DATABASE_URL="$(DATABASE_URL)" $(PY) manage.py check --settings=hims.test_settings
	DATABASE_URL="$(DATABASE_URL)" $(PY) manage.py makemigrations --check --dry-run --settings=hims.test_settings
	$(MAKE) --no-print-directory lint typecheck
	DATABASE_URL="$(DATABASE_URL)" $(PY) -m pytest --create-db $(PYTEST_ARGS)

clean:
	rm -rf .venv .tools var/hims.sqlite3* var/staticfiles
