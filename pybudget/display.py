"""HTML views for Jupyter: a document, a table, a corpus.

``Document._repr_html_``, ``Table._repr_html_`` and ``Corpus._repr_html_``
call these functions. A document shows its metadata, the headline totals
(收入总计/支出总计, 基本支出/项目支出), the audit findings, the parser's
warnings, and every table laid out as printed: names indented by 类/款/项,
codes, amounts in the table's own unit with thousands separators. Rows named
by a finding are highlighted.

Every piece of text from a document is escaped: disclosures are untrusted
input, and a cell holding ``<script>`` must show as text.
"""
from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from .model import UNIT_YUAN, Document, Project, Row, Table

__all__ = ["document_html", "table_html", "corpus_html", "format_amount", "headline_html", "findings_html",
           "warnings_html", "document_findings"]

#: Measures that are not amounts: codes and names are laid out specially.
CODE_PARTS = {"code_class": (0, 3), "code_section": (3, 5), "code_item": (5, 7)}
NAME_MEASURES = {"name"}
#: Left padding of a row name by level, as printed budgets indent 款 under 类 and 项 under 款.
LEVEL_INDENT = {"类": 0.0, "款": 1.2, "项": 2.4}
KIND_LABELS = {"budget": "预算 budget", "final": "决算 final account"}
#: Row limit per table; corpus documents can carry very long tables and a notebook cell should stay light.
MAX_ROWS = 500

_STYLE = """<style>
.pybudget{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","Microsoft YaHei",sans-serif;
  font-size:13px;line-height:1.45;color:inherit;max-width:1100px}
.pybudget h3{margin:.2em 0 .4em;font-size:1.25em}
.pybudget h4{margin:.9em 0 .3em;font-size:1.05em}
.pybudget table{border-collapse:collapse;margin:.3em 0 .6em}
.pybudget th,.pybudget td{border:1px solid rgba(127,127,127,.35);padding:2px 7px;vertical-align:baseline;
  text-align:left}
.pybudget th{background:rgba(127,127,127,.12);font-weight:600}
.pybudget td.pb-num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.pybudget td.pb-code{font-family:ui-monospace,Menlo,Consolas,monospace;white-space:nowrap}
.pybudget tr.pb-total td{font-weight:700}
.pybudget tr.pb-flag td{background:rgba(255,140,0,.28)}
.pybudget tr.pb-ref td{background:rgba(255,210,0,.14)}
.pybudget .pb-meta td:first-child{color:rgba(127,127,127,1);white-space:nowrap}
.pybudget .pb-head{display:flex;flex-wrap:wrap;gap:8px;margin:.4em 0}
.pybudget .pb-card{border:1px solid rgba(127,127,127,.35);border-radius:6px;padding:5px 10px;min-width:120px}
.pybudget .pb-card b{display:block;font-size:1.15em;font-variant-numeric:tabular-nums}
.pybudget .pb-card span{color:rgba(127,127,127,1);font-size:.9em}
.pybudget .pb-sev-error{color:#c62828;font-weight:700}
.pybudget .pb-sev-warning{color:#b26a00;font-weight:700}
.pybudget .pb-sev-info{color:#1565c0}
.pybudget .pb-note{color:rgba(127,127,127,1);font-size:.92em;margin:.2em 0}
.pybudget details{margin:.25em 0}
.pybudget summary{cursor:pointer}
.pybudget .pb-kind{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em;
  color:rgba(127,127,127,1)}
</style>"""


def esc(value: Any) -> str:
    """``value`` as escaped HTML text (``None`` becomes an empty string)."""
    return "" if value is None else html.escape(str(value), quote=True)


def format_amount(fen: int | None, unit: str = "元", decimals: int = 2) -> str:
    """An amount in 分 shown in ``unit`` with thousands separators, as a table prints it.

    ``format_amount(733900000, '万元', 2) == '733.90'``; ``None`` (a printed dash)
    is ``'-'``. At least ``decimals`` places are shown, more when the exact value
    needs them, so nothing is rounded away.
    """
    if fen is None:
        return "-"
    value = Decimal(fen).scaleb(-2) / UNIT_YUAN.get(unit, Decimal(1))
    places = max(decimals, 0)
    quantum = Decimal(1).scaleb(-places)
    if value != value.quantize(quantum):
        # More precision than the table printed (e.g. a sum in 元 shown in 万元): keep it exact.
        exponent = value.normalize().as_tuple().exponent
        places = -exponent if isinstance(exponent, int) and exponent < 0 else places
    return f"{value:,.{places}f}"


# --------------------------------------------------------------------------- findings


