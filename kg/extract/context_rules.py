"""Contextual rules: names typed by the words around them, one function per rule kind.

``head`` ("the Cityscapes dataset", "BLEU score", "semantic image
segmentation"), ``after`` ("evaluated on SVHN and STL-10"), ``suffix``
("DETR-based"), ``coordination`` (names listed with a dataset),
``benchmark-task`` ("the WMT 2014 English-German translation task") and
``name-suffix`` (network names by their ending: "GhostNet"). Each is a pure
function over a ``TokenView`` and the PhraseMatcher's trigger hits;
``context_candidates`` runs every rule whose trigger was hit.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from functools import lru_cache

from kg.extract.overlaps import Candidate
from kg.extract.rules import ContextRule, ExtractRules
from kg.extract.text import canonical_form
from kg.extract.tokens import TokenView, candidate, is_name, name_end, name_start, strong_name

# Kinds whose words are no trigger: the rule retypes candidates (paradigms) on its own.
TEXT_WIDE_KINDS = frozenset({"paradigm"})
_LIST_JOINERS = frozenset({",", "and", "or", "&"})
_LY_NOUNS = frozenset({"anomaly", "assembly", "family", "monopoly", "butterfly", "supply", "italy"})
_GLUED_CITATION = re.compile(r"[a-z](?:19|20)\d\d[a-z]")
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)*%?$")
_DIGIT = re.compile(r"\d")
_MODIFIER_POS = frozenset({"NOUN", "PROPN", "ADJ", "NUM", "X", "PUNCT"})
_WORDISH = re.compile(r"^[A-Za-z][A-Za-z0-9'’]*(?:-[A-Za-z0-9]+)*$")


def _content_word(word: str, stop: frozenset[str], ing_nouns: frozenset[str] = frozenset()) -> bool:
    """A word that can modify a head noun: not a stop word, not an adverb in -ly
    ("tightly", "highly"), not a verb in -ing."""
    low = word.lower()
    if low in stop or not _WORDISH.match(word) or (low.endswith("ly") and len(low) > 5 and low not in _LY_NOUNS):
        return False
    if _GLUED_CITATION.search(low):
        return False  # "gretton2006kernel": a citation key glued into the text
    return not (ing_nouns and low.endswith("ing") and low not in ing_nouns)


class _Tables:
    """The stop-lists the rules read at every trigger hit, taken from an ``ExtractRules``
    once, with each word's content-word test remembered (words repeat across texts)."""

    __slots__ = ("rules", "modifier_stop", "ing", "determiners", "measure_stop", "content",
                 "measure_modifier", "hyphenated_stops")

    def __init__(self, rules: ExtractRules) -> None:
        self.rules = rules  # held, so that the id this is filed under stays its own
        self.modifier_stop = rules.stop_words("modifier")
        self.ing = rules.stop_words("ing-noun")
        self.determiners = rules.stop_words("determiner")
        self.measure_stop = self.modifier_stop - rules.stop_words("measure-modifier")
        self.hyphenated_stops = _hyphenated_stops(self.modifier_stop)
        self.content: dict[str, bool] = {}  # word -> _content_word(word, modifier_stop, ing)
        self.measure_modifier: dict[str, bool] = {}  # word -> _modifier(word, measure_stop, ing)

    def is_content(self, word: str) -> bool:
        found = self.content.get(word)
        if found is None:
            if len(self.content) >= _WORD_MEMO_SIZE:
                self.content.clear()
            found = self.content[word] = _content_word(word, self.modifier_stop, self.ing)
        return found

    def is_measure_modifier(self, word: str) -> bool:
        found = self.measure_modifier.get(word)
        if found is None:
            if len(self.measure_modifier) >= _WORD_MEMO_SIZE:
                self.measure_modifier.clear()
            found = self.measure_modifier[word] = _modifier(word, self.measure_stop, self.ing)
        return found


_WORD_MEMO_SIZE = 1 << 16
_TABLES: dict[int, _Tables] = {}


def _tables(rules: ExtractRules) -> _Tables:
    """The rule set's ``_Tables``, made on first use."""
    found = _TABLES.get(id(rules))
    if found is None:
        found = _TABLES[id(rules)] = _Tables(rules)
    return found


