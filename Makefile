# `make` sets up .venv and builds dist/ and datapackage.json; `make test` runs the suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: all build test test-fast check lint package clean

all: build

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --constraint constraints.txt --editable '.[build,test]'
	touch $@

# An editable install leaves src/ uncompiled; compile it as a wheel's install would, so a
# start-up under PYTHONDONTWRITEBYTECODE does not recompile every module.
build: $(STAMP)
	$(BIN)/python -m compileall -q src
	$(BIN)/reentry-services build

test: $(STAMP)
	$(BIN)/python -m pytest

# The unit tier: seconds, no subprocess builds, browser or notebook.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow" -q

# Lint, formatting and types: what CI runs before the tests.
check: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

lint: check

# The sdist and the wheel, into wheelhouse/ (dist/ is the release folder, never a package's).
package: $(STAMP)
	$(BIN)/python -m build --no-isolation --outdir wheelhouse .

clean:
	rm -rf $(VENV) .venv-pandas2 .venv-ckan .venv-notebook .node wheelhouse .pytest_cache .ruff_cache .hypothesis
