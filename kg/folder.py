"""A build's output folder as one generation: its lock, its stamps, and whether its parts agree.

A build writes its next generation beside the current one (``DIR/.kg-next/``)
and publishes it by a journaled switch (``kg.build.publish``); every part
that can be read on its own carries the generation's stamp, the hash of its
``kg.nt``: ``build-report.json`` (``"generation"``), ``store/kg-generation``
and ``work/kg-generation``. Readers (``kg query``, ``kg serve``, ``--update``)
call ``check_folder`` first: a folder whose parts come from two builds is
refused with a message that says how to repair it, never read as a mix.
Writers hold the folder's lock (``DIR/.kg-lock``), so two builds never write
one folder at once.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

from kg.errors import GraphError, KGError

LOCK = ".kg-lock"
STAGING = ".kg-next"  # the generation being written
RETIRED = ".kg-old"  # the generation being replaced, while the switch runs
JOURNAL = ".kg-switch.json"  # present only while a switch runs: what it moves
STAMP = "kg-generation"  # inside store/ and work/: the generation they belong to
REPORT = "build-report.json"
STORE = "store"
WORK = "work"


class FolderBusy(KGError):
    """Another kg process is writing the output folder."""


@contextlib.contextmanager
def locked(output: Path, *, wait: float = 0.0) -> Iterator[None]:
    """Hold ``output``'s lock for the block (released when the process ends, even on a kill).

    With ``wait`` seconds the lock is waited for that long; then, or at once
    without, ``FolderBusy`` names the process that holds it.
    """
    output.mkdir(parents=True, exist_ok=True)
    path = output / LOCK
    handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held for the block
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "another process"
                    raise FolderBusy(
                        f"{output}: another kg build is writing this folder ({holder}); "
                        "wait for it to finish, or write elsewhere with -o"
                    ) from None
                time.sleep(0.1)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}\n")
        handle.flush()
        yield
    finally:
        handle.close()


def read_stamp(folder: Path) -> str | None:
    """The generation a ``store/`` or ``work/`` folder belongs to, None when it has no stamp."""
    try:
        return (folder / STAMP).read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def write_stamp(folder: Path, generation: str) -> None:
    (folder / STAMP).write_text(generation + "\n", encoding="utf-8")


def report_generation(output: Path) -> str | None:
    """The generation ``build-report.json`` names, None without a report or a stamp."""
    try:
        return json.loads((output / REPORT).read_text(encoding="utf-8")).get("generation")
    except (OSError, ValueError, AttributeError):
        return None


def interrupted(output: Path) -> bool:
    """Was a switch to a new generation interrupted (a kill while publishing)?"""
    return (output / JOURNAL).exists()


def check_folder(output: Path) -> str | None:
    """The generation of a build folder whose parts agree; ``GraphError`` when they do not.

    A folder written by something else than ``kg build`` (no report, no
    stamps) passes as it is: there is nothing to compare.
    """
    if interrupted(output):
        raise GraphError(
            f"{output}: a kg build was interrupted while it published its outputs, so the folder mixes "
            f"two builds; run kg build -o {output} (or kg build --update) again: it completes the switch"
        )
    stamps = {name: stamp for name, stamp in (
        (REPORT, report_generation(output)),
        (f"{STORE}/", read_stamp(output / STORE)),
        (f"{WORK}/", read_stamp(output / WORK)),
    ) if stamp is not None}
    if len(set(stamps.values())) > 1:
        parts = ", ".join(f"{name} is generation {stamp[:12]}" for name, stamp in stamps.items())
        raise GraphError(
            f"{output}: its parts come from different builds ({parts}); rebuild it with kg build -o {output}"
        )
    return next(iter(stamps.values()), None)


def complete_switch(output: Path) -> bool:
    """Carry out the switch a journal describes (again, if a run was killed during it);
    False when there is none. Every step is a rename that can be redone; the caller
    holds the folder's lock."""
    journal = output / JOURNAL
    try:
        plan = json.loads(journal.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return False
    names = set(plan["names"])
    staged, retired = output / STAGING, output / RETIRED
    retired.mkdir(exist_ok=True)
    for name in plan["owned"]:
        current, new, old = output / name, staged / name, retired / name
        if name in names and not new.exists():
            continue  # switched in before the kill
        if current.exists() or current.is_symlink():
            _remove(old)
            _rename(current, old)
        if name in names:
            _rename(new, current)
    journal.unlink()
    shutil.rmtree(retired, ignore_errors=True)
    shutil.rmtree(staged, ignore_errors=True)
    return True


_rename = os.replace  # the switch's one operation (tests stop a switch half-way through it)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def open_for_reading(output: Path) -> str | None:
    """``check_folder`` for a reader: a switch an interrupted build left half done is
    completed first (under the lock, waiting for a build that is switching right now);
    a folder that cannot be completed or whose parts disagree is refused."""
    if interrupted(output):
        try:
            with locked(output, wait=60.0):
                complete_switch(output)
        except (FolderBusy, OSError):
            pass  # check_folder below says what is wrong
    return check_folder(output)


def build_folder_of(store: Path) -> Path | None:
    """The build folder a store folder belongs to (``DIR`` of ``DIR/store``), if it is one."""
    parent = store.resolve().parent
    return parent if store.resolve().name == STORE and (parent / REPORT).exists() else None
