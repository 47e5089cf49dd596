"""``kg extract``: typed mentions per paper, with corpus-wide entity keys (JSON Lines)."""

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
HELP = "find methods, datasets, architectures, metrics and tasks in titles and abstracts"
EXAMPLES = """\
  kg extract                                 # the bundled sample corpus, to stdout
  kg extract papers.jsonl -o mentions.jsonl --entities entities.json
  kg extract listing.txt | jq -c '.mentions[] | select(.type == "Dataset")'
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
    from kg.report import stderr_report
    from kg.textio import atomic_write

    report = stderr_report()
    papers = read_papers(args.inputs, report, read_options(args))
    nlp = build_nlp(args.model)
    found = list(progress(extract_papers(papers, nlp, batch_size=args.batch_size),
                          total=len(papers), desc="extracting", enabled=args.progress))
    table = resolve(CanonSummary.of(found))
    mentions = 0
    with output_stream(args.output) as out:
        for extraction in found:
            applied = apply(extraction, table)
            mentions += len(applied.mentions)
            line = {"id": applied.id, "title": applied.title,
                    "mentions": [m.to_dict() for m in applied.mentions]}
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
    if args.entities is not None:
        with atomic_write(args.entities) as handle:
            json.dump(table.to_dict(), handle, ensure_ascii=False, indent=1)
            handle.write("\n")
    report.count("mentions", mentions)
    report.count("entities", len(table.entities))
    print_summary(report, what="extract")
    print(f"kg: extract: {mentions} mentions of {len(table.entities)} entities", file=sys.stderr)
    return 0
