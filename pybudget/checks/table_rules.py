"""Checks inside one table: rows add up to their parent, columns to their total,
the two sides of a 收支总表 balance, the 三公 items to their 合计."""
from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal

from ..model import UNIT_YUAN, Row, Table
from . import lookup as lk
from .base import Context, Finding, money_text, rule
from .core_pass import (BALANCE, CHILDREN, COLUMNS, GROUPS, THREE_PUBLIC, column_equations, core_pass, differences,
                        resolution_fen)
from .tolerance import for_sum

ZERO = Decimal(0)


def _add_up(cells: list[int | None]) -> tuple[bool, int, int]:
    """(whether any cell is printed, their sum in 分, how many are non-zero); blank cells are 0."""
    printed = False
    total = nonzero = 0
    for v in cells:
        if v is not None:
            printed = True
            if v:
                total += v
                nonzero += 1
    return printed, total, nonzero


def _compare_sum(ctx: Context, table: Table, parent: Row, children: Sequence[Row], what_zh: str, what_en: str,
                 measures: Sequence[str] | None = None) -> Iterator[Finding]:
    """``parent`` against the sum of ``children``, measure by measure (blank cells are 0)."""
    if not children:
        return
    # Plain sums first (blank cells and dashes 0), over the cells the children print: a parent
    # nearly always equals them to the 分, and then there is no rounding to work out.
    sums: dict[str, int] = {}
    for r in children:
        for m, v in r.fen.items():
            if v:
                sums[m] = sums.get(m, 0) + v
    head_cells = parent.fen
    step = None  # worked out at the first difference
    for m in measures or lk.measures(table):
        head = head_cells.get(m)
        if (head or 0) == sums.get(m, 0):
            continue
        if step is None:
            step = resolution_fen(table) * ctx.units
        printed, expected, n = _add_up([r.fen.get(m) for r in children])
        if head is None and not printed:
            continue
        actual = head or 0
        # Only printed, non-zero items carry rounding; one item restated must match exactly.
        if abs(actual - expected) <= step * (n if n > 1 else 0):
            continue
        tol = for_sum(lk.table_resolution(table), table.unit, n if n > 1 else 0, ctx.units)
        unit, dec = table.unit, lk.table_decimals(table)
        exp_y, act_y = Decimal(expected).scaleb(-2), Decimal(actual).scaleb(-2)
        yield ctx.finding(
            f"{lk.kind_zh(table.kind)}第{parent.line}行“{parent.name}”{lk.measure_zh(m)} {money_text(act_y, unit, dec)}"
            f" ≠ {what_zh}之和 {money_text(exp_y, unit, dec)}",
            f"{table.kind} line {parent.line} '{parent.name}' {m} {money_text(act_y, unit, dec)} is not the sum of "
            f"its {what_en} {money_text(exp_y, unit, dec)}",
            expected=exp_y, actual=act_y, tolerance=tol,
            lines=[parent.line, *(r.line for r in children if lk.has_figures(r))], table=table.kind)


#: How each comparison of the C core (csrc/pb_audit.h, PB_WHAT_*) is worded, and the measures it covers:
#: None for every column, else a function of the table's measures, the parent row and the child rows.
_MeasurePick = Callable[[Sequence[str], Row, Sequence[Row]], list[str]] | None


def _printed_by_any(measures: Sequence[str], parent: Row, children: Sequence[Row]) -> list[str]:
    return [m for m in measures if any(r.fen.get(m) is not None for r in (parent, *children))]


def _printed_by_head(measures: Sequence[str], parent: Row, children: Sequence[Row]) -> list[str]:
    return [m for m in measures if parent.fen.get(m) is not None]


def _total_only(measures: Sequence[str], parent: Row, children: Sequence[Row]) -> list[str]:
    return ["total"]


def _amount_columns(measures: Sequence[str], parent: Row, children: Sequence[Row]) -> list[str]:
    return [m for m in measures if not m.endswith(("_name", "_value"))]


_WHAT: dict[int, tuple[str, str, _MeasurePick]] = {
    0: ("下级科目", "child codes", None),
    1: ("各单位", "units", None),
    2: ("所属科目", "codes", None),
    3: ("单位", "unit row", None),
    4: ("各类", "top-level codes", None),
    5: ("经济科目", "economic items", None),
    6: ("各经济分类", "economic classes", None),
    9: ("本年合计与结转", "current-year total and carry-over", _printed_by_any),
    10: ("各收入项目", "income items", _total_only),
    11: ("各功能分类", "function classes", _printed_by_head),
    12: ("所属项目", "projects", _amount_columns),
    13: ("各单位", "units", _amount_columns),
    14: ("各项目", "projects", _amount_columns),
}
_COLUMNS, _SIDES = 7, 8


def _judge(ctx: Context, table: Table, what: int, parent: int, kids: Sequence[int]) -> Iterator[Finding]:
    """The findings of one differing comparison, judged with its rounding tolerance."""
    rows = table.rows
    head, children = rows[parent], [rows[i] for i in kids]
    zh, en, pick = _WHAT[what]
    measures = None if pick is None else pick(lk.measures(table), head, children)
    yield from _compare_sum(ctx, table, head, children, zh, en, measures)


