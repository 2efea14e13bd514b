"""Narrative facts: the figures the prose (情况说明) states, each tied to its line.

>>> facts = extract_facts(pybudget.parse("000.txt"))
>>> [(f.subject, f.value, f.unit, f.share) for f in facts if f.line == 457]
[('支出总计', Decimal('761.35'), '万元', None), ('基本支出', Decimal('693.27'), '万元', Decimal('91.06')), …]

A paragraph wrapped over several lines is joined first (a line that does not
end a sentence runs on into the next one); every figure keeps the line it was
printed on. Figures go through the core's exact number parser
(:func:`parse_figure`), never through ``float``.

Only figures whose subject is recognised become facts: a paragraph that walks
through dozens of 项-level changes ("事业运行…比上年减少了11.67万元") yields
no fact for them, because nothing in the tables could be compared with a
change whose base is not stated.
"""
from __future__ import annotations

import re
import sys
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import MISSING, dataclass, field, fields
from decimal import Decimal
from functools import lru_cache
from operator import itemgetter, methodcaller

from . import _core
from .model import UNIT_YUAN, Document, TextLine

__all__ = [
    "FUNCTION_CLASSES",
    "SUBJECTS",
    "Fact",
    "Paragraph",
    "class_code",
    "extract_facts",
    "paragraphs",
    "parse_figure",
]

#: Function classes (政府支出功能分类, 类) by code, with the names the prose uses.
FUNCTION_CLASSES: dict[str, str] = {
    "201": "一般公共服务支出", "202": "外交支出", "203": "国防支出", "204": "公共安全支出", "205": "教育支出",
    "206": "科学技术支出", "207": "文化旅游体育与传媒支出", "208": "社会保障和就业支出", "209": "社会保险基金支出",
    "210": "卫生健康支出", "211": "节能环保支出", "212": "城乡社区支出", "213": "农林水支出", "214": "交通运输支出",
    "215": "资源勘探工业信息等支出", "216": "商业服务业等支出", "217": "金融支出", "219": "援助其他地区支出",
    "220": "自然资源海洋气象等支出", "221": "住房保障支出", "222": "粮油物资储备支出", "223": "国有资本经营预算支出",
    "224": "灾害防治及应急管理支出", "227": "预备费", "229": "其他支出", "230": "转移性支出", "231": "债务还本支出",
    "232": "债务付息支出", "233": "债务发行费用支出", "234": "抗疫特别国债安排的支出",
}
# Older or regional spellings of the same classes (Henan drops 支出, uses 事务).
_CLASS_ALIASES = {
    "医疗卫生与计划生育": "210", "文化体育与传媒": "207", "文化体育旅游与传媒": "207", "城乡社区事务": "212",
    "农林水事务": "213", "资源勘探信息等": "215", "资源勘探电力信息等": "215", "国土海洋气象等": "220",
    "国有资本经营预算": "223", "灾害防治及应急管理": "224", "抗疫特别国债安排": "234",
}
_CLASS_BY_STEM = {name.removesuffix("支出"): code for code, name in FUNCTION_CLASSES.items()}
_CLASS_BY_STEM.update(_CLASS_ALIASES)
_ENUM_PREFIX = re.compile(r"^\s*(?:[(（][^)）]{1,4}[)）]|[^、]{1,4}、)")


@lru_cache(maxsize=4096)
def class_code(name: str) -> str | None:
    """The class code of a summary-table row name: '八、社会保障和就业支出' → '208',
    '(十)卫生健康支出' → '210', Henan's '十、卫生健康' → '210'."""
    stem = _ENUM_PREFIX.sub("", name).strip()
    stem = stem.removesuffix("支出") if stem != "预备费" else stem
    return _CLASS_BY_STEM.get(stem) or _CLASS_BY_STEM.get(stem.removesuffix("的"))


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
# Paragraphs: prose lines joined where a sentence runs on
# --------------------------------------------------------------------------
_HEADING = re.compile(r"^(?:#+\s*)?(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|\d{1,2}[、.．](?!\d))")
_SENTENCE_END = "。!?！？"
_SENTENCE_ENDS = tuple(_SENTENCE_END)  # for str.endswith
# A sentence runs to and keeps its end mark, or runs to the paragraph's end. (Matching
# sentences is several times cheaper than splitting at a lookbehind, tried at every character.)
_SENTENCES = re.compile(r"[^。!?！？]*[。!?！？]|[^。!?！？]+")
# '733. 90万元' keeps the OCR space after the point; parse_figure reads it as the core does.
# A figure is '∞' or digits not preceded by a digit or point. The pattern opens with the
# character class [∞\d] (the check on what precedes comes right after it) so that the
# regex engine jumps from digit to digit instead of trying every character of the prose.
# The digits and the decimals are taken possessively (*+, ?+): a shorter run of them is followed by
# a digit, a comma or a point, where no unit can follow, so backing off into them (as '2024年'
# made the engine do, a digit at a time) never finds a figure.
_FIGURE = re.compile(r"([∞\d](?<![\d.].)(?:(?<=∞)|(?<=\d)[\d,]*+(?:\. ?\d+)?+))\s?(万元|亿元|元|%|％|辆|平方米|人|名|个)")
_QUOTE_MARKS = "“”\"'‘’「」"
_MAX_GAP = 3  # a sentence never runs on across more than two blank lines (a table sits in bigger gaps)


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


def _worth_reading(text: str) -> bool:
    """Whether prose may state a fact: it has a figure, 无 or a 'no change' word."""
    figures, words = _WORTH_READING
    return figures.search(text) is not None or words.search(text) is not None


