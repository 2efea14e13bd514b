"""The figures the cross rules compare, found by the C core in its one pass over the tables.

A cross rule compares figures two tables print alike (收支总表 本年收入合计 with the
收入总表's, 基本支出 with its economic classes …). Nearly every document prints them
equal to the 分, and then the rule has nothing to judge: each rule here asks
first whether every comparison it makes agrees in the core's figures, and only
looks the figures up in Python (and words its findings) when one does not.

Each way mirrors the lookup its rule makes (:mod:`.lookup`), including where
that lookup finds nothing; ``tests/test_agreements.py`` runs every rule wherever
its comparisons are said to agree and asserts it finds nothing.
"""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from ..model import UNIT_YUAN
from . import lookup as lk
from .base import Context
from .figures import Getter, ProjectTotalWay, RowWay, TotalWay


def _total(kind: str, measure: str, side: str | None = None) -> TotalWay:
    """:func:`.lookup.total_fen`: the total row's cell (0 when blank) whatever the columns; 0 for a table
    printing no amount; nothing without a total row."""
    return TotalWay(kind, measure, side, any_column=True)


def _column_total(kind: str, measure: str) -> TotalWay:
    """:func:`_total`, and nothing where the table prints no column of the measure."""
    return TotalWay(kind, measure, needs_column=True)


def _row(kind: str, names: tuple[str, ...], needs_value: bool = False) -> RowWay:
    """:func:`.lookup.find_row` on the income side, its 合计 (0 when blank, nothing without the row;
    ``needs_value``: nothing when the cell is blank), whether or not the table prints amounts."""
    return RowWay(kind, names, "income", needs_column=False, even_empty=True, needs_value=needs_value)


#: The names of 整体绩效目标表 indicators that state the budget.
budget_indicator = re.compile(r"预算金额|资金总额|预算资金|预算总额|部门预算").search

#: The ways, by name: what each rule below compares.
WAYS: dict[str, Getter] = {
    # cross.totals
    "summary current": _row("summary", lk.CURRENT_INCOME),
    "summary fiscal carry-over": _row("summary", lk.FISCAL_CARRY_OVER, needs_value=True),
    "summary carry-over": _row("summary", lk.CARRY_OVER),
    "summary general budget": _row("summary", lk.GENERAL_BUDGET_INCOME, needs_value=True),
    "summary spending": _total("summary", "total", "expenditure"),
    "summary income": _total("summary", "total", "income"),  # and cross.performance_overall
    "income total": _total("income", "total"),
    "income current": _column_total("income", "current"),
    "income carry-over": _column_total("income", "carryover"),
    "income general budget": _column_total("income", "general_budget"),
    "income general budget carry-over": _column_total("income", "carryover_general_budget"),
    "income gov fund": _column_total("income", "gov_fund"),
    "income state capital": _column_total("income", "state_capital"),
    "expenditure total": _total("expenditure", "total"),
    "general total": _total("general_expenditure", "total"),
    "fiscal current": _row("fiscal_summary", lk.CURRENT_INCOME),
    "economic total": _total("economic_summary", "total"),
    # cross.basic_economic
    **{f"basic_economic {m}": _total("basic_economic", m) for m in ("total", "basic", "personnel", "public")},
    **{f"{kind} {m}": _total(kind, m) for kind in ("general_expenditure", "expenditure")
       for m in ("basic", "wages", "household_subsidy", "goods_services", "capital")},
    # cross.projects, cross.operating_costs
    "expenditure project": _total("expenditure", "project"),
    "projects": ProjectTotalWay("projects"),
    "projects carry-over": ProjectTotalWay("projects_carryover", empty_where=""),
    "operating costs": ProjectTotalWay("operating_costs"),
}

#: Where each way's figure is in :func:`.core_pass.agreement_cells`.
_AT = {name: i for i, name in enumerate(WAYS)}
(SUMMARY_CURRENT, SUMMARY_FISCAL_CARRY, SUMMARY_CARRY, SUMMARY_GENERAL, SUMMARY_SPENDING, INCOME_TOTAL, INCOME_CURRENT,
 INCOME_CARRY, INCOME_GENERAL, INCOME_GENERAL_CARRY, INCOME_GOV_FUND, INCOME_STATE_CAPITAL, EXPENDITURE_TOTAL,
 GENERAL_TOTAL, FISCAL_CURRENT, ECONOMIC_TOTAL) = (_AT[n] for n in (
    "summary current", "summary fiscal carry-over", "summary carry-over", "summary general budget", "summary spending",
    "income total", "income current", "income carry-over", "income general budget", "income general budget carry-over",
    "income gov fund", "income state capital", "expenditure total", "general total", "fiscal current",
    "economic total"))
_BASIC_ECONOMIC = {m: _AT[f"basic_economic {m}"] for m in ("total", "basic", "personnel", "public")}
_SPENDING = {kind: {m: _AT[f"{kind} {m}"] for m in ("basic", "wages", "household_subsidy", "goods_services", "capital")}
             for kind in ("general_expenditure", "expenditure")}
EXPENDITURE_PROJECT, PROJECTS, PROJECTS_CARRY, OPERATING_COSTS, SUMMARY_INCOME = (_AT[n] for n in (
    "expenditure project", "projects", "projects carry-over", "operating costs", "summary income"))

Found = list[Any]


def _differ(a: Any, b: Any) -> bool:
    """Whether two found values are both figures and differ (as cross_rules._differ); a value only
    Python knows may differ."""
    if a is False or b is False:
        return True
    return a is not None and b is not None and a != b


