"""Which prose figures text.vs_table looks at: the C core decides the rest (csrc/pb_restate.c) from the
figures it found in the tables, as the rule decided each fact in Python before.

The former decision is kept here as the reference. On the seeds and generated documents, their prose
figures nudged by a few units of the last digit, printed coarser or as 0, and their table cells moved, at
several tolerance settings, the core must decide every fact with a figure of the core's as the reference
did, leave to Python every fact of a subject it finds another way, and the rule must report what looking
at every fact reports."""
from __future__ import annotations

import random
import re
import struct
from decimal import Decimal as D
from typing import Any

import pytest

import pybudget
from conftest import seed_path as seed
from pybudget import _core
from pybudget.checks import RULES
from pybudget.checks import lookup as lk
from pybudget.checks import restated, text_rules
from pybudget.checks.base import Context
from pybudget.checks.core_pass import restated_found
from pybudget.checks.restated import section_context, spec_of
from pybudget.checks.structure_rules import template
from pybudget.facts import SUBJECTS, Fact
from pybudget.model import UNIT_YUAN, Document, TextLine
from pybudget.checks.tolerance import HALF
from test_core_pass import core_figures, pick_row

UNITS = (0, 1, 3, 10**30)


# --------------------------------------------------------------------------
# The reference: text.vs_table's decision of one fact, as it was written in Python
# --------------------------------------------------------------------------
def _within_one_figure(fact: Fact, difference: D, resolution: D) -> bool:
    res = fact.resolution_yuan
    return bool(fact.value) and res is not None and res > resolution and abs(difference) <= res * HALF


def core_spec(ctx: Context, fact: Fact) -> int | None | bool:
    """The spec of the core's figure a money fact restates (None: none; False: no table prints it). 机关运行经费
    without a 机关运行经费表 is what restated._operating's way only Python knows gives: Henan's 公用经费, whose
    figure the core finds, and nothing in any other family."""
    where = section_context(fact.section)
    if fact.subject == "机关运行经费" and ctx.table("operating_costs") is None:
        return spec_of("公用经费", where) if template(ctx.doc) == "henan" else False
    return spec_of(fact.subject, where)


def _restates_core_figure(ctx: Context, fact: Fact, figures: list[Any]) -> bool | None:
    """True within tolerance, False when the tables do not print it, None when Python must look."""
    spec = core_spec(ctx, fact)
    if spec is False:
        return False
    if spec is None:
        return None
    got = figures[spec]
    if got is None:
        return False
    if got is False:
        return None
    value, resolution = got
    difference = fact.value_yuan - value
    return True if not difference or _within_one_figure(fact, difference, resolution) else None


def reference_looks(ctx: Context, fact: Fact) -> bool:
    """Whether the rule looked the fact's figure up in Python (table_figure) before the core decided."""
    if fact.unit in UNIT_YUAN:
        return _restates_core_figure(ctx, fact, core_figures(ctx)) is None
    return fact.unit == "个"


def _key(f: Any) -> tuple:
    return f.rule, f.lines, f.expected, f.actual, f.message_zh, f.message_en, f.tolerance, f.tolerance_rule, f.table


def compare(doc: Document, what: str, counts: dict[str, int]) -> None:
    """The core's decisions against the reference's, at each tolerance setting, and the rule's findings
    against those of looking at every fact."""
    rule = RULES["text.vs_table"]
    for units in UNITS:
        lk.forget(doc.tables)
        ctx = Context(doc, units)
        ctx._rule = rule
        facts = ctx.facts
        looks = set(text_rules._to_look_at(ctx))
        assert looks <= set(range(len(facts))), what
        for i, fact in enumerate(facts):
            before = reference_looks(ctx, fact)
            spec = core_spec(ctx, fact)
            if fact.unit in UNIT_YUAN and spec is False:
                # printed nowhere: decided, and the figure Python looks up is None
                assert i not in looks and text_rules.table_figure(ctx, fact) is None, (what, units, fact)
                counts["nowhere"] += 1
            elif fact.unit in UNIT_YUAN and spec is not None:
                # a figure of the core's: decided as the reference decided it
                assert (i in looks) == before, (what, units, fact)
                got = core_figures(ctx)[spec]
                if not before and got and fact.value_yuan != got[0]:
                    counts["within"] += 1
                counts["looked" if before else "decided"] += 1
            elif i in looks:
                assert before, (what, units, fact)  # never a fact the reference did not look at
            elif before:
                # a subject or unit no table prints: the figure the reference looked up was None
                assert text_rules.table_figure(ctx, fact) is None, (what, units, fact)
                counts["nowhere"] += 1
        found = [_key(f) for f in rule.func(ctx)]
        lk.forget(doc.tables)
        every = Context(doc, units)
        every._rule = rule
        original = text_rules._to_look_at
        text_rules._to_look_at = lambda c: range(len(c.facts))  # type: ignore[assignment]
        try:
            assert found == [_key(f) for f in rule.func(every)], (what, units)
        finally:
            text_rules._to_look_at = original
        counts["findings"] += len(found)


