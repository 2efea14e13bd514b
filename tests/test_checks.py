"""The audit layer on the real seeds: every real inconsistency is found, nothing
consistent is flagged, and each rule fires on a single altered figure."""
from __future__ import annotations

import json
from dataclasses import FrozenInstanceError
from decimal import Decimal as D
from pathlib import Path

import pytest

import pybudget
from conftest import seed_path as seed
from pybudget.checks import RULES, Finding, check_document, select_rules
from pybudget.cli import main

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"

#: (rule, first line) of every finding on each seed; each is a real inconsistency
#: (see the comment next to it) except the two 'info' observations.
EXPECTED: dict[str, set[tuple[str, int]]] = {
    "000": {
        ("cross.operating_costs", 410),  # info: 机关运行经费 6.75 (行政单位 only) vs 公用经费 22.05
        ("text.vs_table", 461),  # '财政拨款收支总预算0万元' and '支出包括:无' vs 761.35 in 财政拨款收支总表
        ("text.parts_sum", 461),  # 0万元 split into 761.35 + 0 + 0 (and 733.90 + 27.44)
        ("text.vs_table", 495),  # '本部门无"三公"经费预算' vs 1.50 in the 三公 table
        ("text.vs_table", 509),  # 整体绩效目标 733.91 vs 本年收入合计 733.90
    },
    "001": {
        ("text.parts_sum", 450),  # 公开…其中:其他运转类273.76 + 特定目标类37.00 = 310.76 ≠ 273.76 (236.76 before)
    },
    "002": {
        ("text.vs_performance", 456),  # '项目9个,涉及…4092.38万元' vs the 9 targets' 4043.33万元
        ("cross.performance_vs_projects", 657),  # 公用经费项目 150,846.9元 (a 2021 form) vs 公用经费 35.70万元
        ("cross.performance_vs_projects", 731),  # 人员类项目 2,443,921.41元 vs 人员经费 272.83万元
    },
    "003": {
        ("text.vs_performance", 453),  # 7 targets total 789.81 not 819.81; '公开…5个, 810.12' vs 7 forms
        ("text.share", 453),  # 810.12 is 98.82% of 项目支出 819.81, not '100%'
        ("text.parts_sum", 453),  # 公开 5个 = 2 + 5?  810.12 = 9.69 + 810.12?
        ("cross.performance_overall", 692),  # its 年度预算情况 合计 1707.68 (= 917.87 + 789.81) vs 1737.68
        ("cross.performance_overall", 703),  # 整体绩效目标申报表 预算金额 1707.68 vs 1737.68 in the tables
    },
    "004": {
        ("text.vs_table", 143),  # 人员经费 1290.57 (that is 工资福利) vs 1352.21; 支出总额207元 vs 207万元;
        # '100万元及以上项目0个,支出总额207万元' vs one project of 140万元
        ("text.parts_sum", 143),  # 1290.57 + 124.95 + 207元 ≠ 1684.15
        ("structure.empty_table_note", 431),  # info: 政府性基金支出表 empty without 本表无数据
    },
}



@pytest.fixture(scope="module")
def findings() -> dict[str, list[Finding]]:
    return {k: pybudget.parse(seed(k)).check() for k in EXPECTED}


def pairs(found: list[Finding]) -> set[tuple[str, int]]:
    return {(f.rule, f.lines[0]) for f in found}


def any_line(found: list[Finding]) -> set[tuple[str, int]]:
    return {(f.rule, line) for f in found for line in f.lines}


def test_a_figure_printed_twice_is_read_once():
    """003 prints '年度资金总额: 150000 150000' (the figure twice); it is 150,000 元, not 150000150000."""
    doc = pybudget.parse(seed("003"))
    form = next(p for p in doc.projects if p.line == 588)
    assert form.funds["annual_total"] == D("150000.00")


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_every_real_inconsistency_and_nothing_else(findings, key):
    assert pairs(findings[key]) == EXPECTED[key]


