"""Sentence spans and tokenizer tuning."""

from __future__ import annotations

import pytest
import spacy

from kg.extract.text import split_sentences
from kg.extract.tokenizer import tune_tokenizer


@pytest.mark.parametrize(
    "text, expected",
    [
        ("We use e.g. BERT. It works (see Fig. 2). Done!",
         ["We use e.g. BERT.", "It works (see Fig. 2).", "Done!"]),
        ("Smith et al. show this. Next one.", ["Smith et al. show this.", "Next one."]),
        ("Accuracy is 95.3 percent. We win.", ["Accuracy is 95.3 percent.", "We win."]),
        ("A title without a full stop", ["A title without a full stop"]),
        ("J. Smith wrote it. Fine.", ["J. Smith wrote it.", "Fine."]),
        ("", []),
    ],
)
def test_extract_text_sentences(text, expected):
    assert [text[s:e] for s, e in split_sentences(text)] == expected


@pytest.fixture(scope="module")
def tokenizer():
    return tune_tokenizer(spacy.blank("en")).tokenizer


@pytest.mark.parametrize(
    "text, tokens",
    [
        ("ResNet-50 and GPT-4 on CIFAR-10", ["ResNet-50", "and", "GPT-4", "on", "CIFAR-10"]),
        ("U-Net, ROUGE-L, ViT-B/16, T5-XXL", ["U-Net", ",", "ROUGE-L", ",", "ViT-B/16", ",", "T5-XXL"]),
        ("F1-score", ["F1", "-", "score"]),
        ("Transformer-based two-layer nets", ["Transformer", "-", "based", "two", "-", "layer", "nets"]),
        ("Diffusion-Based Editing", ["Diffusion", "-", "Based", "Editing"]),
        ("Mask R-CNN (MP).", ["Mask", "R-CNN", "(", "MP", ")", "."]),
        ("on ImageNet-1K, MNIST-C. and GPT-4V.", ["on", "ImageNet-1K", ",", "MNIST-C", ".", "and", "GPT-4V", "."]),
        ("a 7B model with 100M parameters", ["a", "7B", "model", "with", "100M", "parameters"]),
    ],
)
def test_extract_text_tokenizer_keeps_names(tokenizer, text, tokens):
    assert [t.text for t in tokenizer(text)] == tokens


def _spans(matches):
    return [(m.start(), m.end()) for m in matches]


def test_extract_text_affix_short_cuts_match_the_plain_regexes(tokenizer):
    import random
    import string

    suffix = tokenizer.suffix_search.__self__
    infix = tokenizer.infix_finditer.__self__
    # the short cuts are on for the tuned English rules
    assert suffix.alnum_free and infix.alnum_free
    assert suffix.width == 3 and suffix.guards == ("..",)
    assert suffix.by_last is not None and suffix.by_last["e"] is None
    assert suffix.by_last[","] is not None and "\n" not in suffix.by_last
    rng = random.Random(3)
    alphabet = [*string.printable, *"’…–—“”£°é©😀", "US$", "'s", "..", "°C", "°F."]
    words = ["ImageNet-1K.", "GPT-4V.", "model's", "e.g.", "wait...", "(CNN),", "1990s", "5°C.",
             "US$5", "a/b", "x\n", "", "ResNet50"]
    words += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(20000)]
    for word in words:
        found, plain = suffix.search(word), suffix.regex.search(word)
        assert _spans([found] if found else []) == _spans([plain] if plain else []), word
        assert _spans(infix.finditer(word)) == _spans(infix.regex.finditer(word)), word


def test_extract_text_affix_regexes_survive_serialisation(tokenizer):
    # spaCy writes the regex source of suffix_search and infix_finditer
    restored = spacy.blank("en").tokenizer.from_bytes(tokenizer.to_bytes())
    text = "ResNet-50, CIFAR-10... and GPT-4V. (e.g. ROUGE-L)"
    assert [t.text for t in restored(text)] == [t.text for t in tokenizer(text)]