_MONEY = re.compile(r"(\d+(?:\.\d+)?)(?=\s*(?:万元|亿元|元))")


def nudged(doc: Document, rng: random.Random) -> bool:
    """Changes a few money figures of the prose: by a few units of the last digit, one digit shorter
    (printed coarser: the half-unit tolerance), or to 0 (a stated 0 is exact)."""
    spots = [(k, m) for k, t in enumerate(doc.texts) for m in _MONEY.finditer(t.text)]
    if not spots:
        return False
    for k, m in rng.sample(spots, min(len(spots), 5)):
        text = doc.texts[k].text
        digits = m.group(1)
        if text[m.start():m.end()] != digits:
            continue  # an earlier change on this line moved it
        how = rng.randrange(4)
        if how == 0:
            new = "0"
        elif how == 1 and "." in digits:
            new = digits[:-1].rstrip(".")
            if rng.random() < 0.5 and new[-1] != "9":
                new = new[:-1] + str(int(new[-1]) + 1)  # rounded up instead of cut
        else:
            last = int(digits[-1]) + rng.choice((-3, -2, -1, 1, 2, 3))
            if not 0 <= last <= 9:
                continue
            new = digits[:-1] + str(last)
        doc.texts[k] = TextLine(doc.texts[k].line, text[:m.start()] + new + text[m.end():])
    return True


def moved_cells(doc: Document, rng: random.Random) -> None:
    """A few table cells moved by a little or a lot, blanked or dropped."""
    for _ in range(rng.randint(1, 4)):
        _, row = pick_row(doc, rng)
        if row is not None and row.fen:
            measure = rng.choice(sorted(row.fen))
            how = rng.randrange(4)
            if how == 0:
                row.fen[measure] = None
            elif how == 1:
                del row.fen[measure]
            else:
                row.fen[measure] = (row.fen[measure] or 0) + rng.choice((-1, 1, 49, 50, 51, 5000, 10**12))


def test_the_core_decides_the_seeds_facts_as_python_did(seeds):
    counts = dict.fromkeys(("decided", "looked", "within", "nowhere", "findings"), 0)
    for key, path in sorted(seeds.items()):
        doc = pybudget.parse(path)
        compare(doc, key, counts)
        rng = random.Random(key)
        for round_ in range(12):
            if not nudged(doc, rng):
                break
            if round_ % 3 == 2:
                moved_cells(doc, rng)
            compare(doc, f"{key} nudged {round_}", counts)
    # both outcomes of the core's comparison were reached, the half-unit path too, and findings made
    assert counts["decided"] > 3000 and counts["looked"] > 1000 and counts["within"] > 100, counts
    assert counts["nowhere"] > 1000 and counts["findings"] > 1000, counts


def test_the_core_decides_generated_documents_facts_as_python_did():
    make_corpus = pytest.importorskip("benchmarks.make_corpus")
    counts = dict.fromkeys(("decided", "looked", "within", "nowhere", "findings"), 0)
    for index in range(60):
        name, data, _ = make_corpus.generate_document(index, seed=13, planted=0.5)
        doc = pybudget.parse(data)
        compare(doc, name, counts)
        rng = random.Random(index)
        if nudged(doc, rng):
            if index % 2:
                moved_cells(doc, rng)
            compare(doc, f"{name} nudged", counts)
    assert counts["decided"] > 5000 and counts["looked"] > 200 and counts["within"] > 20, counts
    assert counts["nowhere"] > 1000 and counts["findings"] > 200, counts


