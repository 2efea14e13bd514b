"""Writes each seed as HTML table rows, as tight space-aligned text and as CSV
(the renderings of tests/renderings.py) into OUTDIR, for the fuzz corpus:
    python3 tests/fuzz/render_seeds.py SEEDS_DIR OUTDIR"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT)]

from renderings import to_csv, to_html, to_layout  # noqa: E402


def main(seeds: Path, out: Path) -> None:
    for seed in sorted(seeds.glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        # header lines unknown without parsing: every tab line is a plain row, some tables on one line
        (out / f"{seed.stem}.html.txt").write_text(to_html(text, set(), whole_tables=True), encoding="utf-8")
        (out / f"{seed.stem}.tight.txt").write_text(to_layout(text, tight=True), encoding="utf-8")
        (out / f"{seed.stem}.csv.txt").write_text(to_csv(text, ("科目名称", "项目名称"), pad=2), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
