"""Charts of documents and corpora (matplotlib, the optional extra ``plot``).

``doc.plot.structure()`` draws the 一般公共预算当年拨款结构图 (spending by
function class), ``doc.plot.three_public()`` the “三公”经费 chart,
``corpus.plot.compare()`` a measure across counties or years and
``corpus.plot.findings()`` the share of documents with a finding, by rule and
province. Each returns a matplotlib ``Figure``.

Chinese labels need a CJK font: one is looked up among the installed fonts
(Noto Sans CJK, Source Han Sans, WenQuanYi …) and set on the figure's texts
only, never in the global ``rcParams``. Without one the charts are still drawn,
with English labels where pybudget knows them, after a ``CJKFontWarning``.

Figures are made with pyplot and closed straight away: Jupyter then shows the
returned figure once (not a second time when the cell ends), and nothing
accumulates in pyplot's list of open figures.
"""
from __future__ import annotations

import re
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .display import format_amount
from .model import UNIT_YUAN, Document, Table

__all__ = ["DocumentPlots", "CorpusPlots", "CJKFont", "CJKFontWarning", "find_cjk_font", "resolve_font",
           "function_classes", "spending_table", "three_public_items", "FunctionClass", "FUNCTION_CLASSES"]

if TYPE_CHECKING:  # pragma: no cover - typing only; matplotlib is optional
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

INSTALL_HINT = "pip install 'pybudget[plot]'"
FONT_HINT = "apt-get install fonts-noto-cjk (Debian/Ubuntu) or install Noto Sans CJK / Source Han Sans"

#: CJK font families in order of preference: simplified Chinese faces first.
CJK_FAMILIES = (
    "Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "Noto Sans SC", "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", "SimHei", "Heiti SC",
    "Noto Sans CJK TC", "Noto Sans CJK JP", "Source Han Sans", "Noto Serif CJK SC", "Source Han Serif SC",
    "Droid Sans Fallback", "AR PL UMing CN", "AR PL UKai CN",
)
#: File names of CJK fonts, to find fonts installed after matplotlib built its font cache.
_CJK_FILE = re.compile(r"(cjk|wqy|wenquanyi|sourcehan|notosanssc|notoserifsc|droidsansfallback|simhei|msyh|"
                       r"pingfang|uming|ukai)", re.IGNORECASE)
#: Characters every CJK font we accept must have (from the labels we draw).
_PROBE = "一般公共预算卫生健康支出三公经费"

#: Government function classes (政府收支分类科目, 支出功能分类 类): code → (中文, English).
FUNCTION_CLASSES: dict[str, tuple[str, str]] = {
    "201": ("一般公共服务支出", "General public services"),
    "202": ("外交支出", "Foreign affairs"),
    "203": ("国防支出", "National defence"),
    "204": ("公共安全支出", "Public security"),
    "205": ("教育支出", "Education"),
    "206": ("科学技术支出", "Science and technology"),
    "207": ("文化旅游体育与传媒支出", "Culture, tourism, sport and media"),
    "208": ("社会保障和就业支出", "Social security and employment"),
    "209": ("社会保险基金支出", "Social insurance funds"),
    "210": ("卫生健康支出", "Health"),
    "211": ("节能环保支出", "Energy saving and environment"),
    "212": ("城乡社区支出", "Urban and rural communities"),
    "213": ("农林水支出", "Agriculture, forestry and water"),
    "214": ("交通运输支出", "Transport"),
    "215": ("资源勘探工业信息等支出", "Resources, industry and information"),
    "216": ("商业服务业等支出", "Commerce and services"),
    "217": ("金融支出", "Finance"),
    "219": ("援助其他地区支出", "Aid to other regions"),
    "220": ("自然资源海洋气象等支出", "Natural resources, ocean and weather"),
    "221": ("住房保障支出", "Housing"),
    "222": ("粮油物资储备支出", "Grain and materials reserves"),
    "223": ("国有资本经营预算支出", "State capital operations"),
    "224": ("灾害防治及应急管理支出", "Disaster prevention and emergencies"),
    "227": ("预备费", "Reserve fund"),
    "229": ("其他支出", "Other spending"),
    "230": ("转移性支出", "Transfers"),
    "231": ("债务还本支出", "Debt principal"),
    "232": ("债务付息支出", "Debt interest"),
    "233": ("债务发行费用支出", "Debt issuance costs"),
    "234": ("抗疫特别国债安排的支出", "Special COVID-19 treasury bonds"),
}