def _compact(text: str) -> str:
    return text.lower().replace("-", "").replace(" ", "")


@lru_cache(maxsize=4)
def _hyphenated_stops(stop: frozenset[str]) -> frozenset[str]:
    """The stop-listed modifiers written with hyphens, hyphens and spaces left out."""
    return frozenset(_compact(w) for w in stop if "-" in w)


_COUNT_WORDS = ("one", "two", "three", "four", "single", "multi")


def head_rule(view: TokenView, hit: tuple[int, int], rule: ContextRule, rules: ExtractRules,
              requires: frozenset[str] = frozenset()) -> list[Candidate]:
    """Names (or content words) right before a head word: "the Cityscapes dataset",
    "BLEU score", "semantic image segmentation", "two-layer ReLU network"."""
    s, e = hit
    not_names = rules.not_names
    if rule.modifier == "name":
        i = name_start(view, s, not_names, rule.max_tokens)
        if i == s:
            return []
    else:
        tables = _tables(rules)
        is_content = tables.is_content
        text, starts, ends, pos = view.text, view.starts, view.ends, view.pos
        i = s
        count = 0
        while i > 0 and count < rule.max_tokens:
            word = text[starts[i - 1]:ends[i - 1]]
            if word == "-" and i - 2 >= 0 and starts[i] == ends[i - 1] and ends[i - 2] == starts[i - 1]:
                i -= 1  # hyphen inside a compound: "two-layer"
                continue
            if pos is not None and pos[i - 1] not in _MODIFIER_POS:
                break
            if is_content(word) or is_name(view, i - 1, not_names) or (
                    requires and word.lower() in _COUNT_WORDS):
                i -= 1
                count += 1
            else:
                break
        if i < s and text[starts[i]:ends[i]] == "-" and i > 0 and ends[i - 1] == starts[i]:
            # the phrase would start inside a hyphenated modifier ("model-agnostic approach",
            # "multi-hop architecture"): it takes the whole compound, unless the compound is
            # a stop-listed one however it is hyphenated ("state-of-theart method")
            k, last = i, i
            while k > 0 and view.end(k - 1) == view.starts[k] and (
                    view.words[k - 1] == "-" or _WORDISH.match(view.words[k - 1])):
                k -= 1
            while last + 1 < s and view.end(last) == view.starts[last + 1]:
                last += 1
            compound = view.text[view.starts[k]:view.end(last)]
            glued = k > 0 and view.end(k - 1) == view.starts[k]  # "(340M-parameter": no word
            if glued or view.words[k] == "-" or _compact(compound) in tables.hyphenated_stops:
                i = last + 1
            else:
                i = k
        while i < s and text[starts[i]:ends[i]] == "-":
            i += 1
        if i == s:
            return []
        if requires and not any(text[starts[k]:ends[k]].lower() in requires for k in range(i, s)):
            return []
        if rule.excepts and any(text[starts[k]:ends[k]].lower() in rule.excepts for k in range(i, s)):
            return []  # "learning rate": a setting, not a measure
    if rule.whole_compound and e < len(view.starts) and \
            view.text[view.starts[e]:view.ends[e]].lower() in rules.heads:
        return []  # "randomized model verification": the start of a longer compound
    j = e if rule.include_head else s
    return [candidate(view, i, j, rule.type or "Method", rule.id, rule.confidence)]


