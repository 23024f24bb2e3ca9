"""An input's problems and warnings as `validate` prints them, the file's path shown as FILE."""

from __future__ import annotations

import pytest

from generator.errors import InputError
from generator.inputs.load import read_decision
from tests.conftest import WriteInput


def problems_of(write_input: WriteInput, text: str) -> list[str]:
    """Each problem of the input `text`, which must have at least one."""
    path = write_input(text)
    with pytest.raises(InputError) as caught:
        read_decision(path)
    return [str(p).replace(str(path), "FILE") for p in caught.value.problems]


def warnings_of(write_input: WriteInput, text: str) -> list[str]:
    """Each warning of the input `text`, which must be valid."""
    path = write_input(text)
    return [str(w).replace(str(path), "FILE") for w in read_decision(path).warnings]


def assert_one(lines: list[str], field: str, message: str) -> None:
    """That one of `lines` is `message` about `field`."""
    assert any(f": {field}: {message}" in line for line in lines), "\n".join(lines)
