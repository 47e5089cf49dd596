"""The extractor's interfaces: build_nlp, extract_papers (plain records), kg extract and kg eval."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.cli import main
from kg.errors import UsageError
from kg.extract import build_nlp, extract_papers
from kg.extract.evaluate import (
    DEFAULT_MAP,
    evaluate,
    normalise_with_offsets,
    parse_type_map,
    read_gold,
)
from kg.ingest import read_papers
from kg.records import Extraction, Paper
from kg.report import RunReport

FIXTURES = Path(__file__).parent / "fixtures" / "extract"


@pytest.fixture(scope="module")
def nlp():
    return build_nlp()


@pytest.fixture(scope="module")
def sample(nlp):
    papers = read_papers(None, RunReport())
    return papers, list(extract_papers(papers, nlp))


def test_extract_pipeline_build_nlp_is_blank_english_with_components(nlp):
    assert nlp.lang == "en"
    assert nlp.pipe_names == ["kg_matcher", "kg_context", "kg_naming", "kg_acronyms"]
    assert [t.text for t in nlp.make_doc("GPT-4 on CIFAR-10")] == ["GPT-4", "on", "CIFAR-10"]


def test_extract_pipeline_model_path_gets_the_same_components(tmp_path):
    import spacy

    spacy.blank("en").to_disk(tmp_path / "pipeline")
    nlp = build_nlp(str(tmp_path / "pipeline"))
    assert nlp.pipe_names == ["kg_matcher", "kg_context", "kg_naming", "kg_acronyms"]
    (ex,) = extract_papers([Paper(id="m", title="", abstract="We train a ResNet-50 on CIFAR-10.")], nlp)
    assert [(m.text, m.type) for m in ex.mentions] == [("ResNet-50", "Architecture"), ("CIFAR-10", "Dataset")]


def test_extract_pipeline_unknown_model_is_a_usage_error():
    with pytest.raises(UsageError, match="not installed"):
        build_nlp("xx_no_such_pipeline_sm")


def test_extract_pipeline_records_are_plain_and_offsets_exact(sample):
    papers, found = sample
    assert [e.id for e in found] == [p.id for p in papers]
    by_id = {p.id: p for p in papers}
    total = 0
    for ex in found:
        assert isinstance(ex, Extraction) and ex.relations == []
        paper = by_id[ex.id]
        assert ex.title == paper.title
        for m in ex.mentions:
            text = paper.title if m.field == "title" else paper.abstract
            assert text[m.start:m.end] == m.text
            assert 0 < m.confidence <= 1 and m.rule and m.canonical
            total += 1
        assert ex.sentences["title"] == ([(0, len(paper.title))] if paper.title else [])
        spans = ex.sentences["abstract"]
        assert all(a < b <= c for (a, b), (c, _) in zip(spans, spans[1:], strict=False))
        # JSON round trip, as worker processes ship them
        assert Extraction.from_dict(json.loads(json.dumps(ex.to_dict()))).to_dict() == ex.to_dict()
    assert total > 2000


@pytest.mark.parametrize("batch_size", [1, 7, 1000])
def test_extract_pipeline_batch_size_changes_nothing_but_speed(nlp, sample, batch_size):
    papers, found = sample
    again = list(extract_papers(papers[:60], nlp, batch_size=batch_size))
    assert [e.to_dict() for e in again] == [e.to_dict() for e in found[:60]]


def test_extract_pipeline_batch_size_below_one_is_a_usage_error(tmp_path, capsys):
    assert main(["extract", "--batch-size", "0", "-o", str(tmp_path / "m.jsonl"),
                 "--no-progress"]) == 2
    assert "--batch-size must be at least 1, found 0" in capsys.readouterr().err
    assert not (tmp_path / "m.jsonl").exists()


def test_extract_pipeline_freezes_the_heap_only_while_it_runs(nlp):
    import gc

    papers = [Paper(id=str(n), title="BERT", abstract="We use BERT on GLUE.") for n in range(5)]
    assert gc.get_freeze_count() == 0
    stream = extract_papers(papers, nlp, batch_size=2)
    next(stream)
    assert gc.get_freeze_count() > 0  # frozen while the caller holds a half-read stream
    stream.close()  # a stream left early unfreezes too
    assert gc.get_freeze_count() == 0
    assert len(list(extract_papers(papers, nlp))) == 5
    assert gc.get_freeze_count() == 0
    gc.freeze()  # frozen by the application: left as it was
    try:
        frozen = gc.get_freeze_count()
        assert len(list(extract_papers(papers, nlp))) == 5
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


def test_extract_pipeline_makes_no_reference_cycles(nlp, sample):
    """The collector is paused while a batch is extracted: that is only free of cost
    if extraction leaves no cyclic garbage behind."""
    import gc

    papers, _ = sample
    list(extract_papers(papers[:50], nlp))  # first use of every rule, cache and string
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        assert len(list(extract_papers(papers, nlp))) == len(papers)
        assert gc.collect() == 0
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()


def _mentions(found, title_word):
    (ex,) = [e for e in found if title_word in e.title]
    return ex.mentions


def test_extract_pipeline_sample_corpus_finds_named_entities(sample):
    _, found = sample
    emnist = _mentions(found, "EMNIST")
    assert ("EMNIST", "Dataset") in {(m.text, m.type) for m in emnist}
    adapt = _mentions(found, "AdaptCLIP")
    rules = {m.rule for m in adapt if m.text == "AdaptCLIP" and m.field == "abstract"}
    assert "name.called" in rules  # "a simple yet effective method called AdaptCLIP"
    assert {m.type for m in adapt if m.text == "AdaptCLIP"} == {"Method"}


def test_extract_pipeline_sample_corpus_top_entities_look_right(sample):
    from kg.extract.canon import CanonSummary, resolve

    _, found = sample
    table = resolve(CanonSummary.of(found))
    top = {}
    for e in sorted(table.entities.values(), key=lambda e: (-e.paper_count, e.key)):
        top.setdefault(e.type, []).append(e.key)
    assert {"mnist", "imagenet", "cifar-10"} <= set(top["Dataset"][:6])
    assert "accuracy" in top["Metric"][:3]
    assert {"transformer", "large-language-model"} <= set(top["Architecture"][:8])


def test_extract_pipeline_title_and_abstract_are_separate_texts(nlp):
    (ex,) = extract_papers([Paper(id="x", title="Transformers", abstract="We use BERT.")], nlp)
    assert [(m.field, m.start, m.end) for m in ex.mentions] == [("title", 0, 12), ("abstract", 7, 11)]


def test_extract_pipeline_kg_extract_command(tmp_path, capsys):
    out = tmp_path / "mentions.jsonl"
    entities = tmp_path / "entities.json"
    assert main(["extract", "-o", str(out), "--entities", str(entities), "--no-progress"]) == 0
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(lines) > 300
    assert set(lines[0]) == {"id", "title", "mentions", "results"}
    table = json.loads(entities.read_text())
    keys = set(table["entities"])
    for line in lines:
        for m in line["mentions"]:
            assert set(m) == {"text", "type", "canonical", "start", "end", "field", "rule", "confidence"}
            assert m["canonical"] in keys  # corpus-wide entity keys
        for r in line["results"]:
            assert set(r) == {"value", "number", "upper", "unit", "kind", "metric", "dataset", "task", "method",
                              "baseline", "baseline_value", "field", "sentence_start", "sentence_end", "start",
                              "end", "spans", "rule", "confidence"}
            assert all(r[part] is None or r[part] in keys for part in ("metric", "dataset", "task", "method", "baseline"))
    assert sum(len(line["results"]) for line in lines) == 134
    assert "extract" in capsys.readouterr().err


# --- kg eval ----------------------------------------------------------------------------

def test_extract_pipeline_type_map():
    m = parse_type_map(DEFAULT_MAP)
    assert m["Method"] == {"Method", "Architecture"} and m["Material"] == {"Dataset"}
    assert parse_type_map("Metric,Task=Task") == {"Metric": {"Metric"}, "Task": {"Task"}}
    with pytest.raises(UsageError, match="--map"):
        parse_type_map("Material=Corpus")


def test_extract_pipeline_normalise_with_offsets():
    text = "  A\n\tB  c "
    norm, where = normalise_with_offsets(text)
    assert norm == "A B c"
    assert [text[where[i]] for i in range(len(norm)) if norm[i] != " "] == ["A", "B", "c"]
    assert where[len(norm)] == len(text.rstrip())


def test_extract_pipeline_eval_scores_fixture(nlp):
    golds = list(read_gold(FIXTURES / "gold.jsonl"))
    scores = evaluate(golds, parse_type_map(DEFAULT_MAP), lambda papers: extract_papers(papers, nlp))
    rows = {r["type"]: r for r in scores.table()}
    # CIFAR-10 and WMT14 are found ("dataset" not part of the span); "images" is not
    assert rows["Dataset"]["predicted"] == 2 and rows["Dataset"]["exact"]["p"] == 1.0
    assert rows["Dataset"]["gold"] == 3 and rows["Dataset"]["overlap"]["r"] == pytest.approx(2 / 3)
    assert rows["Metric"]["overlap"]["p"] == 1.0 and rows["Metric"]["gold"] == 2
    assert rows["Method|Architecture"]["overlap"]["r"] == 1.0  # "graph model": content word + method head
    salient = {r["type"]: r for r in scores.salient_table()}
    assert salient["Dataset"]["r"] == 1.0 and salient["Metric"]["r"] == 1.0


def test_extract_pipeline_kg_eval_command(capsys):
    assert main(["eval", str(FIXTURES / "gold.jsonl")]) == 0
    out = capsys.readouterr().out
    assert "overlap P" in out and "Dataset" in out and "salient" in out
    assert main(["eval", str(FIXTURES / "gold.jsonl"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data.values())[0]["documents"] == 3


def test_extract_pipeline_kg_eval_scores_relations_against_gold_relations(tmp_path, capsys):
    """isA is scored against HYPONYM-OF (same direction), outperforms against COMPARE (either
    direction); a gold relation the extractor misses counts against recall only."""
    text = ("Vision-language models like CLIP and ALIGN are strong. RoBERTa outperforms BERT on GLUE. "
            "GLUE is a benchmark.")

    def span(word, nth=0):
        start = -1
        for _ in range(nth + 1):
            start = text.index(word, start + 1)
        return start, start + len(word)

    def relation(kind, head, tail):
        (hs, he), (ts, te) = head, tail
        return {"type": kind, "head_start": hs, "head_end": he, "tail_start": ts, "tail_end": te}

    words = ["Vision-language models", "CLIP", "ALIGN", "RoBERTa", " BERT", "GLUE"]
    gold = {"id": "g1", "text": text,
            "entities": [{"start": a, "end": b, "type": "Method"} for a, b in map(span, words)],
            "relations": [relation("HYPONYM-OF", span("CLIP"), span("Vision-language models")),
                          relation("HYPONYM-OF", span("ALIGN"), span("Vision-language models")),
                          relation("COMPARE", span(" BERT"), span("RoBERTa")),
                          relation("HYPONYM-OF", span("GLUE", 1), span("benchmark"))]}
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(gold) + "\n", encoding="utf-8")
    assert main(["eval", str(path), "--json"]) == 0
    rows = {r["type"]: r for r in list(json.loads(capsys.readouterr().out).values())[0]["relations"]}
    assert (rows["isA"]["predicted"], rows["isA"]["p"], rows["isA"]["gold"], rows["isA"]["r"]) == (2, 1.0, 3, 2 / 3)
    assert (rows["outperforms"]["predicted"], rows["outperforms"]["p"], rows["outperforms"]["r"]) == (1, 1.0, 1.0)
    assert rows["all"]["predicted"] == 3 and rows["all"]["gold"] == 4
    assert main(["eval", str(path)]) == 0
    assert "entity -> entity relations (1 abstracts" in capsys.readouterr().out


@pytest.mark.parametrize("line", [
    '{"id": 1}',
    '{"id": 1, "text": "abc", "entities": [], "relations": [{"type": "COMPARE", "head_start": "x", '
    '"head_end": 1, "tail_start": 0, "tail_end": 1}]}',
    '{"id": 1, "text": "abc", "entities": [], "salient_mentions": {"a": [{"start": 0}]}}',
])
def test_extract_pipeline_kg_eval_bad_gold(tmp_path, capsys, line):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(line + "\n")
    assert main(["eval", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "bad.jsonl:1: not a gold record" in err and err.count("\n") == 1


def test_extract_pipeline_optional_components_expose_spans_and_sentences():
    nlp = build_nlp()
    nlp.add_pipe("kg_sentences")
    nlp.add_pipe("kg_spans")
    doc = nlp("We train a ResNet-50 on CIFAR-10. It works.")
    assert [(s.text, s.label_, s.id_) for s in doc.spans["kg_candidates"]] == [
        ("ResNet-50", "Architecture", "gaz.architecture"), ("CIFAR-10", "Dataset", "gaz.dataset")]
    assert doc._.kg_sentences == [(0, 33), (34, 43)]
    assert [c.rule for c in doc._.kg_candidates] == ["gaz.architecture", "gaz.dataset"]