def after_rule(view: TokenView, hit: tuple[int, int], rule: ContextRule,
               rules: ExtractRules) -> list[Candidate]:
    """A list of names right after a trigger phrase: "evaluated on SVHN and STL-10"."""
    s, i = hit
    text, starts, ends = view.text, view.starts, view.ends
    n = len(starts)
    if i >= n:
        return []
    if rule.number_before and not _number_before(view, s):
        return []
    skip = _tables(rules).determiners
    word = text[starts[i]:ends[i]]
    if word.islower() and word not in skip:
        return []  # a lowercase word that is no determiner starts no name
    not_names = rules.not_names
    out: list[Candidate] = []
    guard = 0
    if word in (",", ":"):
        i += 1  # "databases, VIPeR, ...", "benchmarks: GLUE and SuperGLUE"
    while i < n and text[starts[i]:ends[i]].lower() in skip and guard < 4:
        i += 1
        guard += 1
    while i < n:
        if not is_name(view, i, not_names):
            break
        j = name_end(view, i, not_names, rule.max_tokens)
        out.append(candidate(view, i, j, rule.type or "Dataset", rule.id, rule.confidence))
        # continue over ", " / "and" / ", and" / "as well as"
        k = j
        while k < n and text[starts[k]:ends[k]].lower() in _LIST_JOINERS:
            k += 1
        if k < n and text[starts[k]:ends[k]].lower() == "the":
            k += 1
        if k == j:
            break
        i = k
    return out


def _number_before(view: TokenView, s: int) -> bool:
    """Is one of the three tokens before token ``s`` a number ("24.4", "93.1%")? Most
    are not, and have no digit at all: one search over their text says so."""
    text, starts, ends = view.text, view.starts, view.ends
    first = max(0, s - 3)
    if first == s or _DIGIT.search(text, starts[first], starts[s]) is None:
        return False
    return any(_NUMBER.match(text[starts[k]:ends[k]]) for k in range(first, s))


def suffix_rule(view: TokenView, hit: tuple[int, int], rule: ContextRule,
                rules: ExtractRules) -> list[Candidate]:
    """A name glued to "-based" and the like: "DETR-based" -> DETR."""
    s = hit[0]
    if s == 0 or view.end(s - 1) != view.starts[s]:
        return []
    not_names = rules.not_names
    if not strong_name(view.words[s - 1]) or view.words[s - 1] in not_names:
        return []
    i = name_start(view, s, not_names, 2)
    return [candidate(view, i, s, rule.type or "Method", rule.id, rule.confidence)]


def coordination_rule(view: TokenView, typed: Iterable[Candidate], rule: ContextRule,
                      rules: ExtractRules) -> list[Candidate]:
    """Untyped names in a list with a dataset take its type: "CIFAR-10, SVHN and
    Tiny-ImageNet" (architectures and metrics are listed with lowercase words too
    often for this to be safe)."""
    not_names = rules.not_names
    starts, ends = view.starts, view.ends
    n = len(view.words)
    out: list[Candidate] = []
    text = view.text
    typed = list(typed)
    known_starts = {c.start for c in typed}
    known_ends = {c.end for c in typed}
    for cand in typed:
        if cand.type != "Dataset" or cand.rule == rule.id:
            continue
        # cheap test on the characters around the name before any token work
        after = text[cand.end:cand.end + 5]
        before = text[max(0, cand.start - 5):cand.start]
        if not (after.startswith((",", " and ", " or ", " &")) or
                before.endswith((", ", " and ", " or ", "& "))):
            continue
        first = bisect_left(starts, cand.start)
        last = bisect_left(ends, cand.end)
        if first >= n or last >= n or starts[first] != cand.start or ends[last] != cand.end:
            continue
        # rightwards
        k = last + 1
        series = _series_of(view, first, last)  # "PASCAL VOC" of "PASCAL VOC 2007"
        while k < n:
            m = k
            while m < n and view.words[m].lower() in _LIST_JOINERS:
                m += 1
            if m == k or m >= n or starts[m] in known_starts:
                break  # a known name continues the list on its own turn
            if series is not None and _YEAR_OR_VERSION.match(view.words[m]):
                # "PASCAL VOC 2007 and 2012": the second year names PASCAL VOC 2012
                out.append(Candidate(starts[m], ends[m], cand.type, rule.id, rule.confidence,
                                     canonical_form(f"{series} {view.words[m]}")))
                k = m + 1
                continue
            if not is_name(view, m, not_names):
                break
            j = name_end(view, m, not_names, 4)
            out.append(candidate(view, m, j, cand.type, rule.id, rule.confidence))
            k = j
        # leftwards
        k = first
        while k > 0:
            m = k
            while m > 0 and view.words[m - 1].lower() in _LIST_JOINERS:
                m -= 1
            if m == k or m == 0:
                break
            if ends[m - 1] in known_ends:
                break
            i = name_start(view, m, not_names, 4)
            if i == m:
                break
            out.append(candidate(view, i, m, cand.type, rule.id, rule.confidence))
            k = i
    return out


