"""Reader for JSON Lines: the arXiv metadata snapshot layout and plain ``{id, title, abstract}``.

Snapshot fields used: ``id``, ``title``, ``abstract``, ``authors`` /
``authors_parsed``, ``categories``, ``versions`` (first version's date),
``update_date``, ``doi``. Unknown scalar fields are kept in ``extra``.
"""

from __future__ import annotations

import ast
import bisect
import itertools
import json
import re
from collections.abc import Iterable, Iterator
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from kg.ids import arxiv_id, normalise_space, paper_id
from kg.ingest.fields import ReadOptions, as_record, field_columns
from kg.records import Paper, Source
from kg.report import RunReport
from kg.textio import read_lines

_USED = {
    "id", "title", "abstract", "authors", "authors_parsed", "categories", "versions",
    "update_date", "date", "published", "doi", "url", "links", "upvotes", "organisation",
}


def _authors(record: dict[str, Any]) -> list[str]:
    parsed = record.get("authors_parsed")
    if isinstance(parsed, list) and parsed:
        names = []
        for part in parsed:
            if isinstance(part, list) and part:
                last, first = str(part[0]), str(part[1]) if len(part) > 1 else ""
                suffix = str(part[2]) if len(part) > 2 else ""
                names.append(normalise_space(" ".join(p for p in (first, last, suffix) if p)))
        return names
    authors = record.get("authors")
    if isinstance(authors, list):
        return [normalise_space(str(a)) for a in authors if str(a).strip()]
    if isinstance(authors, str) and authors.strip():
        text = normalise_space(authors).replace(" and ", ", ")
        return [a.strip() for a in text.split(",") if a.strip()]
    return []


def _date(record: dict[str, Any]) -> str | None:
    versions = record.get("versions")
    if isinstance(versions, list) and versions and isinstance(versions[0], dict):
        created = versions[0].get("created")
        if isinstance(created, str):
            try:
                return parsedate_to_datetime(created).date().isoformat()
            except (TypeError, ValueError):
                pass
    for key in ("date", "published", "update_date"):  # the first two as kg.ingest.fields named them
        value = record.get(key)
        if isinstance(value, str) and len(value) >= 4 and value[:4].isdigit():
            return value[:10]  # checked for a day that exists on the way out of ingest
        if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
            return str(value)  # a year
    return None


