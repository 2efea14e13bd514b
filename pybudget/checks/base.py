"""Findings, the rule registry and the per-document context the rules share."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property, partial
from operator import is_not
from typing import Any, Literal

from ..facts import FactChecks, FactNumbers, Facts, read_prose
from ..model import UNIT_YUAN, Document, Table
from .tolerance import Tolerance

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True, init=False)
class Finding:
    """One inconsistency (or, for severity 'info', a difference worth knowing).

    Amounts are in 元 (``expected``/``actual``/``difference``/``tolerance``);
    rules on counts use the count, rules on percentages percentage points, and
    ``tolerance_rule`` says which. ``lines[0]`` is where the discrepancy is
    reported (the figure under check); the other lines hold the figures it
    was checked against.
    """

    rule: str
    severity: Severity
    message_zh: str
    message_en: str
    expected: Decimal | None = None
    actual: Decimal | None = None
    difference: Decimal | None = None
    tolerance: Decimal | None = None
    tolerance_rule: str | None = None
    lines: tuple[int, ...] = ()
    table: str | None = None

    def __init__(self, rule: str, severity: Severity, message_zh: str, message_en: str,
                 expected: Decimal | None = None, actual: Decimal | None = None, difference: Decimal | None = None,
                 tolerance: Decimal | None = None, tolerance_rule: str | None = None, lines: tuple[int, ...] = (),
                 table: str | None = None) -> None:
        # The frozen dataclass's own __init__ sets each field through object.__setattr__; the fields
        # go into the instance dict directly, as for lookup.Figure.
        values = self.__dict__
        values["rule"] = rule
        values["severity"] = severity
        values["message_zh"] = message_zh
        values["message_en"] = message_en
        values["expected"] = expected
        values["actual"] = actual
        values["difference"] = difference
        values["tolerance"] = tolerance
        values["tolerance_rule"] = tolerance_rule
        values["lines"] = lines
        values["table"] = table

    @property
    def line(self) -> int | None:
        """The line the finding is reported at."""
        return self.lines[0] if self.lines else None


RuleFunc = Callable[["Context"], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    """A registered check: stable id, severity, one-line description, function."""

    id: str
    severity: Severity
    description: str
    func: RuleFunc = field(repr=False, compare=False)


#: Every rule by id, in registration order (see README, 'Checks').
RULES: dict[str, Rule] = {}


def rule(rule_id: str, severity: Severity, description: str | None = None) -> Callable[[RuleFunc], RuleFunc]:
    """Registers a check function under a stable id; its description is the
    function's docstring unless given."""

    def register(func: RuleFunc) -> RuleFunc:
        if rule_id in RULES:
            raise ValueError(f"rule {rule_id!r} registered twice")
        text = description or " ".join((func.__doc__ or "").split())
        if not text:
            raise ValueError(f"rule {rule_id!r} has no description")
        RULES[rule_id] = Rule(rule_id, severity, text, func)
        return func

    return register


#: Whether a line is given (not None): a finding's lines, filtered in C.
_GIVEN = partial(is_not, None)


class Context:
    """What the rules of one run share: the document, the tolerance setting, and
    values computed once (the prose facts)."""

    def __init__(self, doc: Document, tolerance_units: int = 1) -> None:
        self.doc = doc
        self.units = tolerance_units
        self._rule: Rule | None = None
        self._first: dict[str, Table] = {}
        for t in doc.tables:
            self._first.setdefault(t.kind, t)
        #: Table figures the rules looked up, by what they asked for (see text_rules.table_figure).
        self.figures: dict[tuple[object, ...], Any] = {}

    @cached_property
    def _prose(self) -> tuple[Facts, FactChecks, FactNumbers]:
        """The facts, their comparisons and their numbers, from one read of the prose."""
        return read_prose(self.doc)

    @cached_property
    def facts(self) -> Facts:
        """The prose facts, read once per document; each becomes a :class:`~pybudget.facts.Fact`
        when a rule first looks at it (see :class:`~pybudget.facts.Facts`)."""
        return self._prose[0]

    @cached_property
    def fact_checks(self) -> FactChecks:
        """The comparisons of the facts with each other that may fail (the C core cleared the rest)."""
        return self._prose[1]

    @cached_property
    def fact_numbers(self) -> FactNumbers:
        """The facts' numbers as the C core compares them with the tables' figures (text.vs_table)."""
        return self._prose[2]

    def table(self, kind: str) -> Table | None:
        """The first table of a kind."""
        return self._first.get(kind)

    def kinds(self) -> frozenset[str]:
        """The kinds of the document's tables."""
        return frozenset(self._first)

    def finding(self, message_zh: str, message_en: str, *, expected: Decimal | None = None,
                actual: Decimal | None = None, tolerance: Tolerance | None = None,
                lines: Iterable[int] = (), table: str | None = None,
                difference: Decimal | None = None) -> Finding:
        """A finding of the rule being run; ``difference`` defaults to actual − expected."""
        assert self._rule is not None
        if difference is None and expected is not None and actual is not None:
            difference = actual - expected
        return Finding(rule=self._rule.id, severity=self._rule.severity, message_zh=message_zh,
                       message_en=message_en, expected=expected, actual=actual, difference=difference,
                       tolerance=None if tolerance is None else tolerance.amount,
                       tolerance_rule=None if tolerance is None else tolerance.rule,
                       lines=tuple(dict.fromkeys(map(int, filter(_GIVEN, lines)))), table=table)

    def run(self, selected: Iterable[Rule]) -> Iterator[Finding]:
        """Runs rules in order, yielding their findings."""
        for r in selected:
            self._rule = r
            yield from r.func(self)
        self._rule = None


def money_text(amount: Decimal | None, unit: str = "万元", decimals: int = 2) -> str:
    """An amount in 元 shown in a table's unit: ``money_text(Decimal('7339000'), '万元', 2) == '733.90万元'``."""
    if amount is None:
        return "—"
    scale = UNIT_YUAN.get(unit, Decimal(1))
    return f"{(amount / scale).quantize(Decimal(1).scaleb(-decimals)):f}{unit}"
