"""What every paper must satisfy before it leaves ingest, whatever reader made it.

Texts as a reader sees them (LaTeX markup rendered, ``kg.ingest.latex``), short
enough for the extractor (spaCy refuses texts over a million
characters, and no real abstract comes near the limit here), dates that
exist (``2024-02-30`` would become an invalid ``xsd:date`` and fail
``kg validate``), and http(s) links that are valid IRIs (other links are
kept as text and never written as IRIs). What does not pass is cut
or dropped with one warning naming file and line; the paper itself is kept.
"""

from __future__ import annotations

import datetime
import re

from kg.ids import iri_link, normalise_space
from kg.ingest.latex import has_markup, plain_text
from kg.records import Paper
from kg.report import RunReport

MAX_TITLE_CHARS = 2_000
MAX_ABSTRACT_CHARS = 100_000
_DATE = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$")
_MONTH_DAY = re.compile(r"^--(?P<month>\d{2})-(?P<day>\d{2})$")


def valid_date(value: str) -> bool:
    """``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or ``--MM-DD`` naming a day that exists."""
    match = _DATE.match(value)
    if match:
        year, month, day = match["year"], match["month"], match["day"]
        leap_safe = (int(year), int(month or 1), int(day or 1))
    else:
        match = _MONTH_DAY.match(value)
        if not match:
            return False
        leap_safe = (2000, int(match["month"]), int(match["day"]))  # a leap year: --02-29 exists
    try:
        datetime.date(*leap_safe)
    except ValueError:
        return False
    return True


def _cut(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, at a space when one is near the end."""
    space = text.rfind(" ", 0, limit + 1)
    return text[:space] if space > limit * 0.9 else text[:limit]


def checked(paper: Paper, report: RunReport) -> Paper:
    """The paper with LaTeX markup rendered as text, over-long texts cut, an impossible
    date and invalid links dropped, each cut or drop with a warning at the paper's first
    source."""
    where = paper.sources[0] if paper.sources else None
    file, line = (where.file, where.line) if where else ("input", None)
    for name, limit in (("title", MAX_TITLE_CHARS), ("abstract", MAX_ABSTRACT_CHARS)):
        text = getattr(paper, name)
        if has_markup(text):
            text = normalise_space(plain_text(text))
            setattr(paper, name, text)
            report.count(f"latex.{name}")
        if len(text) > limit:
            setattr(paper, name, _cut(text, limit))
            report.warn("too-long", file, line, f"{name} of {len(text):,} characters cut to {limit:,}")
    if paper.date and not valid_date(paper.date):
        report.warn("bad-date", file, line, f"date {paper.date!r} does not exist; dropped")
        paper.date = None
    if paper.links:
        kept = []
        for link in paper.links:
            if link.strip().lower().startswith(("http://", "https://")) and iri_link(link) is None:
                report.warn("bad-link", file, line, f"link {link[:80]!r} is not a valid http(s) IRI; dropped")
            else:
                kept.append(link)
        paper.links = kept
    return paper
