"""Row names as the audit reads them (csrc/pb_names.c through pybudget._core): the
normalised name, unit names, function-class codes. The expected values are what
the regular expressions these functions replaced gave."""
from __future__ import annotations

import pytest

from pybudget import _core
from pybudget.checks import lookup
from pybudget.facts import class_code


@pytest.mark.parametrize(("name", "want"), [
    ("  其中：(一)工资福利支出", "工资福利支出"),  # blanks, 其中：, a bracketed numeral
    ("（三）基本支出", "基本支出"),
    ("十二、项目支出", "项目支出"),
    ("①公务接待费", "公务接待费"),
    ("12.项目", "项目"),
    ("１２、项目", "项目"),  # full-width digits are digits (\d)
    ("٣、项目", "项目"),  # so are Arabic-Indic ones
    ("“三公”经费", "三公经费"),
    ("市医疗保障局（本级）", "市医疗保障局(本级)"),
    ("\u3000其\xa0中\u2028：\t十、x", "x"),  # Unicode blanks go first, wherever they are
    ("一x", "一x"),  # a numeral with nothing after it is text
    ("⑩x", "⑩x"),  # only ① to ⑨
    ("一、二、x", "二、x"),  # one enumerator only
    ("‘一’、", "一、"),  # quotes go after the enumerator is looked for
    ("", ""),
])
def test_norm(name: str, want: str) -> None:
    assert _core.norm_name(name) == want
    assert lookup.norm(name) == want
    assert lookup.norm.__wrapped__(name) == want  # type: ignore[attr-defined]


def test_norm_keeps_surrogates() -> None:
    """A str may hold lone surrogates (UTF-8 cannot): they are ordinary characters."""
    assert _core.norm_name("\ud800 (一)\udc00：") == "\ud800(一)\udc00"
    assert _core.class_code("\ud800、教育") == "205"


@pytest.mark.parametrize(("name", "department", "want"), [
    ("朔州市医疗保障局", None, True),
    ("局机关", None, True),
    ("市医疗保障局(本级)", None, True),
    ("市医疗保障局（本级）", None, True),
    ("中心本级", None, True),
    ("医保经费", None, False),
    ("保障金管理中心", None, False),  # a unit's ending, but a project's word
    ("机关", None, False),
    ("局长", None, False),
    ("医疗保障", "朔州市医疗保障局", True),  # part of the department
    ("朔州市 医疗保障", "朔州市医疗保障局", True),  # normalised first
    ("医疗保障", "", False),
    ("", "", False),
])
def test_org_name(name: str, department: str | None, want: bool) -> None:
    assert _core.org_name(name, department) is want
    if department is None:
        assert _core.org_name(name) is want


@pytest.mark.parametrize(("name", "want"), [
    ("八、社会保障和就业支出", "208"),
    ("(十)卫生健康支出", "210"),
    ("十、卫生健康", "210"),  # Henan drops 支出
    ("医疗卫生与计划生育支出", "210"),  # an older name of the class
    ("预备费", "227"),
    ("抗疫特别国债安排的支出", "234"),
    ("其他的支出", "229"),  # a final 的 goes when the name is no class with it
    ("  、卫生健康支出", "210"),  # \s* gives a blank back to [^、]{1,4}、
    ("（12）教育支出\u3000", "205"),
    ("(一二三四五)教育", None),  # five characters in the brackets: no enumerator
    ("项目支出", None),
    ("工资福利支出", None),
])
def test_class_code(name: str, want: str | None) -> None:
    assert _core.class_code(name) == want
    assert class_code(name) == want


def test_arguments() -> None:
    with pytest.raises(TypeError):
        _core.norm_name(b"x")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        _core.org_name("x", 1)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        _core.org_name()  # type: ignore[call-arg]
    long = "其中：" + "局" * 10_000  # past the stack buffer
    assert _core.norm_name(long) == "局" * 10_000
    assert _core.org_name(long) is True
