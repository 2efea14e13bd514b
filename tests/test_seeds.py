"""Every seed document parses with its tables recognised and its real figures exact."""
from __future__ import annotations

from decimal import Decimal as D

import pybudget

SHANXI = ["summary", "income", "expenditure", "fiscal_summary", "general_expenditure", "basic_economic",
          "gov_fund_income", "gov_fund_expenditure", "state_capital", "three_public", "operating_costs",
          "projects", "projects_carryover"]


def test_metadata(seeds):
    expected = {
        "000": ("朔州市朔城区医疗保障局", 2025, "budget", "shanxi"),
        "001": ("长治市屯留区医疗保障局", 2025, "budget", "shanxi"),
        "002": ("稷山县医疗保障局", 2023, "budget", "shanxi"),
        "003": ("朔州市平鲁区医疗保障局", 2026, "budget", "shanxi"),
        "004": ("三门峡市医疗保障局", 2025, "budget", "henan"),
    }
    for key, (dept, year, kind, template) in expected.items():
        doc = pybudget.parse(seeds[key])
        assert (doc.department, doc.year, doc.kind, doc.template) == (dept, year, kind, template), key


def test_table_kinds_in_order(seeds):
    kinds = {k: [t.kind for t in pybudget.parse(p).tables] for k, p in seeds.items()}
    assert kinds["000"] == SHANXI + ["performance"]
    assert kinds["001"] == SHANXI + ["performance"] * 4
    assert kinds["002"] == SHANXI + ["performance"] * 9
    assert kinds["003"] == SHANXI + ["performance"] * 7 + ["performance_overall"]
    assert kinds["004"] == ["summary", "income", "expenditure", "fiscal_summary", "general_expenditure",
                            "basic_economic", "economic_summary", "three_public", "gov_fund_expenditure",
                            "projects", "performance_overall", "performance_summary"]


def test_000_expenditure_total_is_basic_plus_project(seeds):
    doc = pybudget.parse(seeds["000"])
    exp = doc.table("expenditure")
    assert exp.line == 217 and exp.unit == "万元" and exp.unit_assumed  # 000 prints no unit here
    total = exp.total_row()
    assert total.line == 223
    assert total.values == {"total": D("7613500.00"), "basic": D("6932700.00"), "project": D("680800.00")}
    assert total.fen["total"] == total.fen["basic"] + total.fen["project"] == 761350000
    # OCR noise '733. 90' in the summary is 733.90万元
    summary = doc.table("summary")
    income = summary.row(name="一、一般公共预算", side="income")
    assert income.line == 153 and income.value("total") == D("7339000.00")
    # the wrapped class name '七、文化旅游体育与传媒 支出' is one name
    assert summary.row(name="七、文化旅游体育与传媒支出", side="expenditure").line == 159


def test_000_codes_levels_and_parents(seeds):
    exp = pybudget.parse(seeds["000"]).table("expenditure")
    row = exp.row(code="2080505")
    assert (row.line, row.level, row.parent, row.name) == (227, "项", "20805", "机关事业单位基本养老保险缴费支出")
    assert row.values == {"total": D("720500.00"), "basic": D("720500.00")}
    assert exp.row(code="20805").level == "款" and exp.row(code="208").level == "类"
    assert exp.row(code="2101401").values == {"total": D("100400.00"), "project": D("100400.00")}


def test_004_split_codes_sum_to_total(seeds):
    doc = pybudget.parse(seeds["004"])
    exp = doc.table("expenditure")
    items = [r for r in exp.rows if r.level == "项"]
    # codes printed over 类/款/项 columns: '208 | 05 | 01' → 2080501
    assert [r.code for r in items] == ["2080501", "2080505", "2101101", "2101501", "2210201", "2080502",
                                       "2101550", "2080101", "2101102"]
    assert sum(r.value("total") for r in items) == D("16841500.00")
    total = exp.total_row()
    assert total.values["total"] == D("16841500.00")
    assert total.values["basic"] == D("14771500.00") and total.values["project"] == D("2070000.00")
    # the basic columns are split by economic class; the printed parts exceed the printed
    # subtotal by one unit of the last digit (0.01万元 = 100元): a real rounding difference
    parts = total.fen["wages"] + total.fen["household_subsidy"] + total.fen["goods_services"]
    assert parts - total.fen["basic"] == 10000 and exp.resolution == D("100.00")
    three = doc.table("three_public").rows[0]
    assert three.values == {"total": D("18000.00"), "vehicles": D("15000.00"),
                            "vehicle_operation": D("15000.00"), "reception": D("3000.00")}


def test_001_two_sided_summary_and_carryover(seeds):
    doc = pybudget.parse(seeds["001"])
    s = doc.table("summary")
    assert s.row(name="收入总计", side="income").value("total") == D("7562100.00")
    out = s.row(name="支出总计", side="expenditure")
    assert (out.line, out.values) == (135, {"total": D("7562100.00"), "current": D("7304200.00"),
                                            "carryover": D("257900.00")})
    inc = doc.table("income").total_row()
    assert inc.values == {"current": D("7304200.00"), "general_budget": D("7304200.00"),
                          "carryover": D("257900.00")}
    assert [r.value("total") for r in doc.table("projects_carryover").rows][-1] == D("257900.00")


