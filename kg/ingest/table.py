"""Reader for CSV and TSV tables whose header names the title and abstract columns.

Columns named like ``id``, ``authors``, ``date``, ``url``, ``categories`` fill
the matching ``Paper`` fields; every other column is kept in ``extra``.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator
from pathlib import Path

from kg.errors import InputError
from kg.ingest.jsonl import paper_from_record
from kg.records import Paper, Source
from kg.report import RunReport
from kg.textio import read_lines

TITLE_COLUMNS = ("title", "paper_title", "name")
ABSTRACT_COLUMNS = ("abstract", "summary", "paper_abstract")
ALIASES = {
    "arxiv_id": "id", "paper_id": "id", "url": "url", "link": "url", "pdf_url": "url",
    "published": "date", "publication_date": "date", "authors": "authors",
    "categories": "categories", "organisation": "organisation", "organization": "organisation",
}

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def _find(header: list[str], names: tuple[str, ...]) -> int | None:
    lowered = [h.strip().lower() for h in header]
    for name in names:
        if name in lowered:
            return lowered.index(name)
    return None


def _logical_rows(path: Path, report: RunReport, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(first line number, fields)`` per CSV row, quoted newlines included."""
    lines = read_lines(path, report)
    buffer: list[str] = []
    start = 0
    for number, line in lines:
        if not buffer:
            start = number
        buffer.append(line)
        text = "\n".join(buffer)
        if text.count('"') % 2:  # inside a quoted field that spans lines
            continue
        buffer = []
        try:
            rows = list(csv.reader(io.StringIO(text), delimiter=delimiter, strict=True))
        except csv.Error as err:
            report.warn("malformed", path, start, f"unreadable CSV row ({err})")
            continue
        for row in rows:
            yield start, row
    if buffer:
        report.warn("malformed", path, start, "unterminated quoted field at end of file")


def read(path: Path, report: RunReport) -> Iterator[Paper]:
    """Yield one paper per valid row; a row with the wrong number of fields is a warning."""
    name = path.name.lower().removesuffix(".gz")
    delimiter = "\t" if name.endswith(".tsv") else ","
    rows = _logical_rows(path, report, delimiter)
    header: list[str] | None = None
    for number, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = [h.strip() for h in row]
            title_at, abstract_at = _find(header, TITLE_COLUMNS), _find(header, ABSTRACT_COLUMNS)
            if title_at is None or abstract_at is None:
                raise InputError(
                    f"{path}: line {number}: header must name a title and an abstract column "
                    f"(e.g. 'title,abstract'); found {', '.join(header) or 'nothing'}"
                )
            continue
        if len(row) != len(header):
            report.warn("malformed", path, number, f"expected {len(header)} fields, found {len(row)}; row skipped")
            continue
        title, abstract = row[title_at].strip(), row[abstract_at].strip()
        if not title:
            report.warn("no-title", path, number, "row has no title; skipped")
            continue
        if not abstract:
            report.warn("no-abstract", path, number, f"entry {title[:60]!r} has a title but no abstract; skipped")
            continue
        record: dict[str, object] = {"title": title, "abstract": abstract}
        for index, (column, value) in enumerate(zip(header, row, strict=False)):  # rows may be short or long
            key = column.strip().lower()
            if index in (title_at, abstract_at) or not value.strip():
                continue
            field_name = ALIASES.get(key, key)
            if field_name == "upvotes" and value.strip().isdigit():
                record["upvotes"] = int(value)
            elif field_name not in record:
                record[field_name] = value
        if isinstance(record.get("authors"), str) and ";" in record["authors"]:  # type: ignore[operator]
            record["authors"] = [a.strip() for a in str(record["authors"]).split(";")]
        yield paper_from_record(record, Source(str(path), number))
