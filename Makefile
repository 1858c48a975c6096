# CRM Finance: the two commands of the quick start are `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test install lock lock-upgrade migrate lint format check superuser clean bench bench-http \
	bench-auth split bench-split

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reproducible installs: exactly the versions (and file hashes) pinned in requirements-dev.lock
# (runtime + dev; the Dockerfile installs requirements.lock, runtime only). The project itself is
# installed without dependencies and without build isolation, so its build backend (setuptools)
# is the locked one too. Re-install only when a lock file or pyproject.toml changes.
$(VENV)/.installed: requirements-dev.lock requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

install: $(VENV)/.installed

## lock: rewrite the lock files from pyproject.toml (after changing a dependency there), keeping
## the versions already pinned where they still fit; `make lock-upgrade` moves every pin to the
## newest release allowed. The dev lock is constrained by the runtime one: same versions in
## production and in the tests.
PIP_COMPILE = $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links $(LOCK_FLAGS)
lock: install
	$(PIP_COMPILE) --build-deps-for=wheel --output-file requirements.lock pyproject.toml
	$(PIP_COMPILE) --build-deps-for=editable --extra dev --constraint requirements.lock \
		--output-file requirements-dev.lock pyproject.toml

lock-upgrade:
	$(MAKE) lock LOCK_FLAGS=--upgrade

.env:
	$(BIN)/python -m config.envfile .env.example .env

## run: set everything up (virtualenv, .env, every domain migrated) and serve the API.
run: install .env
	$(BIN)/python manage.py migrate
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## split: every domain in its own gunicorn process and PostgreSQL database, their event relays
## and consumers, and an nginx edge on 127.0.0.1:$(SPLIT_PORT) (default 8080), in the
## foreground: Ctrl-C stops everything. README "Split topology".
split: install .env
	bash .ci/split-deps
	$(BIN)/python -m config.split

## test: the whole suite (PostgreSQL when DATABASE_URL is set, SQLite otherwise).
test: install
	$(BIN)/python -m pytest

migrate: install .env
	$(BIN)/python manage.py migrate

superuser: install .env
	$(BIN)/python manage.py createsuperuser

## lint: style, import contracts, dead code (vulture) and dependencies (deptry).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/vulture
	$(BIN)/deptry .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	$(BIN)/python bench/run.py

## bench-http: the API under load at a million customers, side by side with the reference
## views (PostgreSQL, gunicorn, wrk). Prints figures and writes bench/results/<time>.json.
bench-http: install
	bash .ci/bench-deps
	$(BIN)/python bench/http_bench.py

## bench-auth: cost of the token revocation check, and a login flood vs. authenticated traffic.
bench-auth: install
	$(BIN)/python bench/auth.py

## bench-split: the price of the hop: p50/p99 of an interactions list and a ledger POST in the
## monolith and in the split topology, side by side. Prints figures, writes bench/results/.
bench-split: install
	bash .ci/split-deps
	$(BIN)/python bench/split_hop.py

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache artifacts
