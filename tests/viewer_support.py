"""Shared helpers for the viewer tests: a hand-made graph with hostile strings and a browser.

The graph follows the contract of ``kg.graph.build.build_graph`` (node and edge
attributes) so the viewer can be tested without running the pipeline.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

HOSTILE_TITLE = "<img src=x onerror=alert(1)>"
SCRIPT_BREAK = "</script><script>alert('breakout')</script>"
ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_path() -> str | None:
    """``KG_CHROMIUM`` if set, else Debian's ``chromium`` on the PATH, if installed."""
    chosen = os.environ.get("KG_CHROMIUM")
    candidates = [chosen] if chosen else ["chromium", "chromium-browser", "/usr/bin/chromium"]
    for candidate in candidates:
        found = shutil.which(candidate)
        if found:
            return found
    return None


def require_browser() -> str:
    """The Chromium executable; skip with a reason, or fail when ``KG_REQUIRE_BROWSER=1``."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        reason = "Playwright for Python is not installed (pip install playwright)"
    else:
        path = chromium_path()
        if path:
            return path
        reason = "no Chromium found (Debian: apt-get install chromium; or set KG_CHROMIUM)"
    if os.environ.get("KG_REQUIRE_BROWSER") == "1":
        pytest.fail(f"KG_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


@contextmanager
def chromium() -> Iterator[Any]:
    """Headless Chromium through Playwright (no browser download); one per test module,
    since Playwright's sync API cannot run two at once."""
    from playwright.sync_api import sync_playwright

    executable = require_browser()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser: Any, width: int = 1400, height: int = 900) -> Any:
    """A page in a fresh context, so no state leaks between pages."""
    return browser.new_context(viewport={"width": width, "height": height}).new_page()


def _evidence(paper: str, sentence: str, confidence: float = 0.8, rule: str = "pattern") -> dict[str, Any]:
    return {"paper": paper, "field": "abstract", "sentence": sentence, "start": 0, "end": len(sentence),
            "rule": rule, "confidence": confidence}


def _mention(text: str, field: str, surface: str, type_: str, key: str) -> dict[str, Any]:
    start = text.index(surface)
    return {"field": field, "start": start, "end": start + len(surface), "type": type_, "key": key}


BETTER = {"accuracy": "higher", "error-rate": "lower", "bleu": "higher"}


def _result(
    text: str, sentence: str, value: str, parts: dict[str, tuple[str, str | None]], names: dict[str, str], *,
    unit: str = "%", kind: str = "score", baseline_value: float | None = None, field: str = "abstract",
) -> dict[str, Any]:
    """A result as ``kg.graph.build.paper_results`` makes it: ``parts`` maps a part to its
    entity key and the words naming it in the sentence (None when the sentence does not)."""
    at = text.index(sentence)
    start = at + sentence.index(value)
    item: dict[str, Any] = {
        "value": value, "number": float(value), "upper": None, "unit": unit, "kind": kind, "field": field,
        "sentence": [at, at + len(sentence)], "start": start, "end": start + len(value), "rule": "result.adjacent",
        "confidence": 0.8, "baseline_value": baseline_value, "spans": {},
    }
    for part in ("metric", "dataset", "task", "method", "baseline"):
        key, surface = parts.get(part, (None, None))
        item[part], item[f"{part}_name"] = key, names[key] if key else None
        if surface:
            offset = at + sentence.index(surface)
            item["spans"][part] = [offset, offset + len(surface)]
    item["spans"] = dict(sorted(item["spans"].items()))
    item["better"] = BETTER.get(item["metric"]) if item["metric"] else None
    return item


