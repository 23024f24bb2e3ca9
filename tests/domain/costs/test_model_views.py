"""A report's cost tables are laid out once, for the tables they were made from."""

from __future__ import annotations

from generator.inputs.load import load_decision
from tests.conftest import EXAMPLES


def test_views_are_made_once_and_again_for_a_copy_with_other_tables() -> None:
    report = load_decision(EXAMPLES / "ocs-grant-2023-24.yaml").report
    assert report is not None and report.costs is not None
    costs = report.costs
    views = costs.views()
    assert costs.views() is views, "the money check and the documents share one layout"
    assert all(costs.view(title) is view for title, view in views.items())
    first = costs.staffing[0]
    fewer = costs.model_copy(update={"staffing": costs.staffing[1:], "summaries": []})
    assert first.title not in fewer.views(), "a copy with other tables is laid out anew"
    assert first.title in costs.views()
