"""The SPARQL engines behind ``kg serve``: Oxigraph servers on loopback, one query at a time each.

Oxigraph cannot cancel a query from outside (its ``--timeout-s`` does not stop
an aggregate), and one query can crash it, so each engine is a process of
its own that answers one query at a time: a query past the timeout, one
whose client went away, or one that crashed its engine costs that engine a
restart, never the endpoint or the other clients' queries. Engines bind to
an ephemeral loopback port and die with ``kg serve`` (``PR_SET_PDEATHSIG``:
they are started from the main thread, which lives as long as the process).
The pool also follows the store: when a build publishes a new generation,
engines are restarted on it before they answer again, so no answer mixes two.
"""

from __future__ import annotations

import contextlib
import ctypes
import queue
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import GraphError
from kg.folder import read_stamp

LOOPBACK = "127.0.0.1"
_PR_SET_PDEATHSIG = 1


def oxigraph_binary() -> str:
    """The ``oxigraph`` server installed beside this Python, else the one on PATH."""
    beside = Path(sys.executable).with_name("oxigraph")
    if beside.exists():
        return str(beside)
    found = shutil.which("oxigraph")
    if found is None:
        raise GraphError("the 'oxigraph' server is not installed (pip install oxigraph)")
    return found


def server_command(store: Path, host: str, port: int) -> list[str]:
    """The Oxigraph read-only server on ``store`` at ``host:port`` (no CORS: the front answers)."""
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return [oxigraph_binary(), "serve-read-only", "--location", str(store), "--bind", bind]


def free_port(host: str = LOOPBACK) -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def wait_for_port(host: str, port: int, process: subprocess.Popen, timeout: float = 30.0) -> None:
    """Block until the server accepts connections; fail early if it exited."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise GraphError(f"the SPARQL engine exited with code {process.returncode} before listening")
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise GraphError(f"the SPARQL engine did not listen on {host}:{port} within {timeout:.0f} s")


def _die_with_parent() -> None:
    """In the child before exec: SIGKILL when the thread that started it ends (Linux)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def store_generation(store: Path) -> str:
    """What identifies the store's content: its stamp, else the folder's inode and age."""
    stamp = read_stamp(store)
    if stamp is not None:
        return stamp
    try:
        info = store.stat()
        current = (store / "CURRENT").stat()
    except OSError:
        return ""
    return f"{info.st_ino}:{current.st_mtime_ns}"


@dataclass(slots=True)
class Engine:
    """One Oxigraph server process and what it serves."""

    port: int
    process: subprocess.Popen
    generation: str
    retired: bool = False  # to be stopped: never handed out again


@dataclass
class Pool:
    """Engines on one store, handed out one query at a time.

    ``acquire`` and ``release`` may be called from any thread; starting and
    stopping processes happens on the thread that runs ``supervise`` (the
    main thread), through a queue of requests.
    """

    store: Path
    size: int = 2
    engines: list[Engine] = field(default_factory=list)
    _idle: queue.Queue = field(default_factory=queue.Queue)
    _requests: queue.Queue = field(default_factory=queue.Queue)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stopping: threading.Event = field(default_factory=threading.Event)

    def start(self) -> None:
        """Start every engine (main thread) and wait until each listens."""
        for _ in range(self.size):
            self._spawn()

    def _spawn(self) -> Engine:
        port = free_port()
        process = subprocess.Popen(
            server_command(self.store, LOOPBACK, port), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,  # noqa: PLW1509 - only a libc call, before exec
        )
        engine = Engine(port, process, store_generation(self.store))
        try:
            wait_for_port(LOOPBACK, port, process)
        except GraphError:
            process.kill()
            raise
        with self._lock:
            self.engines.append(engine)
        self._idle.put(engine)
        return engine

    def _stop(self, engine: Engine) -> None:
        with self._lock:
            if engine in self.engines:
                self.engines.remove(engine)
        if engine.process.poll() is None:
            engine.process.kill()
        engine.process.wait()

    @contextlib.contextmanager
    def engine(self, wait: float) -> Iterator[Engine]:
        """An idle engine on the store's current generation, for one query; ``GraphError``
        when none frees up within ``wait`` seconds."""
        deadline = time.monotonic() + wait
        while True:
            remaining = deadline - time.monotonic()
            try:
                engine = self._idle.get(timeout=max(0.05, min(remaining, 1.0)))
            except queue.Empty:
                if time.monotonic() >= deadline or self._stopping.is_set():
                    raise GraphError("every SPARQL engine is busy; try again") from None
                continue
            if engine.retired:
                continue
            if engine.process.poll() is not None or engine.generation != store_generation(self.store):
                self.replace(engine)  # died, or the store holds a new generation: start afresh
                continue
            break
        try:
            yield engine
        finally:
            if not engine.retired and engine.process.poll() is None:
                self._idle.put(engine)

    def replace(self, engine: Engine) -> None:
        """Stop ``engine`` (a cancelled or crashed query, a stale store) and start another."""
        if not engine.retired:
            engine.retired = True
            self._requests.put(engine)

    def supervise(self, running: threading.Event) -> None:
        """Run on the main thread until ``running`` is cleared: replace engines on request
        (an engine that fails to start is retried every second)."""
        missing = 0
        while running.is_set():
            try:
                self._stop(self._requests.get(timeout=0.2))
                missing += 1
            except queue.Empty:
                pass
            while missing and not self._stopping.is_set():
                try:
                    self._spawn()
                except GraphError as err:
                    print(f"kg: warning: {err}; retrying", file=sys.stderr)
                    time.sleep(1.0)
                    break
                missing -= 1

    def close(self) -> None:
        """Stop every engine."""
        self._stopping.set()
        with self._lock:
            engines = list(self.engines)
        for engine in engines:
            self._stop(engine)
