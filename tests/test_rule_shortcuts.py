"""The shortcuts the cross and text rules take on the way to a finding give what the longer way gives:
the class totals of a spending table read in one pass are each class's code_fen, a share's money probe
is the Fact it stands for, and cross.performance_overall's test of a comparison is compare() finding
nothing. The Henan seed's 收支总表 and 财政拨款收支总表 class rows, compared with the sums of the 支出总表's
项 rows, find what they found before."""
from __future__ import annotations

from dataclasses import fields
from decimal import Decimal

import pytest

import pybudget
from conftest import seed_path as seed
from pybudget.checks import base, lookup as lk
from pybudget.checks.cross_rules import _within_rounding, compare
from pybudget.checks.lookup import Figure
from pybudget.checks.text_rules import _money_probe, table_figure
from pybudget.facts import Fact


@pytest.mark.parametrize("key", ["000", "001", "002", "003", "004"])
def test_class_totals_are_each_class_code_fen(key):
    doc = pybudget.parse(seed(key).read_bytes())
    expenditure = next(t for t in doc.tables if t.kind == "expenditure")
    totals = lk.class_totals_fen(expenditure)
    codes = {code for t in doc.tables if t.kind in ("summary", "fiscal_summary") for code in lk.class_rows(t)}
    assert codes
    for code in codes | set(totals):
        assert totals.get(code) == lk.code_fen(expenditure, code, "total"), code
    assert lk.class_totals_fen(None) == {}


def test_class_totals_where_some_classes_print_no_row_of_their_own():
    doc = pybudget.parse(seed("000").read_bytes())
    expenditure = next(t for t in doc.tables if t.kind == "expenditure")
    own = {r.code for r in expenditure.rows if r.code and len(r.code) == 3}
    assert len(own) > 1
    dropped = sorted(own)[0]
    expenditure.rows = [r for r in expenditure.rows if r.code != dropped]  # its 款 and 项 rows stay
    lk.forget(doc.tables)
    totals = lk.class_totals_fen(expenditure)
    assert dropped in totals and set(totals) == own
    for code in own:
        assert totals[code] == lk.code_fen(expenditure, code, "total"), code
    # the class's total is now its leaves' sum, which the table prints equal to the row it lost
    whole = next(t for t in pybudget.parse(seed("000").read_bytes()).tables if t.kind == "expenditure")
    assert totals[dropped] == lk.code_fen(whole, dropped, "total")


def test_the_henan_class_totals_are_the_sums_of_the_item_rows():
    # The Henan 支出总表 prints only 项 rows: a class's total is the sum of its leaves (in 分).
    doc = pybudget.parse(seed("004").read_bytes())
    expenditure = next(t for t in doc.tables if t.kind == "expenditure")
    assert lk.class_totals_fen(expenditure) == {"208": 234530000, "210": 1336580000, "221": 113040000}


def _new_findings(edits: list[tuple[int, str, str]]) -> list[tuple[str, int]]:
    path = seed("004")
    lines = path.read_text(encoding="utf-8").split("\n")
    for number, old, new in edits:
        assert old in lines[number - 1], (number, old)
        lines[number - 1] = lines[number - 1].replace(old, new, 1)
    before = {(f.rule, f.lines, f.message_zh) for f in pybudget.parse(path.read_bytes()).check()}
    return sorted((f.rule, f.lines[0]) for f in pybudget.parse("\n".join(lines)).check()
                  if (f.rule, f.lines, f.message_zh) not in before)


@pytest.mark.parametrize("edits, expected", [
    ([(198, "八、社会保障和就业\t234.53", "八、社会保障和就业\t234.63")],
     [("cross.function_code", 198), ("table.balance", 221)]),
    ([(279, "（八）社会保障和就业支出\t234.53\t234.53", "（八）社会保障和就业支出\t234.63\t234.63")],
     [("cross.function_code", 279), ("table.balance", 271), ("table.balance", 271)]),
    # a 项 row of class 208: both summaries' class rows now differ from the 支出总表
    ([(259, "42.80\t42.80\t39.37", "42.90\t42.90\t39.47")],
     [("cross.function_code", 198), ("cross.function_code", 279), ("cross.function_code", 324)]
     + [("table.children_sum", 250)] * 3),
])
def test_henan_class_rows_against_the_item_rows(edits, expected):
    assert _new_findings(edits) == expected


def test_a_money_probe_is_the_fact_it_stands_for():
    probe = _money_probe("项目支出", 453, "（三）项目支出情况")
    fact = Fact("项目支出", Decimal(0), "万元", Decimal(0), 453, "", section="（三）项目支出情况")
    assert probe == fact
    assert {f.name: getattr(probe, f.name) for f in fields(Fact)} == {f.name: getattr(fact, f.name)
                                                                      for f in fields(Fact)}
    assert probe.is_money and probe.qualifier is None and probe.resolution_yuan == Decimal(10000)


def test_a_money_probe_finds_the_figure_the_fact_finds():
    doc = pybudget.parse(seed("003").read_bytes())
    ctx, fresh = base.Context(doc, 1), base.Context(doc, 1)
    for subject in ("项目支出", "基本支出", "一般公共预算", "机关运行经费"):
        got = table_figure(ctx, _money_probe(subject, 1, "三、支出预算情况说明"))
        lk.forget(doc.tables)
        want = table_figure(fresh, Fact(subject, Decimal(0), "万元", Decimal(0), 1, "", section="三、支出预算情况说明"))
        assert got == want, subject
    assert got is not None and got.value > 0


def _fig(value: str, resolution: str, items: int = 1) -> Figure:
    return Figure(Decimal(value), (1,), items, Decimal(resolution), "万元", 2, "here")


@pytest.mark.parametrize("actual, expected", [
    (_fig("7339000", "100"), _fig("7339000", "100")),  # equal
    (_fig("7339100", "100"), _fig("7339000", "100")),  # one unit apart, one figure each: exact
    (_fig("7339050", "1"), _fig("7339000", "100")),  # within half the coarser digit
    (_fig("7339051", "1"), _fig("7339000", "100")),  # beyond it
    (_fig("7339200", "100", 3), _fig("7339000", "100")),  # within 3 items' units
    (_fig("7339400", "100", 3), _fig("7339000", "100")),  # beyond them
    (_fig("7339000", "0"), _fig("7339001", "0")),  # no resolution: exact
])
@pytest.mark.parametrize("units", [0, 1, 3])
def test_within_rounding_is_compare_finding_nothing(actual, expected, units):
    ctx = base.Context(pybudget.parse(seed("003").read_bytes()), units)
    ctx._rule = base.RULES["cross.performance_overall"]
    assert _within_rounding(ctx, actual, expected) == (not any(compare(ctx, actual, expected, "x", "x", None)))
