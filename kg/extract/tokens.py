"""Token views and name shapes: what every contextual and naming rule reads.

A ``TokenView`` holds one text's token offsets, read once from a ``Doc`` with no
Token objects; the name tests (``strong_name``, ``is_name``) and name bounds
(``name_start``, ``name_end``) are plain functions over it, so the rule
families in ``context_rules`` and ``naming_rules`` are testable without spaCy
components.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from spacy.attrs import IDX, LENGTH

from kg.extract.overlaps import Candidate, new_candidate
from kg.extract.text import canonical_form
from kg.extract.tokenizer import TEXT_KEY

_VERSION = re.compile(r"^(?:v|V)?\d+(?:\.\d+)*[a-zA-Z]?$")
SENTENCE_BREAK = frozenset({".", "!", "?", ";", ":"})
_BEFORE_SENTENCE = SENTENCE_BREAK | {'"', "("}  # a token after one of these starts a sentence
_CONNECT_IN_NAME = frozenset({"-", "/", "&", "+", "++"})
_SIZE_UNITS = frozenset({"K", "k", "M", "B"})
# "-like", "-based" ... end a name rather than continue it ("Siamese-like Hopper network")
_NOT_GLUED = frozenset({"like", "based", "style", "inspired", "driven", "guided", "aware", "free",
                        "specific", "level", "wise", "only", "agnostic", "oriented", "centric"})
_OFFSET_ATTRS = [IDX, LENGTH]


class LazyWords:
    """Token texts sliced from the text on demand: rules look at few tokens, and
    slicing every token of every text up front was a fifth of the run time."""

    __slots__ = ("text", "starts", "ends")

    def __init__(self, text: str, starts: Sequence[int], ends: Sequence[int]) -> None:
        self.text, self.starts, self.ends = text, starts, ends

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, i):
        try:
            return self.text[self.starts[i]:self.ends[i]]
        except TypeError:  # a slice of tokens
            return [self.text[a:b] for a, b in zip(self.starts[i], self.ends[i], strict=True)]

    def __iter__(self):
        text = self.text
        for a, b in zip(self.starts, self.ends, strict=True):
            yield text[a:b]


@dataclass(slots=True)
class TokenView:
    """Token texts and character offsets of one text, read once from a Doc
    (``words[i] == text[starts[i]:ends[i]]``)."""

    text: str
    words: Sequence[str]
    starts: Sequence[int]
    ends: Sequence[int]
    title_case: bool | None = False  # None: not looked at yet (see ``is_title_case``)
    pos: list[str] | None = None  # part-of-speech tags when a statistical pipeline ran

    @classmethod
    def from_doc(cls, doc, pos: bool = False) -> TokenView:
        """Token texts and offsets read from one array, with no Token objects: iterating
        Token objects (which ``doc.text`` also does) costs more than tokenizing."""
        text = doc.user_data.get(TEXT_KEY)
        if text is None:
            text = doc.text
        if len(doc):
            # one array of (start, length) rows turned into (start, end) in place, read
            # through a memoryview: indexing it gives plain ints, and no list of a few
            # hundred ints is built (and freed) per text when the rules read a few dozen
            arr = doc.to_array(_OFFSET_ATTRS)
            arr[:, 1] += arr[:, 0]
            flat = memoryview(arr).cast("B").cast("Q")
            starts, ends = flat[::2], flat[1::2]
        else:
            starts, ends = [], []
        view = cls(text, LazyWords(text, starts, ends), starts, ends, None)
        if pos:
            view.pos = [t.pos_ for t in doc]
        return view

    def is_title_case(self) -> bool:
        """``looks_title_case(text)``, worked out the first time a rule asks."""
        found = self.title_case
        if found is None:
            found = self.title_case = looks_title_case(self.text)
        return found

    def end(self, i: int) -> int:
        """Character end of token ``i``."""
        return self.ends[i]


_LONG_WORD = re.compile(r"(?<![\w-])[A-Za-z][a-z]{3,}")


def looks_title_case(text: str) -> bool:
    """True for Title Case text (most titles): capitals there are no sign of a name."""
    if len(text) > 300:  # an abstract
        return False
    # a capitalised long word is a long word whose first letter is a capital: one scan
    words = _LONG_WORD.findall(text)
    total = len(words)
    upper = sum(1 for w in words if w[0] <= "Z")
    if total < 3:
        return total > 0 and upper == total
    return upper >= 0.6 * total


@lru_cache(maxsize=1 << 16)
def strong_name(word: str) -> bool:
    """A token that looks like a name whatever its position: "CIFAR-10", "AdaptCLIP", "mAP"."""
    if len(word) < 2:
        return False
    has_alpha = False
    upper = 0
    digit = False
    for ch in word:
        if ch.isalpha():
            has_alpha = True
            if ch.isupper():
                upper += 1
        elif ch.isdigit():
            digit = True
    if not has_alpha or not word[0].isalpha():
        return False
    if upper >= 2:
        return True
    if digit and (upper or len(word) <= 12):
        return word[0].isalpha() or upper > 0
    return upper == 1 and not word[0].isupper()  # "mAP", "wav2vec"-like inner capital


def is_name(view: TokenView, i: int, not_names: frozenset[str]) -> bool:
    """Is token ``i`` name-like: strongly so, or a capitalised word mid-sentence?"""
    # the rules' most frequent question: token texts are sliced here directly
    # (view.words[i] is the same string, through one more call)
    text, starts, ends = view.text, view.starts, view.ends
    word = text[starts[i]:ends[i]]
    if word in not_names:
        return False
    if strong_name(word):
        return True
    if view.pos is not None and view.pos[i] != "PROPN":
        return False
    return (
        len(word) > 1
        and word[0].isupper()
        and word[1:].islower()
        and word.isalpha()
        and not view.is_title_case()
        and not (i == 0 or text[starts[i - 1]:ends[i - 1]] in _BEFORE_SENTENCE)
    )


def name_end(view: TokenView, i: int, not_names: frozenset[str], max_tokens: int = 5) -> int:
    """Given a name-like token at ``i``, the end (exclusive) of the name it starts.

    A name goes on over further name-like tokens, version numbers ("SQuAD
    2.0", "Llama 2"), connectors between names ("CNN/Daily Mail") and
    hyphenated words glued to it ("Multi-head Attention", "Non-negative").
    """
    j = i + 1
    starts, ends = view.starts, view.ends
    n = len(starts)
    while j < n and j - i < max_tokens:
        word = view.text[starts[j]:ends[j]]
        if is_name(view, j, not_names) or _VERSION.match(word) or (
                word in _SIZE_UNITS and view.words[j - 1][-1:].isdigit()):
            j += 1  # "ImageNet-1 K": a size unit after a number is part of the name
        elif word in _CONNECT_IN_NAME and j + 1 < n and starts[j] == ends[j - 1] and (
                is_name(view, j + 1, not_names)
                or (word == "-" and starts[j + 1] == ends[j] and view.words[j + 1].isalpha()
                    and view.words[j + 1].lower() not in _NOT_GLUED)):
            j += 2
        else:
            break
    return j


def name_start(view: TokenView, j: int, not_names: frozenset[str], max_tokens: int = 4) -> int:
    """Given a name ending before token ``j``, where it starts (``j`` if no name ends there)."""
    i = j
    while i > 0 and j - i < max_tokens:
        word = view.words[i - 1]
        if is_name(view, i - 1, not_names) or (i < j and _VERSION.match(word) and i - 1 > 0) or (
                word in _SIZE_UNITS and i - 2 >= 0 and view.words[i - 2][-1:].isdigit()
                and strong_name(view.words[i - 2])):  # "ImageNet-1 K", never "1.2 M images"
            i -= 1
        elif word in _CONNECT_IN_NAME and i - 2 >= 0 and i < j and \
                is_name(view, i - 2, not_names) and view.starts[i] == view.end(i - 1):
            i -= 2
        else:
            break
    # a name never starts with a bare version number
    while i < j and _VERSION.match(view.words[i]) and not strong_name(view.words[i]):
        i += 1
    return i


def candidate(view: TokenView, i: int, j: int, etype: str, rule: str, conf: float) -> Candidate:
    s, e = view.starts[i], view.ends[j - 1]
    return new_candidate(Candidate, (s, e, etype, rule, conf, canonical_form(view.text[s:e])))
