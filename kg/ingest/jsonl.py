"""Reader for JSON Lines: the arXiv metadata snapshot layout and plain ``{id, title, abstract}``.

Snapshot fields used: ``id``, ``title``, ``abstract``, ``authors`` /
``authors_parsed``, ``categories``, ``versions`` (first version's date),
``update_date``, ``doi``. Unknown scalar fields are kept in ``extra``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from kg.ids import arxiv_id, normalise_space, paper_id
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
    for key in ("date", "published", "update_date"):
        value = record.get(key)
        if isinstance(value, str) and len(value) >= 7 and value[:4].isdigit():
            return value[:10]
    return None


def _categories(value: object, problems: list[str]) -> list[str]:
    """Categories as a space-separated string or a list of scalars; anything else is a problem."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return normalise_space(value).split()
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return [text for v in value if (text := normalise_space(str(v)))]
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


def read(path: Path, report: RunReport, lines: Iterable[tuple[int, str]] | None = None) -> Iterator[Paper]:
    """Yield one paper per valid line; each bad line is one warning naming file and line.

    ``lines`` are the input's decoded lines (``kg.textio.read_lines``; read from
    ``path`` when not given)."""
    for number, line in read_lines(path, report) if lines is None else lines:
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
        if not isinstance(record, dict):
            report.warn("malformed", path, number, f"expected a JSON object, found {type(record).__name__}")
            continue
        title = record.get("title")
        if not isinstance(title, str) or not title.strip():
            report.warn("no-title", path, number, "record has no title; skipped")
            continue
        abstract = record.get("abstract")
        if not isinstance(abstract, str) or not abstract.strip():
            report.warn("no-abstract", path, number, f"entry {title.strip()[:60]!r} has a title but no abstract; skipped")
            continue
        problems: list[str] = []
        paper = paper_from_record(record, Source(str(path), number), problems)
        for problem in problems:
            report.warn("malformed", path, number, problem)
        yield paper
