"""Exact figures on the bundled sample corpus."""

from __future__ import annotations

from collections import Counter

import pytest

from kg.ingest import bundled_corpus, read_entries, read_papers
from kg.report import RunReport


@pytest.fixture(scope="module")
def corpus() -> tuple[list, list, RunReport]:
    entries = list(read_entries(bundled_corpus(), RunReport()))
    report = RunReport()
    return entries, read_papers(None, report), report


def test_corpus_exact_counts(corpus) -> None:
    entries, papers, report = corpus
    assert len(bundled_corpus()) == 5
    assert len(entries) == 454
    assert len(papers) == 411
    assert report.counts["duplicates"] == 43
    assert report.warning_count == 0
    per_file = Counter(e.sources[0].file for e in entries)
    assert per_file == {
        "kg:corpus/hf-papers-01.txt": 48,
        "kg:corpus/hf-papers-02.txt": 254,
        "kg:corpus/hf-papers-03.txt": 68,
        "kg:corpus/hf-papers-04.txt": 60,
        "kg:corpus/hf-papers-05.txt": 24,
    }
    assert sum(len(p.sources) for p in papers) == 454
    assert len({p.id for p in papers}) == 411


def by_title(papers: list, title: str):
    (paper,) = [p for p in papers if p.title == title]
    return paper


@pytest.mark.parametrize(
    "title,abstract_start,author_count,organisation,date,upvotes,sources",
    [
        (
            "VL-SAE: Interpreting and Enhancing Vision-Language Alignment with a Unified Concept Set",
            "The alignment of vision-language representations endows",
            None, "UCAS ucas", "--10-24", 1,
            ["kg:corpus/hf-papers-05.txt:13"],
        ),
        (
            "Going Beyond Neural Network Feature Similarity: The Network Feature Complexity and Its Interpretation Using Category Theory",
            "The behavior of neural networks still remains opaque",
            3, None, "2023-10-10", None,
            ["kg:corpus/hf-papers-01.txt:163", "kg:corpus/hf-papers-03.txt:13"],
        ),
        (
            "Gaussian Mixture Convolution Networks",
            "This paper proposes a novel method for deep learning",
            None, None, None, None,
            ["kg:corpus/hf-papers-02.txt:3"],
        ),
        (
            "Escaping Plato's Cave: Towards the Alignment of 3D and Text Latent Spaces",
            "Recent works have shown that, when trained at scale",
            8, None, "--03-07", 2,
            ["kg:corpus/hf-papers-04.txt:85"],
        ),
        (
            "Chain-of-Model Learning for Language Model",
            "In this paper, we propose a novel learning paradigm",
            17, None, "--05-17", 8,
            ["kg:corpus/hf-papers-05.txt:37"],
        ),
        (
            "Diffusion Models Beat GANs on Image Classification",
            "While many unsupervised learning models focus on one family of tasks",
            8, None, "2023-07-17", 1,
            ["kg:corpus/hf-papers-01.txt:51", "kg:corpus/hf-papers-03.txt:365", "kg:corpus/hf-papers-05.txt:69"],
        ),
    ],
)
def test_corpus_papers_field_by_field(
    corpus, title, abstract_start, author_count, organisation, date, upvotes, sources
) -> None:
    paper = by_title(corpus[1], title)
    assert paper.abstract.startswith(abstract_start)
    assert (paper.author_count, paper.organisation, paper.date, paper.upvotes) == (
        author_count, organisation, date, upvotes,
    )
    assert [str(s) for s in paper.sources] == sources


def test_corpus_ids_are_stable(corpus) -> None:
    paper = by_title(corpus[1], "Gaussian Mixture Convolution Networks")
    assert paper.id == "title:05a4d682b7971af9"


def test_corpus_no_banner_or_metadata_leaks_into_titles(corpus) -> None:
    for paper in corpus[1]:
        assert not paper.title.startswith("Subscribe")
        assert "authors" not in paper.title.split()[-1:]
        assert len(paper.abstract) > len(paper.title)