@lru_cache(maxsize=1024)
def _heading_mark(text: str) -> str | None:
    """A heading's enumerator ('三、', '(一)', '第一部分'), None when the line is not one
    (a heading is at most 40 characters long: callers test that first). Cached: a template's
    documents share their headings."""
    m = _HEADING.match(text)
    if m is None or _FIGURE.search(text) or text.endswith(_SENTENCE_ENDS):
        return None
    return m.group(1)


def _clean_lines(texts: Sequence[TextLine]) -> list[str]:
    """Each line without the blanks and '#'s around it, nor quotation marks: they carry
    nothing for the figures ('“三公”经费' is 三公经费)."""
    lines = [tl.text.strip().lstrip("#").strip() for tl in texts]
    joined = "\n".join(lines)
    if joined.count("\n") != len(lines) - 1:  # a line with a newline of its own
        return [_without_quotes(line) for line in lines]
    return _without_quotes(joined).split("\n")  # one pass over the whole prose


def _without_quotes(text: str) -> str:
    """The text without quotation marks. One str.replace per mark, each a quick scan in C, costs
    less than a regex trying the character class at every position."""
    for mark in _QUOTE_MARKS:
        text = text.replace(mark, "")
    return text


def paragraphs(texts: Sequence[TextLine]) -> list[Paragraph]:
    """Joins wrapped prose lines and tracks the heading each paragraph sits under
    ('三、支出预算情况说明 / (一)…'), which decides which table a figure restates."""
    out: list[Paragraph] = []
    level1 = level2 = section = ""
    current: Paragraph | None = None
    last_line = -10
    for tl, text in zip(texts, _clean_lines(texts)):
        if not text:
            continue
        line = tl.line
        mark = _heading_mark(text) if len(text) <= 40 else None
        if mark is not None:
            current = None
            if mark.startswith("第"):
                level1 = level2 = ""
            elif mark.endswith("、") and not mark[0].isdigit():
                level1, level2 = text, ""
            else:
                level2 = text
            section = f"{level1}/{level2}" if level2 else level1
            out.append(Paragraph(text, [(0, line)], level1, heading=True))
        elif (current is not None and line - last_line <= _MAX_GAP and not current.text.endswith(_SENTENCE_ENDS)
              and not text.startswith("其中")):
            current.starts.append((len(current.text), line))
            current.text += text
        else:
            current = Paragraph(text, [(0, line)], section)
            out.append(current)
        last_line = line
    return out


# --------------------------------------------------------------------------
# Subjects: what a figure's label (the words before it) says it is
# --------------------------------------------------------------------------
def _pats(*pairs: tuple[str, str]) -> list[tuple[str, re.Pattern[str]]]:
    return [(subject, re.compile(f"(?:{pattern})$")) for subject, pattern in pairs]


# Prose names classes in full ('住房保障支出'); Henan's short stems ('卫生健康') only appear in tables.
_CLASS_BY_NAME = {**{name: code for code, name in FUNCTION_CLASSES.items()},
                  **{f"{stem}支出": code for stem, code in _CLASS_ALIASES.items()}}
