"""Loading corpora into an embedded database (SQLite, or DuckDB when installed).

>>> from pybudget.db import load
>>> report = load("disclosures/", "budgets.sqlite")
>>> report.added, report.already_loaded

One table per frame (documents, items, projects, indicators, facts,
findings, errors; columns as in :mod:`pybudget.frames`). ``documents.doc_id``
is the database's own id and every other table refers to it.

Loading is idempotent on the document content hash (``documents.sha256``,
see :func:`pybudget.corpus.content_hash`): a document already in the
database is not parsed again and nothing is added for it. Each batch of
documents is committed in one transaction, with all of its rows, so a run
that is killed leaves only whole documents behind, and running it again
completes the load.
"""
from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import frames as fr
from .corpus import CorpusSource, CorpusStats, iter_corpus

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["Database", "LoadReport", "load", "open_database", "engine_for", "SCHEMA_VERSION", "EngineMissing"]

SCHEMA_VERSION = 1
DUCKDB_SUFFIXES = (".duckdb", ".ddb")

_SQL_TYPES = {
    "sqlite": {"i64": "INTEGER", "i32": "INTEGER", "I64": "INTEGER", "I32": "INTEGER", "f64": "REAL",
               "bool": "INTEGER", "cat": "TEXT", "str": "TEXT"},
    "duckdb": {"i64": "BIGINT", "i32": "INTEGER", "I64": "BIGINT", "I32": "INTEGER", "f64": "DOUBLE",
               "bool": "BOOLEAN", "cat": "VARCHAR", "str": "VARCHAR"},
}


class EngineMissing(RuntimeError):
    """The requested database engine is not installed."""


def engine_for(path: str | os.PathLike[str], engine: str | None = None) -> str:
    """'sqlite' or 'duckdb': as asked, else DuckDB for a .duckdb/.ddb path, else SQLite."""
    if engine in (None, "auto"):
        return "duckdb" if os.fspath(path).lower().endswith(DUCKDB_SUFFIXES) else "sqlite"
    if engine not in ("sqlite", "duckdb"):
        raise ValueError(f"unknown engine {engine!r}: use 'sqlite' or 'duckdb'")
    return engine


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass
class LoadReport:
    """What a load did."""

    added: int = 0  # documents added
    already_loaded: int = 0  # skipped: their hash was in the database before this run
    duplicates: int = 0  # skipped: the same content appeared earlier in this run
    errors: int = 0  # new rows of the errors table
    unreadable: int = 0  # files of this run that could not be read (recorded now or before)
    rows: dict[str, int] = field(default_factory=dict)  # rows added per table
    stats: CorpusStats = field(default_factory=CorpusStats)

    @property
    def seconds(self) -> float:
        """Wall time of the load."""
        return self.stats.seconds


