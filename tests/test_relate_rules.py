"""Relation rule files: the bundled ones load, broken ones fail with file:line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.datafiles import load_schema, problem
from kg.errors import DataFileError
from kg.records import EDGE_TYPES, ENTITY_TYPES
from kg.relate import load_rules
from kg.relate.rules import PAIR_RULES, PAPER_RULES, _bundled


def test_relate_bundled_rules_load_and_cover_every_type() -> None:
    rules = load_rules()
    paper_types = {rule.type for rule in rules.paper}
    pair_types = {rule.type for rule in rules.pairs}
    assert paper_types == set(EDGE_TYPES[:6])
    assert pair_types == set(EDGE_TYPES[6:])
    assert set(rules.defaults) == set(ENTITY_TYPES)
    assert all(rule.type == "mentions" for rule in rules.defaults.values())


def test_relate_schema_is_valid_json_and_names_both_rule_kinds() -> None:
    schema = load_schema("relations.schema.json")
    assert {"paperRule", "pairRule"} <= set(schema["$defs"])


def _write(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _pairs(tmp_path: Path) -> Path:
    return _write(tmp_path, "pairs.jsonl", _bundled(PAIR_RULES).read_text(encoding="utf-8").splitlines())


def _papers(tmp_path: Path, extra: list[str]) -> Path:
    lines = _bundled(PAPER_RULES).read_text(encoding="utf-8").splitlines()
    return _write(tmp_path, "papers.jsonl", lines + extra)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"id": "uses.x", "type": "uses", "entity_types": ["Gadget"], "before": ["use"], "confidence": 0.5}',
         "entity_types[0]: expected one of"),
        ('{"id": "uses.x", "type": "uses", "entity_types": ["Method"], "before": ["use"], "confidence": 1.5}',
         "confidence: expected at most 1"),
        ('{"id": "uses.x", "type": "uses", "entity_types": ["Method"], "confidence": 0.5}',
         "expected 'before' or 'after' phrases"),
        ('{"id": "uses.x", "type": "uses", "entity_types": ["Method"], "before": ["use"], "confidence": 0.5, "colour": 1}',
         "unknown key 'colour'"),
        ('{"id": "proposes.x", "type": "uses", "entity_types": ["Method"], "before": ["use"], "confidence": 0.5}',
         "must start with 'uses'"),
        ('{"id": "uses.verb", "type": "uses", "entity_types": ["Method"], "before": ["use"], "confidence": 0.5}',
         "already used at"),
        ('{"id": "uses.x", "type": "uses", ', "not valid JSON"),
        ('{"id": "uses.x", "type": "uses", "entity_types": ["Method"], "scope": "sentence", "before": ["use"], '
         '"confidence": 0.5}', "a default, sentence or paper rule takes no 'before' or 'after' phrases"),
        ('{"id": "uses.x", "type": "uses", "entity_types": ["Method"], "before": ["use"], "unless": ["we"], '
         '"confidence": 0.5}', 'need a "scope" of sentence or paper'),
        ('{"id": "mentions.x", "type": "mentions", "entity_types": ["Method"], "scope": "paper", '
         '"sentence": ["survey"], "confidence": 0.5}', "a paper rule needs 'sentence' phrases and 'overrides'"),
        ('{"id": "uses.x", "type": "uses", "entity_types": ["Method"], "scope": "sentence", '
         '"overrides": ["mentions"], "confidence": 0.5}', "overrides[0]: expected one of"),
    ],
)
def test_relate_invalid_paper_rule_names_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    papers = _papers(tmp_path, [line])
    number = len(papers.read_text(encoding="utf-8").splitlines())
    with pytest.raises(DataFileError) as err:
        load_rules(papers, _pairs(tmp_path))
    assert f"{papers}:{number}:" in str(err.value)
    assert message in str(err.value)


def test_relate_invalid_pair_rule_pattern(tmp_path: Path) -> None:
    rule = {"id": "isA.bad", "type": "isA", "cues": ["x"], "pattern": "{a} (such as {b}",
            "head": "a", "tail": "b", "confidence": 0.5}
    pairs = _write(tmp_path, "pairs.jsonl", [json.dumps(rule)])
    with pytest.raises(DataFileError, match=r"pairs.jsonl:1: invalid pattern"):
        load_rules(_papers(tmp_path, []), pairs)
    rule["pattern"], rule["tail"] = "{a} such as {b}", "c"
    pairs = _write(tmp_path, "pairs.jsonl", [json.dumps(rule)])
    with pytest.raises(DataFileError, match=r"tail slot \{c\} is not in the pattern"):
        load_rules(_papers(tmp_path, []), pairs)


def test_relate_missing_default_and_empty_file(tmp_path: Path) -> None:
    lines = [line for line in _bundled(PAPER_RULES).read_text(encoding="utf-8").splitlines()
             if '"default": true' not in line]
    with pytest.raises(DataFileError, match="no default rule for entity type"):
        load_rules(_write(tmp_path, "p.jsonl", lines), _pairs(tmp_path))
    with pytest.raises(DataFileError, match="no rules in file"):
        load_rules(_write(tmp_path, "p.jsonl", ["// only a comment"]), _pairs(tmp_path))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"id": "Bad"}, "id: 'Bad' does not match"),
        ({"entity_types": []}, "entity_types: expected at least 1 item(s)"),
        ({"confidence": "x"}, "confidence: expected number, found string 'x'"),
        ({"fields": ["title", "body"]}, "fields[1]: expected one of title, abstract; found 'body'"),
    ],
)
def test_relate_schema_problem_names_the_field(change: dict, message: str) -> None:
    rule = {"id": "uses.x", "type": "uses", "entity_types": ["Method"], "before": ["use"], "confidence": 0.5}
    assert problem(rule, "relations.schema.json", "paperRule") is None
    assert problem({**rule, **change}, "relations.schema.json", "paperRule").startswith(message)
