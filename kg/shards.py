"""Shards: the per-partition half of the partitioned build (orchestrated by ``kg.sharded``).

Spilled partitions go to workers as plain data (their merged papers), come
back as plain records, and are written at once as shard files under
``DIR/work/shards/``: papers, extractions, and a small ``CanonSummary``
written last, whose presence marks the shard finished. Extraction depends
only on a paper's title and abstract, so a shard from an earlier run lends
its extractions to papers it already saw (``--resume``, ``--update``).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.ingest.merge import merge_papers
from kg.parallel import Executor
from kg.partition import DEFAULT_PARTITION_SIZE, Partition, partition_count, read_jsonl, spill
from kg.pipeline import BuildOptions, process_partition, summarise
from kg.records import Extraction, Paper
from kg.report import RunReport
from kg.textio import atomic_write

WORK = "work"
MANIFEST = "manifest.json"
MANIFEST_VERSION = 1


def content_key(paper: Paper) -> str:
    """What extraction depends on: the title and the abstract, nothing else."""
    text = f"{paper.title}\x1f{paper.abstract}".encode()
    return hashlib.blake2b(text, digest_size=12).hexdigest()


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
        "summary": summarise(extractions).to_dict(),
        "extracted": len(fresh),
        "count": len(papers),
    }
    if task.shards is None:
        return result
    Shards(Path(task.shards)).write(task.name, result)
    return {"extracted": len(fresh), "count": len(papers), "written": True}


@dataclass(slots=True)
class Shards:
    """The shard files of a build folder."""

    folder: Path

    def papers(self, name: str) -> Path:
        return self.folder / f"{name}.papers.jsonl"

    def extractions(self, name: str) -> Path:
        return self.folder / f"{name}.extractions.jsonl"

    def summary(self, name: str) -> Path:
        return self.folder / f"{name}.summary.json"

    def triples(self, name: str) -> Path:
        return self.folder / f"{name}.nt"

    def finished(self, name: str) -> bool:
        """A shard is finished when its summary exists: it is written last, atomically."""
        return self.summary(name).exists()

    def write(self, name: str, result: dict[str, Any]) -> None:
        for path, records in ((self.papers(name), result["papers"]), (self.extractions(name), result["extractions"])):
            with atomic_write(path) as out:
                for record in records:
                    out.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
        with atomic_write(self.summary(name)) as out:
            json.dump(result["summary"], out, ensure_ascii=False, sort_keys=True)

    def load(self, name: str) -> tuple[list[Paper], list[Extraction]]:
        papers = [Paper.from_dict(d) for d in read_jsonl(self.papers(name))]
        extractions = [Extraction.from_dict(d) for d in read_jsonl(self.extractions(name))]
        return papers, extractions

    def known_extractions(self, name: str) -> dict[str, dict[str, Any]]:
        """Extractions of a shard from an earlier run, by content key (``--resume``, ``--update``).

        Shard files are written atomically, so any that exist are complete."""
        if not (self.papers(name).exists() and self.extractions(name).exists()):
            return {}
        papers, extractions = self.load(name)
        by_id = {e.id: e.to_dict() for e in extractions}
        return {content_key(p): by_id[p.id] for p in papers if p.id in by_id}


    def merged_summary(self, names: Sequence[str]) -> Any:
        """The shards' canonicalisation summaries merged (in name order; merging commutes)."""
        from kg.extract.canon import CanonSummary

        total = CanonSummary()
        for name in sorted(names):
            total.merge(CanonSummary.from_dict(json.loads(self.summary(name).read_text(encoding="utf-8"))))
        return total


@dataclass(slots=True)
class Manifest:
    """What a work folder holds, so a resumed or updated build can trust it."""

    fingerprint: str
    partitions: int
    inputs: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    spilled: bool = False

    @classmethod
    def load(cls, path: Path) -> Manifest | None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            return None
        if data.get("version") != MANIFEST_VERSION:
            return None
        return cls(data["fingerprint"], data["partitions"], data["inputs"], data["names"], data["spilled"])

    def save(self, path: Path) -> None:
        with atomic_write(path) as out:
            json.dump(
                {"version": MANIFEST_VERSION, "fingerprint": self.fingerprint, "partitions": self.partitions,
                 "inputs": self.inputs, "names": self.names, "spilled": self.spilled},
                out, indent=1, sort_keys=True,
            )


def fingerprint(inputs: Sequence[Path], options: BuildOptions, partitions: int) -> str:
    """Inputs (path, size, mtime) and the options that change what is extracted."""
    parts = [f"{p}|{_stat(p)}" for p in inputs]
    parts += [f"model={options.model}", f"partitions={partitions}"]
    return hashlib.sha1("\n".join(parts).encode()).hexdigest()


def _stat(path: Path) -> str:
    try:
        st = os.stat(path)
    except OSError:
        return "missing"
    return f"{st.st_size}:{int(st.st_mtime)}"


Notify = Callable[[str, int, int, dict[str, Any]], None]


def prepare(
    inputs: Sequence[Path], work: Path, options: BuildOptions, report: RunReport, *,
    partition_size: int = DEFAULT_PARTITION_SIZE, resume: bool = False, input_format: str | None = None,
) -> tuple[list[Partition], Manifest]:
    """Spill the inputs into partitions, or reuse the spill of an interrupted run."""
    count = partition_count(inputs, partition_size)
    mark = fingerprint(inputs, options, count)
    manifest_path = work / MANIFEST
    if resume:
        manifest = Manifest.load(manifest_path)
        if manifest is not None and manifest.fingerprint == mark and manifest.spilled:
            buckets = work / "buckets"
            report.count("resumed")
            return [Partition(n, str(buckets / f"{n}.jsonl")) for n in manifest.names], manifest
        if manifest is not None:
            report.warn("resume", manifest_path, None, "inputs or options changed since the last run; starting afresh")
    if work.exists():
        shutil.rmtree(work)
    partitions = spill(inputs, work / "buckets", count, report, input_format)
    if not partitions:
        raise InputError(
            f"no paper could be read from {len(inputs)} input file(s)"
            + (f" ({report.warning_count} warning(s) above)" if report.warning_count else "")
        )
    manifest = Manifest(mark, count, [str(p) for p in inputs], [p.name for p in partitions], True)
    manifest.save(manifest_path)
    return partitions, manifest


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
