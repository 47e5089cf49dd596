"""Contextual and naming rules over a tokenised text: plain functions, no pipeline state.

Each rule family is a function ``(view, hits, rules) -> list[Candidate]``
where ``view`` is a ``TokenView`` (token texts and offsets of one text) and
``hits`` are trigger matches ``(rule_id, start_token, end_token)`` found by
the PhraseMatcher. The spaCy components in ``kg.extract.components`` only
call these functions, so each family can be tested on its own.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from spacy.attrs import IDX, LENGTH

from kg.extract.overlaps import Candidate, new_candidate
from kg.extract.rules import ContextRule, NamingRule, RuleSet
from kg.extract.text import canonical_form
from kg.extract.tokenizer import TEXT_KEY

_VERSION = re.compile(r"^(?:v|V)?\d+(?:\.\d+)*[a-zA-Z]?$")
_SENTENCE_BREAK = frozenset({".", "!", "?", ";", ":"})
_BEFORE_SENTENCE = _SENTENCE_BREAK | {'"', "("}  # a token after one of these starts a sentence
_LIST_JOINERS = frozenset({",", "and", "or", "&"})
_CONNECT_IN_NAME = frozenset({"-", "/", "&", "+", "++"})
# "-like", "-based" ... end a name rather than continue it ("Siamese-like Hopper network")
_NOT_GLUED = frozenset({"like", "based", "style", "inspired", "driven", "guided", "aware", "free",
                        "specific", "level", "wise", "only", "agnostic", "oriented", "centric"})
_MODIFIER_POS = frozenset({"NOUN", "PROPN", "ADJ", "NUM", "X", "PUNCT"})
_OFFSET_ATTRS = [IDX, LENGTH]
_WORDISH = re.compile(r"^[A-Za-z][A-Za-z0-9'’]*(?:-[A-Za-z0-9]+)*$")


class LazyWords:
    """Token texts sliced from the text on demand: rules look at few tokens, and
    slicing every token of every text up front was a fifth of the run time."""

    __slots__ = ("text", "starts", "ends")

    def __init__(self, text: str, starts: Sequence[int], ends: Sequence[int]) -> None:
        self.text, self.starts, self.ends = text, starts, ends

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, i):
        try:
            return self.text[self.starts[i]:self.ends[i]]
        except TypeError:  # a slice of tokens
            return [self.text[a:b] for a, b in zip(self.starts[i], self.ends[i], strict=True)]

    def __iter__(self):
        text = self.text
        for a, b in zip(self.starts, self.ends, strict=True):
            yield text[a:b]


@dataclass(slots=True)
class TokenView:
    """Token texts and character offsets of one text, read once from a Doc
    (``words[i] == text[starts[i]:ends[i]]``)."""

    text: str
    words: Sequence[str]
    starts: Sequence[int]
    ends: Sequence[int]
    title_case: bool | None = False  # None: not looked at yet (see ``is_title_case``)
    pos: list[str] | None = None  # part-of-speech tags when a statistical pipeline ran

    @classmethod
    def from_doc(cls, doc, pos: bool = False) -> TokenView:
        """Token texts and offsets read from one array, with no Token objects: iterating
        Token objects (which ``doc.text`` also does) costs more than tokenizing."""
        text = doc.user_data.get(TEXT_KEY)
        if text is None:
            text = doc.text
        if len(doc):
            # one array of (start, length) rows turned into (start, end) in place, read
            # through a memoryview: indexing it gives plain ints, and no list of a few
            # hundred ints is built (and freed) per text when the rules read a few dozen
            arr = doc.to_array(_OFFSET_ATTRS)
            arr[:, 1] += arr[:, 0]
            flat = memoryview(arr).cast("B").cast("Q")
            starts, ends = flat[::2], flat[1::2]
        else:
            starts, ends = [], []
        view = cls(text, LazyWords(text, starts, ends), starts, ends, None)
        if pos:
            view.pos = [t.pos_ for t in doc]
        return view

    def is_title_case(self) -> bool:
        """``looks_title_case(text)``, worked out the first time a rule asks."""
        found = self.title_case
        if found is None:
            found = self.title_case = looks_title_case(self.text)
        return found

    def end(self, i: int) -> int:
        """Character end of token ``i``."""
        return self.ends[i]


_LONG_WORD = re.compile(r"(?<![\w-])[A-Za-z][a-z]{3,}")


def looks_title_case(text: str) -> bool:
    """True for Title Case text (most titles): capitals there are no sign of a name."""
    if len(text) > 300:  # an abstract
        return False
    # a capitalised long word is a long word whose first letter is a capital: one scan
    words = _LONG_WORD.findall(text)
    total = len(words)
    upper = sum(1 for w in words if w[0] <= "Z")
    if total < 3:
        return total > 0 and upper == total
    return upper >= 0.6 * total


@lru_cache(maxsize=1 << 16)
def strong_name(word: str) -> bool:
    """A token that looks like a name whatever its position: "CIFAR-10", "AdaptCLIP", "mAP"."""
    if len(word) < 2:
        return False
    has_alpha = False
    upper = 0
    digit = False
    for ch in word:
        if ch.isalpha():
            has_alpha = True
            if ch.isupper():
                upper += 1
        elif ch.isdigit():
            digit = True
    if not has_alpha or not word[0].isalpha():
        return False
    if upper >= 2:
        return True
    if digit and (upper or len(word) <= 12):
        return word[0].isalpha() or upper > 0
    return upper == 1 and not word[0].isupper()  # "mAP", "wav2vec"-like inner capital


def is_name(view: TokenView, i: int, not_names: frozenset[str]) -> bool:
    """Is token ``i`` name-like: strongly so, or a capitalised word mid-sentence?"""
    # the rules' most frequent question: token texts are sliced here directly
    # (view.words[i] is the same string, through one more call)
    text, starts, ends = view.text, view.starts, view.ends
    word = text[starts[i]:ends[i]]
    if word in not_names:
        return False
    if strong_name(word):
        return True
    if view.pos is not None and view.pos[i] != "PROPN":
        return False
    return (
        len(word) > 1
        and word[0].isupper()
        and word[1:].islower()
        and word.isalpha()
        and not view.is_title_case()
        and not (i == 0 or text[starts[i - 1]:ends[i - 1]] in _BEFORE_SENTENCE)
    )


def name_end(view: TokenView, i: int, not_names: frozenset[str], max_tokens: int = 5) -> int:
    """Given a name-like token at ``i``, the end (exclusive) of the name it starts.

    A name goes on over further name-like tokens, version numbers ("SQuAD
    2.0", "Llama 2"), connectors between names ("CNN/Daily Mail") and
    hyphenated words glued to it ("Multi-head Attention", "Non-negative").
    """
    j = i + 1
    starts, ends = view.starts, view.ends
    n = len(starts)
    while j < n and j - i < max_tokens:
        word = view.text[starts[j]:ends[j]]
        if is_name(view, j, not_names) or _VERSION.match(word):
            j += 1
        elif word in _CONNECT_IN_NAME and j + 1 < n and starts[j] == ends[j - 1] and (
                is_name(view, j + 1, not_names)
                or (word == "-" and starts[j + 1] == ends[j] and view.words[j + 1].isalpha()
                    and view.words[j + 1].lower() not in _NOT_GLUED)):
            j += 2
        else:
            break
    return j


def name_start(view: TokenView, j: int, not_names: frozenset[str], max_tokens: int = 4) -> int:
    """Given a name ending before token ``j``, where it starts (``j`` if no name ends there)."""
    i = j
    while i > 0 and j - i < max_tokens:
        word = view.words[i - 1]
        if is_name(view, i - 1, not_names) or (i < j and _VERSION.match(word) and i - 1 > 0):
            i -= 1
        elif word in _CONNECT_IN_NAME and i - 2 >= 0 and i < j and \
                is_name(view, i - 2, not_names) and view.starts[i] == view.end(i - 1):
            i -= 2
        else:
            break
    # a name never starts with a bare version number
    while i < j and _VERSION.match(view.words[i]) and not strong_name(view.words[i]):
        i += 1
    return i


def _cand(view: TokenView, i: int, j: int, etype: str, rule: str, conf: float) -> Candidate:
    s, e = view.starts[i], view.ends[j - 1]
    return new_candidate(Candidate, (s, e, etype, rule, conf, canonical_form(view.text[s:e])))


def _content_word(word: str, stop: frozenset[str], ing_nouns: frozenset[str] = frozenset()) -> bool:
    """A word that can modify a head noun: not a stop word, not a verb in -ing."""
    low = word.lower()
    if low in stop or not _WORDISH.match(word):
        return False
    return not (ing_nouns and low.endswith("ing") and low not in ing_nouns)


# --- contextual patterns -------------------------------------------------------------------


def head_rule(view: TokenView, hit: tuple[int, int], rule: ContextRule, rules: RuleSet,
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
        stop = rules.stop_words("modifier")
        ing = rules.stop_words("ing-noun")
        i = s
        count = 0
        while i > 0 and count < rule.max_tokens:
            word = view.words[i - 1]
            if word == "-" and i - 2 >= 0 and view.starts[i] == view.end(i - 1) + 0 and \
                    view.end(i - 2) == view.starts[i - 1]:
                i -= 1  # hyphen inside a compound: "two-layer"
                continue
            if view.pos is not None and view.pos[i - 1] not in _MODIFIER_POS:
                break
            if _content_word(word, stop, ing) or is_name(view, i - 1, not_names) or (
                    requires and word.lower() in ("one", "two", "three", "four", "single", "multi")):
                i -= 1
                count += 1
            else:
                break
        while i < s and view.words[i] == "-":
            i += 1
        if i == s:
            return []
        if requires and not any(w.lower() in requires for w in view.words[i:s]):
            return []
    j = e if rule.include_head else s
    return [_cand(view, i, j, rule.type or "Method", rule.id, rule.confidence)]


def after_rule(view: TokenView, hit: tuple[int, int], rule: ContextRule,
               rules: RuleSet) -> list[Candidate]:
    """A list of names right after a trigger phrase: "evaluated on SVHN and STL-10"."""
    not_names = rules.not_names
    skip = rules.stop_words("determiner")
    n = len(view.words)
    i = hit[1]
    out: list[Candidate] = []
    guard = 0
    while i < n and view.words[i].lower() in skip and guard < 4:
        i += 1
        guard += 1
    while i < n:
        if not is_name(view, i, not_names):
            break
        j = name_end(view, i, not_names, rule.max_tokens)
        out.append(_cand(view, i, j, rule.type or "Dataset", rule.id, rule.confidence))
        # continue over ", " / "and" / ", and" / "as well as"
        k = j
        while k < n and view.words[k].lower() in _LIST_JOINERS:
            k += 1
        if k < n and view.words[k].lower() in ("the",):
            k += 1
        if k == j:
            break
        i = k
    return out


def suffix_rule(view: TokenView, hit: tuple[int, int], rule: ContextRule,
                rules: RuleSet) -> list[Candidate]:
    """A name glued to "-based" and the like: "DETR-based" -> DETR."""
    s = hit[0]
    if s == 0 or view.end(s - 1) != view.starts[s]:
        return []
    not_names = rules.not_names
    if not strong_name(view.words[s - 1]) or view.words[s - 1] in not_names:
        return []
    i = name_start(view, s, not_names, 2)
    return [_cand(view, i, s, rule.type or "Method", rule.id, rule.confidence)]


def coordination_rule(view: TokenView, typed: Iterable[Candidate], rule: ContextRule,
                      rules: RuleSet) -> list[Candidate]:
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
        while k < n:
            m = k
            while m < n and view.words[m].lower() in _LIST_JOINERS:
                m += 1
            if m == k or m >= n or starts[m] in known_starts or not is_name(view, m, not_names):
                break  # a known name continues the list on its own turn
            j = name_end(view, m, not_names, 4)
            out.append(_cand(view, m, j, cand.type, rule.id, rule.confidence))
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
            out.append(_cand(view, i, m, cand.type, rule.id, rule.confidence))
            k = i
    return out


def benchmark_task_rule(view: TokenView, hit: tuple[int, int], typed: Sequence[Candidate],
                        rule: ContextRule, rules: RuleSet) -> list[Candidate]:
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
                     rules: RuleSet, known: Iterable[Candidate] = (),
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


# --- naming patterns -----------------------------------------------------------------------


def head_type(view: TokenView, start: int, stop: int, rules: RuleSet) -> str | None:
    """Type of the first head word among tokens ``start..stop`` (exclusive), if any."""
    for k in range(start, min(stop, len(view.words))):
        word = view.words[k]
        if word in _SENTENCE_BREAK:
            return None
        found = rules.heads.get(word.lower())
        if found:
            return found
    return None


def head_type_before(view: TokenView, stop: int, window: int, rules: RuleSet) -> str | None:
    """Type of the nearest head word in the ``window`` tokens before ``stop``."""
    for k in range(stop - 1, max(-1, stop - 1 - window), -1):
        word = view.words[k]
        if word in _SENTENCE_BREAK:
            return None
        found = rules.heads.get(word.lower())
        if found:
            return found
    return None


def _proposed_name(view: TokenView, i: int, rules: RuleSet) -> tuple[int, int] | None:
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
                 rules: RuleSet) -> list[Candidate]:
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
    return [_cand(view, i, j, etype or "Method", rule.id, rule.confidence)]


def naming_appositive(view: TokenView, hit: tuple[int, int], rule: NamingRule,
                      rules: RuleSet) -> list[Candidate]:
    """ "X, a novel diffusion-based approach": the name before the comma."""
    s, e = hit
    not_names = rules.not_names
    i = name_start(view, s, not_names, 5)
    if i == s:
        return []
    etype = head_type(view, e - 1, e + 6, rules) or "Method"
    return [_cand(view, i, s, etype, rule.id, rule.confidence)]


def title_name(view: TokenView, rule: NamingRule, rules: RuleSet) -> list[Candidate]:
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
    return [_cand(view, 0, colon, etype, rule.id, rule.confidence)]


_TITLE_PREPOSITIONS = frozenset(
    {"for", "in", "of", "with", "via", "to", "on", "from", "by", "through", "towards", "toward",
     "and", "using", "is", "are", "as", "at", "beyond", "without"}
)
