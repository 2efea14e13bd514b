"""Excel workbooks (.xlsx) as text: every sheet's rows as tab-separated lines,
one line per sheet row, a blank line between sheets — the text a converter
prints of the same tables, which the parser reads like any other. Budget
tables are made in spreadsheets, and many departments publish them as such.

Figures print as the sheet shows them: to the decimals of the cell's number
format (a float's binary noise, 733.9000000000001, never reaches the parser),
a percent format as a percentage; a line break inside a cell (a wrapped
header) is dropped beside a Chinese character and is a space elsewhere.
Merged cells keep their value in the first cell, as the parser expects of
merged headers. Formulas give the value the workbook last saved.
"""
from __future__ import annotations

import io
import re
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from .errors import ParseError

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # Excel 97-2003 .xls (an OLE compound file)
_FORMAT_DECIMALS = re.compile(r"0\.(0+)")
_BREAK_BESIDE_CJK = re.compile(r"(?<=[^\x00-\x7f])[ \t]*\r?\n\s*|[ \t]*\r?\n\s*(?=[^\x00-\x7f])")
_BREAK = re.compile(r"\s*\r?\n\s*")


def is_workbook(head: bytes, name: str) -> bool:
    """Whether a file (its first bytes and its name) is an Excel workbook, new or old."""
    low = name.lower()
    return (head.startswith(_ZIP_MAGIC) and low.endswith(WORKBOOK_SUFFIXES)) or (
        head.startswith(_OLE_MAGIC) and low.endswith(".xls"))


def number_text(value: int | float, number_format: str | None) -> str:
    """A number as a cell with ``number_format`` shows it: '0.00' → two decimals,
    '0.0%' → a percentage; 'General' → up to 15 significant digits."""
    if isinstance(value, int):
        exact = Decimal(value)
    else:
        exact = Decimal(repr(value))
    fmt = number_format or "General"
    percent = "%" in fmt
    if percent:
        exact *= 100
    places = _FORMAT_DECIMALS.search(fmt)
    if places:
        text = format(exact.quantize(Decimal(1).scaleb(-len(places.group(1)))), "f")
    elif percent or "0" in fmt:
        text = format(exact.quantize(Decimal(1)), "f")
    elif isinstance(value, int):
        text = str(value)
    else:
        text = format(Decimal(format(value, ".15g")), "f")
    return text + "%" if percent else text


def cell_text(value: Any, number_format: str | None = None) -> str:
    """The text of one cell value, on one line."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return number_text(value, number_format)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    text = _BREAK_BESIDE_CJK.sub("", str(value))
    return _BREAK.sub(" ", text).replace("\t", " ")


def workbook_text(data: bytes, source: str) -> bytes:
    """The workbook ``data`` as UTF-8 text, a line per sheet row (``source``
    names it in errors). Raises :class:`ParseError` for an .xls file, a
    workbook that cannot be read, or when openpyxl is not installed."""
    if data.startswith(_OLE_MAGIC):
        raise ParseError(f"{source}: an Excel 97-2003 workbook (.xls); save it as .xlsx or CSV to read it",
                         source=source, code="XLSX", reason="an .xls workbook: save it as .xlsx or CSV")
    try:
        import openpyxl
    except ImportError as exc:
        raise ParseError(f"{source}: an Excel workbook; install openpyxl (pip install 'pybudget[xlsx]') so "
                         "pybudget can read it", source=source, code="XLSX",
                         reason="xlsx input needs openpyxl") from exc
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # a broken zip, a missing part, XML errors: openpyxl raises many kinds
        raise ParseError(f"{source}: cannot read the workbook: {type(exc).__name__}: {exc}", source=source,
                         code="XLSX", reason=f"cannot read the workbook: {type(exc).__name__}") from exc
    lines: list[str] = []
    try:
        for sheet in book.worksheets:
            first = len(lines)
            for row in sheet.iter_rows():
                number = next((c.row for c in row if getattr(c, "row", None)), None)
                while number is not None and len(lines) - first < number - 1:
                    lines.append("")  # rows the sheet leaves out are blank lines: a line is a sheet row
                cells = [cell_text(c.value, getattr(c, "number_format", None)) for c in row]
                # every row as wide as the sheet, as Excel's own text export prints it (an empty
                # cell is a column); a row of nothing is a blank line
                lines.append("\t".join(cells) if any(cells) else "")
            lines.append("")
    finally:
        book.close()
    return "\n".join(lines).encode("utf-8")


__all__ = ["WORKBOOK_SUFFIXES", "cell_text", "is_workbook", "number_text", "workbook_text"]
