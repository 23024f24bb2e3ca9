"""Documents shared among parallel jobs by what they cost LibreOffice, so that the jobs end together."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.pdf.workload import FIXED_COST_BYTES, by_cost, cost


def _docs(*costs: int) -> list[tuple[Path, int]]:
    return [(Path(f"doc{i}.docx"), c) for i, c in enumerate(costs)]


def _loads(shares: list[list[Path]], costs: list[tuple[Path, int]]) -> list[int]:
    of = dict(costs)
    return sorted(sum(of[path] for path in share) for share in shares)


@pytest.mark.parametrize(
    ("costs", "jobs", "loads"),
    [
        # Two packs (4) among forms (1), in step: round robin would give one job 11 and the other 5.
        ((4, 1, 4, 1, 1, 1, 1, 1, 1, 1), 2, [8, 8]),
        # One costly document: it has a job to itself, the rest share the other.
        ((9, 1, 1, 1, 1, 1), 2, [5, 9]),
        # The costliest first is not always best (3+3 against 2+2+2 would be 6 and 6), but never
        # worse than 4/3 of it.
        ((3, 3, 2, 2, 2), 2, [5, 7]),
        ((5, 4, 3), 3, [3, 4, 5]),
        ((5, 4, 3), 1, [12]),
        ((2, 1), 4, [1, 2]),  # more jobs than documents: no empty share
        ((), 2, []),
    ],
)
def test_shares_of_nearly_equal_cost(costs: tuple[int, ...], jobs: int, loads: list[int]) -> None:
    docs = _docs(*costs)
    shares = by_cost(docs, jobs)
    assert _loads(shares, docs) == loads
    assert all(shares), "no job is started for nothing"


def test_each_share_starts_with_its_costliest_document() -> None:
    docs = _docs(1, 5, 2, 4)
    assert by_cost(docs, 2) == [[Path("doc1.docx"), Path("doc0.docx")], [Path("doc3.docx"), Path("doc2.docx")]]


@given(st.lists(st.integers(min_value=FIXED_COST_BYTES, max_value=10 * FIXED_COST_BYTES), max_size=60), st.integers(1, 4))
def test_every_document_once_and_no_job_ahead_by_more_than_one_document(costs: list[int], jobs: int) -> None:
    docs = _docs(*costs)
    shares = by_cost(docs, jobs)
    assert sorted(str(p) for share in shares for p in share) == sorted(str(p) for p, _ in docs)
    assert len(shares) == min(jobs, len(docs))
    loads = _loads(shares, docs)
    if len(loads) == jobs:
        assert loads[-1] - loads[0] <= max(costs), "the busiest job was the least busy when it took its last document"


@pytest.mark.parametrize(
    ("members", "expected"),
    [
        ([("word/document.xml", b"x" * 1000), ("word/styles.xml", b"y" * 50_000)], FIXED_COST_BYTES + 1000),
        ([("word/styles.xml", b"y" * 50_000)], FIXED_COST_BYTES),  # no body: the fixed cost alone
    ],
)
def test_the_cost_is_the_body_not_the_templates_styles(members: list[tuple[str, bytes]], expected: int) -> None:
    assert cost(members) == expected
