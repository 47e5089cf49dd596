"""Hostile and unlucky input: each repro of a crash or a silent loss is one warning, the good
records are kept, and what kg writes from them stays readable and valid."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from kg.ingest import read_entries
from kg.ingest.checks import MAX_ABSTRACT_CHARS, valid_date
from kg.ingest.fields import ReadOptions
from kg.report import RunReport

ABSTRACT = "A valid abstract that is long enough to be taken as a paragraph. It has two sentences."


def record(number: int, **fields: object) -> str:
    data = {"id": f"2301.{number:05d}", "title": f"Paper {number}", "abstract": ABSTRACT, **fields}
    return json.dumps(data) + "\n"


def titles(path: Path, report: RunReport | None = None, input_format: str | None = None) -> list[str]:
    return [p.title for p in read_entries([path], report or RunReport(), ReadOptions(input_format))]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"title": "Big", "abstract": "x", "n": ' + "9" * 5000 + "}\n", "not valid JSON (Exceeds the limit"),
        ("[" * 2000 + "]" * 2000 + "\n", "not valid JSON (nested too deeply)"),
        ('{"title": "Deep", "abstract": "x", "n": ' + "[" * 2000 + "]" * 2000 + "}\n", "nested too deeply"),
    ],
    ids=["5000-digit-integer", "2000-nested-lists", "nested-field"],
)
def test_ingest_hostile_json_line_is_one_warning(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(record(1) + line + record(3), encoding="utf-8")
    report = RunReport()
    assert titles(path, report) == ["Paper 1", "Paper 3"]
    (warning,) = report.warnings
    assert warning.line == 2 and message in warning.message


def test_ingest_field_of_the_wrong_type_is_left_out_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(record(1, categories=7) + record(2, categories=["cs.LG", 3]), encoding="utf-8")
    report = RunReport()
    first, second = read_entries([path], report)
    assert first.categories == [] and second.categories == ["cs.LG", "3"]
    assert [str(w) for w in report.warnings] == [
        f"{path}:1: 'categories' should be a string or a list of strings, found int; ignored"]


def test_ingest_lone_surrogates_in_every_string_field_are_cleaned(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    bad = "x\ud800y"
    path.write_text(json.dumps({
        "id": "src-\ud800", "title": f"T {bad}", "abstract": f"A {bad}.", "authors": [bad, "B \udfff"],
        "organisation": bad, "categories": [bad], "url": f"https://example.org/{bad}", "venue": bad,
    }) + "\n", encoding="utf-8")
    (paper,) = read_entries([path], RunReport())
    every = json.dumps(paper.to_dict(), ensure_ascii=False)
    every.encode("utf-8")  # would raise on a lone surrogate
    assert "\ufffd" in paper.organisation and paper.extra["venue"] == "x\ufffdy"


def test_ingest_control_characters_and_nonchars_never_reach_a_record(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(record(1, title="Ctrl\u0001 \ufffe\uffffTitle", organisation="Lab\u0007"), encoding="utf-8")
    (paper,) = read_entries([path], RunReport())
    assert paper.title == "Ctrl Title" and paper.organisation == "Lab"


def test_ingest_gzip_with_a_bad_block_keeps_the_records_before_it(tmp_path: Path) -> None:
    data = bytearray(gzip.compress("".join(record(i) for i in range(3000)).encode(), compresslevel=1))
    middle = len(data) // 2
    data[middle:middle + 64] = bytes(64)  # a corrupt deflate block, not a truncation
    path = tmp_path / "bad.jsonl.gz"
    path.write_bytes(bytes(data))
    with pytest.raises((zlib.error, OSError, EOFError)):
        gzip.decompress(bytes(data))
    report = RunReport()
    found = titles(path, report)
    assert found[:2] == ["Paper 0", "Paper 1"] and 0 < len(found) < 3000
    assert report.counts["warnings.unreadable"] == 1


def test_ingest_input_behind_a_folder_without_search_permission(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "locked" / "in.jsonl"
    real = Path.exists

    def exists(self: Path) -> bool:  # what EACCES on a parent folder does (root ignores chmod)
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "exists", exists)
    report = RunReport()
    assert titles(path, report) == []
    assert [str(w) for w in report.warnings] == [f"{path}: cannot open: Permission denied"]


def test_ingest_stray_quote_in_csv_skips_one_row_and_reads_the_rest(tmp_path: Path) -> None:
    rows = [f"Title {i},Abstract number {i}." for i in range(20_000)]
    rows[10] = 'Title 10,"Abstract with a stray quote.'
    path = tmp_path / "rows.csv"
    path.write_text("title,abstract\n" + "\n".join(rows) + "\n", encoding="utf-8")
    report = RunReport()
    found = titles(path, report)
    assert len(found) == 19_999 and "Title 10" not in found and found[-1] == "Title 19999"
    assert [str(w) for w in report.warnings] == [f"{path}:12: quoted field never closes; row skipped"]


def test_ingest_quote_inside_an_unquoted_csv_field_is_text(tmp_path: Path) -> None:
    path = tmp_path / "rows.tsv"
    path.write_text('title\tabstract\nA 5" Screen\tIt is small.\nNext\tOne.\n', encoding="utf-8")
    assert titles(path) == ['A 5" Screen', "Next"]


@pytest.mark.parametrize("how", ["dash", "dev-stdin"])
def test_ingest_standard_input_loses_nothing_to_sniffing(tmp_path: Path, how: str) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text("".join(record(i) for i in range(300)), encoding="utf-8")  # ~40 KiB, past any sniff
    argument = "-" if how == "dash" else "/dev/stdin"
    with path.open("rb") as stdin:
        done = subprocess.run([sys.executable, "-m", "kg", "papers", argument, "--no-progress"], stdin=stdin,
                              capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert [json.loads(line)["title"] for line in done.stdout.splitlines()] == [f"Paper {i}" for i in range(300)]


def test_ingest_pipe_of_gzip_without_a_gz_name_is_recognised(tmp_path: Path) -> None:
    path = tmp_path / "in.data"
    path.write_bytes(gzip.compress("".join(record(i) for i in range(5)).encode()))
    assert titles(path) == [f"Paper {i}" for i in range(5)]


def test_ingest_over_long_abstract_is_cut_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(record(1, abstract="word " * 250_000) + record(2), encoding="utf-8")
    report = RunReport()
    first, second = read_entries([path], report)
    assert len(first.abstract) <= MAX_ABSTRACT_CHARS and first.abstract.endswith("word")
    assert second.abstract == ABSTRACT
    assert [str(w) for w in report.warnings] == [f"{path}:1: abstract of 1,249,999 characters cut to 100,000"]


def test_ingest_invalid_link_is_dropped_and_other_links_kept(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(record(1, links=["http://[x", "https://ok.example/a b", "doi:10.1/x"]), encoding="utf-8")
    report = RunReport()
    (paper,) = read_entries([path], report)
    assert paper.links == ["https://arxiv.org/abs/2301.00001", "https://ok.example/a b", "doi:10.1/x"]
    assert [str(w) for w in report.warnings] == [
        f"{path}:1: link 'http://[x' is not a valid http(s) IRI; dropped"]


@pytest.mark.parametrize(("value", "ok"), [
    ("2024-02-29", True), ("2023-02-29", False), ("2024-02-30", False), ("2024-13", False), ("2024-12", True),
    ("--02-29", True), ("--02-30", False), ("--13-01", False), ("2024", True), ("24-01-01", False), ("", False),
])
def test_ingest_valid_date(value: str, ok: bool) -> None:
    assert valid_date(value) is ok


def test_ingest_impossible_date_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(record(1, date="2024-02-30") + record(2, date="2024-02-29"), encoding="utf-8")
    report = RunReport()
    first, second = read_entries([path], report)
    assert first.date is None and second.date == "2024-02-29"
    assert [str(w) for w in report.warnings] == [f"{path}:1: date '2024-02-30' does not exist; dropped"]


@pytest.mark.parametrize("ending", ["\r", "\r\n", "\n"], ids=["cr", "crlf", "lf"])
def test_ingest_every_line_ending_is_a_line_ending(tmp_path: Path, ending: str) -> None:
    for name, text in (("in.jsonl", record(1) + record(2)),
                       ("in.csv", "title,abstract\nPaper 1,One.\nPaper 2,Two.\n"),
                       ("in.txt", f"Paper 1\n\n{ABSTRACT}\n\nPaper 2\n\n{ABSTRACT}\n")):
        path = tmp_path / name
        path.write_bytes(text.replace("\n", ending).encode())
        assert titles(path) == ["Paper 1", "Paper 2"], (name, ending)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_ingest_utf16_with_a_byte_order_mark(tmp_path: Path, encoding: str) -> None:
    text = record(1) + record(2, title="Café Ünïcode")
    bom = {"utf-16": b"", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}[encoding]
    path = tmp_path / "in.jsonl"
    path.write_bytes(bom + text.encode(encoding))
    assert titles(path) == ["Paper 1", "Café Ünïcode"]


def test_ingest_listing_streams(tmp_path: Path) -> None:
    """The first paper comes out after a bounded look-ahead, not after the whole file."""
    from kg.ingest import listing

    read = 0

    def lines():
        nonlocal read
        for number in range(1, 200_001):
            read = number
            block = number % 4
            yield number, "" if block in (0, 2) else (f"Title {number}" if block == 1 else ABSTRACT)

    papers = listing.read(tmp_path / "page.txt", RunReport(), lines())
    first = next(papers)
    assert first.title == "Title 1" and read <= listing.LAYOUT_LOOKAHEAD + 2
    assert sum(1 for _ in papers) == 49_999


@pytest.mark.slow
def test_ingest_hostile_texts_give_a_graph_every_reader_takes(tmp_path: Path) -> None:
    """Control characters, non-characters, lone surrogates, a bad link and an impossible
    date in the input: the build's Turtle converts to well-formed RDF/XML, Oxigraph reads
    kg.nt strictly, and kg validate accepts it."""
    import pyoxigraph as ox
    import rdflib
    from lxml import etree

    from kg.cli import main

    path = tmp_path / "in.jsonl"
    path.write_text(record(1, title="Bell\u0007 \ufffe and \ud800 surrogate", links=["http://[x"], date="2024-02-30")
                    + record(2, abstract="Tab\tand form\u000c feed and \u0001 start of heading."), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(path), "-o", str(out), "--formats", "ttl,nt", "--no-progress"]) == 0
    etree.fromstring(rdflib.Graph().parse(out / "kg.ttl").serialize(format="xml", encoding="utf-8"))
    assert len(list(ox.parse(path=str(out / "kg.nt"), format=ox.RdfFormat.N_TRIPLES))) > 0
    assert main(["validate", str(out / "kg.ttl")]) == 0
