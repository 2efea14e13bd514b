"""What the audit caches follows from strings and numbers alone (titles, department names, contents
entries, the kinds of the tables, a table's columns, unit and decimals), never from the document
that held them: a check reads the document as it is when it runs. These tests edit a parsed seed
between checks and expect the findings of the edit, and nothing once it is undone; and the sums'
plan of every table, cached by what it follows from, is the plan worked out afresh."""
from __future__ import annotations

from decimal import Decimal

import pytest

import pybudget
from conftest import seed_path as seed
from pybudget.checks import lookup as lk
from pybudget.checks.core_pass import _equations_of, sum_plans
from pybudget.model import UNIT_YUAN, Column, Document, TocEntry

#: The rules whose cost was cut by caching what they derive from strings.
_CACHED = ("structure.", "table.overall_budget")


def found(doc: Document) -> set[tuple[str, int, str]]:
    return {(f.rule, f.lines[0], f.message_zh) for f in doc.check() if f.rule.startswith(_CACHED)}


def table_of(doc: Document, kind: str):
    return next(t for t in doc.tables if t.kind == kind)


def test_a_title_year_is_read_at_each_check():
    doc = pybudget.parse(seed("002"))  # a 2023 document
    before = found(doc)
    assert before == set()
    expenditure = table_of(doc, "expenditure")  # line 154
    title = expenditure.title
    cases = {
        "2022年预算支出总表": "2022",
        "稷山县2022 年预算支出总表": "2022",  # not at the start, a space before 年
        "20２２年预算支出总表": "20２２",  # the digits as printed
        "2023年预算支出总表(2022年调整)": None,  # the first year a title names is the one compared
        "２０２２年预算支出总表": None,  # not a year the rule reads
    }
    for edited, said in cases.items():
        expenditure.title = edited
        want = set() if said is None else {
            ("structure.title_year", 154, f"支出总表标题“{edited}”的年度{said}与文件年度2023不符")}
        assert found(doc) - before == want, edited
    expenditure.title = title
    assert found(doc) == before
    # The document's year changes: every title naming 2023 is now wrong (and again right after).
    for year in (2022, 1850):
        doc.year = year
        got = found(doc)
        assert len(got) == 13 and ("structure.title_year", 154,
                                   f"支出总表标题“{title}”的年度2023与文件年度{year}不符") in got
    doc.year = 2023
    assert found(doc) == before


def test_a_department_name_is_read_at_each_check():
    doc = pybudget.parse(seed("000"))
    before = found(doc)
    assert before == set()
    other = "朔州市平鲁区医疗保障局"
    doc.tables[3].department = other  # 财政拨款收支总表, line 245
    finding = ("structure.department", 245,
               f"财政拨款收支总表的部门名称“{other}”与“朔州市朔城区医疗保障局”不一致")
    assert found(doc) - before == {finding}
    # A shortened name is the same department; the names after it are still compared.
    doc.tables[2].department = "市医疗保障局"
    doc.tables[4].department = other  # 一般公共预算支出表, line 291
    assert found(doc) - before == {finding, ("structure.department", 291,
                                             f"一般公共预算支出表的部门名称“{other}”与“朔州市朔城区医疗保障局”不一致")}
    # Without the document's own name, the first table's is the reference.
    doc.department = None
    assert len(found(doc) - before) == 2
    doc.department = other  # now the tables with the full name of the other department differ
    assert {line for _, line, _ in found(doc)} == {
        t.line for t in doc.tables if t.department not in (other, "市医疗保障局", None)}
    for t in doc.tables[2:5]:
        t.department = "朔州市朔城区医疗保障局"
    doc.department = "朔州市朔城区医疗保障局"
    assert found(doc) == before


def test_the_contents_and_the_tables_are_read_at_each_check():
    doc = pybudget.parse(seed("002"))
    before = found(doc)
    listed = ("structure.toc", 22, "目录列有“2023年一般公共预算“三公”经费支出预算表”，但文中没有这张表")
    missing = ("structure.missing_table", 347, "缺少“三公”经费表(shanxi模板应有，应在第347行之前)")
    # The 三公 table taken out, then put back.
    at = next(i for i, t in enumerate(doc.tables) if t.kind == "three_public")
    three = doc.tables.pop(at)
    assert found(doc) - before == {listed, missing}
    doc.tables.insert(at, three)
    assert found(doc) == before
    # Its title no longer what the contents list; its kind no longer one the template lists.
    title = three.title
    three.title = "2023年住房公积金预算表"
    assert found(doc) - before == {listed}
    three.title = title
    three.kind = "other"
    assert found(doc) - before == {missing}
    three.kind = "three_public"
    # A contents entry naming a table the document does not print.
    k = next(k for k, e in enumerate(doc.toc) if e.line == 22)
    entry = doc.toc[k]
    doc.toc[k] = TocEntry(22, "2023年住房公积金预算表", entry.page)
    assert found(doc) - before == {("structure.toc", 22, "目录列有“2023年住房公积金预算表”，但文中没有这张表")}
    doc.toc[k] = entry
    assert found(doc) == before


