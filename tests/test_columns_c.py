"""Runs the C test program of the columnar items (tests/c/test_columns.c):
pb_columns and its Arrow C stream export, linked with the core alone (no
Python, no Arrow library). A few seconds."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import SEEDS, seed_paths

ROOT = Path(__file__).resolve().parents[1]


def test_columns_c(tmp_path: Path) -> None:
    if os.environ.get("PYBUDGET_EXPECT_ASAN"):
        pytest.skip("the C test does not use the extension")
    cc = next((c for c in (os.environ.get("CC"), "cc", "gcc", "clang") if c and shutil.which(c)), None)
    if cc is None:
        pytest.skip("no C compiler on PATH")
    if not seed_paths():
        pytest.skip(f"no seed documents in {SEEDS}")
    env = {k: v for k, v in os.environ.items() if k not in ("LD_PRELOAD", "ASAN_OPTIONS", "UBSAN_OPTIONS")}
    core = sorted(str(p) for p in (ROOT / "csrc").glob("pb_*.c") if p.name != "pb_python.c")
    exe = tmp_path / "test_columns"
    build = subprocess.run([cc, "-std=c99", "-D_GNU_SOURCE", "-Wall", "-Wextra", "-Werror", "-O1", "-g", "-o",
                            str(exe), str(ROOT / "tests" / "c" / "test_columns.c"), *core, "-lz"],
                           capture_output=True, text=True, env=env, timeout=300)
    if build.returncode != 0 and "zlib.h" in build.stderr:
        pytest.skip("zlib headers are missing (apt-get install zlib1g-dev)")
    assert build.returncode == 0, build.stderr
    run = subprocess.run([str(exe), str(SEEDS)], capture_output=True, text=True, env=env, timeout=300)
    last = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else ""
    assert run.returncode == 0 and last.endswith("0 failed"), run.stdout[-4000:] + run.stderr[-2000:]
