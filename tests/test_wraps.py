"""Names wrapped over two lines, made by re-wrapping one line of a seed.

Each test cuts a real row of a seed the way converters wrap narrow cells and
checks that the altered document gives the same rows as the seed.
"""
from __future__ import annotations

import pybudget
import pytest
from conftest import seed_path


def _rewrap(key: str, line: str, first: str, second: str) -> tuple[pybudget.Document, pybudget.Document]:
    """The seed parsed as it is, and a copy with ``line`` replaced by two lines."""
    text = seed_path(key).read_text(encoding="utf-8")
    assert text.count(line + "\n") == 1, line
    return pybudget.parse(text), pybudget.parse(text.replace(line + "\n", f"{first}\n{second}\n"))


def _rows(doc: pybudget.Document, kind: str) -> list[tuple]:
    table = next(t for t in doc.tables if t.kind == kind)
    return [(r.name, r.side, dict(r.values)) for r in table.rows]


def test_label_of_an_empty_table_wrapped_without_figures():
    # 001 line 335: '②公务用车运行维护费' in the 三公 table marked 本表无数据
    seed, wrapped = _rewrap("001", "②公务用车运行维护费\t\t\t\t", "②公务用车运行\t\t\t\t", "维护费\t\t\t\t")
    assert _rows(wrapped, "three_public") == _rows(seed, "three_public")
    names = [name for name, _, _ in _rows(wrapped, "three_public")]
    assert "②公务用车运行维护费" in names and "维护费" not in names


def test_both_sides_of_a_two_sided_row_wrapped_without_figures():
    # 004 line 278: neither side of the 财政拨款收支总表 row has a figure
    seed, wrapped = _rewrap("004", "（二）政府性基金预算拨款\t\t（七）文化体育旅游与传媒支出\t\t\t\t\t",
                            "（二）政府性\t\t（七）文化体育旅游\t\t\t\t\t",
                            "基金预算拨款\t\t与传媒支出\t\t\t\t\t")
    assert _rows(wrapped, "fiscal_summary") == _rows(seed, "fiscal_summary")
    table = next(t for t in wrapped.tables if t.kind == "fiscal_summary")
    row = next(r for r in table.rows if r.line == 278 and r.side == "expenditure")
    assert row.name == "(七)文化体育旅游与传媒支出"


def test_project_name_starting_with_he_keeps_it():
    # 001 line 458: a 绩效目标表 project; '和' is OCR debris only next to other debris
    text = seed_path("001").read_text(encoding="utf-8")
    line = "项目名称\t\t2025年医保经办经费"
    assert text.count(line) == 1
    doc = pybudget.parse(text.replace(line, "项目名称\t\t和顺县2025年医保经办经费"))
    names = [p.name for p in doc.projects]
    assert "和顺县2025年医保经办经费" in names
    # and the real debris of seed 000 ('项目名和\t尔\t\t举报奖励', line 604) is still dropped
    assert "举报奖励" in [p.name for p in pybudget.parse(seed_path("000")).projects]


CONTINUED = [["续表"], ["（续表）"], ["续表2"], ["续上表"], ["2025年预算支出总表（续）", "", "\t项目\t2025年预算数\t\t\t\t",
                                                        "科目编码\t科目名称\t合计\t基本支出\t项目支出\t\t"],
             ["2025年预算支出总表(续表)", "部门名称: 朔州市朔城区医疗保障局", "单位：万元", "科目编码\t科目名称\t合计\t基本支出\t项目支出\t\t"],
             # a running page header: the document title printed again at the top of the page
             ["朔州市朔城区医疗保障局 2025年度部门预算公开"], ["2025年部门预算公开", "续表"]]


@pytest.mark.parametrize("marks", CONTINUED, ids=lambda m: m[0])
def test_a_table_continued_after_a_page_break_stays_one_table(marks):
    # 000's 2025年预算支出总表 (rows on lines 223-243) cut after line 229 by a page break and a
    # continuation mark: one table of 21 rows, the seed's, and no finding the seed does not have
    text = seed_path("000").read_text(encoding="utf-8")
    lines = text.split("\n")
    assert lines[228].startswith("21007\t计划生育事务\t")
    seed = pybudget.parse(text)
    cut = pybudget.parse("\n".join(lines[:229] + ["", "- 5 -", ""] + marks + [""] + lines[229:]))
    assert len(cut.tables) == len(seed.tables)
    assert _rows(cut, "expenditure") == _rows(seed, "expenditure") and len(_rows(cut, "expenditure")) == 21

    def findings(doc):
        return sorted((f.rule, str(f.expected), str(f.actual)) for f in doc.check())

    assert findings(cut) == findings(seed)


def test_wrapped_names_whose_tails_are_the_header_words():
    # 004 line 198 '八、附属单位上缴收入 | | 九、社会保险基金支出 |' wrapped after 上缴 and 基金: the
    # second line reads '收入 | | 支出 |', the very words of the table's first header row
    line = "八、附属单位上缴收入\t\t九、社会保险基金支出\t"
    seed, wrapped = _rewrap("004", line, "八、附属单位上缴\t\t九、社会保险基金\t", "收入\t\t支出\t")
    assert _rows(wrapped, "summary") == _rows(seed, "summary")
    names = {name for name, _, _ in _rows(wrapped, "summary")}
    assert {"八、附属单位上缴收入", "九、社会保险基金支出"} <= names


def test_a_header_repeated_right_after_a_row_is_still_a_header():
    # 004: the summary's two header rows printed again right after line 198, with no blank line
    line = "八、附属单位上缴收入\t\t九、社会保险基金支出\t"
    seed, repeated = _rewrap("004", line, line, "收入\t\t支出\t\n项目\t金额\t项目\t金额")
    assert _rows(repeated, "summary") == _rows(seed, "summary")
