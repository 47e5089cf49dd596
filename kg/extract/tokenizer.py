"""Tokenizer tuning so that model and dataset names survive as tokens.

spaCy's English infixes split every hyphen between letters, so "U-Net",
"ROUGE-L", "ViT-B/16" and "T5-XXL" fall apart. Here a hyphen is split only
when a lowercase word follows ("Transformer-based", "F1-score",
"two-layer"), or before a capitalised affix common in titles
("Diffusion-Based"); a hyphen before a capital or a digit binds ("GPT-4",
"CIFAR-10", "U-Net"). Gazetteer patterns go through the same tokenizer, so
"F1-score" still matches as a phrase.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator, Sequence

from spacy.lang.char_classes import ALPHA, ALPHA_LOWER, HYPHENS
from spacy.language import Language
from spacy.util import compile_infix_regex, compile_suffix_regex

# Capitalised second halves of hyphenated title words that are not part of a name.
TITLE_AFFIXES = (
    "Based", "Aware", "Guided", "Driven", "Free", "Like", "Level", "Specific", "Augmented",
    "Efficient", "Enhanced", "Conditioned", "Centric", "Agnostic", "Oriented", "Powered",
    "Assisted", "Supervised", "Scale", "Shot", "Grained", "Wise", "Tuned", "Tuning", "Trained",
    "Training", "Learning", "Inspired", "Style", "Informed", "Constrained", "Induced", "Generated",
    "Friendly", "Preserving", "Adaptive", "Invariant", "Robust", "Only", "Pretrained",
)

_DEFAULT_HYPHEN_INFIX = rf"(?<=[{ALPHA}0-9])(?:{HYPHENS})(?=[{ALPHA}])"
HYPHEN_BEFORE_LOWER = rf"(?<=[{ALPHA}0-9])(?:{HYPHENS})(?=[{ALPHA_LOWER}])"
HYPHEN_BEFORE_AFFIX = r"(?<=[{a}0-9])-(?=(?:{w})\b)".format(a=ALPHA, w="|".join(TITLE_AFFIXES))


def tuned_infixes(infixes: list[str]) -> list[str]:
    """Return a copy of ``infixes`` with the letter-hyphen-letter rule narrowed."""
    out = []
    replaced = False
    for pattern in infixes:
        if pattern == _DEFAULT_HYPHEN_INFIX:
            out.extend([HYPHEN_BEFORE_LOWER, HYPHEN_BEFORE_AFFIX])
            replaced = True
        else:
            out.append(pattern)
    if not replaced:  # a language whose defaults differ: add ours, keep theirs
        out.extend([HYPHEN_BEFORE_LOWER, HYPHEN_BEFORE_AFFIX])
    return out


CACHE_SIZE = 100_000


# A final full stop after a name that ends in a capital ("MNIST-C.", "ImageNet-1K.",
# "GPT-4V."): spaCy's suffixes leave it on the token, which then matches no pattern.
EXTRA_SUFFIXES = (r"(?<=[0-9][A-Za-z])\.", r"(?<=-[A-Z])\.")


def tuned_suffixes(suffixes: list[str]) -> list[str]:
    """A copy of ``suffixes`` without the unit rule ("1K", "7B", "100M" stay whole: in ML
    text they are sizes inside names like "ImageNet-1K" and "Llama-2-7B"), plus
    ``EXTRA_SUFFIXES``."""
    out = [p for p in suffixes if not (p.startswith("(?<=[0-9])(?:km|") )]
    return [*out, *EXTRA_SUFFIXES]


# --- affix search without scanning every position of a chunk ------------------------------
#
# spaCy tries the suffix regex (84 alternatives, each ending in "$") and the infix regex
# at every position of each chunk it has not cached: most of the time spent on a new chunk.
# Two exact short cuts, decided from the parsed rules when the tokenizer is built:
# * a suffix match is no longer than its longest alternative, so the search can start
#   that many characters before the end (look-behinds still see the text before it);
#   alternatives of unbounded length (spaCy's "\.\.+") fall back to the full search
#   whenever their literal start ("..") occurs;
# * when every alternative consumes a character other than an ASCII letter or digit,
#   a chunk of ASCII letters and digits has no match at all;
# * a suffix match ends with the chunk's last character, so only the alternatives that
#   can end with it are tried (one small regex per group of ASCII last characters).

_ALNUM = frozenset(string.ascii_letters + string.digits)


def _parse(pattern: str):
    from re import _parser  # the stdlib's regex parser (sre_parse before 3.11)

    return _parser.parse(pattern), _parser


def _set_may_hold_alnum(items, ops) -> bool:
    """May a character class (parsed ``IN`` items) match an ASCII letter or digit?"""
    for op, av in items:
        if op is ops.LITERAL:
            if chr(av) in _ALNUM:
                return True
        elif op is ops.RANGE:
            if any(av[0] <= ord(c) <= av[1] for c in _ALNUM):
                return True
        else:  # NEGATE, CATEGORY and anything else: assume it may
            return True
    return False


def _consumes_non_alnum(items, ops) -> bool:
    """Does every match of the parsed sequence consume a character that is not an
    ASCII letter or digit? (False when unsure.)"""
    for op, av in items:
        if op is ops.LITERAL and chr(av) not in _ALNUM:
            return True
        if op is ops.IN and not _set_may_hold_alnum(av, ops):
            return True
        if op is ops.BRANCH and all(_consumes_non_alnum(b, ops) for b in av[1]):
            return True
        if op is ops.SUBPATTERN and _consumes_non_alnum(av[-1], ops):
            return True
        if op in (ops.MAX_REPEAT, ops.MIN_REPEAT) and av[0] >= 1 and \
                _consumes_non_alnum(av[2], ops):
            return True
    return False


def _class_ranges(items, ops) -> list[tuple[int, int]] | None:
    """Code point ranges of a parsed character class (None: negated or a category)."""
    out = []
    for op, av in items:
        if op is ops.LITERAL:
            out.append((av, av))
        elif op is ops.RANGE:
            out.append(av)
        else:
            return None
    return out


def _last_chars(items, ops) -> list[tuple[int, int]] | None:
    """Code point ranges the last character of any match of the parsed sequence lies
    in (None when unsure)."""
    for op, av in reversed(list(items)):
        if op in (ops.ASSERT, ops.ASSERT_NOT, ops.AT):
            continue  # zero width: the character before decides
        if op is ops.LITERAL:
            return [(av, av)]
        if op is ops.IN:
            return _class_ranges(av, ops)
        if op is ops.BRANCH:
            out: list[tuple[int, int]] = []
            for branch in av[1]:
                found = _last_chars(branch, ops) if branch.getwidth()[0] > 0 else None
                if found is None:
                    return None
                out.extend(found)
            return out
        if op is ops.SUBPATTERN and av[-1].getwidth()[0] > 0:
            return _last_chars(av[-1], ops)
        if op in (ops.MAX_REPEAT, ops.MIN_REPEAT) and av[0] >= 1:
            return _last_chars(av[2], ops)
        return None
    return None


def _literal_start(items, ops) -> str:
    """The literal text every match of the parsed sequence starts with ("" if none)."""
    out = []
    for op, av in items:
        if op is ops.LITERAL:
            out.append(chr(av))
        elif op in (ops.MAX_REPEAT, ops.MIN_REPEAT) and av[0] >= 1 and len(av[2]) == 1 \
                and av[2][0][0] is ops.LITERAL:
            out.append(chr(av[2][0][1]))
            break
        else:
            break
    return "".join(out)


class _AffixRegex:
    """A compiled affix regex with the facts the short cuts need. ``pattern`` is the
    regex source, which is what spaCy serialises for ``suffix_search`` and
    ``infix_finditer`` (a reloaded tokenizer compiles it and gives the same tokens)."""

    def __init__(self, regex: re.Pattern[str], entries: Sequence[str]) -> None:
        self.regex = regex
        self.pattern = regex.pattern
        self.alnum_free = False
        self.width: int | None = None  # longest match, if bounded apart from the guards
        self.guards: tuple[str, ...] = ()  # literal starts of the unbounded alternatives
        # ASCII last character -> a regex of the alternatives that can end with it, or None
        # when none can (suffix search only)
        self.by_last: dict[str, re.Pattern[str] | None] | None = None
        entries = [e for e in entries if e.strip()]  # as spaCy's compile_*_regex keep them
        try:
            parsed = [_parse(e) for e in entries]
        except Exception:  # noqa: BLE001 - an unparsable rule: keep the plain regex
            return
        if not parsed:
            return
        ops = parsed[0][1]
        last = [_last_chars(p, ops) for p, _ in parsed]
        if all(ranges is not None for ranges in last):
            groups: dict[tuple[int, ...], re.Pattern[str] | None] = {}
            by_last: dict[str, re.Pattern[str] | None] = {}
            for code in range(128):
                if code == 10:
                    continue  # "$" also matches before a final newline: the full regex
                picked = tuple(k for k, ranges in enumerate(last)
                               if any(lo <= code <= hi for lo, hi in ranges))
                if picked not in groups:
                    groups[picked] = re.compile("|".join(entries[k] + "$" for k in picked)) \
                        if picked else None
                by_last[chr(code)] = groups[picked]
            self.by_last = by_last
        self.alnum_free = all(_consumes_non_alnum(p, ops) for p, _ in parsed)
        width, guards = 0, []
        for p, _ in parsed:
            hi = p.getwidth()[1]
            if hi < ops.MAXREPEAT:
                width = max(width, hi)
                continue
            guard = _literal_start(p, ops)
            if not guard:
                return  # unbounded with no literal start: always search the whole chunk
            guards.append(guard)
        self.width, self.guards = width, tuple(guards)


class SuffixSearch(_AffixRegex):
    """``suffix_search`` for spaCy's tokenizer: the same match as ``regex.search``."""

    def search(self, text: str) -> re.Match[str] | None:
        if self.alnum_free and text.isascii() and text.isalnum():
            return None
        width = self.width
        if width is None or not text or any(g in text for g in self.guards):
            return self.regex.search(text)
        regex = self.regex
        if self.by_last is not None:
            regex = self.by_last.get(text[-1], regex)
            if regex is None:
                return None  # no alternative ends with this character
        # every alternative ends in "$", which also matches before a final newline: one
        # more character of margin
        return regex.search(text, max(0, len(text) - width - 1))


