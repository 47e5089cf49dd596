"""Relation rules: data files under ``kg/data/relations/``, validated when they load.

``paper_edges.jsonl`` types the edge from a paper to each entity it mentions
(trigger phrases near the mention); ``entity_edges.jsonl`` holds the patterns
that state an edge between two entities (Hearst patterns, "X, a variant of Y",
"X outperforms Y"). One JSON object per line, so an error names its line.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from kg.datafiles import read_json_lines
from kg.errors import DataFileError
from kg.records import ENTITY_TYPES, FIELDS
from kg.resources import data_path

PAPER_RULES = "paper_edges.jsonl"
PAIR_RULES = "entity_edges.jsonl"
SCHEMA = "relations.schema.json"
DEFAULT_GAP = 3

MENTION = "\ue000"
MENTION_END = "\ue001"
_SLOT = re.compile(r"\{([a-z]+)(\+?)\}")
_ONE = r"(?P<{name}>" + MENTION + r"\d+" + MENTION_END + ")"
_LIST = (
    r"(?P<{name}>" + MENTION + r"\d+" + MENTION_END
    + r"(?:\s*(?:,|,?\s*and|,?\s*or|/)\s*" + MENTION + r"\d+" + MENTION_END + r")*)"
)


@dataclass(frozen=True, slots=True)
class Phrases:
    """Phrases looked for anywhere in a sentence: one-word phrases against the sentence's set
    of words, longer ones (as " word word ") in its spaced text only when their first word
    is in the set, so a rule with hundreds of phrases costs a set intersection."""

    words: frozenset[str]
    longer: dict[str, tuple[str, ...]]

    def found_in(self, words: frozenset[str], spaced: str) -> bool:
        if not self.words.isdisjoint(words):
            return True
        longer = self.longer
        return any(p in spaced for first in longer.keys() & words for p in longer[first])


def phrases(texts: list[str]) -> Phrases | None:
    """``["prior work|works", "typically"]`` -> a ``Phrases`` (None for no phrases)."""
    words: set[str] = set()
    longer: dict[str, list[str]] = {}
    for text in texts:
        for expanded in _expand(text):
            if len(expanded) == 1:
                words.add(expanded[0])
            else:
                longer.setdefault(expanded[0], []).append(f" {' '.join(expanded)} ")
    if not (words or longer):
        return None
    return Phrases(frozenset(words), {k: tuple(v) for k, v in longer.items()})


@dataclass(frozen=True, slots=True)
class PaperRule:
    """Types a paper -> entity edge when a trigger phrase is near the mention."""

    id: str
    type: str
    entity_types: frozenset[str]
    fields: frozenset[str]
    before: tuple[tuple[str, ...], ...]
    after: tuple[tuple[str, ...], ...]
    gap: int
    default: bool
    confidence: float
    order: int
    blocked_by: frozenset[str] = frozenset()
    at_start: bool = False
    # scope "sentence": the rule reads the whole sentence, not the words near the mention;
    # scope "paper": the whole title and abstract ("this survey"), for every edge of the paper
    scope: str = "trigger"
    sentence: Phrases | None = None  # one of these must be in the sentence
    unless: Phrases | None = None  # any of these cancels the rule
    overrides: frozenset[str] = frozenset()  # edge types from triggers this rule replaces
    not_after: frozenset[tuple[str, ...]] = frozenset()  # phrases that, right before the mention, cancel it
    # a known entity right after an indefinite article ("a novel deep CNN") is the class of
    # the paper's model: the edge takes this type instead
    known_class: str | None = None


@dataclass(frozen=True, slots=True)
class PairRule:
    """States an entity -> entity edge through a pattern whose slots are mentions."""

    id: str
    type: str
    cues: tuple[str, ...]
    regex: re.Pattern[str]
    head: str
    tail: str
    same_type: bool
    confidence: float


@dataclass(frozen=True, slots=True)
class Side:
    """The trigger phrases that can type one (entity type, field) looking one way from a mention.

    Filtering by entity type and field once, at load time, leaves the scan
    only the checks that depend on the sentence (gap, blocking words,
    sentence start); ``lengths`` maps a phrase's anchor word (its last word
    looking left, its first looking right) to the phrase lengths it ends or
    starts, longest first, and ``reach`` is the largest gap any rule allows
    (-1 when no rule applies, so the scan is skipped).
    """

    phrases: dict[tuple[str, ...], tuple[PaperRule, ...]]
    lengths: dict[str, tuple[int, ...]]
    reach: int


def _side(
    table: dict[tuple[str, ...], list[PaperRule]], entity_type: str, field_name: str, left: bool
) -> Side:
    """One direction's phrase table cut down to the rules a type and field can use."""
    phrases: dict[tuple[str, ...], tuple[PaperRule, ...]] = {}
    for phrase, candidates in table.items():
        kept = tuple(r for r in candidates if entity_type in r.entity_types and field_name in r.fields)
        if kept:
            phrases[phrase] = kept
    lengths: dict[str, set[int]] = {}
    for phrase in phrases:
        lengths.setdefault(phrase[-1] if left else phrase[0], set()).add(len(phrase))
    return Side(
        phrases=phrases,
        lengths={word: tuple(sorted(found, reverse=True)) for word, found in lengths.items()},
        reach=max((r.gap for candidates in phrases.values() for r in candidates), default=-1),
    )


