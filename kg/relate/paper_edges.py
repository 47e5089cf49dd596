"""Typing paper -> entity edges from trigger phrases near each mention.

A sentence becomes a list of lowercase tokens in which every mention is one
token; from each mention the nearest trigger phrase within its rule's gap
(looking through lists of other mentions) decides the edge type. Plain Python
over a few dozen tokens per mention: no spaCy, cheap enough for millions of
abstracts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.records import Mention
from kg.relate.rules import PaperRule, RuleSet

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|\w+(?:[-'’]\w+)*|[^\w\s]")
_NUMBER = re.compile(r"^\d")
NUM = "<num>"
STOP = frozenset({".", ";", "!", "?", ":"})
GLUE = frozenset({",", "and", "or", "(", ")", "/", "[", "]"})


@dataclass(frozen=True, slots=True)
class Token:
    """A word of the sentence, or (``mention`` >= 0) one whole mention."""

    text: str
    mention: int = -1


def tokens(text: str, start: int, end: int, mentions: list[Mention]) -> list[Token]:
    """Tokens of ``text[start:end]``; each mention (sorted, non-overlapping) is one token."""
    out: list[Token] = []
    cursor = start
    for index, mention in enumerate(mentions):
        out.extend(_words(text[cursor : mention.start]))
        out.append(Token(mention.text, index))
        cursor = mention.end
    out.extend(_words(text[cursor:end]))
    return out


def _words(text: str) -> list[Token]:
    return [
        Token(NUM if _NUMBER.match(word) else word.lower()) for word in _TOKEN.findall(text)
    ]


def _scan(
    toks: list[Token], position: int, step: int, table: dict[tuple[str, ...], list[PaperRule]],
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
    while 0 <= index < len(toks) and gap <= rules.reach:
        found = _match_at(toks, index, step, table, gap, entity_type, field, rules.longest)
        if found:
            return found
        token = toks[index]
        if token.mention >= 0 and gap > 0:
            return None  # a nearer mention that is not part of a list owns the trigger
        if token.mention < 0 and token.text in STOP:
            return None
        if token.mention < 0 and token.text not in GLUE:
            gap += 1
        index += step
    return None


def _match_at(
    toks: list[Token], index: int, step: int, table: dict[tuple[str, ...], list[PaperRule]],
    gap: int, entity_type: str, field: str, longest: int,
) -> tuple[int, int, PaperRule] | None:
    """Phrases ending (looking left) or starting (looking right) at ``index``."""
    best: tuple[int, int, PaperRule] | None = None
    for length in range(longest, 0, -1):
        lo, hi = (index - length + 1, index + 1) if step < 0 else (index, index + length)
        if lo < 0 or hi > len(toks):
            continue
        window = toks[lo:hi]
        if any(t.mention >= 0 for t in window):
            continue
        for rule in table.get(tuple(t.text for t in window), ()):
            if gap > rule.gap or entity_type not in rule.entity_types or field not in rule.fields:
                continue
            candidate = (gap, -length, rule)
            if best is None or (candidate[0], candidate[1], rule.order) < (best[0], best[1], best[2].order):
                best = candidate
    return best


def type_mention(
    toks: list[Token], position: int, entity_type: str, field: str, rules: RuleSet
) -> PaperRule:
    """The rule that types the mention at token ``position`` (a default rule when none fires)."""
    left = _scan(toks, position, -1, rules.before, rules, entity_type, field)
    right = _scan(toks, position, +1, rules.after, rules, entity_type, field)
    found = [c for c in (left, right) if c is not None]
    if found:
        return min(found, key=lambda c: (c[0], c[1], c[2].order))[2]
    return rules.defaults[entity_type]
