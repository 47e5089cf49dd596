"""The data the viewer page reads: vis-network nodes, edges and options, and panel details.

Positions are precomputed here (seeded igraph layout, each connected
component on its own) so the page runs no physics; every corpus string goes
into the payload as plain text (the page builds the DOM with ``textContent``),
and node ids are indexes in sorted order, so the payload is the same for the
same graph.
"""

from __future__ import annotations

import json
import math
from collections.abc import Hashable, Iterable
from typing import Any

import networkx as nx

from kg.errors import GraphError
from kg.graph.layout import node_sizes, positions
from kg.palette import NODE_KINDS, load_palette
from kg.records import EDGE_TYPES

PAPER_LABEL_CHARS = 40
LARGE_GRAPH_EDGES = 3000


def viewer_payload(graph: nx.MultiDiGraph, *, title: str = "kg", seed: int = 7) -> dict[str, Any]:
    """The data the page reads: vis-network nodes, edges and options, plus panel details.

    Nodes get integer ids (their index in sorted order) so edges stay small;
    evidence sentences are stored once in a string table and referred to by index.
    """
    if not isinstance(graph, nx.MultiDiGraph):
        raise GraphError(f"the HTML viewer expects a networkx MultiDiGraph, found {type(graph).__name__}")
    from pyvis.network import Network

    palette = load_palette()
    ordered = sorted(graph.nodes, key=str)
    index: dict[Hashable, int] = {node: i for i, node in enumerate(ordered)}
    coords = _layout(graph, seed)
    sizes = node_sizes(graph)
    degrees = dict(graph.degree())

    kinds_present: dict[str, int] = {}
    vis_nodes: list[dict[str, Any]] = []
    details: list[dict[str, Any]] = []
    for i, node in enumerate(ordered):
        attrs = graph.nodes[node]
        kind = _kind(attrs)
        kinds_present[kind] = kinds_present.get(kind, 0) + 1
        x, y = coords.get(node, (0.0, 0.0))
        size = sizes.get(node, 5.0)
        vis_nodes.append(
            {
                "id": i,
                "label": _display_label(node, attrs, kind),
                "group": kind,
                "x": x,
                "y": y,
                "size": size,
                "degree": degrees.get(node, 0),
            }
        )
        details.append(_node_details(node, attrs, kind))

    sentences: list[str] = []
    sentence_index: dict[str, int] = {}
    edge_types_present: dict[str, int] = {}
    vis_edges: list[dict[str, Any]] = []
    evidence: list[list[list[Any]]] = []
    edges = sorted(graph.edges(keys=True, data=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2])))
    for j, (source, target, key, attrs) in enumerate(edges):
        edge_type = str(attrs.get("type") or key)
        edge_types_present[edge_type] = edge_types_present.get(edge_type, 0) + 1
        weight = _int(attrs.get("weight"), 1)
        vis_edges.append(
            {
                "id": j,
                "from": index[source],
                "to": index[target],
                "type": edge_type,
                "color": palette.edge(edge_type),
                "width": round(min(1.0 + 0.5 * max(weight - 1, 0), 4.0), 2),
                "weight": weight,
                "confidence": _float(attrs.get("confidence")),
            }
        )
        rows: list[list[Any]] = []
        for item in attrs.get("evidence") or []:
            if not isinstance(item, dict):
                continue
            sentence = display_text(item.get("sentence"))
            if not sentence:
                continue
            if sentence not in sentence_index:
                sentence_index[sentence] = len(sentences)
                sentences.append(sentence)
            paper = _paper_index(item.get("paper"), index, source)
            rows.append([paper, sentence_index[sentence], display_text(item.get("rule")), _float(item.get("confidence"))])
        evidence.append(rows)

    kinds = [
        {"name": kind, "color": palette.node(kind).color, "shape": palette.node(kind).shape, "count": kinds_present.get(kind, 0)}
        for kind in (*NODE_KINDS, *sorted(k for k in kinds_present if k not in NODE_KINDS))
    ]
    edge_types = [
        {"name": name, "color": palette.edge(name), "count": edge_types_present.get(name, 0)}
        for name in (*EDGE_TYPES, *sorted(t for t in edge_types_present if t not in EDGE_TYPES))
        if name in edge_types_present or name in EDGE_TYPES
    ]

    net = Network(directed=True)
    net.nodes = vis_nodes
    net.edges = vis_edges
    net.toggle_physics(False)
    net.options.edges.smooth.enabled = False
    net.options.edges.color.inherit = False
    large = len(vis_edges) > LARGE_GRAPH_EDGES
    net.toggle_hide_edges_on_drag(large)
    nodes_out, edges_out, _heading, _height, _width, options_json = net.get_network_data()
    vis_options = _vis_options(json.loads(options_json), kinds, large)
    return {
        "title": title,
        "kinds": kinds,
        "edgeTypes": edge_types,
        "options": vis_options,
        "nodes": nodes_out,
        "edges": edges_out,
        "details": details,
        "evidence": evidence,
        "sentences": sentences,
    }