_CLASS_PATTERN = "|".join(sorted((re.escape(s) for s in _CLASS_BY_NAME), key=len, reverse=True))
#: Money subjects, most specific first; each pattern must end the label.
_MONEY = _pats(
    ("财政拨款收支总额", r"财政拨款收支总(?:预算|决算|额|计)"),
    ("一般公共预算当年支出", r"一般公共预算(?:当年(?:支出|拨款)|支出(?:年初)?(?:预算|决算)?)(?:规模)?"),
    ("一般公共预算拨款收入", r"一般公共预算(?:拨款)?收入|^一般公共预算"),
    ("政府性基金预算拨款收入", r"政府性基金预算(?:拨款)?收入|^政府性基金预算"),
    ("国有资本经营预算拨款收入", r"国有资本经营预算(?:拨款)?收入|^国有资本经营预算"),
    ("财政专户管理资金收入", r"财政专户管理资金(?:收入)?"),
    ("单位资金", r"单位资金|事业收入"),
    ("一般公共预算拨款", r"一般公共预算(?:拨款|收支(?:预算|决算)?)"),
    ("政府性基金预算拨款", r"政府性基金(?:预算)?(?:拨款|收支(?:预算|决算)?)"),
    ("国有资本经营预算拨款", r"国有资本经营预算(?:拨款|收支(?:预算|决算)?)"),
    ("政府性基金预算支出", r"政府性基金(?:预算|决算)?(?:财政拨款)?支出(?:预算|决算)?"),
    ("当年拨款收入", r"当年拨款收入"),
    ("上年结转收入", r"上年(?:财政拨款)?结转收入"),
    ("上年结转", r"上年结转(?:结余)?"),
    ("人员经费", r"人员经费(?:支出)?"),
    ("公用经费", r"公用经费(?:支出)?"),
    ("基本支出", r"基本支出(?:总计|合计)?"),
    ("项目支出", r"项目支出"),
    ("“三公”经费", r"三公经费(?:支出)?(?:预算|决算)?(?:数)?"),
    ("因公出国(境)费", r"因公出国\(境\)费(?:用)?"),
    ("公务接待费", r"公务接待费"),
    ("公务用车购置及运行费", r"公务用车购置及运行(?:维护)?费"),
    ("公务用车购置费", r"公务用车购置费"),
    ("公务用车运行维护费", r"公务用车运行(?:维护)?费"),
    ("机关运行经费", r"机关(?:行政)?运[行转](?:经)?费(?:财政拨款)?(?:支出)?(?:预算|决算)?"),
    ("政府采购货物", r"政府采购货物(?:预算|决算)?"),
    ("政府采购工程", r"政府采购工程(?:预算|决算)?"),
    ("政府采购服务", r"政府采购服务(?:预算|决算)?"),
    ("政府采购", r"政府采购(?:预算|决算)?(?:总额|安排)"),
    ("工资福利支出", r"工资福利支出"),
    ("对个人和家庭的补助", r"对个人和家庭(?:的)?补助(?:支出)?"),
    ("商品和服务支出", r"商品(?:和)?服务支出"),
    ("资本性支出", r"资本性支出"),
    ("整体绩效目标", r"整体(?:支出)?绩效目标(?:资金)?"),
    ("本年收入", r"本年收入(?:合计)?|收入合计"),
    ("本年支出", r"本年(?:部门)?(?:预算|决算|支出)?安排|本年支出(?:合计)?"),
    ("收入总计", r"收入总计|(?:预算|决算)收入|收入(?:预算|决算)"),
    ("支出总计", r"支出总计|支出合计|支出(?:预算|决算)|(?:预算|决算)支出|纳入预算绩效管理的支出总额"),
    ("@class", f"(?:{_CLASS_PATTERN})"),
)
#: Counts (个) of projects under performance management and of projects.
_COUNT = _pats(
    ("绩效目标管理项目", r"(?:纳入|实行)(?:预算)?绩效(?:目标)?管理的(?:二级|2级)?项目"),
    ("公开项目绩效目标", r"公开(?:项目)?绩效目标"),
    ("其他运转类项目", r"其他运转类项目"),
    ("特定目标类项目", r"特定目标类项目"),
    ("大额项目", r"以上(?:的)?项目"),
    ("项目支出", r"支出项目|项目支出"),
)
_VEHICLES = _pats(
    ("公务用车编制数", r"编制"),
    ("公务用车实有数", r"(?:实有|共有)(?:车辆|公务用车)?"),
    ("@vehicle", r"(?:领导|机要通信|应急保障|执法执勤|特种专业技术|事业单位业务|其他公务|一般公务)用车"),
)
_STAFF = _pats(
    ("编制人数", r"编制(?:人数|数)?"),
    ("在职人数", r"(?:实有)?在职(?:职工|人员)?(?:人数|总数)?"),
    ("退休人数", r"退休(?:人员)?(?:人数)?"),
)
_AREA = _pats(("办公用房面积", r"面积"))
#: Every subject a fact can have (classes by their full names).
SUBJECTS: tuple[str, ...] = tuple(dict.fromkeys(
    [s for s, _ in _MONEY + _COUNT + _VEHICLES + _STAFF + _AREA if not s.startswith("@")]
    + list(FUNCTION_CLASSES.values()) + ["财政拨款支出"]))

_TRAILING = re.compile(r"(?:为|是|共计|共|约|达|总计为)$")
# '涉及金额/共计金额/涉及部门预算资金/支出总额': the amount of what the sentence is about.
_GENERIC_AMOUNT = re.compile(r"^涉及|共计金额$|项目金额$|支出总额$|^金额$|^总额$")
_TOPIC_WORDS = re.compile(r"(?<!无)整体(?:支出)?绩效目标")
_PROJECT_TOPICS = {"绩效目标管理项目", "公开项目绩效目标", "其他运转类项目", "特定目标类项目", "大额项目", "项目支出"}
_CHANGE_WORDS = ("增长", "下降", "增加", "减少", "上升", "降低", "较少", "提高", "减", "增")
_CHANGE_WORD = re.compile(f"({'|'.join(_CHANGE_WORDS)})了?$")
# A label ends with one of these when _CHANGE_WORD can match ('$' also matches before a final
# newline): most labels are ruled out at a glance, without the regex trying every position.
_CHANGE_TAIL = frozenset(w[-1] for w in _CHANGE_WORDS) | {"了", "\n"}
_NEGATIVE = ("下降", "减少", "降低", "较少", "减")
_ZERO_CHANGE = re.compile(r"与上年(?:预算数)?相同|与上年持平|持平|无变动|无变化|没有变化|保持一致|相比无变动")
_REASON = re.compile(r"主要原因[是为::]?|原因是|原因[::]")
_NO_THREE_PUBLIC = re.compile(r"无三公经费(?:预算|决算|支出)?")
_NO_SPENDING = re.compile(r"支出包括[::]无")
_SHARE_OF = re.compile(r"^占(?:比)?(.*?)(?:的)?$")
_FILLER = re.compile(r"\d{4}年度?|上年|去年|同期|同口径|相比|预算数|决算数|预算|决算|年初|比|与|和|较|的|了|数|[,;:]")
_LEAD = re.compile(r"^(.{2,12}?)中[,，]")
# Up to and including the last separator (matched between two offsets): where a label starts.
_UP_TO_LAST_SEPARATOR = re.compile(r".*[,;:、，；：]", re.DOTALL)
# The same for the separators that split a list (see _SEP_RANK: a colon introduces one).
_UP_TO_LAST_LIST_SEPARATOR = re.compile(r".*[、,，;；]", re.DOTALL)
# The words that give figures their meaning ("marks"): reasons, thresholds, 'no change' and
# 其中. Each kind is named by an empty group at the end of its alternatives (m.lastgroup), as in
# _combined. A mark of one kind never starts inside a mark of another (none starts with a
# character another has there), so each kind can be looked for on its own and the marks merged
# by position: the same marks, in the same order, that one alternation of them all finds.
# Every reason, 'no change' and 其中 alternative starts with a literal: as one flat alternation
# (a group per alternative, as names cannot repeat) the engine skips straight to those first
# characters instead of trying each alternative at every position of the sentence.
_WORD_MARKS = re.compile("|".join(
    [f"{alternative}(?P<reason_{i}>)" for i, alternative in enumerate(_REASON.pattern.split("|"))]
    + [f"{alternative}(?P<zero_{i}>)" for i, alternative in enumerate(_ZERO_CHANGE.pattern.split("|"))]
    + ["其中(?P<qz>)"]))
