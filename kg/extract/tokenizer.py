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
from spacy.util import compile_infix_regex

# Capitalised second halves of hyphenated title words that are not part of a name.
TITLE_AFFIXES = (
    "Based", "Aware", "Guided", "Driven", "Free", "Like", "Level", "Specific", "Augmented",
    "Efficient", "Enhanced", "Conditioned", "Centric", "Agnostic", "Oriented", "Powered",
    "Assisted", "Supervised", "Scale", "Shot", "Grained", "Wise", "Tuned", "Tuning", "Trained",
    "Training", "Learning", "Inspired", "Style", "Informed", "Constrained", "Induced", "Generated",
    "Friendly", "Preserving", "Adaptive", "Invariant", "Robust", "Only", "Pretrained",
)

_DEFAULT_HYPHEN_INFIX = r"(?<=[{a}0-9])(?:{h})(?=[{a}])".format(a=ALPHA, h=HYPHENS)
HYPHEN_BEFORE_LOWER = r"(?<=[{a}0-9])(?:{h})(?=[{l}])".format(a=ALPHA, h=HYPHENS, l=ALPHA_LOWER)
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


def tune_tokenizer(nlp: Language) -> Language:
    """Narrow ``nlp``'s hyphen infix rule in place (see the module docstring)."""
    infixes = tuned_infixes(list(nlp.Defaults.infixes or ()))
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    return nlp
