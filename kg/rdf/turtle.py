"""Turtle through Oxigraph: kg's sorted N-Triples re-serialised with prefixes (byte-stable)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg.rdf.document import Document
from kg.rdf.namespace import DEFAULT_BASE_IRI
from kg.rdf.oxigraph_writer import write_document, write_nt_file

SUFFIX = ".ttl"
RDFLIB_FORMAT = "turtle"
OXIGRAPH_FORMAT = ox.RdfFormat.TURTLE


def write(document: Document, path: Path | str, *, base_iri: str = DEFAULT_BASE_IRI) -> int:
    """Write the document as Turtle; returns the triple count."""
    return write_document(document, path, ox.RdfFormat.TURTLE, base_iri)


def write_file(source: Path | str, path: Path | str, *, base_iri: str = DEFAULT_BASE_IRI) -> None:
    """Stream kg's own sorted N-Triples file ``source`` into ``path`` as Turtle."""
    write_nt_file(source, path, ox.RdfFormat.TURTLE, base_iri)
