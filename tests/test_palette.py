from __future__ import annotations

import pytest

from kg.errors import DataFileError
from kg.palette import NODE_KINDS, load_palette, parse_palette
from kg.records import EDGE_TYPES


def test_palette_bundled_covers_every_kind_and_edge_type() -> None:
    palette = load_palette()
    assert set(NODE_KINDS) <= set(palette.nodes)
    assert set(EDGE_TYPES) <= set(palette.edges)
    assert palette.node("Dataset").rgb == (0x59, 0xA1, 0x4F)


@pytest.mark.parametrize(
    "data,needle",
    [
        ([], "expected an object"),
        ({"nodes": {}, "edges": {}}, "nodes.Paper"),
        ({"nodes": {k: {"color": "#000000", "shape": "dot"} for k in NODE_KINDS}, "edges": {"uses": "red"}}, "edges.uses"),
        ({"nodes": {k: {"color": "#000000", "shape": "dot"} for k in NODE_KINDS}, "edges": {}}, "no colour for proposes"),
    ],
)
def test_palette_rejects_invalid_documents(data: object, needle: str) -> None:
    with pytest.raises(DataFileError, match=needle):
        parse_palette(data, "palette.json")
