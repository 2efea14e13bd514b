"""Tests for the synthetic corpus generator (benchmarks/make_corpus.py).

The arithmetic checks below are written independently of the generator:
they only read the truth sidecars and the generated text, so they catch a
generator whose tables, prose and truth drift apart.
"""
from __future__ import annotations

import csv
import gzip
import json
import re
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest

from benchmarks.make_corpus import (FAMILIES, RENDERINGS, generate_corpus, generate_document, main,
                                    normalize_name, truth_name)

SEEDS_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
CORPUS_SIZE = 60
PLANTED_SHARE = 0.25

SOURCES = ("general_budget", "gov_fund", "state_capital", "special_account", "unit_funds", "business_income",
           "operating_income", "superior_subsidy", "affiliated_remit", "other_income")
EXPENDITURE_KINDS = ("expenditure", "general_expenditure", "gov_fund_expenditure")


# ---------------------------------------------------------------- helpers
def read_document(path: Path, truth: dict) -> str:
    data = path.read_bytes()
    if path.name.endswith(".gz"):
        data = gzip.decompress(data)
    return data.decode(truth["encoding"])


def document_lines(text: str) -> list[str]:
    return [line.rstrip("\r") for line in text.split("\n")]


def plain(line: str) -> str:
    """Undo the OCR damage a parser would have to undo: full-width digits,
    '733. 90', '50, 000', thousands separators; the commas between the fields
    of a CSV line become tabs, the quotes around its fields go."""
    text = unicodedata.normalize("NFKC", line)
    if "\t" not in text and (",," in text or ',"' in text or '",' in text):
        text = "\t".join(next(csv.reader([text])))
    text = re.sub(r"(?<=\d)([.,]) (?=\d)", r"\1", text)
    return text.replace(",", "")


def printed_forms(yuan: str) -> list[str]:
    """How an amount in 元 may be printed: 元 with/without decimals, 万元."""
    value = Decimal(yuan)
    forms = [f"{value:.2f}"]
    if value == value.to_integral_value():
        forms.append(f"{value:.0f}")
    wan = value / 10000
    if wan == wan.quantize(Decimal("0.01")):
        forms.append(f"{wan:.2f}")
    return forms


def line_shows(line: str, yuan: str) -> bool:
    text = plain(line)
    return any(re.search(rf"(?<![\d.]){re.escape(form)}(?![\d])", text) for form in printed_forms(yuan))


def amount(row: dict | None, measure: str = "total") -> Decimal:
    if row is None:
        return Decimal(0)
    return Decimal(row["values"].get(measure, "0"))


def first_named(table: dict | None, name: str, side: str | None = None) -> dict | None:
    for row in (table or {}).get("rows", []):
        if row["side"] == side and row["name"].startswith(name):
            return row
    return None