#: The “三公” items: key → (中文, English).
THREE_PUBLIC_ITEMS: dict[str, tuple[str, str]] = {
    "abroad": ("因公出国(境)费", "Official travel abroad"),
    "vehicles": ("公务用车购置及运行费", "Official vehicles"),
    "vehicle_purchase": ("公务用车购置费", "Vehicle purchase"),
    "vehicle_operation": ("公务用车运行维护费", "Vehicle operation"),
    "reception": ("公务接待费", "Official reception"),
}

#: Labels for the tables, measures and groupings a corpus chart may name.
TABLE_LABELS = {"expenditure": ("支出总表", "Expenditure"),
                "general_expenditure": ("一般公共预算支出", "General budget"), "income": ("收入总表", "Income"),
                "summary": ("收支总表", "Summary"),
                "three_public": ("“三公”经费", "Three public expenses"),
                "operating_costs": ("机关运行经费", "Operating costs"), "projects": ("项目支出", "Projects"),
                "basic_economic": ("基本支出经济分类", "Basic spending by economic class")}
MEASURE_LABELS = {"total": ("合计", "total"), "basic": ("基本支出", "basic"), "project": ("项目支出", "project"),
                  "current": ("本年", "current year"), "carryover": ("上年结转", "carry-over"),
                  "general_budget": ("一般公共预算", "general budget"), "personnel": ("人员经费", "personnel"),
                  "public": ("公用经费", "public")}
BY_LABELS = {"county": ("县区", "county"), "city": ("地市", "city"), "province": ("省份", "province"),
             "year": ("年度", "year"), "department": ("部门", "department")}
UNIT_NAMES_EN = {"元": "yuan", "万元": "10k yuan", "亿元": "100m yuan"}
OTHERS = "\x00others"  # a group name no province can have
_DOC_KEYS = ("doc_id", "document_id", "doc", "document", "source", "path", "file")
_TOTAL_NAMES = ("合计", "总计", "支出合计", "支出总计", "部门合计")
_BASIC_COLOR, _PROJECT_COLOR, _TOTAL_COLOR = "#2f6f9f", "#e8912d", "#4c7fa8"


class CJKFontWarning(UserWarning):
    """No font with Chinese glyphs is installed: labels fall back to English where known."""


def _require_matplotlib() -> Any:
    """The matplotlib.pyplot module, or an ImportError that says how to install it."""
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError(f"pybudget charts need matplotlib: {INSTALL_HINT}") from exc
    return plt


# --------------------------------------------------------------------------- fonts


@dataclass(frozen=True)
class CJKFont:
    """An installed font with Chinese glyphs: family name, file, and face index in a .ttc collection."""

    name: str
    path: str
    index: int = 0

    def face(self) -> Any:
        """The font's ``matplotlib.ft2font.FT2Font``."""
        from matplotlib.ft2font import FT2Font

        # face_index exists from matplotlib 3.10, which is also when font entries got a face index.
        return FT2Font(self.path, face_index=self.index) if self.index else FT2Font(self.path)

    def has_glyphs(self, text: str) -> bool:
        """Whether the font has a glyph for every non-space character of ``text``."""
        face = self.face()
        return all(face.get_char_index(ord(ch)) != 0 for ch in text if not ch.isspace())


def _candidates() -> list[CJKFont]:
    from matplotlib import font_manager

    rank = {name: i for i, name in enumerate(CJK_FAMILIES)}
    entries = [e for e in font_manager.fontManager.ttflist if e.name in rank]
    # Regular weight first: a bold face makes every label look like a heading.
    entries.sort(key=lambda e: (rank[e.name], abs(_weight(e.weight) - 400), e.fname))
    return [CJKFont(e.name, e.fname, int(getattr(e, "index", 0) or 0)) for e in entries]


def _weight(weight: Any) -> int:
    try:
        return int(weight)
    except (TypeError, ValueError):
        return 700 if "bold" in str(weight).lower() else 400


def _first_usable(fonts: Sequence[CJKFont]) -> CJKFont | None:
    for font in fonts:
        try:
            if font.has_glyphs(_PROBE):
                return font
        except (OSError, RuntimeError, ValueError):
            continue  # an unreadable font file: try the next one
    return None


