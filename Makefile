# Two commands matter on a fresh machine (python3, pip and make only):
#   make demo   - install everything and run the demo (emulator, or the real service with ONEMINAI_API_KEY)
#   make test   - install everything and run every test
SHELL := /bin/bash
PYTHON ?= python3
UV := $(PYTHON) -m uv
PYTEST_ARGS ?=

.PHONY: demo test test-lowest install uv lint type bench emulator clean docs docs-serve dist

uv:
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv || $(PYTHON) -m pip install --quiet --user uv

install: uv
	$(UV) sync --all-packages --frozen --quiet

demo: install
	$(UV) run --frozen python examples/demo.py

test: install
	$(UV) run --frozen pytest -n 2 $(PYTEST_ARGS)

# Each libs/* package's tests against its dependency floors (uv --resolution lowest-direct),
# in .venv-lowest/<package>; downloads from PyPI on the first run (scripts/lowest.py).
test-lowest: install
	$(UV) run --frozen python scripts/lowest.py

lint: install
	$(UV) run --frozen ruff check libs tests bench examples
	$(UV) run --frozen ruff format --check libs tests bench examples

type: install
	$(UV) run --frozen mypy

bench: uv
	$(UV) sync --all-packages --frozen --group bench --quiet
	$(UV) run --frozen python -m bench

emulator: install
	$(UV) run --frozen oneminai-emulator --port 8765

# The documentation site (mkdocs-material + mkdocstrings), built offline into site/.
# NO_MKDOCS_2_WARNING silences mkdocs-material's end-of-life notice on stderr.
docs: install
	NO_MKDOCS_2_WARNING=1 $(UV) run --frozen mkdocs build --strict

docs-serve: install
	NO_MKDOCS_2_WARNING=1 $(UV) run --frozen mkdocs serve

# Wheels and sdists of every libs/* package into dist/, checked (metadata, LICENSE, README,
# py.typed, no tests or caches) and installed into a fresh venv; offline (scripts/dist.py).
dist: install
	$(UV) run --frozen python scripts/dist.py --out dist

clean:
	rm -rf .venv .venv-lowest .pytest_cache .mypy_cache .ruff_cache dist