def test_000_pins(findings):
    f = findings["000"]
    assert ("text.vs_table", 461) in any_line(f)
    overall = next(x for x in f if x.rule == "text.vs_table" and x.line == 509)
    assert (overall.expected, overall.actual, overall.difference) == (D("7339000.00"), D("7339100.00"), D("100.00"))
    assert overall.tolerance == 0 and overall.severity == "error" and 177 in overall.lines
    fiscal = next(x for x in f if x.rule == "text.vs_table" and x.line == 461)
    assert (fiscal.expected, fiscal.actual) == (D("7613500.00"), D("0.00")) and 289 in fiscal.lines
    three = next(x for x in f if x.line == 495)
    assert (three.expected, three.actual, three.table) == (D("15000.00"), D("0.00"), "three_public")
    info = next(x for x in f if x.rule == "cross.operating_costs")
    assert info.severity == "info" and (info.expected, info.actual) == (D("220500.00"), D("67500.00"))


def test_003_and_004_pins(findings):
    grid, indicator = [x for x in findings["003"] if x.rule == "cross.performance_overall"]
    assert grid.lines == (692, 109) and (grid.expected, grid.actual) == (D("17376800.00"), D("17076800.00"))
    assert indicator.lines[:2] == (703, 704) and (indicator.expected, indicator.actual) == (D("17376800.00"),
                                                                                           D("17076800.00"))
    share = next(x for x in findings["003"] if x.rule == "text.share")
    assert share.actual == D("100") and share.expected.quantize(D("0.01")) == D("98.82")
    f = findings["004"]
    yuan = next(x for x in f if x.rule == "text.vs_table" and x.actual == D("207.00"))
    assert yuan.expected == D("2070000.00")  # '支出总额207元' where 207万元 is meant
    staff = next(x for x in f if x.rule == "text.vs_table" and x.actual == D("12905700.00"))
    assert staff.expected == D("13522100.00")  # 人员经费 1290.57 is 工资福利支出; 人员经费 is 1352.21
    big = {x.expected for x in f if x.rule == "text.vs_table" and "大额项目" in x.message_zh}
    assert big == {D("1"), D("1400000.00")}  # one project ≥100万元 (140万元), not '0个, 207万元'


def test_002_and_001_pins(findings):
    perf = next(x for x in findings["002"] if x.rule == "text.vs_performance")
    assert (perf.expected, perf.actual) == (D("40433268.31"), D("40923800.00"))
    parts = next(x for x in findings["001"] if x.rule == "text.parts_sum")
    assert (parts.expected, parts.actual) == (D("3107600.00"), D("2737600.00"))
    assert parts.tolerance_rule == "1 unit of 0.01万元 × 2 items = 200元"


def test_consistent_seeds_stay_quiet_on_rounding(findings):
    # 000 prints 733.90 = 693.27 + 40.64 (= 733.91) and 收入总计 761.35 = 733.90 + 27.44: 尾差, not errors
    assert not [f for f in findings["000"] if f.rule.startswith("table.")]
    # 002's 机关运行经费 '增加136%' is 136.7% cut to a whole percent: within one unit
    assert not [f for f in findings["002"] if f.rule == "text.change_pct"]


# --------------------------------------------------------------------------
# One altered figure, one rule (plus what the figure feeds)
# --------------------------------------------------------------------------
def altered(key: str, edits: list[tuple[int, str, str]]) -> str:
    """The seed's text with figures changed in place (line numbers stay as they are)."""
    lines = seed(key).read_text(encoding="utf-8").split("\n")
    for number, old, new in edits:
        assert old in lines[number - 1], (number, old, lines[number - 1])
        lines[number - 1] = lines[number - 1].replace(old, new, 1)
    return "\n".join(lines)


def _key(f: Finding) -> tuple:
    return f.rule, f.lines, f.message_zh


def new_findings(key: str, text: str) -> set[tuple[str, int]]:
    before = {_key(f) for f in pybudget.parse(seed(key)).check()}
    return {(f.rule, f.lines[0]) for f in pybudget.parse(text).check() if _key(f) not in before}


