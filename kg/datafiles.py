"""Rule data files: JSON Lines, each line checked against a bundled JSON schema.

The extraction rules (``kg/data/rules/``) and the relation rules
(``kg/data/relations/``) are JSON Lines files described by
``rules.schema.json`` and ``relations.schema.json``. Every line is
validated with ``jsonschema`` when the rules load, so a typo becomes an
error that names the file, the line and the field and says what was
expected, instead of a rule that silently never fires.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from kg.errors import DataFileError, located
from kg.resources import schema_path

Row = tuple[int, dict[str, Any]]

_JSON_TYPE = {dict: "object", list: "array", str: "string", bool: "boolean", int: "integer",
              float: "number", type(None): "null"}


@cache
def load_schema(name: str) -> dict[str, Any]:
    """A bundled JSON schema (``rules.schema.json``, ``relations.schema.json``) as data."""
    path = schema_path(name)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise DataFileError(located(path, None, f"cannot read the schema: {err}")) from err


@cache
def validator(name: str, definition: str) -> Draft202012Validator:
    """A validator for one ``$defs`` entry of a schema; ``$ref``s resolve within the schema."""
    root = load_schema(name)
    if definition not in root.get("$defs", {}):
        raise DataFileError(f"{schema_path(name)}: no definition {definition!r} in $defs")
    return Draft202012Validator({**root, "$ref": f"#/$defs/{definition}"})


def problem(value: Any, name: str, definition: str) -> str | None:
    """What is wrong with ``value`` under a schema definition, in words; None when it is valid."""
    check = validator(name, definition)
    if check.is_valid(value):
        return None
    error = best_match(check.iter_errors(value))
    return describe(error) if error is not None else "does not match the schema"


# what was expected, per JSON Schema keyword (``expected``: the keyword's value)
_EXPECTED = {
    "const": "expected {expected!r}; found {value!r}",
    "minLength": "expected at least {expected} character(s)",
    "maxLength": "expected at most {expected} characters",
    "pattern": "{value!r} does not match {expected}",
    "minimum": "expected at least {expected}; found {value}",
    "maximum": "expected at most {expected}; found {value}",
    "minItems": "expected at least {expected} item(s)",
    "uniqueItems": "items must be unique",
    "oneOf": "does not match exactly one of the allowed forms",
}


def describe(error: ValidationError) -> str:
    """``where: what was expected, what was found`` for one schema error."""
    where = _where(error.absolute_path)
    kind, expected, value = error.validator, error.validator_value, error.instance
    if kind == "type":
        found = f"{_JSON_TYPE.get(type(value), type(value).__name__)} {value!r}"
        return f"{where}: expected {expected}, found {found}"
    if kind == "enum":
        return f"{where}: expected one of {', '.join(map(str, expected))}; found {value!r}"
    if kind == "required":
        missing = next(key for key in expected if key not in value)
        return f"{where}: missing required key {missing!r}"
    if kind == "additionalProperties":
        known = sorted(error.schema.get("properties", {}))
        extra = sorted(set(value) - set(known))
        return f"{where}: unknown key {extra[0]!r}; expected keys: {', '.join(known)}"
    template = _EXPECTED.get(str(kind))
    if template is None:
        return f"{where}: {error.message}"
    return f"{where}: " + template.format(expected=expected, value=value)


def _where(path: Iterable[Any]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "the line"


def read_json_lines(path: Path, schema: str, definition: str) -> list[Row]:
    """``[(line number, object), ...]`` of a JSON Lines rule file, every line validated.

    Blank lines and lines starting with ``//`` (comments) are skipped; a file
    with no rule at all is an error, as is any line that is not valid JSON
    or breaks the schema (``file:line: what was expected``).
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise DataFileError(located(path, None, f"cannot read: {getattr(err, 'strerror', None) or err}")) from err
    rows: list[Row] = []
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text or text.startswith("//"):
            continue
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise DataFileError(located(path, number, f"not valid JSON ({err.msg} at column {err.colno})")) from err
        found = problem(data, schema, definition)
        if found is not None:
            raise DataFileError(located(path, number, found))
        rows.append((number, data))
    if not rows:
        raise DataFileError(located(path, None, "no rules in file (expected at least one JSON object per line)"))
    return rows