def document_findings(doc: Document) -> tuple[list[Any], str | None]:
    """The document's audit findings and, when they could not be computed, why.

    The checks are a separate part of the package: when they are not there
    (ImportError) the display says so instead of failing; when a check raises,
    the error is shown in the display, so that it is seen, not swallowed.
    """
    try:
        return list(doc.check()), None
    except ImportError:
        return [], "audit checks (pybudget.checks) are not available in this build"
    except Exception as exc:  # noqa: BLE001 - a display must render; the error is shown to the reader
        return [], f"doc.check() failed: {type(exc).__name__}: {exc}"


def _finding_lines(findings: Iterable[Any]) -> dict[int, list[tuple[Any, bool]]]:
    """Line → (finding, whether the line is where it is reported) for every line a finding names.

    A finding's first line holds the figure under check; the others hold the
    figures it was checked against, and are highlighted more lightly.
    """
    by_line: dict[int, list[tuple[Any, bool]]] = {}
    for f in findings:
        for i, line in enumerate(getattr(f, "lines", None) or ()):
            if isinstance(line, int):
                by_line.setdefault(line, []).append((f, i == 0))
    return by_line


def _severity_class(severity: Any) -> str:
    s = str(severity or "").lower()
    if s in ("error", "critical", "fatal"):
        return "pb-sev-error"
    if s in ("warning", "warn"):
        return "pb-sev-warning"
    return "pb-sev-info"


