"""Command line: ``pybudget parse|check|load|summary|demo …`` (also ``python -m pybudget``).

Each subcommand lives in its own module under :mod:`pybudget.commands` and
exposes ``NAME``, ``HELP``, ``add_arguments(parser)`` and ``run(args) -> int``.
Exit codes: 0 success, 1 findings of error severity (check) or unreadable
files, 2 bad usage.
"""
from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

COMMANDS = ("parse", "check", "load", "summary", "demo")


def build_parser() -> argparse.ArgumentParser:
    """The argparse parser with every available subcommand."""
    parser = argparse.ArgumentParser(prog="pybudget",
                                     description="Parse Chinese budget disclosures (部门预算/决算公开) into exact records.")
    from . import __version__

    parser.add_argument("--version", action="version", version=f"pybudget {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f".commands.{name}", __package__)
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.endswith(f"commands.{name}"):
                continue  # that command is not part of this build
            raise
        cmd = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(cmd)
        cmd.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.run(args) or 0)
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
