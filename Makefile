# Two commands: `make run` sets everything up and serves the portal with the demo loaded;
# `make test` sets everything up and runs every test and check.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= lis_portal.settings.local

.PHONY: run test setup check-system install assets migrate demo lint typecheck pytest bench clean

run: setup migrate demo  ## Serve the portal with the demo on http://127.0.0.1:$(PORT)
	@bash scripts/serve.sh $(PORT)

test: setup  ## Every check and test (PostgreSQL when DATABASE_URL is set, SQLite otherwise)
	$(MAKE) lint typecheck
	DJANGO_SETTINGS_MODULE=lis_portal.settings.test $(PY) manage.py makemigrations --check --dry-run
	$(MAKE) pytest

setup: check-system install assets

check-system:
	@bash scripts/check_system.sh "$(PYTHON)"

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

assets:
	@bash scripts/build_assets.sh

migrate:
	@$(PY) scripts/check_database.py
	@echo "Migrating the database…"
	@$(PY) manage.py migrate --no-input --verbosity 0

demo:
	$(PY) manage.py loaddemo

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck:
	$(VENV)/bin/mypy .

pytest:
	DJANGO_SETTINGS_MODULE=lis_portal.settings.test $(PY) -m pytest $(PYTEST_ARGS)

bench: setup
	DJANGO_SETTINGS_MODULE=lis_portal.settings.test $(PY) -m bench
	DJANGO_SETTINGS_MODULE=lis_portal.settings.test $(PY) -m bench.evidence_import
	DJANGO_SETTINGS_MODULE=lis_portal.settings.test $(PY) -m bench.documents_pack
	DJANGO_SETTINGS_MODULE=lis_portal.settings.test $(PY) -m bench.engagement

clean:
	rm -rf $(VENV) node_modules static/build staticfiles db.sqlite3
