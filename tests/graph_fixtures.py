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
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from kg.records import Entity, Extraction, Paper

THREE = Path(__file__).parent / "fixtures" / "three_papers"
GOLDEN = THREE / "golden"


@dataclass
class FixtureTable:
    """An entity table with the interface edges and graphs need (entities, key_for)."""

    entities: dict[str, Entity]
    forms: dict[str, str] = field(default_factory=dict)

    def key_for(self, canonical: str) -> str | None:
        return self.forms.get(canonical)

    def to_dict(self) -> dict[str, Any]:
        return {
            "entities": [self.entities[k].to_dict() for k in sorted(self.entities)],
            "forms": dict(sorted(self.forms.items())),
        }


def three_papers() -> tuple[list[Paper], list[Extraction], FixtureTable]:
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
    table = FixtureTable({e["key"]: Entity.from_dict(e) for e in data["entities"]}, data["forms"])
    return papers, extractions, table


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
