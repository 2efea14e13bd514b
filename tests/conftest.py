"""Shared fixtures: the real seed documents next to the checkout."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
sys.path.insert(0, str(Path(__file__).resolve().parent))


def seed_paths() -> list[Path]:
    """The seed documents, sorted; empty if ../shared/seeds is absent."""
    return sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []


@pytest.fixture(scope="session")
def seeds() -> dict[str, Path]:
    """Seed documents by their three-digit prefix ('000' … '004')."""
    paths = seed_paths()
    if not paths:
        pytest.skip("../shared/seeds is not present")
    return {p.name[:3]: p for p in paths}
