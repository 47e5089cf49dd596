"""spaCy components: thin adapters from a ``Doc`` to the pure rule functions.

The classes and functions here are registered by name in ``kg.extract.factories``
(added in this order by ``build_nlp``):

* ``kg_matcher`` (``RuleMatcher``): one PhraseMatcher pass over gazetteer
  aliases and every trigger phrase of the contextual and naming rules;
  gazetteer hits become candidates, trigger hits are kept for the next
  components (``doc._.kg_hits``: contextual, ``doc._.kg_naming_hits``: naming).
* ``kg_context`` (``ContextComponent``): contextual patterns around trigger
  hits, then coordination.
* ``kg_naming`` (``NamingComponent``): naming patterns (what the paper introduces).
* ``kg_acronyms``: Schwartz–Hearst acronym definitions.
* ``kg_sentences``: sentence spans (optional: ``extract_papers`` splits
  abstracts itself when it is absent, and titles are one sentence).
* ``kg_spans``: copies the candidates into ``doc.spans["kg_candidates"]``
  (label = type, id = rule, kb_id = canonical form) for inspection.

Results live in Doc extensions (``doc._.kg_candidates``, ``doc._.kg_acronyms``,
``doc._.kg_sentences``) as plain tuples, so ``extract_papers`` can turn them
into records without touching spaCy objects again.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from kg.extract.acronyms import find_abbreviations
from kg.extract.context_rules import (
    PAIR_JOINERS,
    TEXT_WIDE_KINDS,
    context_candidates,
    coordination_rule,
    language_pair_rule,
    language_pair_triggers,
    name_suffix_guards,
    name_suffix_pattern,
    name_suffix_rule,
    paradigm_types,
)
from kg.extract.naming_rules import naming_candidates
from kg.extract.overlaps import Candidate, new_candidate
from kg.extract.rules import ExtractRules, GazEntry, NamingRule
from kg.extract.text import canonical_form, split_sentences
from kg.extract.tokenizer import TEXT_KEY
from kg.extract.tokens import TokenView

for _name in ("kg_candidates", "kg_hits", "kg_naming_hits", "kg_view", "kg_acronyms",
              "kg_sentences"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


SPAN_KEY = "kg_candidates"


def _key(name: str) -> tuple:
    # where spaCy stores Doc extension values: doc._.NAME reads doc.user_data[_key(NAME)].
    # The components use the dict directly (doc._ builds an object per access).
    return ("._.", name, None, None)


K_CANDS, K_HITS, K_VIEW = _key("kg_candidates"), _key("kg_hits"), _key("kg_view")
K_NAMING_HITS = _key("kg_naming_hits")
K_ACRONYMS, K_SENTENCES = _key("kg_acronyms"), _key("kg_sentences")
K_USE_POS = "kg_use_pos"


def alias_variants(alias: str) -> list[str]:
    """Surface variants of a gazetteer alias: plural and hyphen/space spellings.

    >>> alias_variants("fine-tuning")
    ['fine-tuning', 'fine tuning']
    >>> alias_variants("LLM")
    ['LLM', 'LLMs']
    """
    out = [alias]
    if "'" in alias:
        out.append(alias.replace("'", "\u2019"))  # "WMT'15" as typeset: "WMT’15"
    if "-" in alias and " " not in alias and alias.replace("-", "").isalpha() and alias.islower():
        out.append(alias.replace("-", " "))
    elif " " in alias and alias.islower():
        out.append(alias.replace(" ", "-"))
    last = alias.split(" ")[-1]
    if last.isalpha() and not last.endswith("s"):
        if last.isupper() and len(last) >= 2:
            out.append(alias + "s")
        elif last[0].isupper() and last[1:].islower() and " " in alias and len(last) > 3:
            out.append(alias + "s")  # "Inception Scores"
        elif last.islower() and len(last) > 3:
            if last.endswith("y") and last[-2] not in "aeiou":
                out.append(alias[:-1] + "ies")
            elif last.endswith(("ch", "sh", "x")):
                out.append(alias + "es")
            elif not last.endswith(("ing", "ion", "ness", "ity", "ics", "ment", "ure", "ss")):
                out.append(alias + "s")
    return list(dict.fromkeys(out))


def _cancelled(text: str, start: int, end: int, unless: tuple[frozenset[str], frozenset[str]]) -> bool:
    """Is the word right before ``start`` or right after ``end`` one that makes a gazetteer
    match no mention ("at inference time", "precision medicine")?"""
    after, before = unless
    return bool(after) and text[max(0, start - 20):start].rstrip().rsplit(" ", 1)[-1].lower() in after \
        or bool(before) and text[end:end + 20].lstrip().split(" ", 1)[0].strip(",.;:)").lower() in before


def _pattern(make, phrase: str) -> Doc:
    """A trigger phrase as the tokenizer splits it in running text: a suffix such as
    "-based" is glued to a word there ("DETR-based" -> DETR, -, based), alone it is not."""
    if phrase.startswith("-"):
        return make("x" + phrase)[1:].as_doc()
    return make(phrase)


def _language_pair_docs(nlp: Language, make, rule) -> list[Doc]:
    """The language-pair rule's triggers as Docs. There are thousands of joined pairs, so
    each joiner is tokenized once on a sample pair ("En-De" is one token, "En/De" three) and
    the pairs are built from words in that shape."""
    names, joined = language_pair_triggers(rule)
    docs = [make(name) for name in names]
    for joiner in PAIR_JOINERS:
        whole = len(make(f"Ab{joiner}Cd")) == 1
        docs.extend(Doc(nlp.vocab, words=[f"{a}{joiner}{b}"] if whole else [a, joiner, b])
                    for a, b in joined)
    return docs


def _exact_case(entry: GazEntry, alias: str) -> bool:
    if entry.case == "exact":
        return True
    if entry.case == "lower":
        return False
    return any(c.isupper() for c in alias) and len(alias) <= 5


class RuleMatcher:
    """Gazetteer and trigger matching in one pass (PhraseMatcher: cheap at any size)."""

    def __init__(self, nlp: Language, name: str, rules: ExtractRules) -> None:
        self.name = name
        self.rules = rules
        # part-of-speech checks only when a statistical pipeline tags before us
        self.use_pos = any(p in nlp.pipe_names for p in ("tagger", "morphologizer"))
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        # gazetteer match id -> ((type, rule, confidence, canonical), exact surfaces or None)
        self.table: dict[int, tuple] = {}
        # gazetteer match id -> words that cancel the match right before it ("at inference
        # time") and right after it ("precision medicine")
        self.unless: dict[int, tuple[frozenset[str], frozenset[str]]] = {}
        # trigger match id -> (rule id, True for a naming rule)
        self.triggers: dict[int, tuple[str, bool]] = {}
        strings = nlp.vocab.strings
        make = nlp.make_doc
        conf = rules.confidence
        for n, entry in enumerate(rules.gazetteer):
            rule = f"gaz.{entry.type.lower()}"
            confidence = conf.get("gaz.entry", 0.9)
            if entry.ambiguous:
                rule += ".ambiguous"
                confidence = conf.get("gaz.ambiguous", 0.7)
            canonical = canonical_form(entry.name)
            exact_forms, lower_forms = [], []
            for alias in entry.aliases:
                forms = alias_variants(alias)
                (exact_forms if _exact_case(entry, alias) else lower_forms).extend(forms)
            # one lowercase matcher for speed; exact-case aliases are checked on the hit
            for key, forms, exact in ((f"gaz|{n}", lower_forms, None),
                                      (f"gazx|{n}", exact_forms, frozenset(exact_forms))):
                if forms:
                    hid = strings.add(key)
                    self.table[hid] = ((entry.type, rule, confidence, canonical), exact)
                    if entry.unless_after or entry.unless_before:
                        self.unless[hid] = (entry.unless_after, entry.unless_before)
                    self.matcher.add(key, [make(f) for f in forms])
        for rule in [*rules.context, *rules.naming]:
            if not rule.words or rule.kind in TEXT_WIDE_KINDS:
                continue  # no trigger words: the rule retypes candidates
            key = f"trig|{rule.id}"
            hid = strings.add(key)
            self.triggers[hid] = (rule.id, isinstance(rule, NamingRule))
            if rule.kind == "language-pair":
                self.matcher.add(key, _language_pair_docs(nlp, make, rule))
            else:
                self.matcher.add(key, [_pattern(make, w) for w in rule.words])

    def __call__(self, doc: Doc) -> Doc:
        data = doc.user_data
        if self.use_pos:
            data[K_USE_POS] = True
        matches = self.matcher(doc)
        triggers = self.triggers
        hits: list[tuple[str, int, int]] = []  # of contextual rules
        naming_hits: list[tuple[str, int, int]] = []
        gaz: list[tuple[int, int, int]] = []
        get_trigger = triggers.get
        for match in matches:
            trigger = get_trigger(match[0])
            if trigger is None:
                gaz.append(match)
            elif trigger[1]:
                naming_hits.append((trigger[0], match[1], match[2]))
            else:
                hits.append((trigger[0], match[1], match[2]))
        cands: list[Candidate] = []
        if gaz:
            text = data.get(TEXT_KEY)
            if text is None:
                text = doc.text
            table, unless = self.table, self.unless
            if hits or naming_hits or len(gaz) > 6:
                view = view_of(doc)  # the rules need it anyway
                starts, ends = view.starts, view.ends
                for match_id, s, e in gaz:
                    tail, exact = table[match_id]
                    a, b = starts[s], ends[e - 1]
                    if (exact is None or text[a:b] in exact) and not (
                            match_id in unless and _cancelled(text, a, b, unless[match_id])):
                        cands.append(new_candidate(Candidate, (a, b) + tail))
            else:  # short texts such as titles: a few Token objects beat reading arrays
                for match_id, s, e in gaz:
                    tail, exact = table[match_id]
                    last = doc[e - 1]
                    a, b = doc[s].idx, last.idx + len(last)
                    if (exact is None or text[a:b] in exact) and not (
                            match_id in unless and _cancelled(text, a, b, unless[match_id])):
                        cands.append(new_candidate(Candidate, (a, b) + tail))
        data[K_HITS] = hits
        data[K_NAMING_HITS] = naming_hits
        data[K_CANDS] = cands
        return doc


class ContextComponent:
    """Contextual patterns ("the X dataset", "on X and Y", "X score", "X-based")."""

    def __init__(self, rules: ExtractRules) -> None:
        self.rules = rules
        self.by_id = {r.id: r for r in rules.context}
        self.coordination = next((r for r in rules.context if r.kind == "coordination"), None)
        self.name_suffix = next((r for r in rules.context if r.kind == "name-suffix"), None)
        self.paradigms = [r for r in rules.context if r.kind == "paradigm"]
        self.language_pairs = [r for r in rules.context if r.kind == "language-pair"]
        if self.name_suffix is not None:
            self.suffix_pattern = name_suffix_pattern(self.name_suffix)
            self.suffix_guards = name_suffix_guards(self.name_suffix)

    def __call__(self, doc: Doc) -> Doc:
        data = doc.user_data
        cands: list[Candidate] = data[K_CANDS]
        text = doc_text(doc)
        if self.name_suffix is not None:
            cands.extend(name_suffix_rule(text, self.suffix_pattern, self.name_suffix,
                                          self.rules, cands, self.suffix_guards))
        if self.language_pairs and data[K_HITS]:
            hit_rules = {hit[0] for hit in data[K_HITS]}
            for rule in self.language_pairs:
                if rule.id in hit_rules:
                    cands.extend(language_pair_rule(text, rule))
        types = {c.type for c in cands}  # one pass, for the two questions below
        if self.paradigms and "Method" in types:
            retyped = paradigm_types(text, cands, self.paradigms)
            if retyped is not cands:
                data[K_CANDS] = cands = retyped
                types = {c.type for c in cands}
        if not data[K_HITS] and "Dataset" not in types:
            return doc
        view = view_of(doc)
        found = context_candidates(view, data[K_HITS], self.rules, self.by_id, cands)
        cands.extend(found)
        if self.coordination is not None:
            datasets = [c for c in cands if c.type == "Dataset"]
            if datasets:
                cands.extend(coordination_rule(view, datasets, self.coordination, self.rules))
        return doc


class NamingComponent:
    """Naming patterns: "we propose X", "called X", "X, a novel ..."."""

    def __init__(self, rules: ExtractRules) -> None:
        self.rules = rules
        self.by_id = {r.id: r for r in rules.naming}

    def __call__(self, doc: Doc) -> Doc:
        data = doc.user_data
        hits = data[K_NAMING_HITS]
        if hits:
            data[K_CANDS].extend(naming_candidates(view_of(doc), hits, self.rules, self.by_id))
        return doc


def doc_text(doc: Doc) -> str:
    """The input text as the tokenizer wrapper kept it (``doc.text`` rebuilds it from
    Token objects, which costs more than tokenizing)."""
    text = doc.user_data.get(TEXT_KEY)
    return text if text is not None else doc.text


def view_of(doc: Doc) -> TokenView:
    """The doc's ``TokenView``, made on first use and kept in ``doc._.kg_view``."""
    data = doc.user_data
    view = data.get(K_VIEW)
    if view is None:
        view = data[K_VIEW] = TokenView.from_doc(doc, pos=data.get(K_USE_POS, False))
    return view


def find_acronyms(doc: Doc) -> Doc:
    text = doc_text(doc)
    doc.user_data[K_ACRONYMS] = find_abbreviations(text) if "(" in text else []
    return doc


def mark_sentences(doc: Doc) -> Doc:
    doc.user_data[K_SENTENCES] = split_sentences(doc_text(doc))
    return doc


def mirror_spans(doc: Doc) -> Doc:
    """Mirror candidates into ``doc.spans["kg_candidates"]`` (label type, id rule, kb_id canonical)."""
    spans = []
    for c in doc._.kg_candidates or ():
        span = doc.char_span(c.start, c.end, label=c.type, kb_id=c.canonical, span_id=c.rule)
        if span is not None:
            spans.append(span)
    doc.spans[SPAN_KEY] = spans
    return doc
