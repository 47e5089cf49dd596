"""An Oxigraph store over kg's RDF: in memory for files, on disk for a store folder.

Oxigraph answers the saved queries in milliseconds where rdflib's engine
takes seconds on large graphs, so ``kg query`` always goes through it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from kg.errors import GraphError, InputError
from kg.folder import build_folder_of, open_for_reading
from kg.rdf.load import rdf_format, read_bytes


def open_store(paths: Sequence[Path | str]) -> ox.Store:
    """One store over the given RDF files, or the on-disk Oxigraph store a folder holds."""
    paths = [Path(p) for p in paths]
    if not paths:
        raise InputError("no graph given: expected an RDF file (.ttl, .nt, .jsonld) or a store folder")
    folders = [p for p in paths if p.is_dir()]
    if folders:
        if len(paths) > 1:
            raise InputError(f"{folders[0]}: a store folder must be the only graph given")
        build = build_folder_of(folders[0])
        if build is not None:
            open_for_reading(build)  # a folder whose parts come from two builds is refused
        try:
            return ox.Store.read_only(str(folders[0]))
        except OSError as err:
            raise InputError(f"{folders[0]}: not an Oxigraph store: {err}") from err
    store = ox.Store()
    for path in paths:
        _, fmt = rdf_format(path)
        try:
            store.bulk_load(read_bytes(path), format=fmt)
        except SyntaxError as err:
            raise GraphError(f"{path}: not valid {fmt.name}: {err}") from err
    return store
