"""Charts (pybudget.plot): they render to PNG, and Chinese labels are drawn with a font that has the glyphs."""
from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

import pybudget
from pybudget.model import Document

from conftest import seed_paths

if os.environ.get("PYBUDGET_EXPECT_ASAN"):
    # matplotlib's C++ extension (ft2font) aborts on import under the preloaded AddressSanitizer runtime
    # (its __cxa_throw interceptor): the charts are tested in the regular run; they hold no C of ours.
    pytest.skip("matplotlib cannot be imported under the sanitizer build", allow_module_level=True)
mpl = pytest.importorskip("matplotlib", reason="matplotlib is not installed: pip install 'pybudget[plot]'")

from matplotlib.font_manager import findfont  # noqa: E402
from matplotlib.ft2font import FT2Font  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from pybudget import plot as pbplot  # noqa: E402

SEEDS = seed_paths()
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def cjk() -> pbplot.CJKFont:
    font = pbplot.find_cjk_font()
    if font is None:
        pytest.skip("no CJK font is installed (apt-get install fonts-noto-cjk)")
    return font


@pytest.fixture(scope="module", params=SEEDS, ids=[p.name[:3] for p in SEEDS])
def seed_doc(request: pytest.FixtureRequest) -> Document:
    return pybudget.parse(request.param)


