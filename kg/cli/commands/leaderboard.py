"""``kg leaderboard``: the scores reported on a dataset, best first, from a built graph."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from pathlib import Path

NAME = "leaderboard"
HELP = "the scores reported on a dataset, best first per metric, with paper, method, date and sentence"
EXAMPLES = """\
  kg leaderboard graphs/ --dataset ImageNet
  kg leaderboard graphs/store --dataset IN-1k --metric top-1
  kg leaderboard graphs/ --dataset SQuAD --format csv > squad.csv
  kg leaderboard graphs/kg.ttl --dataset 'WMT 2014' --metric BLEU --format json
"""
FORMATS = ("table", "csv", "json")
COLUMNS = ("dataset", "metric", "rank", "value", "unit", "method", "paper", "title", "date", "sentence")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("graph", type=Path, metavar="DIR_OR_STORE",
                        help="a build folder (kg build -o DIR), its store/ folder, or RDF files' folder or file")
    parser.add_argument("--dataset", required=True, metavar="NAME",
                        help="the dataset: its name, an alias or acronym (any case; IN-1k finds ImageNet)")
    parser.add_argument("--metric", default="*", metavar="NAME",
                        help="only this metric (name, alias or acronym); default: every metric of the dataset")
    parser.add_argument("--limit", type=int, default=20, metavar="N",
                        help="rows per metric (default 20; 0 for every ranked score, the first 1000)")
    parser.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")


def run(args: argparse.Namespace) -> int:
    from kg.errors import UsageError
    from kg.rdf.queries import run as run_query
    from kg.rdf.queries import saved, with_limit
    from kg.rdf.result_nodes import LEADERBOARD_DEPTH
    from kg.rdf.store import open_store

    if args.limit < 0:
        raise UsageError(f"--limit must be 0 or more, found {args.limit}")
    store = open_store([_store_of(args.graph)])
    query = with_limit(saved("leaderboard").text, 0)
    depth = str(args.limit or LEADERBOARD_DEPTH)
    rows: list[dict[str, str]] = []
    for dataset in _spellings(args.dataset):
        for metric in _spellings(args.metric) if args.metric != "*" else ["*"]:
            rows = _rows(run_query(store, query, {"dataset": dataset, "metric": metric, "depth": depth}))
            if rows:
                break
        if rows:
            break
    if not rows:
        print(f"kg: leaderboard: no ranked scores on {args.dataset!r}"
              + (f" for {args.metric!r}" if args.metric != "*" else ""), file=sys.stderr)
        return 1
    rows = _per_metric(rows, args.limit)
    sys.stdout.write(_render(rows, args.format))
    return 0


def _store_of(path: Path) -> Path:
    """A build folder stands for its store."""
    return path / "store" if (path / "store").is_dir() and not (path / "CURRENT").exists() else path


def _spellings(name: str) -> list[str]:
    """The name as given, then the gazetteer's names for what it names ("IN-1k" -> "ImageNet"
    and its aliases), so a graph that only ever saw one spelling still answers."""
    from kg.extract.rules import load_rules
    from kg.results.names import compact

    wanted = compact(name)
    found = [name]
    for entry in load_rules().gazetteer:
        spellings = (entry.name, *entry.aliases)
        if any(compact(s) == wanted for s in spellings):
            found.extend(s for s in spellings if s not in found)
    return found


def _rows(solutions) -> list[dict[str, str]]:
    rows = []
    for solution in solutions:
        row = {}
        for column, variable in (("dataset", "datasetName"), ("rank", "rank"), ("value", "value"), ("unit", "unit"),
                                 ("metric", "metricName"),
                                 ("method", "method"), ("paper", "paper"), ("title", "title"), ("date", "date"),
                                 ("sentence", "sentence")):
            term = solution[variable]
            row[column] = term.value if term is not None else ""
        rows.append(row)
    return rows


def _per_metric(rows: list[dict[str, str]], limit: int) -> list[dict[str, str]]:
    kept: list[dict[str, str]] = []
    seen: dict[str, int] = {}
    for row in rows:
        seen[row["metric"]] = seen.get(row["metric"], 0) + 1
        if not limit or seen[row["metric"]] <= limit:
            kept.append(row)
    return kept


def _render(rows: list[dict[str, str]], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([{**row, "rank": int(row["rank"])} for row in rows], ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue()
    blocks = []
    for metric in dict.fromkeys(row["metric"] for row in rows):
        mine = [row for row in rows if row["metric"] == metric]
        cells = [[row["rank"], row["value"] + row["unit"], row["method"] or "-", _cut(row["title"], 60),
                  row["date"] or "-"] for row in mine]
        header = ["#", "value", "method", "paper", "date"]
        widths = [max(len(str(c[k])) for c in [header, *cells]) for k in range(len(header))]
        lines = [f"{mine[0]['dataset']} · {metric}",
                 "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
        lines.extend("  ".join(str(c).ljust(w) for c, w in zip(cell, widths, strict=True)).rstrip() for cell in cells)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
