"""``kg eval``: precision, recall and F1 of the extractor on gold mentions."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

NAME = "eval"
HELP = ("score the extractor on gold abstracts (SciERC/SciREX JSON Lines): P/R/F1 per type, and "
        "entity -> entity relations where the gold has them")
EXAMPLES = """\
  kg eval ../shared/scierc/dev.abstracts.jsonl
  kg eval ../shared/scirex/train.abstracts.jsonl --map 'Material=Dataset,Method=Method|Architecture,Metric,Task'
  kg eval gold.jsonl --json > scores.json
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from kg.extract.evaluate import DEFAULT_MAP

    parser.add_argument("gold", type=Path, nargs="+", metavar="GOLD.jsonl",
                        help="gold records: id, text, entities[start, end, type] (optional title, "
                        "given to the extractor as in real use; only abstract mentions are scored; "
                        "optional salient)")
    parser.add_argument("--map", default=DEFAULT_MAP, metavar="SPEC",
                        help=f"gold type -> our type(s) (default: {DEFAULT_MAP}); unmapped gold "
                        "types still count against predictions that overlap only them")
    parser.add_argument("--model", metavar="NAME",
                        help="an installed spaCy pipeline to add the rules to (default: blank English)")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")


def run(args: argparse.Namespace) -> int:
    from kg.extract import build_nlp, extract_papers
    from kg.extract.evaluate import evaluate, format_scores, parse_type_map, read_gold
    from kg.relate import relate

    type_map = parse_type_map(args.map)
    nlp = build_nlp(args.model)

    def extract_and_relate(papers):
        """Extractions with their relations, as ``kg build`` makes them."""
        for paper, extraction in zip(papers, extract_papers(papers, nlp), strict=True):
            extraction.relations = relate(paper, extraction)
            yield extraction

    results = {}
    for path in args.gold:
        scores = evaluate(read_gold(path), type_map, extract_and_relate)
        results[str(path)] = scores
    if args.json:
        print(json.dumps({p: s.to_dict() for p, s in results.items()}, indent=2))
    else:
        blocks = [format_scores(s, title=f"{p} (map: {args.map})") for p, s in results.items()]
        print("\n\n".join(blocks))
    return 0