# Thresholds ('100万元及100万元以上', '价值50万元(原值)以上') start with a digit, the commonest
# character there is, and end with 以上: they are looked for only where 以上 is, and a
# lookahead rejects most positions at once.
_THRESHOLDS = re.compile("(?=[单价预\\d])(?:单价|价值|预算支出)?(?P<amount>\\d+(?:\\.\\d+)?万元)(?:\\(原值\\))?"
                         "(?:及\\d+(?:\\.\\d+)?万元)?以上(?P<threshold>)")
#: A mark's kind by the name of the group that ends its alternative.
_MARK_KIND = {name: name.partition("_")[0] for name in (*_WORD_MARKS.groupindex, *_THRESHOLDS.groupindex)}
_START = methodcaller("start")
# What makes prose worth reading: a figure, 无 ('无“三公”经费') or 'no change'. As two patterns, one
# a character class and one literal words, the engine skips straight to each one's first
# characters (one alternation of both would try every alternative at every position).
_WORTH_READING = (re.compile(r"[\d∞无]"), re.compile("持平|相同|一致|变动|变化"))
# Every mark contains one of these words: a sentence without any has no marks to look for.
_MARK_WORDS = re.compile("原因|以上|其中|相同|持平|变动|变化|一致")
#: Units as facts keep them ('％' is '%', '名' counts people).
_UNIT_ALIAS = {"％": "%", "名": "人"}
_DEPARTMENT_PREFIX = re.compile(r"^部门(?:\(单位\))?")
_TOTAL_SUBJECTS = ("支出总计", "收入总计", "本年收入", "一般公共预算当年支出")


def _combined(table: list[tuple[str, re.Pattern[str]]], anchored: bool = True,
              skip: tuple[str, ...] = ()) -> tuple[re.Pattern[str], list[str]]:
    """One regex for a subject table: each pattern a named group. All alternatives
    end at the label's end, so the match starting leftmost (the longest) wins:
    '基本支出总计' is 基本支出, not 支出总计; ties go to the earlier pattern."""
    names = [subject for subject, _ in table if subject not in skip]
    # Each alternative is marked by an empty group at its end, not wrapped in a group: an
    # alternative that opens with a literal is then skipped at a glance where that
    # character is absent, which makes the search several times faster. The whole
    # match is the alternative's text.
    body = "|".join(f"{p.pattern.removesuffix('$')}(?P<g{i}>)"
                    for i, (subject, p) in enumerate(x for x in table if x[0] not in skip))
    rx = re.compile(f"(?:{body})$" if anchored else body)
    assert rx.groups == len(names), "subject patterns must not capture"
    return rx, names


_TABLES = {unit: _combined(table) for unit, table in (("money", _MONEY), ("个", _COUNT), ("辆", _VEHICLES),
                                                         ("人", _STAFF), ("平方米", _AREA))}
# A change clause may name a total only by '收入'/'支出' (handled apart): skip the bare totals here.
_NAMED, _NAMED_SUBJECTS = _combined(_MONEY, anchored=False, skip=("本年支出", "收入总计", "支出总计", "上年结转"))


def _resolve(subject: str, m: re.Match[str]) -> str:
    text = m.group(0)
    if subject == "@class":
        return FUNCTION_CLASSES[_CLASS_BY_NAME[text]]
    if subject == "@vehicle":
        return text
    return subject


def _subject(label: str, unit: str, sentence: str) -> str | None:
    """The subject a figure's label names, or None."""
    if unit == "人" and "编制" not in sentence:
        return None  # '退休2人' in a list of reasons is not a head count
    return _label_subject(label, "money" if unit in UNIT_YUAN else unit)


@lru_cache(maxsize=4096)
def _label_subject(label: str, table: str) -> str | None:
    """The subject a label names in one subject table ('money', '个', …). Cached: the
    templates repeat their labels ('其中:基本支出'), and the search tries the whole
    combined pattern at every position of the label."""
    label = _TRAILING.sub("", label)
    if not label:
        return None
    got = _TABLES.get(table)
    if got is None:
        return None
    rx, names = got
    m = rx.search(label)
    return None if m is None else _resolve(names[int(m.lastgroup[1:])], m)  # type: ignore[index]


@lru_cache(maxsize=1024)
def _named_subject(label: str) -> str | None:
    """The subject a change clause names ('收入减少', '“三公”经费支出预算数与2024年相比支出减少')."""
    m = _NAMED.search(label)
    if m is not None:
        return _resolve(_NAMED_SUBJECTS[int(m.lastgroup[1:])], m)  # type: ignore[index]
    rest = _FILLER.sub("", label)
    return {"收入": "收入总计", "支出": "支出总计", "收支总": "支出总计", "收支": "支出总计"}.get(rest)


