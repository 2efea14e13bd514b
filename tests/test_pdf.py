"""A real PDF: converted on the fly with pdftotext -layout and parsed like any text."""
from __future__ import annotations

import os
import shutil
from decimal import Decimal as D

import pytest

import pybudget

pytestmark = [
    pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) not installed"),
    # the PDF is drawn with matplotlib, whose font module aborts when libasan is preloaded
    pytest.mark.skipif(bool(os.environ.get("PYBUDGET_EXPECT_ASAN")), reason="matplotlib cannot run under ASan"),
]

LINES = [
    "某县民政局2024年度部门预算公开", "", "2024年预算支出总表", "单位：万元",
    ["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
    ["", "合计", "1,120.50", "1,000.00", "120.50"],
    ["208", "社会保障和就业支出", "1,120.50", "1,000.00", "120.50"],
    ["20802", "民政管理事务", "1,120.50", "1,000.00", "120.50"],
]


def draw_pdf(path, draw):
    """An A4 page drawn with matplotlib: ``draw(text)`` places text with
    ``text(x, y, s, ha='left')`` in a CJK font, glyph by glyph as budget PDFs are."""
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.font_manager import FontProperties

    from pybudget.plot import find_cjk_font

    font = find_cjk_font()
    if font is None:
        pytest.skip("no CJK font installed")
    prop = FontProperties(fname=font.path)
    fig = plt.figure(figsize=(8.27, 11.69))

    def text(x, y, s, ha="left"):
        fig.text(x, y, s, fontproperties=prop, fontsize=11, ha=ha)

    draw(text)
    fig.savefig(path)
    plt.close(fig)


def make_pdf(path):
    """The LINES table, left-aligned cells."""
    def draw(text):
        y = 0.95
        for line in LINES:
            cells = [line] if isinstance(line, str) else line
            xs = [0.08] if isinstance(line, str) else [0.06, 0.16, 0.5, 0.64, 0.8]
            for x, cell in zip(xs, cells):
                if cell:
                    text(x, y, cell)
            y -= 0.03

    draw_pdf(path, draw)


def test_pdf_converted_and_parsed(tmp_path):
    pdf = tmp_path / "预算.pdf"
    make_pdf(pdf)
    doc = pybudget.parse(pdf)
    assert (doc.department, doc.year) == ("某县民政局", 2024)
    table = doc.table("expenditure")
    assert table.unit == "万元"
    # pdftotext places one glyph per column: the table still maps onto its header
    assert table.total_row().values == {"total": D("11205000.00"), "basic": D("10000000.00"),
                                        "project": D("1205000.00")}
    assert table.row(code="20802").parent == "208"


def test_centred_headers_over_right_aligned_numbers(tmp_path):
    """As budget PDFs are printed: headers centred over their columns, figures
    right-aligned, the code and the name run together by pdftotext."""
    def draw(text):
        text(0.08, 0.95, "某县民政局2024年度部门预算公开")
        text(0.5, 0.91, "2024年预算收入总表", "center")
        text(0.08, 0.88, "单位：万元")
        text(0.18, 0.85, "项目", "center")
        text(0.67, 0.85, "本年收入", "center")
        text(0.88, 0.85, "上年结转", "center")
        for x, s in [(0.10, "科目编码"), (0.27, "科目名称"), (0.47, "合计"), (0.60, "一般公共预算"), (0.75, "政府性基金")]:
            text(x, 0.82, s, "center")
        rows = [("", "合计"), ("208", "社会保障和就业支出"), ("20802", "民政管理事务"), ("2080201", "行政运行")]
        y = 0.79
        for code, name in rows:
            if code:
                text(0.06, y, code)
            text(0.18, y, name)
            for x, v in zip([0.52, 0.66, 0.93], ["1,230.50", "1,200.50", "30.00"]):
                text(x, y, v, "right")
            y -= 0.03

    pdf = tmp_path / "centred.pdf"
    draw_pdf(pdf, draw)
    table = pybudget.parse(pdf).table("income")
    got = [(r.code, r.name, r.values.get("total")) for r in table.rows]
    assert got == [(None, "合计", D("12305000.00")), ("208", "社会保障和就业支出", D("12305000.00")),
                   ("20802", "民政管理事务", D("12305000.00")), ("2080201", "行政运行", D("12305000.00"))]
    assert all(r.values.get("carryover_general_budget") == D("300000.00") for r in table.rows)


def test_headers_one_space_apart(tmp_path):
    """Narrow headers that pdftotext prints one space apart ('一般公共预算 政府性基金')
    are two columns, and figures that the text places under one header keep the
    order of their columns."""
    def draw(text):
        text(0.08, 0.95, "某县民政局2024年度部门预算公开")
        text(0.5, 0.91, "2024年预算收入总表", "center")
        text(0.08, 0.88, "单位：万元")
        for x, s in [(0.06, "科目编码"), (0.18, "科目名称"), (0.45, "合计"), (0.53, "一般公共预算"), (0.645, "政府性基金")]:
            text(x, 0.85, s)
        y = 0.82
        for code, name in [("", "合计"), ("208", "社会保障和就业支出"), ("20802", "民政管理事务")]:
            if code:
                text(0.06, y, code)
            text(0.18, y, name)
            for x, v in zip([0.45, 0.55, 0.67], ["1,230.50", "1,200.50", "30.00"]):
                text(x, y, v)
            y -= 0.03

    pdf = tmp_path / "narrow.pdf"
    draw_pdf(pdf, draw)
    doc = pybudget.parse(pdf)
    table = doc.table("income")
    assert [c.measure for c in table.columns][-3:] == ["total", "general_budget", "gov_fund"]
    expected = {"total": D("12305000.00"), "general_budget": D("12005000.00"), "gov_fund": D("300000.00")}
    assert [(r.code, r.values) for r in table.rows] == [(None, expected), ("208", expected), ("20802", expected)]
    assert not doc.warnings
