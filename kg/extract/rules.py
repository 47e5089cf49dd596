"""Rule data files: loading and validation.

Every rule family is data in ``kg/data/rules/`` (JSON Lines, one rule or
gazetteer entry per line) validated on load against
``kg/data/schemas/rules.schema.json`` (with ``jsonschema``). A bad line raises ``DataFileError`` naming
the file and line and saying what was expected. No spaCy here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from kg.datafiles import read_json_lines
from kg.errors import DataFileError, located
from kg.records import ENTITY_TYPES
from kg.resources import data_path

SCHEMA_NAME = "rules.schema.json"

# file name pattern -> the schema definition every line of it must satisfy
FILE_KINDS: dict[str, str] = {
    "gazetteer.*.jsonl": "gazetteer_entry",
    "context.jsonl": "context_rule",
    "naming.jsonl": "naming_rule",
    "heads.jsonl": "head_words",
    "stoplist.jsonl": "stop_words",
    "confidence.jsonl": "rule_confidence",
}


def rules_folder() -> Path:
    return data_path("rules")


def kind_of(path: Path) -> str | None:
    """The schema definition a rule file's name calls for, or None if it is no rule file."""
    from fnmatch import fnmatch

    for pattern, kind in FILE_KINDS.items():
        if fnmatch(path.name, pattern):
            return kind
    return None


def read_rule_file(path: Path, kind: str | None = None) -> list[tuple[int, dict[str, Any]]]:
    """Parse and validate one JSON Lines rule file: ``[(line_number, object), ...]``.

    Blank lines and lines starting with ``//`` are skipped (comments).
    """
    kind = kind or kind_of(path)
    if kind is None:
        raise DataFileError(located(path, None, "not a rule file name; expected one of "
                                    + ", ".join(FILE_KINDS)))
    return read_json_lines(path, SCHEMA_NAME, kind)


# --- typed views of the rule files -------------------------------------------------------


def _cue_words(cue: str) -> tuple[str, ...]:
    """A cue as the tokenizer splits running text: "state-of-the-art" is seven tokens."""
    return tuple(p for w in cue.lower().split() for p in re.split(r"(?<=\w)(-)(?=\w)", w) if p)


@dataclass(frozen=True, slots=True)
class GazEntry:
    """One gazetteer entry: a canonical name, its aliases, and how to match them."""

    type: str
    name: str
    aliases: tuple[str, ...]
    case: str  # "exact": match ORTH; "lower": match lowercase; "auto": decided per alias
    ambiguous: bool
    where: str
    unless_after: frozenset[str] = frozenset()  # lowercase words that cancel a match before it
    unless_before: frozenset[str] = frozenset()  # lowercase words that cancel a match after it
    family: str | None = None  # the entry's family: the name of another entry (ResNet of ResNet-50)


@dataclass(frozen=True, slots=True)
class ContextRule:
    id: str
    kind: str  # "head" | "after" | "suffix" | "coordination"
    type: str | None
    words: tuple[str, ...]
    modifier: str  # "name" (name-like tokens) | "words" (content words)
    include_head: bool
    max_tokens: int
    confidence: float
    requires: frozenset[str] = frozenset()
    excepts: tuple[str, ...] = ()
    whole_compound: bool = False
    number_before: bool = False
    cues: tuple[tuple[str, ...], ...] = ()  # kind=measure: word sequences, lowercase
    min_modifiers: int = 0  # kind=measure: content words needed before the head
    codes: tuple[tuple[str, str], ...] = ()  # kind=language-pair: (code as written, language)


@dataclass(frozen=True, slots=True)
class NamingRule:
    id: str
    kind: str  # "after" | "appositive" | "title"
    words: tuple[str, ...]
    look_back: bool
    confidence: float


@dataclass(slots=True)
class ExtractRules:
    """Everything the extractor needs, loaded from the data files."""

    gazetteer: list[GazEntry] = field(default_factory=list)
    context: list[ContextRule] = field(default_factory=list)
    naming: list[NamingRule] = field(default_factory=list)
    heads: dict[str, str] = field(default_factory=dict)  # head word (lowercase) -> type
    stop: dict[str, frozenset[str]] = field(default_factory=dict)
    confidence: dict[str, float] = field(default_factory=dict)
    not_names: frozenset[str] = frozenset()  # the "not-a-name" stop-list, kept at hand
    gazetteer_rules: frozenset[str] = frozenset()  # rule ids of gazetteer mentions
    title_rule: NamingRule | None = None  # the naming rule of kind "title", if any
    slot_rules: frozenset[str] = frozenset()  # rule ids whose lone generic word is a mention

    def stop_words(self, kind: str) -> frozenset[str]:
        return self.stop.get(kind, frozenset())



def gazetteer_names(rules: ExtractRules) -> dict[str, str]:
    """Canonical form -> the gazetteer's own name for it: how an entity is shown when papers
    only ever wrote one of its aliases."""
    from kg.extract.text import canonical_form

    return {canonical_form(entry.name): entry.name for entry in rules.gazetteer}


def _check_families(folder: Path, entries: list[GazEntry]) -> None:
    """Every family names another entry, and no family is its own ancestor."""
    by_name = {entry.name: entry for entry in entries}
    for entry in entries:
        if entry.family is None:
            continue
        where = entry.where.rsplit(":", 1)
        located_at = (folder / where[0], int(where[1]))
        if entry.family not in by_name:
            raise DataFileError(located(*located_at, f"family {entry.family!r} is not the name of a "
                                        "gazetteer entry; expected the name of the entry this one "
                                        "is a version, size or edition of"))
        seen = {entry.name}
        up = by_name[entry.family]
        while up is not None:
            if up.name in seen:
                raise DataFileError(located(*located_at, f"family {entry.family!r} leads back to "
                                            f"{entry.name!r}; expected families without cycles"))
            seen.add(up.name)
            up = by_name.get(up.family) if up.family else None


