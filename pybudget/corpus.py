"""Many documents at once: ``read_corpus`` parses files, folders, globs and
archives on every core into the frames of :mod:`pybudget.frames`.

>>> corpus = pybudget.read_corpus("disclosures/", workers=4)
>>> corpus.items.groupby("table_kind", observed=True).amount_fen.sum()
>>> corpus.errors          # one row per file that could not be read

How it works. Sources are listed first (in a fixed order, which gives each
file its ``doc_id``), then cut into tasks of a few dozen documents. A task
reads its files, hands the bytes to the C core, which fills the ``items``
columns with the GIL released (:func:`pybudget.frames.items_from_bytes`),
and, when projects, indicators, facts or findings are wanted, builds the
:class:`~pybudget.Document` objects for them. Tasks run in worker processes
when Documents are built, because building Python objects holds the GIL;
the items-only path (``frames=("documents", "items")``) runs in threads,
since nearly all of its time is spent in C with the GIL released and
threads need no pickling (``executor=`` overrides the choice). Results
come back in task order, so the frames do not depend on the number of
workers or the executor.

Memory: with ``out=DIR`` each task's frames are written to
``DIR/<frame>/part-NNNNNN.parquet`` by the worker that made them (the parent
only counts rows) and only a few tasks are in flight, so a corpus of any size
fits; the returned :class:`Corpus` reads the parts back when a frame is asked
for. Without it, worker processes hand their frames back through files of a
spool folder (:mod:`pybudget._spool`).
"""
from __future__ import annotations

import fnmatch
import glob as globmod
import hashlib
import io
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
import zlib
from collections import deque
from collections.abc import Collection, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

from . import frames as fr
from ._heap import frozen_heap
from ._office import is_office_file, office_text
from ._spool import Spooled, make_spool, remove_spool, spool_frames, unspool_frames
from .errors import ParseError

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

__all__ = ["read_corpus", "write_corpus", "iter_corpus", "list_sources", "Corpus", "CorpusStats", "Entry",
           "content_hash", "ARCHIVE_SUFFIXES", "SKIP_PATTERNS"]

PathLike = Union[str, "os.PathLike[str]"]
CorpusSource = Union[PathLike, Sequence[PathLike]]

ARCHIVE_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".zip")
#: Files skipped when walking folders and archives (truth sidecars, hidden files, the owner files
#: Office keeps beside a document open in it: '~$预算.xlsx').
SKIP_PATTERNS = ("*.json", ".*", "~$*")
#: Frames that need :class:`~pybudget.Document` objects (the slower Python path).
DOCUMENT_FRAMES = frozenset({"projects", "indicators", "facts", "findings"})
MAX_MEMBER_BYTES = 1 << 30  # an archive member larger than this is an error row, not a MemoryError


# ---- listing -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One document to read: a file, or a member of an archive."""

    doc_id: int
    source: str  # file path, or member name inside ``archive``
    archive: str | None = None
    size: int = 0
    error: str | None = None  # set when the entry is already known to be unreadable


def _is_archive(path: str) -> bool:
    low = path.lower()
    return any(low.endswith(s) for s in ARCHIVE_SUFFIXES)


#: SKIP_PATTERNS as one compiled pattern: a folder of thousands of files is listed before any is parsed.
_SKIP_MATCH = re.compile("|".join(fnmatch.translate(pat) for pat in SKIP_PATTERNS)).match


def _skipped(name: str) -> bool:
    return _SKIP_MATCH(name.rsplit("/", 1)[-1]) is not None


def _archive_members(path: str) -> tuple[list[tuple[str, int]], str | None]:
    """Regular members of an archive (name, size), and an error if it is broken."""
    members: list[tuple[str, int]] = []
    try:
        if path.lower().endswith(".zip"):
            with zipfile.ZipFile(path) as zf:
                for info in zf.infolist():
                    if not info.is_dir() and not _skipped(info.filename):
                        members.append((info.filename, info.file_size))
        else:
            with tarfile.open(path, "r:*") as tf:
                for member in tf:
                    if member.isfile() and not _skipped(member.name):
                        members.append((member.name, member.size))
    except (OSError, tarfile.TarError, zipfile.BadZipFile, EOFError, zlib.error) as exc:
        return members, f"{type(exc).__name__}: {exc}"
    return members, None


