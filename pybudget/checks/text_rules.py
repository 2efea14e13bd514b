"""Checks of the prose (情况说明) against the tables and against itself.

Where the tables print what the prose restates is declared in :mod:`.restated`.
"""
from __future__ import annotations

import struct
from collections.abc import Iterable, Iterator
from decimal import Decimal
from functools import lru_cache
from typing import Any

from .. import _core
from ..facts import SUBJECTS, Fact, fact_of_fields, parse_figure
from ..model import UNIT_YUAN, Row, Table, fen_to_yuan
from . import lookup as lk
from .base import Context, Finding, rule
from .core_pass import restated_figure, restated_found, restated_found_if_run
from .cross_rules import performance_forms
from .lookup import Figure
from .restated import OPERATING_WITHOUT_TABLE, getter, section_context, spec_of
from .structure_rules import EXPECTED, template
from .tolerance import HALF, Tolerance, figures_amount, for_figures, for_restatement, for_sum, percent_unit

ZERO = Decimal(0)
_CENT = Decimal("0.01")


def table_figure(ctx: Context, fact: Fact) -> Figure | None:
    """Where the tables print the figure a prose fact restates (None if they do not)."""
    where = section_context(fact.section)
    # The prose restates the same subjects many times: look each up once per run.
    key = ("table_figure", fact.subject, fact.unit, where, fact.qualifier)
    fig = ctx.figures.get(key, lk.MISSING)
    if fig is lk.MISSING:
        fig = ctx.figures[key] = _table_figure(ctx, fact, where)
    return fig  # type: ignore[no-any-return]


#: The subjects whose 个 counts a table counts (see _count_figure).
_COUNTED = frozenset(("项目支出", "大额项目"))


def _sought(subject: str, unit: str, where: str) -> bool:
    """Whether :func:`table_figure` looks in the tables for a figure of a subject stated in ``unit`` in a
    section of context ``where``: no table prints the others (a count of 辆, 人 or 平方米, money of a subject
    no table names)."""
    if unit == "个":
        return subject in _COUNTED
    if unit not in UNIT_YUAN:
        return False
    return getter(subject, where) is not None or subject == "大额项目"


def _table_figure(ctx: Context, fact: Fact, where: str) -> Figure | None:
    """:func:`table_figure` worked out: ``where`` is the section's context. (What :func:`_sought` tells
    apart falls out of the same tests: a count of no counted subject, a unit of no money, a subject
    without a getter.)"""
    if fact.unit == "个":
        return _count_figure(ctx, fact)
    if not fact.is_money:
        return None
    spec = spec_of(fact.subject, where)
    if spec is not None:  # the core found it: the figure is made from its cell where it can be
        fig = restated_figure(ctx, spec)
        if fig is not lk.MISSING:
            return fig  # type: ignore[return-value]
    got = getter(fact.subject, where)
    if got is not None:
        return got(ctx)
    if fact.subject == "大额项目":
        return _large_projects(ctx, fact, "total")
    return None


def _count_figure(ctx: Context, fact: Fact) -> Figure | None:
    if fact.subject == "项目支出":
        table = ctx.table("projects")
        if table is None:
            return None
        leaves = lk.current_leaves(lk.project_list(table))
        return Figure(Decimal(len(leaves)), tuple(r.line for r in leaves[:1]) or (table.line,), 1, Decimal(1), "个", 0,
                      "项目支出表 项目个数")
    if fact.subject == "大额项目":
        return _large_projects(ctx, fact, "count")
    return None


def _large_projects(ctx: Context, fact: Fact, what: str) -> Figure | None:
    """Projects of at least the stated amount ('100万元及100万元以上项目')."""
    table = ctx.table("projects")
    if table is None or not fact.qualifier:
        return None
    parsed = parse_figure(fact.qualifier.lstrip("≥").removesuffix("万元"))
    if parsed is None:
        return None
    threshold = parsed[0] * UNIT_YUAN["万元"]
    big = [r for r in lk.project_list(table).leaves if (lk.amount(r, "total") or ZERO) >= threshold]
    if what == "count":
        return Figure(Decimal(len(big)), tuple(r.line for r in big) or (table.line,), 1, Decimal(1), "个", 0,
                      f"项目支出表 {fact.qualifier}的项目个数")
    fig = lk.figure(table, big, "total", f"项目支出表 {fact.qualifier}的项目合计")
    return fig if big else lk.zero_figure(table, fig.where)


