"""Where the tables print each subject the prose restates.

Which table a figure restates depends on the section it is in: 项目支出 under
'三、支出预算情况说明' is the 支出总表's column (with carry-over), under
'五、一般公共预算…' or '十、绩效管理…' the 一般公共预算支出表's (without).
The subjects' ways are declared with :mod:`.figures`, so the C core follows
them too (:data:`.core_pass.PLAN`, :func:`spec_of`).
"""
from __future__ import annotations

from functools import lru_cache

from ..facts import FUNCTION_CLASSES
from . import lookup as lk
from .base import Context
from .figures import (HOW_PYTHON, ClassRowWay, CodeWay, First, FirstFiguresWay, Getter, ProjectTotalWay, RowWay,
                      TotalWay, way_specs)
from .lookup import Figure


@lru_cache(maxsize=256)
def section_context(section: str) -> str:
    """'fiscal' (财政拨款收支总体情况), 'general' (一般公共预算…, 绩效…) or 'department'."""
    if "绩效" in section:
        return "general"
    if "一般公共预算" in section:
        return "general"
    if "财政拨款" in section:
        return "fiscal"
    return "department"


def _income_less_carry(ctx: Context) -> Figure | None:
    """The income table's current-year total where it prints no 本年收入 column: 合计 minus 上年结转."""
    income = ctx.table("income")
    if income is None or lk.has_measure(income, "current"):
        return None
    total = lk.total_figure(income, "total")
    carry = lk.total_figure(income, "carryover") if lk.has_measure(income, "carryover") else None
    if total is None or carry is None or not carry.value:
        return total
    return Figure(total.value - carry.value, total.lines, 2, total.resolution, total.unit, total.decimals,
                  "收入总表 总计−上年结转")


#: The income table's current-year total (合计 minus 上年结转 when it prints no 本年收入 column).
_INCOME_CURRENT = First(TotalWay("income", "current", needs_column=True), _income_less_carry)


def income_current(ctx: Context) -> Figure | None:
    """The income table's current-year total (合计 minus 上年结转 when it prints no 本年收入 column)."""
    return _INCOME_CURRENT(ctx)


#: This year's money (本年收入合计), the base of the 整体绩效目标 and the 一般公共预算 tables: the 收支总表's
#: 本年收入合计 where it prints one, else the income table's, else the 一般公共预算支出表's 合计.
current_budget = First(
    RowWay("summary", lk.CURRENT_INCOME, "income", needs_column=False, where="收支总表 本年收入合计", even_empty=True,
           needs_value=True),
    _INCOME_CURRENT, TotalWay("general_expenditure", "total", any_column=True))


def _income_total(ctx: Context) -> Figure | None:
    income = ctx.table("income")
    if income is None:
        return None
    if lk.has_measure(income, "total"):
        return lk.total_figure(income, "total")
    cur, carry = lk.total_figure(income, "current"), lk.total_figure(income, "carryover")
    if cur is None or carry is None:
        return cur
    return Figure(cur.value + carry.value, cur.lines, 2, cur.resolution, cur.unit, cur.decimals, "收入总表 本年收入+上年结转")


#: 本年支出: the 收支总表's 本年支出合计 当年预算安排, else :data:`current_budget`.
_summary_current_spending = First(
    RowWay("summary", lk.CURRENT_SPENDING, "expenditure", "current", where="收支总表 本年支出合计 当年预算安排",
           even_empty=True), current_budget)


def _three(names: tuple[str, ...], measure: str) -> First:
    """A “三公” item: its row (vertical tables), else its column of the one row (horizontal, Henan)."""
    return First(RowWay("three_public", names, needs_column=False, where="{kind}“{name}”",
                        empty_where="{kind}(本表无数据)"),
                 FirstFiguresWay("three_public", measure, empty_where="{kind}(本表无数据)"))


