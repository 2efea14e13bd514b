"""What the audit costs: parse time of the seeds with and without ``doc.check()``.

    python benchmarks/bench_checks.py [--repeat 20] [--seeds ../shared/seeds]

Prints the best-of-``repeat`` time per pass over the seeds for parsing alone,
for parsing then checking, and their ratio (target: checks add under 50% to
the parse time). Ratios are what to compare across machines.
"""
from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pybudget  # noqa: E402
from benchmarks.timing import best_of  # noqa: E402



def main(argv: list[str] | None = None) -> int:
    """Times the seeds parsed alone and parsed then checked; prints the ratio."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "seeds")
    args = ap.parse_args(argv)
    paths = sorted(args.seeds.glob("*.txt"))
    if not paths:
        print(f"no seeds in {args.seeds}", file=sys.stderr)
        return 2
    blobs = [p.read_bytes() for p in paths]  # from memory: time the work, not the disk

    def parse_only() -> None:
        for b in blobs:
            pybudget.parse(b)

    def parse_and_check() -> None:
        for b in blobs:
            pybudget.parse(b).check()

    parse_only()  # warm up imports and compiled patterns
    parse_and_check()
    # Interleaved, so a busy machine slows both the same way; best of each.
    t_parse = t_both = float("inf")
    for _ in range(args.repeat):
        t_parse = min(t_parse, best_of(parse_only, 1))
        t_both = min(t_both, best_of(parse_and_check, 1))
    n = len(blobs)
    print(f"pybudget {pybudget.__version__}, Python {platform.python_version()} on {platform.machine()}")
    print(f"{n} seed documents, {sum(map(len, blobs)) / 1e6:.2f} MB, best of {args.repeat}")
    print(f"parse            {t_parse * 1e3 / n:8.2f} ms/doc")
    print(f"parse + check    {t_both * 1e3 / n:8.2f} ms/doc")
    print(f"checks add       {(t_both - t_parse) / t_parse * 100:8.1f} % of parse time (target < 50%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
