"""Real files in the layouts people have: other headers, JSON arrays, category lists, LaTeX."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from kg.cli import main
from kg.extract import extract_papers
from kg.ids import normalise_space
from kg.ingest import read_entries
from kg.ingest.fields import ReadOptions, column_key
from kg.ingest.latex import plain_text
from kg.report import RunReport

ABSTRACT = "We evaluate a transformer on ImageNet and report accuracy."


def read(path: Path, options: ReadOptions | None = None) -> tuple[list, RunReport]:
    report = RunReport()
    return list(read_entries([path], report, options)), report


@pytest.mark.parametrize(
    "header",
    ["titles,summaries", "paper_title,abstract_text", "Paper Title,Abstract Text", "\ufeffTitle,Abstract",
     "name,description", "TITLE;ABSTRACT"],
)
def test_layouts_csv_headers_as_they_come(tmp_path: Path, header: str) -> None:
    delimiter = ";" if ";" in header else ","
    path = tmp_path / "papers.csv"
    path.write_text(f"{header}\nA Paper{delimiter}\"{ABSTRACT}\"\n", encoding="utf-8")
    if delimiter == ";":  # not a known delimiter: the header is one column, rejected by name
        papers, report = read(path)
        assert papers == [] and "found TITLE;ABSTRACT" in str(report.warnings[0])
        return
    papers, report = read(path)
    assert [(p.title, p.abstract) for p in papers] == [("A Paper", ABSTRACT)]
    assert report.warnings == []


def test_layouts_csv_column_options_override_the_known_names(tmp_path: Path) -> None:
    path = tmp_path / "table.csv"
    path.write_text(f"Key,Heading,Body,title\nk-1,Real Title,\"{ABSTRACT}\",decoy\n", encoding="utf-8")
    papers, _ = read(path, ReadOptions(title="heading", abstract="Body", id="KEY"))
    assert [(p.title, p.extra) for p in papers] == [("Real Title", {"source_id": "k-1"})]
    papers, report = read(path, ReadOptions(abstract="Missing"))
    assert papers == []
    assert "--abstract-column 'Missing' (not found); found Key, Heading, Body, title" in str(report.warnings[0])


def test_layouts_column_options_on_the_command_line(tmp_path: Path, capsys) -> None:
    path = tmp_path / "table.csv"
    path.write_text(f"forum,heading,body\nabc123,Real Title,\"{ABSTRACT}\"\n", encoding="utf-8")
    assert main(["papers", str(path), "--title-column", "heading", "--abstract-column", "body",
                 "--id-column", "forum"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    paper = json.loads(line)
    assert (paper["title"], paper["extra"]) == ("Real Title", {"source_id": "abc123"})


def test_layouts_column_names_compare_loosely() -> None:
    assert column_key(" Paper-Title ") == column_key("paper title") == column_key("\ufeffPAPER_TITLE") == "paper_title"


def records(n: int) -> list[dict]:
    return [{"id": f"2301.0000{i}", "title": f"Paper {i}", "abstract": ABSTRACT,
             "categories": ["cs.LG", "cs.CV"]} for i in range(1, n + 1)]


def test_layouts_json_array_as_json_dump_writes_it(tmp_path: Path) -> None:
    rows = records(3)
    rows.insert(1, ["not", "a", "record"])
    rows.insert(3, {"id": "x", "abstract": ABSTRACT})
    path = tmp_path / "papers.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    papers, report = read(path)
    assert [p.title for p in papers] == ["Paper 1", "Paper 2", "Paper 3"]
    assert [str(w) for w in report.warnings] == [
        f"{path}:1: record 2: expected a JSON object, found list",
        f"{path}:1: record 4: record has no title (keys: id, abstract; --title-column names the title key); "
        "skipped",
    ]


def test_layouts_json_array_pretty_printed_names_each_records_line(tmp_path: Path) -> None:
    path = tmp_path / "papers.json"
    text = json.dumps(records(3), indent=2)
    broken = text.replace('"title": "Paper 2"', '"title": "Paper 2",,', 1)  # one record not valid JSON
    path.write_text(broken, encoding="utf-8")
    papers, report = read(path)
    assert [p.title for p in papers] == ["Paper 1", "Paper 3"]
    opening = [broken.rfind("{", 0, broken.index(f'"2301.0000{i}"')) for i in (1, 3)]
    assert [p.sources[0].line for p in papers] == [broken.count("\n", 0, at) + 1 for at in opening]
    (warning,) = report.warnings
    second = broken.rfind("{", 0, broken.index('"2301.00002"'))
    assert str(warning).startswith(f"{path}:{broken.count(chr(10), 0, second) + 1}: record 2 is not valid JSON (")


def test_layouts_json_object_holding_an_array(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text(json.dumps({"count": 2, "papers": records(2)}, indent=1), encoding="utf-8")
    papers, report = read(path)
    assert [p.title for p in papers] == ["Paper 1", "Paper 2"] and report.warnings == []


def test_layouts_json_lines_with_a_broken_first_line_lose_no_record(tmp_path: Path) -> None:
    path = tmp_path / "papers.jsonl"
    lines = [json.dumps(r) for r in records(3)]
    path.write_text('{"title": "Cut off", \n' + "\n".join(lines) + "\n", encoding="utf-8")
    papers, report = read(path)
    assert [p.title for p in papers] == ["Paper 1", "Paper 2", "Paper 3"]
    assert len(report.warnings) == 1 and str(report.warnings[0]).startswith(f"{path}:1: not valid JSON")


@pytest.mark.parametrize("strays", [(0,), (2,), (0, 3), (0, 2, 5)])
def test_layouts_json_lines_with_stray_bracket_lines_lose_no_record(tmp_path: Path, strays) -> None:
    """A "[" line opens what looks like a JSON array; the records after it, and after
    another "[" further down, are still read."""
    path = tmp_path / "papers.jsonl"
    lines = [json.dumps(r) for r in records(4)]
    for at in strays:
        lines.insert(at, "[")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    papers, report = read(path)
    assert [p.title for p in papers] == ["Paper 1", "Paper 2", "Paper 3", "Paper 4"]
    assert len(report.warnings) <= len(strays)


@pytest.mark.parametrize(
    "categories, expected",
    [
        (["cs.LG", "cs.CV", "cs.LG"], ["cs.LG", "cs.CV"]),
        ("['cs.LG', 'stat.ML']", ["cs.LG", "stat.ML"]),
        ('["cs.LG", "stat.ML"]', ["cs.LG", "stat.ML"]),
        ("cs.LG stat.ML", ["cs.LG", "stat.ML"]),
        ("Machine Learning, Computer Vision", ["Machine Learning", "Computer Vision"]),
        ("[cs.LG, cs.AI]", ["cs.LG", "cs.AI"]),
        ("Optimization; Theory", ["Optimization", "Theory"]),
    ],
)
def test_layouts_categories_become_clean_lists(tmp_path: Path, categories, expected) -> None:
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps({"title": "T", "abstract": ABSTRACT, "categories": categories}) + "\n",
                    encoding="utf-8")
    (paper,), _ = read(path)
    assert paper.categories == expected
    if isinstance(categories, str):
        table = tmp_path / "one.csv"
        with table.open("w", encoding="utf-8", newline="") as out:
            csv.writer(out).writerows([["title", "abstract", "subjects"], ["T", ABSTRACT, categories]])
        (paper,), _ = read(table)
        assert paper.categories == expected


@pytest.mark.parametrize(
    "latex, text",
    [
        (r"a $\cdot$ b", "a · b"),
        (r"\emph{Robust} training", "Robust training"),
        (r"costs $x^2$ time", "costs x^2 time"),
        (r"gains of 5% on ImageNet, and $3\%$ more", "gains of 5% on ImageNet, and 3% more"),
        (r"as shown~\cite{smith2020} here", "as shown here"),
        (r"code at \url{https://example.org/x}", "code at https://example.org/x"),
        (r"in $\mathbb{R}^d$", "in R^d"),
        (r"na\"ive \'etude", "naïve étude"),
        ("raised $5M and $10M", "raised $5M and $10M"),  # prices, not math
        (r"unbalanced \emph{x", "unbalanced x"),
        (r"a hybrid model, \variant, that", r"a hybrid model, \variant, that"),  # the paper's own macro
    ],
)
def test_layouts_latex_becomes_readable_text(latex: str, text: str) -> None:
    assert normalise_space(plain_text(latex)) == text


def test_layouts_latex_offsets_index_the_text_kg_shows(tmp_path: Path, nlp) -> None:
    path = tmp_path / "latex.jsonl"
    abstract = r"We train \emph{ResNet-50} on $\mathcal{D}$ = ImageNet with $\ell_2$ loss and report accuracy."
    path.write_text(json.dumps({"title": r"\textbf{Deep} nets $\cdot$ vision", "abstract": abstract}) + "\n",
                    encoding="utf-8")
    (paper,), report = read(path)
    assert paper.title == "Deep nets · vision"
    assert paper.abstract == "We train ResNet-50 on D = ImageNet with l_2 loss and report accuracy."
    assert report.counts["latex.title"] == report.counts["latex.abstract"] == 1
    (extraction,) = extract_papers([paper], nlp)
    found = {(m.text, paper.abstract[m.start:m.end]) for m in extraction.mentions if m.field == "abstract"}
    assert ("ImageNet", "ImageNet") in found and all(a == b for a, b in found)
