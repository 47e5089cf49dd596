"""Package data: every file kg reads at run time ships inside the package, and the
readers' copies of the schemas in ``schemas/`` are the ones the package uses."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import DataFileError
from kg.resources import SCHEMAS, data_path, schema_path

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("name", SCHEMAS)
def test_resources_schemas_folder_holds_the_package_copy(name: str) -> None:
    assert (REPO / "schemas" / name).read_bytes() == schema_path(name).read_bytes()


def test_resources_schemas_folder_has_no_other_schema() -> None:
    kept = {p.name for p in (REPO / "schemas").iterdir() if p.suffix in (".ttl", ".json")}
    assert kept == set(SCHEMAS)
    assert {p.name for p in data_path("schemas").iterdir()} == set(SCHEMAS)


def test_resources_data_lives_inside_the_package() -> None:
    package = Path(__file__).resolve().parent.parent / "kg"
    for parts in (("rules",), ("relations",), ("queries",), ("viewer",), ("corpus",), ("palette.json",)):
        path = data_path(*parts)
        assert path.exists(), path
        assert package in path.resolve().parents


def test_resources_missing_schema_is_a_data_file_error() -> None:
    with pytest.raises(DataFileError, match="no-such.ttl: schema not found"):
        schema_path("no-such.ttl")