MUTATIONS = {
    # a 项 row of the 支出总表 (both columns, so the row itself still adds up)
    "item_row": ("000", [(237, "60. 35\t60.35", "61. 35\t61.35")],
                 {("table.children_sum", 236), ("cross.function_code", 237)}),
    "column": ("000", [(223, "761. 35\t693. 27", "761. 35\t693. 37")],
               {("table.columns_sum", 223), ("table.children_sum", 223), ("text.vs_table", 457)}),
    "three_public_total": ("000", [(402, "1. 50\t1. 50", "1. 60\t1. 60")],
                           {("table.three_public_items", 402), ("text.vs_table", 489), ("text.vs_table", 495)}),
    "prose_figure": ("001", [(395, "基本支出456.66万元", "基本支出456.76万元")],
                     {("text.vs_table", 395), ("text.parts_sum", 395), ("text.share", 395)}),
    "title_year": ("002", [(154, "2023年预算支出总表", "2022年预算支出总表")], {("structure.title_year", 154)}),
    "change_pct": ("004", [(81, "减少 1.05%。主要原因是：非税", "减少 1.15%。主要原因是：非税")],
                   {("text.change_pct", 81)}),
    "share": ("000", [(457, "占91.06%", "占92.06%")], {("text.share", 457), ("text.shares_sum", 457)}),
    "project_row": ("000", [(422, "5. 00\t5. 00", "6. 00\t6. 00")],
                    {("cross.performance_vs_projects", 604), ("table.group_sum", 421)}),
    "department": ("000", [(219, "朔州市朔城区医疗保障局", "朔州市平鲁区医疗保障局")], {("structure.department", 217)}),
    "empty_note": ("000", [(361, "注: 本表无数据", "")], {("structure.empty_table_note", 353)}),
    "performance_count": ("001", [(450, "2级项目4个", "2级项目5个")],
                          {("text.vs_performance", 450), ("text.parts_sum", 450)}),
    "performance_amount": ("000", [(513, "共计金额40.64万元", "共计金额41.64万元")],
                           {("text.vs_performance", 513), ("text.parts_sum", 513)}),
    "summary_total": ("001", [(135, "收入总计\t756.21", "收入总计\t756.31")],
                      {("table.balance", 135), ("text.vs_table", 385), ("text.vs_table", 389)}),
    "summary_current": ("001", [(133, "本年收入合计\t730.42", "本年收入合计\t730.52")],
                        {("cross.totals", 133), ("table.balance", 133), ("table.balance", 135), ("text.vs_table", 385)}),
    "basic_economic": ("002", [(267, "308.53\t272.83", "308.63\t272.93")],
                       {("cross.basic_economic", 267), ("table.children_sum", 267), ("text.vs_table", 429),
                        ("cross.performance_vs_projects", 731)}),
    "income_class": ("003", [(124, "100.52\t100.52", "100.62\t100.62")],
                     {("table.children_sum", 123), ("table.children_sum", 124), ("cross.function_code", 85),
                      ("cross.function_code", 157), ("cross.function_code", 236)}),
    # the 部门预算总额 of the 整体绩效目标表's budget grid
    "overall_budget": ("004", [(473, "部门预算总额（万元）\t\t1,684.15", "部门预算总额（万元）\t\t1,684.25")],
                       {("cross.performance_overall", 473), ("table.overall_budget", 473)}),
    "overall_structure": ("004", [(477, "（1）基本支出\t\t1,477.15", "（1）基本支出\t\t1,477.25")],
                          {("table.overall_budget", 473)}),
    "overall_grid_total": ("003", [(692, "合计\t1707.68\t合计\t1707.68", "合计\t1707.58\t合计\t1707.58")],
                           {("table.overall_budget", 692), ("cross.performance_overall", 692)}),
    # only the 合计 of the side by direction (基本支出 917.87 + 项目支出 789.81)
    "overall_structure_total": ("003", [(692, "合计\t1707.68\t合计\t1707.68", "合计\t1707.68\t合计\t1707.78")],
                                {("table.overall_budget", 692)}),
    "carryover_projects": ("001", [(376, "25.79\t25.79", "25.89\t25.89"), (377, "25.79\t25.79", "25.89\t25.89"),
                                   (378, "25.79\t25.79", "25.89\t25.89")], {("cross.projects", 360)}),
}


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_one_altered_figure(name):
    key, edits, expected = MUTATIONS[name]
    assert new_findings(key, altered(key, edits)) == expected


