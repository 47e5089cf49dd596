"""The partitioned build: a corpus of any size, on one process, N processes or a Dask cluster.

Stages, each writing under ``DIR/work/`` as it goes so nothing holds the corpus:

1. spill: entries are routed to partition files by a hash of their
   normalised title (``kg.partition``), so duplicates meet in one partition;
2. extract: workers extract and relate each partition and return plain
   records, written at once as shards (``kg.shards``);
3. reduce: the shards' small summaries merge into one, resolved into the
   entity table;
4. triples: per shard, in the workers (``kg.shard_triples``), edges are
   assembled against the table and written as sorted N-Triples; entities,
   entity -> entity edges and the materialised counts, which span shards,
   are reduced from small per-shard totals;
5. outputs: a k-way merge of the sorted files gives ``kg.nt`` (the same bytes
   however the work was split), Turtle is streamed from it, and an on-disk
   Oxigraph store is bulk-loaded from it (alongside the Turtle when the build
   may use more than one core).

``--update`` adds inputs to a built folder: only papers not seen before are
extracted, and the store receives the difference between the old and the new
``kg.nt`` instead of a reload.
"""

from __future__ import annotations

import heapq
import importlib
import json
import os
import shutil
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import UsageError
from kg.parallel import Executor
from kg.partition import DEFAULT_PARTITION_SIZE, Partition, spill
from kg.pipeline import (
    ENTITIES,
    EXPORT_SUFFIXES,
    EXTRACTIONS,
    RDF_FORMATS,
    REPORT,
    STEM,
    BuildOptions,
    BuildResult,
    Timer,
    resolve_entities,
    resolve_formats,
)
from kg.records import EDGE_TYPES, ENTITY_TYPES, Extraction, Paper
from kg.report import RunReport
from kg.shard_triples import (
    Totals,
    TriplesTask,
    corpus_edges,
    save_table,
    triples_task,
    write_corpus_triples,
    write_shard_triples,
)
from kg.shards import (
    MANIFEST,
    WORK,
    Manifest,
    Notify,
    Shards,
    extract_all,
    fingerprint,
    prepare,
)
from kg.textio import atomic_write

STORE = "store"
CORPUS_NT = "kg.nt"  # the canonical sorted N-Triples, kept under work/ for --update
DEFAULT_GRAPH_LIMIT = 50_000


def write_triples(
    names: Sequence[str], shards: Shards, table: Any, options: BuildOptions, executor: Executor, work: Path
) -> Totals:
    """Every shard's sorted N-Triples, in the executor's workers when they share this
    filesystem (local processes, a LocalCluster), else here; the shards' totals reduced."""
    totals = Totals()
    if executor.shares_files and (executor.workers > 1 or executor.scheduler is not None):
        table_path = str(save_table(table, work))
        tasks = (TriplesTask(name, str(shards.folder), table_path, options.base_iri, options.evidence)
                 for name in names)
        for _, result in executor.map(triples_task, tasks):
            totals.merge(Totals.from_dict(result))
    else:
        for name in names:
            totals.merge(write_shard_triples(name, shards, table, options.base_iri, options.evidence))
    return totals


def merge_sorted(paths: Sequence[Path], target: Path) -> int:
    """k-way merge of sorted N-Triples files into one sorted, de-duplicated file."""
    handles = [open(path, encoding="utf-8") for path in paths]  # noqa: SIM115
    count = 0
    try:
        with atomic_write(target) as out:
            previous = None
            for line in heapq.merge(*handles):
                if line != previous:
                    out.write(line)
                    count += 1
                    previous = line
    finally:
        for handle in handles:
            handle.close()
    return count


LOAD_CHUNK_BYTES = 64 << 20


