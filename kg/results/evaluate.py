"""Scoring extracted results against reported ones (``../shared/results`` layout).

Gold records: ``id``, ``title``, ``abstract`` and ``results`` (``task``,
``dataset``, ``metric``, ``score``; optional ``weak``). Scores compare as
numbers are written ("85.30" = "85.3" = "85.3%", ".5" = "0.5", commas
dropped); names compare through ``NameIndex``: a compact key (lower case,
letters and digits only), the gazetteer entries a name is an alias of and
their families, with leaderboard qualifiers dropped ("ImageNet (finetuned)",
"COCO test-dev", years and language codes spelled alike); a metric also
matches the same metric with qualifiers in front ("top-1 accuracy" ~
"accuracy", "mask AP" ~ "AP"), a dataset one whose name holds the other
("WMT2014 English-German" ~ "English-German").
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.ids import normalise_space
from kg.records import Paper, Result
from kg.results.names import compact

_PARENS = re.compile(r"\s*\([^)]*\)")
_INSIDE_PARENS = re.compile(r"\(([^)]*)\)")
_SPLITS = re.compile(
    r"\b(?:test[- ]?dev|test[- ]?std|test[- ]?challenge|test|dev|val|validation|train|"
    r"development|set|split|benchmark|dataset|corpus|full|blind|hidden|official|"
    r"20\d\d|19\d\d|v\d(?:\.\d)?)\b", re.IGNORECASE,
)


def score_key(text: str) -> str:
    """``"85.30%"`` -> ``"85.3"``; ``".5"`` -> ``"0.5"``; ``"1,024"`` -> ``"1024"``."""
    value = text.strip().rstrip("%").replace(",", "").strip()
    if "." in value:
        value = value.rstrip("0").rstrip(".")
    if value.startswith("."):
        value = "0" + value
    return value or "0"


@dataclass(slots=True)
class NameIndex:
    """Compact name -> compact keys of what it names (gazetteer entries and their families)."""

    aliases: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, entries: Iterable[tuple[str, Iterable[str], str | None]]) -> NameIndex:
        """From ``(name, aliases, family)`` triples, e.g. the gazetteer's entries."""
        index = cls()
        for name, aliases, family in entries:
            keys = {compact(name)} | ({compact(family)} if family else set())
            for alias in (name, *aliases):
                index.aliases.setdefault(compact(alias), set()).update(keys)
        return index

    def keys(self, name: str, kind: str = "") -> set[str]:
        bare = _PARENS.sub("", name)
        variants = {name, bare, _SPLITS.sub(" ", bare), *_INSIDE_PARENS.findall(name)}
        if kind == "metric":  # "text-to-video R@1" is an R@1, "Detection AUROC" an AUROC
            words = bare.split()
            variants.update(" ".join(words[k:]) for k in range(1, len(words)))
        found: set[str] = set()
        for variant in variants:
            key = compact(variant)
            if key:
                found.add(key)
                found.update(self.aliases.get(key, ()))
        for key in list(found):  # a family's family
            found.update(self.aliases.get(key, ()))
        return found

    def same(self, gold: str, found: str | None, kind: str) -> bool:
        if not found:
            return False
        ours, theirs = self.keys(found, kind), self.keys(gold, kind)
        if ours & theirs:
            return True
        if kind == "metric":
            return any(len(a) >= 2 and (b.endswith(a) or a.endswith(b)) and len(b) >= 2 for a in ours for b in theirs)
        if kind == "dataset":
            return any(min(len(a), len(b)) >= 4 and (a in b or b in a) for a in ours for b in theirs)
        return False


@dataclass(slots=True)
class GoldResult:
    task: str
    dataset: str
    metric: str
    score: str
    weak: bool = False


@dataclass(slots=True)
class GoldPaper:
    paper: Paper
    results: list[GoldResult]
    annotated: set[str] = field(default_factory=set)  # score keys of every annotated result


def _open(path: Path):
    return gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else open(path, encoding="utf-8")


