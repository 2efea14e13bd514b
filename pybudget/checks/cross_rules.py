"""Checks across tables: one figure printed in several tables must agree."""
from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from decimal import Decimal
from functools import lru_cache

from .. import _core
from ..model import UNIT_YUAN, Project, Row, Table, fen_to_yuan
from . import lookup as lk
from .base import Context, Finding, rule
from .agreements import (basic_economic_agrees, budget_indicator, operating_costs_agree, overall_agrees,
                         projects_agree, totals_agree)
from .core_pass import CODE_BLOCKS, TARGETS, agreement_cells, core_pass, restated_figure, restated_found
from .lookup import Figure
from .restated import current_budget, income_current, spec_of
from .tolerance import Tolerance, figures_amount, for_figures

ZERO = Decimal(0)
HALF = Decimal("0.5")


def compare(ctx: Context, actual: Figure | None, expected: Figure | None, subject_zh: str, subject_en: str,
            table: str | None, tolerance: Tolerance | None = None) -> Iterator[Finding]:
    """``actual`` (the figure under check) against ``expected`` (the one it must equal)."""
    if actual is None or expected is None:
        return
    tol = tolerance if tolerance is not None else _rounding(ctx, actual, expected)
    if tol is None or tol.allows(actual.value - expected.value):
        return
    got, ref = actual.text(), expected.text()  # each worded once, for both messages
    yield ctx.finding(
        f"{subject_zh}: {actual.where} {got} ≠ {expected.where} {ref}",
        f"{subject_en}: {actual.where} {got} differs from {expected.where} {ref}",
        expected=expected.value, actual=actual.value, tolerance=tol, lines=[*actual.lines, *expected.lines],
        table=table)


def _rounding(ctx: Context, actual: Figure, expected: Figure) -> Tolerance | None:
    """The rounding :func:`compare` allows two figures by default; None when they differ by no more than
    its amount (decided before the tolerance's description is written: most figures agree)."""
    if _within_rounding(ctx, actual, expected):
        return None
    return for_figures([(actual.resolution, actual.unit), (expected.resolution, expected.unit)],
                       actual.items + expected.items, ctx.units)


def _within_rounding(ctx: Context, actual: Figure, expected: Figure) -> bool:
    """Whether two figures differ by no more than the rounding :func:`compare` allows them by default (the
    amount of :func:`_rounding`'s tolerance, which a difference beyond it always exceeds): whether compare()
    finds nothing in them, decided without wording a tolerance or a finding."""
    return abs(actual.value - expected.value) <= figures_amount((actual.resolution, expected.resolution),
                                                                actual.items + expected.items, ctx.units)


def plus(a: Figure | None, b: Figure | None, where: str) -> Figure | None:
    """Two figures added (either may be missing)."""
    if a is None or b is None:
        return a or b
    return Figure(a.value + b.value, a.lines + b.lines, a.items + b.items, max(a.resolution, b.resolution), a.unit,
                  a.decimals, where, a.table)


def _row_fig(table: Table, row: Row | None, measure: str, where: str) -> Figure | None:
    return None if row is None else lk.figure(table, [row], measure, where)


#: Income that is not a fiscal appropriation.
_NOT_FISCAL = frozenset(("special_account", "unit_funds", "business_income", "operating_income", "superior_subsidy",
                         "affiliated_remit", "other_income", "reserve_fund"))


def _all_fiscal(ctx: Context) -> bool:
    """Whether every yuan of the budget is a fiscal appropriation (no 财政专户/单位资金/事业收入…)."""
    income = ctx.table("income")
    if income is not None and lk.table_has_figures(income):
        # Most rows print none of these columns: the key test runs in C.
        return not any(r.fen.get(m) for r in income.rows if not r.fen.keys().isdisjoint(_NOT_FISCAL)
                       for m in _NOT_FISCAL)
    summary = ctx.table("summary")
    if summary is None:
        return False
    other_rows = [r for r in summary.rows if r.side == "income"
                  and re.search(r"财政专户|单位资金|事业收入|经营收入|其他收入|上级补助|附属单位", r.name)]
    return not any(lk.amount(r, "total") for r in other_rows)


