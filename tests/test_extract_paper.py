"""Paper-level steps: acronyms typed from their long forms, names found again, generic heads stopped."""

from __future__ import annotations

from extract_support import found

from kg.extract import extract_papers
from kg.records import Paper


def test_extract_paper_acronym_short_form_inherits_type_everywhere(nlp):
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


def test_extract_paper_defined_long_form_outranks_gazetteer_hits_inside_it(nlp):
    (ex,) = extract_papers([Paper(id="p", title="", abstract="We use a Multi-head Attention Network (MAN).")], nlp)
    assert [(m.text, m.type, m.rule) for m in ex.mentions] == [
        ("Multi-head Attention Network", "Architecture", "acronym.long"), ("MAN", "Architecture", "acronym.short")]


def test_extract_paper_paper_definition_outranks_gazetteer(nlp):
    (ex,) = extract_papers([Paper(id="p", title="", abstract="A Masked Language Model (MLM) is trained. The MLM wins.")], nlp)
    assert {(m.text, m.type, m.canonical) for m in ex.mentions if m.text == "MLM"} == {
        ("MLM", "Architecture", "masked language model")}


def test_extract_paper_stop_listed_acronym_is_recorded_not_typed(nlp):
    (ex,) = extract_papers([Paper(id="p", title="", abstract="A graphics processing unit (GPU) helps. The GPU is fast.")], nlp)
    assert [(a.short, a.long) for a in ex.acronyms] == [("gpu", "graphics processing unit")]
    assert all(m.text != "GPU" for m in ex.mentions)


def test_extract_paper_untyped_acronym_adds_no_mentions(nlp):
    (ex,) = extract_papers([Paper(id="p", title="", abstract="Whole Slide Images (WSI) are big. WSI data.")], nlp)
    assert all(m.text != "WSI" for m in ex.mentions)
    assert [(a.short, a.long) for a in ex.acronyms] == [("wsi", "whole slide image")]


def test_extract_paper_acronym_of_gazetteer_long_form(nlp):
    (ex,) = extract_papers([Paper(id="p", title="", abstract="Large Language Models (LLMs) help. LLMs err.")], nlp)
    assert {m.canonical for m in ex.mentions} == {"large language model"}
    assert {m.type for m in ex.mentions} == {"Architecture"}


def test_extract_paper_generic_heads_are_stopped(nlp):
    got = found(nlp, "Our Model beats the Method of the Framework.")
    assert got == []


def test_extract_paper_repeated_name_found_again(nlp):
    got = found(nlp, "We propose ZenoNet. ZenoNet is fast, and ZenoNet is small.")
    assert [r for t, _, r in got if t == "ZenoNet"] == ["name.propose", "paper.repeat", "paper.repeat"]
