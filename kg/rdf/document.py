"""A graph as sorted, de-duplicated N-Triples lines: the one form every writer starts from.

Sorting the lines makes every serialisation byte-identical across runs and
keeps the triples of one subject together (lines sharing a prefix are
contiguous), which the Turtle writer relies on to group them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kg import collector
from kg.rdf.namespace import DEFAULT_BASE_IRI
from kg.rdf.triples import Group, Triple, groups
from kg.records import Edge, Entity, Paper


@dataclass(frozen=True, slots=True)
class Document:
    """Canonical N-Triples of a whole graph, as UTF-8 bytes, and its triple count."""

    data: bytes
    count: int

    @classmethod
    def from_groups(cls, groups: Iterable[Group]) -> Document:
        """Sort and de-duplicate N-Triples lines grouped by subject (``kg.rdf.triples.groups``).

        Subjects are sorted, then each subject's lines: the same order as
        sorting every line (no IRI contains ``>``, so one bracketed subject is
        never a prefix of another) for a fraction of the comparisons. The
        cyclic garbage collector is paused meanwhile: hundreds of thousands of
        short strings only trigger collections that free nothing.
        """
        with collector.paused():
            merged: dict[str, list[str]] = {}
            for subject, lines in groups:
                held = merged.get(subject)
                if held is None:
                    merged[subject] = lines
                else:
                    held.extend(lines)
            ordered: list[str] = []
            for subject in sorted(merged):
                lines = merged[subject]
                ordered.extend(sorted(set(lines)) if len(lines) > 1 else lines)
            return cls("".join(ordered).encode("utf-8"), len(ordered))

    @classmethod
    def from_records(
        cls, papers: Iterable[Paper], entities: Iterable[Entity], edges: Iterable[Edge],
        base_iri: str = DEFAULT_BASE_IRI,
    ) -> Document:
        """The document of a whole graph's records."""
        return cls.from_groups(groups(papers, entities, edges, base_iri))

    @classmethod
    def from_triples(cls, triples: Iterable[Triple]) -> Document:
        """From (subject, predicate, object) N-Triples terms."""
        return cls.from_groups((s, [f"{s} {p} {o} .\n"]) for s, p, o in triples)
