"""The HTTP front of ``kg serve``: checks each request, hands it to an idle engine, relays the answer.

It reads the whole request (bounded: ``--max-query-bytes``; a client that
stalls is dropped after ``READ_TIMEOUT`` seconds, so half-open connections
hold no engine), applies ``kg.serve.guard``, and forwards the query to an
engine over loopback. While the engine works it watches the clock and the
client: past ``--timeout`` the query is cancelled (its engine restarted) and
answered 503; a client that hangs up cancels its query the same way. An
engine that dies on a query costs a 502 for that query and a restart.
"""

from __future__ import annotations

import select
import socket
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from kg.errors import GraphError
from kg.serve.engines import LOOPBACK, Pool
from kg.serve.guard import Policy, Refused, check_host, check_origin, check_query

READ_TIMEOUT = 20.0  # seconds a client may take to send its request
_SLICE = 0.25  # how often a running query checks its clock and its client
_PASSED_HEADERS = ("accept", "content-type")
_DROPPED_HEADERS = ("access-control-allow-origin", "server", "connection", "keep-alive", "date")
HELP = (
    "kg serve: a read-only SPARQL 1.1 endpoint.\n"
    "Query it at /query (GET ?query=... or POST, form-encoded or application/sparql-query);\n"
    "results come as JSON, XML, CSV or TSV by the Accept header.\n"
)