def _layout(graph: nx.MultiDiGraph, seed: int) -> dict[Hashable, tuple[float, float]]:
    """Each connected component laid out on its own, then packed in rows under the largest.

    One force layout of the whole graph flings small components and isolated
    nodes far out, and fitting them into view shrinks the main component to a
    dot. A component's extent grows with the square root of its size, so the
    density (and label overlap) stays about the same at any scale.
    """
    components = sorted(
        (sorted(component, key=str) for component in nx.weakly_connected_components(graph)),
        key=lambda c: (-len(c), _kind_rank(graph.nodes[c[0]]), str(c[0])),
    )
    placed: dict[Hashable, tuple[float, float]] = {}
    gap = 60.0
    width = 0.0
    x = y = row_height = 0.0
    for number, component in enumerate(components):
        if len(component) == 1:
            local = {component[0]: (0.0, 0.0)}
        else:
            extent = 120.0 + 45.0 * math.sqrt(len(component))
            local = dict(positions(graph.subgraph(component), seed=seed, extent=extent))
        xs = [p[0] for p in local.values()]
        ys = [p[1] for p in local.values()]
        left, top = min(xs), min(ys)
        w, h = max(xs) - left, max(ys) - top
        if number == 0:
            width = max(w, 1200.0)
            dx, dy = (width - w) / 2 - left, -top
            y = h + 2 * gap
        else:
            if x > 0 and x + w > width:
                x, y, row_height = 0.0, y + row_height + gap, 0.0
            dx, dy = x - left, y - top
            x += w + gap
            row_height = max(row_height, h)
        for node, (px, py) in local.items():
            placed[node] = (round(px + dx, 3), round(py + dy, 3))
    return placed


def _kind_rank(attrs: dict[str, Any]) -> int:
    kind = _kind(attrs)
    return NODE_KINDS.index(kind) if kind in NODE_KINDS else len(NODE_KINDS)


def _kind(attrs: dict[str, Any]) -> str:
    return display_text(attrs.get("kind")) or "Paper"


def _display_label(node: Hashable, attrs: dict[str, Any], kind: str) -> str:
    """Short canvas label: paper titles are cut so labels stay compact; the panel shows them whole."""
    label = " ".join((display_text(attrs.get("label")) or display_text(attrs.get("title")) or display_text(attrs.get("name")) or str(node)).split())
    if kind == "Paper" and len(label) > PAPER_LABEL_CHARS:
        label = label[: PAPER_LABEL_CHARS - 1].rstrip() + "\u2026"
    return label


def _node_details(node: Hashable, attrs: dict[str, Any], kind: str) -> dict[str, Any]:
    """What the side panel shows for one node; only plain strings, numbers and lists."""
    label = display_text(attrs.get("label")) or display_text(attrs.get("title")) or display_text(attrs.get("name")) or str(node)
    if kind == "Paper":
        title = display_text(attrs.get("title")) or label
        abstract = display_text(attrs.get("abstract"))
        return {
            "id": str(node),
            "title": title,
            "abstract": abstract,
            "date": display_text(attrs.get("date")) or None,
            "authors": _strings(attrs.get("authors")),
            "authorCount": _optional_int(attrs.get("author_count")),
            "organisation": display_text(attrs.get("organisation")) or None,
            "upvotes": _optional_int(attrs.get("upvotes")),
            "links": _strings(attrs.get("links")),
            "sources": _strings(attrs.get("sources")),
            "mentions": _mentions(attrs.get("mentions"), {"title": title, "abstract": abstract}),
        }
    return {
        "id": str(node),
        "label": label,
        "key": display_text(attrs.get("key")) or str(node).removeprefix("entity:"),
        "name": display_text(attrs.get("name")) or label,
        "aliases": _strings(attrs.get("aliases")),
        "acronym": display_text(attrs.get("acronym")) or None,
        "family": display_text(attrs.get("family")) or None,
        "paperCount": _optional_int(attrs.get("paper_count")),
        "mentionCount": _optional_int(attrs.get("mention_count")),
    }


