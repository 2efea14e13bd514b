"""Narrative facts from the seeds' prose: subjects, exact values, shares, changes, lines."""
from __future__ import annotations

from dataclasses import fields
from decimal import Decimal as D
from pathlib import Path

import pytest

import pybudget
from conftest import seed_path as seed
from pybudget import _core
from pybudget.facts import (FUNCTION_CLASSES, SUBJECTS, Fact, Facts, _read_facts, document_facts, extract_facts, paragraphs,
                            parse_figure)
from pybudget.model import TextLine

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"



@pytest.fixture(scope="module")
def facts() -> dict[str, list[Fact]]:
    return {k: extract_facts(pybudget.parse(seed(k))) for k in ("000", "001", "002", "003", "004")}


def at(facts: list[Fact], line: int) -> list[tuple]:
    return [(f.subject, f.value, f.unit, f.share) for f in facts if f.line == line]


def one(facts: list[Fact], subject: str, line: int) -> Fact:
    found = [f for f in facts if f.subject == subject and f.line == line]
    assert len(found) == 1, (subject, line, found)
    return found[0]


def test_parse_figure_uses_the_core_grammar():
    assert parse_figure("0") == (D("0"), 0)
    assert parse_figure("1.5") == (D("1.5"), 1)
    assert parse_figure("207") == (D("207"), 0)
    assert parse_figure("4,092.38") == (D("4092.38"), 2)
    assert parse_figure("733. 90") == (D("733.90"), 2)  # OCR space after the point
    assert parse_figure("10.0350") == (D("10.0350"), 4)  # more digits than 分 are kept
    assert parse_figure("∞") is None and parse_figure("abc") is None


def test_a_figure_beyond_64_bit_fen_is_no_fact_and_no_crash(facts):
    # 000 line 447 '…预算收入总计761.35万元,其中:…' with a 17-digit total: the core's number grammar reads it
    # but it fits no 64-bit count of 分; the audit runs and every other fact of the document stays
    assert parse_figure("99999999999999999") is None and parse_figure("9999999999999999") == (D("9999999999999999"), 0)
    text = seed("000").read_text(encoding="utf-8")
    assert text.count("预算收入总计761.35万元") == 1
    doc = pybudget.parse(text.replace("预算收入总计761.35万元", "预算收入总计99999999999999999元"))
    doc.check()
    assert one(facts["000"], "收入总计", 447).value == D("761.35")
    kept = [(f.subject, f.value, f.line) for f in extract_facts(doc)]
    assert kept == [(f.subject, f.value, f.line) for f in facts["000"] if (f.subject, f.line) != ("收入总计", 447)]


def test_000_expenditure_paragraph(facts):
    assert at(facts["000"], 457) == [
        ("支出总计", D("761.35"), "万元", None),
        ("基本支出", D("693.27"), "万元", D("91.06")),
        ("项目支出", D("68.08"), "万元", D("8.94")),
    ]
    basic = one(facts["000"], "基本支出", 457)
    assert basic.value_yuan == D("6932700.00") and basic.is_money and basic.decimals == 2
    assert basic.section == "三、支出预算情况说明"
    total = one(facts["000"], "支出总计", 457)
    assert basic.share_base == total.index and basic.part_of == total.index
    assert basic.sentence.startswith("2025年度朔州市朔城区医疗保障局支出预算761.35万元")


def test_000_change_reason_and_items(facts):
    income = one(facts["000"], "收入总计", 447)
    assert (income.change, income.change_pct) == (D("-426400.00"), D("-5.30"))  # 比上年减少42.64万元,下降5.30%
    assert income.reason.startswith("一是行政事业单位养老支出")
    # '其中:本年收入…,上年结转…,比上年减少…': the change is the total's, not the last item's
    carry = next(f for f in facts["000"] if f.subject == "上年结转" and f.line == 447)
    assert carry.change is None and carry.part_of == income.index
    assert one(facts["000"], "本年收入", 447).part_of == income.index
    # the paragraph's dozens of 项-level changes ('事业运行…减少了11.67万元') state no known subject
    assert {f.subject for f in facts["000"] if f.line == 447} == {"收入总计", "本年收入", "上年结转", "支出总计",
                                                                  "本年支出"}


