# recruit: `make run` serves the demo, `make test` runs the suite on SQLite and PostgreSQL.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
REQUIREMENTS := requirements.txt requirements-dev.txt constraints.txt pyproject.toml
STAMP := $(VENV)/.installed-$(shell cat $(REQUIREMENTS) | cksum | cut -d' ' -f1)
TEST_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
PYTEST_ARGS ?=
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: help venv translations db demo run test test-sqlite test-postgres bench e2e clean check lock

help:
	@echo "make run    - set up and serve the demo at http://$(HOST):$(PORT)"
	@echo "make test   - set up and run the tests (SQLite, then PostgreSQL when reachable)"
	@echo "make bench  - benchmarks (matching at province scale, feeds, pages, import, load)"
	@echo "make e2e    - browser journeys in headless Chromium"
	@echo "make check  - ruff (lint and format) and models/migrations in step"

# Development and tests: the runtime requirements plus the test tools, at the tested versions
# (constraints.txt), and the project itself (editable). Production installs only the runtime:
# pip install -r requirements.txt -c constraints.txt (see README, Deployment).
$(STAMP): $(REQUIREMENTS)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -r requirements-dev.txt -c constraints.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

venv: $(STAMP)

translations: venv
	@$(BIN)/pybabel compile -f -d recruit/translations >/dev/null

db: venv translations
	@mkdir -p instance
	$(BIN)/flask --app wsgi db upgrade
	$(BIN)/flask --app wsgi holidays sync 2>/dev/null || true
	$(BIN)/python -m matching warm

demo: db
	$(BIN)/flask --app wsgi demo load

run: demo
	@bash scripts/run_dev.sh $(HOST) $(PORT)

test: venv translations
	$(BIN)/ruff check --quiet .
	$(BIN)/ruff format --check --quiet .
	@bash scripts/run_tests.sh "$(TEST_DATABASE_URL)" $(PYTEST_ARGS)

bench: venv
	$(BIN)/python -m bench.run_all

e2e: venv translations
	@bash scripts/run_e2e.sh

check: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@# models and migrations in step, checked on a throw-away database (a fresh clone has none)
	@tmp=$$(mktemp -d) && export DATABASE_URL=sqlite:///$$tmp/check.sqlite3 RECRUIT_INSTANCE_DIR=$$tmp && \
	  $(BIN)/flask --app wsgi db upgrade >/dev/null 2>&1 && $(BIN)/flask --app wsgi db check; \
	  rc=$$?; rm -rf $$tmp; exit $$rc

# After changing a requirement: install it, run the suite, then record the exact versions.
lock: venv
	$(BIN)/python scripts/lock_constraints.py requirements.txt requirements-dev.txt requirements-e2e.txt > constraints.txt

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
