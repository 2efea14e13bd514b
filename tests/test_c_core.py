"""Runs the C core's own test program (tests/c/test_core.c) through `make ctest`.

The C tests link the core alone (no Python): every seed parsed whole, cut at
every offset, in small chunks, gzipped, in GB18030, UTF-16LE and CRLF;
allocation failures; hostile inputs; the fuzz regression inputs. See the
comment at the top of tests/c/test_core.c. About 20-40 s on two CPUs.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"  # the Makefile's default, made absolute


def _compiler() -> str | None:
    for cc in (os.environ.get("CC"), "cc", "gcc", "clang"):
        if cc and shutil.which(cc):
            return cc
    return None


def _has_zlib(cc: str) -> bool:
    probe = subprocess.run([cc, "-E", "-x", "c", "-"], input=b"#include <zlib.h>\n", capture_output=True)
    return probe.returncode == 0


def _clean_env() -> dict[str, str]:
    # Under `make test-asan` the suite runs with libasan preloaded; the C
    # tests build and run their own binaries and must not inherit it.
    env = {k: v for k, v in os.environ.items() if k not in ("LD_PRELOAD", "ASAN_OPTIONS", "UBSAN_OPTIONS")}
    env.pop("MAKEFLAGS", None)
    env.pop("MFLAGS", None)
    return env


def test_c_core() -> None:
    if os.environ.get("PYBUDGET_EXPECT_ASAN"):
        pytest.skip("the C tests do not use the extension; `make ctest-asan` runs them on a sanitizer build")
    if not shutil.which("make"):
        pytest.skip("make is not installed")
    cc = _compiler()
    if cc is None:
        pytest.skip("no C compiler (cc, gcc or clang) on PATH")
    if not _has_zlib(cc):
        pytest.skip("zlib headers are missing (apt-get install zlib1g-dev)")
    if not sorted(SEEDS.glob("*.txt")):
        pytest.skip(f"no seed documents in {SEEDS}")
    proc = subprocess.run(
        ["make", "-s", "ctest", f"CC={cc}", f"SEEDS={SEEDS}"],
        cwd=ROOT, env=_clean_env(), capture_output=True, text=True, timeout=600,
    )
    out = proc.stdout + proc.stderr
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    last = lines[-1] if lines else ""
    m = re.fullmatch(r"(\d+) passed, (\d+) failed", last)
    failures = "\n".join(line for line in out.splitlines() if line.startswith(("FAIL", "  ")))
    assert proc.returncode == 0 and m and m.group(2) == "0" and int(m.group(1)) > 0, (
        f"make ctest exited {proc.returncode}; last line {last!r}\n{failures or out[-4000:]}"
    )
