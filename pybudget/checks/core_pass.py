"""The audit's one pass over the tables in the C core, and what it needs of each table.

``_core.audit_tables`` packs a document's tables as they are at the time of
the check and, with the GIL released, works out every comparison of the sum
rules (csrc/pb_audit.c), the cell of every figure the prose may restate
(csrc/pb_figure.c, the ways of :mod:`.restated`), which blocks of
cross.function_code have codes whose amounts differ (csrc/pb_cross.c), whether
the items of a “三公”经费表 add up to its total (csrc/pb_audit.c), and whether
the performance targets restate the project table (csrc/pb_targets.c). The
rules read what it found through :func:`differences`, :func:`restated_found`,
:func:`restated_figure` and :func:`core_pass`.
"""
from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache
from operator import attrgetter
from typing import Any

from .. import _core
from ..model import UNIT_YUAN, Table
from . import lookup as lk
from .base import Context
from .agreements import WAYS, Found
from .figures import RowWay, TotalWay, compile_plan, flat_ways
from .lookup import MISSING, Figure
from .restated import _GETTERS

#: The ways the core pass follows: the restated subjects' (:mod:`.restated`), then the cross rules'
#: comparisons (:mod:`.agreements`), whose figures the rules read as plain cells.
PLAN: Any = compile_plan([*_GETTERS, *WAYS.values()], cells=len(WAYS))
#: Each restated subject's ways, as the core numbers them when it reports which found a figure.
_SPEC_WAYS = [flat_ways(g) for g in _GETTERS]


def resolution_fen(table: Table) -> int:
    """One unit of the table's last printed digit, in 分 (integers keep the hot loops cheap)."""
    return _fen_of(lk.table_resolution(table))


@lru_cache(maxsize=64)
def _fen_of(amount: Decimal) -> int:
    """An amount in 元 as whole 分."""
    return int(amount * 100)


#: Column identities of spending tables: (total, its parts), applied where the table prints both.
_EQUATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("total", ("basic", "project")),
    ("basic", ("wages", "household_subsidy", "goods_services", "capital")),  # Henan's economic split
    ("project", ("project_operating", "project_specific")),
    ("total", ("personnel", "public")),  # Shanxi 基本支出分经济科目表
    ("basic", ("personnel", "public")),  # Henan 一般公共预算基本支出表 (no 合计 column)
)


def column_equations(table: Table) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The identities a table's columns must satisfy, from the measures it prints."""
    return _equations_of(table.kind, lk.measures(table))


