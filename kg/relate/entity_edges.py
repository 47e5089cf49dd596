"""Entity -> entity statements: patterns over a sentence whose mentions are slots.

Each mention is replaced by a private-use marker holding its index, so a
pattern such as ``{hyper} such as {hypo+}`` is one regular expression over
the masked sentence; a cheap substring cue keeps most sentences from being
matched at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from kg.records import Mention
from kg.relate.rules import MENTION, MENTION_END, PairRule

_INDEX = re.compile(MENTION + r"(\d+)" + MENTION_END)


def mask(text: str, start: int, end: int, mentions: list[Mention]) -> str:
    """``text[start:end]`` with mention ``i`` (sorted, non-overlapping) replaced by a marker."""
    parts: list[str] = []
    cursor = start
    for index, mention in enumerate(mentions):
        parts.append(text[cursor : mention.start])
        parts.append(f"{MENTION}{index}{MENTION_END}")
        cursor = mention.end
    parts.append(text[cursor:end])
    return "".join(parts)


def pairs(
    sentence: str, masked: str, rules: list[PairRule]
) -> Iterator[tuple[PairRule, int, int]]:
    """``(rule, head index, tail index)`` for every statement a rule reads in the sentence."""
    return matches(masked, cued(sentence, rules))


def cued(sentence: str, rules: list[PairRule], cues: Iterable[str] | None = None) -> list[PairRule]:
    """The rules (in order) one of whose cues occurs in the sentence; ``cues`` lists every
    rule's cues once (``RelationRules.cues``), so a cue shared by rules is looked for once."""
    lowered = sentence.lower()
    if cues is None:
        cues = {cue for rule in rules for cue in rule.cues}
    present = {cue for cue in cues if cue in lowered}
    if not present:
        return []
    return [rule for rule in rules if not present.isdisjoint(rule.cues)]


def matches(masked: str, rules: list[PairRule]) -> Iterator[tuple[PairRule, int, int]]:
    """``(rule, head index, tail index)`` for every match of the rules in a masked sentence."""
    for rule in rules:
        for match in rule.regex.finditer(masked):
            heads = _indices(match.group(rule.head))
            tails = _indices(match.group(rule.tail))
            for head in heads:
                for tail in tails:
                    if head != tail:
                        yield rule, head, tail


def _indices(group: str) -> list[int]:
    return [int(found) for found in _INDEX.findall(group)]
