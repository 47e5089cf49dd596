"""Projections, flattening and metrics behind the GraphML and GEXF exports."""

from __future__ import annotations

import re

import networkx as nx
import pytest
from gephi_support import load_fixture

from kg.errors import GraphError, UsageError
from kg.export.flatten import clean_text, coerce, export_id, flatten
from kg.export.gephi import prepare, report_export
from kg.graph.metrics import communities, degrees, pagerank
from kg.graph.projection import PROJECTIONS, default_hub_limit, project
from kg.report import RunReport

P1, P2, P3, P4 = "paper:arxiv:2310.00001", "paper:arxiv:2310.00002", "paper:title:ddf2199072958b90", "paper:arxiv:2310.00004"


@pytest.fixture(scope="module")
def graph() -> nx.MultiDiGraph:
    return load_fixture()


def flat(graph: nx.MultiDiGraph, projection: str, hub_limit: int | None = None) -> nx.Graph:
    """A projection as the exporters write it (flat rows, export ids)."""
    return flatten(project(graph, projection, hub_limit=hub_limit), projection)


def weights(graph: nx.Graph) -> dict[tuple[str, str], float]:
    return {(u, v): data["weight"] for u, v, data in graph.edges(data=True)}


def test_gephi_bipartite_keeps_every_node_and_typed_edge(graph: nx.MultiDiGraph) -> None:
    assert project(graph, "bipartite") is graph
    out = flat(graph, "bipartite")
    assert out.is_directed() and out.is_multigraph()
    assert (out.number_of_nodes(), out.number_of_edges()) == (11, 15)
    # parallel edges of different types stay apart
    assert set(out[P1]["entity:imagenet"]) == {"evaluatedOn", "mentions"}
    assert set(out["entity:moment-probing"]["entity:linear-probing"]) == {"variantOf", "outperforms"}
    uses = out[P1]["entity:vision-transformer"]["uses"]
    assert uses == {"label": "uses", "relation": "uses", "weight": 2.0, "confidence": 0.84}


def test_gephi_entities_projection_counts_shared_papers(graph: nx.MultiDiGraph) -> None:
    out = flat(graph, "entities")
    assert not out.is_directed()
    assert (out.number_of_nodes(), out.number_of_edges()) == (7, 15)
    w = weights(out)
    twice = {
        ("entity:imagenet", "entity:vision-transformer"),
        ("entity:cifar-10", "entity:vision-transformer"),
        ("entity:top-1-accuracy", "entity:vision-transformer"),
        ("entity:cifar-10", "entity:top-1-accuracy"),
    }
    assert {pair for pair, weight in w.items() if weight == 2.0} == twice
    assert all(weight in (1.0, 2.0) for weight in w.values())
    # vision transformer: 3 papers, imagenet: 2 papers, 2 shared -> 2 / 3
    assert out["entity:imagenet"]["entity:vision-transformer"]["jaccard"] == pytest.approx(0.666667)
    assert {data["relation"] for *_, data in out.edges(data=True)} == {"cooccurs"}
    # entity-to-entity edges are not co-occurrence
    assert not out.has_edge("entity:moment-probing", "entity:linear-probing")


def test_gephi_papers_projection_counts_shared_entities(graph: nx.MultiDiGraph) -> None:
    out = flat(graph, "papers")
    assert (out.number_of_nodes(), out.number_of_edges()) == (4, 3)
    assert weights(out) == {(P1, P2): 2.0, (P1, P3): 3.0, (P2, P3): 1.0}
    assert out[P1][P3]["jaccard"] == 0.5  # 3 shared of 5 + 4 - 3
    assert out.degree(P4) == 0
    assert out.graph["hubs_skipped"] == 0
    assert out.graph["hub_limit"] == 3  # every entity fits the pair budget: none is a hub


def test_gephi_default_hub_limit_admits_rarest_entities_within_budget() -> None:
    # budget 5 pairs: counts 2, 2 (1 pair each) and 3 (3 pairs) fit; the entity in 10 papers does not
    assert default_hub_limit([1, 1, 2, 2, 3, 10], 1, pairs_per_paper=5) == 3
    assert default_hub_limit([1, 1, 2, 2, 3, 10], 1, pairs_per_paper=4) == 2
    assert default_hub_limit([5, 5], 1, pairs_per_paper=1) == 1
    assert default_hub_limit([], 0) == 1


