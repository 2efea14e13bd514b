"""Excel workbooks (.xlsx through openpyxl, .xls through xlrd) as text: every
sheet's rows as tab-separated lines, one line per sheet row, a blank line
between sheets — the text a converter
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
from collections.abc import Iterator
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from ._office import OLE_MAGIC, need_reader, unreadable
from .errors import ParseError

_FORMAT_DECIMALS = re.compile(r"0\.(0+)")
_BREAK_BESIDE_CJK = re.compile(r"(?<=[^\x00-\x7f])[ \t]*\r?\n\s*|[ \t]*\r?\n\s*(?=[^\x00-\x7f])")
_BREAK = re.compile(r"\s*\r?\n\s*")


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


def _xlsx_sheets(data: bytes, source: str) -> Iterator[Iterator[tuple[int | None, list[str]]]]:
    """The sheets of an .xlsx workbook, each as its rows (sheet row number, cell texts)."""
    openpyxl = need_reader("openpyxl", "xlsx", source, "an Excel workbook", "XLSX")
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        for sheet in book.worksheets:
            yield ((next((c.row for c in row if getattr(c, "row", None)), None),
                    [cell_text(c.value, getattr(c, "number_format", None)) for c in row])
                   for row in sheet.iter_rows())
    finally:
        book.close()


def _xls_sheets(data: bytes, source: str) -> Iterator[Iterator[tuple[int | None, list[str]]]]:
    """The sheets of an Excel 97-2003 (.xls) workbook, each as its rows."""
    xlrd = need_reader("xlrd", "xlsx", source, "an Excel 97-2003 workbook (.xls)", "XLSX")
    book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)

    def text(cell: Any) -> str:
        if cell.ctype == xlrd.XL_CELL_NUMBER:
            fmt = book.format_map.get(book.xf_list[cell.xf_index].format_key) if cell.xf_index is not None else None
            return number_text(cell.value, fmt.format_str if fmt else None)
        if cell.ctype == xlrd.XL_CELL_DATE:
            return cell_text(xlrd.xldate_as_datetime(cell.value, book.datemode))
        if cell.ctype == xlrd.XL_CELL_BOOLEAN:
            return cell_text(bool(cell.value))
        if cell.ctype == xlrd.XL_CELL_TEXT:
            return cell_text(cell.value)
        return ""  # empty, blank, or an error value ('#DIV/0!') the sheet shows as no figure

    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            yield ((r + 1, [text(sheet.cell(r, c)) for c in range(sheet.ncols)]) for r in range(sheet.nrows))
            book.unload_sheet(index)
    finally:
        book.release_resources()


def workbook_text(data: bytes, source: str) -> bytes:
    """The workbook ``data`` (.xlsx, or .xls through xlrd) as UTF-8 text, a
    line per sheet row (``source`` names it in errors). Raises
    :class:`ParseError` for a workbook that cannot be read, or when its reader
    is not installed."""
    sheets = _xls_sheets(data, source) if data.startswith(OLE_MAGIC) else _xlsx_sheets(data, source)
    lines: list[str] = []
    try:
        for rows in sheets:
            first = len(lines)
            for number, cells in rows:
                while number is not None and len(lines) - first < number - 1:
                    lines.append("")  # rows the sheet leaves out are blank lines: a line is a sheet row
                # every row as wide as the sheet, as Excel's own text export prints it (an empty
                # cell is a column); a row of nothing is a blank line
                lines.append("\t".join(cells) if any(cells) else "")
            lines.append("")
    except ParseError:
        raise
    except Exception as exc:  # a broken zip or OLE file, a missing part, XML errors: the readers raise many kinds
        raise unreadable(source, "workbook", "XLSX", exc) from exc
    return "\n".join(lines).encode("utf-8")


__all__ = ["cell_text", "number_text", "workbook_text"]
