"""A graph as sorted, de-duplicated N-Triples lines: the one form every writer starts from.

Sorting the lines makes every serialisation byte-identical across runs and
keeps the triples of one subject together (lines sharing a prefix are
contiguous), which the Turtle writer relies on to group them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kg.rdf.triples import Triple


@dataclass(frozen=True, slots=True)
class Document:
    """Canonical N-Triples of a whole graph, as UTF-8 bytes, and its triple count."""

    data: bytes
    count: int

    @classmethod
    def from_triples(cls, triples: Iterable[Triple]) -> Document:
        lines = sorted({f"{s} {p} {o} .\n" for s, p, o in triples})
        return cls("".join(lines).encode("utf-8"), len(lines))
