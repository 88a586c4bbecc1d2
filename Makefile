# One entry point for people and CI. `make help` lists the targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help setup browser serve site validate test lint bench golden clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)  ## create .venv and install the package with its test tools

browser:  ## install Debian's chromium for the browser tests (needs root or sudo)
	@bash scripts/install-browser.sh

serve: setup  ## build the example site and serve it at http://127.0.0.1:8000 (reloads on data changes)
	$(BIN)/checkup render
	$(BIN)/mkdocs serve -a 127.0.0.1:8000

site: setup  ## build the site into site/ (keeps the last good site if the data have errors)
	$(BIN)/checkup build

validate: setup  ## check every edition under data/
	$(BIN)/checkup validate

test: setup browser  ## run the whole test suite (lint, unit, site and browser tests)
	$(BIN)/ruff check scripts tests
	$(BIN)/checkup fmt --check
	$(BIN)/pytest -n 2 -q

lint: setup  ## ruff and mypy
	$(BIN)/ruff check scripts tests
	$(BIN)/mypy

bench: setup  ## run the speed and memory benchmark (medians of several runs)
	$(BIN)/python scripts/benchmark.py

golden: setup  ## regenerate the golden pages under tests/golden/ after an intended change
	$(BIN)/checkup render --golden tests/golden

clean:  ## remove generated files (not .venv)
	rm -rf site generated/* build .pytest_cache tests/artifacts
