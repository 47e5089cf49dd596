"""A sentence as tokens for reading results: words, numbers and mentions (one token each).

Plain Python over the sentence's characters: no spaCy, so result reading
runs wherever the extraction records are. A number token knows its unit when
one follows it ("85.3%", "3x", "2.1 points"), and whether it is glued to
letters ("3D", "R@1", "layer-12"), which makes it part of a name, not a value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.records import Mention
from kg.results.cues import Cues

WORD, NUMBER, MENTION = "word", "number", "mention"
_PIECE = re.compile(
    r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])|\d*\.\d+|\d+|[^\W\d_]+(?:[-'’][^\W_]+)*|\S"
)
_LETTER = re.compile(r"[^\W\d_]")
_RANGE_DASHES = frozenset({"-", "–", "—", "~", "∼", "sim"})


@dataclass(slots=True)
class Token:
    kind: str
    word: str  # lower case; a mention's is its type
    start: int
    end: int
    mention: Mention | None = None
    number: float | None = None
    glued: bool = False
    unit: str = ""  # "%", "points", "×" ...; "count" when glued letters make it a size ("10M")
    unit_size: int = 0  # how many tokens after the number spell its unit
    upper: float | None = None  # the other end of a range ("20-30%")
    text: str = ""  # the value as written
    candidate: bool = False  # a number that may be a result (set while reading the sentence)


def sentence_tokens(text: str, start: int, end: int, mentions: list[Mention], cues: Cues) -> list[Token]:
    """Tokens of ``text[start:end]``; ``mentions`` sorted and non-overlapping, inside the span."""
    out: list[Token] = []
    cursor = start
    for mention in mentions:
        _piece(text, cursor, mention.start, out)
        out.append(Token(MENTION, mention.type, mention.start, mention.end, mention))
        cursor = mention.end
    _piece(text, cursor, end, out)
    _units(text, out, cues)
    return out


def _piece(text: str, start: int, end: int, out: list[Token]) -> None:
    for match in _PIECE.finditer(text, start, end):
        word = match.group()
        a, b = match.span()
        if word[0].isdigit() or (word[0] == "." and len(word) > 1):
            before = text[a - 1] if a > 0 else " "
            after = text[b] if b < len(text) else " "
            glued = bool(_LETTER.match(before)) or before in "@_^'’" or (
                before == "-" and a > 1 and bool(_LETTER.match(text[a - 2]))
            ) or (after == "." and b + 1 < len(text) and text[b + 1].isdigit())
            out.append(Token(NUMBER, word, a, b, number=float(word.replace(",", "")), glued=glued, text=word))
        else:
            out.append(Token(WORD, word.lower(), a, b))


def _units(text: str, tokens: list[Token], cues: Cues) -> None:
    """Attach to each number the unit (or ratio mark) after it."""
    count = len(tokens)
    for k, token in enumerate(tokens):
        if token.kind != NUMBER:
            continue
        after = tokens[k + 1] if k + 1 < count else None
        if after is not None and after.kind == WORD and after.start == token.end:
            # glued letters: a unit ("3x", "10dB"), a size ("10M") or part of a name ("3D")
            key = (after.word,)
            if key not in cues.units and key not in cues.ratios and after.word[0].isalnum():
                if cues.has("count", key):
                    token.unit, token.unit_size = "count", 1
                else:
                    token.glued = True
                continue
        for size in range(cues.longest, 0, -1):
            words = tuple(t.word for t in tokens[k + 1 : k + 1 + size] if t.kind == WORD)
            if len(words) != size:
                continue
            unit = cues.units.get(words) or cues.ratios.get(words)
            if unit is not None:
                token.unit, token.unit_size = unit, size
                break


def fold_ranges(tokens: list[Token]) -> list[Token]:
    """``20-30%`` or ``0.5% - 2%`` (number, dash, larger number) becomes one number token
    holding both ends and the second one's unit."""
    out: list[Token] = []
    k = 0
    count = len(tokens)
    while k < count:
        token = tokens[k]
        dash = k + 1 + token.unit_size
        if token.kind == NUMBER and dash + 1 < count and _is_range(token, tokens[dash], tokens[dash + 1]):
            other = tokens[dash + 1]
            token.upper = other.number
            token.text = f"{token.text}-{other.text}"
            token.end = other.end
            token.unit, token.unit_size = other.unit, other.unit_size
            out.append(token)
            k = dash + 2
            continue
        out.append(token)
        k += 1
    return out


def _is_range(low: Token, dash: Token, high: Token) -> bool:
    spaced = dash.start - low.end if not low.unit_size else None
    return (
        low.kind == NUMBER and high.kind == NUMBER and not low.glued and not high.glued
        and (not low.unit or low.unit == high.unit) and dash.kind == WORD and dash.word in _RANGE_DASHES
        and (high.number or 0.0) > (low.number or 0.0)
        and (spaced is None or spaced == high.start - dash.end <= 1)
    )
