"""``kg build``: ingest, extract, relate, resolve and write the graph in every format."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kg.cli.options import add_input_arguments, add_progress_argument, progress
from kg.ingest import read_papers
from kg.pipeline import DEFAULT_OUTPUT, RDF_FORMATS, BuildOptions, Timer, build
from kg.rdf.namespace import DEFAULT_BASE_IRI
from kg.report import stderr_report

NAME = "build"
HELP = "build the knowledge graph and write it as RDF (Turtle, N-Triples), GraphML, GEXF and HTML"
EXAMPLES = """\
  kg build                                   # the bundled sample corpus into ./graphs/
  kg build listing.txt -o out/ --formats ttl,nt,html
  kg build arxiv.jsonl.gz -o big/ --base-iri https://example.org/papers/ --jsonld
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_arguments(parser)
    parser.add_argument(
        "-o", "--output", type=Path, default=DEFAULT_OUTPUT, metavar="DIR",
        help="folder to write into (created if needed; default: graphs/ in the current directory)",
    )
    parser.add_argument(
        "--base-iri", default=DEFAULT_BASE_IRI, metavar="IRI",
        help=f"prefix of paper, entity, edge and evidence IRIs (default: {DEFAULT_BASE_IRI})",
    )
    parser.add_argument("--model", metavar="NAME", help="spaCy pipeline to extract with (default: kg's own)")
    parser.add_argument("--jsonld", action="store_true", help="also write kg.jsonld")
    parser.add_argument(
        "--formats", metavar="LIST",
        type=lambda value: tuple(v.strip() for v in value.split(",") if v.strip()),
        help="comma-separated formats to write: " + ", ".join(sorted(RDF_FORMATS))
        + ", graphml, gexf, html (default: ttl, nt and every available exporter)",
    )
    add_progress_argument(parser)


def run(args: argparse.Namespace) -> int:
    report = stderr_report()
    timer = Timer()
    with timer.stage("ingest"):
        papers = read_papers(args.inputs, report, args.input_format)
    options = BuildOptions(
        base_iri=args.base_iri, model=args.model, formats=args.formats, jsonld=args.jsonld
    )

    def bar(items, total, desc):
        return progress(items, total=total, desc=desc, enabled=args.progress)

    result = build(
        papers, args.output, options, report, progress=bar,
        inputs=[str(path) for path in args.inputs], timer=timer,
    )
    summary = result.summary
    print(
        f"kg: build: {summary['papers']} papers, {summary['entities']['total']} entities, "
        f"{summary['edges']['total']} edges"
        + (f", {summary['triples']} triples" if summary["triples"] is not None else "")
        + (f", {report.warning_count} warning(s)" if report.warning_count else "")
        + f" -> {args.output}/ ({', '.join(sorted(result.files.values()))})",
        file=sys.stderr,
    )
    return 0