def _expand(item: PathLike, out: list[tuple[str, str | None, int, str | None]]) -> None:
    path = os.fspath(item)
    try:
        st = os.stat(path)  # one call tells a folder, a file and its size (thousands of files are listed)
    except (OSError, ValueError):
        st = None
    if st is not None and stat.S_ISDIR(st.st_mode):
        found: list[str] = []
        for root, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            found.extend(os.path.join(root, f) for f in files if not _skipped(f))
        for f in sorted(found):
            _expand_file(f, out)
    elif st is not None:
        _expand_file(path, out, st.st_size)
    elif globmod.has_magic(path):
        for f in sorted(globmod.glob(path, recursive=True)):
            if os.path.isdir(f):
                _expand(f, out)
            else:
                _expand_file(f, out)
    else:
        raise FileNotFoundError(f"{path}: no such file, folder or matching glob")


def _expand_file(path: str, out: list[tuple[str, str | None, int, str | None]], size: int | None = None) -> None:
    if _is_archive(path):
        members, error = _archive_members(path)
        out.extend((name, path, size, None) for name, size in members)
        if error:
            out.append((path, None, 0, f"ARCHIVE: cannot read the archive: {error}"))
        return
    if size is None:
        try:
            size = os.path.getsize(path)
        except OSError:
            size = 0
    out.append((path, None, size, None))


def list_sources(src: CorpusSource) -> list[Entry]:
    """The documents of ``src`` in reading order, each with its ``doc_id``.

    ``src`` is a file, a folder (walked recursively, in sorted order), a glob
    ('data/**/*.txt'), an archive (.tar, .tar.gz, .tgz, .tar.bz2, .tar.xz,
    .zip: members in archive order, named by their member name), or a list of
    these. Folders and archives skip hidden files, Office's ``~$`` owner
    files and ``*.json`` (the truth sidecars of the generated corpus). Raises
    ``FileNotFoundError`` for a path that is neither a file, a folder nor a
    glob.
    """
    items: Sequence[PathLike] = [src] if isinstance(src, (str, os.PathLike)) else list(src)
    raw: list[tuple[str, str | None, int, str | None]] = []
    for item in items:
        _expand(item, raw)
    seen: set[tuple[str, str | None]] = set()
    out: list[Entry] = []
    for source, archive, size, error in raw:
        if (source, archive) in seen:
            continue
        seen.add((source, archive))
        out.append(Entry(len(out), source, archive, size, error))
    return out


# ---- reading one task ----------------------------------------------------------------------------------------


def content_hash(data: bytes) -> str:
    """SHA-256 of a document's text bytes: gzip data is hashed after decoding, so
    a file and its .gz copy are the same document; undecodable data is hashed as is."""
    if data[:2] == b"\x1f\x8b":
        h = hashlib.sha256()
        view = data
        total = 0
        try:
            while view:
                d = zlib.decompressobj(31)
                chunk = view
                while chunk:
                    out = d.decompress(chunk, 1 << 20)
                    total += len(out)
                    if total > 1000 * len(data) + (1 << 20):
                        raise zlib.error("inflate ratio")
                    h.update(out)
                    chunk = d.unconsumed_tail
                if not d.eof:
                    raise zlib.error("truncated")
                view = d.unused_data
                if view[:2] != b"\x1f\x8b":
                    break
            return h.hexdigest()
        except zlib.error:
            pass
    return hashlib.sha256(data).hexdigest()


class _NamedBytes(io.BytesIO):
    """In-memory bytes that report a source name to :func:`pybudget.parse`."""

    def __init__(self, data: bytes, name: str) -> None:
        super().__init__(data)
        self.name = name


def _pdf_to_text(data: bytes, source: str) -> bytes:
    exe = shutil.which("pdftotext")
    if not exe:
        raise ParseError(f"{source}: a PDF file; install poppler-utils so pybudget can convert it",
                         source=source, code="PDF", reason="PDF input needs pdftotext")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
        tmp.write(data)
        tmp.flush()
        proc = subprocess.run([exe, "-layout", "-enc", "UTF-8", tmp.name, "-"], capture_output=True, check=False)
    if proc.returncode != 0:
        raise ParseError(f"{source}: pdftotext failed: {proc.stderr.decode('utf-8', 'replace').strip()[:200]}",
                         source=source, code="PDF", reason="pdftotext failed")
    return proc.stdout


