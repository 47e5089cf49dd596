"""Overlap resolution: one named function, order-independent, greedy by confidence then length."""

from __future__ import annotations

import random

import pytest

from kg.extract.overlaps import Candidate, resolve_overlaps


def C(start, end, conf=0.9, type_="Method", rule="gaz.method", canonical="x"):
    return Candidate(start, end, type_, rule, conf, canonical)


@pytest.mark.parametrize(
    "cands, kept",
    [
        ([C(0, 8), C(0, 14, 0.6)], [(0, 8)]),  # higher confidence wins
        ([C(0, 8), C(0, 14)], [(0, 14)]),  # equal confidence: the longer span
        ([C(0, 5), C(5, 9)], [(0, 5), (5, 9)]),  # touching spans do not overlap
        ([C(0, 5), C(3, 9), C(8, 12)], [(3, 9)]),  # chain: the longest wins, both neighbours lose
        ([C(2, 6, 0.7), C(0, 10, 0.6), C(8, 12, 0.8)], [(2, 6), (8, 12)]),
        ([C(0, 4), C(0, 4)], [(0, 4)]),  # duplicates collapse
        ([C(3, 3)], []),  # empty span dropped
        ([], []),
    ],
)
def test_extract_overlaps_resolution(cands, kept):
    assert [(c.start, c.end) for c in resolve_overlaps(cands)] == kept


def test_extract_overlaps_type_of_the_winner():
    out = resolve_overlaps([C(0, 4, 0.9, "Dataset"), C(0, 4, 0.92, "Task", "ctx.x")])
    assert [(c.type, c.rule) for c in out] == [("Task", "ctx.x")]


def _naive(cands):
    kept = []
    for c in sorted(set(cands), key=lambda c: (-c.confidence, -(c.end - c.start), c.start, c.rule, c.type, c.canonical)):
        if c.end > c.start and not any(c.start < k.end and k.start < c.end for k in kept):
            kept.append(c)
    return sorted(kept, key=lambda c: (c.start, c.end))


def test_extract_overlaps_matches_global_greedy_and_ignores_input_order():
    rng = random.Random(7)
    for _ in range(500):
        cands = []
        for _ in range(rng.randint(0, 10)):
            s = rng.randint(0, 30)
            cands.append(C(s, s + rng.randint(1, 7), rng.choice([0.6, 0.7, 0.9]),
                           rng.choice(["Method", "Task"]), rng.choice(["a.b", "c.d"])))
        expected = _naive(cands)
        assert resolve_overlaps(cands) == expected
        rng.shuffle(cands)
        assert resolve_overlaps(cands) == expected
        kept = resolve_overlaps(cands)
        assert all(a.end <= b.start for a, b in zip(kept, kept[1:], strict=False))
