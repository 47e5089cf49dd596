"""A projection made flat for GraphML and GEXF: typed scalar columns, XML-safe text, safe ids.

The in-memory graph holds lists, dicts and None (authors, evidence, missing
dates); GraphML and GEXF cannot, and Gephi's importers choke on them.
``flatten`` turns a projection (``kg.graph.projection``) into an *export
graph* that both writers serialise as is:

- every value is a ``str``, ``int``, ``float`` or ``bool`` of a declared
  :class:`Column` type; lists are ``"; "``-joined, missing values are omitted;
- strings carry no character XML 1.0 forbids (they are removed) and no
  line breaks (every whitespace run becomes one space), so they survive
  XML attributes and text alike;
- node ids are NMTOKEN-safe (GraphML requires it), nodes and edges are in
  sorted order, and every node has ``label``, every edge ``label``,
  ``relation`` and ``weight``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import networkx as nx

from kg.errors import GraphError
from kg.graph.projection import is_paper

JOINER = "; "


@dataclass(frozen=True, slots=True)
class Column:
    """One typed attribute column: ``type`` is ``string``, ``int``, ``double`` or ``boolean``."""

    name: str
    type: str


# Data columns in the order they are declared; a column is declared only when
# some node or edge has a value for it. label/weight/x/y/size/color are not
# columns: each format has its own place for them.
NODE_COLUMNS: tuple[Column, ...] = (
    Column("kind", "string"),
    Column("name", "string"),
    Column("entity_key", "string"),
    Column("aliases", "string"),
    Column("acronym", "string"),
    Column("family", "string"),
    Column("paper_count", "int"),
    Column("mention_count", "int"),
    Column("paper_id", "string"),
    Column("title", "string"),
    Column("date", "string"),
    Column("year", "int"),
    Column("authors", "string"),
    Column("author_count", "int"),
    Column("organisation", "string"),
    Column("upvotes", "int"),
    Column("links", "string"),
    Column("categories", "string"),
    Column("degree", "int"),
    Column("pagerank", "double"),
    Column("community", "int"),
)


EDGE_COLUMNS: tuple[Column, ...] = (
    Column("relation", "string"),
    Column("confidence", "double"),
    Column("jaccard", "double"),
    Column("best_value", "double"),
    Column("best_metric", "string"),
    Column("best_unit", "string"),
)


# Graph attribute -> export column, for the attributes copied straight over.
_NODE_SOURCES = {
    "kind": "kind", "name": "name", "key": "entity_key", "aliases": "aliases",
    "acronym": "acronym", "family": "family", "paper_count": "paper_count",
    "mention_count": "mention_count",
    "title": "title", "date": "date", "authors": "authors", "author_count": "author_count",
    "organisation": "organisation", "upvotes": "upvotes", "links": "links",
    "categories": "categories",
}
_TYPES = {column.name: column.type for column in (*NODE_COLUMNS, *EDGE_COLUMNS)}
_TYPES.update({"label": "string", "weight": "double"})


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SPACE = re.compile(r"\s+")
_YEAR = re.compile(r"^(\d{4})(?:-|$)")
_ID_SAFE = re.compile(r"[A-Za-z0-9.:-]")


def clean_text(value: str) -> str:
    """Remove characters XML 1.0 forbids and collapse whitespace runs into one space."""
    return _SPACE.sub(" ", _NOT_XML.sub("", value)).strip()


def export_id(node: Hashable) -> str:
    """A GraphML-valid (NMTOKEN) id: ASCII letters, digits, ``.``, ``:``, ``-`` kept,
    every other byte of the UTF-8 form written as ``_XX`` (hex), so the mapping
    is one-to-one and ``entity:imagenet`` stays ``entity:imagenet``."""
    out = []
    for char in str(node):
        if _ID_SAFE.fullmatch(char):
            out.append(char)
        else:
            out.extend(f"_{byte:02X}" for byte in char.encode("utf-8"))
    return "".join(out) or "_"


def format_number(value: float | int) -> str:
    """Integers as is; floats with 6 significant digits (``-0`` written as ``0``)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return f"{float(value) + 0.0:.6g}"


def coerce(value: object, type_: str, where: str) -> str | int | float | bool | None:
    """``value`` as a scalar of ``type_``, or None when it is missing or empty.

    Lists become ``"; "``-joined strings; a dict, or text where a number is
    expected, is a :class:`GraphError` naming the node or edge.
    """
    if value is None:
        return None
    if isinstance(value, dict):
        raise GraphError(f"{where}: expected a {type_} value, found a mapping {sorted(value)!r}")
    if type_ == "string":
        if isinstance(value, (list, tuple, set, frozenset)):
            items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
            parts = [coerce(item, "string", where) for item in items]
            text = JOINER.join(str(part) for part in parts if part not in (None, ""))
        elif isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, (int, float)):
            if isinstance(value, float) and not math.isfinite(value):
                return None
            text = format_number(value)
        else:
            text = clean_text(str(value))
        return text or None
    if isinstance(value, (list, tuple, set, frozenset)):
        raise GraphError(f"{where}: expected a {type_} value, found a list {value!r}")
    if type_ == "boolean":
        if isinstance(value, bool):
            return value
        raise GraphError(f"{where}: expected true or false, found {value!r}")
    if isinstance(value, str):
        if not value.strip():
            return None
        try:
            value = float(value) if type_ == "double" else int(value)
        except ValueError as err:
            raise GraphError(f"{where}: expected a {type_} value, found {value!r}") from err
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise GraphError(f"{where}: expected a {type_} value, found {value!r}")
    if type_ == "int":
        if isinstance(value, float) and not value.is_integer():
            raise GraphError(f"{where}: expected a whole number, found {value!r}")
        return int(value)
    number = float(value)
    return number if math.isfinite(number) else None


