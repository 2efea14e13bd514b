"""Every document audits itself: narrative facts and cross-checks (勾稽).

>>> findings = pybudget.parse("000.txt").check()
>>> sorted({(f.rule, f.line) for f in findings if f.severity == "error"})
[('text.vs_table', 461), ('text.vs_table', 495), ('text.vs_table', 509)]

Rules live in small modules by what they compare: inside one table
(:mod:`.table_rules`), across tables (:mod:`.cross_rules`), the prose against
the tables and itself (:mod:`.text_rules`), the document's shape
(:mod:`.structure_rules`). Each has a stable id, a severity and a one-line
description in :data:`RULES`; rounding tolerances are in :mod:`.tolerance`.
"""
from __future__ import annotations

from collections.abc import Iterable

from ..model import Document
from . import cross_rules, lookup, structure_rules, table_rules, text_rules  # noqa: F401  (importing registers the rules)
from .base import RULES, Context, Finding, Rule, Severity, rule

# Rules run and are listed table → cross → text → structure (within a module, as written).
_GROUPS = ("table", "cross", "text", "structure")
_ordered = sorted(RULES.values(), key=lambda r: _GROUPS.index(r.id.split(".")[0]))
RULES.clear()
RULES.update((r.id, r) for r in _ordered)

__all__ = ["RULES", "Finding", "Rule", "Severity", "check_document", "rule", "rules_markdown", "select_rules"]


def select_rules(rules: Iterable[str] | None = None) -> list[Rule]:
    """The rules to run: all, or those whose id equals or starts with one of
    ``rules`` ('text' selects every text.* rule). Unknown names raise ValueError."""
    if rules is None:
        return list(RULES.values())
    wanted = [r.strip() for r in rules if r.strip()]
    chosen = []
    for r in RULES.values():
        if any(r.id == w or r.id.startswith(w.rstrip(".") + ".") for w in wanted):
            chosen.append(r)
    unknown = [w for w in wanted if not any(r.id == w or r.id.startswith(w.rstrip(".") + ".") for r in RULES.values())]
    if unknown:
        raise ValueError(f"unknown rule(s): {', '.join(unknown)}; known: {', '.join(RULES)}")
    return chosen


def check_document(doc: Document, *, tolerance_units: int = 1, rules: Iterable[str] | None = None) -> list[Finding]:
    """Runs the checks on one document; findings in document order (by first line).

    ``tolerance_units`` is how many units of a table's last printed digit are
    allowed per summed item (尾差); ``rules`` selects rules by id or prefix.
    """
    if tolerance_units < 0:
        raise ValueError("tolerance_units must be >= 0")
    lookup.forget(doc.tables)  # derive everything afresh: the document may have changed since the last run
    ctx = Context(doc, tolerance_units)
    seen: set[tuple[object, ...]] = set()
    out: list[Finding] = []
    try:
        for f in ctx.run(select_rules(rules)):
            key = (f.rule, f.lines, f.expected, f.actual, f.message_zh)
            if key not in seen:
                seen.add(key)
                out.append(f)
    finally:
        # What the run derived refers back to its tables (a project list to its table): dropped now,
        # the document is freed as soon as its last reference goes, not at the next garbage collection.
        lookup.forget(doc.tables)
    out.sort(key=lambda f: (f.lines[0] if f.lines else 0, f.rule))
    return out


def rules_markdown() -> str:
    """The rule list as a Markdown table (id, severity, description) for the README."""
    lines = ["| rule | severity | checks |", "|---|---|---|"]
    lines += [f"| `{r.id}` | {r.severity} | {r.description} |" for r in RULES.values()]
    return "\n".join(lines) + "\n"
