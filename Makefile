# CRM Finance: the two commands of the quick start are `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test install migrate lint format check superuser clean bench bench-http bench-auth

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-install only when the dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --upgrade --quiet pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

.env:
	$(BIN)/python -m config.envfile .env.example .env

## run: set everything up (virtualenv, .env, every domain migrated) and serve the API.
run: install .env
	$(BIN)/python manage.py migrate
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

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

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache artifacts
