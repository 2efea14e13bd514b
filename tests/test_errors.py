"""Bad input never crashes, hangs or loses data silently: clear errors with source and line."""
from __future__ import annotations

import gzip
import subprocess
import sys
import textwrap

import pytest

import pybudget
from pybudget import ParseError


def test_pdf_bytes(tmp_path):
    with pytest.raises(ParseError) as info:
        pybudget.parse(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    assert info.value.code == "PDF" and info.value.source == "<bytes>"
    assert "pdftotext" in str(info.value)


def test_binary_and_png(tmp_path):
    png = tmp_path / "chart.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10)
    with pytest.raises(ParseError) as info:
        pybudget.parse(png)
    assert info.value.code == "BINARY" and str(png) in str(info.value) and "line 1" in str(info.value)
    with pytest.raises(ParseError) as info:
        pybudget.parse(bytes(range(256)) * 64)
    assert info.value.code == "BINARY"


def test_truncated_and_corrupt_gzip(seeds, tmp_path):
    data = gzip.compress(seeds["001"].read_bytes())
    cut = tmp_path / "cut.txt.gz"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(ParseError) as info:
        pybudget.parse(cut)
    assert info.value.code == "GZIP_TRUNCATED" and str(cut) in str(info.value)
    # what was parsed before the cut is kept on the exception
    assert any(r.kind == "table" for r in info.value.records)
    bad = bytearray(data)
    bad[200:260] = b"\x00" * 60
    with pytest.raises(ParseError) as info:
        pybudget.parse(bytes(bad))
    assert info.value.code == "GZIP"


def test_not_a_disclosure():
    with pytest.raises(ParseError) as info:
        pybudget.parse("The quick brown fox\njumps over the lazy dog.\n")
    assert info.value.code == "NOT_DISCLOSURE" and info.value.line == 2
    with pytest.raises(ParseError):
        pybudget.parse(b"")
    with pytest.raises(ParseError):
        pybudget.parse(b"   \n\n\t\n")


def test_missing_file(tmp_path):
    with pytest.raises(ParseError) as info:
        pybudget.parse(tmp_path / "nope.txt")
    assert info.value.code == "IO" and "nope.txt" in str(info.value)


def test_lenient_by_default_strict_on_request(seeds):
    doc = pybudget.parse(seeds["000"])
    first = doc.warnings[0]
    assert (first.code, first.line) == ("UNIT_ASSUMED", 147)  # 000's summary prints no unit
    with pytest.raises(ParseError) as info:
        pybudget.parse(seeds["000"], strict=True)
    assert info.value.code == "STRICT" and info.value.line == 147 and "unit" in str(info.value)
    assert not pybudget.parse(seeds["001"], strict=True).warnings


def test_invalid_bytes_are_replaced_with_a_warning(seeds):
    data = bytearray(seeds["001"].read_bytes())
    pos = data.index("\n2025年预算支出总表".encode()) + 1
    data[pos:pos] = b"\xff\xfe\x80"
    doc = pybudget.parse(bytes(data))
    assert [w.code for w in doc.warnings] == ["INVALID_BYTES"] and doc.warnings[0].line == 162
    assert doc.table("expenditure").total_row().fen["total"] == 756210000


def test_nul_bytes_and_overlong_line(seeds):
    data = seeds["001"].read_bytes()
    doc = pybudget.parse(data[:5000] + b"\x00\x00" + data[5000:])
    assert "NUL_BYTES" in [w.code for w in doc.warnings]
    assert len(doc.tables) == len(pybudget.parse(data).tables)
    long = b"x" * (3 << 20) + b"\n"
    doc = pybudget.parse(data + long, max_line=1 << 20)
    assert [w.code for w in doc.warnings] == ["LINE_TOO_LONG"]


def test_document_cut_inside_a_table(seeds):
    text = seeds["002"].read_text("utf-8")
    title = text.index("\n2023年预算支出总表\n")
    cut = text[: text.index("2101501\t行政运行", title)]
    doc = pybudget.parse(cut)
    exp = doc.table("expenditure")
    assert exp.rows[-1].code == "21015" and exp.rows[-1].line == 175  # everything before the cut is kept


def test_two_documents_in_one_file(seeds):
    data = seeds["001"].read_bytes() + b"\n" + seeds["003"].read_bytes()
    doc = pybudget.parse(data)
    kinds = [t.kind for t in doc.tables]
    assert kinds.count("summary") == 2
    totals = [t.row(name="收入总计", side="income").fen["total"] for t in doc.tables_of("summary")]
    assert totals == [756210000, 1737680000]


def test_parser_refuses_concurrent_use():
    core = pybudget._core.Parser()
    # simulate a second thread entering while a feed is running
    script = textwrap.dedent("""
        import threading, pybudget
        p = pybudget._core.Parser()
        data = open(%r, 'rb').read() * 200
        errors = []
        def work():
            try:
                p.feed(data)
            except RuntimeError as e:
                errors.append(str(e))
        threads = [threading.Thread(target=work) for _ in range(4)]
        [t.start() for t in threads]; [t.join() for t in threads]
        print(len(errors) > 0 and all('another thread' in e for e in errors))
    """)
    del core
    from conftest import seed_paths
    paths = seed_paths()
    if not paths:
        pytest.skip("no seeds")
    out = subprocess.run([sys.executable, "-c", script % str(paths[0])], capture_output=True, text=True,
                         timeout=120)
    assert out.stdout.strip() == "True", out.stderr