def _categories(value: object, problems: list[str]) -> list[str]:
    """Categories as a list of scalars, a Python or JSON list literal ("['cs.LG', 'cs.AI']"),
    comma- or semicolon-separated text, or space-separated text (the arXiv layout); each
    once, in order. Anything else is a problem."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("[") and text.endswith("]"):
            try:
                value = ast.literal_eval(text)
            except (ValueError, SyntaxError, MemoryError, RecursionError):
                value = text[1:-1]
        if isinstance(value, str):
            separator = "," if "," in value else ";" if ";" in value else None
            value = value.split(separator)
    if isinstance(value, (list, tuple)) and all(isinstance(v, (str, int, float)) for v in value):
        cleaned = (normalise_space(str(v)).strip("'\" ") for v in value)
        return list(dict.fromkeys(text for text in cleaned if text))
    problems.append(f"'categories' should be a string or a list of strings, found {type(value).__name__}; ignored")
    return []


def paper_from_record(record: dict[str, Any], source: Source, problems: list[str] | None = None) -> Paper:
    """Build a ``Paper`` from one decoded JSON object (title and abstract already checked).

    Fields of an unexpected type are left out and described in ``problems``;
    every string is whitespace-normalised and cleaned (``normalise_space``).
    """
    problems = [] if problems is None else problems
    raw_id = normalise_space(str(record.get("id") or ""))
    arxiv = arxiv_id(raw_id) or arxiv_id(str(record.get("url") or ""))
    title = normalise_space(str(record["title"]))
    links = [f"https://arxiv.org/abs/{arxiv}"] if arxiv else []
    for key in ("url", "links"):
        value = record.get(key)
        for link in value if isinstance(value, list) else [value]:
            if isinstance(link, str) and (link := normalise_space(link)) and link not in links:
                links.append(link)
    if isinstance(record.get("doi"), str) and record["doi"].strip():
        links.append(f"https://doi.org/{normalise_space(record['doi'])}")
    categories = _categories(record.get("categories"), problems)
    extra = {
        k: normalise_space(str(v))
        for k, v in record.items()
        if k not in _USED and isinstance(v, (str, int, float)) and str(v).strip()
    }
    if raw_id and not arxiv:
        extra["source_id"] = raw_id
    upvotes = record.get("upvotes")
    organisation = record.get("organisation")
    return Paper(
        id=paper_id(title, arxiv),
        title=title,
        abstract=normalise_space(str(record["abstract"])),
        authors=_authors(record),
        organisation=normalise_space(organisation) or None if isinstance(organisation, str) else None,
        date=_date(record),
        upvotes=upvotes if isinstance(upvotes, int) and not isinstance(upvotes, bool) else None,
        links=links,
        categories=categories,
        sources=[source],
        extra=extra,
    )


def read(path: Path, report: RunReport, lines: Iterable[tuple[int, str]] | None = None,
         options: ReadOptions | None = None) -> Iterator[Paper]:
    """Yield one paper per valid record; each bad record is one warning naming file and line.

    Records are JSON Lines, or one JSON document (an array of records as
    ``json.dump`` writes it, or an object holding such an array) when the first
    line is not a whole JSON object. ``lines`` are the input's decoded lines
    (``kg.textio.read_lines``; read from ``path`` when not given); ``options`` may
    name the title, abstract and id keys.
    """
    options = options or ReadOptions()
    numbered = iter(read_lines(path, report) if lines is None else lines)
    for number, line in numbered:
        if not line.strip():
            continue
        if _starts_a_document(line):
            yield from _document(path, report, number, line, numbered, options)
            return
        yield from _records(path, report, itertools.chain([(number, line)], numbered), options)
        return


def _starts_a_document(first: str) -> bool:
    """A first line that opens an array, or an object that does not end on that line."""
    text = first.strip()
    if text.startswith("["):
        return True
    if not text.startswith("{"):
        return False
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return True
    return False


def _records(path: Path, report: RunReport, lines: Iterable[tuple[int, str]],
             options: ReadOptions) -> Iterator[Paper]:
    for number, line in lines:
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            report.warn("malformed", path, number, f"not valid JSON ({err.msg} at column {err.colno})")
            continue
        except ValueError as err:  # an integer of thousands of digits
            report.warn("malformed", path, number, f"not valid JSON ({err})")
            continue
        except RecursionError:
            report.warn("malformed", path, number, "not valid JSON (nested too deeply)")
            continue
        paper = _paper(path, report, number, record, options)
        if paper is not None:
            yield paper


# where reading goes on after a broken record: the next object after a comma or at the start
# of a line (a stray "[" line in JSON Lines must not hide the records after it)
_NEXT_RECORD = re.compile(r"(?:,|\n)\s*(?=\{)")


def _document(path: Path, report: RunReport, number: int, first: str,
              rest: Iterable[tuple[int, str]], options: ReadOptions) -> Iterator[Paper]:
    """The records of one JSON document read whole: an array of objects, or an object one
    of whose values is such an array (``{"papers": [...]}``), or a single record. A record
    that is not valid JSON is one warning; reading goes on at the next record."""
    starts = [0]  # character offset of each line, for line numbers
    parts = [first]
    for _, line in rest:
        starts.append(starts[-1] + len(parts[-1]) + 1)
        parts.append(line)
    text = "\n".join(parts)

    def line_at(offset: int) -> int:
        return number + bisect.bisect_right(starts, offset) - 1

    decoder = json.JSONDecoder()
    at = _skip_space(text, 0)
    if text.startswith("{", at):
        try:
            whole, end = decoder.raw_decode(text, at)
        except (ValueError, RecursionError):
            whole, end = None, 0
        if not isinstance(whole, dict) or _skip_space(text, end) < len(text):
            # not one document: JSON Lines whose first record is broken or spans lines
            yield from _records(path, report, zip(itertools.count(number), parts), options)
            return
        arrays = [key for key, value in whole.items() if isinstance(value, list)]
        if len(arrays) != 1 or "title" in field_columns(whole, options):
            paper = _paper(path, report, number, whole, options)
            if paper is not None:
                yield paper
            return
        for index, record in enumerate(whole[arrays[0]], 1):  # {"papers": [...]}, read whole
            paper = _paper(path, report, number, record, options, f"{arrays[0]}[{index}]: ")
            if paper is not None:
                yield paper
        return
    at += 1  # past "["
    index = 0
    while True:
        at = _skip_space(text, at)
        if at >= len(text) or text[at] == "]":
            return
        index += 1
        try:
            record, end = decoder.raw_decode(text, at)
        except (ValueError, RecursionError) as err:
            report.warn("malformed", path, line_at(at), f"record {index} is not valid JSON ({_reason(err)})")
            found = _NEXT_RECORD.search(text, at + 1)
            if found is None:
                return
            at = found.end()
            continue
        paper = _paper(path, report, line_at(at), record, options, f"record {index}: ")
        if paper is not None:
            yield paper
        at = _skip_space(text, end)
        if text.startswith(",", at):
            at += 1


def _skip_space(text: str, at: int) -> int:
    while at < len(text) and text[at] in " \t\r\n":
        at += 1
    return at


def _reason(err: BaseException) -> str:
    if isinstance(err, json.JSONDecodeError):
        return f"{err.msg} at line {err.lineno} column {err.colno}"
    return "nested too deeply" if isinstance(err, RecursionError) else str(err)


def _paper(path: Path, report: RunReport, number: int, raw: object, options: ReadOptions,
           which: str = "") -> Paper | None:
    """The paper of one decoded record, or None after one warning saying what it lacks."""
    if not isinstance(raw, dict):
        report.warn("malformed", path, number, f"{which}expected a JSON object, found {type(raw).__name__}")
        return None
    columns = field_columns(raw, options)
    record = as_record(raw, columns)
    title = record.get("title")
    if not isinstance(title, str) or not title.strip():
        keys = "" if "title" in columns else (
            f" (keys: {', '.join(list(raw)[:8])}; --title-column names the title key)")
        report.warn("no-title", path, number, f"{which}record has no title{keys}; skipped")
        return None
    abstract = record.get("abstract")
    if not isinstance(abstract, str) or not abstract.strip():
        report.warn("no-abstract", path, number,
                    f"{which}entry {title.strip()[:60]!r} has a title but no abstract; skipped")
        return None
    problems: list[str] = []
    paper = paper_from_record(record, Source(str(path), number), problems)
    for problem in problems:
        report.warn("malformed", path, number, which + problem)
    return paper
