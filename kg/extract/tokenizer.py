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


def tune_tokenizer(nlp: Language, cache_size: int = CACHE_SIZE) -> Language:
    """Narrow ``nlp``'s hyphen infix rule in place (see the module docstring).

    Also lets the tokenizer cache more whitespace-separated chunks (spaCy's
    default is 10,000; vocabulary in abstracts is larger): a few MB of memory
    for fewer re-tokenised chunks.
    """
    infixes = tuned_infixes(list(nlp.Defaults.infixes or ()))
    tokenizer = nlp.tokenizer
    tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    suffixes = tuned_suffixes(list(nlp.Defaults.suffixes or ()))
    tokenizer.suffix_search = compile_suffix_regex(suffixes).search
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
