"""N-Triples of reported results: one n-ary ``kgo:Result`` node per number, and its evidence.

A result links its value (``xsd:decimal``, never a string) to the paper,
metric, dataset, task, method and baseline entities; its evidence resource
holds the sentence, its offsets and the offsets of the value and of each
part the sentence names. IRIs hash what identifies the result (paper,
field, value offsets), so they never change between runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from kg.rdf.namespace import KGO
from kg.rdf.triples import _A, _DERIVED, _END, _K, Group, IRIs, decimal, digest, integer, literal
from kg.records import EntityTable, Paper, Result, field_text

_XSD_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
_PARTS = {"metric": "measures", "dataset": "onDataset", "task": "forTask", "method": "achievedBy",
          "baseline": "comparedWith"}


def decimal_text(text: str) -> str | None:
    """``"1,024.50"`` -> ``"1024.50"`` as an ``xsd:decimal`` lexical form; None if it is none."""
    plain = text.replace(",", "")
    if plain.startswith("."):
        plain = "0" + plain
    return plain if _NUMBER.match(plain) else None


def _decimal(text: str) -> str:
    return f'"{text}"^^<{_XSD_DECIMAL}>'


def result_iri(iris: IRIs, paper_id: str, result: Result) -> str:
    """Hash of the paper, the field, the value's offsets and the value."""
    return f"{iris.base}result/{digest(paper_id, result.field, str(result.start), str(result.end), result.value)}"


def result_lines(
    paper: Paper, result: Result, keys: dict[str, str | None], iris: IRIs, evidence: str = "sentences"
) -> list[Group]:
    """The result node and (unless ``evidence`` is ``"none"``) its evidence node; ``keys``
    are the entity keys of its parts (``kg.records.result_keys``)."""
    low = result.value.split("-")[0]
    lexical = decimal_text(low)
    if lexical is None:
        return []
    r = f"<{result_iri(iris, paper.id, result)}>"
    p = f"<{iris.paper(paper.id)}>"
    out = [
        f"{r}{_A}<{KGO.Result}>{_END}",
        f"{r}{_K['reportedIn']}{p}{_END}",
        f"{r}{_K['value']}{_decimal(lexical)}{_END}",
        f"{r}{_K['valueText']}{literal(result.value)}{_END}",
        f"{r}{_K['resultKind']}{literal(result.kind)}{_END}",
        f"{r}{_K['confidence']}{decimal(result.confidence)}{_END}",
    ]
    add = out.append
    if result.upper is not None:
        add(f"{r}{_K['upperValue']}{decimal(result.upper)}{_END}")
    if result.unit:
        add(f"{r}{_K['unit']}{literal(result.unit)}{_END}")
    if result.baseline_value is not None:
        add(f"{r}{_K['baselineValue']}{decimal(result.baseline_value)}{_END}")
    for part, key in keys.items():
        if key is not None:
            add(f"{r}{_K[_PARTS[part]]}<{iris.entity(key)}>{_END}")
    groups: list[Group] = [(r, out)]
    if evidence == "none":
        return groups
    v = f"<{iris.base}evidence/{digest('result', paper.id, result.field, str(result.start), str(result.end), result.rule)}>"
    text = field_text(paper, result.field)
    add(f"{r}{_K['hasEvidence']}{v}{_END}")
    lines = [
        f"{v}{_A}<{KGO.Evidence}>{_END}",
        f"{v}{_K['inPaper']}{p}{_END}",
        f"{v}{_DERIVED}{p}{_END}",
        f"{v}{_K['field']}{literal(result.field)}{_END}",
        f"{v}{_K['sentence']}{literal(text[result.sentence_start:result.sentence_end])}{_END}",
        f"{v}{_K['start']}{integer(result.sentence_start)}{_END}",
        f"{v}{_K['end']}{integer(result.sentence_end)}{_END}",
        f"{v}{_K['valueStart']}{integer(result.start)}{_END}",
        f"{v}{_K['valueEnd']}{integer(result.end)}{_END}",
        f"{v}{_K['rule']}{literal(result.rule)}{_END}",
        f"{v}{_K['confidence']}{decimal(result.confidence)}{_END}",
    ]
    for part, (start, end) in sorted(result.spans.items()):
        if part in _PARTS:
            lines.append(f"{v}{_K[part + 'Start']}{integer(start)}{_END}")
            lines.append(f"{v}{_K[part + 'End']}{integer(end)}{_END}")
    groups.append((v, lines))
    return groups