# ---------------------------------------------------------------- checker
def table_violations(table: dict) -> list[tuple]:
    """Arithmetic inside one table: children sum to parents by code, 合计 to
    its 类 rows, and the column identities each template promises."""
    out = []
    kind, rows = table["kind"], table["rows"]
    coded = [r for r in rows if r["level"] in ("类", "款", "项")]
    below = {"类": "款", "款": "项"}
    for parent in coded:
        if parent["level"] == "项":
            continue
        kids = [r for r in coded if r["level"] == below[parent["level"]] and r["code"].startswith(parent["code"])]
        measures = set(parent["values"]).union(*(k["values"] for k in kids)) if kids else set()
        for m in sorted(measures):
            if amount(parent, m) != sum(amount(k, m) for k in kids):
                out.append(("children_sum", kind, parent["code"], m))
    classes = [r for r in coded if r["level"] == "类"]
    total_row = first_named(table, "合计")
    if classes and total_row is not None:
        for m in sorted(set(total_row["values"]).union(*(c["values"] for c in classes))):
            if amount(total_row, m) != sum(amount(c, m) for c in classes):
                out.append(("total_sum", kind, "合计", m))
    measures = {m for r in rows for m in r["values"]}
    for row in rows:
        v = row["values"]
        if not v or row["side"] == "income":
            continue                      # income lines of 收支总表 carry one figure each

        def check(tag, left, parts):
            if amount(row, left) != sum(amount(row, p) for p in parts):
                out.append((tag, kind, row["name"], left))

        if kind in EXPENDITURE_KINDS:
            check("basic_plus_project", "total", ("basic", "project"))
        if {"wages", "goods_services"} & measures:
            check("basic_by_economic", "basic", ("wages", "household_subsidy", "goods_services", "capital"))
        if "project_operating" in measures:
            check("project_split", "project", ("project_operating", "project_specific"))
        if kind == "basic_economic":
            check("personnel_plus_public", "total", ("personnel", "public"))
        if set(SOURCES) & measures and kind != "summary":
            if "current" in measures:
                check("sources", "current", SOURCES)
            elif "total" in v:
                check("sources", "total", SOURCES + ("carryover",))
        if "current" in measures and "carryover" in measures and "total" in measures:
            check("current_plus_carryover", "total", ("current", "carryover"))
        if kind == "three_public" and is_horizontal(table):
            check("three_public_items", "total", ("abroad", "vehicles", "reception"))
            check("three_public_items", "vehicles", ("vehicle_purchase", "vehicle_operation"))
    if kind in ("summary", "fiscal_summary"):
        income_total = amount(first_named(table, "收入总计", "income"))
        if income_total != amount(first_named(table, "支出总计", "expenditure")):
            out.append(("income_equals_expenditure", kind, "收入总计", "total"))
        current = first_named(table, "本年收入合计", "income")
        if kind == "summary" and current is not None:
            if income_total != amount(current) + amount(first_named(table, "上年结转", "income")):
                out.append(("current_plus_carryover", kind, "收入总计", "total"))
    if kind == "three_public" and not is_horizontal(table):
        out += vertical_three_public(table)
    if kind == "operating_costs" and rows:
        if amount(rows[0]) != sum(amount(r) for r in rows[1:]):
            out.append(("operating_units", kind, rows[0]["name"], "total"))
    return out


def is_horizontal(table: dict) -> bool:
    """Henan prints the 三公 table as one unnamed data row."""
    return len(table["rows"]) == 1 and table["rows"][0]["name"] == ""


def vertical_three_public(table: dict) -> list[tuple]:
    def find(pred):
        return next((r for r in table["rows"] if pred(r["name"])), None)
    total = find(lambda n: "合计" in n)
    abroad = find(lambda n: "因公出国" in n)
    reception = find(lambda n: "接待" in n)
    vehicles = find(lambda n: "购置及运行" in n)
    purchase = find(lambda n: "购置费" in n and "及运行" not in n)
    operation = find(lambda n: "运行维护费" in n)
    out = []
    if amount(total) != amount(abroad) + amount(reception) + amount(vehicles):
        out.append(("three_public_items", "three_public", "合计", "total"))
    if amount(vehicles) != amount(purchase) + amount(operation):
        out.append(("three_public_items", "three_public", "公务用车购置及运行费", "total"))
    return out


def document_violations(truth: dict) -> list[tuple]:
    """All arithmetic promises of one document, inside and across tables."""
    tables = {t["kind"]: t for t in truth["tables"] if t["kind"] != "performance"}
    out = []
    for table in truth["tables"]:
        out += table_violations(table)
    summary, expenditure = tables.get("summary"), tables.get("expenditure")
    exp_total = first_named(expenditure, "合计")
    basic_econ = first_named(tables.get("basic_economic"), "合计")
    if summary and exp_total and amount(first_named(summary, "支出总计", "expenditure")) != amount(exp_total):
        out.append(("summary_vs_expenditure", "expenditure", "合计", "total"))
    if basic_econ and exp_total and amount(basic_econ) != amount(exp_total, "basic"):
        out.append(("basic_vs_economic", "basic_economic", "合计", "total"))
    project_tables = [tables[k] for k in ("projects", "projects_carryover") if k in tables]
    carry_missing = truth["family"] == "shanxi" and "projects_carryover" not in tables
    if exp_total and "projects" in tables and not carry_missing:
        listed = sum(amount(t["rows"][0]) for t in project_tables if t["rows"])
        if listed != amount(exp_total, "project"):
            out.append(("projects_vs_expenditure", "projects", "合计", "project"))
    operating = tables.get("operating_costs")
    if operating and operating["rows"] and basic_econ and amount(operating["rows"][0]) != amount(basic_econ, "public"):
        out.append(("operating_vs_public", "operating_costs", "合计", "total"))
    out += project_violations(truth, tables)
    out += fact_violations(truth, tables)
    return out


