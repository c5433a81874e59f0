# ABH-Portal — the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV    := .venv
PY      := $(VENV)/bin/python
HOST    ?= 127.0.0.1
PORT    ?= 8000
# The portal's own address in mails, .ics files, the calendar feed and invitations: the one it is
# started on, unless the environment says otherwise (behind a proxy).
PORTAL_BASE_URL ?= http://$(HOST):$(PORT)

# The newest Python >= 3.12: first on PATH, then pyenv's installs (pyenv shims for missing
# versions fail, so every candidate is asked for its version before it is used).
FIND_PYTHON = for c in python3.14 python3.13 python3.12 python3 \
	$$(ls -d $$HOME/.pyenv/versions/3.*/bin/python 2>/dev/null | sort -rV); do \
	  p=$$(command -v $$c 2>/dev/null) || continue; \
	  $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; break; }; \
	done

.PHONY: help
help:
	@echo "make run    – einrichten und Portal mit Worker und Beat starten (http://$(HOST):$(PORT))"
	@echo "make processes – nur Webserver, Worker und Beat starten (nach einem ersten make run)"
	@echo "make test   – die ganze Testsuite, Browser-Tests eingeschlossen"
	@echo "make lint   – ruff, Formatierung, Vorlagen, Schichten (import-linter), Migrationen, mypy"
	@echo "make backup – Datenbank und hochgeladene Dateien verschlüsselt nach var/backups/ sichern, alte löschen"
	@echo "make restore FILE=… – eine Sicherung in eine leere Datenbank zurückspielen, Löschprotokoll anwenden"
	@echo "make serve  – Produktions-Stack auf 127.0.0.1 (gunicorn, Worker, Beat, PostgreSQL, Redis)"
	@echo "make loadtest – 200 Personen für 5 Minuten gegen den Produktions-Stack, mit Prüfungen"
	@echo "make bench  – Messung gegen Böden (Seiten, gunicorn+wrk, PDF, Erinnerungen) nach var/bench/latest.md"

# --- set-up ---------------------------------------------------------------------------

$(VENV)/.stamp: pyproject.toml
	@py=$$($(FIND_PYTHON)); \
	if [ -z "$$py" ]; then \
	  echo "Fehler: Python 3.12 oder neuer wurde nicht gefunden (PATH und ~/.pyenv/versions)." >&2; \
	  echo "Error: Python 3.12 or newer is required; install it and run make again." >&2; exit 1; \
	fi; \
	echo "Python: $$py"; \
	[ -x $(PY) ] || $$py -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet ".[test]"
	@touch $@

node_modules/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	@touch $@

# System packages: gettext (msgfmt) for the translations, Pango for WeasyPrint,
# Chromium for the browser tests. Installed only when missing, and only as root.
define APT_ENSURE
	@if ! $(1) >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installiere $(2) …"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(2) >/dev/null; \
	  else echo "Bitte installieren Sie: $(2) (apt-get install $(2))" >&2; exit 1; fi; \
	fi
endef

.PHONY: sysdeps chromium
sysdeps:
	$(call APT_ENSURE,command -v msgfmt,gettext)
	$(call APT_ENSURE,ldconfig -p | grep -q libpango-1.0,libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core)

chromium:
	$(call APT_ENSURE,command -v chromium,chromium)

.PHONY: setup
setup: sysdeps $(VENV)/.stamp node_modules/.stamp
	@mkdir -p var/mail var/media
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

# --- the two commands ---------------------------------------------------------------------

.PHONY: run processes
run: setup
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py seed_demo
	@$(MAKE) --no-print-directory processes

# Web server and worker with embedded beat until Ctrl-C or SIGTERM (`make processes` alone skips the
# set-up). Each runs in a process group of its own (set -m), so Ctrl-C reaches only this shell, which
# sends SIGTERM to the worker's main process and to runserver's group (its reloader and the server)
# and waits for both; a second Ctrl-C shuts the worker down cold. The signal must not reach Celery's
# pool processes: killed directly, one could die holding the pool's queue lock, and the worker then
# hung after "beat: Shutting down". (Runserver's reloader alone, hit by a second SIGTERM while it
# stopped the server, could wait for it forever; the server gets its own.)
processes:
	@echo "Portal: http://$(HOST):$(PORT)/  (Strg+C beendet Webserver, Worker und Beat)"
	@export PORTAL_BASE_URL=$(PORTAL_BASE_URL); set -m; worker=; web=; stopping=; \
	stop() { [ -n "$$stopping" ] || kill -TERM -- $$worker -$$web 2>/dev/null; stopping=1; }; \
	trap stop TERM; \
	trap '[ -n "$$stopping" ] && kill -QUIT $$worker 2>/dev/null; stop' INT; \
	$(VENV)/bin/celery -A portal worker -B --loglevel=INFO --concurrency=1 \
	  --schedule=$${PORTAL_VAR_DIR:-var}/celerybeat-schedule & worker=$$!; \
	$(PY) manage.py runserver $(HOST):$(PORT) & web=$$!; \
	wait -n; stop; \
	until wait; do :; done

.PHONY: test
# worksteal: a worker that runs out of tests takes some from the other, so that a few slow browser
# tests at the end do not leave one core idle.
test: setup chromium
	$(PY) -m pytest -n 2 --dist worksteal $(PYTEST_ARGS)

.PHONY: lint
# The same checks run before each commit with pre-commit (.pre-commit-config.yaml).
TEMPLATES = $$(git ls-files 'templates/*.html' 'tests/*.html')
lint: $(VENV)/.stamp
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djhtml --check --tabwidth 2 $(TEMPLATES)
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/mypy authorities training network portal

# --- backup and restore (README: "Sicherung und Wiederherstellung") ---------------------------------
# pg_dump/pg_restore come from postgresql-client; on SQLite (no postgres DATABASE_URL) they are not needed.
PG_CLIENT = $(if $(filter postgres%,$(DATABASE_URL)),$(call APT_ENSURE,command -v pg_dump,postgresql-client))

.PHONY: backup restore
backup: $(VENV)/.stamp
	$(PG_CLIENT)
	$(call APT_ENSURE,command -v gpg,gnupg)
	$(PY) -m portal.ops.backup create

restore: $(VENV)/.stamp
	@[ -n "$(FILE)" ] || { echo "Bitte geben Sie die Sicherung an: make restore FILE=var/backups/abh-portal-….tar.gpg" >&2; exit 1; }
	$(PG_CLIENT)
	$(call APT_ENSURE,command -v gpg,gnupg)
	@echo "Nach dem Zurückspielen werden die Löschungen des Löschprotokolls (ERASURE_JOURNAL) erneut angewandt."
	$(PY) -m portal.ops.backup restore "$(FILE)"

# --- the production stack on one machine and its load test (README: "Running in production") ---

.PHONY: serve loadtest
serve: setup
	$(PY) -m portal.ops.serve --port $(PORT)

$(VENV)/.stamp-load: pyproject.toml $(VENV)/.stamp
	$(PY) -m pip install --quiet ".[load]"
	@touch $@

loadtest: setup $(VENV)/.stamp-load
	$(PY) -m portal.ops.loadtest $(LOADTEST_ARGS)

# --- benchmark against measured floors (README: "Benchmark"); not part of `make test` -------------

.PHONY: bench wrk
wrk:
	$(call APT_ENSURE,command -v wrk,wrk)

bench: setup wrk
	$(PY) -m portal.ops.bench

.PHONY: clean
clean:
	rm -rf $(VENV) node_modules var staticfiles
