"""Pure string helpers shared by the rules and by canonicalisation.

Nothing here imports spaCy: the graph stage uses the canonical forms too.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_DASHES = str.maketrans({"‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "−": "-", "’": "'"})
_SPACE = re.compile(r"\s+")
_EDGE_PUNCT = re.compile(r"^[\s\"'`(\[{,;:.]+|[\s\"'`)\]},;:.]+$")
_DETERMINERS = ("the ", "a ", "an ", "our ", "their ", "its ", "this ", "these ", "those ")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_POSSESSIVE = re.compile(r"(?:'s|s')$")

# Words whose final "s" is not a plural (checked on the lowercased last word).
_NOT_PLURAL_ENDINGS = ("ss", "us", "is", "ics", "ous", "ss", "ys")
_NOT_PLURAL_WORDS = frozenset(
    {
        "adas", "alpaca", "atlas", "bias", "corpus", "gas", "lens", "news", "physics", "mathematics",
        "series", "species", "analysis", "basis", "axis", "chaos", "cos", "dos", "plus", "minus",
        "has", "was", "yes", "this", "its", "less", "across", "process", "loss", "class", "mass",
        "ads", "kinetics", "robotics", "genomics", "dynamics", "semantics", "statistics", "metrics_",
        "glass", "pass", "express", "hans", "moses", "paws", "mars", "cocos", "sms", "gps", "ms",
        "vs", "ngs", "mri", "tts", "ias", "nas", "das", "los", "ros", "aws", "ios", "macos",
    }
)
_IRREGULAR = {
    "corpora": "corpus",
    "indices": "index",
    "matrices": "matrix",
    "vertices": "vertex",
    "analyses": "analysis",
    "hypotheses": "hypothesis",
    "criteria": "criterion",
    "phenomena": "phenomenon",
    "data": "data",
}


@lru_cache(maxsize=1 << 16)
def clean_surface(text: str) -> str:
    """Unify dashes and spaces and strip edge punctuation of a mention's surface form."""
    text = unicodedata.normalize("NFKC", text).translate(_DASHES)
    text = _SPACE.sub(" ", text).strip()
    return _EDGE_PUNCT.sub("", text)


def singular(word: str) -> str:
    """Singular of an English plural noun or of a pluralised acronym ("LLMs" -> "LLM").

    Deliberately conservative: words that merely end in "s" ("loss", "corpus",
    "physics", "SVHN") are left alone.
    """
    lower = word.lower()
    if lower in _IRREGULAR:
        return _IRREGULAR[lower] if word.islower() else word
    if len(word) < 3 or not word.endswith("s") or word.endswith("'s"):
        return word
    stem = word[:-1]
    if stem.isupper() and any(c.isalpha() for c in stem):  # GANs, LLMs, CNNs
        return stem
    if any(c.isdigit() for c in word) or word.isupper():
        return word
    if lower in _NOT_PLURAL_WORDS or lower.endswith(_NOT_PLURAL_ENDINGS):
        return word
    if lower.endswith("ies") and len(word) > 4:
        return word[:-3] + ("y" if word[-3].islower() else "Y")
    if lower.endswith(("ches", "shes", "xes", "sses", "zes")):
        return word[:-2]
    return stem


@lru_cache(maxsize=1 << 17)
def canonical_form(text: str) -> str:
    """The per-paper canonical form of a surface string.

    Lowercased, dashes and spacing unified, leading determiners and a
    possessive removed, the last word made singular: "LLMs", "LLM's" and
    "the LLM" all give "llm"; "Convolutional Neural Networks" gives
    "convolutional neural network".
    """
    text = clean_surface(text)
    text = _POSSESSIVE.sub("", text)
    lower = text.lower()
    for det in _DETERMINERS:
        if lower.startswith(det):
            text = text[len(det):]
            break
    parts = text.split(" ")
    if parts and parts[-1] and not any(p.lower() in ("of", "for", "with") for p in parts[1:-1]):
        last = parts[-1]
        if "-" in last:  # "fine-tuned models" style: singularise the final segment only
            head, _, tail = last.rpartition("-")
            last = f"{head}-{singular(tail)}" if tail else last
        else:
            last = singular(last)
        parts[-1] = last
    return " ".join(parts).lower()


