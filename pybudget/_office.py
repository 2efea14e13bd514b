"""Files that are not text but hold the same tables: Excel workbooks and Word
documents, turned into the text the parser reads (PDFs go through pdftotext,
see :mod:`pybudget._sources`)."""
from __future__ import annotations

from ._docx import is_word_document, word_text
from ._workbook import is_workbook, workbook_text


def is_office_file(head: bytes, name: str) -> bool:
    """Whether a file (its first bytes and its name) is a workbook or a Word document."""
    return is_workbook(head, name) or is_word_document(head, name)


def office_text(data: bytes, source: str) -> bytes:
    """The text of the workbook or Word document ``data`` (see
    :func:`is_office_file`); raises :class:`pybudget.ParseError` when it cannot
    be read."""
    return workbook_text(data, source) if is_workbook(data[:8], source) else word_text(data, source)


__all__ = ["is_office_file", "office_text"]
