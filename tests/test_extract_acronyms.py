"""Schwartz–Hearst acronym definitions: a pure function tested on its own."""

from __future__ import annotations

import pytest

from kg.extract.acronyms import best_long_form, find_abbreviations


def pairs(text: str) -> list[tuple[str, str]]:
    return [(text[a.long_start:a.long_end], text[a.short_start:a.short_end])
            for a in find_abbreviations(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("We study Moment Probing (MP) for ViTs.", [("Moment Probing", "MP")]),
        ("Large Language Models (LLMs) are everywhere.", [("Large Language Models", "LLMs")]),
        ("we present Attention-Challenging MIL (ACMIL). ACMIL wins",
         [("Attention-Challenging MIL", "ACMIL")]),
        ("we use Stochastic Top-K Instance Masking (STKIM), which",
         [("Stochastic Top-K Instance Masking", "STKIM")]),
        ("the representation group flow (RG flow) of signals",
         [("representation group flow", "RG flow")]),
        ("Retrieval-Augmented Generation (RAG; Lewis et al.) helps",
         [("Retrieval-Augmented Generation", "RAG")]),
        ("MP (Moment Probing) works", [("Moment Probing", "MP")]),
        ("two definitions: Iterative Feature Merging (IFM) and Visual Question Answering (VQA).",
         [("Iterative Feature Merging", "IFM"), ("Visual Question Answering", "VQA")]),
        # the whole long form, never a known entity inside it
        ("We study self-supervised learning (SSL) here.", [("self-supervised learning", "SSL")]),
        ("We propose Robust Offline Reinforcement Learning (RORL), which",
         [("Robust Offline Reinforcement Learning", "RORL")]),
        ("We present Block-wisely Self-supervised Neural Architecture Search (BossNAS), an",
         [("Block-wisely Self-supervised Neural Architecture Search", "BossNAS")]),
        ("automated machine learning (AutoML) tools", [("automated machine learning", "AutoML")]),
        ('a simple "Ultra-Lightweight Subspace Attention Mechanism" (ULSAM), which',
         [("Ultra-Lightweight Subspace Attention Mechanism", "ULSAM")]),
    ],
)
def test_extract_acronyms_definitions(text, expected):
    assert pairs(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "results (see Table 1) are good",
        "an option (i) and (ii)",
        "hyper-kernels (W) and activations (Z)",
        "the GLUE benchmark (Wang et al., 2018)",
        "accuracy improves (2.5%) overall",
        "we train it (MLP) quickly",  # letters of MLP not found in "train it"
        "a model (e.g. BERT) is used",
    ],
)
def test_extract_acronyms_near_misses(text):
    assert pairs(text) == []


def test_extract_acronyms_offsets_index_the_text():
    text = "In short, Low-Rank Adaptation (LoRA) freezes weights."
    (a,) = find_abbreviations(text)
    assert text[a.short_start:a.short_end] == "LoRA"
    assert text[a.long_start:a.long_end] == "Low-Rank Adaptation"


@pytest.mark.parametrize(
    "short, candidate, start",
    [("MP", "we study Moment Probing", 9), ("LoRA", "use Low-Rank Adaptation", 4),
     ("XYZ", "nothing to see", None), ("HMM", "a hidden Markov model", 2)],
)
def test_extract_acronyms_best_long_form(short, candidate, start):
    assert best_long_form(short, candidate) == start
