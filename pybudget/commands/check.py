"""``pybudget check FILE… [--json] [--rules ID,…]``: audit documents against themselves.

Prints, per file, every finding with its rule, severity, lines, the Chinese
and English messages and the figures compared. Exit status: 0 when no
finding has error severity, 1 when one does (or a file cannot be read),
2 for bad usage (as argparse).
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import asdict
from decimal import Decimal
from typing import Any, TextIO

NAME = "check"
HELP = "audit documents: table sums, cross-table figures, prose against tables (exit 1 on errors)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Options of ``check``."""
    p.add_argument("files", nargs="*", help="text, .gz, PDF, Excel or Word files")
    p.add_argument("--json", action="store_true", help="one JSON object per finding and line")
    p.add_argument("--rules", metavar="IDS", help="comma-separated rule ids or prefixes ('text', 'table.children_sum')")
    p.add_argument("--tolerance-units", type=int, default=1, metavar="N",
                   help="units of a table's last digit allowed per summed item (default 1)")
    p.add_argument("--list-rules", action="store_true", help="list the rules (id, severity, description) and exit")
    p.add_argument("--markdown", action="store_true", help="with --list-rules: as a Markdown table")
    p.add_argument("--strict", action="store_true", help="fail on the first parse warning")


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _num(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:f}"


def _report(out: TextIO, path: str, doc: Any, findings: list[Any]) -> None:
    counts = Counter(f.severity for f in findings)
    summary = ", ".join(f"{counts[s]} {s}{'s' if counts[s] != 1 and s != 'info' else ''}"
                        for s in ("error", "warning", "info") if counts[s]) or "no findings"
    head = " ".join(str(x) for x in (doc.department, doc.year) if x)
    out.write(f"{path} — {head} ({doc.template}): {summary}\n")
    for f in findings:
        lines = ", ".join(str(n) for n in f.lines) or "—"
        out.write(f"  {f.severity.upper():7} {f.rule}  line{'s' if len(f.lines) != 1 else ''} {lines}\n")
        out.write(f"          {f.message_zh}\n")
        out.write(f"          {f.message_en}\n")
        if f.expected is not None or f.actual is not None:
            out.write(f"          expected {_num(f.expected)}  actual {_num(f.actual)}  "
                      f"difference {_num(f.difference)}")
            if f.tolerance is not None:
                out.write(f"  tolerance {_num(f.tolerance)} ({f.tolerance_rule})")
            out.write("\n")


def run(args: argparse.Namespace) -> int:
    """Checks every file; returns 1 if any finding is an error or a file fails to parse."""
    from ..api import parse
    from ..checks import RULES, check_document, rules_markdown, select_rules
    from ..errors import ParseError

    if args.list_rules and args.markdown:
        sys.stdout.write(rules_markdown())
        return 0
    if args.list_rules:
        for r in RULES.values():
            sys.stdout.write(f"{r.id:34} {r.severity:8} {r.description}\n")
        return 0
    if not args.files:
        sys.stderr.write("pybudget check: error: no files given\n")
        return 2
    rules = [r for r in args.rules.split(",")] if args.rules else None
    try:
        select_rules(rules)
    except ValueError as exc:
        sys.stderr.write(f"pybudget check: error: {exc}\n")
        return 2
    if args.tolerance_units < 0:
        sys.stderr.write("pybudget check: error: --tolerance-units must be >= 0\n")
        return 2
    status = 0
    for path in args.files:
        try:
            doc = parse(path, strict=args.strict)
        except (ParseError, OSError) as exc:
            sys.stderr.write(f"pybudget: {exc}\n")
            status = 1
            continue
        findings = check_document(doc, tolerance_units=args.tolerance_units, rules=rules)
        if any(f.severity == "error" for f in findings):
            status = 1
        if args.json:
            for f in findings:
                row = {"source": path, **{k: _plain(v) for k, v in asdict(f).items()}}
                sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        else:
            _report(sys.stdout, path, doc, findings)
    return status
