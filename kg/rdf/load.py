"""Reading kg's RDF files back: into rdflib for users, into Oxigraph for fast querying."""

from __future__ import annotations

import gzip
from pathlib import Path

import pyoxigraph as ox
import rdflib

from kg.errors import GraphError, InputError
from kg.rdf import RDF_FORMATS


def rdf_format(path: Path) -> tuple[str, ox.RdfFormat]:
    """(rdflib format name, Oxigraph format) of a file, from its suffix (``.gz`` looked through)."""
    suffixes = path.suffixes
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    plugin = RDF_FORMATS.for_suffix(suffixes[-1]) if suffixes else None
    if plugin is None:
        known = ", ".join(RDF_FORMATS.suffixes())
        raise InputError(f"{path}: cannot tell the RDF format from the name; expected one of: {known}")
    module = plugin.module_object()
    return module.RDFLIB_FORMAT, module.OXIGRAPH_FORMAT


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
