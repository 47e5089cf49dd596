"""The ontology, the closed namespace and the SHACL shapes agree, and graphs conform."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
import rdflib
from graph_fixtures import sample_build, write_fixture_rdf
from rdflib.namespace import OWL, RDF, RDFS

from kg.cli import main
from kg.rdf.load import load
from kg.rdf.namespace import KGO, ONTOLOGY_IRI
from kg.rdf.triples import IRIs
from kg.rdf.validate import ONTOLOGY, SHAPES, validate
from kg.resources import schema_path

ONTOLOGY_GRAPH = rdflib.Graph().parse(schema_path(ONTOLOGY))


def _declared() -> set[str]:
    namespace = str(KGO._NS)
    return {str(s)[len(namespace):] for s in ONTOLOGY_GRAPH.subjects(RDF.type, None)
            if str(s).startswith(namespace)}


def test_rdf_ontology_and_namespace_agree_term_for_term() -> None:
    assert _declared() == set(KGO.__annotations__)
    with pytest.raises(AttributeError):
        KGO.evaluatedIn  # noqa: B018  (closed namespace: a misspelt term raises)


def test_rdf_every_term_has_label_and_comment() -> None:
    for name in KGO.__annotations__:
        term = KGO[name]
        assert ONTOLOGY_GRAPH.value(term, RDFS.label) is not None, name
        assert ONTOLOGY_GRAPH.value(term, RDFS.comment) is not None, name
    assert (rdflib.URIRef(ONTOLOGY_IRI), RDF.type, OWL.Ontology) in ONTOLOGY_GRAPH


def test_rdf_ontology_aligns_to_standard_vocabularies() -> None:
    schema = rdflib.Namespace("https://schema.org/")
    skos = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
    prov = rdflib.Namespace("http://www.w3.org/ns/prov#")
    assert (KGO.Paper, RDFS.subClassOf, schema.ScholarlyArticle) in ONTOLOGY_GRAPH
    assert (KGO.Entity, RDFS.subClassOf, skos.Concept) in ONTOLOGY_GRAPH
    assert (KGO.Evidence, RDFS.subClassOf, prov.Entity) in ONTOLOGY_GRAPH
    assert (KGO.Edge, RDFS.subClassOf, RDF.Statement) in ONTOLOGY_GRAPH
    assert (KGO.acronym, RDFS.subPropertyOf, skos.altLabel) in ONTOLOGY_GRAPH
    for name in ("proposes", "uses", "evaluatedOn", "reportsMetric", "addresses"):
        assert (KGO[name], RDFS.subPropertyOf, KGO.mentions) in ONTOLOGY_GRAPH


def test_rdf_shapes_cover_papers_entities_edges_evidence_counts_and_results() -> None:
    shapes = rdflib.Graph().parse(schema_path(SHAPES))
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    assert set(shapes.objects(None, sh.targetClass)) == {
        KGO.Paper, KGO.Entity, KGO.Edge, KGO.Evidence, KGO.EdgeCount, KGO.Cooccurrence, KGO.MethodOnDataset,
        KGO.MonthCount, KGO.Result,
    }


def _fixture_graph() -> rdflib.Graph:
    folder = write_fixture_rdf(Path(tempfile.mkdtemp(prefix="kg-rdf-schema-")))
    graph = rdflib.Graph().parse(folder / "kg.nt", format="nt")
    shutil.rmtree(folder)
    return graph


def test_rdf_fixture_graph_conforms() -> None:
    conforms, violations = validate(_fixture_graph())
    assert conforms, "\n".join(map(str, violations))


def test_rdf_violations_are_readable() -> None:
    graph = _fixture_graph()
    iris = IRIs()
    paper = rdflib.URIRef(iris.paper("arxiv:2401.00001"))
    graph.remove((paper, rdflib.URIRef("http://purl.org/dc/terms/title"), None))
    edge = next(graph.subjects(RDF.type, KGO.Edge))
    graph.set((edge, KGO.confidence, rdflib.Literal("1.5", datatype=rdflib.XSD.decimal)))
    conforms, violations = validate(graph)
    assert not conforms
    text = [str(v) for v in violations]
    assert any("paper:arxiv:2401.00001 dcterms:title: a paper needs exactly one dcterms:title" in t
               for t in text), text
    assert any(t.startswith("Violation: edge:") and "kgo:confidence" in t and "1.5" in t for t in text), text


def test_rdf_validate_command_exit_codes(tmp_path, capsys) -> None:
    good = tmp_path / "good.nt"
    good.write_bytes(_fixture_graph().serialize(format="nt", encoding="utf-8"))
    assert main(["validate", str(good)]) == 0
    assert "conforms" in capsys.readouterr().err
    graph = _fixture_graph()
    graph.remove((None, KGO.key, None))
    bad = tmp_path / "bad.ttl"
    bad.write_bytes(graph.serialize(format="turtle", encoding="utf-8"))
    assert main(["validate", str(bad), "--limit", "2"]) == 1
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 2
    assert "an entity needs exactly one kgo:key" in captured.out
    assert "does not conform: 17 violation(s), 15 not shown" in captured.err


@pytest.mark.slow
def test_rdf_sample_graph_conforms() -> None:
    conforms, violations = validate(load(sample_build() / "kg.ttl"))
    assert conforms, "\n".join(map(str, violations[:20]))


def test_rdf_validate_reports_unreadable_files(tmp_path, capsys) -> None:
    assert main(["validate", str(tmp_path / "missing.ttl")]) == 1
    assert capsys.readouterr().err.strip() == f"kg: error: {tmp_path / 'missing.ttl'}: cannot read: No such file or directory"
    bad = tmp_path / "bad.nt"
    bad.write_text("<a> <b> .\n", encoding="utf-8")
    assert main(["validate", str(bad)]) == 1
    assert f"{bad}: not valid nt" in capsys.readouterr().err


def test_rdf_fast_check_passes_the_sample_graph_and_catches_a_mistyped_count() -> None:
    from kg.rdf.validate import FAST_SHAPES, fast_check, fast_shapes

    shapes = fast_shapes()
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    assert len(set(shapes.subjects(RDF.type, sh.NodeShape))) == len(FAST_SHAPES)
    lines = (sample_build() / "kg.nt").read_text(encoding="utf-8").splitlines(keepends=True)
    assert fast_check(lines) == (True, [])
    entity = "https://example.org/kg/entity/"
    cooccurrence = "<https://example.org/kg/cooccurrence/x>"
    broken = [
        f"<{entity}em> <{RDF.type}> <{KGO.Method}> .\n",
        f"<{entity}em> <{RDF.type}> <{KGO.Entity}> .\n",
        f"<{entity}acc> <{RDF.type}> <{KGO.Metric}> .\n",
        f"{cooccurrence} <{RDF.type}> <{KGO.Cooccurrence}> .\n",
        f"{cooccurrence} <{KGO.dataset}> <{entity}em> .\n",
        f"{cooccurrence} <{KGO.metric}> <{entity}acc> .\n",
        f'{cooccurrence} <{KGO.paperCount}> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .\n',
    ]
    conforms, violations = fast_check(broken)
    assert not conforms
    assert [(v.path, v.value) for v in violations] == [("kgo:dataset", "entity:em")]


def test_rdf_sample_graph_links_versions_to_their_family() -> None:
    """The sample corpus names families with some of their members (ResNet and ResNet-50,
    Mamba and Mamba-2): each member points at its family, an entity of the graph, and a
    family's members are found by one property path."""
    graph = load(sample_build() / "kg.ttl")
    iris = IRIs()
    pairs = {(str(s).rsplit("/", 1)[1], str(o).rsplit("/", 1)[1]) for s, o in graph.subject_objects(KGO.memberOf)}
    assert pairs, "no kgo:memberOf in the sample graph"
    for _member, family in pairs:
        assert (rdflib.URIRef(iris.entity(family)), RDF.type, KGO.Entity) in graph, family
    family = next(iter(sorted(pairs)))[1]
    rows = graph.query("SELECT ?m WHERE { ?m kgo:memberOf+ ?f }", initNs={"kgo": KGO},
                       initBindings={"f": rdflib.URIRef(iris.entity(family))})
    assert {str(r.m).rsplit("/", 1)[1] for r in rows} >= {m for m, f in pairs if f == family}


def test_rdf_a_family_outside_the_graph_is_a_violation() -> None:
    graph = _fixture_graph()
    entity = next(graph.subjects(RDF.type, KGO.Entity))
    graph.add((entity, KGO.memberOf, rdflib.URIRef(IRIs().entity("not-in-the-graph"))))
    conforms, violations = validate(graph)
    assert not conforms and any("kgo:memberOf" in str(v) for v in violations), violations
