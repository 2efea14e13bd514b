"""Files that are not text but hold the same tables: Excel workbooks and Word
documents, turned into the text the parser reads (PDFs go through pdftotext,
see :mod:`pybudget._sources`). This module tells them apart and imports their
optional readers; :mod:`pybudget._workbook` and :mod:`pybudget._docx` convert."""
from __future__ import annotations

from typing import Any

from .errors import ParseError

ZIP_MAGIC = b"PK\x03\x04"  # .xlsx, .docx: Office Open XML
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # .xls, .doc: the 97-2003 formats (OLE compound files)
#: Per kind, the suffixes of its zip and its OLE formats.
_SUFFIXES = {"XLSX": ((".xlsx", ".xlsm"), (".xls",)), "DOCX": ((".docx",), (".doc",))}


def office_kind(head: bytes, name: str) -> str | None:
    """'XLSX' for an Excel workbook, 'DOCX' for a Word document (new or old
    format, from the file's first bytes and its name), else None."""
    low = name.lower()
    for kind, (zipped, ole) in _SUFFIXES.items():
        if head.startswith(ZIP_MAGIC) and low.endswith(zipped) or head.startswith(OLE_MAGIC) and low.endswith(ole):
            return kind
    return None


def is_office_file(head: bytes, name: str) -> bool:
    """Whether a file (its first bytes and its name) is a workbook or a Word document."""
    return office_kind(head, name) is not None


def need_reader(module: str, extra: str, source: str, what: str, code: str) -> Any:
    """Imports the optional reader ``module``, or raises a :class:`ParseError`
    (with ``code``) that says how to install it."""
    try:
        return __import__(module)
    except ImportError as exc:
        raise ParseError(f"{source}: {what}; install {module} (pip install 'pybudget[{extra}]') so pybudget "
                         "can read it", source=source, code=code, reason=f"{what} needs {module}") from exc


def unreadable(source: str, what: str, code: str, exc: Exception) -> ParseError:
    """The error for a ``what`` ('workbook', 'document') its reader could not read."""
    return ParseError(f"{source}: cannot read the {what}: {type(exc).__name__}: {exc}", source=source, code=code,
                      reason=f"cannot read the {what}: {type(exc).__name__}")


def office_text(data: bytes, source: str) -> bytes:
    """The text of the workbook or Word document ``data`` (see
    :func:`is_office_file`); raises :class:`pybudget.ParseError` when it cannot
    be read."""
    # the converters import this module: they are imported when first needed
    if office_kind(data[:8], source) == "XLSX":
        from ._workbook import workbook_text

        return workbook_text(data, source)
    from ._docx import word_text

    return word_text(data, source)


__all__ = ["OLE_MAGIC", "ZIP_MAGIC", "is_office_file", "need_reader", "office_kind", "office_text", "unreadable"]
