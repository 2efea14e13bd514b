"""Word documents (.docx): a seed written as a Word file — prose as paragraphs,
each block of tab-separated lines as a Word table — gives the seed's own rows,
projects, findings and facts, at the lines its paragraphs and table rows take
in the document's text."""
from __future__ import annotations

from decimal import Decimal

import pybudget
import pytest
from conftest import seed_path, seed_paths
from pybudget.facts import extract_facts

docx = pytest.importorskip("docx")


def _write_docx(text: str, path: Path) -> dict[int, int]:
    """Writes text as a Word document; returns the line each text line takes in
    the document's text (a table is followed by a blank line)."""
    document = docx.Document()
    moved: dict[int, int] = {}
    lines = text.split("\n")
    out_line = 0
    k = 0
    while k < len(lines):
        if "\t" not in lines[k]:
            document.add_paragraph(lines[k])
            out_line += 1
            moved[k + 1] = out_line
            k += 1
            continue
        block = []
        while k < len(lines) and "\t" in lines[k]:
            block.append(lines[k].split("\t"))
            k += 1
        table = document.add_table(rows=len(block), cols=max(len(r) for r in block))
        for r, (texts, row) in enumerate(zip(block, table.rows)):
            for cell, text in zip(row.cells, texts):  # row.cells once a row: table.cell() walks the grid each time
                cell.text = text
            out_line += 1
            moved[k - len(block) + r + 1] = out_line
        out_line += 1  # the blank line after a table
    document.save(path)
    return moved


@pytest.mark.parametrize("path", seed_paths(), ids=lambda p: p.name[:3])
def test_a_seed_as_a_word_document_gives_its_records(path, tmp_path):
    text = path.read_text(encoding="utf-8")
    target = tmp_path / (path.stem + ".docx")
    moved = _write_docx(text, target)
    seed, doc = pybudget.parse(text), pybudget.parse(target)
    line = moved.__getitem__
    assert [(t.kind, line(r.line), r.code, r.name, r.side, dict(r.values)) for t in seed.tables for r in t.rows] == [
        (t.kind, r.line, r.code, r.name, r.side, dict(r.values)) for t in doc.tables for r in t.rows]
    assert [(p.name, dict(p.funds)) for p in doc.projects] == [(p.name, dict(p.funds)) for p in seed.projects]
    assert sorted((f.rule, f.lines) for f in doc.check()) == sorted(
        (f.rule, tuple(map(line, f.lines))) for f in seed.check())
    assert [(f.subject, f.value_yuan, f.line) for f in extract_facts(doc)] == [
        (f.subject, f.value_yuan, line(f.line)) for f in extract_facts(seed)]


def test_merged_header_cells_of_a_word_table(tmp_path):
    # 000's 2025年预算支出总表 (lines 217-243) as a Word table whose header merges 科目编码 and '科目\n名称'
    # (wrapped in its cell) over two rows and 2025年预算数 over three columns
    lines = seed_path("000").read_text(encoding="utf-8").split("\n")
    document = docx.Document()
    document.add_paragraph(lines[216])  # 2025年预算支出总表
    body = [line.split("\t")[:5] for line in lines[222:243]]
    table = document.add_table(rows=2 + len(body), cols=5)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "科目编码"
    table.cell(0, 1).merge(table.cell(1, 1)).text = "科目\n名称"
    table.cell(0, 2).merge(table.cell(0, 4)).text = "2025年预算数"
    for c, word in ((2, "合计"), (3, "基本支出"), (4, "项目支出")):
        table.cell(1, c).text = word
    for texts, row in zip(body, table.rows[2:]):
        for cell, text in zip(row.cells, texts):
            cell.text = text
    path = tmp_path / "expenditure.docx"
    document.save(path)
    doc = pybudget.parse(path)
    expenditure = next(t for t in doc.tables if t.kind == "expenditure")
    assert [c.measure for c in expenditure.columns][:5] == ["code", "name", "total", "basic", "project"]
    total = expenditure.rows[0]
    assert (total.line, total.name) == (4, "合计")
    assert total.values == {"total": Decimal("7613500.00"), "basic": Decimal("6932700.00"),
                            "project": Decimal("680800.00")}
    seed_table = next(t for t in pybudget.parse(seed_path("000")).tables if t.kind == "expenditure")
    assert [(r.code, r.name, r.values) for r in expenditure.rows] == [
        (r.code, r.name, r.values) for r in seed_table.rows]
