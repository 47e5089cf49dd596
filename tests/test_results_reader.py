"""Reading reported results from sentences: what each construction gives, and what is no result."""

from __future__ import annotations

import pytest

from kg.extract import extract_papers
from kg.records import Paper, Result
from kg.relate import relate
from kg.results import find_results


def results(nlp, abstract: str, title: str = "A study") -> list[Result]:
    paper = Paper(id="p", title=title, abstract=abstract)
    (extraction,) = extract_papers([paper], nlp)
    extraction.relations = relate(paper, extraction)
    return find_results(paper, extraction)


def brief(found: list[Result]) -> list[tuple]:
    return [(r.value, r.unit, r.kind, r.metric, r.dataset) for r in found]


def test_results_value_then_metric_then_dataset(nlp) -> None:
    (r,) = results(nlp, "Our parser reaches 93.8 F1 on the Penn Treebank.")
    assert (r.value, r.number, r.unit, r.kind, r.metric, r.dataset) == ("93.8", 93.8, "", "score", "f1", "penn treebank")
    assert r.rule == "result.adjacent" and r.confidence == 0.9


def test_results_offsets_point_at_the_value_and_its_parts(nlp) -> None:
    text = "We obtain 42.1% mask AP on COCO with the new head."
    (r,) = results(nlp, text)
    assert text[r.start : r.end] == "42.1"
    assert text[r.sentence_start : r.sentence_end] == text
    assert text[slice(*r.spans["metric"])] == "mask AP"
    assert text[slice(*r.spans["dataset"])] == "COCO"


def test_results_metric_before_the_value(nlp) -> None:
    found = results(nlp, "The model achieves an F1 score of 94.6 and an accuracy of 91.2% on SQuAD.")
    assert brief(found) == [("94.6", "", "score", "f1", "squad"), ("91.2", "%", "score", "accuracy", "squad")]


def test_results_lists_pair_in_order(nlp) -> None:
    found = results(nlp, "On the test set, UAS and LAS are 95.9% and 94.1%.")
    assert [(r.value, r.metric) for r in found] == [("95.9", "unlabeled attachment score"),
                                                   ("94.1", "labeled attachment score")]
    assert {r.rule for r in found} == {"result.paired"}


def test_results_respectively_pairs_datasets(nlp) -> None:
    found = results(nlp, "It achieves 85.1% and 79.3% accuracy on CIFAR-10 and CIFAR-100, respectively.")
    assert [(r.value, r.metric, r.dataset) for r in found] == [
        ("85.1", "accuracy", "cifar-10"), ("79.3", "accuracy", "cifar-100")]


def test_results_metric_carries_over_a_list_of_datasets(nlp) -> None:
    found = results(nlp, "We report 87.5% top-1 accuracy on ImageNet, 99.4% on CIFAR-10, and 76.3% on SVHN.")
    assert [(r.value, r.metric, r.dataset) for r in found] == [
        ("87.5", "top-1 accuracy", "imagenet"), ("99.4", "top-1 accuracy", "cifar-10"),
        ("76.3", "top-1 accuracy", "svhn")]


def test_results_from_to_gives_a_value_and_its_baseline_value(nlp) -> None:
    (r,) = results(nlp, "Our method improves BLEU from 27.1 to 29.3 on WMT14.")
    assert (r.value, r.baseline_value, r.metric, r.dataset) == ("29.3", 27.1, "bleu", "wmt14")


def test_results_ranges(nlp) -> None:
    (r,) = results(nlp, "The new loss improves accuracy by 20–30% over BERT.")
    assert (r.value, r.number, r.upper, r.unit, r.kind, r.baseline) == ("20-30", 20.0, 30.0, "%", "improvement", "bert")
    (r,) = results(nlp, "Gains ranging from 1.5% to 3.2% are seen in every setting.")
    assert (r.value, r.upper, r.kind) == ("1.5-3.2", 3.2, "improvement")


def test_results_values_in_parentheses(nlp) -> None:
    found = results(nlp, "Our detector is strong on COCO (42.1 AP) and reaches an accuracy (88.3%) on VOC.")
    assert [(r.value, r.metric, r.dataset) for r in found] == [("42.1", "average precision", "coco"),
                                                                ("88.3", "accuracy", None)]


