"""examples/analysis.ipynb runs from top to bottom without an error."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

import pybudget

from conftest import ROOT, seed_paths

NOTEBOOK = ROOT / "examples" / "analysis.ipynb"
CELL_TIMEOUT = 120  # seconds per cell; the whole notebook takes well under a minute


def test_notebook_is_saved_without_outputs() -> None:
    nbformat = pytest.importorskip("nbformat", reason="nbformat is not installed (pip install nbformat)")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None


def test_notebook_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    nbformat = pytest.importorskip("nbformat", reason="nbformat is not installed (pip install nbformat)")
    nbclient = pytest.importorskip("nbclient", reason="nbclient is not installed (pip install nbclient)")
    pytest.importorskip("ipykernel", reason="ipykernel is not installed (pip install ipykernel)")
    if os.environ.get("PYBUDGET_EXPECT_ASAN"):
        # The kernel would inherit the preloaded AddressSanitizer runtime, under which matplotlib's C++
        # extension aborts on import; the notebook runs in the regular test run.
        pytest.skip("the notebook's charts cannot run under the sanitizer build")
    pytest.importorskip("matplotlib", reason="matplotlib is not installed: pip install 'pybudget[plot]'")
    if not seed_paths():
        pytest.skip("../shared/seeds is not present")
    # The kernel imports the same pybudget as this test (a sanitizer run uses its own build directory)
    # and finds benchmarks/ from the checkout.
    package_root = str(Path(pybudget.__file__).resolve().parents[1])
    path = os.pathsep.join(p for p in (package_root, str(ROOT), os.environ.get("PYTHONPATH")) if p)
    monkeypatch.setenv("PYTHONPATH", path)
    monkeypatch.setenv("PYBUDGET_SEEDS", str(seed_paths()[0].parent))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    try:
        client.execute()
    except nbclient.exceptions.CellExecutionError as exc:
        pytest.fail(f"a notebook cell failed:\n{exc}")
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors, errors
    kinds = {k for c in nb.cells if c.cell_type == "code" for o in c.outputs for k in o.get("data", {})}
    assert {"text/html", "image/png"} <= kinds  # the document's HTML display and the charts were shown
