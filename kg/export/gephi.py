"""What the GraphML and GEXF exporters share: the export graph with metrics, layout and
colours, the warnings a projection gives, and the loop that writes a document.

``prepare`` projects, flattens, and adds degree, PageRank, community,
seeded positions, sizes and palette colours. The layout is the costly step
and ``kg build`` writes GraphML and GEXF of the same graph, so metrics and
layout are cached by a digest of the export graph's structure and the
second format reuses the first one's.
"""

from __future__ import annotations

import hashlib
import warnings
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import networkx as nx

from kg.errors import GraphError
from kg.export.flatten import clean_text, edge_rows, flatten
from kg.graph.layout import node_sizes, positions
from kg.graph.metrics import DEFAULT_SEED, communities, degrees, pagerank
from kg.graph.projection import project
from kg.palette import hex_to_rgb, load_palette
from kg.report import RunReport
from kg.textio import atomic_write

# Metrics and layout of the last few projections, by a digest of their structure:
# ``kg build`` writes GraphML and GEXF of the same graph, and the layout is
# the costly step, so the second writer reuses the first one's.
_COMPUTED: OrderedDict[str, dict[str, dict[str, Any]]] = OrderedDict()
_COMPUTED_SIZE = 4


def _structure_digest(graph: nx.Graph, seed: int) -> str:
    """A digest of everything metrics and layout depend on: node ids, edges, weights, seed."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(f"{seed}|{graph.is_directed()}|{graph.is_multigraph()}\n".encode())
    for node in graph.nodes:
        digest.update(f"{node}\n".encode())
    for u, v, data in edge_rows(graph):
        digest.update(f"{u}\t{v}\t{data.get('weight')}\n".encode())
    return digest.hexdigest()


def _computed(graph: nx.Graph, seed: int) -> dict[str, dict[str, Any]]:
    key = _structure_digest(graph, seed)
    if key in _COMPUTED:
        _COMPUTED.move_to_end(key)
        return _COMPUTED[key]
    values = {
        "degree": degrees(graph),
        "pagerank": pagerank(graph),
        "community": communities(graph, seed=seed),
        "position": positions(graph, seed=seed),
        "size": node_sizes(graph),
    }
    _COMPUTED[key] = values
    while len(_COMPUTED) > _COMPUTED_SIZE:
        _COMPUTED.popitem(last=False)
    return values


def clear_cache() -> None:
    """Forget cached metrics and layouts (for timing runs; results do not change)."""
    _COMPUTED.clear()


def prepare(
    graph: nx.MultiDiGraph,
    projection: str = "bipartite",
    *,
    seed: int = DEFAULT_SEED,
    hub_limit: int | None = None,
) -> nx.Graph:
    """The export graph: projection, metrics, seeded layout, sizes by degree, palette colours."""
    out = flatten(project(graph, projection, hub_limit=hub_limit), projection)
    out.graph["name"] = clean_text(str(graph.graph.get("name") or "kg")) or "kg"
    computed = _computed(out, seed)
    palette = load_palette()
    for node, data in out.nodes(data=True):
        data["degree"] = computed["degree"][node]
        data["pagerank"] = computed["pagerank"][node]
        data["community"] = computed["community"][node]
        data["x"], data["y"] = computed["position"][node]
        data["size"] = computed["size"][node]
        data["color"] = palette.node(data["kind"]).rgb
    for _, _, data in out.edges(data=True):
        data["color"] = hex_to_rgb(palette.edge(data["relation"]))
    return out


def description(export: nx.Graph) -> str:
    """One line saying which projection this is and what its weights mean."""
    projection = export.graph.get("projection", "bipartite")
    text = {
        "bipartite": "papers and entities with typed edges; weight = evidence sentences",
        "entities": "entities linked when papers share them; weight = shared papers",
        "papers": "papers linked when they share entities; weight = shared entities",
    }.get(str(projection), str(projection))
    text = f"{export.graph.get('name', 'kg')} {projection} projection: {text}"
    if projection == "papers":
        text += (
            f" ({export.graph['hubs_skipped']} entities in more than {export.graph['hub_limit']}"
            " papers not counted as shared)"
        )
    return text


def report_export(export: nx.Graph, path: Path | str, options: dict[str, object], report: RunReport | None) -> None:
    """Report ignored options and hub entities a paper projection left out."""
    messages = [f"option {name!r} does not apply to this format; ignored" for name in sorted(options)]
    if export.graph.get("hubs_skipped"):
        hubs = export.graph["hubs"]
        shown = ", ".join(hubs[:10]) + (", ..." if len(hubs) > 10 else "")
        messages.append(
            f"papers projection: {len(hubs)} entities in more than {export.graph['hub_limit']}"
            f" papers were not counted as shared: {shown}"
        )
    for message in messages:
        if report is not None:
            report.warn("export", path, None, message)
        else:
            warnings.warn(f"{path}: {message}", stacklevel=3)


def write_lines(lines: Iterable[str], path: Path | str, what: str) -> Path:
    """Write a document line by line; the file appears only when complete (a failed write
    leaves the previous one)."""
    try:
        with atomic_write(path) as handle:
            for line in lines:
                handle.write(line)
                handle.write("\n")
    except OSError as err:
        raise GraphError(f"{path}: cannot write {what}: {err}") from err
    return Path(path)


def writer(generate: Callable[[nx.Graph], Iterable[str]], what: str) -> Callable[..., Path]:
    """The ``write`` function of a Gephi format whose document ``generate`` yields line by line."""

    def write(
        graph: nx.MultiDiGraph,
        path: Path | str,
        *,
        projection: str = "bipartite",
        seed: int = DEFAULT_SEED,
        hub_limit: int | None = None,
        report: RunReport | None = None,
        **options: object,
    ) -> Path:
        prepared = prepare(graph, projection, seed=seed, hub_limit=hub_limit)
        report_export(prepared, path, options, report)
        return write_lines(generate(prepared), path, what)

    write.__doc__ = f"""Write ``graph`` (the ``kg.graph.build`` contract) as Gephi-ready {what}.

        ``projection`` is ``bipartite``, ``entities`` or ``papers``; ``hub_limit``
        applies to ``papers``; ``seed`` fixes layout and communities; warnings
        (skipped hub entities, options meant for other formats) go to ``report``
        when given. Returns the path written.
        """
    return write
