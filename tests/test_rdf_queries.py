"""Every saved query on the sample graph, checked against answers computed from the
build's own records (papers, extractions, entity table) without RDF or SPARQL."""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest
from graph_fixtures import sample_records, select

from kg.rdf.queries import saved_queries
from kg.rdf.statistics import RANKED, statistics_triples

pytestmark = pytest.mark.slow


def _names() -> dict[str, str]:
    table = sample_records()[2]
    return {key: entity.name for key, entity in table.entities.items()}


def _key(node: str) -> str:
    return node.split(":", 1)[1]


def _papers_by(kind: str, types: set[str]) -> dict[str, set[str]]:
    """entity key -> papers with a ``kind`` edge to it, for entities of ``types``."""
    table, edges = sample_records()[2], sample_records()[3]
    found: dict[str, set[str]] = defaultdict(set)
    for edge in edges:
        if edge.type == kind and table.entities[_key(edge.target)].type in types:
            found[_key(edge.target)].add(edge.source)
    return found


def test_rdf_queries_at_least_eight_saved_queries_with_headers() -> None:
    queries = saved_queries()
    assert len(queries) >= 8
    for name in ("most-used-datasets", "methods-on-dataset", "dataset-metric-pairs",
                 "papers-proposing-architectures", "entity-aliases", "edge-evidence",
                 "papers-per-month", "entity-neighbourhood"):
        assert queries[name].description


def test_rdf_queries_most_used_datasets() -> None:
    evaluated = _papers_by("evaluatedOn", {"Dataset"})
    used = _papers_by("uses", {"Dataset"})
    names = _names()
    expected = {names[key]: (len(evaluated.get(key, ())), len(used.get(key, ()))) for key in set(evaluated) | set(used)}
    rows = select("most-used-datasets")
    assert len(rows) == min(20, len(expected))
    found = {r["dataset"]: (int(r["evaluatedIn"] or 0), int(r["usedIn"] or 0)) for r in rows}
    assert found == {name: expected[name] for name in found}
    ranked = sorted(expected, key=lambda name: (-sum(expected[name]), name))
    assert [r["dataset"] for r in rows] == ranked[:20]
    papers = sample_records()[2]
    for row in rows:
        (entity,) = [e for e in papers.entities.values() if e.name == row["dataset"] and e.type == "Dataset"]
        assert int(row["mentionedIn"]) == entity.paper_count
    assert {"MNIST", "ImageNet"} <= {r["dataset"] for r in rows[:5]}


def test_rdf_queries_methods_on_dataset() -> None:
    papers, _, table, edges = sample_records()
    imagenet = next(k for k, e in table.entities.items() if e.name == "ImageNet")
    on_imagenet = {e.source for e in edges if e.type == "evaluatedOn" and _key(e.target) == imagenet}
    expected: dict[str, set[str]] = defaultdict(set)
    for edge in edges:
        target = table.entities[_key(edge.target)] if edge.target.startswith("entity:") else None
        if (edge.source in on_imagenet and edge.type in ("proposes", "uses") and target
                and target.type in ("Method", "Architecture")):
            expected[target.name].add(edge.source)
    rows = select("methods-on-dataset", {"dataset": "imagenet"})
    assert rows and {r["dataset"] for r in rows} == {"imagenet"}
    assert {r["method"]: int(r["papers"]) for r in rows} == {k: len(v) for k, v in expected.items()}


def test_rdf_queries_dataset_metric_pairs() -> None:
    _, _, table, edges = sample_records()
    datasets, metrics = defaultdict(set), defaultdict(set)
    for edge in edges:
        if edge.type == "evaluatedOn":
            datasets[edge.source].add(table.entities[_key(edge.target)].name)
        elif edge.type == "reportsMetric":
            metrics[edge.source].add(table.entities[_key(edge.target)].name)
    expected = Counter((d, m) for paper in datasets for d in datasets[paper] for m in metrics.get(paper, ()))
    ranked = sorted(expected, key=lambda pair: (-expected[pair], pair))
    rows = select("dataset-metric-pairs")
    assert [(r["dataset"], r["metric"], int(r["papers"])) for r in rows] == [
        (d, m, expected[(d, m)]) for d, m in ranked[:50]]
    assert ("ImageNet", "Accuracy") in {(r["dataset"], r["metric"]) for r in rows}
    assert len(select("dataset-metric-pairs", limit=10)) == 10


def test_rdf_queries_papers_proposing_architectures() -> None:
    papers, _, table, edges = sample_records()
    titles = {f"paper:{p.id}": p.title for p in papers}
    expected = {(table.entities[_key(e.target)].name, titles[e.source]) for e in edges
                if e.type == "proposes" and table.entities[_key(e.target)].type == "Architecture"}
    rows = select("papers-proposing-architectures", limit=0)
    assert {(r["architecture"], r["title"]) for r in rows} == expected
    sentences = {(table.entities[_key(e.target)].name, titles[e.source]): {v.sentence for v in e.evidence}
                 for e in edges if e.type == "proposes"}
    for row in rows:
        assert row["evidence"] in sentences[(row["architecture"], row["title"])]