@lru_cache(maxsize=1)
def find_cjk_font() -> CJKFont | None:
    """The preferred installed CJK font, or ``None``.

    matplotlib keeps a font cache built on first use, so a font installed
    later (``apt-get install fonts-noto-cjk``) is missing from it; when the
    cache has none, the system font directories are scanned and the CJK files
    found there are added to matplotlib's font manager.
    """
    from matplotlib import font_manager

    found = _first_usable(_candidates())
    if found is not None:
        return found
    # Files already listed under one of our families were tried above; any other CJK file is added.
    known = {e.fname for e in font_manager.fontManager.ttflist if e.name in CJK_FAMILIES}
    added = False
    for path in font_manager.findSystemFonts():
        if path not in known and _CJK_FILE.search(Path(path).name):
            try:
                font_manager.fontManager.addfont(path)
                added = True
            except (OSError, RuntimeError, ValueError):
                continue
    return _first_usable(_candidates()) if added else None


def resolve_font(font: str | CJKFont | None = None) -> CJKFont | None:
    """The font to draw with: ``font`` (a family name, a font file or a CJKFont), else the installed CJK font.

    Warns ``CJKFontWarning`` and returns ``None`` when no CJK font is available.
    """
    if isinstance(font, CJKFont):
        return font
    if font:
        from matplotlib import font_manager

        if Path(font).is_file():
            font_manager.fontManager.addfont(font)
            name = font_manager.FontProperties(fname=font).get_name()
            return CJKFont(name, str(font))
        path = font_manager.findfont(font_manager.FontProperties(family=font), fallback_to_default=False)
        return CJKFont(font, path)
    found = find_cjk_font()
    if found is None:
        warnings.warn(f"no CJK font is installed, so Chinese labels cannot be drawn; using English labels where "
                      f"known. Install one: {FONT_HINT}", CJKFontWarning, stacklevel=3)
    return found


@contextmanager
def _font_context(font: CJKFont | None) -> Iterator[None]:
    """rcParams for the texts created inside: the CJK font first, DejaVu Sans for anything it lacks.

    Texts keep the font they were created with, so the context only has to
    cover building the figure (and a first layout pass, which makes the tick
    labels); the global rcParams are left as they were.
    """
    plt = _require_matplotlib()
    params: dict[str, Any] = {"axes.unicode_minus": False}
    if font is not None:
        params["font.family"] = [font.name, "DejaVu Sans"]
    with plt.rc_context(params):
        yield


@dataclass
class _Canvas:
    """A figure being built, with the font it uses; without a CJK font its labels are English."""

    font: CJKFont | None
    figure: Figure

    @property
    def zh(self) -> bool:
        """Whether labels are Chinese (a CJK font is set)."""
        return self.font is not None

    def label(self, pair: tuple[str, str]) -> str:
        """The Chinese or English member of a (中文, English) pair."""
        return pair[0] if self.zh else pair[1]

    def unit(self, unit: str) -> str:
        """A unit as labels show it: '万元', or '10k yuan' without a CJK font."""
        return unit if self.zh else UNIT_NAMES_EN.get(unit, unit)


@contextmanager
def _figure(font: str | CJKFont | None, width: float, height: float) -> Iterator[_Canvas]:
    plt = _require_matplotlib()
    resolved = resolve_font(font)
    with _font_context(resolved):
        canvas = _Canvas(resolved, plt.figure(figsize=(width, height), layout="constrained"))
        try:
            yield canvas
            # Lay out once inside the font context so tick labels are made with the CJK font too.
            canvas.figure.draw_without_rendering()
        finally:
            plt.close(canvas.figure)


# --------------------------------------------------------------------------- data


def _display_unit(table: Table) -> str:
    return table.unit if table.unit in UNIT_YUAN else "元"


def _in_unit(fen: int, unit: str) -> float:
    # Floats only for drawing: bar lengths, never for the printed figures (format_amount is exact).
    return fen / 100 / float(UNIT_YUAN.get(unit, 1))


@dataclass
class FunctionClass:
    """A function class (类) of a spending table: code, printed name, amounts in 分 by measure."""

    code: str
    name: str
    fen: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """``total``, else basic + project."""
        if "total" in self.fen:
            return self.fen["total"]
        return self.fen.get("basic", 0) + self.fen.get("project", 0)


def spending_table(doc: Document) -> Table | None:
    """The table of the 拨款结构图: 一般公共预算支出表, else the 支出总表."""
    for kind in ("general_expenditure", "expenditure"):
        table = doc.table(kind)
        if table is not None and any(r.code for r in table.rows):
            return table
    return doc.table("general_expenditure") or doc.table("expenditure")


