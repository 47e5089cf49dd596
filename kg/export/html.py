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
import re
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx

from kg.errors import DataFileError, GraphError
from kg.export.viewer_payload import display_text, viewer_payload
from kg.resources import data_path
from kg.textio import atomic_write

log = logging.getLogger(__name__)

VIEWER_FILES = ("viewer.html", "viewer.css", "viewer.js")
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
    name = display_text(graph.graph.get("name")) or "kg"
    return f"{name}: knowledge graph"