def _fact_text(f: Fact) -> str:
    return f"{f.value:f}{f.unit}"


def _restatement_tolerance(ctx: Context, fact: Fact, fig: Figure) -> Tolerance:
    table_tol = for_figures([(fig.resolution, fig.unit)], fig.items, ctx.units)
    if not fact.is_money:
        return table_tol
    res = fact.resolution_yuan or ZERO
    if fact.value == 0:
        return for_restatement(res, fact.unit, table_tol, zero=True)
    if res > fig.resolution:
        return for_restatement(res, fact.unit, table_tol)
    return table_tol


def _restatement_amount(ctx: Context, fact: Fact, resolution: Decimal, items: int) -> Decimal:
    """The amount :func:`_restatement_tolerance` allows against a figure of ``items`` printed
    figures at ``resolution``, without writing its description (most differences are within it)."""
    amount = figures_amount((resolution,), items, ctx.units)
    if fact.is_money and fact.value != 0:
        res = fact.resolution_yuan or ZERO
        if res > resolution:
            amount += res * HALF
    return amount


#: The contexts of :func:`.restated.section_context`, numbered as ``_core.restated_facts`` reads them.
_CONTEXTS = ("fiscal", "general", "department")
_CONTEXT_CODES = {where: code for code, where in enumerate(_CONTEXTS)}


def _ways(money_as: dict[str, str | None] | None = None) -> bytes:
    """Where text.vs_table finds each figure, for ``_core.restated_facts`` (csrc/pb_restate.h): for money facts,
    then 个 counts, of each subject (:data:`.facts.SUBJECTS`) stated in a section of each context, the spec of
    the C core's figure (:data:`.core_pass.PLAN`), -1 when :func:`table_figure` looks it up, -2 when no table
    prints it. ``money_as``: money subjects whose figure is another subject's (its spec), or printed
    nowhere (None)."""
    ways = []
    for unit in ("万元", "个"):
        for subject in SUBJECTS:
            for where in _CONTEXTS:
                spec = spec_of(subject, where) if unit in UNIT_YUAN else None
                if unit in UNIT_YUAN and money_as and subject in money_as:
                    other = money_as[subject]
                    spec = None if other is None else spec_of(other, where)
                    ways.append(-2 if other is None else -1 if spec is None else spec)
                    continue
                ways.append(spec if spec is not None else -1 if _sought(subject, unit, where) else -2)
    return struct.pack(f"={len(ways)}i", *ways)


_WAYS = _ways()
#: :data:`_WAYS` for a document that prints no 机关运行经费表, by template family: there 机关运行经费 is the
#: figure :data:`.restated.OPERATING_WITHOUT_TABLE` names (found by the core), or printed nowhere.
_WAYS_WITHOUT_OPERATING = {family: _ways({"机关运行经费": OPERATING_WITHOUT_TABLE.get(family)}) for family in EXPECTED}


@lru_cache(maxsize=1024)
def _context_code(section: str) -> int:
    """A section's context (:func:`.restated.section_context`) as ``_core.restated_facts`` numbers it."""
    return _CONTEXT_CODES[section_context(section)]


def _to_look_at(ctx: Context) -> list[int]:
    """The facts text.vs_table must look at, by index. The C core decides the rest from the figures it
    found in the tables (:func:`.core_pass.restated_found`): a money fact whose figure the tables do not
    print, or print equal to it in 分, or within half a unit of the prose's last digit where the prose is
    printed coarser than the table and states no 0 (the rule's tolerance for one printed figure), and every
    fact of a subject and unit no table prints. The rest: subjects the core does not look for, figures
    only Python finds, differences to judge and word, and the 个 counts the tables count."""
    sections, _ = numbers = ctx.fact_numbers
    figures, tables = restated_found(ctx)
    if ctx.table("operating_costs") is None:
        # 机关运行经费 without its table: Henan's is its 公用经费, which the core found; elsewhere no table
        # prints it (restated._operating's way only Python knows, decided here as it decides).
        ways = _WAYS_WITHOUT_OPERATING[template(ctx.doc)]
    else:
        ways = _WAYS
    return _core.restated_facts(numbers, bytes(map(_context_code, sections)), ways, figures, tables)


