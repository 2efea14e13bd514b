"""pandas DataFrames from parsed documents: one tidy frame per kind of record.

Every frame starts with ``doc_id`` (the document's position in the input,
or in the corpus listing for :func:`pybudget.read_corpus`) and ``source``;
join frames on ``doc_id``. Repeated strings are ``category`` columns.
Amounts are exact integers in 分 (fen) in ``*_fen`` columns (nullable
``Int64``; ``<NA>`` is a printed dash). ``amount`` is a float 元 view of
``amount_fen`` for convenience only: sums of ``amount_fen`` are exact, sums of
``amount`` are not guaranteed to be.

Frames are built as Arrow tables with a fixed schema (:func:`arrow_schema`),
which is also the Parquet and database schema, and converted to pandas once
(:func:`to_pandas`); the C core's columnar items take the same road without a
Python object per row.

Columns:

``documents`` (one row per document read)
    doc_id, source, archive, sha256, bytes, title, department, year, kind,
    template, encoding, gzip, province, city, county, region_code, tables,
    items, projects, indicators, warnings
    (``sha256``: :func:`pybudget.corpus.content_hash`; ``bytes``: size as
    stored; ``items``: the document's rows in ``items``)
``items`` (one row per amount cell: table row × measure)
    doc_id, source, department, year, table_kind, table, row, line, code,
    level, parent, name, side, role, measure, amount_fen, amount
``projects`` (one row per 项目支出绩效目标表 project)
    doc_id, source, project, table, line, name, overall, department_code,
    project_department, implementer, attribute, period, filed, goal,
    overview, basis, necessity, measures, plan, strategy, duties, and the
    fund grid in 分: period_total_fen, annual_total_fen, period_central_fen,
    annual_central_fen, period_provincial_fen, annual_provincial_fen,
    period_local_fen, annual_local_fen, period_self_raised_fen,
    annual_self_raised_fen, period_other_fen, annual_other_fen
``indicators`` (one row per 三级指标)
    doc_id, source, project, line, side, level1, level2, name, value,
    comparator, number, number_text, unit, note
``facts`` (:func:`pybudget.facts.extract_facts`; empty without it)
    doc_id, source, then the fields of ``Fact`` in order
``findings`` (``Document.check()``; empty without :mod:`pybudget.checks`)
    doc_id, source, rule, severity, message_zh, message_en, expected,
    actual, difference, tolerance, tolerance_rule, lines, table, then any
    further fields of ``Finding``
``errors`` (:func:`pybudget.read_corpus` only: one row per unreadable file)
    doc_id, source, archive, sha256, code, line, offset, message

Decimal values of facts and findings are exact decimal strings (as in the
JSON export); lists and dicts are JSON text.
"""
from __future__ import annotations

import dataclasses
import json
import warnings
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from enum import Enum
from functools import lru_cache
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from .model import HENAN_MARKERS, SHANXI_MARKERS, Document
from .regions import resolve_region

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

__all__ = [
    "documents_frame", "items_frame", "projects_frame", "indicators_frame", "facts_frame", "findings_frame",
    "frames_from_documents", "items_from_bytes", "empty_frame", "arrow_schema", "to_pandas", "FRAMES", "COLUMNS",
    "FUND_KEYS", "PROJECT_FIELDS", "template_of",
]

#: Frames of a corpus, in the order they are written.
FRAMES = ("documents", "items", "projects", "indicators", "facts", "findings", "errors")

FUND_KEYS = tuple(f"{side}_{src}" for src in ("total", "central", "provincial", "local", "self_raised", "other")
                  for side in ("period", "annual")) + (
    # the budget grid of an overall (部门整体) target: sources and structure of the year's budget
    "annual_government", "annual_general_budget", "annual_gov_fund", "annual_state_capital", "annual_social_insurance",
    "annual_special_account", "annual_unit_funds", "annual_structure_total", "annual_basic", "annual_project")
PROJECT_FIELDS = ("implementer", "attribute", "period", "filed", "goal", "overview", "basis", "necessity",
                  "measures", "plan", "strategy", "duties")