def load_store(nt_path: Path, folder: Path, chunk_bytes: int = LOAD_CHUNK_BYTES) -> None:
    """Bulk-load sorted N-Triples into a fresh on-disk Oxigraph store, swapped in when complete.

    Loaded in chunks of whole lines: Oxigraph's bulk loader buffers about
    1 GB per thread whatever the input, so one call on a large file sets the
    build's peak memory; chunks keep it near ``chunk_bytes``. Chunking is
    safe because ``kg.nt`` names every node by IRI (no blank nodes to keep in
    one scope), and ``lenient`` skips re-validating IRIs that ``kg.ids``
    minted and the tests parse with rdflib.
    """
    import pyoxigraph as ox

    staging = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    store = ox.Store(str(staging))
    with nt_path.open("rb") as handle:
        while lines := handle.readlines(chunk_bytes):
            store.bulk_load(input=b"".join(lines), format=ox.RdfFormat.N_TRIPLES, lenient=True)
    store.flush()
    store.optimize()
    del store
    shutil.rmtree(folder, ignore_errors=True)
    os.replace(staging, folder)


def sorted_difference(old: Path, new: Path) -> Iterator[tuple[str, str]]:
    """``("-", line)`` for lines only in ``old`` and ``("+", line)`` for lines only in ``new``;
    both files sorted, so one linear pass."""
    with open(old, encoding="utf-8") as a, open(new, encoding="utf-8") as b:
        left, right = next(a, None), next(b, None)
        while left is not None or right is not None:
            if right is None or (left is not None and left < right):
                yield "-", left  # type: ignore[misc]
                left = next(a, None)
            elif left is None or right < left:
                yield "+", right
                right = next(b, None)
            else:
                left, right = next(a, None), next(b, None)


def update_store(folder: Path, old: Path, new: Path, batch: int = 50_000) -> tuple[int, int]:
    """Apply the difference between two sorted N-Triples files to a store; (removed, added)."""
    import pyoxigraph as ox

    store = ox.Store(str(folder))
    counts = {"-": 0, "+": 0}
    pending: dict[str, list[str]] = {"-": [], "+": []}

    def flush(sign: str) -> None:
        if not pending[sign]:
            return
        quads = list(ox.parse("".join(pending[sign]).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))
        if sign == "-":
            for quad in quads:
                store.remove(quad)
        else:
            store.extend(quads)
        counts[sign] += len(quads)
        pending[sign].clear()

    for sign, line in sorted_difference(old, new):
        pending[sign].append(line)
        if len(pending[sign]) >= batch:
            flush(sign)
    flush("-")
    flush("+")
    store.flush()
    return counts["-"], counts["+"]


def progress_printer(enabled: bool) -> Notify | None:
    """Per-partition progress on stderr: a bar on a terminal, one line per partition otherwise."""
    if not enabled:
        return None
    if sys.stderr.isatty():
        from tqdm import tqdm

        bars: list[Any] = []

        def on_terminal(name: str, done: int, total: int, result: dict[str, Any]) -> None:
            if not bars:
                bars.append(tqdm(total=total, desc="partitions", unit="part", leave=False, file=sys.stderr))
            bars[0].update(1)
            bars[0].set_postfix_str(name)
            if done == total:
                bars[0].close()

        return on_terminal

    def in_log(name: str, done: int, total: int, result: dict[str, Any]) -> None:
        if total > 1:
            print(f"kg: partition {name} done ({result['count']} papers, {done}/{total})", file=sys.stderr)

    return in_log


@dataclass(frozen=True, slots=True)
class RunSettings:
    """How a build runs (not what it produces): executor, partitions, progress, resume."""

    executor: Executor = field(default_factory=Executor)
    partition_size: int = DEFAULT_PARTITION_SIZE
    resume: bool = False
    progress: bool = True
    graph_limit: int = DEFAULT_GRAPH_LIMIT
    input_format: str | None = None

    def __post_init__(self) -> None:
        if self.partition_size < 1:
            raise UsageError(f"--partition-size must be at least 1, found {self.partition_size}")


def check_output(output: Path, options: BuildOptions) -> None:
    """Fail on bad options before anything is read or written."""
    from kg.rdf.namespace import check_base_iri

    check_base_iri(options.base_iri)
    if output.exists() and not output.is_dir():
        raise UsageError(f"-o {output}: expected a folder, found a file")


