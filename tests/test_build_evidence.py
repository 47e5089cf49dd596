"""kg build --evidence none: the lean graph is the full graph minus edge and evidence resources."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from graph_fixtures import sample_build, select

from kg.build import BuildOptions, RunSettings, run_build
from kg.rdf.namespace import DEFAULT_BASE_IRI, KGO
from kg.rdf.queries import run, saved, with_limit
from kg.rdf.store import open_store
from kg.rdf.validate import validate
from kg.report import RunReport

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def lean(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("lean")
    run_build([], folder, BuildOptions(formats=("ttl", "nt"), evidence="none"), RunReport(),
              RunSettings(progress=False))
    return folder


def _reified(line: str) -> bool:
    """An edge or evidence resource's line, or a result's link to its evidence."""
    return line.startswith((f"<{DEFAULT_BASE_IRI}edge/", f"<{DEFAULT_BASE_IRI}evidence/")) or (
        line.startswith(f"<{DEFAULT_BASE_IRI}result/") and f"<{KGO.hasEvidence}>" in line)


def test_lean_graph_is_the_full_graph_without_edge_and_evidence_resources(lean: Path) -> None:
    full = (sample_build() / "kg.nt").read_text(encoding="utf-8").splitlines()
    kept = [line for line in full if not _reified(line)]
    assert (lean / "kg.nt").read_text(encoding="utf-8").splitlines() == kept
    assert len(kept) < len(full) * 0.35


def test_lean_graph_has_no_edge_or_evidence_and_conforms(lean: Path) -> None:
    graph = rdflib.Graph().parse(lean / "kg.ttl")
    assert not set(graph.subjects(rdflib.RDF.type, KGO.Edge))
    assert not set(graph.subjects(rdflib.RDF.type, KGO.Evidence))
    assert set(graph.subject_objects(KGO.evaluatedOn))
    conforms, violations = validate(graph)
    assert conforms, violations[:3]


def _rows(store, name: str, params: dict[str, str] | None = None) -> list[dict[str, str | None]]:
    result = run(store, with_limit(saved(name).text, 0), params)
    names = [v.value for v in result.variables]
    return [{n: (None if row[n] is None else row[n].value) for n in names} for row in result]


def test_saved_queries_on_the_lean_graph(lean: Path) -> None:
    store = open_store([lean / "kg.nt"])
    for name in ("most-used-datasets", "methods-on-dataset", "dataset-metric-pairs", "papers-per-month",
                 "entity-aliases"):
        assert _rows(store, name) == select(name, limit=0), name
    neighbours = _rows(store, "entity-neighbourhood", {"entity": "ImageNet"})
    full = select("entity-neighbourhood", {"entity": "ImageNet"}, limit=0)
    assert {(r["direction"], r["relation"], r["neighbour"]) for r in neighbours} == {
        (r["direction"], r["relation"], r["neighbour"]) for r in full}
    assert all(r["weight"] is None for r in neighbours) and all(r["weight"] for r in full)
    architectures = _rows(store, "papers-proposing-architectures")
    assert {(r["architecture"], r["title"]) for r in architectures} == {
        (r["architecture"], r["title"]) for r in select("papers-proposing-architectures", limit=0)}
    assert {(r["winner"], r["loser"]) for r in _rows(store, "top-outperforms")} == {
        (r["winner"], r["loser"]) for r in select("top-outperforms", limit=0)}
    assert _rows(store, "edge-evidence", {"entity": "ImageNet", "relation": "*", "source": "*"}) == []
