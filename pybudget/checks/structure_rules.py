"""Checks of the document's shape: which tables it has, their years and
department names, the table of contents, and the 本表无数据 notes."""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from operator import attrgetter

from .. import _core
from ..model import Document, Table, template_family
from . import lookup as lk
from .base import Context, Finding, rule
from .core_pass import table_structure

#: The tables each template family publishes.
EXPECTED: dict[str, tuple[str, ...]] = {
    "shanxi": ("summary", "income", "expenditure", "fiscal_summary", "general_expenditure", "basic_economic",
               "gov_fund_income", "gov_fund_expenditure", "state_capital", "three_public", "operating_costs",
               "projects", "projects_carryover"),
    "henan": ("summary", "income", "expenditure", "fiscal_summary", "general_expenditure", "basic_economic",
              "economic_summary", "three_public", "gov_fund_expenditure", "projects", "performance_overall",
              "performance_summary"),
    # Any other template: the tables every 部门预算/决算公开 must publish.
    "generic": ("summary", "income", "expenditure", "fiscal_summary", "general_expenditure", "basic_economic",
                "three_public"),
}
_SHANXI_ONLY = {"projects_carryover", "gov_fund_income", "operating_costs", "state_capital"}


def template(doc: Document) -> str:
    """The template family, also when a table that ``Document.template`` relies on
    is the one missing: Henan by its markers, Shanxi by most of its own tables."""
    return _family(frozenset(map(_KIND, doc.tables)))


_KIND = attrgetter("kind")


@lru_cache(maxsize=256)
def _family(kinds: frozenset[str]) -> str:
    """:func:`template` of a document printing tables of these kinds."""
    family = template_family(kinds)  # Document.template: Henan by its markers
    if family != "generic":
        return family
    shanxi = set(EXPECTED["shanxi"])
    if len(kinds & shanxi) >= len(shanxi) - 2 and kinds & _SHANXI_ONLY:
        return "shanxi"
    return "generic"


@lru_cache(maxsize=256)
def _missing(kinds: frozenset[str]) -> tuple[str, tuple[str, ...]]:
    """The template family of a document printing tables of these kinds, and the kinds of its
    template it does not print (none for a document without tables)."""
    family = _family(kinds)
    return family, tuple(kind for kind in EXPECTED[family] if kinds and kind not in kinds)


@rule("structure.missing_table", "warning")
def missing_table(ctx: Context) -> Iterator[Finding]:
    """Every table the template family publishes is present."""
    family, missing = _missing(ctx.kinds())
    for kind in missing:
        # Reported where it should have been: at the title of the next table the template lists.
        later = [t for t in ctx.doc.tables if t.kind in EXPECTED[family]
                 and _order(family, t.kind) > EXPECTED[family].index(kind)]
        if later:
            line = later[0].line
        else:  # the last table of the template: right after the one before it
            before = [t for t in ctx.doc.tables if t.kind in EXPECTED[family]]
            line = _end_of(ctx.doc, before[-1]) + 1 if before else ctx.doc.tables[-1].line
        yield ctx.finding(f"缺少{lk.kind_zh(kind)}({family}模板应有，应在第{line}行之前)",
                          f"the {kind} table is missing ({family} template; expected before line {line})",
                          lines=[line], table=kind)


def _end_of(doc: Document, table: Table) -> int:
    """The last line a table's records reach (rows, or a target form's fields and indicators)."""
    lines = [table.line] + [r.line for r in table.rows]
    for p in doc.projects:
        if p.table == table.index:
            lines.append(p.line)
            lines += [i.line for i in doc.indicators_of(p)]
    return max(lines)


def _order(family: str, kind: str) -> int:
    try:
        return EXPECTED[family].index(kind)
    except ValueError:
        return 99


_TITLE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


@lru_cache(maxsize=4096)
def _title_year(title: str | None) -> str | None:
    """The year a table title names (its digits as printed), None when it names none."""
    m = _TITLE_YEAR.search(title or "")
    return m.group(1) if m else None


