# Two commands do all the set-up on a fresh machine with Python 3.11:
#   make run   - start the app on the DEMO database, data/demo.db (demo data and accounts; "Demo data" on every page)
#   make test  - lint, type-check and run the whole test suite
# and for real use:
#   make serve - start the app on the real database ($GRANTS_DATABASE_URL, default data/grants.db): never any demo
DEMO_DATABASE := sqlite:///data/demo.db
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3

.PHONY: run serve test lint typecheck pytest benchmark clean

$(VENV)/.stamp-runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.stamp-dev: $(VENV)/.stamp-runtime requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.stamp-runtime
	GRANTS_DATABASE_URL=$(DEMO_DATABASE) $(PY) -m grants init --demo
	GRANTS_DATABASE_URL=$(DEMO_DATABASE) $(PY) -m streamlit run streamlit_app.py --server.headless true

serve: $(VENV)/.stamp-runtime
	$(PY) -m grants init
	$(PY) -m streamlit run streamlit_app.py --server.headless true

lint: $(VENV)/.stamp-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

typecheck: $(VENV)/.stamp-dev
	$(PY) -m mypy

pytest: $(VENV)/.stamp-dev
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

test: lint typecheck pytest

benchmark: $(VENV)/.stamp-dev
	$(PY) -m benchmarks --rows 1000000 --repeat 3 --json benchmarks.json $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache test-artifacts
