"""Rounding tolerances (尾差): how far two printed figures may differ and why.

Tables print amounts rounded to their last digit (0.01万元 = 100元), so a sum
of n printed items may differ from the printed total by up to about n units
of that digit. The default allows ``tolerance_units`` units per summed item;
a figure restated once (a single printed value on each side) must match
exactly, unless one side is printed coarser, when half a unit of the coarser
digit is allowed for the rounding. Every finding says which rule applied.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, getcontext
from functools import lru_cache

from ..model import UNIT_YUAN

ZERO = Decimal(0)
HALF = Decimal("0.5")
CENT = Decimal("0.01")


def unit_text(resolution: Decimal, unit: str = "万元") -> str:
    """A resolution in 元 as printed: ``unit_text(Decimal(100), '万元') == '0.01万元'``."""
    scale = UNIT_YUAN.get(unit, Decimal(1))
    step = (resolution / scale).normalize()
    return f"{step:f}{unit}"


def yuan_text(amount: Decimal) -> str:
    """An amount in 元 without trailing zeros: ``yuan_text(Decimal('300.00')) == '300元'``."""
    text = f"{amount.normalize():f}"
    return f"{text}元"


@dataclass(frozen=True, init=False)
class Tolerance:
    """An allowed difference in 元 and the sentence saying where it comes from."""

    amount: Decimal
    rule: str

    def __init__(self, amount: Decimal, rule: str) -> None:
        # Money tolerances are shown to the 分; percentage tolerances keep their digits. An amount
        # with more digits than the decimal context holds (a huge tolerance setting) stays as it is.
        # (The fields go into the instance dict directly: the frozen dataclass's own __init__ would
        # set each through object.__setattr__, and every finding makes a tolerance.)
        # (is_qnan() tells a NaN without the tuple of digits as_tuple() would make.)
        if not amount.is_qnan() and amount.adjusted() < getcontext().prec - 2:
            cents = amount.quantize(CENT)
            if amount == cents:
                amount = cents
        values = self.__dict__
        values["amount"] = amount
        values["rule"] = rule

    def allows(self, difference: Decimal) -> bool:
        """Whether ``|difference|`` is within the tolerance."""
        return abs(difference) <= self.amount


# The tolerances below are worked out once per set of arguments: the figures of a corpus are printed to
# a handful of digits, and a tolerance's sentence costs more than the comparison it words. Equal decimals
# printed differently (100 and 100.00) word their figures differently, so each cache also keys on a
# decimal's text.


def for_sum(resolution: Decimal, unit: str, items: int, units: int) -> Tolerance:
    """``units`` units of the last printed digit per summed item (n ≥ 0)."""
    return _for_sum(str(resolution), resolution, unit, max(items, 0), units)


@lru_cache(maxsize=1024)
def _for_sum(_text: str, resolution: Decimal, unit: str, items: int, units: int) -> Tolerance:
    amount = resolution * units * items
    if items == 0:
        return Tolerance(ZERO, f"exact: one printed figure against another at {unit_text(resolution, unit)}")
    plural = "item" if items == 1 else "items"
    return Tolerance(amount, f"{units} unit of {unit_text(resolution, unit)} × {items} {plural} = {yuan_text(amount)}")


def figures_amount(resolutions: Iterable[Decimal], items: int, units: int) -> Decimal:
    """The amount :func:`for_figures` allows, without building its description (hot path)."""
    res = [r for r in resolutions if r > 0]
    if not res:
        return ZERO
    coarse, fine = max(res), min(res)
    amount = coarse * units * max(items - 1, 0)
    return amount + coarse * HALF if coarse != fine else amount


def for_figures(resolutions: Iterable[tuple[Decimal, str]], items: int, units: int) -> Tolerance:
    """Tolerance between sides made of ``items`` printed figures in all, printed at
    the given resolutions: ``units`` units of the coarsest digit per item beyond
    the first, plus half a unit when one side is printed coarser than the other."""
    given = tuple(resolutions)
    return _for_figures(tuple(str(r) for r, _ in given), given, items, units)


@lru_cache(maxsize=1024)
def _for_figures(_texts: tuple[str, ...], resolutions: tuple[tuple[Decimal, str], ...], items: int,
                 units: int) -> Tolerance:
    res = [(r, u) for r, u in resolutions if r > 0]
    if not res:
        return Tolerance(ZERO, "exact")
    coarse, cunit = max(res, key=lambda x: x[0])
    fine = min(r for r, _ in res)
    base = for_sum(coarse, cunit, items - 1, units)
    if coarse == fine:
        return base
    amount = base.amount + coarse * HALF
    rule = (f"{base.rule}; + half of {unit_text(coarse, cunit)} = {yuan_text(coarse * HALF)} "
            f"for rounding a figure printed to {yuan_text(fine)}")
    if base.amount == 0:
        rule = f"half of {unit_text(coarse, cunit)} = {yuan_text(coarse * HALF)}: rounding to the coarser figure"
    return Tolerance(amount, rule)


def for_restatement(fact_resolution: Decimal, fact_unit: str, table_tolerance: Tolerance,
                    zero: bool = False) -> Tolerance:
    """A prose figure restating a table figure: exact when printed to the table's
    digit (or when it is 0), else half a unit of the prose figure's last digit."""
    return _for_restatement(str(fact_resolution), str(table_tolerance.amount), fact_resolution, fact_unit,
                            table_tolerance, zero)


@lru_cache(maxsize=1024)
def _for_restatement(_text: str, _table_text: str, fact_resolution: Decimal, fact_unit: str,
                     table_tolerance: Tolerance, zero: bool) -> Tolerance:
    if zero:
        return Tolerance(table_tolerance.amount, "a stated 0 is exact" + (
            f"; {table_tolerance.rule}" if table_tolerance.amount else ""))
    amount = fact_resolution * HALF
    if table_tolerance.amount == 0 and amount <= 0:
        return table_tolerance
    rule = f"half of the prose's last digit {unit_text(fact_resolution, fact_unit)} = {yuan_text(amount)}"
    if table_tolerance.amount:
        rule = f"{rule}; + {table_tolerance.rule}"
    return Tolerance(amount + table_tolerance.amount, rule)


@lru_cache(maxsize=16)
def percent_unit(decimals: int) -> Decimal:
    """One unit of a percentage printed with ``decimals`` digits (in percentage points)."""
    return Decimal(1).scaleb(-decimals)