def measure_rule(view: TokenView, hit: tuple[int, int], rule: ContextRule, rules: ExtractRules,
                 typed: Sequence[Candidate]) -> list[Candidate]:
    """An ambiguous word, with the content words before it, in the slot that gives it its
    type: a measure "in terms of speed", "faster running speed", "accuracy and robustness";
    a task "for classification", "such as localization". The same words elsewhere ("the
    time of day", "the classification is wrong") are nothing."""
    s, e = hit
    text, starts, ends = view.text, view.starts, view.ends
    if e < len(starts):
        after = text[starts[e]:ends[e]]
        if after.isalpha() and after.islower() and after not in _FUNCTION_WORDS and not after.endswith("ly"):
            return []  # "higher quality samples": the measure word modifies a noun after it
    is_modifier = _tables(rules).is_measure_modifier
    cue_words, neighbours = _slot_plan(rule)
    i = s
    while i > 0 and s - i < rule.max_tokens:
        word = text[starts[i - 1]:ends[i - 1]]
        if not is_modifier(word) or word.lower() in cue_words:
            break
        i -= 1
    if s - i < rule.min_modifiers:
        return []
    if not (_after_cue(view, i, cue_words) or _after_percentage(view, i)
            or _listed_with(view, i, e, typed, rule.type or "Metric", neighbours)):
        return []
    return [candidate(view, i, e, rule.type or "Metric", rule.id, rule.confidence)]


_SLOT_PLANS: dict[int, tuple[ContextRule, dict[str, tuple[tuple[str, ...], ...]], frozenset[str]]] = {}


def _slot_plan(rule: ContextRule) -> tuple[dict[str, tuple[tuple[str, ...], ...]], frozenset[str]]:
    """A measure rule's cues by their last word and its list neighbours, made once per rule
    (hashing the rule's cues to look them up costs more than the rule's other work)."""
    found = _SLOT_PLANS.get(id(rule))
    if found is None:
        found = _SLOT_PLANS[id(rule)] = (rule, _cues_by_last_word(rule.cues),
                                         _list_neighbours(tuple(rule.words), rule.type or "Metric"))
    return found[1], found[2]


_FUNCTION_WORDS = frozenset({
    "of", "in", "on", "and", "or", "for", "with", "while", "than", "by", "to", "at", "is", "are",
    "was", "were", "be", "as", "but", "without", "through", "via", "when", "which", "that", "from",
    "compared", "over", "under", "per", "across", "against", "during", "relative", "using", "can",
    "remains", "becomes", "among", "between", "into", "both", "also", "thanks", "due"})


def _modifier(word: str, stop: frozenset[str], ing: frozenset[str]) -> bool:
    """A content word that can modify a measure ("training complexity"), not a function word."""
    low = word.lower()
    return low not in _FUNCTION_WORDS and _content_word(word, stop, ing)


_MEASURE_NEIGHBOURS = frozenset({"performance", "quality", "accuracy", "space", "memory", "size"})
_SLOT_SKIP = frozenset({"the", "a", "an", "its", "their", "our", "both", "of", "in"})


def _after_cue(view: TokenView, i: int, by_last: dict[str, tuple[tuple[str, ...], ...]]) -> bool:
    """Does one of the cues (``_cues_by_last_word``) end right before token ``i`` (past
    "the", "its", "both")?"""
    text, starts, ends = view.text, view.starts, view.ends
    k = i
    while k > 0 and i - k < 2:
        low = text[starts[k - 1]:ends[k - 1]].lower()
        if low not in _SLOT_SKIP or low == "of":
            break
        k -= 1
    for j in (i, k) if k != i else (i,):
        if j == 0:
            continue
        for cue in by_last.get(text[starts[j - 1]:ends[j - 1]].lower(), ()):
            n = len(cue)
            if j - n >= 0 and all(text[starts[j - n + t]:ends[j - n + t]].lower() == cue[t]
                                  for t in range(n - 1)):
                return True
    return False


