"""Plain records that cross stage boundaries (ingest -> extract -> graph -> export).

They are dataclasses of JSON-safe values so a batch can be processed in another
process or on another machine and shipped back as JSON Lines.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields, is_dataclass
from functools import cache
from typing import Any

ENTITY_TYPES = ("Method", "Dataset", "Architecture", "Metric", "Task")
FIELDS = ("title", "abstract")
PAPER = "paper"  # the head of a paper -> entity relation: the paper itself


def field_text(paper: Paper, name: str) -> str:
    """The text a field's offsets point into: ``paper.title`` or ``paper.abstract``."""
    return paper.title if name == "title" else paper.abstract


@cache
def field_names(cls: type) -> tuple[str, ...]:
    """A record type's field names, looked up once: records cross process boundaries
    and shard files by the hundred thousand."""
    return tuple(f.name for f in fields(cls))


def record_maker(cls: type) -> Callable[..., Any]:
    """A positional constructor for a frozen slots record that stores each field through its
    slot, skipping a frozen dataclass's ``object.__setattr__`` detour: half the time of
    ``cls(...)``, and extraction builds every mention, acronym and relation of a run this
    way. Like ``dataclasses``, it generates the function's source (one statement per field;
    a loop over the fields costs as much as the detour). The result is an ordinary, equal
    record. The class itself is returned if it is anything but a plain slots dataclass
    whose slots are its fields."""
    if not is_dataclass(cls) or hasattr(cls, "__post_init__"):
        return cls
    names = field_names(cls)
    if getattr(cls, "__slots__", None) != names:
        return cls
    scope: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    scope.update((f"_set_{name}", getattr(cls, name).__set__) for name in names)
    body = "".join(f"    _set_{name}(record, {name})\n" for name in names)
    exec(f"def make({', '.join(names)}):\n    record = _new(_cls)\n{body}    return record\n", scope)
    return scope["make"]


class FlatRecord:
    """``to_dict``/``from_dict`` for records whose fields are all plain values."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in field_names(type(self))}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Any:
        return cls(**{name: data[name] for name in field_names(cls)})


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
        data = {name: getattr(self, name) for name in field_names(Paper)}
        data.update(
            authors=list(self.authors), links=list(self.links), categories=list(self.categories),
            sources=[{"file": s.file, "line": s.line} for s in self.sources], extra=dict(self.extra),
        )
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Paper:
        known = field_names(cls)
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
class Mention(FlatRecord):
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



def non_overlapping(mentions: list[Mention]) -> list[Mention]:
    """Mentions sorted by start; of overlapping ones the longer (then earlier) is kept: the
    mentions of one field as the stages after extraction read them."""
    ordered = sorted(mentions, key=lambda m: (m.start, -(m.end - m.start), m.canonical))
    kept: list[Mention] = []
    for mention in ordered:
        if kept and mention.start < kept[-1].end:
            if mention.end - mention.start > kept[-1].end - kept[-1].start:
                kept[-1] = mention
            continue
        kept.append(mention)
    return kept


@dataclass(slots=True, frozen=True)
class Acronym(FlatRecord):
    """A short form defined in a paper ("Moment Probing (MP)"): both spans' canonical forms."""

    short: str
    long: str
    field: str
    start: int
    end: int



@dataclass(slots=True, frozen=True)
class Relation(FlatRecord):
    """A typed statement found in one sentence of one paper.

    ``head`` is ``"paper"`` (the paper itself) or a mention's per-paper
    canonical form; ``tail`` is a mention's canonical form. ``start``/``end``
    locate the tail mention, ``sentence_start``/``sentence_end`` the sentence,
    both in ``field``'s text.
    """

    type: str
    head: str
    tail: str
    field: str
    sentence_start: int
    sentence_end: int
    start: int
    end: int
    rule: str
    confidence: float



RESULT_KINDS = ("score", "improvement", "relative-improvement", "reduction", "ratio")
RESULT_PARTS = ("metric", "dataset", "task", "method", "baseline", "baseline_value")


@dataclass(slots=True, frozen=True)
class Result(FlatRecord):
    """One reported number and what it measures, read from one sentence.

    ``value`` is the number as written (``85.3``, ``20-30`` for a range) and
    ``number`` its value (the lower end of a range, ``upper`` the other);
    ``metric``, ``dataset``, ``task``, ``method`` and ``baseline`` are
    mentions' per-paper canonical forms (None when the sentence gives none).
    ``start``/``end`` locate the value, ``sentence_start``/``sentence_end``
    the sentence, and ``spans`` each part named in the sentence
    (``{"metric": [start, end], ...}``), all in ``field``'s text.
    """

    value: str
    number: float
    upper: float | None
    unit: str
    kind: str
    metric: str | None
    dataset: str | None
    task: str | None
    method: str | None
    baseline: str | None
    baseline_value: float | None
    field: str
    sentence_start: int
    sentence_end: int
    start: int
    end: int
    spans: dict[str, list[int]]
    rule: str
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        data = FlatRecord.to_dict(self)
        data["spans"] = {part: list(span) for part, span in self.spans.items()}
        return data


