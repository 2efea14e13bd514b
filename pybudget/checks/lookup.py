"""Finding figures in tables: rows by name or code, class totals, project lists.

Everything here reads; nothing judges. A blank cell in a row that has other
figures counts as 0 (that is how the templates print zero); a table marked
本表无数据 counts as all zeros.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from operator import attrgetter
from typing import Any, TypeVar

from .. import _core
from ..model import UNIT_YUAN, Row, Table, amount_measures, fen_to_yuan

ZERO = Decimal(0)

KIND_ZH = {
    "summary": "收支总表", "income": "收入总表", "expenditure": "支出总表", "fiscal_summary": "财政拨款收支总表",
    "general_expenditure": "一般公共预算支出表", "basic_economic": "基本支出经济分类表",
    "economic_summary": "支出经济分类汇总表", "gov_fund_income": "政府性基金收入表",
    "gov_fund_expenditure": "政府性基金支出表", "state_capital": "国有资本经营预算表",
    "three_public": "“三公”经费表", "operating_costs": "机关运行经费表", "projects": "项目支出表(本年)",
    "projects_carryover": "项目支出表(上年结转)", "performance": "项目绩效目标表",
    "performance_overall": "整体绩效目标表", "performance_summary": "项目绩效目标汇总表",
}
MEASURE_ZH = {
    "total": "合计", "current": "当年预算", "carryover": "上年结转", "basic": "基本支出", "project": "项目支出",
    "personnel": "人员经费", "public": "公用经费", "general_budget": "一般公共预算", "gov_fund": "政府性基金",
    "state_capital": "国有资本经营预算", "special_account": "财政专户管理资金", "unit_funds": "单位资金",
    "fiscal_appropriation": "财政拨款", "wages": "工资福利支出", "household_subsidy": "对个人和家庭的补助",
    "goods_services": "商品和服务支出", "capital": "资本性支出", "project_operating": "其他运转类",
    "project_specific": "特定目标类", "abroad": "因公出国(境)费", "vehicles": "公务用车购置及运行费",
    "vehicle_purchase": "公务用车购置费", "vehicle_operation": "公务用车运行维护费", "reception": "公务接待费",
    "business_income": "事业收入", "operating_income": "事业单位经营收入", "gov_budget_funds": "政府预算资金",
}
#: Funding-source measures that add up to a current-year total (其中 columns excluded).
SOURCES = ("general_budget", "gov_fund", "state_capital", "special_account", "unit_funds", "operating_income",
           "business_income", "superior_subsidy", "affiliated_remit", "reserve_fund", "other_income",
           "social_insurance_fund", "gov_budget_funds")
#: Tables whose codes are function codes (政府支出功能分类).
FUNCTION_KINDS = {"income", "expenditure", "general_expenditure", "gov_fund_income", "gov_fund_expenditure",
                  "state_capital"}


_T = TypeVar("_T")


#: Where a table keeps what the rules derive from it during one check run.
_MEMO = "_checks_memo"
#: What a memo lookup gives for a value not worked out yet (None is a value).
MISSING: Any = object()


def memo(table: Table) -> dict[Any, Any]:
    """The values derived from one table in the current check run (rules ask for
    the same rows, totals and figures many times per run). Kept on the table
    itself, so concurrent runs on different documents share nothing;
    :func:`forget` empties it when a run starts, so each run reads the table
    as it is then."""
    got = table.__dict__.get(_MEMO)
    if got is None:
        got = table.__dict__[_MEMO] = {}
    return got  # type: ignore[no-any-return]


def forget(tables: Iterable[Table]) -> None:
    """Drops what earlier runs derived from these tables."""
    for t in tables:
        t.__dict__.pop(_MEMO, None)


def per_table(fn: Callable[[Table], _T]) -> Callable[[Table], _T]:
    """Computes a function of one table once per check run (see :func:`memo`)."""

    def wrapper(table: Table) -> _T:
        cache = table.__dict__.get(_MEMO)  # memo(), inlined: this runs hundreds of times a document
        if cache is None:
            cache = memo(table)
        # A sentinel, not KeyError: raising costs more than the lookup, and every value misses once.
        value = cache.get(fn, MISSING)
        if value is MISSING:
            value = cache[fn] = fn(table)
        return value  # type: ignore[no-any-return]

    wrapper.__doc__ = fn.__doc__
    wrapper.__name__ = fn.__name__
    wrapper.__wrapped__ = fn  # type: ignore[attr-defined]
    return wrapper


_MEASURE = attrgetter("measure")


def column_measures(table: Table) -> tuple[str, ...]:
    """The measure of every column of a table, names and codes included: what its amount
    measures and its sums' plan (core_pass.sum_plans) follow from."""
    return tuple(map(_MEASURE, table.columns))