LEADERBOARD_DEPTH = 1000  # ranks written per dataset and metric


def score_row(paper: Paper, result: Result, keys: dict[str, str | None], table: EntityTable) -> list[Any] | None:
    """What ranking needs of a score on a dataset and metric (plain data, to cross processes):
    dataset, metric, a sort key that puts the best first (the metric's direction), date,
    and what the result's IRI is made of."""
    if result.kind != "score" or not keys["dataset"] or not keys["metric"] \
            or decimal_text(result.value.split("-")[0]) is None:
        return None
    lower = table.entities[keys["metric"]].better == "lower"
    return [keys["dataset"], keys["metric"], result.number if lower else -result.number, paper.date or "",
            paper.id, result.field, result.start, result.end, result.value]


def _rank_order(row: list[Any]) -> tuple[Any, ...]:
    return (row[2], row[3] or "9999", row[4], row[5], row[6])


def prune_scores(rows: list[list[Any]]) -> list[list[Any]]:
    """Only the rows a rank can still be written for: the first ``LEADERBOARD_DEPTH`` of each
    dataset and metric and each year's best. Pruning the union of pruned lists gives what
    pruning everything gives, so shards prune their own rows and the parent prunes as it
    merges: memory stays bounded by boards, not by results."""
    boards: dict[tuple[str, str], list[list[Any]]] = {}
    for row in rows:
        boards.setdefault((row[0], row[1]), []).append(row)
    kept: list[list[Any]] = []
    for board in boards.values():
        if len(board) <= LEADERBOARD_DEPTH:
            kept.extend(board)
            continue
        board.sort(key=_rank_order)
        years: set[int | None] = set()
        for rank, row in enumerate(board, start=1):
            year = _year(row[3])
            if rank <= LEADERBOARD_DEPTH or (year is not None and year not in years):
                kept.append(row)
            years.add(year)
    return kept


def _year(date: str) -> int | None:
    return int(date[:4]) if len(date) >= 4 and date[:4].isdigit() else None


def leaderboard_lines(rows: Iterable[list[Any]], iris: IRIs) -> Iterator[str]:
    """Ranks of every dataset and metric's scores, best first (the metric's direction),
    ties to the earlier paper: ``kgo:leaderboardRank`` for the first ``LEADERBOARD_DEPTH``,
    and ``kgo:bestOfYear`` on each year's best, each also linked from its dataset
    (``kgo:rankedResult``) so a leaderboard starts from the dataset's few ranked results,
    never from all of its results."""
    boards: dict[tuple[str, str], list[list[Any]]] = {}
    for row in rows:
        boards.setdefault((row[0], row[1]), []).append(row)
    rank_p, year_p, ranked_p = _K["leaderboardRank"], _K["bestOfYear"], _K["rankedResult"]
    for (dataset, _), board in sorted(boards.items()):
        board.sort(key=_rank_order)
        d = f"<{iris.entity(dataset)}>"
        years: set[int] = set()
        for rank, row in enumerate(board, start=1):
            r = f"<{iris.base}result/{digest(row[4], row[5], str(row[6]), str(row[7]), row[8])}>"
            year = _year(row[3])
            best_of_year = year is not None and year not in years
            if rank <= LEADERBOARD_DEPTH:
                yield f"{r}{rank_p}{integer(rank)}{_END}"
            if best_of_year:
                years.add(year)
                yield f"{r}{year_p}{integer(year)}{_END}"
            if rank <= LEADERBOARD_DEPTH or best_of_year:
                yield f"{d}{ranked_p}{r}{_END}"