def test_deleted_table():
    lines = seed("001").read_text(encoding="utf-8").split("\n")
    for i in range(322, 338):  # blank the 三公 table (lines 323–338), keeping line numbers
        lines[i] = ""
    got = new_findings("001", "\n".join(lines))
    assert got == {("structure.missing_table", 340), ("structure.toc", 38)}


def test_repaired_figure_removes_its_finding():
    text = altered("003", [(703, "1707.68", "1737.68"), (704, "1707.68", "1737.68")])
    assert ("cross.performance_overall", 703) not in pairs(pybudget.parse(text).check())


# --------------------------------------------------------------------------
# API, registry, export and the command line
# --------------------------------------------------------------------------
def test_registry_and_selection():
    assert len(RULES) >= 20
    for r in RULES.values():
        assert r.severity in ("error", "warning", "info") and r.description and r.id.count(".") == 1
    assert {r.id for r in select_rules(["text"])} == {i for i in RULES if i.startswith("text.")}
    assert [r.id for r in select_rules(["table.balance"])] == ["table.balance"]
    with pytest.raises(ValueError, match="unknown rule"):
        select_rules(["nope"])


def test_options(findings):
    doc = pybudget.parse(seed("000"))
    only = check_document(doc, rules=["structure", "cross.operating_costs"])
    assert pairs(only) == {("cross.operating_costs", 410)}
    # Without the one-unit-per-item allowance, 000's 尾差 show up, each saying so.
    strict = [f for f in check_document(doc, tolerance_units=0) if f.rule.startswith("table.")]
    assert strict and all(f.tolerance == 0 and f.tolerance_rule for f in strict)
    assert ("table.columns_sum", 297) in pairs(strict)  # 733.90 vs 693.27 + 40.64
    with pytest.raises(ValueError):
        check_document(doc, tolerance_units=-1)


def test_finding_is_frozen_and_exported(findings):
    f = findings["000"][0]
    with pytest.raises(FrozenInstanceError):
        f.rule = "x"  # type: ignore[misc]
    data = pybudget.parse(seed("000")).to_dict()
    exported = {(x["rule"], x["lines"][0]) for x in data["findings"]}
    assert exported == EXPECTED["000"]
    sample = next(x for x in data["findings"] if x["rule"] == "text.vs_table" and x["lines"][0] == 509)
    assert sample["expected"] == "7339000.00" and sample["difference"] == "100.00"


def test_cli_report_and_exit_codes(capsys):
    assert main(["check", str(seed("000"))]) == 1  # errors
    out = capsys.readouterr().out
    assert "ERROR   text.vs_table  lines 509, 177" in out and "line 509 says 整体绩效目标" in out
    assert "expected 7339000.00  actual 7339100.00  difference 100.00" in out
    assert main(["check", str(seed("001"))]) == 0  # a warning only
    capsys.readouterr()
    assert main(["check", "--json", "--rules", "text.vs_table", str(seed("004"))]) == 1
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows and {r["rule"] for r in rows} == {"text.vs_table"} and rows[0]["lines"][0] == 143
    assert main(["check", "--rules", "nope", str(seed("000"))]) == 2
    with pytest.raises(SystemExit) as exc:
        main(["check", "--no-such-option"])
    assert exc.value.code == 2
    assert main(["check", "--list-rules"]) == 0
    assert "text.vs_table" in capsys.readouterr().out


# --------------------------------------------------------------------------
# Generated documents: every figure known, one inconsistency planted in some
# --------------------------------------------------------------------------
_PLANTED_RULE = {"children_sum": "table.children_sum", "text_vs_table": "text.vs_table",
                 "three_public_items": "table.three_public_items",
                 "performance_vs_projects": "cross.performance_vs_projects",
                 "missing_table": "structure.missing_table", "title_year": "structure.title_year"}