def test_seed_000s_facts_looked_at():
    """The facts of seed 000 the rule still looks up: figures that differ from the tables' (Python judges and
    words them), and 整体绩效目标's restatements. The function classes (社会保障和就业支出 …) the core finds by
    code and class row, 机关运行经费 as the 机关运行经费表's total and 本年支出 in the 收支总表, and decides them."""
    ctx = Context(pybudget.parse(seed("000")))
    facts = ctx.facts
    looked = [(facts[i].line, facts[i].subject) for i in text_rules._to_look_at(ctx)]
    assert len(facts) == 70 and len(looked) == 5
    assert {s for _, s in looked} == {"财政拨款收支总额", "财政拨款支出", "“三公”经费", "整体绩效目标"}
    assert {"社会保障和就业支出", "卫生健康支出", "住房保障支出", "机关运行经费", "本年支出"} <= {f.subject for f in facts}


def test_henan_operating_costs_are_decided_as_its_public_funds():
    """Henan prints no 机关运行经费表: its 机关运行经费 is the 基本支出 table's 公用经费 (restated._operating's way only
    Python knows), which the core found as the subject 公用经费's figure, so the core decides the fact; stated
    otherwise, Python looks at it and reports it. Without the table another family prints it nowhere."""
    make_corpus = pytest.importorskip("benchmarks.make_corpus")
    name, data, _ = make_corpus.generate_document(2, seed=13, planted=0)
    doc = pybudget.parse(data)
    ctx = Context(doc)
    assert name.startswith("000002_henan") and ctx.table("operating_costs") is None
    fact = next(f for f in ctx.facts if f.subject == "机关运行经费")
    assert f"{fact.value:f}{fact.unit}" == "103.64万元"
    assert restated._operating(ctx) == restated.PLAIN["公用经费"](ctx) == restated._PUBLIC(ctx)
    assert restated._operating(ctx).value == D("1036400.00")  # type: ignore[union-attr]
    assert fact.index not in text_rules._to_look_at(ctx)
    k = next(k for k, t in enumerate(doc.texts) if t.line == fact.line)
    original = doc.texts[k].text
    for stated, reported in (("103.6万元", False), ("103.65万元", True), ("104万元", False), ("105万元", True)):
        doc.texts[k] = TextLine(fact.line, original.replace("103.64万元", stated, 1))
        lk.forget(doc.tables)
        ctx = Context(doc)
        index = next(f.index for f in ctx.facts if f.subject == "机关运行经费")
        assert (index in text_rules._to_look_at(ctx)) == reported, stated
        found = [f for f in doc.check() if f.rule == "text.vs_table" and f.lines[0] == fact.line]
        assert [f.expected for f in found] == ([D("1036400.00")] if reported else []), stated
    # the same document with its tables not Henan's: 机关运行经费 is printed nowhere
    doc.texts[k] = TextLine(fact.line, original.replace("103.64万元", "105万元", 1))
    doc.tables = [t for t in doc.tables if t.kind not in ("economic_summary", "performance_summary")]
    lk.forget(doc.tables)
    ctx = Context(doc)
    assert template(doc) != "henan" and restated._operating(ctx) is None
    index = next(f.index for f in ctx.facts if f.subject == "机关运行经费")
    assert index not in text_rules._to_look_at(ctx)
    assert not [f for f in doc.check() if f.rule == "text.vs_table" and f.lines[0] == fact.line]


def test_a_restated_figure_one_unit_off_is_left_to_python():
    """Seed 000's 收入总计 761.35万元 (the 收支总表 prints 761.35万元) restated otherwise: a difference at the
    table's digit, beyond half a unit of a coarser digit, or against a stated 0 goes to Python, which reports
    it; printed coarser and within half of its last digit (761.4万元, 761.3万元, 761万元) it is decided."""
    doc = pybudget.parse(seed("000"))
    ctx = Context(doc)
    fact = next(f for f in ctx.facts if f.subject == "收入总计")
    k = next(k for k, t in enumerate(doc.texts) if t.line == fact.line)
    original = doc.texts[k].text
    printed = f"{fact.value:f}{fact.unit}"
    assert printed == "761.35万元" and printed in original
    for stated, looked in (("761.35万元", False), ("761.36万元", True), ("761.4万元", False), ("761.3万元", False),
                           ("761.2万元", True), ("761万元", False), ("762万元", True), ("0万元", True)):
        doc.texts[k] = TextLine(fact.line, original.replace(printed, stated, 1))
        lk.forget(doc.tables)
        ctx = Context(doc)
        index = next(f.index for f in ctx.facts if f.subject == "收入总计" and f.line == fact.line)
        assert (index in text_rules._to_look_at(ctx)) == looked, stated
        found = [f for f in doc.check() if f.rule == "text.vs_table" and f.lines[0] == fact.line
                 and "收入总计" in f.message_zh]
        assert bool(found) == (stated in ("761.36万元", "761.2万元", "762万元", "0万元")), stated


