"""The Gephi exports of the bundled sample corpus, through the real build."""

from __future__ import annotations

from pathlib import Path

import igraph as ig
import networkx as nx
import pytest
from gephi_support import (
    G,
    X,
    as_gexf_12draft,
    extract_schemas,
    gexf_structure_errors,
    graphml_structure_errors,
    parse,
)
from lxml import etree

import kg.graph.build
from kg.build import BuildOptions, RunSettings, run_build
from kg.export import exporter
from kg.graph.projection import project
from kg.report import RunReport

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, nx.MultiDiGraph, RunReport]:
    """``kg build`` of the sample corpus (GraphML and GEXF only), and the graph it exported."""
    output = tmp_path_factory.mktemp("corpus")
    captured: list[nx.MultiDiGraph] = []
    real = kg.graph.build.build_graph

    def capture(*args: object, **kwargs: object) -> nx.MultiDiGraph:
        captured.append(real(*args, **kwargs))
        return captured[-1]

    report = RunReport()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(kg.graph.build, "build_graph", capture)
        run_build([], output, BuildOptions(formats=("graphml", "gexf")), report, RunSettings(progress=False))
    (graph,) = captured
    return output, graph, report


@pytest.fixture(scope="module")
def schemas(tmp_path_factory: pytest.TempPathFactory) -> tuple[etree.XMLSchema, etree.XMLSchema]:
    directory = extract_schemas(tmp_path_factory.mktemp("xsd"))
    return (
        etree.XMLSchema(etree.parse(str(directory / "graphml.xsd"))),
        etree.XMLSchema(etree.parse(str(directory / "gexf.xsd"))),
    )


def test_export_gephi_corpus_build_writes_valid_files(built, schemas) -> None:
    output, graph, report = built
    graphml_schema, gexf_schema = schemas
    assert graph.number_of_nodes() > 1000 and graph.number_of_edges() > 1000
    document = parse(output / "kg.graphml")
    assert graphml_schema.validate(document), graphml_schema.error_log
    assert graphml_structure_errors(document.getroot()) == []
    root = parse(output / "kg.gexf").getroot()
    assert gexf_structure_errors(root) == []
    assert gexf_schema.validate(as_gexf_12draft(root)), gexf_schema.error_log
    assert not [w for w in report.warnings if w.kind == "export"]


def test_export_gephi_corpus_reads_back_with_the_same_counts(built) -> None:
    output, graph, _ = built
    counts = (graph.number_of_nodes(), graph.number_of_edges())
    back = nx.read_graphml(output / "kg.graphml")
    assert (back.number_of_nodes(), back.number_of_edges()) == counts
    other = ig.Graph.Read_GraphML(str(output / "kg.graphml"))
    assert (other.vcount(), other.ecount()) == counts
    gexf = nx.read_gexf(output / "kg.gexf")
    assert (gexf.number_of_nodes(), gexf.number_of_edges()) == counts
    root = parse(output / "kg.gexf").getroot()
    assert (len(list(root.iter(f"{X}node"))), len(list(root.iter(f"{X}edge")))) == counts
    kinds = {data["kind"] for _, data in back.nodes(data=True)}
    assert kinds == {"Paper", "Method", "Dataset", "Architecture", "Metric", "Task"}


@pytest.mark.parametrize("projection", ["entities", "papers"])
def test_export_gephi_corpus_projections(built, schemas, tmp_path: Path, projection: str) -> None:
    _, graph, _ = built
    graphml_schema, _ = schemas
    flat = project(graph, projection)
    kind = "Paper" if projection == "papers" else None
    expected_nodes = [n for n, d in graph.nodes(data=True) if (d["kind"] == "Paper") == (kind == "Paper")]
    assert flat.number_of_nodes() == len(expected_nodes)
    assert flat.number_of_edges() > 0
    assert all(data["weight"] >= 1 for *_, data in flat.edges(data=True))
    report = RunReport()
    for fmt in ("graphml", "gexf"):
        exporter(fmt)(graph, tmp_path / f"kg.{fmt}", projection=projection, report=report)
    document = parse(tmp_path / "kg.graphml")
    assert graphml_schema.validate(document), graphml_schema.error_log
    assert graphml_structure_errors(document.getroot()) == []
    assert len(list(document.getroot().iter(f"{G}edge"))) == flat.number_of_edges()
    assert gexf_structure_errors(parse(tmp_path / "kg.gexf").getroot()) == []
    hub_warnings = [w for w in report.warnings if "not counted as shared" in w.message]
    assert len(hub_warnings) == (2 if flat.graph.get("hubs_skipped") else 0)

