"""Each rule family on hand-written sentences, including near-misses that must not match."""

from __future__ import annotations

import pytest

from kg.extract import extract_papers
from kg.extract.pipeline import build_nlp
from kg.records import Paper


@pytest.fixture(scope="module")
def nlp():
    return build_nlp()


def found(nlp, abstract: str, title: str = "") -> list[tuple[str, str, str]]:
    (ex,) = extract_papers([Paper(id="p", title=title, abstract=abstract)], nlp)
    for m in ex.mentions:
        text = title if m.field == "title" else abstract
        assert text[m.start:m.end] == m.text  # offsets index exactly into the field
    return [(m.text, m.type, m.rule) for m in ex.mentions]


def has(nlp, abstract, text, type_, rule_prefix="", title=""):
    return any(t == text and ty == type_ and r.startswith(rule_prefix)
               for t, ty, r in found(nlp, abstract, title))


# --- gazetteers -------------------------------------------------------------------------

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
def test_extract_rules_gazetteer(nlp, sentence, text, type_):
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
def test_extract_rules_gazetteer_near_misses(nlp, sentence, text):
    assert all(t.lower() != text for t, _, _ in found(nlp, sentence))


# --- contextual patterns ----------------------------------------------------------------

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
def test_extract_rules_context(nlp, sentence, text, type_, rule):
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
def test_extract_rules_context_near_misses(nlp, sentence):
    assert found(nlp, sentence) == []


# --- naming patterns --------------------------------------------------------------------

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
def test_extract_rules_naming(nlp, abstract, title, text, type_, rule):
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
def test_extract_rules_naming_near_misses(nlp, sentence):
    assert all(not r.startswith("name.") for _, _, r in found(nlp, sentence))


def test_extract_rules_dataset_named_net_is_not_an_architecture(nlp):
    got = found(nlp, "A subset of it, ImageNet100, is used.")
    assert all(ty != "Architecture" for _, ty, _ in got), got


def test_extract_rules_title_colon_needs_a_name(nlp):
    got = found(nlp, "Text.", "Convergent Learning: Do different networks learn the same thing?")
    assert all(r != "name.title-colon" for _, _, r in got)


# --- acronyms and paper-level steps -----------------------------------------------------

def test_extract_rules_acronym_short_form_inherits_type_everywhere(nlp):
    abstract = ("We introduce Moment Probing (MP), a probing method. MP beats linear probing, "
                "and MPs scale.")
    (ex,) = extract_papers([Paper(id="p", title="MP for Vision Transformers", abstract=abstract)], nlp)
    short = [m for m in ex.mentions if m.text in ("MP", "MPs")]
    assert {(m.field, m.type, m.canonical) for m in short} == {
        ("title", "Method", "moment probing"), ("abstract", "Method", "moment probing")}
    assert len(short) == 4
    assert [(a.short, a.long, a.field) for a in ex.acronyms] == [("mp", "moment probing", "abstract")]
    a = ex.acronyms[0]
    assert abstract[a.start:a.end] == "Moment Probing (MP)"


def test_extract_rules_defined_long_form_outranks_gazetteer_hits_inside_it(nlp):
    (ex,) = extract_papers([Paper(id="p", title="", abstract="We use a Multi-head Attention Network (MAN).")], nlp)
    assert [(m.text, m.type, m.rule) for m in ex.mentions] == [
        ("Multi-head Attention Network", "Architecture", "acronym.long"), ("MAN", "Architecture", "acronym.short")]


def test_extract_rules_paper_definition_outranks_gazetteer(nlp):
    (ex,) = extract_papers([Paper(id="p", title="", abstract="A Masked Language Model (MLM) is trained. The MLM wins.")], nlp)
    assert {(m.text, m.type, m.canonical) for m in ex.mentions if m.text == "MLM"} == {
        ("MLM", "Architecture", "masked language model")}


def test_extract_rules_stop_listed_acronym_is_recorded_not_typed(nlp):
    (ex,) = extract_papers([Paper(id="p", title="", abstract="A graphics processing unit (GPU) helps. The GPU is fast.")], nlp)
    assert [(a.short, a.long) for a in ex.acronyms] == [("gpu", "graphics processing unit")]
    assert all(m.text != "GPU" for m in ex.mentions)


def test_extract_rules_untyped_acronym_adds_no_mentions(nlp):
    (ex,) = extract_papers([Paper(id="p", title="", abstract="Whole Slide Images (WSI) are big. WSI data.")], nlp)
    assert all(m.text != "WSI" for m in ex.mentions)
    assert [(a.short, a.long) for a in ex.acronyms] == [("wsi", "whole slide image")]


def test_extract_rules_acronym_of_gazetteer_long_form(nlp):
    (ex,) = extract_papers([Paper(id="p", title="", abstract="Large Language Models (LLMs) help. LLMs err.")], nlp)
    assert {m.canonical for m in ex.mentions} == {"large language model"}
    assert {m.type for m in ex.mentions} == {"Architecture"}


def test_extract_rules_generic_heads_are_stopped(nlp):
    got = found(nlp, "Our Model beats the Method of the Framework.")
    assert got == []


def test_extract_rules_repeated_name_found_again(nlp):
    got = found(nlp, "We propose ZenoNet. ZenoNet is fast, and ZenoNet is small.")
    assert [r for t, _, r in got if t == "ZenoNet"] == ["name.propose", "paper.repeat", "paper.repeat"]
