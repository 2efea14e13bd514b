"""Checks inside one table: rows add up to their parent, columns to their total,
the two sides of a 收支总表 balance, the 三公 items to their 合计."""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal
from functools import lru_cache

from ..model import UNIT_YUAN, Row, Table
from . import lookup as lk
from .base import Context, Finding, money_text, rule
from .tolerance import for_sum

ZERO = Decimal(0)


def _res_fen(table: Table) -> int:
    """One unit of the table's last printed digit, in 分 (integers keep the hot loops cheap)."""
    return _fen_of(lk.table_resolution(table))


@lru_cache(maxsize=64)
def _fen_of(amount: Decimal) -> int:
    """An amount in 元 as whole 分."""
    return int(amount * 100)


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
            step = _res_fen(table) * ctx.units
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


@rule("table.children_sum", "error")
def children_sum(ctx: Context) -> Iterator[Finding]:
    """Rows add up to their parent by code (项 → 款 → 类 → 合计), unit rows to 合计, economic items to their
    class.
    """
    for table in ctx.doc.tables:
        if table.kind in lk.FUNCTION_KINDS:
            yield from _coded(ctx, table)
        elif table.kind in ("basic_economic", "economic_summary"):
            yield from _economic(ctx, table)


def _coded(ctx: Context, table: Table) -> Iterator[Finding]:
    rows = lk.coded_rows(table)
    if not rows:
        return
    kids: dict[str, list[Row]] = {}
    roots: list[Row] = []
    for code, row in rows.items():
        parent = lk.code_parent(code, rows)
        if parent is None:
            roots.append(row)
        else:
            kids.setdefault(parent, []).append(row)
    for code, children in kids.items():
        yield from _compare_sum(ctx, table, rows[code], children, "下级科目", "child codes")
    total = lk.total_row(table)
    units = lk.unit_rows(table)
    if total is None:
        return
    if len(units) > 1:
        # Several units, each followed by its own coded rows (Henan): units add up to 合计,
        # and each unit's top codes to the unit.
        yield from _compare_sum(ctx, table, total, units, "各单位", "units")
        order = sorted([*units, *roots], key=lambda r: r.line)
        is_unit = {id(u) for u in units}
        for i, u in enumerate(order):
            if id(u) in is_unit:
                mine = []
                for r in order[i + 1:]:
                    if id(r) in is_unit:
                        break
                    mine.append(r)
                yield from _compare_sum(ctx, table, u, mine, "所属科目", "codes")
        return
    if units:
        yield from _compare_sum(ctx, table, total, units, "单位", "unit row")
    yield from _compare_sum(ctx, table, total, roots, "各类", "top-level codes")


def _economic(ctx: Context, table: Table) -> Iterator[Finding]:
    groups, loose = lk.econ_groups(table)
    for head, items in groups:
        yield from _compare_sum(ctx, table, head, items, "经济科目", "economic items")
    total = lk.total_row(table)
    if total is None:
        return
    tops = [head for head, _ in groups] + loose
    yield from _compare_sum(ctx, table, total, tops, "各经济分类", "economic classes")


#: Column identities of spending tables: (total, its parts), applied where the table prints both.
_EQUATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("total", ("basic", "project")),
    ("basic", ("wages", "household_subsidy", "goods_services", "capital")),  # Henan's economic split
    ("project", ("project_operating", "project_specific")),
    ("total", ("personnel", "public")),  # Shanxi 基本支出分经济科目表
    ("basic", ("personnel", "public")),  # Henan 一般公共预算基本支出表 (no 合计 column)
)


def _equations(table: Table) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The identities a table's columns must satisfy, from the measures it prints."""
    return _equations_of(table.kind, tuple(lk.measures(table)))


