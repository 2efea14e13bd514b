"""``pybudget parse FILE… --json|--csv|--parquet``: documents to the stable exports."""
from __future__ import annotations

import argparse
import json
import sys

NAME = "parse"
HELP = "parse documents and print one JSON object per document (or write CSV/Parquet items)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Options of ``parse``."""
    p.add_argument("files", nargs="+", help="text, .gz, PDF, Excel or Word files")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="one JSON object per line (default)")
    fmt.add_argument("--csv", metavar="PATH", help="write the tidy items frame as CSV ('-' for stdout)")
    fmt.add_argument("--parquet", metavar="PATH", help="write the tidy items frame as Parquet")
    p.add_argument("--strict", action="store_true", help="fail on the first warning")
    p.add_argument("--no-findings", action="store_true", help="leave the audit findings out of the JSON")
    p.add_argument("--indent", type=int, default=None, help="pretty-print JSON")


def run(args: argparse.Namespace) -> int:
    """Parses every file; bad files are reported on stderr and make the exit code 1."""
    from ..api import parse
    from ..errors import ParseError

    status = 0
    docs = []
    for path in args.files:
        try:
            doc = parse(path, strict=args.strict)
        except ParseError as exc:
            print(f"pybudget: {exc}", file=sys.stderr)
            status = 1
            continue
        if args.csv or args.parquet:
            docs.append(doc)
        else:
            sys.stdout.write(json.dumps(doc.to_dict(findings=not args.no_findings), ensure_ascii=False,
                                        indent=args.indent) + "\n")
    if docs:
        from ..frames import items_frame

        frame = items_frame(docs)
        if args.csv:
            frame.to_csv(sys.stdout if args.csv == "-" else args.csv, index=False)
        else:
            frame.to_parquet(args.parquet, index=False)
    return status
