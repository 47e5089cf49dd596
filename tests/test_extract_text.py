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