@lru_cache(maxsize=256)
def _equations_of(kind: str, measures: tuple[str, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """:func:`column_equations` of a table kind printing ``measures``. Cached: a template prints
    the same columns in every document."""
    ms = frozenset(measures)
    eqs: list[tuple[str, tuple[str, ...]]] = []
    for lhs, parts in _EQUATIONS:
        present = tuple(p for p in parts if p in ms)
        if lhs not in ms or not present:
            continue
        if parts == ("basic", "project") and len(present) < 2:
            continue  # a lone 基本支出 column beside 合计 is not the whole of it
        if lhs == "basic" and parts == ("personnel", "public") and "total" in ms:
            continue
        eqs.append((lhs, present))
    if "basic" in ms or "project" in ms:
        return tuple(eqs)
    # Income-like tables: funding sources add up to the current-year total, and that
    # plus the carry-over (a single column, or one per source) to the grand total.
    carry = tuple(m for m in measures if m.startswith("carryover_"))
    sources = tuple(m for m in lk.SOURCES if m in ms)
    if kind == "summary":
        if {"total", "current", "carryover"} <= ms:
            eqs.append(("total", ("current", "carryover")))
        return tuple(eqs)
    if "current" in ms and sources:
        eqs.append(("current", sources))
    if "total" in ms and "current" in ms and ("carryover" in ms or carry):
        eqs.append(("total", ("current", "carryover") if "carryover" in ms else ("current", *carry)))
    elif "total" in ms and "current" not in ms and sources:
        eqs.append(("total", sources + (carry or (("carryover",) if "carryover" in ms else ()))))
    if "carryover" in ms and carry:
        eqs.append(("carryover", carry))
    return tuple(eqs)


Plan = tuple[tuple[str, ...], tuple[tuple[str, tuple[str, ...]], ...], int, int]


def sum_plans(tables: Sequence[Table]) -> list[Plan]:
    """What ``_core.audit_tables`` needs of each table besides its rows: the amount columns
    (:func:`.lookup.measures`), the column identities (:func:`column_equations`), what the table's unit
    is worth in 分 and its printed decimals (the core works out the rounding step per item from them,
    as :func:`resolution_fen` times the units)."""
    return [plan for plan, _ in _plans(tables)]


def _plans(tables: Sequence[Table]) -> list[tuple[Plan, frozenset[str]]]:
    """Each table's plan and its measures as a set, from what the plan follows from: the table's kind,
    the measures of its columns, its unit and decimals (looked up in :data:`_PLANS`, as the core does)."""
    out = []
    for t in tables:
        key = (t.kind, tuple(map(_MEASURE, t.columns)), t.unit, t.decimals)
        got = _PLANS.get(key)
        out.append(_plan_miss(*key) if got is None else got)
    return out


_MEASURE = attrgetter("measure")  # lookup.column_measures, inlined: this runs for every table


def _plan_of(kind: str, columns: tuple[str, ...], unit: str, decimals: int) -> tuple[Plan, frozenset[str]]:
    """A table's plan (see :func:`sum_plans`) from its kind, the measures of its columns, its unit and
    decimals, worked out (:data:`_PLANS` keeps them: the tables of a template print the same columns in
    every document)."""
    measures, measure_set = lk.measures_of(columns)
    return (measures, _equations_of(kind, measures), _unit_fen(unit), decimals), measure_set


#: :func:`_plan_of`'s plans by its arguments: ``_core.audit_tables`` looks each table's up itself, and
#: :func:`_plans` as it does.
_PLANS: dict[tuple[str, tuple[str, ...], str, int], tuple[Plan, frozenset[str]]] = {}
#: How many plans :data:`_PLANS` keeps.
_PLANS_MOST = 1024


def _plan_miss(kind: str, columns: tuple[str, ...], unit: str, decimals: int) -> tuple[Plan, frozenset[str]]:
    """:func:`_plan_of` for a table whose plan :data:`_PLANS` lacks, kept there. A full dict is emptied
    rather than trimmed: the few templates in use fill it again at once."""
    got = _plan_of(kind, columns, unit, decimals)
    if len(_PLANS) >= _PLANS_MOST:
        _PLANS.clear()
    _PLANS[kind, columns, unit, decimals] = got
    return got


@lru_cache(maxsize=64)
def _unit_fen(unit: str) -> int:
    """What one of a unit is worth in 分 (a unit not known is taken as 元, as lookup does)."""
    return int(UNIT_YUAN.get(unit, Decimal(1)) * 100)


#: Where a check run keeps what the core pass found.
_FOUND = "_core_pass"
#: Where each sum rule's comparisons are in the pass's result (PB_AUDIT_* in csrc/pb_audit.h), and the rest.
CHILDREN, COLUMNS, BALANCE, GROUPS, _LOOKUPS, _FIGURES, TABLES, CODE_BLOCKS, TOTAL_ROWS, _MEMOS, _STRUCTURE, \
    THREE_PUBLIC, TARGETS, _CELLS = range(14)


def core_pass(ctx: Context) -> tuple[Any, ...]:
    """What ``_core.audit_tables`` found in the document's tables in this check run (worked out
    at the first rule that asks, with the rows and codes as the document holds them then)."""
    found = ctx.__dict__.get(_FOUND)
    if found is None:
        tables = ctx.doc.tables
        # The core looks each table's plan up in _PLANS by what it follows from (as _plans does) and
        # hands back each table's memo entries (lookup.PASS_KEYS).
        found = ctx.__dict__[_FOUND] = _core.audit_tables(tables, _PLANS, ctx.units, PLAN, _plan_miss,
                                                          lk.PASS_KEYS, ctx.doc.projects)
        lk.share_pass(tables, found[_MEMOS])
    return found  # type: ignore[no-any-return]


def table_structure(ctx: Context) -> tuple[tuple[int | None, ...] | None, tuple[int, ...],
                                           tuple[str | None, tuple[int, ...]]] | None:
    """What the core pass read of every table for the structure rules, when it ran in this check run:
    the year each title names (None for one naming none; None for all when some title is no str or
    None), the tables (by index) that print no amount, and the first department a table names with the
    later tables that name another. None when the pass has not run: a run of only the structure rules
    does not pay for it, and they read the tables themselves."""
    found = ctx.__dict__.get(_FOUND)
    return None if found is None else found[_STRUCTURE]


def differences(ctx: Context, rule_index: int) -> list[tuple[int, int, int, int, tuple[int, ...]]]:
    """One sum rule's comparisons that differ by more than rounding allows, as (table, what, parent
    row, index, child rows).

    The C core works out every comparison of the four sum rules at once and keeps the few that
    fail: only those are judged again (table_rules.py) and worded."""
    return core_pass(ctx)[rule_index]  # type: ignore[no-any-return]


def restated_found(ctx: Context) -> tuple[list[Any], tuple[tuple[bool, int, int | None], ...]]:
    """What ``_core.restated_facts`` reads of the core's pass: the figure of each spec (its restated subjects'
    first, :mod:`.restated`) and each table's (prints any amount, rounding step, one unit of its last printed
    digit as a power of ten of 元, None when it is no such power)."""
    found = core_pass(ctx)
    return found[_FIGURES], found[TABLES]


def restated_figure(ctx: Context, spec: int) -> Figure | None | object:
    """The figure of a restated subject's spec (:func:`.restated.spec_of`) as its getter gives it, made from the
    cell the core's pass found in this check run, without looking it up again: a row way's row, a total
    way's total. None where the tables do not print it; :data:`.lookup.MISSING` where the getter must look (a
    way only Python knows, a sum of several rows, a table printing no amount, no pass run)."""
    found = ctx.__dict__.get(_FOUND)
    if found is None:
        return MISSING
    got = found[_FIGURES][spec]
    if got is None:
        return None
    if got is False or got[1] < 0:
        return MISSING
    table = ctx.doc.tables[got[0]]
    way = _SPEC_WAYS[spec][got[3]]
    if type(way) is RowWay:
        row = table.rows[got[1]]
        where = way.where.format(kind=lk.kind_zh(way.kind), name=row.name, measure=lk.measure_zh(way.measure))
        return lk.figure(table, [row], way.measure, where)
    if type(way) is TotalWay:
        return lk.total_figure(table, way.measure, way.side)
    return MISSING


def restated_found_if_run(ctx: Context) -> tuple[list[Any], tuple[tuple[bool, int, int | None], ...]] | None:
    """:func:`restated_found` when the core's pass has run in this check run, else None: a rule that can do
    without it does not pay for it."""
    found = ctx.__dict__.get(_FOUND)
    return None if found is None else (found[_FIGURES], found[TABLES])


def agreement_cells(ctx: Context) -> Found:
    """What the core's pass found for each way of :data:`.agreements.WAYS`, in their order: the amount in 分,
    None where the way finds nothing, False where it reached a way only Python knows."""
    return core_pass(ctx)[_CELLS]  # type: ignore[no-any-return]
