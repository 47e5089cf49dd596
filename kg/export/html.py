"""Interactive HTML viewer: one self-contained file that opens from ``file://`` offline.

pyvis's own templates fetch vis-network and Bootstrap from CDNs, so a page
opened without a network stays blank. Here pyvis supplies the network data
model, its options object and the vis-network script and stylesheet it ships;
our template (``kg/data/viewer/``) inlines all of them together with our own
CSS and JavaScript for the legend, search, filters and side panel.

Positions are precomputed (seeded igraph layout) and physics, smooth edges and
vis-network's ``improvedLayout`` are off: those are what make a page with
thousands of nodes slow to load. The graph travels as JSON in a
``<script type="application/json">`` block with ``<``, ``>`` and ``&``
escaped, and the page builds every corpus string into the DOM as text, so a
hostile title shows literally and runs nothing. Output is byte-identical for
the same graph: sorted nodes and edges, no timestamps.
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Hashable, Iterable
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx

from kg.errors import DataFileError, GraphError
from kg.graph.layout import node_sizes, positions
from kg.palette import NODE_KINDS, load_palette
from kg.records import EDGE_TYPES
from kg.resources import data_path
from kg.textio import atomic_write

log = logging.getLogger(__name__)

VIEWER_FILES = ("viewer.html", "viewer.css", "viewer.js")
PAPER_LABEL_CHARS = 40
LARGE_GRAPH_EDGES = 3000
_SOURCE_MAP = re.compile(r"^\s*//[#@]\s*sourceMappingURL=.*$", re.MULTILINE)
_VERSION = re.compile(r"vis-(\d+(?:\.\d+)*)$")
# Characters that must not appear literally inside an inline <script> block.
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


def write(
    graph: nx.MultiDiGraph,
    path: str | Path,
    *,
    title: str | None = None,
    seed: int = 7,
    **options: Any,
) -> Path:
    """Write the viewer for ``graph`` to ``path`` (one HTML file) and return the path.

    Options meant for other exporters (``projection`` and the like) are accepted
    and ignored, so ``kg build`` can pass one set of options to every writer.
    """
    if options:
        log.debug("html export ignores options: %s", ", ".join(sorted(options)))
    target = Path(path)
    page = render(graph, title=title, seed=seed)
    try:
        with atomic_write(target) as handle:
            handle.write(page)
    except OSError as err:
        raise GraphError(f"{target}: cannot write the HTML viewer: {err}") from err
    return target


def render(graph: nx.MultiDiGraph, *, title: str | None = None, seed: int = 7) -> str:
    """The complete HTML page for ``graph`` as a string."""
    import jinja2

    page_title = title or _default_title(graph)
    payload = viewer_payload(graph, title=page_title, seed=seed)
    vis_js, vis_css = vis_network_assets()
    template_text, viewer_css, viewer_js = (_viewer_file(name) for name in VIEWER_FILES)
    for name, text, closing in (
        ("viewer.css", viewer_css, "</style"),
        ("viewer.js", viewer_js, "</script"),
    ):
        _check_inline(name, text, closing)
    env = jinja2.Environment(autoescape=True, keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
    template = env.from_string(template_text)
    return template.render(
        title=page_title,
        vis_css=_markup(vis_css),
        vis_js=_markup(vis_js),
        viewer_css=_markup(viewer_css),
        viewer_js=_markup(viewer_js),
        data=_markup(script_json(payload)),
    )


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
            sentence = _text(item.get("sentence"))
            if not sentence:
                continue
            if sentence not in sentence_index:
                sentence_index[sentence] = len(sentences)
                sentences.append(sentence)
            paper = _paper_index(item.get("paper"), index, source)
            rows.append([paper, sentence_index[sentence], _text(item.get("rule")), _float(item.get("confidence"))])
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


def vis_network_assets() -> tuple[str, str]:
    """vis-network's script and stylesheet as shipped inside the installed pyvis.

    The newest ``templates/lib/vis-<version>`` folder wins. The source-map
    comment is dropped: it names a file that is not there.
    """
    lib = Path(str(resources.files("pyvis") / "templates" / "lib"))
    candidates = []
    for folder in lib.glob("vis-*") if lib.is_dir() else []:
        match = _VERSION.match(folder.name)
        if match and (folder / "vis-network.min.js").is_file() and (folder / "vis-network.css").is_file():
            candidates.append((tuple(int(p) for p in match.group(1).split(".")), folder))
    if not candidates:
        raise DataFileError(f"{lib}: no vis-<version>/vis-network.min.js in the installed pyvis")
    folder = max(candidates)[1]
    script = _SOURCE_MAP.sub("", (folder / "vis-network.min.js").read_text(encoding="utf-8"))
    style = (folder / "vis-network.css").read_text(encoding="utf-8")
    _check_inline(str(folder / "vis-network.min.js"), script, "</script")
    _check_inline(str(folder / "vis-network.css"), style, "</style")
    return script, style


def script_json(data: object) -> str:
    """JSON that is safe verbatim inside ``<script type="application/json">``.

    ASCII-only output turns U+2028/U+2029 and lone surrogates into ``\\u`` escapes;
    ``<``, ``>`` and ``&`` are escaped too, so no ``</script>`` or ``<!--`` can appear.
    """
    text = json.dumps(data, ensure_ascii=True, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return re.sub(r"[<>&]", lambda m: _SCRIPT_ESCAPES[m.group(0)], text)


def _markup(text: str) -> Any:
    from markupsafe import Markup

    return Markup(text)


def _viewer_file(name: str) -> str:
    source = data_path("viewer", name)
    try:
        return source.read_text(encoding="utf-8")
    except OSError as err:
        raise DataFileError(f"{source}: cannot read viewer asset: {err}") from err


def _check_inline(where: str, text: str, closing: str) -> None:
    """An inlined asset must not close its own element or open an HTML comment."""
    lowered = text.lower()
    for bad in (closing, "<!--"):
        if bad in lowered:
            raise DataFileError(f"{where}: cannot be inlined, it contains {bad!r}")


def _default_title(graph: nx.MultiDiGraph) -> str:
    name = _text(graph.graph.get("name")) or "kg"
    return f"{name}: knowledge graph"


def _kind(attrs: dict[str, Any]) -> str:
    return _text(attrs.get("kind")) or "Paper"


def _display_label(node: Hashable, attrs: dict[str, Any], kind: str) -> str:
    """Short canvas label: paper titles are cut so labels stay compact; the panel shows them whole."""
    label = " ".join((_text(attrs.get("label")) or _text(attrs.get("title")) or _text(attrs.get("name")) or str(node)).split())
    if kind == "Paper" and len(label) > PAPER_LABEL_CHARS:
        label = label[: PAPER_LABEL_CHARS - 1].rstrip() + "\u2026"
    return label


def _node_details(node: Hashable, attrs: dict[str, Any], kind: str) -> dict[str, Any]:
    """What the side panel shows for one node; only plain strings, numbers and lists."""
    label = _text(attrs.get("label")) or _text(attrs.get("title")) or _text(attrs.get("name")) or str(node)
    if kind == "Paper":
        title = _text(attrs.get("title")) or label
        abstract = _text(attrs.get("abstract"))
        return {
            "id": str(node),
            "title": title,
            "abstract": abstract,
            "date": _text(attrs.get("date")) or None,
            "authors": _strings(attrs.get("authors")),
            "authorCount": _optional_int(attrs.get("author_count")),
            "organisation": _text(attrs.get("organisation")) or None,
            "upvotes": _optional_int(attrs.get("upvotes")),
            "links": _strings(attrs.get("links")),
            "sources": _strings(attrs.get("sources")),
            "mentions": _mentions(attrs.get("mentions"), {"title": title, "abstract": abstract}),
        }
    return {
        "id": str(node),
        "label": label,
        "key": _text(attrs.get("key")) or str(node).removeprefix("entity:"),
        "name": _text(attrs.get("name")) or label,
        "aliases": _strings(attrs.get("aliases")),
        "acronym": _text(attrs.get("acronym")) or None,
        "paperCount": _optional_int(attrs.get("paper_count")),
        "mentionCount": _optional_int(attrs.get("mention_count")),
    }


def _mentions(value: object, texts: dict[str, str]) -> list[list[Any]]:
    """Highlight spans ``[field, start, end, type, key]``, sorted, in range and not overlapping."""
    spans = []
    for item in value if isinstance(value, list) else []:
        if not isinstance(item, dict):
            continue
        field = _text(item.get("field"))
        start, end = _optional_int(item.get("start")), _optional_int(item.get("end"))
        if field not in texts or start is None or end is None or not 0 <= start < end <= len(texts[field]):
            continue
        spans.append([field, start, end, _text(item.get("type")), _text(item.get("key"))])
    spans.sort(key=lambda s: (s[0], s[1], -s[2], s[3], s[4]))
    kept: list[list[Any]] = []
    for span in spans:
        if kept and kept[-1][0] == span[0] and span[1] < kept[-1][2]:
            continue
        kept.append(span)
    return kept


def _paper_index(value: object, index: dict[Hashable, int], source: Hashable) -> int:
    """Node index of the paper an evidence sentence comes from (-1 when unknown)."""
    name = _text(value)
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


def _text(value: object) -> str:
    return value if isinstance(value, str) else ("" if value is None else str(value))


def _strings(value: object) -> list[str]:
    items: Iterable[object] = value if isinstance(value, (list, tuple)) else ([] if value in (None, "") else [value])
    return [_text(item) for item in items if _text(item)]


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
