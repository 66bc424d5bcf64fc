# The two commands of the README: `make run` and `make test`. Both work on a fresh Debian 12
# machine with python3 and root; they install what is missing (apt and pip) on the way.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
# WeasyPrint's pango and harfbuzz (libharfbuzz-subset0, or PDFs render 6-9x slower),
# gettext for the translations, venv support for Debian's python3.
APT_RUNTIME := python3-venv libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
               fonts-dejavu-core gettext
# nginx: a test runs its own on loopback in front of gunicorn (charity/tests/test_behind_nginx.py);
# on a machine with systemd, Debian also starts its default site: `systemctl disable --now nginx`.
APT_TEST := chromium nginx
PROFILE ?= general
# The whole suite, failing when a RULES.md rule has no passing test that proves it.
PYTEST_ARGS ?= --rules-coverage

.PHONY: help run test install install-dev apt-runtime apt-test messages messages-check lint \
        migrate demo clean

help:
	@echo "make run    install, migrate, load the '$(PROFILE)' profile and demo data, start web + worker + beat"
	@echo "make test   install what the tests need and run the whole suite"
	@echo "make lint | messages | messages-check | clean"

apt-runtime:
	@bin/ensure-apt $(APT_RUNTIME)

apt-test:
	@bin/ensure-apt $(APT_TEST)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

$(VENV)/.runtime: requirements.txt | $(VENV)/bin/python
	$(PIP) install -q -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PIP) install -q -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

# A development .env with a random secret key, made once and never overwritten.
.env:
	@printf 'DEBUG=true\nSECRET_KEY=%s\nALLOWED_HOSTS=127.0.0.1,localhost\n' \
	  "$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > $@
	@echo "Wrote .env (development settings)."

install: apt-runtime $(VENV)/.runtime .env
	@$(PY) manage.py compilemessages -l ar --ignore=.venv -v 0

install-dev: apt-runtime apt-test $(VENV)/.dev .env
	@$(PY) manage.py compilemessages -l ar --ignore=.venv -v 0

migrate: install
	$(PY) manage.py migrate --noinput -v 0

demo: migrate
	$(PY) manage.py load_policy_profile $(PROFILE)
	$(PY) manage.py seed_demo

run: demo
	$(PY) manage.py rundev

# pytest's exit 5 (no tests collected) is a failure here.
test: install-dev
	@set +e; $(VENV)/bin/pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; exit $$rc

lint: install-dev
	$(VENV)/bin/ruff check .

# Extract the strings, then fail if any Arabic translation is missing or fuzzy.
messages: install-dev
	$(PY) manage.py makemessages -l ar --no-location --no-obsolete \
	  --ignore=.venv --ignore=var --ignore=static --ignore=bench
	$(PY) manage.py compilemessages -l ar --ignore=.venv -v 0

messages-check: messages
	@stats=$$(msgfmt --check --statistics -o /dev/null locale/ar/LC_MESSAGES/django.po 2>&1); echo "Arabic: $$stats"; \
	if echo "$$stats" | grep -Eq 'untranslated|fuzzy'; then echo "Missing Arabic translations."; exit 1; fi

clean:
	rm -rf var/cache var/celery var/test-*.sqlite3*

# Seed PostgreSQL at scale once, with COPY (BENCH_FILES, default 100000; DATABASE_URL, default
# charity_bench_<BENCH_FILES>), measure, and print each figure as a ratio to its target
# (`make bench BENCH_FILES=1000000`; PEER_URL=http://127.0.0.1:8101 adds the side-by-side with the peer).
.PHONY: bench
bench: install-dev
	$(PY) -m bench

# Public submissions with Redis up, killed and hung (a Redis and a database of its own): issue 14.
.PHONY: bench-redis
bench-redis: install-dev
	$(PY) -m bench.redis_outage