@lru_cache(maxsize=1024)
def _is_generic(label: str) -> bool:
    """Whether a change clause names nothing ('比上年', '与上年相比预算数')."""
    return not _FILLER.sub("", label)


# --------------------------------------------------------------------------
# Extraction
# --------------------------------------------------------------------------
#: Items listed inside another item of the same list (the 三公 vehicle costs).
_SUB_OF = {"公务用车购置费": "公务用车购置及运行费", "公务用车运行维护费": "公务用车购置及运行费"}
_SEP_RANK = {"、": 0, ",": 1, ";": 2}
#: A carry-over listed after a current-year total is not one of its parts.
_NOT_PARTS = {("本年收入", "上年结转"), ("本年支出", "上年结转"), ("当年拨款收入", "上年结转收入")}


@dataclass(init=False)
class _Draft:
    """A fact being assembled (facts are frozen once the text is read).

    Its own ``__init__`` sets what every fact states; the rest keep their defaults on
    the class until a sentence sets them (most never are)."""

    subject: str
    value: Decimal
    unit: str
    decimals: int
    line: int
    sentence: str
    section: str
    paragraph: int
    sentence_id: int
    end: int = 0
    lines: list[int] = field(default_factory=list)
    share: Decimal | None = None
    share_decimals: int = 0
    change: Decimal | None = None
    change_decimals: int = 0
    change_pct: Decimal | None = None
    change_pct_decimals: int = 0
    reason: str | None = None
    qualifier: str | None = None
    part_of: int | None = None
    part_list: int | None = None
    share_base: int | None = None
    share_base_subject: str | None = None
    index: int = 0

    def __init__(self, subject: str, value: Decimal, unit: str, decimals: int, line: int, sentence: str,
                 section: str, paragraph: int, sentence_id: int, end: int, lines: list[int],
                 qualifier: str | None) -> None:
        self.subject = subject
        self.value = value
        self.unit = unit
        self.decimals = decimals
        self.line = line
        self.sentence = sentence
        self.section = section
        self.paragraph = paragraph
        self.sentence_id = sentence_id
        self.end = end
        self.lines = lines
        self.qualifier = qualifier

    @property
    def money(self) -> bool:
        return self.unit in UNIT_YUAN

    def freeze(self) -> Fact:
        scale = UNIT_YUAN.get(self.unit)
        # every Fact field but value_yuan, and the draft's own 'end'
        values = {**_DRAFT_DEFAULTS, **self.__dict__}
        del values["end"]
        values["value_yuan"] = None if scale is None else (self.value * scale).quantize(_CENT)
        lines = self.lines
        values["lines"] = (lines[0],) if len(lines) == 1 else tuple(dict.fromkeys(lines))
        return _new_fact(values)


_CENT = Decimal("0.01")
_FACT_FIELDS = frozenset(f.name for f in fields(Fact))
# A draft's fields are a fact's, less value_yuan (worked out when frozen), plus its own 'end':
# checked once here rather than for every fact frozen.
assert {f.name for f in fields(_Draft)} ^ {"end", "value_yuan"} == _FACT_FIELDS, "_Draft and Fact disagree"
#: The fields _Draft.__init__ leaves to their defaults (which the class holds until they are set).
_DRAFT_DEFAULTS = {f.name: f.default for f in fields(_Draft) if f.default is not MISSING}


def _new_fact(values: dict[str, object]) -> Fact:
    """A Fact from all its field values (a dict of its own, which becomes the instance's). The
    frozen dataclass's own ``__init__`` sets its 24 fields one ``object.__setattr__`` at a time,
    which made building the facts a tenth of the audit; the instance dict given at once makes
    the same object."""
    fact = object.__new__(Fact)
    object.__setattr__(fact, "__dict__", values)
    return fact


@dataclass
class _Scope:
    """An open '其中' list: its whole (one per kind: an amount and a count can
    both be split, '项目6个,共计金额40.64万元。其中:…5个,…30.60万元'), and the
    separator its items are split by."""

    wholes: dict[str, _Draft]
    mid_sentence: bool
    ident: int = 0
    sep: str | None = None
    closed: bool = False


_INFINITY = (Decimal("Infinity"), 0)  # '增长∞%' as parse_figure would give it
_EVENT_ORDER = itemgetter(0, 1)  # events sort by position, then 其中 before what it splits


def _kind(d: _Draft) -> str:
    return "money" if d.unit in UNIT_YUAN else d.unit


def _separators(text: str) -> list[str]:
    return [ch for ch in text.replace("，", ",").replace("；", ";").replace("：", ":") if ch in _SEP_RANK]


#: For each list separator, the characters (full- or half-width) of a stronger one.
_STRONGER = {sep: tuple(ch for ch in ("、", ",", "，", ";", "；") if _SEP_RANK[_separators(ch)[0]] > rank)
             for sep, rank in _SEP_RANK.items()}


