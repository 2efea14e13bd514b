"""Excel workbooks (.xlsx, and .xls): the seeds' tables written into sheets the way a
department's spreadsheet holds them — figures as numbers with a number format,
codes as text, merged title rows, wrapped header cells — give the seeds' own
rows, at the sheet row each is on."""
from __future__ import annotations

import re
from decimal import Decimal

import pybudget
import pytest
from conftest import seed_path
from pybudget._workbook import cell_text, number_text

openpyxl = pytest.importorskip("openpyxl")

_FIGURE = re.compile(r"^-?\d+(\.\d+)?$")


def _cell(text: str) -> tuple[object, str | None]:
    """A cell value as a spreadsheet holds it: figures as floats with two
    decimals shown; everything else (codes included) as text."""
    text = re.sub(r"(?<=\d[.,]) (?=\d)", "", text).replace(",", "") if re.match(r"^[\d., -]+$", text) else text
    if _FIGURE.match(text) and "." in text:
        return float(text), "0.00"
    return text, None


def _write_sheet(sheet, lines: list[str]) -> None:
    for number, line in enumerate(lines, 1):
        for column, text in enumerate(line.split("\t"), 1):
            if not text:
                continue
            value, fmt = _cell(text)
            cell = sheet.cell(row=number, column=column, value=value)
            if fmt:
                cell.number_format = fmt


def _rows(doc: pybudget.Document) -> list[tuple]:
    return [(t.kind, r.line, r.code, r.name, r.side, dict(r.values)) for t in doc.tables for r in t.rows]


def test_a_seed_in_one_sheet_gives_its_rows_at_their_rows(tmp_path):
    # 000 written row by row into one sheet: each line is a sheet row, so every record keeps its line
    text = seed_path("000").read_text(encoding="utf-8")
    book = openpyxl.Workbook()
    _write_sheet(book.active, text.split("\n"))
    path = tmp_path / "朔城区医保局2025.xlsx"
    book.save(path)
    seed, doc = pybudget.parse(text), pybudget.parse(path)
    # the title row is as wide as the sheet (empty cells after it): still the document's title
    assert (doc.title, doc.kind, doc.year, doc.department) == (
        "朔州市朔城区医疗保障局2025年度部门预算公开", "budget", 2025, "朔州市朔城区医疗保障局")
    assert _rows(doc) == _rows(seed)
    table = next(t for t in doc.tables if t.kind == "expenditure")
    total = table.rows[0]
    assert (total.line, total.name) == (223, "合计")
    assert total.values == {"total": Decimal("7613500.00"), "basic": Decimal("6932700.00"),
                            "project": Decimal("680800.00")}
    assert [(p.name, dict(p.funds)) for p in doc.projects] == [(p.name, dict(p.funds)) for p in seed.projects]
    assert sorted((f.rule, f.lines) for f in doc.check()) == sorted((f.rule, f.lines) for f in seed.check())
    # the same file through read_corpus, next to the seed as text
    corpus = pybudget.read_corpus([path, seed_path("000")], workers=1, progress=False)
    items = corpus.items
    assert corpus.errors.empty
    assert (items[items.doc_id == 0].drop(columns=["doc_id", "source"]).reset_index(drop=True)
            .equals(items[items.doc_id == 1].drop(columns=["doc_id", "source"]).reset_index(drop=True)))


def test_a_table_per_sheet_with_merged_titles_and_wrapped_headers(tmp_path):
    # 000's 2025年预算支出总表 (lines 217-243) on a sheet of its own, after a cover sheet: the title merged
    # over the table's width, '科目\n名称' wrapped in its cell, figures with binary noise (7.8 + 3.2 …)
    lines = seed_path("000").read_text(encoding="utf-8").split("\n")[216:243]
    book = openpyxl.Workbook()
    book.active.title = "封面"
    book.active["A1"] = "朔州市朔城区医疗保障局2025年部门预算"
    sheet = book.create_sheet("表3 支出总表")
    _write_sheet(sheet, lines)
    sheet.merge_cells("A1:E1")
    sheet["B6"] = "科目\n名称"
    sheet["C7"] = 761.35 + 1e-13  # a sum the sheet computed: 761.3500000000001
    sheet["C7"].number_format = "#,##0.00"
    path = tmp_path / "budget.xlsx"
    book.save(path)
    doc = pybudget.parse(path)
    table = next(t for t in doc.tables if t.kind == "expenditure")
    # the cover sheet is line 1 and a blank line; the table sheet starts on line 3
    assert (table.title, table.line) == ("2025年预算支出总表", 3)
    assert [c.measure for c in table.columns][:5] == ["code", "name", "total", "basic", "project"]
    assert table.rows[0].line == 9 and table.rows[0].values["total"] == Decimal("7613500.00")
    seed_table = next(t for t in pybudget.parse(seed_path("000")).tables if t.kind == "expenditure")
    assert [(r.code, r.name, r.values) for r in table.rows] == [(r.code, r.name, r.values) for r in seed_table.rows]
    assert not [w for w in doc.warnings if w.code in ("INEXACT", "NOT_A_NUMBER")]


def test_cells_print_as_the_sheet_shows_them():
    assert number_text(733.9000000000001, "General") == "733.9"
    assert number_text(733.9000000000001, "0.00") == "733.90"
    assert number_text(0.1234, "0.00%") == "12.34%"
    assert number_text(50000.0, "#,##0") == "50000"
    assert number_text(-10.88, "#,##0.00;(#,##0.00)") == "-10.88"
    assert cell_text("科目\n名称") == "科目名称" and cell_text("Total\nbudget") == "Total budget"
    assert cell_text(None) == "" and cell_text("a\tb") == "a b"


def test_an_excel_97_workbook_gives_the_same_rows(tmp_path):
    # 000 in an .xls (BIFF8, read through xlrd), figures as numbers shown with two decimals
    xlwt = pytest.importorskip("xlwt")
    text = seed_path("000").read_text(encoding="utf-8")
    book = xlwt.Workbook()
    sheet = book.add_sheet("2025")
    two_decimals = xlwt.easyxf(num_format_str="0.00")
    for row, line in enumerate(text.split("\n")):
        for column, cell in enumerate(line.split("\t")):
            if cell:
                value, fmt = _cell(cell)
                if fmt:
                    sheet.write(row, column, value, two_decimals)
                else:
                    sheet.write(row, column, value)
    path = tmp_path / "朔城区医保局2025.xls"
    book.save(str(path))
    doc = pybudget.parse(path)
    assert _rows(doc) == _rows(pybudget.parse(text))
    row = next(r for t in doc.tables if t.kind == "expenditure" for r in t.rows if r.code == "2101502")
    assert (row.line, row.values) == (238, {"total": Decimal("574400.00"), "project": Decimal("574400.00")})
