"""Runs the C test programs that link the core alone (no Python): the
columnar items and their Arrow C stream export (tests/c/test_columns.c, on
the seeds), the audit's sum comparisons (tests/c/test_audit.c), the prose's
comparisons with itself (tests/c/test_fact_checks.c) and text.vs_table's decisions
(tests/c/test_restate.c), the last three built with AddressSanitizer and UBSan where
the compiler has them. A few seconds each."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import SEEDS, seed_paths

ROOT = Path(__file__).resolve().parents[1]
SANITIZE = ["-fsanitize=address,undefined", "-fno-sanitize-recover=undefined"]


def _compiler() -> str:
    cc = next((c for c in (os.environ.get("CC"), "cc", "gcc", "clang") if c and shutil.which(c)), None)
    if cc is None:
        pytest.skip("no C compiler on PATH")
    return cc


def _build(cc: str, source: str, exe: Path, env: dict[str, str], extra: list[str]) -> subprocess.CompletedProcess[str]:
    core = sorted(str(p) for p in (ROOT / "csrc").glob("pb_*.c") if p.name != "pb_python.c")
    return subprocess.run([cc, "-std=c99", "-D_GNU_SOURCE", "-Wall", "-Wextra", "-Werror", "-O1", "-g", *extra,
                           "-o", str(exe), str(ROOT / "tests" / "c" / source), *core, "-lz"],
                          capture_output=True, text=True, env=env, timeout=300)


@pytest.mark.parametrize("source, sanitize, needs_seeds", [("test_columns.c", False, True),
                                                          ("test_audit.c", True, False),
                                                          ("test_fact_checks.c", True, False),
                                                          ("test_restate.c", True, False)])
def test_c_program(tmp_path: Path, source: str, sanitize: bool, needs_seeds: bool) -> None:
    if os.environ.get("PYBUDGET_EXPECT_ASAN"):
        pytest.skip("the C tests do not use the extension")
    cc = _compiler()
    if needs_seeds and not seed_paths():
        pytest.skip(f"no seed documents in {SEEDS}")
    env = {k: v for k, v in os.environ.items() if k not in ("LD_PRELOAD", "ASAN_OPTIONS", "UBSAN_OPTIONS")}
    exe = tmp_path / source.removesuffix(".c")
    build = _build(cc, source, exe, env, SANITIZE if sanitize else [])
    if build.returncode != 0 and sanitize and "sanitize" in build.stderr:
        build = _build(cc, source, exe, env, [])  # a compiler without the sanitizers: the tests alone
    if build.returncode != 0 and "zlib.h" in build.stderr:
        pytest.skip("zlib headers are missing (apt-get install zlib1g-dev)")
    assert build.returncode == 0, build.stderr
    env["ASAN_OPTIONS"] = "detect_leaks=1:abort_on_error=1"
    run = subprocess.run([str(exe), str(SEEDS)], capture_output=True, text=True, env=env, timeout=300)
    last = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else ""
    assert run.returncode == 0 and last.endswith(" 0 failed"), run.stdout[-4000:] + run.stderr[-2000:]