def test_generated_documents():
    make_corpus = pytest.importorskip("benchmarks.make_corpus")
    from pybudget.checks.structure_rules import EXPECTED as TEMPLATE_TABLES
    from pybudget.facts import extract_facts

    for index in range(60):
        name, data, truth = make_corpus.generate_document(index, seed=3, planted=0.5)
        doc = pybudget.parse(data)
        # The generator adds exact 0.01万元 amounts (no 尾差), so no rounding allowance is needed
        # and a planted change of one unit must show.
        found = [f for f in doc.check(tolerance_units=0) if f.severity != "info"]
        facts = {(f.subject, str(f.value_yuan)) for f in extract_facts(doc) if f.is_money}
        assert {(f["subject"], f["value"]) for f in truth["facts"]} <= facts, name
        if not truth["planted"]:
            assert not found, (name, [(f.rule, f.lines, f.message_en) for f in found])
            continue
        plant = truth["planted"][0]
        rule_id = _PLANTED_RULE[plant["rule"]]
        if rule_id == "structure.missing_table" and plant["table"] not in TEMPLATE_TABLES[truth["family"]]:
            continue  # the generic template requires only the core tables
        # A missing table is reported at the next table's title, a form's funds at the form's
        # first line: a few lines from where the generator anchors them.
        near = 6 if rule_id in ("structure.missing_table", "cross.performance_vs_projects") else 0
        assert any(f.rule == rule_id and any(abs(line - plant["line"]) <= near for line in f.lines)
                   for f in found), (name, plant, [(f.rule, f.lines) for f in found])


def test_readme_lists_every_rule_with_its_description():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip(" `"): line for line in readme.splitlines() if line.startswith("| `")}
    for rule_id, rule in RULES.items():
        assert rule_id in rows, rule_id
        assert f"| {rule.severity} | {rule.description} |" in rows[rule_id], rule_id


def test_tolerance_amounts_decided_early_are_the_described_ones():
    # Most comparisons are decided from a tolerance's amount alone; its sentence is written
    # only for a finding. The two ways must allow the same amount, for every resolution, count
    # of summed figures, tolerance setting and kind of stated figure (money or not, 0 or not).
    from dataclasses import replace

    from pybudget.checks.base import Context
    from pybudget.checks.lookup import Figure
    from pybudget.checks.text_rules import _restatement_amount, _restatement_tolerance
    from pybudget.checks.tolerance import figures_amount, for_figures

    ctx = Context(pybudget.parse(seed("000")), 1)
    money = [f for f in ctx.facts if f.is_money][:6]
    others = [f for f in ctx.facts if not f.is_money][:2]
    assert len(money) == 6 and others
    facts = money + others + [replace(f, value=D(0)) for f in money[:2]]
    resolutions = (D("0.01"), D("1"), D("100"), D("10000"))
    for units in (0, 1, 2):
        ctx.units = units
        for items in (1, 2, 7):
            for a in resolutions:
                for b in resolutions:
                    assert figures_amount((a, b), items, units) == for_figures([(a, "元"), (b, "万元")], items,
                                                                               units).amount
                fig = Figure(D("7339000"), (223,), items, a, "万元", 2, "支出总表 合计")
                for fact in facts:
                    allowed = _restatement_tolerance(ctx, fact, fig).amount
                    assert _restatement_amount(ctx, fact, a, items) == allowed


# --------------------------------------------------------------------------
# The sums and lookups the C core works out (csrc/pb_audit.c)
# --------------------------------------------------------------------------
def test_project_lists_and_class_rows_of_000():
    from pybudget.checks import lookup as lk

    doc = pybudget.parse(seed("000"))
    by_kind = {t.kind: t for t in doc.tables}
    current = lk.project_list(by_kind["projects"])
    assert current.top.line == 420
    assert [(u.line, [r.line for r in items]) for u, items in current.groups] == [(421, [422, 423, 424, 425]),
                                                                                  (426, [427, 428])]
    assert current.total().value == D("406400.00")  # 40.64万元 this year (the prose: 共计金额40.64万元)
    assert lk.project_list(by_kind["operating_costs"]).top.line == 410
    classes = lk.class_rows(by_kind["summary"])
    # 30 classes named on the expenditure side, each its first row; 二十四、预备费 (227) is printed last-but-six
    assert len(classes) == 30 and classes["208"].line == 160 and classes["210"].line == 162
    assert classes["227"].name == "二十四、预备费" and classes["223"].line == 186


