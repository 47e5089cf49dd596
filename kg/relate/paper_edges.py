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
# Stands for tokens left out by ``tokens(..., near=True)``; no text tokenizes to it.
CUT = "\x01cut"
# Characters kept before the first and after the last mention (up to a space): enough
# for nearly every scan (left scans pass at most a few gap words, right scans fewer).
_BEFORE_CHARS = 60
_AFTER_CHARS = 40
NUM = "<num>"
STOP = frozenset({".", ";", "!", "?", ":"})
GLUE = frozenset({",", "and", "or", "(", ")", "/", "[", "]"})
# What a token that is not a gap word does to a scan: list glue is passed over, a stop
# ends it, another mention ends it once a gap word lies between.
_GLUE, _STOPS, _OWNS = "glue", "stop", "mention"
_CUTS = "cut"
_KIND = {MENTION: _OWNS, CUT: _CUTS} | dict.fromkeys(STOP, _STOPS) | dict.fromkeys(GLUE, _GLUE)


class Cut(Exception):
    """A scan needed tokens that ``tokens(..., near=True)`` left out."""


def tokens(
    text: str, start: int, end: int, mentions: list[Mention], near: bool = False
) -> tuple[list[str], list[int]]:
    """Tokens of ``text[start:end]`` with each mention (sorted, non-overlapping) as one
    placeholder token (it never matches a phrase), and the mentions' token positions.

    The pieces between mentions are joined by a character that is always a
    token of its own, so one pass finds the tokens of each piece; ASCII text
    is lowercased before that pass (it keeps every token boundary), other
    text token by token. With ``near``, only the text from a space some way
    before the first mention to a space some way after the last one is read,
    and a ``CUT`` token stands for the rest: a scan that reaches it raises
    ``Cut`` (no token holds a space, so the kept ones are exact).
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
    cut_before = cut_after = False
    if near:
        head = pieces[0]
        if len(head) > _BEFORE_CHARS:
            space = head.find(" ", len(head) - _BEFORE_CHARS)
            if space > 0:
                pieces[0] = head[space:]
                cut_before = True
        tail = pieces[-1]
        if len(tail) > _AFTER_CHARS:
            space = tail.rfind(" ", 0, _AFTER_CHARS)
            if space > 0:
                pieces[-1] = tail[:space]
                cut_after = True
    out = _lower_words(_GAP.join(pieces), sentence.isascii())
    if cut_before:
        out.insert(0, CUT)
    if cut_after:
        out.append(CUT)
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


def sentence_words(sentence: str) -> str:
    """A sentence's words, lowercased, numbers as ``<num>``, spaced for ``" phrase " in``."""
    return f" {' '.join(_lower_words(sentence, sentence.isascii()))} "


def _lower_words(text: str, ascii_text: bool) -> list[str]:
    """The words of ``text``, lowercased, numbers as ``<num>``: ASCII text is lowercased
    once (it keeps every token boundary) and read by the faster pattern."""
    if not ascii_text:
        return _words(text)
    lower = text.lower()
    words = _ASCII_TOKEN.findall(lower)
    if _DIGIT.search(lower):
        words = [NUM if word[0].isdigit() else word for word in words]
    return words


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
    for index in range(position + step, len(toks) if step > 0 else -1, step):
        if gap > reach:
            return None
        token = toks[index]
        if token in anchors:  # only a phrase's last (left) or first (right) word can match here
            found = _match_at(
                toks, position, index, step, side.phrases, anchors[token], gap,
                first and index == position + 1,
            )
            if found:
                return found
        if token not in _KIND:
            gap += 1
            continue
        kind = _KIND[token]
        if kind is _STOPS:
            return None
        if kind is _OWNS:
            if gap > 0:
                return None  # a nearer mention that is not part of a list owns the trigger
        elif kind is _CUTS:
            raise Cut
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
    size = len(toks)
    for length in lengths:
        lo, hi = (index - length + 1, index + 1) if step < 0 else (index, index + length)
        if lo <= 0 or hi >= size:  # the phrase would touch an end of the tokens
            if (lo <= 0 and toks[0] == CUT) or (hi >= size and toks[-1] == CUT):
                raise Cut
            if lo < 0 or hi > size:
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
    entity type and field (``RelationRules.side``); None when no trigger fires (the type's default
    rule applies)."""
    left = _scan(toks, position, -1, before, False) if before.reach >= 0 else None
    right = _scan(toks, position, +1, after, position == 0) if after.reach >= 0 else None
    if left is None:
        return None if right is None else right[2]
    if right is None:
        return left[2]
    return min(left, right, key=lambda c: (c[0], c[1], c[2].order))[2]
