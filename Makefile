# Two commands do all the set-up on a fresh machine with Python 3.11:
#   make run   - start the app on the default SQLite database (demo data loaded on first start)
#   make test  - lint, type-check and run the whole test suite
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3

.PHONY: run test lint typecheck pytest benchmark clean

$(VENV)/.stamp-runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.stamp-dev: $(VENV)/.stamp-runtime requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.stamp-runtime
	$(PY) -m grants init --demo-if-empty
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
