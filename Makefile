# On a fresh machine with Python 3.11 and make:
#   make run    render every example in inputs/examples/ into outputs/
#   make test   lint, format and type checks, then the whole test suite
#   make fuzz   the property tests with thousands of generated inputs each (several minutes)
#   make lock   re-resolve requirements.txt from pyproject.toml (newest versions that fit)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --quiet --disable-pip-version-check
# Reinstall only when the lock or the project's metadata changes; otherwise targets start at once.
STAMP  := $(VENV)/.installed

.PHONY: run serve test lint fuzz lock clean

run: $(STAMP)
	$(BIN)/grantdocs batch inputs/examples --out outputs

# The web app over inputs/ (examples included) at http://127.0.0.1:8000/.
serve: $(STAMP)
	$(BIN)/grantdocs serve inputs

test: lint
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The same properties as `make test` checks on a few fixed examples, on thousands of random ones;
# the statistics say how many each test tried. FUZZ_EXAMPLES=N sets the base count (2000).
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest tests/e2e/test_properties.py -q --hypothesis-show-statistics -p no:randomly

# Every package at the version and hash in requirements.txt, the build backend included, so the
# project installs with nothing fetched unpinned; then grantdocs itself, editable, from this tree.
$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --require-hashes --no-deps -r requirements.txt
	$(PIP) install --no-deps --no-build-isolation -e .
	@touch $@

# pip-tools lives in a venv of its own so the project's venv holds only what the lock says.
lock:
	@test -x .venv-lock/bin/pip-compile || ($(PYTHON) -m venv .venv-lock && .venv-lock/bin/python -m pip install --quiet pip-tools)
	CUSTOM_COMPILE_COMMAND="make lock" .venv-lock/bin/pip-compile --quiet --upgrade --generate-hashes --allow-unsafe \
	  --strip-extras --no-emit-index-url --no-emit-find-links --extra test --all-build-deps -o requirements.txt pyproject.toml
	rm -f $(STAMP)

clean:
	rm -rf $(VENV) .venv-lock outputs/*/ outputs-confidential .pytest_cache .mypy_cache .ruff_cache
