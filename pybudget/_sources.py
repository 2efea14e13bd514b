"""Turning what users pass (paths, bytes, text, file objects, PDFs, workbooks, Word files) into byte chunks."""
from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from typing import IO, Union

from ._office import is_office_file, office_text
from .errors import ParseError

Source = Union[str, os.PathLike, bytes, bytearray, memoryview, IO[bytes]]

CHUNK_SIZE = 1 << 16


def source_name(src: Source) -> str:
    """A short name for error messages and the ``source`` column."""
    if isinstance(src, (bytes, bytearray, memoryview)):
        return "<bytes>"
    if isinstance(src, str) and "\n" in src:
        return "<text>"
    if isinstance(src, (str, os.PathLike)):
        return os.fspath(src)
    return str(getattr(src, "name", "<stream>"))


def _pdf_chunks(path: str, chunk_size: int) -> Iterator[bytes]:
    exe = shutil.which("pdftotext")
    if not exe:
        raise ParseError(f"{path}: a PDF file; install poppler-utils (apt-get install poppler-utils) "
                         "so pybudget can convert it with pdftotext -layout", source=path, code="PDF",
                         reason="PDF input needs pdftotext")
    proc = subprocess.Popen([exe, "-layout", "-enc", "UTF-8", path, "-"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert proc.stdout is not None
    try:
        while chunk := proc.stdout.read(chunk_size):
            yield chunk
    finally:
        proc.stdout.close()
        err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
        if proc.stderr:
            proc.stderr.close()
        if proc.wait() != 0:
            raise ParseError(f"{path}: pdftotext failed: {err.strip()[:200]}", source=path, code="PDF",
                             reason="pdftotext failed")


def iter_chunks(src: Source, chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
    """Yields the bytes of ``src`` in chunks.

    A ``str`` holding a newline is document text (encoded as UTF-8); any other
    ``str`` or path-like is a file path. A PDF file is converted with
    ``pdftotext -layout`` when poppler-utils is installed; an Excel workbook
    or a Word document becomes the text of its rows and paragraphs
    (:mod:`pybudget._office`).
    """
    if isinstance(src, (bytes, bytearray, memoryview)):
        view = memoryview(src)
        for i in range(0, len(view), chunk_size):
            yield bytes(view[i:i + chunk_size])
        return
    if isinstance(src, str) and "\n" in src:
        yield from iter_chunks(src.encode("utf-8"), chunk_size)
        return
    if isinstance(src, (str, os.PathLike)):
        path = os.fspath(src)
        try:
            handle = open(path, "rb")
        except OSError as exc:
            raise ParseError(f"{path}: cannot open: {exc.strerror}", source=path, code="IO",
                             reason=str(exc.strerror)) from exc
        with handle:
            head = handle.read(5)
            if head.startswith(b"%PDF"):
                yield from _pdf_chunks(path, chunk_size)
                return
            if is_office_file(head, path):
                yield from iter_chunks(office_text(head + handle.read(), path), chunk_size)
                return
            if head:
                yield head
            while chunk := handle.read(chunk_size):
                yield chunk
        return
    read = getattr(src, "read", None)
    if read is None:
        raise TypeError(f"cannot read a {type(src).__name__}: pass a path, bytes, text or a binary file")
    while True:
        chunk = read(chunk_size)
        if not chunk:
            return
        if isinstance(chunk, str):
            raise TypeError("the file object is in text mode; open it with 'rb'")
        yield bytes(chunk)


__all__ = ["Source", "iter_chunks", "source_name", "CHUNK_SIZE"]