def slug(text: str) -> str:
    """Lowercase ASCII slug: "Large Language Model" -> "large-language-model"."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.lower().replace("+", " plus ").replace("@", " at ")
    return _NON_ALNUM.sub("-", text).strip("-") or "x"


def compact(text: str) -> str:
    """Separator-free form used to group hyphen and space variants ("U-Net" = "UNet" = "u net")."""
    return slug(text).replace("-", "")


def is_acronym_like(text: str) -> bool:
    """Short forms such as "LLM", "MP", "ResNet" style mixed case names of up to 10 letters."""
    letters = [c for c in text if c.isalpha()]
    if not letters or len(text) > 12 or " " in text:
        return False
    upper = sum(1 for c in letters if c.isupper())
    return upper >= 2 or (upper >= 1 and len(letters) <= 3 and text[0].isupper())


# A sentence ends at . ! or ? (plus closing quotes or brackets) before a space and a
# capital or digit, except after an abbreviation or an initial: each exception is a
# fixed-width look-behind, so the whole split is one regex scan.
_ABBREVIATIONS = frozenset(
    {"e.g", "i.e", "al", "vs", "cf", "fig", "figs", "eq", "eqs", "sec", "tab", "no", "etc",
     "approx", "resp", "dr", "mr", "ms", "st", "ref", "refs", "def", "prop"}
)
# Candidate sentence ends: punctuation (and a closing bracket or quote), one or more spaces,
# then a capital, a digit, or an opening bracket or quote. Each pattern starts with a literal,
# which the regular expression engine finds as fast as str.find; a character class in first
# place would make it test every position of the text.
_ENDS = (
    (".", re.compile(r"\.[)\"'\]]? +(?=[A-Z0-9\"'(\[])")),
    ("?", re.compile(r"\?[)\"'\]]? +(?=[A-Z0-9\"'(\[])")),
    ("!", re.compile(r"![)\"'\]]? +(?=[A-Z0-9\"'(\[])")),
)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of one-line text.

    A sentence ends at ".", "!" or "?" (plus a closing quote or bracket)
    followed by space and a capital or digit, except after common
    abbreviations ("e.g.", "et al.", "Fig.") and single initials.

    >>> split_sentences("We use e.g. BERT. It works (see Fig. 2). Done!")
    [(0, 17), (18, 40), (41, 46)]
    """
    if "?" in text or "!" in text:
        found: list[tuple[int, int]] = []  # (punctuation, next start)
        for guard, pattern in _ENDS:
            if guard in text:
                found.extend(m.span() for m in pattern.finditer(text))
        found.sort()
    else:  # the common case: full stops only, found in text order by one scan
        found = [m.span() for m in _ENDS[0][1].finditer(text)]
    spans: list[tuple[int, int]] = []
    start = len(text) - len(text.lstrip(" "))
    for dot, nxt in found:
        # the sentence ends after the punctuation and its closing bracket or quote, if any
        stop = dot + 2 if text[dot + 1] != " " else dot + 1
        if stop <= start:
            continue
        if text[nxt] in "\"'([" and not (
                nxt + 1 < len(text) and (text[nxt + 1].isupper() or text[nxt + 1].isdigit())):
            continue
        if text[dot] == ".":
            # an abbreviation or an initial is a short word: look back at most 7 characters
            space = text.rfind(" ", max(0, dot - 7), dot)
            if space != -1 or dot <= 7:
                word = text[space + 1:dot].lstrip("(")
                if (len(word) == 1 and word.isalpha()) or word.lower() in _ABBREVIATIONS:
                    continue
        spans.append((start, stop))
        start = nxt
    end = len(text.rstrip())
    if end > start:
        spans.append((start, end))
    return spans
