"""Corpora as Dask DataFrames, parsed in partitions on a dask.distributed cluster.

>>> from dask.distributed import Client
>>> client = Client()                                   # or Client("scheduler:8786")
>>> corpus = pybudget.dask.read_corpus("disclosures/**/*.txt", client=client)
>>> corpus.items.groupby("table_kind").amount_fen.sum().compute()

Sources are listed here, on the client, exactly as :func:`pybudget.read_corpus`
lists them, so ``doc_id`` and row order are the same; each partition of
``partition_size`` documents is then read and parsed by one task on a
worker (the workers must see the same paths: a shared or local file
system). With a client, the parsed partitions are persisted on the cluster
so every frame comes from one parse; without one, each ``compute`` parses
what it needs. Needs ``pip install pybudget[dask]``.
"""
from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import frames as fr
from .corpus import CorpusSource, Entry, _read_members, _run_task, _Task, list_sources

if TYPE_CHECKING:
    import dask.dataframe as dd
    import pandas as pd

__all__ = ["read_corpus", "DaskCorpus", "parse_partition"]


def parse_partition(entries: list[Entry], frames: Iterable[str] = fr.FRAMES, strict: bool = False,
                    limits: dict[str, int] | None = None) -> dict[str, pd.DataFrame]:
    """Reads and parses one partition (runs on a worker): frame name → DataFrame."""
    pairs = list(_read_members(entries))
    task = _Task(0, [e for e, _ in pairs], [d for _, d in pairs], frozenset(frames) | {"errors"}, strict,
                 dict(limits or {}))
    result = _run_task(task, frozenset())
    return {name: fr.to_pandas(table) for name, table in result.frames.items()}


@dataclass
class DaskCorpus:
    """The frames of a corpus as Dask DataFrames (columns as in :mod:`pybudget.frames`)."""

    documents: dd.DataFrame
    items: dd.DataFrame
    projects: dd.DataFrame
    indicators: dd.DataFrame
    facts: dd.DataFrame
    findings: dd.DataFrame
    errors: dd.DataFrame
    npartitions: int
    files: int

    def frame(self, name: str) -> dd.DataFrame:
        """A frame by name."""
        if name not in fr.FRAMES:
            raise KeyError(f"no frame {name!r}; frames are {', '.join(fr.FRAMES)}")
        return getattr(self, name)  # type: ignore[no-any-return]

    def compute(self, **kwargs: Any) -> dict[str, pd.DataFrame]:
        """Every frame computed at once (one parse per partition), as pandas."""
        import dask

        names = list(fr.FRAMES)
        results = dask.compute(*(self.frame(n) for n in names), **kwargs)
        return {n: r.reset_index(drop=True) for n, r in zip(names, results)}


def _pick(parts: dict[str, pd.DataFrame], name: str) -> pd.DataFrame:
    return parts[name]


def read_corpus(src: CorpusSource, *, client: Any = None, partition_size: int = 64, strict: bool = False,
                persist: bool | None = None, **limits: int) -> DaskCorpus:
    """Lists ``src`` (files, folders, globs, archives, as :func:`pybudget.read_corpus`)
    and returns its frames as Dask DataFrames of ``partition_size`` documents each.

    ``client``: a ``dask.distributed.Client`` (default: the current one, if any).
    ``persist``: keep the parsed partitions in cluster memory so every frame
    reuses one parse (default: when there is a client).
    """
    try:
        import dask
        import dask.dataframe as dd
    except ImportError as exc:
        raise ImportError("pybudget.dask needs Dask: pip install 'dask[dataframe]' distributed "
                          "(or pip install pybudget[dask])") from exc
    if partition_size < 1:
        raise ValueError("partition_size must be at least 1")
    if client is None:
        try:
            from distributed import default_client

            client = default_client()
        except (ImportError, ValueError):
            client = None
    entries = list_sources(src)
    chunks = [entries[i:i + partition_size] for i in range(0, len(entries), partition_size)] or [[]]
    token = dask.base.tokenize([(e.source, e.archive, _mtime(e)) for e in entries], strict, sorted(limits.items()))
    parts = [dask.delayed(parse_partition, pure=True, name=f"pybudget-parse-{token}-{i}")(
        chunk, fr.FRAMES, strict, limits) for i, chunk in enumerate(chunks)]
    if persist is None:
        persist = client is not None
    if persist and client is not None:
        parts = client.persist(parts)
    frames = {}
    for name in fr.FRAMES:
        pieces = [dask.delayed(_pick, pure=True)(p, name) for p in parts]
        frames[name] = dd.from_delayed(pieces, meta=fr.empty_frame(name), verify_meta=False)
    return DaskCorpus(npartitions=len(chunks), files=len(entries), **frames)


def _mtime(e: Entry) -> float:
    try:
        return os.path.getmtime(e.archive or e.source)
    except OSError:
        return 0.0
