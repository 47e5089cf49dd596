"""Node metrics for Gephi: degree, PageRank and communities, deterministic and ordered."""

from __future__ import annotations

import networkx as nx
import pytest
from gephi_support import load_fixture

from kg.graph.metrics import communities, degrees, pagerank
from kg.graph.projection import project

P1, P2, P3, P4 = "paper:arxiv:2310.00001", "paper:arxiv:2310.00002", "paper:title:ddf2199072958b90", "paper:arxiv:2310.00004"


@pytest.fixture(scope="module")
def graph() -> nx.MultiDiGraph:
    return load_fixture()


def test_graph_metrics_metrics_are_deterministic_and_ordered(graph: nx.MultiDiGraph) -> None:
    out = project(graph, "bipartite")
    assert degrees(out)[P1] == 6
    rank = pagerank(out)
    assert sum(rank.values()) == pytest.approx(1.0, abs=1e-5)
    # rank flows from papers to entities: every entity outranks every paper
    papers = [rank[p] for p in (P1, P2, P3, P4)]
    assert min(v for k, v in rank.items() if k.startswith("entity:")) > max(papers)
    assert len(set(papers)) == 1  # nothing links to a paper: all at the teleport floor
    first = communities(out)
    assert first == communities(out)
    sizes = [list(first.values()).count(c) for c in sorted(set(first.values()))]
    assert sizes == sorted(sizes, reverse=True)
    assert first[P4] == max(first.values())  # the isolated paper is a community of its own
