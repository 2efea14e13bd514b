"""Shared fixtures: the real seed documents next to the checkout."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
sys.path.insert(0, str(Path(__file__).resolve().parent))
# benchmarks/ (the corpus generator) is importable; appended so that a
# sanitizer run still imports the pybudget package from its own build dir.
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))


def seed_paths() -> list[Path]:
    """The seed documents, sorted; empty if ../shared/seeds is absent."""
    return sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []


def seed_path(key: str) -> Path:
    """The seed document whose name starts with ``key`` ('000' … '004'); skips without seeds."""
    paths = sorted(SEEDS.glob(f"{key}_*.txt")) if SEEDS.is_dir() else []
    if not paths:
        pytest.skip("../shared/seeds is not present")
    return paths[0]


@pytest.fixture(scope="session")
def seeds() -> dict[str, Path]:
    """Seed documents by their three-digit prefix ('000' … '004')."""
    paths = seed_paths()
    if not paths:
        pytest.skip("../shared/seeds is not present")
    return {p.name[:3]: p for p in paths}


def pytest_report_header(config):
    """Says which build of the extension the run uses (sanitizer runs import build/asan)."""
    import os

    import pybudget._core as core

    if os.environ.get("PYBUDGET_EXPECT_ASAN") and "build/asan" not in core.__file__:
        raise RuntimeError(f"sanitizer run imported the regular extension {core.__file__}")
    return f"pybudget extension: {core.__file__}"
