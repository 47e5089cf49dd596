"""Flat export graphs for GraphML and GEXF: typed scalar rows, XML-safe text, ids, and the
prepared graph (metrics, layout, colours) that does not depend on insertion order."""

from __future__ import annotations

import re

import networkx as nx
import pytest
from gephi_support import load_fixture

from kg.errors import GraphError
from kg.export.flatten import clean_text, coerce, export_id
from kg.export.gephi import prepare
from kg.graph.projection import PROJECTIONS

P1, P2, P3, P4 = "paper:arxiv:2310.00001", "paper:arxiv:2310.00002", "paper:title:ddf2199072958b90", "paper:arxiv:2310.00004"


@pytest.fixture(scope="module")
def graph() -> nx.MultiDiGraph:
    return load_fixture()


def test_export_flatten_flat_rows_have_no_lists_dicts_or_none(graph: nx.MultiDiGraph) -> None:
    for projection in PROJECTIONS:
        out = prepare(graph, projection)
        for _, data in out.nodes(data=True):
            for name, value in data.items():
                if name == "color":
                    assert isinstance(value, tuple) and all(0 <= c <= 255 for c in value)
                else:
                    assert isinstance(value, (str, int, float)), (name, value)
                    assert value != "" and value is not None
        for *_, data in out.edges(data=True):
            assert {"label", "relation", "weight", "color"} <= set(data)
    paper = prepare(graph, "bipartite").nodes[P1]
    assert paper["authors"] == "Ada Lovelace; Alan Turing"
    assert paper["year"] == 2023 and paper["paper_id"] == "arxiv:2310.00001"
    assert "abstract" not in paper and "mentions" not in paper and "sources" not in paper
    no_year = prepare(graph, "bipartite").nodes[P2]
    assert no_year["date"] == "--03-14" and "year" not in no_year
    assert "authors" not in no_year and "organisation" not in no_year and "upvotes" not in no_year


@pytest.mark.parametrize(
    "value,type_,expected",
    [
        (None, "string", None),
        ([], "string", None),
        (["a", None, "", "b"], "string", "a; b"),
        ({"b", "a"}, "string", "a; b"),
        (True, "string", "true"),
        (0.5, "string", "0.5"),
        (float("nan"), "double", None),
        ("3", "int", 3),
        (4.0, "int", 4),
        (" ", "int", None),
        ("0.25", "double", 0.25),
        (7, "double", 7.0),
        (False, "boolean", False),
        ("a\x00b\x1b\n\tc  ", "string", "ab c"),
    ],
)
def test_export_flatten_coerce(value: object, type_: str, expected: object) -> None:
    assert coerce(value, type_, "node x") == expected


@pytest.mark.parametrize(
    "value,type_", [({"a": 1}, "string"), ([1], "int"), ("many", "int"), (True, "int"), (2.5, "int"), (1, "boolean")]
)
def test_export_flatten_coerce_rejects_what_cannot_be_flattened(value: object, type_: str) -> None:
    with pytest.raises(GraphError, match="node x"):
        coerce(value, type_, "node x")


def test_export_flatten_export_ids_are_nmtokens_and_one_to_one() -> None:
    ids = ["entity:imagenet", "paper:arxiv:2310.12345", "paper:doi:10.1/a b", "paper:doi:10.1/a_20b", "entity:naïve"]
    exported = [export_id(node) for node in ids]
    assert exported[:2] == ids[:2]
    assert exported[2] == "paper:doi:10.1_2Fa_20b"
    assert exported[3] == "paper:doi:10.1_2Fa_5F20b"
    assert exported[4] == "entity:na_C3_AFve"
    assert len(set(exported)) == len(ids)
    assert all(re.fullmatch(r"[A-Za-z0-9._:-]+", value) for value in exported)


def test_export_flatten_clean_text_removes_xml_forbidden_characters() -> None:
    assert clean_text("a\x00\x08\x0b\x0c\x0e\x1f\ufffe\uffff\ud800b") == "ab"
    assert clean_text("  Müller–Straße\r\n模型 🚀 ") == "Müller–Straße 模型 🚀"


@pytest.mark.parametrize("projection", PROJECTIONS)
def test_export_flatten_prepared_graph_does_not_depend_on_insertion_order(projection: str) -> None:
    one = prepare(load_fixture(), projection)
    two = prepare(load_fixture(shuffle=3), projection)
    assert list(one.nodes(data=True)) == list(two.nodes(data=True))
    assert sorted(one.edges(data=True), key=repr) == sorted(two.edges(data=True), key=repr)


def test_export_flatten_second_format_reuses_metrics_and_layout(monkeypatch: pytest.MonkeyPatch) -> None:
    import kg.export.gephi as projection

    calls = []
    real = projection.positions
    monkeypatch.setattr(projection, "positions", lambda graph, **kw: calls.append(1) or real(graph, **kw))
    projection.clear_cache()
    graph = load_fixture()
    first = prepare(graph, "entities")
    assert list(prepare(graph, "entities").nodes(data=True)) == list(first.nodes(data=True))
    assert len(calls) == 1
    graph.edges[P1, "entity:imagenet", "evaluatedOn"]["weight"] = 1  # same weight: still cached
    prepare(graph, "entities")
    assert len(calls) == 1
    graph.remove_edge(P2, "entity:imagenet", "evaluatedOn")  # new structure: computed again
    prepare(graph, "entities")
    assert len(calls) == 2
