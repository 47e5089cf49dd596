"""RDF writers on the three-paper fixture: golden files, round trips through rdflib and
Oxigraph, hostile strings, stable IRIs."""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from graph_fixtures import GOLDEN, three_papers, write_fixture_rdf
from rdflib.compare import isomorphic, to_isomorphic

from kg.graph.edges import assemble
from kg.rdf.load import load
from kg.rdf.namespace import DCTERMS, KGO, SKOS
from kg.rdf.triples import IRIs

WRITERS = ("kg.nt", "kg.ttl", "kg.jsonld")
OX_FORMATS = {"kg.nt": ox.RdfFormat.N_TRIPLES, "kg.ttl": ox.RdfFormat.TURTLE, "kg.jsonld": ox.RdfFormat.JSON_LD}


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_fixture_rdf(tmp_path_factory.mktemp("rdf"))


def canonical_lines(folder: Path) -> list[str]:
    """The sorted N-Triples lines the build merged (``work/kg.nt``)."""
    return (folder / "work" / "kg.nt").read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_rdf_golden_files(written: Path, name: str) -> None:
    """Byte-identical to the golden file (KG_UPDATE_GOLDEN=1 rewrites it)."""
    produced = (written / name).read_text(encoding="utf-8")
    golden = GOLDEN / name
    if os.environ.get("KG_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(produced, encoding="utf-8")
    expected = golden.read_text(encoding="utf-8")
    if produced != expected:
        diff = "".join(difflib.unified_diff(
            expected.splitlines(True), produced.splitlines(True), str(golden), "produced", n=1))
        pytest.fail(f"{name} differs from its golden file:\n{diff[:4000]}")


def test_rdf_output_is_deterministic(tmp_path: Path) -> None:
    first, second = write_fixture_rdf(tmp_path / "a"), write_fixture_rdf(tmp_path / "b")
    for name in WRITERS:
        assert (first / name).read_bytes() == (second / name).read_bytes()


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_rdf_round_trip_rdflib_and_oxigraph_agree(written: Path, name: str) -> None:
    lines = canonical_lines(written)
    reference = rdflib.Graph().parse(data="\n".join(lines), format="nt")
    through_rdflib = load(written / name)
    assert len(through_rdflib) == len(lines) == len(set(lines))
    assert isomorphic(through_rdflib, reference)
    through_oxigraph = {
        f"{q.subject} {q.predicate} {q.object} ."
        for q in ox.parse(path=str(written / name), format=OX_FORMATS[name])
    }
    assert through_oxigraph == set(lines)


def test_rdf_oxigraph_parses_what_rdflib_writes(written: Path) -> None:
    graph = load(written / "kg.ttl")
    for fmt, ox_format in (("turtle", ox.RdfFormat.TURTLE), ("xml", ox.RdfFormat.RDF_XML),
                           ("json-ld", ox.RdfFormat.JSON_LD)):
        data = graph.serialize(format=fmt, encoding="utf-8")
        back = rdflib.Graph().parse(
            data=ox.serialize(ox.parse(data, format=ox_format), format=ox.RdfFormat.N_TRIPLES),
            format="nt",
        )
        assert to_isomorphic(back) == to_isomorphic(graph), fmt


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_rdf_hostile_strings_survive(written: Path, name: str) -> None:
    papers, _, table = three_papers()
    graph = load(written / name)
    iris = IRIs()
    for paper in papers:
        node = rdflib.URIRef(iris.paper(paper.id))
        assert str(graph.value(node, DCTERMS.title)) == paper.title
        assert str(graph.value(node, DCTERMS.abstract)) == paper.abstract
        assert sorted(map(str, graph.objects(node, KGO.authorName))) == sorted(paper.authors)
    hostile = papers[0]
    assert '"Quoted" \\ Backslash <script>' in hostile.title and "\n" in hostile.abstract
    assert "漢字 🚀" in hostile.abstract and "$\\alpha$" in hostile.abstract
    llm = rdflib.URIRef(iris.entity("large-language-model"))
    assert "“LLM” \\ <b>" in set(map(str, graph.objects(llm, SKOS.altLabel)))
    org = graph.value(rdflib.URIRef(iris.paper(hostile.id)), KGO.organisation)
    assert str(org) == 'Lab "X" \\ Y'


def test_rdf_iris_are_valid_and_percent_safe(written: Path) -> None:
    graph = load(written / "kg.nt")
    iris = {str(t) for triple in graph for t in triple if isinstance(t, rdflib.URIRef)}
    assert "https://example.org/kg/paper/arxiv:cs%2F0112017" in iris
    assert "https://example.com/a%20b?q=%3Cx%3E" in iris
    for value in iris:
        assert not any(ch in value for ch in ' <>"{}|^`\\'), value


def test_rdf_base_iri_is_configurable(tmp_path: Path) -> None:
    text = (write_fixture_rdf(tmp_path, "https://papers.test/g#") / "kg.nt").read_text(encoding="utf-8")
    assert "<https://papers.test/g#entity/imagenet>" in text
    assert "example.org" not in text


def test_rdf_evidence_iris_are_stable_and_distinct() -> None:
    papers, extractions, table = three_papers()
    edges = list(assemble(papers, extractions, table))
    iris = IRIs()
    evidence = [iris.evidence(edge, item) for edge in edges for item in edge.evidence]
    assert len(evidence) == len(set(evidence))
    again = [iris.evidence(edge, item) for edge in assemble(*three_papers()) for item in edge.evidence]
    assert evidence == again


def test_rdf_lone_surrogates_become_replacement_characters() -> None:
    from kg.rdf.triples import literal

    assert literal("a\ud800b") == '"a\ufffdb"'
    assert literal('tab\there "q" \\ \x01') == '"tab\\there \\"q\\" \\\\ \\u0001"'