def _plus(a: Any, b: Any) -> Any:
    """cross_rules._plus_fen of found values (False, a value only Python knows, stays unknown)."""
    if a is False or b is False:
        return False
    return b if a is None else a if b is None else a + b


def totals_agree(ctx: Context, v: Found) -> bool:
    """Whether every comparison of cross.totals agrees to the 分 (so it has nothing to judge)."""
    summary, income, general = ctx.table("summary"), ctx.table("income"), ctx.table("general_expenditure")
    columns = lk.measure_set(income) if income is not None else frozenset()
    if summary is not None and income is not None:
        if "current" in columns:
            current = v[INCOME_CURRENT]
        else:  # 合计 − 上年结转 (cross_rules._income_current_fen)
            total = v[INCOME_TOTAL]
            carry = v[INCOME_CARRY] if "carryover" in columns else None
            if total is False or carry is False:
                current = False
            else:
                current = total if total is None or not carry else total - carry
        if (_differ(v[SUMMARY_CURRENT], current) or _differ(v[SUMMARY_FISCAL_CARRY], v[INCOME_CARRY])
                or _differ(v[SUMMARY_GENERAL], v[INCOME_GENERAL])):
            return False
    if _differ(v[SUMMARY_SPENDING], v[EXPENDITURE_TOTAL]):
        return False
    if general is not None and "general_budget" in columns:
        ref = v[INCOME_GENERAL]
        if "不含上年结转" not in lk.norm(general.title):
            if "carryover_general_budget" in columns:
                ref = _plus(ref, v[INCOME_GENERAL_CARRY])
            elif v[SUMMARY_CARRY] is False:
                return False
            elif v[SUMMARY_CARRY]:  # a carry-over whose source is not printed: nothing compared
                ref = None
        if _differ(v[GENERAL_TOTAL], ref):
            return False
    if ctx.table("fiscal_summary") is not None:
        parts = None
        for measure, at in (("general_budget", INCOME_GENERAL), ("gov_fund", INCOME_GOV_FUND),
                            ("state_capital", INCOME_STATE_CAPITAL)):
            if measure in columns:
                parts = _plus(parts, v[at])
        if _differ(v[FISCAL_CURRENT], parts):
            return False
    return not _differ(v[ECONOMIC_TOTAL], v[EXPENDITURE_TOTAL])


def basic_economic_agrees(ctx: Context, v: Found) -> bool:
    """Whether every comparison of cross.basic_economic agrees to the 分."""
    be = ctx.table("basic_economic")
    if be is None or not lk.table_has_figures(be):
        return True
    ref = ctx.table("general_expenditure") or ctx.table("expenditure")
    if ref is None or not lk.has_measure(ref, "basic"):
        return True
    mine, printed, theirs = lk.measure_set(be), lk.measure_set(ref), _SPENDING[ref.kind]
    if _differ(v[_BASIC_ECONOMIC["total" if "total" in mine else "basic"]], v[theirs["basic"]]):
        return False
    for measure, parts in (("personnel", ("wages", "household_subsidy")), ("public", ("goods_services", "capital"))):
        if measure not in mine:
            continue
        total = None
        for part in parts:
            if part in printed:
                total = _plus(total, v[theirs[part]])
        if _differ(v[_BASIC_ECONOMIC[measure]], total):  # no part printed: nothing compared
            return False
    return True


def projects_agree(ctx: Context, v: Found) -> bool:
    """Whether cross.projects' comparison agrees to the 分 (a project list the core cannot total is
    left to Python)."""
    ours = v[PROJECTS]
    if ours is None:
        return ctx.table("projects") is None
    if ctx.table("projects_carryover") is not None:
        carry = v[PROJECTS_CARRY]
        ours = False if carry is None else _plus(ours, carry)
    return not _differ(ours, v[EXPENDITURE_PROJECT])


def operating_costs_agree(ctx: Context, v: Found) -> bool:
    """Whether cross.operating_costs' comparison agrees to the 分."""
    ours = v[OPERATING_COSTS]
    if ours is None:
        return ctx.table("operating_costs") is None
    return not _differ(ours, v[_BASIC_ECONOMIC["public"]])


def overall_agrees(ctx: Context, budget: Any, v: Found) -> bool:
    """Whether every 部门整体绩效目标表 states exactly this year's budget, ``budget`` as the core found
    :data:`.restated.current_budget` ((table, row, value in 分), None where no table prints it, False
    where Python finds it): its 部门预算总额 (or the 收支总表's 收入总计, the budget with the carry-over)
    and each 预算金额 indicator, as cross.performance_overall compares them."""
    if budget is None:
        return True  # the rule compares nothing
    if budget is False:
        return False
    fen = budget[2]
    summary = ctx.table("summary")
    # an empty 收支总表's 0 is the core's, not the rule's
    grand = v[SUMMARY_INCOME] if summary is not None and lk.table_has_figures(summary) else None
    yuan = None
    for p in ctx.doc.projects:
        if not p.overall:
            continue
        funds = p.funds_fen
        stated = funds.get("annual_total")
        if stated is None:
            stated = funds.get("total")
        if stated is not None and stated != fen and (stated != grand or grand is False):
            return False
        for ind in ctx.doc.indicators_of(p):
            if ind.number is None or ind.unit not in UNIT_YUAN or not budget_indicator(ind.name):
                continue
            if ind.comparator not in (None, "="):
                continue
            if yuan is None:
                yuan = Decimal(fen).scaleb(-2)
            if ind.number * UNIT_YUAN[ind.unit] != yuan:
                return False
    return True