@rule("text.vs_table", "error")
def vs_table(ctx: Context) -> Iterator[Finding]:
    """A figure stated in the prose equals the table figure it restates."""
    facts = ctx.facts
    for index in _to_look_at(ctx):
        fact = facts[index]
        fig = table_figure(ctx, fact)
        if fig is None:
            continue
        actual = fact.value_yuan if fact.is_money else fact.value
        assert actual is not None
        if actual == fig.value or abs(actual - fig.value) <= _restatement_amount(ctx, fact, fig.resolution, fig.items):
            continue  # the common cases, decided before the tolerance's sentence is written
        tol = _restatement_tolerance(ctx, fact, fig)
        stated, printed = _fact_text(fact), fig.text()
        yield ctx.finding(
            f"正文第{fact.line}行称{fact.subject}{stated}，{fig.where}为{printed}",
            f"line {fact.line} says {fact.subject} is {stated}; {fig.where} has {printed}",
            expected=fig.value, actual=actual, tolerance=tol, lines=[fact.line, *fig.lines], table=fig.table)


# --------------------------------------------------------------------------
# 绩效 statements against the published performance targets
# --------------------------------------------------------------------------
_PERF_SUBJECTS = ("绩效目标管理项目", "公开项目绩效目标")
_TYPE_SUBJECTS = {"其他运转类项目": "其他运转类", "特定目标类项目": "特定目标类"}
_STATED = frozenset((*_PERF_SUBJECTS, *_TYPE_SUBJECTS))
_TYPED = frozenset(_TYPE_SUBJECTS)


def _targets(ctx: Context) -> tuple[Figure | None, Figure | None]:
    """The published targets text.vs_performance compares the prose with: their count and the sum of their
    年度资金总额 (the 项目支出绩效目标表s, else the 绩效目标汇总表's projects; None where neither is printed)."""
    forms = performance_forms(ctx)
    if forms:
        lines = (forms[0].line,)
        # the sum in 分, then one Decimal: the sum of each annual_total(p) (0 unless one is not), without a
        # Decimal per form
        fens = [p.funds_fen["annual_total"] or 0 for p in forms]
        funds = fen_to_yuan(sum(fens)) if any(fens) else ZERO
        return (Figure(Decimal(len(forms)), lines, 1, Decimal(1), "个", 0, "项目绩效目标表个数"),
                Figure(funds, lines, 1, Decimal("0.01"), "元", 2, "各项目绩效目标表年度资金总额合计"))
    table = ctx.table("performance_summary")
    if table is None:
        return None, None
    leaves = lk.project_list(table).leaves
    return (Figure(Decimal(len(leaves)), (table.line,), 1, Decimal(1), "个", 0, "绩效目标汇总表项目个数"),
            lk.figure(table, leaves, "total", "绩效目标汇总表项目合计"))


def _performance_ways() -> bytes:
    """text.vs_performance's ways for ``_core.restated_facts`` (as :func:`_ways`, for every context alike): the
    published targets' funds and count for the 绩效 subjects, each project type's money and count for its
    subject (their places in :func:`_published`), and no table for any other subject."""
    money = {subject: 0 for subject in _PERF_SUBJECTS}
    count = {subject: 1 for subject in _PERF_SUBJECTS}
    for k, subject in enumerate(_TYPE_SUBJECTS):
        money[subject], count[subject] = 2 + 2 * k, 3 + 2 * k
    ways = [by_subject.get(subject, -2) for by_subject in (money, count) for subject in SUBJECTS for _ in _CONTEXTS]
    return struct.pack(f"={len(ways)}i", *ways)


_PERFORMANCE_WAYS = _performance_ways()


def _asking_ways(subjects: frozenset[str]) -> bytes:
    """Ways for ``_core.restated_facts`` that leave to Python every money fact and count of these subjects
    and decide every other fact: which of them the prose states, without making each fact's subject
    (no table restates any other unit of them)."""
    ways = [-1 if subject in subjects else -2 for _ in range(2) for subject in SUBJECTS for _ in _CONTEXTS]
    return struct.pack(f"={len(ways)}i", *ways)


_STATED_WAYS = _asking_ways(_STATED)
_TYPED_WAYS = _asking_ways(_TYPED)

