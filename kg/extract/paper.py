"""Paper-level steps: what needs both fields of a paper, then plain records.

Per text, the components propose candidates; per paper, ``assemble`` adds
what needs both fields (acronyms defined in one field and used in the
other, names repeated after their introduction, the title's "X: ..."
name), drops generic heads, resolves overlaps and builds ``Extraction``
records.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from kg.extract.acronyms import Abbreviation
from kg.extract.components import K_ACRONYMS, K_CANDS, K_SENTENCES, doc_text, view_of
from kg.extract.naming_rules import title_name
from kg.extract.overlaps import Candidate, new_candidate, resolve_overlaps
from kg.extract.rules import ExtractRules
from kg.extract.text import canonical_form, clean_surface, split_sentences
from kg.extract.tokens import strong_name
from kg.records import ENTITY_TYPES, Acronym, Extraction, Mention, record_maker

_GAZ = "gaz."
_RULE_PREFIXES = frozenset({"ctx.", "name"})  # the first four characters of such rule ids
_GAZ_RULES = frozenset(f"gaz.{t.lower()}{s}" for t in ENTITY_TYPES for s in ("", ".ambiguous"))


def _doc_parts(doc) -> tuple[str, list[Candidate], list[Abbreviation], list]:
    """The doc's text and component results (its candidate list is extended in place)."""
    data = doc.user_data
    cands = data.get(K_CANDS)
    if cands is None:
        cands = data[K_CANDS] = []
    return (doc_text(doc), cands, data.get(K_ACRONYMS) or [], data.get(K_SENTENCES) or [])


def assemble(paper_id: str, title_doc, abstract_doc, rules: ExtractRules) -> Extraction:
    """Paper-level steps over both fields' candidates, then plain records.

    Each step runs only when it has something to work on (most papers define no
    acronym and coin no name), which keeps the common case cheap.
    """
    t_text, t_cands, t_abbr, _ = _doc_parts(title_doc)
    a_text, a_cands, a_abbr, a_sents = _doc_parts(abstract_doc)
    if not a_sents and a_text:
        a_sents = split_sentences(a_text)
    texts = {"title": t_text, "abstract": a_text}
    cands = {"title": t_cands, "abstract": a_cands}
    if ":" in t_text[:80]:
        title_rule = rules.title_rule
        if title_rule is not None:
            t_cands.extend(title_name(view_of(title_doc), title_rule, rules))
    acronyms = type_acronyms(texts, cands, {"title": t_abbr, "abstract": a_abbr}, rules) \
        if t_abbr or a_abbr else []
    # names found by context or naming rules are looked for again and share one type;
    # gazetteer hits and acronyms need neither (they are typed the same everywhere already)
    if _has_rule_candidate(t_cands) or _has_rule_candidate(a_cands):
        repeat_names(texts, cands, acronyms, rules)
        unify_types(cands)
    mentions: list[Mention] = []
    append = mentions.append
    for field in ("title", "abstract"):
        text = texts[field]
        for start, end, type_, rule, confidence, canonical in resolve_overlaps(
                filter_generic(cands[field], text, rules)):
            append(_mention(text[start:end], type_, canonical, start, end, field, rule, confidence))
    return Extraction(
        id=paper_id,
        title=t_text,
        mentions=mentions,
        acronyms=[a for a, _ in acronyms],
        sentences={"title": [(0, len(t_text))] if t_text.strip() else [], "abstract": a_sents},
    )


_acronym = record_maker(Acronym)
_mention = record_maker(Mention)


def _has_rule_candidate(cands: Sequence[Candidate]) -> bool:
    """Did a context or naming rule propose any of ``cands``? (A loop: any(generator)
    costs more on these short lists.)"""
    for c in cands:  # noqa: SIM110
        if c.rule[:4] in _RULE_PREFIXES:
            return True
    return False


def _covering(cands: Sequence[Candidate], start: int, end: int) -> Candidate | None:
    """The best candidate lying inside [start, end) and ending at ``end`` (the long form's head)."""
    best = None
    for c in cands:
        if c.end == end and c.start >= start:
            if best is None or (c.end - c.start, c.confidence) > (best.end - best.start, best.confidence):
                best = c
        elif c.start <= start and c.end >= end and c.end - c.start <= (end - start) + 2:
            return c
    return best


