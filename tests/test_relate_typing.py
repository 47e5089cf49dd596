"""relate(): paper -> entity typing and entity -> entity patterns on marked-up sentences."""

from __future__ import annotations

import re

import pytest

from kg.records import Extraction, Mention, Paper
from kg.relate import relate

_MARK = re.compile(r"\[([^\]|]+)\|(\w+)\]")


def marked(abstract: str, title: str = "A paper", rule: str = "test") -> tuple[Paper, Extraction]:
    """``"We use [BERT|Architecture]."`` -> a paper and an extraction with that mention
    (found by ``rule``)."""
    mentions: list[Mention] = []
    text = ""
    cursor = 0
    for match in _MARK.finditer(abstract):
        text += abstract[cursor : match.start()]
        surface, kind = match.groups()
        mentions.append(Mention(surface, kind, surface.lower(), len(text), len(text) + len(surface),
                                "abstract", rule, 0.9))
        text += surface
        cursor = match.end()
    text += abstract[cursor:]
    sentences = [(m.start(), m.end()) for m in re.finditer(r"[^.!?]+[.!?]?", text) if m.group().strip()]
    sentences = [(s + len(text[s:e]) - len(text[s:e].lstrip()), e) for s, e in sentences]
    paper = Paper("arxiv:2401.00001", title, text)
    return paper, Extraction(paper.id, title, mentions, [], {"abstract": sentences}, [])


def typed(abstract: str, rule: str = "test") -> dict[str, str]:
    paper, extraction = marked(abstract, rule=rule)
    return {r.tail: r.type for r in relate(paper, extraction) if r.head == "paper"}


def statements(abstract: str) -> set[tuple[str, str, str]]:
    paper, extraction = marked(abstract)
    return {(r.head, r.type, r.tail) for r in relate(paper, extraction) if r.head != "paper"}


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        ("We propose [FooNet|Method], a new detector.", {"foonet": "proposes"}),
        ("In this paper we introduce a novel benchmark, [HardQA|Dataset].", {"hardqa": "proposes"}),
        ("Our method is called [Glide|Method].", {"glide": "proposes"}),
        ("We evaluate on [ImageNet|Dataset], [COCO|Dataset] and [ADE20K|Dataset].",
         {"imagenet": "evaluatedOn", "coco": "evaluatedOn", "ade20k": "evaluatedOn"}),
        ("Experiments on the challenging [SQuAD|Dataset] show gains.", {"squad": "evaluatedOn"}),
        ("We train on [LAION|Dataset] and test on [COCO|Dataset].", {"laion": "uses", "coco": "evaluatedOn"}),
        ("We use [BERT|Architecture] as backbone.", {"bert": "uses"}),
        ("[ResNet|Architecture] is used as the encoder.", {"resnet": "uses"}),
        ("A [Transformer|Architecture]-based model.", {"transformer": "uses"}),
        ("It improves [BLEU|Metric] by 2 points.", {"bleu": "reportsMetric"}),
        ("Results in terms of [top-1 accuracy|Metric] are strong.", {"top-1 accuracy": "reportsMetric"}),
        ("The [F1|Metric] of 91.2 is reached.", {"f1": "reportsMetric"}),
        ("We address [question answering|Task] in low-resource settings.", {"question answering": "addresses"}),
        ("A model for [semantic segmentation|Task].", {"semantic segmentation": "addresses"}),
        ("[Diffusion models|Method] are popular.", {"diffusion models": "mentions"}),
    ],
)
def test_relate_types_paper_edges(abstract: str, expected: dict[str, str]) -> None:
    assert typed(abstract) == expected


def test_relate_nearer_mention_owns_the_trigger() -> None:
    # "propose" belongs to FooNet; ResNet, after "a variant of", is not proposed.
    found = typed("We propose [FooNet|Method], a variant of [ResNet|Architecture].")
    assert found == {"foonet": "proposes", "resnet": "mentions"}


def test_relate_mentions_only_when_nothing_more_specific() -> None:
    paper, extraction = marked(
        "[ImageNet|Dataset] is large. We evaluate on [ImageNet|Dataset]. [ImageNet|Dataset] again."
    )
    found = [(r.type, r.tail, r.sentence_start) for r in relate(paper, extraction)]
    assert found == [("evaluatedOn", "imagenet", len("ImageNet is large. "))]


def test_relate_type_rules_respect_entity_types() -> None:
    # "on" types datasets (evaluatedOn) and tasks (addresses), never methods.
    assert typed("Results on [ImageNet|Dataset] with [LoRA|Method].") == {
        "imagenet": "evaluatedOn", "lora": "uses",
    }
    assert typed("It works on [Mamba|Method] only.") == {"mamba": "mentions"}


