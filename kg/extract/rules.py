"""Rule data files: loading and validation.

Every rule family is data in ``kg/data/rules/`` (JSON Lines, one rule or
gazetteer entry per line) validated on load against
``schemas/rules.schema.json``. A bad line raises ``DataFileError`` naming
the file and line and saying what was expected. No spaCy here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from kg.errors import DataFileError, located
from kg.records import ENTITY_TYPES

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
    return Path(str(resources.files("kg") / "data" / "rules"))


def schema_path() -> Path:
    """The JSON schema of the rule files: in the package, and a copy in ``schemas/``."""
    return rules_folder() / SCHEMA_NAME


# --- a small validator for the subset of JSON Schema the rule files use ---------------

_JSON_TYPES = {
    "string": str,
    "array": list,
    "object": dict,
    "boolean": bool,
    "number": (int, float),
    "integer": int,
}


def validate(value: Any, schema: dict[str, Any], defs: dict[str, Any], path: str = "") -> None:
    """Raise ``ValueError`` with a readable message if ``value`` does not match ``schema``.

    Supports ``$ref`` (to ``#/$defs/NAME``), ``type``, ``enum``, ``const``,
    ``required``, ``properties``, ``additionalProperties: false``, ``items``,
    ``minItems``, ``uniqueItems``, ``minLength``, ``maxLength``, ``pattern``,
    ``minimum`` and ``maximum``.
    """
    where = path or "the line"
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        validate(value, defs[name], defs, path)
        return
    expected = schema.get("type")
    if expected is not None:
        py = _JSON_TYPES[expected]
        bad_bool = isinstance(value, bool) and expected in ("number", "integer")
        if not isinstance(value, py) or bad_bool:
            raise ValueError(f"{where}: expected {expected}, found {type(value).__name__} {value!r}")
    if "enum" in schema and value not in schema["enum"]:
        options = ", ".join(map(str, schema["enum"]))
        raise ValueError(f"{where}: expected one of {options}; found {value!r}")
    if "const" in schema and value != schema["const"]:
        raise ValueError(f"{where}: expected {schema['const']!r}; found {value!r}")
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            raise ValueError(f"{where}: expected at least {schema['minLength']} character(s)")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            raise ValueError(f"{where}: expected at most {schema['maxLength']} characters")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            raise ValueError(f"{where}: {value!r} does not match {schema['pattern']}")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            raise ValueError(f"{where}: expected at least {schema['minimum']}; found {value}")
        if "maximum" in schema and value > schema["maximum"]:
            raise ValueError(f"{where}: expected at most {schema['maximum']}; found {value}")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            raise ValueError(f"{where}: expected at least {schema['minItems']} item(s)")
        if schema.get("uniqueItems") and len({json.dumps(v) for v in value}) != len(value):
            raise ValueError(f"{where}: items must be unique")
        if "items" in schema:
            for i, item in enumerate(value):
                validate(item, schema["items"], defs, f"{path}[{i}]")
    if isinstance(value, dict):
        for key in schema.get("required", ()):
            if key not in value:
                raise ValueError(f"{where}: missing required key {key!r}")
        props = schema.get("properties", {})
        if schema.get("additionalProperties") is False:
            extra = sorted(set(value) - set(props))
            if extra:
                known = ", ".join(sorted(props))
                raise ValueError(f"{where}: unknown key {extra[0]!r}; expected keys: {known}")
        for key, sub in props.items():
            if key in value:
                validate(value[key], sub, defs, f"{path}.{key}" if path else key)


@lru_cache(maxsize=4)
def load_schema(path: Path | None = None) -> dict[str, Any]:
    path = path or schema_path()
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise DataFileError(located(path, None, f"cannot read the rule schema: {err}")) from err


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
    schema = load_schema()
    defs = schema["$defs"]
    rows: list[tuple[int, dict[str, Any]]] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise DataFileError(located(path, None, f"cannot read: {err}")) from err
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text or text.startswith("//"):
            continue
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as err:
            raise DataFileError(located(path, number, f"invalid JSON: {err.msg} at column {err.colno}")) from err
        try:
            validate(obj, defs[kind], defs)
        except ValueError as err:
            raise DataFileError(located(path, number, str(err))) from err
        rows.append((number, obj))
    if not rows:
        raise DataFileError(located(path, None, "no rules in file (expected at least one line)"))
    return rows


# --- typed views of the rule files -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GazEntry:
    """One gazetteer entry: a canonical name, its aliases, and how to match them."""

    type: str
    name: str
    aliases: tuple[str, ...]
    case: str  # "exact": match ORTH; "lower": match lowercase; "auto": decided per alias
    ambiguous: bool
    where: str


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


@dataclass(frozen=True, slots=True)
class NamingRule:
    id: str
    kind: str  # "after" | "appositive" | "title"
    words: tuple[str, ...]
    look_back: bool
    confidence: float


@dataclass(slots=True)
class RuleSet:
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

    def stop_words(self, kind: str) -> frozenset[str]:
        return self.stop.get(kind, frozenset())



def _type_from_name(path: Path) -> str:
    middle = path.name.split(".")[1]
    for t in ENTITY_TYPES:
        if t.lower() == middle.lower():
            return t
    raise DataFileError(
        located(path, None, f"gazetteer file names end in .<type>.jsonl with a type among "
                f"{', '.join(t.lower() for t in ENTITY_TYPES)}; found {middle!r}")
    )


def load_rules(folder: Path | None = None) -> RuleSet:
    """Load and validate every rule file of ``folder`` (default: the bundled rules)."""
    return _load_rules(str(folder or rules_folder()))


@lru_cache(maxsize=8)
def _load_rules(folder_name: str) -> RuleSet:
    folder = Path(folder_name)
    if not folder.is_dir():
        raise DataFileError(located(folder, None, "rule folder not found"))
    rules = RuleSet()
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
                    bool(obj.get("ambiguous", False)), where))
        elif kind == "context_rule":
            for _, obj in rows:
                rules.context.append(ContextRule(
                    obj["id"], obj["kind"], obj.get("type"), tuple(obj.get("words", ())),
                    obj.get("modifier", "name"), bool(obj.get("include_head", False)),
                    int(obj.get("max_tokens", 3)), float(obj["confidence"]),
                    frozenset(w.lower() for w in obj.get("requires", ())),
                    tuple(w.lower() for w in obj.get("except", ()))))
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
    missing = [k for k in ("gazetteer_entry", "context_rule", "naming_rule", "stop_words")
               if not any(kind_of(p) == k for p in files)]
    if missing:
        raise DataFileError(located(folder, None, "missing rule file(s) for: " + ", ".join(missing)))
    return rules