#: The tolerance of a figure printed to the 分 (the target forms' 年度资金总额), against which only the prose rounds.
_EXACT = Tolerance(ZERO, "exact")
#: A pseudo-table of the published figures printed in 元 to the 分 (the target forms' 年度资金总额).
_YUAN_TO_THE_FEN = (True, 0, -2)


def _published(ctx: Context, by_type: dict[str, list[Row]]) -> tuple[list[Any], tuple[Any, ...]]:
    """The published figures text.vs_performance compares the prose with, as ``_core.restated_facts`` reads a
    core pass's: the targets' funds (in 分) and count (:func:`_targets`), then each project type's money and
    count (its rows in ``by_type``; None where not published), with the digit of the table each is in."""
    steps = restated_found(ctx)[1]
    tables: list[tuple[bool, int, int | None]] = [_YUAN_TO_THE_FEN]
    figures: list[Any] = [None] * (2 + 2 * len(_TYPE_SUBJECTS))

    def cells(table: Table, rows: list[Row]) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
        at = next(i for i, t in enumerate(ctx.doc.tables) if t is table)
        tables.append(steps[at])
        return (len(tables) - 1, 0, sum(r.fen.get("total") or 0 for r in rows)), (len(tables) - 1, 0, len(rows))

    forms = performance_forms(ctx)
    summary = ctx.table("performance_summary")
    if forms:
        figures[0] = (0, 0, sum(p.funds_fen["annual_total"] or 0 for p in forms))
        figures[1] = (0, 0, len(forms))
    elif summary is not None:
        figures[0], figures[1] = cells(summary, lk.project_list(summary).leaves)
    projects = ctx.table("projects")
    for k, kind in enumerate(_TYPE_SUBJECTS.values()):
        rows = by_type.get(kind)
        if rows is not None and projects is not None:
            figures[2 + 2 * k], figures[3 + 2 * k] = cells(projects, rows)
    return figures, tuple(tables)


@rule("text.vs_performance", "warning")
def vs_performance(ctx: Context) -> Iterator[Finding]:
    """绩效 statements ('纳入绩效目标管理的项目N个,共计金额X'; '公开项目绩效目标N个') agree with the published 项目支出绩效目标表 (count
    and sum of 年度资金总额), and by type with the 项目支出表.
    """
    numbers = ctx.fact_numbers
    contexts = bytes(len(numbers[0]))  # every context alike
    # Only a money fact or a count of a 绩效 subject or a project type can restate a target; the core tells
    # which facts are such from their numbers (a subject past its ways' too, which the loop below skips).
    if not _core.restated_facts(numbers, contexts, _STATED_WAYS, (), ()):
        return  # the prose says nothing of the targets: no need to count them
    projects = ctx.table("projects")
    by_type: dict[str, list[Row]] = {}  # the 项目支出表's projects of each type, where the prose states a type
    if projects is not None and _core.restated_facts(numbers, contexts, _TYPED_WAYS, (), ()) and any(
            r.texts.get("project_type") for r in projects.rows):
        leaves = lk.current_leaves(lk.project_list(projects))
        by_type = {kind: [r for r in leaves if r.texts.get("project_type") == kind] for kind in _TYPE_SUBJECTS.values()}
    # The C core decides the facts that restate their figure (csrc/pb_restate.c, as text.vs_table's): equal,
    # or within half a unit of a coarser prose digit; the rest are judged and worded here.
    looked = _core.restated_facts(numbers, contexts, _PERFORMANCE_WAYS, *_published(ctx, by_type))
    facts = ctx.facts
    targets: tuple[Figure | None, Figure | None] | None = None  # (count, funds), made for the first 绩效 fact
    for index in looked:
        fact = facts[index]
        if fact.subject not in _STATED:
            continue  # a subject past the ways' (the core leaves it to Python): no target restates it
        if fact.subject in _PERF_SUBJECTS:
            if targets is None:
                targets = _targets(ctx)
            count, funds = targets
            fig = count if fact.unit == "个" else funds if fact.is_money else None
        else:
            kind = _TYPE_SUBJECTS[fact.subject]
            rows = by_type.get(kind)
            if rows is None:
                continue  # the 项目支出表 prints no project types
            assert projects is not None
            if fact.unit == "个":
                fig = Figure(Decimal(len(rows)), tuple(r.line for r in rows[:1]) or (projects.line,), 1, Decimal(1),
                             "个", 0, f"项目支出表{kind}项目个数")
            else:
                fig = lk.figure(projects, rows, "total", f"项目支出表{kind}项目合计")
        if fig is None:
            continue
        actual = fact.value_yuan if fact.is_money else fact.value
        assert actual is not None
        if actual == fig.value:
            continue  # restated exactly: no tolerance to work out
        coarse_yuan = fact.is_money and fig.unit == "元" and fact.resolution_yuan
        # The amount the tolerance below allows, without its sentence (most differences are within it).
        if coarse_yuan:
            amount = ZERO if fact.value == 0 else fact.resolution_yuan * HALF
        else:
            amount = _restatement_amount(ctx, fact, fig.resolution, fig.items)
        if abs(actual - fig.value) <= amount:
            continue
        if coarse_yuan:  # the form's 元 are exact: only the prose's digit rounds
            tol = for_restatement(fact.resolution_yuan, fact.unit, _EXACT, zero=fact.value == 0)
        else:
            tol = _restatement_tolerance(ctx, fact, fig)
        stated, printed = _fact_text(fact), fig.text()
        yield ctx.finding(
            f"正文第{fact.line}行称{fact.subject}{stated}，{fig.where}为{printed}",
            f"line {fact.line} says {fact.subject} is {stated}; {fig.where} is {printed}",
            expected=fig.value, actual=actual, tolerance=tol, lines=[fact.line, *fig.lines], table="performance")


