"""build_graph and assemble on the three-paper fixture: the MultiDiGraph contract."""

from __future__ import annotations

import networkx as nx
from graph_fixtures import three_papers

from kg.graph.build import build_graph
from kg.graph.edges import assemble
from kg.records import EDGE_TYPES, ENTITY_TYPES

PAPER_KEYS = {"kind", "label", "title", "abstract", "date", "authors", "author_count", "organisation",
              "upvotes", "links", "sources", "mentions", "results"}
ENTITY_KEYS = {"kind", "label", "key", "name", "aliases", "acronym", "family", "paper_count", "mention_count"}
EVIDENCE_KEYS = {"paper", "field", "sentence", "start", "end", "rule", "confidence"}


def fixture_graph() -> nx.MultiDiGraph:
    return build_graph(*three_papers())


def test_graph_nodes_follow_the_contract() -> None:
    graph = fixture_graph()
    papers, _, table = three_papers()
    assert graph.graph == {"name": "kg", "base_iri": "https://example.org/kg/"}
    assert [n for n in graph if n.startswith("paper:")] == [f"paper:{p.id}" for p in papers]
    assert sorted(n for n in graph if n.startswith("entity:")) == [f"entity:{k}" for k in sorted(table.entities)]
    paper = graph.nodes["paper:arxiv:2401.00001"]
    assert set(paper) == PAPER_KEYS
    assert paper["kind"] == "Paper" and paper["label"] == papers[0].title
    assert paper["date"] == "2024-01-15" and paper["author_count"] == 2 and paper["upvotes"] == 12
    assert paper["sources"] == ["kg:corpus/fixture.txt:3"]
    assert graph.nodes["paper:arxiv:cs/0112017"]["date"] is None
    entity = graph.nodes["entity:large-language-model"]
    assert set(entity) == ENTITY_KEYS
    assert (entity["kind"], entity["label"], entity["acronym"]) == ("Method", "large language model", "LLM")
    assert {graph.nodes[n]["kind"] for n in graph} == {"Paper", *ENTITY_TYPES}


def test_graph_mentions_point_into_the_text() -> None:
    graph = fixture_graph()
    for node, data in graph.nodes(data=True):
        if data["kind"] != "Paper":
            continue
        assert data["mentions"], node
        for mention in data["mentions"]:
            text = data[mention["field"]]
            surface = text[mention["start"] : mention["end"]]
            names = {graph.nodes["entity:" + mention["key"]]["name"].lower(),
                     *(a.lower() for a in graph.nodes["entity:" + mention["key"]]["aliases"])}
            assert surface.lower() in names
            assert mention["type"] == graph.nodes["entity:" + mention["key"]]["kind"]


def test_graph_edges_carry_weight_and_evidence() -> None:
    graph = fixture_graph()
    papers = {f"paper:{p.id}": p for p in three_papers()[0]}
    for source, _target, key, data in graph.edges(keys=True, data=True):
        assert key == data["type"] and key in EDGE_TYPES
        assert data["weight"] == len(data["evidence"]) >= 1
        assert 0 < data["confidence"] <= 1
        for item in data["evidence"]:
            assert set(item) == EVIDENCE_KEYS
            paper = papers[f"paper:{item['paper']}"]
            text = paper.title if item["field"] == "title" else paper.abstract
            assert text[item["start"] : item["end"]] == item["sentence"]
        if source.startswith("paper:"):
            assert key in EDGE_TYPES[:6]
        else:
            assert source.startswith("entity:") and key in EDGE_TYPES[6:]


def test_graph_exact_edges_of_the_fixture() -> None:
    graph = fixture_graph()
    edges = {(s, t, k) for s, t, k in graph.edges(keys=True)}
    assert ("paper:arxiv:2401.00001", "entity:foonet", "proposes") in edges
    assert ("paper:arxiv:2401.00001", "entity:imagenet", "evaluatedOn") in edges
    assert ("paper:title:0123456789abcdef", "entity:coco", "uses") in edges
    assert ("paper:arxiv:cs/0112017", "entity:squad", "evaluatedOn") in edges
    assert ("entity:foonet", "entity:resnet", "variantOf") in edges
    assert ("entity:foonet", "entity:vit", "outperforms") in edges
    assert ("entity:resnet", "entity:architecture", "isA") in edges
    assert ("entity:large-language-model", "entity:transformer", "basedOn") in edges
    # repeated evidence raises the weight: ImageNet is named as a test set in two sentences
    imagenet = graph.edges["paper:arxiv:2401.00001", "entity:imagenet", "evaluatedOn"]
    assert imagenet["weight"] == 2 and imagenet["confidence"] == 0.94
    # isA read in the title and the abstract of the same paper: two sentences, one edge
    assert graph.edges["entity:resnet", "entity:architecture", "isA"]["weight"] == 2
    # LLMs and "large language models" in one sentence are one piece of evidence
    llm = graph.edges["paper:arxiv:cs/0112017", "entity:large-language-model", "mentions"]
    assert llm["weight"] == 1
    assert graph.number_of_edges() == 27


def test_graph_assemble_order_is_deterministic() -> None:
    papers, extractions, table = three_papers()
    first = [(e.source, e.type, e.target) for e in assemble(papers, extractions, table)]
    extractions_reversed_relations = three_papers()[1]
    for extraction in extractions_reversed_relations:
        extraction.relations.reverse()
    second = [(e.source, e.type, e.target) for e in assemble(papers, extractions_reversed_relations, table)]
    assert first == second
    entity_edges = [e for e in first if e[0].startswith("entity:")]
    assert first[-len(entity_edges):] == entity_edges
    assert entity_edges == sorted(entity_edges, key=lambda e: (e[0], EDGE_TYPES.index(e[1]), e[2]))


def test_graph_skips_unresolved_forms_and_self_loops() -> None:
    papers, extractions, table = three_papers()
    del table.keys["ade20k"]
    table.keys["language model"] = "transformer"  # "Transformer-based Language Models" -> self-loop
    graph = build_graph(papers, extractions, table)
    assert not any(t == "entity:ade20k" for _, t in graph.edges())
    assert not any(s == t for s, t in graph.edges())
