"""``kg extract``: typed mentions and reported results per paper, with corpus-wide entity keys (JSON Lines)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from kg.cli.options import (
    add_input_arguments,
    add_output_argument,
    add_progress_argument,
    output_stream,
    print_summary,
    progress,
    read_options,
)
from kg.extract import BATCH_SIZE

NAME = "extract"
HELP = ("find methods, datasets, architectures, metrics and tasks in titles and abstracts, and the "
        "results (value, metric, dataset, method) papers report")
EXAMPLES = """\
  kg extract                                 # the bundled sample corpus, to stdout
  kg extract papers.jsonl -o mentions.jsonl --entities entities.json
  kg extract listing.txt | jq -c '.mentions[] | select(.type == "Dataset")'
  kg extract papers.jsonl | jq -c '.results[] | select(.dataset == "imagenet") | [.value, .unit, .metric]'
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_arguments(parser)
    add_output_argument(parser)
    parser.add_argument("--entities", type=Path, metavar="FILE",
                        help="also write the corpus-wide entity table (JSON) here")
    parser.add_argument("--model", metavar="NAME",
                        help="an installed spaCy pipeline to add the rules to, for part-of-speech "
                        "checks (default: blank English, no model needed)")
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, metavar="N",
                        help="papers the extractor takes through each stage together "
                        f"(default: {BATCH_SIZE})")
    add_progress_argument(parser)


def run(args: argparse.Namespace) -> int:
    from kg.extract import build_nlp, extract_papers
    from kg.extract.canon import CanonSummary, apply, resolve
    from kg.ingest import read_papers
    from kg.records import result_keys
    from kg.relate import relate
    from kg.report import stderr_report
    from kg.results import find_results, rank_metrics
    from kg.textio import atomic_write

    report = stderr_report()
    papers = read_papers(args.inputs, report, read_options(args))
    nlp = build_nlp(args.model)
    found = list(progress(extract_papers(papers, nlp, batch_size=args.batch_size),
                          total=len(papers), desc="extracting", enabled=args.progress))
    by_id = {paper.id: paper for paper in papers}
    for extraction in found:
        paper = by_id[extraction.id]
        extraction.relations = relate(paper, extraction)
        extraction.results = find_results(paper, extraction)
    table = resolve(CanonSummary.of(found))
    rank_metrics(table)
    mentions = results = 0
    with output_stream(args.output) as out:
        for extraction in found:
            applied = apply(extraction, table)
            mentions += len(applied.mentions)
            line = {"id": applied.id, "title": applied.title,
                    "mentions": [m.to_dict() for m in applied.mentions],
                    "results": [{**r.to_dict(), **result_keys(r, table)} for r in extraction.results]}
            results += len(extraction.results)
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
    if args.entities is not None:
        with atomic_write(args.entities) as handle:
            json.dump(table.to_dict(), handle, ensure_ascii=False, indent=1)
            handle.write("\n")
    report.count("mentions", mentions)
    report.count("results", results)
    report.count("entities", len(table.entities))
    print_summary(report, what="extract")
    print(f"kg: extract: {mentions} mentions of {len(table.entities)} entities, {results} results", file=sys.stderr)
    return 0
