"""Which input column (CSV header, JSON key) fills which paper field.

Files come with the headers their makers chose (``titles,summaries``,
``paper_title``, ``abstract_text``); the names kg knows are data in
``kg/data/fields.jsonl``. ``ReadOptions`` carries what the user said on the
command line (a forced reader, the title, abstract and id columns) as plain
data, so a partition read in another process reads the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from kg.datafiles import read_json_lines
from kg.resources import data_path

FIELDS_FILE = "fields.jsonl"
OPTION_OF = {"title": "--title-column", "abstract": "--abstract-column", "id": "--id-column"}


def column_key(name: str) -> str:
    """How column names compare: lower case, a byte-order mark and outer spaces dropped,
    inner spaces and hyphens read as ``_`` ("Paper Title" = "paper-title" = "paper_title")."""
    key = name.replace("\ufeff", "").strip().lower()
    return "_".join(key.replace("-", " ").split())


@lru_cache(maxsize=1)
def known_names() -> dict[str, tuple[str, ...]]:
    """Field -> the column names that mean it, in order of preference."""
    rows = read_json_lines(data_path(FIELDS_FILE), "rules.schema.json", "field_names")
    return {obj["field"]: tuple(obj["names"]) for _, obj in rows}


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How inputs are read.

    input_format (str | None): read every input with this reader instead of choosing
        by extension and content.
    title, abstract, id (str | None): the column (CSV) or key (JSON) holding that
        field, instead of the known names; compared as ``column_key`` does.
    """

    input_format: str | None = None
    title: str | None = None
    abstract: str | None = None
    id: str | None = None

    def names(self, field: str) -> tuple[str, ...]:
        """The column names that fill ``field``: the one given, else the known ones."""
        given = getattr(self, field, None) if field in OPTION_OF else None
        return (column_key(given),) if given else known_names().get(field, ())

    def fingerprint(self) -> str:
        return f"format={self.input_format}|title={self.title}|abstract={self.abstract}|id={self.id}"


def field_columns(keys: Iterable[str], options: ReadOptions) -> dict[str, str]:
    """Field -> the one of ``keys`` (as written) that fills it; each key fills one field at
    most, and a field takes the earliest of its names present."""
    by_key: dict[str, str] = {}
    for key in keys:
        by_key.setdefault(column_key(key), key)
    found: dict[str, str] = {}
    taken: set[str] = set()
    for field in ("title", "abstract", "id", *known_names()):
        if field in found:
            continue
        for name in options.names(field):
            key = by_key.get(name)
            if key is not None and key not in taken:
                found[field] = key
                taken.add(key)
                break
    return found


def as_record(raw: Mapping[str, Any], columns: Mapping[str, str]) -> dict[str, Any]:
    """A record with kg's field names: each found column under its field's name, every
    other column under its own name (kept in ``extra``)."""
    record = {field: raw[key] for field, key in columns.items() if key in raw}
    used = set(columns.values())
    for key, value in raw.items():
        if key not in used:
            record.setdefault(key, value)
    return record


def missing_columns_message(found_keys: Iterable[str], options: ReadOptions, what: str) -> str:
    """Why a header or record names no title or abstract: what was found, what is known,
    and the options that name other columns."""
    wanted = []
    for field in ("title", "abstract"):
        given = getattr(options, field)
        wanted.append(f"{OPTION_OF[field]} {given!r} (not found)" if given
                      else f"{'an' if field[0] in 'aeiou' else 'a'} {field} column "
                      f"({', '.join(known_names()[field][:4])}, ...)")
    found = ", ".join(found_keys) or "nothing"
    return (f"{what} must name {' and '.join(wanted)}; found {found}; "
            "name them with --title-column and --abstract-column")
