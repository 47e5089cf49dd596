"""``kg serve``: a read-only SPARQL endpoint over a built store, safe to leave running."""

from __future__ import annotations

import argparse
from pathlib import Path

from kg.errors import UsageError
from kg.serve import (
    DEFAULT_ENGINES,
    DEFAULT_HOST,
    DEFAULT_PORT,
    DEFAULT_TIMEOUT,
    MAX_DEPTH,
    MAX_QUERY_BYTES,
    ServeOptions,
    serve,
)
from kg.serve.guard import origins

NAME = "serve"
HELP = "serve a built store as a read-only SPARQL 1.1 endpoint (loopback by default)"
EXAMPLES = """\
  kg serve graphs/store                     # http://127.0.0.1:7878/query
  kg serve big/store --port 0               # any free port (printed)
  kg serve big/store --timeout 10 --cors-origin https://yasgui.example.org
  curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT (COUNT(*) AS ?n) {?s ?p ?o}' http://127.0.0.1:7878/query
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("store", type=Path, metavar="STORE", help="an Oxigraph store folder (kg build -o DIR writes DIR/store)")
    parser.add_argument("--host", default=DEFAULT_HOST,
                        help=f"address to bind (default {DEFAULT_HOST}; 0.0.0.0 only on a trusted network)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT,
                        help=f"port (default {DEFAULT_PORT}; 0 picks a free one and prints it)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                        help=f"cancel a query after this long (default {DEFAULT_TIMEOUT:g})")
    parser.add_argument("--engines", type=int, default=DEFAULT_ENGINES, metavar="N",
                        help=f"SPARQL engine processes, each answering one query at a time (default {DEFAULT_ENGINES})")
    parser.add_argument("--cors-origin", action="append", default=[], metavar="ORIGIN",
                        help="let pages of this origin (https://host[:port]) read answers; repeatable (CORS is off without it)")
    parser.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                        help="also answer requests whose Host header is NAME (e.g. this machine's name); repeatable")
    parser.add_argument("--federated", action="store_true",
                        help="let SERVICE clauses through: the engine then sends requests to the IRIs they name")
    parser.add_argument("--max-query-bytes", type=int, default=MAX_QUERY_BYTES, metavar="N",
                        help=f"refuse larger queries (default {MAX_QUERY_BYTES:,})")
    parser.add_argument("--max-depth", type=int, default=MAX_DEPTH, metavar="N",
                        help=f"refuse queries whose groups nest deeper (default {MAX_DEPTH})")


def run(args: argparse.Namespace) -> int:
    try:
        cors = origins(args.cors_origin)
    except ValueError as err:
        raise UsageError(str(err)) from err
    options = ServeOptions(
        host=args.host, port=args.port, timeout=args.timeout, engines=args.engines, cors_origins=cors,
        allowed_hosts=frozenset(name.strip().lower() for name in args.allow_host), federated=args.federated,
        max_query_bytes=args.max_query_bytes, max_depth=args.max_depth,
    )
    return serve(args.store, options)
