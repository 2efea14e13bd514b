"""Timing helpers shared by the benchmark scripts."""
from __future__ import annotations

import time
from collections.abc import Callable


def best_of(fn: Callable[[], object], repeat: int) -> float:
    """Best wall time of ``repeat`` runs: the run least disturbed by other load."""
    best = float("inf")
    for _ in range(max(1, repeat)):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def best_in_turns(fns: list[Callable[[], object]], repeat: int) -> list[float]:
    """Each function's best wall time over ``repeat`` rounds in which they take turns: a change in the
    machine's speed falls on all of them alike, so the ratio of their times holds where their times
    measured one after the other would not."""
    best = [float("inf")] * len(fns)
    for _ in range(max(1, repeat)):
        for k, fn in enumerate(fns):
            best[k] = min(best[k], best_of(fn, 1))
    return best