# --------------------------------------------------------------------------
# The prose against itself
# --------------------------------------------------------------------------
def _percent_tolerance(diff: Decimal, unit: Decimal, spread: Decimal, how: str, of: str) -> Tolerance | None:
    """The tolerance a stated percentage exceeds by ``diff``, or None when it is within it:
    one unit of the stated percentage plus what rounding the underlying figures allows."""
    amount = unit + spread
    if abs(diff) <= amount:
        return None  # the common case, decided before the tolerance's sentence is written
    amount = amount.quantize(_POINTS)  # the tolerance as a finding states it (rounding may widen it)
    if abs(diff) <= amount:
        return None  # as Tolerance.allows decides it, still before the sentence
    return Tolerance(amount, f"percentage points: 1 unit of the stated {unit:f}%{how} + "
                             f"{spread.quantize(_POINTS):f} for the rounding of {of}")


#: The digits a percentage tolerance is stated to (in percentage points).
_POINTS = Decimal("0.0001")


def _half(f: Fact) -> Decimal:
    """Half a unit of a money fact's last digit in 元 (0 for a stated 0: it is exact)."""
    res = f.resolution_yuan
    if f.value == 0 or res is None:
        return ZERO
    return res * HALF


#: A share's base as the C core names it (``Context.fact_checks``): the tables' figure of its base subject.
_TABLES_BASE = -1


def _share_base(ctx: Context, fact: Fact, found: int | None = None
                ) -> tuple[Decimal, Decimal, tuple[int, ...], str] | None:
    """(base in 元, its rounding in 元, its lines, its name) of a stated share. ``found``: for a share of a
    subject, the base fact the C core found, or :data:`_TABLES_BASE` (None: look for it here)."""
    if fact.share_base is not None:
        base = ctx.facts[fact.share_base]
        if base.value_yuan is None:
            return None
        return base.value_yuan, _half(base), (base.line,), f"{base.subject}{_fact_text(base)}"
    if fact.share_base_subject is not None:
        facts = ctx.facts
        if found is not None:
            b = facts[found] if found >= 0 else None
        else:
            subjects = facts.subjects()
            # The last money fact of that subject before this one in its paragraph: looked for from this
            # one back, so the facts of the subject earlier in the prose are not made.
            b = next((f for i in range(fact.index - 1, -1, -1) if subjects[i] == fact.share_base_subject
                      for f in (facts[i],) if f.paragraph == fact.paragraph and f.is_money), None)
        if b is not None:
            assert b.value_yuan is not None
            return b.value_yuan, _half(b), (b.line,), f"{b.subject}{_fact_text(b)}"
        fig = table_figure(ctx, _money_probe(fact.share_base_subject, fact.line, fact.section))
        if fig is not None:
            return fig.value, fig.resolution * HALF * fig.items, fig.lines, f"{fig.where}{fig.text()}"
    return None