class Database:
    """A pybudget database: SQLite (``sqlite3``) or DuckDB, with the frame tables."""

    def __init__(self, path: str | os.PathLike[str], engine: str | None = None) -> None:
        self.path = os.fspath(path)
        self.engine = engine_for(self.path, engine)
        if self.engine == "duckdb":
            try:
                import duckdb
            except ImportError as exc:
                raise EngineMissing("DuckDB is not installed: pip install duckdb (or use SQLite)") from exc
            self.con: Any = duckdb.connect(self.path)
        else:
            self.con = sqlite3.connect(self.path, isolation_level=None)  # transactions are explicit
            self.con.execute("PRAGMA journal_mode=WAL")
            self.con.execute("PRAGMA synchronous=NORMAL")
            self.con.execute("PRAGMA foreign_keys=ON")
        self._columns: dict[str, list[str]] = {}
        self._create()

    # -- schema --------------------------------------------------------------------------------

    def _create(self) -> None:
        types = _SQL_TYPES[self.engine]
        with self.transaction():
            self.execute("CREATE TABLE IF NOT EXISTS pybudget_meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
            row = self.execute("SELECT value FROM pybudget_meta WHERE key = 'schema'").fetchone()
            if row is None:
                self.execute("INSERT INTO pybudget_meta VALUES ('schema', ?)", [str(SCHEMA_VERSION)])
            elif int(row[0]) != SCHEMA_VERSION:
                raise RuntimeError(f"{self.path}: database schema {row[0]}, this pybudget writes "
                                   f"{SCHEMA_VERSION}; load into a new database")
            for name in fr.FRAMES:
                spec = fr._SPECS[name]
                cols = []
                for col, kind in spec.items():
                    decl = f"{_q(col)} {types[kind]}"
                    if name == "documents" and col == "doc_id":
                        decl += " PRIMARY KEY"
                    elif name == "documents" and col == "sha256":
                        decl += " NOT NULL UNIQUE"
                    cols.append(decl)
                self.execute(f"CREATE TABLE IF NOT EXISTS {_q(name)} ({', '.join(cols)})")
                if name != "documents":
                    self.execute(f"CREATE INDEX IF NOT EXISTS {_q(name + '_doc')} ON {_q(name)} (doc_id)")
        self._columns = {name: self._table_columns(name) for name in fr.FRAMES}

    def _table_columns(self, name: str) -> list[str]:
        if self.engine == "duckdb":
            rows = self.execute("SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                                "ORDER BY ordinal_position", [name]).fetchall()
            return [r[0] for r in rows]
        return [r[1] for r in self.execute(f"PRAGMA table_info({_q(name)})").fetchall()]

    def _add_columns(self, name: str, table: pa.Table) -> None:
        """Adds columns a batch brings (new fields of facts/findings)."""
        types = _SQL_TYPES[self.engine]
        spec = fr._spec_of(table)
        for col in table.column_names:
            if col not in self._columns[name]:
                self.execute(f"ALTER TABLE {_q(name)} ADD COLUMN {_q(col)} {types[spec.get(col, 'str')]}")
                self._columns[name].append(col)

    # -- plumbing -------------------------------------------------------------------------------

    def execute(self, sql: str, params: Iterable[Any] = ()) -> Any:
        """Runs one statement (``?`` placeholders on both engines)."""
        return self.con.execute(sql, list(params))

    def query(self, sql: str, params: Iterable[Any] = ()) -> tuple[list[str], list[tuple[Any, ...]]]:
        """Column names and rows of a query."""
        cur = self.execute(sql, params)
        names = [d[0] for d in cur.description]
        return names, [tuple(r) for r in cur.fetchall()]

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """BEGIN … COMMIT, or ROLLBACK on any exception."""
        self.execute("BEGIN")
        try:
            yield
        except BaseException:
            self.execute("ROLLBACK")
            raise
        self.execute("COMMIT")

    def close(self) -> None:
        """Closes the connection."""
        self.con.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def columns(self, name: str) -> list[str]:
        """Column names of a table."""
        return list(self._columns.get(name) or self._table_columns(name))

    def count(self, name: str) -> int:
        """Rows of a table."""
        return int(self.execute(f"SELECT COUNT(*) FROM {_q(name)}").fetchone()[0])

    def hashes(self) -> set[str]:
        """Content hashes of the documents already loaded."""
        return {r[0] for r in self.execute("SELECT sha256 FROM documents").fetchall()}

    def error_keys(self) -> set[tuple[str, str, str]]:
        """(source, archive, sha256) of the errors already recorded."""
        rows = self.execute("SELECT source, archive, sha256 FROM errors").fetchall()
        return {(r[0], r[1] or "", r[2] or "") for r in rows}

    def next_doc_id(self) -> int:
        """The id the next document gets."""
        return int(self.execute("SELECT COALESCE(MAX(doc_id), -1) + 1 FROM documents").fetchone()[0])

    # -- inserting -----------------------------------------------------------------------------------

    def insert(self, name: str, table: pa.Table) -> int:
        """Appends an Arrow table of frame ``name`` (inside the caller's transaction)."""
        import pyarrow as pa

        if not table.num_rows:
            return 0
        self._add_columns(name, table)
        cols = []
        for f, col in zip(table.schema, table.columns):
            if pa.types.is_dictionary(f.type):
                col = col.cast(pa.string())
            cols.append(col)
        plain = pa.Table.from_arrays(cols, names=table.column_names)
        names = ", ".join(_q(c) for c in plain.column_names)
        if self.engine == "duckdb":
            self.con.register("_pybudget_batch", plain)
            try:
                self.execute(f"INSERT INTO {_q(name)} ({names}) SELECT {names} FROM _pybudget_batch")
            finally:
                self.con.unregister("_pybudget_batch")
        else:
            marks = ", ".join("?" * plain.num_columns)
            rows = zip(*(c.to_pylist() for c in plain.columns))
            self.con.executemany(f"INSERT INTO {_q(name)} ({names}) VALUES ({marks})", rows)
        return plain.num_rows


def open_database(path: str | os.PathLike[str], engine: str | None = None) -> Database:
    """Opens (creating if needed) a pybudget database."""
    return Database(path, engine)


def _remap(table: pa.Table, old: list[int], new: list[int]) -> pa.Table:
    """Keeps the rows of documents in ``old`` and renumbers their doc_id to ``new``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not old:
        return table.slice(0, 0)
    olds = pa.array(old, pa.int64())
    pos = pc.index_in(table.column("doc_id"), value_set=olds)
    keep = pc.is_valid(pos)
    table = table.filter(keep)
    ids = pc.take(pa.array(new, pa.int64()), pos.filter(keep))
    return table.set_column(table.column_names.index("doc_id"), table.schema.field("doc_id"), ids)


def load(src: CorpusSource, db: str | os.PathLike[str] | Database, *, engine: str | None = None,
         workers: int | None = None, progress: bool = True, batch_size: int | None = None,
         after_batch: Any = None, **options: Any) -> LoadReport:
    """Parses ``src`` and adds its documents to the database ``db``.

    Documents whose content hash is already there are skipped before parsing.
    Every batch (a task of :func:`pybudget.corpus.iter_corpus`, a few dozen
    documents) is one transaction. ``after_batch(report)`` is called after each
    commit (progress reporting; tests use it to interrupt a load). Other
    options go to :func:`pybudget.corpus.iter_corpus`.
    """
    import pyarrow as pa

    frames = options.pop("frames", None)
    if frames is not None:  # the load needs documents (hashes, ids) and errors
        options["frames"] = tuple(dict.fromkeys([*frames, "documents", "errors"]))
    database = db if isinstance(db, Database) else Database(db, engine)
    report = LoadReport()
    try:
        seen = database.hashes()
        error_keys = database.error_keys()
        next_id = database.next_doc_id()
        started = time.perf_counter()
        batches = iter_corpus(src, workers=workers, progress=progress, skip=frozenset(seen), stats=report.stats,
                              chunk_size=batch_size, **options)
        for batch in batches:
            docs = batch["documents"]
            old_ids, new_ids = [], []
            for doc_id, sha in zip(docs.column("doc_id").to_pylist(), docs.column("sha256").to_pylist()):
                if sha in seen:
                    report.duplicates += 1
                    continue
                seen.add(sha)
                old_ids.append(doc_id)
                new_ids.append(next_id)
                next_id += 1
            errors = batch["errors"]
            keep = []
            for i, key in enumerate(zip(errors.column("source").to_pylist(), errors.column("archive").to_pylist(),
                                        errors.column("sha256").to_pylist())):
                k = (key[0], key[1] or "", key[2] or "")
                if k not in error_keys:
                    error_keys.add(k)
                    keep.append(i)
            with database.transaction():
                for name in fr.FRAMES:
                    if name not in batch:
                        continue
                    if name == "errors":
                        table = errors.take(pa.array(keep, pa.int64()))
                        # a listing position means nothing in the database: NULL
                        table = table.set_column(0, table.schema.field("doc_id"),
                                                 pa.nulls(table.num_rows, pa.int64()))
                    else:
                        table = _remap(batch[name], old_ids, new_ids)
                    report.rows[name] = report.rows.get(name, 0) + database.insert(name, table)
            report.added += len(old_ids)
            report.errors += len(keep)
            report.unreadable += errors.num_rows
            report.stats.seconds = time.perf_counter() - started
            if after_batch is not None:
                after_batch(report)
        report.already_loaded = report.stats.skipped
        report.stats.seconds = time.perf_counter() - started
    finally:
        if not isinstance(db, Database):
            database.close()
    return report


def default_db_path(directory: str | os.PathLike[str], engine: str = "sqlite") -> Path:
    """The database file used by ``pybudget demo`` in ``directory``."""
    return Path(directory) / ("pybudget.duckdb" if engine == "duckdb" else "pybudget.sqlite")