def _amount_text(value: Any) -> str:
    """A finding's expected/actual/difference: Decimal 元 get separators, anything else as is."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:,}"
    return str(value)


def findings_html(findings: Sequence[Any], tables: dict[int, Table] | None = None) -> str:
    """A table of findings: severity, rule, message, expected/actual/difference, lines."""
    if not findings:
        return '<p class="pb-note">No findings: the document agrees with itself.</p>'
    out = ["<table><thead><tr><th>severity</th><th>rule</th><th>message</th><th>expected</th>"
           "<th>actual</th><th>difference</th><th>lines</th><th>table</th></tr></thead><tbody>"]
    for f in findings:
        severity = getattr(f, "severity", "")
        message = getattr(f, "message_zh", None) or getattr(f, "message_en", None) or getattr(f, "message", "")
        english = getattr(f, "message_en", None)
        title = f' title="{esc(english)}"' if english and english != message else ""
        lines = ", ".join(str(x) for x in (getattr(f, "lines", None) or ()))
        table = getattr(f, "table", None)
        if isinstance(table, int) and tables and table in tables:
            table = tables[table].title or tables[table].kind
        out.append(
            f'<tr><td class="{_severity_class(severity)}">{esc(severity)}</td>'
            f'<td class="pb-code">{esc(getattr(f, "rule", ""))}</td><td{title}>{esc(message)}</td>'
            f'<td class="pb-num">{esc(_amount_text(getattr(f, "expected", None)))}</td>'
            f'<td class="pb-num">{esc(_amount_text(getattr(f, "actual", None)))}</td>'
            f'<td class="pb-num">{esc(_amount_text(getattr(f, "difference", None)))}</td>'
            f'<td>{esc(lines)}</td><td>{esc(table)}</td></tr>')
    out.append("</tbody></table>")
    return "".join(out)


# --------------------------------------------------------------------------- tables


def _columns(table: Table) -> list[tuple[str, str, str | None]]:
    """(measure, header, side) of the columns worth showing, each (measure, side) once.

    Columns the header parser kept without a measure ('') hold no values.
    """
    seen: set[tuple[str, str | None]] = set()
    cols: list[tuple[str, str, str | None]] = []
    for c in table.columns:
        key = (c.measure, c.side)
        if not c.measure or key in seen:
            continue
        seen.add(key)
        cols.append((c.measure, c.header, c.side))
    if not any(m in NAME_MEASURES for m, _, _ in cols):
        # The horizontal 三公 table prints no name column; a row still needs its name cell.
        cols.insert(0, ("name", "", None))
    # Codes travel on the row, not in a column: show them when the table printed none.
    has_code = any(m == "code" or m in CODE_PARTS for m, _, _ in cols)
    if not has_code and any(r.code for r in table.rows):
        index = next(i for i, (m, _, _) in enumerate(cols) if m in NAME_MEASURES)
        cols.insert(index, ("code", "编码", cols[index][2]))
    return cols


def _header_cell(measure: str, header: str) -> str:
    # Headers printed over several rows come joined by '/': show each part on its own line.
    text = "<br>".join(esc(part) for part in (header or measure).split("/"))
    return f'<th title="{esc(measure)}">{text}</th>'


def _cells(row: Row | None, cols: Sequence[tuple[str, str, str | None]], table: Table) -> list[str]:
    cells: list[str] = []
    for measure, _, _ in cols:
        if row is None:
            cells.append("<td></td>")
        elif measure in NAME_MEASURES:
            pad = LEVEL_INDENT.get(row.level or "", 0.0)
            style = f' style="padding-left:{pad + 0.4:.1f}em"' if pad else ""
            cells.append(f'<td{style} data-row="{row.line}">{esc(row.name)}</td>')
        elif measure == "code":
            cells.append(f'<td class="pb-code">{esc(row.code)}</td>')
        elif measure in CODE_PARTS:
            lo, hi = CODE_PARTS[measure]
            part = (row.code or "")[lo:hi] if (row.code or "").isdigit() else ""
            cells.append(f'<td class="pb-code">{esc(part)}</td>')
        elif measure in row.fen:
            cells.append(f'<td class="pb-num">{esc(format_amount(row.fen[measure], table.unit, table.decimals))}</td>')
        elif measure in row.texts:
            cells.append(f"<td>{esc(row.texts[measure])}</td>")
        else:
            cells.append("<td></td>")
    return cells


def _row_class(rows: Sequence[Row | None], flagged: dict[int, list[tuple[Any, bool]]]) -> str:
    classes = []
    if any(r is not None and r.is_total for r in rows):
        classes.append("pb-total")
    hits = [hit for r in rows if r is not None for hit in flagged.get(r.line, ())]
    if hits:
        classes.append("pb-flag" if any(primary for _, primary in hits) else "pb-ref")
        rules = sorted({str(getattr(f, "rule", "")) for f, _ in hits})
        return f' class="{" ".join(classes)}" title="{esc("findings: " + ", ".join(rules))}"'
    return f' class="{" ".join(classes)}"' if classes else ""


def _grid(table: Table, flagged: dict[int, list[tuple[Any, bool]]], max_rows: int) -> str:
    cols = _columns(table)
    sides = [s for s in ("income", "expenditure") if any(side == s for _, _, side in cols)]
    out = ["<table><thead><tr>"]
    out += [_header_cell(m, h) for m, h, _ in cols]
    out.append("</tr></thead><tbody>")
    shown = 0
    if len(sides) == 2:
        # Two-sided tables (收支总表) print income and expenditure side by side on one line.
        left = [c for c in cols if c[2] != "expenditure"]
        right = [c for c in cols if c[2] == "expenditure"]
        pairs: list[dict[str, Row]] = []
        last: dict[int, dict[str, Row]] = {}
        for r in table.rows:
            slot = "right" if r.side == "expenditure" else "left"
            pair = last.get(r.line)
            if pair is None or slot in pair:
                pair = last[r.line] = {}
                pairs.append(pair)
            pair[slot] = r
        for pair in pairs:
            if shown >= max_rows:
                break
            lrow, rrow = pair.get("left"), pair.get("right")
            out.append(f"<tr{_row_class([lrow, rrow], flagged)}>")
            out += _cells(lrow, left, table) + _cells(rrow, right, table)
            out.append("</tr>")
            shown += (lrow is not None) + (rrow is not None)
    else:
        for r in table.rows[:max_rows]:
            out.append(f"<tr{_row_class([r], flagged)}>")
            out += _cells(r, cols, table)
            out.append("</tr>")
            shown += 1
    out.append("</tbody></table>")
    if shown < len(table.rows):
        out.append(f'<p class="pb-note">… {len(table.rows) - shown} more rows not shown.</p>')
    return "".join(out)


def _projects_html(projects: Sequence[Project], doc: Document) -> str:
    """Performance tables carry no rows: their content is the projects and indicators."""
    out = []
    for p in projects:
        annual = p.funds_fen.get("annual_total")
        funds = f" — 年度资金 {esc(format_amount(annual, '元', 2))} 元" if annual is not None else ""
        name = p.name or ("部门整体绩效目标" if p.overall else "(unnamed project)")
        inds = doc.indicators_of(p)
        out.append(f"<h4>{esc(name)}{funds}</h4>")
        dept = p.fields.get("department")
        if dept:
            out.append(f'<p class="pb-note">主管部门 {esc(dept)}</p>')
        if inds:
            out.append("<table><thead><tr><th>一级指标</th><th>二级指标</th><th>三级指标</th>"
                       "<th>指标值</th></tr></thead><tbody>")
            for i in inds:
                out.append(f'<tr data-line="{i.line}"><td>{esc(i.level1)}</td><td>{esc(i.level2)}</td>'
                           f"<td>{esc(i.name)}</td><td>{esc(i.value)}</td></tr>")
            out.append("</tbody></table>")
    return "".join(out) or '<p class="pb-note">No project was read from this table.</p>'


def _table_section(table: Table, doc: Document | None, flagged: dict[int, list[tuple[Any, bool]]], open_: bool,
                   max_rows: int) -> str:
    projects = [p for p in doc.projects if p.table == table.index] if doc is not None else []
    if table.rows:
        size = f"{len(table.rows)} rows"
    elif projects:
        size = f"{len(projects)} projects"
    else:
        size = "no rows"
    unit = esc(table.unit) + (" (assumed)" if table.unit_assumed else "")
    attrs = " open" if open_ else ""
    out = [f'<details{attrs} data-table="{table.index}"><summary><b>{esc(table.title or "(untitled)")}</b> '
           f'<span class="pb-kind">{esc(table.kind)}</span> · 单位 {unit} · {size} · line {table.line}'
           "</summary>"]
    if table.empty:
        out.append('<p class="pb-note">本表无数据 (the table is printed empty).</p>')
    if table.rows:
        out.append(_grid(table, flagged, max_rows))
    elif projects and doc is not None:
        out.append(_projects_html(projects, doc))
    if table.note:
        out.append(f'<p class="pb-note">{esc(table.note)}</p>')
    out.append("</details>")
    return "".join(out)


def table_html(table: Table, max_rows: int = MAX_ROWS) -> str:
    """One table as printed: title, unit, header, rows (names indented by 类/款/项), amounts."""
    return f'{_STYLE}<div class="pybudget">{_table_section(table, None, {}, True, max_rows)}</div>'


# --------------------------------------------------------------------------- documents


def _card(label: str, fen: int | None, unit: str, decimals: int) -> str:
    return (f'<div class="pb-card"><span>{esc(label)}</span><b>{esc(format_amount(fen, unit, decimals))}</b>'
            f"<span>{esc(unit)}</span></div>")


def headline_html(doc: Document) -> str:
    """Cards with 收入总计, 支出总计 (from the 收支总表) and 基本支出/项目支出 (from the 支出总表)."""
    cards = []
    summary = doc.table("summary")
    if summary is not None:
        for side, label in (("income", "收入总计"), ("expenditure", "支出总计")):
            row = summary.total_row(side)
            if row is not None and row.fen.get("total") is not None:
                cards.append(_card(label, row.fen["total"], summary.unit, summary.decimals))
    spending = doc.table("expenditure") or doc.table("general_expenditure")
    if spending is not None:
        row = spending.total_row()
        if row is not None:
            if not cards and row.fen.get("total") is not None:
                cards.append(_card("支出总计", row.fen["total"], spending.unit, spending.decimals))
            for measure, label in (("basic", "基本支出"), ("project", "项目支出")):
                if row.fen.get(measure) is not None:
                    cards.append(_card(label, row.fen[measure], spending.unit, spending.decimals))
    three = doc.table("three_public")
    if three is not None:
        row = three.total_row() or (three.rows[0] if len(three.rows) == 1 else None)
        if row is not None and row.fen.get("total") is not None:
            cards.append(_card("“三公”经费", row.fen["total"], three.unit, three.decimals))
    if not cards:
        return '<p class="pb-note">No totals found (no 收支总表 or 支出总表 was recognised).</p>'
    return f'<div class="pb-head">{"".join(cards)}</div>'


def _meta_html(doc: Document) -> str:
    rows = [("部门 department", doc.department), ("年度 year", doc.year),
            ("类型 kind", KIND_LABELS.get(doc.kind or "", doc.kind)), ("模板 template", doc.template),
            ("来源 source", doc.source),
            ("编码 encoding", doc.encoding + (" (gzip)" if doc.gzip else ""))]
    cells = "".join(f"<tr><td>{esc(k)}</td><td>{esc(v)}</td></tr>" for k, v in rows if v not in (None, ""))
    return f'<table class="pb-meta"><tbody>{cells}</tbody></table>'


def warnings_html(doc: Document) -> str:
    """The parser's warnings: line, code, message, and the table they concern."""
    if not doc.warnings:
        return '<p class="pb-note">No parser warnings.</p>'
    titles = {t.index: t.title for t in doc.tables}
    out = ["<table><thead><tr><th>line</th><th>code</th><th>message</th><th>table</th></tr></thead><tbody>"]
    for w in doc.warnings:
        out.append(f'<tr><td>{w.line}</td><td class="pb-code">{esc(w.code)}</td><td>{esc(w.message)}</td>'
                   f"<td>{esc(titles.get(w.table, ''))}</td></tr>")
    out.append("</tbody></table>")
    return "".join(out)


