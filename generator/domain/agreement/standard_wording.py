"""The grant agreement's standard clauses and set phrases (generator/domain/agreement/wording.yaml).

Text may hold placeholders, filled from the decision when the agreement is composed:
`{maximum_sum}`, `{period_end}` … (see PLACEHOLDERS) and `{clause:<key>}`, the number of a
clause as it comes out once optional clauses are omitted and extra ones added ("clause 5").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from generator.domain.common.base import InputModel, Text
from generator.domain.common.text import text_or_mapping

PLACEHOLDERS = {
    "authority": "the Authority's name, e.g. Home Office",
    "recipient": "the Grant Recipient's name",
    "grant_name": "the grant's name",
    "reference": "the agreement's reference",
    "decision_reference": "the decision's reference, e.g. PCD 1284",
    "has_approved": "'has approved' once the decision is signed, 'is asked to approve' in a draft",
    "approved": "'approved' once the decision is signed, 'is asked to approve' in a draft",
    "maximum_sum": "the grant, to the penny: £450,000.00",
    "period_start": "first day of the funding period: 01/04/2022",
    "period_end": "last day of the funding period: 31/03/2023",
    "financial_years": "the funding period's financial years: 2022/23, or 2023/24 to 2024/25",
    "purpose": "the agreement's purpose",
    "statutory_power": "the power the grant is paid under",
    "reporting_frequency": "how often progress is reported, e.g. quarterly",
    "match_funding": "the match funding statement (or the library's no_match_funding)",
    "publication_citation": "the legislation the Grant Recipient publishes the agreement under",
}
CLAUSE_REF = "clause"
_PLACEHOLDER = re.compile(r"\{([a-z_]+)(?::([a-z_]*))?\}")

Table = Literal["breakdown", "contacts"]


def placeholders(text: str) -> list[tuple[str, str | None]]:
    """Each `{name}` or `{clause:key}` in `text`, in order."""
    return [(m.group(1), m.group(2)) for m in _PLACEHOLDER.finditer(text)]


def unknown_placeholder(text: str) -> str | None:
    """A message for the first placeholder `text` uses that is not known, else None."""
    for name, arg in placeholders(text):
        if name == CLAUSE_REF and arg:
            continue
        if name not in PLACEHOLDERS or arg is not None:
            known = ", ".join(f"{{{k}}}" for k in PLACEHOLDERS)
            return f"unknown placeholder {{{name}{':' + arg if arg is not None else ''}}} (known: {known}, {{clause:<key>}})"
    return None


def clause_references(text: str) -> list[str]:
    """Keys of the clauses `text` refers to as {clause:<key>}."""
    return [arg for name, arg in placeholders(text) if name == CLAUSE_REF and arg]


def fill(text: str, values: Mapping[str, str], numbers: Mapping[str, int]) -> str:
    """`text` with its placeholders filled; assumes they were checked."""
    if "{" not in text:  # most text has none: no pattern to run, no function to make
        return text

    def one(match: re.Match[str]) -> str:
        name, arg = match.group(1), match.group(2)
        return f"clause {numbers[arg]}" if name == CLAUSE_REF and arg else values[name]

    return _PLACEHOLDER.sub(one, text)


def as_template(text: str) -> str:
    """`text` as a str.format template: `as_template(text).format_map(template_values(values,
    numbers))` is `fill(text, values, numbers)`. Its literal braces are doubled and each placeholder
    is a field named as `template_values` names its value. A library text is made a template once
    and then filled in every agreement in C, where `fill` calls back into Python per placeholder."""
    parts, last = [], 0
    for match in _PLACEHOLDER.finditer(text):
        name, arg = match.group(1), match.group(2)
        parts += [_literal(text[last : match.start()]), "{", f"{CLAUSE_REF}-{arg}" if name == CLAUSE_REF and arg else name, "}"]
        last = match.end()
    return "".join([*parts, _literal(text[last:])])


def template_values(values: Mapping[str, str], numbers: Mapping[str, int]) -> dict[str, str]:
    """What fills an `as_template` template: the values by name, and each clause's number by
    `clause-<key>` (a name no value has: value names have no hyphen)."""
    return {**values, **{f"{CLAUSE_REF}-{key}": f"clause {n}" for key, n in numbers.items()}}


def _literal(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def _known(text: str) -> str:
    problem = unknown_placeholder(text)
    if problem:
        raise ValueError(problem)
    return text


LibraryText = Annotated[Text, AfterValidator(_known)]


class Definition(InputModel):
    """A defined term: '"Grant" means …'."""

    term: Text
    meaning: LibraryText = Field(description="Completes '\"<term>\" …', e.g. 'means the Home Office.'.")


class LibraryParagraph(InputModel):
    """A numbered paragraph of a standard clause: text, then definitions, items or a table."""

    text: LibraryText
    definitions: list[Definition] = Field(default_factory=list, description="Defined terms after the text.")
    items: list[LibraryText] = Field(default_factory=list, description="Numbered items (1.1.1 …).")
    table: Table | None = Field(default=None, description="A table after the text: breakdown or contacts.")

    _from_string = model_validator(mode="before")(text_or_mapping)


class StandardClause(InputModel):
    """A standard clause, in the order clauses are numbered."""

    key: str = Field(description="Name inputs use to omit the clause or place one after it.")
    heading: Text
    optional: bool = Field(default=False, description="Whether an input may omit it.")
    paragraphs: list[LibraryParagraph] = Field(min_length=1)


class Annex(InputModel):
    """An annex's heading and the paragraphs before its table."""

    heading: Text
    intro: list[LibraryText] = Field(default_factory=list)


