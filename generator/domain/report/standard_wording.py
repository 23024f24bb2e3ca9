"""Standard wording of the MPS supporting report (generator/domain/report/wording.yaml)."""

from __future__ import annotations

from pydantic import Field

from generator.domain.common.base import InputModel, Text


class ReportWording(InputModel):
    """Headings and set phrases every MPS report uses; `{name}` marks a value filled in."""

    classification: Text = Field(description="The Part 1 classification line; {classification} is the input's classification.")
    facts_heading: Text
    time_sensitivity: Text = Field(description="With {required_by} and {reason}.")
    sections: dict[str, Text] = Field(description="Standard sections: key → heading.")
    part_2_heading: Text
    part_2_marking: Text = Field(description="With {marking}.")
    part_2_exemption: Text = Field(description="With {sections} and {reasons}.")
    part_2_until: Text = Field(description="With {until}.")
    part_2_ends: Text = Field(description="With {ends}, the end in words ('in 2028').")
    part_2_review: Text = Field(description="With {review}.")
