from __future__ import annotations

import gzip
import shutil
from pathlib import Path

from kg.ingest import detect_format, read_entries
from kg.report import RunReport

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def test_jsonl_snapshot_layout_fields() -> None:
    report = RunReport()
    papers = list(read_entries([FIXTURES / "snapshot.jsonl"], report))
    first, old, plain = papers
    assert first.id == "arxiv:2310.01234"
    assert first.title == "A Snapshot Paper With a Wrapped Title"
    assert first.abstract == "We fine-tune a Transformer on ImageNet and report top-1 accuracy."
    assert first.authors == ["Ada Lovelace", "Alan Turing"]
    assert first.date == "2023-10-02"
    assert first.categories == ["cs.LG", "cs.CL"]
    assert first.links == ["https://arxiv.org/abs/2310.01234", "https://doi.org/10.1000/xyz"]
    assert first.extra == {"submitter": "A. Author", "comments": "10 pages"}
    assert old.id == "arxiv:math/0601001" and old.date == "2006-01-05" and old.authors == ["B. Riemann"]
    assert plain.id.startswith("title:") and plain.extra == {"source_id": "plain-7"}
    assert report.warning_count == 0


def test_jsonl_gzip_is_read_transparently(tmp_path: Path) -> None:
    target = tmp_path / "snapshot.jsonl.gz"
    with open(FIXTURES / "snapshot.jsonl", "rb") as src, gzip.open(target, "wb") as dst:
        shutil.copyfileobj(src, dst)
    assert detect_format(target) == "jsonl"
    papers = list(read_entries([target], RunReport()))
    assert [p.id for p in papers][:2] == ["arxiv:2310.01234", "arxiv:math/0601001"]


def test_csv_header_columns_and_quoted_newlines() -> None:
    report = RunReport()
    one, two = read_entries([FIXTURES / "table.csv"], report)
    assert one.id == "arxiv:2401.00001"
    assert one.abstract == 'An abstract with a comma, and a "quoted" word.'
    assert one.authors == ["Ada Lovelace", "Alan Turing"]
    assert one.date == "2024-01-02"
    assert one.extra == {"venue": "NeurIPS"}
    assert two.abstract == "An abstract that spans two physical lines inside quotes."
    assert two.sources[0].line == 3 and two.date == "2024-02"
    assert report.warning_count == 0


def test_format_is_sniffed_without_extension(tmp_path: Path) -> None:
    for name, fmt in (("snapshot.jsonl", "jsonl"), ("table.csv", "csv"), ("blank_layout.txt", "listing")):
        copy = tmp_path / name.split(".")[0]
        shutil.copy(FIXTURES / name, copy)
        assert detect_format(copy) == fmt
