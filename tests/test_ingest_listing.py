from __future__ import annotations

from pathlib import Path

import pytest

from kg.ingest import listing
from kg.report import RunReport

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def read(name: str) -> tuple[list, RunReport]:
    report = RunReport()
    return list(listing.read(FIXTURES / name, report)), report


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Oct 24 1", ("--10-24", 1)),
        ("Jan 24, 2024", ("2024-01-24", None)),
        ("Jul 17, 2023 1", ("2023-07-17", 1)),
        ("Mar 14", ("--03-14", None)),
        ("Sep 9, 2019 120", ("2019-09-09", 120)),
    ],
)
def test_listing_parse_date_accepts_listing_dates(text: str, expected: tuple) -> None:
    assert listing.parse_date(text) == expected


@pytest.mark.parametrize(
    "text", ["Octopus 24", "May the Force", "Oct 40", "Foo 12", "Oct 24, 23", "Subscribe", "Jan"]
)
def test_listing_parse_date_rejects_near_misses(text: str) -> None:
    assert listing.parse_date(text) is None


def test_listing_blank_layout_skips_banners_and_page_date() -> None:
    papers, report = read("blank_layout.txt")
    assert [p.title for p in papers] == [
        "Sparse Probing of Language Models",
        "Hard-Wrapped Abstracts Are One Paragraph",
    ]
    assert papers[0].abstract.startswith("We probe language models")
    assert papers[0].sources[0].line == 11
    assert papers[0].date is None and papers[0].author_count is None
    assert papers[1].abstract == (
        "This abstract is wrapped across three lines of the page and must come out as one "
        "paragraph of text with single spaces, because readers normalise whitespace before extraction."
    )
    assert report.warning_count == 0


def test_listing_line_layout_unglues_subscribe_and_warns_on_missing_abstract() -> None:
    papers, report = read("line_layout.txt")
    assert [p.title for p in papers] == [
        "Alternating Layout Title One",
        "Alternating Layout Title Two",
        "Alternating Layout Title Three",
    ]
    assert [p.sources[0].line for p in papers] == [3, 5, 8]
    assert papers[2].abstract.startswith("The third abstract comes after a title")
    assert [str(w) for w in report.warnings] == [
        f"{FIXTURES / 'line_layout.txt'}:7: entry 'Short Title Without Abstract' has a title but no abstract; skipped"
    ]
    assert report.counts["warnings.no-abstract"] == 1


def test_listing_metadata_layout_attaches_metadata_to_the_right_paper() -> None:
    papers, report = read("metadata_layout.txt")
    fields = [(p.title, p.author_count, p.organisation, p.date, p.upvotes) for p in papers]
    assert fields == [
        ("Counting Authors On A Listing", 5, None, "2024-01-24", 12),
        ("An Organisation Instead Of Authors", None, "UCAS ucas", "--10-24", 1),
        ("No Metadata At All", None, None, None, None),
        ("Date Only Entry", 1, None, "2023-07-17", None),
    ]
    assert report.warning_count == 0


@pytest.mark.parametrize(
    "text,expected",
    [
        ("A short heading", False),
        ("One sentence that ends here.", False),
        ("First sentence. Second sentence.", True),
        ("x" * 250, True),
    ],
)
def test_listing_looks_like_abstract(text: str, expected: bool) -> None:
    assert listing.looks_like_abstract(text) is expected
