"""Typing paper -> entity edges from trigger phrases near each mention.

A sentence becomes a list of lowercase tokens in which every mention is one
placeholder token; from each mention the nearest trigger phrase within its
rule's gap (looking through lists of other mentions) decides the edge type.
Plain Python over a few dozen tokens per mention: no spaCy, cheap enough for
millions of abstracts.
"""

from __future__ import annotations

import re

from kg.records import Mention
from kg.relate.rules import MENTION, PaperRule, RuleSet

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|\w+(?:[-'’]\w+)*|[^\w\s]")
NUM = "<num>"
STOP = frozenset({".", ";", "!", "?", ":"})
GLUE = frozenset({",", "and", "or", "(", ")", "/", "[", "]"})
Phrases = dict[tuple[str, ...], list[PaperRule]]


def tokens(text: str, start: int, end: int, mentions: list[Mention]) -> tuple[list[str], list[int]]:
    """Tokens of ``text[start:end]`` with each mention (sorted, non-overlapping) as one
    placeholder token (it never matches a phrase), and the mentions' token positions."""
    out: list[str] = []
    positions: list[int] = []
    cursor = start
    for mention in mentions:
        out.extend(_words(text[cursor : mention.start]))
        positions.append(len(out))
        out.append(MENTION)
        cursor = mention.end
    out.extend(_words(text[cursor:end]))
    return out, positions


def _words(text: str) -> list[str]:
    return [NUM if word[0].isdigit() else word.lower() for word in _TOKEN.findall(text)]


def _scan(
    toks: list[str], position: int, step: int, table: Phrases, anchors: frozenset[str],
    rules: RuleSet, entity_type: str, field: str,
) -> tuple[int, int, PaperRule] | None:
    """Nearest trigger from ``position`` in direction ``step``: (gap, -length, rule).

    Other mentions and list glue (commas, "and", brackets) do not count as
    gap words, so "on A, B and C" types all three; a sentence-internal stop
    (";", ":") ends the search unless it is itself a trigger, and so does a
    mention met after a gap word (the trigger is that mention's).
    """
    gap = 0
    index = position + step
    size = len(toks)
    passed: list[str] = []
    while 0 <= index < size and gap <= rules.reach:
        token = toks[index]
        if token in anchors:  # only a phrase's last (left) or first (right) word can match here
            found = _match_at(
                toks, index, step, table, gap, entity_type, field, rules.longest, passed,
                position == 0 and index == position + 1,
            )
            if found:
                return found
        if token == MENTION:
            if gap > 0:
                return None  # a nearer mention that is not part of a list owns the trigger
        elif token in STOP:
            return None
        elif token not in GLUE:
            gap += 1
            passed.append(token)
        index += step
    return None


def _match_at(
    toks: list[str], index: int, step: int, table: Phrases, gap: int,
    entity_type: str, field: str, longest: int, passed: list[str], first: bool,
) -> tuple[int, int, PaperRule] | None:
    """The best rule among phrases ending (looking left) or starting (looking right) at
    ``index``; ``passed`` holds the words between it and the mention, ``first`` tells
    whether the mention opens the sentence and the phrase follows it at once."""
    best: tuple[int, int, PaperRule] | None = None
    for length in range(longest, 0, -1):
        lo, hi = (index - length + 1, index + 1) if step < 0 else (index, index + length)
        if lo < 0 or hi > len(toks):
            continue
        candidates = table.get(tuple(toks[lo:hi]))
        if not candidates:
            continue
        for rule in candidates:
            if gap > rule.gap or entity_type not in rule.entity_types or field not in rule.fields:
                continue
            if rule.blocked_by and not rule.blocked_by.isdisjoint(passed):
                continue
            if rule.at_start and not first:
                continue
            if best is None or rule.order < best[2].order:
                best = (gap, -length, rule)
        if best is not None:
            return best  # longer phrases are tried first and win
    return best


def type_mention(toks: list[str], position: int, entity_type: str, field: str, rules: RuleSet) -> PaperRule:
    """The rule that types the mention at token ``position`` (a default rule when none fires)."""
    left = _scan(toks, position, -1, rules.before, rules.before_ends, rules, entity_type, field)
    right = _scan(toks, position, +1, rules.after, rules.after_starts, rules, entity_type, field)
    found = [c for c in (left, right) if c is not None]
    if found:
        return min(found, key=lambda c: (c[0], c[1], c[2].order))[2]
    return rules.defaults[entity_type]