class _Sentence:
    """Reads one sentence: figures, shares, changes, reasons and 其中 lists."""

    def __init__(self, ex: _Extractor, para: Paragraph, pi: int, text: str, offset: int,
                 para_facts: list[_Draft], prev_heads: dict[str, _Draft], figures: list[re.Match[str]],
                 figures_at: int) -> None:
        self.ex, self.para, self.pi, self.text, self.offset = ex, para, pi, text, offset
        self.para_facts, self.prev_heads = para_facts, prev_heads
        # The sentence's _FIGURE matches, found in all the prose at once: the sentence starts at
        # ``figures_at`` there (``offset`` is where it starts in its paragraph).
        self.figures = figures
        self.figures_at = figures_at
        self.seen: list[_Draft | str] = []  # value figures read so far: facts, or 'other'

        self.sid = ex.next_sentence_id()
        self.facts: list[_Draft] = []
        self.last: _Draft | str | None = None  # the last figure: a fact, or 'other' for an unknown one
        self.last_end = 0
        self.changed: _Draft | None = None  # the fact the last change clause was about
        self.scope: _Scope | None = None
        self.topic: tuple[int, str] | None = None
        self.reasons: list[tuple[int, int, str]] = []
        self.thresholds: list[tuple[int, int, str]] = []
        self.events: list[tuple[int, int, str, re.Match[str] | None]] = []
        self.stripped = text.strip()  # the sentence as facts quote it

    # -- scanning -------------------------------------------------------------
    def scan(self) -> None:
        """Finds the sentence's figures and the words that give them meaning, in order."""
        text = self.text
        ev = self.events
        skip_to = -1  # inside a reason or a threshold: figures there are not facts
        marks = list(_WORD_MARKS.finditer(text))
        if "以上" in text:
            thresholds = list(_THRESHOLDS.finditer(text))
            if thresholds:
                marks = sorted(marks + thresholds, key=_START)
        for m in marks:
            kind = _MARK_KIND[m.lastgroup]  # type: ignore[index]
            pos = m.start()
            if kind == "reason":
                end = self.reason_end(m.end())
                self.reasons.append((pos, end, text[m.end():end].strip(" ,:，：")))
                skip_to = max(skip_to, end)
            elif kind == "threshold":
                # '100万元及100万元以上项目', '价值50万元(原值)以上的设备': a threshold, not an amount
                self.thresholds.append((pos, m.end(), m.group("amount")))
                skip_to = max(skip_to, m.end())
            elif pos >= skip_to:
                ev.append((pos, 0 if kind == "qz" else 1, "其中" if kind == "qz" else "zero", m))
        in_order = not ev  # figures alone come in order: nothing to sort
        offset = self.figures_at
        if self.thresholds or self.reasons:
            spans = [(a, b) for a, b, _ in self.thresholds] + [(a, b) for a, b, _ in self.reasons]
            ev += [(m.start() - offset, 1, "figure", m) for m in self.figures
                   if not any(x <= m.start() - offset < y for x, y in spans)]
            ev[:] = [e for e in ev if e[2] == "figure" or not any(x <= e[0] < y for x, y in spans)]
        else:
            ev += [(m.start() - offset, 1, "figure", m) for m in self.figures]
        if "无" in text:
            if _NO_THREE_PUBLIC.search(text):
                ev.append((0, 1, "none:“三公”经费", None))  # '本部门无“三公”经费预算' states 0
                in_order = False
            m0 = _NO_SPENDING.search(text)
            if m0:
                ev.append((m0.start(), 1, "none:财政拨款支出", m0))  # '支出包括:无'
                in_order = False
        if not in_order:
            ev.sort(key=_EVENT_ORDER)

    def reason_end(self, start: int) -> int:
        """A reason runs to the next ';' or '。', or up to a clause that states a
        figure of a known subject ('…压减经费,公务用车运行维护费1.50万元,…')."""
        text = self.text
        ends = [k for k in (text.find(ch, start) for ch in ";；。") if k != -1]
        end = min(ends) if ends else len(text)
        for f in _FIGURE.finditer(text, start, end):
            cut = max(text.rfind(ch, start, f.start()) for ch in ",，")
            unit = _UNIT_ALIAS.get(f.group(2), f.group(2))
            if cut != -1 and _subject(text[cut + 1:f.start()], unit, text) is not None:
                return cut
        return end

    # -- helpers --------------------------------------------------------------
    def line_of(self, pos: int) -> int:
        return self.para.line_at(self.offset + pos)

    def boundary(self, pos: int) -> int:
        """Where the label of the figure at ``pos`` starts: after the previous figure or separator."""
        m = _UP_TO_LAST_SEPARATOR.match(self.text, self.last_end, pos)
        return self.last_end if m is None else m.end()

    def attach_reason(self, target: _Draft, pos: int) -> None:
        """'…,主要原因是…': the reason right after a change belongs to that change's fact."""
        for a, _, reason in self.reasons:
            if a > pos:
                if target.reason is None and not any(pos < p < a and k == "figure" for p, _, k, _ in self.events):
                    target.reason = reason
                return

    def add(self, subject: str, value: Decimal, unit: str, decimals: int, pos: int, end: int,
            qualifier: str | None = None) -> _Draft:
        para = self.para
        line = para.line_at(self.offset + pos)
        d = _Draft(subject, value, unit, decimals, line, self.stripped, para.section, self.pi, self.sid, end, [line],
                   qualifier)
        facts = self.ex.facts  # _Extractor.add, inlined
        d.index = len(facts)
        facts.append(d)
        if self.scope is not None:
            self.join_list(d, pos)
        self.facts.append(d)
        self.para_facts.append(d)
        self.seen.append(d)
        self.last = d
        return d

    def join_list(self, d: _Draft, pos: int) -> None:
        """Makes ``d`` an item of the open 其中 list when it is one."""
        scope = self.scope
        kind = _kind(d)
        whole = scope.wholes.get(kind) if scope is not None and not scope.closed else None
        if scope is None or whole is None:
            return
        items = [x for x in self.facts if x.part_list == scope.ident and _kind(x) == kind]
        if scope.mid_sentence and scope.sep is None and items:
            last = _UP_TO_LAST_LIST_SEPARATOR.match(self.text, items[-1].end, self.boundary(pos))
            scope.sep = "," if last is None else _separators(self.text[last.end() - 1])[0]
        if (whole.subject, d.subject) in _NOT_PARTS:
            return
        parent = _SUB_OF.get(d.subject)
        owner = next((x for x in reversed(items) if x.subject == parent), None) if parent else None
        d.part_of = owner.index if owner is not None else whole.index
        d.part_list = scope.ident

    def close_scope_at(self, pos: int) -> None:
        """A mid-sentence list ends at a separator stronger than the one between its items."""
        scope = self.scope
        if scope is None or scope.closed or not scope.mid_sentence or scope.sep is None:
            return
        between = self.text[self.last_end:pos]
        if any(ch in between for ch in _STRONGER[scope.sep]):
            scope.closed = True

    def change_target(self, clause: str) -> _Draft | None:
        """The fact a change clause is about, or None when it is about something unstated."""
        named = _named_subject(clause)
        if named is not None:
            return next((d for d in reversed(self.para_facts) if d.subject == named), None)
        if not _is_generic(clause):
            return None  # '事业运行由于退休了2人比上年减少了…': a change of something not stated
        scope = self.scope
        if scope is not None and scope.mid_sentence and not scope.closed and scope.wholes:
            return next(iter(scope.wholes.values()))  # '总计X,其中:A,B,比上年减少…' is the change of X
        if isinstance(self.last, _Draft):
            return self.last
        if self.last is None and not self.facts and self.para_facts:
            return self.para_facts[-1]  # '…0万元。预算数与2024年保持一致'
        return None

    def topic_at(self, pos: int) -> str | None:
        """What '涉及金额/共计金额/涉及资金' is the amount of, at ``pos``."""
        best = self.topic
        for m in _TOPIC_WORDS.finditer(self.text, 0, pos):
            if best is None or m.start() > best[0]:
                best = (m.start(), "整体绩效目标")
        return best[1] if best else None

    def open_list(self, pos: int) -> _Scope:
        """The whole a '其中' splits: the figure right before it ('总计761.35万元,其中:'),
        or, when the sentence starts with 其中, the previous sentence's first figure
        ('…经费预算1.50万元…。' + '其中:因公出国(境)费0万元')."""
        wholes: dict[str, _Draft] = {}
        mid = any(p < pos and k == "figure" for p, _, k, _ in self.events)
        if mid:
            for x in reversed(self.seen):  # back to the first unknown figure
                if isinstance(x, str):
                    break
                wholes.setdefault(_kind(x), x)
        elif not self.facts:
            for k, d in self.prev_heads.items():
                if self.pi - d.paragraph > 1:
                    continue
                # '其中:A,B。其中:C,D。': the second list splits the same whole as the first
                wholes[k] = self.ex.facts[d.part_of] if d.part_of is not None else d
        return _Scope(wholes, mid, self.ex.next_list_id())

    # -- reading --------------------------------------------------------------
    def read(self) -> dict[str, _Draft]:
        self.scan()
        for pos, _, kind, m in self.events:
            if self.scope is not None:
                self.close_scope_at(pos)
            if kind == "figure":
                self.figure(pos, m)  # type: ignore[arg-type]
            elif kind == "其中":
                self.scope = self.open_list(pos)
            elif kind.startswith("none:"):
                self.add(kind[5:], Decimal(0), "万元", 2, pos, m.end() if m else pos)
                self.last_end = m.end() if m else self.last_end
            elif kind == "zero":
                assert m is not None
                target = self.change_target(self.text[self.boundary(pos):pos])
                if target is not None and target.change is None:
                    target.change, target.change_pct = Decimal(0), Decimal(0)
                    target.lines.append(self.line_of(pos))
                    self.attach_reason(target, pos)
                self.last_end = m.end()
        heads: dict[str, _Draft] = {}
        for d in self.facts:
            heads.setdefault(_kind(d), d)
        return heads

    def figure(self, pos: int, m: re.Match[str]) -> None:
        """Reads the figure ``m`` (matched in the paragraph) at ``pos`` in the sentence."""
        number, unit = m.group(1, 2)
        if unit in _UNIT_ALIAS:
            unit = _UNIT_ALIAS[unit]
        text = self.text
        start = self.last_end
        cut = _UP_TO_LAST_SEPARATOR.match(text, start, pos)  # boundary(), inlined: it runs for every figure
        label = text[start if cut is None else cut.end():pos]
        parsed = _INFINITY if number == "∞" else parse_figure(number)
        end = self.last_end = m.end() - self.figures_at
        if parsed is None:
            self.last = "other"
            return
        value, decimals = parsed
        if unit == "%" and label.startswith("占"):
            d = self.last
            if isinstance(d, _Draft) and d.share is None:
                d.share, d.share_decimals = value, decimals
                d.lines.append(self.line_of(pos))
                named = _SHARE_OF.match(label)
                if named and named.group(1):
                    d.share_base_subject = _subject(_DEPARTMENT_PREFIX.sub("", named.group(1)).removesuffix("总额"),
                                                    "万元", "")
            return
        word = _CHANGE_WORD.search(label) if label[-1:] in _CHANGE_TAIL else None
        if unit == "%":
            target = self.changed if word else None
            if target is not None and target.change_pct is None:
                sign = -1 if word.group(1) in _NEGATIVE else 1  # type: ignore[union-attr]
                target.change_pct = value * sign if value.is_finite() else value
                target.change_pct_decimals = decimals
                target.lines.append(self.line_of(pos))
                self.attach_reason(target, pos)
            return
        if word:
            target = self.change_target(label[:word.start()])
            self.changed = None
            scale = UNIT_YUAN.get(unit)
            if target is not None and target.change is None and value.is_finite() and target.money == (scale is not None):
                sign = -1 if word.group(1) in _NEGATIVE else 1
                target.change = value * sign * (scale if scale is not None else 1)
                target.change_decimals = decimals
                target.lines.append(self.line_of(pos))
                self.changed = target
                self.attach_reason(target, pos)
            return
        if not value.is_finite():
            self.last = "other"
            return
        subject: str | None = None
        # Every _GENERIC_AMOUNT alternative starts with 涉及 or ends with 额: test that first.
        if unit in UNIT_YUAN and ("额" in label or label.startswith("涉及")) and _GENERIC_AMOUNT.search(label):
            subject = self.topic_at(pos)
        if subject is None:
            subject = _subject(label, unit, text)
        if subject is None:
            self.last = "other"
            self.seen.append("other")
            return
        qualifier = None
        if subject == "大额项目":
            before = [t for t in self.thresholds if t[1] <= pos]
            qualifier = f"≥{before[-1][2]}" if before else None
        d = self.add(subject, value, unit, decimals, pos, end, qualifier)
        if unit == "个" and subject in _PROJECT_TOPICS:
            self.topic = (pos, subject)


