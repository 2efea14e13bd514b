"""Scores parsed documents against the generator's truth sidecars.

Fields are counted per table kind: every figure (row × measure) the truth
holds is one field; a parsed figure is right when the same table kind (n-th
occurrence), row (code, name, side) and measure carry the same amount in 元.
Precision = right / parsed figures in matched tables, recall = right / truth
figures. Rows, projects (fund figures) and indicators are scored the same way.
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pybudget


@dataclass
class Score:
    """Right / parsed / expected counts for one category."""

    right: int = 0
    parsed: int = 0
    expected: int = 0

    def add(self, other: "Score") -> None:
        self.right += other.right
        self.parsed += other.parsed
        self.expected += other.expected

    @property
    def precision(self) -> float:
        return self.right / self.parsed if self.parsed else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.expected if self.expected else 1.0


@dataclass
class DocScore:
    """Scores of one document by category, and the differences found."""

    scores: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))
    misses: list[str] = field(default_factory=list)


def _row_key(code: Any, name: str, side: Any) -> tuple:
    return (code or None, name, side or None)


def score_document(doc_dict: dict[str, Any], truth: dict[str, Any]) -> DocScore:
    """Compares one parsed document (``Document.to_dict(findings=False)``) with its truth."""
    out = DocScore()
    parsed_by_kind: dict[str, list[dict]] = defaultdict(list)
    for t in doc_dict["tables"]:
        parsed_by_kind[t["kind"]].append(t)
    seen: Counter = Counter()
    for tt in truth["tables"]:
        kind = tt["kind"]
        if kind == "performance_overall":
            # the overall target's budget grid is read into project fields and
            # indicators, not table rows: scored under indicators
            continue
        idx = seen[kind]
        seen[kind] += 1
        table = parsed_by_kind[kind][idx] if idx < len(parsed_by_kind[kind]) else None
        s_tab = out.scores["tables"]
        s_tab.expected += 1
        if table is None:
            out.misses.append(f"missing table {kind}#{idx}")
            for r in tt["rows"]:
                out.scores["rows"].expected += 1
                out.scores["figures"].expected += len(r["values"])
            continue
        s_tab.parsed += 1
        s_tab.right += int(table["unit"] == tt["unit"])
        parsed_rows: dict[tuple, list[dict]] = defaultdict(list)
        for r in table["rows"]:
            # unit codes (部门(单位)代码) are kept as a text cell, not a classification code
            code = r["code"] or r["texts"].get("unit_code")
            parsed_rows[_row_key(code, r["name"], r["side"])].append(r)
        # rows of a target summary that carry only indicator cells are scored as indicators
        carriers = [r for r in table["rows"] if kind == "performance_summary" and not r["name"] and not r["code"]]
        out.scores["rows"].parsed += len(table["rows"]) - len(carriers)
        out.scores["figures"].parsed += sum(sum(v is not None for v in r["values"].values()) for r in table["rows"])
        used: Counter = Counter()
        for r in tt["rows"]:
            key = _row_key(r["code"], r["name"], r["side"])
            out.scores["rows"].expected += 1
            out.scores["figures"].expected += len(r["values"])
            cands = parsed_rows.get(key, [])
            if used[key] >= len(cands):
                out.misses.append(f"{kind}: missing row {key}")
                continue
            pr = cands[used[key]]
            used[key] += 1
            out.scores["rows"].right += 1
            for m, v in r["values"].items():
                if pr["values"].get(m) == v:
                    out.scores["figures"].right += 1
                else:
                    out.misses.append(f"{kind} {key} {m}: {pr['values'].get(m)} != {v}")
    # projects: fund figures by project name
    parsed_projects = {p["name"]: p for p in doc_dict["projects"] if not p["overall"]}
    for p in truth.get("projects", []):
        got = parsed_projects.get(p["name"])
        s = out.scores["project_funds"]
        s.expected += len(p["funds"])
        if got is None:
            out.misses.append(f"missing project {p['name']}")
            continue
        s.parsed += sum(v is not None for v in got["funds"].values())
        for k, v in p["funds"].items():
            if got["funds"].get(k) == v:
                s.right += 1
            else:
                out.misses.append(f"project {p['name']} {k}: {got['funds'].get(k)} != {v}")
    # indicators: (side, level1, level2, name, value) as a multiset
    def ikey(i: dict) -> tuple:
        return (i.get("side") or None, i["level1"] or None, i["level2"] or None, i["name"], i["value"])

    truth_ind = Counter(ikey(i) for i in truth.get("indicators", []))
    parsed_ind = Counter(ikey(i) for i in doc_dict["indicators"])
    s = out.scores["indicators"]
    s.expected += sum(truth_ind.values())
    s.parsed += sum(parsed_ind.values())
    s.right += sum((truth_ind & parsed_ind).values())
    for k in list((truth_ind - parsed_ind).elements())[:5]:
        out.misses.append(f"indicator missing {k}")
    return out


def score_corpus(folder: Path) -> dict[tuple[str, str], dict[str, Score]]:
    """Scores every generated document under ``folder`` by (family, rendering)."""
    totals: dict[tuple[str, str], dict[str, Score]] = defaultdict(lambda: defaultdict(Score))
    for truth_path in sorted(folder.glob("*.truth.json")):
        truth = json.loads(truth_path.read_text("utf-8"))
        src = truth_path.with_name(truth["source"])
        doc = pybudget.parse(src).to_dict(findings=False)
        result = score_document(doc, truth)
        for name, sc in result.scores.items():
            totals[(truth["family"], truth["rendering"])][name].add(sc)
    return totals


if __name__ == "__main__":
    import sys

    folder = Path(sys.argv[1])
    verbose = "-v" in sys.argv
    grand: dict[str, Score] = defaultdict(Score)
    for (family, rendering), scores in sorted(score_corpus(folder).items()):
        cells = []
        for name, sc in scores.items():
            grand[name].add(sc)
            cells.append(f"{name} P={sc.precision:.3f} R={sc.recall:.3f}")
        print(f"{family:8s} {rendering:10s} " + "  ".join(cells))
    print("all      " + "  ".join(f"{n} P={s.precision:.4f} R={s.recall:.4f}" for n, s in grand.items()))
    if verbose:
        for truth_path in sorted(folder.glob("*.truth.json"))[:int(sys.argv[3]) if len(sys.argv) > 3 else 5]:
            truth = json.loads(truth_path.read_text("utf-8"))
            doc = pybudget.parse(truth_path.with_name(truth["source"])).to_dict(findings=False)
            res = score_document(doc, truth)
            print("==", truth["source"], len(res.misses))
            for m in res.misses[:15]:
                print("   ", m)
