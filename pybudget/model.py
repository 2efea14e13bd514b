"""Typed documents assembled from the C core's records.

Amounts are exact: the core gives integers in 分 (fen); ``values`` turns them
into ``Decimal`` 元 (yuan) with two decimals, never binary floats. A printed
dash ('-', '—') is ``None``; a blank cell is absent.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Set
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .plot import DocumentPlots

UNIT_YUAN = {"元": Decimal(1), "万元": Decimal(10000), "亿元": Decimal(100000000)}

#: Table kinds of the two template families seen in the wild, for ``template``.
SHANXI_MARKERS = {"projects_carryover", "gov_fund_income"}
HENAN_MARKERS = {"economic_summary", "performance_summary"}
#: Column measures that are not amounts: the code and name columns.
NOT_AMOUNTS = frozenset({"code", "code_class", "code_section", "code_item", "name", ""})


def fen_to_yuan(fen: int | None) -> Decimal | None:
    """Exact 元 from 分: ``fen_to_yuan(733900000) == Decimal('7339000.00')``."""
    return None if fen is None else Decimal(fen).scaleb(-2)


def amount_measures(columns: Iterable[str]) -> list[str]:
    """The measures of amount columns among the measures of a table's columns, in printed order."""
    return [m for m in columns if m not in NOT_AMOUNTS]


def template_family(kinds: Set[str]) -> str:
    """Template family of a document printing tables of these kinds: 'shanxi', 'henan' or 'generic'."""
    if kinds & HENAN_MARKERS:
        return "henan"
    if kinds & SHANXI_MARKERS:  # either marker: a document may miss a table
        return "shanxi"
    return "generic"


@dataclass(frozen=True, slots=True)
class Column:
    """A table column: its canonical measure and the header words it came from."""

    measure: str
    header: str
    side: str | None = None


@dataclass(slots=True)
class Row:
    """One row of a table. ``fen`` maps a measure to an amount in 分."""

    line: int
    name: str
    code: str | None = None
    level: str | None = None
    parent: str | None = None
    side: str | None = None
    role: str | None = None
    fen: dict[str, int | None] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)

    @property
    def values(self) -> dict[str, Decimal | None]:
        """Amounts in 元 as exact decimals (``None`` for a printed dash)."""
        return {k: fen_to_yuan(v) for k, v in self.fen.items()}

    def value(self, *measures: str) -> Decimal | None:
        """The first of ``measures`` this row has, in 元; ``None`` if none."""
        for m in measures:
            if self.fen.get(m) is not None:
                return fen_to_yuan(self.fen[m])
        return None

    @property
    def is_total(self) -> bool:
        """Whether the row is a 合计/总计 row."""
        return self.role == "total"


@dataclass
class Table:
    """A recognised table with its rows."""

    index: int
    kind: str
    title: str
    unit: str
    line: int
    department: str | None = None
    unit_assumed: bool = False
    columns: list[Column] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    empty: bool = False
    note: str = ""
    decimals: int = 0

    @property
    def resolution(self) -> Decimal:
        """One unit of the last printed digit, in 元 (0.01万元 = 100元)."""
        return UNIT_YUAN.get(self.unit, Decimal(1)).scaleb(-self.decimals)

    @property
    def measures(self) -> list[str]:
        """Canonical measures of the amount columns, in printed order."""
        return amount_measures(c.measure for c in self.columns)

    def row(self, code: str | None = None, name: str | None = None, side: str | None = None) -> Row | None:
        """The first row with this code (or name, and side)."""
        for r in self.rows:
            if code is not None and r.code != code:
                continue
            if name is not None and r.name != name:
                continue
            if side is not None and r.side != side:
                continue
            return r
        return None

    def total_row(self, side: str | None = None) -> Row | None:
        """The table's 合计 (or 收入总计/支出总计 for two-sided tables) row."""
        totals = [r for r in self.rows if r.is_total and (side is None or r.side == side)]
        for preferred in ("合计", "收入总计", "支出总计"):
            for r in totals:
                if r.name == preferred:
                    return r
        return totals[0] if totals else None

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def _repr_html_(self) -> str:
        from .display import table_html

        return table_html(self)

    def __len__(self) -> int:
        return len(self.rows)


@dataclass(slots=True)
class Project:
    """A performance-target project (项目支出绩效目标表), funds in 分."""

    index: int
    line: int
    table: int
    name: str
    overall: bool = False
    fields: dict[str, str] = field(default_factory=dict)
    funds_fen: dict[str, int | None] = field(default_factory=dict)
    fund_lines: dict[str, int] = field(default_factory=dict)
    """Source line of each fund figure (the grid spans several lines below the name)."""

    @property
    def funds(self) -> dict[str, Decimal | None]:
        """Fund grid in 元: ``period_total``, ``annual_total``, ``period_central`` …"""
        return {k: fen_to_yuan(v) for k, v in self.funds_fen.items()}

    @property
    def department_code(self) -> str | None:
        """The code part of 主管部门及代码 ('060-朔州市…' → '060')."""
        dep = self.fields.get("department", "")
        head, sep, _ = dep.partition("-")
        return head if sep and head.isdigit() else None

    @property
    def department(self) -> str | None:
        """The name part of 主管部门及代码."""
        dep = self.fields.get("department")
        if dep is None:
            return None
        head, sep, tail = dep.partition("-")
        return tail if sep and head.isdigit() else dep


