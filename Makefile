# Two commands on a fresh machine with Python 3.11 and make:
#   make run    render every example in inputs/examples/ into outputs/
#   make test   run the whole test suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
# Reinstall only when the project's metadata changes; otherwise both targets start at once.
STAMP  := $(VENV)/.installed

.PHONY: run test clean

run: $(STAMP)
	$(BIN)/grantdocs batch inputs/examples --out outputs

test: $(STAMP)
	$(BIN)/python -m pytest

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

clean:
	rm -rf $(VENV) outputs/*/ .pytest_cache
