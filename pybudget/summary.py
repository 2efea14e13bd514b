"""What a corpus holds: counts by province, year and kind, budget totals,
findings and errors — computed in SQL on a pybudget database (SQLite or
DuckDB), so the same code serves a loaded database and a folder of files
(loaded into an in-memory SQLite first).

The budget total of a document is its 支出总表 (``table_kind`` 'expenditure')
合计 row, measure 'total', exact in 分.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .db import Database

__all__ = ["Summary", "summarize", "format_summary", "TOTALS_SQL"]

#: One budget total per document: the first 合计 of its expenditure table.
TOTALS_SQL = """
WITH ranked AS (
    SELECT doc_id, amount_fen,
           ROW_NUMBER() OVER (PARTITION BY doc_id ORDER BY "table", "row") AS rn
    FROM items
    WHERE table_kind = 'expenditure' AND role = 'total' AND measure = 'total' AND amount_fen IS NOT NULL
)
SELECT doc_id, amount_fen FROM ranked WHERE rn = 1
"""


@dataclass
class Summary:
    """Tables of the summary: each a list of column names and rows."""

    counts: dict[str, int] = field(default_factory=dict)
    by_region: tuple[list[str], list[tuple[Any, ...]]] = ([], [])
    by_template: tuple[list[str], list[tuple[Any, ...]]] = ([], [])
    findings: tuple[list[str], list[tuple[Any, ...]]] = ([], [])
    errors: tuple[list[str], list[tuple[Any, ...]]] = ([], [])
    total_fen: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: tables as lists of row objects."""
        def rows(t: tuple[list[str], list[tuple[Any, ...]]]) -> list[dict[str, Any]]:
            return [dict(zip(t[0], r)) for r in t[1]]

        return {"counts": self.counts, "total_fen": self.total_fen, "by_region": rows(self.by_region),
                "by_template": rows(self.by_template), "findings": rows(self.findings),
                "errors": rows(self.errors)}

    def to_json(self, **kwargs: Any) -> str:
        """``to_dict`` as JSON text."""
        kwargs.setdefault("ensure_ascii", False)
        return json.dumps(self.to_dict(), **kwargs)


def summarize(db: Database, top: int = 15) -> Summary:
    """The summary of everything in ``db``."""
    s = Summary()
    for name in ("documents", "items", "projects", "indicators", "facts", "findings", "errors"):
        s.counts[name] = db.count(name)
    s.by_region = db.query(f"""
        WITH totals AS ({TOTALS_SQL})
        SELECT COALESCE(d.province, '?') AS province, d.year AS year, COALESCE(d.kind, '?') AS kind,
               COUNT(*) AS documents, COUNT(t.amount_fen) AS with_total, SUM(t.amount_fen) AS total_fen
        FROM documents d LEFT JOIN totals t ON t.doc_id = d.doc_id
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3""")
    s.by_template = db.query("""
        SELECT COALESCE(template, '?') AS template, COUNT(*) AS documents, SUM(tables) AS tables,
               SUM(items) AS items, SUM(projects) AS projects, SUM(warnings) AS warnings
        FROM documents GROUP BY 1 ORDER BY 2 DESC, 1""")
    total = db.query(f"SELECT SUM(amount_fen) FROM ({TOTALS_SQL}) AS t")[1]
    s.total_fen = int(total[0][0]) if total and total[0][0] is not None else None
    if s.counts["findings"]:
        cols = set(db.columns("findings"))
        rule = '"rule"' if "rule" in cols else "'?'"
        severity = '"severity"' if "severity" in cols else "'?'"
        s.findings = db.query(f"""
            SELECT COALESCE({severity}, '?') AS severity, COALESCE({rule}, '?') AS rule,
                   COUNT(*) AS findings, COUNT(DISTINCT doc_id) AS documents
            FROM findings GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT {int(top)}""")
    if s.counts["errors"]:
        s.errors = db.query("""
            SELECT code, COUNT(*) AS files, MIN(source) AS example
            FROM errors GROUP BY 1 ORDER BY 2 DESC, 1""")
    return s


def _yuan(fen: int | None) -> str:
    if fen is None:
        return "-"
    return f"{Decimal(fen).scaleb(-2):,.2f}"


def _table(names: list[str], rows: list[tuple[Any, ...]], money: set[str]) -> list[str]:
    head = [("total (元)" if n == "total_fen" else n) for n in names]
    body = [[_yuan(v) if n in money else ("-" if v is None else str(v)) for n, v in zip(names, r)] for r in rows]
    widths = [max([_width(h)] + [_width(r[i]) for r in body]) for i, h in enumerate(head)]
    numeric = [all(_is_num(r[i]) for r in body) and bool(body) for i in range(len(head))]

    def line(cells: list[str]) -> str:
        return "  ".join(_pad(c, w, right) for c, w, right in zip(cells, widths, numeric)).rstrip()

    return [line(head), line(["-" * w for w in widths])] + [line(r) for r in body]


def _width(s: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in s)


def _pad(s: str, width: int, right: bool) -> str:
    gap = " " * (width - _width(s))
    return gap + s if right else s + gap


def _is_num(s: str) -> bool:
    return s.replace(",", "").replace(".", "").replace("-", "").isdigit() or s == "-"


def format_summary(s: Summary) -> str:
    """The summary as plain text tables."""
    c = s.counts
    out = [f"documents {c.get('documents', 0):,}   items {c.get('items', 0):,}   projects {c.get('projects', 0):,}"
           f"   indicators {c.get('indicators', 0):,}   facts {c.get('facts', 0):,}"
           f"   findings {c.get('findings', 0):,}   unreadable files {c.get('errors', 0):,}",
           f"budget total (支出总表 合计, 元): {_yuan(s.total_fen)}", ""]
    if s.by_region[1]:
        out += ["by province, year and kind:"] + _table(*s.by_region, money={"total_fen"}) + [""]
    if s.by_template[1]:
        out += ["by template:"] + _table(*s.by_template, money=set()) + [""]
    if s.findings[1]:
        out += ["findings (most frequent):"] + _table(*s.findings, money=set()) + [""]
    if s.errors[1]:
        out += ["unreadable files:"] + _table(*s.errors, money=set()) + [""]
    return "\n".join(out).rstrip() + "\n"