@rule("structure.title_year", "error")
def title_year(ctx: Context) -> Iterator[Finding]:
    """A year in a table title is the document's year."""
    year = ctx.doc.year
    if year is None:
        return
    got = table_structure(ctx)
    if got is not None and (years := got[0]) is not None and years.count(year) + years.count(None) == len(years):
        return  # every title names the document's year or none, as the core pass read them
    for t in ctx.doc.tables:
        title = t.title
        y = _title_year(title)
        if y is not None and int(y) != year:
            yield ctx.finding(f"{lk.kind_zh(t.kind)}标题“{title}”的年度{y}与文件年度{year}不符",
                              f"the {t.kind} title '{title}' says {y}, the document is for {year}",
                              lines=[t.line], table=t.kind)


@lru_cache(maxsize=1024)
def _same_department(a: str, b: str) -> bool:
    """'市医疗保障局' is the same department as '三门峡市医疗保障局' (an abbreviation)."""
    a, b = lk.norm(a), lk.norm(b)
    if a == b or a in b or b in a:
        return True
    short, full = sorted((a, b), key=len)
    # '省卫生健康委员会' for '宁夏回族自治区卫生健康委员会': the level word stands for the place name
    stem = re.sub(r"^(?:省|市|县|区|州|旗|自治区|自治州|自治县)", "", short)
    return len(stem) >= 3 and full.endswith(stem)


_DEPARTMENT = attrgetter("department")


@rule("structure.department", "warning")
def department(ctx: Context) -> Iterator[Finding]:
    """Tables name the same department as the document (a shortened name contained in the full one is
    the same)
    """
    tables = ctx.doc.tables
    ref = ctx.doc.department
    got = table_structure(ctx)
    named = None if got is None else got[2]  # (the first name a table gives, the tables giving another)
    if ref is None:
        ref = next(filter(None, map(_DEPARTMENT, tables)), None) if named is None else named[0]
    if not ref:
        return
    candidates: Iterable[Table] = tables
    if named is not None:
        first, others = named
        if first is None:
            return  # no table names a department
        if first == ref or _same_department(first, ref):
            # The tables giving the first name agree with the document: only the others may not.
            candidates = map(tables.__getitem__, others)
    same = ref  # the tables of a document nearly always spell one name: it is compared once
    for t in candidates:
        name = t.department
        if not name or name == same:
            continue
        if _same_department(name, ref):
            same = name
        else:
            yield ctx.finding(f"{lk.kind_zh(t.kind)}的部门名称“{name}”与“{ref}”不一致",
                              f"the {t.kind} table names the department '{name}', the document '{ref}'",
                              lines=[t.line], table=t.kind)


@rule("structure.toc", "warning")
def toc(ctx: Context) -> Iterator[Finding]:
    """Every table the table of contents lists is in the document."""
    contents = ctx.doc.toc
    if not contents:
        return
    # The core reads the entries and the titles (csrc/pb_toc.h): an entry names one table by its words, and
    # matches the title whose key (the text without its number, years, blanks and marks) is most alike.
    for i in _core.toc_unmatched(contents, ctx.doc.tables):
        e = contents[i]
        yield ctx.finding(f"目录列有“{e.text}”，但文中没有这张表", f"the contents list '{e.text}' but no such table follows",
                          lines=[e.line])


_NO_NOTE = frozenset(("performance", "performance_overall"))  # target forms: text, not figures


def _no_figures(table: Table) -> bool:
    """Whether a table prints no amount at all."""
    return not lk.table_has_figures(table)


@rule("structure.empty_table_note", "info")
def empty_table_note(ctx: Context) -> Iterator[Finding]:
    """A table without any figure says so (注: 本表无数据)"""
    tables = ctx.doc.tables
    got = table_structure(ctx)
    # The tables that print no amount: as the core pass found when it ran in this check run.
    bare = filter(_no_figures, tables) if got is None else map(tables.__getitem__, got[1])
    for t in bare:
        if t.kind in _NO_NOTE or t.empty:
            continue
        yield ctx.finding(f"{lk.kind_zh(t.kind)}“{t.title}”没有数字，也没有注明“本表无数据”",
                          f"the {t.kind} table '{t.title}' has no figures and no 本表无数据 note",
                          lines=[t.line], table=t.kind)
