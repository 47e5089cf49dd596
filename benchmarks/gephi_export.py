"""Cost of the Gephi exports at corpus scale, on a synthetic graph of the build_graph contract.

Papers link to 4-16 entities drawn from a Zipf-like vocabulary (a few hubs
such as "accuracy" or "Transformer" in a large share of papers, a long tail
of names in one or two), with edge types and evidence like the real graph.
Prints, per projection, nodes, edges, seconds for each step and file sizes.
``--sample`` measures the graph ``kg build`` makes of the bundled sample
corpus instead (extraction included, about 10 s).

    python benchmarks/gephi_export.py 10000
    python benchmarks/gephi_export.py --sample
    python benchmarks/gephi_export.py --quick        # 300 synthetic papers (the test suite's run)
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import networkx as nx

from kg.export import gexf, graphml
from kg.export.flatten import flatten
from kg.export.gephi import clear_cache, prepare, write_lines
from kg.graph.layout import positions
from kg.graph.metrics import add_metrics
from kg.graph.projection import PROJECTIONS, project
from kg.records import ENTITY_TYPES

PAPER_EDGES = ("proposes", "uses", "evaluatedOn", "reportsMetric", "addresses", "mentions")


def synthetic_graph(papers: int, seed: int = 1) -> nx.MultiDiGraph:
    """A MultiDiGraph shaped like ``build_graph``'s output, with a Zipf-like entity popularity."""
    rng = random.Random(seed)
    vocabulary = max(50, papers // 2)
    weights = [1.0 / (rank + 1) ** 1.1 for rank in range(vocabulary)]
    graph = nx.MultiDiGraph(name="kg", base_iri="https://example.org/kg/")
    for rank in range(vocabulary):
        key = f"entity-{rank}"
        graph.add_node(
            f"entity:{key}", kind=ENTITY_TYPES[rank % len(ENTITY_TYPES)], label=f"Entity {rank}", key=key,
            name=f"Entity {rank}", aliases=[f"E{rank}"] if rank % 3 == 0 else [], acronym=None,
            paper_count=0, mention_count=0,
        )
    for number in range(papers):
        paper = f"paper:arxiv:2400.{number:05d}"
        graph.add_node(
            paper, kind="Paper", label=f"Paper {number}", title=f"Paper {number}", abstract="",
            date=f"2024-{number % 12 + 1:02d}-01", authors=["A. Author", "B. Author"], author_count=2,
            organisation=None, upvotes=number % 50, links=[], sources=[f"listing.md:{number}"], mentions=[],
        )
        for rank in set(rng.choices(range(vocabulary), weights=weights, k=rng.randint(4, 16))):
            edge_type = rng.choice(PAPER_EDGES)
            graph.add_edge(
                paper, f"entity:entity-{rank}", key=edge_type, type=edge_type, weight=1, confidence=0.7,
                evidence=[{"paper": paper, "field": "abstract", "sentence": "s", "start": 0, "end": 1,
                           "rule": "r", "confidence": 0.7}],
            )
            graph.nodes[f"entity:entity-{rank}"]["paper_count"] += 1
    return graph


def sample_graph() -> nx.MultiDiGraph:
    """The graph ``kg build`` exports for the bundled sample corpus."""
    from kg.build import BuildOptions, RunSettings, run_build
    from kg.build.outputs import built_graph
    from kg.report import RunReport

    with tempfile.TemporaryDirectory() as directory:
        run_build([], Path(directory), BuildOptions(formats=("nt",)), RunReport(), RunSettings(progress=False))
        return built_graph(Path(directory))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("papers", type=int, nargs="?", default=10000)
    parser.add_argument("--sample", action="store_true", help="the bundled sample corpus instead")
    parser.add_argument("--quick", action="store_true", help="300 synthetic papers: the smallest check")
    args = parser.parse_args()
    if args.quick:
        args.papers, args.sample = 300, False
    started = time.perf_counter()
    graph = sample_graph() if args.sample else synthetic_graph(args.papers)
    print(f"{'sample' if args.sample else 'synthetic'} graph: {graph.number_of_nodes()} nodes,"
          f" {graph.number_of_edges()} edges ({time.perf_counter() - started:.1f} s)")
    with tempfile.TemporaryDirectory() as directory:
        for projection in PROJECTIONS:
            t0 = time.perf_counter()
            flat = flatten(project(graph, projection), projection)
            t1 = time.perf_counter()
            add_metrics(flat)
            t2 = time.perf_counter()
            positions(flat)
            clear_cache()
            t3 = time.perf_counter()
            export = prepare(graph, projection)
            t4 = time.perf_counter()
            prepare(graph, projection)
            t4b = time.perf_counter()
            write_lines(graphml.generate(export), Path(directory) / "kg.graphml", "GraphML")
            t5 = time.perf_counter()
            write_lines(gexf.generate(export), Path(directory) / "kg.gexf", "GEXF")
            t6 = time.perf_counter()
            sizes = [(Path(directory) / name).stat().st_size / 2**20 for name in ("kg.graphml", "kg.gexf")]
            communities = len({data["community"] for _, data in export.nodes(data=True)})
            extra = f", {communities} communities"
            if projection == "papers":
                extra += f", {flat.graph['hubs_skipped']} hubs over {flat.graph['hub_limit']} papers skipped"
            print(
                f"{projection:9s}: {flat.number_of_nodes()} nodes, {flat.number_of_edges()} edges{extra}\n"
                f"           project and flatten {t1 - t0:.2f} s, metrics {t2 - t1:.2f} s, layout {t3 - t2:.2f} s,"
                f" prepare (all three) {t4 - t3:.2f} s, again (cached) {t4b - t4:.2f} s,\n"
                f"           write GraphML {t5 - t4b:.2f} s ({sizes[0]:.1f} MiB),"
                f" GEXF {t6 - t5:.2f} s ({sizes[1]:.1f} MiB)"
            )


if __name__ == "__main__":
    main()
