"""GEXF 1.3 for Gephi: positions, sizes and colours in ``viz:``, typed attribute columns.

Gephi reads ``viz:position``/``viz:size``/``viz:color`` as the layout and
appearance, the edge ``weight`` and ``label`` XML attributes as its own, and
the GEXF 1.3 edge ``kind`` as the edge type, which keeps parallel edges of
different types (a paper that both proposes and evaluates on something)
apart. Values are flat scalars (see :mod:`kg.graph.projection`) in sorted
order with fixed number formatting, and ``meta`` carries no date, so the
same graph always gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import networkx as nx

from kg.errors import GraphError
from kg.graph.metrics import DEFAULT_SEED
from kg.graph.projection import (
    Column,
    description,
    edge_columns,
    edge_rows,
    format_number,
    node_columns,
    prepare,
    report_export,
)
from kg.report import RunReport
from kg.textio import atomic_write

VERSION = "1.3"
NS_GEXF = "http://gexf.net/1.3"
NS_VIZ = "http://gexf.net/1.3/viz"
NS_XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{NS_GEXF} http://gexf.net/1.3/gexf.xsd"
# GEXF's names for the export column types.
GEXF_TYPES = {"string": "string", "int": "integer", "double": "double", "boolean": "boolean"}


def _attr(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return format_number(value)
    return escape(str(value), {'"': "&quot;"})


def _attributes(domain: str, columns: list[Column]) -> Iterator[str]:
    if not columns:
        return
    yield f'    <attributes class="{domain}" mode="static">'
    for column in columns:
        yield f'      <attribute id="{column.name}" title="{column.name}" type="{GEXF_TYPES[column.type]}"/>'
    yield "    </attributes>"


def _attvalues(data: dict[str, Any], columns: list[Column], indent: str) -> Iterator[str]:
    present = [column for column in columns if column.name in data]
    if not present:
        return
    yield f"{indent}<attvalues>"
    for column in present:
        yield f'{indent}  <attvalue for="{column.name}" value="{_attr(data[column.name])}"/>'
    yield f"{indent}</attvalues>"


def _color(rgb: tuple[int, int, int]) -> str:
    r, g, b = rgb
    return f'<viz:color r="{r}" g="{g}" b="{b}"/>'


def generate(export: nx.Graph) -> Iterator[str]:
    """Lines of the GEXF 1.3 document for an export graph from :func:`kg.graph.projection.prepare`."""
    nodes = node_columns(export)
    edges = edge_columns(export)
    direction = "directed" if export.is_directed() else "undirected"
    yield '<?xml version="1.0" encoding="UTF-8"?>'
    yield (
        f'<gexf xmlns="{NS_GEXF}" xmlns:viz="{NS_VIZ}" xmlns:xsi="{NS_XSI}"'
        f' xsi:schemaLocation="{SCHEMA_LOCATION}" version="{VERSION}">'
    )
    yield "  <meta>"
    yield "    <creator>kg</creator>"
    yield f"    <description>{escape(description(export))}</description>"
    yield "  </meta>"
    yield f'  <graph mode="static" defaultedgetype="{direction}">'
    yield from _attributes("node", nodes)
    yield from _attributes("edge", edges)
    yield "    <nodes>"
    for node, data in export.nodes(data=True):
        yield f'      <node id="{_attr(node)}" label="{_attr(data["label"])}">'
        yield from _attvalues(data, nodes, "        ")
        yield f"        {_color(data['color'])}"
        yield f'        <viz:position x="{_attr(data["x"])}" y="{_attr(data["y"])}" z="0"/>'
        yield f'        <viz:size value="{_attr(data["size"])}"/>'
        yield "      </node>"
    yield "    </nodes>"
    yield "    <edges>"
    for number, (u, v, data) in enumerate(edge_rows(export)):
        yield (
            f'      <edge id="e{number}" source="{_attr(u)}" target="{_attr(v)}"'
            f' label="{_attr(data["label"])}" kind="{_attr(data["relation"])}" weight="{_attr(data["weight"])}">'
        )
        yield from _attvalues(data, edges, "        ")
        yield f"        {_color(data['color'])}"
        yield "      </edge>"
    yield "    </edges>"
    yield "  </graph>"
    yield "</gexf>"


def write_export(export: nx.Graph, path: Path | str) -> Path:
    """Write an already prepared export graph (so GraphML and GEXF can share one preparation).

    The file appears only when complete: a failed write leaves the previous one.
    """
    try:
        with atomic_write(path) as handle:
            for line in generate(export):
                handle.write(line)
                handle.write("\n")
    except OSError as err:
        raise GraphError(f"{path}: cannot write GEXF: {err}") from err
    return Path(path)


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
    """Write ``graph`` (the ``kg.graph.build`` contract) as Gephi-ready GEXF 1.3.

    ``projection`` is ``bipartite``, ``entities`` or ``papers``; ``hub_limit``
    applies to ``papers``; warnings (skipped hub entities, options meant for
    other formats) go to ``report`` when given. Returns the path written.
    """
    export = prepare(graph, projection, seed=seed, hub_limit=hub_limit)
    report_export(export, path, options, report)
    return write_export(export, path)
