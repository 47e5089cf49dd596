"""The in-memory graph: a networkx MultiDiGraph of papers and entities with typed edges.

Its node and edge attributes are a contract shared by the GraphML, GEXF and
HTML exports (documented in the README); values may be None or lists here,
and exporters that cannot hold them flatten or omit them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import networkx as nx

from kg.graph.edges import assemble
from kg.ids import DEFAULT_BASE_IRI, entity_node, paper_node
from kg.records import FIELDS, Edge, EntityTable, Extraction, Paper


def paper_attributes(paper: Paper, mentions: list[dict[str, object]]) -> dict[str, object]:
    return {
        "kind": "Paper",
        "label": paper.title,
        "title": paper.title,
        "abstract": paper.abstract,
        "date": paper.date,
        "authors": list(paper.authors),
        "author_count": paper.author_count,
        "organisation": paper.organisation,
        "upvotes": paper.upvotes,
        "links": list(paper.links),
        "sources": [str(source) for source in paper.sources],
        "mentions": mentions,
    }


def _mentions(extraction: Extraction | None, table: EntityTable) -> list[dict[str, object]]:
    """Mention offsets of a paper that resolve to an entity, for highlighting."""
    if extraction is None:
        return []
    found = []
    for mention in extraction.mentions:
        key = table.key_for(mention.canonical)
        if key is None:
            continue
        found.append({
            "field": mention.field, "start": mention.start, "end": mention.end,
            "type": table.entities[key].type, "key": key,
        })
    return sorted(found, key=lambda m: (FIELDS.index(str(m["field"])), m["start"], m["end"], m["key"]))


def build_graph(
    papers: Sequence[Paper],
    extractions: Sequence[Extraction],
    table: EntityTable,
    *,
    base_iri: str = DEFAULT_BASE_IRI,
    edges: Iterable[Edge] | None = None,
) -> nx.MultiDiGraph:
    """Papers, entities and typed edges as a MultiDiGraph (edge key = edge type).

    ``edges`` may be passed when they were already assembled (``kg build``
    assembles once for RDF and the graph); otherwise they are assembled here.
    """
    graph = nx.MultiDiGraph(name="kg", base_iri=base_iri)
    by_paper = {extraction.id: extraction for extraction in extractions}
    for paper in papers:
        graph.add_node(paper_node(paper.id), **paper_attributes(paper, _mentions(by_paper.get(paper.id), table)))
    for key in sorted(table.entities):
        entity = table.entities[key]
        graph.add_node(
            entity_node(key),
            kind=entity.type,
            label=entity.name,
            key=entity.key,
            name=entity.name,
            aliases=list(entity.aliases),
            acronym=entity.acronym,
            family=table.entities[entity.family].name if entity.family in table.entities else None,
            paper_count=entity.paper_count,
            mention_count=entity.mention_count,
        )
    for edge in edges if edges is not None else assemble(papers, extractions, table):
        graph.add_edge(
            edge.source,
            edge.target,
            key=edge.type,
            type=edge.type,
            weight=edge.weight,
            confidence=edge.confidence,
            evidence=[item.to_dict() for item in edge.evidence],
        )
    return graph
