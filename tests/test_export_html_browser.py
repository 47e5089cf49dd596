"""The viewer in a real browser: Debian's Chromium driven by Playwright, offline, from file://.

Skipped with a reason when Chromium or Playwright is missing, unless
KG_REQUIRE_BROWSER=1 (CI), which turns the skip into a failure.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from viewer_support import (
    ARTIFACTS,
    HOSTILE_TITLE,
    SCRIPT_BREAK,
    chromium,
    fixture_graph,
    new_page,
    sample_html,
)

from kg.export.html import write

pytestmark = pytest.mark.browser
READY = "body[data-ready=true]"


@dataclass
class Session:
    page: Any
    graph: Any
    html: Path
    console: list[tuple[str, str]] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def js(self, expression: str, arg: object = None) -> Any:
        return self.page.evaluate(expression, arg)

    def index(self, node_id: str) -> int:
        return self.js("id => kg.indexOf(id)", node_id)

    def reset(self) -> None:
        self.page.click("#kg-reset")
        self.page.fill("#kg-search", "")


def _open(page: Any, html: Path, graph: Any, fragment: str = "") -> Session:
    session = Session(page, graph, html)
    page.on("console", lambda m: session.console.append((m.type, m.text)))
    page.on("pageerror", lambda e: session.console.append(("pageerror", str(e))))
    page.on("request", lambda r: session.requests.append(r.url))

    def on_dialog(dialog: Any) -> None:
        session.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(html.resolve().as_uri() + fragment)
    page.wait_for_selector(READY, state="attached", timeout=30_000)
    return session


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def viewer(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Session:
    graph = fixture_graph()
    html = write(graph, tmp_path_factory.mktemp("viewer") / "kg.html")
    return _open(new_page(browser), html, graph)


def test_export_html_browser_draws_every_node_and_edge(viewer: Session) -> None:
    assert viewer.js("kg.renderedNodeCount()") == viewer.graph.number_of_nodes()
    assert viewer.js("kg.renderedEdgeCount()") == viewer.graph.number_of_edges()
    assert viewer.page.text_content("#kg-status") == "Showing 16 of 16 nodes \u00b7 18 of 18 edges"
    # Positions are the precomputed ones and physics stays off.
    first = viewer.js("kg.data.nodes[0]")
    drawn = viewer.js("kg.network.getPositions([0])[0]")  # vis-network rounds to whole units
    assert abs(drawn["x"] - first["x"]) < 1 and abs(drawn["y"] - first["y"]) < 1
    assert viewer.js("kg.network.physics.physicsEnabled") is False


def test_export_html_browser_shows_legend_with_palette(viewer: Session) -> None:
    names = viewer.page.locator("#kg-kinds .kg-name").all_text_contents()
    assert names == ["Paper", "Method", "Dataset", "Architecture", "Metric", "Task"]
    assert viewer.page.locator("#kg-edge-types li").count() == 10


def test_export_html_browser_search_by_alias_focuses_the_entity(viewer: Session) -> None:
    viewer.reset()
    viewer.page.fill("#kg-search", "ilsvrc")
    results = viewer.page.locator("#kg-results li[role=option]")
    assert results.count() == 1
    assert results.first.locator(".kg-result-label").text_content() == "ImageNet"
    viewer.page.press("#kg-search", "Enter")
    assert viewer.js("kg.network.getSelectedNodes()") == [viewer.index("entity:imagenet")]
    panel = viewer.page.locator("#kg-panel")
    assert panel.is_visible()
    assert panel.locator("h2").text_content() == "ImageNet"
    assert panel.locator("h4").first.text_content() == "evaluatedOn (1)"
    evidence = panel.locator(".kg-evidence").first
    assert evidence.locator("mark").text_content() == "ImageNet"


def test_export_html_browser_search_finds_papers_by_title(viewer: Session) -> None:
    viewer.reset()
    viewer.page.fill("#kg-search", "naïve café")
    label = viewer.page.locator("#kg-results li[role=option] .kg-result-label").first.text_content()
    assert label == "Straße, naïve café: 𝒳-former for image classification"


def test_export_html_browser_filters_by_kind_edge_type_and_degree(viewer: Session) -> None:
    viewer.reset()
    viewer.page.locator("#kg-kinds input[value=Paper]").uncheck()
    assert viewer.js("kg.renderedNodeCount()") == 10
    assert viewer.js("kg.renderedEdgeCount()") == 3  # the entity-to-entity edges
    viewer.page.locator("#kg-kinds input[value=Paper]").check()
    viewer.page.locator("#kg-edge-types input[value=uses]").uncheck()
    assert viewer.js("kg.renderedNodeCount()") == 16
    assert viewer.js("kg.renderedEdgeCount()") == 14
    viewer.reset()
    # Minimum degree 3: the slider steps through degrees that occur.
    step = viewer.js("Array.from(new Set([0].concat(kg.data.nodes.map(n => n.degree)))).sort((a, b) => a - b).indexOf(3)")
    viewer.page.locator("#kg-min-degree").fill(str(step))
    expected = sum(1 for node in viewer.graph if viewer.graph.degree(node) >= 3)
    assert viewer.js("kg.renderedNodeCount()") == expected
    assert viewer.page.text_content("#kg-min-degree-value") == "3"
    viewer.reset()
    assert viewer.js("kg.renderedNodeCount()") == 16


def test_export_html_browser_hostile_strings_stay_text(viewer: Session, tmp_path: Path) -> None:
    viewer.reset()
    viewer.page.fill("#kg-search", "onerror")
    labels = viewer.page.locator("#kg-results li[role=option] .kg-result-label").all_text_contents()
    assert labels.count(HOSTILE_TITLE) == 2  # the paper and the entity
    viewer.page.press("#kg-search", "Enter")
    panel = viewer.page.locator("#kg-panel")
    assert panel.locator("h2").text_content() == HOSTILE_TITLE
    paper = viewer.index("paper:title:0000000000000bad")
    viewer.js("i => kg.focusNode(i)", paper)
    abstract = panel.locator(".kg-abstract").text_content()
    assert "</script><script>alert('breakout')</script>" in abstract and "<b>bold</b>" in abstract
    assert panel.locator(".kg-abstract mark").all_text_contents() == ["Transformer"]
    assert panel.locator("h2").text_content() == HOSTILE_TITLE
    # The javascript: link is shown as text, the https one is a link.
    assert panel.locator("a").count() == 1
    assert panel.locator("a").get_attribute("href") == "https://arxiv.org/abs/title:0000000000000bad"
    viewer.js("i => kg.focusNode(i)", viewer.index("entity:hostile-method"))
    assert panel.locator(".kg-chip").all_text_contents()[0] == "</script><script>alert('breakout')</script>"
    # Hovering shows the tooltip as text (once the focus animation has ended).
    viewer.page.wait_for_timeout(700)
    node = viewer.index("entity:hostile-method")
    point = viewer.js(
        "i => { const p = kg.network.canvasToDOM(kg.network.getPositions([i])[i]);"
        " const r = document.getElementById('kg-network').getBoundingClientRect();"
        " return {x: p.x + r.left, y: p.y + r.top}; }",
        node,
    )
    viewer.page.mouse.move(point["x"] + 1, point["y"] + 1)
    viewer.page.mouse.move(point["x"], point["y"])
    tooltip = viewer.page.locator(".vis-tooltip")
    tooltip.wait_for(state="visible", timeout=5_000)
    assert tooltip.inner_text().startswith(HOSTILE_TITLE)
    assert viewer.js("document.querySelectorAll('img, b, iframe').length") == 0
    assert viewer.dialogs == []
    viewer.page.screenshot(path=str(tmp_path / "hostile.png"))


def test_export_html_browser_paper_panel_highlights_entities(viewer: Session) -> None:
    viewer.reset()
    viewer.js("i => kg.focusNode(i)", viewer.index("paper:arxiv:2310.00001"))
    panel = viewer.page.locator("#kg-panel")
    assert panel.locator(".kg-abstract mark").all_text_contents() == ["LoRA", "large language model", "ImageNet"]
    assert panel.locator("h2 mark").all_text_contents() == ["ImageNet"]
    facts = dict(zip(panel.locator("dt").all_text_contents(), panel.locator("dd").all_text_contents(), strict=True))
    assert facts["Date"] == "2023-10-02"
    assert facts["Authors"] == "Ada Lovelace, Alan <Turing>, 1 more"
    assert panel.locator("h4").all_text_contents() == [
        "proposes (1)", "uses (1)", "evaluatedOn (1)", "reportsMetric (1)",
    ]
    # Offsets count code points, as Python does: a character outside the BMP before a
    # mention does not shift the highlight.
    viewer.js("i => kg.focusNode(i)", viewer.index("paper:arxiv:2310.00004"))
    assert panel.locator(".kg-abstract mark").all_text_contents() == ["image classification", "accuracy"]
    viewer.js("i => kg.focusNode(i)", viewer.index("paper:arxiv:2310.00001"))
    # Clicking a highlighted entity opens it; Back returns to the paper.
    panel.locator(".kg-abstract mark", has_text="LoRA").click()
    assert panel.locator("h2").text_content() == "LoRA"
    assert panel.locator("h4").all_text_contents() == ["proposes (1)", "uses (1)", "\u2192 outperforms (1)"]
    viewer.page.click("#kg-back")
    assert panel.locator("h2").text_content() == "LoRA fine-tuning of a large language model on ImageNet"


def test_export_html_browser_paper_panel_lists_results(viewer: Session) -> None:
    viewer.reset()
    viewer.js("i => kg.focusNode(i)", viewer.index("paper:arxiv:2310.00001"))
    panel = viewer.page.locator("#kg-panel")
    assert panel.locator("h3", has_text="Results").text_content() == "Results (3)"
    items = panel.locator(".kg-numbers > li")
    assert items.locator(".kg-number-head").all_text_contents() == [
        "85.3% accuracy on ImageNet by LoRA vs Transformer (80.1%)",
        "14.7% error rate on ImageNet by LoRA",
        "2.5 points reduction error rate by LoRA",
    ]
    assert items.locator(".kg-kind").all_text_contents() == ["reduction"]
    first = items.first.locator(".kg-sentence")
    assert first.text_content() == "LoRA reaches 85.3% accuracy on ImageNet, up from 80.1% for the Transformer."
    assert first.locator("mark.kg-value").all_text_contents() == ["85.3"]
    assert first.locator("mark.kg-mark").all_text_contents() == ["LoRA", "accuracy", "ImageNet", "Transformer"]
    assert items.locator("mark.kg-value").all_text_contents() == ["85.3", "14.7", "2.5"]
    # The abstract's own highlights are the mentions only.
    assert panel.locator(".kg-abstract mark").all_text_contents() == ["LoRA", "large language model", "ImageNet"]
    # Offsets count code points: the 𝒳 before the sentence does not shift the marks.
    viewer.js("i => kg.focusNode(i)", viewer.index("paper:arxiv:2310.00004"))
    assert panel.locator(".kg-numbers mark.kg-value").all_text_contents() == ["86.0", "12.5"]
    assert panel.locator(".kg-numbers mark.kg-mark").all_text_contents() == [
        "accuracy", "ImageNet", "error rate", "ImageNet",
    ]
    # Entity names open the entity: a button in the line, a mark in the sentence.
    viewer.js("i => kg.focusNode(i)", viewer.index("paper:arxiv:2310.00001"))
    panel.locator(".kg-number-head button", has_text="Transformer").click()
    assert panel.locator("h2").text_content() == "Transformer"
    viewer.page.click("#kg-back")
    panel.locator(".kg-numbers .kg-sentence mark.kg-mark", has_text="ImageNet").first.click()
    assert panel.locator("h2").text_content() == "ImageNet"


def test_export_html_browser_dataset_panel_ranks_best_first(viewer: Session) -> None:
    viewer.reset()
    viewer.js("i => kg.focusNode(i)", viewer.index("entity:imagenet"))
    panel = viewer.page.locator("#kg-panel")
    boards = panel.locator("table.kg-board")
    assert boards.locator("caption").all_text_contents() == [
        "accuracy \u00b7 % \u00b7 3 scores \u00b7 higher is better",
        "error rate \u00b7 % \u00b7 2 scores \u00b7 lower is better",
    ]

    def rows(table: Any) -> list[list[str]]:
        return [row.locator("td").all_text_contents() for row in table.locator("tbody tr").all()]

    lora_paper = "LoRA fine-tuning of a large language model on ImageNet"
    x_former = "Straße, naïve café: 𝒳-former for image classification"
    assert rows(boards.nth(0)) == [
        ["1", "99.9%", HOSTILE_TITLE + HOSTILE_TITLE, ""],
        ["2", "86.0%", x_former, ""],
        ["3", "85.3%", "LoRA" + lora_paper, "2023"],
    ]
    # Error rate: lower is better, so the smaller number comes first.
    assert rows(boards.nth(1)) == [["1", "12.5%", x_former, ""], ["2", "14.7%", "LoRA" + lora_paper, "2023"]]
    assert boards.nth(0).locator("tbody tr").nth(2).locator(".kg-board-paper").text_content() == lora_paper
    boards.nth(1).locator("tbody tr").nth(1).locator(".kg-board-paper button").click()
    assert panel.locator("h2").text_content() == lora_paper
    viewer.page.click("#kg-back")
    boards.nth(0).locator("caption button").click()
    assert panel.locator("h2").text_content() == "accuracy"


def test_export_html_browser_leaderboard_shows_ten_rows_then_a_count(browser: Any, tmp_path: Path) -> None:
    graph = nx.MultiDiGraph(name="kg")
    graph.add_node("entity:d", kind="Dataset", label="D", name="D")
    graph.add_node("entity:ppl", kind="Metric", label="perplexity", name="perplexity")
    for i in range(13):
        text = f"It reaches a perplexity of {30 - i}.5 on D."
        start = text.index(f"{30 - i}.5")
        graph.add_node(f"paper:{i:02d}", kind="Paper", title=f"Paper {i:02d}", abstract=text, date=f"20{10 + i}-01-01",
                       results=[{"value": f"{30 - i}.5", "number": 30.5 - i, "unit": "", "kind": "score",
                                 "field": "abstract", "sentence": [0, len(text)], "start": start, "end": start + 4,
                                 "metric": "ppl", "dataset": "d", "better": "lower", "spans": {}}])
        graph.add_edge(f"paper:{i:02d}", "entity:d", key="evaluatedOn", type="evaluatedOn", weight=1, evidence=[])
    session = _open(new_page(browser), write(graph, tmp_path / "kg.html"), graph, "#entity%3Ad")
    panel = session.page.locator("#kg-panel")
    panel.locator("table.kg-board").wait_for(state="visible")
    values = panel.locator(".kg-board-value")
    assert values.all_text_contents() == [f"{18 + k}.5" for k in range(10)]
    assert panel.locator(".kg-board-year").first.text_content() == "2022"
    more = panel.locator("button.kg-more", has_text="more")
    assert more.text_content() == "Show 3 more"
    more.click()
    assert values.all_text_contents() == [f"{18 + k}.5" for k in range(13)]
    assert panel.locator("button.kg-more", has_text="more").count() == 0
    assert [e for e in session.console if e[0] in ("error", "pageerror", "warning")] == []
    session.page.context.close()


def test_export_html_browser_hostile_result_sentence_stays_text(viewer: Session) -> None:
    viewer.reset()
    viewer.js("i => kg.focusNode(i)", viewer.index("paper:title:0000000000000bad"))
    panel = viewer.page.locator("#kg-panel")
    sentence = panel.locator(".kg-numbers .kg-sentence")
    assert sentence.text_content() == f"{HOSTILE_TITLE} reaches 99.9% <b>accuracy</b> on ImageNet {SCRIPT_BREAK}."
    assert sentence.locator("mark.kg-value").all_text_contents() == ["99.9"]
    assert sentence.locator("mark.kg-mark").all_text_contents() == [HOSTILE_TITLE, "accuracy", "ImageNet"]
    assert panel.locator(".kg-number-head").text_content() == f"99.9% accuracy on ImageNet by {HOSTILE_TITLE}"
    viewer.js("i => kg.focusNode(i)", viewer.index("entity:imagenet"))
    assert panel.locator(".kg-board .kg-board-who").first.text_content() == HOSTILE_TITLE + HOSTILE_TITLE
    assert viewer.js("document.querySelectorAll('img, b, iframe').length") == 0
    assert viewer.js("document.scripts.length") == 3
    assert viewer.dialogs == []


def test_export_html_browser_address_keeps_the_open_node(viewer: Session, browser: Any) -> None:
    viewer.reset()
    viewer.js("i => kg.focusNode(i)", viewer.index("entity:imagenet"))
    assert viewer.page.url.endswith("#entity%3Aimagenet")
    other = _open(new_page(browser), viewer.html, viewer.graph, "#paper%3Aarxiv%3A2310.00001")
    other.page.locator("#kg-panel h2").wait_for(state="visible")
    assert other.page.locator("#kg-panel h2").text_content() == "LoRA fine-tuning of a large language model on ImageNet"
    assert other.js("kg.network.getSelectedNodes()") == [other.index("paper:arxiv:2310.00001")]
    other.page.click("#kg-close")
    assert other.page.url.endswith("#") and other.js("window.location.hash") == ""
    assert [e for e in other.console if e[0] in ("error", "pageerror", "warning")] == []
    other.page.context.close()


def test_export_html_browser_offline_and_silent_with_screenshot(viewer: Session) -> None:
    viewer.reset()
    viewer.page.mouse.move(5, 5)
    viewer.js("i => kg.focusNode(i)", viewer.index("entity:large-language-model"))
    viewer.page.wait_for_timeout(600)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    viewer.page.screenshot(path=str(ARTIFACTS / "viewer-fixture.png"))
    outside = [url for url in viewer.requests if not url.startswith("file://")]
    assert outside == []
    errors = [entry for entry in viewer.console if entry[0] in ("error", "pageerror", "warning")]
    assert errors == []
    assert viewer.dialogs == []


@pytest.mark.slow
def test_export_html_browser_sample_corpus(browser: Any, tmp_path: Path) -> None:
    """The page ``kg build`` writes for the bundled corpus: complete, offline, searchable."""
    html, node_count, edge_count = sample_html(tmp_path)
    session = _open(new_page(browser), html, None)
    page = session.page
    assert session.js("kg.renderedNodeCount()") == node_count
    assert session.js("kg.renderedEdgeCount()") == edge_count
    page.fill("#kg-search", "imagenet")
    assert page.locator("#kg-results li[role=option] .kg-result-label").first.text_content() == "ImageNet"
    page.press("#kg-search", "Enter")
    assert page.locator("#kg-panel h2").text_content() == "ImageNet"
    assert page.locator("#kg-panel .kg-evidence").count() > 0
    assert page.locator("#kg-panel table.kg-board tbody tr").count() > 0
    page.locator("#kg-kinds input[value=Paper]").uncheck()
    papers = session.js("kg.data.nodes.filter(n => n.group === 'Paper').length")
    assert session.js("kg.renderedNodeCount()") == node_count - papers
    page.click("#kg-reset")
    page.wait_for_timeout(500)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "viewer-sample.png"))
    assert [url for url in session.requests if not url.startswith("file://")] == []
    assert [entry for entry in session.console if entry[0] in ("error", "pageerror", "warning")] == []
    assert session.dialogs == []
