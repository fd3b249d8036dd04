# CareerPortal: `make run` serves the demo site, `make test` passes the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
export DJANGO_SETTINGS_MODULE := careerportal.settings
# The port `make run` and `make serve` listen on, on 127.0.0.1: `PORT=8001 make run`.
PORT ?= 8000

.PHONY: run serve test test-fast lint fmt check bench bench-deps install browser-deps migrate demo clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

migrate: $(STAMP)
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

run: demo
	DJANGO_DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

# gunicorn with careerportal/gunicorn.py: one worker per core, forked from a master that set
# Django up once; whitenoise serves the hashed static files with immutable caching. This speaks
# plain HTTP on 127.0.0.1:$(PORT) (or BIND), so HTTPS is off unless DJANGO_HTTPS=1 (behind a
# TLS proxy: see "Deploying" in the README). Requests are logged as JSON by the app.
serve: demo
	$(PY) manage.py collectstatic --noinput --verbosity 0
	PORT=$(PORT) DJANGO_HTTPS=$${DJANGO_HTTPS:-0} $(BIN)/gunicorn -c python:careerportal.gunicorn careerportal.wsgi

# Debian's chromium drives the browser tests; nothing downloads a browser at run time. The
# images the site draws need a font beyond ASCII (fonts-dejavu-core; see IMAGE_FONTS). nginx
# runs the README's proxy configuration (tests/test_proxy_error_page.py).
browser-deps:
	@{ command -v chromium && test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf && test -x /usr/sbin/nginx; } >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core nginx-light >/dev/null; \
	  else echo "install Debian's chromium, fonts-dejavu-core and nginx-light packages for the tests"; fi; }

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: $(STAMP)
	DJANGO_DEBUG=1 $(PY) manage.py check --fail-level WARNING
	DJANGO_DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

test: $(STAMP) browser-deps lint check
	$(BIN)/pytest -n 2 -q

test-fast: $(STAMP)
	$(BIN)/pytest -n 2 -q -m "not browser"

# Debian's wrk drives the benchmark's HTTP part.
bench-deps:
	@command -v wrk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	  else echo "wrk is missing: install Debian's wrk package for the HTTP figures"; fi; }

# Benchmark against 127.0.0.1 only; prints each figure with its goal, exits 1 if one fails.
bench: $(STAMP) bench-deps
	$(PY) -m bench

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
