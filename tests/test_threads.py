"""Parsers used from several threads at once give the right results; one parser shared is refused."""
from __future__ import annotations

import threading

import pybudget
from conftest import seed_paths


def test_many_parsers_in_many_threads():
    paths = seed_paths()
    if not paths:
        import pytest

        pytest.skip("../shared/seeds is not present")
    data = [p.read_bytes() for p in paths]
    expected = [[tuple(r) for r in pybudget.stream(d)] for d in data]
    results: dict[tuple[int, int], list] = {}
    errors: list[BaseException] = []

    def work(t: int) -> None:
        try:
            for round_ in range(6):
                i = (t + round_) % len(data)
                parser = pybudget.Parser()
                recs = []
                for k in range(0, len(data[i]), 997):  # small feeds: many GIL releases
                    recs += parser.feed(data[i][k:k + 997])
                recs += parser.close()
                results[(t, round_)] = [tuple(r) for r in recs]
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(6)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors
    assert len(results) == 36
    for (t, round_), got in results.items():
        assert got == expected[(t + round_) % len(data)]
