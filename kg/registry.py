"""One shape for every set of named implementations: input formats, RDF formats, exports.

As in rdflib's ``plugin.py``, a name maps to a module and an attribute that is
imported only when asked for, so a command pays only for the formats it uses;
an alias is one more row pointing at the same plugin; an unknown name is one
``UsageError`` that lists the names there are.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from kg.errors import UsageError


@dataclass(frozen=True, slots=True)
class Plugin:
    """One implementation: ``module.attribute``, and the file name endings it claims
    (the first is the one written)."""

    name: str
    module: str
    attribute: str
    suffixes: tuple[str, ...] = ()

    @property
    def suffix(self) -> str:
        return self.suffixes[0] if self.suffixes else "." + self.name

    def load(self) -> Any:
        """Import the module and return the implementation."""
        return getattr(importlib.import_module(self.module), self.attribute)

    def module_object(self) -> Any:
        """The implementing module itself (for constants beside the implementation)."""
        return importlib.import_module(self.module)


class Registry:
    """Name (or alias) -> ``Plugin``; ``kind`` names what is registered, for messages."""

    def __init__(self, kind: str, plugins: Iterable[Plugin], aliases: Mapping[str, str] | None = None) -> None:
        self.kind = kind
        self._rows: dict[str, Plugin] = {}
        for plugin in plugins:
            self._add(plugin.name, plugin)
        for alias, name in (aliases or {}).items():
            self._add(alias, self._rows[name])

    def _add(self, name: str, plugin: Plugin) -> None:
        if name in self._rows:
            raise ValueError(f"{self.kind} {name!r} registered twice")
        self._rows[name] = plugin

    def get(self, name: str) -> Plugin:
        """The plugin of a name or alias; an unknown name lists the known ones."""
        plugin = self._rows.get(name)
        if plugin is None:
            raise UsageError(f"unknown {self.kind} {name!r}; expected one of: {', '.join(self.names())}")
        return plugin

    def names(self) -> list[str]:
        """The plugins' own names (not the aliases), sorted."""
        return sorted(name for name, plugin in self._rows.items() if plugin.name == name)

    def for_suffix(self, suffix: str) -> Plugin | None:
        """The plugin claiming a file name ending (``.ttl``), any case; None if none does."""
        suffix = suffix.lower()
        for name in self.names():
            if suffix in self._rows[name].suffixes:
                return self._rows[name]
        return None

    def suffixes(self) -> list[str]:
        return sorted(suffix for name in self.names() for suffix in self._rows[name].suffixes)

    def __contains__(self, name: object) -> bool:
        return name in self._rows

    def __iter__(self) -> Iterator[Plugin]:
        return (self._rows[name] for name in self.names())

    @classmethod
    def union(cls, kind: str, *registries: Registry) -> Registry:
        """Every row of several registries as one (names must not clash)."""
        merged = cls(kind, [])
        for registry in registries:
            for name, plugin in registry._rows.items():
                merged._add(name, plugin)
        return merged
