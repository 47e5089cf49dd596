"""``relate``: typed relations of one paper, from its text, sentences and mentions."""

from __future__ import annotations

from kg.records import FIELDS, PAPER, Extraction, Mention, Paper, Relation, field_text, record_maker
from kg.relate.entity_edges import cued, mask, matches
from kg.relate.paper_edges import Cut, tokens, type_mention
from kg.relate.rules import PaperRule, RelationRules, bundled_rules

make_relation = record_maker(Relation)


def non_overlapping(mentions: list[Mention]) -> list[Mention]:
    """Mentions sorted by start; of overlapping ones the longer (then earlier) is kept."""
    ordered = sorted(mentions, key=lambda m: (m.start, -(m.end - m.start), m.canonical))
    kept: list[Mention] = []
    for mention in ordered:
        if kept and mention.start < kept[-1].end:
            if mention.end - mention.start > kept[-1].end - kept[-1].start:
                kept[-1] = mention
            continue
        kept.append(mention)
    return kept


def relate(paper: Paper, extraction: Extraction, rules: RelationRules | None = None) -> list[Relation]:
    """Every typed statement of a paper: one paper -> entity relation per mention and sentence,
    plus the entity -> entity statements its sentences make.

    A ``mentions`` relation is kept only for entities that no more specific
    relation of the paper reaches, and one sentence counts once per edge.
    The result is sorted, so equal inputs give equal outputs.
    """
    rules = rules or bundled_rules()
    found: dict[tuple[str, str, str, str, int], Relation] = {}
    by_field: dict[str, list[Mention]] = {}
    for mention in extraction.mentions:
        by_field.setdefault(mention.field, []).append(mention)
    for field in FIELDS:
        if field not in by_field:
            continue
        text = field_text(paper, field)
        size = len(text)
        mentions = non_overlapping([m for m in by_field[field] if 0 <= m.start < m.end <= size])
        if not mentions:
            continue
        spans = extraction.sentences.get(field) or [(0, size)]
        cursor = 0
        count = len(mentions)
        for start, end in sorted(spans):
            inside: list[Mention] = []
            while cursor < count and mentions[cursor].start < end:
                if mentions[cursor].start >= start and mentions[cursor].end <= end:
                    inside.append(mentions[cursor])
                cursor += 1
            if inside:
                _sentence(text, field, start, end, inside, rules, found)
            if cursor == count:
                break
    specific = {r.tail for r in found.values() if r.head == PAPER and r.type != "mentions"}
    kept = [
        r for r in found.values()
        if not (r.head == PAPER and r.type == "mentions" and r.tail in specific)
    ]
    return sorted(kept, key=_order)


def _sentence(
    text: str, field: str, start: int, end: int, mentions: list[Mention], rules: RelationRules,
    found: dict[tuple[str, str, str, str, int], Relation],
) -> None:
    try:
        typed = _types(tokens(text, start, end, mentions, near=True), mentions, field, rules)
    except Cut:
        typed = _types(tokens(text, start, end, mentions), mentions, field, rules)
    for mention, rule in zip(mentions, typed, strict=True):
        key = (rule.type, PAPER, mention.canonical, field, start)
        held = found.get(key)
        if held is None or (-rule.confidence, mention.start, rule.id) < (
            -held.confidence, held.start, held.rule
        ):
            found[key] = make_relation(
                rule.type, PAPER, mention.canonical, field, start, end,
                mention.start, mention.end, rule.id, rule.confidence,
            )
    if len(mentions) < 2:
        return
    live = cued(text[start:end], rules.pairs, rules.cues)
    if not live:
        return
    for rule, head, tail in matches(mask(text, start, end, mentions), live):
        a, b = mentions[head], mentions[tail]
        if a.canonical == b.canonical or (rule.same_type and a.type != b.type):
            continue
        _keep(found, make_relation(
            rule.type, a.canonical, b.canonical, field, start, end, b.start, b.end,
            rule.id, rule.confidence,
        ))


def _types(
    toks_positions: tuple[list[str], list[int]], mentions: list[Mention], field: str, rules: RelationRules
) -> list[PaperRule]:
    """The rule typing each mention's paper -> entity edge."""
    toks, positions = toks_positions
    sides = rules.sides
    typed: list[PaperRule] = []
    for index, mention in enumerate(mentions):
        before, after = sides.get((mention.type, field)) or rules.side(mention.type, field)
        typed.append(type_mention(toks, positions[index], before, after) or rules.defaults[mention.type])
    return typed


def _keep(found: dict[tuple[str, str, str, str, int], Relation], relation: Relation) -> None:
    """One relation per (type, head, tail, sentence): the most confident reading wins
    (``_sentence`` repeats this test inline for the paper -> entity relations)."""
    key = (relation.type, relation.head, relation.tail, relation.field, relation.sentence_start)
    held = found.get(key)
    if held is None or (-relation.confidence, relation.start, relation.rule) < (
        -held.confidence, held.start, held.rule
    ):
        found[key] = relation


_FIELD_ORDER = {name: index for index, name in enumerate(FIELDS)}


def _order(relation: Relation) -> tuple[int, int, int, str, str, str]:
    return (
        _FIELD_ORDER[relation.field], relation.sentence_start, relation.start,
        relation.type, relation.head, relation.tail,
    )
