"""``kg build``: ingest, extract, relate, resolve and write the graph in every format."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kg.build import BuildOptions, Executor, RunSettings, run_build, update_build
from kg.build.options import (
    DEFAULT_GRAPH_LIMIT,
    DEFAULT_OUTPUT,
    DEFAULT_PARTITION_SIZE,
    OUTPUT_FORMATS,
)
from kg.cli.options import add_input_arguments, add_progress_argument, read_options
from kg.graph.projection import PROJECTIONS
from kg.ids import DEFAULT_BASE_IRI
from kg.rdf.triples import EVIDENCE_LEVELS
from kg.report import stderr_report

NAME = "build"
HELP = "build the knowledge graph and write it as RDF (Turtle, N-Triples), GraphML, GEXF and HTML"
EXAMPLES = """\
  kg build                                   # the bundled sample corpus into ./graphs/
  kg build listing.txt -o out/ --formats ttl,nt,html
  kg build arxiv.jsonl.gz -o big/ --base-iri https://example.org/papers/ --jsonld
  kg build arxiv.jsonl.gz -o big/ --workers 2 --formats ttl,nt
  kg build arxiv.jsonl.gz -o big/ --scheduler tcp://10.0.0.5:8786 --resume
  kg build --update big/store new-papers.jsonl
  kg build -o graphs/papers/ --projection papers
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
        help="comma-separated formats to write: " + ", ".join(OUTPUT_FORMATS.names())
        + " (default: ttl, nt and every available exporter)",
    )
    parser.add_argument(
        "--projection", choices=sorted(PROJECTIONS), default="bipartite",
        help="graph written to kg.graphml and kg.gexf: bipartite (papers and entities, typed edges), "
        "entities (co-occurrence, weight = shared papers) or papers (similarity, weight = shared entities)",
    )
    scale = parser.add_argument_group("large corpora")
    scale.add_argument("--workers", type=int, default=1, metavar="N",
                       help="extract partitions in N local processes (default 1)")
    scale.add_argument("--scheduler", metavar="ADDRESS",
                       help="run partitions on Dask: 'local' (a LocalCluster on 127.0.0.1 with --workers "
                       "workers) or a scheduler address such as tcp://10.0.0.5:8786")
    scale.add_argument("--partition-size", type=int, default=DEFAULT_PARTITION_SIZE, metavar="N",
                       help=f"papers per partition (default {DEFAULT_PARTITION_SIZE})")
    scale.add_argument("--resume", action="store_true",
                       help="keep the finished partitions of an interrupted build of the same inputs")
    scale.add_argument("--update", type=Path, metavar="STORE",
                       help="add the inputs to the build whose store (or folder) this is, without a rebuild")
    scale.add_argument("--evidence", choices=EVIDENCE_LEVELS, default="sentences",
                       help="sentences (default): every edge is also an edge resource with weight, confidence "
                       "and one evidence resource per sentence; none: the direct edge triples only, about "
                       "a tenth of the triples, for corpora too large to keep every sentence in RDF "
                       "(extractions.jsonl keeps the offsets)")
    scale.add_argument("--graph-limit", type=int, default=DEFAULT_GRAPH_LIMIT, metavar="N",
                       help="skip GraphML, GEXF and HTML above N papers: they need the whole graph in "
                       f"memory (default {DEFAULT_GRAPH_LIMIT:,})")
    add_progress_argument(parser)


def run(args: argparse.Namespace) -> int:
    report = stderr_report()
    options = BuildOptions(
        base_iri=args.base_iri, model=args.model, formats=args.formats, jsonld=args.jsonld,
        projection=args.projection, evidence=args.evidence,
    )
    settings = RunSettings(
        executor=Executor(args.workers, args.scheduler), partition_size=args.partition_size,
        resume=args.resume, progress=args.progress, graph_limit=args.graph_limit,
        reading=read_options(args),
    )
    if args.update is not None:
        result = update_build(args.update, args.inputs, options, report, settings)
    else:
        result = run_build(args.inputs, args.output, options, report, settings)
    summary = result.summary
    print(
        f"kg: build: {summary['papers']} papers, {summary['entities']['total']} entities, "
        f"{summary['edges']['total']} edges, {summary['results']} results, {summary['triples']} triples"
        + (f", {report.warning_count} warning(s)" if report.warning_count else "")
        + f" -> {result.output}/ ({', '.join(sorted(result.files.values()))})",
        file=sys.stderr,
    )
    return 0