def test_a_table_without_figures_is_read_at_each_check():
    doc = pybudget.parse(seed("002"))
    before = found(doc)
    fund = table_of(doc, "gov_fund_income")  # empty, with its 本表无数据 note
    fund.empty = False
    assert found(doc) - before == {("structure.empty_table_note", 292,
                                    "政府性基金收入表“2023年政府性基金预算收入表(不含上年结转)”没有数字，也没有注明“本表无数据”")}
    fund.empty = True
    costs = table_of(doc, "operating_costs")
    saved = [dict(r.fen) for r in costs.rows]
    for r in costs.rows:
        r.fen.clear()
    for rules in (None, ["structure"]):  # with the core pass over the tables, and without it
        got = {(f.rule, f.lines[0]) for f in doc.check(rules=rules) if f.rule.startswith("structure.")}
        assert got == {("structure.empty_table_note", 347)}
    for r, fen in zip(costs.rows, saved):
        r.fen.update(fen)
    assert found(doc) == before


def test_an_overall_budget_grid_is_read_at_each_check():
    doc = pybudget.parse(seed("004"))
    before = found(doc)
    grid = next(p for p in doc.projects if p.overall).funds_fen  # 万元, two decimals, line 473
    grid["annual_basic"] += 10_000  # 0.01万元 on one of two items: within rounding
    assert found(doc) == before
    grid["annual_basic"] += 20_000
    assert found(doc) - before == {
        ("table.overall_budget", 473, "整体绩效目标表预算情况: 部门预算总额 1684.15万元 ≠ 基本支出 + 项目支出 = 1684.18万元")}
    grid["annual_basic"] -= 30_000
    grid["annual_total"] += 1  # one 分 against a single source: exact
    assert found(doc) - before == {
        ("table.overall_budget", 473, "整体绩效目标表预算情况: 部门预算总额 1684.15万元 ≠ 政府预算资金 = 1684.15万元")}
    grid["annual_total"] -= 1
    assert found(doc) == before


def _afresh(table) -> tuple:
    """A table's plan as it was worked out before plans were cached: every piece from the table."""
    measures = table.measures
    return (measures, _equations_of.__wrapped__(table.kind, tuple(measures)),
            int(UNIT_YUAN.get(table.unit, Decimal(1)) * 100), table.decimals)


def _documents() -> list[Document]:
    docs = [pybudget.parse(seed(k)) for k in ("000", "001", "002", "003", "004")]
    make_corpus = pytest.importorskip("benchmarks.make_corpus")
    for index in range(40):
        _, data, _ = make_corpus.generate_document(index, seed=11, planted=0.5)
        docs.append(pybudget.parse(data))
    return docs


def test_a_cached_plan_is_the_plan_worked_out_afresh():
    kinds = set()
    for doc in _documents():
        for table, plan in zip(doc.tables, sum_plans(doc.tables)):
            measures, equations, unit_fen, decimals = _afresh(table)
            assert (list(plan[0]), plan[1:]) == (measures, (equations, unit_fen, decimals)), table.title
            kinds.add(table.kind)
        # What the check run keeps of each table's plan is the table's own.
        doc.check()
        for table in doc.tables:
            assert lk.measures(table) == tuple(table.measures)
            assert lk.measure_set(table) == frozenset(table.measures)
    assert len(kinds) >= 15


def test_a_plan_follows_the_columns_as_they_are_at_each_check():
    doc = pybudget.parse(seed("002"))
    expenditure = table_of(doc, "expenditure")  # code, name, total, basic, project
    doc.check()
    assert sum_plans([expenditure])[0][1] == (("total", ("basic", "project")),)
    columns = expenditure.columns
    expenditure.columns = [c for c in columns if c.measure != "project"]
    plan = sum_plans([expenditure])[0]
    assert plan == (("total", "basic"), (), 1_000_000, 2)
    assert (list(plan[0]), *plan[1:]) == _afresh(expenditure)
    doc.check()
    assert lk.measures(expenditure) == ("total", "basic") and not lk.has_measure(expenditure, "project")
    expenditure.columns = [*columns, Column("carryover", "上年结转")]
    expenditure.unit, expenditure.decimals = "元", 0
    plan = sum_plans([expenditure])[0]
    assert plan == (("total", "basic", "project", "carryover"), (("total", ("basic", "project")),), 100, 0)
    assert (list(plan[0]), *plan[1:]) == _afresh(expenditure)
    doc.check()
    assert lk.has_measure(expenditure, "carryover")


def test_the_three_public_items_are_the_first_rows_of_their_names():
    """table.three_public_items finds each item's row in one pass over the names (lookup.find_rows): the first
    row of any of the item's names, as find_row finds each alone, also with the rows reversed and one item's
    row printed twice; a name in two groups is the row of both. The groups the rule turns round once are
    find_rows' own."""
    from pybudget.checks.table_rules import _THREE_GROUPS, _THREE_ROWS

    make_corpus = pytest.importorskip("benchmarks.make_corpus")
    documents = [pybudget.parse(seed(key)) for key in ("000", "001", "002", "003", "004")]
    documents += [pybudget.parse(make_corpus.generate_document(i, seed=29, planted=0.5)[1]) for i in range(12)]
    overlapping = {**_THREE_ROWS, "either": ("公务接待费", "合计")}
    seen = 0
    for doc in documents:
        for table in doc.tables_of("three_public"):
            for rows in (list(table.rows), table.rows[::-1], table.rows + table.rows[1:3]):
                table.rows = rows
                lk.forget([table])
                found = lk.find_rows(table, overlapping)
                lk.forget([table])
                assert found == {key: lk.find_row(table, names) for key, names in overlapping.items()}
                lk.forget([table])
                assert lk.find_rows(table, _THREE_ROWS, _THREE_GROUPS) == lk.find_rows(table, _THREE_ROWS) == {
                    key: found[key] for key in _THREE_ROWS}
                seen += sum(r is not None for r in found.values())
    assert seen > 100
