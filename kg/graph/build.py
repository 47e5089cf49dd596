"""The in-memory graph: a networkx MultiDiGraph of papers and entities with typed edges.

Its node and edge attributes are a contract shared by the GraphML, GEXF and
HTML exports (documented in the README); values may be None or lists here,
and exporters that cannot hold them flatten or omit them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import networkx as nx

from kg.graph.edges import assemble
from kg.ids import DEFAULT_BASE_IRI, ENTITY_NODE, entity_node, paper_node
from kg.records import FIELDS, Edge, EntityTable, Extraction, Paper, result_keys


def paper_attributes(
    paper: Paper, mentions: list[dict[str, object]], results: list[dict[str, object]] | None = None,
) -> dict[str, object]:
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
        "results": results or [],
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


def paper_results(extraction: Extraction | None, table: EntityTable) -> list[dict[str, object]]:
    """A paper's results with their parts as entity keys and names, for panels and exports."""
    if extraction is None:
        return []
    found = []
    for result in extraction.results:
        keys = result_keys(result, table)
        item: dict[str, object] = {
            "value": result.value, "number": result.number, "upper": result.upper, "unit": result.unit,
            "kind": result.kind, "field": result.field, "sentence": [result.sentence_start, result.sentence_end],
            "start": result.start, "end": result.end, "rule": result.rule, "confidence": result.confidence,
            "baseline_value": result.baseline_value,
            "spans": {part: list(span) for part, span in sorted(result.spans.items())},
        }
        for part, key in keys.items():
            item[part] = key
            item[f"{part}_name"] = table.entities[key].name if key else None
        item["better"] = table.entities[keys["metric"]].better if keys["metric"] else None
        found.append(item)
    return found


def best_scores(results: list[dict[str, object]]) -> dict[str, dict[str, object]]:
    """Dataset key -> the paper's best score on it, in the metric of its first score there
    (the headline number): ``{"value", "metric", "unit"}``."""
    best: dict[str, dict[str, object]] = {}
    for item in results:
        dataset, metric = item["dataset"], item["metric"]
        if item["kind"] != "score" or not dataset or not metric:
            continue
        number = float(item["number"])  # type: ignore[arg-type]
        held = best.get(str(dataset))
        if held is None:
            best[str(dataset)] = {"value": number, "metric": item["metric_name"], "unit": item["unit"],
                                  "key": metric, "lower": item["better"] == "lower"}
        elif held["key"] == metric and (number < held["value"] if held["lower"] else number > held["value"]):  # type: ignore[operator]
            held["value"] = number
    return {key: {"value": v["value"], "metric": v["metric"], "unit": v["unit"]} for key, v in best.items()}


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
    best: dict[str, dict[str, dict[str, object]]] = {}
    for paper in papers:
        extraction = by_paper.get(paper.id)
        results = paper_results(extraction, table)
        best[paper_node(paper.id)] = best_scores(results)
        graph.add_node(paper_node(paper.id), **paper_attributes(paper, _mentions(extraction, table), results))
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
        score = best.get(edge.source, {}).get(edge.target[len(ENTITY_NODE):]) if edge.source in best else None
        extra = {"best_value": score["value"], "best_metric": score["metric"], "best_unit": score["unit"]} if score else {}
        graph.add_edge(
            edge.source,
            edge.target,
            key=edge.type,
            type=edge.type,
            weight=edge.weight,
            confidence=edge.confidence,
            evidence=[item.to_dict() for item in edge.evidence],
            **extra,
        )
    return graph
