"""Plain records that cross stage boundaries (ingest -> extract -> graph -> export).

They are dataclasses of JSON-safe values so a batch can be processed in another
process or on another machine and shipped back as JSON Lines.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

ENTITY_TYPES = ("Method", "Dataset", "Architecture", "Metric", "Task")
FIELDS = ("title", "abstract")


@dataclass(slots=True, frozen=True, order=True)
class Source:
    """Where a record was read: a file (as given) and a 1-based line number."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(slots=True)
class Paper:
    """One paper, merged over every place it was seen.

    ``date`` is ISO 8601: ``YYYY-MM-DD`` or ``YYYY-MM`` when the source has a year,
    ``--MM-DD`` (XSD gMonthDay) when a listing gives only month and day.
    """

    id: str
    title: str
    abstract: str
    authors: list[str] = field(default_factory=list)
    author_count: int | None = None
    organisation: str | None = None
    date: str | None = None
    upvotes: int | None = None
    links: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    extra: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["sources"] = [{"file": s.file, "line": s.line} for s in self.sources]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Paper:
        known = {f.name for f in fields(cls)}
        kwargs = {k: v for k, v in data.items() if k in known}
        kwargs["sources"] = [Source(s["file"], int(s["line"])) for s in data.get("sources", [])]
        return cls(**kwargs)

    def merge(self, other: Paper) -> None:
        """Fold a second sighting of the same paper into this one.

        The first non-empty value of each field wins, except that the longer
        author list, the larger upvote count and the union of links, categories
        and sources are kept: later sightings only ever add information.
        """
        if not self.abstract and other.abstract:
            self.abstract = other.abstract
        if len(other.authors) > len(self.authors):
            self.authors = list(other.authors)
        for name in ("author_count", "organisation", "date"):
            if getattr(self, name) in (None, "") and getattr(other, name) not in (None, ""):
                setattr(self, name, getattr(other, name))
        if other.upvotes is not None and (self.upvotes is None or other.upvotes > self.upvotes):
            self.upvotes = other.upvotes
        for name in ("links", "categories", "sources"):
            mine = getattr(self, name)
            mine.extend(v for v in getattr(other, name) if v not in mine)
        for key, value in other.extra.items():
            self.extra.setdefault(key, value)


@dataclass(slots=True, frozen=True)
class Mention:
    """A typed span of a paper's title or abstract.

    ``start``/``end`` are character offsets into that field's (whitespace-
    normalised) text; ``canonical`` is the entity key the mention resolves to.
    """

    text: str
    type: str
    canonical: str
    start: int
    end: int
    field: str
    rule: str
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Mention:
        return cls(**{f.name: data[f.name] for f in fields(cls)})