def project_violations(truth: dict, tables: dict) -> list[tuple]:
    out = []
    listing = tables.get("projects")
    for project in truth["projects"]:
        funds = {k: Decimal(v) for k, v in project["funds"].items()}
        for side in ("period", "annual"):
            parts = [v for k, v in funds.items() if k.startswith(side + "_") and k != f"{side}_total"]
            if parts and sum(parts) != funds[f"{side}_total"]:
                out.append(("performance_funds", "performance", project["name"], side))
        if listing is None:
            continue
        row = next((r for r in listing["rows"] if r["name"] == normalize_name(project["name"])), None)
        if row is None or amount(row) != funds["annual_total"]:
            out.append(("performance_vs_projects", "projects", project["name"], "total"))
    summary = tables.get("performance_summary")
    if summary:
        rows = summary["rows"]
        units = [r for r in rows if r["code"] and len(r["code"]) == 6]
        if rows and amount(rows[0]) != sum(amount(u) for u in units):
            out.append(("performance_summary_units", "performance_summary", rows[0]["name"], "total"))
    return out


def fact_violations(truth: dict, tables: dict) -> list[tuple]:
    """Prose figures restate the tables."""
    summary = tables.get("summary")
    expenditure = first_named(tables.get("expenditure"), "合计")
    basic_econ = first_named(tables.get("basic_economic"), "合计")
    three = tables.get("three_public")
    three_total = None
    if three:
        three_total = three["rows"][0] if is_horizontal(three) \
            else next((r for r in three["rows"] if "合计" in r["name"]), None)
    operating = tables.get("operating_costs")
    expected = {
        "收入总计": lambda: amount(first_named(summary, "收入总计", "income")) if summary else None,
        "支出总计": lambda: amount(first_named(summary, "支出总计", "expenditure")) if summary else None,
        "本年收入": lambda: amount(first_named(summary, "本年收入合计", "income")) if summary else None,
        "基本支出": lambda: amount(expenditure, "basic") if expenditure else None,
        "项目支出": lambda: amount(expenditure, "project") if expenditure else None,
        "人员经费": lambda: amount(basic_econ, "personnel") if basic_econ else None,
        "公用经费": lambda: amount(basic_econ, "public") if basic_econ else None,
        "“三公”经费": lambda: amount(three_total) if three_total else None,
        # 机关运行经费 is the 公用经费 of basic expenditure (Henan prints no table for it).
        "机关运行经费": lambda: amount(operating["rows"][0]) if operating and operating["rows"]
        else (amount(basic_econ, "public") if basic_econ else None),
    }
    out = []
    for fact in truth["facts"]:
        want = expected.get(fact["subject"], lambda: None)()
        if want is not None and want != Decimal(fact["value"]):
            out.append(("text_vs_table", None, fact["subject"], fact["line"]))
    by_line: dict = {}
    for fact in truth["facts"]:
        by_line.setdefault(fact["line"], {})[fact["subject"]] = Decimal(fact["value"])
    for line, facts in by_line.items():
        if "政府采购" in facts:
            if facts["政府采购"] != facts["政府采购货物"] + facts["政府采购工程"] + facts["政府采购服务"]:
                out.append(("procurement", None, "政府采购", line))
    return out


# ---------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[tuple[Path, dict, str]]:
    out = tmp_path_factory.mktemp("corpus")
    names = generate_corpus(out, n=CORPUS_SIZE, seed=7, planted=PLANTED_SHARE)
    docs = []
    for name in names:
        truth = json.loads((out / truth_name(name)).read_text(encoding="utf-8"))
        docs.append((out / name, truth, read_document(out / name, truth)))
    return docs


