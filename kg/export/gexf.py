"""GEXF 1.3 for Gephi: positions, sizes and colours in ``viz:``, typed attribute columns.

Gephi reads ``viz:position``/``viz:size``/``viz:color`` as the layout and
appearance, the edge ``weight`` and ``label`` XML attributes as its own, and
the GEXF 1.3 edge ``kind`` as the edge type, which keeps parallel edges of
different types (a paper that both proposes and evaluates on something)
apart. Values are flat scalars (see :mod:`kg.export.flatten`) in sorted
order with fixed number formatting, and ``meta`` carries no date, so the
same graph always gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from xml.sax.saxutils import escape

import networkx as nx

from kg.export.flatten import Column, edge_columns, edge_rows, format_number, node_columns
from kg.export.gephi import description, writer

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
    """Lines of the GEXF 1.3 document for an export graph from :func:`kg.export.gephi.prepare`."""
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


write = writer(generate, "GEXF")
