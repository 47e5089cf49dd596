from __future__ import annotations

from pathlib import Path

import pytest

from kg.build.spill import bucket_of, partition_count, spill
from kg.ingest import bundled_corpus
from kg.ingest.merge import merge_papers
from kg.records import Paper
from kg.report import RunReport


@pytest.mark.parametrize("buckets", [1, 3, 7, 40])
def test_build_spill_spill_keeps_every_entry_and_duplicates_together(tmp_path: Path, buckets: int) -> None:
    report = RunReport()
    partitions = spill(bundled_corpus(), tmp_path, buckets, report)
    assert report.counts["entries"] == 454
    assert [p.name for p in partitions] == sorted(p.name for p in partitions)
    merged = [merge_papers(p.papers(), RunReport()) for p in partitions]
    assert sum(len(m) for m in merged) == 411  # no duplicate crosses a bucket
    assert sum(len(paper.sources) for m in merged for paper in m) == 454
    assert not list(tmp_path.glob(".*.tmp"))


def test_build_spill_bucket_ignores_case_and_punctuation() -> None:
    one = Paper(id="a", title="Deep Residual Learning", abstract="x")
    two = Paper(id="b", title="deep residual learning!", abstract="y")
    assert bucket_of(one, 97) == bucket_of(two, 97)


def test_build_spill_count_follows_input_size(tmp_path: Path) -> None:
    assert partition_count(bundled_corpus(), 2000) == 1
    assert partition_count(bundled_corpus(), 100) == 7
    assert partition_count([tmp_path / "missing"], 100) == 1
