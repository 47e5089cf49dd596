"""Keeping Python's cyclic garbage collector out of hot loops that make no cycles.

The collector runs after every few hundred new container objects and walks
the young ones; every so often it walks the whole heap (spaCy, the rules,
the caller's data: about 90 ms for a built extractor). Stages that create
many short-lived objects but no reference cycles lose that time for nothing;
reference counting frees their garbage either way.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """No collections inside the block (the collector's earlier state is restored).

    Only for code that makes no reference cycles: cyclic garbage made here
    waits for the next collection after the block.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def frozen_heap() -> Iterator[None]:
    """Collections inside the block skip every object that exists when it starts
    (``gc.freeze``); they are unfrozen on the way out.

    Meant for a long stream whose consumer holds on to results: the results
    reach the oldest generation and trigger full collections, which then walk
    only what the stream made. When the heap is frozen already (by the
    application, or an enclosing block) it is left alone.
    """
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
