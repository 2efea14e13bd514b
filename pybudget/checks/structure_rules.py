"""Checks of the document's shape: which tables it has, their years and
department names, the table of contents, and the 本表无数据 notes."""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from ..model import HENAN_MARKERS, Document, Table
from . import lookup as lk
from .base import Context, Finding, rule

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
    if doc.template != "generic":
        return doc.template
    kinds = {t.kind for t in doc.tables}
    if kinds & HENAN_MARKERS:
        return "henan"
    shanxi = set(EXPECTED["shanxi"])
    if len(kinds & shanxi) >= len(shanxi) - 2 and kinds & _SHANXI_ONLY:
        return "shanxi"
    return "generic"


@rule("structure.missing_table", "warning")
def missing_table(ctx: Context) -> Iterator[Finding]:
    """Every table the template family publishes is present."""
    family = template(ctx.doc)
    have = {t.kind for t in ctx.doc.tables}
    if not have:
        return
    for kind in EXPECTED[family]:
        if kind in have:
            continue
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


@rule("structure.title_year", "error")
def title_year(ctx: Context) -> Iterator[Finding]:
    """A year in a table title is the document's year."""
    year = ctx.doc.year
    if year is None:
        return
    for t in ctx.doc.tables:
        m = _TITLE_YEAR.search(t.title or "")
        if m and int(m.group(1)) != year:
            yield ctx.finding(f"{lk.kind_zh(t.kind)}标题“{t.title}”的年度{m.group(1)}与文件年度{year}不符",
                              f"the {t.kind} title '{t.title}' says {m.group(1)}, the document is for {year}",
                              lines=[t.line], table=t.kind)


def _same_department(a: str, b: str) -> bool:
    """'市医疗保障局' is the same department as '三门峡市医疗保障局' (an abbreviation)."""
    a, b = lk.norm(a), lk.norm(b)
    if a == b or a in b or b in a:
        return True
    short, full = sorted((a, b), key=len)
    # '省卫生健康委员会' for '宁夏回族自治区卫生健康委员会': the level word stands for the place name
    stem = re.sub(r"^(?:省|市|县|区|州|旗|自治区|自治州|自治县)", "", short)
    return len(stem) >= 3 and full.endswith(stem)


@rule("structure.department", "warning")
def department(ctx: Context) -> Iterator[Finding]:
    """Tables name the same department as the document (a shortened name contained in the full one is
    the same)
    """
    ref = ctx.doc.department
    names = [(t, t.department) for t in ctx.doc.tables if t.department]
    if ref is None and names:
        ref = names[0][1]
    if not ref:
        return
    for t, name in names:
        assert name is not None
        if not _same_department(name, ref):
            yield ctx.finding(f"{lk.kind_zh(t.kind)}的部门名称“{name}”与“{ref}”不一致",
                              f"the {t.kind} table names the department '{name}', the document '{ref}'",
                              lines=[t.line], table=t.kind)


_TOC_TABLE = re.compile(r"^(?:表[一二三四五六七八九十\d]+|[一二三四五六七八九十]+、)?.*表(?:\(.*\))?$|^表[一二三四五六七八九十\d]+")
_TOC_STRIP = re.compile(r"^(?:表[一二三四五六七八九十\d\-—_匹]+|[一二三四五六七八九十]+、|-\s*)|\d{4}年度?|[\s\"“”()（）:：\-_.·]")


_TOC_PART = re.compile(r"第.部分|附件")  # a part of the document, not a table
_COLLECTIVE = re.compile(r"部门(?:预算|决算)(?:报)?表$|(?:预算|决算)报表$")  # a part heading, not one table


@lru_cache(maxsize=1024)
def _lists_a_table(entry: str) -> bool:
    """Whether a contents entry names one table (not a part of the document or all the tables)."""
    return ("部分" not in entry and bool(_TOC_TABLE.search(entry)) and not _TOC_PART.match(entry)
            and not _COLLECTIVE.search(entry))


@lru_cache(maxsize=1024)
def _toc_key(text: str) -> str:
    return _TOC_STRIP.sub("", _TOC_STRIP.sub("", text))


@rule("structure.toc", "warning")
def toc(ctx: Context) -> Iterator[Finding]:
    """Every table the table of contents lists is in the document."""
    entries = [e for e in ctx.doc.toc if _lists_a_table(e.text)]
    tables = [t for t in ctx.doc.tables if t.kind != "performance" and t.title]
    if not entries or not tables:
        return
    matched = _matched_entries(tuple(_toc_key(e.text) for e in entries), tuple(_toc_key(t.title) for t in tables))
    for i, e in enumerate(entries):
        if i not in matched:
            yield ctx.finding(f"目录列有“{e.text}”，但文中没有这张表", f"the contents list '{e.text}' but no such table follows",
                              lines=[e.line])


@lru_cache(maxsize=256)
def _matched_entries(entry_keys: tuple[str, ...], table_keys: tuple[str, ...]) -> frozenset[int]:
    """The contents entries (by index) that match a table title, from their keys. Cached: the
    documents of a template list the same contents and print the same titles (years stripped)."""
    title_grams = [lk.bigrams(k) for k in table_keys]
    scored = []  # the pairs alike enough to match (the rest could never be used)
    for i, key in enumerate(entry_keys):
        ek = lk.bigrams(key)
        for j, tk in enumerate(title_grams):
            if ek.isdisjoint(tk):
                continue  # Dice 0
            ratio = lk.dice(ek, tk)
            if ratio >= 0.4:
                scored.append((ratio, i, j))
    # Entries are matched to titles greedily, the most alike pair first (ties: the later entry,
    # then the later table).
    scored.sort(reverse=True)
    used_e: set[int] = set()
    used_t: set[int] = set()
    for _, i, j in scored:
        if i in used_e or j in used_t:
            continue
        used_e.add(i)
        used_t.add(j)
    return frozenset(used_e)


@rule("structure.empty_table_note", "info")
def empty_table_note(ctx: Context) -> Iterator[Finding]:
    """A table without any figure says so (注: 本表无数据)"""
    for t in ctx.doc.tables:
        if t.kind in ("performance", "performance_overall") or t.empty or lk.table_has_figures(t):
            continue
        yield ctx.finding(f"{lk.kind_zh(t.kind)}“{t.title}”没有数字，也没有注明“本表无数据”",
                          f"the {t.kind} table '{t.title}' has no figures and no 本表无数据 note",
                          lines=[t.line], table=t.kind)
