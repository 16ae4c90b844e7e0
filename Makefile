# Pressdesk: `make run` starts the app on http://127.0.0.1:8000, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export PRESSDESK_CORPUS ?= ../shared/data
# Links in mails and the printed URL follow HOST and PORT unless SITE_ROOT is set.
export SITE_ROOT ?= http://$(HOST):$(PORT)

.PHONY: run test lint format messages acceptance bench venv clean

$(BIN)/pressdesk: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

venv: $(BIN)/pressdesk

run: venv
	$(BIN)/pressdesk migrate
	$(BIN)/pressdesk demo --if-empty
	$(BIN)/pressdesk serve --with-worker --host $(HOST) --port $(PORT)

lint: venv
	$(BIN)/ruff check pressdesk bench
	$(BIN)/ruff format --check pressdesk bench
	$(BIN)/mypy pressdesk

format: venv
	$(BIN)/ruff check --fix pressdesk bench
	$(BIN)/ruff format pressdesk bench

test: venv lint
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest -n 2

messages: venv
	bash scripts/messages.sh

acceptance: venv
	$(BIN)/pytest -q acceptance

bench: venv
	$(BIN)/python bench/run.py
	$(BIN)/python bench/bench_worker.py --both

clean:
	rm -rf $(VENV) var
