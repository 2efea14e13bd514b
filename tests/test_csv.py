"""CSV tables, as a spreadsheet saves them or PDF table extractors (tabula,
camelot) write them: every tab-separated table line of a seed re-written as a
CSV record — rows padded to the sheet's width, figures with thousands
separators quoted, header cells wrapped over two lines inside their quotes —
must give the seed's own rows, projects, findings and facts, at the lines the
records start on.
"""
from __future__ import annotations

from decimal import Decimal

import pybudget
import pytest
from conftest import seed_path, seed_paths
from pybudget.facts import extract_facts
from renderings import to_csv, to_layout

WRAPPED = ("科目名称", "项目名称", "基本支出", "功能分类科目编码")


def _rows(doc: pybudget.Document, line=lambda k: k) -> list[tuple]:
    return [(t.kind, line(r.line), r.code, r.name, r.side, dict(r.values)) for t in doc.tables for r in t.rows]


def _findings(doc: pybudget.Document, line=lambda k: k) -> list[tuple]:
    return sorted((f.rule, tuple(line(k) for k in f.lines), str(f.actual)) for f in doc.check())


def _facts(doc: pybudget.Document, line=lambda k: k) -> list[tuple]:
    return [(f.subject, f.value_yuan, line(f.line)) for f in extract_facts(doc)]


@pytest.mark.parametrize("path", seed_paths(), ids=lambda p: p.name[:3])
def test_csv_tables_give_the_seed_records(path):
    text = path.read_text(encoding="utf-8")
    seed = pybudget.parse(text)
    moved: dict[int, int] = {}
    csv_text = to_csv(text, WRAPPED, pad=2, line_map=moved)
    assert '"科目\n名称"' in csv_text
    # the cover lines (the document's title among them) as a spreadsheet saves them: rows as wide as the sheet
    lines = csv_text.split("\n")
    lines[:12] = [line + ",,,,,," if line.strip() and "," not in line else line for line in lines[:12]]
    doc = pybudget.parse("\n".join(lines))
    assert (doc.title, doc.kind, doc.year, doc.department) == (seed.title, seed.kind, seed.year, seed.department)
    assert seed.title and seed.department
    line = moved.__getitem__
    assert _rows(doc) == _rows(seed, line)
    assert [(p.name, dict(p.funds)) for p in doc.projects] == [(p.name, dict(p.funds)) for p in seed.projects]
    assert len(doc.indicators) == len(seed.indicators)
    assert _findings(doc) == _findings(seed, line)
    assert _facts(doc) == _facts(seed, line)
    assert [(w.line, w.code, w.message) for w in doc.warnings] == [
        (line(w.line), w.code, w.message) for w in seed.warnings]


def test_a_wrapped_header_cell_and_quoted_thousands():
    # 000's 2025年预算支出总表 (lines 217-243) as CSV: '科目\n名称' wraps inside its quotes here as in the
    # 收入总表 before it, so its header (line 222) spans lines 223-224 and every row after it starts two
    # lines later
    csv_text = to_csv(seed_path("000").read_text(encoding="utf-8"), ("科目名称",))
    assert csv_text.split("\n")[222:225] == ['科目编码,"科目', '名称",合计,基本支出,项目支出,,',
                                             ',合计,761.35,693.27,68.08,,']
    table = next(t for t in pybudget.parse(csv_text).tables if t.kind == "expenditure")
    assert [c.measure for c in table.columns][:5] == ["code", "name", "total", "basic", "project"]
    total = table.rows[0]
    assert (total.line, total.name) == (225, "合计")
    assert total.values == {"total": Decimal("7613500.00"), "basic": Decimal("6932700.00"),
                            "project": Decimal("680800.00")}
    row = next(r for r in table.rows if r.code == "2101502")
    assert (row.line, row.name) == (240, "一般行政管理事务")
    assert row.values == {"total": Decimal("574400.00"), "project": Decimal("574400.00")}
    # 004's 2025年部门收支总体情况表 (line 191): the writer quotes '1,684.15' and '1,544.15'
    csv_text = to_csv(seed_path("004").read_text(encoding="utf-8"), pad=2)
    assert csv_text.split("\n")[190] == '一、一般公共预算,"1,684.15",一、一般公共服务,,,'
    summary = pybudget.parse(csv_text).tables[0]
    assert (summary.kind, summary.title) == ("summary", "2025年部门收支总体情况表")
    income = [(r.line, r.name, r.values) for r in summary.rows if r.side == "income"][:2]
    assert income == [(191, "一、一般公共预算", {"total": Decimal("16841500.00")}),
                      (192, "其中:财政拨款", {"total": Decimal("15441500.00")})]