def _henan_operating(ctx: Context) -> Figure | None:
    """Henan defines 机关运行经费 as all 公用经费 (行政单位 and 事业单位 alike) and prints no table for it."""
    from .structure_rules import template
    return _PUBLIC(ctx) if template(ctx.doc) == "henan" else None


_PUBLIC = TotalWay("basic_economic", "public")


#: 机关运行经费: the 机关运行经费表's total (0 when it prints nothing), else Henan's 公用经费.
_operating = First(ProjectTotalWay("operating_costs", "机关运行经费表"), _henan_operating)
#: What 机关运行经费 restates in a document without a 机关运行经费表, where :data:`_operating` reaches the
#: way only Python knows: the subject whose figure it is then, by template family (Henan: 公用经费, the
#: figure of :data:`_PUBLIC`); none in any other family. text.vs_table lets the core decide it so.
OPERATING_WITHOUT_TABLE = {"henan": "公用经费"}


#: Subject → where the tables print it (for every context).
PLAIN: dict[str, Getter] = {
    "收入总计": First(RowWay("summary", lk.GRAND_INCOME, "income"), _income_total),
    "支出总计": First(RowWay("summary", lk.GRAND_SPENDING, "expenditure"), TotalWay("expenditure", "total")),
    "本年收入": First(RowWay("summary", lk.CURRENT_INCOME, "income"), TotalWay("income", "current")),
    "本年支出": _summary_current_spending,
    "上年结转": First(RowWay("summary", lk.CARRY_OVER, "income"), TotalWay("income", "carryover")),
    "一般公共预算拨款收入": First(RowWay("summary", lk.GENERAL_BUDGET_INCOME, "income"), TotalWay("income", "general_budget")),
    "政府性基金预算拨款收入": First(RowWay("summary", ("政府性基金预算", "政府性基金预算拨款收入"), "income"),
                           TotalWay("income", "gov_fund")),
    "国有资本经营预算拨款收入": First(RowWay("summary", ("国有资本经营预算", "国有资本经营预算拨款收入"), "income"),
                             TotalWay("income", "state_capital")),
    "财政专户管理资金收入": First(RowWay("summary", ("财政专户管理资金", "财政专户管理资金收入"), "income"),
                           TotalWay("income", "special_account")),
    "单位资金": First(RowWay("summary", ("单位资金", "事业收入"), "income"), TotalWay("income", "unit_funds")),
    "财政拨款收支总额": RowWay("fiscal_summary", lk.GRAND_INCOME, "income"),
    "一般公共预算拨款": RowWay("fiscal_summary", lk.GRAND_SPENDING, "expenditure", "general_budget"),
    "政府性基金预算拨款": RowWay("fiscal_summary", lk.GRAND_SPENDING, "expenditure", "gov_fund"),
    "国有资本经营预算拨款": RowWay("fiscal_summary", lk.GRAND_SPENDING, "expenditure", "state_capital"),
    "当年拨款收入": RowWay("fiscal_summary", lk.CURRENT_INCOME, "income"),
    "上年结转收入": RowWay("fiscal_summary", lk.FISCAL_CARRY_OVER, "income"),
    "财政拨款支出": RowWay("fiscal_summary", lk.GRAND_SPENDING, "expenditure"),
    "一般公共预算当年支出": TotalWay("general_expenditure", "total"),
    "政府性基金预算支出": TotalWay("gov_fund_expenditure", "total"),
    "人员经费": TotalWay("basic_economic", "personnel"),
    "公用经费": TotalWay("basic_economic", "public"),
    "“三公”经费": _three(("合计", "三公经费合计"), "total"),
    "因公出国(境)费": _three(("因公出国(境)费", "因公出国(境)费用"), "abroad"),
    "公务接待费": _three(("公务接待费",), "reception"),
    "公务用车购置及运行费": _three(("公务用车购置及运行费", "公务用车购置及运行维护费"), "vehicles"),
    "公务用车购置费": _three(("公务用车购置费",), "vehicle_purchase"),
    "公务用车运行维护费": _three(("公务用车运行费", "公务用车运行维护费"), "vehicle_operation"),
    "机关运行经费": _operating,
    "整体绩效目标": current_budget,
}
#: Subjects whose table depends on the section (支出总表 or 一般公共预算支出表).
BY_CONTEXT: dict[str, dict[str, Getter]] = {
    "基本支出": {"general": First(TotalWay("general_expenditure", "basic"), TotalWay("basic_economic", "total")),
                 "department": TotalWay("expenditure", "basic")},
    "项目支出": {"general": First(TotalWay("general_expenditure", "project"), ProjectTotalWay("projects")),
                 "department": TotalWay("expenditure", "project")},
}
#: Function classes (社会保障和就业支出 …) by context: under '财政拨款收支总体情况' the class row of the
#: 财政拨款收支总表; under '一般公共预算…' the code in the 一般公共预算支出表; elsewhere the code in the
#: 支出总表, else the class row of the 收支总表.
CLASSES: dict[str, dict[str, Getter]] = {
    name: {"fiscal": ClassRowWay("fiscal_summary", code), "general": CodeWay("general_expenditure", code),
           "department": First(CodeWay("expenditure", code), ClassRowWay("summary", code))}
    for code, name in FUNCTION_CLASSES.items()
}
#: Economic classes the prose states, by measure.
ECON = {"工资福利支出": "wages", "对个人和家庭的补助": "household_subsidy", "商品和服务支出": "goods_services",
        "资本性支出": "capital"}


