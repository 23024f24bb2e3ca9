"""The YAML reader against libyaml's own composer: the same data, and each value and key where
the composer's node for it starts, for any data a YAML writer may write in any of its styles."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.inputs.yaml_reader import read_source

_TEXT = st.text(alphabet=st.sampled_from(list("ab Z09-#:'\"&|>{}[],*!%@`?\\\t\n£’é")), max_size=12)
_DATA = st.recursive(
    st.none() | _TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TEXT.filter(str.strip), inner, max_size=4),
    max_leaves=25,
)


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def _composed(text: str) -> tuple[Any, dict[tuple[Any, ...], tuple[int, int]], dict[tuple[Any, ...], tuple[int, int]]]:
    """Data, value positions and key positions as libyaml's composer gives them."""
    values: dict[tuple[Any, ...], tuple[int, int]] = {}
    keys: dict[tuple[Any, ...], tuple[int, int]] = {}

    def at(node: yaml.Node) -> tuple[int, int]:
        return (node.start_mark.line + 1, node.start_mark.column + 1)

    def walk(node: yaml.Node, loc: tuple[Any, ...]) -> Any:
        values[loc] = at(node)
        if isinstance(node, yaml.MappingNode):
            found = {}
            for key, value in node.value:
                keys[loc + (key.value,)] = at(key)
                found[key.value] = walk(value, loc + (key.value,))
            return found
        if isinstance(node, yaml.SequenceNode):
            return [walk(item, loc + (i,)) for i, item in enumerate(node.value)]
        return None if node.tag == "tag:yaml.org,2002:null" else node.value  # as the composer resolves it

    root = yaml.compose(text, Loader=yaml.CSafeLoader)
    return (walk(root, ()) if root is not None else {}), values, keys


@given(
    data=st.dictionaries(_TEXT.filter(str.strip), _DATA, min_size=1, max_size=5),
    flow=st.sampled_from([False, True, None]),
    style=st.sampled_from([None, "'", '"', "|"]),
    width=st.sampled_from([20, 80]),
)
@settings(max_examples=300, deadline=None)
def test_the_reader_gives_the_data_and_positions_libyaml_composes(data: Any, flow: bool | None, style: str | None, width: int) -> None:
    text = yaml.dump(data, Dumper=_NoAliases, default_flow_style=flow, default_style=style, width=width, allow_unicode=True)
    source = read_source(Path("input.yaml"), text.encode("utf-8"), raise_problems=False)
    expected, values, keys = _composed(text)
    assert source.data == expected
    assert source.values == values
    assert source.keys == keys