def run_build(
    inputs: Sequence[Path], output: Path, options: BuildOptions, report: RunReport,
    settings: RunSettings | None = None,
) -> BuildResult:
    """Build ``output`` from ``inputs`` partition by partition (see the module docstring)."""
    from kg.ingest import bundled_corpus

    settings = settings or RunSettings()
    check_output(output, options)
    timer = Timer()
    formats = resolve_formats(options.formats, options.jsonld, report)
    paths = list(inputs) or bundled_corpus()
    work = output / WORK
    with timer.stage("ingest"):
        partitions, manifest = prepare(
            paths, work, options, report, partition_size=settings.partition_size,
            resume=settings.resume, input_format=settings.input_format,
        )
    return _finish(output, partitions, manifest, options, report, settings, timer, formats, inputs, update=False)


def update_build(
    target: Path, inputs: Sequence[Path], options: BuildOptions, report: RunReport,
    settings: RunSettings | None = None,
) -> BuildResult:
    """Add ``inputs`` to the build folder holding ``target`` (the folder or its ``store/``)."""
    settings = settings or RunSettings()
    output = target.parent if target.name == STORE else target
    check_output(output, options)
    work = output / WORK
    manifest = Manifest.load(work / MANIFEST)
    if manifest is None or not (output / STORE).is_dir() or not (work / CORPUS_NT).exists():
        raise UsageError(f"{target}: not a folder written by kg build (no {WORK}/{MANIFEST} and {STORE}/)")
    if not inputs:
        raise UsageError("--update needs at least one new input file")
    timer = Timer()
    formats = resolve_formats(options.formats, options.jsonld, report)
    with timer.stage("ingest"):
        added = spill(inputs, work / "buckets", manifest.partitions, report, settings.input_format, append=True)
    names = sorted({*manifest.names, *(p.name for p in added)})
    touched = {p.name for p in added}
    shards = Shards(work / "shards")
    for name in touched:
        shards.summary(name).unlink(missing_ok=True)  # unfinished: re-run with its old extractions
    all_inputs = [*manifest.inputs, *map(str, inputs)]
    manifest = Manifest(
        fingerprint([Path(p) for p in all_inputs], options, manifest.partitions), manifest.partitions,
        all_inputs, names, True,
    )
    manifest.save(work / MANIFEST)
    buckets = work / "buckets"
    partitions = [Partition(name, str(buckets / f"{name}.jsonl")) for name in names]
    resumed = RunSettings(settings.executor, settings.partition_size, True, settings.progress,
                          settings.graph_limit, settings.input_format)
    return _finish(output, partitions, manifest, options, report, resumed, timer, formats,
                   [Path(p) for p in all_inputs], update=True)


def _finish(
    output: Path, partitions: Sequence[Partition], manifest: Manifest, options: BuildOptions,
    report: RunReport, settings: RunSettings, timer: Timer, formats: list[str],
    inputs: Sequence[Path], *, update: bool,
) -> BuildResult:
    work = output / WORK
    shards = Shards(work / "shards")
    shards.folder.mkdir(parents=True, exist_ok=True)
    with timer.stage("extract"):
        extracted = extract_all(
            partitions, shards, options, settings.executor, report,
            notify=progress_printer(settings.progress), reuse=settings.resume,
        )
    report.counts["papers.extracted"] = extracted
    names = [p.name for p in partitions]
    with timer.stage("resolve"):
        table = resolve_entities(shards.merged_summary(names))
    with timer.stage("triples"):
        totals = write_triples(names, shards, table, options, settings.executor, work)
        edges = corpus_edges(totals)
        corpus_part = work / "corpus.nt"
        write_corpus_triples(corpus_part, table, edges, totals, options.base_iri, options.evidence)
    result = BuildResult(output)
    canonical = work / CORPUS_NT
    # with more than one core to use, the store loads (Oxigraph, outside the GIL) while
    # this thread writes Turtle and the records, which read the same finished files
    overlap = not update and (settings.executor.workers > 1 or settings.executor.scheduler is not None)
    with ThreadPoolExecutor(max_workers=1) as background:
        with timer.stage("rdf"):
            previous = work / (CORPUS_NT + ".previous")
            if update:
                os.replace(canonical, previous)
            triple_count = merge_sorted([shards.triples(n) for n in names] + [corpus_part], canonical)
            loading = background.submit(load_store, canonical, output / STORE) if overlap else None
            if "nt" in formats:
                _publish(canonical, output / f"{STEM}.nt")
                result.files["nt"] = f"{STEM}.nt"
            for name in formats:
                if name in RDF_FORMATS and name != "nt":
                    module = importlib.import_module(RDF_FORMATS[name])
                    filename = STEM + module.SUFFIX
                    module.write_file(canonical, output / filename, base_iri=options.base_iri)
                    result.files[name] = filename
        with timer.stage("records"):
            _write_records(output, names, shards, table)
            result.files["extractions"] = EXTRACTIONS
            result.files["entities"] = ENTITIES
        with timer.stage("store"):
            if update:
                removed, added = update_store(output / STORE, previous, canonical)
                report.counts["store.removed"] = removed
                report.counts["store.added"] = added
                previous.unlink()
            elif loading is not None:
                loading.result()
            else:
                load_store(canonical, output / STORE)
            result.files["store"] = STORE + "/"
    exports = [name for name in formats if name not in RDF_FORMATS]
    if exports and totals.papers > settings.graph_limit:
        report.warn("exporter", output, None, f"{totals.papers} papers is more than --graph-limit "
                    f"{settings.graph_limit}: {', '.join(exports)} not written (query the store instead)")
    elif exports:
        _write_exports(output, exports, names, shards, table, options, report, timer, result)
    result.summary = summary(totals, table, triple_count, options, inputs)
    data = {**result.summary, "files": dict(sorted(result.files.items())), **report.to_dict(),
            "timings": timer.seconds}
    with atomic_write(output / REPORT) as out:
        json.dump(data, out, ensure_ascii=False, indent=2)
        out.write("\n")
    result.files["report"] = REPORT
    return result


