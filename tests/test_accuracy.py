"""Accuracy on generated documents whose every figure is known (benchmarks/make_corpus.py)."""
from __future__ import annotations

import json
from collections import defaultdict

from benchmarks.accuracy import Score, score_document
from benchmarks.make_corpus import FAMILIES, RENDERINGS, generate_corpus

import pybudget


def test_every_family_and_rendering_is_read_right(tmp_path):
    names = generate_corpus(tmp_path, n=96, seed=5, planted=0.0)
    totals: dict[str, Score] = defaultdict(Score)
    seen = set()
    for name in names:
        truth = json.loads((tmp_path / name.replace(".txt.gz", ".txt").replace(".txt", ".truth.json"))
                           .read_text("utf-8"))
        seen.add((truth["family"], truth["rendering"]))
        result = score_document(pybudget.parse(tmp_path / name).to_dict(findings=False), truth)
        for category, score in result.scores.items():
            totals[category].add(score)
    assert {f for f, _ in seen} == set(FAMILIES) and {r for _, r in seen} == set(RENDERINGS)
    assert totals["tables"].recall == 1.0 and totals["tables"].precision == 1.0
    assert totals["figures"].expected > 20_000
    assert totals["figures"].recall >= 0.999 and totals["figures"].precision >= 0.999
    assert totals["rows"].recall >= 0.998 and totals["rows"].precision >= 0.998
    assert totals["project_funds"].recall >= 0.999 and totals["indicators"].recall >= 0.995
