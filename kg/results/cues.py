"""The result cues (``kg/data/results/cues.jsonl``) and metric directions, loaded once.

Each cue is a set of lower-case phrases, each phrase a tuple of words, so a
scan compares tuples of tokens instead of strings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from kg.datafiles import read_json_lines
from kg.records import EntityTable
from kg.resources import data_path
from kg.results.names import compact

Phrase = tuple[str, ...]
SCHEMA = "rules.schema.json"


def phrase(words: str) -> Phrase:
    """``"compared to"`` -> ``("compared", "to")``; a lone symbol is a phrase of one."""
    return tuple(words.lower().split())


@dataclass(slots=True)
class Cues:
    """Every cue kind as a set of phrases, and the units by their spellings."""

    phrases: dict[str, set[Phrase]] = field(default_factory=dict)
    units: dict[Phrase, str] = field(default_factory=dict)
    ratios: dict[Phrase, str] = field(default_factory=dict)
    longest: int = 1

    def has(self, kind: str, words: Phrase) -> bool:
        return words in self.phrases.get(kind, ())

    def words(self, kind: str) -> frozenset[str]:
        """The one-word phrases of a kind."""
        return frozenset(p[0] for p in self.phrases.get(kind, ()) if len(p) == 1)


def load_cues(path: Path) -> Cues:
    cues = Cues()
    for _, row in read_json_lines(path, SCHEMA, "result_cue"):
        kind = row["kind"]
        found = cues.phrases.setdefault(kind, set())
        for words in row["words"]:
            key = phrase(words)
            found.add(key)
            cues.longest = max(cues.longest, len(key))
            if kind == "unit":
                cues.units[key] = row["unit"]
            elif kind == "ratio":
                cues.ratios[key] = row["unit"]
    return cues


@cache
def bundled_cues() -> Cues:
    return load_cues(data_path("results", "cues.jsonl"))


@dataclass(frozen=True, slots=True)
class Directions:
    """Phrases that make a metric lower- or higher-is-better (higher ones are checked first)."""

    higher: frozenset[Phrase]
    lower: frozenset[Phrase]

    def better(self, names: list[str]) -> str:
        """``"lower"`` or ``"higher"`` for a metric known by ``names`` (name, aliases, acronym)."""
        for wanted, phrases in (("higher", self.higher), ("lower", self.lower)):
            for name in names:
                words = phrase(name.replace("-", " ").replace("_", " "))
                if any(_holds(words, p) for p in phrases):
                    return wanted
        return "higher"


def _holds(words: Phrase, wanted: Phrase) -> bool:
    size = len(wanted)
    return any(words[k : k + size] == wanted for k in range(len(words) - size + 1))


def load_directions(path: Path) -> Directions:
    found: dict[str, set[Phrase]] = {"higher": set(), "lower": set()}
    for _, row in read_json_lines(path, SCHEMA, "metric_direction"):
        found[row["better"]].update(phrase(w.replace("-", " ")) for w in row["words"])
    return Directions(frozenset(found["higher"]), frozenset(found["lower"]))


@cache
def bundled_directions() -> Directions:
    return load_directions(data_path("results", "directions.jsonl"))


def rank_metrics(table: EntityTable, directions: Directions | None = None) -> None:
    """Set each metric entity's ``better`` ("higher" or "lower") from its names."""
    directions = directions or bundled_directions()
    for entity in table.entities.values():
        if entity.type == "Metric":
            names = [entity.name, *entity.aliases, *([entity.acronym] if entity.acronym else [])]
            entity.better = directions.better(names)


@dataclass(frozen=True, slots=True)
class DefaultMetric:
    metric: str  # the metric's canonical form
    units: frozenset[str]
    largest: float


def load_default_metrics(path: Path) -> dict[str, DefaultMetric]:
    """Compact dataset name -> the metric its results are reported in by default."""
    found: dict[str, DefaultMetric] = {}
    for _, row in read_json_lines(path, SCHEMA, "default_metric"):
        default = DefaultMetric(row["metric"].lower(), frozenset(row["units"]), float(row["max"]))
        for name in row["datasets"]:
            found[compact(name)] = default
    return found


@cache
def bundled_default_metrics() -> dict[str, DefaultMetric]:
    return load_default_metrics(data_path("results", "default_metrics.jsonl"))
