"""The corpus layer: read_corpus over files, gzip, archives and bad files; the
C columnar items through the Arrow C stream; Parquet parts; loading into a
database (idempotent, resumable); the CLI; Dask; regions."""
from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

pd = pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")

import pybudget  # noqa: E402
from pybudget import frames as fr  # noqa: E402
from pybudget import regions  # noqa: E402
from pybudget.corpus import content_hash, list_sources, read_corpus  # noqa: E402
from pybudget.db import Database, load  # noqa: E402

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
ROOT = Path(__file__).resolve().parents[1]
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(64)


@pytest.fixture(scope="module")
def seed_files() -> list[Path]:
    files = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    if not files:
        pytest.skip(f"no seed documents in {SEEDS}")
    return files


@pytest.fixture(scope="module")
def seed_corpus(seed_files: list[Path]) -> pybudget.corpus.Corpus:
    return read_corpus(SEEDS, workers=1, progress=False)


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory, seed_files: list[Path]) -> Path:
    """Gzipped seeds, one truncated .gz and one PNG, in a folder."""
    d = tmp_path_factory.mktemp("mixed")
    for f in seed_files:
        (d / (f.name + ".gz")).write_bytes(gzip.compress(f.read_bytes(), mtime=0))
    whole = gzip.compress(seed_files[0].read_bytes(), mtime=0)
    (d / "zz_truncated.txt.gz").write_bytes(whole[: len(whole) // 2])
    (d / "zz_picture.png").write_bytes(PNG)
    (d / "notes.truth.json").write_text("{}")  # sidecars are skipped
    (d / ".hidden.txt").write_text("skipped")
    (d / "~$budget.xlsx").write_bytes(b"\x0bOffice user" + b"\0" * 150)  # Office's owner file of an open workbook
    return d


def _no_source(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=["source"]).reset_index(drop=True)


# ---- reading -------------------------------------------------------------------------------------------------


def test_real_figures(seed_corpus, seed_files) -> None:
    items, docs = seed_corpus.items, seed_corpus.documents
    assert len(docs) == len(seed_files) and seed_corpus.errors.empty
    first = docs.iloc[0]
    assert first.department == "朔州市朔城区医疗保障局" and first.year == 2025 and first.kind == "budget"
    # 表三 2025年预算支出总表: 2080505 机关事业单位基本养老保险缴费支出 72. 05 (万元) = 720,500.00 元
    row = items[(items.doc_id == 0) & (items.table_kind == "expenditure") & (items.code == "2080505") &
                (items.measure == "total")]
    assert len(row) == 1
    assert row.amount_fen.iloc[0] == 72_050_000 and row.amount.iloc[0] == 720_500.0
    assert row.name.iloc[0] == "机关事业单位基本养老保险缴费支出" and row.level.iloc[0] == "项"
    assert row.parent.iloc[0] == "20805"
    total = items[(items.doc_id == 0) & (items.table_kind == "expenditure") & (items.role == "total") &
                  (items.measure == "total")]
    assert total.amount_fen.tolist() == [761_350_000]
    assert items.amount_fen.dtype == "Int64" and str(items.code.dtype) == "category"
    assert int(docs["items"].sum()) == len(items)


def test_gzip_tar_zip_and_bad_files(tmp_path, seed_corpus, seed_files, mixed) -> None:
    plain = seed_corpus.items
    gz = read_corpus(mixed, workers=1, progress=False, frames=["documents", "items"])
    pd.testing.assert_frame_equal(_no_source(gz.items), _no_source(plain))
    errors = gz.errors
    assert sorted(errors.code) == ["BINARY", "GZIP_TRUNCATED"]
    assert set(errors.source.map(lambda s: Path(s).name)) == {"zz_truncated.txt.gz", "zz_picture.png"}
    assert (errors.message.str.len() > 0).all() and errors.line.notna().all()

    archive = tmp_path / "seeds.tar.gz"
    with tarfile.open(archive, "w:gz") as tf:
        for f in seed_files:
            tf.add(f, arcname=f"docs/{f.name}")
        tf.addfile(tarfile.TarInfo("docs/zz_picture.png"), io.BytesIO(b""))  # an empty member
        info = tarfile.TarInfo("docs/zzz.png")
        info.size = len(PNG)
        tf.addfile(info, io.BytesIO(PNG))
    tar = read_corpus(archive, workers=1, progress=False)
    pd.testing.assert_frame_equal(_no_source(tar.items), _no_source(plain))
    assert tar.documents.source.iloc[0] == f"docs/{seed_files[0].name}"
    assert tar.documents.archive.iloc[0] == str(archive)
    assert len(tar.errors) == 2 and set(tar.errors.archive) == {str(archive)}

    zpath = tmp_path / "seeds.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        for f in seed_files:
            zf.write(f, arcname=f.name)
    pd.testing.assert_frame_equal(_no_source(read_corpus(zpath, workers=1, progress=False).items),
                                  _no_source(plain))

    # a gzip file and its text are the same document
    assert content_hash((mixed / (seed_files[0].name + ".gz")).read_bytes()) == \
        content_hash(seed_files[0].read_bytes())


def test_listing(mixed, seed_files) -> None:
    entries = list_sources([mixed, str(SEEDS / "00[01]*.txt")])
    names = [Path(e.source).name for e in entries]
    assert "notes.truth.json" not in names and ".hidden.txt" not in names and "~$budget.xlsx" not in names
    assert [e.doc_id for e in entries] == list(range(len(entries)))
    assert names[-2:] == [seed_files[0].name, seed_files[1].name]
    with pytest.raises(FileNotFoundError, match="no such file"):
        list_sources(SEEDS / "absent.txt")


def test_workers_and_executors_agree(mixed, seed_files) -> None:
    src = [SEEDS, mixed]
    one = read_corpus(src, workers=1, progress=False, chunk_size=2)
    for executor in ("process", "thread"):
        other = read_corpus(src, workers=2, executor=executor, progress=False, chunk_size=3)
        for name in fr.FRAMES:
            pd.testing.assert_frame_equal(one.frame(name), other.frame(name), obj=f"{executor} {name}")
    assert len(one.documents) == 2 * len(seed_files) and len(one.errors) == 2


def test_worker_frames_come_back_through_spool_files(tmp_path, monkeypatch, seed_corpus, seed_files) -> None:
    from pybudget import _spool
    from pybudget import corpus as corpus_module
    from pybudget.corpus import iter_corpus

    folders: list[str] = []
    real_make, real_spool = _spool.make_spool, corpus_module.spool_frames

    def make() -> str:
        folders.append(real_make())
        return folders[-1]

    def spool(folder, index, frames):  # runs in the forked workers: report through the file system
        result = real_spool(folder, index, frames)
        if result is not None:
            (tmp_path / f"spooled-{index}").write_text(result.path)
        return result

    monkeypatch.setattr(corpus_module, "make_spool", make)
    monkeypatch.setattr(corpus_module, "spool_frames", spool)
    two = read_corpus(SEEDS, workers=2, executor="process", progress=False, chunk_size=1)
    written = sorted(p.read_text() for p in tmp_path.glob("spooled-*"))
    assert len(written) == len(seed_files)  # every task's frames went through a file …
    assert all(not os.path.exists(p) for p in written) and not os.path.exists(folders[0])  # … read, then removed
    for name in fr.FRAMES:
        pd.testing.assert_frame_equal(seed_corpus.frame(name), two.frame(name), obj=name)
    assert two.items.amount_fen.sum() == seed_corpus.items.amount_fen.sum() and len(two.items) == 1259

    # A spool that cannot be written to: the frames come through the pipe instead, the same.
    monkeypatch.setattr(corpus_module, "make_spool", lambda: str(tmp_path / "absent" / "spool"))
    piped = read_corpus(SEEDS, workers=2, executor="process", progress=False, chunk_size=2)
    for name in fr.FRAMES:
        pd.testing.assert_frame_equal(seed_corpus.frame(name), piped.frame(name), obj=name)

    # A run abandoned after its first batch still removes its spool folder.
    monkeypatch.setattr(corpus_module, "make_spool", make)
    batches = iter_corpus(SEEDS, workers=2, executor="process", progress=False, chunk_size=1)
    assert next(batches)["items"].num_rows > 0 and os.path.isdir(folders[-1])
    batches.close()
    assert not os.path.exists(folders[-1])


def test_tasks_shrink_towards_the_end_on_several_workers(seed_files) -> None:
    from pybudget.corpus import Entry, _tasks

    entries = [Entry(i, str(seed_files[i % len(seed_files)]), None, 0, None) for i in range(200)]
    frames = frozenset({"items"})
    serial = [len(t.entries) for t in _tasks(entries, 34, frames, False, {}, workers=1)]
    assert serial == [34] * 5 + [30]
    guided = [len(t.entries) for t in _tasks(entries, 34, frames, False, {}, workers=2)]
    # Full tasks while plenty is left, then a quarter of what remains, down to 4 documents.
    assert guided == [34, 34, 33, 25, 19, 14, 11, 8, 6, 4, 4, 4, 4]
    ids = [e.doc_id for t in _tasks(entries, 34, frames, False, {}, workers=2) for e in t.entries]
    assert ids == list(range(200))


def test_heap_frozen_only_while_a_corpus_is_read(seed_files) -> None:
    import gc
    import threading

    from pybudget._heap import frozen_heap
    from pybudget.corpus import iter_corpus

    assert gc.get_freeze_count() == 0
    seen = []
    for frames in iter_corpus(seed_files, workers=1, progress=False, frames=["items"]):
        seen.append((gc.get_freeze_count() > 0, frames["items"].num_rows))
    # every batch read frozen, and all 1,259 items of the five seeds came through
    assert [frozen for frozen, _ in seen] == [True] * len(seen) and sum(n for _, n in seen) == 1259
    assert gc.get_freeze_count() == 0  # thawed when the run ends
    # overlapping runs share one freeze: the first to end does not thaw the other's heap
    inner_done, outer_frozen = threading.Event(), []
    with frozen_heap():
        def inner() -> None:
            with frozen_heap():
                pass
            inner_done.set()
        threading.Thread(target=inner).start()
        inner_done.wait(10)
        outer_frozen.append(gc.get_freeze_count() > 0)
    assert outer_frozen == [True] and gc.get_freeze_count() == 0


def test_parquet_parts(tmp_path, seed_corpus, mixed) -> None:
    out = tmp_path / "parts"
    written = read_corpus([SEEDS, mixed], workers=1, progress=False, out=out, chunk_size=3)
    assert len(list((out / "items").glob("part-*.parquet"))) >= 3
    again = read_corpus([SEEDS, mixed], workers=1, progress=False)
    for name in fr.FRAMES:
        pd.testing.assert_frame_equal(written.frame(name), again.frame(name), obj=name)
    # Worker processes and threads write the parts themselves; the parent only counts their rows.
    for executor in ("process", "thread"):
        out = tmp_path / executor
        by_workers = read_corpus([SEEDS, mixed], workers=2, executor=executor, progress=False, out=out, chunk_size=2)
        rows = json.loads((out / "corpus.json").read_text())["rows"]
        assert rows["items"] == 2 * 1259 and rows["errors"] == 2 and rows["documents"] == 10
        # six tasks of two sources; the last (the two bad files) has no document; no temporary file is left
        assert sorted(p.name for p in (out / "documents").glob("*")) == [f"part-{i:06d}.parquet" for i in range(5)]
        for name in fr.FRAMES:
            pd.testing.assert_frame_equal(by_workers.frame(name), again.frame(name), obj=f"{executor} {name}")


# ---- the C columns and the Arrow C stream ---------------------------------------------------------------


def test_arrow_path_equals_python_path(seed_files) -> None:
    from pybudget import _core

    data = [f.read_bytes() for f in seed_files] + [PNG]
    sources = [str(f) for f in seed_files] + ["picture.png"]
    batch = _core.parse_items(data, list(range(len(data))), sources)
    assert [d["ok"] for d in batch.documents] == [True] * len(seed_files) + [False]
    assert batch.documents[-1]["error"] == "BINARY"
    reader = pa.RecordBatchReader.from_stream(batch)
    table = reader.read_all()
    assert table.num_rows == batch.num_rows == len(batch)
    assert table.schema.field("amount_fen").type == pa.int64()
    assert pa.types.is_dictionary(table.schema.field("name").type)
    assert pa.schema(batch).names == table.schema.names  # __arrow_c_schema__
    again = pa.table(batch)  # a second, independent stream over the same columns
    assert again.equals(table)
    del batch  # the arrays keep their own reference on the columns
    assert table.column("amount_fen").to_pylist() == again.column("amount_fen").to_pylist()

    docs = [pybudget.parse(f) for f in seed_files]
    python = fr.items_frame(docs)
    columnar, _ = fr.items_from_bytes(data[:-1], None, sources[:-1])
    pd.testing.assert_frame_equal(python, columnar)
    pd.testing.assert_frame_equal(python, fr.to_pandas(fr.conform(table, "items")))
    documents = fr.documents_frame(docs)
    assert documents["items"].tolist() == columnar.groupby("doc_id").size().tolist()


def test_per_document_summaries(seed_files) -> None:
    from pybudget import _core

    text = seed_files[1].read_bytes()
    data = [text, text.decode("utf-8").encode("gb18030"), gzip.compress(text), text]
    batch = _core.parse_items(data)
    docs = batch.documents
    assert [d["encoding"] for d in docs] == ["utf-8", "gb18030", "utf-8", "utf-8"]
    assert [d["gzip"] for d in docs] == [False, False, True, False]
    assert len({d["items"] for d in docs}) == 1 and docs[0]["items"] * 4 == batch.num_rows
    doc = pybudget.parse(seed_files[1])
    assert (docs[0]["title"], docs[0]["department"], docs[0]["year"], docs[0]["kind"]) == \
        (doc.title, doc.department, doc.year, doc.kind)
    assert (docs[0]["tables"], docs[0]["projects"], docs[0]["indicators"], docs[0]["warnings"]) == \
        (len(doc.tables), len(doc.projects), len(doc.indicators), len(doc.warnings))


def test_arrow_capsule_released_unused(seed_files) -> None:
    from pybudget import _core

    batch = _core.parse_items([seed_files[0].read_bytes()])
    for _ in range(3):
        capsule = batch.__arrow_c_stream__()
        del capsule  # never consumed: the capsule releases the stream
    assert pa.table(batch).num_rows == batch.num_rows
    with pytest.raises(TypeError):
        _core.parse_items([object()])
    with pytest.raises(ValueError, match="doc_ids"):
        _core.parse_items([b"x"], [1, 2])


def test_duckdb_reads_the_stream(seed_files) -> None:
    duckdb = pytest.importorskip("duckdb")
    from pybudget import _core

    items = _core.parse_items([seed_files[0].read_bytes()])  # noqa: F841 (found by DuckDB's replacement scan)
    rows = duckdb.sql("SELECT amount_fen FROM items WHERE code = '2080505' AND table_kind = 'expenditure' "
                      "AND measure = 'total'").fetchall()
    assert rows == [(72_050_000,)]


# ---- database -----------------------------------------------------------------------------------------------


def _counts(path: Path, engine: str | None = None) -> dict[str, int]:
    with Database(path, engine) as db:
        return {name: db.count(name) for name in fr.FRAMES}


def test_load_twice_adds_nothing(tmp_path, mixed, seed_files) -> None:
    db = tmp_path / "b.sqlite"
    first = load([SEEDS, mixed], db, workers=1, progress=False)
    assert first.added == len(seed_files) and first.duplicates == len(seed_files)  # the .gz copies
    assert first.unreadable == 2
    counts = _counts(db)
    assert counts["documents"] == len(seed_files) and counts["errors"] == 2
    assert counts["items"] == sum(len(fr.items_frame([pybudget.parse(f)])) for f in seed_files)
    second = load([SEEDS, mixed], db, workers=1, progress=False)
    assert second.added == 0 and second.errors == 0 and _counts(db) == counts
    with Database(db) as d:
        names, rows = d.query("SELECT d.department, i.amount_fen FROM items i JOIN documents d USING (doc_id) "
                              "WHERE i.code = '2080505' AND i.table_kind = 'expenditure' AND i.measure = 'total' "
                              "ORDER BY d.doc_id LIMIT 1")
    assert rows == [("朔州市朔城区医疗保障局", 72_050_000)]


def test_interrupted_load_completes(tmp_path, seed_files) -> None:
    reference = tmp_path / "ref.sqlite"
    load(SEEDS, reference, workers=1, progress=False)
    expected = _counts(reference)

    # an exception after the first committed batch
    db = tmp_path / "broken.sqlite"

    def boom(report) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        load(SEEDS, db, workers=1, progress=False, batch_size=2, after_batch=boom)
    assert 0 < _counts(db)["documents"] < len(seed_files)
    load(SEEDS, db, workers=1, progress=False)
    assert _counts(db) == expected

    # a process killed (SIGKILL) after its first batch was committed
    killed = tmp_path / "killed.sqlite"
    code = ("import os, signal, pybudget.db as d\n"
            f"d.load({str(SEEDS)!r}, {str(killed)!r}, workers=1, progress=False, batch_size=2,\n"
            "       after_batch=lambda r: os.kill(os.getpid(), signal.SIGKILL))\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, timeout=120)
    assert proc.returncode == -9, proc.stderr.decode()
    assert 0 < _counts(killed)["documents"] < len(seed_files)
    report = load(SEEDS, killed, workers=1, progress=False)
    assert report.already_loaded == 2 and _counts(killed) == expected


def test_duckdb(tmp_path, seed_files) -> None:
    pytest.importorskip("duckdb")
    db = tmp_path / "b.duckdb"
    load(SEEDS, db, workers=1, progress=False)
    counts = _counts(db)
    load(SEEDS, db, workers=1, progress=False)
    assert _counts(db) == counts and counts["documents"] == len(seed_files)
    sqlite = tmp_path / "b.sqlite"
    load(SEEDS, sqlite, workers=1, progress=False)
    assert _counts(sqlite) == counts


# ---- command line ------------------------------------------------------------------------------------------


def _cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "pybudget", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


def test_cli_load_summary_demo(tmp_path, mixed, seed_files) -> None:
    db = tmp_path / "cli.sqlite"
    ok = _cli("load", str(SEEDS), "--db", str(db), "-q", "-j", "1")
    assert ok.returncode == 0, ok.stderr
    assert f"added {len(seed_files)} documents" in ok.stdout
    bad = _cli("load", str(mixed), "--db", str(db), "-q", "-j", "1")
    assert bad.returncode == 1 and "2 unreadable files" in bad.stdout
    assert _cli("load", str(tmp_path / "absent"), "--db", str(db)).returncode == 2
    assert _cli("load", str(SEEDS)).returncode == 2  # --db is required
    summary = _cli("summary", "--db", str(db))
    assert summary.returncode == 0 and "山西省" in summary.stdout and "河南省" in summary.stdout
    assert "朔州" not in summary.stderr
    as_json = _cli("summary", "--db", str(db), "--json")
    import json

    data = json.loads(as_json.stdout)
    assert data["counts"]["documents"] == len(seed_files) and data["counts"]["errors"] == 2
    from_files = _cli("summary", str(SEEDS), "-q", "-j", "1", "--json")
    assert json.loads(from_files.stdout)["total_fen"] == data["total_fen"]
    assert _cli("summary").returncode == 2

    demo = _cli("demo", "--dir", str(tmp_path / "demo"), "-n", "6", "-q", "-j", "1")
    assert demo.returncode == 0, demo.stderr
    assert "documents 6" in demo.stdout and "by province, year and kind" in demo.stdout
    again = _cli("demo", "--dir", str(tmp_path / "demo"), "-n", "6", "-q", "-j", "1")
    assert again.stdout == demo.stdout and "added 0 documents" in again.stderr


# ---- dask ------------------------------------------------------------------------------------------------------


def test_dask_matches_read_corpus(mixed) -> None:
    pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    import pybudget.dask as pbd

    src = [SEEDS, mixed]
    expected = read_corpus(src, workers=1, progress=False)
    with distributed.LocalCluster(n_workers=2, processes=False, threads_per_worker=1,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        corpus = pbd.read_corpus(src, client=client, partition_size=3)
        assert corpus.npartitions == 4
        got = corpus.compute()
        items_total = int(corpus.items.amount_fen.sum().compute())
    for name in fr.FRAMES:
        pd.testing.assert_frame_equal(got[name], expected.frame(name), obj=name)
    assert items_total == int(expected.items.amount_fen.sum())


# ---- regions ---------------------------------------------------------------------------------------------------


def test_regions() -> None:
    if regions.backend() is None:
        r = regions.resolve_region("山西省朔州市朔城区医疗保障局")
        assert r.province == "山西省" and r.code is None
        return
    r = regions.resolve_region("朔州市朔城区医疗保障局")
    assert (r.province, r.city, r.county, r.code, r.level) == ("山西省", "朔州市", "朔城区", "140602", "county")
    assert regions.resolve_region("稷山县医疗保障局").code == "140824"
    assert regions.resolve_region("三门峡市医疗保障局").code == "411200"
    assert regions.resolve_region("长春市朝阳区财政局").code == "220104"
    assert regions.resolve_region("北京市朝阳区财政局").city == "北京市"
    assert regions.resolve_region("朝阳区财政局").code is None  # two 朝阳区: not settled
    assert regions.resolve_region(None, "2025年三门峡市医疗保障局部门预算公开").city == "三门峡市"
    assert regions.resolve_region("医疗保障局") == regions.Region()
    # Names are taken leftmost-longest: 吉林省 then 吉林市 (not the province's short name 吉林 twice), and
    # 内蒙古自治区 whole, a name that starts with a shorter one.
    assert regions.resolve_region("吉林省吉林市船营区财政局").code == "220204"
    assert regions.resolve_region("内蒙古自治区呼和浩特市新城区教育局").code == "150102"


def test_regions_without_a_table(seed_files) -> None:
    before = regions.backend()
    try:
        regions.use_backend(None)
        r = regions.resolve_region("朔州市朔城区医疗保障局")
        assert r.code is None and r.county is None
        assert regions.resolve_region("山西省财政厅").province == "山西省"
        docs = fr.documents_frame([pybudget.parse(seed_files[0])])
        assert docs.region_code.isna().all()
    finally:
        regions.use_backend(before)


def test_record_spec_is_worked_out_once_and_handed_out_as_a_copy() -> None:
    # The facts and findings frames' column kinds come from the records' annotations, resolved
    # once; every caller gets its own dict, as _records_table adds columns to the one it gets.
    facts = fr.record_spec("facts")
    assert (facts["value"], facts["unit"], facts["line"], facts["lines"]) == ("str", "cat", "I64", "str")
    facts["value"] = "f64"
    facts["added"] = "str"
    again = fr.record_spec("facts")
    assert again["value"] == "str" and "added" not in again and again is not facts
    findings = fr.record_spec("findings")
    assert (findings["rule"], findings["expected"], findings["lines"]) == ("cat", "str", "str")
