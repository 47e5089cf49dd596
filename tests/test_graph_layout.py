from __future__ import annotations

import networkx as nx
import pytest

from kg.graph.layout import DEFAULT_EXTENT, node_sizes, positions


def test_layout_positions_are_deterministic_and_bounded() -> None:
    graph = nx.gnm_random_graph(300, 600, seed=3)
    first = positions(graph)
    assert first == positions(graph)
    assert set(first) == set(graph.nodes)
    assert all(abs(x) <= DEFAULT_EXTENT + 1e-6 and abs(y) <= DEFAULT_EXTENT + 1e-6 for x, y in first.values())


def test_layout_does_not_depend_on_insertion_order() -> None:
    edges = [("b", "c"), ("a", "b"), ("c", "d"), ("d", "a"), ("a", "c")]
    one = nx.MultiDiGraph(edges)
    two = nx.MultiDiGraph(list(reversed(edges)))
    assert positions(one) == positions(two)


@pytest.mark.parametrize("graph,expected", [(nx.Graph(), {}), (nx.Graph([("x", "x")]), {"x": (0.0, 0.0)})])
def test_layout_small_graphs(graph: nx.Graph, expected: dict) -> None:
    assert positions(graph) == expected


def test_layout_node_sizes_grow_with_degree() -> None:
    graph = nx.star_graph(9)
    sizes = node_sizes(graph, smallest=5, largest=40)
    assert sizes[0] == 40
    assert all(5 < sizes[leaf] < sizes[0] for leaf in range(1, 10))