@rule("table.children_sum", "error")
def children_sum(ctx: Context) -> Iterator[Finding]:
    """Rows add up to their parent by code (项 → 款 → 类 → 合计), unit rows to 合计, economic items to their
    class.
    """
    tables = ctx.doc.tables
    for t, what, parent, _, kids in differences(ctx, CHILDREN):
        yield from _judge(ctx, tables[t], what, parent, kids)


@rule("table.columns_sum", "error")
def columns_sum(ctx: Context) -> Iterator[Finding]:
    """Within a row, 合计 = 基本支出 + 项目支出, 基本支出 = 人员经费 + 公用经费 (or the economic classes), and the funding
    sources add up to 合计.
    """
    tables = ctx.doc.tables
    for t, _, row_index, eq, _ in differences(ctx, COLUMNS):
        table = tables[t]
        row = table.rows[row_index]
        lhs, parts = column_equations(table)[eq]
        fen = row.fen
        printed, expected, n = _add_up([fen.get(p) for p in parts])
        if not printed:
            continue  # the row prints none of the parts (the other side of a 收支总表, a label row)
        actual = fen.get(lhs) or 0
        if abs(actual - expected) <= resolution_fen(table) * ctx.units * (n if n > 1 else 0):
            continue
        unit, dec = table.unit, lk.table_decimals(table)
        tol = for_sum(lk.table_resolution(table), unit, n if n > 1 else 0, ctx.units)
        exp_y, act_y = Decimal(expected).scaleb(-2), Decimal(actual).scaleb(-2)
        names_zh = " + ".join(lk.measure_zh(p) for p in parts)
        yield ctx.finding(
            f"{lk.kind_zh(table.kind)}第{row.line}行“{row.name}”{lk.measure_zh(lhs)} {money_text(act_y, unit, dec)}"
            f" ≠ {names_zh} = {money_text(exp_y, unit, dec)}",
            f"{table.kind} line {row.line} '{row.name}': {lhs} {money_text(act_y, unit, dec)} is not "
            f"{' + '.join(parts)} = {money_text(exp_y, unit, dec)}",
            expected=exp_y, actual=act_y, tolerance=tol, lines=[row.line], table=table.kind)


@rule("table.balance", "error")
def balance(ctx: Context) -> Iterator[Finding]:
    """收入总计 = 支出总计; 本年收入合计 + 上年结转 = 收入总计 (and the same for 支出); the income items and the function
    classes add up to 本年收入合计 / 本年支出合计.
    """
    tables = ctx.doc.tables
    for t, what, parent, _, kids in differences(ctx, BALANCE):
        table = tables[t]
        if what != _SIDES:
            yield from _judge(ctx, table, what, parent, kids)
            continue
        gi, ge = table.rows[parent], table.rows[kids[0]]
        a, e = lk.amount(gi, "total"), lk.amount(ge, "total")
        if a is None or e is None or a == e:
            continue
        unit, dec = table.unit, lk.table_decimals(table)
        tol = for_sum(lk.table_resolution(table), unit, 0, ctx.units)
        yield ctx.finding(
            f"{lk.kind_zh(table.kind)} 收入总计 {money_text(a, unit, dec)} ≠ 支出总计 {money_text(e, unit, dec)}",
            f"{table.kind}: total income {money_text(a, unit, dec)} differs from total expenditure "
            f"{money_text(e, unit, dec)}", expected=e, actual=a, tolerance=tol, lines=[gi.line, ge.line],
            table=table.kind)


#: The rows of a vertical “三公” table, by measure (names as lookup.norm leaves them: no quotes).
_THREE_ROWS = {"total": ("合计", "三公经费合计"), "abroad": ("因公出国(境)费", "因公出国(境)费用"),
               "reception": ("公务接待费",), "vehicles": ("公务用车购置及运行费", "公务用车购置及运行维护费"),
               "vehicle_purchase": ("公务用车购置费",), "vehicle_operation": ("公务用车运行费", "公务用车运行维护费")}
_THREE_GROUPS = lk.name_groups(_THREE_ROWS)