def result_keys(result: Result, table: EntityTable) -> dict[str, str | None]:
    """The entity keys of a result's parts (None where a part is missing or not an entity)."""
    found: dict[str, str | None] = {}
    for part in ("metric", "dataset", "task", "method", "baseline"):
        canonical = getattr(result, part)
        key = table.key_for(canonical) if canonical else None
        found[part] = key if key in table.entities else None
    return found


@dataclass(slots=True)
class Extraction:
    """Everything the extract stage found in one paper: plain data, one JSON line.

    ``relations`` and ``results`` are filled by the stages after extraction
    (``kg.relate``, ``kg.results``), which read only this record and the paper.
    """

    id: str
    title: str
    mentions: list[Mention] = field(default_factory=list)
    acronyms: list[Acronym] = field(default_factory=list)
    sentences: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "mentions": [m.to_dict() for m in self.mentions],
            "acronyms": [a.to_dict() for a in self.acronyms],
            "sentences": {k: [list(s) for s in v] for k, v in self.sentences.items()},
            "relations": [r.to_dict() for r in self.relations],
            "results": [r.to_dict() for r in self.results],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Extraction:
        return cls(
            id=data["id"],
            title=data["title"],
            mentions=[Mention.from_dict(m) for m in data.get("mentions", [])],
            acronyms=[Acronym.from_dict(a) for a in data.get("acronyms", [])],
            sentences={k: [tuple(s) for s in v] for k, v in data.get("sentences", {}).items()},
            relations=[Relation.from_dict(r) for r in data.get("relations", [])],
            results=[Result.from_dict(r) for r in data.get("results", [])],
        )


@dataclass(slots=True)
class Entity:
    """One corpus-wide entity: every surface form that canonicalises to ``key``.

    ``key`` is a stable lowercase slug (``large-language-model``) independent
    of type, so IRIs do not change when a type vote changes.
    """

    key: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    acronym: str | None = None
    paper_count: int = 0
    mention_count: int = 0
    family: str | None = None  # key of the entity this one is a version or size of (ResNet-50: resnet)
    better: str | None = None  # of a metric: "higher" or "lower" (which values rank first)

    def to_dict(self) -> dict[str, Any]:
        return {name: list(value) if isinstance(value, list) else value
                for name, value in ((n, getattr(self, n)) for n in field_names(Entity))}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entity:
        return cls(**{name: data[name] for name in field_names(cls) if name in data})


@dataclass(slots=True)
class EntityTable:
    """Corpus-wide entities by key, and which key each per-paper canonical form resolves to
    (made by ``kg.extract.canon.resolve``; edges, RDF and the graph read it)."""

    entities: dict[str, Entity] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)

    def key_for(self, canonical: str) -> str | None:
        return self.keys.get(canonical)

    def to_dict(self) -> dict[str, Any]:
        return {
            "entities": {k: e.to_dict() for k, e in sorted(self.entities.items())},
            "keys": dict(sorted(self.keys.items())),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EntityTable:
        return cls(
            {k: Entity.from_dict(v) for k, v in data.get("entities", {}).items()},
            dict(data.get("keys", {})),
        )


@dataclass(slots=True, frozen=True)
class Evidence(FlatRecord):
    """Why an edge exists: the sentence of a paper that states it, and the rule that read it.

    ``dataset`` and ``metric`` (entity keys) say where a comparison holds, when the
    sentence of an ``outperforms`` edge reports a result ("X beats Y by 2 BLEU on WMT14").
    """

    paper: str
    field: str
    sentence: str
    start: int
    end: int
    rule: str
    confidence: float
    dataset: str | None = None
    metric: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain data; ``dataset`` and ``metric`` only where the sentence gave them."""
        data = FlatRecord.to_dict(self)
        for name in ("dataset", "metric"):
            if data[name] is None:
                del data[name]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Evidence:
        return cls(**{name: data.get(name) for name in field_names(cls)})



EDGE_TYPES = (
    "proposes", "uses", "evaluatedOn", "reportsMetric", "addresses", "mentions",
    "isA", "basedOn", "variantOf", "outperforms",
)


@dataclass(slots=True)
class Edge:
    """A typed edge between two nodes (``paper:<id>`` or ``entity:<key>``) with its evidence.

    ``weight`` is the number of evidence sentences; ``confidence`` combines the
    evidence confidences as independent signals (noisy-or).
    """

    source: str
    target: str
    type: str
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def weight(self) -> int:
        return len(self.evidence)

    @property
    def confidence(self) -> float:
        remaining = 1.0
        for item in self.evidence:
            remaining *= 1.0 - item.confidence
        return round(1.0 - remaining, 6)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "target": self.target,
            "type": self.type,
            "weight": self.weight,
            "confidence": self.confidence,
            "evidence": [e.to_dict() for e in self.evidence],
        }
