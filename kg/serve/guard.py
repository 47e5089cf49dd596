"""What a request must pass before any SPARQL engine sees it.

The engine (Oxigraph's server) runs a ``SERVICE`` clause by sending a request
to the IRI it names, overflows its parser's stack on a few thousand nested
groups, and answers any web page that reaches the loopback port. So the
front checks, from the request alone: the ``Host`` (a browser on a
DNS-rebinding page sends its own name), the ``Origin``, the query's size and
nesting depth, and federated clauses, each refusal a clear 4xx that names
what to change.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

LOCAL_NAMES = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})
MAX_DEPTH = 200  # groups, brackets and parentheses inside each other (Oxigraph's parser fails near 3,000)
MAX_QUERY_BYTES = 1 << 20

# the parts of a query in which braces and keywords are not syntax: strings (long and
# short, with escapes), IRIs and comments
_OPAQUE = re.compile(
    r"'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n\r]*",
    re.DOTALL,
)
_SERVICE = re.compile(r"(?<![\w?$:])SERVICE(?![\w:])", re.IGNORECASE)
_OPEN, _CLOSE = "{([", "})]"


class Refused(Exception):
    """A request the front answers itself: ``status`` and a one-line reason."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Policy:
    """What the endpoint lets through (the ``kg serve`` options)."""

    host: str = "127.0.0.1"
    allowed_hosts: frozenset[str] = field(default_factory=frozenset)
    cors_origins: frozenset[str] = field(default_factory=frozenset)
    federated: bool = False
    max_query_bytes: int = MAX_QUERY_BYTES
    max_depth: int = MAX_DEPTH


def syntax(query: str) -> str:
    """The query with strings, IRIs and comments blanked out (same length)."""
    return _OPAQUE.sub(lambda m: " " * len(m.group()), query)


def depth(query: str) -> int:
    """How deeply groups, brackets and parentheses nest outside strings, IRIs and comments."""
    deepest = level = 0
    for char in syntax(query):
        if char in _OPEN:
            level += 1
            deepest = max(deepest, level)
        elif char in _CLOSE:
            level -= 1
    return deepest


def federated(query: str) -> bool:
    """Does the query hold a ``SERVICE`` clause (not a variable, prefixed name or string)?"""
    return _SERVICE.search(syntax(query)) is not None


def check_query(query: str, policy: Policy) -> None:
    """``Refused`` when the query is too large, nests too deeply, or is federated."""
    size = len(query.encode("utf-8", errors="surrogatepass"))
    if size > policy.max_query_bytes:
        raise Refused(413, f"the query is {size:,} bytes; kg serve takes at most {policy.max_query_bytes:,} "
                           "(--max-query-bytes)")
    found = depth(query)
    if found > policy.max_depth:
        raise Refused(400, f"the query nests groups {found} deep; kg serve takes at most {policy.max_depth}")
    if not policy.federated and federated(query):
        raise Refused(400, "federated queries (SERVICE) are off; start kg serve with --federated to allow them")


def host_name(header: str | None) -> str:
    """The name part of a ``Host`` header: ``[::1]:7878`` -> ``[::1]``, ``Example.ORG:80`` -> ``example.org``."""
    value = (header or "").strip().lower()
    if value.startswith("["):
        return value[: value.find("]") + 1] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return False
    return True


def check_host(header: str | None, policy: Policy) -> None:
    """``Refused`` unless the request names this machine: a loopback name, the bound
    address, an ``--allow-host`` name, or (bound to every interface) an IP literal.

    A page that rebinds its own DNS name to 127.0.0.1 sends that name, never these.
    """
    name = host_name(header)
    if not name:
        raise Refused(400, "the request has no Host header")
    bound = policy.host.lower()
    wildcard = bound in ("0.0.0.0", "::", "[::]")
    if name in LOCAL_NAMES or name == bound or name.strip("[]") == bound or name in policy.allowed_hosts:
        return
    if wildcard and _is_ip(name):
        return
    raise Refused(403, f"Host {name!r} is not this endpoint's; start kg serve with --allow-host {name} "
                       "to answer requests that name it")


def check_origin(origin: str | None, host: str | None, policy: Policy) -> str | None:
    """The ``Access-Control-Allow-Origin`` to send (the origin itself, only when it was
    given with ``--cors-origin``); ``Refused`` for any other cross-origin request.

    Same-origin requests (a page served here) and clients that send no Origin pass.
    """
    if origin is None:
        return None
    origin = origin.strip()
    if origin in policy.cors_origins:
        return origin
    if origin.lower().rstrip("/").split("://", 1)[-1] == (host or "").strip().lower():
        return None  # the page came from this very endpoint
    raise Refused(403, f"cross-origin requests from {origin} are refused; start kg serve with "
                       f"--cors-origin {origin} to allow that origin")


def origins(values: Iterable[str]) -> frozenset[str]:
    """``--cors-origin`` values as browsers send them: scheme, host and port, no path."""
    cleaned = set()
    for value in values:
        value = value.strip().rstrip("/")
        if not re.match(r"^https?://[^/\s]+$", value):
            raise ValueError(f"--cors-origin: expected an origin such as https://example.org, found {value!r}")
        cleaned.add(value)
    return frozenset(cleaned)
