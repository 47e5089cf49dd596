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

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from kg.extract.acronyms import best_long_form
from kg.extract.rules import gazetteer_families, gazetteer_names, load_rules
from kg.extract.text import canonical_form, compact, singular, slug
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


def resolve(summary: CanonSummary, known_names: Mapping[str, str] | None = None,
            families: Mapping[str, str] | None = None) -> EntityTable:
    """Group canonical forms into entities with stable keys (see the module docstring).

    ``known_names`` maps a canonical form to the name a gazetteer gives it, the display
    name of an entity papers only ever wrote by an alias or acronym ("3DGS"); ``families``
    maps a member's canonical form to its family's (resnet-50 -> resnet), linked when both
    are entities; by default the bundled gazetteers'.
    """
    if known_names is None or families is None:
        rules = load_rules()
        known_names = gazetteer_names(rules) if known_names is None else known_names
        families = gazetteer_families(rules) if families is None else families
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
        # a short form used without its definition joins the long form papers define it
        # as only when they agree: "SSL" defined as self- and as semi-supervised learning
        # stays its own entity rather than be merged with either
        if long in summary.forms and longs[long] >= UNAMBIGUOUS * sum(longs.values()):
            uf.union(short, long)
    groups: dict[str, list[str]] = {}
    for form in sorted(summary.forms):
        groups.setdefault(uf.find(form), []).append(form)

    table = EntityTable()
    short_forms = _short_forms(summary)
    for members in groups.values():
        stats = FormStats()
        for form in members:
            stats.merge(summary.forms[form])
        # the key comes from the long form most used (a short form only if nothing else)
        rep = min(members, key=lambda f: (_is_short(f) and len(members) > 1,
                                          -summary.forms[f].mentions, f))
        key = slug(rep)
        while key in table.entities:  # two groups whose forms slug alike stay two entities
            key += "-x"
        etype = min(stats.types.items(), key=lambda kv: (-kv[1], _TYPE_ORDER.get(kv[0], 99)))[0]
        acronym = _acronym(summary, members, stats.surfaces, short_forms) if (" " in rep or "-" in rep) else None
        name = display_name(rep, summary.forms[rep].surfaces, stats.surfaces, acronym,
                            known_names.get(rep), etype)
        aliases = sorted(s for s in stats.surfaces if s != name)
        table.entities[key] = Entity(
            key=key, name=name, type=etype, aliases=aliases, acronym=acronym,
            paper_count=stats.papers, mention_count=stats.mentions,
        )
        for form in members:
            table.keys[form] = key
    _link_families(table, families)
    distinct_labels(table)
    return table


def _link_families(table: EntityTable, families: Mapping[str, str]) -> None:
    """A member entity names its family's key, when the family is an entity of the table too:
    a version never absorbs into its family, and the link lets a query take both."""
    for form, family in families.items():
        key, family_key = table.keys.get(form), table.keys.get(family)
        if key is not None and family_key is not None and key != family_key:
            table.entities[key].family = family_key


UNAMBIGUOUS = 0.75  # share of a short form's definitions its long form needs to take it over
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]*[A-Z0-9]s?$")


def _short_forms(summary: CanonSummary) -> dict[str, Counter[str]]:
    """Long form -> the short forms papers define for it, with counts (the inverse of
    ``summary.acronyms``, built once so each entity looks up only its own forms)."""
    shorts: dict[str, Counter[str]] = {}
    for short, longs in summary.acronyms.items():
        for long, n in longs.items():
            shorts.setdefault(long, Counter())[short] += n
    return shorts


def _acronym(summary: CanonSummary, members: list[str], surfaces: Counter[str],
             short_forms: dict[str, Counter[str]]) -> str | None:
    """The entity's acronym: the short form papers define for one of its forms, most often
    ("Self-supervised learning (SSL)"), else its most frequent all-capital surface when
    it has only one kind ("CNN" of "CNNs")."""
    defined: Counter[str] = Counter()
    for form in members:
        defined.update(short_forms.get(form, ()))
    if defined:
        short = _most_common(defined)
        spelled = summary.forms[short].surfaces if short in summary.forms else surfaces
        written = Counter({s: n for s, n in spelled.items() if canonical_form(s) == short})
        return singular(_most_common(written)) if written else short.upper()
    shorts = Counter(singular(s) for s in surfaces if _ACRONYM.match(s))
    return next(iter(shorts)) if len(shorts) == 1 else None


_NAMED_AS_WRITTEN = frozenset({"Dataset"})


def display_name(rep: str, own: Counter[str], surfaces: Counter[str], acronym: str | None,
                 known: str | None = None, etype: str = "Method") -> str:
    """What people read: the entity's own canonical form as papers most often write it
    (``own`` are the surfaces of ``rep``; a gazetteer alias such as "box AP" does not
    count), singular ("CNNs", "Large Language Models"; a dataset's name stays as written,
    "Natural Questions"), in sentence case when it is a lowercase noun
    phrase, with the acronym when it abbreviates that name ("Self-supervised learning
    (SSL)"); an entity known only by a short name is that name ("CNN", not "CNNs").
    ``known`` is the gazetteer's name for ``rep``, used when no paper wrote it out."""
    spelled = Counter({s: n for s, n in own.items() if canonical_form(s) == rep})
    full = Counter({s: n for s, n in spelled.items() if not _ACRONYM.match(s)})
    if known is not None and any(s.casefold() == known.casefold() for s in full):
        base = known  # a curated spelling papers also write wins over a variant casing
    elif full:
        base = _most_common(full)
    elif known is not None:
        base = known  # only aliases or acronyms were written: the gazetteer's name
    elif " " in rep or "-" in rep:
        base = rep
    else:
        base = _most_common(spelled or own or surfaces)
    words = base.split(" ")
    last = words[-1]
    if last.islower() or _ACRONYM.match(last) or (
            etype not in _NAMED_AS_WRITTEN and len(words) > 1 and rep.endswith(singular(last).lower())):
        # "CNNs", "adversarial attacks", "Large Language Models"; a dataset keeps its
        # name as written ("Natural Questions")
        words[-1] = singular(last)
    base = " ".join(words)
    if base.replace(" ", "").replace("-", "").isalpha() and base.islower():
        base = base[0].upper() + base[1:]  # a common noun phrase reads in sentence case
    if acronym is not None and compact(acronym) != compact(base) and best_long_form(acronym, base) == 0:
        return f"{base} ({acronym})"
    return base


def distinct_labels(table: EntityTable) -> None:
    """No two entities share a name: each of a clash is told apart by its type, then,
    if that is not enough, by its key ("AP (Metric)", "AP (Method)")."""
    clashes: dict[str, list[Entity]] = {}
    for entity in table.entities.values():
        clashes.setdefault(entity.name.casefold(), []).append(entity)
    for group in clashes.values():
        if len(group) < 2:
            continue
        types = Counter(entity.type for entity in group)
        for entity in group:
            own = entity.name
            entity.name = f"{own} ({entity.type})" if types[entity.type] == 1 else f"{own} ({entity.key})"
            if own not in entity.aliases:
                entity.aliases = sorted([*entity.aliases, own])


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
