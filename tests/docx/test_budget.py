"""The render budget's memory bound is taken from the memory of the process that renders
(generator.docx.budget), also in a batch's workers, forked with the parent's file open."""

from __future__ import annotations

import multiprocessing
import os
import sys

import pytest

from generator.docx import budget

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the memory bound reads /proc (Linux only)")


def _whose_statm() -> tuple[int, str]:
    return os.getpid(), os.readlink(f"/proc/self/fd/{budget._statm()}")


def test_the_bound_reads_this_process_memory() -> None:
    assert _whose_statm() == (os.getpid(), f"/proc/{os.getpid()}/statm")


def test_a_forked_worker_reads_its_own_memory_not_its_parents() -> None:
    budget._statm()  # open here first, as a batch's parent has before it forks its workers
    with multiprocessing.get_context("fork").Pool(1) as pool:
        child, target = pool.apply(_whose_statm)
    assert child != os.getpid()
    assert target == f"/proc/{child}/statm"
