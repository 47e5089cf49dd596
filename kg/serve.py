"""A read-only SPARQL 1.1 Protocol endpoint over an on-disk Oxigraph store.

It runs the ``oxigraph`` server (installed with kg) in read-only mode: updates
are refused, results come in the standard JSON/XML/CSV/TSV formats by content
negotiation, CORS is on for browser clients. It binds to loopback unless told
otherwise, because a store is often private data.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from kg.errors import GraphError, UsageError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878


def oxigraph_binary() -> str:
    """The ``oxigraph`` server installed beside this Python, else the one on PATH."""
    beside = Path(sys.executable).with_name("oxigraph")
    if beside.exists():
        return str(beside)
    found = shutil.which("oxigraph")
    if found is None:
        raise GraphError("the 'oxigraph' server is not installed (pip install oxigraph)")
    return found


def check_store(store: Path) -> None:
    """Refuse anything that is not an Oxigraph store folder, before starting a server on it."""
    if not store.is_dir():
        raise UsageError(f"{store}: expected an Oxigraph store folder (kg build -o DIR writes DIR/store)")
    if not any(store.glob("CURRENT")) and not any(store.glob("*.sst")):
        raise UsageError(f"{store}: not an Oxigraph store (no CURRENT file); build one with kg build -o DIR")


def server_command(store: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> list[str]:
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return [oxigraph_binary(), "serve-read-only", "--location", str(store), "--bind", bind, "--cors"]


def wait_for_port(host: str, port: int, process: subprocess.Popen, timeout: float = 30.0) -> None:
    """Block until the server accepts connections; fail early if it exited."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise GraphError(f"the SPARQL server exited with code {process.returncode} before listening")
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise GraphError(f"the SPARQL server did not listen on {host}:{port} within {timeout:.0f} s")


def serve(store: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> int:
    """Run the endpoint in the foreground until interrupted; return the server's exit code."""
    check_store(store)
    process = subprocess.Popen(server_command(store, host, port))
    try:
        wait_for_port(host, port, process)
        print(f"kg: serving {store} read-only at http://{host}:{port}/query (Ctrl-C stops)", file=sys.stderr)
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        process.wait(timeout=10)
        return 0
    finally:
        if process.poll() is None:
            process.kill()
