"""JSON-LD through Oxigraph (written on request: ``kg build --jsonld``)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg.rdf.namespace import DEFAULT_BASE_IRI
from kg.rdf.oxigraph_writer import write_nt_file

RDFLIB_FORMAT = "json-ld"
OXIGRAPH_FORMAT = ox.RdfFormat.JSON_LD


def write_file(source: Path | str, path: Path | str, *, base_iri: str = DEFAULT_BASE_IRI) -> None:
    """Stream kg's own sorted N-Triples file ``source`` into ``path`` as JSON-LD with the kg prefixes as its context."""
    write_nt_file(source, path, ox.RdfFormat.JSON_LD, base_iri)
