"""kg query: inputs, parameters, result formats and errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from graph_fixtures import GOLDEN, sample_build, select

from kg.build.store import load_store
from kg.cli import main
from kg.errors import GraphError, UsageError
from kg.rdf.queries import parse_saved

GRAPH = GOLDEN / "kg.ttl"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_query_list_shows_every_saved_query(capsys) -> None:
    code, out, _ = run(capsys, "query", "--list")
    assert code == 0
    assert "most-used-datasets\n" in out and "--param dataset=..." in out


def test_cli_query_table_is_aligned(capsys) -> None:
    code, out, err = run(capsys, "query", str(GRAPH), "--saved", "entity-search", "--param", "text=net")
    assert code == 0 and "3 row(s)" in err
    lines = out.splitlines()
    assert lines[0].split() == ["text", "name", "type", "papers"]
    assert set(lines[1]) <= {"-", " "}
    assert [line.split() for line in lines[2:]] == [
        ["net", "ResNet", "Architecture", "2"], ["net", "FooNet", "Method", "1"],
        ["net", "ImageNet", "Dataset", "1"]]
    column = lines[0].index("type")
    assert all(line[column - 2 : column] == "  " and line[column] != " " for line in lines[2:])


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json"])
def test_cli_query_standard_formats(capsys, fmt: str) -> None:
    """The materialised counts a built graph carries, in every standard result format."""
    code, out, _ = run(capsys, "query", str(sample_build() / "kg.nt"), "--saved", "methods-on-dataset",
                       "--param", "dataset=IMAGENET", "--format", fmt)
    assert code == 0
    if fmt == "json":
        data = json.loads(out)
        assert data["head"]["vars"] == ["dataset", "method", "type", "papers"]
        rows = [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
    else:
        reader = csv.reader(io.StringIO(out), delimiter="\t")
        header = [h.lstrip("?") for h in next(reader)]
        rows = [dict(zip(header, [c.strip('"').split('"^^')[0] for c in line], strict=True)) for line in reader]
    expected = select("methods-on-dataset", {"dataset": "IMAGENET"})
    assert len(expected) > 3
    assert [(r["method"], r["type"], r["papers"]) for r in rows] == [
        (r["method"], r["type"], r["papers"]) for r in expected]
    assert {r["dataset"] for r in rows} == {"IMAGENET"}


def test_cli_query_limit_replaces_the_saved_limit(capsys) -> None:
    graph = str(sample_build() / "kg.nt")
    every = select("edge-evidence", {"entity": "ImageNet", "relation": "*", "source": "*"}, limit=0)
    assert len(every) > 5
    for limit, expected in ((3, 3), (0, len(every)), (len(every) + 10, len(every))):
        code, out, _ = run(capsys, "query", graph, "--saved", "edge-evidence", "--param", "relation=*",
                           "--limit", str(limit), "--format", "csv")
        assert code == 0
        assert len(list(csv.DictReader(io.StringIO(out)))) == expected
    code, out, _ = run(capsys, "query", graph, "SELECT ?p WHERE { ?p a kgo:Paper }", "--limit", "4", "--format", "csv")
    assert len(list(csv.DictReader(io.StringIO(out)))) == 4
    code, _, err = run(capsys, "query", graph, "--saved", "edge-evidence", "--limit", "-1")
    assert code == 2 and "--limit must be 0 or more, found -1" in err


def test_cli_query_param_is_a_literal_not_sparql(capsys) -> None:
    hostile = 'x") } UNION { ?s ?p ?o } #'
    code, out, err = run(capsys, "query", str(GRAPH), "--saved", "entity-aliases", "--param", f"entity={hostile}")
    assert code == 0 and "0 row(s)" in err


def test_cli_query_text_and_file(capsys, tmp_path: Path) -> None:
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?p a kgo:Paper }"
    code, out, _ = run(capsys, "query", str(GRAPH), text, "--format", "csv")
    assert code == 0 and out.splitlines() == ["n", "3"]
    query = tmp_path / "q.rq"
    query.write_text("SELECT ?id ?t WHERE { ?p dcterms:title ?t ; dcterms:identifier ?id }", encoding="utf-8")
    code, out, _ = run(capsys, "query", str(GRAPH), "-f", str(query), "--format", "json",
                       "--param", "id=arxiv:cs/0112017")
    assert code == 0
    (row,) = json.loads(out)["results"]["bindings"]
    assert row["t"]["value"] == "A Study of Transformer-based Language Models"


def test_cli_query_ask_and_construct(capsys) -> None:
    code, out, _ = run(capsys, "query", str(GRAPH), "ASK { ?p kgo:evaluatedOn entity:imagenet }")
    assert (code, out) == (0, "true\n")
    code, out, _ = run(capsys, "query", str(GRAPH),
                       "CONSTRUCT { ?e a kgo:Dataset } WHERE { ?e a kgo:Dataset }", "--format", "csv")
    assert code == 0 and len(out.splitlines()) == 4 and "<https://example.org/kg/entity/coco>" in out


def test_cli_query_on_disk_store(capsys, tmp_path: Path) -> None:
    folder = tmp_path / "store"
    load_store(GOLDEN / "kg.nt", folder)
    code, out, _ = run(capsys, "query", str(folder), "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "csv")
    assert code == 0 and out.splitlines()[1] == str(sum(1 for _ in (GOLDEN / "kg.nt").open()))


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--saved", "nope"], "unknown saved query 'nope'; expected one of:"),
        (["--saved", "entity-search"], "needs --param text=VALUE"),
        (["--saved", "entity-aliases", "--param", "dataset=x"], "has no parameter 'dataset'"),
        (["--saved", "entity-aliases", "--param", "oops"], "expected NAME=VALUE"),
        (["SELECT ?x WHERE {"], "not valid SPARQL"),
        ([], "expected exactly one of QUERY, -f FILE or --saved NAME"),
    ],
)
def test_cli_query_usage_errors(capsys, argv: list[str], message: str) -> None:
    code, _, err = run(capsys, "query", str(GRAPH), *argv)
    assert code == 2
    assert message in err and err.startswith("kg: error:")


def test_cli_query_unprojected_param_explains(capsys) -> None:
    code, _, err = run(capsys, "query", str(GRAPH), "SELECT ?p WHERE { ?p dcterms:identifier ?id }",
                       "--param", "id=arxiv:cs/0112017")
    assert code == 1 and "must be listed after SELECT" in err


def test_cli_query_bad_graph_files(capsys, tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> .", encoding="utf-8")
    code, _, err = run(capsys, "query", str(broken), "ASK {}")
    assert code == 1 and "broken.ttl: not valid" in err
    code, _, err = run(capsys, "query", str(tmp_path / "graph.xyz"), "ASK {}")
    assert code == 1 and "cannot tell the RDF format" in err


def test_cli_query_saved_header_errors() -> None:
    with pytest.raises(Exception, match=r"q.rq:1: missing '# description"):
        parse_saved("# name: q\nSELECT * {}", "q.rq")
    with pytest.raises(Exception, match=r"q.rq:3: parameter 'x' is not used"):
        parse_saved("# name: q\n# description: d\n# param: x | what\nSELECT * {}", "q.rq")
    with pytest.raises(Exception, match="must be the file's name"):
        parse_saved("# name: other\n# description: d\nSELECT * {}", "q.rq")
    assert issubclass(UsageError, Exception) and issubclass(GraphError, Exception)


@pytest.mark.parametrize("name", ["kg.jsonld", "kg.nt.gz"])
def test_cli_query_reads_jsonld_and_gzip(capsys, tmp_path: Path, name: str) -> None:
    import gzip

    source = GOLDEN / name.removesuffix(".gz")
    path = tmp_path / name
    path.write_bytes(gzip.compress(source.read_bytes()) if name.endswith(".gz") else source.read_bytes())
    code, out, _ = run(capsys, "query", str(path), "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "csv")
    assert code == 0 and out.splitlines()[1] == str(sum(1 for _ in (GOLDEN / "kg.nt").open()))