@rule("cross.function_code", "error")
def function_code(ctx: Context) -> Iterator[Finding]:
    """The same function code carries the same figures in 收入总表, 支出总表 and 一般公共预算支出表, and the class rows
    of 收支总表 / 财政拨款收支总表 agree with them.
    """
    # The C core compared every code's amounts in its pass over the tables (csrc/pb_cross.c): a block
    # runs here only when one of its codes differs, to judge the rounding and word the findings.
    blocks = core_pass(ctx)[CODE_BLOCKS]
    if not any(blocks):
        return
    income, expenditure, general = ctx.table("income"), ctx.table("expenditure"), ctx.table("general_expenditure")
    # A table's rows by code only where a block that differs asks for them (the first ask reads every row).
    # Most codes agree to the 分: those are skipped before any figure is built.
    cell = lk.cell_fen
    if blocks[0] and income is not None and expenditure is not None:
        inc, exp = lk.coded_rows(income), lk.coded_rows(expenditure)
        income_total = lk.has_measure(income, "total")
        income_carry = lk.has_measure(income, "carryover")
        for code, row in exp.items():
            irow = inc.get(code)
            if irow is None:
                continue
            # lk.cell_fen inlined: every code of the tables comes here
            got = irow.fen.get
            if income_total:
                stated = got("total") or 0
            else:
                stated = (got("current") or 0) + ((got("carryover") or 0) if income_carry else 0)
            if (row.fen.get("total") or 0) == stated:
                continue
            e = _row_fig(expenditure, row, "total", f"支出总表 {code}")
            if income_total:
                i = _row_fig(income, irow, "total", f"收入总表 {code}")
            else:
                i = _row_fig(income, irow, "current", f"收入总表 {code} 本年收入")
                if income_carry and lk.amount(irow, "carryover") is not None:
                    i = plus(i, _row_fig(income, irow, "carryover", ""), f"收入总表 {code} 本年收入+上年结转")
            yield from compare(ctx, e, i, f"{code} {row.name}", f"code {code}", "expenditure")
    if blocks[1] and income is not None and general is not None and lk.has_measure(income, "general_budget"):
        inc = lk.coded_rows(income)
        for code, row in lk.coded_rows(general).items():
            irow = inc.get(code)
            if irow is not None and cell(row, "total") != cell(irow, "general_budget"):
                yield from compare(ctx, _row_fig(general, row, "total", f"一般公共预算支出表 {code}"),
                                   _row_fig(income, irow, "general_budget", f"收入总表 {code} 一般公共预算"),
                                   f"{code} {row.name}", f"code {code}", "general_expenditure")
    if blocks[2] and general is not None and expenditure is not None and not _coded(income) and _all_fiscal(ctx) \
            and _no_carryover(ctx) and _only_general(ctx):
        # Henan prints the income table by unit, not by code: with no carry-over and only
        # general-budget money, the general-budget table repeats the expenditure table.
        exp = lk.coded_rows(expenditure)
        for code, row in lk.coded_rows(general).items():
            if code in exp and cell(row, "total") != cell(exp[code], "total"):
                yield from compare(ctx, _row_fig(general, row, "total", f"一般公共预算支出表 {code}"),
                                   _row_fig(expenditure, exp[code], "total", f"支出总表 {code}"),
                                   f"{code} {row.name}", f"code {code}", "general_expenditure")
    summary = ctx.table("summary") if blocks[3] else None
    # The expenditure table's class totals, as code_fen gives them, for the class rows of both summaries.
    class_fen = lk.class_totals_fen(expenditure) if blocks[3] or blocks[4] else {}
    # The measures both tables print (the same for every class): the income table's codes only when there are any.
    both = () if summary is None or income is None else tuple(
        m for m in ("current", "carryover") if lk.has_measure(summary, m) and lk.has_measure(income, m))
    inc = lk.coded_rows(income) if both else {}
    for code, row in lk.class_rows(summary).items():
        assert summary is not None
        if not row.fen or not lk.has_figures(row):
            continue  # (most class rows print nothing: an empty row is passed over without a call)
        theirs_fen = _class_fen(class_fen, expenditure, code)  # the figure only when it differs
        if theirs_fen is not None and theirs_fen != cell(row, "total"):
            yield from compare(ctx, _row_fig(summary, row, "total", f"收支总表 {row.name}"),
                               lk.code_figure(expenditure, code, "total"), row.name, f"class {code}", "summary")
        if code in inc:
            assert income is not None
            for m in both:
                if cell(row, m) != cell(inc[code], m):
                    yield from compare(ctx, _row_fig(summary, row, m, f"收支总表 {row.name} {lk.measure_zh(m)}"),
                                       _row_fig(income, inc[code], m, f"收入总表 {code} {lk.measure_zh(m)}"),
                                       row.name, f"class {code} {m}", "summary")
    fiscal = ctx.table("fiscal_summary")
    if blocks[4] and fiscal is not None and _all_fiscal(ctx):
        for code, row in lk.class_rows(fiscal).items():
            if not row.fen or not lk.has_figures(row):
                continue
            theirs_fen = _class_fen(class_fen, expenditure, code)
            if theirs_fen is not None and theirs_fen != cell(row, "total"):
                yield from compare(ctx, _row_fig(fiscal, row, "total", f"财政拨款收支总表 {row.name}"),
                                   lk.code_figure(expenditure, code, "total"), row.name, f"class {code}",
                                   "fiscal_summary")