def fixture_graph() -> nx.MultiDiGraph:
    """Six papers and ten entities, with titles, aliases and abstracts that try to break out,
    and results: scores on ImageNet in accuracy (higher is better) and error rate (lower)."""
    graph = nx.MultiDiGraph(name="kg", base_iri="https://example.org/kg/")
    entities = [
        ("imagenet", "ImageNet", "Dataset", ["ImageNet-1k", "ILSVRC"], None),
        ("large-language-model", "large language model", "Architecture", ["LLM", "LLMs"], "LLM"),
        ("transformer", "Transformer", "Architecture", ["transformers"], None),
        ("lora", "LoRA", "Method", ["low-rank adaptation", 'LoRA "quoted" \\ backslash'], "LoRA"),
        ("hostile-method", HOSTILE_TITLE, "Method", [SCRIPT_BREAK, "a\u2028b\u2029c"], None),
        ("accuracy", "accuracy", "Metric", ["top-1 accuracy"], None),
        ("error-rate", "error rate", "Metric", ["top-1 error"], None),
        ("image-classification", "image classification", "Task", [], None),
        ("bleu", "BLEU", "Metric", [], "BLEU"),
        ("zero-shot-reasoning", "zero-shot reasoning", "Task", ["Denkfähigkeit ohne Beispiele"], None),
    ]
    for key, name, kind, aliases, acronym in entities:
        graph.add_node(
            f"entity:{key}", kind=kind, label=name, key=key, name=name, aliases=aliases, acronym=acronym,
            paper_count=1, mention_count=2,
        )
    papers = [
        ("arxiv:2310.00001", "LoRA fine-tuning of a large language model on ImageNet",
         "We propose LoRA for a large language model. We evaluate on ImageNet and report accuracy. "
         "LoRA reaches 85.3% accuracy on ImageNet, up from 80.1% for the Transformer. "
         "Its error rate is 14.7%, a reduction of 2.5 points.",
         "2023-10-02"),
        ("title:0000000000000bad", HOSTILE_TITLE,
         f"An abstract with {SCRIPT_BREAK} and <b>bold</b> & \"quotes\" and a back\\slash; "
         f"it uses the Transformer and LoRA. {HOSTILE_TITLE} reaches 99.9% <b>accuracy</b> on ImageNet {SCRIPT_BREAK}.",
         "--03-14"),
        ("arxiv:2310.00003", "Zero-shot reasoning in LLMs: $\\mathcal{O}(n^2)$ attention",
         "Large language models (LLMs) show zero-shot reasoning. We use the Transformer.\u2028Line two.",
         "2023-10-05"),
        ("arxiv:2310.00004", "Straße, naïve café: 𝒳-former for image classification",
         "We study image classification with the 𝒳-former, a Transformer variant, measuring accuracy. "
         "The 𝒳-former reaches 86.0% accuracy and a 12.5% error rate on ImageNet.",
         None),
        ("title:00000000000000b5", "Machine translation with BLEU \\ backslashes \\n and 'quotes'",
         "We report BLEU.", "2024-01"),
        ("arxiv:2310.00006", "An isolated paper with no entities", "", None),
    ]
    for pid, title, abstract, date in papers:
        graph.add_node(
            f"paper:{pid}", kind="Paper", label=title, title=title, abstract=abstract, date=date,
            authors=["Ada Lovelace", "Alan <Turing>"], author_count=3, organisation="Org & Co",
            upvotes=12, links=[f"https://arxiv.org/abs/{pid}", "javascript:alert(2)"],
            sources=["hf-papers-01.txt:12"], mentions=[],
        )
    p1, p2, p3, p4, p5, _p6 = (f"paper:{p[0]}" for p in papers)
    graph.nodes[p1]["mentions"] = [
        _mention(papers[0][2], "abstract", "LoRA", "Method", "lora"),
        _mention(papers[0][2], "abstract", "large language model", "Architecture", "large-language-model"),
        _mention(papers[0][2], "abstract", "ImageNet", "Dataset", "imagenet"),
        _mention(papers[0][1], "title", "ImageNet", "Dataset", "imagenet"),
    ]
    names = {key: name for key, name, *_rest in entities}
    s1 = "LoRA reaches 85.3% accuracy on ImageNet, up from 80.1% for the Transformer."
    s2 = "Its error rate is 14.7%, a reduction of 2.5 points."
    graph.nodes[p1]["results"] = [
        _result(papers[0][2], s1, "85.3", {"metric": ("accuracy", "accuracy"), "dataset": ("imagenet", "ImageNet"),
                "method": ("lora", "LoRA"), "baseline": ("transformer", "Transformer")}, names, baseline_value=80.1),
        _result(papers[0][2], s2, "14.7", {"metric": ("error-rate", "error rate"), "dataset": ("imagenet", None),
                "method": ("lora", None)}, names),
        _result(papers[0][2], s2, "2.5", {"metric": ("error-rate", "error rate"), "method": ("lora", None)}, names,
                unit="points", kind="reduction"),
    ]
    s3 = f"{HOSTILE_TITLE} reaches 99.9% <b>accuracy</b> on ImageNet {SCRIPT_BREAK}."
    graph.nodes[p2]["results"] = [
        _result(papers[1][2], s3, "99.9", {"metric": ("accuracy", "accuracy"), "dataset": ("imagenet", "ImageNet"),
                "method": ("hostile-method", HOSTILE_TITLE)}, names),
    ]
    s4 = "The 𝒳-former reaches 86.0% accuracy and a 12.5% error rate on ImageNet."
    graph.nodes[p4]["results"] = [
        _result(papers[3][2], s4, "86.0", {"metric": ("accuracy", "accuracy"), "dataset": ("imagenet", "ImageNet")},
                names),
        _result(papers[3][2], s4, "12.5", {"metric": ("error-rate", "error rate"), "dataset": ("imagenet", "ImageNet")},
                names),
    ]
    graph.nodes[p2]["mentions"] = [_mention(papers[1][2], "abstract", "Transformer", "Architecture", "transformer")]
    graph.nodes[p4]["mentions"] = [
        _mention(papers[3][2], "abstract", "image classification", "Task", "image-classification"),
        _mention(papers[3][2], "abstract", "accuracy", "Metric", "accuracy"),
    ]

    def edge(source: str, target: str, type_: str, *sentences: str) -> None:
        evidence = [_evidence(source.removeprefix("paper:"), s) for s in sentences]
        graph.add_edge(source, target, key=type_, type=type_, weight=len(evidence),
                       confidence=0.9 if evidence else 0.5, evidence=evidence)

    edge(p1, "entity:lora", "proposes", "We propose LoRA for a large language model.")
    edge(p1, "entity:large-language-model", "uses", "We propose LoRA for a large language model.")
    edge(p1, "entity:imagenet", "evaluatedOn", "We evaluate on ImageNet and report accuracy.")
    edge(p1, "entity:accuracy", "reportsMetric", "We evaluate on ImageNet and report accuracy.")
    edge(p2, "entity:hostile-method", "proposes", f"We propose {HOSTILE_TITLE} {SCRIPT_BREAK}.")
    edge(p2, "entity:transformer", "uses", "It uses the Transformer and LoRA.")
    edge(p2, "entity:lora", "uses", "It uses the Transformer and LoRA.")
    edge(p3, "entity:large-language-model", "mentions", "Large language models (LLMs) show zero-shot reasoning.")
    edge(p3, "entity:zero-shot-reasoning", "addresses", "Large language models (LLMs) show zero-shot reasoning.")
    edge(p3, "entity:transformer", "uses", "We use the Transformer.\u2028Line two.")
    edge(p4, "entity:image-classification", "addresses", "We study image classification with the 𝒳-former.")
    edge(p4, "entity:accuracy", "reportsMetric", "measuring accuracy.")
    edge(p4, "entity:error-rate", "reportsMetric", "The 𝒳-former reaches 86.0% accuracy and a 12.5% error rate on ImageNet.")
    edge(p4, "entity:transformer", "mentions", "the 𝒳-former, a Transformer variant")
    edge(p5, "entity:bleu", "reportsMetric", "We report BLEU.")
    edge("entity:large-language-model", "entity:transformer", "basedOn")
    graph.add_edge("entity:lora", "entity:hostile-method", key="outperforms", type="outperforms", weight=1,
                   confidence=0.7, evidence=[_evidence(papers[1][0], "LoRA outperforms <img src=x onerror=alert(1)>.")])
    edge("entity:imagenet", "entity:image-classification", "isA")
    return graph


def sample_html(folder: Path) -> tuple[Path, int, int]:
    """``kg build --formats html`` over the bundled corpus: the page and the graph's node and edge counts."""
    from kg.build import BuildOptions, RunSettings, run_build
    from kg.report import RunReport

    report = RunReport()
    result = run_build([], folder, BuildOptions(formats=("html",)), report, RunSettings(progress=False))
    summary = result.summary
    return folder / result.files["html"], summary["papers"] + summary["entities"]["total"], summary["edges"]["total"]
