"""The notebook display: HTML of documents, tables and corpora (pybudget.display)."""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

import pybudget
from pybudget.display import corpus_html, document_html, format_amount, table_html
from pybudget.model import Column, Document, ParseWarning, Row, Table

from conftest import seed_paths

SEEDS = seed_paths()


def _section(page: str, index: int) -> str:
    """The HTML of one table's <details> section."""
    start = page.index(f'<details open data-table="{index}">' if f'<details open data-table="{index}">' in page
                       else f'<details data-table="{index}">')
    return page[start:page.index("</details>", start)]


@pytest.fixture(scope="module", params=SEEDS, ids=[p.name[:3] for p in SEEDS])
def seed_doc(request: pytest.FixtureRequest) -> Document:
    return pybudget.parse(request.param)


def test_every_table_is_shown_with_all_its_rows(seed_doc: Document) -> None:
    page = document_html(seed_doc)
    assert page.count("<details") >= len(seed_doc.tables)
    for table in seed_doc.tables:
        section = _section(page, table.index)
        assert html.escape(table.title) in section
        # Each row renders its name cell once, marked with its line: two-sided tables pair rows on one <tr>.
        assert section.count("data-row=") == len(table.rows), table.title
        for row in table.rows:
            assert f'data-row="{row.line}">{html.escape(row.name)}</td>' in section
        if not table.rows:
            for project in (p for p in seed_doc.projects if p.table == table.index and p.name):
                assert html.escape(project.name) in section


def test_metadata_totals_and_warnings(seed_doc: Document) -> None:
    page = document_html(seed_doc)
    assert html.escape(seed_doc.department or "") in page
    assert f"{len(seed_doc.tables)} tables" in page
    summary = seed_doc.table("summary")
    income = summary.total_row("income") if summary else None
    if income is not None and income.fen.get("total") is not None:
        assert "收入总计" in page
        assert format_amount(income.fen["total"], summary.unit, summary.decimals) in page
    for warning in seed_doc.warnings:
        assert html.escape(warning.message) in page


def test_amounts_in_the_tables_unit_with_separators() -> None:
    if not SEEDS:
        pytest.skip("../shared/seeds is not present")
    doc = pybudget.parse(SEEDS[0])
    page = table_html(doc.table("expenditure"))
    # 合计 761.35 万元 as printed, the 类 row unindented, 款 and 项 rows indented.
    assert '<td class="pb-num">761.35</td>' in page
    assert re.search(r'<td data-row="\d+">社会保障和就业支出</td>', page)
    assert re.search(r'<td style="padding-left:1\.6em" data-row="\d+">行政事业单位养老支出</td>', page)
    assert re.search(r'<td style="padding-left:2\.8em" data-row="\d+">事业单位离退休</td>', page)


def test_repr_stays_short(seed_doc: Document) -> None:
    text = repr(seed_doc)
    assert len(text) < 200
    assert "<table" not in text and "\n" not in text


def test_format_amount_is_exact() -> None:
    assert format_amount(733900000, "万元", 2) == "733.90"
    assert format_amount(123456789, "元", 2) == "1,234,567.89"
    assert format_amount(1500000000, "万元", 0) == "1,500"
    assert format_amount(150, "万元", 2) == "0.00015"  # 1.50 元 in 万元: more places, never rounded away
    assert format_amount(-2500, "元", 2) == "-25.00"
    assert format_amount(None, "万元", 2) == "-"


def _hostile_document() -> Document:
    table = Table(index=0, kind="expenditure", title="<b>支出</b> & 表", unit="万元", line=3, decimals=2,
                  columns=[Column("code", "科目编码"), Column("name", "科目<名称>"), Column("total", "合计")])
    table.rows = [Row(line=4, name="合计", role="total", fen={"total": 100}),
                  Row(line=5, name="<script>alert(1)</script>", code="201", level="类", fen={"total": 100},
                      texts={"note": "x"})]
    return Document(source="<evil>.txt", title="<img src=x onerror=alert(1)>", department="A&B", year=2025,
                    tables=[table], warnings=[ParseWarning(7, "NOT_A_NUMBER", "cell '<td>' is not a number", 0)])


