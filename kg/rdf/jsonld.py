"""JSON-LD through Oxigraph (written on request: ``kg build --jsonld``)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg.rdf.document import Document
from kg.rdf.namespace import DEFAULT_BASE_IRI
from kg.rdf.oxigraph_writer import write_document, write_nt_file

SUFFIX = ".jsonld"
RDFLIB_FORMAT = "json-ld"
OXIGRAPH_FORMAT = ox.RdfFormat.JSON_LD


def write(document: Document, path: Path | str, *, base_iri: str = DEFAULT_BASE_IRI) -> int:
    """Write the document as JSON-LD with the kg prefixes as its context; returns the triple count."""
    return write_document(document, path, ox.RdfFormat.JSON_LD, base_iri)


def write_file(source: Path | str, path: Path | str, *, base_iri: str = DEFAULT_BASE_IRI) -> None:
    """Stream kg's own sorted N-Triples file ``source`` into ``path`` as JSON-LD with the kg prefixes as its context."""
    write_nt_file(source, path, ox.RdfFormat.JSON_LD, base_iri)
