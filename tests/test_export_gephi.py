"""GraphML and GEXF files for Gephi: golden files, schemas, read-back through other parsers, hostile text.

Where the schemas come from and what the structural checks cover: ``gephi_support``
and ``schemas/README.gephi.md``.
"""

from __future__ import annotations

import difflib
import math
import os
import re
from pathlib import Path

import igraph as ig
import networkx as nx
import pytest
from gephi_support import (
    FIXTURES,
    IGRAPH_TYPES,
    PYTHON_TYPES,
    G,
    V,
    X,
    as_gexf_12draft,
    extract_schemas,
    gexf_structure_errors,
    graphml_structure_errors,
    load_fixture,
    parse,
)
from lxml import etree

from kg.export import EXPORTERS, exporter
from kg.export import gexf as gexf_writer
from kg.export.flatten import clean_text, export_id
from kg.export.gephi import prepare
from kg.graph.projection import PROJECTIONS
from kg.palette import load_palette

GOLDEN = FIXTURES / "golden"
UPDATE = os.environ.get("KG_UPDATE_GOLDEN") == "1"

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
    return extract_schemas(tmp_path_factory.mktemp("xsd"))


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


# -- golden files ---------------------------------------------------------------------------


@pytest.mark.parametrize("projection", PROJECTIONS)
@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_export_gephi_golden_files(written: dict, projection: str, fmt: str) -> None:
    actual = written[(projection, fmt)].read_text(encoding="utf-8")
    golden = GOLDEN / f"{projection}.{fmt}"
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    expected = golden.read_text(encoding="utf-8")
    diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), str(golden), "written"))
    assert actual == expected, f"output differs from the golden file (KG_UPDATE_GOLDEN=1 rewrites it):\n{diff}"


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_export_gephi_output_does_not_depend_on_insertion_order(tmp_path: Path, fmt: str) -> None:
    exporter(fmt)(load_fixture(shuffle=11), tmp_path / f"shuffled.{fmt}")
    assert (tmp_path / f"shuffled.{fmt}").read_bytes() == (GOLDEN / f"bipartite.{fmt}").read_bytes()


def test_export_gephi_registry_names_the_writers() -> None:
    assert (EXPORTERS.get("graphml").module, EXPORTERS.get("graphml").attribute) == ("kg.export.graphml", "write")
    assert (EXPORTERS.get("gexf").module, EXPORTERS.get("gexf").attribute) == ("kg.export.gexf", "write")
    assert exporter("gephi") is gexf_writer.write


# -- schemas and structure ------------------------------------------------------------------


@pytest.mark.parametrize("projection", PROJECTIONS)
def test_export_gephi_graphml_validates_against_schema(written: dict, graphml_schema: etree.XMLSchema, projection: str) -> None:
    document = parse(written[(projection, "graphml")])
    assert graphml_schema.validate(document), graphml_schema.error_log
    assert graphml_structure_errors(document.getroot()) == []


@pytest.mark.parametrize("projection", PROJECTIONS)
def test_export_gephi_gexf_validates_structure_and_12_schema(
    written: dict, gexf12_schema: etree.XMLSchema, projection: str
) -> None:
    root = parse(written[(projection, "gexf")]).getroot()
    assert gexf_structure_errors(root) == []
    assert gexf12_schema.validate(as_gexf_12draft(root)), gexf12_schema.error_log


def test_export_gephi_structure_checks_catch_broken_files(written: dict) -> None:
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
def test_export_gephi_graphml_reads_back_in_networkx_and_igraph(written: dict, projection: str) -> None:
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
def test_export_gephi_gexf_reads_back_in_networkx_and_lxml(written: dict, projection: str) -> None:
    path = written[(projection, "gexf")]
    export = prepare(load_fixture(), projection)
    back = nx.read_gexf(path)
    assert (back.number_of_nodes(), back.number_of_edges()) == (export.number_of_nodes(), export.number_of_edges())
    assert back.is_directed() == export.is_directed()
    for node, data in back.nodes(data=True):
        expected = export.nodes[node]
        assert data["label"] == expected["label"]
        assert data["viz"]["color"] == dict(zip("rgb", expected["color"], strict=True), a=1.0)
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


def test_export_gephi_graphml_and_gexf_carry_the_same_values(written: dict) -> None:
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


def test_export_gephi_gephi_specific_keys(written: dict) -> None:
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
def test_export_gephi_hostile_labels_stay_well_formed_and_round_trip(
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


@pytest.mark.parametrize("projection", PROJECTIONS)
@pytest.mark.parametrize("nodes", [0, 1])
def test_export_gephi_tiny_graphs_stay_valid(
    tmp_path: Path, graphml_schema: etree.XMLSchema, projection: str, nodes: int
) -> None:
    graph = nx.MultiDiGraph(name="kg")
    if nodes:
        graph.add_node("paper:arxiv:1", kind="Paper", label="Alone", title="Alone", authors=[], links=[])
    for fmt in ("graphml", "gexf"):
        exporter(fmt)(graph, tmp_path / f"kg.{fmt}", projection=projection)
    document = parse(tmp_path / "kg.graphml")
    assert graphml_schema.validate(document), graphml_schema.error_log
    assert graphml_structure_errors(document.getroot()) == []
    assert gexf_structure_errors(parse(tmp_path / "kg.gexf").getroot()) == []
    expected = nodes if projection != "entities" else 0
    assert nx.read_graphml(tmp_path / "kg.graphml").number_of_nodes() == expected
    assert nx.read_gexf(tmp_path / "kg.gexf").number_of_nodes() == expected


def test_export_gephi_colours_come_from_the_palette_and_sizes_follow_degree(written: dict) -> None:
    palette = load_palette()
    back = nx.read_graphml(written[("bipartite", "graphml")])
    for _, data in back.nodes(data=True):
        assert (data["r"], data["g"], data["b"]) == palette.node(data["kind"]).rgb
    for *_, data in back.edges(data=True):
        assert f"#{data['r']:02x}{data['g']:02x}{data['b']:02x}" == palette.edge(data["relation"])
    by_degree = sorted((data["degree"], data["size"]) for _, data in back.nodes(data=True))
    assert [size for _, size in by_degree] == sorted(size for _, size in by_degree)
    assert by_degree[-1][1] == 40.0 and by_degree[0][1] == 5.0
