"""A small JSON Schema subset, enough to validate rule files on load.

The rule files under ``kg/data/relations/`` are described by
``schemas/relations.schema.json``; checking each line against it when the
rules load turns a typo into an error that names the file, the line and the
field, instead of a rule that silently never fires.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from kg.errors import DataFileError

_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
}


SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"


def schema_path(name: str) -> Path:
    """A schema of ``schemas/`` (the project is installed in place, so it sits beside ``kg/``)."""
    path = SCHEMAS / name
    if not path.is_file():
        raise DataFileError(f"{path}: schema not found (kg expects its schemas/ folder beside kg/)")
    return path


@cache
def load_schema(name: str) -> dict[str, Any]:
    with open(schema_path(name), encoding="utf-8") as handle:
        return json.load(handle)


def errors(value: Any, schema: dict[str, Any], root: dict[str, Any], where: str = "") -> list[str]:
    """Every way ``value`` breaks ``schema`` as ``"<where>: <problem>"`` strings (empty if valid)."""
    if "$ref" in schema:
        ref = schema["$ref"]
        if not ref.startswith("#/$defs/"):
            raise ValueError(f"unsupported $ref {ref!r}")
        schema = root["$defs"][ref.split("/")[-1]]
    if "oneOf" in schema:
        passing = [s for s in schema["oneOf"] if not errors(value, s, root, where)]
        if len(passing) != 1:
            return [f"{where or 'value'}: does not match exactly one of the allowed forms"]
        return []
    found: list[str] = []
    label = where or "value"
    expected = schema.get("type")
    if expected is not None:
        kinds = _TYPES[expected]
        if isinstance(value, bool) and expected not in ("boolean",):
            return [f"{label}: expected {expected}, found boolean"]
        if not isinstance(value, kinds):
            return [f"{label}: expected {expected}, found {type(value).__name__}"]
    if "enum" in schema and value not in schema["enum"]:
        allowed = ", ".join(map(str, schema["enum"]))
        found.append(f"{label}: expected one of {allowed}, found {value!r}")
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            found.append(f"{label}: expected at least {schema['minLength']} character(s)")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            found.append(f"{label}: {value!r} does not match {schema['pattern']!r}")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            found.append(f"{label}: expected >= {schema['minimum']}, found {value}")
        if "maximum" in schema and value > schema["maximum"]:
            found.append(f"{label}: expected <= {schema['maximum']}, found {value}")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            found.append(f"{label}: expected at least {schema['minItems']} item(s)")
        if "items" in schema:
            for index, item in enumerate(value):
                found.extend(errors(item, schema["items"], root, f"{where}[{index}]"))
    if isinstance(value, dict):
        for name in schema.get("required", []):
            if name not in value:
                found.append(f"{label}: missing required field {name!r}")
        properties = schema.get("properties", {})
        for name, item in value.items():
            path = f"{where}.{name}" if where else name
            if name in properties:
                found.extend(errors(item, properties[name], root, path))
            elif schema.get("additionalProperties", True) is False:
                known = ", ".join(sorted(properties))
                found.append(f"{label}: unknown field {name!r} (known: {known})")
    return found


def validate(value: Any, schema_name: str, definition: str | None = None) -> list[str]:
    """Check ``value`` against a schema file (or one of its ``$defs``)."""
    root = load_schema(schema_name)
    schema = root["$defs"][definition] if definition else root
    return errors(value, schema, root)