def _class_fen(totals: dict[str, int], table: Table | None, code: str) -> int | None:
    """``lk.code_fen(table, code, "total")`` of a class code, taken from ``totals`` (the table's
    :func:`.lookup.class_totals_fen`) when it is one of 3 digits."""
    if len(code) == 3:
        return totals.get(code)
    return lk.code_fen(table, code, "total")


def _coded(table: Table | None) -> dict[str, Row]:
    """:func:`.lookup.coded_rows` of a table that may be missing (none then)."""
    return {} if table is None else lk.coded_rows(table)


def _has_carryover(ctx: Context) -> bool:
    return not _no_carryover(ctx)


def _no_carryover(ctx: Context) -> bool:
    summary = ctx.table("summary")
    carry = lk.find_row(summary, lk.CARRY_OVER, "income")
    return not (lk.amount(carry, "total") or ZERO)


def _only_general(ctx: Context) -> bool:
    income = ctx.table("income")
    tot = lk.total_row(income)
    if tot is None:
        return False
    cur = lk.amount(tot, "current") or lk.amount(tot, "total")
    return cur is not None and cur == lk.amount(tot, "general_budget")


def _differ(a: int | None, b: int | None) -> bool:
    """Whether two figures in 分 are both printed and differ: only then can compare() find anything."""
    return a is not None and b is not None and a != b


def _row_fen(row: Row | None, measure: str = "total") -> int | None:
    """:func:`_row_fig`'s value in 分."""
    return None if row is None else row.fen.get(measure) or 0


def _plus_fen(a: int | None, b: int | None) -> int | None:
    """:func:`plus` in 分."""
    return b if a is None else a if b is None else a + b


def _income_current_fen(ctx: Context) -> int | None:
    """:func:`.restated.income_current`'s value in 分."""
    income = ctx.table("income")
    if income is None:
        return None
    if lk.has_measure(income, "current"):
        return lk.total_fen(income, "current")
    total = lk.total_fen(income, "total")
    carry = lk.total_fen(income, "carryover") if lk.has_measure(income, "carryover") else None
    return total if total is None or not carry else total - carry


