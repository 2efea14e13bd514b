"""``pybudget summary (--db PATH | SRC…)``: what a corpus holds."""
from __future__ import annotations

import argparse
import sys

from .load import add_engine_arguments

NAME = "summary"
HELP = "counts by province, year and kind, budget totals, findings and errors of a database or of files"


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Options of ``summary``."""
    p.add_argument("sources", nargs="*", metavar="SRC", help="files, folders, globs or archives (instead of --db)")
    p.add_argument("--db", metavar="PATH", help="a database written by 'pybudget load'")
    add_engine_arguments(p)
    p.add_argument("--json", action="store_true", help="print JSON instead of tables")
    p.add_argument("--top", type=int, default=15, metavar="N", help="finding rules to list (default 15)")


def run(args: argparse.Namespace) -> int:
    """Prints the summary; exit 2 on bad usage, 1 if files could not be read."""
    from ..db import Database, EngineMissing, load
    from ..summary import format_summary, summarize

    if bool(args.db) == bool(args.sources):
        print("pybudget summary: give either --db PATH or files to read", file=sys.stderr)
        return 2
    status = 0
    try:
        if args.db:
            import os

            if not os.path.exists(args.db):
                print(f"pybudget summary: {args.db}: no such database", file=sys.stderr)
                return 2
            db = Database(args.db, args.engine)
        else:
            engine = "duckdb" if args.engine == "duckdb" else "sqlite"
            db = Database(":memory:", engine)
            report = load(args.sources, db, workers=args.workers, progress=not args.quiet)
            status = 1 if report.unreadable else 0
    except (FileNotFoundError, EngineMissing, ValueError) as exc:
        print(f"pybudget summary: {exc}", file=sys.stderr)
        return 2
    with db:
        summary = summarize(db, top=args.top)
    sys.stdout.write(summary.to_json(indent=1) + "\n" if args.json else format_summary(summary))
    return status
