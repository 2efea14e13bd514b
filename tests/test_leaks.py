"""Parsing the same document many times leaves memory and reference counts flat."""
from __future__ import annotations

import gc
import os
import subprocess
import sys
import textwrap
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "golden"

#: What each leak script ends with: run ``work`` (its own) a tenth of n times to warm caches and
#: allocator pools, then n times, and print the objects and resident KB it left behind.
MEASURE = textwrap.dedent("""
    def rss_kb():
        return int(open('/proc/self/status').read().split('VmRSS:')[1].split()[0])

    n = int(sys.argv[2])
    work(n // 10)
    gc.collect()
    objects, rss = len(gc.get_objects()), rss_kb()
    work(n)
    gc.collect()
    print(len(gc.get_objects()) - objects, rss_kb() - rss)
""")

SCRIPT = textwrap.dedent("""
    import gc, sys, pybudget
    data = open(sys.argv[1], 'rb').read()

    def work(k):
        for _ in range(k):
            doc = pybudget.parse(data)
            doc.to_dict(findings=False)
            p = pybudget.Parser()
            try:
                p.feed(b'%PDF-1.4 broken')       # the error path too
            except pybudget.ParseError:
                pass
""") + MEASURE


def test_ten_thousand_parses_leave_memory_flat():
    out = subprocess.run([sys.executable, "-c", SCRIPT, str(GOLDEN / "performance.txt"), "10000"],
                         capture_output=True, text=True, timeout=600, check=True)
    objects, rss_kb = map(int, out.stdout.split())
    assert objects <= 10, f"{objects} Python objects left behind by 10,000 parses"
    if not os.environ.get("PYBUDGET_EXPECT_ASAN"):  # ASan's quarantine keeps freed blocks on purpose
        assert rss_kb < 4096, f"resident memory grew {rss_kb} KB over 10,000 parses"


def test_record_objects_are_released():
    import pybudget

    data = (GOLDEN / "wrapped_rows.txt").read_bytes()
    gc.collect()
    before = len(gc.get_objects())
    for _ in range(200):
        list(pybudget.stream(data))
    gc.collect()
    assert len(gc.get_objects()) - before <= 5


AUDIT_SCRIPT = textwrap.dedent("""
    import gc, sys, pybudget
    from pybudget import _core
    from pybudget.checks import lookup as lk
    from pybudget.checks.core_pass import sum_plans
    from pybudget.checks.figures import compile_plan
    from pybudget.checks.core_pass import PLAN
    doc = pybudget.parse(sys.argv[1])
    plans = sum_plans(doc.tables)
    texts = tuple(doc.texts)
    projects = next(t for t in doc.tables if t.kind == 'projects')
    from pybudget.checks.restated import PLAIN as lk_getters
    bad = pybudget.parse(sys.argv[1])
    next(t for t in bad.tables if t.kind == 'expenditure').rows[3].fen['total'] = 10 ** 30
    from pybudget.checks.base import Context
    from pybudget.checks.core_pass import restated_found
    from pybudget.checks.text_rules import _WAYS
    ctx = Context(doc)
    figures, steps = restated_found(ctx)
    contexts = bytes(len(ctx.fact_numbers[0]))
    from pybudget.checks.core_pass import _plan_of
    by_key = {}

    def plan_of(*key):
        return by_key.setdefault(key, _plan_of(*key))

    def no_plan(*key):
        raise LookupError(key)

    odd = pybudget.parse(sys.argv[1])
    odd.tables[5].title = b'2020'  # the structure rules read such titles themselves

    def work(k):
        for _ in range(k):
            _core.audit_tables(doc.tables, plans, 1, PLAN)
            _core.audit_tables(odd.tables, by_key, 1, PLAN, plan_of, lk.PASS_KEYS)  # plans looked up, memo entries
            try:
                _core.audit_tables(doc.tables, {}, 1, PLAN, no_plan, lk.PASS_KEYS)  # a plan that fails
            except LookupError:
                pass
            try:
                _core.audit_tables(bad.tables, by_key, 1, PLAN, plan_of, lk.PASS_KEYS)  # failing after the plans
            except ValueError:
                pass
            compile_plan(list(lk_getters))
            _core.audit_lookup(projects, lk.measures(projects), 'project_list')
            _core.norm_name('  其中：(一)工资福利支出')
            _core.org_name('朔州市医疗保障局(本级)', '朔州市医疗保障局')
            _core.class_code('八、社会保障和就业支出')
            rows, _, _ = _core.fact_rows(texts)
            rows[3], rows[-1], rows.subjects()
            try:
                _core.audit_tables(bad.tables, plans, 1, PLAN)      # the error path too
            except ValueError:
                pass
            numbers = _core.read_facts(doc.texts, True)[2]
            _core.restated_facts(numbers, contexts, _WAYS, figures, steps)
            try:
                _core.restated_facts(numbers, contexts, _WAYS, figures[:3] + [(1,)], steps)  # and here
            except TypeError:
                pass
""") + MEASURE


def test_the_audits_c_calls_leave_memory_flat():
    from conftest import seed_path

    out = subprocess.run([sys.executable, "-c", AUDIT_SCRIPT, str(seed_path("000")), "3000"],
                         capture_output=True, text=True, timeout=600, check=True)
    objects, rss_kb = map(int, out.stdout.split())
    assert objects <= 10, f"{objects} Python objects left behind by 3,000 rounds of the audit's C calls"
    if not os.environ.get("PYBUDGET_EXPECT_ASAN"):
        assert rss_kb < 2048, f"resident memory grew {rss_kb} KB over 3,000 rounds of the audit's C calls"
