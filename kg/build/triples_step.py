"""The triples step: each shard's sorted N-Triples, what spans shards, and ``kg.nt``.

Once the entity table is resolved, every shard can be written on its own: its
papers, and the edges from its papers assembled against the table. A worker
writes the shard's ``.nt`` file beside the shard and returns only a small
``Totals`` (plain data): counts per edge type, the papers behind each
materialised count, and the entity -> entity edges, which span shards and are
merged in the parent. Merging totals commutes, so the result does not depend on
how the shards were split among workers. A k-way merge of the sorted files then
gives ``kg.nt``: the same bytes however the work was split.
"""

from __future__ import annotations

import hashlib
import heapq
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from kg.build.executor import Executor
from kg.build.options import BuildOptions
from kg.build.shards import Shards
from kg.graph.edges import assemble, unique_evidence
from kg.ids import ENTITY_NODE
from kg.rdf.result_nodes import leaderboard_lines, prune_scores, result_lines, score_row
from kg.rdf.statistics import statistics_triples
from kg.rdf.triples import IRIs, edge_lines, entity_lines, paper_lines
from kg.records import Edge, EntityTable, Evidence, result_keys
from kg.textio import atomic_write

TABLE = "table.json"  # the resolved entity table, under work/, read by triples workers
METHOD_TYPES = frozenset({"Method", "Architecture"})


@dataclass(slots=True)
class Totals:
    """Corpus-wide figures, per shard and then reduced over shards."""

    papers: int = 0
    results: int = 0
    scores: list[list[Any]] = field(default_factory=list)  # ranking rows (score_row), pruned (prune_scores)
    edges_by_type: Counter[str] = field(default_factory=Counter)
    evidence: int = 0
    entity_edges: dict[tuple[str, str, str], list[Evidence]] = field(default_factory=dict)
    papers_per_edge: Counter[tuple[str, str]] = field(default_factory=Counter)
    cooccurrence: Counter[tuple[str, str]] = field(default_factory=Counter)
    methods_on_dataset: Counter[tuple[str, str]] = field(default_factory=Counter)
    months: Counter[str] = field(default_factory=Counter)

    def merge(self, other: Totals) -> None:
        self.papers += other.papers
        self.results += other.results
        self.scores = prune_scores([*self.scores, *other.scores]) if other.scores else self.scores
        self.evidence += other.evidence
        for mine, theirs in (
            (self.edges_by_type, other.edges_by_type), (self.papers_per_edge, other.papers_per_edge),
            (self.cooccurrence, other.cooccurrence), (self.methods_on_dataset, other.methods_on_dataset),
            (self.months, other.months),
        ):
            mine.update(theirs)
        for key, items in other.entity_edges.items():
            self.entity_edges.setdefault(key, []).extend(items)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able data, to cross a process or machine boundary."""
        return {
            "papers": self.papers,
            "results": self.results,
            "scores": self.scores,
            "evidence": self.evidence,
            "edges_by_type": dict(self.edges_by_type),
            "entity_edges": [[*key, [item.to_dict() for item in items]] for key, items in self.entity_edges.items()],
            "papers_per_edge": [[*key, n] for key, n in self.papers_per_edge.items()],
            "cooccurrence": [[*key, n] for key, n in self.cooccurrence.items()],
            "methods_on_dataset": [[*key, n] for key, n in self.methods_on_dataset.items()],
            "months": dict(self.months),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Totals:
        def pairs(rows: list[list[Any]]) -> Counter[tuple[str, str]]:
            return Counter({(a, b): n for a, b, n in rows})

        return cls(
            papers=data["papers"],
            results=data.get("results", 0),
            scores=data.get("scores", []),
            evidence=data["evidence"],
            edges_by_type=Counter(data["edges_by_type"]),
            entity_edges={(s, t, o): [Evidence.from_dict(i) for i in items] for s, t, o, items in data["entity_edges"]},
            papers_per_edge=pairs(data["papers_per_edge"]),
            cooccurrence=pairs(data["cooccurrence"]),
            methods_on_dataset=pairs(data["methods_on_dataset"]),
            months=Counter(data["months"]),
        )


@dataclass(frozen=True, slots=True)
class TriplesTask:
    """One shard's triples: where its files are, the resolved table, the base IRI."""

    name: str
    shards: str
    table: str
    base_iri: str
    evidence: str = "sentences"


def month_of(date: str | None) -> str | None:
    """``2023-10`` of an ISO date with a year, ``--10`` of a month-day without one."""
    if not date:
        return None
    if date.startswith("--") and len(date) >= 4:
        return date[:4]
    if len(date) >= 7 and date[:4].isdigit() and date[4] == "-":
        return date[:7]
    return None


def save_table(table: EntityTable, work: Path) -> Path:
    path = work / TABLE
    with atomic_write(path) as out:
        json.dump(table.to_dict(), out, ensure_ascii=False, sort_keys=True)
    return path


@lru_cache(maxsize=2)
def _load_table(path: str, mtime_ns: int) -> EntityTable:
    """The table, read once per worker process (a worker runs many shards; the
    modification time keys the cache, so a rewritten table is read again)."""
    return EntityTable.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))


def triples_task(task: TriplesTask) -> dict[str, Any]:
    """Run in a worker: write one shard's ``.nt``, return its totals as plain data."""
    table = _load_table(task.table, Path(task.table).stat().st_mtime_ns)
    shards = Shards(Path(task.shards))
    return write_shard_triples(task.name, shards, table, task.base_iri, task.evidence).to_dict()


