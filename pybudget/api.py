"""The entry points: ``parse`` one document, ``stream`` records, ``Parser`` for pushed data."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from . import _core
from ._sources import CHUNK_SIZE, Source, iter_chunks, source_name
from .errors import ParseError, from_core
from .model import Document

Record = Any  # one of the struct-sequence record types of pybudget._core


class Parser:
    """Incremental parser for data that arrives in pieces.

    >>> p = Parser(source="upload")
    >>> records = p.feed(first_chunk) + p.feed(second_chunk) + p.close()

    Any split of the bytes — inside a multi-byte character, between CR and LF,
    inside a gzip member — gives the same records. Plain, gzip, UTF-8, UTF-16
    (with BOM) and GB18030 input are told apart by their bytes.

    Limits (0 keeps the default): ``max_line`` bytes per line (1 MiB),
    ``max_cells`` per line (512), ``max_table_rows`` (200,000),
    ``max_inflate_ratio`` of gzip output to input (1000).
    """

    def __init__(self, *, source: str = "<input>", strict: bool = False, max_line: int = 0, max_cells: int = 0,
                 max_table_rows: int = 0, max_inflate_ratio: int = 0) -> None:
        self.source = source
        self._core = _core.Parser(strict=strict, max_line=max_line, max_cells=max_cells,
                                  max_table_rows=max_table_rows, max_inflate_ratio=max_inflate_ratio)

    def feed(self, data: bytes | bytearray | memoryview) -> list[Record]:
        """Parses a chunk; returns the records it completed."""
        try:
            return self._core.feed(data)
        except _core.Error as exc:
            raise from_core(exc, self.source) from exc

    def close(self) -> list[Record]:
        """Ends the input; returns the last records. Raises ``ParseError``
        when the input was not a disclosure document or ended broken."""
        try:
            return self._core.finish()
        except _core.Error as exc:
            raise from_core(exc, self.source) from exc

    def reset(self) -> None:
        """Starts over for a new document, keeping the options."""
        self._core.reset()

    @property
    def encoding(self) -> str:
        """Encoding detected from the bytes ('utf-8', 'gb18030', 'utf-16le', …)."""
        return self._core.encoding

    @property
    def gzip(self) -> bool:
        """Whether the input was gzip-compressed."""
        return self._core.gzip


def stream(src: Source, *, strict: bool = False, chunk_size: int = CHUNK_SIZE, **limits: int) -> Iterator[Record]:
    """Yields typed records as they are parsed, in source order.

    Memory stays bounded by one chunk and the table being read, whatever the
    file size. ``src`` is a path (plain or gzip text; a PDF, Excel workbook or
    Word document is converted first, see README), ``bytes``, document text (a
    ``str`` holding newlines) or a binary file object. Records are
    ``pybudget.RowRecord``, ``TableRecord`` … (see README, 'Records').
    Raises ``ParseError`` naming the source and line.
    """
    name = source_name(src)
    parser = Parser(source=name, strict=strict, **limits)
    for chunk in iter_chunks(src, chunk_size):
        yield from parser.feed(chunk)
    yield from parser.close()


def parse(src: Source, *, strict: bool = False, **limits: int) -> Document:
    """Parses one document into a :class:`Document` with every table and figure.

    Lenient by default: lines that cannot be placed become ``doc.warnings``.
    With ``strict=True`` the first warning raises ``ParseError``.
    """
    name = source_name(src)
    parser = Parser(source=name, strict=strict, **limits)
    records: list[Record] = []
    try:
        for chunk in iter_chunks(src):
            records.extend(parser.feed(chunk))
        records.extend(parser.close())
    except ParseError as exc:
        exc.records = records + exc.records
        raise
    doc = Document.from_records(records, source=name)
    doc.encoding = parser.encoding
    doc.gzip = parser.gzip
    if not doc.department:
        doc.department = next((t.department for t in doc.tables if t.department), None)
    return doc


__all__ = ["Parser", "parse", "stream", "ParseError", "Record"]
