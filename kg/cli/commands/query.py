"""``kg query``: SPARQL over a graph with Oxigraph; saved queries ship with kg."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kg.errors import UsageError
from kg.rdf.namespace import DEFAULT_BASE_IRI
from kg.rdf.queries import bindings, parse_params, saved, saved_queries, with_limit
from kg.rdf.queries import run as run_query
from kg.rdf.results import RESULT_FORMATS, render
from kg.rdf.store import open_store

NAME = "query"
HELP = "run a SPARQL query (text, file or saved query) over graph files or an Oxigraph store folder"
EXAMPLES = """\
  kg query --list
  kg query graphs/kg.ttl --saved most-used-datasets
  kg query graphs/kg.ttl --saved methods-on-dataset --param dataset=ImageNet --format csv
  kg query graphs/store --saved edge-evidence --param entity=ImageNet --limit 0
  kg query graphs/kg.nt 'SELECT (COUNT(*) AS ?n) WHERE { ?p a kgo:Paper }'
  kg query graphs/kg.ttl -f my-query.rq --format json
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "graph", nargs="?", type=Path, metavar="GRAPH",
        help="RDF file (.ttl, .nt, .jsonld, .gz read too) or an Oxigraph store folder",
    )
    parser.add_argument("query", nargs="?", metavar="QUERY", help="SPARQL query text (kg's prefixes are predeclared)")
    parser.add_argument("-f", "--file", type=Path, metavar="FILE.rq", help="read the query from a file")
    parser.add_argument("--saved", metavar="NAME", help="run a saved query (see --list)")
    parser.add_argument("--list", action="store_true", help="list the saved queries and their parameters")
    parser.add_argument(
        "--param", action="append", default=[], metavar="NAME=VALUE",
        help="bind ?NAME to the string VALUE (repeatable); bound as an RDF literal, never pasted into the query",
    )
    parser.add_argument(
        "--limit", type=int, metavar="N",
        help="at most N rows (0 for all); replaces the query's LIMIT (saved queries stop at 200 rows or fewer)",
    )
    parser.add_argument("--format", choices=RESULT_FORMATS, default="table", help="output format (default: table)")
    parser.add_argument(
        "--width", type=int, default=80, metavar="N",
        help="cut table cells to N characters (default 80; 0 for no limit)",
    )
    parser.add_argument(
        "--base-iri", default=DEFAULT_BASE_IRI, metavar="IRI",
        help="base IRI the graph was built with (for the paper:, entity: ... prefixes)",
    )


def _listing() -> str:
    lines = []
    for query in saved_queries().values():
        lines.append(f"{query.name}\n    {query.description}")
        for p in query.parameters:
            default = f" (default: {p.default})" if p.default is not None else " (required)"
            lines.append(f"    --param {p.name}=...  {p.description}{default}")
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    if args.list:
        sys.stdout.write(_listing())
        return 0
    if args.graph is None:
        raise UsageError("expected a GRAPH file or store folder (or --list)")
    given = [name for name, value in (("QUERY", args.query), ("-f", args.file), ("--saved", args.saved)) if value]
    if len(given) != 1:
        raise UsageError("expected exactly one of QUERY, -f FILE or --saved NAME" + (
            f", found {', '.join(given)}" if given else ""))
    params = parse_params(args.param)
    if args.saved:
        query = saved(args.saved)
        text, values = query.text, bindings(query, params)
    elif args.file:
        try:
            text = args.file.read_text(encoding="utf-8")
        except OSError as err:
            raise UsageError(f"{args.file}: cannot read: {err.strerror or err}") from err
        values = params
    else:
        text, values = args.query, params
    if args.limit is not None:
        text = with_limit(text, args.limit)
    store = open_store([args.graph])
    result = run_query(store, text, values, args.base_iri)
    data, size = render(result, args.format, width=args.width, base_iri=args.base_iri)
    sys.stdout.buffer.write(data)
    sys.stdout.flush()
    if size is not None and args.format == "table":
        print(f"kg: query: {size}", file=sys.stderr)
    return 0
