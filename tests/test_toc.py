"""structure.toc reads the table of contents in the C core (csrc/pb_toc.c) as its patterns read it.

The reference here is the rule's reading written with Python's regular expressions: an entry names one
table by the words of _TOC_TABLE, not of a part (_TOC_PART) nor of all the tables (_COLLECTIVE); an entry
and a title are compared by their keys (_TOC_STRIP, twice) and the Dice coefficient of the keys'
character pairs, matched greedily. The core and the reference agree on the seeds' and generated
documents' contents, and on entries and titles made up at random from their words, numbers, years,
blanks and marks."""
from __future__ import annotations

import random
import re
from types import SimpleNamespace

import pytest

import pybudget
from conftest import seed_path as seed
from pybudget import _core
from pybudget.model import TocEntry

_TOC_TABLE = re.compile(r"^(?:表[一二三四五六七八九十\d]+|[一二三四五六七八九十]+、)?.*表(?:\(.*\))?$|^表[一二三四五六七八九十\d]+")
_TOC_STRIP = re.compile(r"^(?:表[一二三四五六七八九十\d\-—_匹]+|[一二三四五六七八九十]+、|-\s*)|\d{4}年度?|[\s\"“”()（）:：\-_.·]")
_TOC_PART = re.compile(r"第.部分|附件")  # a part of the document, not a table
_COLLECTIVE = re.compile(r"部门(?:预算|决算)(?:报)?表$|(?:预算|决算)报表$")  # a part heading, not one table


def names_a_table(entry: str) -> bool:
    return ("表" in entry and "部分" not in entry and bool(_TOC_TABLE.search(entry)) and not _TOC_PART.match(entry)
            and not _COLLECTIVE.search(entry))


def key(text: str) -> str:
    return _TOC_STRIP.sub("", _TOC_STRIP.sub("", text))


def pairs(text: str) -> frozenset[str]:
    return frozenset(text[i:i + 2] for i in range(len(text) - 1)) if len(text) > 1 else frozenset((text,))


def unmatched(entries: list[str], titles: list[str]) -> tuple[int, ...]:
    """The rule's reading: the entries (by index) that name one table and match no title."""
    listed = [i for i, text in enumerate(entries) if names_a_table(text)]
    if not listed or not titles:
        return ()
    title_pairs = [pairs(key(t)) for t in titles]
    scored = []
    for i, entry in enumerate(listed):
        mine = pairs(key(entries[entry]))
        for j, theirs in enumerate(title_pairs):
            ratio = 2 * len(mine & theirs) / (len(mine) + len(theirs))
            if ratio >= 0.4:
                scored.append((ratio, i, j))
    scored.sort(reverse=True)
    used_e: set[int] = set()
    used_t: set[int] = set()
    for _, i, j in scored:
        if i not in used_e and j not in used_t:
            used_e.add(i)
            used_t.add(j)
    return tuple(entry for i, entry in enumerate(listed) if i not in used_e)


def core(entries: list[str], titles: list[str], kinds: list[str] | None = None) -> tuple[int, ...]:
    tables = [SimpleNamespace(kind=kind, title=title) for kind, title in zip(kinds or ["x"] * len(titles), titles)]
    return _core.toc_unmatched([TocEntry(i, text, None) for i, text in enumerate(entries)], tables)


def test_the_seeds_contents_and_titles_are_read_as_the_patterns_read_them():
    for k in ("000", "001", "002", "003", "004"):
        doc = pybudget.parse(seed(k))
        entries = [e.text for e in doc.toc]
        titles = [t.title for t in doc.tables if t.kind != "performance" and t.title]
        assert core(entries, titles) == unmatched(entries, titles) == ()
        listed = [i for i, e in enumerate(entries) if names_a_table(e)]
        assert len(listed) >= 9  # every seed lists its tables
        # with a title that matches nothing, every entry naming a table is left over
        assert core(entries, ["zzzz"]) == tuple(listed)
        # and with a title gone, its entry
        for gone in range(0, len(titles), 3):
            rest = titles[:gone] + titles[gone + 1:]
            assert core(entries, rest) == unmatched(entries, rest), (k, gone)


