"""Publishing a build: the next generation is written beside the current one, then switched in.

Every file and folder of a build (RDF, exports, records, report, ``store/``,
``work/``) is written under ``DIR/.kg-next/``. Only when all of it is complete
is it switched in: a journal names what moves, the current generation's
parts go to ``DIR/.kg-old/`` and the new ones take their places, one rename
each, then the journal and the old generation are removed
(``kg.folder.complete_switch``). A run killed before the switch leaves the
current generation as it was; one killed during it leaves the journal, and
the next writer or reader completes the same renames first. A failed run removes what
it staged; the previous build is never touched.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from kg.build.options import ENTITIES, EXTRACTIONS, STEM, TIMINGS
from kg.export import EXPORTERS
from kg.folder import JOURNAL, REPORT, RETIRED, STAGING, STORE, WORK, complete_switch, write_stamp
from kg.rdf import RDF_FORMATS
from kg.textio import atomic_write


def owned() -> list[str]:
    """Every name kg writes in an output folder, the report last (it names the generation)."""
    files = {STEM + plugin.suffix for registry in (RDF_FORMATS, EXPORTERS) for plugin in registry}
    return sorted(files | {TIMINGS, ENTITIES, EXTRACTIONS, STORE, WORK}) + [REPORT]


def staging(output: Path, *, keep: bool = False) -> Path:
    """The folder the next generation is written into, emptied unless ``keep`` (``--resume``
    reuses what an interrupted run staged). Leftovers of earlier kills go too."""
    remove_leftovers(output)
    folder = output / STAGING
    if not keep:
        shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def remove_leftovers(output: Path) -> None:
    """Temporary files a killed writer left: ``.NAME.*.tmp`` of atomic writes, a retired
    generation, and the ``store.tmp`` of earlier kg versions."""
    shutil.rmtree(output / RETIRED, ignore_errors=True)
    shutil.rmtree(output / "store.tmp", ignore_errors=True)
    for path in output.glob(".*.tmp"):
        if path.is_file():
            path.unlink(missing_ok=True)


def link_tree(source: Path, target: Path) -> None:
    """``target`` as a copy of ``source`` made of hard links (a copy where the filesystem
    has none). Safe for folders whose files are only ever replaced, never changed in
    place, as a work folder's are."""
    for folder, _, files in os.walk(source):
        into = target / Path(folder).relative_to(source)
        into.mkdir(parents=True, exist_ok=True)
        for name in files:
            try:
                os.link(Path(folder) / name, into / name)
            except OSError:
                shutil.copy2(Path(folder) / name, into / name)


def publish(output: Path, staged: Path, generation: str) -> None:
    """Switch the staged generation in (see the module docstring)."""
    write_stamp(staged / STORE, generation)
    write_stamp(staged / WORK, generation)
    names = owned()
    with atomic_write(output / JOURNAL) as out:
        json.dump({"generation": generation, "owned": names,
                   "names": [name for name in names if (staged / name).exists()]}, out)
    complete_switch(output)
