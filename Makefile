# Two commands for a fresh machine: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/khru

.PHONY: install demo test lint test-sqlite test-postgres browser

install: $(VENV)/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	$(BIN)/pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

demo: install
	mkdir -p var
	$(BIN)/khru migrate --no-input -v 0
	$(BIN)/khru load_demo --seed 1
	$(BIN)/khru collectstatic --no-input -v 0
	# The background worker beside the server (big reports, dashboard roll-ups), stopped with it.
	$(BIN)/khru db_worker -v 0 & trap "kill $$!" EXIT; $(BIN)/khru serve --host 127.0.0.1 --port 8000

# Debian's Chromium for the Playwright tests (never `playwright install`: it cannot download here).
browser:
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium fonts-thai-tlwg)

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src

test-sqlite: install browser
	DATABASE_URL=sqlite:///var/test.sqlite3 $(BIN)/pytest

test-postgres: install browser
	$(BIN)/python scripts/pg_available.py "$(PG_URL)" && \
	  DATABASE_URL=$(PG_URL) $(BIN)/pytest || { rc=$$?; [ $$rc -eq 3 ] && echo "PostgreSQL unreachable: skipped (set CI=true to fail)" || exit $$rc; }

test: lint test-sqlite test-postgres