FINDING_COLUMNS = ("rule", "severity", "message_zh", "message_en", "expected", "actual", "difference", "tolerance",
                   "tolerance_rule", "lines", "table")

# Column kinds: i64/i32 (never null), I64/I32 (nullable ints), f64, bool, cat (category), str.
_SPECS: dict[str, dict[str, str]] = {
    "documents": {
        "doc_id": "i64", "source": "str", "archive": "str", "sha256": "str", "bytes": "I64", "title": "str",
        "department": "cat", "year": "I32", "kind": "cat", "template": "cat", "encoding": "cat", "gzip": "bool",
        "province": "cat", "city": "cat", "county": "cat", "region_code": "cat", "tables": "i32", "items": "i32",
        "projects": "i32", "indicators": "i32", "warnings": "i32",
    },
    "items": {
        "doc_id": "i64", "source": "cat", "department": "cat", "year": "I32", "table_kind": "cat", "table": "i32",
        "row": "i32", "line": "i32", "code": "cat", "level": "cat", "parent": "cat", "name": "cat", "side": "cat",
        "role": "cat", "measure": "cat", "amount_fen": "I64", "amount": "f64",
    },
    "projects": {
        "doc_id": "i64", "source": "cat", "project": "i32", "table": "i32", "line": "i32", "name": "str",
        "overall": "bool", "department_code": "cat", "project_department": "cat", "implementer": "cat",
        "attribute": "cat", "period": "cat", "filed": "str", "goal": "str", "overview": "str", "basis": "str",
        "necessity": "str", "measures": "str", "plan": "str", "strategy": "str", "duties": "str",
        **{f"{k}_fen": "I64" for k in FUND_KEYS},
        **{f"{k}_line": "I32" for k in FUND_KEYS},
    },
    "indicators": {
        "doc_id": "i64", "source": "cat", "project": "I32", "line": "i32", "side": "cat", "level1": "cat",
        "level2": "cat", "name": "cat", "value": "cat", "comparator": "cat", "number": "f64", "number_text": "str",
        "unit": "cat", "note": "str",
    },
    "facts": {"doc_id": "i64", "source": "cat"},
    "findings": {"doc_id": "i64", "source": "cat", **{c: "str" for c in FINDING_COLUMNS}},
    "errors": {
        "doc_id": "i64", "source": "str", "archive": "str", "sha256": "str", "code": "cat", "line": "I64",
        "offset": "I64", "message": "str",
    },
}
# Fields of facts and findings that become categories.
_CAT_FIELDS = {"rule", "severity", "tolerance_rule", "table", "kind", "key", "measure", "table_kind", "unit", "side",
               "scope", "source_kind", "unit_text", "sentence", "section", "reason"}

#: Column names of each frame (facts/findings: their fixed leading columns).
COLUMNS: dict[str, tuple[str, ...]] = {name: tuple(spec) for name, spec in _SPECS.items()}


# ---- Arrow tables and their pandas form ---------------------------------------------------------------------------


@lru_cache(maxsize=None)
def _arrow_type(kind: str) -> pa.DataType:
    import pyarrow as pa

    return {
        "i64": pa.int64(), "i32": pa.int32(), "I64": pa.int64(), "I32": pa.int32(), "f64": pa.float64(),
        "bool": pa.bool_(), "cat": pa.dictionary(pa.int32(), pa.string()), "str": pa.string(),
    }[kind]


def _schema(spec: dict[str, str], name: str) -> pa.Schema:
    return _schema_of(tuple(spec.items()), name)


@lru_cache(maxsize=256)
def _schema_of(spec: tuple[tuple[str, str], ...], name: str) -> pa.Schema:
    """:func:`_schema` of a spec as (column, kind) pairs. Cached: every task of a corpus builds its frames
    with the same few schemas, and building one costs more than a small task's cast."""
    import pyarrow as pa

    meta = {b"pybudget.frame": name.encode(), b"pybudget.kinds": json.dumps(dict(spec)).encode()}
    return pa.schema([pa.field(c, _arrow_type(k)) for c, k in spec], metadata=meta)


