"""``kg serve``: a real SPARQL endpoint on loopback, queried with SPARQLWrapper, stopped by pid."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from SPARQLWrapper import CSV, JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from kg.serve import wait_for_port

TRIPLES = """\
<http://example.org/p1> <http://purl.org/dc/terms/title> "Paper \\"one\\" <script>" .
<http://example.org/p2> <http://purl.org/dc/terms/title> "Zweites Papier über Graphen" .
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("serve")
    (folder / "data.nt").write_text(TRIPLES, encoding="utf-8")
    store = folder / "store"
    subprocess.run(  # build and close the store in another process, as kg build does
        [sys.executable, "-c", "import pyoxigraph as ox, sys; s = ox.Store(sys.argv[1]); "
         "s.bulk_load(path=sys.argv[2], format=ox.RdfFormat.N_TRIPLES); s.flush()",
         str(store), str(folder / "data.nt")],
        check=True,
    )
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", str(store), "--port", str(port)],
        stderr=subprocess.PIPE, text=True,
    )
    try:
        wait_for_port("127.0.0.1", port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        os.kill(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_serve_answers_sparql_queries(endpoint: str) -> None:
    client = SPARQLWrapper(f"{endpoint}/query")
    client.setQuery("SELECT ?t WHERE { ?p <http://purl.org/dc/terms/title> ?t } ORDER BY ?t")
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]
    assert [r["t"]["value"] for r in rows] == ['Paper "one" <script>', "Zweites Papier über Graphen"]
    client.setReturnFormat(CSV)
    assert client.query().convert().decode().splitlines()[0] == "t"


def test_serve_refuses_updates(endpoint: str) -> None:
    client = SPARQLWrapper(f"{endpoint}/update")
    client.setMethod(POST)
    client.setQuery("INSERT DATA { <http://example.org/x> <http://example.org/y> 1 }")
    with pytest.raises((SPARQLWrapperException, OSError)) as info:
        client.query()
    assert "403" in str(info.value), str(info.value)
    check = SPARQLWrapper(f"{endpoint}/query")
    check.setQuery("ASK { <http://example.org/x> ?p ?o }")
    check.setReturnFormat(JSON)
    assert check.query().convert()["boolean"] is False


def test_serve_binds_loopback_only(endpoint: str) -> None:
    assert endpoint.startswith("http://127.0.0.1:")


def test_serve_rejects_a_folder_that_is_no_store(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "kg", "serve", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.strip() == f"kg: error: {tmp_path}: not an Oxigraph store (no CURRENT file); build one with kg build -o DIR"
