"""What the audit costs: parse time with and without ``doc.check()``.

    python benchmarks/bench_checks.py [--repeat 20] [--seeds ../shared/seeds] [-n 1000] [--seed 7] [--per-rule]

Two measurements, each printing parse time, parse + check time per document
and their ratio (target: checks add under 50% to the parse time), and what
the C core's two passes of a check (the prose facts; the tables' sums and
figures) take on documents fresh from their parse:

* the seeds, best of ``--repeat`` passes: the same five documents again and
  again, so every bounded cache of the audit (labels, headings, contents
  entries) is warm after the first pass;
* ``-n`` generated documents (benchmarks/make_corpus.py, seed ``--seed``),
  each parsed and checked once, interleaved with parsing alone: what a corpus
  run pays, caches filled only by what earlier documents shared (0 skips it).

With ``--per-rule``, also what each rule costs per seed document (CPU time,
best of ``--repeat`` passes over freshly parsed seeds, the rules run in order
as a check runs them, so the first to need the core's pass over the tables
pays for it) and what reading the prose facts costs.

Ratios are what to compare across machines.
"""
from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pybudget  # noqa: E402
from benchmarks.timing import best_of  # noqa: E402


def report(label: str, n: int, t_parse: float, t_both: float) -> None:
    """Prints one measurement: per-document times and what the checks add."""
    print(f"{label}")
    print(f"  parse            {t_parse * 1e3 / n:8.2f} ms/doc")
    print(f"  parse + check    {t_both * 1e3 / n:8.2f} ms/doc")
    print(f"  checks add       {(t_both - t_parse) / t_parse * 100:8.1f} % of parse time (target < 50%)")


def seeds_pass(blobs: Sequence[bytes], repeat: int) -> tuple[float, float]:
    """Best pass over the seeds parsed alone, and parsed then checked."""

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
    for _ in range(repeat):
        t_parse = min(t_parse, best_of(parse_only, 1))
        t_both = min(t_both, best_of(parse_and_check, 1))
    return t_parse, t_both


def core_passes(blobs: Sequence[bytes], repeat: int) -> tuple[float, float]:
    """Seconds per pass over the seeds of the two parts of the audit the C core does, on documents fresh from
    their parse, as a check meets them (a pass over documents already read would find every str's
    UTF-8 and the allocator's memory warm): reading the prose facts and finding which of their
    comparisons with each other may fail (``_core.fact_rows(texts)``), and the pass over the tables
    (``_core.audit_tables``: the sum rules' comparisons and the figures the prose restates). Best
    of ``repeat`` passes, each over freshly parsed seeds."""
    from pybudget import _core
    from pybudget.checks.core_pass import PLAN, sum_plans

    best_facts = best_sums = float("inf")
    for _ in range(repeat):
        facts = sums = 0.0
        for b in blobs:
            doc = pybudget.parse(b)
            plan = sum_plans(doc.tables)
            start = time.perf_counter()
            _core.fact_rows(tuple(doc.texts))
            middle = time.perf_counter()
            _core.audit_tables(doc.tables, plan, 1, PLAN)
            facts += middle - start
            sums += time.perf_counter() - middle
        best_facts, best_sums = min(best_facts, facts), min(best_sums, sums)
    return best_facts, best_sums


def per_rule(blobs: Sequence[bytes], repeat: int) -> tuple[float, dict[str, float]]:
    """CPU seconds per document, best of ``repeat`` passes over freshly parsed documents: reading
    the prose facts, and each rule in the order a check runs them."""
    from pybudget.checks import RULES
    from pybudget.checks.base import Context

    best_facts, best = float("inf"), {rule_id: float("inf") for rule_id in RULES}
    for _ in range(repeat):
        docs = [pybudget.parse(b) for b in blobs]
        facts, spent = 0.0, dict.fromkeys(RULES, 0.0)
        for doc in docs:
            ctx = Context(doc, 1)
            start = time.process_time()
            ctx.facts
            facts += time.process_time() - start
            for rule in RULES.values():
                ctx._rule = rule
                start = time.process_time()
                for _finding in rule.func(ctx):
                    pass
                spent[rule.id] += time.process_time() - start
        best_facts = min(best_facts, facts / len(docs))
        best = {k: min(best[k], v / len(docs)) for k, v in spent.items()}
    return best_facts, best


def corpus_once(blobs: Sequence[bytes]) -> tuple[float, float]:
    """Total time to parse each document, and to parse and check it, once each:
    the two are timed document by document in turn, so load falls on both."""
    t_parse = t_both = 0.0
    for b in blobs:
        start = time.perf_counter()
        pybudget.parse(b)
        middle = time.perf_counter()
        pybudget.parse(b).check()
        t_parse += middle - start
        t_both += time.perf_counter() - middle
    return t_parse, t_both


def main(argv: list[str] | None = None) -> int:
    """Times parsing alone and parsing then checking; prints the ratios."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "seeds")
    ap.add_argument("-n", type=int, default=1000, help="generated documents, each checked once (0: none)")
    ap.add_argument("--seed", type=int, default=7, help="the generator's seed")
    ap.add_argument("--per-rule", action="store_true", help="also each rule's cost per seed document")
    args = ap.parse_args(argv)
    paths = sorted(args.seeds.glob("*.txt"))
    if not paths:
        print(f"no seeds in {args.seeds}", file=sys.stderr)
        return 2
    blobs = [p.read_bytes() for p in paths]  # from memory: time the work, not the disk
    print(f"pybudget {pybudget.__version__}, Python {platform.python_version()} on {platform.machine()}")
    t_parse, t_both = seeds_pass(blobs, args.repeat)
    report(f"{len(blobs)} seed documents, {sum(map(len, blobs)) / 1e6:.2f} MB, best of {args.repeat} passes",
           len(blobs), t_parse, t_both)
    t_facts, t_sums = core_passes(blobs, args.repeat)
    print(f"  of the checks, in the C core (fresh documents): facts read and compared "
          f"{t_facts * 1e3 / len(blobs):.3f} ms/doc, tables (packed, summed, figures found) "
          f"{t_sums * 1e3 / len(blobs):.3f} ms/doc")
    if args.per_rule:
        facts, rules = per_rule(blobs, args.repeat)
        print(f"  per seed document (CPU, fresh documents): facts {facts * 1e6:.0f} us, rules "
              f"{sum(rules.values()) * 1e6:.0f} us")
        for rule_id, spent in sorted(rules.items(), key=lambda kv: -kv[1]):
            print(f"    {rule_id:34s} {spent * 1e6:7.1f} us")
    if args.n > 0:
        from benchmarks.make_corpus import generate_corpus

        with tempfile.TemporaryDirectory(prefix="pybudget-checks-") as tmp:
            generate_corpus(Path(tmp), n=args.n, seed=args.seed)
            docs = [p.read_bytes() for p in sorted(Path(tmp).iterdir()) if not p.name.endswith(".json")]
        t_parse, t_both = corpus_once(docs)
        report(f"{len(docs)} generated documents (seed {args.seed}), {sum(map(len, docs)) / 1e6:.1f} MB, "
               f"each once", len(docs), t_parse, t_both)
    return 0


if __name__ == "__main__":
    sys.exit(main())
