"""Corpus-wide canonicalisation as a reduce over small per-partition summaries.

Each partition folds its extractions into a ``CanonSummary`` (counts per
per-paper canonical form, plus acronym definitions); summaries merge by
adding counts, which is commutative and associative, so the result does
not depend on how the corpus was split. ``resolve`` then groups forms into
entities:

* forms equal up to hyphens and spaces ("u-net", "unet", "u net") are one;
* a short form used without definition ("mp") joins the long form most
  papers define it as ("moment probing"), when at least half of them agree.

Plural and case variants are already folded by the per-paper canonical
form (``kg.extract.text.canonical_form``), and in-paper acronyms already
resolve to their long form. No spaCy here: the build's reduce step imports this
wherever the shard summaries are.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from kg.extract.text import compact, is_acronym_like, singular, slug
from kg.records import ENTITY_TYPES, Entity, EntityTable, Extraction

_TYPE_ORDER = {t: i for i, t in enumerate(ENTITY_TYPES)}


@dataclass(slots=True)
class FormStats:
    """Counts for one per-paper canonical form."""

    surfaces: Counter[str] = field(default_factory=Counter)
    types: Counter[str] = field(default_factory=Counter)
    mentions: int = 0
    papers: int = 0

    def merge(self, other: FormStats) -> None:
        self.surfaces.update(other.surfaces)
        self.types.update(other.types)
        self.mentions += other.mentions
        self.papers += other.papers

    def to_dict(self) -> dict[str, Any]:
        return {"s": dict(self.surfaces), "t": dict(self.types), "m": self.mentions, "p": self.papers}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FormStats:
        return cls(Counter(data.get("s", {})), Counter(data.get("t", {})), int(data.get("m", 0)),
                   int(data.get("p", 0)))


@dataclass(slots=True)
class CanonSummary:
    """What canonicalisation needs to know about a set of papers; mergeable."""

    forms: dict[str, FormStats] = field(default_factory=dict)
    acronyms: dict[str, Counter[str]] = field(default_factory=dict)  # short -> long -> papers

    def add(self, extraction: Extraction) -> None:
        """Fold one paper's mentions and acronym definitions into the summary."""
        seen: set[str] = set()
        for m in extraction.mentions:
            stats = self.forms.get(m.canonical)
            if stats is None:
                stats = self.forms[m.canonical] = FormStats()
            stats.surfaces[m.text] += 1
            stats.types[m.type] += 1
            stats.mentions += 1
            if m.canonical not in seen:
                seen.add(m.canonical)
                stats.papers += 1
        defined: set[tuple[str, str]] = set()
        for a in extraction.acronyms:
            if a.long in seen and (a.short, a.long) not in defined:
                defined.add((a.short, a.long))
                self.acronyms.setdefault(a.short, Counter())[a.long] += 1

    def merge(self, other: CanonSummary) -> None:
        """Add ``other``'s counts to this summary (commutative and associative)."""
        for form, stats in other.forms.items():
            mine = self.forms.get(form)
            if mine is None:
                mine = self.forms[form] = FormStats()
            mine.merge(stats)
        for short, longs in other.acronyms.items():
            self.acronyms.setdefault(short, Counter()).update(longs)

    def to_dict(self) -> dict[str, Any]:
        return {
            "forms": {k: v.to_dict() for k, v in sorted(self.forms.items())},
            "acronyms": {k: dict(sorted(v.items())) for k, v in sorted(self.acronyms.items())},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CanonSummary:
        return cls(
            {k: FormStats.from_dict(v) for k, v in data.get("forms", {}).items()},
            {k: Counter(v) for k, v in data.get("acronyms", {}).items()},
        )

    @classmethod
    def of(cls, extractions: Iterable[Extraction]) -> CanonSummary:
        summary = cls()
        for extraction in extractions:
            summary.add(extraction)
        return summary


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        parent = self.parent.setdefault(x, x)
        if parent != x:
            parent = self.parent[x] = self.find(parent)
        return parent

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # deterministic: the smaller string becomes the root
            lo, hi = sorted((ra, rb))
            self.parent[hi] = lo


def _most_common(counter: Counter[str]) -> str:
    """Most frequent item; ties broken by the smallest string."""
    return min(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0]


def _is_short(form: str) -> bool:
    return " " not in form and len(form) <= 8


def resolve(summary: CanonSummary) -> EntityTable:
    """Group canonical forms into entities with stable keys (see the module docstring)."""
    uf = _UnionFind()
    by_compact: dict[str, str] = {}
    for form in sorted(summary.forms):
        uf.find(form)
        c = compact(form)
        if c in by_compact:
            uf.union(by_compact[c], form)
        else:
            by_compact[c] = form
    for short, longs in sorted(summary.acronyms.items()):
        if short not in summary.forms:
            continue
        long = _most_common(longs)
        if long in summary.forms and 2 * longs[long] >= sum(longs.values()):
            uf.union(short, long)
    groups: dict[str, list[str]] = {}
    for form in sorted(summary.forms):
        groups.setdefault(uf.find(form), []).append(form)

    table = EntityTable()
    for members in groups.values():
        stats = FormStats()
        for form in members:
            stats.merge(summary.forms[form])
        # the key comes from the long form most used (a short form only if nothing else)
        rep = min(members, key=lambda f: (_is_short(f) and len(members) > 1,
                                          -summary.forms[f].mentions, f))
        key = slug(rep)
        name = _most_common(stats.surfaces)
        etype = min(stats.types.items(), key=lambda kv: (-kv[1], _TYPE_ORDER.get(kv[0], 99)))[0]
        shorts = Counter()
        for surface, n in stats.surfaces.items():
            if is_acronym_like(surface):
                shorts[singular(surface)] += n
        acronym = _most_common(shorts) if shorts and " " in rep else None
        aliases = sorted(s for s in stats.surfaces if s != name)
        table.entities[key] = Entity(
            key=key, name=name, type=etype, aliases=aliases, acronym=acronym,
            paper_count=stats.papers, mention_count=stats.mentions,
        )
        for form in members:
            table.keys[form] = key
    return table


def apply(extraction: Extraction, table: EntityTable) -> Extraction:
    """A copy of ``extraction`` whose mentions' ``canonical`` is the corpus-wide entity key.

    A form missing from the table (extracted after the table was built)
    gets the slug of its canonical form, which is what its key would be.
    """
    mentions = [
        replace(m, canonical=table.keys.get(m.canonical) or slug(m.canonical))
        for m in extraction.mentions
    ]
    return Extraction(
        id=extraction.id,
        title=extraction.title,
        mentions=mentions,
        acronyms=list(extraction.acronyms),
        sentences=dict(extraction.sentences),
        relations=list(extraction.relations),
    )