def long_form_type(long_text: str, rules: ExtractRules) -> str | None:
    """Type of a long form from its last word ("Moment Probing" -> Method), if it has one."""
    words = clean_surface(long_text).replace("-", " ").split()
    if not words:
        return None
    last = words[-1].lower()
    found = rules.heads.get(last)
    if found is None and last.endswith("s"):
        found = rules.heads.get(last[:-1])
    return found


def type_acronyms(
    texts: dict[str, str],
    cands: dict[str, list[Candidate]],
    abbrs: dict[str, list[Abbreviation]],
    rules: ExtractRules,
) -> list[tuple[Acronym, tuple[str, str] | None]]:
    """Type each defined short form from its long form and add its mentions in both fields.

    Returns ``(Acronym record, (type, long canonical) or None if untyped)``.
    The short form inherits the long form's type everywhere in the paper
    (title and abstract), with the long form's canonical form.
    """
    out: list[tuple[Acronym, tuple[str, str] | None]] = []
    conf_short = rules.confidence.get("acronym.short", 0.85)
    conf_long = rules.confidence.get("acronym.long", 0.75)
    not_names = rules.stop_words("not-a-name")
    defined: dict[str, tuple[str, str] | None] = {}
    for field in ("title", "abstract"):
        text = texts[field]
        for ab in abbrs[field]:
            long_text = text[ab.long_start:ab.long_end]
            short_text = text[ab.short_start:ab.short_end]
            cover = _covering(cands[field], ab.long_start, ab.long_end)
            typed: tuple[str, str] | None = None
            if cover is not None and cover.start == ab.long_start and cover.end == ab.long_end \
                    and cover.rule.startswith(("gaz.", "name.")):
                # a known name, or one the paper introduces ("we propose Iterative Feature
                # Merging (IFM)"): keep that mention and its rule
                typed = (cover.type, cover.canonical)
            elif cover is not None and cover.rule.startswith(_GAZ) and cover.start == ab.long_start:
                typed = (cover.type, cover.canonical)
            elif short_text in not_names:
                pass  # "GPU (graphics processing unit)": recorded, never a mention
            else:
                etype = long_form_type(long_text, rules)
                if etype is None and cover is not None:
                    etype = cover.type
                if etype is not None:
                    typed = (etype, canonical_form(long_text))
                    cands[field].append(Candidate(ab.long_start, ab.long_end, etype, "acronym.long",
                                                  conf_long, typed[1]))
            record = _acronym(canonical_form(short_text),
                              typed[1] if typed else canonical_form(long_text),
                              field, ab.long_start, min(len(text), ab.short_end + 1))
            out.append((record, typed))
            if typed is not None and short_text not in not_names and not _known_alias(
                    cands[field], ab.short_start, ab.short_end, typed[1]):
                defined.setdefault(short_text, typed)
    if defined:
        for field in ("title", "abstract"):
            text = texts[field]
            for short, (etype, canonical) in defined.items():
                for start, end in find_word(text, short, plural=True):
                    cands[field].append(new_candidate(Candidate, (
                        start, end, etype, "acronym.short", conf_short, canonical)))
    return out


def _known_alias(cands: Sequence[Candidate], start: int, end: int, canonical: str) -> bool:
    """Does a gazetteer hit with this canonical form already cover the short form at its
    definition ("Large Language Models (LLMs)")? Then the gazetteer finds every other use
    of it too, and propagating the acronym would only add work."""
    for c in cands:
        if c.start == start and c.end >= end and c.canonical == canonical and c.rule in _GAZ_RULES:
            return True
    return False