def test_zero_statements(facts):
    # '本部门无"三公"经费预算' states 0; '财政拨款收支总预算0万元'; '和2024年预算相比无变动' is a change of 0
    assert at(facts["000"], 495) == [("“三公”经费", D("0"), "万元", None)]
    assert one(facts["000"], "财政拨款收支总额", 461).value == 0
    op = one(facts["000"], "机关运行经费", 499)
    assert (op.value, op.change, op.change_pct) == (D("6.75"), D("0"), D("0"))
    abroad = one(facts["000"], "因公出国(境)费", 491)
    assert (abroad.change, abroad.change_pct) == (D("0"), D("0"))  # 与上年预算数相同


def test_three_public_items_nest(facts):
    f = facts["000"]
    total = one(f, "“三公”经费", 489)
    assert total.change == D("-2000.00") and total.reason == "由于政策原因,压减经费"
    vehicles = one(f, "公务用车购置及运行费", 491)
    assert vehicles.part_of == total.index
    assert one(f, "公务用车运行维护费", 491).part_of == vehicles.index  # ② under 购置及运行, not beside it
    assert one(f, "公务用车购置费", 491).part_of == vehicles.index


def test_004_henan_change_and_units(facts):
    f = facts["004"]
    for subject in ("收入总计", "支出总计"):
        x = one(f, subject, 81)
        assert (x.value, x.change, x.change_pct) == (D("1684.15"), D("-178500.00"), D("-1.05"))
    three = one(f, "“三公”经费", 113)
    assert (three.value, three.change, three.change_pct) == (D("1.8"), D("-2000.0"), D("-10.00"))  # '减10.00%'
    assert one(f, "机关运行经费", 133).change_pct == D("0.28")
    projects = [x for x in f if x.line == 143 and x.subject == "项目支出"]
    assert [(x.value, x.unit, x.value_yuan) for x in projects] == [(D("8"), "个", None), (D("207"), "元", D("207.00"))]
    large = [x for x in f if x.subject == "大额项目"]
    assert [(x.value, x.unit, x.qualifier) for x in large] == [(D("0"), "个", "≥100万元"), (D("207"), "万元", "≥100万元")]
    assert one(f, "工资福利支出", 97).share == D("76.63")
    assert one(f, "人员经费", 103).share == D("91.54")
    assert one(f, "公务用车实有数", 147).value == 1


def test_wrapped_paragraphs_keep_their_lines(facts):
    # 001 wraps '住房' / '保障支出38.14万元' over a blank line; 003 continues line 390 on 392
    housing = one(facts["001"], "住房保障支出", 412)
    assert (housing.value, housing.share) == (D("38.14"), D("5.22"))
    spend = one(facts["003"], "支出总计", 392)
    assert (spend.change, spend.change_pct) == (D("-3790100.00"), D("-17.91"))
    assert one(facts["002"], "一般公共预算当年支出", 413).change_pct == D("13.52")  # '增加\n\n13.52%'


def test_counts_areas_and_staff(facts):
    cars = one(facts["004"], "公务用车实有数", 147)
    assert (cars.value, cars.unit) == (D("1"), "辆")
    assert one(facts["004"], "一般公务用车", 147).part_of == cars.index
    assert [(x.subject, x.value) for x in facts["003"] if x.unit == "人"] == [
        ("编制人数", D("36")), ("在职人数", D("79")), ("退休人数", D("6"))]
    perf = [(x.subject, x.value, x.unit) for x in facts["000"] if x.line == 513][:2]
    assert perf == [("绩效目标管理项目", D("6"), "个"), ("绩效目标管理项目", D("40.64"), "万元")]
    overall = [x for x in facts["000"] if x.subject == "整体绩效目标"]
    assert [(x.value, x.line) for x in overall] == [(D("733.91"), 509), (D("733.91"), 509)]


def test_shares_and_percent_of_named_base(facts):
    f = facts["003"]
    published = [x for x in f if x.subject == "公开项目绩效目标" and x.is_money]
    assert published[0].share == D("100") and published[0].share_base_subject == "项目支出"
    assert one(facts["001"], "一般公共预算拨款收入", 389).share == D("96.59")


