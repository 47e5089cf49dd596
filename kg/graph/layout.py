"""Force-directed positions, precomputed so exported graphs open laid out.

igraph's Fruchterman–Reingold runs in about a second on 10,000 nodes where
networkx's ``spring_layout`` takes minutes. Start positions come from a
seeded generator, so the same graph always gets the same layout.
"""

from __future__ import annotations

import math
import random
from collections.abc import Hashable

import networkx as nx

DEFAULT_EXTENT = 1000.0


def positions(
    graph: nx.Graph, *, seed: int = 7, extent: float = DEFAULT_EXTENT, iterations: int = 500
) -> dict[Hashable, tuple[float, float]]:
    """Return ``{node: (x, y)}`` with coordinates centred on 0 and within ``±extent``.

    Nodes are laid out in sorted order of their ids so the result depends only
    on the graph, not on insertion order. Parallel edges count once.
    """
    import igraph as ig

    nodes = sorted(graph.nodes, key=str)
    if not nodes:
        return {}
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    index = {node: i for i, node in enumerate(nodes)}
    pairs = sorted({tuple(sorted((index[u], index[v]))) for u, v in graph.edges() if u != v})
    rng = random.Random(seed)
    radius = math.sqrt(len(nodes))
    start = [[rng.uniform(-radius, radius), rng.uniform(-radius, radius)] for _ in nodes]
    # igraph's FR draws random numbers too (displacement jitter): seed its generator
    # for this call and give the default one back afterwards.
    ig.set_random_number_generator(random.Random(seed))
    try:
        layout = ig.Graph(n=len(nodes), edges=pairs).layout_fruchterman_reingold(
            seed=start, niter=iterations, grid="auto"
        )
    finally:
        ig.set_random_number_generator(random)
    coords = layout.coords
    xs = [c[0] for c in coords]
    ys = [c[1] for c in coords]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    span = max(max(xs) - min(xs), max(ys) - min(ys)) / 2 or 1.0
    scale = extent / span
    return {
        node: (round((x - cx) * scale, 3), round((y - cy) * scale, 3))
        for node, (x, y) in zip(nodes, coords, strict=True)
    }


def node_sizes(graph: nx.Graph, *, smallest: float = 5.0, largest: float = 40.0) -> dict[Hashable, float]:
    """Sizes that grow with the square root of degree, so hubs stand out without swamping."""
    degrees = dict(graph.degree())
    if not degrees:
        return {}
    top = max(degrees.values()) or 1
    return {
        node: round(smallest + (largest - smallest) * math.sqrt(degree / top), 3)
        for node, degree in degrees.items()
    }