def labels(fig: Any) -> list[Text]:
    """Every visible, non-empty text of a figure (titles, tick labels, bar labels, legends)."""
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def render(make: Callable[[], Any], path: Path) -> Any:
    """Builds and saves a figure with every warning an error: a missing glyph warns, and fails here."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = make()
        fig.savefig(path, dpi=60)
    data = path.read_bytes()
    assert data.startswith(PNG) and len(data) > 2000
    return fig


def assert_drawn_in(fig: Any, font: pbplot.CJKFont) -> str:
    """Every label with a Chinese character resolves to the CJK font, and the font has each glyph.

    Returns the text of every label, one per line.
    """
    face = font.face()
    drawn = ""
    for text in labels(fig):
        s = text.get_text()
        drawn += s + "\n"
        if any(ord(ch) > 0x2E80 for ch in s):
            assert Path(findfont(text.get_fontproperties())).resolve() == Path(font.path).resolve(), s
        missing = [ch for ch in s if not ch.isspace() and face.get_char_index(ord(ch)) == 0]
        assert not missing, f"{font.name} has no glyph for {missing} in {s!r}"
    return drawn


def test_font_has_the_glyphs_of_the_labels(cjk: pbplot.CJKFont) -> None:
    # The check the brief asks for, straight on FT2Font: a glyph index of 0 is the missing glyph.
    face = FT2Font(cjk.path, face_index=cjk.index) if cjk.index else FT2Font(cjk.path)
    for ch in "卫生健康支出一般公共预算当年拨款结构三公经费因公出国(境)费公务接待费万元合计":
        assert face.get_char_index(ord(ch)) != 0, ch


def test_font_installed_after_matplotlibs_cache_is_found(cjk: pbplot.CJKFont, monkeypatch: pytest.MonkeyPatch) -> None:
    from matplotlib import font_manager

    # As if the font was installed after matplotlib cached its font list: the cache does not know it.
    stale = [e for e in font_manager.fontManager.ttflist if e.name not in pbplot.CJK_FAMILIES]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", stale)
    found = pbplot.find_cjk_font.__wrapped__()
    assert found is not None and found.has_glyphs("卫生健康支出")


def test_structure_chart(seed_doc: Document, cjk: pbplot.CJKFont, tmp_path: Path) -> None:
    fig = render(lambda: pbplot.DocumentPlots(seed_doc).structure(), tmp_path / "structure.png")
    text = assert_drawn_in(fig, cjk)
    assert "卫生健康支出" in text  # every seed is a 医疗保障局: class 210 is there
    assert (seed_doc.department or "") in text
    assert "%" in text  # shares are labelled


def test_structure_pie(seed_doc: Document, cjk: pbplot.CJKFont, tmp_path: Path) -> None:
    fig = render(lambda: pbplot.DocumentPlots(seed_doc).structure(kind="pie"), tmp_path / "pie.png")
    assert "卫生健康支出" in assert_drawn_in(fig, cjk)


def test_three_public_chart(seed_doc: Document, cjk: pbplot.CJKFont, tmp_path: Path) -> None:
    fig = render(lambda: pbplot.DocumentPlots(seed_doc).three_public(), tmp_path / "three.png")
    text = assert_drawn_in(fig, cjk)
    for item in ("因公出国(境)费", "公务用车购置及运行费", "公务接待费", "三公"):
        assert item in text


def test_function_classes_of_both_templates() -> None:
    if not SEEDS:
        pytest.skip("../shared/seeds is not present")
    docs = {p.name[:3]: pybudget.parse(p) for p in SEEDS}
    shanxi = pbplot.function_classes(pbplot.spending_table(docs["000"]))
    assert [(c.code, c.name, c.total) for c in shanxi] == [
        ("210", "卫生健康支出", 585840000), ("208", "社会保障和就业支出", 82930000), ("221", "住房保障支出", 65130000)]
    # Henan prints only 项 rows: summed by class, they give the general budget total.
    henan_table = pbplot.spending_table(docs["004"])
    henan = pbplot.function_classes(henan_table)
    assert [c.code for c in henan] == ["210", "208", "221"]
    assert sum(c.total for c in henan) == henan_table.total_row().fen["total"]
    items = pbplot.three_public_items(docs["000"].table("three_public"))
    assert items["vehicles"] == items["vehicle_operation"] == items["total"] == 1500000
    assert items["abroad"] is None
    horizontal = pbplot.three_public_items(docs["004"].table("three_public"))
    assert horizontal["total"] == 1800000 and horizontal["reception"] == 300000


def test_no_cjk_font_warns_and_falls_back(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    if not SEEDS:
        pytest.skip("../shared/seeds is not present")
    doc = pybudget.parse(SEEDS[0])
    monkeypatch.setattr(pbplot, "find_cjk_font", lambda: None)
    for name in ("structure", "three_public"):
        with pytest.warns(pbplot.CJKFontWarning, match="fonts-noto-cjk"):
            fig = getattr(pbplot.DocumentPlots(doc), name)()
        # English labels where pybudget knows them, so the fallback draws no empty boxes.
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            fig.savefig(tmp_path / f"{name}.png", dpi=50)
        assert all(t.get_text().isascii() for t in labels(fig)), [t.get_text() for t in labels(fig)]


def test_without_matplotlib_the_error_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    if not SEEDS:
        pytest.skip("../shared/seeds is not present")
    doc = pybudget.parse(SEEDS[0])
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match=r"pip install 'pybudget\[plot\]'"):
        pbplot.DocumentPlots(doc).structure()


def test_figures_do_not_pile_up_in_pyplot(cjk: pbplot.CJKFont) -> None:
    import matplotlib.pyplot as plt

    if not SEEDS:
        pytest.skip("../shared/seeds is not present")
    before = len(plt.get_fignums())
    pbplot.DocumentPlots(pybudget.parse(SEEDS[0])).three_public()
    assert len(plt.get_fignums()) == before


# ---------------------------------------------------------------------------- corpus charts


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Any:
    try:
        from pybudget.corpus import read_corpus
    except ImportError as exc:
        pytest.skip(f"pybudget.corpus is not available: {exc}")
    try:
        from benchmarks.make_corpus import generate_corpus
    except ImportError as exc:
        pytest.skip(f"the corpus generator is not available: {exc}")
    out = tmp_path_factory.mktemp("corpus")
    generate_corpus(out, n=36, seed=3, planted=0.3)
    return read_corpus(out, workers=1, progress=False, frames=("documents", "items", "errors"))


def test_compare_counties_provinces_years(corpus: Any, cjk: pbplot.CJKFont, tmp_path: Path) -> None:
    plots = pbplot.CorpusPlots(corpus)
    fig = render(lambda: plots.compare(), tmp_path / "county.png")
    text = assert_drawn_in(fig, cjk)
    counties = {str(c) for c in corpus.documents["county"].dropna()}
    assert any(c in text for c in counties)
    assert "按县区比较" in text
    fig = render(lambda: plots.compare(by="province", table="general_expenditure"), tmp_path / "province.png")
    assert any(str(p) in assert_drawn_in(fig, cjk) for p in corpus.documents["province"].dropna())
    fig = render(lambda: plots.compare(by="year", table="general_expenditure", code="201"), tmp_path / "year.png")
    assert "按年度比较" in assert_drawn_in(fig, cjk)
    with pytest.raises(ValueError, match="no column 'prefecture'"):
        plots.compare(by="prefecture")


def test_findings_rates(corpus: Any, cjk: pbplot.CJKFont, tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    docs = corpus.documents
    # Findings of two rules on a known set of documents: the rates follow from the counts.
    picked = docs.iloc[::3]
    findings = pd.DataFrame({"doc_id": list(picked["doc_id"]) + [int(docs["doc_id"].iloc[0])],
                             "rule": ["children_sum"] * len(picked) + ["three_public_items"]})
    fake = SimpleNamespace(documents=docs, items=corpus.items, findings=findings)
    fig = render(lambda: pbplot.CorpusPlots(fake).findings(), tmp_path / "findings.png")
    text = assert_drawn_in(fig, cjk)
    assert "children_sum" in text and "审核发现率" in text
    province = str(docs["province"].astype(str).value_counts().index[0])  # the first column of the map
    in_province = docs[docs["province"].astype(str) == province]
    hit = in_province["doc_id"].isin(picked["doc_id"]).sum()
    assert f"{hit}/{len(in_province)}" in text
    # Past ``top`` provinces, the rest share one column: every finding is still counted.
    fig = render(lambda: pbplot.CorpusPlots(fake).findings(top=2), tmp_path / "top2.png")
    cells = [t.get_text() for t in labels(fig) if "/" in t.get_text() and "%" in t.get_text()]
    assert sum(int(c.split("\n")[1].split("/")[1]) for c in cells) == len(docs) * findings["rule"].nunique()
    assert "其他" in assert_drawn_in(fig, cjk)
    empty = SimpleNamespace(documents=docs, findings=findings.iloc[:0])
    render(lambda: pbplot.CorpusPlots(empty).findings(), tmp_path / "none.png")


def test_hooks_on_the_model() -> None:
    """The lead wires the charts into the classes: ``doc.plot`` and ``corpus.plot``."""
    if not SEEDS:
        pytest.skip("../shared/seeds is not present")
    assert isinstance(pybudget.parse(SEEDS[0]).plot, pbplot.DocumentPlots)
    from pybudget.corpus import Corpus

    assert isinstance(Corpus().plot, pbplot.CorpusPlots)