def test_relate_title_colon_proposes() -> None:
    title = "FooNet: Fast Image Models"
    paper = Paper("arxiv:1", title, "")
    extraction = Extraction(
        "arxiv:1", title, [Mention("FooNet", "Method", "foonet", 0, 6, "title", "t", 0.9)],
        [], {"title": [(0, len(title))]}, [],
    )
    (relation,) = relate(paper, extraction)
    assert (relation.type, relation.rule, relation.field) == ("proposes", "proposes.title-colon", "title")
    assert (relation.sentence_start, relation.sentence_end) == (0, len(title))


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        ("We study [architectures|Architecture] such as [ResNet|Architecture] and [ViT|Architecture].",
         {("resnet", "isA", "architectures"), ("vit", "isA", "architectures")}),
        ("Such [optimizers|Method] as [Adam|Method] work.", {("adam", "isA", "optimizers")}),
        ("[BERT|Architecture], [GPT-2|Architecture] and other [language models|Method] are used.",
         {("bert", "isA", "language models"), ("gpt-2", "isA", "language models")}),
        ("[LLMs|Method], including [GPT-4|Method] and [LLaMA|Method], are strong.",
         {("gpt-4", "isA", "llms"), ("llama", "isA", "llms")}),
        ("We propose [QLoRA|Method], a memory-efficient variant of [LoRA|Method].",
         {("qlora", "variantOf", "lora")}),
        ("[DeiT|Architecture] is an extension of [ViT|Architecture].", {("deit", "variantOf", "vit")}),
        ("A [Transformer|Architecture]-based [detector|Method] is shown.",
         {("detector", "basedOn", "transformer")}),
        ("[FooNet|Method] is based on [U-Net|Architecture].", {("foonet", "basedOn", "u-net")}),
        ("[FooNet|Method] significantly outperforms [ResNet|Architecture] and [ViT|Architecture] on "
         "[ImageNet|Dataset].",
         {("foonet", "outperforms", "resnet"), ("foonet", "outperforms", "vit")}),
        ("[FooNet|Method] and [ResNet|Architecture] are compared.", set()),
    ],
)
def test_relate_entity_patterns(abstract: str, expected: set[tuple[str, str, str]]) -> None:
    assert statements(abstract) == expected


def test_relate_relations_locate_sentence_and_mention() -> None:
    paper, extraction = marked("Intro here. We evaluate on [COCO|Dataset] today.")
    (relation,) = relate(paper, extraction)
    text = paper.abstract
    assert text[relation.sentence_start : relation.sentence_end] == "We evaluate on COCO today."
    assert text[relation.start : relation.end] == "COCO"
    assert relation.rule == "evaluatedOn.evaluate" and relation.confidence == 0.85


def test_relate_overlapping_mentions_keep_the_longer() -> None:
    paper, extraction = marked("We use [BERT|Architecture] here.")
    extraction.mentions.append(Mention("BE", "Method", "be", 7, 9, "abstract", "t", 0.5))
    assert [r.tail for r in relate(paper, extraction)] == ["bert"]


def test_relate_is_deterministic_and_ignores_mention_order() -> None:
    paper, extraction = marked(
        "We evaluate on [ImageNet|Dataset] and [COCO|Dataset]. [FooNet|Method] beats [ViT|Architecture]."
    )
    first = relate(paper, extraction)
    extraction.mentions.reverse()
    assert relate(paper, extraction) == first


def test_relate_without_sentences_uses_whole_field() -> None:
    paper, extraction = marked("We evaluate on [COCO|Dataset]")
    extraction.sentences = {}
    (relation,) = relate(paper, extraction)
    assert (relation.sentence_start, relation.sentence_end) == (0, len(paper.abstract))


@pytest.mark.parametrize(
    "abstract",
    ["It performs on par with [Transformers|Architecture].",
     "Compared to [LoRA|Method], it is cheaper.",
     "Unlike [ResNet|Architecture] it has no skips."],
)
def test_relate_comparisons_are_mentions(abstract: str) -> None:
    (found,) = typed(abstract).values()
    assert found == "mentions"


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        # no `proposes`: the sentence is about the paper's own work with LLMs
        ("We present a comprehensive study of [LLMs|Method].", "uses"),
        ("We propose to represent [neural networks|Architecture] as graphs.", "mentions"),
        ("We present a family of [SkipNet|Architecture] models.", "proposes"),
    ],
)
def test_relate_blocked_words_stop_a_trigger(abstract: str, expected: str) -> None:
    (found,) = typed(abstract).values()
    assert found == expected


