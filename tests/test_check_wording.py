"""What the rules decide before they word a finding: a tolerance's amount decides as the worded
tolerance would, the tolerances worded once are the ones worded each time, and a share's base is the
last money fact of its subject in the paragraph, found without making the facts before it; a contents
entry's character pairs are its text's."""
from __future__ import annotations

from decimal import Decimal as D
from itertools import product
from types import SimpleNamespace

import pytest

from pybudget.checks.cross_rules import _rounding, _within_rounding, compare
from pybudget.checks.lookup import Figure
from pybudget.checks.text_rules import _parts_tolerance, _percent_tolerance, _share_base
from pybudget.checks.tolerance import for_figures
from pybudget.facts import fact_of_fields


# --------------------------------------------------------------------------
# cross rules: the default rounding, decided without its description
# --------------------------------------------------------------------------
_RESOLUTIONS = ((D("100.00"), "万元"), (D("1"), "元"), (D("0.01"), "元"), (D("10000"), "万元"), (D("0"), "元"))


@pytest.mark.parametrize("units", [0, 1, 3])
def test_within_rounding_is_what_the_worded_tolerance_allows(units):
    ctx = SimpleNamespace(units=units, finding=lambda *args, **kwargs: args)
    for (ra, ua), (rb, ub), items_a, items_b in product(_RESOLUTIONS, _RESOLUTIONS, (1, 2, 5), (1, 3)):
        tol = for_figures([(ra, ua), (rb, ub)], items_a + items_b, units)
        for diff in (D(0), D("0.01"), D("0.5"), D(50), D(100), D(150), D(200), D(250), D(5000), D(10001), D(20000)):
            a = Figure(D(1000000) + diff, (1,), items_a, ra, ua, 2, "a")
            b = Figure(D(1000000), (2,), items_b, rb, ub, 2, "b")
            assert _within_rounding(ctx, a, b) == tol.allows(diff), (ra, rb, items_a, items_b, diff, units)
            assert _within_rounding(ctx, a, b) == (not list(compare(ctx, a, b, "x", "x", None)))
            assert (_rounding(ctx, a, b) is None) == tol.allows(diff)


# --------------------------------------------------------------------------
# text rules: tolerances worded once, and decided before they are worded
# --------------------------------------------------------------------------
def test_percent_tolerance_decides_on_the_amount_a_finding_states():
    unit, spread = D("0.1"), D("0.00006")  # 0.10006 points, stated to four decimals as 0.1001
    assert _percent_tolerance(D("0.1"), unit, spread, "", "the figures") is None  # within the exact amount
    assert _percent_tolerance(D("-0.10008"), unit, spread, "", "the figures") is None  # within the stated one
    tol = _percent_tolerance(D("0.1002"), unit, spread, " (rounded or cut)", "the amounts")
    assert tol is not None and tol.amount == D("0.1001") and str(tol.amount) == "0.1001"
    assert tol.rule == "percentage points: 1 unit of the stated 0.1% (rounded or cut) + 0.0001 for the rounding of " \
                       "the amounts"


@pytest.mark.parametrize("step, items, units, amount, rule", [
    (D("100.00"), 2, 1, "200.00", "1 unit of 0.01万元 × 2 items = 200元"),
    (D("100"), 2, 1, "200.00", "1 unit of 0.01万元 × 2 items = 200元"),  # the same digit printed otherwise
    (D("10000"), 3, 3, "90000.00", "3 unit of 1万元 × 3 items = 90000元"),
    (D("100.00"), 0, 1, "0.00", "exact"),
    (D("100.00"), 2, 0, "0.00", "exact"),
])
def test_parts_tolerance_is_worded_as_the_rule_words_it(step, items, units, amount, rule):
    for _ in range(2):  # worded once, then from the cache
        tol = _parts_tolerance(step, "万元", units, items)
        assert (str(tol.amount), tol.rule) == (amount, rule)


class _Facts:
    """The facts of a stub context: their subjects, and which facts were made."""

    def __init__(self, fields: list[dict]) -> None:
        self._fields = fields
        self.made: list[int] = []

    def subjects(self) -> tuple[str, ...]:
        return tuple(f["subject"] for f in self._fields)

    def __getitem__(self, index: int):
        self.made.append(index)
        return fact_of_fields(dict(self._fields[index]))


def _money(subject: str, wan: str, paragraph: int, index: int, **more) -> dict:
    value = D(wan)
    return {"subject": subject, "value": value, "unit": "万元", "value_yuan": (value * 10000).quantize(D("0.01")),
            "line": 10 + index, "sentence": "", "decimals": 2, "paragraph": paragraph, "index": index, **more}


def test_share_base_is_the_last_money_fact_of_its_subject_in_the_paragraph():
    facts = _Facts([
        _money("项目支出", "100.00", 1, 0),  # another paragraph
        _money("项目支出", "200.00", 2, 1),  # the base
        {**_money("项目支出", "5", 2, 2), "unit": "个", "value_yuan": None, "decimals": 0},  # a count
        _money("基本支出", "300.00", 2, 3),  # another subject
        _money("公开项目绩效目标", "50.00", 2, 4, share=D(25), share_base_subject="项目支出"),
    ])
    share = facts[4]
    base = _share_base(SimpleNamespace(facts=facts), share)
    assert base == (D("2000000.00"), D("50.0000"), (11,), "项目支出200.00万元")
    assert facts.made == [4, 2, 1]  # from the share back to its base: the earlier paragraph's fact is not made