def gazetteer_families(rules: ExtractRules) -> dict[str, str]:
    """Canonical form of a member -> canonical form of its family (resnet-50 -> resnet)."""
    from kg.extract.text import canonical_form

    return {canonical_form(entry.name): canonical_form(entry.family)
            for entry in rules.gazetteer if entry.family}


def _type_from_name(path: Path) -> str:
    middle = path.name.split(".")[1]
    for t in ENTITY_TYPES:
        if t.lower() == middle.lower():
            return t
    raise DataFileError(
        located(path, None, f"gazetteer file names end in .<type>.jsonl with a type among "
                f"{', '.join(t.lower() for t in ENTITY_TYPES)}; found {middle!r}")
    )


def load_rules(folder: Path | None = None) -> ExtractRules:
    """Load and validate every rule file of ``folder`` (default: the bundled rules)."""
    return _load_rules(str(folder or rules_folder()))


@lru_cache(maxsize=8)
def _load_rules(folder_name: str) -> ExtractRules:
    folder = Path(folder_name)
    if not folder.is_dir():
        raise DataFileError(located(folder, None, "rule folder not found"))
    rules = ExtractRules()
    files = sorted(p for p in folder.iterdir() if p.suffix == ".jsonl")
    seen_alias: dict[str, str] = {}
    for path in files:
        kind = kind_of(path)
        if kind is None:
            raise DataFileError(located(path, None, "unexpected file in the rule folder; "
                                        "expected names: " + ", ".join(FILE_KINDS)))
        rows = read_rule_file(path, kind)
        if kind == "gazetteer_entry":
            etype = _type_from_name(path)
            for number, obj in rows:
                where = f"{path.name}:{number}"
                aliases = tuple(dict.fromkeys([obj["name"], *obj.get("aliases", [])]))
                for alias in aliases:
                    low = alias.lower()
                    if low in seen_alias and seen_alias[low] != where:
                        raise DataFileError(located(
                            path, number,
                            f"alias {alias!r} is already listed at {seen_alias[low]}; "
                            "expected each alias once across all gazetteers"))
                    seen_alias[low] = where
                rules.gazetteer.append(GazEntry(
                    etype, obj["name"], aliases, obj.get("case", "auto"),
                    bool(obj.get("ambiguous", False)), where,
                    frozenset(w.lower() for w in obj.get("unless_after", ())),
                    frozenset(w.lower() for w in obj.get("unless_before", ())),
                    obj.get("family")))
        elif kind == "context_rule":
            for _, obj in rows:
                rules.context.append(ContextRule(
                    obj["id"], obj["kind"], obj.get("type"), tuple(obj.get("words", ())),
                    obj.get("modifier", "name"), bool(obj.get("include_head", False)),
                    int(obj.get("max_tokens", 3)), float(obj["confidence"]),
                    frozenset(w.lower() for w in obj.get("requires", ())),
                    tuple(w.lower() for w in obj.get("except", ())),
                    bool(obj.get("whole_compound", False)), bool(obj.get("number_before", False)),
                    tuple(_cue_words(c) for c in obj.get("cues", ())),
                    int(obj.get("min_modifiers", 0)),
                    tuple(sorted(obj.get("codes", {}).items()))))
                rules.confidence[obj["id"]] = float(obj["confidence"])
        elif kind == "naming_rule":
            for _, obj in rows:
                rules.naming.append(NamingRule(
                    obj["id"], obj["kind"], tuple(obj.get("words", ())),
                    bool(obj.get("look_back", False)), float(obj["confidence"])))
                rules.confidence[obj["id"]] = float(obj["confidence"])
        elif kind == "head_words":
            for number, obj in rows:
                for word in obj["words"]:
                    word = word.lower()
                    if word in rules.heads and rules.heads[word] != obj["type"]:
                        raise DataFileError(located(
                            path, number, f"head word {word!r} is already typed "
                            f"{rules.heads[word]}; expected one type per head word"))
                    rules.heads[word] = obj["type"]
        elif kind == "stop_words":
            for _, obj in rows:
                words = frozenset(w if obj.get("case") == "exact" else w.lower() for w in obj["words"])
                rules.stop[obj["kind"]] = rules.stop.get(obj["kind"], frozenset()) | words
        elif kind == "rule_confidence":
            for _, obj in rows:
                rules.confidence[obj["rule"]] = float(obj["confidence"])
    rules.not_names = rules.stop_words("not-a-name")
    rules.gazetteer_rules = frozenset(
        f"gaz.{t.lower()}{suffix}" for t in ENTITY_TYPES for suffix in ("", ".ambiguous"))
    rules.title_rule = next((r for r in rules.naming if r.kind == "title"), None)
    rules.slot_rules = frozenset(r.id for r in rules.context if r.kind == "measure")
    _check_families(folder, rules.gazetteer)
    missing = [k for k in ("gazetteer_entry", "context_rule", "naming_rule", "stop_words")
               if not any(kind_of(p) == k for p in files)]
    if missing:
        raise DataFileError(located(folder, None, "missing rule file(s) for: " + ", ".join(missing)))
    return rules
