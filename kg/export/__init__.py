"""Exports: one module per output format, found through one registry (``EXPORTERS``).

Each exporter module has ``write(graph, path, **options)`` over the networkx
graph of ``kg.graph.build``; the registry imports it lazily, so ``kg build``
pays only for the formats it writes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kg.registry import Plugin, Registry

EXPORTERS = Registry(
    "export format",
    [
        Plugin("graphml", "kg.export.graphml", "write", (".graphml",)),
        Plugin("gexf", "kg.export.gexf", "write", (".gexf",)),
        Plugin("html", "kg.export.html", "write", (".html",)),
    ],
    aliases={"gephi": "gexf", "viewer": "html"},
)


def exporter(name: str) -> Callable[..., Any]:
    """Return the writer for a format name or alias; an unknown name lists the known ones."""
    return EXPORTERS.get(name).load()