def read_results_gold(path: Path) -> Iterator[GoldPaper]:
    """Gold papers with their results; a bad line is a one-line error naming file and line."""
    try:
        handle = _open(path)
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror or err}") from err
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                paper = Paper(id=str(data["id"]), title=normalise_space(data.get("title") or ""),
                              abstract=normalise_space(data.get("abstract") or ""))
                results = [GoldResult(str(r["task"]), str(r["dataset"]), str(r["metric"]), str(r["score"]),
                                      bool(r.get("weak", False))) for r in data.get("results", [])]
            except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as err:
                what = f"missing key {err}" if isinstance(err, KeyError) else str(err)
                raise InputError(f"{path}:{number}: not a gold results record ({what})") from err
            yield GoldPaper(paper, results, {score_key(r.score) for r in results})


def annotated_scores(path: Path) -> dict[str, set[str]]:
    """Paper id -> score keys of all its annotated results (``dev-all-tuples.jsonl.gz``)."""
    return {gold.paper.id: gold.annotated for gold in read_results_gold(path)}


_LEVELS = ("value", "value+metric", "value+metric+dataset")


@dataclass(slots=True)
class ResultScores:
    """Recall at three levels, and how many extracted values are annotated scores."""

    gold: int = 0
    found: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_LEVELS, 0))
    extracted: int = 0
    annotated: int = 0
    papers: list[dict[str, Any]] = field(default_factory=list)

    def recall(self, level: str) -> float:
        return self.found[level] / self.gold if self.gold else 0.0

    @property
    def annotated_share(self) -> float:
        return self.annotated / self.extracted if self.extracted else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "gold": self.gold, "extracted": self.extracted, "annotated": self.annotated,
            "annotated_share": round(self.annotated_share, 4),
            "recall": {level: round(self.recall(level), 4) for level in _LEVELS},
            "found": dict(self.found), "papers": self.papers,
        }


def _values(result: Result) -> set[str]:
    found = {score_key(result.value.split("-")[0])}
    if result.upper is not None:
        found.add(score_key(result.value.split("-")[-1]))
    return found


def score_results(
    golds: Iterable[GoldPaper], extracted: Mapping[str, list[Result]], names: NameIndex,
    annotated: Mapping[str, set[str]] | None = None,
) -> ResultScores:
    """Each gold result is found at the best level any extracted result of its paper reaches."""
    scores = ResultScores()
    for gold in golds:
        results = extracted.get(gold.paper.id, [])
        row = {"id": gold.paper.id, "gold": len(gold.results), "extracted": len(results),
               **dict.fromkeys(_LEVELS, 0)}
        for item in gold.results:
            key = score_key(item.score)
            same_value = [r for r in results if key in _values(r)]
            level = None
            if same_value:
                level = "value"
                with_metric = [r for r in same_value if names.same(item.metric, r.metric, "metric")]
                if with_metric:
                    level = "value+metric"
                    if any(names.same(item.dataset, r.dataset, "dataset") for r in with_metric):
                        level = "value+metric+dataset"
            if level is not None:
                for reached in _LEVELS[: _LEVELS.index(level) + 1]:
                    scores.found[reached] += 1
                    row[reached] += 1
        wanted = (annotated or {}).get(gold.paper.id, gold.annotated) | gold.annotated
        row["annotated"] = sum(1 for r in results if _values(r) & wanted)
        scores.gold += len(gold.results)
        scores.extracted += len(results)
        scores.annotated += row["annotated"]
        scores.papers.append(row)
    return scores


def format_result_scores(scores: ResultScores, title: str, per_paper: bool = False) -> str:
    lines = [title]
    if per_paper:
        lines.append(f"{'paper':<28} {'gold':>4} {'value':>5} {'+metric':>7} {'+dataset':>8} {'extracted':>9} {'annotated':>9}")
        for row in scores.papers:
            lines.append(f"{row['id'][:28]:<28} {row['gold']:>4} {row['value']:>5} {row['value+metric']:>7} "
                         f"{row['value+metric+dataset']:>8} {row['extracted']:>9} {row['annotated']:>9}")
        lines.append("")
    lines.append(f"{'level':<22} {'found':>6} {'gold':>6} {'recall':>7}")
    for level in _LEVELS:
        lines.append(f"{level:<22} {scores.found[level]:>6} {scores.gold:>6} {scores.recall(level):>7.3f}")
    lines.append(f"extracted results: {scores.extracted}, of which {scores.annotated} "
                 f"({scores.annotated_share:.3f}) have a value the paper's annotations report")
    return "\n".join(lines)