# ---------------------------------------------------------------- tests
def test_same_seed_gives_byte_identical_files(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    generate_corpus(first, n=20, seed=3)
    generate_corpus(second, n=20, seed=3)
    files = sorted(p.name for p in first.iterdir())
    assert files == sorted(p.name for p in second.iterdir())
    assert len(files) == 40
    for name in files:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_document_does_not_depend_on_corpus_size():
    assert generate_document(5, seed=11)[1] == generate_document(5, seed=11)[1]
    small = generate_document(3, seed=11, planted=0.1)
    assert small[1] == generate_document(3, seed=11, planted=0.1)[1]


def test_different_seeds_differ():
    for index in range(5):
        assert generate_document(index, seed=1)[1] != generate_document(index, seed=2)[1]


def test_every_family_and_rendering_appears(corpus):
    assert {truth["family"] for _, truth, _ in corpus} == set(FAMILIES)
    assert {truth["rendering"] for _, truth, _ in corpus} == set(RENDERINGS)
    assert {truth["kind"] for _, truth, _ in corpus} == {"budget", "final"}


def test_family_and_rendering_filters(tmp_path):
    names = generate_corpus(tmp_path, n=6, seed=1, families=["henan"], renderings=["layout", "gzip"])
    assert all("_henan_" in n for n in names)
    assert {n.split("_")[2].split(".")[0] for n in names} == {"layout", "gzip"}
    with pytest.raises(ValueError):
        generate_corpus(tmp_path, n=1, families=["nowhere"])


def test_planted_share(corpus):
    planted = sum(1 for _, truth, _ in corpus if truth["planted"])
    assert abs(planted - CORPUS_SIZE * PLANTED_SHARE) <= 1
    assert all(len(truth["planted"]) <= 1 for _, truth, _ in corpus)


def test_truth_arithmetic_holds_unless_planted(corpus):
    for path, truth, _ in corpus:
        violations = document_violations(truth)
        if not truth["planted"]:
            assert violations == [], (path.name, violations[:5])


def test_planted_inconsistency_is_detectable(corpus):
    seen = set()
    for path, truth, text in corpus:
        if not truth["planted"]:
            continue
        plant = truth["planted"][0]
        seen.add(plant["rule"])
        lines = document_lines(text)
        line = lines[plant["line"] - 1]
        violations = document_violations(truth)
        if plant["rule"] in ("children_sum", "three_public_items", "performance_vs_projects"):
            assert violations, (path.name, plant)
            assert line_shows(line, plant["actual"]), (path.name, plant, line)
        elif plant["rule"] == "text_vs_table":
            assert ("text_vs_table", None) in {v[:2] for v in violations}, (path.name, plant)
            assert any(v[3] == plant["line"] for v in violations if v[0] == "text_vs_table")
            assert line_shows(line, plant["actual"]), (path.name, plant, line)
        elif plant["rule"] == "title_year":
            assert plant["actual"] in line and plant["expected"] not in line, (path.name, plant, line)
            titles = {t["title"] for t in truth["tables"] if t["kind"] == plant["table"]}
            assert any(plant["actual"] in t for t in titles)
            assert violations == [], (path.name, violations[:5])
        elif plant["rule"] == "missing_table":
            assert plant["table"] not in {t["kind"] for t in truth["tables"]}
            # The table of contents may still list it; no title line may remain.
            assert all(normalize_name(x.lstrip("#")) != plant["expected"] for x in lines), (path.name, plant)
            assert violations == [], (path.name, violations[:5])
        else:
            pytest.fail(f"unknown rule {plant['rule']}")
    assert len(seen) >= 4, seen


def test_facts_point_at_their_figures(corpus):
    for path, truth, text in corpus:
        lines = document_lines(text)
        assert truth["facts"], path.name
        for fact in truth["facts"]:
            assert 1 <= fact["line"] <= len(lines)
            assert line_shows(lines[fact["line"] - 1], fact["value"]), (path.name, fact)


def test_truth_rows_are_printed(corpus):
    for path, truth, text in corpus:
        if truth["rendering"] in ("wrapped", "ocr", "layout", "csv"):
            continue                      # names are split / noised / quoted there
        flat = normalize_name(text)
        for table in truth["tables"]:
            assert table["title"] in flat, (path.name, table["title"])
            for row in table["rows"]:
                assert row["name"] in flat, (path.name, row["name"])
                for value in row["values"].values():
                    assert re.fullmatch(r"-?\d+\.\d\d", value), value


def test_truth_schema(corpus):
    for path, truth, _ in corpus:
        assert truth["source"] == path.name
        assert set(truth) == {"source", "family", "rendering", "encoding", "department", "year", "kind",
                              "tables", "projects", "indicators", "facts", "planted"}
        assert 2019 <= truth["year"] <= 2026
        for table in truth["tables"]:
            assert table["unit"] in ("万元", "元")
            for row in table["rows"]:
                assert set(row) == {"code", "level", "name", "side", "values"}
                assert row["level"] in (None, "类", "款", "项")
        for indicator in truth["indicators"]:
            assert indicator["side"] in ("period", "annual")
            assert indicator["comparator"] in (None, ">=", "<=", ">", "<", "=")
            if indicator["number"] is not None:
                assert indicator["number"] in indicator["value"]
        if truth["family"] in ("shanxi", "generic"):
            assert len(truth["projects"]) == sum(1 for t in truth["tables"] if t["kind"] == "performance")


def test_encodings_and_containers(corpus):
    for path, truth, _ in corpus:
        data = path.read_bytes()
        rendering = truth["rendering"]
        if rendering == "gzip":
            assert path.name.endswith(".txt.gz") and data[:2] == b"\x1f\x8b"
            data = gzip.decompress(data)
        else:
            assert path.name.endswith(".txt")
        if rendering == "gb18030":
            assert truth["encoding"] == "gb18030"
            data.decode("gb18030")
            with pytest.raises(UnicodeDecodeError):
                data.decode("utf-8")
        else:
            assert truth["encoding"] == "utf-8"
            text = data.decode("utf-8")
            assert ("\r\n" in text) == (rendering == "crlf")
            if rendering == "crlf":
                assert text.count("\n") == text.count("\r\n")
            if rendering == "layout":
                assert "\t" not in text
            elif rendering == "html":
                assert "<td>" in text
            elif rendering == "csv":
                assert re.search(r'^[^\t\n]+,"[\d,]+\.\d\d"|^[^\t\n]*,,', text, re.M)
            else:
                assert "\t" in text


def test_renderings_look_as_advertised(corpus):
    for path, truth, text in corpus:
        rendering = truth["rendering"]
        if rendering == "markdown":
            assert re.search(r"^#{1,4} ", text, re.M), path.name
        if rendering == "ocr":
            assert re.search(r"\d\. \d|\d, \d|[０-９]", text), path.name
        if rendering == "wrapped":
            assert re.search(r"^(- \d+ -|— \d+ —|\d+)$", text, re.M), path.name
        if rendering == "layout":
            assert re.search(r"\S {2,}[\d,]+(\.\d\d)?$", text, re.M), path.name
        if rendering == "html":
            assert re.search(r"^<tr><td[^>]*>", text, re.M) or re.search(r"^<table><tr>", text, re.M), path.name
            assert "colspan=" in text, path.name
        if rendering == "csv":  # some cell wraps inside its quotes: a record over two lines
            assert re.search(r',"[^",\n]+\n[^",\n]+",', text), path.name


@pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason="seed documents not available")
def test_no_seed_line_is_copied(corpus):
    seed_lines = set()
    for seed in SEEDS_DIR.glob("*.txt"):
        for line in seed.read_text(encoding="utf-8").splitlines():
            if len(line.strip()) >= 40:
                seed_lines.add(line.strip())
    assert seed_lines
    for path, _, text in corpus:
        copied = seed_lines.intersection(line.strip() for line in document_lines(text))
        assert not copied, (path.name, sorted(copied)[:3])


def test_cli_writes_corpus(tmp_path, capsys):
    assert main([str(tmp_path), "-n", "4", "--seed", "5", "--families", "shanxi,generic"]) == 0
    assert len(list(tmp_path.glob("*.truth.json"))) == 4
    assert "wrote 4 documents" in capsys.readouterr().out
