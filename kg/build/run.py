"""The build, stage by stage: a corpus of any size on one process, N processes or Dask.

Each stage writes under ``DIR/work/`` as it goes, so nothing holds the corpus:

1. spill (``spill``, ``manifest``): entries are routed to partition files by a
   hash of their normalised title, so duplicates meet in one partition;
2. extract (``extract_step``): workers extract and relate each partition and
   return plain records, written at once as shards (``shards``);
3. resolve: the shards' small summaries merge into one, resolved into the
   entity table;
4. triples (``triples_step``): per shard, in the workers, edges are assembled
   against the table and written as sorted N-Triples; entities, entity ->
   entity edges and the materialised counts, which span shards, are reduced
   from small per-shard totals;
5. rdf: a k-way merge of the sorted files gives ``kg.nt`` (the same bytes
   however the work was split), and every other serialisation is streamed
   from it;
6. records and store (``outputs``, ``store``): the extraction records and the
   entity table are published, and an on-disk Oxigraph store is bulk-loaded
   from ``kg.nt`` (beside the Turtle when the build may use more than one core);
7. exports (``outputs``): GraphML, GEXF and HTML, below ``--graph-limit``;
8. the report.

``--update`` adds inputs to a built folder: only papers not seen before are
extracted, and the store receives the difference between the old and the new
``kg.nt`` instead of a reload.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from kg.build.extract_step import extract_all
from kg.build.manifest import MANIFEST, Manifest, extend, prepare
from kg.build.options import (
    CORPUS_NT,
    STORE,
    WORK,
    BuildOptions,
    BuildResult,
    RunSettings,
    resolve_formats,
)
from kg.build.outputs import summary, write_exports, write_rdf, write_records, write_report
from kg.build.progress import Timer, progress_printer
from kg.build.publish import link_tree, publish, staging
from kg.build.shards import Shards
from kg.build.spill import Partition
from kg.build.store import copy_store, load_store, update_store
from kg.build.triples_step import (
    Totals,
    corpus_edges,
    merge_sorted,
    write_corpus_triples,
    write_triples,
)
from kg.errors import GraphError, KGError, OutputError, UsageError
from kg.extract.canon import resolve
from kg.folder import check_folder, complete_switch, locked
from kg.rdf import RDF_FORMATS
from kg.rdf.validate import fast_check
from kg.records import EntityTable
from kg.report import RunReport
from kg.results import rank_metrics

CORPUS_PART = "corpus.nt"  # the sorted triples that span shards, under work/


@dataclass(slots=True)
class _Run:
    """What one build carries from stage to stage: ``output`` is the folder it publishes
    to, ``staged`` the folder it writes (``DIR/.kg-next``)."""

    output: Path
    staged: Path
    options: BuildOptions
    settings: RunSettings
    report: RunReport
    formats: list[str]
    update: bool = False
    timer: Timer = field(default_factory=Timer)
    files: dict[str, str] = field(default_factory=dict)
    generation: str = ""

    @property
    def work(self) -> Path:
        return self.staged / WORK

    @property
    def shards(self) -> Shards:
        return Shards(self.work / "shards")


def run_build(
    inputs: Sequence[Path], output: Path, options: BuildOptions, report: RunReport,
    settings: RunSettings | None = None,
) -> BuildResult:
    """Build the knowledge graph of ``inputs`` into the folder ``output``.

    The new generation is written beside the current one and switched in only
    when complete (``kg.build.publish``), under the folder's lock: a failed or
    killed build leaves the previous one intact, and a second build of the
    same folder fails at once with ``FolderBusy``.

    inputs (Sequence[Path]): listing pages, JSON Lines or CSV files (``.gz``
        read too; ``-`` is standard input); empty for the bundled sample corpus.
    output (Path): the folder to write (created if needed); its ``work/``
        subfolder holds the partitions, reused by ``--resume`` and ``--update``.
    options (BuildOptions): what the build produces (base IRI, model, formats,
        projection, evidence).
    report (RunReport): receives counts and warnings (bad input lines, skipped
        exporters); its ``echo`` stream prints warnings as they happen.
    settings (RunSettings | None): how the build runs (workers or Dask,
        partition size, resume, progress, graph limit, input format); None for
        one process with the defaults.
    RETURNS (BuildResult): the files written and the build summary.
    """
    from kg.ingest import bundled_corpus

    settings = settings or RunSettings()
    check_output(output, options)
    formats = resolve_formats(options.formats, options.jsonld, report)
    paths = list(inputs) or bundled_corpus()
    with locked(output):
        complete_switch(output)
        staged = staging(output, keep=settings.resume)
        if settings.resume and not (staged / WORK / MANIFEST).exists() and (output / WORK).is_dir():
            link_tree(output / WORK, staged / WORK)  # resume from the last finished build
        run = _Run(output, staged, options, settings, report, formats)
        with _staged(run):
            with run.timer.stage("ingest"):
                partitions, _ = prepare(
                    paths, run.work, options, report, partition_size=settings.partition_size,
                    resume=settings.resume, reading=settings.reading,
                )
            result = _finish(run, partitions, inputs)
        publish(output, staged, run.generation)
        return result


def update_build(
    target: Path, inputs: Sequence[Path], options: BuildOptions, report: RunReport,
    settings: RunSettings | None = None,
) -> BuildResult:
    """Add ``inputs`` to an earlier build, without a rebuild: the result equals a full
    build of all the inputs, byte for byte. Like ``run_build`` it stages the new
    generation and switches it in, so a failed or killed update changes nothing.

    target (Path): the folder an earlier ``run_build`` wrote, or its ``store/``.
    inputs (Sequence[Path]): the new input files (at least one).
    options (BuildOptions): as for ``run_build``; the base IRI and evidence level
        should be the earlier build's.
    report (RunReport): receives counts (``store.removed``, ``store.added``) and
        warnings.
    settings (RunSettings | None): as for ``run_build`` (``resume`` is implied:
        finished partitions that receive no new paper are kept).
    RETURNS (BuildResult): the files written and the summary of the whole graph.
    """
    settings = replace(settings or RunSettings(), resume=True)
    output = target.parent if target.name == STORE else target
    check_output(output, options)
    if not inputs:
        raise UsageError("--update needs at least one new input file")
    with locked(output):
        complete_switch(output)
        if Manifest.load(output / WORK / MANIFEST) is None or not (output / STORE).is_dir() \
                or not (output / WORK / CORPUS_NT).exists():
            raise UsageError(f"{target}: not a folder written by kg build (no {WORK}/{MANIFEST} and {STORE}/)")
        check_folder(output)
        formats = resolve_formats(options.formats, options.jsonld, report)
        staged = staging(output)
        run = _Run(output, staged, options, settings, report, formats, update=True)
        with _staged(run):
            link_tree(output / WORK, run.work)
            copy_store(output / STORE, staged / STORE)
            with run.timer.stage("ingest"):
                partitions, touched, manifest = extend(run.work, inputs, options, report, settings.reading)
            for name in touched:
                run.shards.summary(name).unlink(missing_ok=True)  # unfinished: re-run with its old extractions
            manifest.save(run.work / MANIFEST)
            result = _finish(run, partitions, [Path(p) for p in manifest.inputs])
        publish(output, staged, run.generation)
        return result


@contextmanager
def _staged(run: _Run) -> Iterator[None]:
    """Remove what a failed run staged (the previous build stays as it was); after an
    interruption keep it, for ``--resume``. Errors of the filesystem become one line."""
    try:
        yield
    except KeyboardInterrupt:
        raise
    except BaseException as err:
        shutil.rmtree(run.staged, ignore_errors=True)
        if isinstance(err, OSError) and not isinstance(err, KGError):
            where = err.filename or run.output
            raise OutputError(f"{where}: {err.strerror or err}; {run.output} is left as it was") from err
        raise


def check_output(output: Path, options: BuildOptions) -> None:
    """Fail on bad options before anything is read or written."""
    from kg.rdf.namespace import check_base_iri

    check_base_iri(options.base_iri)
    if output.exists() and not output.is_dir():
        raise UsageError(f"-o {output}: expected a folder, found a file")


def _finish(run: _Run, partitions: Sequence[Partition], inputs: Sequence[Path]) -> BuildResult:
    """Every stage after the spill, in order."""
    names = [p.name for p in partitions]
    _extract(run, partitions)
    with run.timer.stage("resolve"):
        table = resolve(run.shards.merged_summary(names))
        rank_metrics(table)
    with run.timer.stage("triples"):
        totals = _triples(run, names, table)
    with run.timer.stage("check"):
        check_written(run.work / CORPUS_PART, run.options.base_iri)
    triple_count = _rdf_records_store(run, names, table)
    _exports(run, names, table, totals)
    result = BuildResult(run.output, run.files,
                         summary(totals, table, triple_count, run.options, inputs, run.generation))
    write_report(run.staged, result.summary, run.files, run.report, run.timer)
    return result


def _extract(run: _Run, partitions: Sequence[Partition]) -> None:
    run.shards.folder.mkdir(parents=True, exist_ok=True)
    with run.timer.stage("extract"):
        extracted = extract_all(
            partitions, run.shards, run.options, run.settings.executor, run.report,
            notify=progress_printer(run.settings.progress), reuse=run.settings.resume,
        )
    run.report.counts["papers.extracted"] = extracted


def _triples(run: _Run, names: Sequence[str], table: EntityTable) -> Totals:
    """Each shard's sorted triples, then the sorted triples of what spans shards."""
    totals = write_triples(names, run.shards, table, run.options, run.settings.executor, run.work)
    write_corpus_triples(run.work / CORPUS_PART, table, corpus_edges(totals), totals,
                         run.options.base_iri, run.options.evidence)
    return totals