@lru_cache(maxsize=16)
def _cues_by_last_word(cues: tuple[tuple[str, ...], ...]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """A rule's cues by their last word, so a slot is checked against the few cues that can
    end there."""
    table: dict[str, list[tuple[str, ...]]] = {}
    for cue in cues:
        table.setdefault(cue[-1], []).append(cue)
    return {word: tuple(found) for word, found in table.items()}


def _after_percentage(view: TokenView, i: int) -> bool:
    """Is token ``i`` right after a percentage ("0.37% error", "4 % error")?"""
    if i == 0:
        return False
    text, starts, ends = view.text, view.starts, view.ends
    word = text[starts[i - 1]:ends[i - 1]]
    return word.endswith("%") and _NUMBER.match(word) is not None or (
        word == "%" and i > 1 and _NUMBER.match(text[starts[i - 2]:ends[i - 2]]) is not None)


_LIST_WORDS = frozenset({"and", "or", ",", "&", "/"})


def _listed_with(view: TokenView, i: int, e: int, typed: Sequence[Candidate], etype: str,
                 measure_words: frozenset[str] = frozenset()) -> bool:
    """Is the phrase in a list with a mention of ``etype`` or another of the rule's words
    (``measure_words``: ``_list_neighbours``): "accuracy and speed", "speed, memory and F1",
    "scalability and robustness", "classification, regression and reinforcement learning"?"""
    text, starts, ends = view.text, view.starts, view.ends
    if i >= 2 and text[starts[i - 1]:ends[i - 1]].lower() in _LIST_WORDS and \
            text[starts[i - 2]:ends[i - 2]].lower() in measure_words:
        return True
    if e + 1 < len(starts) and text[starts[e]:ends[e]].lower() in _LIST_WORDS and \
            text[starts[e + 1]:ends[e + 1]].lower() in measure_words:
        return True
    start, end = starts[i], ends[e - 1]
    for c in typed:
        if c.type != etype:
            continue
        between = text[c.end:start] if c.end <= start else text[end:c.start] if end <= c.start else None
        if between is not None and between.strip() in ("and", "or", ",", ", and", ", or", "&", "/"):
            return True
    return False


@lru_cache(maxsize=16)
def _list_neighbours(measures: tuple[str, ...], etype: str) -> frozenset[str]:
    """The words a slot phrase may be listed with: the rule's own, and for metrics the usual
    measure words."""
    return frozenset(w.lower() for w in measures) | (_MEASURE_NEIGHBOURS if etype == "Metric" else frozenset())


def paradigm_types(text: str, cands: list[Candidate], rules: Sequence[ContextRule]) -> list[Candidate]:
    """Methods that are learning paradigms ("reinforcement learning") take a paradigm rule's
    type (Task) right after one of its cues ("for", "the problem of"): the problem a paper
    addresses, not the tool it uses."""
    out = cands
    for rule in rules:
        cues_by_last = _cues_by_last_word(rule.cues) if all(rule.cues) else None
        endings = tuple(rule.words)
        for index, c in enumerate(cands):
            # the last word is one of the rule's only if the canonical form ends in it
            if c.type != "Method" or not c.canonical.endswith(endings) or \
                    c.canonical.rsplit(" ", 1)[-1].rsplit("-", 1)[-1] not in rule.words:
                continue
            before = text[max(0, c.start - 40):c.start].lower().split()
            # only the cues that end in the word before can end there
            cues = rule.cues if cues_by_last is None else cues_by_last.get(before[-1], ()) if before else ()
            if any(len(before) >= len(cue) and tuple(before[-len(cue):]) == cue for cue in cues):
                if out is cands:
                    out = list(cands)
                out[index] = c._replace(type=rule.type or "Task", rule=rule.id)
    return out


def language_pair_rule(text: str, rule: ContextRule) -> list[Candidate]:
    """Translation directions anywhere in the text: "English-German", "En→De",
    "English-to-French", "German to English"; two names joined by a space ("English Czech")
    only in a list of such pairs. The canonical form names both languages in full, so
    "En-De" and "English–German" meet; "German-English" is another direction.

    One pattern finds where a language name starts (a literal prefix the regular expression
    engine skips to quickly); the pair patterns are then tried only there."""
    hint, joined, spaced, language = _pair_patterns(rule)
    out: list[Candidate] = []
    pairs: list[re.Match[str]] = []
    end = -1
    for found in hint.finditer(text):
        at = found.start()
        if at < end or (at and (text[at - 1].isalnum() or text[at - 1] in "-_")):
            continue
        m = joined.match(text, at)
        if m is not None:
            end = m.end()
            first, second = language[m.group(1)], language[m.group(3)]
            if first != second and not _MODIFIES_NOUN.match(text, end):
                out.append(Candidate(at, end, rule.type or "Dataset", rule.id, rule.confidence,
                                     f"{first}-{second}".lower()))
            continue
        m = spaced.match(text, at)
        if m is not None and language[m.group(1)] != language[m.group(2)]:
            pairs.append(m)
            end = m.end()
    for k, m in enumerate(pairs):
        listed = any(0 <= k + d < len(pairs) and _LIST_GAP.fullmatch(
            text[pairs[k + d].end():m.start()] if d < 0 else text[m.end():pairs[k + d].start()])
            for d in (-1, 1))
        if listed and not _MODIFIES_NOUN.match(text, m.end()):
            out.append(Candidate(m.start(), m.end(), rule.type or "Dataset", rule.id, rule.confidence,
                                 f"{language[m.group(1)]}-{language[m.group(2)]}".lower()))
    return out


# "German-English machine translation", "English-French sentence pairs": the pair names the
# kind of a task or of data, not the data
_MODIFIES_NOUN = re.compile(
    r"\s+(?!(?:and|or|respectively|with|by|in|on|for|from|to|as|at|is|are|was|were|using|while|than|here"
    r"|there|only|also|alone|both|when|where|which|that|but)\b)[a-z]")
_LIST_GAP = re.compile(r",\s*(?:and\s+)?|\s+and\s+")


def language_pair_triggers(rule: ContextRule) -> tuple[list[str], list[tuple[str, str]]]:
    """What makes the PhraseMatcher call the language-pair rule: a language's name as a
    word, or a pair joined by one of ``PAIR_JOINERS``, which the tokenizer may keep in one
    token ("En-De", "EN→FR", "English-German"): every pair of codes and every name paired
    with English."""
    codes = list({code.lower(): code for code, _ in rule.codes}.values())  # matched in lower case
    names = [w for w in rule.words if len(w) > 2]
    joined = [(a, b) for a in codes for b in codes if a.lower() != b.lower()]
    joined += [pair for name in names if name != "English" for pair in (("English", name), (name, "English"))]
    return names, joined


PAIR_JOINERS = ("-", "→", "–", "/")


@lru_cache(maxsize=4)
def _pair_patterns(rule: ContextRule) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], dict[str, str]]:
    """The rule's patterns (where a name starts; joined and space-separated pairs, matched
    there) and its name table."""
    language = {w: w for w in rule.words}
    language.update(rule.codes)
    names = "|".join(re.escape(n) for n in sorted(language, key=len, reverse=True))
    hint = re.compile(rf"(?:{names})(?![\w])")
    joined = re.compile(rf"({names})(\s*(?:-to-|->|[-–—→/⇒])\s*|\s+(?:to|into)\s+)({names})(?![\w-])")
    spaced = re.compile(rf"({names}) ({names})(?![\w-])")
    return hint, joined, spaced, language