class InfixFinditer(_AffixRegex):
    """``infix_finditer`` for spaCy's tokenizer: the same matches as ``regex.finditer``."""

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        if self.alnum_free and text.isascii() and text.isalnum():
            return iter(())
        return self.regex.finditer(text)


def tune_tokenizer(nlp: Language, cache_size: int = CACHE_SIZE) -> Language:
    """Narrow ``nlp``'s hyphen infix rule in place (see the module docstring).

    Also lets the tokenizer cache more whitespace-separated chunks (spaCy's
    default is 10,000; vocabulary in abstracts is larger): a few MB of memory
    for fewer re-tokenised chunks; and searches suffixes and infixes with the
    exact short cuts above.
    """
    infixes = tuned_infixes(list(nlp.Defaults.infixes or ()))
    tokenizer = nlp.tokenizer
    tokenizer.infix_finditer = InfixFinditer(compile_infix_regex(infixes), infixes).finditer
    suffixes = tuned_suffixes(list(nlp.Defaults.suffixes or ()))
    tokenizer.suffix_search = SuffixSearch(compile_suffix_regex(suffixes), suffixes).search
    if hasattr(tokenizer, "max_cache_size"):
        tokenizer.max_cache_size = max(tokenizer.max_cache_size, cache_size)
    return nlp


TEXT_KEY = "kg_text"


class TextKeepingTokenizer:
    """Wraps a tokenizer and keeps the input string in ``doc.user_data["kg_text"]``.

    ``Doc.text`` rebuilds the string from Token objects, which costs more than
    tokenizing; the components read the kept string instead. Everything else
    (serialisation, special cases, ``pipe``) is the wrapped tokenizer's.
    """

    def __init__(self, tokenizer) -> None:
        self.tokenizer = tokenizer

    def __call__(self, text: str):
        doc = self.tokenizer(text)
        doc.user_data[TEXT_KEY] = text
        return doc

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)

    def __getattr__(self, name: str):
        return getattr(self.tokenizer, name)


def keep_text(nlp: Language) -> Language:
    """Install ``TextKeepingTokenizer`` (once) on ``nlp``."""
    if not isinstance(nlp.tokenizer, TextKeepingTokenizer):
        nlp.tokenizer = TextKeepingTokenizer(nlp.tokenizer)
    return nlp