def document_html(doc: Document, *, findings: bool = True, open_kinds: Iterable[str] = ("expenditure",),
                  max_rows: int = MAX_ROWS) -> str:
    """A document for Jupyter: metadata, headline totals, findings, warnings and every table.

    ``findings=False`` skips ``doc.check()``. Tables of a kind in ``open_kinds``,
    and tables with a finding, start unfolded; the others fold under their
    title. At most ``max_rows`` rows are shown per table.
    """
    found, why = document_findings(doc) if findings else ([], None)
    flagged = _finding_lines(found)
    by_index = {t.index: t for t in doc.tables}
    counts = (f"{len(doc.tables)} tables · {len(doc.projects)} projects · {len(doc.indicators)} indicators · "
              f"{len(doc.texts)} lines of prose · {len(doc.warnings)} warnings")
    if findings and why is None:
        counts += f" · {len(found)} findings"
    out = [_STYLE, '<div class="pybudget">',
           f"<h3>{esc(doc.title or doc.department or doc.source)}</h3>", _meta_html(doc),
           headline_html(doc), f'<p class="pb-note">{esc(counts)}</p>']
    if findings:
        out.append(f"<h4>Findings ({len(found)})</h4>")
        out.append(f'<p class="pb-note">{esc(why)}</p>' if why else findings_html(found, by_index))
    # A long warning list would push the tables out of sight: it folds, under its count.
    out.append(f"<details{'' if len(doc.warnings) > 5 else ' open'}><summary><b>Warnings ({len(doc.warnings)})</b>"
               f"</summary>{warnings_html(doc)}</details>")
    out.append(f"<h4>Tables ({len(doc.tables)})</h4>")
    kinds = set(open_kinds)
    for t in doc.tables:
        # A table with a finding unfolds, so the highlighted rows are seen without a click.
        open_ = t.kind in kinds or any(r.line in flagged for r in t.rows)
        out.append(_table_section(t, doc, flagged, open_, max_rows))
    out.append("</div>")
    return "".join(out)