def _econ(subject: str, measure: str, general: bool) -> First:
    """An economic class: the total of its column in the 一般公共预算支出表 (under '一般公共预算…'; the 支出总表
    where there is no such table) or the 支出总表, else its row of the 基本支出 table."""
    row = RowWay("basic_economic", (subject,))
    if not general:
        return First(TotalWay("expenditure", measure, needs_column=True), row)
    return First(TotalWay("general_expenditure", measure, needs_column=True),
                 TotalWay("expenditure", measure, needs_column=True, unless="general_expenditure"), row)


#: Economic classes by context.
ECONOMIC: dict[str, dict[str, Getter]] = {
    subject: {"general": _econ(subject, measure, True), "department": _econ(subject, measure, False)}
    for subject, measure in ECON.items()
}

_CONTEXTS = ("fiscal", "general", "department")


def getter(subject: str, context: str) -> Getter | None:
    """Where the tables print a money subject stated in a section of ``context`` (None: a subject
    found another way, or nowhere)."""
    got = PLAIN.get(subject)
    if got is None and subject in BY_CONTEXT:
        by = BY_CONTEXT[subject]
        got = by.get(context, by["department"])
    if got is None and subject in CLASSES:
        by = CLASSES[subject]
        got = by.get(context, by["department"])
    if got is None and subject in ECONOMIC:
        by = ECONOMIC[subject]
        got = by.get(context, by["department"])
    return got


def _number_specs() -> tuple[list[Getter], dict[tuple[str, str], int]]:
    """The getters the C core can follow (those not starting with a way only Python knows), each
    once, and the index of each (subject, context) one serves."""
    getters: list[Getter] = []
    index: dict[int, int] = {}
    spec_of: dict[tuple[str, str], int] = {}
    for subject in (*PLAIN, *BY_CONTEXT, *CLASSES, *ECONOMIC):
        for context in _CONTEXTS:
            got = getter(subject, context)
            if got is None or way_specs(got)[0][0] == HOW_PYTHON:
                continue
            if id(got) not in index:
                index[id(got)] = len(getters)
                getters.append(got)
            spec_of[(subject, context)] = index[id(got)]
    return getters, spec_of


#: The getters the C core follows (spec i of :data:`.core_pass.PLAN` is _GETTERS[i]'s).
_GETTERS, _SPEC_OF = _number_specs()


def spec_of(subject: str, context: str) -> int | None:
    """The index of the C core's figure for a money subject stated in a section of ``context``
    (None when the C core does not look for it)."""
    return _SPEC_OF.get((subject, context))
