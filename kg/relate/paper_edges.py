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
from kg.relate.rules import MENTION, PaperRule, RuleSet, Side

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
    passed: list[str] = []
    while 0 <= index < size and gap <= reach:
        token = toks[index]
        lengths = anchors.get(token)
        if lengths is not None:  # only a phrase's last (left) or first (right) word can match here
            found = _match_at(
                toks, index, step, side.phrases, lengths, gap, passed,
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
            passed.append(token)
        index += step
    return None


def _match_at(
    toks: list[str], index: int, step: int, phrases: dict[tuple[str, ...], tuple[PaperRule, ...]],
    lengths: tuple[int, ...], gap: int, passed: list[str], first: bool,
) -> tuple[int, int, PaperRule] | None:
    """The best rule among phrases ending (looking left) or starting (looking right) at
    ``index``; ``lengths`` are the phrase lengths (longest first) the word there anchors,
    ``passed`` holds the words between it and the mention, ``first`` tells whether the
    mention opens the sentence and the phrase follows it at once."""
    best: tuple[int, int, PaperRule] | None = None
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
    before, after = rules.side(entity_type, field)
    left = _scan(toks, position, -1, before, False)
    right = _scan(toks, position, +1, after, position == 0)
    if left is None:
        if right is None:
            return rules.defaults[entity_type]
        return right[2]
    if right is None:
        return left[2]
    return min(left, right, key=lambda c: (c[0], c[1], c[2].order))[2]
