"""Naming rules on hand-written sentences, including near-misses that must not match."""

from __future__ import annotations

import pytest
from extract_support import found


@pytest.mark.parametrize(
    "abstract, title, text, type_, rule",
    [
        ("In this work, we propose AdaptZoo, which adapts models.", "", "AdaptZoo", "Method", "name.propose"),
        ("We introduce a new dataset called FooBench for testing.", "", "FooBench", "Dataset", "name.called"),
        ("We present a novel architecture, dubbed GlimmerNet, for vision.", "", "GlimmerNet", "Architecture", "name.called"),
        ("We introduce VisDiff, a novel diffusion-based approach.", "", "VisDiff", "Method", "name.propose"),
        ("Here ZorpQA, a new benchmark for reasoning, is released.", "", "ZorpQA", "Dataset", "name.appositive"),
        ("Iterative Feature Merging works well.", "", None, None, None),
        ("We propose Iterative Feature Merging (IFM) to merge features.", "", "Iterative Feature Merging", "Method", "name.propose"),
        ("It is good.", "Blorbo: A Benchmark for Planning", "Blorbo", "Dataset", "name.title-colon"),
        ("It is good.", "QuxLM: Adapting Models for Detection", "QuxLM", "Method", "name.title-colon"),
        ("A method called Sparse Non-negative Coding works.", "", "Sparse Non-negative Coding", "Method", "name.called"),
        ("We build a Siamese-like Hopper network.", "", "Siamese", "Architecture", "name.propose"),
    ],
)
def test_extract_naming_rules_naming(nlp, abstract, title, text, type_, rule):
    got = found(nlp, abstract, title)
    if text is None:
        assert all(not r.startswith("name.") for _, _, r in got), got
    else:
        assert (text, type_, rule) in got, got


@pytest.mark.parametrize(
    "sentence",
    [
        "We propose a novel method to align features.",
        "In this paper we propose to study the problem.",
        "We present results on the test set.",
        "Survey: recent progress.",
    ],
)
def test_extract_naming_rules_naming_near_misses(nlp, sentence):
    assert all(not r.startswith("name.") for _, _, r in found(nlp, sentence))


def test_extract_naming_rules_dataset_named_net_is_not_an_architecture(nlp):
    got = found(nlp, "A subset of it, ImageNet100, is used.")
    assert all(ty != "Architecture" for _, ty, _ in got), got


def test_extract_naming_rules_title_colon_needs_a_name(nlp):
    got = found(nlp, "Text.", "Convergent Learning: Do different networks learn the same thing?")
    assert all(r != "name.title-colon" for _, _, r in got)
