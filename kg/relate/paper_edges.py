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
from kg.relate.rules import MENTION, PaperRule, Side

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|\w+(?:[-'’]\w+)*|[^\w\s]")
# ``_TOKEN`` spelled out for lowercased ASCII text, where it finds the same tokens faster:
# Unicode ``\s`` there is [ \t\n\r\x0b\x0c\x1c-\x1f], and nothing can follow a token
# that would make giving characters back useful, so the quantifiers are possessive.
_ASCII_TOKEN = re.compile(
    r"[a-z_][a-z0-9_]*+(?:[-'’][a-z0-9_]++)*+|[0-9]++(?:[.,][0-9]++)*+"
    r"|[^A-Za-z0-9_ \t\n\r\x0b\x0c\x1c-\x1f]"
)
_DIGIT = re.compile(r"[0-9]")
# Joins the text between mentions: one token of its own, so no token runs across it.
_GAP = "\x00"
NUM = "<num>"
STOP = frozenset({".", ";", "!", "?", ":"})
GLUE = frozenset({",", "and", "or", "(", ")", "/", "[", "]"})


def tokens(text: str, start: int, end: int, mentions: list[Mention]) -> tuple[list[str], list[int]]:
    """Tokens of ``text[start:end]`` with each mention (sorted, non-overlapping) as one
    placeholder token (it never matches a phrase), and the mentions' token positions.

    The pieces between mentions are joined by a character that is always a
    token of its own, so one pass finds the tokens of each piece; ASCII text
    is lowercased before that pass (it keeps every token boundary), other
    text token by token.
    """
    sentence = text[start:end]
    if _GAP in sentence:
        return _tokens_by_piece(text, start, end, mentions)
    pieces: list[str] = []
    cursor = start
    for mention in mentions:
        pieces.append(text[cursor : mention.start])
        cursor = mention.end
    pieces.append(text[cursor:end])
    joined = _GAP.join(pieces)
    if sentence.isascii():
        joined = joined.lower()
        out = _ASCII_TOKEN.findall(joined)
        if _DIGIT.search(joined):
            out = [NUM if word[0].isdigit() else word for word in out]
    else:
        out = _words(joined)
    positions: list[int] = []
    index = -1
    for _ in mentions:
        index = out.index(_GAP, index + 1)
        out[index] = MENTION
        positions.append(index)
    return out, positions


def _tokens_by_piece(
    text: str, start: int, end: int, mentions: list[Mention]
) -> tuple[list[str], list[int]]:
    """``tokens`` one piece at a time, for a sentence holding the joining character."""
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
    toks: list[str], position: int, step: int, side: Side, first: bool
) -> tuple[int, int, PaperRule] | None:
    """Nearest trigger from ``position`` in direction ``step``: (gap, -length, rule).

    Other mentions and list glue (commas, "and", brackets) do not count as
    gap words, so "on A, B and C" types all three; a sentence-internal stop
    (";", ":") ends the search unless it is itself a trigger, and so does a
    mention met after a gap word (the trigger is that mention's). ``first``
    tells whether the mention opens the sentence (for looking right).
    """
    anchors = side.lengths
    reach = side.reach
    gap = 0
    index = position + step
    size = len(toks)
    while 0 <= index < size and gap <= reach:
        token = toks[index]
        lengths = anchors.get(token)
        if lengths is not None:  # only a phrase's last (left) or first (right) word can match here
            found = _match_at(
                toks, position, index, step, side.phrases, lengths, gap,
                first and index == position + 1,
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
        index += step
    return None


def _match_at(
    toks: list[str], position: int, index: int, step: int,
    phrases: dict[tuple[str, ...], tuple[PaperRule, ...]], lengths: tuple[int, ...], gap: int,
    first: bool,
) -> tuple[int, int, PaperRule] | None:
    """The best rule among phrases ending (looking left) or starting (looking right) at
    ``index`` for the mention at ``position``; ``lengths`` are the phrase lengths (longest
    first) the word there anchors, ``first`` tells whether the mention opens the sentence
    and the phrase follows it at once."""
    best: tuple[int, int, PaperRule] | None = None
    passed: set[str] | None = None
    for length in lengths:
        lo, hi = (index - length + 1, index + 1) if step < 0 else (index, index + length)
        if lo < 0 or hi > len(toks):
            continue
        candidates = phrases.get(tuple(toks[lo:hi]))
        if not candidates:
            continue
        for rule in candidates:
            if gap > rule.gap:
                continue
            if rule.blocked_by:
                if passed is None:
                    passed = _passed(toks, position, index)
                if not rule.blocked_by.isdisjoint(passed):
                    continue
            if rule.at_start and not first:
                continue
            if best is None or rule.order < best[2].order:
                best = (gap, -length, rule)
        if best is not None:
            return best  # longer phrases are tried first and win
    return best


def _passed(toks: list[str], position: int, index: int) -> set[str]:
    """The gap words between a mention and a trigger (the scan stops at a stop token, so
    none lies between; other mentions and list glue are not gap words)."""
    between = toks[index + 1 : position] if index < position else toks[position + 1 : index]
    return {token for token in between if token != MENTION and token not in GLUE}


def type_mention(toks: list[str], position: int, before: Side, after: Side) -> PaperRule | None:
    """The rule that types the mention at token ``position`` from the trigger tables of its
    entity type and field (``RuleSet.side``); None when no trigger fires (the type's default
    rule applies)."""
    left = _scan(toks, position, -1, before, False) if before.reach >= 0 else None
    right = _scan(toks, position, +1, after, position == 0) if after.reach >= 0 else None
    if left is None:
        return None if right is None else right[2]
    if right is None:
        return left[2]
    return min(left, right, key=lambda c: (c[0], c[1], c[2].order))[2]