def test_gephi_papers_projection_skips_hubs_and_says_so(graph: nx.MultiDiGraph) -> None:
    out = flat(graph, "papers", hub_limit=2)
    # the vision transformer is in 3 papers: no longer counted as shared
    assert weights(out) == {(P1, P2): 1.0, (P1, P3): 2.0}
    assert out.graph["hubs"] == ["entity:vision-transformer"]
    report = RunReport()
    report_export(out, "kg.gexf", {"pretty": True}, report)
    messages = [str(w) for w in report.warnings]
    assert messages == [
        "kg.gexf: option 'pretty' does not apply to this format; ignored",
        "kg.gexf: papers projection: 1 entities in more than 2 papers were not counted as shared:"
        " entity:vision-transformer",
    ]
    with pytest.raises(UsageError, match="hub_limit must be at least 2"):
        project(graph, "papers", hub_limit=1)


def test_gephi_unknown_projection_lists_known(graph: nx.MultiDiGraph) -> None:
    with pytest.raises(UsageError, match="expected one of: bipartite, entities, papers"):
        project(graph, "authors")


def test_gephi_flat_rows_have_no_lists_dicts_or_none(graph: nx.MultiDiGraph) -> None:
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
def test_gephi_coerce(value: object, type_: str, expected: object) -> None:
    assert coerce(value, type_, "node x") == expected


@pytest.mark.parametrize(
    "value,type_", [({"a": 1}, "string"), ([1], "int"), ("many", "int"), (True, "int"), (2.5, "int"), (1, "boolean")]
)
def test_gephi_coerce_rejects_what_cannot_be_flattened(value: object, type_: str) -> None:
    with pytest.raises(GraphError, match="node x"):
        coerce(value, type_, "node x")


def test_gephi_export_ids_are_nmtokens_and_one_to_one() -> None:
    ids = ["entity:imagenet", "paper:arxiv:2310.12345", "paper:doi:10.1/a b", "paper:doi:10.1/a_20b", "entity:naïve"]
    exported = [export_id(node) for node in ids]
    assert exported[:2] == ids[:2]
    assert exported[2] == "paper:doi:10.1_2Fa_20b"
    assert exported[3] == "paper:doi:10.1_2Fa_5F20b"
    assert exported[4] == "entity:na_C3_AFve"
    assert len(set(exported)) == len(ids)
    assert all(re.fullmatch(r"[A-Za-z0-9._:-]+", value) for value in exported)


def test_gephi_clean_text_removes_xml_forbidden_characters() -> None:
    assert clean_text("a\x00\x08\x0b\x0c\x0e\x1f\ufffe\uffff\ud800b") == "ab"
    assert clean_text("  Müller–Straße\r\n模型 🚀 ") == "Müller–Straße 模型 🚀"


def test_gephi_metrics_are_deterministic_and_ordered(graph: nx.MultiDiGraph) -> None:
    out = project(graph, "bipartite")
    assert degrees(out)[P1] == 6
    rank = pagerank(out)
    assert sum(rank.values()) == pytest.approx(1.0, abs=1e-5)
    # rank flows from papers to entities: every entity outranks every paper
    papers = [rank[p] for p in (P1, P2, P3, P4)]
    assert min(v for k, v in rank.items() if k.startswith("entity:")) > max(papers)
    assert len(set(papers)) == 1  # nothing links to a paper: all at the teleport floor
    first = communities(out)
    assert first == communities(out)
    sizes = [list(first.values()).count(c) for c in sorted(set(first.values()))]
    assert sizes == sorted(sizes, reverse=True)
    assert first[P4] == max(first.values())  # the isolated paper is a community of its own


@pytest.mark.parametrize("projection", PROJECTIONS)
def test_gephi_prepared_graph_does_not_depend_on_insertion_order(projection: str) -> None:
    one = prepare(load_fixture(), projection)
    two = prepare(load_fixture(shuffle=3), projection)
    assert list(one.nodes(data=True)) == list(two.nodes(data=True))
    assert sorted(one.edges(data=True), key=repr) == sorted(two.edges(data=True), key=repr)


def test_gephi_second_format_reuses_metrics_and_layout(monkeypatch: pytest.MonkeyPatch) -> None:
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
