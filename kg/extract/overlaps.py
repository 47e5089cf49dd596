"""Candidate mentions and the one function that decides between overlapping ones."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple


class Candidate(NamedTuple):
    """A typed span proposed by one rule, before overlaps are resolved.

    ``start``/``end`` are character offsets into one field's text;
    ``canonical`` is the per-paper canonical form the rule suggests.
    """

    start: int
    end: int
    type: str
    rule: str
    confidence: float
    canonical: str


def _priority(c: Candidate) -> tuple:
    # Higher confidence first; then longer spans; then earlier; then a fixed order
    # on the remaining fields so that equal inputs always give equal outputs.
    return (-c.confidence, -(c.end - c.start), c.start, c.rule, c.type, c.canonical)


def resolve_overlaps(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Keep a set of non-overlapping candidates, best first, returned in text order.

    Candidates are taken greedily by confidence, then by length (a longer
    span of equal confidence is more specific: "top-1 accuracy" over
    "accuracy"), then by position; a candidate that overlaps one already
    kept is dropped. Exact duplicates collapse to one. The result does not
    depend on the input order.

    >>> a = Candidate(0, 8, "Metric", "gaz.metric", 0.9, "accuracy")
    >>> b = Candidate(0, 14, "Metric", "ctx.metric", 0.6, "accuracy score")
    >>> [c.rule for c in resolve_overlaps([b, a])]
    ['gaz.metric']
    """
    kept: list[Candidate] = []
    taken: list[tuple[int, int]] = []
    for cand in sorted(set(candidates), key=_priority):
        if cand.end <= cand.start:
            continue
        if any(cand.start < e and s < cand.end for s, e in taken):
            continue
        kept.append(cand)
        taken.append((cand.start, cand.end))
    kept.sort(key=lambda c: (c.start, c.end))
    return kept