def test_empty_tables_say_so(seeds):
    doc = pybudget.parse(seeds["001"])
    for kind in ("gov_fund_income", "gov_fund_expenditure", "state_capital", "three_public"):
        table = doc.table(kind)
        assert table.empty and "本表无数据" in table.note, kind
        assert all(not r.fen for r in table.rows), kind
    assert not doc.table("operating_costs").empty


def test_performance_projects_and_indicators(seeds):
    doc = pybudget.parse(seeds["001"])
    names = [p.name for p in doc.projects]
    assert names == ["2025年医保经办经费", "2025年医保政策宣传", "优化医疗保障服务推进经办服务下沉工作人员补助",
                     "长财社【2024】180号关于提前下达2025年中央财政医疗服务与保障能力提升补助资金"]
    # each fund figure carries the line of the grid it is printed on, not the name's line 458
    first = doc.projects[0]
    assert first.line == 458 and first.funds["annual_local"] == D("300000.00")
    assert {k: first.fund_lines[k] for k in ("period_total", "annual_total", "annual_central", "annual_local",
                                             "annual_self_raised")} == {
        "period_total": 461, "annual_total": 461, "annual_central": 462, "annual_local": 464,
        "annual_self_raised": 465}
    p = doc.projects[1]
    assert p.line == 498 and p.department_code == "307" and p.department == "长治市屯留区医疗保障局"
    assert p.funds["period_total"] == p.funds["annual_total"] == D("1976800.00")
    ind = [i for i in doc.indicators_of(p) if i.line == 517]
    assert [(i.side, i.level1, i.level2, i.name, i.value, i.number, i.unit) for i in ind] == [
        ("period", "产出指标", "数量指标", "制作手机支架数量", "20000个", D("20000"), "个"),
        ("annual", "产出指标", "数量指标", "制作手机支架数量", "20000个", D("20000"), "个")]
    sat = [i for i in doc.indicators_of(p) if i.line == 528][0]
    assert (sat.comparator, sat.number, sat.unit) == (">=", D("93"), "%")
    assert len(doc.indicators) == 92


def test_performance_ocr_document(seeds):
    doc = pybudget.parse(seeds["000"])
    assert len(doc.projects) == 6
    funds = {p.line: p.funds["annual_total"] for p in doc.projects}
    # '50, 000' and '6, 036' in the OCR text are exact amounts in 元
    assert funds == {517: D("50000.00"), 546: D("100000.00"), 575: D("100000.00"), 604: D("50000.00"),
                     632: D("6036.00"), 661: D("100350.00")}
    cost = [i for i in doc.indicators if i.line == 683 and i.side == "period"][0]
    assert (cost.name, cost.number, cost.unit) == ("下达资金", D("10.0350"), "万元")


def test_overall_targets(seeds):
    doc = pybudget.parse(seeds["004"])
    # the budget grid (预算情况) in the unit its total's label names: 部门预算总额（万元） 1,684.15
    grid = doc.projects[0]
    assert grid.overall and grid.line == 466
    assert grid.funds == {"annual_total": D("16841500.00"), "annual_government": D("16841500.00"),
                          "annual_basic": D("14771500.00"), "annual_project": D("2070000.00")}
    assert grid.fund_lines == {"annual_total": 473, "annual_government": 474, "annual_basic": 477,
                               "annual_project": 478}
    # the grid's words count only inside it: without the grid (lines 473-478 blanked), a '合计'
    # among the 年度主要任务 above is no budget total
    lines = seeds["004"].read_text(encoding="utf-8").split("\n")
    lines[471] = "\t合计\t1,000.00\t\t"
    lines[472:478] = [""] * 6
    no_grid = [p for p in pybudget.parse("\n".join(lines)).projects if p.overall][0]
    assert no_grid.funds == {} and "budget_unit" not in no_grid.fields
    overall = [i for i in doc.indicators if i.line == 485][0]
    assert (overall.level1, overall.level2, overall.name, overall.value) == (
        "投入管理指标", "预算和财务管理", "专项资金细化率", "≥90%")
    assert overall.note.startswith("专项资金细化率=")
    doc3 = pybudget.parse(seeds["003"])
    last = [i for i in doc3.indicators if i.line == 715][0]
    assert (last.level1, last.level2, last.name, last.value) == ("满意度指标", "服务对象满意度", "服务对象满意度", "满意")


def test_002_thousands_separators(seeds):
    doc = pybudget.parse(seeds["002"])
    assert doc.table("summary").row(name="收入总计", side="income").value("total") == D("40923800.00")
    assert doc.table("income").row(code="2101202").values["current"] == D("30208000.00")
    assert doc.table("projects_carryover").empty
    proj = {p.name: p.funds["annual_total"] for p in doc.projects}
    assert proj["人员类项目"] == D("2443921.41") and proj["公用经费项目"] == D("150846.90")


def test_toc_parts_and_prose(seeds):
    doc = pybudget.parse(seeds["001"])
    assert [p.text for p in doc.parts] == ["第一部分概况", "第二部分2025年部门预算报表",
                                          "第三部分2025年度部门预算情况说明", "第四部分名词解释"]
    assert doc.toc[3].text == "第二部分2025年部门预算报表" and doc.toc[3].page == "2"
    line = next(t for t in doc.texts if t.line == 395)
    assert "基本支出456.66万元" in line.text