LETTER_PLACEHOLDERS = {
    "recipient": "the Grant Recipient's name",
    "grant_name": "the grant's name",
    "reference": "the agreement's reference",
    "decision_reference": "the decision's reference",
    "approved": "'approved' once the decision is signed, 'is asked to approve' in a draft",
    "maximum_sum": "the grant, to the penny",
    "financial_years": "the funding period's financial years",
    "by_year": "the grant by financial year: '£410,000.00 in 2019/20 and £410,000.00 in 2020/21'",
    "purpose": "the grant's purpose",
    "accept_by": "the date the offer lapses unless accepted: 31st March 2019",
}
_LETTER_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def fill_letter(text: str, values: Mapping[str, str]) -> str:
    """A letter's text with its placeholders filled; assumes they were checked."""
    return _LETTER_PLACEHOLDER.sub(lambda m: values[m.group(1)], text)


def _letter_text(text: str) -> str:
    for name in _LETTER_PLACEHOLDER.findall(text):
        if name not in LETTER_PLACEHOLDERS:
            known = ", ".join(f"{{{k}}}" for k in LETTER_PLACEHOLDERS)
            raise ValueError(f"unknown placeholder {{{name}}} (known: {known})")
    return text


LetterText = Annotated[Text, AfterValidator(_letter_text)]


class OfferLetterWording(InputModel):
    """The covering grant offer letter: its subject, paragraphs and close."""

    subject: LetterText = Field(description="The letter's heading, e.g. 'Offer of grant: {grant_name}'.")
    salutation: Text = Field(description="e.g. 'Dear Colleague,'.")
    paragraphs: list[LetterText] = Field(min_length=1)
    close: Text = Field(description="e.g. 'Yours faithfully,'.")


class AgreementWording(InputModel):
    """Standard wording of the grant funding agreement."""

    title: Text = Field(description="The document's title, e.g. 'GRANT FUNDING AGREEMENT'.")
    publication_citation: Text = Field(description="The legislation the Grant Recipient publishes the agreement under.")
    recitals: list[LibraryText] = Field(min_length=1, description="Background paragraphs (A), (B) …")
    no_match_funding: LibraryText = Field(description="The match funding statement when an input gives none.")
    signature_intro: LibraryText
    clauses: list[StandardClause] = Field(min_length=1)
    payment_annex: Annex
    kpi_annex: Annex
    claim_annex: Annex
    claim_declaration: list[LibraryText] = Field(description="What the claim form's signer certifies.")
    offer_letter: OfferLetterWording | None = Field(default=None, description="The covering offer letter, for the grants MOPAC issues.")

    @property
    def by_key(self) -> dict[str, StandardClause]:
        return {c.key: c for c in self.clauses}

    def texts(self) -> list[str]:
        """Every text that may hold placeholders (the offer letter's have their own)."""
        texts = [*self.recitals, self.no_match_funding, self.signature_intro, *self.claim_declaration]
        texts += [t for a in (self.payment_annex, self.kpi_annex, self.claim_annex) for t in a.intro]
        texts += [t for c in self.clauses for p in c.paragraphs for t in (p.text, *p.items, *(d.meaning for d in p.definitions))]
        return texts

    @model_validator(mode="after")
    def _references(self) -> AgreementWording:
        keys = [c.key for c in self.clauses]
        duplicated = sorted({k for k in keys if keys.count(k) > 1})
        if duplicated:
            raise ValueError(f"clause keys must be unique: {', '.join(duplicated)}")
        optional = {c.key for c in self.clauses if c.optional}
        for text in self.texts():
            for key in clause_references(text):
                if key not in keys:
                    raise ValueError(f"{{clause:{key}}}: no clause has the key {key!r}")
                if key in optional:
                    raise ValueError(f"{{clause:{key}}}: clause {key!r} is optional, so an input could omit it")
        return self
