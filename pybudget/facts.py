"""Narrative facts: the figures the prose (情况说明) states, each tied to its line.

>>> facts = extract_facts(pybudget.parse("000.txt"))
>>> [(f.subject, f.value, f.unit, f.share) for f in facts if f.line == 457]
[('支出总计', Decimal('761.35'), '万元', None), ('基本支出', Decimal('693.27'), '万元', Decimal('91.06')), …]

A paragraph wrapped over several lines is joined first (a line that does not
end a sentence runs on into the next one); every figure keeps the line it was
printed on. The C core reads the prose (csrc/pb_facts.c, with the GIL
released): figures go through its one exact number parser (the one
:func:`parse_figure` asks), never through ``float``; this module turns what it
reads into :class:`Fact` objects with exact ``Decimal`` values.

Only figures whose subject is recognised become facts: a paragraph that walks
through dozens of 项-level changes ("事业运行…比上年减少了11.67万元") yields
no fact for them, because nothing in the tables could be compared with a
change whose base is not stated.
"""
from __future__ import annotations

import sys
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from . import _core
from .model import UNIT_YUAN, Document, TextLine

__all__ = [
    "FUNCTION_CLASSES",
    "SUBJECTS",
    "Fact",
    "Facts",
    "Paragraph",
    "class_code",
    "document_facts",
    "extract_facts",
    "paragraphs",
    "parse_figure",
]

# The subject and class tables live in the C core (csrc/pb_fact_words.h), with the readers that use
# them; the older or regional spellings of the classes (Henan drops 支出, uses 事务) only class_code reads.
_SUBJECTS, _CLASSES = _core.fact_tables()
#: Function classes (政府支出功能分类, 类) by code, with the names the prose uses.
FUNCTION_CLASSES: dict[str, str] = dict(_CLASSES)


@lru_cache(maxsize=4096)
def class_code(name: str) -> str | None:
    """The class code of a summary-table row name: '八、社会保障和就业支出' → '208',
    '(十)卫生健康支出' → '210', Henan's '十、卫生健康' → '210'. Read by the C core
    (csrc/pb_names.c): one leading enumerator ('八、', '(十)') and the blanks around
    the name go, then 支出, then (if that names no class) a final 的."""
    return _core.class_code(name)


#: One unit of the last printed digit for 0, 1 and 2 decimals (the quantum of a parsed figure).
_QUANTUM = tuple(Decimal(1).scaleb(-d) for d in range(3))


@lru_cache(maxsize=4096)
def parse_figure(text: str) -> tuple[Decimal, int] | None:
    """A printed figure as an exact decimal and its printed decimals, through the
    core's one number grammar: ``'4,092.38'`` → ``(Decimal('4092.38'), 2)``.
    Cached: a document restates its figures (and the result is immutable)."""
    try:
        got = _core.parse_number(text, 0)
        if not isinstance(got, tuple):
            return None
        fen, decimals = got
        if decimals > 2:  # more digits than 分: ask for a finer unit so nothing is rounded away
            got = _core.parse_number(text, decimals - 2)
            if not isinstance(got, tuple):
                return None
            return Decimal(got[0]).scaleb(-decimals), decimals
    except OverflowError:  # beyond 64-bit 分 ('99999999999999999元'): no amount a budget states
        return None
    return Decimal(fen).scaleb(-2).quantize(_QUANTUM[decimals]), decimals


@dataclass(frozen=True)
class Fact:
    """One figure the prose states about a known subject.

    ``value`` is as printed in ``unit``; ``value_yuan`` is the same amount in 元
    for money (None for 辆/人/个/平方米). ``change`` is the signed change
    against last year (元 for money, else in ``unit``), ``change_pct`` the
    signed percentage (``Decimal('Infinity')`` for 增长∞%). ``share`` is the
    stated 占 x%. ``lines`` holds every line a part of the fact was printed on
    (``line`` is the value's). ``part_of`` is the index of the fact this one is
    listed under (其中), ``share_base`` the index of the fact the share is of
    when the prose states it, ``share_base_subject`` the subject named by
    '占…总额的x%'.
    """

    subject: str
    value: Decimal
    unit: str
    value_yuan: Decimal | None
    line: int
    sentence: str
    share: Decimal | None = None
    change: Decimal | None = None
    change_pct: Decimal | None = None
    reason: str | None = None
    decimals: int = 0
    share_decimals: int = 0
    change_decimals: int = 0
    change_pct_decimals: int = 0
    section: str = ""
    qualifier: str | None = None
    index: int = 0
    paragraph: int = 0
    sentence_id: int = 0
    lines: tuple[int, ...] = ()
    part_of: int | None = None
    part_list: int | None = None
    share_base: int | None = None
    share_base_subject: str | None = None

    @property
    def is_money(self) -> bool:
        """Whether the value is an amount of money."""
        return self.unit in UNIT_YUAN

    @property
    def resolution_yuan(self) -> Decimal | None:
        """One unit of the value's last printed digit, in 元 (money only)."""
        return _money_resolution(self.unit, self.decimals)