def test_vehicles_and_office_area_from_prose():
    # The Shanxi seeds' 国有资产 paragraphs come after the 绩效目标表; the core does not pass
    # them on as prose yet, so this reads them from a copy placed among the 情况说明.
    text = seed("000").read_text(encoding="utf-8")
    text = text.replace("本部门无\"三公\"经费预算。",
                        "截至2024年12月31日,共有公务用车编制1辆,实有1辆,其中:领导用车0辆,其他公务用车1辆。"
                        "使用的办公用房建筑总面积390平方米。")
    f = extract_facts(pybudget.parse(text))
    got = [(x.subject, x.value, x.unit) for x in f if x.line == 495]
    assert got == [("公务用车编制数", D("1"), "辆"), ("公务用车实有数", D("1"), "辆"), ("领导用车", D("0"), "辆"),
                   ("其他公务用车", D("1"), "辆"), ("办公用房面积", D("390"), "平方米")]
    # 0 + 1 vehicles = 实有 1: no finding at that line (461's are the seed's own)
    assert not [x for x in pybudget.parse(text).check(rules=["text.parts_sum"]) if x.line == 495]


def test_infinite_growth_and_all_units():
    text = seed("000").read_text(encoding="utf-8")
    text = text.replace("机关运行经费财政拨款 6.75万元,和2024年预算相比无变动。",
                        "机关运行经费财政拨款 6.75万元,比上年增加6.75万元,增长∞%。")
    f = [x for x in extract_facts(pybudget.parse(text)) if x.subject == "机关运行经费"]
    assert (f[0].change, f[0].change_pct) == (D("67500.00"), D("Infinity"))
    assert not [x for x in pybudget.parse(text).check(rules=["text.change_pct"])]  # ∞ from 0 is right


def test_paragraphs_join_and_headings():
    doc = pybudget.parse(seed("003"))
    paras = paragraphs(doc.texts)
    joined = next(p for p in paras if p.text.startswith("2026年度朔州市平鲁区医疗保障局预算收入总计"))
    assert [ln for _, ln in joined.starts] == [390, 392]
    assert joined.line_at(joined.text.index(";本年部门预算支出总计")) == 392
    assert any(p.heading and p.text == "十、绩效管理情况" for p in paras)


def test_the_core_reads_the_facts_as_dicts():
    # 000 line 457, read by the C reader alone: figures as digits and the power of ten of the last one
    line = "2025年度朔州市朔城区医疗保障局支出预算761.35万元,其中:基本支出693.27万元,占91.06%;项目支出68.08万元,占8.94%。"
    rows = _core.read_facts([(457, line)])
    assert [(r["subject"], r["value"], r["unit"], r["line"], r["share"]) for r in rows] == [
        ("支出总计", (76135, -2), "万元", 457, None), ("基本支出", (69327, -2), "万元", 457, (9106, -2, False, "%")),
        ("项目支出", (6808, -2), "万元", 457, (894, -2, False, "%"))]
    assert list(rows[0]) == [f.name for f in fields(Fact)]  # keyed by Fact's fields, in its order
    # TextLine objects and (line, text) pairs read alike
    assert _core.read_facts([TextLine(457, line)]) == rows
    assert _core.fact_tables()[0] == SUBJECTS and FUNCTION_CLASSES["210"] == "卫生健康支出"
    # a fact built from a row has every field of Fact
    assert set(vars(_read_facts([TextLine(457, line)])[1])) == {f.name for f in fields(Fact)}


