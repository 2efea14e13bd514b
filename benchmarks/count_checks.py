"""What the audit costs in instructions: a figure the machine's load does not move.

    python benchmarks/count_checks.py [--seeds ../shared/seeds] [--rounds 4 12] [--generated N]

Runs this checkout's parse, and parse + ``doc.check()``, over the seeds under
valgrind's callgrind (``apt-get install valgrind``) and prints the instructions
per seed document of each and their ratio. With ``--generated N``, over the
first N documents of the generated corpus (benchmarks/make_corpus.py, seed 7)
instead, written to a temporary folder. Each figure is the difference of two
runs that parse (and check) the seeds a different number of times, so the
interpreter's start, the imports and the first check's warm-up cancel out; the
hash seed is fixed so dicts and sets lay out alike in every run.

Instructions are not time: Python's interpreter runs fewer instructions per
cycle than the C core, so the share of the audit in time (bench_checks.py) is
higher than in instructions. Use this to compare two builds on a busy machine.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def inner(seeds: Path, rounds: int, check: bool) -> None:
    """The measured run: parse the seeds ``rounds`` times, checking each document when asked."""
    sys.path.insert(0, str(ROOT))
    import pybudget

    blobs = [p.read_bytes() for p in sorted(seeds.glob("*.txt"))]
    docs = [pybudget.parse(b) for b in blobs * rounds]
    if check:
        for doc in docs:
            doc.check()


def instructions(seeds: Path, rounds: int, check: bool) -> int:
    """Instructions callgrind counts for one inner run."""
    with tempfile.TemporaryDirectory() as tmp:
        cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={tmp}/out", sys.executable, __file__,
               "--inner", str(rounds), "--seeds", str(seeds)] + (["--check"] if check else [])
        env = dict(os.environ, PYTHONHASHSEED="0")
        done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if not found:
        raise RuntimeError(f"callgrind printed no count:\n{done.stderr[-2000:]}")
    return int(found.group(1))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "seeds")
    ap.add_argument("--rounds", type=int, nargs=2, default=(4, 12), metavar=("FEW", "MANY"),
                    help="times the seeds are parsed in the two runs whose difference is counted")
    ap.add_argument("--generated", type=int, metavar="N",
                    help="count the first N generated documents (make_corpus.py, seed 7) instead of the seeds")
    ap.add_argument("--inner", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--check", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.inner is not None:
        inner(args.seeds, args.inner, args.check)
        return 0
    if shutil.which("valgrind") is None:
        print("count_checks: valgrind is not installed (apt-get install valgrind)", file=sys.stderr)
        return 2
    if args.generated:
        with tempfile.TemporaryDirectory() as folder:
            sys.path.insert(0, str(ROOT))
            from benchmarks.make_corpus import generate_document

            for index in range(args.generated):
                name, data, _ = generate_document(index, seed=7)
                (Path(folder) / f"{index:06d}.txt").write_bytes(data)
            return count(Path(folder), args.rounds, "generated")
    return count(args.seeds, args.rounds, "seed")


def count(folder: Path, rounds: tuple[int, int], what: str) -> int:
    """Counts and prints the instructions per document of the documents in ``folder``."""
    docs = len(list(folder.glob("*.txt")))
    if not docs:
        print(f"count_checks: no documents in {folder}", file=sys.stderr)
        return 2
    few, many = rounds
    parse_few, parse_many = instructions(folder, few, False), instructions(folder, many, False)
    both_few, both_many = instructions(folder, few, True), instructions(folder, many, True)
    per_doc = (many - few) * docs
    parse = (parse_many - parse_few) / per_doc
    check = (both_many - both_few - (parse_many - parse_few)) / per_doc
    print(f"{docs} {what} documents, parsed {few} and {many} times, under callgrind")
    print(f"  parse         {parse / 1e6:8.2f} M instructions per document")
    print(f"  check         {check / 1e6:8.2f} M instructions per document")
    print(f"  check/parse   {check / parse * 100:8.1f} %")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