@dataclass
class _Task:
    index: int
    entries: list[Entry]
    data: list[bytes | None]  # bytes of archive members (None: read the file in the worker)
    frames: frozenset[str]
    strict: bool
    limits: dict[str, int]
    spool: str | None = None  # a worker process writes the frames into a file of this folder
    parts: str | None = None  # the frames are written as Parquet parts under this folder instead


@dataclass
class _TaskResult:
    index: int
    frames: dict[str, Any]
    files: int
    bytes: int
    skipped: int
    problems: list[str] = field(default_factory=list)
    spooled: Spooled | None = None  # where the frames are, when they did not come with the result
    rows: dict[str, int] = field(default_factory=dict)  # rows of each frame written as a Parquet part


_SKIP: Collection[str] = frozenset()


def _warm_up(documents: bool = True) -> None:
    """Does the one-time work of a task here: imports (pyarrow's first ``pa.table``
    imports pandas, 0.5 s; the checks and facts modules), the region table, so
    that forked workers inherit it instead of each paying for it."""
    import pandas  # noqa: F401

    from .regions import resolve_region

    fr.items_arrow([])
    resolve_region("山西省")
    if documents:
        from . import api  # noqa: F401

        fr._extract_facts()
        fr._has_checks()


def _init_worker(skip: Collection[str], documents: bool) -> None:
    global _SKIP
    _SKIP = skip
    _warm_up(documents)


def _error_row(e: Entry, code: str, message: str, line: int = 0, offset: int = 0,
               sha256: str | None = None) -> dict[str, Any]:
    return {"doc_id": e.doc_id, "source": e.source, "archive": e.archive, "sha256": sha256, "code": code,
            "line": line, "offset": offset, "message": message}


def _run_task(task: _Task, skip: Collection[str] | None = None) -> _TaskResult:
    """Reads and parses one task's documents into frames (runs in a worker)."""
    skip = _SKIP if skip is None else skip
    errors: list[dict[str, Any]] = []
    good: list[tuple[Entry, bytes, str]] = []
    stored: dict[int, int] = {}  # doc_id -> bytes as stored (before gzip or PDF conversion)
    nbytes = skipped = 0
    for entry, member in zip(task.entries, task.data):
        if entry.error:
            code, _, message = entry.error.partition(": ")
            errors.append(_error_row(entry, code, message))
            continue
        try:
            if member is not None:
                data = member
            else:
                with open(entry.source, "rb") as f:  # not Path.read_bytes: its path parsing costs more than the read
                    data = f.read()
        except OSError as exc:
            errors.append(_error_row(entry, "IO", f"cannot read: {exc.strerror or exc}"))
            continue
        nbytes += len(data)
        stored[entry.doc_id] = len(data)
        sha = content_hash(data)
        if sha in skip:
            skipped += 1
            continue
        if data[:4] == b"%PDF" or is_office_file(data[:4], entry.source):
            try:
                data = (_pdf_to_text if data[:4] == b"%PDF" else office_text)(data, entry.source)
            except ParseError as exc:
                errors.append(_error_row(entry, exc.code, exc.reason, sha256=sha))
                continue
        good.append((entry, data, sha))
    items, summaries = fr.items_arrow([g[1] for g in good], [g[0].doc_id for g in good],
                                      [g[0].source for g in good], strict=task.strict, **task.limits)
    doc_rows = []
    ok: list[tuple[Entry, bytes, str]] = []
    for (entry, data, sha), s in zip(good, summaries):
        if not s["ok"]:
            errors.append(_error_row(entry, s["error"], s["message"] or "", s["line"], s["offset"], sha))
            continue
        ok.append((entry, data, sha))
        doc_rows.append(fr.document_row(
            entry.doc_id, entry.source, title=s["title"], department=s["department"], year=s["year"],
            kind=s["kind"], template=fr.template_of(s["table_kinds"]), encoding=s["encoding"], gzip=s["gzip"],
            tables=s["tables"], items=s["items"], projects=s["projects"], indicators=s["indicators"],
            warnings=s["warnings"], archive=entry.archive, sha256=sha, size=stored[entry.doc_id]))
    out: dict[str, Any] = {}
    problems: list[str] = []
    wanted = task.frames
    if wanted & DOCUMENT_FRAMES and ok:
        import warnings

        from .api import parse

        docs, ids, dropped = [], [], set()
        for entry, data, sha in ok:
            try:
                docs.append(parse(_NamedBytes(data, entry.source), strict=task.strict, **task.limits))
                ids.append(entry.doc_id)
            except (ParseError, ValueError) as exc:  # the C path read it; keep both paths consistent
                errors.append(_error_row(entry, getattr(exc, "code", "ERROR"), str(exc), sha256=sha))
                dropped.add(entry.doc_id)
        if dropped:
            import pyarrow as pa
            import pyarrow.compute as pc

            doc_rows = [r for r in doc_rows if r["doc_id"] not in dropped]
            keep = pc.invert(pc.is_in(items.column("doc_id"), value_set=pa.array(sorted(dropped), pa.int64())))
            items = fr.reencode(items.filter(keep))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            built = fr.tables_from_documents(docs, ids, [f for f in fr.FRAMES if f in wanted & DOCUMENT_FRAMES])
        problems.extend(str(w.message) for w in caught)
        out.update(built)
    for name in wanted & DOCUMENT_FRAMES:
        out.setdefault(name, fr.empty_table(name))
    if "documents" in wanted:
        out["documents"] = fr.rows_table("documents", doc_rows)
    if "items" in wanted:
        out["items"] = items
    if "errors" in wanted:
        errors.sort(key=lambda r: r["doc_id"])
        out["errors"] = fr.rows_table("errors", errors)
    return _deliver(task, _TaskResult(task.index, out, len(task.entries), nbytes, skipped, problems))