@dataclass(slots=True)
class RelationRules:
    """Every rule, indexed the way ``relate`` looks them up."""

    paper: list[PaperRule] = field(default_factory=list)
    pairs: list[PairRule] = field(default_factory=list)
    before: dict[tuple[str, ...], list[PaperRule]] = field(default_factory=dict)
    after: dict[tuple[str, ...], list[PaperRule]] = field(default_factory=dict)
    defaults: dict[str, PaperRule] = field(default_factory=dict)
    sentence: list[PaperRule] = field(default_factory=list)  # scope "sentence", in file order
    sentence_overrides: frozenset[str] = frozenset()  # edge types some sentence rule replaces
    whole_paper: list[PaperRule] = field(default_factory=list)  # scope "paper", in file order
    sides: dict[tuple[str, str], tuple[Side, Side]] = field(default_factory=dict)
    cues: tuple[str, ...] = ()

    def index(self) -> RelationRules:
        """Build the phrase -> rules lookups (called once after loading)."""
        self.before.clear()
        self.after.clear()
        self.defaults.clear()
        self.sides.clear()
        self.sentence = [rule for rule in self.paper if rule.scope == "sentence"]
        self.sentence_overrides = frozenset(t for rule in self.sentence for t in rule.overrides)
        self.whole_paper = [rule for rule in self.paper if rule.scope == "paper"]
        for rule in self.paper:
            for phrase in rule.before:
                self.before.setdefault(phrase, []).append(rule)
            for phrase in rule.after:
                self.after.setdefault(phrase, []).append(rule)
            if rule.default:
                for entity_type in rule.entity_types:
                    self.defaults.setdefault(entity_type, rule)
        self.cues = tuple(sorted({cue for rule in self.pairs for cue in rule.cues}))
        for entity_type in ENTITY_TYPES:
            for name in FIELDS:
                self.side(entity_type, name)
        return self

    def side(self, entity_type: str, field_name: str) -> tuple[Side, Side]:
        """The (looking left, looking right) trigger tables for mentions of a type in a field."""
        key = (entity_type, field_name)
        found = self.sides.get(key)
        if found is None:
            found = self.sides[key] = (
                _side(self.before, entity_type, field_name, True),
                _side(self.after, entity_type, field_name, False),
            )
        return found


def _expand(phrase: str) -> list[tuple[str, ...]]:
    """``"propose|present a"`` -> ``[("propose", "a"), ("present", "a")]``."""
    options = [word.lower().split("|") for word in phrase.split(" ")]
    return [tuple(words) for words in itertools.product(*options)]


