"""Acronym definitions ("Moment Probing (MP)") found with the Schwartz–Hearst algorithm.

Schwartz & Hearst (2003), "A simple algorithm for identifying abbreviation
definitions in biomedical text". ``find_abbreviations`` is a pure function
over one string, tested on its own; the spaCy component only calls it.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_PAREN = re.compile(r"\(([^()]{1,60})\)")
_WORD = re.compile(r"[^\s]+")
_CLAUSE_BREAK = re.compile(r"[.;:!?]\s|[.;:!?]$|\)\s|\(")
_CUT = re.compile(r"[;,]\s")
_NOT_SHORT = frozenset(
    {"e.g", "e.g.", "i.e", "i.e.", "etc", "see", "cf", "cf.", "ours", "resp", "resp."}
)


class Abbreviation(NamedTuple):
    """Character spans of a long form and its short form in the same text."""

    long_start: int
    long_end: int
    short_start: int
    short_end: int


def _valid_short(short: str) -> bool:
    if not 2 <= len(short) <= 12 or short.lower() in _NOT_SHORT:
        return False
    if len(short.split()) > 2 or not short[0].isalnum():
        return False
    letters = [c for c in short if c.isalpha()]
    if not letters or not any(c.isupper() for c in letters):
        return False
    if short.replace(".", "").replace(",", "").replace("%", "").strip().isdigit():
        return False
    return not (len(letters) == 1 and len(short) <= 2)  # "(a)", "(B)", "(1a)"


def best_long_form(short: str, candidate: str) -> int | None:
    """Start index in ``candidate`` of the long form that ``short`` abbreviates.

    Every letter or digit of the short form must appear, in order, in the long
    form, and its first character must start the long form's first word. Of
    the long forms that qualify (one per word start), the one whose characters
    fall on the most word starts wins, then the shortest: "self-supervised
    learning" for SSL, never the "supervised learning" inside it whose second
    S would be an inner letter; "Robust Offline Reinforcement Learning" for
    RORL, never "Reinforcement Learning" read as R-o-r-L. Returns None when no
    long form qualifies.
    """
    lowered = candidate.lower()
    chars = [ch for ch in short.lower() if ch.isalnum()]
    if not chars:
        return None
    # a word starts at 0 and after every character that is no letter or digit
    initial = [True, *[not ch.isalnum() for ch in candidate[:-1]]] if candidate else []
    slots = _slots_of(chars)
    best: tuple[int, int] | None = None  # (initials matched, start)
    for start in range(len(candidate) - 1, -1, -1):
        if not initial[start] or lowered[start] != chars[0]:
            continue
        score = _initials(lowered, initial, chars, start, slots)
        if score is not None and (best is None or score > best[0]):
            best = (score, start)
    return None if best is None else best[1]


def _slots_of(chars: list[str]) -> dict[str, tuple[int, ...]]:
    """Each character's places in ``chars`` after the first, last first (the order in which
    ``_initials`` updates them)."""
    slots: dict[str, list[int]] = {}
    for j in range(len(chars) - 1, 0, -1):
        slots.setdefault(chars[j], []).append(j)
    return {ch: tuple(js) for ch, js in slots.items()}


def _initials(lowered: str, initial: list[bool], chars: list[str], start: int,
              slots: dict[str, tuple[int, ...]] | None = None) -> int | None:
    """Most word starts the characters ``chars`` (the first at ``start``) can fall on,
    matched in order within ``lowered[start:]``; None when they cannot all be matched.
    ``slots``: ``_slots_of(chars)``, so that a character of the text is compared only
    with the places of ``chars`` that hold it."""
    if slots is None:
        slots = _slots_of(chars)
    # score[j]: best initials for chars[:j+1] with chars[j] matched at or before position i
    neg = -1
    score = [neg] * len(chars)
    score[0] = 1
    get = slots.get
    for i in range(start + 1, len(lowered)):
        places = get(lowered[i])
        if places is None:
            continue
        bonus = 1 if initial[i] else 0
        for j in places:
            before = score[j - 1]
            if before != neg and before + bonus > score[j]:
                score[j] = before + bonus
    return None if score[-1] == neg else score[-1]


_TRAILING = frozenset(" \"'\u201d\u2019`")


def _long_form(text: str, short: str, paren_start: int) -> tuple[int, int] | None:
    """Look left of "(" for the long form of ``short``: at most min(|A|+5, 2|A|) words,
    never across a clause break."""
    end = paren_start
    while end > 0 and text[end - 1] in _TRAILING:  # 'Attention Mechanism" (ULSAM)'
        end -= 1
    window_start = max(0, end - 160)
    for match in _CLAUSE_BREAK.finditer(text, window_start, end):
        window_start = match.end()
    # the last max_words whitespace-separated words of the window: str.split finds the
    # same words as _WORD, and with maxsplit its last piece starts at the first one wanted
    window = text[window_start:end]
    words = window.split()
    if not words:
        return None
    max_words = min(len(short) + 5, len(short) * 2)
    if any(c.islower() for c in short):  # "AutoML", "BossNAS": a word, whose capitals mark the parts
        max_words = min(max_words, max(2, sum(c.isupper() for c in short) + 2))
    if len(words) > max_words:
        window = window.split(None, len(words) - max_words)[-1]
    else:
        window = window.lstrip()
    cand_start = end - len(window)
    candidate = window
    rel = best_long_form(short, candidate)
    if rel is None:
        return None
    start = cand_start + rel
    long_text = text[start:end]
    if len(long_text) <= len(short):
        return None
    single_word = " " not in long_text and "-" not in long_text
    if single_word and len(long_text) <= len(short) + 2:
        return None
    if short.lower() in long_text.lower().split():
        return None
    return start, end


def _parentheses(text: str):
    """``_PAREN`` matches, looked for only where "(" occurs (str.find is much faster than
    a regular expression scanning every character)."""
    i = text.find("(")
    while i != -1:
        match = _PAREN.match(text, i)
        if match is not None:
            yield match
        i = text.find("(", i + 1)


def find_abbreviations(text: str) -> list[Abbreviation]:
    """Every "long form (SF)" definition in ``text``, also "SF (long form)".

    >>> text = "We study Moment Probing (MP) for ViTs."
    >>> [(text[a.long_start:a.long_end], text[a.short_start:a.short_end])
    ...  for a in find_abbreviations(text)]
    [('Moment Probing', 'MP')]
    """
    found: list[Abbreviation] = []
    for match in _parentheses(text):
        inner = match.group(1)
        head = inner[:14]
        if head.islower() or not any(c.isupper() for c in head):
            continue  # "(see below)", "(i)", "(2019)": no short form starts lowercase
        inner_start = match.start(1)
        # "(MP; Smith 2020)" or "(MP, for short)": the short form is the first part
        cut = _CUT.search(inner)
        short = inner[: cut.start()] if cut else inner
        short_stripped = short.strip()
        lead = len(short) - len(short.lstrip())
        if _valid_short(short_stripped):
            span = _long_form(text, short_stripped, match.start())
            if span is not None:
                s0 = inner_start + lead
                found.append(Abbreviation(span[0], span[1], s0, s0 + len(short_stripped)))
                continue
        # reversed order: "MP (Moment Probing)"
        if len(inner.split()) >= 2 and not cut:
            before = text[: match.start()].rstrip()
            words = list(_WORD.finditer(before, max(0, len(before) - 13)))
            last = words[-1] if words else None
            if last is not None:
                candidate_short = last.group(0)
                if _valid_short(candidate_short) and candidate_short.isupper():
                    rel = best_long_form(candidate_short, inner)
                    if rel == 0:
                        found.append(
                            Abbreviation(inner_start, match.end(1), last.start(), last.end())
                        )
    return found
