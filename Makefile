# Tila — two set-up commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
WORKERS ?= 2
SQLITE_URL := sqlite:///$(CURDIR)/var/tila.sqlite3

# Capability fragments (browser test set-up, benchmarks, …) add to TEST_PREREQS and define their targets.
TEST_PREREQS :=
-include mk/*.mk

.PHONY: run serve test test-postgres lint typecheck messages bench bench-allocation clean demo worker

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Runtime dependencies; re-installed when pyproject.toml changes.
$(VENV)/.runtime: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

# Development dependencies (tests, linters), on top of the runtime ones.
$(VENV)/.dev: $(VENV)/.runtime
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# Compiled translations (.mo) from the committed .po files; needs GNU gettext's msgfmt.
messages: $(VENV)/.runtime
	@command -v msgfmt >/dev/null || (apt-get install -y -qq gettext >/dev/null)
	cd tila && DEBUG=1 ../$(BIN)/python -m django compilemessages --settings=tila.settings -v 0

var:
	mkdir -p var

run: $(VENV)/.runtime messages | var
	DATABASE_URL=$${DATABASE_URL:-$(SQLITE_URL)} DEBUG=$${DEBUG:-1} $(BIN)/tila migrate --noinput -v 0
	DATABASE_URL=$${DATABASE_URL:-$(SQLITE_URL)} DEBUG=$${DEBUG:-1} $(BIN)/tila demo --if-empty
	DATABASE_URL=$${DATABASE_URL:-$(SQLITE_URL)} DEBUG=$${DEBUG:-1} $(BIN)/tila collectstatic --noinput -v 0
	@echo "Tila is serving on http://$(HOST):$(PORT)/"
	DATABASE_URL=$${DATABASE_URL:-$(SQLITE_URL)} DEBUG=$${DEBUG:-1} $(BIN)/gunicorn tila.wsgi:application \
		--bind $(HOST):$(PORT) --workers $(WORKERS) --threads 4 --access-logfile - --graceful-timeout 10

test: $(VENV)/.dev messages $(TEST_PREREQS) | var
	DATABASE_URL=$(SQLITE_URL) $(BIN)/pytest $(PYTEST_ARGS)

test-postgres: $(VENV)/.dev messages $(TEST_PREREQS)
	@test -n "$$DATABASE_URL" || (echo "make test-postgres needs DATABASE_URL=postgres://…" && exit 2)
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check tila tests bench

typecheck: $(VENV)/.dev
	TILA_TESTING=1 DATABASE_URL=$(SQLITE_URL) $(BIN)/mypy tila

worker: $(VENV)/.runtime
	DATABASE_URL=$${DATABASE_URL:-$(SQLITE_URL)} $(BIN)/tila send_emails & \
	trap 'kill $$!' EXIT; DATABASE_URL=$${DATABASE_URL:-$(SQLITE_URL)} $(BIN)/tila db_worker

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

bench-allocation: $(VENV)/.dev
	$(BIN)/python bench/allocation.py $(BENCH_ARGS)
