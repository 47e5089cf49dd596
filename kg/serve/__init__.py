"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint over a built store, safe to leave running.

A front written here (``kg.serve.front``) listens on the chosen address
(loopback by default) and checks every request (``kg.serve.guard``: Host,
Origin, size, depth, ``SERVICE``) before one of a few Oxigraph engines
(``kg.serve.engines``) answers it; a query past the timeout, abandoned by
its client or crashing its engine costs that engine a restart. When a build
publishes a new generation of the store, engines restart on it before they
answer again. SIGTERM and Ctrl-C stop the engines too.
"""

from __future__ import annotations

import errno
import signal
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import GraphError, UsageError
from kg.folder import build_folder_of, open_for_reading
from kg.serve.engines import Pool, oxigraph_binary, server_command, wait_for_port
from kg.serve.front import Front
from kg.serve.guard import MAX_DEPTH, MAX_QUERY_BYTES, Policy

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
DEFAULT_TIMEOUT = 30.0
DEFAULT_ENGINES = 2
EXIT_TERMINATED = 143  # 128 + SIGTERM


class Terminated(Exception):
    """SIGTERM arrived: stop serving (engines included)."""


@dataclass(frozen=True, slots=True)
class ServeOptions:
    """How the endpoint runs (the ``kg serve`` options).

    host, port: where to listen (port 0: any free port, printed at start).
    timeout: seconds a query may run before it is cancelled.
    engines: Oxigraph processes, each answering one query at a time.
    cors_origins: origins whose pages may read answers (CORS is off without them).
    allowed_hosts: more names the ``Host`` header may carry (besides loopback
        names and the bound address).
    federated: let ``SERVICE`` clauses through (the engine then sends requests
        to the IRIs they name).
    max_query_bytes, max_depth: the largest and most deeply nested query taken.
    """

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    timeout: float = DEFAULT_TIMEOUT
    engines: int = DEFAULT_ENGINES
    cors_origins: frozenset[str] = field(default_factory=frozenset)
    allowed_hosts: frozenset[str] = field(default_factory=frozenset)
    federated: bool = False
    max_query_bytes: int = MAX_QUERY_BYTES
    max_depth: int = MAX_DEPTH

    def policy(self) -> Policy:
        return Policy(self.host, self.allowed_hosts, self.cors_origins, self.federated,
                      self.max_query_bytes, self.max_depth)


def check_store(store: Path) -> None:
    """Refuse anything that is not a usable Oxigraph store folder, before serving it."""
    if not store.is_dir():
        raise UsageError(f"{store}: expected an Oxigraph store folder (kg build -o DIR writes DIR/store)")
    if not any(store.glob("CURRENT")) and not any(store.glob("*.sst")):
        raise UsageError(f"{store}: not an Oxigraph store (no CURRENT file); build one with kg build -o DIR")
    build = build_folder_of(store)
    if build is not None:
        open_for_reading(build)  # a folder whose parts come from two builds is refused


def serve(store: Path, options: ServeOptions | None = None) -> int:
    """Serve ``store`` in the foreground until SIGTERM or Ctrl-C; the exit code."""
    options = options or ServeOptions()
    if options.timeout <= 0 or options.engines < 1:
        raise UsageError("--timeout must be above 0 and --engines at least 1")
    check_store(store)
    oxigraph_binary()
    try:
        front = Front((options.host, options.port), Pool(store, options.engines), options.policy(),
                      options.timeout)
    except OSError as err:
        if err.errno == errno.EADDRINUSE:
            raise GraphError(f"port {options.port} on {options.host} is in use (another kg serve?); "
                             "pick another with --port, or --port 0 for a free one") from err
        raise GraphError(f"cannot listen on {options.host}:{options.port}: {err.strerror or err}") from err
    running = threading.Event()
    running.set()

    def terminate(signum: int, frame: object) -> None:
        raise Terminated("stopped by SIGTERM")

    previous = signal.signal(signal.SIGTERM, terminate)
    listener = threading.Thread(target=front.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    try:
        front.pool.start()
        listener.start()
        host, port = front.server_address[:2]
        shown = f"[{host}]" if ":" in host else host
        print(f"kg: serving {store} read-only at http://{shown}:{port}/query ({options.engines} engines, "
              f"timeout {options.timeout:g} s; Ctrl-C stops)", file=sys.stderr, flush=True)
        front.pool.supervise(running)
        return 0
    except Terminated:
        print("kg: serve: stopped by SIGTERM", file=sys.stderr)
        return EXIT_TERMINATED
    finally:
        running.clear()
        if listener.is_alive():
            front.shutdown()
        front.server_close()
        front.pool.close()
        signal.signal(signal.SIGTERM, previous)


__all__ = ["DEFAULT_ENGINES", "DEFAULT_HOST", "DEFAULT_PORT", "DEFAULT_TIMEOUT", "MAX_DEPTH", "MAX_QUERY_BYTES",
           "ServeOptions", "check_store", "serve", "server_command", "wait_for_port"]
