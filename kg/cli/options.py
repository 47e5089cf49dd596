"""Options and helpers shared by several commands."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, TypeVar

from kg.ingest import READERS
from kg.ingest.fields import ReadOptions, known_names
from kg.textio import atomic_write

T = TypeVar("T")


def add_input_arguments(parser: argparse.ArgumentParser) -> None:
    """``INPUT ...`` and ``--input-format``: the bundled corpus when no input is given."""
    parser.add_argument(
        "inputs",
        nargs="*",
        type=Path,
        metavar="INPUT",
        help="listing pages (.txt), JSON Lines (.jsonl, arXiv snapshot layout), or CSV; "
        ".gz is read transparently. Default: the bundled sample corpus.",
    )
    parser.add_argument(
        "--input-format",
        choices=READERS.names(),
        help="read every input in this format instead of guessing from extension and content",
    )
    for field, what in (("title", "title"), ("abstract", "abstract"), ("id", "paper id")):
        parser.add_argument(
            f"--{field}-column", dest=f"{field}_column", metavar="NAME",
            help=f"the CSV column or JSON key holding the {what} (default: a known name such as "
            f"{', '.join(known_names()[field][:3])})",
        )


def read_options(args: argparse.Namespace) -> ReadOptions:
    """What the input arguments say about reading, as plain data."""
    return ReadOptions(args.input_format, args.title_column, args.abstract_column, args.id_column)


def add_output_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write here instead of standard output"
    )


def add_progress_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-progress",
        dest="progress",
        action="store_false",
        help="never show a progress bar (it is shown only on a terminal anyway)",
    )


@contextlib.contextmanager
def output_stream(path: Path | None) -> Iterator[IO[str]]:
    """Standard output, or a file written atomically (no half-written file on failure)."""
    if path is None or str(path) == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    with atomic_write(path) as handle:
        yield handle


def progress(items: Iterable[T], *, total: int | None, desc: str, enabled: bool = True) -> Iterable[T]:
    """Wrap ``items`` in a progress bar on stderr, only when stderr is a terminal."""
    if not enabled or not sys.stderr.isatty():
        return items
    from tqdm import tqdm

    return tqdm(items, total=total, desc=desc, unit="paper", leave=False, file=sys.stderr)


def print_summary(report, *, what: str) -> None:
    """One closing line on stderr: how much was read, kept and warned about."""
    counts = report.counts
    parts = [f"{counts.get('entries', 0)} entries", f"{counts.get('papers', 0)} papers"]
    if counts.get("duplicates"):
        parts.append(f"{counts['duplicates']} duplicates merged")
    if report.warning_count:
        parts.append(f"{report.warning_count} warning(s)")
    print(f"kg: {what}: " + ", ".join(parts), file=sys.stderr)
