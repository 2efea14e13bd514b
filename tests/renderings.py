"""Renderings of a document's text the way other converters print it.

Used by the tests to show the parser gives identical records whatever the
encoding, line ends, compression, column alignment or table markup.
"""
from __future__ import annotations

import csv
import gzip
import io
import re

from benchmarks.make_corpus import display_width, html_cell, html_header


_FIGURE = re.compile(r"^-?[\d,]+(\.[\d ]+)?$|^[\d,]+\. \d+$")


def _layout_block(rows: list[list[str]], tight: bool = False) -> list[str]:
    ncols = max(len(r) for r in rows)
    widths = [0] * ncols
    for r in rows:
        for i, cell in enumerate(r):
            widths[i] = max(widths[i], display_width(cell))
    # tight: one space after the column of names before the first column of figures,
    # so the longest name nearly touches its row's first figure
    figures = [i for r in rows for i, cell in enumerate(r) if cell and _FIGURE.match(cell)]
    names = {min(figures) - 1} if tight and figures and min(figures) > 0 else set()
    out = []
    for r in rows:
        parts = []
        for i, cell in enumerate(r):
            pad = widths[i] - display_width(cell) + (1 if i in names else 2)
            parts.append(cell + " " * pad)
        out.append("".join(parts).rstrip())
    return out


def to_layout(text: str, tight: bool = False) -> str:
    """pdftotext -layout style: tab-separated blocks become space-aligned columns.

    Each run of consecutive tab lines is one block whose columns are padded to
    a common width, so cells are separated by two or more spaces and empty
    cells leave only blank space; with ``tight``, the column of names before
    the first column of figures is followed by a single space, as pdftotext
    prints a long name that nearly touches the next column.
    """
    lines = text.split("\n")
    out: list[str] = []
    block: list[list[str]] = []
    for line in lines + ["end"]:
        if "\t" in line or (block and not line.strip()):
            # A blank line inside a table (a page break) keeps its columns.
            # Single spaces inside cells stay; runs of spaces would split a cell.
            block.append([" ".join(c.split()) for c in line.split("\t")])
            continue
        if block:
            trailing = 0
            while block and block[-1] == [""]:
                block.pop()
                trailing += 1
            out.extend(_layout_block(block, tight))
            out.extend([""] * trailing)
            block = []
        out.append(line)
    return "\n".join(out[:-1])


def to_html(text: str, header_lines: set[int], whole_tables: bool,
            line_map: dict[int, int] | None = None) -> str:
    """Tab-separated blocks as HTML table rows (as MinerU-style PDF-to-markdown
    converters print tables): header lines (1-based numbers) with merged cells,
    body rows one <tr> each; with ``whole_tables`` each block is one line
    ``<table>…</table>``, otherwise one line per row. ``line_map``, if given,
    receives the output line of every body line (1-based numbers)."""
    lines = text.split("\n")
    out: list[str] = []
    header: list[list[str]] = []
    body: list[tuple[int, list[str]]] = []

    def flush() -> None:
        rows = html_header(header) if header else []
        if whole_tables and (rows or body):
            for number, _ in body:
                if line_map is not None:
                    line_map[number] = len(out) + 1
            rows += ["<tr>" + "".join(html_cell(c) for c in cells) + "</tr>" for _, cells in body]
            out.append("<table>" + "".join(rows) + "</table>")
        else:
            out.extend(rows)
            for number, cells in body:
                out.append("<tr>" + "".join(html_cell(c) for c in cells) + "</tr>")
                if line_map is not None:
                    line_map[number] = len(out)
        header.clear()
        body.clear()

    for number, line in enumerate(lines, 1):
        if "\t" not in line:
            flush()
            out.append(line)
        elif number in header_lines:
            if body:
                flush()
            header.append(line.split("\t"))
        else:
            body.append((number, line.split("\t")))
    flush()
    return "\n".join(out)


_PLAIN_FIGURE = re.compile(r"^-?\d+\.\d+$")


def to_csv(text: str, wrap_words: tuple[str, ...] = (), pad: int = 0,
           line_map: dict[int, int] | None = None) -> str:
    """Tables as a spreadsheet saves them as CSV (tabula and camelot write the
    same): each tab-separated line becomes a CSV record of its cells, padded
    with ``pad`` empty fields; OCR blanks after a figure's point or comma are closed up ('733. 90') and
    figures of four or more whole digits get thousands separators (so the
    writer quotes them); the cells named in ``wrap_words`` get a line break
    after their second character (a wrapped spreadsheet cell, quoted over two
    lines). Other lines stay as they are. ``line_map`` receives the output
    line of every input line (1-based)."""
    out: list[str] = []
    for number, line in enumerate(text.split("\n"), 1):
        if line_map is not None:
            line_map[number] = len(out) + 1
        if "\t" not in line:
            out.append(line)
            continue
        cells = [re.sub(r"(?<=\d[.,]) (?=\d)", "", c) for c in line.split("\t")]
        cells = [f"{float(c):,.2f}" if _PLAIN_FIGURE.match(c) and abs(float(c)) >= 1000 else c for c in cells]
        cells = [c[:2] + "\n" + c[2:] if c in wrap_words else c for c in cells]
        record = io.StringIO()
        csv.writer(record, lineterminator="\n").writerow(cells + [""] * pad)
        out.extend(record.getvalue()[:-1].split("\n"))
    return "\n".join(out)


def encodings(text: str) -> dict[str, bytes]:
    """The same document as UTF-8, UTF-8 with BOM, GB18030, UTF-16 and CRLF, and gzip."""
    utf8 = text.encode("utf-8")
    return {
        "utf-8": utf8,
        "utf-8-bom": b"\xef\xbb\xbf" + utf8,
        "gb18030": text.encode("gb18030"),
        "utf-16": text.encode("utf-16"),  # with BOM
        "crlf": text.replace("\n", "\r\n").encode("utf-8"),
        "cr": text.replace("\n", "\r").encode("utf-8"),
        "gzip": gzip.compress(utf8, mtime=0),
        "gzip-gb18030-crlf": gzip.compress(text.replace("\n", "\r\n").encode("gb18030"), mtime=0),
    }
