"""Projections of the graph: which nodes, which edges, what an edge's weight counts.

- ``bipartite``: papers and entities with every typed edge: the graph itself
  (a MultiDiGraph, parallel edges of different types kept);
- ``entities``: entities linked when papers share them, ``weight`` = number
  of shared papers, ``jaccard`` = shared / papers of either;
- ``papers``: papers linked when they share entities, ``weight`` = number of
  shared entities, ``jaccard`` = shared / entities of either. Entities found
  in more than ``hub_limit`` papers are left out of this count: they would
  link almost every pair and make the graph quadratic in the corpus size
  (the default limit keeps it at most 20 pairs per paper).

A projection keeps the node ids and attributes of the graph; making them flat
and typed for GraphML and GEXF is the exporters' business (``kg.export.flatten``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from itertools import combinations
from typing import Any

import networkx as nx

from kg.errors import UsageError

PROJECTIONS = ("bipartite", "entities", "papers")
COOCCURS = "cooccurs"
SIMILAR = "similar"


def is_paper(node: Hashable, data: dict[str, Any]) -> bool:
    return data.get("kind") == "Paper" or (data.get("kind") is None and str(node).startswith("paper:"))


def _paper_entities(graph: nx.MultiDiGraph) -> tuple[list[Hashable], list[Hashable], dict[Hashable, set[Hashable]]]:
    """Papers, entities, and each paper's set of linked entities (any edge type, either direction)."""
    papers = sorted((n for n, d in graph.nodes(data=True) if is_paper(n, d)), key=str)
    paper_set = set(papers)
    entities = sorted((n for n in graph.nodes if n not in paper_set), key=str)
    linked: dict[Hashable, set[Hashable]] = {paper: set() for paper in papers}
    for u, v in graph.edges():
        if u in paper_set and v not in paper_set:
            linked[u].add(v)
        elif v in paper_set and u not in paper_set:
            linked[v].add(u)
    return papers, entities, linked


def bipartite(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Every node and every typed edge: the graph as it is."""
    return graph


def _add_nodes(out: nx.Graph, graph: nx.MultiDiGraph, nodes: Iterable[Hashable]) -> None:
    for node in nodes:
        out.add_node(node, **graph.nodes[node])


def _link_shared(out: nx.Graph, groups: Iterable[Iterable[Hashable]], relation: str) -> None:
    """Link every two members of each group: ``weight`` = groups they share, ``jaccard`` =
    shared / groups of either (cost: the sum of squared group sizes, halved)."""
    counts: dict[tuple[Hashable, Hashable], int] = defaultdict(int)
    sizes: dict[Hashable, int] = defaultdict(int)
    for group in groups:
        members = sorted(group, key=str)
        for member in members:
            sizes[member] += 1
        for pair in combinations(members, 2):
            counts[pair] += 1
    for (a, b) in sorted(counts, key=str):
        shared = counts[(a, b)]
        union = sizes[a] + sizes[b] - shared
        out.add_edge(a, b, type=relation, weight=shared, jaccard=round(shared / union, 6) if union else 0.0)


def entities(graph: nx.MultiDiGraph) -> nx.Graph:
    """Entity co-occurrence: entities linked when papers share them, weight = shared papers."""
    papers, entity_nodes, linked = _paper_entities(graph)
    out = nx.Graph(projection="entities")
    _add_nodes(out, graph, entity_nodes)
    _link_shared(out, (linked[paper] for paper in papers), COOCCURS)
    return out


PAIRS_PER_PAPER = 20


def default_hub_limit(paper_counts: Iterable[int], papers: int, *, pairs_per_paper: int = PAIRS_PER_PAPER) -> int:
    """The largest paper count an entity may have and still count as shared.

    Each entity in ``k`` papers adds ``k(k-1)/2`` paper pairs. Entities are
    admitted from the rarest up, a whole count at a time, while the pairs stay
    within ``pairs_per_paper`` × papers (at most 200,000 increments, and as
    many edges, at 10,000 papers): the ones left out are the hubs ("accuracy",
    "Transformer") that would link almost every pair of papers.
    """
    by_count: dict[int, int] = defaultdict(int)
    for count in paper_counts:
        by_count[count] += 1
    budget = pairs_per_paper * papers
    limit, used = 1, 0
    for count in sorted(by_count):
        used += by_count[count] * count * (count - 1) // 2
        if used > budget:
            break
        limit = count
    return max(limit, 1)


def papers(graph: nx.MultiDiGraph, *, hub_limit: int | None = None) -> nx.Graph:
    """Paper similarity: papers linked when they share entities, weight = shared entities.

    Entities in more than ``hub_limit`` papers (default: :func:`default_hub_limit`,
    which keeps the pair count linear in the corpus) are skipped; which ones
    is stored in ``graph.graph["hubs"]``.
    """
    paper_nodes, _, linked = _paper_entities(graph)
    out = nx.Graph(projection="papers")
    _add_nodes(out, graph, paper_nodes)
    if hub_limit is not None and hub_limit < 2:
        raise UsageError(f"hub_limit must be at least 2 (two papers make a pair), found {hub_limit}")
    holders: dict[Hashable, list[Hashable]] = defaultdict(list)
    for paper in paper_nodes:
        for entity in linked[paper]:
            holders[entity].append(paper)
    if hub_limit is None:
        limit = default_hub_limit((len(members) for members in holders.values()), len(paper_nodes))
    else:
        limit = hub_limit
    hubs = sorted((entity for entity, members in holders.items() if len(members) > limit), key=str)
    skipped = set(hubs)
    shared = (holders[entity] for entity in sorted(holders, key=str) if entity not in skipped)
    _link_shared(out, shared, SIMILAR)
    out.graph.update(hub_limit=limit, hubs_skipped=len(hubs), hubs=[str(hub) for hub in hubs])
    return out


PROJECTORS: dict[str, Callable[[nx.MultiDiGraph, int | None], nx.Graph]] = {
    "bipartite": lambda graph, hub_limit: bipartite(graph),
    "entities": lambda graph, hub_limit: entities(graph),
    "papers": lambda graph, hub_limit: papers(graph, hub_limit=hub_limit),
}


def project(graph: nx.MultiDiGraph, projection: str = "bipartite", *, hub_limit: int | None = None) -> nx.Graph:
    """The graph of one projection, its nodes keeping their ids and attributes (the
    exporters flatten it with ``kg.export.flatten``)."""
    if projection not in PROJECTORS:
        raise UsageError(f"unknown projection {projection!r}; expected one of: {', '.join(PROJECTIONS)}")
    return PROJECTORS[projection](graph, hub_limit)