# --------------------------------------------------------------------------- corpora


#: Columns shown in the head of each corpus frame, when the frame has them.
HEAD_COLUMNS = {
    "documents": ("doc_id", "department", "province", "city", "county", "year", "kind", "template", "tables",
                  "items", "warnings"),
    "findings": ("doc_id", "rule", "severity", "message_zh", "expected", "actual", "lines", "table"),
    "errors": ("doc_id", "source", "code", "line", "message"),
    "items": ("doc_id", "department", "year", "table_kind", "line", "code", "level", "name", "measure", "amount"),
}


def _frame(corpus: Any, name: str) -> Any | None:
    frame = getattr(corpus, name, None)
    return frame if frame is not None and hasattr(frame, "to_html") and hasattr(frame, "shape") else None


def corpus_html(corpus: Any, head: int = 5) -> str:
    """A corpus for Jupyter: the size of each frame, findings by rule, and the head of the frames.

    ``corpus`` is duck-typed: any object whose ``documents``, ``items``,
    ``projects``, ``indicators``, ``facts``, ``findings`` and ``errors``
    attributes are DataFrames (missing ones are skipped).
    """
    names = ("documents", "items", "projects", "indicators", "facts", "findings", "errors")
    frames = {n: f for n in names if (f := _frame(corpus, n)) is not None}
    cards = "".join(f'<div class="pb-card"><span>{esc(n)}</span><b>{len(f):,}</b></div>' for n, f in frames.items())
    out = [_STYLE, '<div class="pybudget">', f"<h3>{esc(type(corpus).__name__)}</h3>",
           f'<div class="pb-head">{cards}</div>']
    findings = frames.get("findings")
    if findings is not None and len(findings) and "rule" in findings.columns:
        keys = [c for c in ("rule", "severity") if c in findings.columns]
        counts = findings.groupby(keys, dropna=False).size().sort_values(ascending=False).rename("findings")
        out.append("<h4>Findings by rule</h4>")
        out.append(counts.reset_index().to_html(index=False, border=0, escape=True))
    for name in ("documents", "findings", "errors", "items"):
        frame = frames.get(name)
        if frame is None or not len(frame):
            continue
        # The columns a reader looks at first; hashes and long titles would crowd them out.
        shown = [c for c in HEAD_COLUMNS[name] if c in frame.columns] or list(frame.columns)
        out.append(f"<h4>{esc(name)} <span class='pb-kind'>head({head}) of {len(frame):,}</span></h4>")
        out.append(frame[shown].head(head).to_html(index=False, border=0, escape=True, max_cols=14))
    out.append("</div>")
    return "".join(out)
