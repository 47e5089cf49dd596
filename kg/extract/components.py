"""spaCy components: thin adapters from a ``Doc`` to the pure rule functions.

Registered factories (added in this order by ``build_nlp``):

* ``kg_matcher``: one pass of two PhraseMatchers (exact case and lowercase)
  over gazetteer aliases and every trigger phrase of the contextual and
  naming rules; gazetteer hits become candidates, trigger hits are kept for
  the next components.
* ``kg_context``: contextual patterns around trigger hits, then coordination.
* ``kg_naming``: naming patterns (what the paper introduces).
* ``kg_acronyms``: Schwartz–Hearst acronym definitions.
* ``kg_sentences``: sentence spans.
* ``kg_spans``: copies the candidates into ``doc.spans["kg_candidates"]``
  (label = type, id = rule, kb_id = canonical form) for inspection.

Results live in Doc extensions (``doc._.kg_candidates``, ``doc._.kg_acronyms``,
``doc._.kg_sentences``) as plain tuples, so ``extract_papers`` can turn them
into records without touching spaCy objects again.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from kg.extract.acronyms import find_abbreviations
from kg.extract.overlaps import Candidate
from kg.extract.patterns import (
    TokenView,
    after_rule,
    coordination_rule,
    head_rule,
    naming_after,
    naming_appositive,
    suffix_rule,
)
from kg.extract.rules import GazEntry, RuleSet, load_rules
from kg.extract.text import canonical_form, split_sentences

for _name in ("kg_candidates", "kg_hits", "kg_view", "kg_acronyms", "kg_sentences"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)

SPAN_KEY = "kg_candidates"


def _rules(rules_dir: str | None) -> RuleSet:
    from pathlib import Path

    return load_rules(Path(rules_dir) if rules_dir else None)


def alias_variants(alias: str) -> list[str]:
    """Surface variants of a gazetteer alias: plural and hyphen/space spellings.

    >>> alias_variants("fine-tuning")
    ['fine-tuning', 'fine tuning', 'fine-tunings']
    >>> alias_variants("LLM")
    ['LLM', 'LLMs']
    """
    out = [alias]
    if "-" in alias and " " not in alias and alias.replace("-", "").isalpha() and alias.islower():
        out.append(alias.replace("-", " "))
    elif " " in alias and alias.islower():
        out.append(alias.replace(" ", "-"))
    last = alias.split(" ")[-1]
    if last.isalpha() and not last.endswith("s"):
        if last.isupper() and len(last) >= 2:
            out.append(alias + "s")
        elif last.islower() and len(last) > 3:
            if last.endswith("y") and last[-2] not in "aeiou":
                out.append(alias[:-1] + "ies")
            elif last.endswith(("ch", "sh", "x")):
                out.append(alias + "es")
            elif not last.endswith(("ing", "ion", "ness", "ity", "ics", "ment", "ure", "ss")):
                out.append(alias + "s")
    return list(dict.fromkeys(out))


def _exact_case(entry: GazEntry, alias: str) -> bool:
    if entry.case == "exact":
        return True
    if entry.case == "lower":
        return False
    return any(c.isupper() for c in alias) and len(alias) <= 5


@Language.factory("kg_matcher", default_config={"rules_dir": None})
def make_matcher(nlp: Language, name: str, rules_dir: str | None) -> RuleMatcher:
    return RuleMatcher(nlp, name, _rules(rules_dir))


class RuleMatcher:
    """Gazetteer and trigger matching in one pass (PhraseMatcher: cheap at any size)."""

    def __init__(self, nlp: Language, name: str, rules: RuleSet) -> None:
        self.name = name
        self.rules = rules
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        # match id -> ("gaz", Candidate template) or ("trig", rule id)
        self.table: dict[int, tuple] = {}
        strings = nlp.vocab.strings
        make = nlp.make_doc
        conf = rules.confidence
        for n, entry in enumerate(rules.gazetteer):
            key = f"gaz|{n}"
            hid = strings.add(key)
            rule = f"gaz.{entry.type.lower()}"
            confidence = conf.get("gaz.entry", 0.9)
            if entry.ambiguous:
                rule += ".ambiguous"
                confidence = conf.get("gaz.ambiguous", 0.7)
            self.table[hid] = ("gaz", entry.type, rule, confidence, canonical_form(entry.name))
            exact_docs, lower_docs = [], []
            for alias in entry.aliases:
                for variant in alias_variants(alias):
                    (exact_docs if _exact_case(entry, variant) else lower_docs).append(make(variant))
            if exact_docs:
                self.exact.add(key, exact_docs)
            if lower_docs:
                self.lower.add(key, lower_docs)
        for rule in [*rules.context, *rules.naming]:
            if not rule.words:
                continue
            key = f"trig|{rule.id}"
            hid = strings.add(key)
            self.table[hid] = ("trig", rule.id)
            self.lower.add(key, [make(w) for w in rule.words])

    def __call__(self, doc: Doc) -> Doc:
        view = TokenView.from_doc(doc)
        if doc.has_annotation("POS"):
            view.pos = [t.pos_ for t in doc]
        cands: list[Candidate] = []
        hits: list[tuple[str, int, int]] = []
        table = self.table
        starts = view.starts
        text_len_end = view.end
        for match_id, s, e in [*self.lower(doc), *self.exact(doc)]:
            info = table[match_id]
            if info[0] == "gaz":
                cands.append(Candidate(starts[s], text_len_end(e - 1), info[1], info[2],
                                       info[3], info[4]))
            else:
                hits.append((info[1], s, e))
        doc._.kg_view = view
        doc._.kg_hits = hits
        doc._.kg_candidates = cands
        return doc


@Language.factory("kg_context", default_config={"rules_dir": None})
def make_context(nlp: Language, name: str, rules_dir: str | None) -> ContextComponent:
    return ContextComponent(_rules(rules_dir))


class ContextComponent:
    """Contextual patterns ("the X dataset", "on X and Y", "X score", "X-based")."""

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        self.by_id = {r.id: r for r in rules.context}
        self.coordination = next((r for r in rules.context if r.kind == "coordination"), None)

    def __call__(self, doc: Doc) -> Doc:
        view: TokenView = doc._.kg_view
        cands: list[Candidate] = doc._.kg_candidates
        found = context_candidates(view, doc._.kg_hits, self.rules, self.by_id)
        cands.extend(found)
        if self.coordination is not None:
            cands.extend(coordination_rule(view, list(cands), self.coordination, self.rules))
        return doc


def context_candidates(view: TokenView, hits, rules: RuleSet, by_id=None) -> list[Candidate]:
    """Run every contextual rule whose trigger was hit."""
    by_id = by_id or {r.id: r for r in rules.context}
    out: list[Candidate] = []
    for rule_id, s, e in hits:
        rule = by_id.get(rule_id)
        if rule is None:
            continue
        if rule.kind == "head":
            out.extend(head_rule(view, (s, e), rule, rules, rule.requires))
        elif rule.kind == "after":
            out.extend(after_rule(view, (s, e), rule, rules))
        elif rule.kind == "suffix":
            out.extend(suffix_rule(view, (s, e), rule, rules))
    return out


@Language.factory("kg_naming", default_config={"rules_dir": None})
def make_naming(nlp: Language, name: str, rules_dir: str | None) -> NamingComponent:
    return NamingComponent(_rules(rules_dir))


class NamingComponent:
    """Naming patterns: "we propose X", "called X", "X, a novel ..."."""

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        self.by_id = {r.id: r for r in rules.naming}

    def __call__(self, doc: Doc) -> Doc:
        doc._.kg_candidates.extend(naming_candidates(doc._.kg_view, doc._.kg_hits, self.rules,
                                                     self.by_id))
        return doc


def naming_candidates(view: TokenView, hits, rules: RuleSet, by_id=None) -> list[Candidate]:
    by_id = by_id or {r.id: r for r in rules.naming}
    out: list[Candidate] = []
    for rule_id, s, e in hits:
        rule = by_id.get(rule_id)
        if rule is None:
            continue
        if rule.kind == "after":
            out.extend(naming_after(view, (s, e), rule, rules))
        elif rule.kind == "appositive":
            out.extend(naming_appositive(view, (s, e), rule, rules))
    return out


@Language.component("kg_acronyms")
def acronym_component(doc: Doc) -> Doc:
    doc._.kg_acronyms = find_abbreviations(doc.text)
    return doc


@Language.component("kg_sentences")
def sentence_component(doc: Doc) -> Doc:
    doc._.kg_sentences = split_sentences(doc.text)
    return doc


@Language.component("kg_spans")
def span_component(doc: Doc) -> Doc:
    """Mirror candidates into ``doc.spans["kg_candidates"]`` (label type, id rule, kb_id canonical)."""
    spans = []
    for c in doc._.kg_candidates or ():
        span = doc.char_span(c.start, c.end, label=c.type, kb_id=c.canonical, span_id=c.rule)
        if span is not None:
            spans.append(span)
    doc.spans[SPAN_KEY] = spans
    return doc


COMPONENTS = ("kg_matcher", "kg_context", "kg_naming", "kg_acronyms", "kg_sentences", "kg_spans")

__all__ = ["COMPONENTS", "RuleMatcher", "Span", "alias_variants", "context_candidates",
           "naming_candidates"]
