"""Projections of the graph: which nodes and edges each keeps, shared counts, hubs."""

from __future__ import annotations

import networkx as nx
import pytest
from gephi_support import load_fixture

from kg.errors import UsageError
from kg.export.flatten import flatten
from kg.export.gephi import report_export
from kg.graph.projection import default_hub_limit, project
from kg.report import RunReport

P1, P2, P3, P4 = "paper:arxiv:2310.00001", "paper:arxiv:2310.00002", "paper:title:ddf2199072958b90", "paper:arxiv:2310.00004"


@pytest.fixture(scope="module")
def graph() -> nx.MultiDiGraph:
    return load_fixture()


def flat(graph: nx.MultiDiGraph, projection: str, hub_limit: int | None = None) -> nx.Graph:
    """A projection as the exporters write it (flat rows, export ids)."""
    return flatten(project(graph, projection, hub_limit=hub_limit), projection)


def weights(graph: nx.Graph) -> dict[tuple[str, str], float]:
    return {(u, v): data["weight"] for u, v, data in graph.edges(data=True)}


def test_graph_projection_bipartite_keeps_every_node_and_typed_edge(graph: nx.MultiDiGraph) -> None:
    assert project(graph, "bipartite") is graph
    out = flat(graph, "bipartite")
    assert out.is_directed() and out.is_multigraph()
    assert (out.number_of_nodes(), out.number_of_edges()) == (11, 15)
    # parallel edges of different types stay apart
    assert set(out[P1]["entity:imagenet"]) == {"evaluatedOn", "mentions"}
    assert set(out["entity:moment-probing"]["entity:linear-probing"]) == {"variantOf", "outperforms"}
    uses = out[P1]["entity:vision-transformer"]["uses"]
    assert uses == {"label": "uses", "relation": "uses", "weight": 2.0, "confidence": 0.84}


def test_graph_projection_entities_projection_counts_shared_papers(graph: nx.MultiDiGraph) -> None:
    out = flat(graph, "entities")
    assert not out.is_directed()
    assert (out.number_of_nodes(), out.number_of_edges()) == (7, 15)
    w = weights(out)
    twice = {
        ("entity:imagenet", "entity:vision-transformer"),
        ("entity:cifar-10", "entity:vision-transformer"),
        ("entity:top-1-accuracy", "entity:vision-transformer"),
        ("entity:cifar-10", "entity:top-1-accuracy"),
    }
    assert {pair for pair, weight in w.items() if weight == 2.0} == twice
    assert all(weight in (1.0, 2.0) for weight in w.values())
    # vision transformer: 3 papers, imagenet: 2 papers, 2 shared -> 2 / 3
    assert out["entity:imagenet"]["entity:vision-transformer"]["jaccard"] == pytest.approx(0.666667)
    assert {data["relation"] for *_, data in out.edges(data=True)} == {"cooccurs"}
    # entity-to-entity edges are not co-occurrence
    assert not out.has_edge("entity:moment-probing", "entity:linear-probing")


def test_graph_projection_papers_projection_counts_shared_entities(graph: nx.MultiDiGraph) -> None:
    out = flat(graph, "papers")
    assert (out.number_of_nodes(), out.number_of_edges()) == (4, 3)
    assert weights(out) == {(P1, P2): 2.0, (P1, P3): 3.0, (P2, P3): 1.0}
    assert out[P1][P3]["jaccard"] == 0.5  # 3 shared of 5 + 4 - 3
    assert out.degree(P4) == 0
    assert out.graph["hubs_skipped"] == 0
    assert out.graph["hub_limit"] == 3  # every entity fits the pair budget: none is a hub


def test_graph_projection_default_hub_limit_admits_rarest_entities_within_budget() -> None:
    # budget 5 pairs: counts 2, 2 (1 pair each) and 3 (3 pairs) fit; the entity in 10 papers does not
    assert default_hub_limit([1, 1, 2, 2, 3, 10], 1, pairs_per_paper=5) == 3
    assert default_hub_limit([1, 1, 2, 2, 3, 10], 1, pairs_per_paper=4) == 2
    assert default_hub_limit([5, 5], 1, pairs_per_paper=1) == 1
    assert default_hub_limit([], 0) == 1


def test_graph_projection_papers_projection_skips_hubs_and_says_so(graph: nx.MultiDiGraph) -> None:
    out = flat(graph, "papers", hub_limit=2)
    # the vision transformer is in 3 papers: no longer counted as shared
    assert weights(out) == {(P1, P2): 1.0, (P1, P3): 2.0}
    assert out.graph["hubs"] == ["entity:vision-transformer"]
    report = RunReport()
    report_export(out, "kg.gexf", {"pretty": True}, report)
    messages = [str(w) for w in report.warnings]
    assert messages == [
        "kg.gexf: option 'pretty' does not apply to this format; ignored",
        "kg.gexf: papers projection: 1 entities in more than 2 papers were not counted as shared:"
        " entity:vision-transformer",
    ]
    with pytest.raises(UsageError, match="hub_limit must be at least 2"):
        project(graph, "papers", hub_limit=1)


def test_graph_projection_unknown_projection_lists_known(graph: nx.MultiDiGraph) -> None:
    with pytest.raises(UsageError, match="expected one of: bipartite, entities, papers"):
        project(graph, "authors")