@dataclass(slots=True)
class Indicator:
    """A performance indicator (三级指标 and its 指标值)."""

    project: int
    line: int
    side: str | None
    level1: str
    level2: str
    name: str
    value: str
    comparator: str | None = None
    number: Decimal | None = None
    unit: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class TextLine:
    """A line of prose (情况说明 and the rest), with its line number."""

    line: int
    text: str


@dataclass(frozen=True, slots=True)
class TocEntry:
    """A table-of-contents entry."""

    line: int
    text: str
    page: str | None


@dataclass(frozen=True, slots=True)
class ParseWarning:
    """Something the parser could not place; parsing went on."""

    line: int
    code: str
    message: str
    table: int = -1


@dataclass
class Document:
    """One parsed disclosure document: metadata, tables, projects, indicators, prose."""

    source: str
    title: str | None = None
    department: str | None = None
    year: int | None = None
    kind: str | None = None
    encoding: str = "utf-8"
    gzip: bool = False
    parts: list[TextLine] = field(default_factory=list)
    toc: list[TocEntry] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    texts: list[TextLine] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)

    @property
    def template(self) -> str:
        """Template family by the tables present: 'shanxi', 'henan' or 'generic'."""
        return template_family({t.kind for t in self.tables})

    def table(self, kind: str) -> Table | None:
        """The first table of a canonical kind, e.g. ``doc.table('expenditure')``."""
        return next((t for t in self.tables if t.kind == kind), None)

    def tables_of(self, kind: str) -> list[Table]:
        """Every table of a canonical kind."""
        return [t for t in self.tables if t.kind == kind]

    def indicators_of(self, project: Project) -> list[Indicator]:
        """The indicators of one project."""
        return [i for i in self.indicators if i.project == project.index]

    def check(self, **options: Any) -> list[Any]:
        """Audits the document against itself; see :mod:`pybudget.checks`."""
        from .checks import check_document

        return check_document(self, **options)

    def to_dict(self, findings: bool = True) -> dict[str, Any]:
        """The stable JSON export (see README, 'JSON schema')."""
        from .export import document_to_dict

        return document_to_dict(self, findings=findings)

    def to_json(self, findings: bool = True, **kwargs: Any) -> str:
        """``to_dict`` as JSON text (UTF-8, Chinese kept as is)."""
        import json

        kwargs.setdefault("ensure_ascii", False)
        return json.dumps(self.to_dict(findings=findings), **kwargs)

    def _repr_html_(self) -> str:
        from .display import document_html

        return document_html(self)

    @property
    def plot(self) -> DocumentPlots:
        """Charts: ``doc.plot.structure()``, ``doc.plot.three_public()`` (needs matplotlib)."""
        from .plot import DocumentPlots

        return DocumentPlots(self)

    def __repr__(self) -> str:
        return (f"<Document {self.source!r} {self.department or '?'} {self.year or '?'} {self.kind or '?'}: "
                f"{len(self.tables)} tables, {len(self.projects)} projects, {len(self.warnings)} warnings>")

    @classmethod
    def from_records(cls, records: Iterable[Any], source: str = "<input>") -> Document:
        """Assembles a document from core records (``pybudget.stream`` output)."""
        doc = cls(source=source)
        builder = _Builder(doc)
        for rec in records:
            builder.add(rec)
        return doc


class _Builder:
    """Groups flat records into tables and projects."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.tables: dict[int, Table] = {}

    def add(self, rec: Any) -> None:
        kind = rec.kind
        doc = self.doc
        if kind == "row":
            table = self.tables.get(rec.table)
            if table is not None:
                # positional, in Row's field order: the commonest record, built most often
                table.rows.append(Row(rec.line, rec.name, rec.code, rec.level, rec.parent, rec.side, rec.role,
                                      rec.values, rec.texts))
        elif kind == "indicator":
            number = Decimal(rec.number) if rec.number else None
            doc.indicators.append(Indicator(rec.project, rec.line, rec.side, rec.level1, rec.level2, rec.name,
                                            rec.value, rec.comparator, number, rec.unit, rec.note))
        elif kind == "table":
            table = Table(index=rec.table, kind=rec.table_kind, title=rec.title, unit=rec.unit, line=rec.line,
                          department=rec.department, unit_assumed=rec.unit_assumed,
                          columns=[Column(m, h, s) for m, h, s in rec.columns])
            self.tables[rec.table] = table
            doc.tables.append(table)
        elif kind == "table_end":
            table = self.tables.get(rec.table)
            if table is not None:
                table.empty = rec.empty
                table.note = rec.note
                table.decimals = rec.decimals
        elif kind == "project":
            doc.projects.append(Project(index=rec.project, line=rec.line, table=rec.table, name=rec.name,
                                        overall=rec.overall, fields=rec.fields, funds_fen=rec.funds,
                                        fund_lines=rec.fund_lines))
        elif kind == "text":
            doc.texts.append(TextLine(rec.line, rec.text))
        elif kind == "meta":
            if rec.key == "year":
                doc.year = int(rec.value)
            elif rec.key in ("title", "department", "kind"):
                setattr(doc, rec.key, rec.value)
        elif kind == "part":
            doc.parts.append(TextLine(rec.line, rec.text))
        elif kind == "toc":
            doc.toc.append(TocEntry(rec.line, rec.text, rec.page))
        elif kind == "warning":
            doc.warnings.append(ParseWarning(rec.line, rec.code, rec.message, rec.table))
