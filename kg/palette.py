"""Colours and shapes per node kind and edge type, shared by every visual export.

They live in ``kg/data/palette.json`` so the HTML viewer, GraphML and GEXF
always agree; this module loads and validates that file once.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

from kg.errors import DataFileError
from kg.records import EDGE_TYPES, ENTITY_TYPES
from kg.resources import data_path

NODE_KINDS = ("Paper", *ENTITY_TYPES)
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True, slots=True)
class NodeStyle:
    color: str
    shape: str

    @property
    def rgb(self) -> tuple[int, int, int]:
        return hex_to_rgb(self.color)


@dataclass(frozen=True, slots=True)
class Palette:
    nodes: dict[str, NodeStyle]
    edges: dict[str, str]

    def node(self, kind: str) -> NodeStyle:
        return self.nodes.get(kind, self.nodes["Paper"])

    def edge(self, edge_type: str) -> str:
        return self.edges.get(edge_type, self.edges["mentions"])


def hex_to_rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def parse_palette(data: object, where: str) -> Palette:
    """Validate the palette document: every node kind and edge type, ``#rrggbb`` colours."""
    if not isinstance(data, dict) or not isinstance(data.get("nodes"), dict) or not isinstance(data.get("edges"), dict):
        raise DataFileError(f"{where}: expected an object with 'nodes' and 'edges' objects")
    nodes: dict[str, NodeStyle] = {}
    for kind in NODE_KINDS:
        entry = data["nodes"].get(kind)
        if not isinstance(entry, dict) or not _HEX.match(str(entry.get("color", ""))) or not entry.get("shape"):
            raise DataFileError(f"{where}: nodes.{kind} needs a '#rrggbb' color and a shape, found {entry!r}")
        nodes[kind] = NodeStyle(entry["color"], str(entry["shape"]))
    edges: dict[str, str] = {}
    for name, color in data["edges"].items():
        if not _HEX.match(str(color)):
            raise DataFileError(f"{where}: edges.{name} must be a '#rrggbb' colour, found {color!r}")
        edges[name] = color
    missing = [t for t in EDGE_TYPES if t not in edges]
    if missing:
        raise DataFileError(f"{where}: edges has no colour for {', '.join(missing)}")
    return Palette(nodes, edges)


@functools.cache
def load_palette(path: str | None = None) -> Palette:
    """The bundled palette, or one from ``path``."""
    source = Path(path) if path else data_path("palette.json")
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise DataFileError(f"{source}: cannot load palette: {err}") from err
    return parse_palette(data, str(source))
