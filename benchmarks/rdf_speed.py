"""RDF writing speed: kg's build path (records -> sorted shard N-Triples -> k-way merge into
kg.nt -> Turtle via Oxigraph) against rdflib's Turtle serializer, on the sample corpus
replicated into several shards.

    .venv/bin/python benchmarks/rdf_speed.py [--copies 4] [--repeat 3]
    .venv/bin/python benchmarks/rdf_speed.py --quick      # smallest run (the test suite's)

Prints triples per second for each step (the fastest of --repeat runs) and the
ratio to rdflib. Timings on a shared machine are noisy: quote the ratios.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import rdflib

from kg.build import BuildOptions, RunSettings, run_build
from kg.build.options import CORPUS_NT, ENTITIES, WORK
from kg.build.shards import Shards
from kg.build.triples_step import (
    Totals,
    corpus_edges,
    merge_sorted,
    write_corpus_triples,
    write_shard_triples,
)
from kg.rdf import turtle
from kg.rdf.namespace import DEFAULT_BASE_IRI, prefixes
from kg.rdf.triples import decimal, integer, literal
from kg.records import EntityTable
from kg.report import RunReport


def replicated_shards(folder: Path, copies: int) -> tuple[Shards, list[str], EntityTable]:
    """The sample corpus built once, its shard copied ``copies`` times with paper ids
    suffixed (so every paper and edge triple is new); the entity table is shared."""
    built = folder / "built"
    run_build([], built, BuildOptions(formats=("nt",)), RunReport(), RunSettings(progress=False))
    table = EntityTable.from_dict(json.loads((built / ENTITIES).read_text(encoding="utf-8")))
    source = Shards(built / WORK / "shards")
    papers, extractions = source.load("part-00000")
    shards = Shards(folder / "shards")
    shards.folder.mkdir()
    names = []
    for n in range(copies):
        tag = f"-{n}"
        name = f"copy-{n:03d}"
        shards.write(name, {
            "papers": [{**p.to_dict(), "id": p.id + tag} for p in papers],
            "extractions": [{**e.to_dict(), "id": e.id + tag} for e in extractions],
            "summary": {},
        })
        names.append(name)
    return shards, names, table


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
    parser.add_argument("--copies", type=int, default=4, help="copies of the sample corpus (default 4)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per step, the fastest counts (default 3)")
    parser.add_argument("--quick", action="store_true", help="one copy, one run: the smallest check")
    args = parser.parse_args()
    if args.quick:
        args.copies, args.repeat = 1, 1

    folder = Path(tempfile.mkdtemp(prefix="kg-rdf-bench-"))
    shards, names, table = replicated_shards(folder, args.copies)
    spanning, canonical = folder / "corpus.nt", folder / CORPUS_NT

    def triples() -> None:
        for cached in (literal, integer, decimal):
            cached.cache_clear()  # every run starts cold, as a build does
        totals = Totals()
        for name in names:
            totals.merge(write_shard_triples(name, shards, table, DEFAULT_BASE_IRI))
        write_corpus_triples(spanning, table, corpus_edges(totals), totals, DEFAULT_BASE_IRI)

    generated = best(args.repeat, triples)
    counted: list[int] = []
    merged = best(args.repeat, lambda: counted.append(
        merge_sorted([shards.triples(n) for n in names] + [spanning], canonical)))
    count = counted[-1][0]
    ttl_seconds = best(args.repeat, lambda: turtle.write_file(canonical, folder / "kg.ttl"))

    graph = rdflib.Graph()
    graph.parse(canonical, format="nt")
    for prefix, namespace in prefixes().items():
        graph.bind(prefix, namespace, override=True)
    rdflib_seconds = best(args.repeat, lambda: graph.serialize(folder / "rdflib.ttl", format="turtle"))

    print(f"graph: {args.copies} cop{'y' if args.copies == 1 else 'ies'} of the sample corpus, "
          f"{len(table.entities):,} entities, {count:,} triples; fastest of {args.repeat} runs per step")
    print(f"records -> sorted shard N-Triples     {rate(count, generated)}")
    print(f"shards -> kg.nt (k-way merge)         {rate(count, merged)}")
    print(f"kg.nt -> kg.ttl (Oxigraph)            {rate(count, ttl_seconds)}")
    print(f"records -> kg.nt + kg.ttl             {rate(count, generated + merged + ttl_seconds)}")
    print(f"rdflib Graph -> Turtle                {rate(count, rdflib_seconds)}")
    print(f"ratio, Turtle serialiser (kg / rdflib):       {rdflib_seconds / ttl_seconds:.0f}x")
    print(f"ratio, records -> kg.ttl vs rdflib serialise: {rdflib_seconds / (generated + merged + ttl_seconds):.0f}x")


if __name__ == "__main__":
    main()
