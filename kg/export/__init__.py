"""Exports: one module per output format, found through one small registry.

Each exporter module has ``write(graph_or_records, path, **options)``; the
registry maps a format name (and its aliases) to ``(module, function)`` and
imports lazily, so ``kg build`` pays only for the formats it writes.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from kg.errors import UsageError

EXPORTERS: dict[str, tuple[str, str]] = {
    "graphml": ("kg.export.graphml", "write"),
    "gexf": ("kg.export.gexf", "write"),
    "html": ("kg.export.html", "write"),
}
ALIASES = {"gephi": "gexf", "viewer": "html"}


def exporter(name: str) -> Callable[..., Any]:
    """Return the writer for a format name; an unknown name lists the known ones."""
    name = ALIASES.get(name, name)
    if name not in EXPORTERS:
        known = ", ".join(sorted(EXPORTERS))
        raise UsageError(f"unknown export format {name!r}; expected one of: {known}")
    module, function = EXPORTERS[name]
    return getattr(importlib.import_module(module), function)
