"""Identical records for any chunking, encoding, line end, compression or column alignment."""
from __future__ import annotations

import gzip
import io
import re
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from renderings import encodings, to_layout

import pybudget
from conftest import seed_paths


def records(data, chunk_sizes=None):
    """Records as plain tuples, feeding ``data`` cut at the given chunk sizes."""
    parser = pybudget.Parser()
    out = []
    pos = 0
    for size in chunk_sizes or []:
        out += parser.feed(data[pos:pos + size])
        pos += size
    out += parser.feed(data[pos:])
    out += parser.close()
    return [tuple(r) for r in out]


SEED_BYTES = {p.name[:3]: p.read_bytes() for p in seed_paths()}
BASELINE = {k: records(v) for k, v in SEED_BYTES.items()}
needs_seeds = pytest.mark.skipif(not SEED_BYTES, reason="../shared/seeds is not present")


@needs_seeds
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(key=st.sampled_from(sorted(SEED_BYTES)), cuts=st.lists(st.integers(1, 5000), min_size=1, max_size=40))
def test_any_split_gives_identical_records(key, cuts):
    assert records(SEED_BYTES[key], cuts) == BASELINE[key]


@needs_seeds
@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 64, 4099])
def test_small_chunks(chunk):
    data = SEED_BYTES["000"]
    cuts = [chunk] * (len(data) // chunk)
    assert records(data, cuts) == BASELINE["000"]


@needs_seeds
@pytest.mark.parametrize("key", ["000", "001", "002", "003", "004"])
def test_every_encoding_and_line_end(key):
    text = SEED_BYTES[key].decode("utf-8")
    for name, data in encodings(text).items():
        parser = pybudget.Parser()
        got = [tuple(r) for r in parser.feed(data) + parser.close()]
        assert got == BASELINE[key], name
        # odd chunk sizes cut multi-byte characters, CRLF pairs and gzip blocks
        assert records(data, [7] * 3000) == BASELINE[key], name


@needs_seeds
def test_nul_bytes_are_removed_and_named_in_every_encoding():
    # 000 line 193 '科目编码\t科目名\\0称\t合计…' (a NUL inside the 收入总表's header): the header still reads,
    # and the one NUL_BYTES warning names the line, whatever the encoding the text arrives in
    text = SEED_BYTES["000"].decode("utf-8")
    assert text.split("\n")[192].startswith("科目编码\t科目名称\t合计")
    damaged = text.replace("科目名称", "科目名\0称", 1)
    for name, data in encodings(damaged).items():
        doc = pybudget.parse(data)
        assert [(w.code, w.line) for w in doc.warnings if w.code == "NUL_BYTES"] == [("NUL_BYTES", 193)], name
        assert [r for r in records(data) if r[0] != "warning"] == [r for r in BASELINE["000"] if r[0] != "warning"], name


@needs_seeds
def test_encoding_and_gzip_are_detected(tmp_path):
    text = SEED_BYTES["002"].decode("utf-8")
    path = tmp_path / "doc.txt.gz"
    path.write_bytes(gzip.compress(text.encode("gb18030")))
    doc = pybudget.parse(path)
    assert doc.gzip and doc.encoding == "gb18030"
    assert doc.table("summary").row(name="收入总计", side="income").fen["total"] == 4092380000
    doc = pybudget.parse(text.encode("utf-16"))
    assert doc.encoding == "utf-16le" and doc.department == "稷山县医疗保障局"


def _comparable(recs):
    """Records minus what column widths legitimately change: the header description."""
    out = []
    for r in recs:
        if r.kind == "table":
            out.append((r.line, r.table_kind, r.title, r.unit, r.unit_assumed))
        elif r.kind != "text":  # prose is joined by single spaces in both renderings
            out.append(tuple(r))
    return out


@needs_seeds
@pytest.mark.parametrize("key", ["000", "001", "002", "003", "004"])
def test_space_aligned_rendering(key):
    text = SEED_BYTES[key].decode("utf-8")
    layout = to_layout(text)
    assert "\t" not in layout
    base = _comparable(pybudget.stream(text.encode()))
    assert _comparable(pybudget.stream(layout.encode())) == base


@needs_seeds
@pytest.mark.parametrize("key", ["000", "001", "002", "003", "004"])
def test_space_aligned_with_names_touching_the_next_column(key):
    # pdftotext -layout leaves a single space where a long name nearly touches the next column:
    # '2080505  机关事业单位基本养老保险缴费支出 72. 05   72.05', '…采购行为 1' (an indicator's value),
    # '政府预算支出经济科目名称 - 合计' (a header)
    tight = to_layout(SEED_BYTES[key].decode("utf-8"), tight=True)
    assert len(re.findall(r"[\u4e00-\u9fff)）] [\d≥≤合]", tight)) >= 5
    assert _comparable(pybudget.stream(tight.encode())) == _comparable(pybudget.stream(SEED_BYTES[key]))


@needs_seeds
def test_one_figure_touching_its_name_in_a_space_aligned_table():
    # 000's 三公 table (lines 395-402) with its 合计 column only, set tight: the row
    # '公务用车购置及运行费 1. 50' is one cell until it is cut where its figure stands
    lines = SEED_BYTES["000"].decode("utf-8").split("\n")
    assert lines[398].startswith("公务用车购置及运行费\t1. 50")
    narrow = lines[:394] + ["\t".join(line.split("\t")[:2]) for line in lines[394:402]] + lines[402:]
    tight = to_layout("\n".join(narrow), tight=True)
    assert "公务用车购置及运行费 1. 50" in tight.split("\n")

    def rows(doc):
        table = next(t for t in doc.tables if t.kind == "three_public")
        return [(r.name, r.values.get("total")) for r in table.rows]

    expected = rows(pybudget.parse(SEED_BYTES["000"]))
    assert expected[2] == ("公务用车购置及运行费", Decimal("15000.00"))
    doc = pybudget.parse(tight)
    assert rows(doc) == expected
    assert not [w for w in doc.warnings if w.code == "CELLS_NOT_SEPARATED"]


ROW_226 = "2080502\t事业单位离退休\t10. 88\t10.88"  # 000 line 226, in the 万元 expenditure table


def with_total_226(cell):
    """000 with the total of line 226 printed as ``cell``: the document and that row."""
    text = SEED_BYTES["000"].decode("utf-8")
    assert text.count(ROW_226) == 1
    doc = pybudget.parse(text.replace(ROW_226, f"2080502\t事业单位离退休\t{cell}\t10.88"))
    return doc, next(r for t in doc.tables if t.kind == "expenditure" for r in t.rows if r.code == "2080502")


@needs_seeds
def test_negative_amounts_in_parentheses():
    # 000 line 226 '2080502 事业单位离退休 10. 88 10.88' with its total printed as an accountant's
    # negative; '(1)', which numbers columns, stays a label
    def row(cell):
        doc, found = with_total_226(cell)
        return found.line, found.values, [w.code for w in doc.warnings if w.line == found.line]

    assert row("(10.88)") == (226, {"total": Decimal("-108800.00"), "basic": Decimal("108800.00")}, [])
    assert row("（10.88）") == row("(10.88)")
    assert row("(1)") == (226, {"basic": Decimal("108800.00")}, ["NOT_A_NUMBER"])


@needs_seeds
def test_figures_with_a_unit_or_footnote_mark_in_their_cell():
    # 000 line 226 '2080502 事业单位离退休 10. 88 10.88' (a 万元 table) with its total marked or given
    # its unit: the figure is read, in the unit its cell names, and the line is named in a warning;
    # a cell that is more than a marked figure ('10.88%', '约10.88') stays text
    def row(cell):
        doc, found = with_total_226(cell)
        warned = [(w.code, w.message) for w in doc.warnings if w.line == found.line]
        return found.line, found.values, found.texts, warned, doc.check()

    plain = row("10.88")
    assert plain[:4] == (226, {"total": Decimal("108800.00"), "basic": Decimal("108800.00")}, {}, [])
    for cell in ("10.88*", "10.88万元", "108800元", "10.88①", "10.88¹", "10.88※", "10.88 (注1)", "10.88万元*"):
        line_no, values, texts, warned, findings = row(cell)
        assert (line_no, values, texts) == plain[:3], cell
        assert warned == [("MARKED_FIGURE", f"figure read past a unit or footnote mark in its cell: "
                                            f"'{cell}' in column total read as a figure")], cell
        assert findings == plain[4], cell  # the same figure: the audit finds what it found before
    assert row("1088000元")[1]["total"] == Decimal("1088000.00")  # the cell's own unit, not the table's
    for cell in ("10.88%", "约10.88", "*", "万元"):
        line_no, values, texts, warned, _ = row(cell)
        assert values == {"basic": Decimal("108800.00")} and texts == {"total": cell}, cell
        assert [code for code, _ in warned] == ["NOT_A_NUMBER"], cell

    # 000's 机关运行经费 table (lines 410-411) with every figure marked: rows with no plain figure
    # are still rows, not header or wrapped lines
    rows = {"部门合计\t6. 75\t6.75": "部门合计\t6.75*\t6.75②",
            "朔州市朔城区医疗保障局\t6. 75\t6. 75": "朔州市朔城区医疗保障局\t6.75万元\t67500元"}
    text = SEED_BYTES["000"].decode("utf-8")
    marked = text
    for plain_row, marked_row in rows.items():
        assert marked.count(plain_row) == 1
        marked = marked.replace(plain_row, marked_row)

    def operating_costs(doc):
        table = next(t for t in doc.tables if t.kind == "operating_costs")
        return [(r.line, r.name, r.values) for r in table.rows]

    doc = pybudget.parse(marked)
    assert operating_costs(doc) == operating_costs(pybudget.parse(text))
    assert operating_costs(doc)[1] == (411, "朔州市朔城区医疗保障局",
                                       {"total": Decimal("67500.00"), "general_budget": Decimal("67500.00")})
    assert [w.line for w in doc.warnings if w.code == "MARKED_FIGURE"] == [410, 410, 411, 411]


@needs_seeds
def test_blanks_inside_row_labels():
    # 001 line 331 '因公出国（境）费' (no figures) with OCR's ideographic space inside it: still the
    # first row of the 三公 table, not a header cell
    text = SEED_BYTES["001"].decode("utf-8")
    assert text.count("\n因公出国（境）费\t\t\t\t\n") == 1
    seed = pybudget.parse(text)
    noisy = pybudget.parse(text.replace("\n因公出国（境）费\t", "\n因公出国\u3000（境）费\t").replace(
        "\n合计\t", "\n合 计\t"))

    def rows(doc):
        table = next(t for t in doc.tables if t.kind == "three_public")
        return [(r.name.replace(" ", ""), r.values) for r in table.rows]

    assert rows(noisy) == rows(seed) and rows(seed)[0][0] == "因公出国(境)费"


@needs_seeds
def test_sources_path_bytes_text_and_file_objects(seeds):
    path = seeds["003"]
    by_path = [tuple(r) for r in pybudget.stream(path)]
    assert [tuple(r) for r in pybudget.stream(str(path))] == by_path
    assert [tuple(r) for r in pybudget.stream(path.read_bytes())] == by_path
    assert [tuple(r) for r in pybudget.stream(path.read_text("utf-8"))] == by_path
    assert [tuple(r) for r in pybudget.stream(io.BytesIO(path.read_bytes()))] == by_path
    with open(path, "rb") as handle:
        assert [tuple(r) for r in pybudget.stream(handle, chunk_size=333)] == by_path


def test_markdown_and_html_residue():
    text = ("# 某县财政局2024年度部门预算公开\n\n## 2024年预算支出总表\n\n**单位：万元**\n\n"
            "| 科目编码 | 科目名称 | 合计 | 基本支出 | 项目支出 |\n|---|---|---|---|---|\n"
            "| | <b>合计</b> | １２．５０ | 10.00 | 2. 50 |\n| 201 | 一般公共服务支出 | 12.50 | 10.00 | 2.50 |\n")
    doc = pybudget.parse(text)
    table = doc.table("expenditure")
    assert table.unit == "万元" and not table.unit_assumed
    assert table.total_row().fen == {"total": 12500000, "basic": 10000000, "project": 2500000}
    assert table.row(code="201").name == "一般公共服务支出"


def test_dash_blank_and_zero_are_told_apart():
    text = ("某局2024年部门预算公开\n2024年预算支出总表\n单位：万元\n"
            "科目编码\t科目名称\t合计\t基本支出\t项目支出\n\t合计\t5.00\t-\t\n201\t一般公共服务支出\t0.00\t—\t5.00\n")
    table = pybudget.parse(text).table("expenditure")
    assert table.total_row().fen == {"total": 5000000, "basic": None}  # blank 项目支出 is absent
    assert table.row(code="201").fen == {"total": 0, "basic": None, "project": 5000000}


def test_unit_in_yuan_and_unit_before_title():
    text = ("某局2024年部门预算公开\n单位：元\n2024年部门支出预算表\n"
            "科目编码\t科目名称\t合计\t基本支出\t项目支出\n\t合计\t1,234.56\t1,000.00\t234.56\n")
    table = pybudget.parse(text).table("expenditure")
    assert table.unit == "元" and table.total_row().fen["total"] == 123456


def test_tokenizer_alone_counts_the_lines_and_cells_of_every_seed(seeds):
    """_core.tokenize runs only gzip, decoding, line and cell splitting (benchmarks/run.py
    times it): its counts match an independent count of the seeds' tab cells."""
    import gzip

    from pybudget import _core

    for path in seeds.values():
        data = path.read_bytes()
        lines = data.decode("utf-8-sig").split("\n")
        if lines[-1] == "":
            lines.pop()
        cells = sum(line.count("\t") + 1 for line in lines if line.strip())
        assert _core.tokenize(data) == (len(lines), cells, len(data)), path.name
        assert _core.tokenize(gzip.compress(data)) == (len(lines), cells, len(data))
        gb = data.decode("utf-8").encode("gb18030")
        assert _core.tokenize(gb)[:2] == (len(lines), cells)
    # seed 004 by hand: 548 lines, 3,017 cells
    assert _core.tokenize(seeds["004"].read_bytes())[:2] == (548, 3017)
