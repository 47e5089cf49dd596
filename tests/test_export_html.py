"""The HTML viewer as a file: self-contained, escaped, deterministic (no browser needed)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import networkx as nx
import pytest
from viewer_support import HOSTILE_TITLE, SCRIPT_BREAK, fixture_graph

from kg.errors import GraphError
from kg.export import exporter
from kg.export.html import render, script_json, vis_network_assets, write
from kg.export.viewer_payload import viewer_payload

GOLDEN = Path(__file__).parent / "fixtures" / "viewer" / "fixture-payload.json"
DATA_BLOCK = re.compile(r'<script id="kg-data" type="application/json">(.*?)</script>', re.DOTALL)


@pytest.fixture(scope="module")
def page() -> str:
    return render(fixture_graph())


def _data(page: str) -> dict:
    match = DATA_BLOCK.search(page)
    assert match, "no data block"
    return json.loads(match.group(1))


def test_export_html_registered_as_html_and_viewer() -> None:
    assert exporter("html") is write
    assert exporter("viewer") is write


def test_export_html_page_loads_nothing_from_outside(page: str) -> None:
    lowered = page.lower()
    assert "<link" not in lowered
    assert not re.search(r"<script[^>]*\ssrc\s*=", lowered)
    assert not re.search(r"<(img|iframe|object|embed)\b", lowered)
    assert "bootstrap" not in lowered and "@import" not in lowered
    styles = "".join(re.findall(r"<style>(.*?)</style>", lowered, re.DOTALL))
    assert all(u.startswith("data:") for u in re.findall(r"url\(\s*['\"]?([^'\")]*)", styles))
    assert not re.search(r"(src|href)\s*=\s*['\"]?(https?:)?//", lowered)
    assert "sourcemappingurl" not in lowered
    assert "default-src 'none'" in page
    # Exactly our three scripts: data, vis-network, viewer.
    assert len(re.findall(r"^<script\b", lowered, re.MULTILINE)) == 3
    assert len(re.findall(r"</script>\s*$", lowered, re.MULTILINE)) == 3


def test_export_html_data_block_escapes_hostile_strings(page: str) -> None:
    block = DATA_BLOCK.search(page).group(1)
    for raw in ("<", ">", "&", "\u2028", "\u2029"):
        assert raw not in block
    data = json.loads(block)
    titles = {d["title"] for d in data["details"] if "title" in d}
    assert HOSTILE_TITLE in titles
    hostile = next(d for d in data["details"] if d["id"] == "entity:hostile-method")
    assert hostile["aliases"] == [SCRIPT_BREAK, "a\u2028b\u2029c"]
    assert data == viewer_payload(fixture_graph(), title=data["title"])


@pytest.mark.parametrize("text", ["</script>", "<!--", "a\u2028b", "\ud800", "&amp;", "'\"\\"])
def test_export_html_script_json_round_trips(text: str) -> None:
    encoded = script_json({"t": text})
    assert encoded.isascii() and "<" not in encoded and ">" not in encoded and "&" not in encoded
    assert json.loads(encoded) == {"t": text}


def test_export_html_title_is_escaped_in_markup() -> None:
    page = render(fixture_graph(), title="<b>x</b> & co")
    assert "<title>&lt;b&gt;x&lt;/b&gt; &amp; co</title>" in page
    assert "<b>x</b>" not in page


def test_export_html_counts_every_node_and_edge() -> None:
    graph = fixture_graph()
    data = viewer_payload(graph)
    assert len(data["nodes"]) == graph.number_of_nodes() == 16
    assert len(data["edges"]) == graph.number_of_edges() == 18
    assert sum(k["count"] for k in data["kinds"]) == 16
    assert {k["name"]: k["count"] for k in data["kinds"]} == {
        "Paper": 6, "Method": 2, "Dataset": 1, "Architecture": 2, "Metric": 3, "Task": 2,
    }
    assert {t["name"]: t["count"] for t in data["edgeTypes"] if t["count"]} == {
        "proposes": 2, "uses": 4, "evaluatedOn": 1, "reportsMetric": 4, "addresses": 2, "mentions": 2,
        "isA": 1, "basedOn": 1, "outperforms": 1,
    }
    assert len(data["evidence"]) == len(data["edges"])


def test_export_html_options_keep_big_graphs_fast() -> None:
    options = viewer_payload(fixture_graph())["options"]
    assert options["physics"]["enabled"] is False
    assert options["edges"]["smooth"]["enabled"] is False
    assert options["layout"]["improvedLayout"] is False
    assert "configure" not in options
    assert set(options["groups"]) >= {"Paper", "Method", "Dataset", "Architecture", "Metric", "Task"}


def test_export_html_uses_palette_colours() -> None:
    from kg.palette import load_palette

    palette = load_palette()
    data = viewer_payload(fixture_graph())
    for kind in data["kinds"]:
        assert kind["color"] == palette.node(kind["name"]).color
        assert data["options"]["groups"][kind["name"]]["shape"] == palette.node(kind["name"]).shape
    for edge in data["edges"]:
        assert edge["color"] == palette.edge(edge["type"])


def test_export_html_is_byte_identical_for_the_same_graph(tmp_path: Path) -> None:
    graph = fixture_graph()
    shuffled = nx.MultiDiGraph(**graph.graph)
    shuffled.add_nodes_from(reversed(list(graph.nodes(data=True))))
    shuffled.add_edges_from(reversed(list(graph.edges(keys=True, data=True))))
    first = write(graph, tmp_path / "a" / "kg.html")
    second = write(shuffled, tmp_path / "b" / "kg.html", projection="entities")
    assert first.read_bytes() == second.read_bytes()


def test_export_html_payload_matches_golden() -> None:
    """Everything but coordinates (those depend on igraph's arithmetic) against a reviewed file."""
    data = viewer_payload(fixture_graph(), title="kg: knowledge graph")
    for node in data["nodes"]:
        del node["x"], node["y"]
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n"
    if os.environ.get("KG_UPDATE_GOLDEN") == "1":
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_export_html_mentions_are_kept_only_when_in_range_and_disjoint() -> None:
    graph = nx.MultiDiGraph(name="kg")
    graph.add_node(
        "paper:x", kind="Paper", label="T", title="Title", abstract="alpha beta gamma",
        mentions=[
            {"field": "abstract", "start": 0, "end": 5, "type": "Method", "key": "alpha"},
            {"field": "abstract", "start": 2, "end": 8, "type": "Method", "key": "overlap"},
            {"field": "abstract", "start": 11, "end": 99, "type": "Task", "key": "outside"},
            {"field": "summary", "start": 0, "end": 1, "type": "Task", "key": "nofield"},
            {"field": "title", "start": 0, "end": 5, "type": "Task", "key": "title"},
        ],
    )
    detail = viewer_payload(graph)["details"][0]
    assert detail["mentions"] == [["abstract", 0, 5, "Method", "alpha"], ["title", 0, 5, "Task", "title"]]


def test_export_html_lays_out_components_apart() -> None:
    graph = nx.MultiDiGraph(name="kg")
    for i in range(30):
        graph.add_edge("entity:hub", f"paper:{i:02d}", key="uses", type="uses")
    graph.add_node("paper:alone", kind="Paper", title="Alone")
    data = viewer_payload(graph)
    by_id = {d["id"]: n for d, n in zip(data["details"], data["nodes"], strict=True)}
    main = [n for key, n in by_id.items() if key != "paper:alone"]
    alone = by_id["paper:alone"]
    assert alone["y"] > max(n["y"] for n in main)
    assert alone["degree"] == 0 and by_id["entity:hub"]["degree"] == 30


def test_export_html_handles_an_empty_graph() -> None:
    data = viewer_payload(nx.MultiDiGraph(name="kg"))
    assert data["nodes"] == [] and data["edges"] == []
    assert "<!DOCTYPE html>" in render(nx.MultiDiGraph(name="kg"))


def test_export_html_rejects_other_graph_types() -> None:
    with pytest.raises(GraphError, match="MultiDiGraph"):
        render(nx.Graph())  # type: ignore[arg-type]


def test_export_html_inlines_the_vis_network_that_pyvis_ships() -> None:
    script, style = vis_network_assets()
    assert "vis-network" in script and len(script) > 100_000
    assert ".vis-network" in style
    assert "sourceMappingURL" not in script


def test_export_html_write_error_names_the_path(tmp_path: Path) -> None:
    folder = tmp_path / "taken"
    folder.mkdir()
    with pytest.raises(GraphError, match="taken: cannot write the HTML viewer"):
        write(fixture_graph(), folder)


def _at(data: dict) -> dict[str, int]:
    return {detail["id"]: i for i, detail in enumerate(data["details"])}


def test_export_html_payload_carries_a_papers_results() -> None:
    data = viewer_payload(fixture_graph())
    at = _at(data)
    detail = data["details"][at["paper:arxiv:2310.00001"]]
    accuracy, error, imagenet, lora, transformer = (
        at[f"entity:{key}"] for key in ("accuracy", "error-rate", "imagenet", "lora", "transformer"))
    assert detail["results"] == [
        ["85.3", "%", "score", "abstract", 89, 164, 102, 106, [accuracy, imagenet, -1, lora, transformer], "80.1",
         [[89, 93, "method"], [108, 116, "metric"], [120, 128, "dataset"], [152, 163, "baseline"]]],
        ["14.7", "%", "score", "abstract", 165, 216, 183, 187, [error, imagenet, -1, lora, -1], "",
         [[169, 179, "metric"]]],
        ["2.5", "points", "reduction", "abstract", 165, 216, 205, 208, [error, -1, -1, lora, -1], "",
         [[169, 179, "metric"]]],
    ]
    abstract = detail["abstract"]
    assert abstract[89:164] == "LoRA reaches 85.3% accuracy on ImageNet, up from 80.1% for the Transformer."
    assert [abstract[s:e] for s, e, _part in detail["results"][0][10]] == ["LoRA", "accuracy", "ImageNet", "Transformer"]
    # Only papers with results carry the key; entities never do.
    assert sorted(d["id"] for d in data["details"] if "results" in d) == [
        "paper:arxiv:2310.00001", "paper:arxiv:2310.00004", "paper:title:0000000000000bad",
    ]


def test_export_html_payload_ranks_a_datasets_leaderboard() -> None:
    data = viewer_payload(fixture_graph())
    at = _at(data)
    p1, p4, hostile = at["paper:arxiv:2310.00001"], at["paper:arxiv:2310.00004"], at["paper:title:0000000000000bad"]
    # Accuracy highest first, error rate lowest first; the reduction of 2.5 points is no score.
    assert data["details"][at["entity:imagenet"]]["leaderboard"] == [
        [at["entity:accuracy"], "%", "higher", [[hostile, 0, 1], [p4, 0, 2], [p1, 0, 3]]],
        [at["entity:error-rate"], "%", "lower", [[p4, 1, 1], [p1, 1, 2]]],
    ]
    assert [d["id"] for d in data["details"] if "leaderboard" in d] == ["entity:imagenet"]


def _scored_graph(scores: list[tuple[str, str | None, str, str | None]]) -> nx.MultiDiGraph:
    """One paper per score ``(value, metric, unit, better)`` on dataset ``d``."""
    graph = nx.MultiDiGraph(name="kg")
    for key, kind in (("d", "Dataset"), ("m", "Metric"), ("n", "Metric")):
        graph.add_node(f"entity:{key}", kind=kind, label=key, name=key)
    for i, (value, metric, unit, better) in enumerate(scores):
        text = f"It scores {value}."
        graph.add_node(f"paper:{i}", kind="Paper", title=f"P{i}", abstract=text, results=[{
            "value": value, "number": float(value), "unit": unit, "kind": "score", "field": "abstract",
            "sentence": [0, len(text)], "start": 10, "end": 10 + len(value), "metric": metric, "dataset": "d",
            "better": better, "spans": {},
        }])
    return graph


def test_export_html_leaderboard_ties_units_and_unknown_directions() -> None:
    graph = _scored_graph([
        ("3", "m", "", None), ("5", "m", "", None), ("5", "m", "", None),  # direction unknown: highest first
        ("0.4", "n", "", "lower"), ("40", "n", "%", "lower"),  # another unit is another table
        ("7", None, "%", None),  # no metric: listed last, not ranked
    ])
    data = viewer_payload(graph)
    at = _at(data)
    paper = [at[f"paper:{i}"] for i in range(6)]
    assert data["details"][at["entity:d"]]["leaderboard"] == [
        [at["entity:m"], "", "", [[paper[1], 0, 1], [paper[2], 0, 1], [paper[0], 0, 3]]],
        [at["entity:n"], "", "lower", [[paper[3], 0, 1]]],
        [at["entity:n"], "%", "lower", [[paper[4], 0, 1]]],
        [-1, "", "", [[paper[5], 0, None]]],
    ]


def test_export_html_results_out_of_range_keep_the_number_without_the_sentence() -> None:
    graph = nx.MultiDiGraph(name="kg")
    graph.add_node("entity:m", kind="Metric", label="m", name="m")
    graph.add_node("paper:x", kind="Paper", title="T", abstract="We reach 85.3 m here.", results=[
        {"value": "85.3", "unit": "", "kind": "score", "field": "abstract", "sentence": [0, 21], "start": 9,
         "end": 13, "metric": "m", "spans": {"metric": [11, 15], "dataset": [9, 12], "task": [0, 2],
                                             "method": [3, 99], "sideways": [0, 1]}},
        {"value": "1", "unit": "", "kind": "ratio", "field": "abstract", "sentence": [0, 99], "start": 0, "end": 1,
         "metric": "unknown", "spans": {"metric": [0, 2]}},
        {"value": "2", "field": "summary", "sentence": [0, 1], "start": 0, "end": 1},
        "not a result", {"value": ""},
    ])
    detail = viewer_payload(graph)["details"][1]
    # The metric span overlaps the value, the dataset span too, the method span leaves the
    # sentence and "sideways" is no part: only the task span is kept.
    assert detail["results"] == [
        ["85.3", "", "score", "abstract", 0, 21, 9, 13, [0, -1, -1, -1, -1], "", [[0, 2, "task"]]],
        ["1", "", "ratio", "", 0, 0, 0, 0, [-1, -1, -1, -1, -1], "", []],
        ["2", "", "score", "", 0, 0, 0, 0, [-1, -1, -1, -1, -1], "", []],
    ]
