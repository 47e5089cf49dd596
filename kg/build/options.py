"""What a build produces and how it runs: options, settings, output names, formats.

``BuildOptions`` holds what changes the output (base IRI, model, formats,
evidence) and crosses to workers as plain values; ``RunSettings`` holds how
the run goes (executor, partitions, resume, progress), which never changes a
byte of the output.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.build.executor import Executor
from kg.errors import UsageError
from kg.export import EXPORTERS
from kg.extract import BATCH_SIZE
from kg.ids import DEFAULT_BASE_IRI
from kg.ingest.fields import ReadOptions
from kg.rdf import RDF_FORMATS
from kg.rdf.triples import EVIDENCE_LEVELS
from kg.registry import Registry
from kg.report import RunReport

DEFAULT_OUTPUT = Path("graphs")
STEM = "kg"  # kg.ttl, kg.nt, kg.graphml, ...
REPORT = "build-report.json"
TIMINGS = "build-timings.json"
EXTRACTIONS = "extractions.jsonl"
ENTITIES = "entities.json"
STORE = "store"
WORK = "work"
CORPUS_NT = "kg.nt"  # the canonical sorted N-Triples, kept under work/ for --update
DEFAULT_PARTITION_SIZE = 2000
DEFAULT_GRAPH_LIMIT = 50_000

OUTPUT_FORMATS = Registry.union("format", RDF_FORMATS, EXPORTERS)


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """Everything that shapes the output; plain values, so it can be sent to a worker.

    base_iri (str): prefix of paper, entity, edge and evidence IRIs; an absolute
        http(s) IRI ending in ``/`` or ``#``.
    model (str | None): an installed spaCy pipeline to add the rules to; None is
        kg's own ``spacy.blank("en")`` pipeline.
    batch_size (int): papers the extractor takes through each stage together.
    formats (tuple[str, ...] | None): names of ``OUTPUT_FORMATS`` to write; None
        writes Turtle, N-Triples and every exporter that imports.
    jsonld (bool): also write JSON-LD.
    projection (str): graph written to GraphML and GEXF: ``bipartite``,
        ``entities`` or ``papers``.
    evidence (str): ``sentences`` (edge and evidence resources) or ``none``
        (direct edge triples only).
    """

    base_iri: str = DEFAULT_BASE_IRI
    model: str | None = None
    batch_size: int = BATCH_SIZE
    formats: tuple[str, ...] | None = None
    jsonld: bool = False
    projection: str = "bipartite"
    evidence: str = "sentences"

    def __post_init__(self) -> None:
        if self.evidence not in EVIDENCE_LEVELS:
            raise UsageError(f"--evidence: expected one of {', '.join(EVIDENCE_LEVELS)}, found {self.evidence!r}")


@dataclass(frozen=True, slots=True)
class RunSettings:
    """How a build runs (never what it produces).

    executor (Executor): where partitions run: local processes or a Dask scheduler.
    partition_size (int): papers per partition (the count is estimated from the
        input size before reading).
    resume (bool): reuse the spill and every finished shard of an interrupted
        build of the same inputs and options.
    progress (bool): report finished partitions on stderr.
    graph_limit (int): above this many papers GraphML, GEXF and HTML (which need
        the whole graph in memory) are skipped with a warning.
    reading (ReadOptions): how inputs are read: a forced reader (``input_format``)
        and the title, abstract and id columns.
    """

    executor: Executor = field(default_factory=Executor)
    partition_size: int = DEFAULT_PARTITION_SIZE
    resume: bool = False
    progress: bool = True
    graph_limit: int = DEFAULT_GRAPH_LIMIT
    reading: ReadOptions = field(default_factory=ReadOptions)

    def __post_init__(self) -> None:
        if self.partition_size < 1:
            raise UsageError(f"--partition-size must be at least 1, found {self.partition_size}")


@dataclass(slots=True)
class BuildResult:
    """What a build wrote (file kind -> name in the output folder) and counted."""

    output: Path
    files: dict[str, str] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)


def resolve_formats(requested: Sequence[str] | None, jsonld: bool, report: RunReport) -> list[str]:
    """Output formats by name (aliases allowed). By default Turtle, N-Triples and every
    exporter whose module imports; an exporter that does not is skipped with a warning."""
    if requested is None:
        names = ["ttl", "nt", *(name for name in EXPORTERS.names() if _available(name, report))]
    else:
        names = []
        for raw in requested:
            try:
                name = OUTPUT_FORMATS.get(raw).name
            except UsageError as err:
                raise UsageError(f"--formats: {err}") from err
            if name in EXPORTERS and not _available(name, report):
                continue
            if name not in names:
                names.append(name)
    if jsonld and "jsonld" not in names:
        names.append("jsonld")
    return names


def _available(name: str, report: RunReport) -> bool:
    plugin = EXPORTERS.get(name)
    try:
        importlib.import_module(plugin.module)
    except ImportError as err:
        report.warn("exporter", plugin.module, None, f"format {name!r} skipped: {err}")
        return False
    return True
