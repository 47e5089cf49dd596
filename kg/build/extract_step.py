"""The extract step: each partition's papers extracted and related by a worker.

A worker is given a partition's merged papers as plain data (and the
extractions an earlier run already made for the same texts), extracts and
relates the rest, and either writes the shard itself (when it sees this
machine's files) or returns the records for the caller to write. Only plain
records cross the process or machine boundary, never spaCy Docs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.build.executor import Executor
from kg.build.options import BuildOptions
from kg.build.shards import Shards, content_key
from kg.build.spill import Partition
from kg.extract.canon import CanonSummary
from kg.ingest.merge import merge_papers
from kg.records import Extraction, Paper
from kg.relate import relate
from kg.report import RunReport
from kg.results import find_results

Progress = Callable[[Iterable[Any], int, str], Iterable[Any]]
Notify = Callable[[str, int, int, dict[str, Any]], None]

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
    """Extract, relate and read the results of one partition of papers; returns plain records only.

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
        paper = by_id[extraction.id]
        extraction.relations = relate(paper, extraction)
        extraction.results = find_results(paper, extraction)
        found.append(extraction)
    return found


@dataclass(frozen=True, slots=True)
class ExtractTask:
    """One partition's work: its merged papers and any extractions already known for them."""

    name: str
    papers: list[dict[str, Any]]
    known: dict[str, dict[str, Any]]
    options: BuildOptions
    shards: str | None = None  # the shard folder, when the worker can write it (shared filesystem)


def extract_task(task: ExtractTask) -> dict[str, Any]:
    """Run in a worker: extract and relate the papers not already known. A worker that
    sees the shard folder writes the shard itself and returns counts only; otherwise
    the records come back as plain data for the caller to write."""
    papers = [Paper.from_dict(data) for data in task.papers]
    todo = [paper for paper in papers if content_key(paper) not in task.known]
    fresh = {e.id: e for e in process_partition(todo, task.options)} if todo else {}
    extractions = []
    for paper in papers:
        found = fresh.get(paper.id)
        if found is None:
            found = Extraction.from_dict({**task.known[content_key(paper)], "id": paper.id})
        extractions.append(found)
    result = {
        "papers": task.papers,
        "extractions": [e.to_dict() for e in extractions],
        "summary": CanonSummary.of(extractions).to_dict(),
        "extracted": len(fresh),
        "count": len(papers),
    }
    if task.shards is None:
        return result
    Shards(Path(task.shards)).write(task.name, result)
    return {"extracted": len(fresh), "count": len(papers), "written": True}


def extract_all(
    partitions: Sequence[Partition], shards: Shards, options: BuildOptions, executor: Executor,
    report: RunReport, *, notify: Notify | None = None, reuse: bool = True,
) -> int:
    """Run every unfinished partition; shards are written as results arrive. Returns how
    many papers were extracted afresh."""
    todo = [p for p in partitions if not (reuse and shards.finished(p.name))]
    folder = str(shards.folder) if executor.shares_files else None
    report.count("partitions", len(partitions))
    report.count("partitions.reused", len(partitions) - len(todo))
    waiting = {p.name for p in todo}
    for partition in partitions:  # a reused shard's duplicates still count (cheap: no extraction)
        if partition.name not in waiting:
            counted = RunReport()
            merge_papers(partition.papers(), counted)
            report.count("duplicates", counted.counts["duplicates"])

    def tasks() -> Iterator[ExtractTask]:
        for partition in todo:
            counted = RunReport()
            merged = merge_papers(partition.papers(), counted)
            report.count("duplicates", counted.counts["duplicates"])
            yield ExtractTask(
                partition.name, [p.to_dict() for p in merged], shards.known_extractions(partition.name), options,
                folder,
            )

    extracted = 0
    for done, (name, result) in enumerate(executor.map(extract_task, tasks()), start=1):
        if not result.get("written"):
            shards.write(name, result)
        extracted += result["extracted"]
        if notify is not None:
            notify(name, done, len(todo), result)
    return extracted