def test_the_facts_are_made_when_asked_for():
    # the audit reads a document's facts through document_facts: the core keeps them, and a fact
    # becomes a Fact the first time a rule looks at it, equal to the one extract_facts makes
    doc = pybudget.parse(seed("000"))
    lazy = document_facts(doc)
    every = extract_facts(pybudget.parse(seed("000")))
    assert isinstance(lazy, Facts) and len(lazy) == len(every) == 70
    assert lazy.subjects() == tuple(f.subject for f in every)
    assert lazy.subjects()[:3] == ("编制人数", "收入总计", "本年收入")
    assert lazy[-1] == every[-1] and lazy[5:8] == every[5:8]
    basic = lazy[every.index(one(every, "基本支出", 457))]
    assert (basic.value, basic.share, basic.line) == (D("693.27"), D("91.06"), 457)
    assert basic is lazy[basic.index]  # made once
    assert list(lazy) == every and document_facts(doc) is lazy
    with pytest.raises(IndexError):
        lazy[len(lazy)]
    # the core's rows: what read_facts gives, one dict each when asked for, and the same comparisons
    texts = tuple(doc.texts)
    rows, checks, numbers = _core.fact_rows(texts)
    assert [rows[i] for i in range(len(rows))] == _core.read_facts(texts)
    assert (checks, numbers) == _core.read_facts(texts, True)[1:]
    assert rows[-1] == rows[len(rows) - 1] and len(_core.fact_rows([])[0]) == 0
    with pytest.raises(TypeError):
        _core.fact_rows([(1, None)])  # a line's text must be str


def test_exact_decimal_forms():
    # 减少0万元 is a negative zero (as Decimal arithmetic makes it), ∞% is Decimal('Infinity'),
    # a change in 元 of an amount in 亿元 is in 元, more decimals than 分 are kept
    lines = [TextLine(1, "支出总计0万元,比上年减少0万元,下降0.0%。"),
             TextLine(3, "基本支出1.5亿元,比上年增加12元,增长∞%,项目支出2,000.125万元。")]
    got = [(f.subject, f.value, f.value_yuan, f.change, f.change_pct, f.decimals) for f in _read_facts(lines)]
    assert repr(got) == repr([
        ("支出总计", D("0"), D("0.00"), D("-0"), D("-0.0"), 0),
        ("基本支出", D("1.5"), D("150000000.00"), D("12"), D("Infinity"), 1),
        ("项目支出", D("2000.125"), D("20001250.00"), None, None, 3)])


def test_digits_and_blanks_beyond_ascii():
    # Unicode digits are digits to the figure pattern but no number to the core's parser (no fact);
    # any blank may stand between a figure and its unit
    lines = [TextLine(1, "支出总计１２万元,收入总计٣万元,本年收入12\u3000万元,基本支出7\u00a0元。")]
    assert [(f.subject, f.value, f.unit) for f in _read_facts(lines)] == [
        ("本年收入", D("12"), "万元"), ("基本支出", D("7"), "元")]


def test_read_facts_refuses_bad_lines():
    with pytest.raises(TypeError):
        _core.read_facts([(1, b"\xe6\x94\xaf")])
    with pytest.raises(TypeError):
        _core.read_facts([("1", "支出总计1万元")])
    with pytest.raises(TypeError):
        _core.read_facts(5)
    with pytest.raises(AttributeError):
        _core.read_facts([object()])
    with pytest.raises(ValueError, match="limit"):
        _core.read_facts([(1, "1" * ((1 << 24) + 1))])
    assert _core.read_facts([]) == [] and _core.fact_paragraphs([]) == []


@pytest.mark.parametrize("pool", [
    "支出预算经费项目",                 # three-byte characters only: the blocks of eight and the last block
    "支出12,345.67万元比上年",           # ideographs between runs of ASCII
    "abcdefgh0123456789XYZ",            # ASCII only
    "支出éñΩж出12",                     # two-byte characters among the rest
    "éñüø",                             # Latin-1: a str of one byte a character
    "支出😀12",                          # beyond the BMP: four bytes
])
def test_prose_text_comes_back_as_it_went(pool):
    """A line's text goes to UTF-8 (eight characters at a time where it can, the last few as the
    end of an overlapping block) and its paragraph back to a str: every length and mix of
    character widths comes back unchanged, and a lone surrogate anywhere is refused."""
    state = 12345
    for n in range(1, 42):
        for _ in range(6):
            chars = []
            for _ in range(n):
                state = (state * 1103515245 + 12345) % (1 << 31)
                chars.append(pool[state % len(pool)])
            text = "文" + "".join(chars)  # no heading, no blank or mark at its ends
            assert _core.fact_paragraphs([(1, text)])[0][0] == text
            where = state % (len(text) + 1)
            with pytest.raises(UnicodeEncodeError):
                _core.fact_paragraphs([(1, text[:where] + "\ud800" + text[where:] + "文")])