def test_the_checks_read_the_document_as_it_is_now():
    doc = pybudget.parse(seed("000"))
    before = pairs(doc.check())
    expenditure = next(t for t in doc.tables if t.kind == "expenditure")
    row = next(r for r in expenditure.rows if r.code == "2101501")  # 行政运行 60.35万元, line 237
    row.fen["total"] += 1_000_000  # +1万元 in the 合计 column alone
    got = pairs(doc.check()) - before
    assert {("table.children_sum", 236), ("table.columns_sum", 237)} <= got
    row.fen["total"] -= 1_000_000
    assert pairs(doc.check()) == before


def test_rows_the_sums_cannot_read_are_named():
    doc = pybudget.parse(seed("000"))
    index, expenditure = next((i, t) for i, t in enumerate(doc.tables) if t.kind == "expenditure")
    row = expenditure.rows[3]
    row.fen["total"] = 10 ** 30  # beyond 64-bit 分
    with pytest.raises(ValueError, match=rf"table {index}: line {row.line}: .*64 bits"):
        doc.check()
    row.fen["total"] = 1.5
    with pytest.raises(ValueError, match=rf"table {index}: line {row.line}: .*integers"):
        doc.check()
    row.fen["total"] = 10_880_000
    row.name = None
    with pytest.raises(TypeError, match=rf"table {index}: line {row.line}: Row.name"):
        doc.check()


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_the_sums_share_the_lookups_they_work_out(key):
    """audit_tables gives each table's project list or class rows as audit_lookup does for it alone."""
    from pybudget import _core
    from pybudget.checks import lookup as lk
    from pybudget.checks.core_pass import column_equations

    doc = pybudget.parse(seed(key))
    plans = [(lk.measures(t), column_equations(t), 1_000_000, 2) for t in doc.tables]
    shared = _core.audit_tables(doc.tables, plans, 1)[4]
    kinds = {t.kind: got for t, got in zip(doc.tables, shared)}
    assert kinds["summary"] and kinds["projects"]  # every seed prints both
    for table, got in zip(doc.tables, shared):
        if table.kind in ("summary", "fiscal_summary"):
            assert got == _core.audit_lookup(table, lk.measures(table), "class_rows")
        elif table.kind in ("projects", "projects_carryover", "performance_summary", "operating_costs"):
            assert got == _core.audit_lookup(table, lk.measures(table), "project_list")
        else:
            assert got is None


@pytest.mark.parametrize("key", ["000", "003"])
def test_the_core_works_out_each_tables_rounding_step_as_python_does(key):
    """audit_tables takes each table's unit and decimals and works out whether it prints any amount and
    its step per item (the 2 decimals of the template in an empty table), for any tolerance setting."""
    from pybudget import _core
    from pybudget.checks import lookup as lk
    from pybudget.checks.core_pass import TABLES, resolution_fen, sum_plans

    def power_of_ten(amount: D) -> int | None:
        k = amount.adjusted()
        return k if -100 <= k <= 100 and amount == D(1).scaleb(k) else None

    doc = pybudget.parse(seed(key))
    for units in (0, 1, 3, 10**30):
        got = _core.audit_tables(doc.tables, sum_plans(doc.tables), units)[TABLES]
        lk.forget(doc.tables)
        assert got == tuple((lk.table_has_figures(t), min(resolution_fen(t) * units, 1 << 63),
                             power_of_ten(lk.table_resolution(t))) for t in doc.tables)
    empty = [t for t, (has, _, _) in zip(doc.tables, got) if not has]
    assert len(empty) == {"000": 4, "003": 13}[key]  # 003 prints 13 tables 本表无数据
    for bad in (-1, 1.5, "1"):
        with pytest.raises(ValueError, match="units must be an int >= 0"):
            _core.audit_tables(doc.tables, sum_plans(doc.tables), bad)