def _paper_rule(data: dict[str, Any], order: int, where: str) -> PaperRule:
    before = tuple(p for phrase in data.get("before", []) for p in _expand(phrase))
    after = tuple(p for phrase in data.get("after", []) for p in _expand(phrase))
    default = bool(data.get("default", False))
    scope = data.get("scope", "trigger")
    if (default or scope != "trigger") and (before or after):
        raise DataFileError(f"{where}: a default, sentence or paper rule takes no 'before' or 'after' phrases")
    if scope == "trigger" and any(k in data for k in ("sentence", "unless", "overrides", "not_after")):
        raise DataFileError(
            f"{where}: 'sentence', 'unless', 'overrides' and 'not_after' need a \"scope\" of sentence or paper")
    if scope == "paper" and not (data.get("sentence") and data.get("overrides")):
        raise DataFileError(f"{where}: a paper rule needs 'sentence' phrases and 'overrides'")
    if not default and scope == "trigger" and not (before or after):
        raise DataFileError(f"{where}: expected 'before' or 'after' phrases (or \"default\": true)")
    return PaperRule(
        id=data["id"],
        type=data["type"],
        entity_types=frozenset(data["entity_types"]),
        fields=frozenset(data.get("fields", FIELDS)),
        before=before,
        after=after,
        gap=int(data.get("gap", DEFAULT_GAP)),
        default=default,
        confidence=float(data["confidence"]),
        order=order,
        blocked_by=frozenset(word.lower() for word in data.get("blocked_by", [])),
        at_start=bool(data.get("at_start", False)),
        scope=scope,
        sentence=phrases(data.get("sentence", [])),
        unless=phrases(data.get("unless", [])),
        overrides=frozenset(data.get("overrides", [])),
        not_after=frozenset(p for text in data.get("not_after", []) for p in _expand(text)),
        known_class=data.get("known_class"),
    )


def _pair_rule(data: dict[str, Any], where: str) -> PairRule:
    pattern = data["pattern"]
    slots = {name: plus == "+" for name, plus in _SLOT.findall(pattern)}
    for role in ("head", "tail"):
        if data[role] not in slots:
            raise DataFileError(f"{where}: {role} slot {{{data[role]}}} is not in the pattern")
    if len(_SLOT.findall(pattern)) != len(slots):
        raise DataFileError(f"{where}: a slot name is used twice in the pattern")

    def slot(match: re.Match[str]) -> str:
        return (_LIST if match.group(2) else _ONE).format(name=match.group(1))

    try:
        regex = re.compile(_SLOT.sub(slot, pattern), re.IGNORECASE)
    except re.error as err:
        raise DataFileError(f"{where}: invalid pattern: {err}") from err
    return PairRule(
        id=data["id"],
        type=data["type"],
        cues=tuple(cue.lower() for cue in data["cues"]),
        regex=regex,
        head=data["head"],
        tail=data["tail"],
        same_type=bool(data.get("same_type", False)),
        confidence=float(data["confidence"]),
    )


def _records(path: Path, definition: str) -> Iterable[tuple[str, dict[str, Any]]]:
    for number, data in read_json_lines(path, SCHEMA, definition):
        where = f"{path}:{number}"
        if not data["id"].startswith(data["type"] + "."):
            raise DataFileError(f"{where}: rule id {data['id']!r} must start with {data['type']!r}.")
        yield where, data


def _bundled(name: str) -> Path:
    return data_path("relations", name)


def load_rules(paper_rules: Path | None = None, pair_rules: Path | None = None) -> RelationRules:
    """Read and validate both rule files (the bundled ones unless paths are given)."""
    rules = RelationRules()
    seen: dict[str, str] = {}
    for where, data in _records(paper_rules or _bundled(PAPER_RULES), "paperRule"):
        _check_unique(data["id"], where, seen)
        rules.paper.append(_paper_rule(data, len(rules.paper), where))
    for where, data in _records(pair_rules or _bundled(PAIR_RULES), "pairRule"):
        _check_unique(data["id"], where, seen)
        rules.pairs.append(_pair_rule(data, where))
    missing = [t for t in ENTITY_TYPES if not any(r.default and t in r.entity_types for r in rules.paper)]
    if missing:
        raise DataFileError(
            f"{paper_rules or _bundled(PAPER_RULES)}: no default rule for entity type(s) "
            + ", ".join(missing)
        )
    return rules.index()


def _check_unique(rule_id: str, where: str, seen: dict[str, str]) -> None:
    if rule_id in seen:
        raise DataFileError(f"{where}: rule id {rule_id!r} already used at {seen[rule_id]}")
    seen[rule_id] = where


@cache
def bundled_rules() -> RelationRules:
    """The bundled rules, loaded once per process."""
    return load_rules()
