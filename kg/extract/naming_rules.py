"""Naming rules: what a paper introduces ("we propose X", "a benchmark called X",
"X, a novel ...", a title's "X: ..."), typed by the nearest head word.
"""

from __future__ import annotations

from kg.extract.overlaps import Candidate
from kg.extract.rules import ExtractRules, NamingRule
from kg.extract.tokens import (
    SENTENCE_BREAK,
    TokenView,
    candidate,
    is_name,
    name_end,
    name_start,
    strong_name,
)


def head_type(view: TokenView, start: int, stop: int, rules: ExtractRules) -> str | None:
    """Type of the first head word among tokens ``start..stop`` (exclusive), if any."""
    return _first_head(view, range(start, min(stop, len(view.words))), rules)


def head_type_before(view: TokenView, stop: int, window: int, rules: ExtractRules) -> str | None:
    """Type of the nearest head word in the ``window`` tokens before ``stop``."""
    return _first_head(view, range(stop - 1, max(-1, stop - 1 - window), -1), rules)


def _first_head(view: TokenView, positions: range, rules: ExtractRules) -> str | None:
    """The type of the first head word at ``positions``, stopping at a sentence break."""
    for k in positions:
        word = view.words[k]
        if word in SENTENCE_BREAK:
            return None
        found = rules.heads.get(word.lower())
        if found:
            return found
    return None


def _proposed_name(view: TokenView, i: int, rules: ExtractRules) -> tuple[int, int] | None:
    """The name starting at (or just after determiners from) token ``i``."""
    not_names = rules.not_names
    skip = rules.stop_words("determiner")
    n = len(view.words)
    guard = 0
    while i < n and view.words[i].lower() in skip and guard < 6:
        i += 1
        guard += 1
    if i >= n or not is_name(view, i, not_names):
        return None
    j = name_end(view, i, not_names, 8)
    return i, j


def naming_after(view: TokenView, hit: tuple[int, int], rule: NamingRule,
                 rules: ExtractRules) -> list[Candidate]:
    """ "we propose AdaptCLIP", "a new dataset called X": the introduced name and its type.

    The type is that of a head word right after the name ("X network"), or,
    for ``look_back`` rules, before the trigger ("a benchmark called X"), or
    of the first head word of an apposition ("X, a diffusion model"); else Method.
    """
    s, e = hit
    found = _proposed_name(view, e, rules)
    if found is None:
        return []
    i, j = found
    etype = None
    if rule.look_back:
        etype = head_type_before(view, s, 6, rules)
    if etype is None:
        # the words skipped between trigger and name ("a new benchmark, X")
        etype = head_type(view, e, i, rules) if i > e else None
    if etype is None:
        k = j
        if k < len(view.words) and view.words[k] in (",", "("):
            k += 1
        etype = head_type(view, k, k + 6, rules)
    return [candidate(view, i, j, etype or "Method", rule.id, rule.confidence)]


def naming_appositive(view: TokenView, hit: tuple[int, int], rule: NamingRule,
                      rules: ExtractRules) -> list[Candidate]:
    """ "X, a novel diffusion-based approach": the name before the comma."""
    s, e = hit
    not_names = rules.not_names
    i = name_start(view, s, not_names, 5)
    if i == s:
        return []
    etype = head_type(view, e - 1, e + 6, rules) or "Method"
    return [candidate(view, i, s, etype, rule.id, rule.confidence)]


def title_name(view: TokenView, rule: NamingRule, rules: ExtractRules) -> list[Candidate]:
    """ "AdaptCLIP: Adapting CLIP for ...": a name before a colon at the start of a title."""
    n = len(view.words)
    colon = next((k for k in range(min(n, 6)) if view.words[k] == ":"), None)
    if not colon:
        return []
    not_names = rules.not_names
    words = view.words[:colon]
    strong = [strong_name(w) for w in words]
    if any(w in not_names for w in words):
        return []
    if len(words) == 1:
        word = words[0]
        ok = strong[0] or (word[:1].isupper() and word.isalpha() and len(word) > 2)
    else:
        joined = all(view.starts[k + 1] == view.end(k) for k in range(colon - 1))
        ok = (joined and any(strong)) or (len(words) <= 2 and all(strong))
    if not ok:
        return []
    # the head of the phrase right after the colon, before any preposition:
    # "X: A Benchmark for ..." -> Dataset; "X: Adapting CLIP for ... Detection" -> Method
    k = colon + 1
    stop = k
    while stop < n and stop < k + 5 and view.words[stop].lower() not in _TITLE_PREPOSITIONS:
        stop += 1
    etype = head_type(view, k, stop, rules) or "Method"
    return [candidate(view, 0, colon, etype, rule.id, rule.confidence)]


_TITLE_PREPOSITIONS = frozenset(
    {"for", "in", "of", "with", "via", "to", "on", "from", "by", "through", "towards", "toward",
     "and", "using", "is", "are", "as", "at", "beyond", "without"}
)


def naming_candidates(view: TokenView, hits, rules: ExtractRules, by_id=None) -> list[Candidate]:
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
