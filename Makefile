# budgetlens: the two commands are `make run` and `make test`; both set up .venv when it is missing.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# dg (dagster-dg-cli) wants the project's .venv active; this is what `source .venv/bin/activate` sets
DG := VIRTUAL_ENV=$(abspath $(VENV)) $(BIN)/dg
N ?= 1000
PORT ?= 3000

.PHONY: run test dev lint bench accuracy corpus reliability validate audit clean help

help:
	@echo "make run          run the whole pipeline on the bundled sample sites (offline)"
	@echo "make test         the test suite"
	@echo "make dev          dg dev: the Dagster UI, the asset graph in the browser (PORT=3000)"
	@echo "make lint         ruff, and the import layers (lint-imports)"
	@echo "make bench        benchmarks (prints ratios against baselines measured in the same run)"
	@echo "make accuracy     the real PDFs against their golden files (STRESS=name|all: made harder first)"
	@echo "make corpus N=..  render a large corpus for benchmarks into data/corpus-N"
	@echo "make reliability  the fault suite"
	@echo "make validate     dg check defs: check that the Dagster definitions load"
	@echo "make audit DIR=.. how the quality gate treats a folder of PDFs (scratch warehouse)"
	@echo "make clean        remove the data the pipeline wrote (warehouse, raw, staging, published)"

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/budgetlens run

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadgroup

dev: $(STAMP)
	$(DG) dev --port $(PORT)

lint: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/ruff check .
	$(BIN)/ruff format --check budgetlens pipeline assets expectations warehouse corpus tests

validate: $(STAMP)
	$(DG) check defs

bench: $(STAMP)
	$(BIN)/python -m bench

accuracy: $(STAMP)
	$(BIN)/budgetlens corpus score -v $(if $(STRESS),--stress $(STRESS))

corpus: $(STAMP)
	$(BIN)/budgetlens corpus render --n $(N) --out data/corpus-$(N)

reliability: $(STAMP)
	$(BIN)/python -m pytest -m reliability -p no:xdist tests/reliability

audit: $(STAMP)
	@test -n "$(DIR)" || { echo "usage: make audit DIR=folder-of-pdfs"; exit 2; }
	$(BIN)/budgetlens audit "$(DIR)"

clean:
	rm -rf data/warehouse.duckdb* data/published data/raw data/staging data/quarantine
