"""Re-serialise kg's own canonical N-Triples through Oxigraph (Turtle, JSON-LD).

Parsing is lenient: the input is kg's own output (escaped literals, IRIs from a
checked base and percent-encoded ids), so re-validating it only costs time.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg.rdf.namespace import prefixes
from kg.textio import atomic_write


def write_nt_file(source: Path | str, path: Path | str, fmt: ox.RdfFormat, base_iri: str) -> None:
    """Stream a sorted N-Triples file into ``fmt`` with the kg prefixes, swapped in when
    complete (a corpus of any size: nothing is held in memory)."""
    quads = ox.parse(path=str(source), format=ox.RdfFormat.N_TRIPLES, lenient=True)
    with atomic_write(path, "wb") as handle:
        ox.serialize(quads, handle, format=fmt, prefixes=prefixes(base_iri))