@rule("cross.totals", "error")
def totals(ctx: Context) -> Iterator[Finding]:
    """Totals agree across tables: 收支总表 with 收入总表 and 支出总表, the 一般公共预算 tables with the 一般公共预算 income,
    财政拨款收支总表 with the fiscal income, 支出经济分类汇总表 with 支出总表.
    """
    if totals_agree(ctx, agreement_cells(ctx)):
        return  # every comparison below agrees to the 分 in the core's figures
    # Each comparison is made in 分 first: the figures, their rounding and words only where they differ.
    summary, income, expenditure = ctx.table("summary"), ctx.table("income"), ctx.table("expenditure")
    general, fiscal = ctx.table("general_expenditure"), ctx.table("fiscal_summary")
    inc_total = lk.total_row(income)
    if summary is not None:
        cur = lk.find_row(summary, lk.CURRENT_INCOME, "income")
        carry = lk.find_row(summary, lk.FISCAL_CARRY_OVER, "income")
        gb = lk.find_row(summary, lk.GENERAL_BUDGET_INCOME, "income")
        grand_e = lk.total_row(summary, "expenditure")
        if income is not None and inc_total is not None:
            if _differ(_row_fen(cur), _income_current_fen(ctx)):
                yield from compare(ctx, _row_fig(summary, cur, "total", "收支总表 本年收入合计"),
                                   income_current(ctx), "本年收入合计", "current-year income", "summary")
            if lk.has_measure(income, "carryover") and carry is not None and lk.amount(carry, "total") is not None \
                    and _differ(_row_fen(carry), lk.total_fen(income, "carryover")):
                yield from compare(ctx, _row_fig(summary, carry, "total", "收支总表 上年结转"),
                                   lk.total_figure(income, "carryover"), "上年结转", "carry-over", "summary")
            if lk.has_measure(income, "general_budget") and gb is not None and lk.amount(gb, "total") is not None \
                    and _differ(_row_fen(gb), lk.total_fen(income, "general_budget")):
                yield from compare(ctx, _row_fig(summary, gb, "total", "收支总表 一般公共预算"),
                                   lk.total_figure(income, "general_budget"), "一般公共预算收入",
                                   "general-budget income", "summary")
        if expenditure is not None and grand_e is not None and _differ(_row_fen(grand_e),
                                                                       lk.total_fen(expenditure, "total")):
            yield from compare(ctx, _row_fig(summary, grand_e, "total", "收支总表 支出总计"),
                               lk.total_figure(expenditure, "total"), "支出总计", "total expenditure", "summary")
    if general is not None and income is not None and lk.has_measure(income, "general_budget"):
        ref_fen = lk.total_fen(income, "general_budget")
        carry_measure: str | None = None
        if "不含上年结转" not in lk.norm(general.title):
            # Without that title the table spends the general-budget carry-over too (Henan).
            carry_measure = "carryover_general_budget"
            if not lk.has_measure(income, carry_measure) and _has_carryover(ctx):
                ref_fen = None  # the carry-over's source is not printed: nothing to compare
            elif lk.has_measure(income, carry_measure):
                ref_fen = _plus_fen(ref_fen, lk.total_fen(income, carry_measure))
            else:
                carry_measure = None
        if _differ(lk.total_fen(general, "total"), ref_fen):
            ref = lk.total_figure(income, "general_budget")
            if carry_measure is not None:
                ref = plus(ref, lk.total_figure(income, carry_measure), "收入总表 一般公共预算(本年+上年结转)")
            yield from compare(ctx, lk.total_figure(general, "total"), ref,
                               "一般公共预算支出", "general-budget spending", "general_expenditure")
    if fiscal is not None and income is not None:
        cur = lk.find_row(fiscal, lk.CURRENT_INCOME, "income")
        measures = [m for m in ("general_budget", "gov_fund", "state_capital") if lk.has_measure(income, m)]
        parts_fen: int | None = None
        for m in measures:
            parts_fen = _plus_fen(parts_fen, lk.total_fen(income, m))
        if cur is not None and _differ(_row_fen(cur), parts_fen):
            fig: Figure | None = None
            for m in measures:
                fig = plus(fig, lk.total_figure(income, m), "收入总表 财政拨款本年收入")
            yield from compare(ctx, _row_fig(fiscal, cur, "total", "财政拨款收支总表 本年收入合计"), fig,
                               "财政拨款本年收入", "current fiscal income", "fiscal_summary")
    econ = ctx.table("economic_summary")
    if econ is not None and expenditure is not None and _differ(lk.total_fen(econ, "total"),
                                                                lk.total_fen(expenditure, "total")):
        yield from compare(ctx, lk.total_figure(econ, "total"), lk.total_figure(expenditure, "total"),
                           "支出经济分类汇总", "economic summary total", "economic_summary")