def _mentions(value: object, texts: dict[str, str]) -> list[list[Any]]:
    """Highlight spans ``[field, start, end, type, key]``, sorted, in range and not overlapping."""
    spans = []
    for item in value if isinstance(value, list) else []:
        if not isinstance(item, dict):
            continue
        field = display_text(item.get("field"))
        start, end = _optional_int(item.get("start")), _optional_int(item.get("end"))
        if field not in texts or start is None or end is None or not 0 <= start < end <= len(texts[field]):
            continue
        spans.append([field, start, end, display_text(item.get("type")), display_text(item.get("key"))])
    spans.sort(key=lambda s: (s[0], s[1], -s[2], s[3], s[4]))
    kept: list[list[Any]] = []
    for span in spans:
        if kept and kept[-1][0] == span[0] and span[1] < kept[-1][2]:
            continue
        kept.append(span)
    return kept


def _paper_index(value: object, index: dict[Hashable, int], source: Hashable) -> int:
    """Node index of the paper an evidence sentence comes from (-1 when unknown)."""
    name = display_text(value)
    for candidate in (name, f"paper:{name}"):
        if candidate and candidate in index:
            return index[candidate]
    if not name and str(source).startswith("paper:"):
        return index[source]
    return -1


def _vis_options(base: dict[str, Any], kinds: list[dict[str, Any]], large: bool) -> dict[str, Any]:
    """pyvis's options plus what keeps big graphs fast and readable.

    ``improvedLayout`` would re-run a layout on load; the positions are already set.
    """
    groups = {
        kind["name"]: {
            "shape": kind["shape"],
            "color": {
                "background": kind["color"],
                "border": _shade(kind["color"], 0.7),
                "highlight": {"background": kind["color"], "border": "#111111"},
                "hover": {"background": kind["color"], "border": "#111111"},
            },
        }
        for kind in kinds
    }
    options = dict(base)
    options.pop("configure", None)
    options["groups"] = groups
    options["layout"] = {"improvedLayout": False, "randomSeed": 7}
    options["nodes"] = {
        "borderWidth": 1,
        "font": {"face": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "color": "#1d2330",
                 "strokeWidth": 3, "strokeColor": "#ffffff"},
    }
    edges = dict(options.get("edges", {}))
    # Arrowheads cost more to draw than the lines; in a big graph direction is
    # read from the node types (papers point at entities) and the panel.
    edges["arrows"] = {"to": {"enabled": not large, "scaleFactor": 0.45}}
    edges["color"] = {"inherit": False, "opacity": 0.55}
    edges["selectionWidth"] = 2
    options["edges"] = edges
    interaction = dict(options.get("interaction", {}))
    interaction.update({"hideEdgesOnDrag": large, "hideEdgesOnZoom": large, "tooltipDelay": 200,
                        "hover": False, "multiselect": False, "navigationButtons": False})
    options["interaction"] = interaction
    physics = dict(options.get("physics", {}))
    physics["enabled"] = False
    physics["stabilization"] = {"enabled": False}
    options["physics"] = physics
    return options


def _shade(color: str, factor: float) -> str:
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(round(c * factor) for c in (r, g, b)))


def display_text(value: object) -> str:
    """A value as display text (None is empty)."""
    return value if isinstance(value, str) else ("" if value is None else str(value))


def _strings(value: object) -> list[str]:
    items: Iterable[object] = value if isinstance(value, (list, tuple)) else ([] if value in (None, "") else [value])
    return [display_text(item) for item in items if display_text(item)]


def _optional_int(value: object) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None


def _int(value: object, default: int) -> int:
    number = _optional_int(value)
    return default if number is None else number


def _float(value: object) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return round(number, 4) if math.isfinite(number) else None
