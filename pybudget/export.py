"""The stable JSON export of a document (schema in the README, 'JSON schema')."""
from __future__ import annotations

from dataclasses import asdict, is_dataclass
from decimal import Decimal
from typing import Any

from .model import Document, fen_to_yuan

SCHEMA_VERSION = 1


def _amounts(fen: dict[str, int | None]) -> dict[str, str | None]:
    """Measure → amount in 元 as an exact decimal string (``None`` for a printed dash)."""
    out: dict[str, str | None] = {}
    for k, v in fen.items():
        y = fen_to_yuan(v)
        out[k] = None if y is None else str(y)
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if is_dataclass(value) and not isinstance(value, type):
        return {k: _plain(v) for k, v in asdict(value).items()}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def document_to_dict(doc: Document, findings: bool = True) -> dict[str, Any]:
    """One JSON object per document: metadata, tables with rows, projects, indicators, findings."""
    out: dict[str, Any] = {
        "schema": SCHEMA_VERSION,
        "source": doc.source,
        "title": doc.title,
        "department": doc.department,
        "year": doc.year,
        "kind": doc.kind,
        "template": doc.template,
        "encoding": doc.encoding,
        "parts": [{"line": p.line, "text": p.text} for p in doc.parts],
        "toc": [{"line": t.line, "text": t.text, "page": t.page} for t in doc.toc],
        "tables": [
            {
                "index": t.index,
                "kind": t.kind,
                "title": t.title,
                "unit": t.unit,
                "unit_assumed": t.unit_assumed,
                "line": t.line,
                "department": t.department,
                "empty": t.empty,
                "note": t.note,
                "columns": [{"measure": c.measure, "header": c.header, "side": c.side} for c in t.columns],
                "rows": [
                    {
                        "line": r.line,
                        "code": r.code,
                        "level": r.level,
                        "parent": r.parent,
                        "name": r.name,
                        "side": r.side,
                        "role": r.role,
                        "values": _amounts(r.fen),
                        "texts": r.texts,
                    }
                    for r in t.rows
                ],
            }
            for t in doc.tables
        ],
        "projects": [
            {
                "index": p.index,
                "line": p.line,
                "table": p.table,
                "name": p.name,
                "overall": p.overall,
                "department_code": p.department_code,
                "department": p.department,
                "fields": p.fields,
                "funds": _amounts(p.funds_fen),
                "fund_lines": dict(p.fund_lines),
            }
            for p in doc.projects
        ],
        "indicators": [
            {
                "project": i.project,
                "line": i.line,
                "side": i.side,
                "level1": i.level1,
                "level2": i.level2,
                "name": i.name,
                "value": i.value,
                "comparator": i.comparator,
                "number": None if i.number is None else str(i.number),
                "unit": i.unit,
                "note": i.note,
            }
            for i in doc.indicators
        ],
        "warnings": [{"line": w.line, "code": w.code, "message": w.message} for w in doc.warnings],
    }
    if findings:
        out["findings"] = [_plain(f) for f in doc.check()]
    return out