_YEAR_OR_VERSION = re.compile(r"^(?:19|20)\d\d$")


def _series_of(view: TokenView, first: int, last: int) -> str | None:
    """The name before the year a dataset name ends in ("PASCAL VOC" of "PASCAL VOC 2007"),
    or None."""
    if last > first and _YEAR_OR_VERSION.match(view.words[last]):
        return view.text[view.starts[first]:view.ends[last - 1]]
    return None


def benchmark_task_rule(view: TokenView, hit: tuple[int, int], typed: Sequence[Candidate],
                        rule: ContextRule, rules: ExtractRules) -> list[Candidate]:
    """A dataset name followed by a task word is the benchmark's task as a whole:
    "the WMT 2014 English-German translation task", "the BraTS 2018 challenge"."""
    s, e = hit
    starts = {}  # start -> the first dataset starting there, in ``typed`` order
    for cand in typed:
        if cand.type == "Dataset" and cand.start not in starts:
            starts[cand.start] = cand
    k = s
    while k > 0 and s - k < rule.max_tokens:
        cand = starts.get(view.starts[k - 1])
        if cand is not None:
            end = view.ends[e - 1]
            return [Candidate(cand.start, end, rule.type or "Task", rule.id, rule.confidence,
                              canonical_form(view.text[cand.start:end]))]
        if view.words[k - 1].lower() in _BENCHMARK_TASK_BREAK:
            return []
        k -= 1
    return []


