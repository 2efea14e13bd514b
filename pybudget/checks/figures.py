"""Ways to find a figure in the tables, declared once and followed twice.

A way names a table kind and how to find a figure in the first table of that
kind: :class:`RowWay` (a row by its normalised name), :class:`TotalWay` (the
total row), :class:`FirstFiguresWay` (the first row that prints an
amount), :class:`CodeWay` (a function code's row, or the sum of its printed
leaves), :class:`ClassRowWay` (a 收支总表's function-class row) or
:class:`ProjectTotalWay` (a project list's total);
:class:`First` tries ways in turn, and a plain function of the
:class:`~.base.Context` is a way only Python knows. Called, a way gives the
:class:`~.lookup.Figure` with the words that name it in a finding.
:func:`compile_plan` hands the same ways to the C core (csrc/pb_figure.h),
which finds the cell of each during the audit's one pass over the tables, so
that a restated figure is compared without being built here (see
:func:`.core_pass.restated_figure`).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Union

from .. import _core
from ..model import Table
from . import lookup as lk
from .base import Context
from .lookup import Figure

#: How a way finds its figure (PB_WAY_* in csrc/pb_figure.h).
HOW_ROW, HOW_TOTAL, HOW_FIRST_FIGURES, HOW_PYTHON, HOW_CODE, HOW_CLASS_ROW, HOW_PROJECT_TOTAL = 1, 2, 3, 4, 5, 6, 7
#: Flags of a way (PB_WAY_* in csrc/pb_figure.h): a row or total way finds nothing in a table without a column
#: of its measure; a row way reads its row even in a table that prints no amount (no 0 for the table), and
#: finds nothing where its row prints no amount of the measure; a total way reads the total row whatever
#: columns the table prints.
NEEDS_COLUMN, EVEN_EMPTY, NEEDS_VALUE, ANY_COLUMN, UNLESS_TABLE = 1, 2, 4, 8, 16
#: Sides as the C core numbers them (PB_SIDE_* in csrc/pb_audit.h; None: every row).
SIDE_CODES: dict[str | None, int] = {None: 255, "income": 1, "expenditure": 2}

Getter = Callable[[Context], Union[Figure, None]]
#: One way as the C core reads it: (how, kind, side, flags, measure, names).
WaySpec = tuple[int, str, int, int, str, tuple[str, ...]]
_PYTHON_WAY: WaySpec = (HOW_PYTHON, "", SIDE_CODES[None], 0, "", ())


def _printing(ctx: Context, kind: str, empty_where: str) -> tuple[Table | None, Figure | None]:
    """The first table of a kind when it prints amounts; else no table, and the 0 of a table that
    prints none (None when there is no table of the kind)."""
    table = ctx.table(kind)
    if table is None or lk.table_has_figures(table):
        return table, None
    return None, lk.zero_figure(table, empty_where.format(kind=lk.kind_zh(kind)))


@dataclass(frozen=True)
class RowWay:
    """The first row (of ``side``) whose normalised name is one of ``names``: its ``measure``.
    A table that prints no amount gives 0 (``even_empty``: the row's blank 0 as in any table).
    ``needs_value``: nothing where the row prints no amount of the measure. ``where`` and
    ``empty_where`` word the figure ({kind}, {name} and {measure} are the table's, the row's and
    the column's Chinese names)."""

    kind: str
    names: tuple[str, ...]
    side: str | None = None
    measure: str = "total"
    needs_column: bool = True
    where: str = "{kind}“{name}”{measure}"
    empty_where: str = "{kind}"
    even_empty: bool = False
    needs_value: bool = False

    def __call__(self, ctx: Context) -> Figure | None:
        if self.even_empty:
            table = ctx.table(self.kind)
        else:
            table, zero = _printing(ctx, self.kind, self.empty_where)
            if table is None:
                return zero
        if table is None:
            return None
        row = lk.find_row(table, self.names, self.side)
        if (row is None or (self.needs_column and not lk.has_measure(table, self.measure))
                or (self.needs_value and lk.amount(row, self.measure) is None)):
            return None  # not printed: nothing to compare with
        where = self.where.format(kind=lk.kind_zh(self.kind), name=row.name, measure=lk.measure_zh(self.measure))
        return lk.figure(table, [row], self.measure, where)

    def specs(self) -> tuple[WaySpec, ...]:
        """The way as the C core reads it."""
        flags = ((NEEDS_COLUMN if self.needs_column else 0) | (EVEN_EMPTY if self.even_empty else 0)
                 | (NEEDS_VALUE if self.needs_value else 0))
        return ((HOW_ROW, self.kind, SIDE_CODES[self.side], flags, self.measure, self.names),)


@dataclass(frozen=True)
class TotalWay:
    """The total row's ``measure`` (:func:`.lookup.total_figure`); nothing when the table
    prints amounts but no column of the measure (``needs_column``: nor when it prints none;
    ``any_column``: the total row's cell whatever its columns; ``unless``: nor where the document
    prints a table of that kind, which this way stands in for)."""

    kind: str
    measure: str
    side: str | None = None
    needs_column: bool = False
    any_column: bool = False
    unless: str | None = None

    def __call__(self, ctx: Context) -> Figure | None:
        if self.unless is not None and ctx.table(self.unless) is not None:
            return None
        table = ctx.table(self.kind)
        if table is None or (not lk.has_measure(table, self.measure) and (
                self.needs_column or (not self.any_column and lk.table_has_figures(table)))):
            return None  # no such table or column: nothing to compare with
        return lk.total_figure(table, self.measure, self.side)

    def specs(self) -> tuple[WaySpec, ...]:
        """The way as the C core reads it."""
        flags = ((NEEDS_COLUMN if self.needs_column else 0) | (ANY_COLUMN if self.any_column else 0)
                 | (UNLESS_TABLE if self.unless is not None else 0))
        names = () if self.unless is None else (self.unless,)
        return ((HOW_TOTAL, self.kind, SIDE_CODES[self.side], flags, self.measure, names),)


@dataclass(frozen=True)
class FirstFiguresWay:
    """The ``measure`` of the first row that prints an amount, where the table has that column
    (a horizontal table: one row, a column per item)."""

    kind: str
    measure: str
    where: str = "{kind} {measure}"
    empty_where: str = "{kind}"

    def __call__(self, ctx: Context) -> Figure | None:
        table, zero = _printing(ctx, self.kind, self.empty_where)
        if table is None:
            return zero
        if not lk.has_measure(table, self.measure):
            return None
        row = next((r for r in table.rows if lk.has_figures(r)), None)
        if row is None:
            return None
        where = self.where.format(kind=lk.kind_zh(self.kind), measure=lk.measure_zh(self.measure))
        return lk.figure(table, [row], self.measure, where)

    def specs(self) -> tuple[WaySpec, ...]:
        """The way as the C core reads it."""
        return ((HOW_FIRST_FIGURES, self.kind, SIDE_CODES[None], 0, self.measure, ()),)


@dataclass(frozen=True)
class CodeWay:
    """A function code's ``measure`` (:func:`.lookup.code_figure`): its own row, or the sum of its
    printed leaves when the template prints only 项 rows (Henan); a table that prints no amount
    gives its blank 0 as any other table."""

    kind: str
    code: str
    measure: str = "total"

    def __call__(self, ctx: Context) -> Figure | None:
        return lk.code_figure(ctx.table(self.kind), self.code, self.measure)

    def specs(self) -> tuple[WaySpec, ...]:
        """The way as the C core reads it."""
        return ((HOW_CODE, self.kind, SIDE_CODES[None], 0, self.measure, (self.code,)),)


@dataclass(frozen=True)
class ClassRowWay:
    """The 合计 of a two-sided table's row of a function class (:func:`.lookup.class_rows`), named
    in a finding as the table's row."""

    kind: str
    code: str

    def __call__(self, ctx: Context) -> Figure | None:
        table = ctx.table(self.kind)
        row = lk.class_rows(table).get(self.code)
        if table is None or row is None:
            return None
        return lk.figure(table, [row], "total", f"{lk.kind_zh(self.kind)}“{row.name}”")

    def specs(self) -> tuple[WaySpec, ...]:
        """The way as the C core reads it."""
        return ((HOW_CLASS_ROW, self.kind, SIDE_CODES[None], 0, "total", (self.code,)),)


@dataclass(frozen=True)
class ProjectTotalWay:
    """A project list's total (:meth:`.lookup.ProjectList.total`): its total row, else the sum of its
    unit rows, else of its projects. With ``empty_where``, a table that prints no amount gives the 0
    so worded; without, the list's own (0 too: it has no rows with figures)."""

    kind: str
    empty_where: str | None = None

    def __call__(self, ctx: Context) -> Figure | None:
        table = ctx.table(self.kind)
        if table is None:
            return None
        if self.empty_where is not None and not lk.table_has_figures(table):
            return lk.zero_figure(table, self.empty_where)
        return lk.project_list(table).total()

    def specs(self) -> tuple[WaySpec, ...]:
        """The way as the C core reads it."""
        return ((HOW_PROJECT_TOTAL, self.kind, SIDE_CODES[None], 0, "total", ()),)


class First:
    """The first figure any of ``ways`` finds."""

    def __init__(self, *ways: Getter) -> None:
        self.ways = ways

    def __call__(self, ctx: Context) -> Figure | None:
        for way in self.ways:
            fig = way(ctx)
            if fig is not None:
                return fig
        return None

    def specs(self) -> tuple[WaySpec, ...]:
        """The ways as the C core reads them, in turn."""
        return tuple(spec for way in self.ways for spec in way_specs(way))


def flat_ways(way: Getter) -> tuple[Getter, ...]:
    """A getter's ways in the order :func:`way_specs` gives their specs (a way only Python knows as itself):
    the way the core reports a figure found by (``audit_tables``' figures) is the one at its index here."""
    if isinstance(way, First):
        return tuple(w for inner in way.ways for w in flat_ways(inner))
    return (way,)


def way_specs(way: Getter) -> tuple[WaySpec, ...]:
    """A getter's ways as the C core reads them (a plain function: a way only Python knows)."""
    specs = getattr(way, "specs", None)
    return specs() if specs is not None else (_PYTHON_WAY,)


def compile_plan(getters: Sequence[Getter], cells: int = 0) -> Any:
    """The getters' ways compiled for ``_core.audit_tables`` (one spec per getter, in order); the figures of the
    last ``cells`` it gives as plain cells (the amount in 分, None, False), not as where they were found."""
    return _core.figure_plan([way_specs(g) for g in getters], cells)
