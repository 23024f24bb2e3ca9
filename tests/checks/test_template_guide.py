"""The template owner's guide is generated from the models, and the committed copy is current."""

from __future__ import annotations

from generator.checks.template_guide import guide
from generator.checks.templates import template_specs
from tests.conftest import ROOT


def test_the_committed_guide_is_what_grantdocs_prints() -> None:
    committed = (ROOT / "docs" / "templates.md").read_text(encoding="utf-8")
    assert committed == guide(), "run: grantdocs templates guide > docs/templates.md"


def test_it_covers_every_template_and_the_tags_each_may_use() -> None:
    text = guide()
    for spec in template_specs():
        assert f"## {spec.name}\n" in text
    assert "- `report.title` (text)" in text
    assert "{% for recommendation in report.recommendations %}" in text
    assert "- `agreement.offer_letter` (OfferLetterView, may be empty)" in text
    assert "grantdocs templates check" in text and "--dry-run" in text
    assert " at 0x" not in text, "nothing that changes from run to run"
