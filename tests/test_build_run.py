"""kg build: outputs, report, determinism, atomic writes, formats and errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from graph_fixtures import sample_build

from kg.cli import main
from kg.rdf.load import load
from kg.records import EDGE_TYPES, ENTITY_TYPES, EntityTable, Extraction

REPO_GRAPHS = Path(__file__).parent.parent / "graphs"

HOSTILE = [
    {"id": "2401.00001", "title": 'FooNet: "Quoted" \\ <script>alert(1)</script> Nets',
     "abstract": "We propose FooNet, a variant of ResNet. We evaluate on ImageNet and report top-1 "
                 "accuracy. Naïve $\\alpha$-LaTeX \\textbf{x} 漢字 🚀.", "update_date": "2024-01-15"},
    {"id": "2402.00002", "title": "Transformers for Question Answering",
     "abstract": "We use BERT as backbone and evaluate on SQuAD. BERT outperforms LSTMs on SQuAD."},
]


def _input(tmp_path: Path) -> Path:
    path = tmp_path / "papers.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in HOSTILE), encoding="utf-8")
    return path


def test_build_writes_every_output(tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    assert main(["build", str(_input(tmp_path)), "-o", str(out), "--jsonld", "--no-progress",
                 "--base-iri", "https://papers.test/kg/"]) == 0
    err = capsys.readouterr().err
    assert "kg: build: 2 papers" in err
    names = {p.name for p in out.iterdir()}
    assert {"kg.ttl", "kg.nt", "kg.jsonld", "build-report.json", "extractions.jsonl", "entities.json"} <= names
    assert not [n for n in names if n.endswith(".tmp")]
    report = json.loads((out / "build-report.json").read_text(encoding="utf-8"))
    assert report["papers"] == 2 and report["base_iri"] == "https://papers.test/kg/"
    assert list(report["entities"]["by_type"]) == list(ENTITY_TYPES)
    assert sum(report["entities"]["by_type"].values()) == report["entities"]["total"] > 0
    assert list(report["edges"]["by_type"]) == list(EDGE_TYPES)
    assert sum(report["edges"]["by_type"].values()) == report["edges"]["total"] > 0
    assert report["edges"]["by_type"]["evaluatedOn"] >= 2 and report["edges"]["by_type"]["proposes"] >= 1
    timings = json.loads((out / "build-timings.json").read_text(encoding="utf-8"))
    assert {"ingest", "extract", "resolve", "triples", "rdf", "store", "records"} <= set(timings)
    assert "timings" not in report
    assert report["warnings"] == []
    graph = load(out / "kg.ttl")
    assert len(graph) == report["triples"] == len(load(out / "kg.jsonld"))
    titles = {str(o) for o in graph.objects(None, __import__("rdflib").URIRef("http://purl.org/dc/terms/title"))}
    assert HOSTILE[0]["title"] in titles
    assert "https://papers.test/kg/paper/arxiv:2401.00001" in (out / "kg.nt").read_text(encoding="utf-8")
    extractions = [Extraction.from_dict(json.loads(line)) for line in (out / "extractions.jsonl").open()]
    assert [e.id for e in extractions] == ["arxiv:2401.00001", "arxiv:2402.00002"]
    assert any(r.type == "outperforms" for e in extractions for r in e.relations)
    table = EntityTable.from_dict(json.loads((out / "entities.json").read_text(encoding="utf-8")))
    assert len(table.entities) == report["entities"]["total"]


@pytest.mark.slow
def test_build_rdf_is_byte_identical_across_runs(tmp_path: Path) -> None:
    first = sample_build()
    assert main(["build", "-o", str(tmp_path), "--formats", "nt,ttl", "--no-progress"]) == 0
    for name in ("kg.nt", "kg.ttl", "extractions.jsonl", "entities.json"):
        assert (tmp_path / name).read_bytes() == (first / name).read_bytes(), name


@pytest.mark.slow
def test_build_graphs_folder_is_current(tmp_path: Path) -> None:
    """``make run`` leaves a clean checkout clean: a default build of the bundled corpus
    gives every committed file of graphs/ byte for byte, and writes nothing else that
    graphs/.gitignore does not ignore (the store, the work folder, the timings)."""
    from fnmatch import fnmatch

    from kg.build import BuildOptions, RunSettings, run_build
    from kg.report import RunReport

    run_build([], tmp_path, BuildOptions(), RunReport(), RunSettings(progress=False))
    patterns = [p.rstrip("/") for p in (REPO_GRAPHS / ".gitignore").read_text(encoding="utf-8").split()]

    def ignored(name: str) -> bool:
        return any(fnmatch(name, pattern) for pattern in patterns)

    committed = {p.name for p in REPO_GRAPHS.iterdir() if not ignored(p.name)} - {".gitignore"}
    written = {p.name for p in tmp_path.iterdir()}
    assert {name for name in written if not ignored(name)} == committed
    assert {name for name in written if ignored(name)} == {"store", "work", "build-timings.json", ".kg-lock"}
    for name in sorted(committed):
        assert (REPO_GRAPHS / name).read_bytes() == (tmp_path / name).read_bytes(), (
            f"graphs/{name} is stale: run `make run` in the repository to refresh graphs/")


@pytest.mark.slow
def test_build_sample_report_counts() -> None:
    report = json.loads((sample_build() / "build-report.json").read_text(encoding="utf-8"))
    assert report["papers"] == 411
    assert report["counts"]["entries"] == 454 and report["counts"]["duplicates"] == 43
    assert all(report["edges"]["by_type"][t] > 0 for t in ("proposes", "uses", "evaluatedOn",
                                                           "reportsMetric", "addresses", "mentions", "isA"))


def test_build_failed_write_leaves_no_half_file(tmp_path: Path, monkeypatch, capsys) -> None:
    import pyoxigraph

    out = tmp_path / "out"
    out.mkdir()
    (out / "kg.ttl").write_text("previous\n", encoding="utf-8")

    def broken(triples, output, **kwargs):
        output.write(b"@prefix half: <")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pyoxigraph, "serialize", broken)
    assert main(["build", str(_input(tmp_path)), "-o", str(out), "--formats", "nt,ttl", "--no-progress"]) == 1
    (line,) = capsys.readouterr().err.strip().splitlines()[-1:]
    assert line == f"kg: error: {out}: No space left on device; {out} is left as it was"
    assert (out / "kg.ttl").read_text(encoding="utf-8") == "previous\n"
    assert sorted(p.name for p in out.iterdir()) == [".kg-lock", "kg.ttl"]


def test_build_format_selection_and_missing_exporter(tmp_path: Path, monkeypatch, capsys) -> None:
    import kg.build.options as options
    from kg.registry import Plugin, Registry

    broken = Registry("export format", [*options.EXPORTERS, Plugin("nosuch", "kg.export.nosuch_format", "write")])
    monkeypatch.setattr(options, "EXPORTERS", broken)
    monkeypatch.setattr(options, "OUTPUT_FORMATS", Registry.union("format", options.RDF_FORMATS, broken))
    out = tmp_path / "out"
    assert main(["build", str(_input(tmp_path)), "-o", str(out), "--no-progress",
                 "--formats", "turtle,nosuch"]) == 0
    assert "format 'nosuch' skipped" in capsys.readouterr().err
    report = json.loads((out / "build-report.json").read_text(encoding="utf-8"))
    assert report["files"] == {
        "entities": "entities.json", "extractions": "extractions.jsonl", "store": "store/", "ttl": "kg.ttl",
    }
    assert report["warnings"][0]["kind"] == "exporter"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--formats", "ttl,pdf"], "--formats: unknown format 'pdf'"),
        (["--base-iri", "example.org/kg/"], "--base-iri: expected an absolute http(s) IRI"),
        (["--base-iri", "https://example.org/kg"], "to end with '/' or '#'"),
        (["--base-iri", "https://example.org/k g/"], "not allowed in an IRI"),
    ],
)
def test_build_usage_errors(tmp_path: Path, capsys, argv: list[str], message: str) -> None:
    assert main(["build", str(_input(tmp_path)), "-o", str(tmp_path / "o"), "--no-progress", *argv]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_build_output_must_be_a_folder(tmp_path: Path, capsys) -> None:
    target = tmp_path / "file.txt"
    target.write_text("keep\n", encoding="utf-8")
    assert main(["build", str(_input(tmp_path)), "-o", str(target), "--no-progress"]) == 2
    assert "expected a folder, found a file" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "keep\n"


@pytest.mark.slow
def test_build_partitions_reduce_to_the_same_graph() -> None:
    """Stages as a partitioned run would call them: summaries of two halves merged give the
    same entities and edges as one pass, and partition results are plain picklable records."""
    import pickle

    from graph_fixtures import sample_records

    from kg.build import BuildOptions
    from kg.build.extract_step import process_partition
    from kg.extract.canon import CanonSummary, resolve
    from kg.graph.edges import assemble
    from kg.results import rank_metrics

    papers, extractions, table, edges = sample_records()
    half = len(extractions) // 2
    merged = CanonSummary.of(extractions[:half])
    merged.merge(CanonSummary.of(extractions[half:]))
    split_table = resolve(merged)
    rank_metrics(split_table)
    assert split_table.to_dict() == table.to_dict()
    assert [e.to_dict() for e in assemble(papers, extractions, split_table)] == [e.to_dict() for e in edges]
    part = process_partition(papers[:3], BuildOptions())
    assert pickle.loads(pickle.dumps(part)) == part
    assert [e.id for e in part] == [p.id for p in papers[:3]] and all(e.relations for e in part)
    assert [len(e.results) for e in part] == [len(e.results) for e in extractions[:3]]


def test_build_counts_pair_only_entities_of_the_counted_type(tmp_path: Path) -> None:
    """One paper reads a method's name as a dataset: the corpus types it Method, so no
    dataset x metric count names it and the full SHACL check still passes."""
    from kg.rdf.load import load
    from kg.rdf.validate import validate

    source = tmp_path / "typed.jsonl"
    rows = [
        ("a1", "EM for mixtures", "We use expectation-maximization to fit mixtures. "
         "Expectation-maximization converges."),
        ("a2", "EM again", "We train with expectation-maximization and report accuracy."),
        ("a3", "A benchmark", "We evaluate our method on the Expectation-Maximization dataset "
         "and report accuracy and F1."),
    ]
    source.write_text("".join(json.dumps({"id": i, "title": t, "abstract": a}) + "\n" for i, t, a in rows),
                      encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(source), "-o", str(out)]) == 0
    relations = [json.loads(line) for line in (out / "extractions.jsonl").read_text().splitlines()]
    assert ("evaluatedOn", "expectation-maximization") in {
        (r["type"], r["tail"]) for r in relations[2]["relations"]}  # the paper's own reading stays
    text = (out / "kg.nt").read_text(encoding="utf-8")
    assert "/cooccurrence/" not in text
    assert validate(load(out / "kg.nt")) == (True, [])


def test_build_that_fails_its_shacl_check_publishes_nothing(tmp_path: Path, monkeypatch, capsys) -> None:
    import kg.build.run as build_run
    from kg.rdf.validate import Violation

    wrong = Violation("<https://example.org/kg/cooccurrence/x>", "kgo:dataset",
                      "Value does not have class kgo:Dataset", "Violation", "entity:em")
    monkeypatch.setattr(build_run, "fast_check", lambda lines, base_iri: (False, [wrong]))
    out = tmp_path / "out"
    assert main(["build", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "does not conform to the shapes (1 violation(s), first: Violation: " in err
    assert "nothing was published" in err
    assert not (out / "kg.nt").exists()