def _deliver(task: _Task, result: _TaskResult) -> _TaskResult:
    """Where a task's frames go: Parquet parts written here, where the task has a folder for
    them (so workers encode them in parallel and the parent only counts rows); else a file of the
    spool, in a worker process (see :mod:`pybudget._spool`); else the result itself."""
    if task.parts is not None:
        root = Path(task.parts)
        for name, table in result.frames.items():
            _write_part(root, name, task.index, table)
            result.rows[name] = table.num_rows
        result.frames = {}
    elif task.spool is not None:
        result.spooled = spool_frames(task.spool, task.index, result.frames)
        if result.spooled is not None:
            result.frames = {}
    return result


# ---- scheduling --------------------------------------------------------------------------------------------


def _read_members(entries: list[Entry]) -> Iterator[tuple[Entry, bytes | None]]:
    """Yields each entry with its bytes when it is an archive member (read here,
    sequentially, without extracting), or None for plain files."""
    i = 0
    while i < len(entries):
        e = entries[i]
        if e.archive is None or e.error:
            yield e, None
            i += 1
            continue
        # every consecutive member of this archive, in one pass
        j = i
        while j < len(entries) and entries[j].archive == e.archive and not entries[j].error:
            j += 1
        yield from _archive_group(e.archive, entries[i:j])
        i = j


def _archive_group(archive: str, group: list[Entry]) -> Iterator[tuple[Entry, bytes | None]]:
    wanted = {e.source: e for e in group}
    done: set[str] = set()
    try:
        if archive.lower().endswith(".zip"):
            with zipfile.ZipFile(archive) as zf:
                for e in group:
                    if e.size > MAX_MEMBER_BYTES:
                        yield Entry(e.doc_id, e.source, e.archive, e.size, "TOO_LARGE: member larger than 1 GiB"), None
                    else:
                        yield e, zf.read(e.source)
                    done.add(e.source)
            return
        with tarfile.open(archive, "r:*") as tf:
            for info in tf:
                hit = wanted.get(info.name)
                if hit is None or info.name in done:
                    continue
                if info.size > MAX_MEMBER_BYTES:
                    yield Entry(hit.doc_id, hit.source, hit.archive, hit.size,
                                "TOO_LARGE: member larger than 1 GiB"), None
                else:
                    f = tf.extractfile(info)
                    yield hit, f.read() if f else b""
                done.add(info.name)
                if len(done) == len(wanted):
                    return
    except (OSError, tarfile.TarError, zipfile.BadZipFile, EOFError, zlib.error, KeyError) as exc:
        for e in group:
            if e.source not in done:
                yield Entry(e.doc_id, e.source, e.archive, e.size,
                            f"ARCHIVE: cannot read the member: {type(exc).__name__}: {exc}"), None
                done.add(e.source)
        return
    for e in group:
        if e.source not in done:
            yield Entry(e.doc_id, e.source, e.archive, e.size, "ARCHIVE: member not found on reading"), None