@rule("cross.basic_economic", "error")
def basic_economic(ctx: Context) -> Iterator[Finding]:
    """基本支出分经济科目表 total equals the 基本支出 column of the 一般公共预算支出表 (or 支出总表), and its 人员经费/公用经费 equal the
    economic columns where the template prints them.
    """
    if basic_economic_agrees(ctx, agreement_cells(ctx)):
        return  # every comparison below agrees to the 分 in the core's figures
    be = ctx.table("basic_economic")
    if be is None or not lk.table_has_figures(be):
        return
    ref = ctx.table("general_expenditure") or ctx.table("expenditure")
    if ref is None or not lk.has_measure(ref, "basic"):
        return
    m = "total" if lk.has_measure(be, "total") else "basic"
    yield from compare(ctx, lk.total_figure(be, m), lk.total_figure(ref, "basic"), "基本支出", "basic spending",
                       "basic_economic")
    tot = lk.total_row(ref)
    for mine, theirs in (("personnel", ("wages", "household_subsidy")), ("public", ("goods_services", "capital"))):
        present = [t for t in theirs if lk.has_measure(ref, t)]
        if not lk.has_measure(be, mine) or not present or tot is None:
            continue
        fig: Figure | None = None
        for t in present:
            fig = plus(fig, lk.figure(ref, [tot], t, ""), f"{lk.kind_zh(ref.kind)} {'+'.join(lk.measure_zh(x) for x in present)}")
        yield from compare(ctx, lk.total_figure(be, mine), fig, lk.measure_zh(mine), mine, "basic_economic")


@rule("cross.projects", "error")
def projects(ctx: Context) -> Iterator[Finding]:
    """项目支出表 (本年预算) + 项目支出表 (上年结转) = the 项目支出 column of 支出总表."""
    if projects_agree(ctx, agreement_cells(ctx)):
        return  # the comparison below agrees to the 分 in the core's figures
    exp = ctx.table("expenditure")
    cur = ctx.table("projects")
    if exp is None or cur is None or not lk.has_measure(exp, "project"):
        return
    fig: Figure | None = lk.project_list(cur).total()
    carry = ctx.table("projects_carryover")
    if carry is not None:
        cfig = lk.project_list(carry).total() if lk.table_has_figures(carry) else lk.zero_figure(carry, "")
        fig = plus(fig, cfig, "项目支出表 本年+上年结转")
    yield from compare(ctx, fig, lk.total_figure(exp, "project"), "项目支出", "project spending", "projects")


@rule("cross.operating_costs", "info")
def operating_costs(ctx: Context) -> Iterator[Finding]:
    """机关运行经费表 total against 公用经费 of the 基本支出 table; definitions differ (行政单位 only, or with 事业单位), so a
    difference is only reported as information.
    """
    if operating_costs_agree(ctx, agreement_cells(ctx)):
        return  # the comparison below agrees to the 分 in the core's figures
    oc, be = ctx.table("operating_costs"), ctx.table("basic_economic")
    if oc is None or be is None or not lk.table_has_figures(oc) or not lk.has_measure(be, "public"):
        return
    ours = lk.project_list(oc).total()
    theirs = lk.total_figure(be, "public")
    if theirs is None or ours.value == theirs.value:
        return
    ours_text, theirs_text = ours.text(), theirs.text()
    yield ctx.finding(
        f"机关运行经费 {ours_text} 与基本支出中的公用经费 {theirs_text} 不同"
        f"(机关运行经费只含行政单位及参公单位时属正常)",
        f"机关运行经费 {ours_text} differs from 公用经费 {theirs_text} (normal when it covers only the "
        f"administrative units)", expected=theirs.value, actual=ours.value, lines=[*ours.lines, *theirs.lines],
        table="operating_costs")


# --------------------------------------------------------------------------
# Performance targets
# --------------------------------------------------------------------------
@lru_cache(maxsize=2048)
def _key(name: str) -> str:
    """A project name's key for pairing (csrc/pb_match.c: the normalised name without blanks and punctuation)."""
    return _core.match_key(name)  # type: ignore[no-any-return]


def match_by_name(left: Sequence[tuple[str, int]], right: Sequence[tuple[str, int]],
                  tolerance_fen: int) -> list[tuple[int, int, float]]:
    """Pairs (i, j, similarity) of names with their amounts in 分, best first: the same character pairs
    with amounts within ``tolerance_fen``, then by how alike the names are (Dice's coefficient of their
    keys' character pairs; one key of 4+ characters inside the other, '2026年遗属补助' in
    '2026年医疗保障局遗属补助', counts as very alike), close amounts breaking ties; each name once.
    The C core pairs them (csrc/pb_match.c) with the GIL released."""
    return _core.match_names(left, right, tolerance_fen)  # type: ignore[no-any-return]


