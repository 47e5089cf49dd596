"""``kg build``'s stages: ingest -> extract + relate (per partition) -> reduce summaries ->
resolve entities -> assemble edges -> write outputs.

Each stage takes and returns plain records, so the per-partition stage can run
in another process or on a Dask worker and the rest only merges what comes
back. RDF is generated from the records (not from the networkx graph), so
N-Triples and Turtle do not need the graph in memory.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import UsageError
from kg.export import ALIASES, EXPORTERS
from kg.extract import BATCH_SIZE
from kg.rdf.namespace import DEFAULT_BASE_IRI
from kg.records import Extraction, Paper
from kg.relate import relate
from kg.report import RunReport

RDF_FORMATS: dict[str, str] = {"ttl": "kg.rdf.turtle", "nt": "kg.rdf.ntriples", "jsonld": "kg.rdf.jsonld"}
RDF_ALIASES = {"turtle": "ttl", "ntriples": "nt", "n-triples": "nt", "json-ld": "jsonld"}
EXPORT_SUFFIXES = {"graphml": ".graphml", "gexf": ".gexf", "html": ".html"}
DEFAULT_OUTPUT = Path("graphs")
STEM = "kg"
REPORT = "build-report.json"
EXTRACTIONS = "extractions.jsonl"
ENTITIES = "entities.json"

Progress = Callable[[Iterable[Any], int, str], Iterable[Any]]


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """Everything a build stage needs; plain values, so it can be sent to a worker."""

    base_iri: str = DEFAULT_BASE_IRI
    model: str | None = None
    batch_size: int = BATCH_SIZE
    formats: tuple[str, ...] | None = None
    jsonld: bool = False
    projection: str = "bipartite"
    evidence: str = "sentences"  # or "none": direct edge triples only (kg.rdf.triples.EVIDENCE_LEVELS)


@dataclass(slots=True)
class BuildResult:
    """What a build wrote and counted (the JSON build report, minus nothing)."""

    output: Path
    files: dict[str, str] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)


_NLP: dict[str | None, Any] = {}


def _nlp(model: str | None) -> Any:
    """One spaCy pipeline per process and model (a worker builds it once)."""
    if model not in _NLP:
        from kg.extract import build_nlp

        _NLP[model] = build_nlp(model)
    return _NLP[model]


def process_partition(
    papers: list[Paper], options: BuildOptions, progress: Progress | None = None
) -> list[Extraction]:
    """Extract and relate one partition of papers; returns plain records only.

    ``progress`` wraps the stream of finished extractions (a bar that moves as
    papers are done, not as they are queued).
    """
    from kg.extract import extract_papers

    by_id = {paper.id: paper for paper in papers}
    stream: Iterable[Extraction] = extract_papers(
        papers, nlp=_nlp(options.model), batch_size=options.batch_size
    )
    if progress is not None:
        stream = progress(stream, len(papers), "extracting")
    found: list[Extraction] = []
    for extraction in stream:
        extraction.relations = relate(by_id[extraction.id], extraction)
        found.append(extraction)
    return found


def summarise(extractions: Iterable[Extraction]) -> Any:
    """The per-partition canonical-form summary (merged across partitions with ``merge``)."""
    from kg.extract.canon import CanonSummary

    summary = CanonSummary()
    for extraction in extractions:
        summary.add(extraction)
    return summary


def resolve_entities(summary: Any) -> Any:
    """Corpus-wide entities from the merged summary."""
    from kg.extract.canon import resolve

    return resolve(summary)


def resolve_formats(requested: Sequence[str] | None, jsonld: bool, report: RunReport) -> list[str]:
    """Output formats by name: RDF formats and exporters. By default Turtle, N-Triples and
    every exporter whose module imports (a missing one is skipped with a warning)."""
    if requested is None:
        names = ["ttl", "nt"]
        for name in sorted(EXPORTERS):
            if _exporter_available(name, report):
                names.append(name)
    else:
        names = []
        for raw in requested:
            name = RDF_ALIASES.get(raw, ALIASES.get(raw, raw))
            if name not in RDF_FORMATS and name not in EXPORTERS:
                known = ", ".join(sorted([*RDF_FORMATS, *EXPORTERS]))
                raise UsageError(f"--formats: unknown format {raw!r}; expected some of: {known}")
            if name in EXPORTERS and not _exporter_available(name, report):
                continue
            if name not in names:
                names.append(name)
    if jsonld and "jsonld" not in names:
        names.append("jsonld")
    return names


def _exporter_available(name: str, report: RunReport) -> bool:
    module = EXPORTERS[name][0]
    try:
        importlib.import_module(module)
    except ImportError as err:
        report.warn("exporter", module, None, f"format {name!r} skipped: {err}")
        return False
    return True


class Timer:
    """Wall-clock seconds per stage, for the build report."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = round(self.seconds.get(name, 0.0) + time.perf_counter() - started, 3)
