"""``pybudget load SRC… --db PATH``: parse documents into an embedded database."""
from __future__ import annotations

import argparse
import sys

NAME = "load"
HELP = "parse files, folders, globs or archives into a SQLite (or DuckDB) database, skipping documents already there"


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Options of ``load``."""
    p.add_argument("sources", nargs="+", metavar="SRC", help="files, folders, globs or .tar/.tar.gz/.zip archives")
    p.add_argument("--db", required=True, metavar="PATH", help="database file (created if missing)")
    add_engine_arguments(p)
    p.add_argument("--batch-size", type=int, default=None, metavar="N",
                   help="documents per transaction (default: chosen from the corpus size)")
    p.add_argument("--strict", action="store_true", help="treat parser warnings as errors")


def add_engine_arguments(p: argparse.ArgumentParser) -> None:
    """Options shared by load, summary and demo."""
    p.add_argument("--engine", choices=("auto", "sqlite", "duckdb"), default="auto",
                   help="database engine (auto: DuckDB for a .duckdb path, else SQLite)")
    p.add_argument("-j", "--workers", type=int, default=None, metavar="N", help="worker processes (default: all cores)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")


def report_line(report) -> str:  # type: ignore[no-untyped-def]
    """One line saying what a load did."""
    st = report.stats
    rows = ", ".join(f"{k} {v:,}" for k, v in report.rows.items() if v)
    return (f"added {report.added:,} documents ({report.already_loaded:,} already loaded, "
            f"{report.duplicates:,} duplicates), {report.unreadable:,} unreadable files; "
            f"{st.files:,} files, {st.bytes / 1e6:.1f} MB in {st.seconds:.1f}s ({st.mb_per_s:.1f} MB/s)"
            + (f"; rows added: {rows}" if rows else ""))


def run(args: argparse.Namespace) -> int:
    """Loads; exit 1 when some file could not be read, 2 on bad usage."""
    from ..db import EngineMissing, load

    try:
        report = load(args.sources, args.db, engine=args.engine, workers=args.workers, progress=not args.quiet,
                      batch_size=args.batch_size, strict=args.strict)
    except (FileNotFoundError, EngineMissing, ValueError) as exc:
        print(f"pybudget load: {exc}", file=sys.stderr)
        return 2
    print(report_line(report))
    return 1 if report.unreadable else 0