@lru_cache(maxsize=1024)
def measures_of(columns: tuple[str, ...]) -> tuple[tuple[str, ...], frozenset[str]]:
    """The amount measures of a table whose columns have these measures (``Table.measures``, as a
    tuple), and them as a set. Cached: a template prints the same columns in every document."""
    found = tuple(amount_measures(columns))
    return found, frozenset(found)


@per_table
def measures(table: Table) -> tuple[str, ...]:
    """``table.measures``, worked out once per table."""
    return measures_of(column_measures(table))[0]


@per_table
def measure_set(table: Table) -> frozenset[str]:
    """The table's measures, for ``in`` tests."""
    return measures_of(column_measures(table))[1]


def has_measure(table: Table, measure: str) -> bool:
    """Whether the table prints a column of ``measure`` (``measure in table.measures``)."""
    return measure in measure_set(table)


def kind_zh(kind: str | None) -> str:
    """A table kind as the Chinese reader knows it."""
    return KIND_ZH.get(kind or "", kind or "")


def measure_zh(measure: str) -> str:
    """A measure's Chinese column name."""
    if measure.startswith("carryover_"):
        return f"上年结转{MEASURE_ZH.get(measure[10:], measure[10:])}"
    return MEASURE_ZH.get(measure, measure)


@dataclass(frozen=True, init=False)
class Figure:
    """A figure found in a table (or computed from several): value in 元, the
    lines it came from, how many printed figures it sums, and their digit."""

    value: Decimal
    lines: tuple[int, ...]
    items: int
    resolution: Decimal
    unit: str
    decimals: int
    where: str
    table: str | None = None

    def __init__(self, value: Decimal, lines: tuple[int, ...], items: int, resolution: Decimal, unit: str,
                 decimals: int, where: str, table: str | None = None) -> None:
        # The frozen dataclass's own __init__ sets each field through object.__setattr__; the
        # rules build a figure for every value they look up, so the fields go in directly.
        values = self.__dict__
        values["value"] = value
        values["lines"] = lines
        values["items"] = items
        values["resolution"] = resolution
        values["unit"] = unit
        values["decimals"] = decimals
        values["where"] = where
        values["table"] = table

    def text(self) -> str:
        """The value as printed in its table's unit."""
        if self.unit not in UNIT_YUAN:
            return f"{self.value.normalize():f}{self.unit}"
        scale = UNIT_YUAN[self.unit]
        return f"{(self.value / scale).quantize(_quantum(self.decimals)):f}{self.unit}"


@lru_cache(maxsize=16)
def _quantum(decimals: int) -> Decimal:
    """One unit of the last of ``decimals`` printed digits (what :meth:`Figure.text` rounds to)."""
    return Decimal(1).scaleb(-decimals)


def amount(row: Row | None, measure: str) -> Decimal | None:
    """A row's amount in 元, None when the cell is blank or a dash."""
    if row is None:
        return None
    fen = row.fen.get(measure)
    return None if fen is None else fen_to_yuan(fen)


def cell_fen(row: Row, measure: str) -> int:
    """A row's amount in 分 as :func:`figure` adds it up (blank cells and dashes are 0)."""
    return row.fen.get(measure) or 0