def test_rdf_queries_entity_aliases() -> None:
    table = sample_records()[2]
    llm = table.entities["large-language-model"]
    rows = select("entity-aliases", {"entity": "llms"})
    assert {r["key"] for r in rows} == {"large-language-model"}
    preferred = [r["name"] for r in rows if r["kind"] == "preferred"]
    assert preferred == [llm.name]
    names = {r["name"] for r in rows}
    assert set(llm.aliases) <= names
    if llm.acronym:
        assert {r["name"] for r in rows if r["kind"] == "acronym"} == {llm.acronym}


def test_rdf_queries_edge_evidence_answers_which_sentence() -> None:
    papers, _, table, edges = sample_records()
    edge = next(e for e in edges if e.type == "evaluatedOn"
                and table.entities[_key(e.target)].name == "ImageNet")
    paper = next(p for p in papers if f"paper:{p.id}" == edge.source)
    rows = select("edge-evidence", {"entity": "ImageNet", "relation": "evaluatedOn", "source": paper.id})
    assert [(r["sentence"], int(r["start"]), int(r["end"]), r["rule"]) for r in rows] == [
        (v.sentence, v.start, v.end, v.rule) for v in edge.evidence]
    for row in rows:
        assert paper.abstract[int(row["start"]) : int(row["end"])] == row["sentence"]
    everything = select("edge-evidence", {"entity": "ImageNet", "relation": "*", "source": "*"}, limit=0)
    assert len(everything) == sum(e.weight for e in edges if _key(e.target) == edge.target.split(":", 1)[1])


def test_rdf_queries_papers_per_month() -> None:
    papers = sample_records()[0]
    expected = Counter(
        (p.date[:4] if p.date.startswith("--") else p.date[:7]) for p in papers if p.date)
    rows = select("papers-per-month")
    assert {r["month"]: int(r["papers"]) for r in rows} == dict(expected)
    assert sum(int(r["papers"]) for r in rows) == sum(1 for p in papers if p.date) > 0


def test_rdf_queries_entity_neighbourhood() -> None:
    _, _, table, edges = sample_records()
    key = "transformer" if "transformer" in table.entities else max(
        table.entities, key=lambda k: table.entities[k].paper_count)
    node = f"entity:{key}"
    expected = {("out" if e.source == node else "in", e.type) for e in edges if node in (e.source, e.target)}
    expected_count = sum(1 for e in edges if node in (e.source, e.target))
    rows = select("entity-neighbourhood", {"entity": table.entities[key].name}, limit=0)
    assert {(r["direction"], r["relation"]) for r in rows} == expected
    assert len(rows) <= expected_count and len(rows) >= len(expected)
    for row in rows:
        assert int(row["weight"]) >= 1 and row["kind"] in ("Paper", "Entity")


def test_rdf_queries_entity_search_and_outperforms() -> None:
    table, edges = sample_records()[2], sample_records()[3]
    rows = select("entity-search", {"text": "gan"})
    expected = {e.name for e in table.entities.values()
                if any("gan" in label.lower() for label in [e.name, *e.aliases])}
    assert {r["name"] for r in rows} == expected
    winners = {(table.entities[_key(e.source)].name, table.entities[_key(e.target)].name)
               for e in edges if e.type == "outperforms"}
    assert {(r["winner"], r["loser"]) for r in select("top-outperforms")} == winners


def test_statistics_ranks_stop_at_ranked_places() -> None:
    """Ranks are materialised for the first RANKED places only, ties broken by name."""
    from types import SimpleNamespace

    from kg.rdf.triples import IRIs

    n = RANKED + 5
    entities = {f"d{i:04d}": SimpleNamespace(name=f"D{i:04d}", type="Dataset") for i in range(n)}
    entities["acc"] = SimpleNamespace(name="accuracy", type="Metric")
    table = SimpleNamespace(entities=entities)
    per_edge = Counter({(f"d{i:04d}", "uses"): 1 + i % 3 for i in range(n)})
    pairs = Counter({(f"d{i:04d}", "acc"): 1 + i % 3 for i in range(n)})
    triples = list(statistics_triples(table, per_edge, pairs, Counter(), Counter(), IRIs("https://x.org/")))
    usage = {s: int(o.split('"')[1]) for s, p, o in triples if p.endswith("#usageRank>")}
    pair_ranks = [int(o.split('"')[1]) for s, p, o in triples if p.endswith("#cooccurrenceRank>")]
    assert sorted(usage.values()) == sorted(pair_ranks) == list(range(1, RANKED + 1))
    # count 3 first (i % 3 == 2), then by name: d0002 is first, d0005 second
    assert usage["<https://x.org/entity/d0002>"] == 1 and usage["<https://x.org/entity/d0005>"] == 2