def annual_total(p: Project) -> Decimal:
    """A target form's 年度资金总额 in 元 (0 when blank; ``p.funds`` would convert its whole grid)."""
    return fen_to_yuan(p.funds_fen["annual_total"]) or ZERO


def performance_forms(ctx: Context) -> list[Project]:
    """The 项目支出绩效目标表 with a 年度资金总额 (once per check run: three rules ask; not to be changed)."""
    forms = ctx.__dict__.get(_FORMS)
    if forms is None:
        forms = ctx.__dict__[_FORMS] = [p for p in ctx.doc.projects
                                        if not p.overall and p.funds_fen.get("annual_total") is not None]
    return forms  # type: ignore[no-any-return]


#: Where a check run keeps its :func:`performance_forms`.
_FORMS = "_performance_forms"


_PERSONNEL_FORM = re.compile(r"人员类项目|人员经费(?:项目)?")
_PUBLIC_FORM = re.compile(r"公用经费(?:项目)?")


@rule("cross.performance_vs_projects", "warning")
def performance_vs_projects(ctx: Context) -> Iterator[Finding]:
    """Each 项目支出绩效目标表's 年度资金总额 (元) equals its project's row in the 项目支出表 (万元), matched by name;
    人员类/公用经费 targets equal 人员经费/公用经费; the Henan 绩效目标汇总表 matches the 项目支出表.
    """
    if not core_pass(ctx)[TARGETS]:
        return  # the core paired them and found every pair within rounding (csrc/pb_targets.c)
    table = ctx.table("projects")
    forms = performance_forms(ctx)
    if table is not None and forms:
        leaves = lk.project_list(table).leaves
        res = lk.table_resolution(table)
        # Amounts in 分 (a form's 年度资金总额 is never blank here, a blank project cell is 0): |a − b| is
        # within the tolerance exactly when it is within its whole 分. Decimals and words only for a finding.
        tol_fen = int(res * HALF * 100)
        left = [p.funds_fen["annual_total"] or 0 for p in forms]
        right = [r.fen.get("total") or 0 for r in leaves]
        matched = set()
        pairs = match_by_name([(p.name, fen) for p, fen in zip(forms, left)],
                              [(r.name, fen) for r, fen in zip(leaves, right)], tol_fen)
        for i, j, sim in pairs:
            matched.add(i)
            if sim < _core.MATCH_ALIKE or abs(left[i] - right[j]) <= tol_fen:
                continue  # an uncertain pairing proves nothing
            p, r = forms[i], leaves[j]
            stated, printed = annual_total(p), fen_to_yuan(right[j]) or ZERO
            tol = Tolerance(res * HALF, f"half of {lk.table_decimals(table)}-decimal {table.unit} = "
                                        f"{(res * HALF).normalize():f}元: the table rounds the form's 元")
            printed_text = lk.figure(table, [r], "total", "").text()
            yield ctx.finding(
                f"项目绩效目标表“{p.name}”年度资金总额 {stated:f}元 ≠ 项目支出表“{r.name}” {printed_text}",
                f"performance target '{p.name}' annual funds {stated:f}元 differ from the project table's "
                f"'{r.name}' {printed_text}",
                expected=printed, actual=stated, tolerance=tol, lines=[p.line, r.line], table="performance")
        yield from _basic_forms(ctx, [p for k, p in enumerate(forms) if k not in matched])
    summary = ctx.table("performance_summary")
    if table is not None and summary is not None:
        ours = lk.project_list(summary).leaves
        theirs = lk.project_list(table).leaves
        ours_fen = [r.fen.get("total") or 0 for r in ours]
        theirs_fen = [r.fen.get("total") or 0 for r in theirs]
        pairs = match_by_name([(r.name, fen) for r, fen in zip(ours, ours_fen)],
                              [(r.name, fen) for r, fen in zip(theirs, theirs_fen)], 0)
        for i, j, sim in pairs:
            if sim < _core.MATCH_ALIKE or ours_fen[i] == theirs_fen[j]:
                continue  # equal amounts: compare() finds nothing
            yield from compare(ctx, lk.figure(summary, [ours[i]], "total", f"绩效目标汇总表“{ours[i].name}”"),
                               lk.figure(table, [theirs[j]], "total", f"项目支出表“{theirs[j].name}”"),
                               ours[i].name, "project", "performance_summary")