def test_results_kinds(nlp) -> None:
    found = results(nlp, "It outperforms the Transformer by +2.1 BLEU. It is 3x faster. "
                         "It reduces the word error rate by 15% relative.")
    assert [(r.value, r.unit, r.kind) for r in found] == [
        ("2.1", "", "improvement"), ("3", "×", "ratio"), ("15", "%", "reduction")]
    assert found[0].baseline == "transformer" and found[0].metric == "bleu"


def test_results_state_of_the_art_claims(nlp) -> None:
    (r,) = results(nlp, "We set a new state-of-the-art 85.3 F1 on CoNLL-2003.")
    assert (r.value, r.metric, r.dataset, r.kind) == ("85.3", "f1", "conll-2003", "score")


def test_results_own_method_when_the_paper_proposes_one(nlp) -> None:
    (r,) = results(nlp, "We propose FastNet, a new network. FastNet achieves 81.2% top-1 accuracy on ImageNet.",
                   title="FastNet: a fast network")
    assert r.method == "fastnet"
    (r,) = results(nlp, "We propose FastNet, a new network. Our model achieves 81.2% top-1 accuracy on ImageNet.",
                   title="FastNet: a fast network")
    assert r.method == "fastnet"


def test_results_a_benchmarks_usual_metric_when_none_is_named(nlp) -> None:
    (r,) = results(nlp, "Our model reaches 88.1% on ImageNet.")
    assert (r.metric, r.dataset, r.rule) == ("top-1 accuracy", "imagenet", "result.value-metric-of-dataset")
    (r,) = results(nlp, "Our model has 11.9% top-1 error on ImageNet.")
    assert r.metric in (None, "top-1 error")  # an error is never read as the usual accuracy


@pytest.mark.parametrize("sentence", [
    "In 2023, we collected 1M images and trained a 7B parameters model.",
    "As shown in Section 4 and Table 2, results hold for k = 5.",
    "The corpus covers 10 languages and 100 papers from 2019 to 2021.",
    "We train for 300 epochs on 8 GPUs with dropout of 0.1.",
    "Using only 10% of the labels, the model still learns.",
    "Each image is resized to 224 x 224 pixels and split into 16 patches.",
    "We report the mean over 5 runs (std 0.3, see Eq. 3).",
])
def test_results_numbers_that_are_no_results(nlp, sentence: str) -> None:
    assert results(nlp, sentence) == []


def test_results_hostile_text_gives_no_error(nlp) -> None:
    text = ("%%% 12.5.6.7 ,,, 3x3x3 1e-5 −0.5 ∼ 20- -30% ((((85.3 F1 )))) " + "9" * 400
            + " accuracy of . ; 50% of 60% of 70% top-1 (((( ")
    found = results(nlp, text)
    for r in found:
        assert text[r.start : r.end].replace(" ", "").startswith(r.value.split("-")[0])


def test_results_scores_a_metric_cannot_reach_are_left_out(nlp) -> None:
    found = results(nlp, "We achieve ImageNet top-1 accuracy of 80.0% with only 444 MFLOPs. "
                         "It gets an F1 of 512 on the tail split.")
    assert [(r.value, r.metric) for r in found] == [("80.0", "top-1 accuracy")]


def test_results_outperforms_edges_carry_the_dataset_and_metric_of_their_sentence(nlp) -> None:
    from kg.extract.canon import CanonSummary, resolve
    from kg.graph.edges import assemble

    paper = Paper(id="p", title="FastNet: a fast network",
                  abstract="We propose FastNet. FastNet outperforms ResNet-50 by 2.1% top-1 accuracy on ImageNet.")
    (extraction,) = extract_papers([paper], nlp)
    extraction.relations = relate(paper, extraction)
    extraction.results = find_results(paper, extraction)
    table = resolve(CanonSummary.of([extraction]))
    (edge,) = [e for e in assemble([paper], [extraction], table) if e.type == "outperforms"]
    assert (edge.source, edge.target) == ("entity:fastnet", "entity:resnet-50")
    assert [(item.dataset, item.metric) for item in edge.evidence] == [("imagenet", "top-1-accuracy")]
    assert edge.evidence[0].to_dict()["dataset"] == "imagenet"
