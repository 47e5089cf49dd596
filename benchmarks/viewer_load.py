"""Load-to-interactive time of the HTML viewer in headless Chromium.

"Interactive" means ``window.kgReady`` is true: the page has parsed the graph
data, built the vis-network canvas, wired the legend, search, filters and
panel, and vis-network has finished its first complete drawing
(``afterDrawing``). The figure is ``window.kgReadyAt``, i.e. ``performance.now()``
at that moment, which counts from the start of navigation.

    .venv/bin/python benchmarks/viewer_load.py            # sample corpus + 10,000 nodes
    .venv/bin/python benchmarks/viewer_load.py --runs 5 --nodes 10000 --edges 20000
    .venv/bin/python benchmarks/viewer_load.py --quick    # one load of the sample and 400 nodes

The sample graph is the bundled corpus through the same stages as ``kg build``;
the synthetic one has the shape of a corpus graph (40 % papers, entities of
skewed popularity, an evidence sentence per edge). After loading, the script
also reports the median time to draw one frame while dragging the canvas
(large graphs hide edges during a drag) and the time to hide every paper with
the type filter.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

from kg.export.html import write
from kg.records import ENTITY_TYPES

TARGETS = {"sample": 3.0, "synthetic": 10.0}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
WORDS = (
    "we", "propose", "a", "novel", "method", "for", "efficient", "training", "of", "large",
    "models", "that", "improves", "accuracy", "on", "benchmark", "datasets", "while", "reducing",
    "compute", "and", "memory", "in", "diffusion", "transformers", "with", "attention",
    "retrieval", "reasoning", "alignment", "distillation", "quantization", "agents", "video",
    "speech",
)
PAPER_EDGE_TYPES = ("proposes", "uses", "evaluatedOn", "reportsMetric", "addresses", "mentions")
ENTITY_EDGE_TYPES = ("isA", "basedOn", "variantOf", "outperforms")


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def synthetic_graph(nodes: int = 10_000, edges: int = 20_000, *, seed: int = 11) -> nx.MultiDiGraph:
    """A corpus-shaped graph: 40 % papers with abstracts, entities of skewed popularity, evidence per edge."""
    rng = random.Random(seed)
    graph = nx.MultiDiGraph(name="kg", base_iri="https://example.org/kg/")
    paper_count = int(nodes * 0.4)
    papers = [f"paper:arxiv:2401.{i:05d}" for i in range(paper_count)]
    entities = [f"entity:entity-{i:05d}" for i in range(nodes - paper_count)]
    for i, node in enumerate(papers):
        abstract = " ".join(_sentence(rng, rng.randint(12, 25)) for _ in range(6))
        graph.add_node(
            node, kind="Paper", label=_sentence(rng, rng.randint(5, 12)).rstrip("."), title=f"Paper {i}",
            abstract=abstract, date=f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            authors=[f"Author {rng.randint(1, 5000)}" for _ in range(rng.randint(1, 6))], author_count=None,
            organisation=None, upvotes=rng.randint(0, 300), links=[f"https://arxiv.org/abs/2401.{i:05d}"],
            sources=[f"listing.txt:{i + 1}"], mentions=[],
        )
    for i, node in enumerate(entities):
        name = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 3))) + f" {i}"
        graph.add_node(
            node, kind=rng.choice(ENTITY_TYPES), label=name, key=node.removeprefix("entity:"), name=name,
            aliases=[name.upper()], acronym=None, paper_count=0, mention_count=0,
        )
    weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(entities))]
    entity_edges = edges // 10
    targets = rng.choices(entities, weights=weights, k=edges - entity_edges)
    for target in targets:
        source = rng.choice(papers)
        edge_type = rng.choice(PAPER_EDGE_TYPES)
        sentence = _sentence(rng, rng.randint(10, 20))
        evidence = [{"paper": source.removeprefix("paper:"), "field": "abstract", "sentence": sentence,
                     "start": 0, "end": len(sentence), "rule": "pattern", "confidence": 0.8}]
        graph.add_edge(source, target, key=edge_type, type=edge_type, weight=1, confidence=0.8, evidence=evidence)
    for _ in range(entity_edges):
        source, target = rng.sample(entities, 2)
        edge_type = rng.choice(ENTITY_EDGE_TYPES)
        graph.add_edge(source, target, key=edge_type, type=edge_type, weight=0, confidence=0.6, evidence=[])
    return graph


def sample_html(folder: Path) -> tuple[Path, int, int]:
    """``kg build --formats html`` over the bundled corpus: the page, its node and edge counts."""
    from kg.build import BuildOptions, RunSettings, run_build
    from kg.report import RunReport

    result = run_build([], folder, BuildOptions(formats=("html",)), RunReport(), RunSettings(progress=False))
    summary = result.summary
    return folder / result.files["html"], summary["papers"] + summary["entities"]["total"], summary["edges"]["total"]


FRAME_TIMER = """() => {
  window.kgFrames = [];
  let started = 0;
  kg.network.on("beforeDrawing", () => { started = performance.now(); });
  kg.network.on("afterDrawing", () => { window.kgFrames.push(performance.now() - started); });
}"""

FILTER_SCRIPT = """() => {
  const box = document.querySelector("#kg-kinds input[value=Paper]");
  const started = performance.now();
  box.click();
  const hidden = performance.now() - started;
  box.click();
  return hidden;
}"""


def drag_frame_ms(page: object) -> float:
    """Median milliseconds per frame while the mouse drags the canvas (a pan)."""
    page.evaluate(FRAME_TIMER)  # type: ignore[attr-defined]
    mouse = page.mouse  # type: ignore[attr-defined]
    mouse.move(700, 450)
    mouse.down()
    for step in range(12):
        mouse.move(700 + 12 * step, 450 + 4 * step)
    mouse.up()
    frames = page.evaluate("window.kgFrames")[:-1]  # type: ignore[attr-defined]
    return statistics.median(frames) if frames else float("nan")


def load_seconds(html: Path, executable: str, runs: int) -> tuple[list[float], float, float]:
    """Seconds from navigation start to ``window.kgReady``, one fresh page per run; then,
    on each page, the frame time while dragging and the milliseconds to hide every paper
    with the type filter (the last page's figures are returned)."""
    from playwright.sync_api import sync_playwright

    times = []
    frame = hide = 0.0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            for _ in range(runs):
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                page.goto(html.resolve().as_uri(), wait_until="commit")
                page.wait_for_selector("body[data-ready=true]", state="attached", timeout=120_000)
                times.append(page.evaluate("window.kgReadyAt") / 1000.0)
                frame = drag_frame_ms(page)
                hide = page.evaluate(FILTER_SCRIPT)
                page.close()
        finally:
            browser.close()
    return times, frame, hide


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="page loads per graph (median reported)")
    parser.add_argument("--nodes", type=int, default=10_000)
    parser.add_argument("--edges", type=int, default=20_000)
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    parser.add_argument("--quick", action="store_true", help="one load each, 400 synthetic nodes: the smallest check")
    args = parser.parse_args(argv)
    if args.quick:
        args.runs, args.nodes, args.edges = 1, 400, 800
    if not Path(args.chromium).exists():
        print(f"no Chromium at {args.chromium} (Debian: apt-get install chromium)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        pages = [("sample", *sample_html(Path(tmp) / "sample"), time.perf_counter() - started)]
        graph = synthetic_graph(args.nodes, args.edges)
        started = time.perf_counter()
        html = write(graph, Path(tmp) / "synthetic.html")
        pages.append(("synthetic", html, graph.number_of_nodes(), graph.number_of_edges(), time.perf_counter() - started))
        for name, html, nodes, edges, export in pages:
            times, frame, hide = load_seconds(html, args.chromium, args.runs)
            median = statistics.median(times)
            verdict = "ok" if median < TARGETS[name] else "over target"
            print(
                f"{name:9s} {nodes:6d} nodes {edges:6d} edges {html.stat().st_size / 1e6:5.1f} MB  "
                f"{'build' if name == 'sample' else 'export'} {export:4.1f} s  "
                f"load-to-interactive median {median:5.2f} s (runs: {', '.join(f'{t:.2f}' for t in times)}), "
                f"target < {TARGETS[name]:.0f} s: {verdict}; drag frame {frame:4.0f} ms, "
                f"type filter {hide:4.0f} ms"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
