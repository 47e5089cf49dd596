"""Canonical forms, corpus-wide entities as a mergeable reduce, and stable keys."""

from __future__ import annotations

import json
import random

import pytest

from kg.extract.canon import CanonSummary, apply, resolve
from kg.extract.text import canonical_form, compact, singular, slug
from kg.records import Acronym, EntityTable, Extraction, Mention


@pytest.mark.parametrize(
    "surface, expected",
    [
        ("LLMs", "llm"),
        ("LLM's", "llm"),
        ("the LLM", "llm"),
        ("Large Language Models", "large language model"),
        ("large  language models", "large language model"),
        ("Convolutional Neural Networks", "convolutional neural network"),
        ("fine‑tuned models", "fine-tuned model"),
        ("CIFAR-10", "cifar-10"),
        ("mixture of experts", "mixture of experts"),
        ("(ImageNet)", "imagenet"),
        ("corpora", "corpus"),
    ],
)
def test_extract_canon_canonical_form(surface, expected):
    assert canonical_form(surface) == expected


@pytest.mark.parametrize(
    "word, expected",
    [("GANs", "GAN"), ("networks", "network"), ("loss", "loss"), ("corpus", "corpus"),
     ("analysis", "analysis"), ("SVHN", "SVHN"), ("strategies", "strategy"), ("physics", "physics"),
     ("ResNets", "ResNet"), ("patches", "patch"), ("bus", "bus")],
)
def test_extract_canon_singular(word, expected):
    assert singular(word) == expected


@pytest.mark.parametrize(
    "a, b", [("u-net", "unet"), ("U Net", "U-Net"), ("fine-tuning", "fine tuning"), ("ResNet 50", "resnet-50")]
)
def test_extract_canon_hyphen_and_space_variants_share_a_compact_form(a, b):
    assert compact(a) == compact(b)


def test_extract_canon_slug():
    assert slug("Large Language Model") == "large-language-model"
    assert slug("Fréchet Inception Distance") == "frechet-inception-distance"
    assert slug("C++") == "c-plus-plus"
    assert slug("pass@1") == "pass-at-1"


def M(text, canonical, type_="Architecture", field="abstract"):
    return Mention(text, type_, canonical, 0, len(text), field, "gaz.architecture", 0.9)


def papers():
    return [
        Extraction("p1", "t1", [M("LLMs", "large language model"), M("Large Language Models", "large language model")],
                   [Acronym("llm", "large language model", "abstract", 0, 27)]),
        Extraction("p2", "t2", [M("LLM", "large language model"), M("U-Net", "u-net")]),
        Extraction("p3", "t3", [M("UNet", "unet"), M("Moment Probing", "moment probing", "Method"),
                                M("MP", "moment probing", "Method")],
                   [Acronym("mp", "moment probing", "abstract", 0, 19)]),
        Extraction("p4", "t4", [M("MP", "mp", "Method"), M("large language models", "large language model", "Task")]),
    ]


def test_extract_canon_resolve_groups_variants_and_acronyms():
    table = resolve(CanonSummary.of(papers()))
    llm = table.entities["large-language-model"]
    assert llm.name == "Large Language Model (LLM)"  # the full form, singular, with its acronym
    assert llm.type == "Architecture"  # 4 votes against 1
    assert llm.acronym == "LLM"
    assert llm.paper_count == 3 and llm.mention_count == 4
    assert llm.aliases == sorted(llm.aliases) and llm.name not in llm.aliases
    assert table.key_for("u-net") == table.key_for("unet") == "u-net"
    # "MP" used without a definition in p4 joins the long form p3 defined
    assert table.key_for("mp") == table.key_for("moment probing") == "moment-probing"
    assert table.key_for("nothing") is None


def test_extract_canon_merge_does_not_depend_on_partitioning():
    items = papers() * 3
    whole = resolve(CanonSummary.of(items)).to_dict()
    rng = random.Random(3)
    for _ in range(20):
        rng.shuffle(items)
        cut1, cut2 = sorted(rng.sample(range(len(items) + 1), 2))
        parts = [CanonSummary.of(items[:cut1]), CanonSummary.of(items[cut1:cut2]),
                 CanonSummary.of(items[cut2:])]
        rng.shuffle(parts)
        # through JSON, as partitions on other machines would ship them
        merged = CanonSummary.from_dict(json.loads(json.dumps(parts[0].to_dict())))
        for part in parts[1:]:
            merged.merge(CanonSummary.from_dict(json.loads(json.dumps(part.to_dict()))))
        assert resolve(merged).to_dict() == whole


def test_extract_canon_table_round_trip_and_apply():
    table = resolve(CanonSummary.of(papers()))
    again = EntityTable.from_dict(json.loads(json.dumps(table.to_dict())))
    assert again.to_dict() == table.to_dict()
    out = apply(papers()[1], again)
    assert [m.canonical for m in out.mentions] == ["large-language-model", "u-net"]
    assert papers()[1].mentions[0].canonical == "large language model"  # input untouched
    unseen = Extraction("p9", "t", [M("Mamba", "mamba")])
    assert apply(unseen, table).mentions[0].canonical == "mamba"


def test_extract_canon_keys_are_lowercase_ascii_slugs():
    table = resolve(CanonSummary.of(papers()))
    for key in table.entities:
        assert key == slug(key) and key.isascii() and key == key.lower()


def test_extract_canon_does_not_import_spacy():
    import subprocess
    import sys

    code = "import sys, kg.extract.canon, kg.extract.evaluate; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