@lru_cache(maxsize=256)
def _equations_of(kind: str, measures: tuple[str, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """:func:`_equations` of a table kind printing ``measures``. Cached: a template prints
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


def _unequal_rows(rows: Sequence[Row], eqs: Sequence[tuple[str, tuple[str, ...]]]
                  ) -> list[tuple[Row, tuple[str, tuple[str, ...]]]]:
    """Each (row, equation) whose left-hand side differs from the plain sum of its parts
    (blank cells and dashes 0), in order: the only ones that can fail an equation. Nearly
    every row passes, so this first look is a tight loop over plain integers."""
    found = []
    for row in rows:
        fen = row.fen
        if not fen:
            continue
        for eq in eqs:
            total = 0
            for p in eq[1]:
                v = fen.get(p)
                if v:
                    total += v
            if total != (fen.get(eq[0]) or 0):
                found.append((row, eq))
    return found


@rule("table.columns_sum", "error")
def columns_sum(ctx: Context) -> Iterator[Finding]:
    """Within a row, 合计 = 基本支出 + 项目支出, 基本支出 = 人员经费 + 公用经费 (or the economic classes), and the funding
    sources add up to 合计.
    """
    for table in ctx.doc.tables:
        if table.kind in ("performance", "performance_overall"):
            continue
        eqs = _equations(table)
        if not eqs:
            continue
        step = _res_fen(table) * ctx.units
        for row, (lhs, parts) in _unequal_rows(table.rows, eqs):
            fen = row.fen
            printed, expected, n = _add_up([fen.get(p) for p in parts])
            if not printed:
                continue  # the row prints none of the parts (the other side of a 收支总表, a label row)
            actual = fen.get(lhs) or 0
            if abs(actual - expected) <= step * (n if n > 1 else 0):
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


_CURRENT = {"income": r"本年收入(?:合计)?", "expenditure": r"本年支出(?:合计)?"}
_CARRY = {"income": r"(?:上年(?:财政拨款)?结转(?:结余)?|上年结转)", "expenditure": r"年终结转(?:结余)?"}


def _side_rows(table: Table, side: str) -> tuple[Row | None, Row | None, Row | None]:
    """(grand total, current-year total, carry-over row) of one side."""
    grand = lk.find_row(table, r"(?:收入|支出)总计", side) or None
    current = lk.find_row(table, _CURRENT[side], side)
    if grand is None:
        grand = lk.find_row(table, r"(?:收入|支出)合计", side)
    carry = lk.find_row(table, _CARRY[side], side)
    if grand is current:
        current = None
    return grand, current, carry


@rule("table.balance", "error")
def balance(ctx: Context) -> Iterator[Finding]:
    """收入总计 = 支出总计; 本年收入合计 + 上年结转 = 收入总计 (and the same for 支出); the income items and the function
    classes add up to 本年收入合计 / 本年支出合计.
    """
    for table in ctx.doc.tables:
        if table.kind not in ("summary", "fiscal_summary"):
            continue
        res, unit, dec = lk.table_resolution(table), table.unit, lk.table_decimals(table)
        gi, ci, ki = _side_rows(table, "income")
        ge, ce, ke = _side_rows(table, "expenditure")
        if gi is not None and ge is not None:
            a, e = lk.amount(gi, "total"), lk.amount(ge, "total")
            if a is not None and e is not None and a != e:
                tol = for_sum(res, unit, 0, ctx.units)
                yield ctx.finding(
                    f"{lk.kind_zh(table.kind)} 收入总计 {money_text(a, unit, dec)} ≠ 支出总计 {money_text(e, unit, dec)}",
                    f"{table.kind}: total income {money_text(a, unit, dec)} differs from total expenditure "
                    f"{money_text(e, unit, dec)}", expected=e, actual=a, tolerance=tol, lines=[gi.line, ge.line],
                    table=table.kind)
        for side, grand, current, carry in (("income", gi, ci, ki), ("expenditure", ge, ce, ke)):
            if grand is None or current is None:
                continue
            parts = [current] + ([carry] if carry is not None else [])
            measures = [m for m in lk.measures(table) if any(r.fen.get(m) is not None for r in (grand, *parts))]
            yield from _compare_sum(ctx, table, grand, parts, "本年合计与结转", "current-year total and carry-over",
                                    measures)
        yield from _items(ctx, table, gi, ci, ki)
        if ce is not None:
            classes = list(lk.class_rows(table, "expenditure").values())
            measures = [m for m in lk.measures(table) if ce.fen.get(m) is not None]
            yield from _compare_sum(ctx, table, ce, classes, "各功能分类", "function classes", measures)


def _items(ctx: Context, table: Table, grand: Row | None, current: Row | None, carry: Row | None) -> Iterator[Finding]:
    """The income items add up to 本年收入合计: the items printed above the totals
    (一、一般公共预算 …), or, when 本年收入 is itself a heading ('一、本年收入'), the
    items between it and the carry-over ('(一)一般公共预算拨款 …')."""
    if current is None:
        return
    marks = [r.line for r in (grand, current, carry) if r is not None]
    candidates = [r for r in table.rows if r.side == "income" and not r.is_total
                  and r is not grand and r is not current and r is not carry
                  and lk.norm(r.name) not in ("", "-") and not r.name.lstrip().startswith("其中")]
    above = [r for r in candidates if r.line < min(marks)]
    if above:
        items = above
    elif carry is not None and current.line < carry.line:
        items = [r for r in candidates if current.line < r.line < carry.line]
    else:
        items = []
    if items:
        yield from _compare_sum(ctx, table, current, items, "各收入项目", "income items", ["total"])


_THREE_ROWS = {"total": r"合计|“?三公”?经费合计", "abroad": r"因公出国\(境\)费(?:用)?",
               "reception": r"公务接待费", "vehicles": r"公务用车购置及运行(?:维护)?费",
               "vehicle_purchase": r"公务用车购置费", "vehicle_operation": r"公务用车运行(?:维护)?费"}


@rule("table.three_public_items", "error")
def three_public_items(ctx: Context) -> Iterator[Finding]:
    """“三公”经费: 因公出国(境)费 + 公务接待费 + 公务用车购置及运行费 = 合计, and 公务用车购置及运行费 = ①购置费 + ②运行维护费."""
    for table in ctx.doc.tables_of("three_public"):
        if not lk.table_has_figures(table):
            continue
        res, unit, dec = lk.table_resolution(table), table.unit, lk.table_decimals(table)
        rows = {k: lk.find_row(table, p) for k, p in _THREE_ROWS.items()}
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
        for row in table.rows:  # horizontal: one row, one column per item
            if not lk.has_figures(row):
                continue
            for lhs, parts in (("total", ("abroad", "vehicles", "reception")), ("vehicles", ("vehicle_purchase", "vehicle_operation"))):
                if not lk.has_measure(table, lhs):
                    continue
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
    for table in ctx.doc.tables:
        if table.kind not in ("projects", "projects_carryover", "performance_summary", "operating_costs"):
            continue
        pl = lk.project_list(table)
        measures = [m for m in lk.measures(table) if not m.endswith(("_name", "_value"))]
        for unit_row, items in pl.groups:
            yield from _compare_sum(ctx, table, unit_row, items, "所属项目", "projects", measures)
        if pl.top is not None:
            below = [u for u, _ in pl.groups] or pl.leaves
            yield from _compare_sum(ctx, table, pl.top, below, "各单位" if pl.groups else "各项目",
                                    "units" if pl.groups else "projects", measures)


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
        unit = p.fields.get("budget_unit", "元")
        resolution = Decimal("0.01") * UNIT_YUAN.get(unit, Decimal(1))  # grids print two decimals
        # a side-by-side grid prints the structure's own 合计
        structure_key = ("annual_structure_total" if p.funds_fen.get("annual_structure_total") is not None
                         else "annual_total")
        for parts, total_key in ((_GRID_SOURCES, "annual_total"), (_GRID_STRUCTURE, structure_key)):
            total = p.funds_fen[total_key] or 0
            printed = [k for k in parts if p.funds_fen.get(k) is not None]
            _, got, nonzero = _add_up([p.funds_fen[k] for k in printed])
            if not printed or (parts is _GRID_SOURCES and got == 0):
                continue  # sources left blank or all 0.00: the grid was not filled in
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
