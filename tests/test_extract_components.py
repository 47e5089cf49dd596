"""Gazetteer matching (``kg_matcher``) on hand-written sentences, near-misses included."""

from __future__ import annotations

import pytest
from extract_support import found, has


@pytest.mark.parametrize(
    "sentence, text, type_",
    [
        ("We fine-tune a ResNet-50 backbone.", "ResNet-50", "Architecture"),
        ("Results on CIFAR-10 are strong.", "CIFAR-10", "Dataset"),
        ("We report the F1-score.", "F1-score", "Metric"),
        ("We optimise with Adam.", "Adam", "Method"),
        ("It improves top-1 accuracy by 2%.", "top-1 accuracy", "Metric"),
        ("Large language models are strong.", "Large language models", "Architecture"),
        ("This is about machine translation.", "machine translation", "Task"),
        ("We train U-Net models.", "U-Net", "Architecture"),
        ("We use GANs here.", "GANs", "Architecture"),
        ("Scores on GLUE improve.", "GLUE", "Dataset"),
        ("It uses LoRA adapters.", "LoRA", "Method"),
    ],
)
def test_extract_components_gazetteer(nlp, sentence, text, type_):
    assert has(nlp, sentence, text, type_, "gaz.")


@pytest.mark.parametrize(
    "sentence, text",
    [
        ("The glue holds the parts.", "glue"),  # GLUE is matched in its exact case only
        ("We map each input to a label.", "map"),  # mAP, not map
        ("Some adamant reviewers disagree.", "adam"),
        ("The mimics of the data look real.", "mimics"),  # MIMIC is exact-case: no plural trick
    ],
)
def test_extract_components_gazetteer_near_misses(nlp, sentence, text):
    assert all(t.lower() != text for t, _, _ in found(nlp, sentence))