def arrow_schema(name: str) -> pa.Schema:
    """The Arrow (and Parquet) schema of a frame; facts and findings add their
    dataclass fields to these leading columns."""
    return _schema(_SPECS[name], name)


def _spec_of(table: pa.Table) -> dict[str, str]:
    meta = table.schema.metadata or {}
    raw = meta.get(b"pybudget.kinds")
    return json.loads(raw) if raw else {}


def _array(values: list[Any], kind: str) -> pa.Array:
    import pyarrow as pa

    # A "cat" column is converted straight to a dictionary array: Arrow's builder keeps each distinct
    # string once, in order of first appearance, so a long sentence repeated for each of its facts is
    # not copied for each.
    return pa.array(values, _arrow_type(kind))


def build_table(name: str, columns: dict[str, list[Any]], spec: dict[str, str] | None = None) -> pa.Table:
    """An Arrow table of frame ``name`` from Python column lists."""
    import pyarrow as pa

    spec = spec or _SPECS[name]
    arrays = [_array(columns.get(c, []), k) for c, k in spec.items()]
    return pa.Table.from_arrays(arrays, schema=_schema(spec, name))


def rows_table(name: str, rows: list[dict[str, Any]]) -> pa.Table:
    """An Arrow table of frame ``name`` from row dicts."""
    return build_table(name, {c: [r.get(c) for r in rows] for c in _SPECS[name]})


def empty_table(name: str) -> pa.Table:
    """An Arrow table of frame ``name`` with no rows."""
    if name in ("facts", "findings"):
        return build_table(name, {}, record_spec(name))
    return build_table(name, {})


def conform(table: pa.Table, name: str) -> pa.Table:
    """Casts a table with the frame's columns (e.g. the C core's items) to the frame schema."""
    import pyarrow as pa

    spec = _spec_of(table) or _SPECS[name]
    schema = _schema(spec, name)
    table = table.select(list(spec))
    if all(got.type == want.type for got, want in zip(table.schema, schema)):
        # Only the fields' nullability and the metadata differ (the core's columns are not null):
        # the same arrays under the frame's schema, without a cast kernel per column.
        return pa.Table.from_arrays(table.columns, schema=schema)
    return table.cast(schema)


