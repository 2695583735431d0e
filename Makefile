# The two commands of the README: `make run` and `make test`. Everything else supports them.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORTAL_WORKERS ?= 3

.PHONY: run test install lint typecheck test-postgres lock messages clean serve

# Reinstall only when the lock files change; a stamp file remembers the last install.
$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed
	$(BIN)/portal compile_catalogues
	$(BIN)/portal collectstatic --noinput --verbosity 0

run: install
	$(BIN)/portal migrate --noinput
	$(BIN)/portal load_demo --if-empty
	$(BIN)/portal serve --port $(PORT)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/mypy portal tests conftest.py

test: install lint
	$(BIN)/pytest -n auto --dist loadgroup

# The same suite against PostgreSQL (a server at 127.0.0.1:5432, user postgres, no password).
test-postgres: install
	DATABASE_URL=$${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/portal} \
		$(BIN)/pytest -n auto --dist loadgroup

lock: $(VENV)/.installed
	$(BIN)/pip-compile --quiet --extra dev --strip-extras --allow-unsafe -o requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) node_modules var
