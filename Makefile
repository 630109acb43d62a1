# The CRM's commands. `make help` lists them.
# Embedded defaults (SQLite, file-system Celery broker, e-mails under var/mail/)
# unless DATABASE_URL / REDIS_URL / EMAIL_URL are set in the environment.

VENV   ?= .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
export DEBUG ?= 1
export PYTHONDONTWRITEBYTECODE := 1

.DEFAULT_GOAL := help
.PHONY: help install run migrate seed test test-fast lint format screenshots messages bench bench-health backtest load backup restore clean

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  \033[1m%-12s\033[0m %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt requirements-dev.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed ## Create .venv and install the pinned requirements

migrate: install ## Apply database migrations
	$(PY) manage.py migrate --noinput

seed: migrate ## Load the demo data (idempotent)
	$(PY) manage.py seed_demo

run: seed ## Set up everything, then run web + Celery worker + beat (Ctrl-C stops all)
	@echo ""
	@echo "  CRM running at  http://127.0.0.1:$(PORT)/"
	@echo "  Demo logins (password: demo12345):"
	@echo "    admin@demo.crm      administrator"
	@echo "    lead.north@demo.crm team lead, North team"
	@echo "    manager1@demo.crm   account manager, North team"
	@echo "  E-mails are written to var/mail/ unless EMAIL_URL is set."
	@echo ""
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" PORT=$(PORT) SITE_URL="$${SITE_URL:-http://127.0.0.1:$(PORT)}" \
		$(VENV)/bin/honcho start -f Procfile

# The in-process tests run on TEST_WORKERS processes (pytest-xdist; each its own test database, its own cache);
# the tests that start Celery workers, redis-servers or a browser run after them, one at a time, since they
# share the broker, ports and the machine's cores with what they start.
TEST_WORKERS ?= auto
SERIAL_TESTS := integration or browser or faults

test: install ## Run the whole test suite (uses DATABASE_URL / REDIS_URL when set; TEST_WORKERS=1 for one process)
	@status=0; \
	$(VENV)/bin/pytest -q -n $(TEST_WORKERS) -m "not ($(SERIAL_TESTS))" || status=$$?; \
	$(VENV)/bin/pytest -q -m "$(SERIAL_TESTS)" || status=$$(( status ? status : $$? )); \
	exit $$status

test-fast: install ## The suite without the browser and Celery-worker tests
	$(VENV)/bin/pytest -q -m "not browser and not integration"

lint: install ## ruff lint + format check, migrations check, import layers
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/lint-imports

format: install ## Format the code with ruff
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

screenshots: install ## Retake the README screenshots (docs/screenshots/) in Debian chromium
	SCREENSHOTS_DIR=docs/screenshots $(VENV)/bin/pytest -q tests/browser/test_screenshots.py

messages: install ## Extract translatable strings into locale/*.po and compile .mo
	$(PY) manage.py makemessages -l ru -l lt --no-obsolete --ignore=.venv --ignore=var --ignore=staticfiles
	$(PY) manage.py compilemessages --ignore=.venv

bench: install ## Time the main pages on a large PostgreSQL data set (made once; BENCH_FRESH=1, BENCH_SCALE=0.01): bench/results.md
	$(PY) -m bench

bench-health: install ## Time the nightly account-health recompute of the bench data set (after `make bench`): bench/results.md
	$(PY) -m bench.health

backtest: install ## How well the health score foresaw the churn of the last 12 months on the current database (WRITE=1: bench/results.md)
	$(PY) manage.py health_backtest $(if $(WRITE),--write)

load: install ## 50 users for 60 s against gunicorn (4 workers) on the bench data set (after `make bench`; LOAD_USERS, LOAD_SECONDS): bench/results.md
	$(PY) -m bench.loadtest

backup: install ## pg_dump DATABASE_URL into BACKUP_DIR (backups/), then delete dumps older than BACKUP_KEEP_DAYS (14) beyond the BACKUP_KEEP_LAST (7) newest
	$(PY) manage.py backup

restore: install ## Replace DATABASE_URL's tables with a dump: make restore FILE=backups/crm-….dump (asks first; YES=1 does not)
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/crm-<database>-<time>.dump [YES=1]"; exit 2; }
	$(PY) manage.py restore "$(FILE)" $(if $(YES),--yes)

clean: ## Remove the local database, broker folders and mails (var/)
	rm -rf var
