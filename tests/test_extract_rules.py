"""Rule data files: every bundled file loads and validates; bad lines name file and line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.datafiles import problem
from kg.errors import DataFileError
from kg.extract.rules import (
    FILE_KINDS,
    kind_of,
    load_rules,
    read_rule_file,
    rules_folder,
)
from kg.records import ENTITY_TYPES


def test_extract_rules_every_bundled_file_validates():
    files = sorted(rules_folder().glob("*.jsonl"))
    assert {kind_of(p) for p in files} == set(FILE_KINDS.values())
    for path in files:
        assert read_rule_file(path), path


def test_extract_rules_rules_load_with_hundreds_of_entries_per_type():
    rules = load_rules()
    per_type = {t: sum(1 for e in rules.gazetteer if e.type == t) for t in ENTITY_TYPES}
    assert all(n >= 100 for n in per_type.values()), per_type
    assert sum(per_type.values()) >= 1000
    assert rules.heads["dataset"] == "Dataset"
    assert "model" in rules.stop_words("generic")
    assert {r.kind for r in rules.context} >= {"head", "after", "suffix", "coordination"}


def test_extract_rules_every_alias_is_unique_across_gazetteers():
    seen: dict[str, str] = {}
    for entry in load_rules().gazetteer:
        for alias in entry.aliases:
            assert seen.setdefault(alias.lower(), entry.where) == entry.where, alias


def _write(folder: Path, name: str, lines: list[str]) -> Path:
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "line, message",
    [
        ('{"name": "X", "aliases": "Y"}', "expected array"),
        ('{"name": "X", "colour": "red"}', "unknown key 'colour'"),
        ('{"aliases": ["Y"]}', "missing required key 'name'"),
        ('{"name": ""}', "at least 1 character"),
        ('{"name": "X", "case": "upper"}', "expected one of exact, lower, auto"),
        ('{"name": " padded"}', "does not match"),
        ('{"name": "X", "aliases": ["Y", "Y"]}', "unique"),
        ("{not json", "not valid JSON"),
    ],
)
def test_extract_rules_bad_gazetteer_line_names_file_and_line(tmp_path, line, message):
    path = _write(tmp_path, "gazetteer.dataset.jsonl", ['{"name": "Good"}', line])
    with pytest.raises(DataFileError) as err:
        read_rule_file(path)
    assert f"{path}:2:" in str(err.value)
    assert message in str(err.value)


def test_extract_rules_empty_file_is_an_error(tmp_path):
    path = _write(tmp_path, "stoplist.jsonl", ["// only a comment", ""])
    with pytest.raises(DataFileError, match="no rules in file"):
        read_rule_file(path)


def test_extract_rules_confidence_out_of_range(tmp_path):
    path = _write(tmp_path, "naming.jsonl", ['{"id": "name.x", "kind": "title", "confidence": 1.5}'])
    with pytest.raises(DataFileError, match=r"naming.jsonl:1: confidence: expected at most 1"):
        read_rule_file(path)


def _copy_rules(tmp_path: Path) -> Path:
    folder = tmp_path / "rules"
    folder.mkdir()
    for path in rules_folder().glob("*.jsonl"):
        (folder / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return folder


def test_extract_rules_duplicate_alias_across_files(tmp_path):
    folder = _copy_rules(tmp_path)
    with open(folder / "gazetteer.task.jsonl", "a", encoding="utf-8") as handle:
        handle.write(json.dumps({"name": "Imagenet"}) + "\n")
    with pytest.raises(DataFileError, match=r"gazetteer.task.jsonl:\d+: alias 'Imagenet' is already listed at gazetteer.dataset.jsonl:\d+"):
        load_rules(folder)


@pytest.mark.parametrize(
    "lines, message",
    [
        (['{"name": "Zorb-2", "family": "Zorb"}'],
         r"gazetteer.task.jsonl:\d+: family 'Zorb' is not the name of a gazetteer entry"),
        (['{"name": "Zorb", "family": "Zorb-2"}', '{"name": "Zorb-2", "family": "Zorb"}'],
         r"gazetteer.task.jsonl:\d+: family 'Zorb-2' leads back to 'Zorb'"),
    ],
)
def test_extract_rules_a_family_names_another_entry_without_cycles(tmp_path, lines, message):
    folder = _copy_rules(tmp_path)
    with open(folder / "gazetteer.task.jsonl", "a", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    with pytest.raises(DataFileError, match=message):
        load_rules(folder)


def test_extract_rules_unknown_type_in_file_name(tmp_path):
    folder = _copy_rules(tmp_path)
    _write(folder, "gazetteer.model.jsonl", ['{"name": "Zeta"}'])
    with pytest.raises(DataFileError, match="type among"):
        load_rules(folder)


def test_extract_rules_missing_family(tmp_path):
    folder = _copy_rules(tmp_path)
    (folder / "naming.jsonl").unlink()
    with pytest.raises(DataFileError, match="missing rule file"):
        load_rules(folder)


def test_extract_rules_unexpected_file(tmp_path):
    folder = _copy_rules(tmp_path)
    _write(folder, "extra.jsonl", ["{}"])
    with pytest.raises(DataFileError, match="unexpected file"):
        load_rules(folder)


@pytest.mark.parametrize(
    "value, ok",
    [
        ({"name": "X"}, True),
        ({"name": "X", "ambiguous": True}, True),
        ({"name": "X", "ambiguous": "yes"}, False),
        ({"name": 3}, False),
        (["X"], False),
    ],
)
def test_extract_rules_validator_on_gazetteer_entries(value, ok):
    assert (problem(value, "rules.schema.json", "gazetteer_entry") is None) == ok
