"""The data the viewer page reads: vis-network nodes, edges and options, and panel details.

Positions are precomputed here (seeded igraph layout, each connected
component on its own) so the page runs no physics; every corpus string goes
into the payload as plain text (the page builds the DOM with ``textContent``),
and node ids are indexes in sorted order, so the payload is the same for the
same graph. A paper's reported results travel as offsets into its title or
abstract (no sentence is stored twice), and each dataset they were scored on
gets a leaderboard, ranked here so the page only draws it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Hashable, Iterable, Iterator, Sequence
from typing import Any, NamedTuple

import networkx as nx

from kg.errors import GraphError
from kg.graph.layout import node_sizes, positions
from kg.ids import ENTITY_NODE
from kg.palette import NODE_KINDS, load_palette
from kg.records import EDGE_TYPES

PAPER_LABEL_CHARS = 40
LARGE_GRAPH_EDGES = 3000
# The parts of a result that name an entity, in the order of a result row's parts.
RESULT_PARTS = ("metric", "dataset", "task", "method", "baseline")


def viewer_payload(graph: nx.MultiDiGraph, *, title: str = "kg", seed: int = 7) -> dict[str, Any]:
    """The data the page reads: vis-network nodes, edges and options, plus panel details.

    Nodes get integer ids (their index in sorted order) so edges stay small;
    evidence sentences are stored once in a string table and referred to by index.
    A paper's details carry ``results`` only when it has some, an entity's
    ``leaderboard`` only when scores were reported on it (see ``_result_rows``
    and ``leaderboards``).
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
    scores: list[Score] = []
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
        if kind == "Paper":
            items = _result_items(attrs.get("results"))
            rows = _result_rows(items, details[-1], index)
            if rows:
                details[-1]["results"] = rows
                scores.extend(_scores(i, items, rows))
    for dataset, board in leaderboards(scores, [node["label"] for node in vis_nodes]).items():
        details[dataset]["leaderboard"] = board

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


def _result_items(value: object) -> list[dict[str, Any]]:
    """A paper's results that can be shown: dicts with a value as written."""
    items = value if isinstance(value, list) else []
    return [item for item in items if isinstance(item, dict) and display_text(item.get("value"))]


def _result_rows(items: list[dict[str, Any]], paper: dict[str, Any], index: dict[Hashable, int]) -> list[list[Any]]:
    """Each result as ``[value, unit, kind, field, sentence_start, sentence_end, start, end,
    parts, baseline_value, spans]``.

    ``parts`` holds the node indexes of metric, dataset, task, method and
    baseline (-1 for none), ``baseline_value`` is the baseline's number as text
    (empty for none) and ``spans`` the parts named in the sentence as
    ``[start, end, part]``. Offsets count code points in the paper's ``field``
    (``title`` or ``abstract``), like mentions; the sentence is not copied. When
    the offsets do not fit the text, field is empty and the offsets are 0, so the
    number is still listed, without its sentence.
    """
    texts = {"title": paper["title"], "abstract": paper["abstract"]}
    rows = []
    for item in items:
        field = display_text(item.get("field"))
        located = _located(item, len(texts[field])) if field in texts else None
        s_start, s_end, start, end = located or (0, 0, 0, 0)
        rows.append([
            display_text(item.get("value")), display_text(item.get("unit")), display_text(item.get("kind")) or "score",
            field if located else "", s_start, s_end, start, end,
            [_entity_index(item.get(part), index) for part in RESULT_PARTS],
            _number_text(item.get("baseline_value")),
            _result_spans(item.get("spans"), s_start, s_end, start, end) if located else [],
        ])
    return rows


def _located(item: dict[str, Any], length: int) -> tuple[int, int, int, int] | None:
    """``(sentence_start, sentence_end, start, end)`` when the value lies in its sentence
    and the sentence in a text of ``length`` code points, else None."""
    sentence = item.get("sentence")
    pair = sentence if isinstance(sentence, (list, tuple)) and len(sentence) == 2 else (None, None)
    s_start, s_end = _optional_int(pair[0]), _optional_int(pair[1])
    start, end = _optional_int(item.get("start")), _optional_int(item.get("end"))
    if s_start is None or s_end is None or start is None or end is None:
        return None
    return (s_start, s_end, start, end) if 0 <= s_start <= start < end <= s_end <= length else None


