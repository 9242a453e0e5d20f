# The two commands of the README: `make run` and `make test`. Each sets up .venv by itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEV_ENV := DJANGO_DEBUG=1

.PHONY: install run test lint format messages bench soak fuzz clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py demo_data --if-empty
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

# Two workers: the suite is CPU-bound and CI machines have two cores.
PYTEST_WORKERS ?= 2
test: $(STAMP)
	$(DEV_ENV) $(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Benchmark (bench/README.md): rebuilds the kohtaamispaikat_bench PostgreSQL database and writes
# bench/RESULTS.md; `make bench BENCH_ARGS=--smoke` is the quick check CI runs.
BENCH_ARGS ?=
bench: $(STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Soak test (bench/README.md, "Soak"): SOAK_SECONDS (300) of mixed traffic at twice the estimated
# national peak against gunicorn and PostgreSQL, with a PostgreSQL restart in the middle; writes
# the soak section of bench/RESULTS.md. Needs a local PostgreSQL cluster; not part of CI.
SOAK_SECONDS ?= 300
SOAK_ARGS ?=
soak: $(STAMP)
	SOAK_SECONDS=$(SOAK_SECONDS) $(BIN)/python bench/soak.py $(SOAK_ARGS)

# The fuzz suite at full size (tests/security/test_fuzz.py): over 20,000 hostile requests to every
# public page, data endpoint, public form and admin view, signed out and as each role; prints the
# number of requests and of 5xx answers.
FUZZ_EXAMPLES ?= 2600
fuzz: $(STAMP)
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) FUZZ_MIN_REQUESTS=20000 $(DEV_ENV) \
		$(BIN)/python -m pytest -q -p no:cacheprovider tests/security/test_fuzz.py $(PYTEST_ARGS)

messages: $(STAMP)
	$(DEV_ENV) $(BIN)/python manage.py makemessages --all --no-location --ignore=.venv --ignore=staticfiles --ignore=bench
	$(DEV_ENV) $(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