class Front(ThreadingHTTPServer):
    """The listening server: every connection in a thread of its own."""

    daemon_threads = True
    request_queue_size = 1024
    allow_reuse_address = False

    def __init__(self, address: tuple[str, int], pool: Pool, policy: Policy, timeout: float) -> None:
        self.pool, self.policy, self.query_timeout = pool, policy, timeout
        family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.address_family = family
        super().__init__(address, Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up or stalls is no error of the endpoint's; anything else is
        one line on stderr, never a traceback per request."""
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return
        print(f"kg: warning: a request from {client_address[0]} failed: {error!r}", file=sys.stderr)


class Handler(BaseHTTPRequestHandler):
    """One client connection: one request, one answer, then the connection closes."""

    server: Front
    server_version = "kg-serve"
    sys_version = ""
    timeout = READ_TIMEOUT

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        """Quiet: an endpoint left running must not fill a terminal or a log."""

    def do_OPTIONS(self) -> None:  # noqa: N802 - http.server's naming
        self._answer(preflight=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer()

    def do_GET(self) -> None:  # noqa: N802
        self._answer()

    def do_POST(self) -> None:  # noqa: N802
        self._answer()

    def do_PUT(self) -> None:  # noqa: N802
        self._refuse(405, "kg serve is read-only")

    do_DELETE = do_PATCH = do_PUT  # noqa: N815

    def _answer(self, preflight: bool = False) -> None:
        policy = self.server.policy
        allow_origin: str | None = None
        try:
            check_host(self.headers.get("Host"), policy)
            allow_origin = check_origin(self.headers.get("Origin"), self.headers.get("Host"), policy)
            if preflight:
                self._preflight(allow_origin)
                return
            path = urlsplit(self.path).path
            if path in ("/update", "/store") and self.command not in ("GET", "HEAD"):
                raise Refused(403, "kg serve is read-only: updates are refused")
            if path == "/":
                self._send(200, HELP.encode(), "text/plain; charset=utf-8", allow_origin)
            elif path == "/query":
                body = self._body()
                check_query(self._query_text(body), policy)
                self._relay(body, allow_origin)
            elif path == "/store" and self.command in ("GET", "HEAD"):
                self._relay(b"", allow_origin)
            else:
                raise Refused(404, f"no such resource {path!r}; SPARQL queries go to /query")
        except Refused as refused:
            self._refuse(refused.status, refused.reason, allow_origin)

    def _preflight(self, allow_origin: str | None) -> None:
        if allow_origin is None:
            raise Refused(403, "cross-origin requests are off; start kg serve with --cors-origin ORIGIN")
        self.send_response(204)
        self.send_header("Access-Control-Allow-Origin", allow_origin)
        self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "Accept, Content-Type")
        self.send_header("Vary", "Origin")
        self.end_headers()

    def _body(self) -> bytes:
        if self.command != "POST":
            return b""
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError as err:
            raise Refused(411, "a POST needs a Content-Length") from err
        limit = self.server.policy.max_query_bytes * 4  # form encoding can quadruple a query
        if length < 0 or length > limit:
            raise Refused(413, f"the request body is {length:,} bytes; kg serve takes at most {limit:,}")
        return self.rfile.read(length)

    def _query_text(self, body: bytes) -> str:
        """The query of a GET (``?query=``) or POST (form or ``application/sparql-query``)."""
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if self.command == "POST" and content_type == "application/sparql-query":
            return body.decode("utf-8", errors="replace")
        source = body.decode("utf-8", errors="replace") if self.command == "POST" else urlsplit(self.path).query
        found = parse_qs(source).get("query")
        if not found:
            raise Refused(400, "no query given: send ?query=... or a POST with query=...")
        return found[0]

    def _relay(self, body: bytes, allow_origin: str | None) -> None:
        """Send the request to an engine and its answer back, watching the clock and the client."""
        pool, timeout = self.server.pool, self.server.query_timeout
        deadline = time.monotonic() + timeout
        outcome = "crashed"
        try:
            for _ in range(2):  # an engine that cannot be reached is replaced, and another tried
                with pool.engine(wait=max(0.0, deadline - time.monotonic())) as engine:
                    try:
                        upstream = socket.create_connection((LOOPBACK, engine.port), timeout=5.0)
                    except OSError:
                        pool.replace(engine)
                        continue
                    with upstream:
                        upstream.sendall(self._upstream_request(body))
                        outcome = self._pump(upstream, deadline, allow_origin)
                    if outcome != "done":
                        pool.replace(engine)  # cancelled, abandoned or crashed: a fresh engine
                    break
        except GraphError as err:
            self._refuse(503, str(err), allow_origin)
            return
        except OSError:
            return  # the client went away while the answer was sent
        if outcome == "timeout":
            self._refuse(503, f"the query ran past the {timeout:g} s timeout and was cancelled "
                              "(kg serve --timeout)", allow_origin)
        elif outcome == "crashed":
            self._refuse(502, "the SPARQL engine failed on this query and was restarted", allow_origin)

    def _upstream_request(self, body: bytes) -> bytes:
        lines = [f"{self.command} {self.path} HTTP/1.0", f"Host: {LOOPBACK}", f"Content-Length: {len(body)}"]
        for name in _PASSED_HEADERS:
            value = self.headers.get(name)
            if value is not None:
                lines.append(f"{name}: {value}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body

    def _pump(self, upstream: socket.socket, deadline: float, allow_origin: str | None) -> str:
        """Relay the engine's answer: ``done``, or ``timeout`` (before any answer), ``cut``
        (past the timeout while answering), ``gone`` (the client hung up) or ``crashed``
        (the engine closed without an answer)."""
        client = self.connection
        head = b""
        started = False
        upstream.setblocking(False)
        while True:
            if time.monotonic() > deadline:
                return "cut" if started else "timeout"  # cut: past the timeout mid-answer
            readable, _, _ = select.select([upstream, client], [], [], _SLICE)
            if client in readable and _hung_up(client):
                return "gone"
            if upstream not in readable:
                continue
            try:
                data = upstream.recv(1 << 16)
            except (BlockingIOError, InterruptedError):
                continue
            except OSError:
                return "crashed"
            if not data:
                if not started:
                    return "crashed"
                return "done"
            if started:
                client.sendall(data)
                continue
            head += data
            if b"\r\n\r\n" not in head:
                continue
            headers, rest = head.split(b"\r\n\r\n", 1)
            client.sendall(_rewrite(headers, allow_origin) + rest)
            started = True

    def _send(self, status: int, data: bytes, content_type: str, allow_origin: str | None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        if allow_origin is not None:
            self.send_header("Access-Control-Allow-Origin", allow_origin)
            self.send_header("Vary", "Origin")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _refuse(self, status: int, reason: str, allow_origin: str | None = None) -> None:
        self._send(status, (reason + "\n").encode("utf-8"), "text/plain; charset=utf-8", allow_origin)


def _hung_up(client: socket.socket) -> bool:
    """Has the client closed its side (a readable socket with nothing to read)?"""
    try:
        return client.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
    except (BlockingIOError, InterruptedError):
        return False
    except OSError:
        return True


def _rewrite(headers: bytes, allow_origin: str | None) -> bytes:
    """The engine's status line and headers for the client: CORS as this endpoint allows
    it, the connection closed after the answer."""
    lines = headers.split(b"\r\n")
    kept = [lines[0]] + [line for line in lines[1:]
                         if line.split(b":", 1)[0].strip().lower().decode("latin-1") not in _DROPPED_HEADERS]
    kept.append(b"Server: kg-serve")
    kept.append(b"Connection: close")
    if allow_origin is not None:
        kept.append(f"Access-Control-Allow-Origin: {allow_origin}".encode("latin-1"))
        kept.append(b"Vary: Origin")
    return b"\r\n".join(kept) + b"\r\n\r\n"
