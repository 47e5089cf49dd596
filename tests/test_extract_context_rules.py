"""Contextual rules on hand-written sentences, including near-misses that must not match."""

from __future__ import annotations

import pytest
from extract_support import found, has

from kg.extract import extract_papers
from kg.records import Paper


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
        # content words before a method or architecture head
        ("Samples come from a deep generative model of faces.", "deep generative model", "Method",
         "ctx.method-phrase"),
        ("The image passes through an hourglass encoder first.", "hourglass encoder",
         "Architecture", "ctx.architecture-phrase"),
        # lists after a plural dataset head, with or without a comma, colon or brackets
        ("Tests on four databases, Zorblax, QMUL Flint, and Quuxnet show gains.", "QMUL Flint", "Dataset",
         "ctx.dataset-after"),
        ("We use two datasets Zorblax and Quuxnet for tests.", "Zorblax", "Dataset", "ctx.dataset-after"),
        ("We collect a large-scale dataset, “Carzilla”, that covers cars.", "Carzilla", "Dataset",
         "ctx.dataset-after"),
        # a score, then "on" or "for" and a name
        ("It achieves 75.7 on Zorblax-2014 and more.", "Zorblax-2014", "Dataset", "ctx.dataset-score-on"),
        ("Scores reach 62.4 for Quuxnet overall.", "Quuxnet", "Dataset", "ctx.dataset-score-on"),
        # a name the gazetteers type otherwise, as "the ... dataset"
        ("It is evaluated on the challenging VQA dataset today.", "VQA", "Dataset", "ctx.dataset-head"),
        ("the JFLEG-like Quuxnet test set is small.", "Quuxnet", "Dataset", "ctx.dataset-head"),
        # the second year of a dataset series named once
        ("Tests on PASCAL VOC 2007 and 2012 benchmarks follow.", "2012", "Dataset", "ctx.coordination"),
        # data of a named kind; a size unit after a numbered name stays in it
        ("Tumours pictured in MR images are hard.", "MR images", "Dataset", "ctx.data-kind"),
        ("On the Zorblax-1 K dataset we win.", "Zorblax-1 K", "Dataset", "ctx.dataset-head"),
        # names listed after a model or method head
        ("We compare with models such as Zorblax and FooBar.", "FooBar", "Architecture", "ctx.model-after"),
        ("Strong baselines, e.g., Zorbnet, lose.", "Zorbnet", "Architecture", "ctx.model-after"),
        ("Methods such as FooProp and BarNorm help.", "BarNorm", "Method", "ctx.method-after"),
        # a hyphenated modifier is taken whole
        ("We use a model-agnostic approach here.", "model-agnostic approach", "Method", "ctx.method-phrase"),
        # an ambiguous measure word in a measurement slot
        ("It is compared in terms of speed with older tools.", "speed", "Metric", "ctx.metric-slot"),
        ("The tool reaches a 3.6% error on the test.", "error", "Metric", "ctx.metric-slot"),
        ("We report accuracy and robustness for all runs.", "robustness", "Metric", "ctx.metric-slot"),
        ("Tiling gives lower training complexity than before.", "training complexity", "Metric",
         "ctx.metric-slot"),
        ("The network improves reconstruction quality for faces.", "reconstruction quality", "Metric",
         "ctx.metric-quality"),
        ("Pruning yields better generalization performance than dropout.", "generalization performance",
         "Metric", "ctx.metric-quality"),
        ("Quantization improves training efficiency significantly.", "training efficiency", "Metric",
         "ctx.metric-quality"),
        ("We propose a perceptual distance metric for sketches.", "perceptual distance metric", "Metric",
         "ctx.metric-phrase"),
        ("Our model lowers the glyph overlap rate on scans.", "glyph overlap rate", "Metric",
         "ctx.metric-rate"),
        ("Tiling improves the rank-1 identification rates by 2%.", "rank-1 identification rates",
         "Metric", "ctx.metric-rate"),
        # a task word alone in the slot of a task; content words before "task" or "problem"
        ("Features are learned for classification and more.", "classification", "Task", "ctx.task-slot"),
        ("We cast it as a glacier labelling problem of maps.", "glacier labelling problem", "Task",
         "ctx.task-problem"),
        # a learning paradigm is the Task after "for" or "the problem of"
        ("We study the problem of reinforcement learning in games.", "reinforcement learning", "Task",
         "ctx.paradigm-task"),
        # translation directions, as written and as codes
        ("Results on English–German and En→Fr are given.", "English–German", "Dataset",
         "ctx.language-pair"),
        ("Results on English–German and En→Fr are given.", "En→Fr", "Dataset", "ctx.language-pair"),
        ("We test German to English and more.", "German to English", "Dataset", "ctx.language-pair"),
        ("Pairs are English Czech, English German and English Russian.", "English German", "Dataset",
         "ctx.language-pair"),
        # a known name longer than the name a dataset head sees
        ("It excels on the large-scale 1B Word dataset too.", "1B Word", "Dataset", "gaz.dataset"),
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
        "Our novel method and the proposed approach are simple.",  # evaluative words are no content
        "A randomized model verification is run.",  # the start of a longer compound is no method
        "We train for 2012 epochs and 2019 more.",  # years with no dataset named before them
        "We use 1.2 M images for training.",  # a size unit after a bare number is no name
        "The time of day and the speed of light vary.",  # measure words outside a measurement slot
        "They produce higher quality samples.",  # the measure word modifies a noun after it
        "Tuning the learning rate is slow.",  # a rate that is a setting, not a measure
        "Advances in precision medicine are slow.",  # precision medicine is no metric
        "We train with mixed precision on one card.",  # numeric precision is no metric
        "It runs fast at inference time.",  # "at inference time" names a phase
        "German-English lexicons are compared.",  # the pair names a kind of data
        "We read English and German text.",  # two languages are no direction
        "A public safety network is auctioned.",  # a network with no neural modifier
        "We cite gretton2006kernel measure here.",  # a citation key glued into the text
        "It beats the state-of-theart method easily.",  # a stop-listed compound, hyphenated oddly
        "We train a (340M-parameter model) for days.",  # a size is no modifier of a method
    ],
)
def test_extract_context_rules_context_near_misses(nlp, sentence):
    assert found(nlp, sentence) == []


def test_extract_context_rules_a_kind_of_dataset_is_no_dataset(nlp):
    assert found(nlp, "We build a QA dataset of questions.") == [("QA", "Task", "gaz.task")]


def test_extract_context_rules_a_paradigm_is_a_method_where_it_is_used(nlp):
    assert has(nlp, "We train the agent via reinforcement learning.", "reinforcement learning", "Method")
    assert has(nlp, "A method for reinforcement learning is given.", "reinforcement learning", "Task",
               "ctx.paradigm-task")


def test_extract_context_rules_language_pairs_meet_under_full_names(nlp):
    (ex,) = extract_papers([Paper(id="p", title="", abstract=(
        "We test on En-De and English–German, then German→English."))], nlp)
    assert [(m.text, m.canonical) for m in ex.mentions if m.rule == "ctx.language-pair"] == [
        ("En-De", "english-german"), ("English–German", "english-german"), ("German→English", "german-english")]