def _publish(source: Path, target: Path) -> None:
    """Give ``target`` the content of ``source`` without doubling disk use (hard link when possible)."""
    staging = target.with_name(f".{target.name}.tmp")
    staging.unlink(missing_ok=True)
    try:
        os.link(source, staging)
    except OSError:
        shutil.copyfile(source, staging)
    os.replace(staging, target)


def _write_records(output: Path, names: Sequence[str], shards: Shards, table: Any) -> None:
    with atomic_write(output / EXTRACTIONS) as out:
        for name in names:
            with open(shards.extractions(name), encoding="utf-8") as shard:
                shutil.copyfileobj(shard, out)
    with atomic_write(output / ENTITIES) as out:
        json.dump(table.to_dict(), out, ensure_ascii=False, indent=1, sort_keys=True)
        out.write("\n")


def _write_exports(
    output: Path, exports: Sequence[str], names: Sequence[str], shards: Shards, table: Any,
    options: BuildOptions, report: RunReport, timer: Timer, result: BuildResult,
) -> None:
    """GraphML, GEXF and HTML need the whole graph in memory: built only below --graph-limit."""
    from kg.export import exporter
    from kg.graph.build import build_graph

    with timer.stage("graph"):
        papers: list[Paper] = []
        extractions: list[Extraction] = []
        for name in names:
            shard_papers, shard_extractions = shards.load(name)
            papers += shard_papers
            extractions += shard_extractions
        graph = build_graph(papers, extractions, table, base_iri=options.base_iri)
    for name in exports:
        with timer.stage(f"export.{name}"):
            filename = STEM + EXPORT_SUFFIXES.get(name, "." + name)
            exporter(name)(graph, output / filename, projection=options.projection, report=report)
            result.files[name] = filename


def summary(
    totals: Totals, table: Any, triple_count: int, options: BuildOptions, inputs: Sequence[Path]
) -> dict[str, Any]:
    by_type = Counter(entity.type for entity in table.entities.values())
    return {
        "inputs": [str(p) for p in inputs] or ["kg:corpus"],
        "base_iri": options.base_iri,
        "papers": totals.papers,
        "entities": {"total": len(table.entities), "by_type": {t: by_type.get(t, 0) for t in ENTITY_TYPES}},
        "edges": {
            "total": sum(totals.edges_by_type.values()),
            "by_type": {t: totals.edges_by_type.get(t, 0) for t in EDGE_TYPES},
            "evidence": totals.evidence,
        },
        "triples": triple_count,
    }
