"""Exceptions raised by pybudget."""
from __future__ import annotations

from typing import Any


class ParseError(ValueError):
    """A document could not be parsed.

    The message names the source, the line and what was wrong. Attributes:

    * ``source`` – file name or ``"<bytes>"``
    * ``line`` – 1-based line where the problem was found (0 if unknown)
    * ``offset`` – bytes of input consumed when it was found
    * ``code`` – stable error id from the C core, e.g. ``"PDF"``, ``"GZIP_TRUNCATED"``
    * ``reason`` – the error's one-line description
    * ``records`` – records parsed before the error (nothing parseable is lost)
    """

    def __init__(self, message: str, *, source: str = "<input>", line: int = 0, offset: int = 0,
                 code: str = "ERROR", reason: str = "", records: list[Any] | None = None) -> None:
        super().__init__(message)
        self.source = source
        self.line = line
        self.offset = offset
        self.code = code
        self.reason = reason or message
        self.records = records or []


def from_core(exc: Any, source: str, records: list[Any] | None = None) -> ParseError:
    """Wraps a ``pybudget._core.Error`` with the name of its source."""
    kept = list(records or []) + list(getattr(exc, "records", []) or [])
    return ParseError(f"{source}: {exc}", source=source, line=int(getattr(exc, "lineno", 0) or 0),
                      offset=int(getattr(exc, "offset", 0) or 0), code=str(getattr(exc, "code", "ERROR")),
                      reason=str(getattr(exc, "reason", exc)), records=kept)
