"""Counts materialised at build time, so saved queries never aggregate the whole graph.

On a large store a ``GROUP BY`` over every paper takes seconds; reading a
count written at build time takes milliseconds. Four kinds are written:

* ``kgo:EdgeCount``: for an entity and an edge type, how many papers are
  linked to it by that type (``evaluatedOn`` ImageNet: 12 papers);
* ``kgo:Cooccurrence``: for a dataset and a metric, how many papers are
  evaluated on the one and report the other;
* ``kgo:MethodOnDataset``: for a dataset and a method or architecture, how
  many papers are evaluated on the one and propose or use the other;
* ``kgo:MonthCount``: how many papers carry a date in a month (``2023-10``,
  or ``--10`` when a listing gives no year).

Count resources have stable IRIs (hashes of what identifies them).

Rankings a saved query lists from the top are materialised too, for the first
``RANKED`` places: ``kgo:cooccurrenceRank`` on a ``kgo:Cooccurrence`` (by paper
count, then dataset and metric name) and ``kgo:usageRank`` on a Dataset (by
papers evaluated on it or using it, then name). Even sorted counts cost a read
of every count resource per query; a rank is read for the first rows only.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterator
from typing import Any

from kg.rdf.namespace import KGO, RDF, XSD
from kg.rdf.triples import IRIs, Triple, integer, iri, literal

_A = iri(str(RDF.type))
RANKED = 1000


COUNT_FOLDERS = ("count", "cooccurrence", "method-on-dataset", "month")  # where count nodes live


def _digest(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:20]


def statistics_triples(
    table: Any,
    papers_per_edge: Counter[tuple[str, str]],
    cooccurrence: Counter[tuple[str, str]],
    methods_on_dataset: Counter[tuple[str, str]],
    months: Counter[str],
    iris: IRIs,
) -> Iterator[Triple]:
    """Triples of every count, in no particular order (writers sort)."""
    edge_count, cooc = iri(str(KGO.EdgeCount)), iri(str(KGO.Cooccurrence))
    entity, edge_type = iri(str(KGO.countedEntity)), iri(str(KGO.edgeType))
    dataset, metric, papers = iri(str(KGO.dataset)), iri(str(KGO.metric)), iri(str(KGO.paperCount))
    for (key, kind), count in papers_per_edge.items():
        if key not in table.entities:
            continue
        s = iri(f"{iris.base}count/{_digest(key, kind)}")
        yield s, _A, edge_count
        yield s, entity, iri(iris.entity(key))
        yield s, edge_type, iri(str(KGO[kind]))
        yield s, papers, integer(count)
    yield from _pair_counts(cooccurrence, "cooccurrence", cooc, dataset, metric, iris)
    names = {key: entity.name for key, entity in table.entities.items()}
    pair_rank = iri(str(KGO.cooccurrenceRank))
    for rank, (dataset_key, metric_key) in _ranked(
            cooccurrence, lambda pair: (names.get(pair[0], ""), names.get(pair[1], ""), pair)):
        yield _pair_iri(iris, "cooccurrence", dataset_key, metric_key), pair_rank, integer(rank)
    usage: Counter[str] = Counter()
    for (key, kind), count in papers_per_edge.items():
        if kind in ("evaluatedOn", "uses") and key in table.entities and table.entities[key].type == "Dataset":
            usage[key] += count
    usage_rank = iri(str(KGO.usageRank))
    for rank, key in _ranked(usage, lambda key: (names[key], key)):
        yield iri(iris.entity(key)), usage_rank, integer(rank)
    method_count, method = iri(str(KGO.MethodOnDataset)), iri(str(KGO.method))
    yield from _pair_counts(methods_on_dataset, "method-on-dataset", method_count, dataset, method, iris)
    month_count, month = iri(str(KGO.MonthCount)), iri(str(KGO.month))
    for value, count in months.items():
        s = iri(f"{iris.base}month/{value}")
        yield s, _A, month_count
        datatype = XSD.gMonth if value.startswith("--") else XSD.gYearMonth
        yield s, month, literal(value, str(datatype))
        yield s, papers, integer(count)


def _pair_counts(
    counts: Counter[tuple[str, str]], folder: str, kind: str, first: str, second: str, iris: IRIs
) -> Iterator[Triple]:
    """One count resource per pair of entity keys: ``kgo:Cooccurrence``, ``kgo:MethodOnDataset``."""
    papers = iri(str(KGO.paperCount))
    for (first_key, second_key), count in counts.items():
        s = _pair_iri(iris, folder, first_key, second_key)
        yield s, _A, kind
        yield s, first, iri(iris.entity(first_key))
        yield s, second, iri(iris.entity(second_key))
        yield s, papers, integer(count)


def _pair_iri(iris: IRIs, folder: str, first_key: str, second_key: str) -> str:
    """The IRI of the count resource of one pair of entity keys (``folder``: its kind)."""
    return iri(f"{iris.base}{folder}/{_digest(first_key, second_key)}")


def _ranked(counts: Counter[Any], tie_break: Any) -> list[tuple[int, Any]]:
    """The first ``RANKED`` items by count, most first, ties in ``tie_break`` order
    (names compare by code point, as SPARQL orders strings); ranks start at 1."""
    order = sorted(counts, key=lambda item: (-counts[item], tie_break(item)))[:RANKED]
    return list(enumerate(order, start=1))