def _result_spans(value: object, s_start: int, s_end: int, start: int, end: int) -> list[list[Any]]:
    """The named parts ``[start, end, part]`` inside the sentence, sorted, clear of the value
    and of each other (the first of two overlapping spans is kept)."""
    spans = []
    for part, span in sorted(value.items()) if isinstance(value, dict) else []:
        if part not in RESULT_PARTS or not isinstance(span, (list, tuple)) or len(span) != 2:
            continue
        a, b = _optional_int(span[0]), _optional_int(span[1])
        if a is None or b is None or not s_start <= a < b <= s_end or (a < end and b > start):
            continue
        spans.append([a, b, part])
    spans.sort()
    kept: list[list[Any]] = []
    for span in spans:
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


def _entity_index(value: object, index: dict[Hashable, int]) -> int:
    key = display_text(value)
    return index.get(ENTITY_NODE + key, -1) if key else -1


class Score(NamedTuple):
    """One score as a leaderboard ranks it: node indexes, the number and where the row is."""

    dataset: int
    metric: int
    unit: str
    better: str
    number: float
    paper: int
    position: int


def _scores(paper: int, items: list[dict[str, Any]], rows: list[list[Any]]) -> Iterator[Score]:
    """A paper's scores on a dataset (improvements, reductions and ratios are not ranked)."""
    for position, (item, row) in enumerate(zip(items, rows, strict=True)):
        metric, dataset = row[8][0], row[8][1]
        number = _float(item.get("number"))
        if row[2] == "score" and dataset >= 0 and number is not None:
            better = display_text(item.get("better")) if metric >= 0 else ""
            yield Score(dataset, metric, row[1], better if better in ("higher", "lower") else "", number, paper, position)


def leaderboards(scores: Iterable[Score], labels: Sequence[str]) -> dict[int, list[list[Any]]]:
    """Dataset node index -> its leaderboard: the scores reported on it across papers.

    One group per metric and unit (85% and 0.85 are not ranked together), as
    ``[metric, unit, better, rows]``: ``metric`` a node index, ``better``
    ``"higher"``, ``"lower"`` or ``""`` when the metric's direction is not known
    (ranked highest first), and each row ``[paper, result, rank]``, where
    ``result`` is the position in the paper's ``results``. Rows run best first;
    equal numbers share a rank. Groups with more scores come first, then by
    metric label (``labels`` by node index); scores that name no metric close
    the list as one group with metric -1 and no ranks, in paper order.

    >>> error = [Score(0, 1, "%", "lower", n, paper, 0) for paper, n in ((3, 9.5), (4, 4.0), (5, 9.5))]
    >>> leaderboards(error + [Score(0, -1, "", "", 7.0, 6, 1)], ["D", "error"])
    {0: [[1, '%', 'lower', [[4, 0, 1], [3, 0, 2], [5, 0, 2]]], [-1, '', '', [[6, 1, None]]]]}
    """
    groups: dict[int, dict[tuple[int, str], list[Score]]] = {}
    for score in scores:
        key = (score.metric, score.unit) if score.metric >= 0 else (-1, "")
        groups.setdefault(score.dataset, {}).setdefault(key, []).append(score)
    boards: dict[int, list[list[Any]]] = {}
    for dataset, by_metric in sorted(groups.items()):
        board = [_ranked(metric, unit, found) for (metric, unit), found in by_metric.items()]
        board.sort(key=lambda g: (g[0] < 0, -len(g[3]), labels[g[0]].casefold() if g[0] >= 0 else "", g[1]))
        boards[dataset] = board
    return boards


def _ranked(metric: int, unit: str, scores: list[Score]) -> list[Any]:
    """One leaderboard group ``[metric, unit, better, rows]``, best first by the metric's direction."""
    if metric < 0:
        return [metric, unit, "", [[s.paper, s.position, None] for s in sorted(scores, key=lambda s: (s.paper, s.position))]]
    better = next((s.better for s in sorted(scores, key=lambda s: (s.paper, s.position)) if s.better), "")
    sign = 1.0 if better == "lower" else -1.0
    ordered = sorted(scores, key=lambda s: (sign * s.number, s.paper, s.position))
    rows: list[list[Any]] = []
    for k, score in enumerate(ordered):
        rank = rows[-1][2] if k and ordered[k - 1].number == score.number else k + 1
        rows.append([score.paper, score.position, rank])
    return [metric, unit, better, rows]


def _number_text(value: object) -> str:
    """A number as short text (``80.1``, ``100``), empty for none."""
    number = _float(value)
    text = "" if number is None else repr(number)
    return text[:-2] if text.endswith(".0") else text


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