def _tasks(entries: list[Entry], chunk: int, frames: frozenset[str], strict: bool,
           limits: dict[str, int], workers: int = 1, spool: str | None = None,
           parts: str | None = None) -> Iterator[_Task]:
    batch: list[Entry] = []
    data: list[bytes | None] = []
    index = 0
    pending = 0
    left = len(entries)
    size = _task_size(left, chunk, workers)
    for entry, member in _read_members(entries):
        batch.append(entry)
        data.append(member)
        pending += len(member) if member else 0
        if len(batch) >= size or pending > (64 << 20):
            yield _Task(index, batch, data, frames, strict, limits, spool, parts)
            index += 1
            left -= len(batch)
            size = _task_size(left, chunk, workers)
            batch, data, pending = [], [], 0
    if batch:
        yield _Task(index, batch, data, frames, strict, limits, spool, parts)


def _default_chunk(n: int, workers: int) -> int:
    # Small enough to balance the load and bound memory, large enough to amortise per-task costs.
    return max(4, min(64, -(-n // max(1, workers * 6))))


#: The fewest documents a task holds while documents remain (a task costs a few milliseconds).
_MIN_TASK = 4


def _task_size(left: int, chunk: int, workers: int) -> int:
    """Documents in the next task when ``left`` remain: ``chunk``, shrinking towards the end of
    a run on several workers to a share of what is left, so the workers finish together
    instead of one waiting out the other's last full task (guided scheduling)."""
    if workers <= 1:
        return chunk
    return max(min(chunk, _MIN_TASK), min(chunk, -(-left // (2 * workers))))


def _make_executor(kind: str, workers: int, skip: Collection[str], documents: bool) -> Executor | None:
    if kind == "serial" or workers <= 1:
        return None
    if kind == "thread":
        return ThreadPoolExecutor(max_workers=workers, thread_name_prefix="pybudget")
    import multiprocessing as mp

    ctx = mp.get_context()  # the platform's default, as ProcessPoolExecutor itself would use
    if ctx.get_start_method() == "forkserver":
        ctx.set_forkserver_preload(["pybudget.corpus"])
    frozen = skip if isinstance(skip, frozenset) else frozenset(skip)
    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker,  # type: ignore[arg-type]
                               initargs=(frozen, documents))


def _ordered(executor: Executor | None, tasks: Iterable[_Task], window: int, skip: Collection[str],
             kind: str) -> Iterator[_TaskResult]:
    if executor is None:
        for task in tasks:
            yield _run_task(task, skip)
        return
    pending: deque[Future[_TaskResult]] = deque()
    try:
        for task in tasks:
            if kind == "thread":
                pending.append(executor.submit(_run_task, task, skip))
            else:
                pending.append(executor.submit(_run_task, task))
            while len(pending) >= window:
                yield _received(pending.popleft().result())
        while pending:
            yield _received(pending.popleft().result())
    finally:
        for f in pending:
            f.cancel()


def _received(result: _TaskResult) -> _TaskResult:
    if result.spooled is not None:
        result.frames, result.spooled = unspool_frames(result.spooled), None
    return result


# ---- progress --------------------------------------------------------------------------------------------------


class _Progress:
    """Files, MB/s and ETA on stderr: tqdm when installed, else one redrawn line.
    Appears only after ``delay`` seconds, so short runs stay quiet."""

    def __init__(self, total_files: int, total_bytes: int, enabled: bool, delay: float = 1.0) -> None:
        self.total_files, self.total_bytes = total_files, total_bytes
        self.files = self.bytes = 0
        self.start = time.perf_counter()
        self.enabled = enabled
        self.delay = delay
        self.last = 0.0
        self.bar: Any = None
        self.drawn = False
        if enabled:
            try:
                from tqdm import tqdm  # type: ignore[import-untyped]

                self.bar = tqdm(total=total_files, unit="file", delay=delay, file=sys.stderr, desc="pybudget",
                                dynamic_ncols=True)
            except ImportError:
                self.bar = None

    def update(self, files: int, nbytes: int) -> None:
        self.files += files
        self.bytes += nbytes
        if not self.enabled:
            return
        elapsed = time.perf_counter() - self.start
        rate = self.bytes / 1e6 / elapsed if elapsed > 0 else 0.0
        if self.bar is not None:
            self.bar.update(files)
            self.bar.set_postfix_str(f"{rate:.1f} MB/s", refresh=False)
            return
        now = time.perf_counter()
        if elapsed < self.delay or (now - self.last < 0.2 and self.files < self.total_files) or \
                not sys.stderr.isatty():
            return
        self.last = now
        left = (self.total_bytes - self.bytes) / (self.bytes / elapsed) if self.bytes else 0.0
        eta = time.strftime("%H:%M:%S", time.gmtime(max(0.0, left)))
        sys.stderr.write(f"\rpybudget: {self.files}/{self.total_files} files  {self.bytes / 1e6:.1f} MB  "
                         f"{rate:.1f} MB/s  ETA {eta} ")
        sys.stderr.flush()
        self.drawn = True

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
        elif self.drawn:
            sys.stderr.write("\n")
            sys.stderr.flush()


# ---- the corpus --------------------------------------------------------------------------------------------------


@dataclass
class CorpusStats:
    """What a read did: files listed, bytes read, documents skipped as already
    loaded, wall time, and how it ran."""

    files: int = 0
    bytes: int = 0
    skipped: int = 0
    seconds: float = 0.0
    workers: int = 1
    executor: str = "serial"

    @property
    def mb_per_s(self) -> float:
        """Input megabytes (10^6) per second of wall time."""
        return self.bytes / 1e6 / self.seconds if self.seconds else 0.0


class Corpus:
    """The frames of a corpus (columns in :mod:`pybudget.frames`).

    Frames are held as Arrow tables and converted to pandas on first access,
    or — for a corpus written with ``out=DIR`` — read from
    ``DIR/<frame>/part-*.parquet`` when first asked for.
    """

    def __init__(self, tables: dict[str, pa.Table] | None = None, path: Path | None = None,
                 stats: CorpusStats | None = None) -> None:
        self._tables: dict[str, pa.Table] = dict(tables or {})
        self._frames: dict[str, pd.DataFrame] = {}
        self.path = path
        self.stats = stats or CorpusStats()

    def table(self, name: str) -> pa.Table:
        """A frame as an Arrow table (zero-copy for Polars, DuckDB …)."""
        if name not in fr.FRAMES:
            raise KeyError(f"no frame {name!r}; frames are {', '.join(fr.FRAMES)}")
        if name not in self._tables:
            self._tables[name] = read_table(self.path, name) if self.path else fr.empty_table(name)
        return self._tables[name]

    def frame(self, name: str) -> pd.DataFrame:
        """A frame by name ('documents', 'items', … 'errors') as a DataFrame."""
        if name not in self._frames:
            self._frames[name] = fr.to_pandas(self.table(name))
        return self._frames[name]

    documents = property(lambda self: self.frame("documents"), doc="One row per document read.")
    items = property(lambda self: self.frame("items"), doc="Tidy amount cells of every table.")
    projects = property(lambda self: self.frame("projects"), doc="Performance-target projects.")
    indicators = property(lambda self: self.frame("indicators"), doc="Performance indicators.")
    facts = property(lambda self: self.frame("facts"), doc="Figures stated in prose and tables.")
    findings = property(lambda self: self.frame("findings"), doc="Audit findings.")
    errors = property(lambda self: self.frame("errors"), doc="One row per file that could not be read.")

    def frames(self) -> dict[str, pd.DataFrame]:
        """Every frame by name."""
        return {name: self.frame(name) for name in fr.FRAMES}

    def _repr_html_(self) -> str:
        from .display import corpus_html

        return corpus_html(self)

    @property
    def plot(self) -> Any:
        """Charts of the corpus: ``corpus.plot.compare(...)``, ``corpus.plot.findings()``
        (:class:`pybudget.plot.CorpusPlots`; needs matplotlib)."""
        from .plot import CorpusPlots

        return CorpusPlots(self)

    def to_parquet(self, out: PathLike) -> Path:
        """Writes every frame to ``out/<frame>/part-000000.parquet``."""
        root = Path(out)
        _prepare_out(root)
        for name in fr.FRAMES:
            _write_part(root, name, 0, self.table(name), force=True)
        return root

    def __repr__(self) -> str:
        held = ", ".join(f"{k}={v.num_rows}" for k, v in self._tables.items())
        where = f" at {self.path}" if self.path else ""
        return (f"<Corpus{where}: {held or 'frames on disk'}; {self.stats.files} files in "
                f"{self.stats.seconds:.1f}s>")


def _prepare_out(root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    for name in fr.FRAMES:
        d = root / name
        if d.is_dir():
            for part in d.glob("part-*.parquet"):
                part.unlink()
        d.mkdir(exist_ok=True)


def _write_part(root: Path, name: str, index: int, table: pa.Table, force: bool = False) -> None:
    if not table.num_rows and not force:
        return
    import pyarrow.parquet as pq

    target = root / name / f"part-{index:06d}.parquet"
    tmp = target.with_suffix(".tmp")
    pq.write_table(table, tmp)
    os.replace(tmp, target)


def read_table(root: PathLike, name: str) -> pa.Table:
    """A frame written by ``read_corpus(out=...)`` or ``Corpus.to_parquet``, as Arrow."""
    import pyarrow.parquet as pq

    parts = sorted((Path(root) / name).glob("part-*.parquet"))
    return fr.concat_tables([pq.read_table(p) for p in parts], name)


def read_frame(root: PathLike, name: str) -> pd.DataFrame:
    """A frame written by ``read_corpus(out=...)`` or ``Corpus.to_parquet``."""
    return fr.to_pandas(read_table(root, name))


def iter_corpus(src: CorpusSource, *, workers: int | None = None, executor: str = "auto",
                frames: Iterable[str] | None = None, strict: bool = False, chunk_size: int | None = None,
                progress: bool = True, skip: Collection[str] = frozenset(), stats: CorpusStats | None = None,
                **limits: int) -> Iterator[dict[str, pa.Table]]:
    """Yields the frames of ``src`` (as Arrow tables) one task — a few dozen documents — at a time,
    in order; the building block of :func:`read_corpus` and ``pybudget load``.
    Documents whose :func:`content_hash` is in ``skip`` are not parsed (for
    resuming a load). Arguments as in :func:`read_corpus`."""
    wanted = frozenset(fr.FRAMES if frames is None else frames)
    for result in _task_results(src, workers=workers, executor=executor, wanted=wanted, strict=strict,
                                chunk_size=chunk_size, progress=progress, skip=skip, stats=stats, **limits):
        yield {k: v for k, v in result.frames.items() if k in wanted}


def _task_results(src: CorpusSource, *, workers: int | None, executor: str, wanted: frozenset[str], strict: bool,
                  chunk_size: int | None, progress: bool, skip: Collection[str], stats: CorpusStats | None,
                  parts: str | None = None, **limits: int) -> Iterator[_TaskResult]:
    """The results of ``src``'s tasks in order (see :func:`iter_corpus`), with the ``wanted`` frames;
    with ``parts``, each task writes its frames as Parquet parts under that folder and its result
    carries row counts."""
    unknown = wanted - set(fr.FRAMES)
    if unknown:
        raise ValueError(f"unknown frame(s) {sorted(unknown)}; choose from {', '.join(fr.FRAMES)}")
    entries = list_sources(src)
    n_workers = (os.cpu_count() or 1) if workers is None else max(1, int(workers))
    if executor not in ("auto", "process", "thread", "serial"):
        raise ValueError(f"executor must be 'auto', 'process', 'thread' or 'serial', not {executor!r}")
    chunk = chunk_size or _default_chunk(len(entries), n_workers)
    kind = executor
    if kind == "auto":
        # Measured (benchmarks/bench_corpus.py): building Documents holds the GIL, so threads
        # do not scale there and processes do; the items path spends its time in C with the
        # GIL released, where threads scale with no pickling. One task: no pool at all.
        kind = "process" if wanted & DOCUMENT_FRAMES else "thread"
        if len(entries) <= chunk:
            kind = "serial"
    if n_workers <= 1:
        kind = "serial"
    st = stats if stats is not None else CorpusStats()
    st.workers, st.executor = n_workers, kind
    bar = _Progress(len(entries), sum(e.size for e in entries), progress)
    started = time.perf_counter()
    documents = bool(wanted & DOCUMENT_FRAMES)
    _warm_up(documents)
    if parts is not None:
        import pyarrow.parquet  # noqa: F401  (imported once here, not by every forked worker)
    # Worker processes hand their frames back through files of a spool folder (see pybudget._spool).
    spool = make_spool() if kind == "process" else None
    pool: Executor | None = None
    with frozen_heap():  # entered before the workers fork: they inherit the frozen heap
        try:
            pool = _make_executor(kind, n_workers, skip, documents)
            tasks = _tasks(entries, chunk, wanted | {"errors"}, strict, dict(limits),
                           1 if kind == "serial" else n_workers, spool, parts)
            for result in _ordered(pool, tasks, max(2, 2 * n_workers), skip, kind):
                st.files += result.files
                st.bytes += result.bytes
                st.skipped += result.skipped
                st.seconds = time.perf_counter() - started
                for message in result.problems[:3]:
                    import warnings

                    warnings.warn(message, RuntimeWarning, stacklevel=2)
                bar.update(result.files, result.bytes)
                yield result
        finally:
            bar.close()
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)
            if spool is not None:
                remove_spool(spool)
            st.seconds = time.perf_counter() - started


def read_corpus(src: CorpusSource, workers: int | None = None, progress: bool = True, *,
                executor: str = "auto", frames: Iterable[str] | None = None, strict: bool = False,
                out: PathLike | None = None, chunk_size: int | None = None, **limits: int) -> Corpus:
    """Parses every document of ``src`` into a :class:`Corpus` of DataFrames.

    ``src``: a file, a folder (recursive), a glob, an archive (.tar, .tar.gz,
    .zip … read member by member without extracting; the member name is the
    ``source``), or a list of these. ``workers``: processes (default: every
    core; 1 = in this process). ``executor``: 'auto' (processes when
    Documents are built, threads for the items path, which runs in C without
    the GIL), 'process', 'thread' or 'serial'. ``frames``: the frames to build (default all; 'documents',
    'items' alone skip the Python Document objects and run several times
    faster; ``errors`` is always built). ``out``: a folder to write Parquet parts into as
    they are made, keeping memory bounded; the Corpus then reads them back
    lazily. ``progress``: a progress bar on stderr for runs longer than a
    second. ``strict`` and ``limits`` as in :func:`pybudget.parse`.

    A file that cannot be read or parsed becomes one row of ``errors``
    (source, code, line, message) and every other file is still read. The
    frames do not depend on ``workers`` or ``executor``.
    """
    stats = CorpusStats()
    wanted = tuple(fr.FRAMES if frames is None else dict.fromkeys([*frames, "errors"]))
    options: dict[str, Any] = dict(workers=workers, executor=executor, strict=strict, chunk_size=chunk_size,
                                   progress=progress, stats=stats, **limits)
    if out is not None:
        root = Path(out)
        _prepare_out(root)
        written: dict[str, int] = {name: 0 for name in fr.FRAMES}
        # the tasks write their own parts: the workers encode Parquet in parallel
        for result in _task_results(src, wanted=frozenset(wanted), skip=frozenset(), parts=str(root), **options):
            for name, rows in result.rows.items():
                written[name] += rows
        for name in fr.FRAMES:
            if not any((root / name).glob("part-*.parquet")):
                _write_part(root, name, 0, fr.empty_table(name), force=True)
        (root / "corpus.json").write_text(json.dumps({
            "files": stats.files, "bytes": stats.bytes, "seconds": round(stats.seconds, 3),
            "workers": stats.workers, "executor": stats.executor, "rows": written}, indent=1), encoding="utf-8")
        return Corpus(path=root, stats=stats)
    collected: dict[str, list[pa.Table]] = {name: [] for name in wanted}
    for batch in iter_corpus(src, frames=wanted, **options):
        for name, table in batch.items():
            collected[name].append(table)
    return Corpus({name: fr.concat_tables(parts, name) for name, parts in collected.items()}, stats=stats)


def write_corpus(src: CorpusSource, out: PathLike, workers: int | None = None, progress: bool = True,
                 **kwargs: Any) -> Corpus:
    """``read_corpus(src, out=out)``: Parquet parts written as they are made."""
    return read_corpus(src, workers, progress, out=out, **kwargs)