# --------------------------------------------------------------------------
# The glue
# --------------------------------------------------------------------------
def test_restated_facts_refuses_bad_arguments():
    ctx = Context(pybudget.parse(seed("000")))
    numbers = ctx.fact_numbers
    contexts = bytes(len(numbers[0]))
    cells, steps = restated_found(ctx)
    ways = text_rules._WAYS
    assert len(ways) == 2 * 3 * 4 * len(SUBJECTS)
    assert _core.restated_facts(numbers, contexts, ways, cells, steps) == \
        _core.restated_facts(numbers, contexts, ways, cells, steps)
    with pytest.raises(ValueError):
        _core.restated_facts(numbers, contexts[1:], ways, cells, steps)  # a context per section
    with pytest.raises(ValueError):
        _core.restated_facts((numbers[0], numbers[1][1:]), contexts, ways, cells, steps)
    with pytest.raises(ValueError):
        _core.restated_facts(numbers, contexts, ways[4:], cells, steps)
    with pytest.raises(TypeError):
        _core.restated_facts(numbers, contexts, ways, [(1,)], steps)
    with pytest.raises(TypeError):
        _core.restated_facts(numbers, contexts, ways, [1], steps)
    with pytest.raises(OverflowError):
        _core.restated_facts(numbers, contexts, ways, [(0, 0, 2**70)], steps)
    with pytest.raises(ValueError, match="not one of the"):
        _core.restated_facts(numbers, contexts, ways, [(len(steps), 0, 1)], steps)
    with pytest.raises(TypeError, match="res_pow"):
        _core.restated_facts(numbers, contexts, ways, [(0, 0, 1)], ((True, 1, 500),))
    with pytest.raises(TypeError):
        _core.restated_facts(numbers, contexts, ways, cells)
    with pytest.raises(TypeError):
        _core.restated_facts(numbers, contexts, ways)
    # plans that describe nothing leave every money fact and count to Python; other units are decided
    facts = ctx.facts
    money_or_count = [i for i, f in enumerate(facts) if f.unit in UNIT_YUAN or f.unit == "个"]
    assert _core.restated_facts(numbers, contexts, b"", [], steps) == money_or_count
    assert _core.restated_facts(numbers, bytes([7]) * len(numbers[0]), ways, cells, steps) == money_or_count
    every = struct.pack(f"={len(ways) // 4}i", *[-1] * (len(ways) // 4))
    assert _core.restated_facts(numbers, contexts, every, cells, steps) == money_or_count
    nowhere = struct.pack(f"={len(ways) // 4}i", *[-2] * (len(ways) // 4))
    assert _core.restated_facts(numbers, contexts, nowhere, cells, steps) == []
    assert _core.restated_facts(((), b""), b"", ways, cells, steps) == []
    # a table whose digit is no power of ten leaves its figures' facts to Python
    decided = set(_core.restated_facts(numbers, contexts, ways, cells, steps))
    undecided = set(_core.restated_facts(numbers, contexts, ways, cells, tuple((h, s, None) for h, s, _ in steps)))
    assert decided < undecided and len(undecided - decided) >= 20


# --------------------------------------------------------------------------
# text.vs_performance: the same decisions, against the published targets
# --------------------------------------------------------------------------
_COUNT = re.compile(r"(\d+)(?=\s*个)")


def nudged_counts(doc: Document, rng: random.Random) -> None:
    """A few counts of the prose one more or less, or a fraction (left to Python)."""
    spots = [(k, m) for k, t in enumerate(doc.texts) for m in _COUNT.finditer(t.text)]
    for k, m in rng.sample(spots, min(len(spots), 3)):
        text = doc.texts[k].text
        if text[m.start():m.end()] != m.group(1):
            continue
        new = rng.choice((str(int(m.group(1)) + 1), str(max(int(m.group(1)) - 1, 0)), m.group(1) + ".5"))
        doc.texts[k] = TextLine(doc.texts[k].line, text[:m.start()] + new + text[m.end():])


class _Spy:
    """text_rules' _core with restated_facts counting what it decides (or, as the reference, deciding nothing)."""

    def __init__(self, decide: bool, counts: dict[str, int]) -> None:
        self.decide, self.counts = decide, counts

    def restated_facts(self, numbers: Any, contexts: bytes, ways: bytes, figures: Any, tables: Any) -> list[int]:
        if ways in (text_rules._STATED_WAYS, text_rules._TYPED_WAYS):
            return _core.restated_facts(numbers, contexts, ways, figures, tables)  # which subjects are stated
        assert ways == text_rules._PERFORMANCE_WAYS
        # (subjects past SUBJECTS, the vehicles', are no 绩效 subject)
        subjects = [SUBJECTS[subject] if subject < len(SUBJECTS) else None
                    for _, _, _, subject, _, _ in struct.iter_unpack("=qiIIHH", numbers[1])]
        stated = [i for i, s in enumerate(subjects) if s in text_rules._STATED]
        if not self.decide:
            return stated
        looked = _core.restated_facts(numbers, contexts, ways, figures, tables)
        assert set(looked) <= set(stated)
        self.counts["decided"] += len(stated) - len(looked)
        self.counts["looked"] += len(looked)
        return looked


def compare_performance(doc: Document, what: str, counts: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    """text.vs_performance with the core deciding against the rule looking at every stated fact."""
    rule = RULES["text.vs_performance"]
    for units in UNITS:
        found = []
        for decide in (True, False):
            lk.forget(doc.tables)
            ctx = Context(doc, units)
            ctx._rule = rule
            with monkeypatch.context() as m:
                m.setattr(text_rules, "_core", _Spy(decide, counts))
                found.append([_key(f) for f in rule.func(ctx)])
        assert found[0] == found[1], (what, units)
        counts["findings"] += len(found[0])


def test_the_core_decides_the_performance_facts_as_python_did(seeds, monkeypatch):
    make_corpus = pytest.importorskip("benchmarks.make_corpus")
    counts = dict.fromkeys(("decided", "looked", "findings"), 0)
    documents = [(key, path.read_bytes()) for key, path in sorted(seeds.items())]
    documents += [make_corpus.generate_document(i, seed=17, planted=0.5)[:2] for i in range(30)]
    for key, data in documents:
        doc = pybudget.parse(data)
        compare_performance(doc, key, counts, monkeypatch)
        rng = random.Random(key)
        for round_ in range(4):
            nudged(doc, rng)
            nudged_counts(doc, rng)
            if round_ % 2:
                moved_cells(doc, rng)
            compare_performance(doc, f"{key} nudged {round_}", counts, monkeypatch)
    assert counts["decided"] > 1000 and counts["looked"] > 450 and counts["findings"] > 450, counts


def test_the_asking_ways_leave_the_money_and_counts_of_their_subjects(seeds):
    """text.vs_performance asks the core which facts are money or counts of a 绩效 subject or a project type
    (any other unit no table restates): exactly those, and any subject past the ways' (the vehicles'), come
    back; a document stating none of them has nothing to compare."""
    make_corpus = pytest.importorskip("benchmarks.make_corpus")
    documents = [(key, path.read_bytes()) for key, path in sorted(seeds.items())]
    documents += [make_corpus.generate_document(i, seed=19, planted=0.5)[:2] for i in range(30)]
    seen = dict.fromkeys(("stated", "typed", "silent"), 0)
    for key, data in documents:
        ctx = Context(pybudget.parse(data))
        facts, numbers = ctx.facts, ctx.fact_numbers
        contexts = bytes(len(numbers[0]))
        for ways, subjects, what in ((text_rules._STATED_WAYS, text_rules._STATED, "stated"),
                                     (text_rules._TYPED_WAYS, text_rules._TYPED, "typed")):
            asked = _core.restated_facts(numbers, contexts, ways, (), ())
            assert asked == [i for i, f in enumerate(facts) if (f.unit in UNIT_YUAN or f.unit == "个")
                             and (f.subject in subjects or f.subject not in SUBJECTS)], (key, what)
            seen[what] += any(facts[i].subject in subjects for i in asked)
        if not _core.restated_facts(numbers, contexts, text_rules._STATED_WAYS, (), ()):
            seen["silent"] += 1
            ctx._rule = RULES["text.vs_performance"]
            assert not list(RULES["text.vs_performance"].func(ctx)), key
    assert seen["stated"] >= 20 and seen["typed"] >= 20 and seen["silent"] >= 10, seen
