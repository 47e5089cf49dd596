"""The store step: ``kg.nt`` bulk-loaded into an on-disk Oxigraph store, or, for
``--update``, the difference between the old and the new ``kg.nt`` applied to it."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

LOAD_CHUNK_BYTES = 64 << 20


def load_store(nt_path: Path, folder: Path, chunk_bytes: int = LOAD_CHUNK_BYTES) -> None:
    """Bulk-load sorted N-Triples into a fresh on-disk Oxigraph store, swapped in when complete
    (a build writes it into its staged generation; ``kg.build.publish`` switches it in).

    Loaded in chunks of whole lines: Oxigraph's bulk loader buffers about
    1 GB per thread whatever the input, so one call on a large file sets the
    build's peak memory; chunks keep it near ``chunk_bytes``. Chunking is
    safe because ``kg.nt`` names every node by IRI (no blank nodes to keep in
    one scope), and ``lenient`` skips re-validating IRIs that ``kg.ids``
    minted and the tests parse with rdflib.
    """
    import pyoxigraph as ox

    staging = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    store = ox.Store(str(staging))
    with nt_path.open("rb") as handle:
        while lines := handle.readlines(chunk_bytes):
            store.bulk_load(input=b"".join(lines), format=ox.RdfFormat.N_TRIPLES, lenient=True)
    store.flush()
    store.optimize()
    del store
    shutil.rmtree(folder, ignore_errors=True)
    os.replace(staging, folder)


def copy_store(source: Path, target: Path) -> None:
    """A copy of a store folder to update (``--update``): Oxigraph's backup, which hard-links
    the immutable table files, so the copy is cheap and the original stays as it was."""
    import pyoxigraph as ox

    ox.Store.read_only(str(source)).backup(str(target))


def sorted_difference(old: Path, new: Path) -> Iterator[tuple[str, str]]:
    """``("-", line)`` for lines only in ``old`` and ``("+", line)`` for lines only in ``new``;
    both files sorted, so one linear pass."""
    with open(old, encoding="utf-8") as a, open(new, encoding="utf-8") as b:
        left, right = next(a, None), next(b, None)
        while left is not None or right is not None:
            if right is None or (left is not None and left < right):
                yield "-", left  # type: ignore[misc]
                left = next(a, None)
            elif left is None or right < left:
                yield "+", right
                right = next(b, None)
            else:
                left, right = next(a, None), next(b, None)


def update_store(folder: Path, old: Path, new: Path, batch: int = 50_000) -> tuple[int, int]:
    """Apply the difference between two sorted N-Triples files to a store; (removed, added)."""
    import pyoxigraph as ox

    store = ox.Store(str(folder))
    counts = {"-": 0, "+": 0}
    pending: dict[str, list[str]] = {"-": [], "+": []}

    def flush(sign: str) -> None:
        if not pending[sign]:
            return
        quads = list(ox.parse("".join(pending[sign]).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))
        if sign == "-":
            for quad in quads:
                store.remove(quad)
        else:
            store.extend(quads)
        counts[sign] += len(quads)
        pending[sign].clear()

    for sign, line in sorted_difference(old, new):
        pending[sign].append(line)
        if len(pending[sign]) >= batch:
            flush(sign)
    flush("-")
    flush("+")
    store.flush()
    return counts["-"], counts["+"]