def write_triples(
    names: Sequence[str], shards: Shards, table: EntityTable, options: BuildOptions, executor: Executor,
    work: Path,
) -> Totals:
    """Every shard's sorted N-Triples, in the executor's workers when they share this
    filesystem (local processes, a LocalCluster), else here; the shards' totals reduced."""
    totals = Totals()
    if executor.shares_files and executor.parallel:
        table_path = str(save_table(table, work))
        tasks = (TriplesTask(name, str(shards.folder), table_path, options.base_iri, options.evidence)
                 for name in names)
        for _, result in executor.map(triples_task, tasks):
            totals.merge(Totals.from_dict(result))
    else:
        for name in names:
            totals.merge(write_shard_triples(name, shards, table, options.base_iri, options.evidence))
    return totals


_COUNTED = {("evaluatedOn", "Dataset"): "evaluatedOn", ("reportsMetric", "Metric"): "reportsMetric",
            **{(edge, t): "method" for edge in ("proposes", "uses") for t in METHOD_TYPES}}


def write_shard_triples(
    name: str, shards: Shards, table: EntityTable, base_iri: str, evidence: str = "sentences"
) -> Totals:
    """Sorted N-Triples of one shard's papers and paper edges; what spans shards
    (entity -> entity edges, counts) is returned as the shard's totals."""
    totals = Totals()
    iris = IRIs(base_iri)
    papers, extractions = shards.load(name)
    lines: set[str] = set()
    linked: dict[str, dict[str, set[str]]] = {}
    for paper in papers:
        lines.update(paper_lines(paper, iris))
        month = month_of(paper.date)
        if month:
            totals.months[month] += 1
    for edge in assemble(papers, extractions, table):
        if edge.source.startswith(ENTITY_NODE):
            totals.entity_edges.setdefault((edge.source, edge.type, edge.target), []).extend(edge.evidence)
            continue
        totals.edges_by_type[edge.type] += 1
        totals.evidence += edge.weight
        key = edge.target[len(ENTITY_NODE):]
        totals.papers_per_edge[(key, edge.type)] += 1
        # the counts pair a Dataset with a Metric or a method: an entity the corpus typed
        # otherwise (one paper read "EM" as a dataset) is left out of them
        kind = _COUNTED.get((edge.type, table.entities[key].type))
        if kind is not None:
            linked.setdefault(edge.source, {}).setdefault(kind, set()).add(key)
        for _, group in edge_lines(edge, iris, evidence):
            lines.update(group)
    by_id = {paper.id: paper for paper in papers}
    for extraction in extractions:
        paper = by_id.get(extraction.id)
        if paper is None:
            continue
        for result in extraction.results:
            keys = result_keys(result, table)
            for _, group in result_lines(paper, result, keys, iris, evidence):
                lines.update(group)
            totals.results += 1
            row = score_row(paper, result, keys, table)
            if row is not None:
                totals.scores.append(row)
    for by_type in linked.values():
        datasets = by_type.get("evaluatedOn", ())
        totals.cooccurrence.update((d, m) for d in datasets for m in by_type.get("reportsMetric", ()))
        totals.methods_on_dataset.update((d, m) for d in datasets for m in by_type.get("method", ()))
    totals.papers = len(papers)
    totals.scores = prune_scores(totals.scores)
    with atomic_write(shards.triples(name)) as out:
        out.writelines(sorted(lines))
    return totals


def corpus_edges(totals: Totals) -> list[Edge]:
    """Entity -> entity edges merged across shards, each sentence counted once."""
    edges = [
        Edge(source, target, kind, unique_evidence(items))
        for (source, kind, target), items in sorted(totals.entity_edges.items())
    ]
    for edge in edges:
        totals.edges_by_type[edge.type] += 1
        totals.evidence += edge.weight
    return edges


def _lines(triples: Iterable[tuple[str, str, str]]) -> Iterator[str]:
    for s, p, o in triples:
        yield f"{s} {p} {o} .\n"


def write_corpus_triples(
    path: Path, table: EntityTable, edges: Sequence[Edge], totals: Totals, base_iri: str,
    evidence: str = "sentences",
) -> None:
    """Sorted N-Triples of everything that spans shards: entities, entity edges, counts."""
    iris = IRIs(base_iri)
    lines: set[str] = set()
    for key in sorted(table.entities):
        lines.update(entity_lines(table.entities[key], iris))
    for edge in edges:
        for _, group in edge_lines(edge, iris, evidence):
            lines.update(group)
    lines.update(_lines(statistics_triples(
        table, totals.papers_per_edge, totals.cooccurrence, totals.methods_on_dataset, totals.months, iris)))
    lines.update(leaderboard_lines(totals.scores, iris))
    with atomic_write(path) as out:
        out.writelines(sorted(lines))


def merge_sorted(paths: Sequence[Path], target: Path) -> tuple[int, str]:
    """k-way merge of sorted N-Triples files into one sorted, de-duplicated file; the
    number of lines written and a hash of them (the build's generation)."""
    handles = [open(path, encoding="utf-8") for path in paths]  # noqa: SIM115
    count = 0
    digest = hashlib.blake2b(digest_size=16)
    try:
        with atomic_write(target) as out:
            previous = None
            for line in heapq.merge(*handles):
                if line != previous:
                    out.write(line)
                    digest.update(line.encode("utf-8"))
                    count += 1
                    previous = line
    finally:
        for handle in handles:
            handle.close()
    return count, digest.hexdigest()
