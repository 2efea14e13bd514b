"""Type stubs for the C extension pybudget._core."""
from collections.abc import Callable, Sequence
from typing import Any, Literal, NamedTuple, Protocol, final, overload

RECORD_KINDS: tuple[str, ...]

class Error(ValueError):
    code: str
    lineno: int
    offset: int
    reason: str
    records: list[Any]

class MetaRecord(NamedTuple):
    kind: str
    line: int
    key: str
    value: str

class PartRecord(NamedTuple):
    kind: str
    line: int
    text: str

class TocRecord(NamedTuple):
    kind: str
    line: int
    text: str
    page: str | None

class TableRecord(NamedTuple):
    kind: str
    line: int
    table: int
    table_kind: str
    title: str
    unit: str
    department: str | None
    unit_assumed: bool
    columns: tuple[tuple[str, str, str | None], ...]

class RowRecord(NamedTuple):
    kind: str
    line: int
    table: int
    code: str | None
    level: str | None
    parent: str | None
    name: str
    side: str | None
    role: str | None
    values: dict[str, int | None]
    texts: dict[str, str]

class TableEndRecord(NamedTuple):
    kind: str
    line: int
    table: int
    empty: bool
    note: str
    decimals: int

class ProjectRecord(NamedTuple):
    kind: str
    line: int
    table: int
    project: int
    name: str
    overall: bool
    fields: dict[str, str]
    funds: dict[str, int | None]
    fund_lines: dict[str, int]

class IndicatorRecord(NamedTuple):
    kind: str
    line: int
    table: int
    project: int
    side: str | None
    level1: str
    level2: str
    name: str
    value: str
    comparator: str | None
    number: str | None
    unit: str | None
    note: str | None

class TextRecord(NamedTuple):
    kind: str
    line: int
    text: str

class WarningRecord(NamedTuple):
    kind: str
    line: int
    table: int
    code: str
    message: str

Record = (MetaRecord | PartRecord | TocRecord | TableRecord | RowRecord | TableEndRecord | ProjectRecord
          | IndicatorRecord | TextRecord | WarningRecord)

class Parser:
    encoding: str
    gzip: bool
    lines: int
    bytes_in: int
    def __init__(self, *, strict: bool = ..., max_line: int = ..., max_cells: int = ...,
                 max_table_rows: int = ..., max_inflate_ratio: int = ...) -> None: ...
    def feed(self, data: bytes | bytearray | memoryview, /) -> list[Record]: ...
    def finish(self) -> list[Record]: ...
    def reset(self) -> None: ...

def parse_number(text: str, unit_pow10: int = ..., /) -> tuple[int, int] | str | None: ...

class _ProseLine(Protocol):
    line: int
    text: str

#: A number field of a fact row: None, 0 (a zero stated in words), 'inf', or
#: (digits, exponent, negative, unit) — the value is digits × 10**exponent.
_FactNumber = tuple[int, int, bool, str] | int | str | None

#: The comparisons the facts' rules judge (pybudget.facts.FactChecks): share (fact, base), shares_sum
#: groups, change_pct facts, parts_sum (group, units).
_FactChecks = tuple[list[tuple[int, int | None]], list[tuple[int, ...]], list[int], list[tuple[tuple[int, ...], int | None]]]

#: The facts' numbers for restated_facts: the sections the facts are in (a str per run of facts in one
#: section) and a 24-byte record per fact (csrc/pb_restate.h: subject, section, value in 分, resolution).
_FactNumbers = tuple[tuple[str, ...], bytes]

@overload
def read_facts(lines: Sequence[tuple[int, str] | _ProseLine], audit: Literal[False] = ..., /) -> list[dict[str, Any]]:
    ...
@overload
def read_facts(lines: Sequence[tuple[int, str] | _ProseLine], audit: Literal[True], /
               ) -> tuple[list[dict[str, Any]], _FactChecks, _FactNumbers]:
    """The narrative facts of prose lines, read with the GIL released, one dict per fact keyed by
    Fact's fields: value is (digits, exponent), value_yuan None, and share, change and change_pct
    are _FactNumber values. pybudget.facts makes the numbers exact decimals and each dict the
    instance dict of its Fact. With audit, also the comparisons of the facts with each other that
    may fail (csrc/pb_fact_checks.h): text.share and text.change_pct fact indexes, text.shares_sum
    tuples of them, text.parts_sum (indexes, units): kept while the tolerance's units are below units
    (None: always); and the facts' numbers, which restated_facts reads."""

