"""The kinds of document a decision yields, as their file names end. Apart from the planner, so
that the command line can list them without loading the generator (`grantdocs --help`)."""

from __future__ import annotations

KINDS = ("decision-form", "supporting-report", "decision-pack", "grant-agreement", "part-2")
PACK = "decision-pack"
PART_2 = "part-2"
