# One entry point for people and CI. `make help` lists the targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LOCKS  := requirements/core.txt requirements/site.txt requirements/report.txt requirements/test.txt
# The lock files pin every package with its hashes; `make lock` refreshes them (LOCK_ARGS=--upgrade
# takes the newest versions pyproject.toml allows). Each extra's lock is constrained by the test
# lock, so they all agree on every version they share.
UV_COMPILE = $(BIN)/uv pip compile pyproject.toml --quiet --generate-hashes --universal \
	--python-version 3.11 --custom-compile-command "make lock" $(LOCK_ARGS)

.DEFAULT_GOAL := help
.PHONY: help setup lock browser serve site validate report test lint bench golden clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# Exactly the locked versions, checked against their hashes; then the package itself.
$(STAMP): pyproject.toml $(LOCKS)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements/test.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

setup: $(STAMP)  ## create .venv and install the package with its test tools, as locked

lock:  ## refresh requirements/*.txt from pyproject.toml (make lock LOCK_ARGS=--upgrade for newer)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet uv  # the lock tool is needed only here, so it is not locked itself
	$(UV_COMPILE) --extra test -o requirements/test.txt
	$(UV_COMPILE) --extra site -c requirements/test.txt -o requirements/site.txt
	$(UV_COMPILE) --extra report -c requirements/test.txt -o requirements/report.txt
	$(UV_COMPILE) -c requirements/test.txt -o requirements/core.txt

browser:  ## install Debian's chromium for the browser tests (needs root or sudo)
	@bash scripts/install-browser.sh

serve: setup  ## preview the site, drafts included, at http://127.0.0.1:8000 (a save rebuilds only the changed pages)
	$(BIN)/checkup render --preview
	CHECKUP_PREVIEW=1 $(BIN)/mkdocs serve --dirty -a 127.0.0.1:8000

site: setup  ## build the site into site/ (keeps the last good site if the data have errors)
	$(BIN)/checkup build

validate: setup  ## check every edition under data/
	$(BIN)/checkup validate

report: setup browser  ## write the annual report PDF of an edition (YEAR=2023) into build/report/YEAR/
	$(BIN)/checkup report $(or $(YEAR),2023)

test: setup browser  ## run the whole test suite (lint, types, unit, package, site and browser tests)
	$(BIN)/ruff check scripts tests
	$(BIN)/checkup fmt --check
	$(BIN)/mypy
	$(BIN)/pytest -n 2 --dist loadgroup -q

lint: setup  ## ruff and mypy
	$(BIN)/ruff check scripts tests
	$(BIN)/mypy

bench: setup  ## run the speed and memory benchmark (medians of several runs)
	$(BIN)/python scripts/benchmark.py

golden: setup  ## regenerate the golden pages under tests/golden/ after an intended change
	$(BIN)/checkup render --golden tests/golden

clean:  ## remove generated files (not .venv)
	rm -rf site generated/* build .pytest_cache tests/artifacts
