"""Golden fixtures: small documents written for the tests beside their expected record logs.

Each ``tests/golden/NAME.txt`` is parsed whole and at a 3-byte chunk size and
compared with ``NAME.records`` (one JSON array per record). Review a changed
log like code; regenerate with ``PYBUDGET_UPDATE_GOLDEN=1 pytest tests/test_golden.py``.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import pybudget

GOLDEN = Path(__file__).resolve().parent / "golden"
CASES = sorted(GOLDEN.glob("*.txt"))


def record_log(data: bytes, chunk: int | None = None) -> str:
    parser = pybudget.Parser()
    records = []
    step = chunk or len(data) or 1
    for i in range(0, len(data), step):
        records += parser.feed(data[i:i + step])
    records += parser.close()
    return "".join(json.dumps(list(r), ensure_ascii=False) + "\n" for r in records)


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_golden(case):
    data = case.read_bytes()
    log = record_log(data)
    expected = case.with_suffix(".records")
    if os.environ.get("PYBUDGET_UPDATE_GOLDEN"):
        expected.write_text(log, encoding="utf-8")
    assert log == expected.read_text(encoding="utf-8")
    assert record_log(data, chunk=3) == log
