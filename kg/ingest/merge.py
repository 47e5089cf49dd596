"""Fold repeated sightings of a paper into one record that remembers every source."""

from __future__ import annotations

from collections.abc import Iterable

from kg.ids import normalise_title
from kg.records import Paper
from kg.report import RunReport


def merge_papers(entries: Iterable[Paper], report: RunReport) -> list[Paper]:
    """Merge entries by id, and by normalised title across id schemes.

    A listing entry (title-hash id) and an arXiv record of the same title
    become one paper under the arXiv id. Order of first sighting is kept.
    """
    by_id: dict[str, Paper] = {}
    by_title: dict[str, str] = {}
    for paper in entries:
        title_key = normalise_title(paper.title)
        known_id = paper.id if paper.id in by_id else by_title.get(title_key)
        if known_id is None:
            by_id[paper.id] = paper
            by_title[title_key] = paper.id
            continue
        report.count("duplicates")
        known = by_id[known_id]
        if paper.id.startswith("arxiv:") and not known.id.startswith("arxiv:"):
            del by_id[known.id]
            paper.merge(known)
            paper.sources.sort()
            by_id[paper.id] = paper
            by_title[title_key] = paper.id
        else:
            known.merge(paper)
    papers = list(by_id.values())
    report.counts["papers"] = len(papers)
    return papers
