"""Contextual rules on hand-written sentences, including near-misses that must not match."""

from __future__ import annotations

import pytest
from extract_support import found, has


@pytest.mark.parametrize(
    "sentence, text, type_, rule",
    [
        ("Experiments use the Foobar-7 dataset for training.", "Foobar-7", "Dataset", "ctx.dataset-head"),
        ("We evaluate on the Zorblax and Quuxnet benchmarks.", "Quuxnet", "Dataset", "ctx."),
        ("Our model is evaluated on SynthDigits and NoisyLetters.", "SynthDigits", "Dataset", "ctx.dataset-after"),
        ("Our model is evaluated on SynthDigits and NoisyLetters.", "NoisyLetters", "Dataset", "ctx.dataset-after"),
        ("We obtain a high QZX score on all runs.", "QZX score", "Metric", "ctx.metric-head"),
        ("We build a Siamese-like Hopper network for matching.", "Hopper network", "Architecture", "ctx.architecture-head"),
        ("A two-layer ReLU network suffices.", "two-layer ReLU network", "Architecture", "ctx.architecture-layers"),
        ("We study glacier boundary detection in images.", "glacier boundary detection", "Task", "ctx.task-head"),
        ("A QRST-based detector is trained.", "QRST", "Method", "ctx.based"),
        ("MNIST, FooDigits and BarDigits are used.", "FooDigits", "Dataset", "ctx.coordination"),
        ("Results on the WMT 2014 English-German translation task follow.",
         "WMT 2014 English-German translation task", "Task", "ctx.benchmark-task"),
        ("It beats GhostNet and FooGAN-2 easily.", "GhostNet", "Architecture", "ctx.name-suffix"),
        ("It beats GhostNet and FooGAN-2 easily.", "FooGAN-2", "Architecture", "ctx.name-suffix"),
        ("We fine-tune BlorpBERT here.", "BlorpBERT", "Architecture", "ctx.name-suffix"),
    ],
)
def test_extract_context_rules_context(nlp, sentence, text, type_, rule):
    assert has(nlp, sentence, text, type_, rule), found(nlp, sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "We collect a training dataset of images.",  # lowercase words before "dataset"
        "This dataset is large.",
        "Our network is deep.",
        "The score is high.",
        "We evaluate on three tasks.",
        "A GPU-based implementation is fast.",  # GPU is on the not-a-name stop-list
        "We report the accurate detection of cells.",  # evaluative adjective, no task words
        "Experiments on English and German text.",  # languages are not datasets
        "Data from the Internet is noisy.",  # not a network name
        "Former methods were slow.",  # an ending needs a name before it
    ],
)
def test_extract_context_rules_context_near_misses(nlp, sentence):
    assert found(nlp, sentence) == []