def check_written(corpus_part: Path, base_iri: str) -> None:
    """The SHACL shapes real data can break, on the triples just written: a graph that
    ``kg validate`` would reject is never published."""
    with open(corpus_part, encoding="utf-8") as lines:
        conforms, violations = fast_check(lines, base_iri)
    if not conforms:
        raise GraphError(f"{corpus_part.name}: the graph written does not conform to the shapes "
                         f"({len(violations)} violation(s), first: {violations[0]}); nothing was "
                         "published")


def _rdf_records_store(run: _Run, names: Sequence[str], table: EntityTable) -> int:
    """``kg.nt`` merged, every RDF file, the records, and the store; the triple count.

    With more than one core to use, the store loads (Oxigraph, outside the GIL)
    in a background thread while this one writes Turtle and the records, which
    read the same finished files.
    """
    canonical = run.work / CORPUS_NT
    previous = run.work / (CORPUS_NT + ".previous")
    with ExitStack() as stack:
        loading: Future[None] | None = None
        with run.timer.stage("rdf"):
            if run.update:
                os.replace(canonical, previous)
            count, run.generation = merge_sorted(
                [run.shards.triples(n) for n in names] + [run.work / CORPUS_PART], canonical)
            if not run.update and run.settings.executor.parallel:
                background = stack.enter_context(ThreadPoolExecutor(max_workers=1))
                loading = background.submit(load_store, canonical, run.staged / STORE)
            write_rdf(canonical, run.staged, run.formats, run.options.base_iri, run.files)
        with run.timer.stage("records"):
            write_records(run.staged, names, run.shards, table, run.files)
        with run.timer.stage("store"):
            if run.update:
                removed, added = update_store(run.staged / STORE, previous, canonical)
                run.report.counts["store.removed"] = removed
                run.report.counts["store.added"] = added
                previous.unlink()
            elif loading is not None:
                loading.result()
            else:
                load_store(canonical, run.staged / STORE)
    run.files["store"] = STORE + "/"
    return count


def _exports(run: _Run, names: Sequence[str], table: EntityTable, totals: Totals) -> None:
    """GraphML, GEXF and HTML, unless the corpus is above ``--graph-limit``."""
    exports = [name for name in run.formats if name not in RDF_FORMATS]
    if not exports:
        return
    limit = run.settings.graph_limit
    if totals.papers > limit:
        run.report.warn("exporter", run.output, None, f"{totals.papers} papers is more than --graph-limit "
                        f"{limit}: {', '.join(exports)} not written (query the store instead)")
        return
    write_exports(run.staged, exports, names, run.shards, table, run.options, run.report, run.timer, run.files)
