"""RDF writing speed: kg's writers (records -> sorted N-Triples -> Turtle via Oxigraph)
against rdflib's Turtle serializer, on the sample graph replicated to about 200k triples.

    .venv/bin/python benchmarks/rdf_speed.py [--copies 4]

Prints triples per second for each step (the fastest of --repeat runs) and the
ratio to rdflib. Timings on a shared machine are noisy: quote the ratios.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import rdflib

from kg.graph.edges import assemble
from kg.ingest import read_papers
from kg.pipeline import BuildOptions, process_partition, resolve_entities, summarise
from kg.rdf import ntriples, turtle
from kg.rdf.document import Document
from kg.rdf.namespace import prefixes
from kg.rdf.triples import decimal, integer, literal
from kg.records import Edge, Evidence
from kg.report import RunReport


def sample_records():
    papers = read_papers(None, RunReport())
    extractions = process_partition(papers, BuildOptions())
    table = resolve_entities(summarise(extractions))
    edges = list(assemble(papers, extractions, table))
    entities = [table.entities[k] for k in sorted(table.entities)]
    return papers, entities, edges


def replicate(papers, entities, edges, copies: int):
    """``copies`` disjoint copies of the graph (ids and keys suffixed), so every triple is new."""
    all_papers, all_entities, all_edges = [], [], []
    for n in range(copies):
        tag = f"-{n}"
        all_papers += [replace(p, id=p.id + tag) for p in papers]
        all_entities += [replace(e, key=e.key + tag) for e in entities]
        all_edges += [
            Edge(e.source + tag, e.target + tag, e.type,
                 [Evidence(v.paper + tag, v.field, v.sentence, v.start, v.end, v.rule, v.confidence)
                  for v in e.evidence])
            for e in edges
        ]
    return all_papers, all_entities, all_edges


def rate(count: int, seconds: float) -> str:
    return f"{count / seconds:>12,.0f} triples/s  ({seconds:.2f} s)"


def best(repeat: int, step: Callable[[], object]) -> float:
    """The fastest of ``repeat`` runs: the least disturbed by other jobs on the machine."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        step()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=4, help="copies of the sample graph (default 4)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per step, the fastest counts (default 3)")
    args = parser.parse_args()

    papers, entities, edges = replicate(*sample_records(), args.copies)
    folder = Path(tempfile.mkdtemp(prefix="kg-rdf-bench-"))
    document = Document.from_records(papers, entities, edges)
    count = document.count

    def generate() -> Document:
        for cached in (literal, integer, decimal):
            cached.cache_clear()  # every run starts cold, as a build does
        return Document.from_records(papers, entities, edges)

    generated = best(args.repeat, generate)
    nt_seconds = best(args.repeat, lambda: ntriples.write(document, folder / "kg.nt"))
    ttl_seconds = best(args.repeat, lambda: turtle.write(document, folder / "kg.ttl"))

    graph = rdflib.Graph()
    graph.parse(folder / "kg.nt", format="nt")
    for prefix, namespace in prefixes().items():
        graph.bind(prefix, namespace, override=True)
    rdflib_seconds = best(args.repeat, lambda: graph.serialize(folder / "rdflib.ttl", format="turtle"))

    print(f"graph: {len(papers):,} papers, {len(entities):,} entities, {len(edges):,} edges, "
          f"{count:,} triples; fastest of {args.repeat} runs per step")
    print(f"records -> sorted N-Triples document  {rate(count, generated)}")
    print(f"document -> kg.nt                      {rate(count, nt_seconds)}")
    print(f"document -> kg.ttl (Oxigraph)          {rate(count, ttl_seconds)}")
    print(f"records -> kg.nt                       {rate(count, generated + nt_seconds)}")
    print(f"records -> kg.ttl                      {rate(count, generated + ttl_seconds)}")
    print(f"records -> kg.nt + kg.ttl              {rate(count, generated + nt_seconds + ttl_seconds)}")
    print(f"rdflib Graph -> Turtle                 {rate(count, rdflib_seconds)}")
    print(f"ratio, Turtle serialiser (kg / rdflib):       {rdflib_seconds / ttl_seconds:.0f}x")
    print(f"ratio, records -> kg.ttl vs rdflib serialise: {rdflib_seconds / (generated + ttl_seconds):.0f}x")


if __name__ == "__main__":
    main()