def has_figures(row: Row) -> bool:
    """Whether a row prints any amount."""
    values = row.fen.values()
    # Dashes (None) are rare: the containment test runs in C, the generator only when one is there.
    return bool(values) and (None not in values or any(v is not None for v in values))


def table_has_figures(table: Table | None) -> bool:
    """Whether a table prints any amount at all."""
    return table is not None and _has_figures(table)


@per_table
def _has_figures(table: Table) -> bool:
    return any(has_figures(r) for r in table.rows)


def share_pass(tables: Sequence[Table], entries: Sequence[dict[Any, Any]]) -> None:
    """Keeps what the core pass over the tables worked out for each table in this check run: its
    memo entries as ``_core.audit_tables`` makes them, keyed by :data:`PASS_KEYS` (whether it prints
    any amount, for :func:`table_has_figures`; from its plan, :func:`measures` and :func:`measure_set`;
    the total rows the core found, for :func:`total_row`; its project list or class rows, for
    :func:`core_lookup`). A table with no memo yet takes its entries as its memo."""
    for values, got in zip(map(_VALUES, tables), entries):
        cache = values.get(_MEMO)
        if cache is None:
            values[_MEMO] = got
        else:  # a rule that ran before the pass asked for something
            cache.update(got)


_VALUES = attrgetter("__dict__")


#: What :func:`per_table` keys each value by in a table's memo.
_HAS_FIGURES_KEY = _has_figures.__wrapped__  # type: ignore[attr-defined]
_MEASURES_KEY = measures.__wrapped__  # type: ignore[attr-defined]
_MEASURE_SET_KEY = measure_set.__wrapped__  # type: ignore[attr-defined]


def table_decimals(table: Table) -> int:
    """Printed decimals of a table (2 for an empty table in 万元: the template's digit)."""
    return _digits(table)[1]


def table_resolution(table: Table) -> Decimal:
    """One unit of the table's last printed digit, in 元."""
    return _digits(table)[0]


@per_table
def _digits(table: Table) -> tuple[Decimal, int]:
    decimals = table.decimals if _has_figures(table) else 2
    return _resolution(table.unit, decimals), decimals


@lru_cache(maxsize=64)
def _resolution(unit: str, decimals: int) -> Decimal:
    """One unit of the last of ``decimals`` printed digits in ``unit``, in 元."""
    return UNIT_YUAN.get(unit, Decimal(1)).scaleb(-decimals)


def figure(table: Table, rows: Sequence[Row], measure: str, where: str) -> Figure:
    """The sum of one measure over rows (blank cells are 0)."""
    if len(rows) == 1:  # most figures are one printed cell
        row = rows[0]
        value = Decimal(row.fen.get(measure) or 0).scaleb(-2)
        lines: tuple[int, ...] = (row.line,)
    else:
        value = Decimal(sum(r.fen.get(measure) or 0 for r in rows)).scaleb(-2)
        lines = tuple(r.line for r in rows)
    res, dec = _digits(table)
    return Figure(value, lines, max(len(rows), 1), res, table.unit, dec, where, table.kind)


def zero_figure(table: Table, where: str) -> Figure:
    """0 from a table that prints nothing (本表无数据)."""
    return Figure(ZERO, (table.line,), 1, table_resolution(table), table.unit, table_decimals(table), where,
                  table.kind)


@lru_cache(maxsize=4096)
def norm(name: str) -> str:
    """A row name without spaces, enumerators, circled numbers, quotes and colons."""
    return _core.norm_name(name)  # csrc/pb_names.c: the one implementation, shared with the C core


#: Row names as :func:`norm` leaves them, for :func:`find_row` (one of several spellings).
CURRENT_INCOME = ("本年收入", "本年收入合计")
CURRENT_SPENDING = ("本年支出", "本年支出合计")
CARRY_OVER = ("上年结转", "上年结转结余")
FISCAL_CARRY_OVER = ("上年结转", "上年结转结余", "上年财政拨款结转", "上年财政拨款结转结余")
GENERAL_BUDGET_INCOME = ("一般公共预算", "一般公共预算拨款收入")
GRAND_SPENDING = ("支出总计", "支出合计")
GRAND_INCOME = ("收入总计", "收入合计")
_GRAND_TOTALS = ("收入总计", "支出总计")
_GRAND_SUMS = ("收入合计", "支出合计")


