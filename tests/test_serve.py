"""``kg serve``: a real SPARQL endpoint on loopback, safe to leave running: queried with
SPARQLWrapper and rdflib, attacked with SERVICE, foreign Host and Origin headers, deep and
endless queries and half-open connections, rebuilt under, and stopped by pid."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from SPARQLWrapper import CSV, JSON, POST, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

pytestmark = pytest.mark.slow
CARTESIAN = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
COUNT = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"


def papers(path: Path, titles: list[str]) -> Path:
    path.write_text("".join(json.dumps({"title": t, "abstract": f"We propose FooNet for {t}, evaluated on ImageNet."})
                            + "\n" for t in titles), encoding="utf-8")
    return path


def build(inputs: Path, out: Path) -> Path:
    done = subprocess.run([sys.executable, "-m", "kg", "build", str(inputs), "-o", str(out), "--formats", "nt",
                           "--no-progress"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return out


class Server:
    """``kg serve`` in a subprocess on a free port (``--port 0``), stopped by pid."""

    def __init__(self, store: Path, *options: str) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "kg", "serve", str(store), "--port", "0", *options],
                                        stderr=subprocess.PIPE, text=True)
        line = self.process.stderr.readline()
        found = re.search(r"http://127\.0\.0\.1:(\d+)/query", line)
        assert found, line + self.process.stderr.read()
        self.port = int(found.group(1))
        self.url = f"http://127.0.0.1:{self.port}"
        self.log: list[str] = []  # the rest of stderr, read as it comes so the pipe never fills
        threading.Thread(target=lambda: self.log.extend(self.process.stderr), daemon=True).start()

    def engines(self) -> list[int]:
        return [pid for pid in _children(self.process.pid) if b"serve-read-only" in _command(pid)]

    def stop(self, signum: int = signal.SIGINT) -> int:
        if self.process.poll() is None:
            os.kill(self.process.pid, signum)
        try:
            return self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()


def _command(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def request(url: str, query: str | None = None, headers: dict[str, str] | None = None,
            method: str = "POST", timeout: float = 60) -> tuple[int, dict[str, str], str]:
    data = urllib.parse.urlencode({"query": query}).encode() if query is not None and method == "POST" else None
    if query is not None and method == "GET":
        url += "?" + urllib.parse.urlencode({"query": query})
    req = urllib.request.Request(url, data=data, method=method, headers={"Accept": "text/csv", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read().decode()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("serve")
    titles = ["Paper \"one\" <script>", "Zweites Papier über Graphen", "Control \u0001 and \ufffe characters"]
    return build(papers(base / "in.jsonl", titles), base / "D")


@pytest.fixture(scope="module")
def endpoint(folder: Path) -> Iterator[Server]:
    server = Server(folder / "store")
    yield server
    assert server.stop() == 130
    assert not [line for line in server.log if "Traceback" in line or "warning" in line], server.log


def test_serve_answers_sparql_queries_in_every_results_format(endpoint: Server) -> None:
    client = SPARQLWrapper(f"{endpoint.url}/query")
    client.setQuery("SELECT ?t WHERE { ?p <http://purl.org/dc/terms/title> ?t } ORDER BY ?t")
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]
    assert [r["t"]["value"] for r in rows] == ["Control and characters", 'Paper "one" <script>',
                                                "Zweites Papier über Graphen"]
    client.setReturnFormat(CSV)
    assert client.query().convert().decode().splitlines()[0] == "t"
    client.setReturnFormat(XML)  # well-formed: no control character reached the store
    assert len(client.query().convert().getElementsByTagName("result")) == 3


def test_serve_rdflib_sparqlstore_reads_it(endpoint: Server) -> None:
    from rdflib import Graph
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = Graph(store=SPARQLStore(f"{endpoint.url}/query", returnFormat="xml"))
    titles = {str(row[0]) for row in graph.query("SELECT ?t { ?p <http://purl.org/dc/terms/title> ?t }")}
    assert "Control and characters" in titles


def test_serve_refuses_updates(endpoint: Server) -> None:
    client = SPARQLWrapper(f"{endpoint.url}/update")
    client.setMethod(POST)
    client.setQuery("INSERT DATA { <http://example.org/x> <http://example.org/y> 1 }")
    with pytest.raises((SPARQLWrapperException, OSError)) as info:
        client.query()
    assert "403" in str(info.value), str(info.value)
    assert request(f"{endpoint.url}/query", "ASK { <http://example.org/x> ?p ?o }")[2].strip().endswith("false")


def test_serve_refuses_federated_queries_and_says_how_to_allow_them(endpoint: Server) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.5)
    target = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
    try:
        status, _, body = request(f"{endpoint.url}/query", f"SELECT * {{ SERVICE <{target}> {{ ?s ?p ?o }} }}")
        assert status == 400 and "start kg serve with --federated" in body
        with pytest.raises(TimeoutError):
            listener.accept()  # nothing was sent to the named endpoint
    finally:
        listener.close()
    status, _, body = request(f"{endpoint.url}/query", 'SELECT ?service { BIND("SERVICE" AS ?service) }')
    assert status == 200 and "SERVICE" in body


def test_serve_refuses_foreign_host_and_origin(endpoint: Server) -> None:
    url = f"{endpoint.url}/query"
    assert request(url, COUNT, {"Host": "rebound.attacker.example"})[0] == 403
    assert request(url, COUNT, {"Host": f"localhost:{endpoint.port}"})[0] == 200
    status, headers, body = request(url, COUNT, {"Origin": "https://attacker.example"})
    assert status == 403 and "Access-Control-Allow-Origin" not in headers and "--cors-origin" in body
    status, headers, _ = request(url, COUNT)
    assert status == 200 and "Access-Control-Allow-Origin" not in headers


def test_serve_cors_echoes_only_the_given_origins(folder: Path) -> None:
    server = Server(folder / "store", "--cors-origin", "https://ui.example.org")
    try:
        url = f"{server.url}/query"
        status, headers, _ = request(url, COUNT, {"Origin": "https://ui.example.org"})
        assert status == 200 and headers["Access-Control-Allow-Origin"] == "https://ui.example.org"
        assert request(url, COUNT, {"Origin": "https://other.example"})[0] == 403
        status, headers, _ = request(url, None, {"Origin": "https://ui.example.org",
                                                 "Access-Control-Request-Method": "POST"}, method="OPTIONS")
        assert status == 204 and headers["Access-Control-Allow-Origin"] == "https://ui.example.org"
    finally:
        server.stop()


def test_serve_deep_or_huge_query_costs_one_400_never_the_server(endpoint: Server) -> None:
    deep = "SELECT * WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000
    status, _, body = request(f"{endpoint.url}/query", deep)
    assert status == 400 and "nests groups 3000 deep" in body
    status, _, body = request(f"{endpoint.url}/query", "ASK {}" + " " * 2_000_000)
    assert status == 413
    assert endpoint.process.poll() is None
    assert request(f"{endpoint.url}/query", COUNT)[0] == 200


def test_serve_half_open_connections_do_not_stop_new_queries(endpoint: Server) -> None:
    stalled = []
    try:
        for _ in range(300):
            sock = socket.create_connection(("127.0.0.1", endpoint.port))
            sock.sendall(b"POST /query HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\nquery=")
            stalled.append(sock)
        started = time.monotonic()
        assert request(f"{endpoint.url}/query", COUNT, timeout=10)[0] == 200
        assert time.monotonic() - started < 5
    finally:
        for sock in stalled:
            sock.close()


def test_serve_cancels_a_query_past_the_timeout_and_an_abandoned_one(folder: Path) -> None:
    server = Server(folder / "store", "--timeout", "1.5", "--engines", "1")
    try:
        started = time.monotonic()
        status, _, body = request(f"{server.url}/query", CARTESIAN)
        assert status == 503 and "past the 1.5 s timeout" in body and time.monotonic() - started < 6
        assert request(f"{server.url}/query", COUNT)[0] == 200
    finally:
        server.stop()
    server = Server(folder / "store", "--timeout", "60", "--engines", "1")
    try:
        with pytest.raises((TimeoutError, urllib.error.URLError)):
            request(f"{server.url}/query", CARTESIAN, timeout=0.5)  # the client gives up
        started = time.monotonic()
        assert request(f"{server.url}/query", COUNT, timeout=30)[0] == 200  # the one engine is free again
        assert time.monotonic() - started < 10
    finally:
        server.stop()


def test_serve_follows_a_rebuild_of_its_folder(tmp_path: Path) -> None:
    out = build(papers(tmp_path / "a.jsonl", ["First"]), tmp_path / "D")
    server = Server(out / "store")
    try:
        before = request(f"{server.url}/query", COUNT)[2].split()[1]
        build(papers(tmp_path / "b.jsonl", ["First", "Second", "Third"]), out)
        after = request(f"{server.url}/query", COUNT)[2].split()[1]
        assert int(after) == (out / "kg.nt").read_bytes().count(b"\n") > int(before)
    finally:
        server.stop()


def test_serve_sigterm_and_ctrl_c_stop_the_engines_too(folder: Path) -> None:
    for signum, code in ((signal.SIGTERM, 143), (signal.SIGINT, 130)):
        server = Server(folder / "store")
        engines = server.engines()
        assert len(engines) == 2
        assert server.stop(signum) == code
        time.sleep(0.3)
        assert not [pid for pid in engines if _command(pid)]


def test_serve_port_in_use_is_one_line(folder: Path, endpoint: Server) -> None:
    done = subprocess.run([sys.executable, "-m", "kg", "serve", str(folder / "store"), "--port", str(endpoint.port)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.strip() == (f"kg: error: port {endpoint.port} on 127.0.0.1 is in use (another kg serve?); "
                                   "pick another with --port, or --port 0 for a free one")


def test_serve_rejects_a_folder_that_is_no_store(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "kg", "serve", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.strip() == f"kg: error: {tmp_path}: not an Oxigraph store (no CURRENT file); build one with kg build -o DIR"


def test_serve_refuses_a_folder_of_two_builds(tmp_path: Path) -> None:
    out = build(papers(tmp_path / "a.jsonl", ["First"]), tmp_path / "D")
    (out / "store" / "kg-generation").write_text("f" * 32 + "\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "kg", "serve", str(out / "store"), "--port", "0"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "its parts come from different builds" in result.stderr
