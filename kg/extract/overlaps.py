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


# ``Candidate(...)`` runs a Python-level ``__new__``; hot paths build the same tuple
# directly, at a third of the cost: ``new_candidate(Candidate, (start, end, type, rule,
# confidence, canonical))``.
new_candidate = tuple.__new__


def _priority(c: Candidate) -> tuple:
    # Higher confidence first; then longer spans; then earlier; then a fixed order
    # on the remaining fields so that equal inputs always give equal outputs.
    return (-c.confidence, -(c.end - c.start), c.start, c.rule, c.type, c.canonical)


def _choose(cluster: list[Candidate]) -> list[Candidate]:
    """Greedy by priority inside one cluster of overlapping candidates."""
    if len(cluster) == 1:
        return cluster
    if len(cluster) == 2:  # the common case: two spans that overlap, the better one wins
        a, b = cluster
        return [a if _priority(a) <= _priority(b) else b]
    chosen: list[Candidate] = []
    for cand in sorted(cluster, key=_priority):
        if all(cand.end <= c.start or c.end <= cand.start for c in chosen):
            chosen.append(cand)
    chosen.sort()  # back to text order (clusters themselves come in text order)
    return chosen


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
    # Plain tuple order is position order (start, end, then the other fields), and equal
    # candidates end up next to each other: no key function, no hashing.
    ordered = sorted(candidates)
    kept: list[Candidate] = []
    # Overlaps only interact inside a run of spans chained by overlap (a cluster), so the
    # greedy choice is made per cluster; most clusters are one span and need no choosing.
    cluster: list[Candidate] = []
    cluster_end = -1
    previous = None
    for cand in ordered:
        start, end = cand[0], cand[1]
        if end <= start or cand == previous:
            continue
        previous = cand
        if start >= cluster_end:  # a new cluster starts here
            if len(cluster) == 1:
                kept.append(cluster[0])
            elif cluster:
                kept.extend(_choose(cluster))
            cluster = [cand]
            cluster_end = end
        else:
            cluster.append(cand)
            if end > cluster_end:
                cluster_end = end
    if cluster:
        kept.extend(_choose(cluster))
    return kept