def test_facts_are_read_again_when_the_prose_changes():
    doc = pybudget.parse(seed("000"))
    first = extract_facts(doc)
    assert extract_facts(doc) == first
    doc.texts[:] = [TextLine(1, "支出总计5万元。")]
    assert [(f.subject, f.value, f.line) for f in extract_facts(doc)] == [("支出总计", D("5"), 1)]


@pytest.mark.parametrize("piece, per_piece, more", [
    ("基本支出1万元、", 1, 1),                                # items of one 其中 list
    ("支出总计100万元，比上年增加1万元，主要原因是", 0, 2),    # reasons, each running to the sentence's end
    ("100万元以上项目1个，涉及金额1万元，", 2, 1),             # thresholds and generic amounts
    ("人员经费减少1万元，退休2人，", 0, 1),                  # changes of a subject not stated, head counts
])
def test_a_long_run_on_sentence_is_read_in_linear_time(piece, per_piece, more):
    """A page run together into one sentence (no 。) must not take quadratic time:
    eight times the text takes about eight times as long (at most 24 here), and
    every figure is still read as it is in a short sentence."""
    import time

    def cost(repeat: int) -> float:
        lines = [(1, "支出总计100万元，其中：" + piece * repeat)]
        best = float("inf")
        for _ in range(5):  # the best of several: a busy machine stretches single runs
            start = time.process_time()
            rows = _core.read_facts(lines)
            best = min(best, time.process_time() - start)
        assert len(rows) == per_piece * repeat + more
        assert (rows[0]["subject"], rows[0]["value"], rows[0]["unit"]) == ("支出总计", (100, 0), "万元")
        if per_piece == 2:  # each project count and its amount under the threshold before them
            assert {(r["subject"], r["qualifier"]) for r in rows[1:]} == {("大额项目", "≥100万元")}
        return best

    small, large = cost(1500), cost(12000)
    assert large < 24 * max(small, 1e-4), (small, large)


def test_the_facts_frame_keeps_one_copy_of_a_sentence():
    """Every fact of a sentence quotes it: the frame stores each sentence once (a
    categorical column), so a page run together costs its size, not its size
    times its figures."""
    from pybudget import frames
    from pybudget.model import Document

    text = "支出总计100万元，其中：" + "基本支出1万元、" * 2000
    doc = Document(source="run-on", texts=[TextLine(7, text)])
    table = frames.facts_table([doc])
    assert table.num_rows == 2001
    assert table.column("sentence").type.value_type == "string"
    df = frames.to_pandas(table)
    assert df.sentence.iloc[2000] == text and df.line.iloc[0] == 7
    # the text once and an index per fact (each fact a copy would be 88 MB)
    assert table.column("sentence").nbytes < len(text.encode()) + 8 * table.num_rows + 1024


def test_prose_of_every_character_width():
    # The reader takes each line's str as UTF-8 (three-byte characters in blocks, the rest one by one)
    # and gives the sentence and the reason back as strs of their own width: a sentence round-trips
    # whatever its characters' widths and wherever a run of Chinese starts or ends.
    others = ["", "a", "é", "×", "Ω", "Ж", "𠀀", "ab", "é×", "12", "Ωé"]
    seen = 0
    for run in range(0, 20):
        chinese = "预算说明第一部分内容本单位人员增加经费"[:run]
        for other in others:
            for reason in (f"{chinese}{other}", other or "abc", f"{other}{chinese}{other}"):
                line = f"{other}{chinese}支出总计12.5万元，比上年增加1万元，主要原因是{reason}。"
                facts = _read_facts([TextLine(7, line)])
                assert [(f.subject, f.value, f.change, f.line) for f in facts] == [("支出总计", D("12.5"), D("10000"), 7)]
                assert (facts[0].sentence, facts[0].reason) == (line, reason), line
                seen += 1
    assert seen == 20 * len(others) * 3
