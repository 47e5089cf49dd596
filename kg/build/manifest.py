"""The manifest of a work folder, and resuming from it.

``DIR/work/manifest.json`` records the fingerprint of the inputs and the
options that change what is extracted, the partition count and the spilled
partitions, so ``--resume`` reuses an interrupted build's spill only when
nothing it depends on changed, and ``--update`` knows what it adds to.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.build.options import BuildOptions
from kg.build.spill import Partition, partition_count, partitions_in, spill
from kg.errors import InputError
from kg.ingest.fields import ReadOptions
from kg.report import RunReport
from kg.textio import atomic_write

MANIFEST = "manifest.json"
MANIFEST_VERSION = 1
BUCKETS = "buckets"
INGEST_REPORT = "ingest-report.json"  # what reading the inputs counted and warned about


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
        """The manifest at ``path``; None when there is none, or one of another version."""
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


def fingerprint(inputs: Sequence[Path], options: BuildOptions, partitions: int,
                reading: ReadOptions | None = None) -> str:
    """Inputs (path, size, mtime) and the options that change what is read and extracted."""
    parts = [f"{p}|{_stat(p)}" for p in inputs]
    parts += [f"model={options.model}", f"partitions={partitions}"]
    if reading is not None and reading != ReadOptions():
        parts.append(reading.fingerprint())  # absent by default: earlier builds still resume
    return hashlib.sha1("\n".join(parts).encode()).hexdigest()


def _stat(path: Path) -> str:
    try:
        st = os.stat(path)
    except OSError:
        return "missing"
    return f"{st.st_size}:{int(st.st_mtime)}"


def prepare(
    inputs: Sequence[Path], work: Path, options: BuildOptions, report: RunReport, *,
    partition_size: int, resume: bool = False, reading: ReadOptions | None = None,
) -> tuple[list[Partition], Manifest]:
    """Spill the inputs into partitions, or reuse the spill of an interrupted run."""
    count = partition_count(inputs, partition_size)
    mark = fingerprint(inputs, options, count, reading)
    manifest_path = work / MANIFEST
    if resume:
        manifest = Manifest.load(manifest_path)
        if manifest is not None and manifest.fingerprint == mark and manifest.spilled:
            report.count("resumed")
            _replay(work / INGEST_REPORT, report)
            return partitions_in(work / BUCKETS, manifest.names), manifest
        if manifest is not None:
            report.warn("resume", manifest_path, None, "inputs or options changed since the last run; starting afresh")
    if work.exists():
        shutil.rmtree(work)
    read = RunReport(echo=report.echo)
    partitions = spill(inputs, work / BUCKETS, count, read, reading)
    report.merge(read)
    with atomic_write(work / INGEST_REPORT) as out:
        json.dump(read.to_dict(), out, ensure_ascii=False, sort_keys=True)
    if not partitions:
        raise InputError(
            f"no paper could be read from {len(inputs)} input file(s)"
            + (f" ({report.warning_count} warning(s) above)" if report.warning_count else "")
        )
    manifest = Manifest(mark, count, [str(p) for p in inputs], [p.name for p in partitions], True)
    manifest.save(manifest_path)
    return partitions, manifest


def _replay(path: Path, report: RunReport) -> None:
    """The counts and warnings of the first run's reading, into a resumed run's report."""
    try:
        report.merge(RunReport.from_dict(json.loads(path.read_text(encoding="utf-8"))))
    except (OSError, ValueError, KeyError):
        report.warn("resume", path, None, "the first run's ingest report is missing; its counts are not repeated")


def extend(
    work: Path, inputs: Sequence[Path], options: BuildOptions, report: RunReport,
    reading: ReadOptions | None = None,
) -> tuple[list[Partition], set[str], Manifest]:
    """Spill new inputs into an earlier build's partitions (``--update``).

    Returns every partition, the names of those that received papers, and the
    manifest of all inputs so far, for the caller to save once the shards those
    papers went to are marked unfinished.
    """
    manifest = Manifest.load(work / MANIFEST)
    if manifest is None:
        raise InputError(f"{work / MANIFEST}: no manifest of an earlier build")
    added = spill(inputs, work / BUCKETS, manifest.partitions, report, reading, append=True)
    names = sorted({*manifest.names, *(p.name for p in added)})
    all_inputs = [*manifest.inputs, *map(str, inputs)]
    manifest = Manifest(
        fingerprint([Path(p) for p in all_inputs], options, manifest.partitions), manifest.partitions,
        all_inputs, names, True,
    )
    return partitions_in(work / BUCKETS, names), {p.name for p in added}, manifest
