"""N-Triples: the sorted canonical lines, written as they are."""

from __future__ import annotations

from pathlib import Path

from kg.rdf.document import Document
from kg.textio import atomic_write

SUFFIX = ".nt"


def write(document: Document, path: Path | str, *, base_iri: str | None = None) -> int:
    """Write the document; returns the number of triples. ``base_iri`` is unused (N-Triples
    has no prefixes) but accepted like every writer's."""
    with atomic_write(path, "wb") as handle:
        handle.write(document.data)
    return document.count
