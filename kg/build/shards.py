"""Shards: the files a partition's work leaves under ``DIR/work/shards/``.

Per partition: its merged papers and their extractions (JSON Lines), a small
``CanonSummary`` written last, whose presence marks the shard finished, and
later its sorted N-Triples. Extraction depends only on a paper's title and
abstract, so a shard from an earlier run lends its extractions to papers it
already saw (``--resume``, ``--update``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.extract.canon import CanonSummary
from kg.records import Extraction, Paper
from kg.textio import atomic_write


def content_key(paper: Paper) -> str:
    """What extraction depends on: the title and the abstract, nothing else."""
    text = f"{paper.title}\x1f{paper.abstract}".encode()
    return hashlib.blake2b(text, digest_size=12).hexdigest()


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


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
        """Write a partition's papers and extractions, then its summary (last: it marks the
        shard finished)."""
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

        Shard files are written atomically, so any that exist are complete. An extraction
        written before results were read (no ``results`` key) is extracted again."""
        if not (self.papers(name).exists() and self.extractions(name).exists()):
            return {}
        papers = [Paper.from_dict(d) for d in read_jsonl(self.papers(name))]
        by_id = {d["id"]: d for d in read_jsonl(self.extractions(name)) if "results" in d}
        return {content_key(p): by_id[p.id] for p in papers if p.id in by_id}

    def merged_summary(self, names: Sequence[str]) -> CanonSummary:
        """The shards' canonicalisation summaries merged (in name order; merging commutes)."""
        total = CanonSummary()
        for name in sorted(names):
            total.merge(CanonSummary.from_dict(json.loads(self.summary(name).read_text(encoding="utf-8"))))
        return total
