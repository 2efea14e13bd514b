"""Tables are recognised by the words of their titles, whatever the province's wording."""
from __future__ import annotations

from decimal import Decimal

import pytest

import pybudget

TITLES = [
    ("2024年预算收支总表", "summary"),
    ("2024年部门收支总体情况表", "summary"),
    ("部门财务收支预算总表", "summary"),
    ("2024年部门收入总体情况表", "income"),
    ("部门收入预算表", "income"),
    ("2024年预算支出总表", "expenditure"),
    ("部门支出预算表", "expenditure"),
    ("2024年财政拨款收支总表", "fiscal_summary"),
    ("财政拨款收支预算总表", "fiscal_summary"),
    ("2024年一般公共预算支出预算表（不含上年结转）", "general_expenditure"),
    ("一般公共预算支出情况表", "general_expenditure"),
    ("2024年一般公共预算安排基本支出分经济科目表（不含上年结转）", "basic_economic"),
    ("一般公共预算基本支出情况表", "basic_economic"),
    ("支出经济分类汇总表", "economic_summary"),
    ("政府性基金预算收入表（不含上年结转）", "gov_fund_income"),
    ("政府性基金预算支出情况表", "gov_fund_expenditure"),
    ("国有资本经营预算收支预算表", "state_capital"),
    ("一般公共预算“三公”经费支出预算表", "three_public"),
    ('财政拨款安排"三公"经费支出预算表', "three_public"),
    ("机关运行经费预算财政拨款情况统计表", "operating_costs"),
    ("2024年财政拨款安排机关运行经费预算表", "operating_costs"),
    ("2024年项目支出预算表（本年预算）", "projects"),
    ("2024年项目支出预算表（上年结转）", "projects_carryover"),
    ("某县县(区)级预算部门(单位)项目支出绩效目标申报表", "performance"),
    ("部门（单位）整体绩效目标表", "performance_overall"),
    ("2024年部门预算项目绩效目标汇总表", "performance_summary"),
]


@pytest.mark.parametrize("title,kind", TITLES)
def test_title_words_decide_the_kind(title, kind):
    text = f"某县某局2024年度部门预算公开\n\n{title}\n单位：万元\n项目\t合计\n合计\t1.00\n"
    doc = pybudget.parse(text)
    assert [t.kind for t in doc.tables] == [kind]
    assert doc.tables[0].line == 3


@pytest.mark.parametrize("line", [
    "（项目绩效目标表公开情况见附件）",
    "一般公共预算当年拨款结构图",
    "附件：某县某局2024年部门预算表",
    "预算公开表1",
    "表一2024年预算收支总表的说明如下，请见下文。",
])
def test_prose_and_markers_are_no_titles(line):
    doc = pybudget.parse(f"某县某局2024年度部门预算公开\n{line}\n")
    assert doc.tables == []


def test_full_width_and_odd_spaces_in_a_table():
    text = ("某县某局2024年度部门预算公开\n２０２４年预算支出总表\n单位：万元\n"
            "科目编码\t科目名称\t合计\t基本支出\t项目支出\n"
            "\t合\u3000计\t１，２３４．５０\t1,234. 50\t０\n"
            "２０１\t一般公共\u00a0服务支出\t１，２３４．５０\t1,234.50\t0.00\n")
    doc = pybudget.parse(text)
    table = doc.table("expenditure")
    assert table.title == "2024年预算支出总表" and not doc.warnings
    # 1,234.50万元 = 12,345,000元 = 1,234,500,000分; a written 0 is kept as 0
    assert table.total_row().fen == {"total": 1234500000, "basic": 1234500000, "project": 0}
    row = table.row(code="201")
    assert row.name == "一般公共服务支出" and row.fen == {"total": 1234500000, "basic": 1234500000, "project": 0}


def test_a_table_of_an_unknown_kind_is_kept_apart():
    # 000: a table no template names ('2025年部门专项资金明细表') put before line 404's 机关运行经费
    # table: read as a table of kind 'other', not as rows of the 三公 table above it
    from conftest import seed_path

    text = seed_path("000").read_text(encoding="utf-8")
    lines = text.split("\n")
    assert lines[403].startswith("2025年财政拨款安排机关运行经费预算表")
    extra = ["2025年部门专项资金明细表", "", "单位：万元", "", "资金名称\t金额", "合计\t12. 00", "专项一\t8. 00", "专项二\t4. 00", ""]
    seed, doc = pybudget.parse(text), pybudget.parse("\n".join(lines[:403] + extra + lines[403:]))

    def rows(d, kind):
        return [(r.name, r.values) for t in d.tables if t.kind == kind for r in t.rows]

    assert rows(doc, "three_public") == rows(seed, "three_public")
    assert rows(doc, "other") == [("合计", {"total": Decimal("120000.00")}), ("专项一", {"total": Decimal("80000.00")}),
                                  ("专项二", {"total": Decimal("40000.00")})]
    assert next(t for t in doc.tables if t.kind == "other").title == "2025年部门专项资金明细表"
    def findings(d):
        return sorted((f.rule, str(f.expected), str(f.actual)) for f in d.check())

    assert findings(doc) == findings(seed)


def test_the_heading_of_the_tables_is_not_a_table():
    # 004 line 181 '附件:三门峡市医疗保障局2025年部门预算表' heads the tables; no table of its own
    from conftest import seed_path

    doc = pybudget.parse(seed_path("004"))
    lines = seed_path("004").read_text(encoding="utf-8").split("\n")
    assert lines[180] == "附件：三门峡市医疗保障局 2025 年部门预算表"
    assert "other" not in {t.kind for t in doc.tables}
