"""Reading kg's RDF files back: into rdflib for users, into Oxigraph for fast querying."""

from __future__ import annotations

import gzip
from pathlib import Path

import pyoxigraph as ox
import rdflib

from kg.errors import GraphError, InputError

FORMATS: dict[str, tuple[str, ox.RdfFormat]] = {
    ".ttl": ("turtle", ox.RdfFormat.TURTLE),
    ".turtle": ("turtle", ox.RdfFormat.TURTLE),
    ".nt": ("nt", ox.RdfFormat.N_TRIPLES),
    ".ntriples": ("nt", ox.RdfFormat.N_TRIPLES),
    ".jsonld": ("json-ld", ox.RdfFormat.JSON_LD),
    ".json": ("json-ld", ox.RdfFormat.JSON_LD),
}


def rdf_format(path: Path) -> tuple[str, ox.RdfFormat]:
    """(rdflib format name, Oxigraph format) of a file, from its suffix (``.gz`` looked through)."""
    suffixes = path.suffixes
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    suffix = suffixes[-1].lower() if suffixes else ""
    if suffix not in FORMATS:
        known = ", ".join(sorted(FORMATS))
        raise InputError(f"{path}: cannot tell the RDF format from the name; expected one of: {known}")
    return FORMATS[suffix]


def read_bytes(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror or err}") from err
    if path.suffix == ".gz":
        try:
            return gzip.decompress(data)
        except (OSError, EOFError) as err:
            raise InputError(f"{path}: not a readable gzip file: {err}") from err
    return data


def load(path: Path | str) -> rdflib.Graph:
    """A kg graph file (Turtle, N-Triples or JSON-LD, optionally gzipped) as an rdflib Graph."""
    path = Path(path)
    name, _ = rdf_format(path)
    data = read_bytes(path)
    graph = rdflib.Graph()
    try:
        graph.parse(data=data, format=name)
    except Exception as err:  # rdflib raises many unrelated types for bad syntax
        raise GraphError(f"{path}: not valid {name}: {err}") from err
    return graph