def test_text_is_escaped() -> None:
    page = document_html(_hostile_document())
    assert "<script>" not in page and "<img" not in page and "<b>支出" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "A&amp;B" in page and "&lt;b&gt;支出&lt;/b&gt; &amp; 表" in page
    assert "科目&lt;名称&gt;" in page and "cell &#x27;&lt;td&gt;&#x27; is not a number" in page


@dataclass
class FakeFinding:
    rule: str
    severity: str
    message_zh: str
    message_en: str
    expected: Decimal | None
    actual: Decimal | None
    difference: Decimal | None
    lines: tuple[int, ...]
    table: str | None = None


class CheckedDocument(Document):
    """A document whose audit returns fixed findings (the real checks live in pybudget.checks)."""

    def check(self, **options: Any) -> list[Any]:
        return [FakeFinding("children_sum", "error", "项目之和<不等于>合计", "items do not add up",
                            Decimal("100.00"), Decimal("200.00"), Decimal("100.00"), (5, 4), "expenditure")]


def test_findings_are_listed_and_their_rows_highlighted() -> None:
    base = _hostile_document()
    doc = CheckedDocument(**{f: getattr(base, f) for f in base.__dataclass_fields__})
    page = document_html(doc)
    assert "children_sum" in page and "项目之和&lt;不等于&gt;合计" in page
    assert 'class="pb-sev-error"' in page
    assert re.search(r'<tr class="pb-flag" title="findings: children_sum">[^\n]*?data-row="5"', page)
    assert re.search(r'<tr class="pb-total pb-ref" title="findings: children_sum">[^\n]*?data-row="4"', page)
    assert "<details open data-table=\"0\">" in page  # a table with a finding unfolds
    assert "findings" not in document_html(doc, findings=False).split("<h4>Tables")[0].lower()


def test_missing_checks_do_not_break_the_display() -> None:
    class NoChecks(Document):
        def check(self, **options: Any) -> list[Any]:
            raise ImportError("no pybudget.checks")

    class BrokenChecks(Document):
        def check(self, **options: Any) -> list[Any]:
            raise ValueError("rule exploded <here>")

    assert "not available" in document_html(NoChecks(source="a.txt"))
    page = document_html(BrokenChecks(source="b.txt"))
    assert "ValueError: rule exploded &lt;here&gt;" in page


def test_corpus_html_is_duck_typed_and_escaped() -> None:
    pd = pytest.importorskip("pandas")
    corpus = SimpleNamespace(
        documents=pd.DataFrame({"doc_id": [0, 1], "department": ["<i>局</i>", "B"], "year": [2024, 2025]}),
        items=pd.DataFrame({"doc_id": [0] * 3, "amount": [1.0, 2.0, 3.0]}),
        findings=pd.DataFrame({"doc_id": [0, 1, 1], "rule": ["r1", "r1", "r2"], "severity": ["error"] * 3}),
        errors=pd.DataFrame({"doc_id": [], "message": []}),
    )
    page = corpus_html(corpus)
    assert "&lt;i&gt;局&lt;/i&gt;" in page and "<i>局" not in page
    for name, count in (("documents", 2), ("items", 3), ("findings", 3), ("errors", 0)):
        assert f"<span>{name}</span><b>{count:,}</b>" in page
    assert "Findings by rule" in page
    assert "projects" not in page  # absent frames are skipped


def test_corpus_html_of_a_read_corpus(tmp_path: Path) -> None:
    if not SEEDS:
        pytest.skip("../shared/seeds is not present")
    try:
        from pybudget.corpus import read_corpus
    except ImportError as exc:
        pytest.skip(f"pybudget.corpus is not available: {exc}")
    corpus = read_corpus(SEEDS, workers=1, progress=False, frames=("documents", "items", "errors"))
    page = corpus_html(corpus)
    assert f"<span>documents</span><b>{len(SEEDS)}</b>" in page
    assert html.escape(str(corpus.documents["department"].iloc[0])) in page


def test_hooks_on_the_model() -> None:
    """The lead wires the display into the classes: ``_repr_html_`` on Document and Table."""
    if not SEEDS:
        pytest.skip("../shared/seeds is not present")
    doc = pybudget.parse(SEEDS[0])
    assert doc._repr_html_() == document_html(doc)
    assert doc.tables[0]._repr_html_() == table_html(doc.tables[0])