def _share_tolerance(fact: Fact, value: Decimal, base: Decimal, dbase: Decimal) -> Tolerance | None:
    """The tolerance a stated share of ``value`` in ``base`` (rounded by ``dbase``) exceeds, or None
    when it is within it: one unit of the share plus what the rounding of the two figures allows."""
    computed = value / base * 100
    spread = 100 * (_half(fact) / base + value * dbase / (base * base))
    return _percent_tolerance(fact.share - computed, percent_unit(fact.share_decimals), spread, "", "the figures")


def _within_of_core_figure(ctx: Context, fact: Fact) -> bool:
    """Whether a share whose base is the tables' figure of its subject is certainly within its tolerance of
    the figure the C core found for the subject in this check run's pass (the figure :func:`table_figure`
    gives, see :func:`.core_pass.restated_found_if_run`), or has no base: the tables print none, or 0. The
    figure's rounding is taken as one printed figure's, the least any figure allows (a sum of several allows
    more): what passes here passes the rule. False where only Python can tell, or the pass has not run."""
    spec = spec_of(fact.share_base_subject or "", section_context(fact.section))
    found = restated_found_if_run(ctx)
    if spec is None or found is None:
        return False
    figures, tables = found
    got = figures[spec]
    if got is None:
        return True  # printed nowhere: no base to compare with
    if got is False:
        return False
    table, fen = got[0], got[2]
    if fen <= 0:
        return True  # no share of nothing
    power = tables[table][2]
    if power is None:
        return False
    value = fact.value_yuan
    assert value is not None
    return _share_tolerance(fact, value, Decimal(fen).scaleb(-2), _half_digit(power)) is None


@lru_cache(maxsize=64)
def _half_digit(power: int) -> Decimal:
    """Half of one unit of a printed digit worth 10**power 元."""
    return Decimal(1).scaleb(power) * HALF


def _money_probe(subject: str, line: int, section: str) -> Fact:
    """``Fact(subject, 0, "万元", 0, line, "", section=section)``: a money fact to ask :func:`table_figure` where
    the tables print a subject (made by :func:`.facts.fact_of_fields`, as the prose's facts are)."""
    return fact_of_fields({"subject": subject, "value": ZERO, "unit": "万元", "value_yuan": ZERO, "line": line,
                           "sentence": "", "section": section})


# The C core works out every comparison of the facts with each other while it reads them
# (csrc/pb_fact_checks.c) and keeps those that may fail: the rules below judge only those, each as
# it would judge every one. Where each rule's are in Context.fact_checks (PB_FACT_CHECK_* there).
_SHARE, _SHARES_SUM, _CHANGE_PCT, _PARTS_SUM = range(4)


@rule("text.share", "warning")
def share(ctx: Context) -> Iterator[Finding]:
    """A stated share (占x%) equals value / base × 100 within the rounding of the figures."""
    facts = ctx.facts
    yield from _judge_shares(ctx, [(facts[i], found) for i, found in ctx.fact_checks[_SHARE]])


def _judge_shares(ctx: Context, candidates: Iterable[tuple[Fact, int | None]]) -> Iterator[Finding]:
    """text.share's findings among the given facts, each with its base as the C core found it (None: looked
    for here, see :func:`_share_base`)."""
    for fact, found in candidates:
        if fact.share is None or not fact.is_money:
            continue
        if found == _TABLES_BASE and _within_of_core_figure(ctx, fact):
            continue
        got = _share_base(ctx, fact, found)
        if got is None:
            continue
        base, dbase, base_lines, base_name = got
        value = fact.value_yuan
        assert value is not None
        if base <= 0:
            continue
        tol = _share_tolerance(fact, value, base, dbase)
        if tol is None:
            continue
        computed = value / base * 100
        stated, share, rounded = _fact_text(fact), f"{fact.share:f}", f"{computed.quantize(_CENT):f}"
        yield ctx.finding(
            f"正文第{fact.line}行{fact.subject}{stated}占{share}%，按{base_name}计算应为{rounded}%",
            f"line {fact.line}: {fact.subject} {stated} is stated as {share}% but is {rounded}% of {base_name}",
            expected=computed.quantize(Decimal("0.0001")), actual=fact.share, tolerance=tol,
            lines=[fact.line, *base_lines])


