"""The graph as Gephi users analyse it: flat, typed, laid out, in one of three projections.

The in-memory graph holds lists, dicts and None (authors, evidence, missing
dates); GraphML and GEXF cannot, and Gephi's importers choke on them. This
module turns the MultiDiGraph into an *export graph* that both writers
serialise as is:

- every value is a ``str``, ``int``, ``float`` or ``bool`` of a declared
  :class:`Column` type; lists are ``"; "``-joined, missing values are omitted;
- strings carry no character XML 1.0 forbids (they are removed) and no
  line breaks (every whitespace run becomes one space), so they survive
  XML attributes and text alike;
- node ids are NMTOKEN-safe (GraphML requires it), nodes and edges are in
  sorted order, and every node has ``label``, ``x``, ``y``, ``size`` and
  ``color``, every edge ``label``, ``weight`` and ``color``.

Projections:

- ``bipartite``: papers and entities with every typed edge (a MultiDiGraph,
  parallel edges of different types kept);
- ``entities``: entities linked when papers share them, ``weight`` = number
  of shared papers, ``jaccard`` = shared / papers of either;
- ``papers``: papers linked when they share entities, ``weight`` = number of
  shared entities, ``jaccard`` = shared / entities of either. Entities found
  in more than ``hub_limit`` papers are left out of this count: they would
  link almost every pair and make the graph quadratic in the corpus size
  (the default limit keeps it at most 20 pairs per paper).
"""

from __future__ import annotations

import hashlib
import math
import re
import warnings
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

import networkx as nx

from kg.errors import GraphError, UsageError
from kg.graph.layout import node_sizes, positions
from kg.graph.metrics import DEFAULT_SEED, communities, degrees, pagerank
from kg.palette import hex_to_rgb, load_palette
from kg.report import RunReport

