"""pybudget: Chinese government budget disclosures (部门预算/决算公开) as exact, typed records.

>>> import pybudget
>>> doc = pybudget.parse("朔城区医保局2025.txt")
>>> doc.table("expenditure").total_row().values["total"]
Decimal('7613500.00')
"""
from __future__ import annotations

from typing import Any

from ._core import (IndicatorRecord, MetaRecord, PartRecord, ProjectRecord, RowRecord, TableEndRecord,
                    TableRecord, TextRecord, TocRecord, WarningRecord)
from .api import Parser, parse, stream
from .errors import ParseError
from .model import (Column, Document, Indicator, ParseWarning, Project, Row, Table, TextLine, TocEntry,
                    fen_to_yuan)

__version__ = "0.1.0"


def read_corpus(*args: Any, **kwargs: Any) -> Any:
    """Parses many documents into DataFrames; see :func:`pybudget.corpus.read_corpus`."""
    from .corpus import read_corpus as _read_corpus

    return _read_corpus(*args, **kwargs)


__all__ = [
    "parse", "stream", "read_corpus", "Parser", "ParseError", "Document", "Table", "Row", "Column", "Project",
    "Indicator", "TextLine", "TocEntry", "ParseWarning", "fen_to_yuan", "MetaRecord", "PartRecord", "TocRecord",
    "TableRecord", "RowRecord", "TableEndRecord", "ProjectRecord", "IndicatorRecord", "TextRecord",
    "WarningRecord", "__version__",
]