def _basic_forms(ctx: Context, forms: Sequence[Project]) -> Iterator[Finding]:
    """人员类项目 / 公用经费项目 targets restate 人员经费 / 公用经费 (Shanxi)."""
    be = ctx.table("basic_economic")
    if be is None:
        return
    for p in forms:
        key = _key(p.name)
        measure = "personnel" if _PERSONNEL_FORM.fullmatch(key) else "public" if _PUBLIC_FORM.fullmatch(key) else None
        if measure is None or not lk.has_measure(be, measure):
            continue
        theirs_fen = lk.total_fen(be, measure)  # total_figure's value: compared in 分 before it is built
        if theirs_fen is None or abs((p.funds_fen["annual_total"] or 0) - theirs_fen) <= lk.table_resolution(be) * 50:
            continue  # within half the table's digit (as the tolerance below allows)
        theirs = lk.total_figure(be, measure)
        assert theirs is not None
        value = annual_total(p)
        tol = Tolerance(theirs.resolution * HALF, f"half of {theirs.resolution.normalize():f}元: the table rounds "
                                                  f"the form's 元")
        if tol.allows(value - theirs.value):
            continue
        theirs_text = theirs.text()
        yield ctx.finding(
            f"绩效目标表“{p.name}”年度资金总额 {value:f}元 ≠ {theirs.where} {theirs_text}",
            f"performance target '{p.name}' annual funds {value:f}元 differ from {lk.measure_zh(measure)} "
            f"{theirs_text}", expected=theirs.value, actual=value, tolerance=tol, lines=[p.line, *theirs.lines],
            table="performance")




_BUDGET_SPEC = spec_of("整体绩效目标", "general")


@rule("cross.performance_overall", "warning")
def performance_overall(ctx: Context) -> Iterator[Finding]:
    """The 部门整体绩效目标表's budget (部门预算总额, or a 预算金额 indicator) equals this year's budget in the
    tables; a 部门预算总额 may also count the carry-over (收支总表 收入总计)."""
    if overall_agrees(ctx, restated_found(ctx)[0][_BUDGET_SPEC], agreement_cells(ctx)):
        return  # every figure below states the budget the core found, to the 分
    budget = restated_figure(ctx, _BUDGET_SPEC)  # current_budget's, from the cell the core found
    if budget is lk.MISSING:
        budget = current_budget(ctx)
    if budget is None:
        return
    summary = ctx.table("summary")
    grand = (_row_fig(summary, lk.total_row(summary, "income"), "total", "收支总表 收入总计")
             if summary is not None else None)
    for p in ctx.doc.projects:
        if not p.overall:
            continue
        key = "annual_total" if p.funds_fen.get("annual_total") is not None else "total"
        stated = fen_to_yuan(p.funds_fen.get(key))
        if stated is not None:
            unit = p.fields.get("budget_unit", "元")
            fig = Figure(stated, (p.fund_lines.get(key, p.line),), 1, Decimal("0.01") * UNIT_YUAN.get(unit, Decimal(1)),
                         unit, 2, "整体绩效目标表 部门预算总额")
            with_carry = grand is not None and _within_rounding(ctx, fig, grand)  # compare() would find nothing
            if not with_carry:
                yield from compare(ctx, fig, budget, "整体绩效目标资金", "overall target budget", "performance_overall")
        groups: dict[tuple[Decimal, str, int], list[int]] = {}
        for ind in ctx.doc.indicators_of(p):
            if ind.number is None or ind.unit not in UNIT_YUAN or not budget_indicator(ind.name):
                continue
            if ind.comparator not in (None, "="):
                continue
            decimals = max(0, -int(ind.number.as_tuple().exponent))
            groups.setdefault((ind.number * UNIT_YUAN[ind.unit], ind.unit, decimals), []).append(ind.line)
        for (value, unit, decimals), lines in groups.items():
            fig = Figure(value, tuple(lines), 1, UNIT_YUAN[unit].scaleb(-decimals), unit, decimals,
                         "整体绩效目标表 预算金额")
            yield from compare(ctx, fig, budget, "整体绩效目标资金", "overall target budget", "performance_overall")
