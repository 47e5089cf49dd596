"""Where kg finds the files it reads at run time: package data under ``kg/data/``.

Rules, gazetteers, relation rules, JSON schemas, the ontology and SHACL
shapes, saved queries, the palette, the viewer assets and the sample corpus
all ship inside the package and are found through ``importlib.resources``,
so a wheel installed anywhere works the same as a checkout. Nothing is
looked for beside the package. (``schemas/`` at the top of the repository
holds copies of the schemas for readers; a test keeps them identical.)
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from kg.errors import DataFileError

SCHEMAS = ("kg.ttl", "shapes.ttl", "rules.schema.json", "relations.schema.json")


def data_path(*parts: str) -> Path:
    """A file or folder under ``kg/data/`` of the installed package.

    Wheels install as plain files, so the resource is a real path that
    ``open``, ``glob`` and ``stat`` can use.
    """
    node = resources.files("kg").joinpath("data")
    for part in parts:
        node = node.joinpath(part)
    return Path(str(node))


def schema_path(name: str) -> Path:
    """One of the bundled schemas (``kg/data/schemas/NAME``): ontology, shapes, JSON schemas."""
    path = data_path("schemas", name)
    if not path.is_file():
        raise DataFileError(f"{path}: schema not found in the installed kg package (reinstall kg)")
    return path
