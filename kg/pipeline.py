"""``kg build`` as stages: ingest -> extract + relate (per partition) -> reduce summaries ->
resolve entities -> assemble edges -> write outputs.

Each stage takes and returns plain records, so the per-partition stage can run
in another process or on a Dask worker and the rest only merges what comes
back. RDF is generated from the records (not from the networkx graph), so
N-Triples and Turtle do not need the graph in memory.
"""

from __future__ import annotations

import importlib
import json
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import UsageError
from kg.export import ALIASES, EXPORTERS
from kg.rdf.namespace import DEFAULT_BASE_IRI, check_base_iri
from kg.records import EDGE_TYPES, ENTITY_TYPES, Edge, Extraction, Paper
from kg.relate import relate
from kg.report import RunReport
from kg.textio import atomic_write

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
    batch_size: int = 256
    formats: tuple[str, ...] | None = None
    jsonld: bool = False


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


def build(
    papers: list[Paper],
    output: Path,
    options: BuildOptions,
    report: RunReport,
    *,
    progress: Progress | None = None,
    inputs: Sequence[str] = (),
    timer: Timer | None = None,
) -> BuildResult:
    """Run every stage after ingest and write the outputs into ``output``.

    Every file is written atomically; the RDF files are byte-identical for
    the same input. The report adds per-stage timings, so it is the one
    output that changes between runs.
    """
    from kg.rdf.document import Document

    check_base_iri(options.base_iri)
    if output.exists() and not output.is_dir():
        raise UsageError(f"-o {output}: expected a folder, found a file")
    timer = timer or Timer()
    formats = resolve_formats(options.formats, options.jsonld, report)
    result = BuildResult(output)

    with timer.stage("extract"):
        extractions = process_partition(papers, options, progress)
    with timer.stage("resolve"):
        table = resolve_entities(summarise(extractions))
    with timer.stage("edges"):
        edges = assemble_edges(papers, extractions, table)
    entities = [table.entities[key] for key in sorted(table.entities)]

    with timer.stage("records"):
        path = output / EXTRACTIONS
        with atomic_write(path) as handle:
            for extraction in extractions:
                handle.write(json.dumps(extraction.to_dict(), ensure_ascii=False) + "\n")
        result.files["extractions"] = EXTRACTIONS
        with atomic_write(output / ENTITIES) as handle:
            json.dump(table.to_dict(), handle, ensure_ascii=False, indent=1, sort_keys=True)
            handle.write("\n")
        result.files["entities"] = ENTITIES

    rdf = [name for name in formats if name in RDF_FORMATS]
    triple_count: int | None = None  # no RDF format requested: not counted
    if rdf:
        with timer.stage("rdf"):
            document = Document.from_records(papers, entities, edges, options.base_iri)
            triple_count = document.count
            for name in rdf:
                module = importlib.import_module(RDF_FORMATS[name])
                filename = STEM + module.SUFFIX
                module.write(document, output / filename, base_iri=options.base_iri)
                result.files[name] = filename
            del document

    exports = [name for name in formats if name in EXPORTERS]
    if exports:
        from kg.export import exporter
        from kg.graph.build import build_graph

        with timer.stage("graph"):
            graph = build_graph(papers, extractions, table, base_iri=options.base_iri, edges=edges)
        for name in exports:
            with timer.stage(f"export.{name}"):
                filename = STEM + EXPORT_SUFFIXES.get(name, "." + name)
                exporter(name)(graph, output / filename)
                result.files[name] = filename

    result.summary = _summary(papers, entities, edges, triple_count, options, inputs)
    data = {**result.summary, "files": dict(sorted(result.files.items())),
            **report.to_dict(), "timings": timer.seconds}
    with atomic_write(output / REPORT) as handle:
        json.dump(data, handle, ensure_ascii=False, indent=2)
        handle.write("\n")
    result.files["report"] = REPORT
    return result


def assemble_edges(papers: list[Paper], extractions: list[Extraction], table: Any) -> list[Edge]:
    """All edges as a list (RDF and the graph both walk them)."""
    from kg.graph.edges import assemble

    return list(assemble(papers, extractions, table))


def _summary(
    papers: list[Paper], entities: list[Any], edges: list[Edge], triple_count: int | None,
    options: BuildOptions, inputs: Sequence[str],
) -> dict[str, Any]:
    by_type = Counter(entity.type for entity in entities)
    edge_types = Counter(edge.type for edge in edges)
    evidence = sum(edge.weight for edge in edges)
    return {
        "inputs": list(inputs) or ["kg:corpus"],
        "base_iri": options.base_iri,
        "papers": len(papers),
        "entities": {"total": len(entities), "by_type": {t: by_type.get(t, 0) for t in ENTITY_TYPES}},
        "edges": {
            "total": len(edges),
            "by_type": {t: edge_types.get(t, 0) for t in EDGE_TYPES},
            "evidence": evidence,
        },
        "triples": triple_count,
    }
