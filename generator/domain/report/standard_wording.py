"""Standard wording of the MPS supporting report (generator/domain/report/wording.yaml)."""

from __future__ import annotations

from pydantic import Field

from generator.domain.common.base import Text
from generator.domain.part_2.statement import StatementWording


class ReportWording(StatementWording):
    """Headings and set phrases every MPS report uses; `{name}` marks a value filled in."""

    classification: Text = Field(description="The Part 1 classification line; {classification} is the input's classification.")
    facts_heading: Text
    time_sensitivity: Text = Field(description="With {required_by} and {reason}.")
    sections: dict[str, Text] = Field(description="Standard sections: key → heading.")
    part_2_heading: Text
