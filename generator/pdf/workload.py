"""How much converting a document costs LibreOffice, and documents shared among parallel jobs by
that cost, so that the jobs end together.

Measured here on the examples (CPU time of a LibreOffice kept running, per document): about
0.03 s whatever the document, plus 1 ms per KB of its body (word/document.xml, uncompressed) —
0.04 s for a Part 2, 0.06 s for a decision form, 0.1 s for a pack or an agreement, 0.13 s for
the largest report. The size of the .docx says less: most of it is the template's styles.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

BODY = "word/document.xml"
FIXED_COST_BYTES = 30_000  # a document's fixed cost (load, layout, export), as bytes of body


def cost(members: Sequence[tuple[str, bytes]]) -> int:
    """A document's conversion cost, in bytes of body, from its package's members."""
    return FIXED_COST_BYTES + sum(len(data) for name, data in members if name == BODY)


def by_cost(costs: Sequence[tuple[Path, int]], jobs: int) -> list[list[Path]]:
    """The documents in at most `jobs` shares of nearly equal cost: the costliest first, each to
    the share with the least so far (within 4/3 of the best split, and much nearer with many
    small documents). Round robin would give one job every pack when they come in step."""
    shares: list[list[Path]] = [[] for _ in range(max(1, jobs))]
    loads = [0] * len(shares)
    for path, weight in sorted(costs, key=lambda item: -item[1]):  # stable: equal costs keep their order
        least = loads.index(min(loads))
        shares[least].append(path)
        loads[least] += weight
    return [share for share in shares if share]
