"""Reader for CSV and TSV tables whose header names the title and abstract columns.

Header names are matched as ``kg.ingest.fields`` says (``titles``,
``paper_title``, ``abstract_text``, ... or the columns the user names);
columns for ``id``, ``authors``, ``date``, ``url``, ``categories`` fill the
matching ``Paper`` fields and every other column is kept in ``extra``.
"""

from __future__ import annotations

import csv
import itertools
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path

from kg.errors import InputError
from kg.ingest.fields import ReadOptions, as_record, field_columns, missing_columns_message
from kg.ingest.jsonl import paper_from_record
from kg.records import Paper, Source
from kg.report import RunReport
from kg.textio import read_lines

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


MAX_ROW_LINES = 100  # a quoted field may span lines, never the rest of the file


class _Lines:
    """The lines csv reads, one row at a time: it remembers the lines of the row being
    read, and ends a row that runs over ``MAX_ROW_LINES`` (a stray quote) as if the
    input ended there."""

    def __init__(self, queue: deque[tuple[int, str]], lines: Iterator[tuple[int, str]]) -> None:
        self.queue, self.lines = queue, lines
        self.row: list[tuple[int, str]] = []
        self.cut = False

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        if len(self.row) >= MAX_ROW_LINES:
            self.cut = True
            raise StopIteration
        line = self.queue.popleft() if self.queue else next(self.lines)
        self.row.append(line)
        return line[1] + "\n"


def _logical_rows(
    path: Path, report: RunReport, delimiter: str, lines: Iterable[tuple[int, str]]
) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(first line number, fields)`` per CSV row, quoted newlines included.

    A row that cannot be parsed (a stray quote that never closes, text after a
    closing quote) is one warning; reading goes on at the line after the row's
    first, so the rows after it are kept, and each line is read at most
    ``MAX_ROW_LINES`` times: time stays linear in the input.
    """
    queue: deque[tuple[int, str]] = deque()
    source = iter(lines)
    width: int | None = None  # fields of the header, once read
    while True:
        feed = _Lines(queue, source)
        try:
            for row in csv.reader(feed, delimiter=delimiter, strict=True):
                start, spanned = feed.row[0][0], feed.row
                feed.row = []
                if width is None and any(cell.strip() for cell in row):
                    width = len(row)
                elif len(spanned) > 1 and width is not None and len(row) != width:
                    # quotes that opened and closed around whole lines, not a quoted field
                    report.warn("malformed", path, start, f"quoted text over {len(spanned)} lines does not "
                                f"make a row of {width} fields; read again line by line")
                    queue.extendleft(reversed(spanned[1:]))
                    break
                yield start, row
            else:
                return
        except csv.Error as err:
            start = feed.row[0][0]
            if feed.cut or "unexpected end of data" in str(err):
                report.warn("malformed", path, start, "quoted field never closes; row skipped")
            else:
                report.warn("malformed", path, start, f"unreadable CSV row ({err}); skipped")
            queue.extendleft(reversed(feed.row[1:]))


def _delimiter(path: Path, lines: Iterator[tuple[int, str]]) -> tuple[str, Iterator[tuple[int, str]]]:
    """Tab for ``.tsv`` files; otherwise a tab when the first non-blank line has more tabs
    than commas (a pipe has no name). The lines come back whole."""
    name = path.name.lower().removesuffix(".gz")
    if name.endswith(".tsv"):
        return "\t", lines
    if name.endswith(".csv"):
        return ",", lines
    head: list[tuple[int, str]] = []
    for line in lines:
        head.append(line)
        if line[1].strip():
            break
    first = head[-1][1] if head else ""
    return ("\t" if first.count("\t") > first.count(",") else ","), itertools.chain(head, lines)


def read(path: Path, report: RunReport, lines: Iterable[tuple[int, str]] | None = None,
         options: ReadOptions | None = None) -> Iterator[Paper]:
    """Yield one paper per valid row; a row with the wrong number of fields is a warning.

    ``lines`` are the input's decoded lines (``kg.textio.read_lines``; read from
    ``path`` when not given); ``options`` may name the title, abstract and id columns."""
    options = options or ReadOptions()
    delimiter, numbered = _delimiter(path, iter(read_lines(path, report) if lines is None else lines))
    rows = _logical_rows(path, report, delimiter, numbered)
    header: list[str] | None = None
    columns: dict[str, str] = {}
    for number, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = [h.replace("\ufeff", "").strip() for h in row]
            columns = field_columns(header, options)
            if "title" not in columns or "abstract" not in columns:
                raise InputError(f"{path}: line {number}: " + missing_columns_message(header, options, "header"))
            continue
        if len(row) != len(header):
            report.warn("malformed", path, number, f"expected {len(header)} fields, found {len(row)}; row skipped")
            continue
        raw = {column: value for column, value in zip(header, row, strict=True) if value.strip()}
        record = as_record(raw, columns)
        title, abstract = str(record.get("title", "")).strip(), str(record.get("abstract", "")).strip()
        if not title:
            report.warn("no-title", path, number, "row has no title; skipped")
            continue
        if not abstract:
            report.warn("no-abstract", path, number, f"entry {title[:60]!r} has a title but no abstract; skipped")
            continue
        record = {(key if key in columns else key.lower()): value for key, value in record.items()}
        if isinstance(record.get("upvotes"), str):
            votes = record.pop("upvotes").strip()
            if votes.isdigit():
                record["upvotes"] = int(votes)
        if isinstance(record.get("authors"), str) and ";" in record["authors"]:
            record["authors"] = [a.strip() for a in str(record["authors"]).split(";")]
        problems: list[str] = []
        paper = paper_from_record(record, Source(str(path), number), problems)
        for problem in problems:
            report.warn("malformed", path, number, problem)
        yield paper
