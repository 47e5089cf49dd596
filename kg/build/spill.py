"""The spill: a corpus streamed into partition files on disk, so no step holds it whole.

Entries are routed to a bucket by a hash of their normalised title, so every
sighting of a paper (in one file or many, under an arXiv id or not) lands in
the same bucket and duplicates are merged inside it. Bucket membership depends
only on the input and the partition count, never on how many workers run, so
results are identical for one process, N processes or a cluster.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from kg.build.options import DEFAULT_PARTITION_SIZE
from kg.ids import normalise_title
from kg.ingest import read_entries
from kg.ingest.fields import ReadOptions
from kg.records import Paper
from kg.report import RunReport

BYTES_PER_ENTRY = 1100  # a listing or arXiv entry, measured on the sample corpus and the snapshot
_FLUSH_EVERY = 256


@dataclass(frozen=True, slots=True)
class Partition:
    """A named batch of papers on disk: what a worker is given (a path, not the papers)."""

    name: str
    path: str

    def papers(self) -> list[Paper]:
        with open(self.path, encoding="utf-8") as handle:
            return [Paper.from_dict(json.loads(line)) for line in handle]


def partition_count(paths: Iterable[Path], partition_size: int = DEFAULT_PARTITION_SIZE) -> int:
    """How many buckets: the input size over the target partition size, at least one.

    Input bytes are a cheap estimate of the entry count that is known before
    reading; compressed inputs count about four times their size.
    """
    total = 0
    for path in paths:
        try:
            size = os.path.getsize(path)
        except OSError:
            continue
        total += size * 4 if str(path).endswith(".gz") else size
    return max(1, math.ceil(total / BYTES_PER_ENTRY / partition_size))


def bucket_of(paper: Paper, buckets: int) -> int:
    digest = hashlib.blake2b(normalise_title(paper.title).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % buckets


def partition_name(index: int) -> str:
    return f"part-{index:05d}"


def partitions_in(folder: Path, names: Iterable[str]) -> list[Partition]:
    """The partitions of spilled bucket files under ``folder``, by name."""
    return [Partition(name, str(folder / f"{name}.jsonl")) for name in names]


def spill(
    paths: Iterable[Path],
    folder: Path,
    buckets: int,
    report: RunReport,
    reading: ReadOptions | None = None,
    *,
    append: bool = False,
) -> list[Partition]:
    """Stream every entry into its bucket file under ``folder``; return the partitions written.

    Memory stays at a few hundred records per bucket (write buffers), whatever
    the input size. Bucket files are complete only when this returns: each is
    written to a temporary name and renamed at the end. With ``append``, new
    entries are added after a bucket's existing ones (``kg build --update``).
    """
    folder.mkdir(parents=True, exist_ok=True)
    buffers: dict[int, list[str]] = {}
    handles: dict[int, IO[str]] = {}
    temporary = {i: folder / f".{partition_name(i)}.jsonl.tmp" for i in range(buckets)}
    try:
        for paper in read_entries(paths, report, reading):
            index = bucket_of(paper, buckets)
            buffer = buffers.setdefault(index, [])
            buffer.append(json.dumps(paper.to_dict(), ensure_ascii=False))
            if len(buffer) >= _FLUSH_EVERY:
                _flush(index, buffer, handles, temporary)
        for index, buffer in buffers.items():
            _flush(index, buffer, handles, temporary)
    finally:
        for handle in handles.values():
            handle.close()
    for index in sorted(handles):
        final = folder / f"{partition_name(index)}.jsonl"
        if append and final.exists():
            combined = folder / f".{partition_name(index)}.jsonl.combined"
            with open(combined, "wb") as out:
                for part in (final, temporary[index]):
                    with open(part, "rb") as source:
                        shutil.copyfileobj(source, out)
            os.unlink(temporary[index])
            os.replace(combined, final)
        else:
            os.replace(temporary[index], final)
    return partitions_in(folder, (partition_name(index) for index in sorted(handles)))


def _flush(index: int, buffer: list[str], handles: dict[int, IO[str]], temporary: dict[int, Path]) -> None:
    if not buffer:
        return
    handle = handles.get(index)
    if handle is None:
        handle = handles[index] = open(temporary[index], "w", encoding="utf-8")  # noqa: SIM115
    handle.write("\n".join(buffer) + "\n")
    buffer.clear()