@rule("table.three_public_items", "error")
def three_public_items(ctx: Context) -> Iterator[Finding]:
    """“三公”经费: 因公出国(境)费 + 公务接待费 + 公务用车购置及运行费 = 合计, and 公务用车购置及运行费 = ①购置费 + ②运行维护费."""
    if not core_pass(ctx)[THREE_PUBLIC]:
        return  # the core found every item sum within rounding of its total (csrc/pb_audit.c)
    for table in ctx.doc.tables_of("three_public"):
        if not lk.table_has_figures(table):
            continue
        rows = lk.find_rows(table, _THREE_ROWS, _THREE_GROUPS)
        if rows["total"] is None:
            rows["total"] = lk.total_row(table)
        if rows["total"] is not None and rows["abroad"] is not None:  # vertical: one row per item
            checks = (("total", ("abroad", "reception", "vehicles")), ("vehicles", ("vehicle_purchase", "vehicle_operation")))
            for lhs, parts in checks:
                head = rows[lhs]
                items = [r for r in (rows[p] for p in parts) if r is not None]
                if head is not None and items:
                    yield from _compare_sum(ctx, table, head, items, "各项“三公”经费", "三公 items")
            continue
        res, unit, dec = lk.table_resolution(table), table.unit, lk.table_decimals(table)
        printed = lk.measure_set(table)
        for row in table.rows:  # horizontal: one row, one column per item
            if not lk.has_figures(row):
                continue
            for lhs, parts in (("total", ("abroad", "vehicles", "reception")), ("vehicles", ("vehicle_purchase", "vehicle_operation"))):
                if lhs not in printed:
                    continue
                fen = row.fen
                if (fen.get(lhs) or 0) == sum(fen.get(p) or 0 for p in parts if p in printed):
                    continue  # equal to the 分: no rounding to work out
                actual = lk.amount(row, lhs) or ZERO
                expected = sum((lk.amount(row, p) or ZERO for p in parts if lk.has_measure(table, p)), ZERO)
                n = sum(1 for p in parts if lk.amount(row, p))
                tol = for_sum(res, unit, n if n > 1 else 0, ctx.units)
                if tol.allows(actual - expected):
                    continue
                yield ctx.finding(
                    f"“三公”经费表{lk.measure_zh(lhs)} {money_text(actual, unit, dec)} ≠ 各项之和 {money_text(expected, unit, dec)}",
                    f"three_public {lhs} {money_text(actual, unit, dec)} is not the sum of {', '.join(parts)} "
                    f"{money_text(expected, unit, dec)}", expected=expected, actual=actual, tolerance=tol,
                    lines=[row.line], table=table.kind)


@rule("table.group_sum", "error")
def group_sum(ctx: Context) -> Iterator[Finding]:
    """In 项目支出表, 项目绩效目标汇总表 and 机关运行经费表, each unit's subtotal equals its projects and the total equals
    the units.
    """
    tables = ctx.doc.tables
    for t, what, parent, _, kids in differences(ctx, GROUPS):
        yield from _judge(ctx, tables[t], what, parent, kids)


_GRID_SOURCES = ("annual_government", "annual_general_budget", "annual_gov_fund", "annual_state_capital",
                 "annual_social_insurance", "annual_special_account", "annual_unit_funds")
_GRID_STRUCTURE = ("annual_basic", "annual_project")
_GRID_ZH = {"annual_government": "政府预算资金", "annual_general_budget": "一般公共预算资金",
            "annual_gov_fund": "政府性基金预算资金", "annual_state_capital": "国有资本经营预算资金",
            "annual_social_insurance": "社会保险基金预算资金", "annual_special_account": "财政专户管理资金",
            "annual_unit_funds": "单位资金", "annual_basic": "基本支出", "annual_project": "项目支出"}


@rule("table.overall_budget", "error")
def overall_budget(ctx: Context) -> Iterator[Finding]:
    """In a 部门整体绩效目标表's budget grid (预算情况), the sources and 基本支出 + 项目支出 each add up to the total."""
    for p in ctx.doc.projects:
        if not p.overall or p.funds_fen.get("annual_total") is None:
            continue
        # a side-by-side grid prints the structure's own 合计
        structure_key = ("annual_structure_total" if p.funds_fen.get("annual_structure_total") is not None
                         else "annual_total")
        for parts, total_key in ((_GRID_SOURCES, "annual_total"), (_GRID_STRUCTURE, structure_key)):
            total = p.funds_fen[total_key] or 0
            printed = [k for k in parts if p.funds_fen.get(k) is not None]
            _, got, nonzero = _add_up([p.funds_fen[k] for k in printed])
            if not printed or (parts is _GRID_SOURCES and got == 0):
                continue  # sources left blank or all 0.00: the grid was not filled in
            if got == total:
                continue  # equal to the 分: within any tolerance
            unit = p.fields.get("budget_unit", "元")
            resolution = Decimal("0.01") * UNIT_YUAN.get(unit, Decimal(1))  # grids print two decimals
            tol = for_sum(resolution, unit, nonzero if nonzero > 1 else 0, ctx.units)
            expected, actual = Decimal(got).scaleb(-2), Decimal(total).scaleb(-2)
            if tol.allows(actual - expected):
                continue
            names_zh = " + ".join(_GRID_ZH[k] for k in printed)
            yield ctx.finding(
                f"整体绩效目标表预算情况: 部门预算总额 {money_text(actual, unit)} ≠ {names_zh} = {money_text(expected, unit)}",
                f"overall target budget grid: total {money_text(actual, unit)} is not "
                f"{' + '.join(printed)} = {money_text(expected, unit)}",
                expected=expected, actual=actual, tolerance=tol,
                lines=[p.fund_lines.get(total_key, p.line), *(p.fund_lines.get(k, p.line) for k in printed)],
                table="performance_overall")
