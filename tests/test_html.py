"""HTML tables, as PDF-to-markdown converters (MinerU and the like) print them.

Every tab-separated table of a seed is re-rendered as <table>/<tr>/<td> rows,
with the header's merged cells as rowspan/colspan, one row per line or the
whole table on one line; the parser must give the seed's own rows.
"""
from __future__ import annotations

from decimal import Decimal

import pybudget
import pytest
from conftest import seed_path, seed_paths
from renderings import html_cell, to_html


def _items(doc: pybudget.Document) -> list[tuple]:
    return [(t.kind, r.code, r.name, r.side, dict(r.values)) for t in doc.tables for r in t.rows]


def _header_lines(doc: pybudget.Document, lines: list[str]) -> set[int]:
    """Tab lines between each table's title and its first row."""
    return {k for t in doc.tables if t.rows for k in range(t.line, t.rows[0].line) if "\t" in lines[k - 1]}


@pytest.mark.parametrize("whole_tables", [False, True], ids=["row-per-line", "table-per-line"])
@pytest.mark.parametrize("path", seed_paths(), ids=lambda p: p.name[:3])
def test_html_tables_give_the_seed_rows(path, whole_tables):
    text = path.read_text(encoding="utf-8")
    seed = pybudget.parse(text)
    line_map: dict[int, int] = {}
    html = to_html(text, _header_lines(seed, text.split("\n")), whole_tables, line_map)
    assert "<td" in html and "colspan=" in html
    doc = pybudget.parse(html)
    assert _items(doc) == _items(seed)
    assert [(p.name, dict(p.funds)) for p in doc.projects] == [(p.name, dict(p.funds)) for p in seed.projects]
    # every row carries the line it is printed on: its own <tr>, or the <table> of its block (a page break
    # starts another); with a row per line that is the seed's own line
    row_lines = [r.line for t in doc.tables for r in t.rows]
    assert row_lines == [line_map[r.line] for t in seed.tables for r in t.rows]
    if whole_tables:
        html_lines = html.split("\n")
        assert all(html_lines[k - 1].startswith("<table>") for k in row_lines)
        assert len(set(row_lines)) < len(row_lines) / 5
    else:
        assert row_lines == [r.line for t in seed.tables for r in t.rows]


def test_rowspan_and_colspan_header_of_the_expenditure_table():
    # 000 lines 217-243: 2025年预算支出总表, whose two header lines become one merged HTML header
    text = seed_path("000").read_text(encoding="utf-8")
    lines = text.split("\n")
    assert lines[220] == "\t项目\t2025年预算数\t\t\t\t" and lines[221].startswith("科目编码\t科目名称\t合计")
    header = ('<tr><td rowspan="2">科目编码</td><td rowspan="2">科目名称</td><td colspan="3">2025年预算数</td></tr>'
              "<tr><td>合计</td><td>基本支出</td><td>项目支出</td></tr>")
    body = "".join("<tr>" + "".join(html_cell(c) for c in line.split("\t")) + "</tr>" for line in lines[222:243])
    doc = pybudget.parse("\n".join(lines[:220] + ["<table>" + header + body + "</table>", ""] + lines[243:]))
    table = next(t for t in doc.tables if t.kind == "expenditure")
    assert [c.measure for c in table.columns][:5] == ["code", "name", "total", "basic", "project"]
    assert len(table.rows) == 21 and {r.line for r in table.rows} == {221}
    total = table.rows[0]
    assert total.name == "合计" and total.values == {"total": Decimal("7613500.00"), "basic": Decimal("6932700.00"),
                                                    "project": Decimal("680800.00")}
    by_code = {r.code: r for r in table.rows}
    assert by_code["2101502"].values == {"total": Decimal("574400.00"), "project": Decimal("574400.00")}
    seed = next(t for t in pybudget.parse(text).tables if t.kind == "expenditure")
    assert [(r.code, r.name, r.values) for r in table.rows] == [(r.code, r.name, r.values) for r in seed.rows]


def test_entities_and_long_tags_in_cells():
    # 000 line 238 '2101502 一般行政管理事务 57. 44 (empty) 57.44' with an &nbsp; empty cell, a styled tag
    # longer than 64 bytes, and an &amp; in the name
    text = seed_path("000").read_text(encoding="utf-8")
    line = "2101502\t一般行政管理事务\t57. 44\t\t57.44\t\t"
    assert text.count(line + "\n") == 1
    styled = '<td style="text-align:right;vertical-align:middle;border:1px solid #000000">'
    html = ("<tr><td>2101502</td><td>一般行政&amp;管理事务</td>" + styled + "57. 44</td>"
            "<td>&nbsp;</td><td>57.44</td><td></td><td></td></tr>")
    doc = pybudget.parse(text.replace(line, html))
    row = next(r for t in doc.tables if t.kind == "expenditure" for r in t.rows if r.code == "2101502")
    assert row.name == "一般行政&管理事务" and row.line == 238
    assert row.values == {"total": Decimal("574400.00"), "project": Decimal("574400.00")}


def test_single_spaced_table_lines_are_reported_not_lost():
    # 000's 2025年预算支出总表 (lines 217-243) with single spaces between cells, as pdfplumber's plain text
    # prints it: empty cells leave no trace, so figures cannot be placed; each line with figures is reported
    text = seed_path("000").read_text(encoding="utf-8")
    lines = text.split("\n")
    spaced = [" ".join(c for c in line.split("\t") if c) if 217 <= k <= 243 else line for k, line in enumerate(lines, 1)]
    doc = pybudget.parse("\n".join(spaced))
    table = next(t for t in doc.tables if t.kind == "expenditure")
    assert table.rows == []
    reported = {w.line: w.message for w in doc.warnings if w.code == "CELLS_NOT_SEPARATED"}
    assert set(reported) == set(range(223, 244))
    assert "'合计 761. 35 693. 27 68. 08' in table '2025年预算支出总表'" in reported[223]
    assert ("structure.empty_table_note", 217) in {(f.rule, f.line) for f in doc.check()}
    for path in seed_paths():  # the seeds as printed never trigger it
        assert not [w for w in pybudget.parse(path).warnings if w.code == "CELLS_NOT_SEPARATED"], path.name
