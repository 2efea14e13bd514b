"""Word documents (.docx) as text: paragraphs and tables in the order the
document holds them, a line per paragraph (and per line break inside one) and
a tab-separated line per table row — the text a converter prints of the same
document, which the parser reads like any other. Many departments publish
their disclosure as a Word file.

A cell merged across columns keeps its text in its first column and leaves the
columns it spans empty, a cell merged down leaves the rows below it empty: as
the parser expects of merged headers. Line breaks inside a cell (a wrapped
header) are joined as in spreadsheets (see :func:`pybudget._workbook.cell_text`).
"""
from __future__ import annotations

import io
from typing import Any

from ._office import OLE_MAGIC, need_reader, unreadable
from ._workbook import cell_text
from .errors import ParseError

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _cell_text(tc: Any) -> str:
    """The text of one <w:tc>, its paragraphs joined by line breaks, on one line."""
    paragraphs = ["".join(t.text or "" for t in p.iter(f"{_W}t")) for p in tc.iter(f"{_W}p")]
    return cell_text("\n".join(paragraphs))


def _row_line(tr: Any) -> str:
    """One <w:tr> as a tab-separated line, one cell per grid column."""
    cells: list[str] = [""] * tr.grid_before
    for tc in tr.tc_lst:
        continued = tc.vMerge == "continue"  # a cell merged down: its text is in the row above
        cells.append("" if continued else _cell_text(tc))
        cells.extend([""] * (tc.grid_span - 1))
    return "\t".join(cells) if any(cells) else ""


def word_text(data: bytes, source: str) -> bytes:
    """The Word document ``data`` as UTF-8 text (``source`` names it in
    errors). Raises :class:`ParseError` for a .doc file, a document that cannot
    be read, or when python-docx is not installed."""
    if data.startswith(OLE_MAGIC):
        raise ParseError(f"{source}: a Word 97-2003 document (.doc); save it as .docx or convert it to text "
                         "(antiword, LibreOffice) to read it", source=source, code="DOCX",
                         reason="a .doc document: save it as .docx or as text")
    docx = need_reader("docx", "docx", source, "a Word document", "DOCX")
    from docx.text.paragraph import Paragraph
    try:
        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        for block in document.element.body.iterchildren():
            if block.tag == f"{_W}p":
                lines.extend(Paragraph(block, document).text.replace("\t", " ").splitlines() or [""])
            elif block.tag == f"{_W}tbl":
                lines.extend(_row_line(tr) for tr in block.tr_lst)
                lines.append("")
    except Exception as exc:  # a broken zip, a missing part, XML errors: python-docx raises many kinds
        raise unreadable(source, "document", "DOCX", exc) from exc
    return "\n".join(lines).encode("utf-8")


__all__ = ["word_text"]