def restated_facts(numbers: _FactNumbers, contexts: bytes, ways: bytes, figures: Sequence[_FoundFigure],
                   tables: tuple[tuple[bool, int, int | None], ...], /) -> list[int]:
    """The indexes of the facts text.vs_table must look at; the rest are decided from the figures the audit
    found (csrc/pb_restate.h), in C with the GIL released. numbers is read_facts' (with audit); contexts holds
    each section's context (0 .. 2, restated.section_context); ways native int32s, for money facts then 个
    counts, for each subject (fact_tables' order) and context: the spec of the core's figure, -1 when Python
    looks the figure up, -2 when no table prints it; figures and tables as audit_tables gives them: per spec
    None (not printed), False (a way only Python knows) or (table, row, value in 分); per table (prints any
    amount, rounding step, one unit of its last printed digit as a power of ten of 元, None when it is no
    such power: Python compares its figures)."""

@final
class FactRows:
    """The facts of one document's prose, kept in the core: rows[i] makes fact i's dict (as read_facts
    gives it) when asked for; subjects() names every fact's subject without making any dict."""
    def __len__(self) -> int: ...
    def __getitem__(self, index: int, /) -> dict[str, Any]: ...
    def subjects(self) -> tuple[str, ...]: ...

def fact_rows(lines: Sequence[tuple[int, str] | _ProseLine], /) -> tuple[FactRows, _FactChecks, _FactNumbers]:
    """read_facts(lines, True) with the facts kept in the core (FactRows), read with the GIL released."""

def fact_paragraphs(lines: Sequence[tuple[int, str] | _ProseLine], /) -> list[tuple[str, list[tuple[int, int]], str, bool]]:
    """The prose lines joined into paragraphs as the facts reader reads them:
    (text, [(character offset, line)], section, heading)."""

def fact_tables() -> tuple[tuple[str, ...], list[tuple[str, str]]]:
    """(every subject a fact can have, [(code, class name)]); class_code also reads older and regional
    spellings of the classes."""

#: One comparison of a sum rule: (table index, what it compares, parent row index, equation index, child row indexes).
_SumDifference = tuple[int, int, int, int, tuple[int, ...]]

#: A project list as the C core reads it: (total row or -1, unit rows, where each unit's projects start in
#: the projects, the projects); class rows: [(class code, row)]. Rows are indexes into Table.rows.
_ProjectList = tuple[int, list[int], list[int], list[int]]
_ClassRows = list[tuple[str, int]]

#: One way to a figure (pybudget/checks/figures.py): (how, kind, side, flags, measure, names).
_FigureWay = tuple[int, str, int, int, str, tuple[str, ...]]
#: A figure the core found: (table, row, fen, way), row -1 for a table printing no amount, way the index
#: of its spec's way that found it (restated_facts also takes (table, row, fen)); None when the tables do
#: not print it; False when a way only Python knows was reached.
_FoundFigure = tuple[int, int, int, int] | tuple[int, int, int] | None | bool

def figure_plan(specs: Sequence[tuple[_FigureWay, ...]], cells: int = ..., /) -> object:
    """The specs' ways compiled for audit_tables (a capsule): each spec's ways are tried in turn; the figures
    of the last ``cells`` specs come as plain cells."""

#: A table's plan for audit_tables: (measures, equations, unit in 分, printed decimals).
_Plan = tuple[Sequence[str], Sequence[tuple[str, tuple[str, ...]]], int, int]
#: What audit_tables reads of every table for the structure rules (see its doc).
_Structure = tuple[tuple[int | None, ...] | None, tuple[int, ...], tuple[str | None, tuple[int, ...]]]