@rule("text.shares_sum", "warning")
def shares_sum(ctx: Context) -> Iterator[Finding]:
    """Shares of one base stated in one sentence sum to 100% when their figures add up to the base (and
    never exceed 100%)
    """
    facts = ctx.facts
    yield from _judge_shares_sums(ctx, [[facts[i] for i in group] for group in ctx.fact_checks[_SHARES_SUM]])


def _share_groups(facts: Iterable[Fact]) -> list[list[Fact]]:
    """Every group text.shares_sum may judge: the facts stating shares of one base in one sentence."""
    groups: dict[tuple[int, int], list[Fact]] = {}
    for f in facts:
        if f.share is not None and f.share_base is not None:
            groups.setdefault((f.sentence_id, f.share_base), []).append(f)
    return list(groups.values())


def _judge_shares_sums(ctx: Context, groups: Iterable[list[Fact]]) -> Iterator[Finding]:
    """text.shares_sum's findings among the given groups."""
    for items in groups:
        if len(items) < 2:
            continue
        assert items[0].share_base is not None
        base = ctx.facts[items[0].share_base]
        total = sum((f.share or ZERO for f in items), ZERO)
        unit = max(percent_unit(f.share_decimals) for f in items)
        slack = unit * HALF * len(items)
        values = sum((f.value_yuan or ZERO for f in items), ZERO)
        covers = base.value_yuan is not None and abs(values - base.value_yuan) <= sum(
            (_half(f) for f in items), _half(base))
        if not ((covers and abs(total - 100) > slack) or total > 100 + unit * len(items)):
            continue
        tol = Tolerance(slack, f"percentage points: half of {unit:f}% × {len(items)} shares")
        yield ctx.finding(
            f"正文第{items[0].line}行各项占比合计{total:f}%，不等于100%",
            f"line {items[0].line}: the shares add up to {total:f}%, not 100%",
            expected=Decimal(100), actual=total, tolerance=tol, lines=[f.line for f in items])


@rule("text.change_pct", "warning")
def change_pct(ctx: Context) -> Iterator[Finding]:
    """A stated change and its percentage agree: change / (value − change) × 100 (增长∞% only from 0)"""
    facts = ctx.facts
    yield from _judge_changes(ctx, [facts[i] for i in ctx.fact_checks[_CHANGE_PCT]])


def _judge_changes(ctx: Context, candidates: Iterable[Fact]) -> Iterator[Finding]:
    """text.change_pct's findings among the given facts."""
    for f in candidates:
        if f.change is None or f.change_pct is None:
            continue
        value = f.value_yuan if f.is_money else f.value
        assert value is not None
        change = f.change
        prev = value - change
        if not f.change_pct.is_finite():
            if prev == 0:
                continue
            yield ctx.finding(
                f"正文第{f.line}行{f.subject}增长∞%，但上年数为{prev:f}元",
                f"line {f.line}: {f.subject} grows by ∞% but last year's figure was {prev:f}",
                actual=None, lines=list(f.lines))
            continue
        if (change > 0 and f.change_pct < 0) or (change < 0 and f.change_pct > 0):
            yield ctx.finding(
                f"正文第{f.line}行{f.subject}变动{change:f}元与百分比{f.change_pct:f}%方向相反",
                f"line {f.line}: {f.subject} changes by {change:f} but the percentage is {f.change_pct:f}%",
                expected=None, actual=f.change_pct, lines=list(f.lines))
            continue
        if prev <= 0:
            continue
        computed = change / prev * 100
        res = f.resolution_yuan if f.is_money else Decimal(1)
        dchange = (UNIT_YUAN.get(f.unit, Decimal(1)).scaleb(-f.change_decimals) * HALF) if change else ZERO
        dvalue = (res or ZERO) * HALF if value else ZERO
        spread = 100 * (dchange / prev + abs(change) * (dvalue + dchange) / (prev * prev))
        tol = _percent_tolerance(f.change_pct - computed, percent_unit(f.change_pct_decimals), spread,
                                 " (rounded or cut)", "the amounts")
        if tol is None:
            continue
        yield ctx.finding(
            f"正文第{f.line}行{f.subject}{_fact_text(f)}比上年变动{change:f}元，应为{computed.quantize(Decimal('0.01')):f}%，"
            f"正文为{f.change_pct:f}%",
            f"line {f.line}: {f.subject} {_fact_text(f)} changed by {change:f} = {computed.quantize(Decimal('0.01')):f}% "
            f"of last year, the text says {f.change_pct:f}%",
            expected=computed.quantize(Decimal("0.0001")), actual=f.change_pct, tolerance=tol, lines=list(f.lines))


