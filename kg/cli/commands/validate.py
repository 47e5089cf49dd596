"""``kg validate``: check a graph file against kg's SHACL shapes."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kg.rdf.load import load
from kg.rdf.namespace import DEFAULT_BASE_IRI
from kg.rdf.validate import validate

NAME = "validate"
HELP = "check an RDF graph (Turtle, N-Triples, JSON-LD) against kg's SHACL shapes; exit 1 if it does not conform"
EXAMPLES = """\
  kg validate graphs/kg.ttl
  kg validate out/kg.nt --limit 0          # print every violation
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("graph", type=Path, metavar="FILE", help="graph file (.ttl, .nt, .jsonld; .gz read too)")
    parser.add_argument(
        "--limit", type=int, default=20, metavar="N",
        help="print at most N violations (default 20; 0 prints all)",
    )
    parser.add_argument(
        "--base-iri", default=DEFAULT_BASE_IRI, metavar="IRI",
        help="base IRI the graph was built with, to shorten node names in messages",
    )


def run(args: argparse.Namespace) -> int:
    graph = load(args.graph)
    conforms, violations = validate(graph, args.base_iri)
    if conforms:
        print(f"kg: validate: {args.graph} conforms ({len(graph)} triples)", file=sys.stderr)
        return 0
    shown = violations if args.limit <= 0 else violations[: args.limit]
    for violation in shown:
        print(violation)
    more = len(violations) - len(shown)
    print(
        f"kg: validate: {args.graph} does not conform: {len(violations)} violation(s)"
        + (f", {more} not shown (--limit 0 shows all)" if more else ""),
        file=sys.stderr,
    )
    return 1
