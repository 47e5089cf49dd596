"""N-Triples: kg's sorted canonical lines, published as they are."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pyoxigraph as ox

from kg.ids import DEFAULT_BASE_IRI

RDFLIB_FORMAT = "nt"
OXIGRAPH_FORMAT = ox.RdfFormat.N_TRIPLES


def write_file(source: Path | str, path: Path | str, *, base_iri: str = DEFAULT_BASE_IRI) -> None:
    """Give ``path`` the content of kg's sorted N-Triples file ``source`` without doubling
    disk use: a hard link when the filesystem allows, else a copy; swapped in when complete.
    ``base_iri`` is unused (N-Triples has no prefixes) but accepted like every writer's."""
    target = Path(path)
    staging = target.with_name(f".{target.name}.tmp")
    staging.unlink(missing_ok=True)
    try:
        os.link(source, staging)
    except OSError:
        shutil.copyfile(source, staging)
    os.replace(staging, target)
