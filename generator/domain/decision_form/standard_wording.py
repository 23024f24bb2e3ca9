"""A version of the DMPC decision form: its template and standard wording (generator/domain/decision_form/wording/<name>.yaml)."""

from __future__ import annotations

from pydantic import Field

from generator.domain.common.base import InputModel, Text
from generator.domain.part_2.statement import StatementWording


class StandardDeclaration(InputModel):
    """A standard Originating Officer Declaration row of a form version."""

    key: str = Field(description="Name an input uses to refer to this row.")
    heading: Text
    statement: Text = Field(description="May contain {drafting_officer}, filled from the input.")
    default: bool = Field(default=True, description="Included when an input lists no declaration rows.")


class FormWording(StatementWording):
    """Defaults file of one form version (generator/domain/decision_form/wording/<name>.yaml), with
    the statement about a Part 2 that a decision without a report prints on its form."""

    name: str = Field(description="What inputs write in `decision.form`.")
    label: Text = Field(description="The form version as printed in the footer, e.g. 'DMPCD v5 - Feb 2014'.")
    template: str = Field(description="Template file name under templates/.")
    title: Text = Field(description="The form's title line; {reference} is replaced by the decision reference.")
    recommendation_intro: Text | None = None
    dmpc_interests: Text
    dmpc_approval: Text
    public_access: list[Text]
    part_2_confidentiality: Text | None = None
    officer_role: Text
    officer_statement: Text
    sections: dict[str, Text] = Field(description="Standard PART I sections: key → heading.")
    background_heading: Text = Field(description="Heading of the last section, listing background papers.")
    declarations: list[StandardDeclaration]