@rule("text.parts_sum", "warning")
def parts_sum(ctx: Context) -> Iterator[Finding]:
    """Figures listed under 其中 add up to the figure they split."""
    facts, units = ctx.facts, ctx.units
    yield from _judge_parts_sums(ctx, [[facts[i] for i in group] for group, below in ctx.fact_checks[_PARTS_SUM]
                                       if below is None or units < below])


def _part_groups(facts: Iterable[Fact]) -> list[list[Fact]]:
    """Every group text.parts_sum may judge: the facts of one 其中 list."""
    parts: dict[tuple[int, int | None], list[Fact]] = {}
    for f in facts:
        if f.part_of is not None:
            parts.setdefault((f.part_of, f.part_list), []).append(f)
    return list(parts.values())


def _judge_parts_sums(ctx: Context, groups: Iterable[list[Fact]]) -> Iterator[Finding]:
    """text.parts_sum's findings among the given groups."""
    for items in groups:
        assert items[0].part_of is not None
        whole = ctx.facts[items[0].part_of]
        if len(items) < 2:
            continue
        if whole.is_money:
            actual = whole.value_yuan
            expected = sum((f.value_yuan or ZERO for f in items), ZERO)
            assert actual is not None
            if actual == expected:
                continue  # the common case, decided before the tolerance is worked out
            res = [r for f in (whole, *items) if f.value for r in (f.resolution_yuan,) if r]
            step = max(res) if res else ZERO
            n = sum(1 for f in items if f.value)
            n = n if n > 1 else 0  # one non-zero item restates the whole: exact
            amount = step * ctx.units * n
            if abs(actual - expected) <= amount:
                continue  # as Tolerance.allows, before its sentence is written
            tol = _parts_tolerance(step, whole.unit, ctx.units, n)
        else:
            actual, expected = whole.value, sum((f.value for f in items), ZERO)
            if actual == expected:
                continue  # counts are exact: decided before the tolerance is made
            tol = Tolerance(ZERO, "exact: counts")
        assert actual is not None
        if tol.allows(actual - expected):
            continue
        listed = "、".join(f"{f.subject}{_fact_text(f)}" for f in items)
        stated, total = _fact_text(whole), _sum_text(expected, whole)
        yield ctx.finding(
            f"正文第{whole.line}行{whole.subject}{stated}，其中{listed}，合计{total}",
            f"line {whole.line}: {whole.subject} {stated} but its parts ({listed}) add up to {total}",
            expected=expected, actual=actual, tolerance=tol, lines=[whole.line, *(f.line for f in items)])


def _parts_tolerance(step: Decimal, unit: str, units: int, items: int) -> Tolerance:
    """text.parts_sum's tolerance: :func:`~.tolerance.for_sum`'s (``units`` units of the coarsest digit ``step``,
    in 元 printed in ``unit``, per non-zero item; worded once per set of arguments), "exact" when that is nothing."""
    return for_sum(step, unit, items, units) if step * units * items else _EXACT


def _every_comparison(ctx: Context, rule_id: str) -> Iterator[Finding]:
    """What a rule of the prose against itself finds judging every comparison, not only those the C core
    kept: the tests check that it finds the same."""
    if rule_id == "text.share":
        return _judge_shares(ctx, ((f, None) for f in ctx.facts))
    if rule_id == "text.shares_sum":
        return _judge_shares_sums(ctx, _share_groups(ctx.facts))
    if rule_id == "text.change_pct":
        return _judge_changes(ctx, ctx.facts)
    if rule_id == "text.parts_sum":
        return _judge_parts_sums(ctx, _part_groups(ctx.facts))
    raise ValueError(f"not a rule of the facts against each other: {rule_id}")


def _sum_text(value: Decimal, like: Fact) -> str:
    if like.is_money:
        scale = UNIT_YUAN[like.unit]
        return f"{(value / scale).normalize():f}{like.unit}"
    return f"{value:f}{like.unit}"