_BENCHMARK_TASK_BREAK = frozenset(
    {".", ",", ";", ":", "(", ")", "on", "of", "the", "a", "an", "and", "or", "for", "in", "with",
     "by", "from", "we", "our", "this", "is", "are", "was", "were", "as", "at"}
)


def name_suffix_pattern(rule: ContextRule) -> re.Pattern[str]:
    """The shape of a name for the name-suffix rule: capitalised, ending in one of the
    rule's words, optionally followed by a version ("XNet-101", "FooGAN-2")."""
    endings = "|".join(re.escape(w) for w in sorted(rule.words, key=len, reverse=True))
    return re.compile(rf"[A-Z][A-Za-z0-9]*?[A-Za-z0-9](?:{endings})(?:-?[vV]?\d+(?:\.\d+)?)?")


_OPENERS = "(\"'[{“‘/"
_CLOSERS = ".,;:!?)\"']}”’/"


def _word_bounds(text: str, i: int) -> tuple[int, int]:
    """The space-delimited word around index ``i``, without surrounding punctuation."""
    start = text.rfind(" ", 0, i) + 1
    end = text.find(" ", i)
    if end == -1:
        end = len(text)
    while start < i and text[start] in _OPENERS:
        start += 1
    while end > i and text[end - 1] in _CLOSERS:
        end -= 1
    return start, end


def name_suffix_guards(rule: ContextRule) -> tuple[str, ...]:
    """The strings ``name_suffix_rule`` looks for: the rule's endings without a plural "s"."""
    return tuple(sorted({w.rstrip("s") for w in rule.words}))


def name_suffix_rule(text: str, pattern: re.Pattern[str], rule: ContextRule,
                     rules: ExtractRules, known: Iterable[Candidate] = (),
                     guards: Sequence[str] | None = None) -> list[Candidate]:
    """Network names recognised by their ending anywhere in the text: "GhostNet".

    The endings are looked up with str.find (a regular expression scanning the whole
    text costs more than the rest of the rule); each word around a hit is then checked
    against ``pattern``. ``guards``: ``name_suffix_guards(rule)``, computed once.
    """
    out: list[Candidate] = []
    seen: set[int] | None = None  # words a gazetteer already names, or looked at
    for guard in guards if guards is not None else name_suffix_guards(rule):
        i = text.find(guard)
        while i != -1:
            if seen is None:
                seen = {c.start for c in known}
            start, end = _word_bounds(text, i)
            i = text.find(guard, i + 1)
            if start in seen:
                continue
            seen.add(start)
            word = text[start:end]
            if word.endswith("s") and not word.endswith(tuple(rule.words)):
                word, end = word[:-1], end - 1
            if not pattern.fullmatch(word) or word in rules.not_names:
                continue
            if rule.excepts and any(x in word.lower() for x in rule.excepts):
                continue
            out.append(Candidate(start, end, rule.type or "Architecture", rule.id,
                                 rule.confidence, canonical_form(word)))
    return out


_PLURAL_HEADS = frozenset({"datasets", "benchmarks", "corpora", "data sets"})