@lru_cache(maxsize=64)
def _money_resolution(unit: str, decimals: int) -> Decimal | None:
    """:attr:`Fact.resolution_yuan` of a unit and printed decimals (the rules ask for it often)."""
    return UNIT_YUAN[unit].scaleb(-decimals) if unit in UNIT_YUAN else None


# --------------------------------------------------------------------------
# Paragraphs and facts, read by the C core (csrc/pb_facts.c)
# --------------------------------------------------------------------------
#: Every subject a fact can have (classes by their full names).
SUBJECTS: tuple[str, ...] = _SUBJECTS


@dataclass
class Paragraph:
    """Prose lines joined into one text; ``starts`` maps offsets back to lines."""

    text: str
    starts: list[tuple[int, int]]
    section: str
    heading: bool = False

    def line_at(self, offset: int) -> int:
        """The source line of a character offset."""
        starts = self.starts
        if len(starts) == 1:
            return starts[0][1]
        # Offsets in ``starts`` strictly increase: the last start at or before ``offset``.
        k = bisect_right(starts, (offset, sys.maxsize)) - 1
        return starts[max(k, 0)][1]


def paragraphs(texts: Sequence[TextLine]) -> list[Paragraph]:
    """Joins wrapped prose lines and tracks the heading each paragraph sits under
    ('三、支出预算情况说明 / (一)…'), which decides which table a figure restates:
    the paragraphs the facts are read from. A line runs on into the next one when
    it ends no sentence; blanks, '#'s and quotation marks are dropped."""
    return [Paragraph(text, starts, section, heading) for text, starts, section, heading in _core.fact_paragraphs(texts)]


_CENT = Decimal("0.01")
_INFINITY = Decimal("Infinity")
_ZERO = Decimal(0)


@lru_cache(maxsize=4096)
def _figure(digits: int, exponent: int) -> Decimal:
    """A printed figure as the core read it: its digits and the power of ten of the last one."""
    return Decimal(digits).scaleb(exponent)


@lru_cache(maxsize=4096)
def _value(digits: int, exponent: int, unit: str) -> tuple[Decimal, Decimal | None]:
    """A fact's value and the same in 元 (money only). Cached: documents restate their figures."""
    value = _figure(digits, exponent)
    scale = UNIT_YUAN.get(unit)
    return value, None if scale is None else (value * scale).quantize(_CENT)


def _share(got: tuple | str) -> Decimal:
    """A stated share (占x%): (digits, exponent, …) or 'inf'."""
    return _INFINITY if got == "inf" else _figure(got[0], got[1])


def _change(got: tuple | int) -> Decimal:
    """A change against last year: in 元 for money (the unit it was stated in), else in its unit."""
    if got == 0:
        return _ZERO
    return _figure(got[0], got[1]) * (-1 if got[2] else 1) * UNIT_YUAN.get(got[3], 1)


def _change_pct(got: tuple | int | str) -> Decimal:
    """A signed percentage change: 0 for a change stated in words, 'inf' for 增长∞%."""
    if got == 0 or got == "inf":
        return _ZERO if got == 0 else _INFINITY
    return _figure(got[0], got[1]) * (-1 if got[2] else 1)


def _new_fact(values: dict[str, Any]) -> Fact:
    """A Fact from a dict of _core.read_facts, which is keyed by Fact's fields: its numbers become
    exact decimals and the dict becomes the instance's own (:func:`fact_of_fields`)."""
    digits, exponent = values["value"]
    values["value"], values["value_yuan"] = _value(digits, exponent, values["unit"])
    share, change, change_pct = values["share"], values["change"], values["change_pct"]
    if share is not None:
        values["share"] = _share(share)
    if change is not None:
        values["change"] = _change(change)
    if change_pct is not None:
        values["change_pct"] = _change_pct(change_pct)
    return fact_of_fields(values)


def fact_of_fields(values: dict[str, Any]) -> Fact:
    """A Fact whose instance dict is ``values`` (fields left out take the class's defaults), made at once:
    the frozen dataclass's ``__init__`` would set the 24 fields one ``object.__setattr__`` at a time."""
    fact = object.__new__(Fact)
    object.__setattr__(fact, "__dict__", values)
    return fact


