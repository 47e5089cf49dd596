"""Bad input never loses good input and never crashes: one warning per problem, counted."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.ingest import read_entries, read_papers
from kg.report import RunReport

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
ABSTRACT = "A valid abstract that is long enough to be taken as a paragraph. It has two sentences."


def test_malformed_json_lines_warn_and_keep_valid_records(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        '{"id": "2301.00001", "title": "Good One", "abstract": "First."}\n'
        '{"id": "2301.00002", "title": "Broken", "abstract": \n'
        "[1, 2, 3]\n"
        '{"id": "2301.00003", "title": "No Abstract"}\n'
        '{"id": "2301.00004", "abstract": "No title."}\n'
        "\n"
        '{"id": "2301.00005", "title": "Good Two", "abstract": "Second."}\n',
        encoding="utf-8",
    )
    report = RunReport()
    papers = list(read_entries([path], report))
    assert [p.title for p in papers] == ["Good One", "Good Two"]
    assert [str(w) for w in report.warnings] == [
        f"{path}:2: not valid JSON (Expecting value at column 53)",
        f"{path}:3: expected a JSON object, found list",
        f"{path}:4: entry 'No Abstract' has a title but no abstract; skipped",
        f"{path}:5: record has no title (keys: id, abstract; --title-column names the title key); skipped",
    ]
    assert report.counts["warnings.malformed"] == 2
    assert report.counts["warnings.no-abstract"] == 1


def test_malformed_csv_rows_warn_and_keep_valid_rows(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text(
        "title,abstract,year\n"
        "Row One,First abstract.,2020\n"
        "Row Two,Too,many,fields\n"
        "Row Three,,2021\n"
        "Row Four,Fourth abstract.,2022\n",
        encoding="utf-8",
    )
    report = RunReport()
    papers = list(read_entries([path], report))
    assert [(p.title, p.date, p.extra) for p in papers] == [
        ("Row One", "2020", {}),  # a year column is the paper's date
        ("Row Four", "2022", {}),
    ]
    assert [str(w) for w in report.warnings] == [
        f"{path}:3: expected 3 fields, found 4; row skipped",
        f"{path}:4: entry 'Row Three' has a title but no abstract; skipped",
    ]


def test_csv_without_title_column_is_one_warning(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("name_of_thing,text\na,b\n", encoding="utf-8")
    report = RunReport()
    assert list(read_entries([path], report)) == []
    assert report.counts["warnings.unreadable"] == 1
    assert "line 1: header must name a title column (title, titles, paper_title, paper_titles, ...) and an " \
           "abstract column (abstract, abstracts, summary, summaries, ...); found name_of_thing, text; " \
           "name them with --title-column and --abstract-column" in str(report.warnings[0])


def test_wrong_encoding_is_read_with_one_warning(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes(
        f"Caf\xe9 Networks\n\nWe study caf\xe9 networks. {ABSTRACT}\n\nSecond \xc9ntry\n\n{ABSTRACT}\n".encode("latin-1")
    )
    report = RunReport()
    papers = list(read_entries([path], report))
    assert [p.title for p in papers] == ["Café Networks", "Second Éntry"]
    assert papers[0].abstract.startswith("We study café networks.")
    assert [str(w) for w in report.warnings] == [
        f"{path}:1: not valid UTF-8 (byte 0xe9 at column 4); read as cp1252"
    ]


def test_missing_and_directory_inputs_warn_and_the_rest_is_read(tmp_path: Path) -> None:
    report = RunReport()
    papers = read_papers(
        [tmp_path / "nope.txt", tmp_path, FIXTURES / "metadata_layout.txt"], report
    )
    assert len(papers) == 4
    assert [str(w) for w in report.warnings] == [
        f"{tmp_path / 'nope.txt'}: no such file",
        f"{tmp_path}: is a directory, expected a file",
    ]
    assert report.counts["warnings.missing"] == 2


def test_truncated_gzip_keeps_what_was_read(tmp_path: Path) -> None:
    lines = "".join(
        f'{{"id": "2301.{i:05d}", "title": "Paper {i}", "abstract": "{ABSTRACT}"}}\n' for i in range(2000)
    )
    data = gzip.compress(lines.encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    report = RunReport()
    papers = list(read_entries([path], report))
    assert 0 < len(papers) < 2000
    assert [p.title for p in papers[:2]] == ["Paper 0", "Paper 1"]
    assert report.counts["warnings.unreadable"] == 1


def test_nothing_readable_raises_one_clear_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("not json\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"no paper could be read from 2 input file\(s\) \(2 warning\(s\) above\)"):
        read_papers([empty, tmp_path / "missing.csv"], RunReport())


def test_duplicates_within_and_across_files_remember_every_source(tmp_path: Path) -> None:
    a = tmp_path / "a.jsonl"
    a.write_text(
        '{"title": "Same Paper", "abstract": "One."}\n{"title": "same  paper!", "abstract": "Two."}\n',
        encoding="utf-8",
    )
    b = tmp_path / "b.jsonl"
    b.write_text('{"id": "2305.00007v3", "title": "Same Paper", "abstract": "One.", "upvotes": 4}\n', encoding="utf-8")
    report = RunReport()
    (paper,) = read_papers([a, b], report)
    assert paper.id == "arxiv:2305.00007"
    assert [str(s) for s in paper.sources] == [f"{a}:1", f"{a}:2", f"{b}:1"]
    assert paper.upvotes == 4
    assert report.counts["duplicates"] == 2


def test_lone_surrogate_in_json_becomes_replacement_character(tmp_path: Path) -> None:
    path = tmp_path / "surrogate.jsonl"
    path.write_text('{"title": "Broken \\ud800 Title", "abstract": "Text \\udfff here."}\n', encoding="utf-8")
    (paper,) = read_entries([path], RunReport())
    assert paper.title == "Broken \ufffd Title"
    assert paper.abstract == "Text \ufffd here."
    paper.abstract.encode("utf-8")  # encodable everywhere downstream