def function_classes(table: Table) -> list[FunctionClass]:
    """Spending by function class (类), largest first.

    Tables that print 类 rows give them directly; tables that print only
    款 or 项 rows (the Henan template) are summed by the first three digits of
    the code, using the deepest level printed so nothing is counted twice.
    """
    rows = [r for r in table.rows if r.code and r.code.isdigit() and not r.is_total]
    classes = [r for r in rows if r.level == "类" or len(r.code or "") == 3]
    if not classes:
        for digits in (7, 5):
            classes = [r for r in rows if len(r.code or "") == digits]
            if classes:
                break
    out: dict[str, FunctionClass] = {}
    for r in classes:
        code = (r.code or "")[:3]
        name = r.name if len(r.code or "") == 3 and r.name else FUNCTION_CLASSES.get(code, (code, code))[0]
        item = out.setdefault(code, FunctionClass(code, name))
        for measure in ("total", "basic", "project"):
            value = r.fen.get(measure)
            if value is not None:
                item.fen[measure] = item.fen.get(measure, 0) + value
    return sorted((c for c in out.values() if c.total), key=lambda c: -c.total)


def three_public_items(table: Table) -> dict[str, int | None]:
    """The “三公” amounts in 分: abroad, vehicles, vehicle_purchase, vehicle_operation, reception, total.

    Reads both layouts: one row per item (vertical) and the one-row horizontal
    table whose columns are the items. A blank item is ``None``.
    """
    out: dict[str, int | None] = dict.fromkeys(("abroad", "vehicles", "vehicle_purchase", "vehicle_operation",
                                               "reception", "total"))
    keys = set(out)
    horizontal = any(c.measure in keys - {"total"} for c in table.columns)
    for r in table.rows:
        if horizontal:
            for key in keys:
                if r.fen.get(key) is not None and out[key] is None:
                    out[key] = r.fen[key]
            continue
        name = r.name
        if r.is_total or "合计" in name or "总计" in name:
            key = "total"
        elif "出国" in name or "出境" in name:
            key = "abroad"
        elif "购置" in name and "运行" in name:
            key = "vehicles"
        elif "购置" in name:
            key = "vehicle_purchase"
        elif "运行" in name or "维护" in name:
            key = "vehicle_operation"
        elif "接待" in name:
            key = "reception"
        else:
            continue
        value = next((r.fen[m] for m in ("total", "general_budget") if r.fen.get(m) is not None), None)
        if out[key] is None:
            out[key] = value
    if out["vehicles"] is None and (out["vehicle_purchase"] is not None or out["vehicle_operation"] is not None):
        out["vehicles"] = (out["vehicle_purchase"] or 0) + (out["vehicle_operation"] or 0)
    if out["total"] is None and any(out[k] is not None for k in ("abroad", "vehicles", "reception")):
        out["total"] = sum(out[k] or 0 for k in ("abroad", "vehicles", "reception"))
    return out


# --------------------------------------------------------------------------- document charts


def _doc_label(doc: Document, zh: bool) -> str:
    if zh:
        return f"{doc.department or ''} {doc.year or ''}年".strip()
    return f"{doc.year or ''}".strip()


def _bar_labels(ax: Axes, values: Sequence[float], texts: Sequence[str], y: Sequence[float]) -> None:
    """Amount labels just past the end of each bar, the axis widened to fit them."""
    top = max([*values, 0.0])
    for v, text, pos in zip(values, texts, y, strict=True):
        ax.text(v + top * 0.01, pos, text, va="center", ha="left", fontsize=9)
    ax.set_xlim(0, top * 1.32 if top else 1)


