# The README's commands. Each sets up .venv from requirements.txt when needed.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
READY := $(VENV)/.installed
# Silence Material's notice about MkDocs 2 (we pin mkdocs<2).
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test lint clean

serve: $(READY)  ## set up, then serve the site on http://127.0.0.1:8000
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: $(READY)  ## strict build into site/
	$(BIN)/mkdocs build --strict

test: build  ## set up, build strictly, run every test
	$(BIN)/pytest

clean:
	rm -rf site .coverage

$(READY): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@
