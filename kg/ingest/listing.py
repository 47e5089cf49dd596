"""Reader for copied paper-listing pages (daily-papers style plain text).

Three layouts occur and are handled by one pass over classified lines:

* blank-line layout: title, blank, abstract, blank, ...;
* line layout: title and abstract on alternate lines, no blank lines, the
  first title glued to a "Subscribe" banner;
* blank-line layout with metadata after the abstract: an author count
  ("• 5 authors") or an organisation line, a "·" separator, and a date
  ("Oct 24 1", "Jan 24, 2024", "Jul 17, 2023 1": a trailing number is the
  upvote count).

Page banners and the page date before the first entry are not papers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import TypeVar

from kg.ids import normalise_space, paper_id
from kg.records import Paper, Source
from kg.report import RunReport
from kg.textio import read_lines

BANNERS = frozenset(
    {
        "new",
        "subscribe",
        "daily papers",
        "get trending papers in your email inbox!",
        "get trending papers in your email inbox once a day!",
        "byak and the research community",
    }
)
_BANNER_PREFIX = "Subscribe"
_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
_MONTHS = {name[:3]: i for i, name in enumerate(_MONTH_NAMES, 1)}
_MONTH = "|".join([*_MONTH_NAMES, "Sept", *_MONTHS])
_DATE = re.compile(
    rf"^(?P<mon>{_MONTH})\.? (?P<day>\d{{1,2}})(?:, (?P<year>\d{{4}}))?(?: (?P<up>\d+))?$"
)
_AUTHORS = re.compile(r"^[•·*-]?\s*(?P<n>\d+) authors?$")
_SEPARATOR = "·"
_ABSTRACT_MIN = 200
LAYOUT_LOOKAHEAD = 1000  # lines read before the layout is decided
T = TypeVar("T")
_SENTENCE_END = re.compile(r"[.!?][\"')\]]?(?:\s|$)")


@dataclass(slots=True)
class _Entry:
    title: str
    title_line: int
    abstract_parts: list[str] = field(default_factory=list)
    meta: dict[str, object] = field(default_factory=dict)


def parse_date(text: str) -> tuple[str, int | None] | None:
    """Parse a listing date line into (ISO 8601 date, upvotes), or None if it is no date.

    >>> parse_date("Jul 17, 2023 1")
    ('2023-07-17', 1)
    >>> parse_date("Oct 24")
    ('--10-24', None)
    """
    match = _DATE.match(text.strip())
    if not match:
        return None
    month = _MONTHS.get(match["mon"][:3])
    day = int(match["day"])
    if month is None or not 1 <= day <= 31:
        return None
    iso = f"{match['year']}-{month:02d}-{day:02d}" if match["year"] else f"--{month:02d}-{day:02d}"
    return iso, int(match["up"]) if match["up"] else None


def looks_like_abstract(text: str) -> bool:
    """A paragraph rather than a heading: long, or several sentences ending in a full stop."""
    if len(text) >= _ABSTRACT_MIN:
        return True
    return len(_SENTENCE_END.findall(text)) >= 2 and text.rstrip().endswith((".", "!", "?"))


def _is_meta(text: str) -> bool:
    return text == _SEPARATOR or bool(_AUTHORS.match(text)) or parse_date(text) is not None


def _blank_layout(head: list[tuple[int, str]]) -> bool:
    """Is there a blank line between two content lines (the blank-line layouts)?"""
    content = [i for i, (_, text) in enumerate(head) if text]
    return any(not head[i][1] for i in range(content[0], content[-1])) if content else False


def _items(lines: Iterable[tuple[int, str]]) -> Iterator[tuple[int, str, str]]:
    """Yield ``(line, kind, text)`` with kind ``text``, ``meta``, ``org`` or ``break``.

    Consecutive text lines inside a blank-separated block are joined (a
    hard-wrapped abstract); in the line layout every line stands alone. A
    text line directly followed by the "·" separator is an organisation. The
    layout is told from the first ``LAYOUT_LOOKAHEAD`` lines; after them the
    file streams with one line of lookahead, so memory does not grow with it.
    """
    normalised = ((n, normalise_space(t)) for n, t in lines)
    head = list(islice(normalised, LAYOUT_LOOKAHEAD))
    blank_layout = _blank_layout(head)
    pending: list[tuple[int, str]] = []

    def flush() -> Iterator[tuple[int, str, str]]:
        if pending:
            yield pending[0][0], "text", " ".join(t for _, t in pending)
            pending.clear()

    for (number, text), after in _with_next(chain(head, normalised)):
        if not text:
            yield from flush()
            yield number, "break", ""
            continue
        following = after[1] if after is not None else ""
        if _is_meta(text):
            yield from flush()
            yield number, "meta", text
        elif following == _SEPARATOR:
            yield from flush()
            yield number, "org", text
        elif blank_layout:
            pending.append((number, text))
        else:
            yield number, "text", text
    yield from flush()


def _with_next(items: Iterable[T]) -> Iterator[tuple[T, T | None]]:
    """Each item with the one after it (None after the last)."""
    iterator = iter(items)
    current = next(iterator, None)
    while current is not None:
        after = next(iterator, None)
        yield current, after
        current = after


def read(path: Path, report: RunReport, lines: Iterable[tuple[int, str]] | None = None,
         options: object = None) -> Iterator[Paper]:
    """Yield one ``Paper`` per listing entry, with its metadata attached.

    ``lines`` are the input's decoded lines (``kg.textio.read_lines``; read from
    ``path`` when not given)."""
    entry: _Entry | None = None
    started = False

    def finish(current: _Entry | None) -> Iterator[Paper]:
        if current is None:
            return
        abstract = " ".join(current.abstract_parts)
        if not abstract:
            report.warn(
                "no-abstract",
                path,
                current.title_line,
                f"entry {current.title[:60]!r} has a title but no abstract; skipped",
            )
            return
        yield Paper(
            id=paper_id(current.title),
            title=current.title,
            abstract=abstract,
            author_count=current.meta.get("author_count"),  # type: ignore[arg-type]
            organisation=current.meta.get("organisation"),  # type: ignore[arg-type]
            date=current.meta.get("date"),  # type: ignore[arg-type]
            upvotes=current.meta.get("upvotes"),  # type: ignore[arg-type]
            sources=[Source(str(path), current.title_line)],
        )

    items = (item for item in _items(read_lines(path, report) if lines is None else lines) if item[1] != "break")
    for (number, kind, text), following in _with_next(items):
        if not started:
            if kind == "text" and text.startswith(_BANNER_PREFIX) and len(text) > len(_BANNER_PREFIX):
                text = text[len(_BANNER_PREFIX) :]
            elif kind != "text" or text.casefold() in BANNERS:
                continue  # banners, the page date
            started = True
        if kind == "text":
            if (entry is not None and not entry.abstract_parts and not entry.meta
                    and not _starts_entry(text, following)):
                entry.abstract_parts.append(text)
                continue
            yield from finish(entry)
            entry = _Entry(title=text, title_line=number)
        elif entry is None:
            report.warn("stray-metadata", path, number, f"metadata line {text!r} before any entry")
        elif kind == "org":
            entry.meta["organisation"] = text
        elif (authors := _AUTHORS.match(text)) is not None:
            entry.meta["author_count"] = int(authors["n"])
        elif (date := parse_date(text)) is not None:
            entry.meta["date"], upvotes = date
            if upvotes is not None:
                entry.meta["upvotes"] = upvotes
    yield from finish(entry)


def _starts_entry(text: str, following: tuple[int, str, str] | None) -> bool:
    """Is ``text``, where an abstract was expected, the title of the next entry instead?

    Only when it reads as a heading and what follows it reads as an abstract:
    a short one-sentence abstract is still taken as the abstract.
    """
    if looks_like_abstract(text):
        return False
    return following is not None and following[1] == "text" and looks_like_abstract(following[2])