class DocumentPlots:
    """Charts of one document: ``doc.plot.structure()``, ``doc.plot.three_public()``.

    ``font`` is a family name, a font file or a :class:`CJKFont`; by default
    the installed CJK font is found.
    """

    def __init__(self, doc: Document, font: str | CJKFont | None = None) -> None:
        self.doc = doc
        self.font = font

    def __repr__(self) -> str:
        return f"<DocumentPlots of {self.doc.department or self.doc.source!s}: structure(), three_public()>"

    def structure(self, kind: str = "bar") -> Figure:
        """一般公共预算当年拨款结构图: spending by function class (类), with each class's share.

        ``kind='bar'`` stacks 基本支出 and 项目支出 per class; ``kind='pie'``
        shows the shares of the class totals. Uses the 一般公共预算支出表, or
        the 支出总表 when the document has no coded 一般公共预算 table.
        """
        if kind not in ("bar", "pie"):
            raise ValueError(f"kind must be 'bar' or 'pie', not {kind!r}")
        table = spending_table(self.doc)
        if table is None:
            raise ValueError(f"{self.doc.source}: no expenditure table to chart (general_expenditure or expenditure)")
        classes = function_classes(table)
        unit = _display_unit(table)
        grand = sum(c.total for c in classes)
        with _figure(self.font, 9.0, max(2.8, 0.55 * len(classes) + 2.0)) as cv:
            fig = cv.figure
            general = table.kind == "general_expenditure"
            what = cv.label(("一般公共预算当年拨款结构", "General budget appropriations by function")
                            if general else ("支出结构(按功能分类)", "Spending by function"))
            fig.suptitle(f"{_doc_label(self.doc, cv.zh)} {what}".strip(), fontsize=13)
            names = [c.name if cv.zh else FUNCTION_CLASSES.get(c.code, (c.name, c.code))[1] for c in classes]
            ax = fig.add_subplot()
            if not classes:
                ax.text(0.5, 0.5, cv.label(("表中没有按功能分类的支出", "no spending by function class")),
                        ha="center", va="center", transform=ax.transAxes)
                ax.set_axis_off()
                return fig
            totals = [_in_unit(c.total, unit) for c in classes]
            shares = [c.total / grand for c in classes]
            if kind == "pie":
                labels = [f"{n}\n{format_amount(c.total, unit, table.decimals)} {cv.unit(unit)} ({s:.1%})"
                          for n, c, s in zip(names, classes, shares, strict=True)]
                ax.pie(totals, labels=None, startangle=90, counterclock=False,
                       wedgeprops={"linewidth": 1, "edgecolor": "white"})
                ax.legend(labels, loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False, fontsize=9)
                ax.set_aspect("equal")
            else:
                y = list(range(len(classes)))[::-1]
                split = any("basic" in c.fen or "project" in c.fen for c in classes)
                if split:
                    basic = [_in_unit(c.fen.get("basic", 0), unit) for c in classes]
                    project = [_in_unit(c.fen.get("project", 0), unit) for c in classes]
                    ax.barh(y, basic, color=_BASIC_COLOR, label=cv.label(("基本支出", "basic")))
                    ax.barh(y, project, left=basic, color=_PROJECT_COLOR, label=cv.label(("项目支出", "project")))
                    ax.legend(loc="lower right", frameon=False)
                else:
                    ax.barh(y, totals, color=_TOTAL_COLOR)
                texts = [f"{format_amount(c.total, unit, table.decimals)} ({s:.1%})"
                         for c, s in zip(classes, shares, strict=True)]
                _bar_labels(ax, totals, texts, y)
                ax.set_yticks(y, names)
                ax.set_xlabel(cv.label((f"金额({unit})", f"amount ({cv.unit(unit)})")))
                ax.spines[["top", "right"]].set_visible(False)
            total = f"{format_amount(grand, unit, table.decimals)} {cv.unit(unit)}"
            ax.set_title(f"{table.title} · 合计 {total}" if cv.zh else f"total {total}", fontsize=9, color="#555555")
        return fig

    def three_public(self) -> Figure:
        """The “三公”经费 chart: 因公出国(境)费, 公务用车购置及运行费 (购置/运行维护), 公务接待费."""
        table = self.doc.table("three_public")
        if table is None:
            raise ValueError(f"{self.doc.source}: no “三公”经费 table (three_public)")
        items = three_public_items(table)
        unit = _display_unit(table)
        decimals = table.decimals
        with _figure(self.font, 8.0, 3.6) as cv:
            fig = cv.figure
            budget = cv.label(("决算", "final account")) if self.doc.kind == "final" else cv.label(("预算", "budget"))
            total = format_amount(items["total"], unit, decimals) if items["total"] is not None else "-"
            title = (f"{_doc_label(self.doc, True)}“三公”经费{budget}  合计 {total} {unit}" if cv.zh
                     else f"{_doc_label(self.doc, False)} three public expenses ({budget}): total {total} "
                          f"{cv.unit(unit)}")
            fig.suptitle(title.strip(), fontsize=13)
            ax = fig.add_subplot()
            keys = ("abroad", "vehicles", "reception")
            names = [cv.label(THREE_PUBLIC_ITEMS[k]) for k in keys]
            y = [2, 1, 0]
            amounts = [_in_unit(items[k] or 0, unit) for k in keys]
            if items["vehicle_purchase"] is not None or items["vehicle_operation"] is not None:
                purchase = _in_unit(items["vehicle_purchase"] or 0, unit)
                operation = _in_unit(items["vehicle_operation"] or 0, unit)
                ax.barh([2, 0], [amounts[0], amounts[2]], color=_TOTAL_COLOR)
                ax.barh([1], [purchase], color=_PROJECT_COLOR, label=cv.label(THREE_PUBLIC_ITEMS["vehicle_purchase"]))
                ax.barh([1], [operation], left=[purchase], color=_BASIC_COLOR,
                        label=cv.label(THREE_PUBLIC_ITEMS["vehicle_operation"]))
                ax.legend(loc="lower right", frameon=False, fontsize=9)
            else:
                ax.barh(y, amounts, color=_TOTAL_COLOR)
            texts = [format_amount(items[k], unit, decimals) if items[k] is not None else "-" for k in keys]
            _bar_labels(ax, amounts, texts, y)
            ax.set_yticks(y, names)
            ax.set_xlabel(cv.label((f"金额({unit})", f"amount ({cv.unit(unit)})")))
            ax.spines[["top", "right"]].set_visible(False)
            if not any(amounts):
                empty = ("本表无数据", "the table is printed empty")
                why = empty if table.empty else ("无“三公”经费", "no such spending")
                ax.text(0.5, 0.5, cv.label(why), transform=ax.transAxes, ha="center", va="center",
                        fontsize=12, color="#777777")
        return fig


