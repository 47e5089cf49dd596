"""JSON-LD through Oxigraph (written on request: ``kg build --jsonld``)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg.rdf.document import Document
from kg.rdf.namespace import DEFAULT_BASE_IRI, prefixes
from kg.textio import atomic_write

SUFFIX = ".jsonld"


def write(document: Document, path: Path | str, *, base_iri: str = DEFAULT_BASE_IRI) -> int:
    """Write the document as JSON-LD with the kg prefixes as its context; returns the triple count."""
    # lenient: the document is kg's own canonical N-Triples (escaped literals, IRIs from
    # a checked base and percent-encoded ids), so re-validating it only costs time.
    quads = ox.parse(document.data, format=ox.RdfFormat.N_TRIPLES, lenient=True)
    _serialize(quads, path, base_iri)
    return document.count


def write_file(source: Path | str, path: Path | str, *, base_iri: str = DEFAULT_BASE_IRI) -> None:
    """Stream kg's own sorted N-Triples file ``source`` into ``path`` (for corpora too large
    to hold as one document)."""
    _serialize(ox.parse(path=str(source), format=ox.RdfFormat.N_TRIPLES, lenient=True), path, base_iri)


def _serialize(quads: object, path: Path | str, base_iri: str) -> None:
    with atomic_write(path, "wb") as handle:
        ox.serialize(
            quads, handle, format=ox.RdfFormat.JSON_LD,
            prefixes=prefixes(base_iri),
        )