def find_row(table: Table | None, names: tuple[str, ...], side: str | None = None) -> Row | None:
    """The first row (of ``side``; any side for None) whose normalised name is one of ``names``."""
    if table is None:
        return None
    cache = memo(table)
    key = ("find_row", names, side)
    found = cache.get(key, MISSING)
    if found is not MISSING:
        return found  # type: ignore[no-any-return]
    rows, row_names = _named_rows(table, side)
    # filter() and index() run in C: the first name that is wanted, and the first row with it.
    name = next(filter(_wanted(names).__contains__, row_names), None)
    found = None if name is None else rows[row_names.index(name)]
    cache[key] = found
    return found


def find_rows(table: Table, wanted: dict[str, tuple[str, ...]],
              groups: dict[str, tuple[str, ...]] | None = None) -> dict[str, Row | None]:
    """:func:`find_row` (any side) of each group of names, by the group's key, from one pass over the
    table's names that ends when every group has its row. ``groups``: :func:`name_groups` of ``wanted``,
    when the caller keeps it (a rule's fixed groups are turned round once, not looked up each time)."""
    rows, row_names = _named_rows(table, None)
    if groups is None:
        groups = name_groups(wanted)
    found: dict[str, Row | None] = dict.fromkeys(wanted)
    left = len(found)
    for row, name in zip(rows, row_names):
        keys = groups.get(name)
        if keys is None:
            continue
        for key in keys:
            if found[key] is None:
                found[key] = row
                left -= 1
        if not left:
            break
    return found


