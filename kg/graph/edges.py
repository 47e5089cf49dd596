"""Edges from relations: paper -> entity edges per paper, entity -> entity edges merged
over the corpus, each carrying every sentence that supports it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from kg.ids import entity_node, paper_node
from kg.records import (
    EDGE_TYPES,
    PAPER,
    Edge,
    EntityTable,
    Evidence,
    Extraction,
    Paper,
    Relation,
    field_text,
    result_keys,
)


def evidence(paper: Paper, relation: Relation, where: tuple[str | None, str | None] = (None, None)) -> Evidence:
    """The evidence a relation gives: its sentence, located by the sentence's offsets, and
    (for a comparison) the dataset and metric of the result the sentence reports."""
    text = field_text(paper, relation.field)
    return Evidence(
        paper=paper.id,
        field=relation.field,
        sentence=text[relation.sentence_start : relation.sentence_end],
        start=relation.sentence_start,
        end=relation.sentence_end,
        rule=relation.rule,
        confidence=relation.confidence,
        dataset=where[0],
        metric=where[1],
    )


def comparison_context(extraction: Extraction, table: EntityTable) -> dict[tuple[str, int], tuple[str | None, str | None]]:
    """(field, sentence start) -> the dataset and metric keys of the first result of that
    sentence that names either: where an ``outperforms`` claim of the sentence holds."""
    found: dict[tuple[str, int], tuple[str | None, str | None]] = {}
    for result in extraction.results:
        keys = result_keys(result, table)
        if keys["dataset"] or keys["metric"]:
            found.setdefault((result.field, result.sentence_start), (keys["dataset"], keys["metric"]))
    return found


def _evidence_order(item: Evidence) -> tuple[str, str, int, int, str]:
    return (item.paper, item.field, item.start, item.end, item.rule)


def _edge_order(edge: Edge) -> tuple[str, int, str]:
    return (edge.source, EDGE_TYPES.index(edge.type), edge.target)


def assemble(
    papers: Sequence[Paper], extractions: Iterable[Extraction], table: EntityTable
) -> Iterator[Edge]:
    """Every edge of the graph, in a fixed order: each paper's edges as its extraction
    comes (sorted by type, then target), then the entity -> entity edges of the
    whole corpus sorted by source, type and target.

    Relations whose canonical forms have no entity in ``table`` (resolution
    dropped them) and entity self-loops are skipped.
    """
    by_id = {paper.id: paper for paper in papers}
    between: dict[tuple[str, str, str], list[Evidence]] = {}
    for extraction in extractions:
        paper = by_id.get(extraction.id)
        if paper is None:
            continue
        own: dict[tuple[str, str], list[Evidence]] = {}
        compared = comparison_context(extraction, table) if extraction.results else {}
        for relation in extraction.relations:
            tail = table.key_for(relation.tail)
            if tail is None or tail not in table.entities:
                continue
            if relation.head == PAPER:
                own.setdefault((relation.type, tail), []).append(evidence(paper, relation))
                continue
            head = table.key_for(relation.head)
            if head is None or head == tail or head not in table.entities:
                continue
            where = compared.get((relation.field, relation.sentence_start), (None, None)) \
                if relation.type == "outperforms" else (None, None)
            between.setdefault((head, relation.type, tail), []).append(evidence(paper, relation, where))
        edges = [
            Edge(paper_node(paper.id), entity_node(key), kind, unique_evidence(items))
            for (kind, key), items in own.items()
        ]
        yield from sorted(edges, key=_edge_order)
    for head, kind, tail in sorted(between, key=lambda k: (k[0], EDGE_TYPES.index(k[1]), k[2])):
        yield Edge(entity_node(head), entity_node(tail), kind, unique_evidence(between[(head, kind, tail)]))


def unique_evidence(items: Iterable[Evidence]) -> list[Evidence]:
    """Sorted evidence, one item per sentence (two canonical forms of one entity in one
    sentence are one piece of evidence; the most confident reading is kept)."""
    kept: dict[tuple[str, str, int], Evidence] = {}
    for item in sorted(items, key=lambda e: (e.paper, e.field, e.start, -e.confidence, e.rule)):
        kept.setdefault((item.paper, item.field, item.start), item)
    return sorted(kept.values(), key=_evidence_order)
