"""Shared inputs of the relate, graph, RDF, query and build tests.

The three-paper fixture is hand-made records (papers with hostile strings,
extractions with exact offsets, an entity table), so these tests need no
extractor. The sample graph is the bundled corpus built once per test session
into a temporary folder.
"""

from __future__ import annotations

import atexit
import json
import shutil
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from kg.ids import DEFAULT_BASE_IRI
from kg.records import Entity, EntityTable, Extraction, Paper

THREE = Path(__file__).parent / "fixtures" / "three_papers"
GOLDEN = THREE / "golden"


def three_papers() -> tuple[list[Paper], list[Extraction], EntityTable]:
    """Fresh copies of the fixture records, relations filled in by ``relate``."""
    from kg.relate import relate

    papers = [Paper.from_dict(json.loads(line)) for line in (THREE / "papers.jsonl").open(encoding="utf-8")]
    extractions = [
        Extraction.from_dict(json.loads(line)) for line in (THREE / "extractions.jsonl").open(encoding="utf-8")
    ]
    by_id = {paper.id: paper for paper in papers}
    for extraction in extractions:
        extraction.relations = relate(by_id[extraction.id], extraction)
    data = json.loads((THREE / "entities.json").read_text(encoding="utf-8"))
    table = EntityTable({e["key"]: Entity.from_dict(e) for e in data["entities"]}, data["forms"])
    return papers, extractions, table


def write_fixture_rdf(folder: Path, base_iri: str = DEFAULT_BASE_IRI) -> Path:
    """The three-paper fixture through the build's own RDF path into ``folder``: one shard
    written as the extract step writes it, its sorted triples, the triples that span shards,
    the k-way merge into ``kg.nt``, and Turtle and JSON-LD streamed from that file."""
    from kg.build.outputs import write_rdf
    from kg.build.shards import Shards
    from kg.build.triples_step import (
        corpus_edges,
        merge_sorted,
        write_corpus_triples,
        write_shard_triples,
    )
    from kg.extract.canon import CanonSummary

    papers, extractions, table = three_papers()
    shards = Shards(folder / "work" / "shards")
    shards.folder.mkdir(parents=True)
    shards.write("part-00000", {"papers": [p.to_dict() for p in papers],
                                "extractions": [e.to_dict() for e in extractions],
                                "summary": CanonSummary.of(extractions).to_dict()})
    totals = write_shard_triples("part-00000", shards, table, base_iri)
    spanning = folder / "work" / "corpus.nt"
    write_corpus_triples(spanning, table, corpus_edges(totals), totals, base_iri)
    canonical = folder / "work" / "kg.nt"
    merge_sorted([shards.triples("part-00000"), spanning], canonical)
    write_rdf(canonical, folder, ("nt", "ttl", "jsonld"), base_iri, {})
    return folder


@cache
def sample_build() -> Path:
    """The bundled corpus built with ``kg build`` defaults into a temporary folder, once."""
    from kg.build import BuildOptions, RunSettings, run_build
    from kg.report import RunReport

    folder = Path(tempfile.mkdtemp(prefix="kg-sample-build-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    run_build([], folder, BuildOptions(formats=("ttl", "nt", "jsonld")), RunReport(), RunSettings(progress=False))
    return folder


@cache
def sample_store():
    """The sample graph in an Oxigraph store."""
    from kg.rdf.store import open_store

    return open_store([sample_build() / "kg.nt"])


@cache
def sample_records() -> tuple[list[Paper], list[Extraction], Any, list[Any]]:
    """Papers, extractions, entity table and edges of the sample build, read back from the
    records it wrote (an answer computed from these is independent of RDF and SPARQL)."""
    from kg.graph.edges import assemble
    from kg.ingest import read_papers
    from kg.records import EntityTable
    from kg.report import RunReport

    folder = sample_build()
    papers = read_papers(None, RunReport())
    with (folder / "extractions.jsonl").open(encoding="utf-8") as handle:
        extractions = [Extraction.from_dict(json.loads(line)) for line in handle]
    table = EntityTable.from_dict(json.loads((folder / "entities.json").read_text(encoding="utf-8")))
    return papers, extractions, table, list(assemble(papers, extractions, table))


def select(
    query: str, params: dict[str, str] | None = None, limit: int | None = None
) -> list[dict[str, str | None]]:
    """Rows of a saved query on the sample graph, each value as plain text; ``limit``
    replaces the query's own LIMIT (0: every row)."""
    from kg.rdf.queries import run, saved, with_limit

    text = saved(query).text if limit is None else with_limit(saved(query).text, limit)
    result = run(sample_store(), text, params)
    names = [v.value for v in result.variables]
    return [{n: (None if row[n] is None else row[n].value) for n in names} for row in result]