def _definite(words, k: int, modifier_stop: frozenset[str]) -> bool:
    """Does "the" come before token ``k + 1``, past evaluative words ("the challenging")?"""
    while k >= 0 and words[k].lower() in modifier_stop and words[k].lower() not in ("a", "an", "the"):
        k -= 1
    return k >= 0 and words[k].lower() == "the"


def _inside_typed(char: int, typed: list[Candidate]) -> bool:
    # a loop rather than any(generator): this runs for most trigger hits
    for c in typed:  # noqa: SIM110
        if c.start <= char < c.end:
            return True
    return False


def _dataset_head(view: TokenView, s: int, e: int, rule: ContextRule, found: list[Candidate],
                  typed: list[Candidate], modifier_stop: frozenset[str]) -> list[Candidate]:
    """What a dataset head rule's candidates become next to the gazetteer's (``typed``)."""
    words, starts, ends = view.words, view.starts, view.ends
    plural = words[e - 1].lower() in _PLURAL_HEADS
    if not found and not plural and _definite(words, s - 2, modifier_stop):
        # "the VQA dataset": a name the gazetteers type otherwise, right before the
        # head ("a QA dataset" is a kind of dataset, not one)
        found = [c._replace(type="Dataset", rule=rule.id, confidence=rule.confidence)
                 for c in typed if c.end == ends[s - 1] and c.type != "Dataset"
                 and c.start == starts[s - 1]][:1]
    if found and plural:
        # "RL benchmarks", "VQA datasets": a task or method before a plural head
        found = [f for f in found if not any(
            c.type != "Dataset" and c.start < f.end and f.start < c.end for c in typed)]
    if found:
        # "the 1B Word dataset": the known name is longer than the name the head saw
        found = [f for f in found if not any(
            c.type == "Dataset" and c.start < f.start < c.end and f.end <= c.end for c in typed)]
    return found


def context_candidates(view: TokenView, hits, rules: ExtractRules, by_id=None,
                       typed: list[Candidate] | None = None) -> list[Candidate]:
    """Run every contextual rule whose trigger was hit (``typed``: gazetteer candidates)."""
    by_id = by_id or {r.id: r for r in rules.context}
    out: list[Candidate] = []
    text, starts, ends = view.text, view.starts, view.ends
    modifier_stop = _tables(rules).modifier_stop
    datasets = None  # the typed datasets, listed when a benchmark-task trigger needs them
    for rule_id, s, e in hits:
        rule = by_id.get(rule_id)
        if rule is None:
            continue
        if rule.kind == "head":
            if s == 0:
                continue
            before = text[starts[s - 1]:ends[s - 1]]  # words[s - 1], without the call
            if rule.modifier == "name":
                if before.islower() or not before[0].isalnum():  # fast path: no name before
                    continue
            elif rule.requires:
                # "two-layer ReLU network": cheap look for a required word before walking
                requires = rule.requires
                for k in range(max(0, s - 4), s):
                    if text[starts[k]:ends[k]].lower() in requires:
                        break
                else:
                    continue
            elif before.lower() in modifier_stop:
                continue  # "the detection", "for classification": nothing to type
            if typed and _inside_typed(starts[s], typed):
                continue  # the head word is part of a known name: "Penn Treebank",
                # "deep neural networks", "image classification": nothing to add
            found = head_rule(view, (s, e), rule, rules, rule.requires)
            if typed and rule.type == "Dataset":
                found = _dataset_head(view, s, e, rule, found, typed, modifier_stop)
            out.extend(found)
        elif rule.kind == "after":
            for c in after_rule(view, (s, e), rule, rules):
                if not (typed and _inside_typed(c.start, typed)):
                    out.append(c)
        elif rule.kind == "suffix":
            out.extend(suffix_rule(view, (s, e), rule, rules))
        elif rule.kind == "measure":
            out.extend(measure_rule(view, (s, e), rule, rules, typed or ()))
        elif rule.kind == "benchmark-task" and typed:
            if datasets is None:
                datasets = [c for c in typed if c.type == "Dataset"]
            if datasets:
                out.extend(benchmark_task_rule(view, (s, e), datasets, rule, rules))
    return out
