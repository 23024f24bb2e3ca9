"""Hypothesis settings and the generated text every property test shares: valid document text
made of random and hostile pieces, and paragraphs of it."""

from __future__ import annotations

import os
import re

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from generator.domain.common.base import TYPED_LIST_MARKER, deceptive
from tests.conftest import ROOT

# No example database; Hypothesis's caches go under .pytest_cache, not into the work tree.
# derandomize makes CI's examples the same on every run.
set_hypothesis_home_dir(ROOT / ".pytest_cache" / "hypothesis")
settings.register_profile(
    "ci",
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "fuzz",
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "2000")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def examples(scale: float) -> settings:
    """The profile's number of examples, scaled for a test much cheaper or dearer than the rest."""
    default = settings.default
    assert default is not None  # the profile loaded above
    return settings(max_examples=max(5, int(default.max_examples * scale)))


# ------------------------------------------------------------------------------- generated text

# What the reader refuses (XML cannot hold it, or nobody means to type it); lone surrogates
# (category Cs) are left out as well.
REFUSED = [*map(chr, range(0x09)), *map(chr, range(0x0E, 0x20)), "\x7f", "\ufffe", "\uffff"]
# NEL is a YAML 1.1 line break that YAML itself folds into a space: PyYAML's own dump and load
# lose it, so it would test PyYAML, not grantdocs.
CHARACTERS = st.characters(exclude_categories=["Cs"], exclude_characters=[*REFUSED, "\x85"])
PIECES = [
    "<b>", "</w:t>", "&amp;", "&lt;", "]]>", "<![CDATA[", "<?xml?>", "{{ 7*7 }}", "{{ title }}",
    "{% if %}", "{% endif %}", "{#", "#}", "{%p endfor %}", "{{r x }}", "{_{", "}_}", "{_%",
    '"', "'", "“", "”", "‘", "\\", "`", "|", ">", "*a", "&a", "!tag", "%", "@", ": ", " #",
    "- ", "1. ", "•", "a) ", "---", "...", "~", "null", "yes", "no", "1e3", "0x1F", "2022-11-03",
    "£1,000.50", "😀", "👩‍👩‍👧", "🇬🇧", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "𠜎", "مرحبا بالعالم", "שלום", "\u200d",
    "\xad", "\xa0", "\U0010fc00", "\U0010fc0b", "\U0010fc41",  # the reader's stand-ins
    "\t", "\n", "\r\n", "\r", "\x0b", "\x0c", "\u2028", "\u2029", " ", "  ",
]  # fmt: skip
_BREAK = re.compile("\r\n?|[\x0b\x0c\u2028\u2029]")


def normalised(value: str) -> str:
    """The text a document shows for `value`, as documented: Word's breaks, CR LF and lone CR
    become line breaks, tabs spaces, and the ends are trimmed."""
    return _BREAK.sub("\n", value).replace("\t", " ").strip()


@st.composite
def _texts(draw: st.DrawFn) -> str:
    """Valid document text: pieces of random and hostile text, led by a word where they would
    be empty or start with a typed list marker (both refused)."""
    pieces = st.one_of(st.text(CHARACTERS, min_size=1, max_size=12), st.sampled_from(PIECES))
    value = "".join(draw(st.lists(pieces, min_size=1, max_size=6)))
    # Invisible and bidirectional controls, look-alike £ signs and other scripts' digits are
    # refused (tests/domain/common/test_values.py): text made of them is not valid document text.
    value = "".join(c for c in value if deceptive(c) is None)
    shown = normalised(value)
    if not shown or TYPED_LIST_MARKER.match(shown):
        value = draw(st.sampled_from(["Note", "«", "😀", "مرحبا", "{{"])) + value
    return value


texts = _texts()
paragraphs = st.lists(texts, min_size=1, max_size=3)