def reencode(table: pa.Table) -> pa.Table:
    """Rebuilds dictionary columns so they hold only the values in use (after a filter)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    cols = []
    for field, col in zip(table.schema, table.columns):
        if pa.types.is_dictionary(field.type):
            col = pc.dictionary_encode(pc.cast(col, pa.string()))
        cols.append(col)
    return pa.Table.from_arrays(cols, schema=table.schema)


def concat_tables(tables: Sequence[pa.Table], name: str) -> pa.Table:
    """Tables of one frame, in order (facts/findings columns are unified)."""
    import pyarrow as pa

    tables = [t for t in tables if t is not None]
    if not tables:
        return empty_table(name)
    specs = [_spec_of(t) for t in tables]
    spec: dict[str, str] = {}
    for s in specs:
        for col, kind in s.items():
            spec.setdefault(col, kind)
    if any(s != spec for s in specs):
        schema = _schema(spec, name)
        fixed = []
        for t in tables:
            cols = [t.column(c) if c in t.column_names else pa.nulls(len(t), _arrow_type(k)) for c, k in spec.items()]
            fixed.append(pa.Table.from_arrays(cols, schema=schema).cast(schema))
        tables = fixed
    else:
        schema = tables[0].schema
        tables = [t.replace_schema_metadata(schema.metadata) for t in tables]
    return pa.concat_tables(tables)


def to_pandas(table: pa.Table, name: str | None = None) -> pd.DataFrame:
    """The pandas form of a frame table: dictionary → category, nullable ints →
    Int64/Int32, never-null ints → int64/int32, strings → the pandas string dtype."""
    import pandas as pd
    import pyarrow as pa

    spec = _spec_of(table) or (_SPECS[name] if name else {})
    mapper = {pa.int64(): pd.Int64Dtype(), pa.int32(): pd.Int32Dtype()}.get
    frame = table.to_pandas(types_mapper=mapper)
    text = pd.Index(["a"]).dtype  # the dtype pandas gives string categories
    for col, kind in spec.items():
        if col not in frame.columns:
            continue
        if kind in ("i64", "i32"):
            frame[col] = frame[col].astype("int64" if kind == "i64" else "int32")
        elif kind == "cat" and frame[col].cat.categories.dtype != text:
            # no categories at all (empty or all-null): string-typed like the rest, so parts concatenate
            cats = frame[col].cat.categories
            frame[col] = frame[col].cat.set_categories(pd.Index(list(cats), dtype=text))
    return frame


# ---- frames from Documents ------------------------------------------------------------------------------------------


def _ids(docs: Sequence[Document], ids: Sequence[int] | None) -> Sequence[int]:
    if ids is None:
        return range(len(docs))
    if len(ids) != len(docs):
        raise ValueError(f"{len(ids)} ids for {len(docs)} documents")
    return ids


def template_of(kinds: Iterable[str]) -> str:
    """Template family by the table kinds present (as ``Document.template``)."""
    ks = set(kinds)
    if ks & HENAN_MARKERS:
        return "henan"
    if SHANXI_MARKERS <= ks:
        return "shanxi"
    return "generic"


def document_row(doc_id: int, source: str, *, title: str | None, department: str | None, year: int | None,
                 kind: str | None, template: str, encoding: str, gzip: bool, tables: int, items: int, projects: int,
                 indicators: int, warnings: int, archive: str | None = None, sha256: str | None = None,
                 size: int | None = None) -> dict[str, Any]:
    """One row of the documents frame (shared by the Document and columnar paths)."""
    region = resolve_region(department, title)
    return {
        "doc_id": doc_id, "source": source, "archive": archive, "sha256": sha256, "bytes": size, "title": title,
        "department": department, "year": year, "kind": kind, "template": template, "encoding": encoding,
        "gzip": gzip, "province": region.province, "city": region.city, "county": region.county,
        "region_code": region.code, "tables": tables, "items": items, "projects": projects,
        "indicators": indicators, "warnings": warnings,
    }


def documents_table(docs: Sequence[Document], ids: Sequence[int] | None = None) -> pa.Table:
    """Arrow form of :func:`documents_frame`."""
    rows = [document_row(i, d.source, title=d.title, department=d.department, year=d.year, kind=d.kind,
                         template=d.template, encoding=d.encoding, gzip=d.gzip, tables=len(d.tables),
                         items=sum(len(r.fen) for t in d.tables for r in t.rows), projects=len(d.projects),
                         indicators=len(d.indicators), warnings=len(d.warnings))
            for i, d in zip(_ids(docs, ids), docs)]
    return rows_table("documents", rows)


def documents_frame(docs: Sequence[Document], ids: Sequence[int] | None = None) -> pd.DataFrame:
    """One row per document: metadata, region, counts.

    ``archive``, ``sha256`` and ``bytes`` are filled by :func:`pybudget.read_corpus`
    and null here. ``province``, ``city``, ``county`` and ``region_code`` (GB/T
    2260) come from :func:`pybudget.regions.resolve_region` on the department
    and title; ``items`` counts the document's rows in the items frame.
    """
    return to_pandas(documents_table(docs, ids))


def items_table(docs: Sequence[Document], ids: Sequence[int] | None = None) -> pa.Table:
    """Arrow form of :func:`items_frame`, built in Python from Documents."""
    cols: dict[str, list[Any]] = {c: [] for c in _SPECS["items"]}
    put = {c: cols[c].append for c in cols}
    for doc_id, doc in zip(_ids(docs, ids), docs):
        for table in doc.tables:
            for row_no, row in enumerate(table.rows):
                for measure, fen in row.fen.items():
                    put["doc_id"](doc_id)
                    put["source"](doc.source)
                    put["department"](doc.department)
                    put["year"](doc.year)
                    put["table_kind"](table.kind)
                    put["table"](table.index)
                    put["row"](row_no)
                    put["line"](row.line)
                    put["code"](row.code)
                    put["level"](row.level)
                    put["parent"](row.parent)
                    put["name"](row.name)
                    put["side"](row.side)
                    put["role"](row.role)
                    put["measure"](measure)
                    put["amount_fen"](fen)
                    put["amount"](None if fen is None else fen / 100.0)
    return build_table("items", cols)


def items_frame(docs: Sequence[Document], ids: Sequence[int] | None = None) -> pd.DataFrame:
    """The tidy items: one row per amount cell (table row × measure), in
    document, table, row and printed-column order.

    ``amount_fen`` (nullable Int64) is exact; ``<NA>`` is a printed dash.
    ``row`` is the row's index within its table (pivot on doc_id, table, row
    to get the printed table back). Text cells are not items.
    :func:`items_from_bytes` builds the same frame in C.
    """
    return to_pandas(items_table(docs, ids))


def items_arrow(data: Sequence[bytes], ids: Sequence[int] | None = None, sources: Sequence[str] | None = None,
                *, strict: bool = False, **limits: int) -> tuple[pa.Table, list[dict[str, Any]]]:
    """The items of raw documents as an Arrow table, filled by the C core.

    The core parses with the GIL released and fills the column buffers; they
    reach pyarrow through the Arrow C stream interface (``__arrow_c_stream__``)
    with no Python object per row. Returns the table and one summary dict per
    input document (``ok``, ``error``, ``message``, ``line``, ``offset``, title,
    department, year, kind, encoding, gzip, counts, ``table_kinds``).
    """
    import pyarrow as pa

    from . import _core

    batch = _core.parse_items(list(data), None if ids is None else list(ids),
                              None if sources is None else list(sources), strict=strict, **limits)
    return conform(pa.table(batch), "items"), batch.documents


def items_from_bytes(data: Sequence[bytes], ids: Sequence[int] | None = None, sources: Sequence[str] | None = None,
                     *, strict: bool = False, **limits: int) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """:func:`items_arrow` as a DataFrame (the same frame as :func:`items_frame`)."""
    table, docs = items_arrow(data, ids, sources, strict=strict, **limits)
    return to_pandas(table), docs


def projects_table(docs: Sequence[Document], ids: Sequence[int] | None = None) -> pa.Table:
    """Arrow form of :func:`projects_frame`."""
    rows = []
    for doc_id, doc in zip(_ids(docs, ids), docs):
        for p in doc.projects:
            row: dict[str, Any] = {
                "doc_id": doc_id, "source": doc.source, "project": p.index, "table": p.table, "line": p.line,
                "name": p.name, "overall": p.overall, "department_code": p.department_code,
                "project_department": p.department,
            }
            for key in PROJECT_FIELDS:
                row[key] = p.fields.get(key)
            for key in FUND_KEYS:
                row[f"{key}_fen"] = p.funds_fen.get(key)
            for key in FUND_KEYS:
                row[f"{key}_line"] = p.fund_lines.get(key)
            rows.append(row)
    return rows_table("projects", rows)


def projects_frame(docs: Sequence[Document], ids: Sequence[int] | None = None) -> pd.DataFrame:
    """One row per project of the 项目支出绩效目标表: its text fields and the fund
    grid in 分 (``annual_total_fen`` …; ``<NA>`` where the grid has no figure)."""
    return to_pandas(projects_table(docs, ids))


def indicators_table(docs: Sequence[Document], ids: Sequence[int] | None = None) -> pa.Table:
    """Arrow form of :func:`indicators_frame`."""
    rows = []
    for doc_id, doc in zip(_ids(docs, ids), docs):
        for i in doc.indicators:
            rows.append({
                "doc_id": doc_id, "source": doc.source, "project": i.project, "line": i.line, "side": i.side,
                "level1": i.level1, "level2": i.level2, "name": i.name, "value": i.value,
                "comparator": i.comparator, "number": None if i.number is None else float(i.number),
                "number_text": None if i.number is None else str(i.number), "unit": i.unit, "note": i.note,
            })
    return rows_table("indicators", rows)


def indicators_frame(docs: Sequence[Document], ids: Sequence[int] | None = None) -> pd.DataFrame:
    """One row per performance indicator; ``number`` is a float, ``number_text`` the exact decimal."""
    return to_pandas(indicators_table(docs, ids))


_SCALAR_TYPES = frozenset((str, int, float, bool, type(None)))
_DECIMAL_OR_NONE = frozenset((Decimal, type(None)))
_TUPLE_OR_NONE = frozenset((tuple, type(None)))


def _plain(value: Any) -> Any:
    """A value for a frame cell: Decimal → exact string, containers → JSON text."""
    if type(value) in _SCALAR_TYPES:  # most cells: kept as they are, tested first
        return value
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple, dict, set)) or (dataclasses.is_dataclass(value) and
                                                      not isinstance(value, type)):
        return json.dumps(_jsonable(value), ensure_ascii=False)
    return value


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = dataclasses.asdict(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    return value


def _record_class(name: str) -> type | None:
    """The dataclass whose fields make the facts or findings columns, if importable."""
    try:
        if name == "facts":
            from .facts import Fact

            return Fact
        from .checks import Finding  # type: ignore[attr-defined]

        return Finding  # type: ignore[no-any-return]
    except ImportError:
        return None


def _kind_of_hint(field: str, hint: Any) -> str:
    """Column kind of a dataclass field from its type: Decimal → exact string,
    int → Int64, float → float64, str/enums → string (category for low-cardinality
    fields), containers → JSON text."""
    import types
    import typing

    origin = typing.get_origin(hint)
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    optional = origin in (typing.Union, types.UnionType) and len(args) == 1
    base = args[0] if optional else hint
    if base is bool:
        return "str" if optional else "bool"
    if base is int:
        return "I64"
    if base is float:
        return "f64"
    return "cat" if field in _CAT_FIELDS and base is not Decimal else "str"


def record_spec(name: str) -> dict[str, str]:
    """Column kinds of the facts or findings frame: the leading columns, then the
    fields of ``Fact`` / ``Finding`` typed from their annotations, so that every
    part of a corpus has the same schema whatever its values. A new dict each call."""
    return dict(_record_spec(name))


@lru_cache(maxsize=None)
def _record_spec(name: str) -> dict[str, str]:
    """:func:`record_spec` worked out once per frame: resolving the annotations takes about
    0.3 ms, which every task of a corpus would pay twice."""
    import typing

    spec = dict(_SPECS[name])
    cls = _record_class(name)
    if cls is None or not dataclasses.is_dataclass(cls):
        return spec
    try:
        hints = typing.get_type_hints(cls)
    except Exception:  # unresolvable annotations: strings
        hints = {}
    for f in dataclasses.fields(cls):
        if f.name not in ("doc_id", "source"):
            spec[f.name] = _kind_of_hint(f.name, hints.get(f.name, str))
    return spec


def _records_table(name: str, per_doc: Iterable[tuple[int, str, list[Any]]]) -> pa.Table:
    """The facts or findings frame: doc_id and source, then the fields of the records
    (``Fact`` or ``Finding``), read a column at a time."""
    spec = record_spec(name)
    per_doc = list(per_doc)
    objs = [obj for _, _, objs in per_doc for obj in objs]
    columns: dict[str, list[Any]] = {
        "doc_id": [doc_id for doc_id, _, objs in per_doc for _ in objs],
        "source": [source for _, source, objs in per_doc for _ in objs],
    }
    for f in dataclasses.fields(objs[0]) if objs else ():
        if f.name not in ("doc_id", "source"):
            columns[f.name] = _plain_column(list(map(attrgetter(f.name), objs)), spec.setdefault(f.name, "str"))
    return build_table(name, {c: columns.get(c) or [None] * len(objs) for c in spec}, spec)


def _plain_column(values: list[Any], kind: str) -> list[Any]:
    """A column of :func:`_plain` values; in text columns every value but None is a str."""
    types = set(map(type, values))
    if types <= _DECIMAL_OR_NONE:  # amounts: exact strings
        values = [None if v is None else str(v) for v in values]
        types = {str}
    elif types <= _TUPLE_OR_NONE and all(type(x) is int for t in values if t for x in t):
        # line numbers: the JSON text json.dumps gives a list of ints, written directly
        values = [None if t is None else "[" + ", ".join(map(str, t)) + "]" for t in values]
        types = {str}
    elif not types <= _SCALAR_TYPES:
        values = [_plain(v) for v in values]
        types = set(map(type, values))
    if kind in ("str", "cat") and types - {str, type(None)}:
        values = [v if v is None or isinstance(v, str) else str(v) for v in values]
    return values


def _collect(docs: Sequence[Document], ids: Sequence[int] | None, fn: Callable[[Document], Iterable[Any]],
             what: str) -> list[tuple[int, str, list[Any]]]:
    out = []
    failed: list[str] = []
    for doc_id, doc in zip(_ids(docs, ids), docs):
        try:
            objs = list(fn(doc))
        except Exception as exc:  # a bug in one check must not lose the corpus
            failed.append(f"{doc.source}: {exc!r}")
            objs = []
        out.append((doc_id, doc.source, objs))
    if failed:
        warnings.warn(f"{what} failed for {len(failed)} of {len(out)} documents; first: {failed[0]}",
                      RuntimeWarning, stacklevel=3)
    return out


def _extract_facts() -> Callable[[Document], Iterable[Any]] | None:
    try:
        from .facts import extract_facts
    except ImportError:
        return None
    return extract_facts  # type: ignore[no-any-return]


def _has_checks() -> bool:
    import importlib

    try:
        module = importlib.import_module(".checks", __package__)
    except ImportError:
        return False
    return hasattr(module, "check_document")


def facts_table(docs: Sequence[Document], ids: Sequence[int] | None = None) -> pa.Table:
    """Arrow form of :func:`facts_frame`."""
    extract = _extract_facts()
    if extract is None:
        return empty_table("facts")
    return _records_table("facts", _collect(docs, ids, extract, "extract_facts"))


def facts_frame(docs: Sequence[Document], ids: Sequence[int] | None = None) -> pd.DataFrame:
    """The figures stated in each document (:func:`pybudget.facts.extract_facts`),
    one row per fact; just ``doc_id`` and ``source`` when that module is absent."""
    return to_pandas(facts_table(docs, ids))


def findings_table(docs: Sequence[Document], ids: Sequence[int] | None = None) -> pa.Table:
    """Arrow form of :func:`findings_frame`."""
    if not _has_checks():
        return empty_table("findings")
    return _records_table("findings", _collect(docs, ids, lambda d: d.check(), "check"))


def findings_frame(docs: Sequence[Document], ids: Sequence[int] | None = None) -> pd.DataFrame:
    """The audit findings of each document (``Document.check()``), one row per
    finding; ``expected``/``actual``/``difference``/``tolerance`` are exact
    decimal strings and ``lines`` JSON text."""
    return to_pandas(findings_table(docs, ids))


_TABLES: dict[str, Callable[..., pa.Table]] = {
    "documents": documents_table, "items": items_table, "projects": projects_table,
    "indicators": indicators_table, "facts": facts_table, "findings": findings_table,
}


def tables_from_documents(docs: Sequence[Document], ids: Sequence[int] | None = None,
                          frames: Iterable[str] = FRAMES) -> dict[str, pa.Table]:
    """Arrow tables of every frame (but errors) of a list of Documents."""
    return {name: _TABLES[name](docs, ids) for name in frames if name in _TABLES}


def frames_from_documents(docs: Sequence[Document], ids: Sequence[int] | None = None,
                          frames: Iterable[str] = FRAMES) -> dict[str, pd.DataFrame]:
    """Every frame (but errors) of a list of Documents, built in Python."""
    return {name: to_pandas(t) for name, t in tables_from_documents(docs, ids, frames).items()}


def empty_frame(name: str) -> pd.DataFrame:
    """A frame with no rows and the documented columns and dtypes."""
    return to_pandas(empty_table(name))
