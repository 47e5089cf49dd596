"""What ``kg serve`` checks before any engine sees a request: federated clauses, nesting depth
and size (strings, IRIs and comments excluded), the Host header and the Origin."""

from __future__ import annotations

import pytest

from kg.serve.guard import (
    Policy,
    Refused,
    check_host,
    check_origin,
    check_query,
    depth,
    federated,
    host_name,
    origins,
)


@pytest.mark.parametrize(("query", "expected"), [
    ("SELECT * { SERVICE <http://x/sparql> { ?s ?p ?o } }", True),
    ("select * { service silent ?endpoint { ?s ?p ?o } }", True),
    ("SELECT * {\nSERVICE\t<http://x> {} }", True),
    ("SELECT ?service { ?s ?p ?service }", False),
    ("SELECT * { ?s ex:SERVICE ?o . ?s :service ?o }", False),
    ("SELECT * { ?s <http://example.org/SERVICE> 'SERVICE' }", False),
    ('SELECT * { ?s ?p """a SERVICE\nin a long string""" }', False),
    ("SELECT * { ?s ?p ?o } # SERVICE <http://x> in a comment", False),
    ("SELECT * { ?s ?p ?o FILTER(?o < 3 && ?o > 1) SERVICE <http://x> {} }", True),
])
def test_serve_guard_federated(query: str, expected: bool) -> None:
    assert federated(query) is expected


@pytest.mark.parametrize(("query", "expected"), [
    ("SELECT * { ?s ?p ?o }", 1),
    ("SELECT * { { { ?s ?p ?o } } }", 3),
    ("SELECT * { ?s ?p '{{{{{{' } # }}}}}}}", 1),
    ("SELECT (((1 + 2)) AS ?x) { }", 3),
    ("SELECT * { ?s ?p [ ?q [ ?r ?t ] ] }", 3),
    ("SELECT * { ?s ?p '''}\n{{{''' }", 1),
])
def test_serve_guard_depth(query: str, expected: int) -> None:
    assert depth(query) == expected


def test_serve_guard_query_limits() -> None:
    policy = Policy(max_query_bytes=100, max_depth=3)
    check_query("SELECT * { { { ?s ?p ?o } } }", policy)
    with pytest.raises(Refused, match="nests groups 4 deep") as info:
        check_query("SELECT * { { { { ?s ?p ?o } } } }", policy)
    assert info.value.status == 400
    with pytest.raises(Refused, match="at most 100") as info:
        check_query("ASK {}" + " " * 100, policy)
    assert info.value.status == 413
    with pytest.raises(Refused, match="--federated"):
        check_query("ASK { SERVICE <http://x> {} }", policy)
    check_query("ASK { SERVICE <http://x> {} }", Policy(federated=True))


@pytest.mark.parametrize(("header", "name"), [
    ("127.0.0.1:7878", "127.0.0.1"), ("LOCALHOST:80", "localhost"), ("[::1]:7878", "[::1]"),
    ("example.org", "example.org"), ("::1", "::1"), (None, ""),
])
def test_serve_guard_host_name(header: str | None, name: str) -> None:
    assert host_name(header) == name


def test_serve_guard_host() -> None:
    loopback = Policy()
    for header in ("127.0.0.1:7878", "localhost:7878", "[::1]:7878"):
        check_host(header, loopback)
    for header in ("attacker.example:7878", "192.168.1.9:7878", "", None):
        with pytest.raises(Refused):
            check_host(header, loopback)
    wildcard = Policy(host="0.0.0.0", allowed_hosts=frozenset({"lab-box"}))
    check_host("192.168.1.9:7878", wildcard)
    check_host("lab-box:7878", wildcard)
    with pytest.raises(Refused, match="--allow-host attacker.example"):
        check_host("attacker.example", wildcard)


def test_serve_guard_origin() -> None:
    policy = Policy(cors_origins=frozenset({"https://ui.example.org"}))
    assert check_origin(None, "127.0.0.1:7878", policy) is None
    assert check_origin("https://ui.example.org", "127.0.0.1:7878", policy) == "https://ui.example.org"
    assert check_origin("http://127.0.0.1:7878", "127.0.0.1:7878", policy) is None  # same origin
    with pytest.raises(Refused, match="--cors-origin https://attacker.example"):
        check_origin("https://attacker.example", "127.0.0.1:7878", policy)
    assert origins(["https://ui.example.org/", "http://localhost:3000"]) == {
        "https://ui.example.org", "http://localhost:3000"}
    with pytest.raises(ValueError, match="expected an origin"):
        origins(["ui.example.org"])
