"""Frames from a worker process to the parent through a spool file rather than the pool's pipe.

A task's frames (a few MB of Arrow buffers) sent back as the result of a
``ProcessPoolExecutor`` future are pickled, pushed through a 64 KiB pipe in
many small writes, read by the pool's result thread in the parent and
unpickled while the workers still run: on two cores the parent then competes
with the workers for the CPU, and a run of every frame over 5,000 documents
spent about 15% more CPU on two workers than on one (benchmarks/bench_corpus.py).
Written instead as Arrow IPC streams into a file of a spool folder in shared
memory (``/dev/shm`` where it exists, as joblib spools large arrays), the
frames cost the worker one copy and the parent one read, with no object per
value on either side; only the file's name crosses the pipe.

The parent reads and deletes each file as its result comes in, so the spool
holds only the results in flight. A worker that cannot write its file (a full
or missing spool) sends its frames through the pipe as before.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa

#: Where spool folders go when the machine has a RAM-backed /dev/shm; otherwise the temporary folder.
SHARED_MEMORY = "/dev/shm"


@dataclass(frozen=True)
class Spooled:
    """Frames a worker wrote to ``path``: one Arrow IPC stream per name, in order."""

    path: str
    names: tuple[str, ...]


def make_spool() -> str:
    """A new private folder for one run's spool files (the caller removes it with :func:`remove_spool`)."""
    base = SHARED_MEMORY if os.path.isdir(SHARED_MEMORY) and os.access(SHARED_MEMORY, os.W_OK) else None
    try:
        return tempfile.mkdtemp(prefix="pybudget-", dir=base)
    except OSError:
        return tempfile.mkdtemp(prefix="pybudget-")


def remove_spool(spool: str) -> None:
    """Removes a spool folder and any file a cancelled task left in it."""
    shutil.rmtree(spool, ignore_errors=True)


def spool_frames(spool: str, index: int, frames: dict[str, pa.Table]) -> Spooled | None:
    """Writes a task's frames to a file of ``spool`` and returns where, or None when the
    file cannot be written (the frames then go through the pipe)."""
    import pyarrow as pa

    path = os.path.join(spool, f"task-{index:06d}-{os.getpid()}.arrows")
    try:
        with pa.OSFile(path, "wb") as sink:
            for table in frames.values():
                with pa.ipc.new_stream(sink, table.schema) as writer:
                    writer.write_table(table)
    except (OSError, pa.ArrowException):  # a full or missing spool; anything the writer refuses
        try:
            os.unlink(path)
        except OSError:
            pass
        return None
    return Spooled(path, tuple(frames))


def unspool_frames(result: Spooled) -> dict[str, pa.Table]:
    """A task's frames read back from its spool file, which is then deleted."""
    import pyarrow as pa

    try:
        with open(result.path, "rb") as f:
            data = pa.py_buffer(f.read())  # one copy into this process; the tables are views of it
    finally:
        os.unlink(result.path)
    reader = pa.BufferReader(data)
    return {name: pa.ipc.open_stream(reader).read_all() for name in result.names}
