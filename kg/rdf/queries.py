"""Saved SPARQL queries (``kg/data/queries/*.rq``) and running queries with parameters.

Each ``.rq`` file starts with a comment header::

    # name: methods-on-dataset
    # description: Methods and architectures used or proposed by papers evaluated on a dataset.
    # param: dataset = ImageNet | the dataset's name, alias or acronym (any case)

Parameters are bound by Oxigraph's substitution (an RDF literal replaces the
variable before evaluation), never pasted into the query text, so a value
cannot change what the query does. A substituted variable must be projected,
so parameterised queries show their parameters as the first columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from kg.errors import DataFileError, GraphError, UsageError, located
from kg.rdf.namespace import DEFAULT_BASE_IRI, prefixes
from kg.resources import data_path

_HEADER = re.compile(r"^#\s*(name|description|param)\s*:\s*(.*?)\s*$")
_PARAM = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*(?:=\s*(.*?))?\s*\|\s*(.+)$")
_NAME = re.compile(r"^[a-z][a-z0-9-]*$")


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str
    default: str | None
    description: str


@dataclass(frozen=True, slots=True)
class SavedQuery:
    name: str
    description: str
    text: str
    path: str
    parameters: tuple[Parameter, ...] = field(default_factory=tuple)


def parse_saved(text: str, path: str) -> SavedQuery:
    """Read a query file's header; errors name the file and line."""
    header: dict[str, str] = {}
    params: list[Parameter] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        match = _HEADER.match(line)
        if not match:
            continue
        key, value = match.groups()
        if key == "param":
            found = _PARAM.match(value)
            if not found:
                raise DataFileError(located(path, number, "expected '# param: NAME [= DEFAULT] | DESCRIPTION'"))
            name, default, description = found.groups()
            if not re.search(r"\?" + name + r"\b", text):
                raise DataFileError(located(path, number, f"parameter {name!r} is not used as ?{name}"))
            params.append(Parameter(name, default or None, description))
        elif key in header:
            raise DataFileError(located(path, number, f"'{key}' given twice"))
        else:
            header[key] = value
    for key in ("name", "description"):
        if not header.get(key):
            raise DataFileError(located(path, 1, f"missing '# {key}: ...' header line"))
    if not _NAME.match(header["name"]) or Path(path).stem != header["name"]:
        raise DataFileError(located(path, 1, f"name {header['name']!r} must be the file's name, in kebab-case"))
    return SavedQuery(header["name"], header["description"], text, path, tuple(params))


def _folder() -> Path:
    return data_path("queries")


@cache
def saved_queries() -> dict[str, SavedQuery]:
    """Every bundled query by name, each checked to parse."""
    found: dict[str, SavedQuery] = {}
    for path in sorted(_folder().glob("*.rq")):
        query = parse_saved(path.read_text(encoding="utf-8"), str(path))
        try:
            ox.Store().query(query.text, prefixes=prefixes())
        except SyntaxError as err:
            raise DataFileError(f"{path}: not valid SPARQL: {err}") from err
        found[query.name] = query
    if not found:
        raise DataFileError(f"{_folder()}: no saved queries (*.rq) found")
    return found


def saved(name: str) -> SavedQuery:
    queries = saved_queries()
    if name not in queries:
        raise UsageError(f"unknown saved query {name!r}; expected one of: {', '.join(queries)}")
    return queries[name]


def parse_params(items: list[str]) -> dict[str, str]:
    """``["dataset=ImageNet"]`` -> ``{"dataset": "ImageNet"}``."""
    params: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", name):
            raise UsageError(f"--param: expected NAME=VALUE, found {item!r}")
        params[name] = value
    return params


def bindings(query: SavedQuery | None, params: dict[str, str]) -> dict[str, str]:
    """Parameter values: the given ones, else the declared defaults; unknown or missing ones fail."""
    if query is None:
        return dict(params)
    declared = {p.name: p for p in query.parameters}
    unknown = sorted(set(params) - set(declared))
    if unknown:
        known = ", ".join(declared) or "none"
        raise UsageError(f"query {query.name!r} has no parameter {unknown[0]!r} (parameters: {known})")
    values: dict[str, str] = {}
    for name, parameter in declared.items():
        value = params.get(name, parameter.default)
        if value is None:
            raise UsageError(f"query {query.name!r} needs --param {name}=VALUE ({parameter.description})")
        values[name] = value
    return values


_LIMIT = re.compile(r"^(?P<indent>[ \t]*)LIMIT[ \t]+\d+[ \t]*$", re.IGNORECASE | re.MULTILINE)


def with_limit(text: str, limit: int) -> str:
    """The query with its row limit set to ``limit`` (0: no limit).

    Saved queries that could return a row per paper carry one ``LIMIT`` line
    (inside a subquery, so that only the rows kept are sorted); it is replaced
    as a whole line, never spliced into other text. A query without one gets
    ``LIMIT`` appended."""
    if limit < 0:
        raise UsageError(f"--limit must be 0 or more, found {limit}")
    found = list(_LIMIT.finditer(text))
    if len(found) > 1:
        raise UsageError("--limit: the query has more than one LIMIT line; edit the query instead")
    clause = f"LIMIT {limit}" if limit else ""
    if found:
        match = found[0]
        kept = match.group("indent") + clause if limit else ""
        return text[: match.start()] + kept + text[match.end():]
    return text.rstrip() + ("\n" + clause + "\n" if limit else "\n")


def run(
    store: ox.Store, text: str, params: dict[str, str] | None = None,
    base_iri: str = DEFAULT_BASE_IRI,
) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    """Evaluate a query with kg's prefixes predeclared and parameters bound as string literals."""
    substitutions = {ox.Variable(name): ox.Literal(value) for name, value in (params or {}).items()}
    try:
        return store.query(text, prefixes=prefixes(base_iri), substitutions=substitutions or None)
    except SyntaxError as err:
        raise UsageError(f"query is not valid SPARQL: {err}") from err
    except (RuntimeError, OSError, ValueError) as err:
        message = str(err)
        if "projection" in message:
            message += " (a --param variable must be listed after SELECT)"
        raise GraphError(f"query failed: {message}") from err