class _Extractor:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.facts: list[_Draft] = []
        self._sid = 0
        self._lid = 0

    def next_sentence_id(self) -> int:
        self._sid += 1
        return self._sid

    def next_list_id(self) -> int:
        self._lid += 1
        return self._lid

    def run(self) -> list[Fact]:
        # Most prose (duties, definitions) states no figure: skip it cheaply.
        readable = [(pi, para) for pi, para in enumerate(paragraphs(self.doc.texts))
                    if not para.heading and _worth_reading(para.text)]
        # Figures never span sentences (no sentence end is part of one): find them all in one
        # pass over the readable paragraphs, each closed by a sentence end.
        found = list(_FIGURE.finditer("。".join(para.text for _, para in readable)))
        starts = [m.start() for m in found]
        first = 0  # the first figure not in an earlier sentence
        at = 0  # where the paragraph starts in the joined text
        prev_heads: dict[str, _Draft] = {}
        for pi, para in readable:
            para_facts: list[_Draft] = []
            before = len(self.facts)
            for sm in _SENTENCES.finditer(para.text):
                raw = sm.group()
                upto = bisect_left(starts, at + sm.end(), first)
                figures = found[first:upto]
                first = upto
                if not figures:
                    if not _worth_reading(raw):
                        continue
                    if "无" not in raw and not _MARK_WORDS.search(raw):
                        self._sid += 1  # nothing to read (a year, a date), but it is still a sentence
                        continue
                heads = _Sentence(self, para, pi, raw, sm.start(), para_facts, prev_heads, figures,
                                  at + sm.start()).read()
                if heads:
                    prev_heads = heads
            if para_facts:
                self._shares(para_facts, para.text, before)
            at += len(para.text) + 1
        return [d.freeze() for d in self.facts]

    def _lead_base(self, text: str, before: int) -> _Draft | None:
        """'本年收入中,…' / '支出总计中,…': the shares are of a figure stated earlier
        (among the first ``before`` facts, those read before the paragraph)."""
        m = _LEAD.match(text)
        subject = _subject(m.group(1), "万元", "") if m else None
        if subject is None:
            return None
        return next((self.facts[k] for k in range(before - 1, -1, -1) if self.facts[k].subject == subject), None)

    def _shares(self, para_facts: list[_Draft], text: str, before: int) -> None:
        """Ties each stated share in a paragraph (``text``, whose facts start at index
        ``before``) to the figure it is a share of: the paragraph's first amount
        ('收入761.35万元,主要包括…占96.39%'), or the total stated before a paragraph that
        only lists shares."""
        heads: list[_Draft] | None = None  # worked out at the first share: most paragraphs state none
        lead: _Draft | None = None
        for d in para_facts:
            if d.share is None or d.share_base_subject is not None:
                continue
            if heads is None:
                heads = [x for x in para_facts if x.unit in UNIT_YUAN and x.share is None]
                lead = self._lead_base(text, before)
            base = lead
            if base is None and heads and heads[0].index < d.index:
                base = heads[0]
            if base is None and para_facts:
                first = para_facts[0].index
                base = next((x for x in reversed(self.facts[:first]) if x.subject in _TOTAL_SUBJECTS), None)
            if base is not None:
                d.share_base = base.index


#: Where a document keeps its facts with the prose they were read from.
_FACTS = "_facts"


def extract_facts(doc: Document) -> list[Fact]:
    """Every recognised figure the prose states, in reading order (see :class:`Fact`).

    The facts are read once per document: the corpus builds the facts frame and
    the audit (``doc.check()``) from the same document. They are read again when
    ``doc.texts`` has changed since.
    """
    texts = tuple(doc.texts)
    kept = doc.__dict__.get(_FACTS)
    if kept is None or kept[0] != texts:
        kept = doc.__dict__[_FACTS] = (texts, _Extractor(doc).run())
    return list(kept[1])


def facts_by_subject(facts: Iterable[Fact]) -> dict[str, list[Fact]]:
    """Facts grouped by subject, in reading order."""
    out: dict[str, list[Fact]] = {}
    for f in facts:
        out.setdefault(f.subject, []).append(f)
    return out
