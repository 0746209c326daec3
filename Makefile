# Glenwood compliance portal. `make run` serves the demo school; `make test` runs the suite.
VENV := .venv
PY := $(VENV)/bin/python
SYSTEM_PACKAGES := chromium libharfbuzz-subset0 poppler-utils
PORT ?= 8000
# Links in emails and sealed PDFs point at the portal as it is actually served (`make run PORT=8123`).
export SITE_URL ?= http://127.0.0.1:$(PORT)
# The demo's local PKI (manage.py demo_pki): seals issued from a named demo root, timestamped by a
# local time-stamping authority, with OCSP and CRLs, so the demo's PDFs validate (PAdES B-LT).
DEMO_PKI_PORT ?= 8001
DEMO_SEAL := var/demo-pki/seal
DEMO_SEAL_ENV := SIGNING_CERT_PATH=$(DEMO_SEAL)/certificate.pem SIGNING_KEY_PATH=$(DEMO_SEAL)/private-key.pem \
	SIGNING_CHAIN_PATH=$(DEMO_SEAL)/chain.pem TSA_URL=http://127.0.0.1:$(DEMO_PKI_PORT)/glenwood-demo/tsa/tsa

.PHONY: setup system-packages run serve test test-services bench screenshots ci lint format

setup: $(VENV)/.installed system-packages

$(VENV)/.installed: requirements.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

# Debian packages for browser tests (Chromium), fast PDF rendering and pdfsig; installed only when
# missing, and only where we may (root, or passwordless sudo).
system-packages:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo -n"; fi; \
	  echo "Installing Debian packages:$$missing"; \
	  ($$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null) \
	    || echo "Could not install$$missing: browser and PDF tests will be skipped."; \
	fi

run: setup
	$(PY) manage.py migrate --verbosity 0
	$(PY) manage.py seed_demo
	$(PY) manage.py demo_pki --write --port $(DEMO_PKI_PORT)
	$(MAKE) --no-print-directory serve

# The web server with a Celery worker and beat beside it, on the embedded filesystem broker, and
# the demo PKI's time-stamping authority, OCSP responder and CRLs.
serve:
	@trap 'kill 0' INT TERM EXIT; \
	export $(DEMO_SEAL_ENV); \
	$(PY) manage.py demo_pki --serve --port $(DEMO_PKI_PORT) & \
	$(VENV)/bin/celery -A glenwood worker --queues celery,pdf --loglevel INFO --concurrency 2 & \
	$(VENV)/bin/celery -A glenwood beat --loglevel INFO & \
	echo "Serving http://127.0.0.1:$(PORT)"; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: setup
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest -m "not services" -n 2

# Integration tests against the machine's PostgreSQL and Redis (see .ci/run).
test-services: setup
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/glenwood} \
	CELERY_BROKER_URL=$${CELERY_BROKER_URL:-redis://127.0.0.1:6379/15} CELERY_TASK_ALWAYS_EAGER=false \
	$(PY) -m pytest -m services

# The trust-scale benchmark: PostgreSQL when DATABASE_URL points at it, SQLite otherwise. Writes
# bench/results.json and docs/benchmarks.md (see benchmarks/trust.py).
bench: setup
	$(PY) benchmarks/trust.py $(BENCH_ARGS)

# Each demo role's home page at 390 px and 1280 px, in Chromium against a live demo school:
# docs/screenshots/<role>-<width>.png (see tests/browser/screenshots.py).
screenshots: setup
	$(PY) -m pytest tests/browser/screenshots.py -p no:xdist -q -s

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

ci:
	bash .ci/run
