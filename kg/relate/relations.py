"""``relate``: typed relations of one paper, from its text, sentences and mentions."""

from __future__ import annotations

from dataclasses import replace
from functools import cache

from kg.records import (
    FIELDS,
    PAPER,
    Extraction,
    Mention,
    Paper,
    Relation,
    field_text,
    non_overlapping,
    record_maker,
)
from kg.relate.entity_edges import cued, mask, matches
from kg.relate.paper_edges import Cut, sentence_words, tokens, type_mention
from kg.relate.rules import PaperRule, RelationRules, bundled_rules

make_relation = record_maker(Relation)


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
    if rules.whole_paper:
        _paper_scope(paper, found, rules.whole_paper)
    _own_model_in_title(found, {m.canonical for m in extraction.mentions if m.rule.startswith("gaz.")})
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
    sentence = text[start:end]
    if rules.sentence:
        typed = _sentence_types(sentence, start, mentions, typed, field, rules)
    typed = _known_classes(sentence, start, mentions, typed)
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


def _paper_scope(paper: Paper, found: dict, rules: list[PaperRule]) -> None:
    """Retype the paper's edges by what the whole paper is: a survey ("In this survey, we
    review ...") proposes and uses nothing it names."""
    words = _Words(f"{paper.title} . {paper.abstract or ''}")
    for rule in rules:
        if words.holds(rule):
            for key, relation in list(found.items()):
                if relation.head == PAPER and relation.type in rule.overrides:
                    del found[key]
                    _keep(found, replace(relation, type=rule.type, rule=rule.id, confidence=rule.confidence))
            return


def _own_model_in_title(found: dict, known: set[str]) -> None:
    """A title's "... with X" where the abstract proposes X, a name no gazetteer knows: the
    title names the paper's own model, so its edge is `proposes`, not `uses`."""
    proposed = {r.tail: r for r in found.values()
                if r.head == PAPER and r.type == "proposes" and r.tail not in known}
    if not proposed:
        return
    for key, relation in list(found.items()):
        if relation.type == "uses" and relation.field == "title" and relation.tail in proposed:
            del found[key]
            _keep(found, replace(relation, type="proposes", rule=OWN_MODEL_RULE,
                                           confidence=proposed[relation.tail].confidence))


OWN_MODEL_RULE = "proposes.own-model-in-title"


def _sentence_types(
    sentence: str, offset: int, mentions: list[Mention], typed: list[PaperRule], field: str,
    rules: RelationRules,
) -> list[PaperRule]:
    """Edge types that the whole sentence gives: a background sentence ("X is typically
    achieved through Y") takes back `uses`; a result sentence reports its metric. A sentence
    rule applies to a mention no trigger typed, or one typed by a type the rule overrides."""
    words: _Words | None = None
    out = typed
    overridable = rules.sentence_overrides
    for index, (mention, rule) in enumerate(zip(mentions, typed, strict=True)):
        if not (rule.default or rule.type in overridable):
            continue
        for candidate in rules.sentence:
            if mention.type not in candidate.entity_types or field not in candidate.fields:
                continue
            if not (rule.default or rule.type in candidate.overrides):
                continue
            if words is None:
                words = _Words(sentence)
            if not words.holds(candidate):
                continue
            if candidate.not_after and _right_after(sentence, mention.start - offset, candidate.not_after):
                continue
            if out is typed:
                out = list(typed)
            out[index] = candidate
            break
    return out


class _Words:
    """A text's words, as a set and as spaced text, and which sentence rules it satisfies
    (a rule's phrases are looked up once per sentence, not once per mention)."""

    __slots__ = ("set", "spaced", "seen")

    def __init__(self, text: str) -> None:
        self.spaced = sentence_words(text)
        self.set = frozenset(self.spaced.split())
        self.seen: dict[str, bool] = {}

    def holds(self, rule: PaperRule) -> bool:
        """Does the text hold one of the rule's phrases (if it has any) and none of its
        ``unless`` phrases?"""
        held = self.seen.get(rule.id)
        if held is None:
            held = self.seen[rule.id] = (
                (rule.sentence is None or rule.sentence.found_in(self.set, self.spaced))
                and (rule.unless is None or not rule.unless.found_in(self.set, self.spaced)))
        return held


def _known_classes(sentence: str, offset: int, mentions: list[Mention], typed: list[PaperRule]) -> list[PaperRule]:
    """"We propose a novel deep CNN": a known entity after an indefinite article is the class
    of the paper's model; a rule with ``known_class`` gives it that edge type instead."""
    out = typed
    for index, (mention, rule) in enumerate(zip(mentions, typed, strict=True)):
        if rule.known_class and mention.rule.startswith("gaz.") and \
                _right_after(sentence, mention.start - offset, _ARTICLES):
            if out is typed:
                out = list(typed)
            out[index] = _as_class(rule)
    return out


_ARTICLES = frozenset({("a",), ("an",)})


_CLASS_RULES: dict[tuple, PaperRule] = {}


def _as_class(rule: PaperRule) -> PaperRule:
    """The rule a ``known_class`` reading gives (made once per rule)."""
    key = (rule.id, rule.known_class, rule.confidence, rule.order, rule.entity_types, rule.fields)
    found = _CLASS_RULES.get(key)
    if found is None:
        kind = rule.known_class or "uses"
        found = _CLASS_RULES[key] = replace(rule, id=f"{kind}.known-class", type=kind, known_class=None)
    return found


def _right_after(sentence: str, at: int, phrases: frozenset[tuple[str, ...]]) -> bool:
    """Does one of ``phrases`` end right before offset ``at`` of the sentence, past at most four
    modifier tokens ("TTM, a sequential, autoregressive [Transformer model]": an apposition
    names a class)?"""
    before = sentence_words(sentence[max(0, at - 80):at]).split()
    size = len(before)
    lengths = _lengths(phrases)
    for skip in range(min(5, size + 1)):
        end = size - skip
        if skip and not (before[end][:1].isalnum() or before[end] == ","):
            return False  # "a new architecture (Mamba-2)": a bracket ends the modifiers
        if any(end >= n and tuple(before[end - n:end]) in phrases for n in lengths):
            return True
    return False


@cache
def _lengths(phrases: frozenset[tuple[str, ...]]) -> tuple[int, ...]:
    return tuple(sorted({len(p) for p in phrases}))


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
