"""Results on the bundled sample: the hand check, counts, RDF nodes, saved queries, kg leaderboard."""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
import rdflib
from graph_fixtures import sample_build, sample_records, select

from kg.cli import main
from kg.rdf.namespace import KGO
from kg.records import result_keys

FIXTURES = Path(__file__).parent / "fixtures"


def _sample_results() -> dict[tuple[str, str, int, int], dict]:
    papers, extractions, table, _ = sample_records()
    found = {}
    for extraction in extractions:
        for result in extraction.results:
            found[(extraction.id, result.field, result.start, result.end)] = {**result.to_dict(), **result_keys(result, table)}
    return found


def _hand_checked() -> list[dict]:
    lines = (FIXTURES / "results-hand-check.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.startswith("{")]


def test_results_sample_hand_check_is_at_least_nine_in_ten_right() -> None:
    """50 results drawn at random and checked by reading their sentences: the extractor still
    reads each of them as it did when checked, and at least 45 were right."""
    found = _sample_results()
    checked = _hand_checked()
    assert len(checked) == 50
    for row in checked:
        result = found.get((row["paper"], row["field"], row["start"], row["end"]))
        assert result is not None, f"checked result no longer read: {row}"
        for part in ("value", "unit", "kind", "metric", "dataset", "method", "baseline", "baseline_value"):
            assert result[part] == row[part], f"{part} of {row} is now {result[part]!r}: check it again"
    right = sum(row["right"] for row in checked)
    assert right / len(checked) >= 0.9
    assert right == 48


def test_results_sample_counts() -> None:
    found = _sample_results()
    assert len(found) == 134
    assert Counter(r["kind"] for r in found.values()) == {
        "score": 60, "improvement": 35, "ratio": 24, "reduction": 13, "relative-improvement": 2}
    report = json.loads((sample_build() / "build-report.json").read_text(encoding="utf-8"))
    assert report["results"] == 134


def test_results_sample_rdf_values_are_decimals_and_parts_entities() -> None:
    graph = rdflib.Graph().parse(sample_build() / "kg.ttl")
    nodes = set(graph.subjects(rdflib.RDF.type, KGO.Result))
    assert len(nodes) == 134
    for node in nodes:
        (value,) = graph.objects(node, KGO.value)
        assert value.datatype == rdflib.XSD.decimal and isinstance(value.toPython(), Decimal)
        (paper,) = graph.objects(node, KGO.reportedIn)
        assert (paper, rdflib.RDF.type, KGO.Paper) in graph
        for part in (KGO.measures, KGO.onDataset, KGO.forTask, KGO.achievedBy, KGO.comparedWith):
            for entity in graph.objects(node, part):
                assert (entity, rdflib.RDF.type, KGO.Entity) in graph
        (evidence,) = graph.objects(node, KGO.hasEvidence)
        sentence = str(next(graph.objects(evidence, KGO.sentence)))
        start = int(next(graph.objects(evidence, KGO.start)))
        value_start = int(next(graph.objects(evidence, KGO.valueStart)))
        value_end = int(next(graph.objects(evidence, KGO.valueEnd)))
        written = str(next(graph.objects(node, KGO.valueText)))
        assert sentence[value_start - start : value_end - start].replace(" ", "").startswith(written.split("-")[0])
    metric = rdflib.URIRef("https://example.org/kg/entity/perplexity")
    assert (metric, KGO.higherIsBetter, rdflib.Literal(False)) in graph


def test_results_sample_leaderboard_ranks_best_first() -> None:
    rows = select("leaderboard", {"dataset": "imagenet", "metric": "Top-1 Accuracy", "depth": "20"})
    assert [(r["rank"], r["value"], r["method"]) for r in rows] == [
        ("1", "90.94", "ViT-G model"), ("2", "87.1", "SimMIM"), ("3", "83.8", "SimMIM"), ("4", "83.8", None),
        ("5", "83.4", None), ("6", "82.3", "Dynamic Hybrid Vision Transformer (DHVT)"), ("7", "81.4", None),
        ("8", "75.3", None)]
    assert all(r["datasetName"] == "ImageNet" and r["metricName"] == "top-1 accuracy" for r in rows)
    assert all(r["sentence"] and r["value"] in r["sentence"] for r in rows)


def test_results_sample_leaderboard_lower_is_better_ranks_ascending() -> None:
    rows = select("leaderboard", {"dataset": "One Billion Word", "metric": "perplexity", "depth": "2"})
    assert [(r["rank"], r["value"]) for r in rows] == [("1", "23.7"), ("2", "30")]


def test_results_sample_best_over_time() -> None:
    rows = select("best-over-time", {"dataset": "ImageNet", "metric": "top-1 accuracy"})
    assert [(r["year"], r["value"], r["rank"]) for r in rows] == [
        ("2020", "75.3", "8"), ("2021", "87.1", "2"), ("2022", "82.3", "6"), ("2023", "83.4", "5")]


def test_results_sample_results_of_paper_and_methods_compared() -> None:
    rows = select("results-of-paper", {"paper": "SimMIM"})
    assert [(r["value"], r["kind"], r["metric"]) for r in rows] == [
        ("83.8", "score", "top-1 accuracy"), ("0.6", "improvement", "top-1 accuracy"),
        ("87.1", "score", "top-1 accuracy"), ("40", "ratio", None)]
    compared = select("methods-compared", {"entity": "*"})
    assert [(r["baseline"], r["value"], r["kind"]) for r in compared] == [
        ("EfficientNet", "2.4", "improvement"), ("MobileNetV3", "1", "improvement"),
        ("Multimodal embedding model", "10", "improvement"), ("Transformer", "400", "ratio"),
        ("Transformer", "5", "ratio")]
    assert [r["value"] for r in select("methods-compared", {"entity": "transformer"})] == ["400", "5"]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_results_sample_kg_leaderboard_command(capsys) -> None:
    code, out, _ = run(capsys, "leaderboard", str(sample_build()), "--dataset", "in-1k", "--metric", "Top-1 Acc",
                       "--limit", "3")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "ImageNet · top-1 accuracy"
    assert [line.split()[:2] for line in lines[2:]] == [["1", "90.94%"], ["2", "87.1%"], ["3", "83.8%"]]
    code, out, _ = run(capsys, "leaderboard", str(sample_build() / "kg.ttl"), "--dataset", "CIFAR10", "--format", "json")
    rows = json.loads(out)
    assert code == 0 and rows[0]["dataset"] == "CIFAR-10" and [r["rank"] for r in rows][:2] == [1, 2]
    code, out, _ = run(capsys, "leaderboard", str(sample_build()), "--dataset", "CIFAR-100", "--format", "csv")
    assert out.splitlines()[0] == "dataset,metric,rank,value,unit,method,paper,title,date,sentence"


def test_results_sample_kg_leaderboard_errors(capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, "leaderboard", str(sample_build()), "--dataset", "No Such Benchmark")
    assert code == 1 and "no ranked scores on 'No Such Benchmark'" in err
    code, _, err = run(capsys, "leaderboard", str(tmp_path / "missing"), "--dataset", "ImageNet")
    assert code != 0 and len(err.strip().splitlines()) == 1 and "missing" in err


@pytest.mark.parametrize("gold_line, expected", [
    ('{"id": "g1", "title": "T", "abstract": "We reach 85.3% top-1 accuracy on ImageNet.", '
     '"results": [{"task": "Image Classification", "dataset": "ImageNet (finetuned)", '
     '"metric": "Top 1 Accuracy", "score": "85.30"}]}', (1, 1, 1)),
    ('{"id": "g2", "title": "T", "abstract": "Our parser gets 93.8 F1 on the WSJ section.", '
     '"results": [{"task": "Parsing", "dataset": "Penn Treebank", "metric": "F1 score", "score": "93.8"}]}',
     (1, 1, 0)),
])
def test_results_kg_eval_results_levels(capsys, tmp_path: Path, gold_line: str, expected: tuple) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(gold_line + "\n", encoding="utf-8")
    code, out, _ = run(capsys, "eval", "--results", str(gold), "--json")
    scores = json.loads(out)[str(gold)]
    assert code == 0
    assert tuple(scores["found"][level] for level in ("value", "value+metric", "value+metric+dataset")) == expected
    assert scores["extracted"] == 1 and scores["annotated"] == 1


def test_results_kg_eval_results_bad_gold_is_one_line(capsys, tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"id": "a", "title": "T", "abstract": "x", "results": []}\n{"id": "b", "results": [{}]}\n',
                    encoding="utf-8")
    code, _, err = run(capsys, "eval", "--results", str(gold))
    assert code != 0 and f"{gold}:2:" in err and len(err.strip().splitlines()) == 1


def test_results_sample_gephi_files_carry_the_best_score_per_paper_dataset_edge() -> None:
    """The committed sample graph (graphs/, kept current by a build test) read back with
    networkx's GraphML reader, not kg's writer: numeric, on edges to datasets."""
    import networkx as nx

    graph = nx.read_graphml(Path(__file__).resolve().parent.parent / "graphs" / "kg.graphml")
    scored = [(u, v, d) for u, v, d in graph.edges(data=True) if "best_value" in d]
    assert len(scored) == 32
    assert all(isinstance(d["best_value"], float) and graph.nodes[v]["kind"] == "Dataset" for _, v, d in scored)
    best = {(graph.nodes[u]["title"], d["best_metric"]): d["best_value"] for u, v, d in scored
            if graph.nodes[v]["name"] == "ImageNet"}
    assert best[("SimMIM: A Simple Framework for Masked Image Modeling", "top-1 accuracy")] == 87.1


def test_results_ranks_are_the_same_however_the_scores_were_split(monkeypatch) -> None:
    """Shards prune their ranking rows and the parent prunes as it merges: the ranks written
    equal those of ranking every row at once."""
    import random

    from kg.rdf import result_nodes
    from kg.rdf.triples import IRIs

    monkeypatch.setattr(result_nodes, "LEADERBOARD_DEPTH", 5)
    rng = random.Random(3)
    rows = [["imagenet", "top-1-accuracy", -rng.randint(50, 90), f"{rng.randint(2015, 2024)}-01-01",
             f"p{k}", "abstract", k, k + 2, "85"] for k in range(300)]
    iris = IRIs()
    whole = sorted(result_nodes.leaderboard_lines(rows, iris))
    merged: list = []
    for start in range(0, 300, 37):
        merged = result_nodes.prune_scores([*merged, *result_nodes.prune_scores(rows[start:start + 37])])
    assert len(merged) < 30
    assert sorted(result_nodes.leaderboard_lines(merged, iris)) == whole
    assert sum("leaderboardRank" in line for line in whole) == 5
