"""Entity -> entity statements: patterns over a sentence whose mentions are slots.

Each mention is replaced by a private-use marker holding its index, so a
pattern such as ``{hyper} such as {hypo+}`` is one regular expression over
the masked sentence; a cheap substring cue keeps most sentences from being
matched at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

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
    lowered = sentence.lower()
    for rule in rules:
        if not any(cue in lowered for cue in rule.cues):
            continue
        for match in rule.regex.finditer(masked):
            heads = _indices(match.group(rule.head))
            tails = _indices(match.group(rule.tail))
            for head in heads:
                for tail in tails:
                    if head != tail:
                        yield rule, head, tail


def _indices(group: str) -> list[int]:
    return [int(found) for found in _INDEX.findall(group)]