_WORDS = ("表", "表一", "表1", "表十二", "表1-2", "表一—1", "表_3", "表匹", "表(一)", "一、", "十二、", "-", "- ", "2025年",
          "2025年度", "２０２５年", "20255年", "٢٠٢٥年", "部门", "预算", "决算", "报", "表", "(", ")", "（", "）", "“", "”",
          '"', ":", "：", ".", "·", "_", "—", " ", "\u3000", "\t", "\n", "第二部分", "部分", "附件", "收支总表", "项目支出",
          "本年预算", "上年结转", "政府性基金", "三公", "经费", "情况", "１", "x", "ab", "表)", "(表", "\U0001F600",
          "\udc80")


def test_made_up_entries_and_titles_are_read_as_the_patterns_read_them():
    rng = random.Random(5)
    listed = reported = 0
    for _ in range(3000):
        entries = ["".join(rng.choice(_WORDS) for _ in range(rng.randint(0, 7))) for _ in range(rng.randint(1, 6))]
        titles = [rng.choice(entries) if rng.random() < 0.4 else "".join(rng.choice(_WORDS) for _ in range(rng.randint(0, 7)))
                  for _ in range(rng.randint(0, 6))]
        titles = [t for t in titles if t]  # the rule passes the titles that are given
        kinds = [rng.choice(("projects", "performance")) for _ in titles]
        expected = unmatched(entries, [t for t, kind in zip(titles, kinds) if kind != "performance"])
        assert core(entries, titles, kinds) == expected, (entries, titles, kinds)
        assert core(entries, ["zzzz"]) == tuple(i for i, e in enumerate(entries) if names_a_table(e)), entries
        listed += sum(map(names_a_table, entries))
        reported += len(expected)
    assert listed > 1000 and reported > 500, (listed, reported)


def test_generated_contents_are_read_as_the_patterns_read_them():
    make_corpus = pytest.importorskip("benchmarks.make_corpus")
    compared = 0
    for i in range(40):
        doc = pybudget.parse(make_corpus.generate_document(i, seed=3)[1])
        entries = [e.text for e in doc.toc]
        titles = [t.title for t in doc.tables if t.kind != "performance" and t.title]
        assert core(entries, titles) == unmatched(entries, titles)
        for gone in range(len(titles)):
            rest = titles[:gone] + titles[gone + 1:]
            assert core(entries, rest) == unmatched(entries, rest)
            compared += 1
    assert compared > 200


def test_the_contents_and_titles_must_be_text():
    with pytest.raises(TypeError, match="toc entry 1: text must be str"):
        _core.toc_unmatched([TocEntry(1, "表一", None), TocEntry(2, None, None)], [])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="table 0: title must be str"):
        _core.toc_unmatched([TocEntry(1, "表一", None)], [SimpleNamespace(kind="income", title=b"x")])
    # a table of the target forms, or without a title, is no table the contents may list
    forms = [SimpleNamespace(kind="performance", title=b"x"), SimpleNamespace(kind="income", title=None)]
    assert _core.toc_unmatched([TocEntry(1, "表一 收支总表", None)], forms) == ()


def test_a_contents_entry_without_biao_names_no_table():
    """The core asks whether an entry names a table only of entries with 表 (both of _TOC_TABLE's ways take
    one): no entry of the seeds or of generated contents, nor any made up, names a table without it."""
    entries = {e.text for k in ("000", "001", "002", "003", "004") for e in pybudget.parse(seed(k)).toc}
    entries |= {"表一", "表十二2026年项目支出预算表(本年预算)", "一、部门收支总体情况表", "一、主要职责", "第二部分部门预算表",
                "收支总表", "2023年项目支出", "表(一)", "三、部门所属预算单位构成情况", "十、项目支出表(上年结转)"}
    listing = {e for e in entries if bool(_TOC_TABLE.search(e)) and not _TOC_PART.match(e) and not _COLLECTIVE.search(e)
               and "部分" not in e}
    assert len(listing) >= 20 and len(entries - listing) >= 10
    assert all("表" in e for e in listing)
    assert core(sorted(entries), ["zzzz"]) == tuple(i for i, e in enumerate(sorted(entries)) if e in listing)
