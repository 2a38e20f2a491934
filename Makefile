# EmotionCare: `make run` to try it, `make test` to test it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_INTERACTIONS ?= 3000
HOST ?= 127.0.0.1:8000

.PHONY: run test install install-dev migrate lint format messages serve bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

migrate: install
	$(BIN)/python manage.py migrate --noinput

run: migrate
	$(BIN)/python manage.py load_reference_data
	$(BIN)/python manage.py seed_demo --if-empty --interactions $(DEMO_INTERACTIONS)
	@echo ""
	@echo "EmotionCare is at http://$(HOST)/"
	@echo "Log in as demo_agent, demo_lead or demo_admin; password: emotioncare-demo"
	@echo ""
	$(BIN)/python manage.py runserver $(HOST)

test: install-dev
	$(BIN)/python -m pytest

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Regenerate and compile translations (needs GNU gettext; the .mo files are committed).
# From the project root, so the templates/ and emotioncare/ strings are found too; the
# catalogue is LOCALE_PATHS' (interactions/locale).
MESSAGES_IGNORE := --ignore=.venv --ignore=staticfiles --ignore=tests --ignore=docs --ignore=scripts
messages: install
	$(BIN)/python manage.py makemessages -l ko --no-obsolete $(MESSAGES_IGNORE)
	$(BIN)/python manage.py makemessages -d djangojs -l ko --no-obsolete $(MESSAGES_IGNORE)
	$(BIN)/python manage.py compilemessages --ignore=.venv

# Production: gunicorn on PostgreSQL, static files served by whitenoise, DJANGO_DEBUG=false
# (README "Running in production"). Needs DATABASE_URL=postgres://..., DJANGO_SECRET_KEY
# and DJANGO_ALLOWED_HOSTS. SERVE_BIND is the address gunicorn listens on; WEB_CONCURRENCY
# the worker processes (default 2 x CPUs + 1, each a process with its own database
# connection, so the database must allow that many connections per instance).
SERVE_BIND ?= 127.0.0.1:8000
WEB_CONCURRENCY ?= $(shell echo $$(( $$(nproc 2>/dev/null || echo 1) * 2 + 1 )))
serve: export DJANGO_DEBUG = false
serve: install
	@case "$$DATABASE_URL" in postgres://*|postgresql://*) ;; \
	  *) echo "make serve needs DATABASE_URL=postgres://user@host:port/name" >&2; exit 1;; esac
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	exec $(BIN)/gunicorn emotioncare.wsgi --bind $(SERVE_BIND) --workers $(WEB_CONCURRENCY) \
	  --access-logfile - --timeout 30 --graceful-timeout 20

# The benchmark (docs/dashboard.md "Measuring"), run as `make serve` runs the site:
# DJANGO_DEBUG=false, static files collected. Needs DATABASE_URL=postgres://...; a
# throwaway DJANGO_SECRET_KEY is made when none is set. BENCH_ARGS go to the command,
# e.g. BENCH_ARGS="--interactions 1000000 --repeat 15 --only pages".
BENCH_ARGS ?=
bench: export DJANGO_DEBUG = false
bench: install
	@case "$$DATABASE_URL" in postgres://*|postgresql://*) ;; \
	  *) echo "make bench needs DATABASE_URL=postgres://user@host:port/name" >&2; exit 1;; esac
	@DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')}; \
	  export DJANGO_SECRET_KEY; \
	  $(BIN)/python manage.py migrate --noinput --verbosity 0 && \
	  $(BIN)/python manage.py collectstatic --noinput --verbosity 0 && \
	  $(BIN)/python manage.py bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