def repeat_names(
    texts: dict[str, str],
    cands: dict[str, list[Candidate]],
    acronyms: list[tuple[Acronym, tuple[str, str] | None]],
    rules: ExtractRules,
) -> None:
    """A name a rule typed once ("we propose AdaptCLIP") is the same name elsewhere in the
    paper: add its other exact occurrences in title and abstract (rule ``paper.repeat``)."""
    conf = rules.confidence.get("paper.repeat", 0.8)
    names: dict[str, Candidate] = {}
    for field in ("title", "abstract"):
        text = texts[field]
        for c in cands[field]:
            if c.rule.startswith(("name.", "ctx.", "acronym.long")):
                surface = text[c.start:c.end]
                if strong_name(surface.split(" ")[0]) and len(surface) >= 3:
                    prev = names.get(surface)
                    if prev is None or c.confidence > prev.confidence:
                        names[surface] = c
    if not names:
        return
    for field in ("title", "abstract"):
        text = texts[field]
        taken: dict[int, float] = {}  # found there already: by how sure a rule
        for c in cands[field]:
            if c.confidence > taken.get(c.start, 0.0):
                taken[c.start] = c.confidence
        for surface, src in names.items():
            sure = min(conf, src.confidence)
            for start, end in find_word(text, surface):
                if taken.get(start, 0.0) < sure:
                    cands[field].append(new_candidate(Candidate, (
                        start, end, src.type, "paper.repeat", sure, src.canonical)))


def _word_char(ch: str) -> bool:
    return ch.isalnum() or ch in "_-"


def find_word(text: str, word: str, plural: bool = False) -> Iterator[tuple[int, int]]:
    """Spans of ``word`` in ``text`` as a whole word (not inside a longer name); with
    ``plural``, also "LLMs" for "LLM" (the span then includes the "s").

    >>> list(find_word("MP and MPs, not AMP or MP-2", "MP", plural=True))
    [(0, 2), (7, 10)]
    """
    n = len(word)
    i = text.find(word)
    while i != -1:
        j = i + n
        if i == 0 or not _word_char(text[i - 1]):
            if j == len(text) or not _word_char(text[j]):
                yield i, j
            elif plural and text[j] == "s" and (j + 1 == len(text) or not _word_char(text[j + 1])):
                yield i, j + 1
        i = text.find(word, i + 1)


def unify_types(cands: dict[str, list[Candidate]]) -> None:
    """One sense per paper: rule candidates (not gazetteer hits) with the same canonical
    form take the type of the most confident of them ("AdaptCLIP: ..." in the title
    follows "a method called AdaptCLIP" in the abstract)."""
    best: dict[str, Candidate] = {}
    conflict = False
    for field_cands in cands.values():
        for c in field_cands:
            if not c.rule.startswith(_GAZ):
                prev = best.get(c.canonical)
                if prev is None:
                    best[c.canonical] = c
                    continue
                conflict = conflict or prev.type != c.type
                if (c.confidence, c.end - c.start) > (prev.confidence, prev.end - prev.start):
                    best[c.canonical] = c
    if not conflict:
        return
    for field, field_cands in cands.items():
        cands[field] = [
            c._replace(type=best[c.canonical].type)
            if not c.rule.startswith(_GAZ) and c.canonical in best and best[c.canonical].type != c.type
            else c
            for c in field_cands
        ]


_CITATION_KEY_TAIL = re.compile(r":\s?(?:journals|conf|books|phd)/")


def filter_generic(cands: Iterable[Candidate], text: str, rules: ExtractRules) -> list[Candidate]:
    """Drop rule candidates that are only a generic head ("model", "our method") or a
    capitalised word that is no name (stop-lists); gazetteer hits are kept, unless they are
    the start of a citation key ("DBLP:journals/...")."""
    generic = rules.stop_words("generic")
    not_names = rules.stop_words("not-a-name")
    gaz = rules.gazetteer_rules
    out = []
    slot = rules.slot_rules  # "3.6% error": the slot makes the generic word a measure
    for c in cands:
        if text.startswith(":", c.end) and _CITATION_KEY_TAIL.match(text, c.end):
            continue  # "DBLP:journals/corr/abs-1711-03953": a citation key left in the text
        if c.rule not in gaz and c.rule not in slot:
            surface = text[c.start:c.end]
            if c.canonical in generic or len(surface) < 2:
                continue
            if surface in not_names and c.canonical == canonical_form(surface):
                continue  # kept when a gazetteer named it: "the VQA dataset"
            if surface.lower() in generic:
                continue
        out.append(c)
    return out