# --------------------------------------------------------------------------- corpus charts


def _frame(corpus: Any, name: str) -> Any:
    frame = getattr(corpus, name, None)
    if frame is None or not hasattr(frame, "columns"):
        raise ValueError(f"the corpus has no {name!r} DataFrame")
    return frame


def _doc_key(*frames: Any) -> list[str]:
    """Columns that identify a document in every one of ``frames``."""
    for key in _DOC_KEYS:
        if all(key in f.columns for f in frames):
            return [key]
    if all({"department", "year"} <= set(f.columns) for f in frames):
        return ["department", "year"]
    return []


def _with_column(frame: Any, documents: Any, column: str) -> Any:
    """``frame`` with ``column`` taken from the documents frame when it does not have it."""
    if column in frame.columns:
        return frame
    if documents is None or column not in documents.columns:
        have = sorted(set(frame.columns) | set(documents.columns if documents is not None else ()))
        raise ValueError(f"no column {column!r} in the corpus frames (columns: {', '.join(map(str, have))})")
    key = _doc_key(frame, documents)
    if not key:
        raise ValueError(f"cannot join {column!r} from corpus.documents: no shared document key")
    return frame.merge(documents[key + [column]].drop_duplicates(key), on=key, how="left")


class CorpusPlots:
    """Charts of a corpus: ``corpus.plot.compare(...)``, ``corpus.plot.findings()``.

    The corpus is duck-typed: ``items``, ``documents`` and ``findings`` are
    pandas DataFrames (see :func:`pybudget.read_corpus`).
    """

    def __init__(self, corpus: Any, font: str | CJKFont | None = None) -> None:
        self.corpus = corpus
        self.font = font

    def __repr__(self) -> str:
        return "<CorpusPlots: compare(measure, by, table, code), findings()>"

    def compare(self, measure: str = "total", by: str = "county", table: str = "expenditure",
                code: str | None = None, *, year: int | None = None, agg: str = "sum", top: int = 15,
                unit: str = "万元") -> Figure:
        """A measure of one table across counties (or cities, provinces, departments, years).

        Takes, per document, the ``measure`` of the ``table``'s total row (or
        of the row with classification ``code``), keeps one ``year`` if given,
        and aggregates (``agg``: sum, mean or median) by ``by``: the ``top``
        largest groups, amounts in ``unit``. When groups span several years
        each year gets its own bar; ``by='year'`` gives one bar per year.
        Documents without a value for ``by`` (a city-level department has no
        county) are left out, and the chart says how many.
        """
        if agg not in ("sum", "mean", "median"):
            raise ValueError(f"agg must be 'sum', 'mean' or 'median', not {agg!r}")
        items = _frame(self.corpus, "items")
        documents = getattr(self.corpus, "documents", None)
        sel = items[(items["table_kind"] == table) & (items["measure"] == measure)]
        if code is not None:
            sel = sel[sel["code"].astype("string") == str(code)]
        elif "role" in sel.columns:
            sel = sel[sel["role"] == "total"]
        else:
            sel = sel[sel["name"].isin(_TOTAL_NAMES)]
        key = _doc_key(sel) or ["department", "year"]
        if "line" in sel.columns:
            sel = sel.sort_values("line", kind="stable")
        # One figure per document: the first total row (a two-sided table prints more than one).
        sel = sel.drop_duplicates(key)
        sel = _with_column(sel, documents, by)
        sel = _with_column(sel, documents, "year")
        if year is not None:
            sel = sel[sel["year"] == year]
        exact = "amount_fen" in sel.columns
        sel = sel[sel["amount_fen" if exact else "amount"].notna()]
        missing = int(sel[by].isna().sum())
        sel = sel[sel[by].notna() & sel["year"].notna()]
        # Floats for bar lengths only; the sums start from exact 分 where the corpus has them.
        amount = sel["amount_fen"].astype("float64") / 100 if exact else sel["amount"].astype("float64")
        sel = sel.assign(_value=amount / float(UNIT_YUAN.get(unit, 1)), _by=sel[by].astype("string").astype(str),
                         _year=sel["year"].astype("int64"))
        grid = sel.pivot_table(index="_by", columns="_year", values="_value", aggfunc=agg, observed=True)
        # A sparse grid (most groups seen in one year only) reads better as one bar per group: its latest year.
        per_group = grid.notna().sum(axis=1)
        grouped = by != "year" and len(grid.columns) > 1 and float(per_group.mean() if len(grid) else 0) > 1.5
        latest_year: dict[Any, Any] = {g: grid.loc[g].last_valid_index() for g in grid.index}
        if by != "year" and len(grid):
            rank = grid.max(axis=1) if grouped else grid.apply(lambda r: r[latest_year[r.name]], axis=1)
            grid = grid.loc[rank.sort_values(ascending=False).index[:top]]
        with _figure(self.font, 9.5, max(3.0, (0.5 if grouped else 0.36) * len(grid) + 2.0)) as cv:
            fig = cv.figure
            ax = fig.add_subplot()
            t_label = TABLE_LABELS.get(table, (table, table))
            m_label = MEASURE_LABELS.get(measure, (measure, measure))
            b_label = BY_LABELS.get(by, (by, by))
            what = f"{cv.label(t_label)} · {cv.label(m_label)}" + (f" · {code}" if code else "")
            when = f" · {year}" if year is not None else ""
            fig.suptitle(f"{what}{when}  " + (f"按{b_label[0]}比较" if cv.zh else f"by {b_label[1]}"), fontsize=13)
            if grid.empty:
                ax.text(0.5, 0.5, cv.label(("没有符合条件的数据", "no matching items")), ha="center", va="center",
                        transform=ax.transAxes)
                ax.set_axis_off()
                return fig
            if by == "year":
                groups = [str(c) for c in grid.columns]
                values = [float(grid[c].sum()) for c in grid.columns]
                y = list(range(len(groups)))[::-1]
                ax.barh(y, values, color=_TOTAL_COLOR)
                _bar_labels(ax, values, [f"{v:,.2f}" for v in values], y)
                ax.set_yticks(y, groups)
            elif grouped:
                groups = [str(g) for g in grid.index][::-1]
                years = list(grid.columns)
                height = 0.8 / len(years)
                for j, yr in enumerate(years):
                    # Earliest year on top within each group, matching the legend's order.
                    pos = [i + 0.4 - height * (j + 0.5) for i in range(len(groups))]
                    ax.barh(pos, [float(grid.loc[g, yr]) if grid.loc[g, yr] == grid.loc[g, yr] else 0.0
                                  for g in groups], height=height * 0.92, label=str(yr))
                ax.set_yticks(range(len(groups)), groups)
                ax.legend(title=cv.label(("年度", "year")), frameon=False, fontsize=8, loc="lower right")
            else:
                rows = list(grid.index)[::-1]
                values = [float(grid.loc[g, latest_year[g]]) for g in rows]
                labels = [f"{g} ({latest_year[g]})" for g in rows]
                y = list(range(len(rows)))
                ax.barh(y, values, color=_TOTAL_COLOR)
                _bar_labels(ax, values, [f"{v:,.2f}" for v in values], y)
                ax.set_yticks(y, labels)
            ax.set_xlabel(cv.label((f"金额({unit},{agg_label(agg, True)})", f"amount ({cv.unit(unit)}, {agg})")))
            ax.spines[["top", "right"]].set_visible(False)
            total_groups = sel["_by"].nunique()
            notes = []
            if len(grid) < total_groups:
                notes.append(cv.label((f"前 {len(grid)} 个(共 {total_groups} 个)",
                                       f"top {len(grid)} of {total_groups}")))
            if missing:
                notes.append(cv.label((f"{missing} 个文件无{b_label[0]},未列入",
                                       f"{missing} documents without a {b_label[1]} left out")))
            if notes:
                ax.set_title(";".join(notes) if cv.zh else "; ".join(notes), fontsize=9, color="#555555")
        return fig

    def findings(self, top: int = 12) -> Figure:
        """Finding rates: the share of documents with at least one finding of each rule, by province.

        A heat map, rules down, provinces across (those with the most
        documents; past ``top`` columns the rest share a last 其他 column),
        each cell the share and the count. Documents without a province are
        grouped as '?'; without a province column at all, one column covers
        the whole corpus.
        """
        documents = _frame(self.corpus, "documents")
        findings = _frame(self.corpus, "findings")
        key = _doc_key(documents, findings)
        if not key:
            raise ValueError("corpus.documents and corpus.findings share no document key "
                             f"(one of {', '.join(_DOC_KEYS)})")
        docs = documents.drop_duplicates(key)
        if "province" in docs.columns:
            docs = docs.assign(_group=docs["province"].astype("string").fillna("?").astype(str))
        else:
            docs = docs.assign(_group="*")
        sizes = docs.groupby("_group").size().sort_values(ascending=False)
        if len(sizes) > top:
            # The smaller provinces share one last column, so every finding is still counted somewhere.
            keep = set(sizes.index[:top - 1])
            docs = docs.assign(_group=docs["_group"].where(docs["_group"].isin(keep), OTHERS))
            sizes = docs.groupby("_group").size()
            sizes = sizes.reindex([g for g in sizes.sort_values(ascending=False).index if g != OTHERS] + [OTHERS])
        hits = findings[key + ["rule"]].drop_duplicates().merge(docs[key + ["_group"]], on=key, how="inner")
        hits = hits.assign(rule=hits["rule"].astype("string").astype(str))
        counts = hits.groupby(["rule", "_group"]).size().unstack(fill_value=0)
        counts = counts.reindex(columns=sizes.index, fill_value=0)
        rates = counts / sizes
        rates = rates.loc[counts.sum(axis=1).sort_values(ascending=False).index] if len(rates) else rates
        width = max(6.0, 0.8 * len(sizes) + 3.5) if len(rates) else 6.0
        with _figure(self.font, width, max(2.8, 0.5 * len(rates) + 2.2)) as cv:
            fig = cv.figure
            fig.suptitle(cv.label(("审核发现率(按规则和省份)", "Finding rates by rule and province")), fontsize=13)
            ax = fig.add_subplot()
            if rates.empty:
                ax.text(0.5, 0.5, cv.label(("没有发现问题", "no findings")), ha="center", va="center",
                        transform=ax.transAxes, fontsize=12)
                ax.set_axis_off()
                return fig
            image = ax.imshow(rates.to_numpy(dtype=float), cmap="OrRd", vmin=0, vmax=max(0.05, rates.max().max()),
                              aspect="auto")
            for i, rule in enumerate(rates.index):
                for j, group in enumerate(rates.columns):
                    n = int(counts.loc[rule, group])
                    rate = float(rates.loc[rule, group])
                    ax.text(j, i, f"{rate:.0%}\n{n}/{int(sizes[group])}", ha="center", va="center", fontsize=7,
                            color="white" if rate > 0.6 * max(0.05, rates.max().max()) else "black")
            names = {"*": cv.label(("全部", "all")), OTHERS: cv.label(("其他", "others"))}
            labels = [names.get(g, g) for g in rates.columns]
            ax.set_xticks(range(len(labels)), labels, rotation=30 if len(labels) > 6 else 0, ha="right"
                          if len(labels) > 6 else "center")
            ax.set_yticks(range(len(rates.index)), [str(r) for r in rates.index])
            fig.colorbar(image, ax=ax, label=cv.label(("有此发现的文件占比", "share of documents")), shrink=0.8)
        return fig


def agg_label(agg: str, zh: bool) -> str:
    """'sum' → '合计' (or the English word)."""
    labels = {"sum": ("合计", "sum"), "mean": ("平均", "mean"), "median": ("中位数", "median")}
    return labels.get(agg, (agg, agg))[0 if zh else 1]
