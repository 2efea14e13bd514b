"""MB/s of ``pybudget.stream`` over the concatenated seeds next to references
measured in the same run on the same bytes.

    python benchmarks/bench_stream.py [--repeat 20] [--seeds ../shared/seeds]

References: reading the bytes (memory bandwidth in Python), Python's ``csv``
splitting on tabs, and a plain-Python regex extractor of coded rows (what a
notebook user would otherwise write). Ratios are what to compare across
machines; absolute figures vary with the machine and its load.
"""
from __future__ import annotations

import argparse
import csv
import io
import platform
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pybudget  # noqa: E402
from benchmarks.timing import best_of  # noqa: E402

CODED_ROW = re.compile(r"^\s*(\d{3}(?:\s?\d{2}){0,2})\t+([^\t]+)\t+([\d,. ]+)")




def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", default=str(ROOT.parent / "shared" / "seeds"))
    ap.add_argument("--copies", type=int, default=20, help="concatenate the seeds this many times")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    files = sorted(Path(args.seeds).glob("*.txt"))
    if not files:
        print(f"no seeds in {args.seeds}", file=sys.stderr)
        return 2
    data = b"\n".join(p.read_bytes() for p in files) * args.copies
    text_mb = len(data) / 1e6

    def stream() -> int:
        return sum(1 for _ in pybudget.stream(data))

    def read_bytes() -> int:
        return len(bytes(memoryview(data)))

    def csv_split() -> int:
        return sum(1 for _ in csv.reader(io.StringIO(data.decode("utf-8")), delimiter="\t"))

    def regex_rows() -> int:
        return sum(1 for line in data.decode("utf-8").splitlines() if CODED_ROW.match(line))

    results = {name: best_of(fn, args.repeat) for name, fn in
               [("pybudget.stream", stream), ("read bytes", read_bytes), ("csv tab split", csv_split),
                ("regex extractor", regex_rows)]}
    print(f"pybudget {pybudget.__version__}, Python {platform.python_version()}, {platform.machine()}; "
          f"{text_mb:.1f} MB ({len(files)} seeds x {args.copies})")
    print(f"{'':20s} {'MB/s':>10s} {'x csv':>8s}")
    for name, seconds in results.items():
        print(f"{name:20s} {text_mb / seconds:10.1f} {results['csv tab split'] / seconds:8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