@pytest.mark.parametrize("key", ["000", "003", "004"])
def test_a_total_in_fen_is_the_total_figure(key):
    """cross.totals compares lookup.total_fen first: it must be total_figure's value, for every table,
    measure and side, empty tables and missing total rows included."""
    from pybudget.checks import lookup as lk

    doc = pybudget.parse(seed(key))
    compared = 0
    for table in doc.tables:
        for measure in [*lk.measures(table), "no_such_measure"]:
            for side in (None, "income", "expenditure"):
                fig = lk.total_figure(table, measure, side)
                fen = lk.total_fen(table, measure, side)
                assert (fen is None) == (fig is None) and (fig is None or fig.value * 100 == fen), (table.kind, measure)
                compared += fig is not None
    assert compared >= 60


def test_any_tolerance_setting_is_worded():
    """A tolerance of more digits than the decimal context holds is kept as it is, not rounded to the 分:
    with 10**30 units per item nothing summed is a finding, and nothing fails."""
    make_corpus = pytest.importorskip("benchmarks.make_corpus")
    sums = {"table.children_sum", "table.columns_sum", "table.group_sum", "table.overall_budget"}
    for index in range(20):
        doc = pybudget.parse(make_corpus.generate_document(index, seed=3, planted=0.5)[1])
        assert not [f for f in doc.check(tolerance_units=10**30) if f.rule in sums]


def test_a_table_total_is_found_by_its_printed_name():
    """Of several total rows, the one named 合计 is the table's (as Table.total_row reads it)."""
    from pybudget.model import Row

    doc = pybudget.parse(seed("000"))
    before = pairs(doc.check())
    expenditure = next(t for t in doc.tables if t.kind == "expenditure")
    assert expenditure.rows[0].name == "合计" and expenditure.rows[0].line == 223
    expenditure.rows.insert(0, Row(222, "本年支出合计", role="total", fen={"total": 1, "basic": 1, "project": 1}))
    assert pairs(doc.check()) == before  # the decoy above 合计 is no table total: nothing is compared with it
    expenditure.rows[1].role = None  # with 合计 no longer a total row, the decoy is the only one
    assert ("table.children_sum", 222) in pairs(doc.check())


def test_the_sums_are_worded_for_every_comparison_the_core_makes():
    """table_rules numbers the C core's rules and comparisons as csrc/pb_audit.h does."""
    import re

    from pybudget import _core
    from pybudget.checks import core_pass as cp
    from pybudget.checks import table_rules as tr

    header = (Path(__file__).resolve().parents[1] / "csrc" / "pb_audit.h").read_text(encoding="utf-8")
    whats = {name: int(value) for name, value in re.findall(r"PB_WHAT_(\w+) = (\d+)", header)}
    rules = {name: int(value) for name, value in re.findall(r"PB_AUDIT_(\w+) = (\d+)", header)}
    assert len(whats) == 15 and whats["COLUMNS"] == tr._COLUMNS and whats["SIDES"] == tr._SIDES
    assert set(tr._WHAT) == set(whats.values()) - {tr._COLUMNS, tr._SIDES}
    assert (rules["CHILDREN_SUM"], rules["COLUMNS_SUM"], rules["BALANCE"], rules["GROUP_SUM"]) == (
        cp.CHILDREN, cp.COLUMNS, cp.BALANCE, cp.GROUPS)
    # then lookups, figures, tables, code blocks, totals, memos, structure, three_public, targets, cells
    assert rules["RULES"] == 4 == len(_core.audit_tables([], [], 1)) - 10


def test_a_unit_is_told_by_the_department_even_when_its_name_holds_a_lone_surrogate():
    """A row naming the table's department is a unit row, whatever characters the name holds."""
    from pybudget.checks import lookup as lk

    doc = pybudget.parse(seed("000"))
    projects = next(t for t in doc.tables if t.kind == "projects")
    first_project = lk.project_list(projects).groups[0][1][0]  # 422, a project under 421's unit
    projects.department = first_project.name = "朔城区\udc80医保"  # no unit word: only the department says so
    lk.forget([projects])
    units = [u.line for u, _ in lk.project_list(projects).groups]
    assert units == [421, 422, 426]