def test_prose_with_ascii_commas_stays_prose():
    # A converter that folds full-width forms prints the prose's '，' as ',' and '“三公”' as '"三公"', and may
    # group digits ('1,684.15万元'): in a CSV document such prose must not be cut into cells, so its facts stay
    text = seed_path("004").read_text(encoding="utf-8").replace("九、“三公”经费：", "“三公”经费：")
    folded = text.replace("，", ",").replace("“", '"').replace("”", '"').replace("1684.15万元", "1,684.15万元")
    assert "支出总额为1,684.15万元,其中人员经费支出1290.57万元," in folded
    as_tab, as_csv = pybudget.parse(folded), pybudget.parse(to_csv(folded, pad=1))
    assert _facts(as_csv) == _facts(as_tab) and len(_facts(as_tab)) > 40
    texts = [r.text for r in pybudget.stream(to_csv(folded, pad=1)) if r.kind == "text"]
    assert any("支出总额为1,684.15万元,其中人员经费支出1290.57万元," in t for t in texts)
    # a quote mark at the start of prose ('"三公"经费:是指…,部门…。其中,…') is no CSV quoting: the line stays whole
    assert any(t.startswith('"三公"经费:是指纳入市级财政预算管理,部门') and "。其中," in t for t in texts)


def test_a_stray_quote_is_read_as_a_mark_and_named():
    # 000 line 238 '2101502,"一般行政管理事务,57.44,,57.44': the quote never closes; once its cell would
    # hold 256 bytes the held lines are read one by one at their own numbers, the quote as a character
    text = to_csv(seed_path("000").read_text(encoding="utf-8"), pad=2)
    lines = text.split("\n")
    assert lines[237] == "2101502,一般行政管理事务,57.44,,57.44,,,,"
    lines[237] = '2101502,"一般行政管理事务,57.44,,57.44,,,,'
    doc = pybudget.parse("\n".join(lines))
    rows = {r.code: r for t in doc.tables if t.kind == "expenditure" for r in t.rows}
    assert (rows["2101502"].line, rows["2101502"].name) == (238, '"一般行政管理事务')
    assert rows["2101502"].values == {"total": Decimal("574400.00"), "project": Decimal("574400.00")}
    seed_rows = {r.code: r for t in pybudget.parse(text).tables if t.kind == "expenditure" for r in t.rows}
    assert [(r.line, r.values) for c, r in rows.items() if c != "2101502"] == [
        (r.line, r.values) for c, r in seed_rows.items() if c != "2101502"]
    assert [(w.line, w.message) for w in doc.warnings if w.code == "UNCLOSED_QUOTE"] == [
        (238, "CSV quote mark never closed; read as a character: not closed within the lines a cell may span")]


def test_documents_that_are_not_csv_are_never_read_as_csv():
    # prose with ASCII commas, thousands separators and a trailing ',,' before a table whose figures have
    # thousands separators, tab-separated and space-aligned: no line is taken for CSV
    prose = "收入总计1,234,567.00元,支出总计1,234,567.00元,与上年持平,,"
    tab_text = "\n".join(["某局2025年部门预算", prose, "2025年部门支出总表", "单位：元",
                          "科目编码\t科目名称\t合计\t基本支出\t项目支出",
                          "208\t社会保障和就业支出\t1,234,567.00\t1,000,000.00\t234,567.00", ""])
    for text in (tab_text, to_layout(tab_text)):
        records = list(pybudget.stream(text))
        assert [(r.line, r.text) for r in records if r.kind == "text" and "收入总计" in r.text] == [(2, prose)]
        assert [(r.line, r.code, r.values) for r in records if r.kind == "row"] == [
            (6, "208", {"total": 123456700, "basic": 100000000, "project": 23456700})]


def test_a_header_row_whose_every_cell_wraps():
    # 000's 收入总表 header (line 193) with a line break in each of its eight cells longer than two
    # characters: one CSV record over nine lines, joined whole; the table's rows keep the seed's values
    text = seed_path("000").read_text(encoding="utf-8")
    header = text.split("\n")[192].split("\t")
    wrapped = tuple(c for c in header if len(c) > 2)
    assert header[:3] == ["科目编码", "科目名称", "合计"] and len(wrapped) == 8
    moved: dict[int, int] = {}
    csv_text = to_csv(text, wrapped, line_map=moved)
    record = csv_text.split("\n")[moved[193] - 1:moved[194] - 1]
    assert len(record) == 9 and record[0] == '"科目' and record[-1] == '结转"'
    doc, seed = pybudget.parse(csv_text), pybudget.parse(text)
    income, seed_income = (next(t for t in d.tables if t.kind == "income") for d in (doc, seed))
    assert [c.measure for c in income.columns] == [c.measure for c in seed_income.columns]
    assert [(moved[r.line], r.code, r.name, r.values) for r in seed_income.rows] == [
        (r.line, r.code, r.name, r.values) for r in income.rows]
    assert not [w for w in doc.warnings if w.code == "UNCLOSED_QUOTE"]


def test_a_padded_section_heading_ends_the_table():
    # a spreadsheet's section heading, as wide as the sheet, right after 000's 2025年预算支出总表 (last row at
    # line 243): it ends the table instead of becoming a row of words in it
    text = to_csv(seed_path("000").read_text(encoding="utf-8"), pad=2)
    lines = text.split("\n")
    assert lines[242].startswith("2210201,") and lines[243] == ""
    lines.insert(243, "三、部门预算情况说明,,,,,,")
    doc = pybudget.parse("\n".join(lines))
    table = next(t for t in doc.tables if t.kind == "expenditure")
    seed_table = next(t for t in pybudget.parse(seed_path("000")).tables if t.kind == "expenditure")
    assert [(r.line, r.name) for r in table.rows] == [(r.line, r.name) for r in seed_table.rows]
    assert table.rows[-1].line == 243
