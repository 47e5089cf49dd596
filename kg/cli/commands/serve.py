"""``kg serve``: a read-only SPARQL endpoint over a built store."""

from __future__ import annotations

import argparse
from pathlib import Path

from kg.serve import DEFAULT_HOST, DEFAULT_PORT, serve

NAME = "serve"
HELP = "serve a built store as a read-only SPARQL 1.1 endpoint (loopback by default)"
EXAMPLES = """\
  kg serve graphs/store                     # http://127.0.0.1:7878/query
  kg serve big/store --port 8000
  curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT (COUNT(*) AS ?n) {?s ?p ?o}' http://127.0.0.1:7878/query
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("store", type=Path, metavar="STORE", help="an Oxigraph store folder (kg build -o DIR writes DIR/store)")
    parser.add_argument("--host", default=DEFAULT_HOST, help=f"address to bind (default {DEFAULT_HOST}; use 0.0.0.0 only on a trusted network)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")


def run(args: argparse.Namespace) -> int:
    return serve(args.store, args.host, args.port)
