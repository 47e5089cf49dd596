"""``relate``: typed relations of one paper, from its text, sentences and mentions."""

from __future__ import annotations

from kg.records import FIELDS, Extraction, Mention, Paper, Relation
from kg.relate.entity_edges import cued, mask, matches
from kg.relate.paper_edges import tokens, type_mention
from kg.relate.rules import RuleSet, bundled_rules

PAPER = "paper"


def field_text(paper: Paper, field: str) -> str:
    """The text a field's offsets point into."""
    return paper.title if field == "title" else paper.abstract


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


def relate(paper: Paper, extraction: Extraction, rules: RuleSet | None = None) -> list[Relation]:
    """Every typed statement of a paper: one paper -> entity relation per mention and sentence,
    plus the entity -> entity statements its sentences make.

    A ``mentions`` relation is kept only for entities that no more specific
    relation of the paper reaches, and one sentence counts once per edge.
    The result is sorted, so equal inputs give equal outputs.
    """
    rules = rules or bundled_rules()
    found: dict[tuple[str, str, str, str, int], Relation] = {}
    for field in FIELDS:
        text = field_text(paper, field)
        mentions = non_overlapping(
            [m for m in extraction.mentions if m.field == field and 0 <= m.start < m.end <= len(text)]
        )
        if not mentions:
            continue
        spans = extraction.sentences.get(field) or [(0, len(text))]
        cursor = 0
        for start, end in sorted(spans):
            inside: list[Mention] = []
            while cursor < len(mentions) and mentions[cursor].start < end:
                if mentions[cursor].start >= start and mentions[cursor].end <= end:
                    inside.append(mentions[cursor])
                cursor += 1
            if inside:
                _sentence(text, field, start, end, inside, rules, found)
    specific = {r.tail for r in found.values() if r.head == PAPER and r.type != "mentions"}
    kept = [
        r for r in found.values()
        if not (r.head == PAPER and r.type == "mentions" and r.tail in specific)
    ]
    return sorted(kept, key=_order)


def _sentence(
    text: str, field: str, start: int, end: int, mentions: list[Mention], rules: RuleSet,
    found: dict[tuple[str, str, str, str, int], Relation],
) -> None:
    toks, positions = tokens(text, start, end, mentions)
    for index, mention in enumerate(mentions):
        rule = type_mention(toks, positions[index], mention.type, field, rules)
        _keep(found, Relation(
            rule.type, PAPER, mention.canonical, field, start, end,
            mention.start, mention.end, rule.id, rule.confidence,
        ))
    if len(mentions) < 2:
        return
    live = cued(text[start:end], rules.pairs, rules.cues)
    if not live:
        return
    for rule, head, tail in matches(mask(text, start, end, mentions), live):
        a, b = mentions[head], mentions[tail]
        if a.canonical == b.canonical or (rule.same_type and a.type != b.type):
            continue
        _keep(found, Relation(
            rule.type, a.canonical, b.canonical, field, start, end, b.start, b.end,
            rule.id, rule.confidence,
        ))


def _keep(found: dict[tuple[str, str, str, str, int], Relation], relation: Relation) -> None:
    """One relation per (type, head, tail, sentence): the most confident reading wins."""
    key = (relation.type, relation.head, relation.tail, relation.field, relation.sentence_start)
    held = found.get(key)
    if held is None or (-relation.confidence, relation.start, relation.rule) < (
        -held.confidence, held.start, held.rule
    ):
        found[key] = relation


def _order(relation: Relation) -> tuple[int, int, int, str, str, str]:
    return (
        FIELDS.index(relation.field), relation.sentence_start, relation.start,
        relation.type, relation.head, relation.tail,
    )
