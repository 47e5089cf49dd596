"""The fast paths of relate(): one tokenizer pass per sentence, reading only the text near
the mentions, and Relation records built through their slots, each against the plain way."""

from __future__ import annotations

import dataclasses
import pickle
import random

import pytest

import kg.relate.paper_edges as paper_edges
from kg.records import ENTITY_TYPES, Extraction, Mention, Paper, Relation
from kg.relate import bundled_rules, relate
from kg.relate.paper_edges import CUT, MENTION, _tokens_by_piece, tokens
from kg.relate.relations import make_relation


def _mentions(text: str, *surfaces: str) -> list[Mention]:
    found: list[Mention] = []
    cursor = 0
    for surface in surfaces:
        start = text.index(surface, cursor)
        cursor = start + len(surface)
        found.append(Mention(surface, "Method", surface.lower(), start, cursor, "abstract", "test", 0.9))
    return found


@pytest.mark.parametrize(
    ("text", "surfaces"),
    [
        ("We propose FooNet, a state-of-the-art model.", ["FooNet"]),
        ("It reaches 3.5x speed-up and 91,2 F1 on QA.", ["F1", "QA"]),
        ("Pre-FooNet-based and don't / can’t (BarNet) e.g. BazNet.", ["FooNet", "BarNet", "BazNet"]),
        ("Über-Modelle wie FooNet erreichen x² und ٣ Punkte.", ["FooNet"]),
        ("Tabs\tand\x1cfile\x1fseparators around FooNet\x0b.", ["FooNet"]),
        ("A NUL \x00 byte before FooNet.", ["FooNet"]),
        ("FooNetBarNet", ["FooNet", "BarNet"]),
        ("x3 3x _a a_ -a a- 'a a' 1. .1 1,a", []),
    ],
)
def test_relate_paper_edges_match_piecewise_tokenization(text: str, surfaces: list[str]) -> None:
    mentions = _mentions(text, *surfaces)
    got, positions = tokens(text, 0, len(text), mentions)
    assert (got, positions) == _tokens_by_piece(text, 0, len(text), mentions)
    assert [got[p] for p in positions] == [MENTION] * len(mentions)


def test_relate_near_tokens_mark_what_they_leave_out() -> None:
    text = ("In this long opening clause with many words that say little and then a few more "
            "words again, we finally use FooNet, and then the sentence goes on for quite a while "
            "longer than any scan would read.")
    mentions = _mentions(text, "FooNet")
    near, positions = tokens(text, 0, len(text), mentions, near=True)
    full, full_positions = tokens(text, 0, len(text), mentions)
    assert near[0] == CUT and near[-1] == CUT
    offset = full_positions[0] - positions[0]
    assert near[1:-1] == full[offset + 1 : offset + len(near) - 1]


_WORDS = sorted(
    {word for phrase in list(bundled_rules().before) + list(bundled_rules().after) for word in phrase}
    | {",", "and", "or", "(", ")", ".", ";", ":", "such", "as", "based", "on", "of", "42", "x"}
)
_PHRASES = sorted(set(bundled_rules().before) | set(bundled_rules().after))


def _random_paper(seed: int) -> tuple[Paper, Extraction]:
    rnd = random.Random(seed)
    text = ""
    mentions: list[Mention] = []
    spans: list[tuple[int, int]] = []
    for _ in range(rnd.randint(1, 3)):
        begin = len(text)
        for _ in range(rnd.randint(1, 40)):
            roll = rnd.random()
            if roll < 0.2:
                name = rnd.choice(["FooNet", "BarSet", "BLEU", "QA"])
                mentions.append(Mention(name, rnd.choice(ENTITY_TYPES), name.lower(), len(text),
                                        len(text) + len(name), "abstract", "test", 0.9))
                text += name
            elif roll < 0.45:
                text += " ".join(rnd.choice(_PHRASES))
            else:
                text += rnd.choice(_WORDS)
            text += rnd.choice([" ", " ", " ", "-", "\n"])
        spans.append((begin, len(text)))
        text += " "
    paper = Paper(f"arxiv:{seed}", "A paper", text)
    return paper, Extraction(paper.id, paper.title, mentions, [], {"abstract": spans}, [])


def test_relate_reading_near_mentions_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    papers = [_random_paper(seed) for seed in range(1500)]
    monkeypatch.setattr(paper_edges, "_BEFORE_CHARS", 10**9)
    monkeypatch.setattr(paper_edges, "_AFTER_CHARS", 10**9)
    whole = [relate(paper, extraction) for paper, extraction in papers]
    assert sum(len(found) for found in whole) > 5000
    assert len({r.rule for found in whole for r in found}) > 15
    for before, after in ((1, 1), (12, 6), (40, 20)):
        monkeypatch.setattr(paper_edges, "_BEFORE_CHARS", before)
        monkeypatch.setattr(paper_edges, "_AFTER_CHARS", after)
        assert [relate(paper, extraction) for paper, extraction in papers] == whole


def test_relate_make_relation_builds_the_same_record() -> None:
    values = ("uses", "paper", "bert", "abstract", 0, 40, 7, 11, "uses.verb", 0.8)
    made, plain = make_relation(*values), Relation(*values)
    assert type(made) is Relation
    assert made == plain and hash(made) == hash(plain) and repr(made) == repr(plain)
    assert made.to_dict() == plain.to_dict() == dict(zip(
        [f.name for f in dataclasses.fields(Relation)], values, strict=True))
    assert pickle.loads(pickle.dumps(made)) == plain
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.type = "proposes"  # type: ignore[misc]
