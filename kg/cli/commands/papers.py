"""``kg papers``: parse inputs into de-duplicated paper records (JSON Lines)."""

from __future__ import annotations

import argparse
import json

from kg.cli.options import (
    add_input_arguments,
    add_output_argument,
    add_progress_argument,
    output_stream,
    print_summary,
    progress,
    read_options,
)
from kg.ingest import read_papers
from kg.report import stderr_report

NAME = "papers"
HELP = "parse listing pages, JSON Lines or CSV into one JSON line per distinct paper"
EXAMPLES = """\
  kg papers                                  # the bundled sample corpus, to stdout
  kg papers page1.txt page2.txt -o papers.jsonl
  kg papers arxiv-metadata.jsonl.gz --input-format jsonl | head -n 3
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_arguments(parser)
    add_output_argument(parser)
    add_progress_argument(parser)


def run(args: argparse.Namespace) -> int:
    report = stderr_report()
    papers = read_papers(args.inputs, report, read_options(args))
    with output_stream(args.output) as out:
        for paper in progress(papers, total=len(papers), desc="writing", enabled=args.progress):
            out.write(json.dumps(paper.to_dict(), ensure_ascii=False, sort_keys=False) + "\n")
    print_summary(report, what="papers")
    return 0