def audit_tables(tables: Sequence[Any], plans: Sequence[_Plan] | dict[tuple[str, tuple[str, ...], str, int], tuple[_Plan, frozenset[str]]],
                 units: int, figures: object | None = ...,
                 plan_of: Callable[[str, tuple[str, ...], str, int], tuple[_Plan, frozenset[str]]] | None = ...,
                 memo_keys: tuple[Any, ...] | None = ..., projects: Sequence[Any] | None = ..., /
                 ) -> tuple[list[_SumDifference], list[_SumDifference], list[_SumDifference], list[_SumDifference],
                            list[_ProjectList | _ClassRows | None], list[_FoundFigure] | None,
                            tuple[tuple[bool, int, int | None], ...], tuple[bool, bool, bool, bool, bool],
                            tuple[tuple[int | None, int | None, int | None] | None, ...], list[dict[Any, Any]] | None,
                            _Structure, bool, bool, list[int | None | bool] | None]:
    """The audit's pass over the tables, in C with the GIL released: the comparisons of table.children_sum,
    table.columns_sum, table.balance and table.group_sum that differ by more than rounding allows; each table's
    project list (project-like tables) or class rows (收支总表s), else None; the figure of each spec of
    ``figures`` (a figure_plan); per table, whether it prints any amount, its rounding step in 分 and one unit
    of its last printed digit as a power of ten of 元 (None when it is no such power); which blocks of
    cross.function_code have a code whose amounts differ; each table's total rows (any side, income,
    expenditure); each table's memo entries (with memo_keys, else None); and what the structure rules ask of
    the tables: the year each title names (as ``((?:19|20)\d{2})\s*年`` finds it first, None for none; None
    for all when some title is neither str nor None), the tables that print no amount, and (the first
    department a table names or None, the later tables naming another); and whether an item sum of a
    “三公”经费表 differs from its total by more than rounding allows (table.three_public_items has nothing to
    say otherwise); and whether cross.performance_vs_projects may have something to say of the performance
    targets in ``projects`` (the document's Project list; True without it); and the figures of the plan's
    last specs (``figure_plan``'s cells) as plain cells: the amount in 分, None, False (figures holds the
    other specs').

    plans holds one (measures, equations, unit in 分, printed decimals) plan per table, or is a dict of
    (plan, measure set) by (kind, the columns' measures, unit, decimals): the pass reads those of each table,
    and plan_of(kind, measures, unit, decimals) gives the pair of a key the dict lacks. memo_keys (with
    plans by key) keys each table's memo entries: (prints any amount, measures, measure set, total row of
    any side, of the income side, of the expenditure side, project list, class rows); a total row is the
    row, or None for none, and only where the pass looked. units is the tolerance's units per summed item
    (int >= 0)."""

#: How alike two paired project names must be for their amounts to be compared (csrc/pb_match.h).
MATCH_ALIKE: float

def audit_lookup(table: Any, measures: Sequence[str], what: str, /) -> _ProjectList | _ClassRows:
    """One table's project list (what='project_list') or class rows (what='class_rows'), worked out by the C
    code the sums use."""

def norm_name(name: str, /) -> str:
    """A row name without blanks, a leading 其中, one leading enumerator ('(一)', '一、', '①', '1.'),
    the quotes and colons “”"‘’:：, with full-width parentheses made ASCII."""

def org_name(name: str, department: str | None = ..., /) -> bool:
    """Whether the row name, normalised, is a unit's ('…局', '…中心(本级)') and not a project's
    ('…经费'), or is the table's department or part of it."""

def match_key(name: str, /) -> str:
    """A project name's key for pairing: norm_name's result without blanks and :：,，.。、()（）【】[]-—_·."""

def match_names(left: Sequence[tuple[str, int]], right: Sequence[tuple[str, int]], tolerance_fen: int, /
                ) -> list[tuple[int, int, float]]:
    """Pairs (i, j, similarity) of (name, fen) items, best first, each name at most once (csrc/pb_match.h)."""

def class_code(name: str, /) -> str | None:
    """The function-class code of a summary-table row name ('八、社会保障和就业支出' → '208'), or None."""

def tokenize(data: bytes | bytearray | memoryview, /) -> tuple[int, int, int]:
    """(lines, cells, text_bytes) from the tokenizer alone (gzip, decoding, lines, cells)."""

class ItemColumns:
    """Items of many documents stored by column (from :func:`parse_items`)."""

    documents: list[dict[str, object]]
    num_rows: int
    def __len__(self) -> int: ...
    def __arrow_c_stream__(self, requested_schema: object | None = ...) -> object: ...
    def __arrow_c_schema__(self) -> object: ...

def parse_items(data: Sequence[bytes | bytearray | memoryview], doc_ids: Sequence[int] | None = ...,
                sources: Sequence[str] | None = ..., *, strict: bool = ..., max_line: int = ...,
                max_cells: int = ..., max_table_rows: int = ..., max_inflate_ratio: int = ...) -> ItemColumns: ...