def _node_row(node: Hashable, data: dict[str, Any]) -> dict[str, Any]:
    where = f"node {node}"
    row: dict[str, Any] = {}
    for source, column in _NODE_SOURCES.items():
        value = coerce(data.get(source), _TYPES[column], f"{where} attribute {source!r}")
        if value is not None:
            row[column] = value
    if "kind" not in row:
        row["kind"] = "Paper" if is_paper(node, data) else "Entity"
    if str(node).startswith("paper:"):
        row["paper_id"] = clean_text(str(node)[len("paper:"):]) or str(node)
    year = _YEAR.match(str(row.get("date", "")))
    if year:
        row["year"] = int(year.group(1))
    for name in ("label", "name", "title"):
        label = coerce(data.get(name), "string", f"{where} attribute {name!r}")
        if label:
            break
    row["label"] = label or clean_text(str(node)) or export_id(node)
    return row


def _edge_row(u: Hashable, v: Hashable, key: object, data: dict[str, Any]) -> dict[str, Any]:
    where = f"edge {u} -> {v} ({key})"
    relation = coerce(data.get("type", key), "string", f"{where} attribute 'type'") or "mentions"
    row: dict[str, Any] = {"label": relation, "relation": relation}
    weight = coerce(data.get("weight"), "double", f"{where} attribute 'weight'")
    row["weight"] = 1.0 if weight is None else weight
    confidence = coerce(data.get("confidence"), "double", f"{where} attribute 'confidence'")
    if confidence is not None:
        row["confidence"] = round(confidence, 6)
    for name in ("jaccard", "best_value", "best_metric", "best_unit"):
        value = coerce(data.get(name), _TYPES[name], f"{where} attribute {name!r}")
        if value not in (None, ""):
            row[name] = value
    return row


def flatten(projected: nx.Graph, projection: str) -> nx.Graph:
    """The export graph of a projection: nodes by sorted export id with flat rows, then
    edges in sorted order (a multigraph keeps its edge type as the key)."""
    out = projected.__class__(projection=projection)
    for name in ("hub_limit", "hubs_skipped", "hubs"):
        if name in projected.graph:
            out.graph[name] = projected.graph[name]
    ids = {node: export_id(node) for node in projected.nodes}
    if len(set(ids.values())) != len(ids):
        raise GraphError("two node ids map to the same export id; node ids must be distinct strings")
    for node in sorted(ids, key=ids.__getitem__):
        out.add_node(ids[node], **_node_row(node, projected.nodes[node]))
    if projected.is_multigraph():
        triples = projected.edges(keys=True, data=True)
    else:
        triples = ((u, v, None, data) for u, v, data in projected.edges(data=True))
    rows = []
    for u, v, key, data in triples:
        row = _edge_row(u, v, key, data)
        a, b = ids[u], ids[v]
        if not projected.is_directed() and b < a:
            a, b = b, a
        rows.append((a, b, row["relation"], row))
    rows.sort(key=lambda item: item[:3])
    for u, v, relation, row in rows:
        if out.is_multigraph():
            if out.has_edge(u, v, relation):
                raise GraphError(f"two {relation!r} edges from {u} to {v}; edge keys must be the edge type")
            out.add_edge(u, v, key=relation, **row)
        else:
            out.add_edge(u, v, **row)
    return out


def node_columns(graph: nx.Graph) -> list[Column]:
    """The data columns some node of an export graph has, in declaration order."""
    present = {name for _, data in graph.nodes(data=True) for name in data}
    return [column for column in NODE_COLUMNS if column.name in present]


def edge_columns(graph: nx.Graph) -> list[Column]:
    """The data columns some edge of an export graph has, in declaration order."""
    present = {name for *_, data in graph.edges(data=True) for name in data}
    return [column for column in EDGE_COLUMNS if column.name in present]


def edge_rows(graph: nx.Graph) -> list[tuple[str, str, dict[str, Any]]]:
    """Edges of an export graph as ``(source, target, data)``, sorted by source, target, type."""
    if graph.is_multigraph():
        rows = [(u, v, str(key), data) for u, v, key, data in graph.edges(keys=True, data=True)]
    else:
        rows = [(u, v, "", data) for u, v, data in graph.edges(data=True)]
    rows.sort(key=lambda row: row[:3])
    return [(u, v, data) for u, v, _, data in rows]