@pytest.mark.parametrize(
    ("title", "surfaces", "expected"),
    [
        ("FooNet: Fast Models", ["FooNet"], {"foonet": "proposes"}),
        # no `proposes`: a title that names a method it does not define studies or uses it
        ("Neurons in LLMs: Dead or Alive", ["LLMs"], {"llms": "uses"}),
        ("Diffusion Models and Representation Learning: A Survey",
         ["Diffusion Models", "Representation Learning"],
         {"diffusion models": "mentions", "representation learning": "mentions"}),
    ],
)
def test_relate_title_colon_needs_the_name_first(title: str, surfaces: list[str], expected: dict[str, str]) -> None:
    mentions = [Mention(s, "Method", s.lower(), title.index(s), title.index(s) + len(s), "title", "t", 0.9)
                for s in surfaces]
    paper = Paper("arxiv:1", title, "")
    extraction = Extraction("arxiv:1", title, mentions, [], {"title": [(0, len(title))]}, [])
    assert {r.tail: r.type for r in relate(paper, extraction)} == expected


def test_relate_used_in_is_not_used() -> None:
    assert typed("The dilated convolutions used in [TCNCA|Method] are fast.") == {"tcnca": "mentions"}
    assert typed("We use the encoder of [BERT|Architecture].") == {"bert": "uses"}


def test_relate_x_based_and_over() -> None:
    assert typed("We present a multi-axis [MLP|Architecture] based design, MAXIM.") == {"mlp": "uses"}
    assert typed("It is better than competitive [RNN|Architecture], [CNN|Architecture] and [GNN|Architecture]"
                 " methods.") == {"rnn": "mentions", "cnn": "mentions", "gnn": "mentions"}
    assert typed("We show gains over [GNN|Architecture] baselines.") == {"gnn": "mentions"}


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        # background and related work: named, not used or addressed, even next to a trigger
        ("Existing methods typically rely on [BERT|Architecture].", {"bert": "mentions"}),
        ("Prior work on [question answering|Task] is limited.", {"question answering": "mentions"}),
        ("Such gains are typically achieved through [distillation|Method].", {"distillation": "mentions"}),
        # a sentence about the paper's own work types what no trigger reaches
        ("We train a small [Transformer|Architecture] from scratch.", {"transformer": "uses"}),
        ("Results show state-of-the-art quality and lower [latency|Metric].", {"latency": "reportsMetric"}),
        ("When applied to the [MNIST|Dataset] and [NORB|Dataset] sets, we find clear gains.",
         {"mnist": "evaluatedOn", "norb": "evaluatedOn"}),
        ("Finally we extend it to the related [combinatorial problem|Task] of layouts.",
         {"combinatorial problem": "addresses"}),
        # ... but not what it compares with, nor a class in apposition to its own model
        ("We show that it is faster than [LSTMs|Architecture].", {"lstms": "mentions"}),
        ("We release FooLM, a multimodal [language model|Architecture].", {"language model": "proposes"}),
    ],
)
def test_relate_sentence_rules(abstract: str, expected: dict[str, str]) -> None:
    assert typed(abstract) == expected


def test_relate_a_known_class_after_an_article_is_not_proposed() -> None:
    """"We propose a novel deep CNN": the paper proposes its model, of the known class CNN."""
    assert typed("We propose a novel deep [CNN|Architecture] for maps.", rule="gaz.architecture") == {
        "cnn": "uses"}
    assert typed("We propose [FooNet|Architecture] for maps.", rule="gaz.architecture") == {"foonet": "proposes"}
    assert typed("We propose a novel deep [CNN|Architecture] for maps.") == {"cnn": "proposes"}


def test_relate_a_survey_proposes_and_uses_nothing() -> None:
    paper, extraction = marked("In this survey, we review [diffusion models|Method] and [GANs|Method] "
                               "used for [image synthesis|Task].")
    assert {r.tail: r.type for r in relate(paper, extraction) if r.head == "paper"} == {
        "diffusion models": "mentions", "gans": "mentions", "image synthesis": "addresses"}


def test_relate_the_own_model_named_in_the_title_is_proposed() -> None:
    title = "Captioning with FooNet"
    paper, extraction = marked("We propose [FooNet|Method], a captioner.", title=title)
    start = title.index("FooNet")
    extraction.mentions.append(Mention("FooNet", "Method", "foonet", start, start + 6, "title", "test", 0.9))
    extraction.sentences["title"] = [(0, len(title))]
    assert {(r.field, r.type, r.rule) for r in relate(paper, extraction) if r.tail == "foonet"} == {
        ("abstract", "proposes", "proposes.we-propose"), ("title", "proposes", "proposes.own-model-in-title")}


def test_relate_a_task_in_the_title_is_addressed() -> None:
    title = "Faster Image Synthesis"
    mention = Mention("Image Synthesis", "Task", "image synthesis", 7, 22, "title", "test", 0.9)
    paper = Paper("arxiv:1", title, "")
    extraction = Extraction("arxiv:1", title, [mention], [], {"title": [(0, len(title))]}, [])
    assert [(r.type, r.rule) for r in relate(paper, extraction)] == [("addresses", "addresses.title")]
