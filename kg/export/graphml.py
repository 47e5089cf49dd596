"""GraphML for Gephi (and yEd, igraph, networkx): laid out, coloured, typed.

Gephi's GraphML importer maps node keys ``label``, ``x``, ``y``, ``size``,
``r``, ``g``, ``b`` and edge keys ``label``, ``weight``, ``r``, ``g``, ``b``
to its own properties, matching a key's id before its ``attr.name``, and it
reads the ids ``d3``/``d7`` as yEd's label keys. So keys get readable ids
(never networkx's numbered ``d0``, ``d1``, ...): node keys are named as their
attribute, edge keys ``edge_<name>`` with the plain ``attr.name``, which Gephi
matches just the same. Every key says ``for`` and ``attr.type``; values are
flat scalars (see :mod:`kg.export.flatten`), written in sorted order with
fixed number formatting, so the same graph always gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from xml.sax.saxutils import escape

import networkx as nx

from kg.export.flatten import Column, edge_columns, edge_rows, format_number, node_columns
from kg.export.gephi import description, writer

NS_GRAPHML = "http://graphml.graphdrawing.org/xmlns"
NS_XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{NS_GRAPHML} http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"
# attr.type per export column type (GraphML's own names).
GRAPHML_TYPES = {"string": "string", "int": "int", "double": "double", "boolean": "boolean"}
# Gephi's visual keys, after the data columns: name, type.
NODE_VISUAL = (("x", "float"), ("y", "float"), ("size", "float"), ("r", "int"), ("g", "int"), ("b", "int"))
EDGE_VISUAL = (("r", "int"), ("g", "int"), ("b", "int"))
EDGE_KEY_PREFIX = "edge_"


def _attr(value: str) -> str:
    return escape(value, {'"': "&quot;"})


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return format_number(value)
    return escape(str(value))


def _key(key_id: str, domain: str, name: str, type_: str) -> str:
    return f'  <key id="{key_id}" for="{domain}" attr.name="{name}" attr.type="{type_}"/>'


def _node_keys(columns: list[Column]) -> list[tuple[str, str, str]]:
    """(key id, attribute name, attr.type) for node keys, label first."""
    keys = [("label", "label", "string")]
    keys += [(c.name, c.name, GRAPHML_TYPES[c.type]) for c in columns]
    keys += [(name, name, type_) for name, type_ in NODE_VISUAL]
    return keys


def _edge_keys(columns: list[Column]) -> list[tuple[str, str, str]]:
    keys = [("label", "string"), ("weight", "double")]
    keys += [(c.name, GRAPHML_TYPES[c.type]) for c in columns]
    keys += list(EDGE_VISUAL)
    return [(EDGE_KEY_PREFIX + name, name, type_) for name, type_ in keys]


def _values(data: dict[str, Any]) -> dict[str, Any]:
    """Row values with ``color`` split into Gephi's ``r``/``g``/``b``."""
    values = {k: v for k, v in data.items() if k != "color"}
    values["r"], values["g"], values["b"] = data["color"]
    return values


def generate(export: nx.Graph) -> Iterator[str]:
    """Lines of the GraphML document for an export graph from :func:`kg.export.gephi.prepare`."""
    node_keys = _node_keys(node_columns(export))
    edge_keys = _edge_keys(edge_columns(export))
    yield '<?xml version="1.0" encoding="UTF-8"?>'
    yield f'<graphml xmlns="{NS_GRAPHML}" xmlns:xsi="{NS_XSI}" xsi:schemaLocation="{SCHEMA_LOCATION}">'
    for key_id, name, type_ in node_keys:
        yield _key(key_id, "node", name, type_)
    for key_id, name, type_ in edge_keys:
        yield _key(key_id, "edge", name, type_)
    projection = str(export.graph.get("projection", "bipartite"))
    direction = "directed" if export.is_directed() else "undirected"
    yield f'  <graph id="{_attr(projection)}" edgedefault="{direction}">'
    yield f"    <desc>{_text(description(export))}</desc>"
    for node, data in export.nodes(data=True):
        values = _values(data)
        yield f'    <node id="{_attr(node)}">'
        for key_id, name, _ in node_keys:
            if name in values:
                yield f'      <data key="{key_id}">{_text(values[name])}</data>'
        yield "    </node>"
    for number, (u, v, data) in enumerate(edge_rows(export)):
        values = _values(data)
        yield f'    <edge id="e{number}" source="{_attr(u)}" target="{_attr(v)}">'
        for key_id, name, _ in edge_keys:
            if name in values:
                yield f'      <data key="{key_id}">{_text(values[name])}</data>'
        yield "    </edge>"
    yield "  </graph>"
    yield "</graphml>"


write = writer(generate, "GraphML")
