"""Entity resolution on small abstracts: acronyms, families and labels as a reader expects.

Each case is a few papers written for the case, run through extraction and the
corpus-wide resolution exactly as ``kg build`` runs them.
"""

from __future__ import annotations

from collections import Counter

from kg.extract import extract_papers
from kg.extract.canon import CanonSummary, apply, resolve
from kg.records import EntityTable, Paper
from kg.relate.relations import relate


def papers(*abstracts: str) -> list[Paper]:
    return [Paper(id=f"p{n}", title="", abstract=text) for n, text in enumerate(abstracts, 1)]


def table_of(nlp, items: list[Paper]) -> EntityTable:
    return resolve(CanonSummary.of(extract_papers(items, nlp)))


def entity_of(nlp, items: list[Paper], paper: str, surface: str):
    """The entity a surface of one paper resolves to (None when it is no mention)."""
    found = list(extract_papers(items, nlp))
    table = resolve(CanonSummary.of(found))
    for extraction in found:
        if extraction.id != paper:
            continue
        for mention in apply(extraction, table).mentions:
            if mention.text == surface:
                return table.entities[mention.canonical]
    return None


SELF = "We study self-supervised learning (SSL) for vision. SSL learns representations without labels."
SEMI = "Semi-supervised learning (SSL) uses few labels. Our SSL method improves accuracy on CIFAR-10."
SUPERVISED = "Supervised learning needs labels."


def test_resolution_acronym_takes_its_whole_long_form_not_a_known_entity_inside_it(nlp):
    items = papers(SELF, SUPERVISED)
    ssl = entity_of(nlp, items, "p1", "SSL")
    assert ssl.key == "self-supervised-learning"
    assert ssl.name == "Self-supervised learning (SSL)"
    assert entity_of(nlp, items, "p2", "Supervised learning").key == "supervised-learning"


def test_resolution_one_acronym_two_long_forms_are_two_entities(nlp):
    items = papers(SELF, SEMI)
    assert entity_of(nlp, items, "p1", "SSL").key == "self-supervised-learning"
    assert entity_of(nlp, items, "p2", "SSL").key == "semi-supervised-learning"
    names = {e.name for e in table_of(nlp, items).entities.values()}
    assert {"Self-supervised learning (SSL)", "Semi-supervised learning (SSL)"} <= names


def test_resolution_undefined_acronym_joins_only_an_unambiguous_majority(nlp):
    undefined = "SSL is popular for speech."
    ambiguous = papers(SELF, SEMI, undefined)
    table = table_of(nlp, ambiguous)
    assert table.key_for("ssl") not in ("self-supervised-learning", "semi-supervised-learning")
    unanimous = papers(SELF, SELF.replace("vision", "audio"), "We adopt SSL (see above) for speech.")
    table = table_of(nlp, unanimous)
    assert table.key_for("ssl") in (None, "self-supervised-learning")


def test_resolution_known_entity_plus_modifiers_is_the_papers_own_method(nlp):
    text = ("We propose Robust Offline Reinforcement Learning (RORL), which improves offline "
            "reinforcement learning.")
    items = papers(text)
    table = table_of(nlp, items)
    rorl = entity_of(nlp, items, "p1", "RORL")
    assert rorl.key == "robust-offline-reinforcement-learning"
    assert rorl.name == "Robust Offline Reinforcement Learning (RORL)"
    assert table.key_for("offline reinforcement learning") == "offline-reinforcement-learning"
    (extraction,) = extract_papers(items, nlp)
    proposed = {r.tail for r in relate(items[0], extraction) if r.type == "proposes"}
    assert "robust offline reinforcement learning" in proposed
    assert "offline reinforcement learning" not in proposed


def test_resolution_named_algorithm_is_not_its_field(nlp):
    items = papers("We analyse FedAvg, the standard algorithm of federated learning, on non-iid data.")
    table = table_of(nlp, items)
    assert table.key_for("fedavg") != table.key_for("federated learning")
    assert table.entities[table.key_for("fedavg")].name == "FedAvg"


def test_resolution_expansion_of_another_thing_keeps_its_own_key_and_type(nlp):
    items = papers("We use an actor-critic (AC) method. AC learns a value function.",
                   "We model AC power networks and optimal power flow. AC networks are hard to solve.")
    ac = entity_of(nlp, items, "p1", "AC")
    assert (ac.key, ac.type) == ("actor-critic", "Method")
    found = list(extract_papers(items, nlp))
    table = resolve(CanonSummary.of(found))
    power = apply(found[1], table).mentions
    assert power and "actor-critic" not in {m.canonical for m in power}


def test_resolution_display_names_are_singular_full_forms_with_their_acronym(nlp):
    items = papers(
        "Convolutional Neural Networks (CNNs) see images. CNNs are deep.",
        "We train CNNs on ImageNet with Large Language Models. LLMs help.",
    )
    table = table_of(nlp, items)
    names = {e.key: e.name for e in table.entities.values()}
    assert names["convolutional-neural-network"] == "Convolutional Neural Network (CNN)"
    assert names["large-language-model"] == "Large Language Model (LLM)"


def test_resolution_an_entity_known_only_by_its_acronym_is_named_by_its_gazetteer_name(nlp):
    table = table_of(nlp, papers("We render scenes with 3DGS in real time."))
    assert table.entities["3d-gaussian-splatting"].name == "3D Gaussian Splatting"


def test_resolution_no_two_entities_share_a_label(nlp):
    items = papers(
        "Average precision (AP) is reported on COCO.",
        "We propose Adaptive Pooling (AP), a method for pooling.",
        "Our Adaptive Pooling (AP) layers pool. AP improves accuracy.",
        "Anchor Points (AP) are used in detection.",
    )
    table = table_of(nlp, items)
    labels = Counter(e.name.casefold() for e in table.entities.values())
    assert max(labels.values()) == 1
    assert all(e.acronym == "AP" for e in table.entities.values() if e.name.endswith("(AP)"))


def test_resolution_versions_and_sizes_are_their_own_entities_linked_to_their_family(nlp):
    items = papers("We fine-tune BERT-base and BERT-large on WMT14 and WMT16.",
                   "BERT is strong on WMT. ResNet-50 and ResNet-101 are ResNets.")
    table = table_of(nlp, items)
    family = {key: entity.family for key, entity in table.entities.items()}
    assert {k: family[k] for k in ("bert", "bert-base", "bert-large", "wmt", "wmt14", "wmt16")} == {
        "bert": None, "bert-base": "bert", "bert-large": "bert", "wmt": None, "wmt14": "wmt", "wmt16": "wmt"}
    assert (family["resnet-50"], family["resnet-101"]) == ("resnet", "resnet")
    assert table.entities["bert-base"].name == "BERT-base"


def test_resolution_a_member_without_its_family_in_the_corpus_links_nothing(nlp):
    table = table_of(nlp, papers("We train GPT-4o mini and ResNet-50 on COCO 2017."))
    assert {"gpt-4o-mini", "resnet-50", "coco-2017"} <= set(table.entities)
    assert [e.family for e in table.entities.values()] == [None] * len(table.entities)


def test_resolution_the_papers_own_model_is_not_folded_into_a_family(nlp):
    items = papers("We propose BERT-Flow, which maps BERT embeddings to a Gaussian. BERT-Flow beats BERT.")
    assert entity_of(nlp, items, "p1", "BERT-Flow").key == "bert-flow"
    assert entity_of(nlp, items, "p1", "BERT-Flow").family is None
    assert entity_of(nlp, items, "p1", "BERT").key == "bert"
