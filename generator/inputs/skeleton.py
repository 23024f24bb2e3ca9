"""A commented starting input for a new decision: valid once its blanks are filled."""

from __future__ import annotations

import os
from pathlib import Path

from generator.domain.decision_form.standard_wording import FormWording
from generator.inputs.schema import SCHEMA_FILE


def schema_location(path: Path) -> str:
    """Where the committed JSON schema is, seen from the input at `path`: a relative path, as an
    editor's modeline resolves it against the file (a file URI where no relative path leads there)."""
    try:
        return Path(os.path.relpath(SCHEMA_FILE, path.resolve().parent)).as_posix()
    except ValueError:  # another drive
        return SCHEMA_FILE.as_uri()


def decision_skeleton(version: FormWording, *, schema: str) -> str:
    """YAML text for `grantdocs new decision`, listing the form version's standard sections; its
    first line tells editors (yaml-language-server) to check it against `schema`."""
    sections = "\n".join(
        f"    - key: {key}  # {heading}\n      paragraphs:\n        -  # paragraph {n}.1; add more lines starting '- '"
        for n, (key, heading) in enumerate(version.sections.items(), start=1)
    )
    declaration_rows = "\n".join(f"    - key: {d.key}\n      confirmed: no" for d in version.declarations if d.default)
    intro = version.recommendation_intro or "(this form has no lead-in: write whole sentences)"
    return f"""\
# yaml-language-server: $schema={schema}
# A new DMPC decision ({version.label}).
# Fill every blank line, then check it:   grantdocs validate THIS_FILE
# and make the documents:                 grantdocs generate THIS_FILE
# Standard wording (FOIA paragraphs, declaration statements, approval text) comes from the
# form version; override it only where this decision differs (see README, "Input format").

reference:   # e.g. PCD 1301 (or DMPCD 2015 148 for an older decision)
title:       # the decision's title, as it will be published

# money:   # the sums this decision moves, each with a key the recommendations point at
#          # (README, "Money"); every sum the text writes is checked against them
#   funding:
#     - {{key: fund, source: the … budget, kind: budget, by_year: {{2025/26: 100000.00}}}}
#   grants:
#     - {{key: recipient, recipient: London Borough of …, funded_by: fund, by_year: {{2025/26: 100000.00}}}}

decision_form:
  form: {version.name}

  executive_summary:
    -   # what is asked for, how much, and why; add paragraphs as further '- ' lines

  recommendations:   # each completes: {intro}
    -   # e.g. accept grant funding of £450,000.00 from …
    #     or, pointing at a sum under money:  - {{text: approve a grant of £100,000.00 to …, money: recipient}}

  dmpc:
    date:   # filled in when the DMPC signs (YYYY-MM-DD); leave blank until then

  part_1:
{sections}

  background_papers: []   # e.g. - Appendix 1 MPS Report - …

  publication:
    defer_part_1: no   # yes needs deferral_reason and deferred_until
    part_2: no

  drafting_officer:   # your name, for the Drafting Officer declaration

  # The Originating Officer Declaration: a row is ticked only once it is confirmed
  # (confirmed: yes, and optionally confirmed_by: and confirmed_on:), or marked N/A with the
  # reason (not_applicable: …). The DMPC cannot sign while a row is neither. Rows may be
  # reordered, left out or reworded (statement: …).
  declarations:
{declaration_rows}

  officer_approval:
    date:   # when the {version.officer_role} approves (on or before the DMPC's date)
"""