def name_groups(wanted: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """The keys of the groups each name is in, for :func:`find_rows` (``wanted`` turned round)."""
    return _groups_by_name(tuple(wanted.items()))


@lru_cache(maxsize=256)
def _groups_by_name(wanted: tuple[tuple[str, tuple[str, ...]], ...]) -> dict[str, tuple[str, ...]]:
    """The keys of the groups each name is in (:func:`find_rows`' ``wanted`` turned round)."""
    out: dict[str, tuple[str, ...]] = {}
    for key, names in wanted:
        for name in names:
            out[name] = (*out.get(name, ()), key)
    return out


@lru_cache(maxsize=256)
def _wanted(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(names)


def _named_rows(table: Table, side: str | None) -> tuple[list[Row], list[str]]:
    """The rows of one side (all for None) and their normalised names, in the same order."""
    cache = memo(table)
    key = ("named_rows", side)
    got = cache.get(key, MISSING)
    if got is not MISSING:
        return got  # type: ignore[no-any-return]
    rows = table.rows if side is None else [r for r in table.rows if r.side == side]
    got = cache[key] = (rows, [norm(r.name) for r in rows])
    return got


def total_row(table: Table | None, side: str | None = None) -> Row | None:
    """The table's grand total row (合计 / 收入总计 / 支出总计 / 收入合计)."""
    if table is None:
        return None
    cache = memo(table)
    key = ("total_row", side)
    if key not in cache:
        cache[key] = _total_row(table, side)
    return cache[key]  # type: ignore[no-any-return]


#: The sides :func:`share_pass` takes the total rows of, in its order, as :func:`total_row` keeps them.
_TOTAL_ROW_KEYS = (("total_row", None), ("total_row", "income"), ("total_row", "expenditure"))


def _total_row(table: Table, side: str | None) -> Row | None:
    if side is not None:
        for names in (_GRAND_TOTALS, _GRAND_SUMS):
            row = find_row(table, names, side)
            if row is not None:
                return row
    row = table.total_row(side)
    if row is not None:
        return row
    # Henan's projects table starts with an unnamed total row.
    first = next((r for r in table.rows if has_figures(r)), None)
    return first if first is not None and not first.name.strip() and side is None else None


def total_figure(table: Table | None, measure: str, side: str | None = None) -> Figure | None:
    """A total row's measure as a figure (0 for an empty table)."""
    if table is None:
        return None
    cache = memo(table)
    key = ("total_figure", measure, side)
    if key not in cache:
        where = f"{kind_zh(table.kind)} 合计 {measure_zh(measure)}"
        if not table_has_figures(table):
            cache[key] = zero_figure(table, where)
        else:
            row = total_row(table, side)
            cache[key] = None if row is None else figure(table, [row], measure, where)
    return cache[key]  # type: ignore[no-any-return]


def total_fen(table: Table | None, measure: str, side: str | None = None) -> int | None:
    """:func:`total_figure`'s value in 分, without building the figure (to compare first)."""
    if table is None:
        return None
    if not table_has_figures(table):
        return 0
    row = total_row(table, side)
    return None if row is None else row.fen.get(measure) or 0


# --------------------------------------------------------------------------
# Function codes
# --------------------------------------------------------------------------
@lru_cache(maxsize=4096)
def is_function_code(code: str | None) -> bool:
    """A 3-, 5- or 7-digit 政府支出功能分类 code (2xx…)."""
    # isdecimal() is what the regex \d matches (Unicode category Nd), without the regex.
    return code is not None and len(code) in (3, 5, 7) and code[0] == "2" and code.isdecimal()


@per_table
def coded_rows(table: Table) -> dict[str, Row]:
    """Rows by function code (the first row of each code)."""
    out: dict[str, Row] = {}
    if table.kind not in FUNCTION_KINDS:
        return out
    for r in table.rows:
        if is_function_code(r.code) and not r.is_total and r.code not in out:
            out[r.code] = r  # type: ignore[index]
    return out


def code_figure(table: Table | None, code: str, measure: str) -> Figure | None:
    """A code's measure: its own row, or the sum of its printed descendants when
    the template prints only 项 rows (Henan)."""
    rows = _code_rows(table, code)
    if rows is None:
        return None
    assert table is not None
    return figure(table, rows, measure, f"{kind_zh(table.kind)} {code} {measure_zh(measure)}")


def code_fen(table: Table | None, code: str, measure: str) -> int | None:
    """:func:`code_figure`'s value in 分, without building the figure (to compare first)."""
    rows = _code_rows(table, code)
    return None if rows is None else sum(r.fen.get(measure) or 0 for r in rows)


def _code_rows(table: Table | None, code: str) -> list[Row] | None:
    """The rows :func:`code_figure` adds up: the code's own, or its printed leaves."""
    if table is None:
        return None
    rows = coded_rows(table)
    if code in rows:
        return [rows[code]]
    leaf_codes = _leaf_codes(table)
    return [r for c, r in rows.items() if c.startswith(code) and c in leaf_codes] or None


@per_table
def _leaf_codes(table: Table) -> frozenset[str]:
    rows = coded_rows(table)
    parents = {c[:5] for c in rows if len(c) == 7} | {c[:3] for c in rows if len(c) >= 5}
    return frozenset(c for c in rows if c not in parents)


def class_rows(table: Table | None) -> dict[str, Row]:
    """Function-class rows of a two-sided table's expenditure side, by class code (named, not coded):
    the first row of each class, unless only a later one prints figures (Henan prints both
    (九)医疗卫生与计划生育支出 and (十)卫生健康支出 for 210). The C core reads them (csrc/pb_audit.c),
    as the sums of table.balance do."""
    if table is None:
        return {}
    return _class_rows(table)


@per_table
def _class_rows(table: Table) -> dict[str, Row]:
    rows = table.rows
    return {code: rows[i] for code, i in core_lookup(table, "class_rows")}


#: Where a table keeps what the C core worked out for it (see :func:`core_lookup`).
_CORE = "core_lookup"


def core_lookup(table: Table, what: str) -> Any:
    """The C core's project list or class rows of a table (``_core.audit_lookup``): the ones the
    sums worked out in this check run when they did (:func:`share_pass`), else worked out now."""
    cache = memo(table)
    got = cache.get((_CORE, what), MISSING)
    if got is MISSING:
        got = cache[(_CORE, what)] = _core.audit_lookup(table, measures(table), what)
    return got


#: What ``_core.audit_tables`` keys each table's memo entries by (see :func:`share_pass`): as
#: :func:`per_table` keys :func:`_has_figures`, :func:`measures` and :func:`measure_set`; the total
#: rows of any side, the income side and the expenditure side as :func:`total_row` keeps them; the
#: project list and the class rows as :func:`core_lookup` keeps them.
PASS_KEYS = (_HAS_FIGURES_KEY, _MEASURES_KEY, _MEASURE_SET_KEY, *_TOTAL_ROW_KEYS, (_CORE, "project_list"),
             (_CORE, "class_rows"))


# --------------------------------------------------------------------------
# Project lists (unit rows are told from projects by csrc/pb_names.c's pb_org_name)
# --------------------------------------------------------------------------
@dataclass
class ProjectList:
    """A project table read as: a grand total row (if printed), unit subtotals
    with their projects, and every project."""

    table: Table
    top: Row | None
    groups: list[tuple[Row, list[Row]]]
    leaves: list[Row]

    def total(self, measure: str = "total") -> Figure:
        """The table's total: the printed top row, else the sum of the projects."""
        if self.top is not None:
            return figure(self.table, [self.top], measure, f"{kind_zh(self.table.kind)} 合计")
        if self.groups:
            return figure(self.table, [u for u, _ in self.groups], measure, f"{kind_zh(self.table.kind)} 各单位合计")
        return figure(self.table, self.leaves, measure, f"{kind_zh(self.table.kind)} 各项目合计")


def project_list(table: Table) -> ProjectList:
    """Splits a project-like table (项目支出表, 绩效目标汇总表, 机关运行经费表) into
    total, unit subtotals and projects."""
    return _project_list(table)


@per_table
def _project_list(table: Table) -> ProjectList:
    """The C core's reading (csrc/pb_audit.c, the one table.group_sum sums): the first total row
    (by role, or a name ending 合计/总计), else a department row right above its first unit row;
    unit rows (a unit's name, a number, a short code in 绩效目标汇总表; every row of 机关运行经费表)
    with the projects under each; every project."""
    top, units, starts, leaves = core_lookup(table, "project_list")
    rows = table.rows
    ends = [*starts[1:], len(leaves)]
    groups = [(rows[u], [rows[i] for i in leaves[a:b]]) for u, a, b in zip(units, starts, ends)]
    return ProjectList(table, None if top < 0 else rows[top], groups, [rows[i] for i in leaves])


def current_leaves(pl: ProjectList) -> list[Row]:
    """Projects with money this year (Henan's 项目支出表 also lists carry-over-only projects)."""
    carry = [m for m in measures(pl.table) if m.startswith("carryover")]
    if not carry:
        return pl.leaves
    # a cell in 分 is as truthy as its amount(): blank, dash and 0 are not money this year
    return [r for r in pl.leaves if any(map(r.fen.get, SOURCES))]


def class_totals_fen(table: Table | None) -> dict[str, int]:
    """:func:`code_fen` of the ``total`` of every 3-digit class code it finds in a table, by code, from one pass
    over its coded rows (the class rows of 收支总表 and 财政拨款收支总表 ask for each class in turn): the class's
    own row, else the sum of its printed leaves (Henan prints only 项 rows). A class with neither is missing."""
    if table is None:
        return {}
    return _class_totals_fen(table)


@per_table
def _class_totals_fen(table: Table) -> dict[str, int]:
    rows = coded_rows(table)
    out = {c: r.fen.get("total") or 0 for c, r in rows.items() if len(c) == 3}
    # Rows of a class that prints no row of its own: most templates print every class's row.
    orphans = [(c, r) for c, r in rows.items() if c[:3] not in out]
    if orphans:
        leaf_codes = _leaf_codes(table)
        for c, r in orphans:
            if c in leaf_codes:
                out[c[:3]] = out.get(c[:3], 0) + (r.fen.get("total") or 0)
    return out
