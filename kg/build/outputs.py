"""The files a build publishes in its output folder, besides the store.

RDF in every requested serialisation (streamed from the canonical ``kg.nt``),
the records (``extractions.jsonl``, ``entities.json``), the exports that need
the whole graph in memory (GraphML, GEXF, HTML), and the build report. Every
file is written to a temporary name and moved in place when complete.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.build.manifest import MANIFEST, Manifest
from kg.build.options import ENTITIES, EXTRACTIONS, REPORT, STEM, TIMINGS, WORK, BuildOptions
from kg.build.progress import Timer
from kg.build.shards import Shards
from kg.build.triples_step import Totals
from kg.errors import InputError
from kg.export import EXPORTERS
from kg.rdf import RDF_FORMATS
from kg.records import EDGE_TYPES, ENTITY_TYPES, EntityTable, Extraction, Paper
from kg.report import RunReport
from kg.textio import atomic_write

if TYPE_CHECKING:
    import networkx as nx


def write_rdf(canonical: Path, output: Path, formats: Sequence[str], base_iri: str, files: dict[str, str]) -> None:
    """Every requested RDF serialisation of the canonical sorted N-Triples file."""
    for name in formats:
        if name not in RDF_FORMATS:
            continue
        plugin = RDF_FORMATS.get(name)
        filename = STEM + plugin.suffix
        plugin.load()(canonical, output / filename, base_iri=base_iri)
        files[name] = filename


def write_records(output: Path, names: Sequence[str], shards: Shards, table: EntityTable,
                  files: dict[str, str]) -> None:
    """``extractions.jsonl`` (the shards' extractions in partition order) and ``entities.json``."""
    with atomic_write(output / EXTRACTIONS) as out:
        for name in names:
            with open(shards.extractions(name), encoding="utf-8") as shard:
                shutil.copyfileobj(shard, out)
    with atomic_write(output / ENTITIES) as out:
        json.dump(table.to_dict(), out, ensure_ascii=False, indent=1, sort_keys=True)
        out.write("\n")
    files["extractions"] = EXTRACTIONS
    files["entities"] = ENTITIES


def write_exports(
    output: Path, exports: Sequence[str], names: Sequence[str], shards: Shards, table: EntityTable,
    options: BuildOptions, report: RunReport, timer: Timer, files: dict[str, str],
) -> None:
    """GraphML, GEXF and HTML: they need the whole graph in memory, built once for all."""
    with timer.stage("graph"):
        graph = load_graph(shards, names, table, options.base_iri)
    for name in exports:
        plugin = EXPORTERS.get(name)
        with timer.stage(f"export.{name}"):
            filename = STEM + plugin.suffix
            plugin.load()(graph, output / filename, projection=options.projection, report=report)
            files[name] = filename


def load_graph(shards: Shards, names: Sequence[str], table: EntityTable, base_iri: str) -> nx.MultiDiGraph:
    """The in-memory graph of every shard's papers and extractions (``kg.graph.build``)."""
    from kg.graph.build import build_graph  # networkx, only when a graph is wanted

    papers: list[Paper] = []
    extractions: list[Extraction] = []
    for name in names:
        shard_papers, shard_extractions = shards.load(name)
        papers += shard_papers
        extractions += shard_extractions
    return build_graph(papers, extractions, table, base_iri=base_iri)


def built_graph(folder: Path) -> nx.MultiDiGraph:
    """The in-memory graph of a folder ``kg build`` wrote, read back from its work folder
    (to export it again from Python, or to measure the exporters on it)."""
    manifest = Manifest.load(folder / WORK / MANIFEST)
    if manifest is None:
        raise InputError(f"{folder}: not a folder written by kg build (no {WORK}/{MANIFEST})")
    table = EntityTable.from_dict(json.loads((folder / ENTITIES).read_text(encoding="utf-8")))
    base_iri = json.loads((folder / REPORT).read_text(encoding="utf-8"))["base_iri"]
    return load_graph(Shards(folder / WORK / "shards"), manifest.names, table, base_iri)


def summary(
    totals: Totals, table: EntityTable, triple_count: int, options: BuildOptions, inputs: Sequence[Path],
    generation: str,
) -> dict[str, Any]:
    """Papers, entities by type, edges by type, evidence and triples of a build, and its
    generation (the hash of its ``kg.nt``, also stamped on its store and work folder)."""
    by_type = Counter(entity.type for entity in table.entities.values())
    return {
        "generation": generation,
        "inputs": [str(p) for p in inputs] or ["kg:corpus"],
        "base_iri": options.base_iri,
        "papers": totals.papers,
        "entities": {"total": len(table.entities), "by_type": {t: by_type.get(t, 0) for t in ENTITY_TYPES}},
        "edges": {
            "total": sum(totals.edges_by_type.values()),
            "by_type": {t: totals.edges_by_type.get(t, 0) for t in EDGE_TYPES},
            "evidence": totals.evidence,
        },
        "results": totals.results,
        "triples": triple_count,
    }


def write_report(output: Path, summary: dict[str, Any], files: dict[str, str], report: RunReport,
                 timer: Timer) -> None:
    """``build-report.json`` (the same bytes for the same inputs: no timings) and
    ``build-timings.json`` (seconds per stage of this run)."""
    data = {**summary, "files": dict(sorted(files.items())), **report.to_dict()}
    with atomic_write(output / REPORT) as out:
        json.dump(data, out, ensure_ascii=False, indent=2)
        out.write("\n")
    with atomic_write(output / TIMINGS) as out:
        json.dump(timer.seconds, out, indent=2)
        out.write("\n")
    files["report"] = REPORT
    files["timings"] = TIMINGS