PROJECTIONS = ("bipartite", "entities", "papers")
COOCCURS = "cooccurs"
SIMILAR = "similar"
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
)
# Graph attribute -> export column, for the attributes copied straight over.
_NODE_SOURCES = {
    "kind": "kind", "name": "name", "key": "entity_key", "aliases": "aliases",
    "acronym": "acronym", "paper_count": "paper_count", "mention_count": "mention_count",
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


def _is_paper(node: Hashable, data: dict[str, Any]) -> bool:
    return data.get("kind") == "Paper" or (data.get("kind") is None and str(node).startswith("paper:"))


def _node_row(node: Hashable, data: dict[str, Any]) -> dict[str, Any]:
    where = f"node {node}"
    row: dict[str, Any] = {}
    for source, column in _NODE_SOURCES.items():
        value = coerce(data.get(source), _TYPES[column], f"{where} attribute {source!r}")
        if value is not None:
            row[column] = value
    if "kind" not in row:
        row["kind"] = "Paper" if _is_paper(node, data) else "Entity"
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
    return row


def _add_nodes(out: nx.Graph, graph: nx.MultiDiGraph, nodes: Iterable[Hashable]) -> dict[Hashable, str]:
    """Add rows for ``nodes`` in sorted export-id order; return node -> export id."""
    ids = {node: export_id(node) for node in nodes}
    if len(set(ids.values())) != len(ids):
        raise GraphError("two node ids map to the same export id; node ids must be distinct strings")
    for node in sorted(ids, key=ids.__getitem__):
        out.add_node(ids[node], **_node_row(node, graph.nodes[node]))
    return ids


def _paper_entities(graph: nx.MultiDiGraph) -> tuple[list[Hashable], list[Hashable], dict[Hashable, set[Hashable]]]:
    """Papers, entities, and each paper's set of linked entities (any edge type, either direction)."""
    papers = sorted((n for n, d in graph.nodes(data=True) if _is_paper(n, d)), key=str)
    paper_set = set(papers)
    entities = sorted((n for n in graph.nodes if n not in paper_set), key=str)
    linked: dict[Hashable, set[Hashable]] = {paper: set() for paper in papers}
    for u, v in graph.edges():
        if u in paper_set and v not in paper_set:
            linked[u].add(v)
        elif v in paper_set and u not in paper_set:
            linked[v].add(u)
    return papers, entities, linked


def bipartite(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Every node and every typed edge, flattened (parallel edges of different types kept)."""
    out = nx.MultiDiGraph(projection="bipartite")
    ids = _add_nodes(out, graph, graph.nodes)
    rows = []
    for u, v, key, data in graph.edges(keys=True, data=True):
        row = _edge_row(u, v, key, data)
        rows.append((ids[u], ids[v], row["relation"], row))
    rows.sort(key=lambda item: item[:3])
    for u, v, relation, row in rows:
        if out.has_edge(u, v, relation):
            raise GraphError(f"two {relation!r} edges from {u} to {v}; edge keys must be the edge type")
        out.add_edge(u, v, key=relation, **row)
    return out


def _pair_edges(out: nx.Graph, counts: dict[tuple[str, str], int], sizes: dict[str, int], relation: str) -> None:
    for (a, b) in sorted(counts):
        shared = counts[(a, b)]
        union = sizes[a] + sizes[b] - shared
        out.add_edge(
            a, b, label=relation, relation=relation, weight=float(shared),
            jaccard=round(shared / union, 6) if union else 0.0,
        )


def entities(graph: nx.MultiDiGraph) -> nx.Graph:
    """Entity co-occurrence: entities linked when papers share them, weight = shared papers.

    Cost is the sum over papers of (entities per paper)²/2 pair increments.
    """
    papers, entity_nodes, linked = _paper_entities(graph)
    out = nx.Graph(projection="entities")
    ids = _add_nodes(out, graph, entity_nodes)
    counts: dict[tuple[str, str], int] = defaultdict(int)
    sizes: dict[str, int] = defaultdict(int)
    for paper in papers:
        members = sorted(ids[entity] for entity in linked[paper])
        for member in members:
            sizes[member] += 1
        for pair in combinations(members, 2):
            counts[pair] += 1
    _pair_edges(out, counts, sizes, COOCCURS)
    return out


PAIRS_PER_PAPER = 20


def default_hub_limit(paper_counts: Iterable[int], papers: int, *, pairs_per_paper: int = PAIRS_PER_PAPER) -> int:
    """The largest paper count an entity may have and still count as shared.

    Each entity in ``k`` papers adds ``k(k-1)/2`` paper pairs. Entities are
    admitted from the rarest up, a whole count at a time, while the pairs stay
    within ``pairs_per_paper`` × papers (at most 200,000 increments, and as
    many edges, at 10,000 papers): the ones left out are the hubs ("accuracy",
    "Transformer") that would link almost every pair of papers.
    """
    by_count: dict[int, int] = defaultdict(int)
    for count in paper_counts:
        by_count[count] += 1
    budget = pairs_per_paper * papers
    limit, used = 1, 0
    for count in sorted(by_count):
        used += by_count[count] * count * (count - 1) // 2
        if used > budget:
            break
        limit = count
    return max(limit, 1)


def papers(graph: nx.MultiDiGraph, *, hub_limit: int | None = None) -> nx.Graph:
    """Paper similarity: papers linked when they share entities, weight = shared entities.

    Entities in more than ``hub_limit`` papers (default: :func:`default_hub_limit`,
    which keeps the pair count linear in the corpus) are skipped; which ones
    is stored in ``graph.graph["hubs"]``.
    """
    paper_nodes, _, linked = _paper_entities(graph)
    out = nx.Graph(projection="papers")
    ids = _add_nodes(out, graph, paper_nodes)
    if hub_limit is not None and hub_limit < 2:
        raise UsageError(f"hub_limit must be at least 2 (two papers make a pair), found {hub_limit}")
    holders: dict[Hashable, list[str]] = defaultdict(list)
    for paper in paper_nodes:
        for entity in linked[paper]:
            holders[entity].append(ids[paper])
    if hub_limit is None:
        limit = default_hub_limit((len(members) for members in holders.values()), len(paper_nodes))
    else:
        limit = hub_limit
    hubs = sorted((entity for entity, members in holders.items() if len(members) > limit), key=str)
    skipped = set(hubs)
    counts: dict[tuple[str, str], int] = defaultdict(int)
    sizes: dict[str, int] = defaultdict(int)
    for entity in sorted(holders, key=str):
        if entity in skipped:
            continue
        members = sorted(holders[entity])
        for member in members:
            sizes[member] += 1
        for pair in combinations(members, 2):
            counts[pair] += 1
    _pair_edges(out, counts, sizes, SIMILAR)
    out.graph.update(hub_limit=limit, hubs_skipped=len(hubs), hubs=[str(hub) for hub in hubs])
    return out


PROJECTORS: dict[str, Callable[[nx.MultiDiGraph, int | None], nx.Graph]] = {
    "bipartite": lambda graph, hub_limit: bipartite(graph),
    "entities": lambda graph, hub_limit: entities(graph),
    "papers": lambda graph, hub_limit: papers(graph, hub_limit=hub_limit),
}


def project(graph: nx.MultiDiGraph, projection: str = "bipartite", *, hub_limit: int | None = None) -> nx.Graph:
    """The flattened graph of one projection (no metrics or layout yet)."""
    if projection not in PROJECTORS:
        raise UsageError(f"unknown projection {projection!r}; expected one of: {', '.join(PROJECTIONS)}")
    return PROJECTORS[projection](graph, hub_limit)


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
    out = project(graph, projection, hub_limit=hub_limit)
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
