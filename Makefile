# The README's commands. Each sets up .venv from requirements.txt when needed.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
READY := $(VENV)/.installed
CHECKOV := .venv-checkov/.installed
# Silence Material's notice about MkDocs 2 (we pin mkdocs<2).
export NO_MKDOCS_2_WARNING := 1
# mkdocs-jupyter imports nbconvert, which by default loads every installed exporter to list them (~0.3 s a build).
export NBCONVERT_DISABLE_CONFIG_EXPORTERS := 1
# Reproducible builds: the sitemap's dates are the last commit's, not the clock's (MkDocs reads this).
export SOURCE_DATE_EPOCH ?= $(or $(shell git log -1 --format=%ct 2>/dev/null),$(shell date +%s))

# Browser tests drive Debian's Chromium (never a downloaded build); CHROMIUM may name another.
export CHROMIUM ?= /usr/bin/chromium

.PHONY: serve build test test-azure browser diagrams offline bench clean envs

serve: $(READY)  ## set up, then serve the site on http://127.0.0.1:8000
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: $(READY)  ## strict build into site/
	$(BIN)/mkdocs build --strict

test: build browser $(CHECKOV) envs  ## set up, build strictly, run every test (on the site just built)
	BUILT_SITE=site $(BIN)/pytest

# The environments snippet folders declare apart from the site's pins (chapter 33's evaluation, chapter 22's
# agent): built here, before the tests, into .venv-envs/ (the tests find them there and download nothing).
DECLARED_ENVS := $(wildcard snippets/*/requirements.txt snippets/*/*/requirements.txt)
envs: $(READY)
	$(BIN)/python -m tests.fake_azure.job_envs $(DECLARED_ENVS)

test-azure: $(READY)  ## the real_azure snippets against a real workspace (az login; AZURE_SUBSCRIPTION_ID, AZURE_RESOURCE_GROUP, AZUREML_WORKSPACE_NAME)
	$(BIN)/pytest --real-azure --force-enable-socket --no-cov -n 0 tests/real_azure

browser:  ## install Debian's chromium when CHROMIUM is missing (needs root, as in CI)
	@test -x "$(CHROMIUM)" || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

bench: $(READY) browser bench/node_modules/.installed  ## build time, page weight, Lighthouse and test time beside a plain Material build; checks the budgets
	$(BIN)/python -m bench.measure

bench/node_modules/.installed: bench/package.json bench/package-lock.json  # Lighthouse from npm, exact versions
	npm ci --prefix bench --no-audit --no-fund --ignore-scripts
	touch $@

diagrams: $(READY) browser  ## draw each page's Mermaid diagrams to SVG (docs/assets/diagrams/), light and dark
	$(BIN)/python tools/render_diagrams.py

offline: $(READY)  ## a zip of the site that works opened from disk (file://), search included
	rm -rf site-offline
	OFFLINE=true $(BIN)/mkdocs build --strict -d site-offline
	cd site-offline && ../$(BIN)/python -m zipfile -c ../dp100-study-notes-offline.zip .

clean:
	rm -rf site site-offline dp100-study-notes-offline.zip .coverage

$(CHECKOV): requirements-checkov.txt  # the Bicep checker, apart from the site's pins
	$(PYTHON) -m venv .venv-checkov
	.venv-checkov/bin/pip install --quiet -r requirements-checkov.txt
	touch $@

$(READY): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@
