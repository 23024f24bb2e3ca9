# On a fresh machine with Python 3.11 and make:
#   make run    render every example in inputs/examples/ into outputs/
#   make test   run the whole test suite
#   make fuzz   the property tests with thousands of generated inputs each (several minutes)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
# Reinstall only when the project's metadata changes; otherwise both targets start at once.
STAMP  := $(VENV)/.installed

.PHONY: run test fuzz clean

run: $(STAMP)
	$(BIN)/grantdocs batch inputs/examples --out outputs

test: $(STAMP)
	$(BIN)/python -m pytest

# The same properties as `make test` checks on a few fixed examples, on thousands of random ones;
# the statistics say how many each test tried. FUZZ_EXAMPLES=N sets the base count (2000).
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest tests/test_properties.py -q --hypothesis-show-statistics -p no:randomly

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

clean:
	rm -rf $(VENV) outputs/*/ .pytest_cache