def _read_facts(texts: Sequence[TextLine]) -> list[Fact]:
    """The facts of prose lines: the C core reads them (csrc/pb_facts.c), with the GIL released."""
    return [_new_fact(row) for row in _core.read_facts(texts)]


#: The comparisons of a document's facts with each other that may fail, as the C core finds them while
#: it reads the facts (csrc/pb_fact_checks.c; every other one certainly passes): for text.share (fact
#: index, its base) pairs, the base None for a share of a fact named by index (Fact.share_base), -1 for the
#: tables' figure of its subject (Fact.share_base_subject) where no fact of it comes before, else that fact;
#: for text.change_pct fact indexes, for text.shares_sum tuples of them, for text.parts_sum (indexes, units)
#: pairs, kept while the audit's tolerance units are below units (None: whatever they are).
FactChecks = tuple[list[tuple[int, int | None]], list[tuple[int, ...]], list[int], list[tuple[tuple[int, ...], int | None]]]

class Facts(Sequence[Fact]):
    """A document's facts in reading order, each made into a :class:`Fact` the first time it is
    asked for. The core keeps what it read (``_core.fact_rows``): the audit's C passes decide most
    comparisons, and its rules look at the few facts those leave, so the rest are never built."""

    __slots__ = ("_rows", "_made", "_subjects")

    def __init__(self, rows: Any) -> None:
        self._rows = rows
        self._made: list[Fact | None] = [None] * len(rows)
        self._subjects: tuple[str, ...] | None = None

    def __len__(self) -> int:
        return len(self._made)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self._made)))]
        fact = self._made[index]
        if fact is None:
            fact = self._made[index] = _new_fact(self._rows[index])
        return fact

    def __iter__(self) -> Iterator[Fact]:
        made = self._made
        for i, fact in enumerate(made):
            yield fact if fact is not None else self[i]

    def subjects(self) -> tuple[str, ...]:
        """Every fact's subject, in reading order, without making the facts."""
        if self._subjects is None:
            self._subjects = self._rows.subjects()
        return self._subjects

    def __repr__(self) -> str:
        return f"<Facts: {len(self._made)} facts>"


#: The facts' numbers as the C core compares them with the tables' figures (text.vs_table,
#: csrc/pb_restate.h): the sections the facts are in (a str per run of facts in one section), and an
#: opaque record per fact, in reading order, naming its section by its index there.
FactNumbers = tuple[tuple[str, ...], bytes]

#: Where a document keeps its facts, the comparisons of them and their numbers, with the prose they
#: were read from.
_FACTS = "_facts"


def _facts_of(doc: Document) -> tuple[tuple[TextLine, ...], Facts, FactChecks, FactNumbers]:
    """A document's prose, its facts, their comparisons and numbers, read once (again when ``doc.texts``
    changed)."""
    texts = tuple(doc.texts)
    kept = doc.__dict__.get(_FACTS)
    if kept is None or kept[0] != texts:
        rows, checks, numbers = _core.fact_rows(texts)
        kept = doc.__dict__[_FACTS] = (texts, Facts(rows), checks, numbers)
    return kept  # type: ignore[no-any-return]


def extract_facts(doc: Document) -> list[Fact]:
    """Every recognised figure the prose states, in reading order (see :class:`Fact`).

    The facts are read once per document: the corpus builds the facts frame and
    the audit (``doc.check()``) from the same document. They are read again when
    ``doc.texts`` has changed since.
    """
    return list(_facts_of(doc)[1])


def document_facts(doc: Document) -> Facts:
    """The document's facts as :func:`extract_facts` reads them, each made when first asked for
    (the audit's rules ask for few); the same object for every call while ``doc.texts`` is unchanged."""
    return _facts_of(doc)[1]


def read_prose(doc: Document) -> tuple[Facts, FactChecks, FactNumbers]:
    """The document's facts (:func:`document_facts`), which comparisons of them with each other the
    audit's text rules must judge (:data:`FactChecks`) and their numbers as the C core compares them with
    the tables' figures (:data:`FactNumbers`): one read of the prose, so the indexes of the last two are
    those of the facts. Not to be changed."""
    _, facts, checks, numbers = _facts_of(doc)
    return facts, checks, numbers


def facts_by_subject(facts: Iterable[Fact]) -> dict[str, list[Fact]]:
    """Facts grouped by subject, in reading order."""
    out: dict[str, list[Fact]] = {}
    for f in facts:
        out.setdefault(f.subject, []).append(f)
    return out
