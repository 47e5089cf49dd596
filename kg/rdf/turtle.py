"""Turtle through Oxigraph: kg's sorted N-Triples re-serialised with prefixes (byte-stable)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg.rdf.namespace import DEFAULT_BASE_IRI
from kg.rdf.oxigraph_writer import write_nt_file

RDFLIB_FORMAT = "turtle"
OXIGRAPH_FORMAT = ox.RdfFormat.TURTLE


def write_file(source: Path | str, path: Path | str, *, base_iri: str = DEFAULT_BASE_IRI) -> None:
    """Stream kg's own sorted N-Triples file ``source`` into ``path`` as Turtle."""
    write_nt_file(source, path, ox.RdfFormat.TURTLE, base_iri)
