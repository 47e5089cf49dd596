"""``kg eval``: precision, recall and F1 of the extractor on gold mentions."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

NAME = "eval"
HELP = ("score the extractor on gold abstracts (SciERC/SciREX JSON Lines): P/R/F1 per type, and "
        "entity -> entity relations where the gold has them; with --results, reported results")
EXAMPLES = """\
  kg eval ../shared/scierc/dev.abstracts.jsonl
  kg eval ../shared/scirex/train.abstracts.jsonl --map 'Material=Dataset,Method=Method|Architecture,Metric,Task'
  kg eval gold.jsonl --json > scores.json
  kg eval --results ../shared/results/dev.jsonl
  kg eval --results ../shared/results/dev.jsonl --annotated ../shared/results/dev-all-tuples.jsonl.gz --per-paper
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from kg.extract.evaluate import DEFAULT_MAP

    parser.add_argument("gold", type=Path, nargs="*", metavar="GOLD.jsonl",
                        help="gold records: id, text, entities[start, end, type] (optional title, "
                        "given to the extractor as in real use; only abstract mentions are scored; "
                        "optional salient)")
    parser.add_argument("--map", default=DEFAULT_MAP, metavar="SPEC",
                        help=f"gold type -> our type(s) (default: {DEFAULT_MAP}); unmapped gold "
                        "types still count against predictions that overlap only them")
    parser.add_argument("--model", metavar="NAME",
                        help="an installed spaCy pipeline to add the rules to (default: blank English)")
    parser.add_argument("--results", type=Path, action="append", default=[], metavar="GOLD.jsonl",
                        help="score extracted results on gold results (id, title, abstract, results[task, "
                        "dataset, metric, score]): value, value+metric and value+metric+dataset recall")
    parser.add_argument("--annotated", type=Path, metavar="ALL.jsonl[.gz]",
                        help="with --results: every annotated result of the papers, also those not in "
                        "the abstract, to count extracted values the paper reports")
    parser.add_argument("--per-paper", action="store_true", help="with --results: a row per paper")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")


def run(args: argparse.Namespace) -> int:
    from kg.errors import UsageError
    from kg.extract import build_nlp, extract_papers
    from kg.extract.evaluate import evaluate, format_scores, parse_type_map, read_gold
    from kg.relate import relate
    from kg.results import find_results

    if not args.gold and not args.results:
        raise UsageError("kg eval: give gold files (GOLD.jsonl) or --results GOLD.jsonl")
    type_map = parse_type_map(args.map)
    nlp = build_nlp(args.model)

    def extract_and_relate(papers):
        """Extractions with their relations and results, as ``kg build`` makes them."""
        for paper, extraction in zip(papers, extract_papers(papers, nlp), strict=True):
            extraction.relations = relate(paper, extraction)
            extraction.results = find_results(paper, extraction)
            yield extraction

    if args.results:
        return _score_results(args, nlp, extract_and_relate)
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


def _score_results(args: argparse.Namespace, nlp, extract_and_relate) -> int:
    from kg.extract.rules import load_rules
    from kg.results.evaluate import (
        NameIndex,
        annotated_scores,
        format_result_scores,
        read_results_gold,
        score_results,
    )

    rules = load_rules()
    names = NameIndex.of((e.name, e.aliases, e.family) for e in rules.gazetteer)
    annotated = annotated_scores(args.annotated) if args.annotated else None
    scores = {}
    for path in args.results:
        golds = list(read_results_gold(path))
        found = {e.id: e.results for e in extract_and_relate([g.paper for g in golds])}
        scores[str(path)] = score_results(golds, found, names, annotated)
    if args.json:
        print(json.dumps({p: s.to_dict() for p, s in scores.items()}, indent=2))
    else:
        print("\n\n".join(format_result_scores(s, f"{p} (results)", args.per_paper) for p, s in scores.items()))
    return 0
