"""``find_results``: the numbers a paper reports, each with what it measures.

One sentence at a time, over tokens in which every mention is one token:
each number that is no year, size, count, reference or setting becomes a
candidate; its metric is the metric mention next to it ("85.3 F1", "F1 of
85.3", "accuracy (85.3%)"), or the one paired with it in order ("UAS and LAS
are 95.9% and 94.1%"), or the one the value before it had ("87.5% top-1
accuracy on X, 99.4% on Y"); its dataset the one it was measured on ("on
COCO", "COCO (42.1 AP)", "on X and Y, respectively"); its method the subject
that achieves it, else the paper's own method when the sentence speaks of
it; a baseline follows "over", "than", "outperforms ... by". What a value is
(score, improvement, relative improvement, reduction, ratio) comes from the
words around it. Cue words live in ``kg/data/results/cues.jsonl``.
"""

from __future__ import annotations

from kg.records import (
    FIELDS,
    PAPER,
    Extraction,
    Mention,
    Paper,
    Result,
    field_text,
    non_overlapping,
    record_maker,
)
from kg.results.cues import Cues, bundled_cues, bundled_default_metrics, bundled_directions
from kg.results.names import compact
from kg.results.tokens import MENTION, NUMBER, WORD, Token, fold_ranges, sentence_tokens

make_result = record_maker(Result)
METHOD_TYPES = frozenset({"Method", "Architecture"})
_STOPS = frozenset({".", ";", "!", "?"})
_GLUE = frozenset({",", "and", "/", "or", "respectively", "vs", "vs.", "versus", "&"})
_METRIC_GAP = 3
_VALUE_GAP = 5
_DATASET_GAP = 6
_METHOD_GAP = 8
_ASIDE = 16
_GAZETTEER = "gaz."  # rule ids of gazetteer mentions: names every paper may use
_TASK_GAP = 10
_VERB_WINDOW = 24
_FUNCTION_WORDS = frozenset({"with", "at", "for", "on", "in", "of", "by", "than", "and", "or", "while", "which",
                             "that", "to", "from", "as", "when", "where", "using", "under", "without", "per"})
_PLURAL_SETS = frozenset({"datasets", "benchmarks", "tasks", "domains", "languages", "settings", "splits"})
_ERROR_WORDS = frozenset({"error", "errors", "error rate", "loss"})
_APPROXIMATE = frozenset({"more", "than", "up", "to", "about", "around", "nearly", "almost", "over"})
_RANGE_WORDS = frozenset({"ranging", "range", "ranges", "varying", "vary", "varies"})
_CONFIDENCE = {"adjacent": 0.9, "paired": 0.85, "shared": 0.8, "inherited": 0.7, "sentence": 0.6, "value": 0.5}


def find_results(paper: Paper, extraction: Extraction, cues: Cues | None = None) -> list[Result]:
    """Every result of a paper, in text order (title first)."""
    cues = cues or bundled_cues()
    context = _Context(_own_methods(extraction), _sole(extraction.mentions, "Dataset"))
    found: list[Result] = []
    for field in FIELDS:
        text = field_text(paper, field)
        if not any(ch.isdigit() for ch in text):
            continue
        mentions = non_overlapping([m for m in extraction.mentions if m.field == field and 0 <= m.start < m.end <= len(text)])
        context.previous = None
        for start, end in sorted(extraction.sentences.get(field) or [(0, len(text))]):
            inside = [m for m in mentions if m.start >= start and m.end <= end]
            if any(ch.isdigit() for ch in text[start:end]):
                tokens = fold_ranges(sentence_tokens(text, start, end, inside, cues))
                found.extend(_sentence_results(tokens, field, start, end, context, cues))
            named = {m.canonical for m in inside if m.type == "Dataset"}
            if named:
                context.previous = sorted(named)[0] if len(named) == 1 else ""
    return found


class _Context:
    """What a sentence may take from the rest of the paper: its own methods, the dataset the
    previous sentence named (when it named one), else the paper's only dataset."""

    __slots__ = ("own", "dataset", "previous")

    def __init__(self, own: list[str], dataset: str | None) -> None:
        self.own = own
        self.dataset = dataset
        self.previous: str | None = None  # "" when the previous sentence named several

    def fallback_dataset(self) -> str | None:
        return self.previous if self.previous is not None else self.dataset or None


def _sole(mentions: list[Mention], wanted: str) -> str | None:
    named = {m.canonical for m in mentions if m.type == wanted}
    return next(iter(named)) if len(named) == 1 else None


def _own_methods(extraction: Extraction) -> list[str]:
    """The paper's proposed methods with names of their own: the default method of "we achieve ..."."""
    proposed = [r for r in extraction.relations if r.head == PAPER and r.type == "proposes"]
    proposed.sort(key=lambda r: (FIELDS.index(r.field), r.start))
    typed = {m.canonical: m.type for m in extraction.mentions}
    known = {m.canonical for m in extraction.mentions if m.rule.startswith(_GAZETTEER)}
    named = {m.canonical for m in extraction.mentions if m.field == "title"}
    named.update(a.long for a in extraction.acronyms)
    named.update(a.short for a in extraction.acronyms)
    names: list[str] = []
    for relation in proposed:
        # a name of its own (in the title or defined by an acronym), not one every paper uses
        # ("a neural network", "CNN": a gazetteer entry)
        tail = relation.tail
        if typed.get(tail) in METHOD_TYPES and tail in named and tail not in known and tail not in names:
            names.append(tail)
    return names


class _Candidate:
    """A number being read: the token's position and what has been found for it."""

    __slots__ = ("index", "token", "metric", "dataset", "method", "baseline", "baseline_value",
                 "kind", "how", "drop", "error")

    def __init__(self, index: int, token: Token) -> None:
        self.index = index
        self.token = token
        self.metric: Token | None = None
        self.dataset: Token | None = None
        self.method: Token | None = None
        self.baseline: Token | None = None
        self.baseline_value: float | None = None
        self.kind = "score"
        self.how = "value"
        self.drop = False
        self.error = False  # the value is an error the sentence names ("25.1% top-1 error")


def _sentence_results(
    tokens: list[Token], field: str, start: int, end: int, context: _Context, cues: Cues,
) -> list[Result]:
    for k, token in enumerate(tokens):
        if token.kind == NUMBER and not token.unit and _word(tokens, k - 1) == "of" and _word(tokens, k - 2) == "factor":
            token.unit = "×"  # "by a factor of 20": a ratio
    candidates = [_Candidate(k, t) for k, t in enumerate(tokens) if t.kind == NUMBER and _may_be_result(tokens, k, cues)]
    if not candidates:
        return []
    for candidate in candidates:
        candidate.token.candidate = True
    _from_to(tokens, candidates)
    for candidate in candidates:
        if not candidate.drop:
            _bind_metric(tokens, candidate, cues)
    live = [c for c in candidates if not c.drop]
    groups = _groups(tokens, live, _list_glue)
    _pair_lists(tokens, groups, "Metric")
    _share_in_groups(groups)
    _inherit_metrics(live, tokens, cues)
    for candidate in live:
        _bind_dataset(tokens, candidate, cues)
    _pair_lists(tokens, groups, "Dataset")
    _share_datasets(groups)
    for candidate in live:
        _kind(tokens, candidate, cues)
    _share_kinds(groups)
    _share_kinds(_groups(tokens, live, _loose_glue))
    _aside_kinds(tokens, live)
    kept = {id(c) for c in live if _keep(tokens, c, cues)}
    for group in groups:  # "86.0% at 22.4fps and 82.0% at 53.4fps": a list is kept together
        if any(id(c) in kept for c in group):
            kept.update(id(c) for c in group)
    results = []
    for candidate in live:
        if id(candidate) not in kept or _out_of_bounds(candidate):
            continue
        _baseline(tokens, candidate, cues)
        _method(tokens, candidate, cues)
        results.append(_result(tokens, candidate, field, start, end, context, cues))
    return results


def _word(tokens: list[Token], k: int) -> str:
    return tokens[k].word if 0 <= k < len(tokens) and tokens[k].kind == WORD else ""


def _phrase_before(tokens: list[Token], k: int, kind: str, cues: Cues) -> int:
    """Length of the cue phrase of ``kind`` that ends just before token ``k`` (0: none)."""
    for size in range(cues.longest, 0, -1):
        if k - size < 0:
            continue
        span = tokens[k - size : k]
        if all(t.kind == WORD for t in span) and cues.has(kind, tuple(t.word for t in span)):
            return size
    return 0


_DETERMINERS = frozenset({"the", "a", "an", "all", "prior", "previous", "existing", "strong", "vanilla", "original"})


def _after_cue(tokens: list[Token], k: int, kind: str, cues: Cues) -> int:
    """Length of the cue phrase of ``kind`` before token ``k``, a determiner or two allowed
    between ("outperforms the strong Transformer")."""
    for skip in range(3):
        if skip and tokens[k - skip].kind == WORD and tokens[k - skip].word not in _DETERMINERS:
            return 0
        if k - skip <= 0:
            return 0
        size = _phrase_before(tokens, k - skip, kind, cues)
        if size:
            return size
    return 0


def _may_be_result(tokens: list[Token], k: int, cues: Cues) -> bool:
    """False for numbers that are names, years, sizes, counts, references or settings."""
    token = tokens[k]
    if token.glued or token.unit == "count":
        return False
    number = token.number or 0.0
    is_integer = "." not in token.text
    if is_integer and token.upper is None and not token.unit and (1900 <= number <= 2100 or number >= 1000):
        return False  # a year, or a count or size ("beyond 4096", "1000 classes")
    after = k + 1 + token.unit_size
    next_word = _word(tokens, after)
    if not token.unit and next_word and cues.has("count", (next_word,)):
        return False
    if not token.unit and after + 1 < len(tokens) and cues.has("count", (_word(tokens, after + 1),)) \
            and tokens[after].kind == WORD and tokens[after].word not in _GLUE and not cues.has("metric-gap", (next_word,)):
        return False  # "7 training examples", "10 new languages"
    if token.unit and next_word and cues.has("count", (next_word,)) and token.unit != "points":
        return False  # "7.9% layers", "3x parameters": a share or size of something
    if token.unit == "×" and after < len(tokens) and tokens[after].kind == NUMBER:
        return False  # "8 x 8 resolution": a size
    if next_word == "+" and token.unit:
        return False  # "98%+": a bound, not a result
    if _word(tokens, k - 1) in ("×", "x") and k >= 2 and tokens[k - 2].kind == NUMBER:
        return False  # "768×768": a size
    if _word(tokens, k - 1) == "(" and k >= 2 and tokens[k - 2].kind == NUMBER and not tokens[k - 2].unit \
            and "." not in tokens[k - 2].text:
        return False  # "445,446 (90%) samples": the share a count is of something
    if (k >= 1 and tokens[k - 1].kind == NUMBER) or (after < len(tokens) and tokens[after].kind == NUMBER):
        return False  # "20% 13% 25% 42%": numbers in a row are a table or figure, not a sentence
    if next_word in ("±", "+") and _word(tokens, k - 1) == "(":
        return False  # "5.5% error (5.8+/-0.3)": the mean and spread of runs beside a value
    if _word(tokens, k - 1) in ("±", "+/-", "+-") or (_word(tokens, k - 1) == "-" and _word(tokens, k - 2) == "/"):
        return False  # "5.8 +/- 0.3": a spread, not a result
    if token.unit == "%" and next_word == "of" and not (
            after + 1 < len(tokens) and tokens[after + 1].kind == MENTION and tokens[after + 1].word == "Metric"):
        return False  # "10% of the labels": a share of the data, not a score ("93.6% of accuracy" is)
    previous = _word(tokens, k - 1)
    if previous and cues.has("reference", (previous,)):
        return False
    if previous in ("=", ":") and k >= 2 and tokens[k - 2].kind == WORD and cues.has("reference", (tokens[k - 2].word,)):
        return False  # "k = 5", "dropout: 0.1"
    if previous == "(" and k >= 2 and tokens[k - 2].kind == WORD and cues.has("reference", (tokens[k - 2].word,)):
        return False
    if previous in ("[", "(") and _word(tokens, after) in ("]", ")") and is_integer and not token.unit:
        return k >= 2 and tokens[k - 2].kind == MENTION and tokens[k - 2].word == "Metric"  # "[12]" cites
    return True


def _from_to(tokens: list[Token], candidates: list[_Candidate]) -> None:
    """``from 71.2 to 74.5``: the second value is the result, the first its baseline value."""
    by_index = {c.index: c for c in candidates}
    for candidate in candidates:
        k = candidate.index
        target_index = k + 1 + candidate.token.unit_size + 1
        if _word(tokens, k - 1) != "from":
            if _word(tokens, target_index - 1) == "to" and target_index in by_index \
                    and candidate.token.unit == by_index[target_index].token.unit != "":
                _fold(candidate, by_index[target_index])  # "an improvement of 10% to 20%": one range
            continue
        after = k + 1 + candidate.token.unit_size
        if _word(tokens, after) in ("down", "up"):
            after += 1
        if _word(tokens, after) == "to" and (after + 1) in by_index:
            target = by_index[after + 1]
            if _word(tokens, k - 2) in _RANGE_WORDS:  # "ranging from 10.3% to 35.8%": one range
                if candidate.token.unit in ("", target.token.unit):
                    _fold(candidate, target)
                continue
            target.baseline_value = candidate.token.number
            candidate.drop = True
            candidate.token.candidate = False


def _fold(low: _Candidate, high: _Candidate) -> None:
    """Make ``low`` the range from its value to ``high``'s, which is read no more."""
    if (high.token.number or 0.0) <= (low.token.number or 0.0):
        return
    token = low.token
    token.upper = high.token.number
    token.text = f"{token.text}-{high.token.text}"
    token.unit = high.token.unit
    token.unit_size = high.index + high.token.unit_size - low.index
    token.end = high.token.end
    high.drop = True
    high.token.candidate = False


def _bind_metric(tokens: list[Token], candidate: _Candidate, cues: Cues) -> None:
    right = _metric_right(tokens, candidate, cues)
    left = _metric_left(tokens, candidate.index, cues)
    if right is not None and _error_follows(tokens, right):
        candidate.error = True  # "25.1% top-1 (7.8% top-5) error": not the accuracy named
        return
    if right is not None and not _owns_next_value(tokens, right, cues):
        candidate.metric, candidate.how = tokens[right], "adjacent"
    elif left is not None:
        candidate.metric, candidate.how = tokens[left], "adjacent"


def _metric_right(tokens: list[Token], candidate: _Candidate, cues: Cues) -> int | None:
    """The metric mention just after the value and its unit ("85.3 F1", "2.1 points in BLEU",
    "52.3% text-to-video R@1", "90.1% pixel accuracy": up to two modifiers before it)."""
    k = _past_aside(tokens, candidate.index + 1 + candidate.token.unit_size)
    modifiers = 0
    for _ in range(_METRIC_GAP + 3):
        if k >= len(tokens):
            return None
        token = tokens[k]
        if token.kind == MENTION:
            if token.word == "Metric":
                return k
            if token.word != "Task":
                return None
        elif token.kind != WORD:
            return None
        elif not cues.has("metric-gap", (token.word,)):
            modifiers += 1
            if modifiers > 2 or not token.word.isalpha() or cues.has("dataset-gap", (token.word,)) \
                    or token.word in _GLUE or token.word in _FUNCTION_WORDS or cues.has("baseline", (token.word,)):
                return None
        k += 1
    return None


def _past_aside(tokens: list[Token], k: int) -> int:
    """The position after a parenthesised aside starting at ``k`` ("82.4% (+5.1% over the
    previous best) top-1 accuracy"); ``k`` itself when none starts there."""
    if k >= len(tokens) or tokens[k].word != "(" or tokens[k].kind != WORD:
        return k
    for j in range(k + 1, min(len(tokens), k + _ASIDE)):
        if tokens[j].kind == WORD and tokens[j].word == ")":
            return j + 1
        if tokens[j].kind == WORD and tokens[j].word in _STOPS:
            break
    return k


def _metric_left(tokens: list[Token], k: int, cues: Cues) -> int | None:
    """The metric mention before the value with only value-gap words (or a dataset) between
    ("F1 score of 94.6", "accuracy on ImageNet of 85%", "PESQ (3.35)")."""
    gap = 0
    j = k - 1
    while j >= 0 and gap <= _VALUE_GAP:
        token = tokens[j]
        if token.kind == MENTION:
            if token.word == "Metric":
                return j
            if token.word not in ("Dataset", "Task"):
                return None
        elif token.kind == NUMBER:
            if token.candidate:
                return None
        elif (token.word in _STOPS or token.word in (",", "and") or not cues.has("value-gap", (token.word,))) \
                and token.word != ")":
            return None
        gap += 1
        j -= 1
    return None


def _error_follows(tokens: list[Token], metric: int) -> bool:
    """A higher-is-better metric name followed by "error" or "loss" names the error instead."""
    k = _past_aside(tokens, metric + 1)
    if k < len(tokens) and tokens[k].word == ")":
        k += 1
    token = tokens[metric].mention
    return k < len(tokens) and tokens[k].kind == WORD and tokens[k].word in _ERROR_WORDS \
        and token is not None and bundled_directions().better([token.text]) == "higher"


def _owns_next_value(tokens: list[Token], metric: int, cues: Cues) -> bool:
    """A metric followed by "of"/"="/":" and a number reports that number, not the one before."""
    k = metric + 1
    if k < len(tokens) and tokens[k].kind == WORD and tokens[k].word in ("of", "=", ":", "("):
        k += 1
        while k < len(tokens) and tokens[k].kind == WORD and cues.has("approximation", (tokens[k].word,)):
            k += 1
        return k < len(tokens) and tokens[k].kind == NUMBER
    return False


def _groups(tokens: list[Token], live: list[_Candidate], joins) -> list[list[_Candidate]]:
    """Runs of two or more values where ``joins`` accepts the tokens between each two."""
    groups: list[list[_Candidate]] = []
    for candidate in live:
        if groups:
            last = groups[-1][-1]
            if joins(tokens[last.index + 1 + last.token.unit_size : candidate.index]):
                groups[-1].append(candidate)
                continue
        groups.append([candidate])
    return [g for g in groups if len(g) > 1]


def _list_glue(between: list[Token]) -> bool:
    """Only list glue between values ("95.9% and 94.1%", "85.1, 86.2 and 87.0")."""
    return bool(between) and all(
        t.kind == WORD and (t.word in _GLUE or t.word == "the" or t.word in _APPROXIMATE) for t in between
    ) and any(t.word in _GLUE for t in between)


def _loose_glue(between: list[Token]) -> bool:
    """Items that also name their metric or dataset ("improves by 3.9% AP, 5.1% Recall, and
    0.8% MR", "by 1.8% on ImageNet, 2.9% for face recognition"): only mentions, list glue and
    prepositions between, no verb or stop."""
    return 0 < len(between) <= 8 and any(t.word in (",", "and") for t in between) and all(
        t.kind == MENTION or (t.kind == WORD and (t.word in _GLUE or t.word in _FUNCTION_WORDS
                                                 or t.word in ("the", "(", ")", ":")))
        for t in between)


def _mention_runs(tokens: list[Token], wanted: str) -> list[list[int]]:
    """Runs of mentions of one type joined only by list glue ("UAS and LAS", "X, Y and Z")."""
    runs: list[list[int]] = []
    current: list[int] = []
    k = 0
    while k < len(tokens):
        token = tokens[k]
        if token.kind == MENTION and token.word == wanted:
            current.append(k)
        elif not (token.kind == WORD and (token.word in _GLUE or token.word == "the") and current):
            if len(current) > 1:
                runs.append(current)
            current = []
        k += 1
    if len(current) > 1:
        runs.append(current)
    return runs


def _pair_lists(tokens: list[Token], groups: list[list[_Candidate]], wanted: str) -> None:
    """Pair a run of values with a run of mentions of the same length, in order; with
    "respectively", the mentions after the values need not be one run ("0.78 and 0.76 on
    the X space with ImageNet and on the Y space with CIFAR-100, respectively")."""
    runs = _mention_runs(tokens, wanted)
    if any(t.kind == WORD and t.word == "respectively" for t in tokens):
        for group in groups:
            after = [k for k in range(group[-1].index + 1, len(tokens))
                     if tokens[k].kind == MENTION and tokens[k].word == wanted]
            if len(after) == len(group) and not any(after == run for run in runs):
                runs.append(after)
    for group in groups:
        if wanted == "Metric" and all(c.metric is not None for c in group) and \
                len({c.metric.mention.canonical for c in group if c.metric and c.metric.mention}) > 1:
            continue
        same = [run for run in runs if len(run) == len(group)]
        if not same:
            continue
        run = min(same, key=lambda r: abs(r[0] - group[0].index))
        for candidate, k in zip(group, run, strict=True):
            if wanted == "Metric":
                candidate.metric, candidate.how = tokens[k], "paired"
            else:
                candidate.dataset = tokens[k]


def _named_once(group: list[_Candidate], part: str) -> Token | None:
    """The one metric or dataset the values of a list name, when they name exactly one."""
    named = {token.mention.canonical: token for c in group
             if (token := getattr(c, part)) is not None and token.mention is not None}
    return next(iter(named.values())) if len(named) == 1 else None


def _share_in_groups(groups: list[list[_Candidate]]) -> None:
    """A metric named once for a list of values holds for all of them ("85.1, 86.2 and 87.0 F1")."""
    for group in groups:
        metric = _named_once(group, "metric")
        for candidate in group if metric is not None else ():
            if candidate.metric is None:
                candidate.metric, candidate.how = metric, "shared"


_COMPATIBLE = ({"", "%", "points"},)


def _compatible(a: str, b: str) -> bool:
    return a == b or any(a in group and b in group for group in _COMPATIBLE)


def _inherit_metrics(live: list[_Candidate], tokens: list[Token], cues: Cues) -> None:
    """A value without a metric takes the one of the value before it with a compatible unit;
    failing that, the only metric named before it in the sentence, unless another value
    already holds it ("improves accuracy on X, reaching 95.3%")."""
    held = {c.metric.mention.canonical for c in live if c.metric is not None and c.metric.mention}
    previous: _Candidate | None = None
    for candidate in live:
        if candidate.metric is None and not candidate.error and not _names_own_measure(tokens, candidate, cues):
            if previous is not None and previous.metric is not None and _compatible(previous.token.unit, candidate.token.unit):
                candidate.metric, candidate.how = previous.metric, "inherited"
            elif not held and candidate.token.unit != "×":
                before = [k for k, t in enumerate(tokens[: candidate.index]) if t.kind == MENTION and t.word == "Metric"]
                named = {tokens[k].mention.canonical for k in before if tokens[k].mention}
                if len(named) == 1 and _verb_between(tokens, before[-1], candidate.index):
                    candidate.metric, candidate.how = tokens[before[-1]], "sentence"
        if candidate.metric is not None:
            previous = candidate


_VERBS = frozenset({"achieve", "achieves", "achieved", "achieving", "obtain", "obtains", "obtained", "obtaining",
                    "reach", "reaches", "reached", "reaching", "attain", "attains", "attaining", "yield",
                    "yields", "yielding", "improve", "improves", "improved", "improving", "boost", "boosts",
                    "boosting", "raise", "raises", "raising", "increase", "increases", "increasing"})


def _verb_between(tokens: list[Token], metric: int, value: int) -> bool:
    """"improves accuracy on X, reaching 95.3%": a verb that carries the metric to the value,
    with no stop or other number between."""
    between = tokens[metric + 1 : value]
    if any(t.word in _STOPS or (t.kind == NUMBER and t.candidate) for t in between):
        return False
    return any(t.kind == WORD and t.word in _VERBS for t in between)


_CHANGE_NOUNS = frozenset({"reduction", "reductions", "improvement", "improvements", "increase", "gain", "gains",
                           "decrease", "drop", "higher", "lower", "better", "worse", "in", "of", "the", "relative",
                           "absolute"})


def _names_own_measure(tokens: list[Token], candidate: _Candidate, cues: Cues) -> bool:
    """"35% reduction in perplexity, or 10% reduction in cross-entropy": the second value
    names what it measures (a word that is no metric mention), so it inherits no metric."""
    k = candidate.index + 1 + candidate.token.unit_size
    while k < len(tokens) and tokens[k].kind == WORD and tokens[k].word in _CHANGE_NOUNS:
        k += 1
    if k >= len(tokens) or k == candidate.index + 1 + candidate.token.unit_size:
        return False
    token = tokens[k]
    return token.kind == WORD and token.word.replace("-", "").isalpha() and token.word not in _FUNCTION_WORDS \
        and not cues.has("dataset-gap", (token.word,))


def _bind_dataset(tokens: list[Token], candidate: _Candidate, cues: Cues) -> None:
    """"85.3 F1 on SQuAD", "SQuAD (85.3 F1)", "On SQuAD, we reach 85.3"."""
    k = _past_aside(tokens, candidate.index + 1 + candidate.token.unit_size)
    gap = 0
    anchored = False
    while k < len(tokens) and gap <= (_DATASET_GAP + 4 if anchored else _DATASET_GAP):
        k = _past_aside(tokens, k)
        if k >= len(tokens):
            break
        token = tokens[k]
        if token.kind == MENTION:
            if token.word == "Dataset" and gap > 0:
                candidate.dataset = token
                return
            if token.word not in ("Metric", "Task"):
                break
        elif token.kind == NUMBER and token.candidate or token.word in _STOPS or (token.word == "," and not anchored) or token.kind == WORD and not cues.has("dataset-gap", (token.word,)) and not anchored:
            break
        if token.kind == WORD and token.word in ("on", "in", "for", "over", "across"):
            anchored = True
        gap += 1
        k += 1
    j = candidate.index - 1
    while j >= 0:
        token = tokens[j]
        if token.kind == NUMBER or token.word in _STOPS:
            break
        if token.kind == MENTION and token.word == "Dataset":
            if not _in_list(tokens, j):  # "on X, Y and Z ... by up to 43%": not one of them
                candidate.dataset = token
            return
        j -= 1


def _in_list(tokens: list[Token], k: int) -> bool:
    """The mention at ``k`` is one of a list of mentions of its type ("MNIST, SVHN and CIFAR-10")."""
    wanted = tokens[k].word
    return any(k in run for run in _mention_runs(tokens, wanted))


def _share_datasets(groups: list[list[_Candidate]]) -> None:
    """A dataset named once for a list of values holds for all of them."""
    for group in groups:
        dataset = _named_once(group, "dataset")
        for candidate in group if dataset is not None else ():
            candidate.dataset = candidate.dataset or dataset


def _keep(tokens: list[Token], candidate: _Candidate, cues: Cues) -> bool:
    """A value with no metric is kept only when it looks like a score: a percentage or ratio,
    or a decimal in a sentence that reports a result."""
    if candidate.metric is not None:
        return True
    token = candidate.token
    if token.unit and token.unit != "count":
        return True
    if "." not in token.text:
        return False
    return candidate.dataset is not None or any(
        t.kind == WORD and cues.has("result-verb", (t.word,)) and t.word not in ("is", "are", "was", "were", "of", "with", "at", "=")
        for t in tokens[max(0, candidate.index - _VERB_WINDOW) : candidate.index]
    )


def _kind(tokens: list[Token], candidate: _Candidate, cues: Cues) -> None:
    token = candidate.token
    k = candidate.index
    if token.unit == "×":
        candidate.kind = "ratio"
        return
    j = k
    while j > 0 and tokens[j - 1].kind == WORD and cues.has("approximation", (tokens[j - 1].word,)) \
            and not _phrase_before(tokens, j, "improvement", cues):
        j -= 1
    if j > 1 and tokens[j - 1].kind == MENTION and tokens[j - 1].word == "Metric":
        j -= 1  # "improves the (segmentation) accuracy up to 15%", "improvements in SNR of up to 7 dB"
        if j > 1 and _word(tokens, j - 1) == "in":
            j -= 1
        if j > 1 and tokens[j - 1].kind == WORD and tokens[j - 1].word.isalpha() and _word(tokens, j - 2) == "the":
            j -= 1
        if j > 1 and _word(tokens, j - 1) == "the":
            j -= 1
    improved = bool(_phrase_before(tokens, j, "improvement", cues)) or _word(tokens, k - 1) == "+" \
        or _improvement_near(tokens, k, cues)
    after = k + 1 + token.unit_size
    change = _change_after(tokens, after, cues)
    if cues.has("fewer", (_word(tokens, after),)) or change == "fewer":
        candidate.kind = "reduction"
        return
    if cues.has("more", (_word(tokens, after),)) or change == "more":
        improved = True
    if not improved:
        return
    if _word(tokens, after) in _COMPARATIVES:
        candidate.kind = "improvement"  # "3.7% higher performance": the word after decides
        return
    first = max(0, k - _METHOD_GAP)
    for j in range(k - 1, first - 1, -1):
        if tokens[j].kind == NUMBER and tokens[j].candidate:
            first = j + 1 + tokens[j].unit_size  # words of the value before belong to it
            break
    window = [t.word for t in tokens[first : after + 3] if t.kind == WORD]
    if any(cues.has("reduction", (w,)) for w in window):
        candidate.kind = "reduction"
    elif any(cues.has("relative", (w,)) for w in window):
        candidate.kind = "relative-improvement"
    else:
        candidate.kind = "improvement"


_LEAD_IN = frozenset({"ranging", "range", "from", "reaching", "of", "between", "by", "up", "to", "an", "a", "average",
                      "averaged", "absolute", "relative", "overall", "consistent", "significant", "the", "in",
                      "performance"})
_IMPROVEMENT_NOUNS = frozenset({"improvement", "improvements", "gain", "gains", "increase", "increases", "boost",
                                "boosts"})
_COMPARATIVES = frozenset({"higher", "better", "more", "greater", "larger", "faster", "increased", "improved"})
_DROP_NOUNS = frozenset({"drop", "drops", "decrease", "decreases", "degradation", "reduction", "reductions", "loss",
                         "losses"})


def _improvement_near(tokens: list[Token], k: int, cues: Cues) -> bool:
    """"improvements ranging from 6.8%", "a performance gain reaching 10%": an improvement
    noun a few lead-in words before the value."""
    j = k - 1
    for _ in range(4):
        if j < 0 or tokens[j].kind != WORD:
            return False
        if tokens[j].word in _IMPROVEMENT_NOUNS:
            return True
        if tokens[j].word not in _LEAD_IN and not cues.has("approximation", (tokens[j].word,)):
            return False
        j -= 1
    return False


def _change_after(tokens: list[Token], k: int, cues: Cues) -> str:
    """"5-8% average accuracy improvement", "3% performance drop": the change noun after the
    value's metric and modifiers: "more", "fewer" or "" (none)."""
    modifiers = 0
    for token in tokens[k : k + 4]:
        if token.kind == WORD and (token.word in _IMPROVEMENT_NOUNS or (modifiers == 0 and cues.has("more", (token.word,)))):
            return "more"  # "3.6 perplexity better", "5% accuracy gain"
        if token.kind == WORD and (token.word in _DROP_NOUNS or (modifiers == 0 and cues.has("fewer", (token.word,)))):
            return "fewer"
        if token.kind == NUMBER:
            return ""
        if token.kind == WORD and token.word not in _LEAD_IN and not cues.has("metric-gap", (token.word,)):
            modifiers += 1
            if modifiers > 1 or not token.word.isalpha() or token.word in _FUNCTION_WORDS:
                return ""
    return ""


_BOUNDED = frozenset({"accuracy", "precision", "recall", "f1", "f-measure", "f-score", "iou", "auc", "ap",
                      "map", "dice", "bleu", "rouge", "exact", "match", "hit", "hits"})


def _out_of_bounds(candidate: _Candidate) -> bool:
    """A score above 100 for a metric that cannot pass 100 ("accuracy of 80.0% with 444
    MFLOPs" read 444 as the accuracy): a misreading, left out."""
    metric = candidate.metric.mention if candidate.metric is not None else None
    if candidate.kind != "score" or metric is None or (candidate.token.number or 0.0) <= 100:
        return False
    return any(word in _BOUNDED for word in metric.canonical.replace("@", " ").split())


def _share_kinds(groups: list[list[_Candidate]]) -> None:
    """"a 0.27% and more than 1% improvement": the list's values are all improvements."""
    for group in groups:
        kinds = {c.kind for c in group if c.kind != "score"}
        if len(kinds) == 1:
            kind = next(iter(kinds))
            for candidate in group:
                if candidate.kind == "score" and _compatible(candidate.token.unit, group[-1].token.unit):
                    candidate.kind = kind


def _aside_kinds(tokens: list[Token], live: list[_Candidate]) -> None:
    """"by up to 1.14 points (6.7%)": a value in parentheses right after a change restates it."""
    for outer, inner in zip(live, live[1:], strict=False):
        k = outer.index + 1 + outer.token.unit_size
        if outer.kind != "score" and inner.kind == "score" and inner.index == k + 1 and _word(tokens, k) == "(":
            relative = inner.token.unit == "%" and outer.token.unit != "%" and outer.kind == "improvement"
            inner.kind = "relative-improvement" if relative else outer.kind


def _baseline(tokens: list[Token], candidate: _Candidate, cues: Cues) -> None:
    """"... over BERT", "... than GPT-4"; "outperforms BERT by 2.1"."""
    k = candidate.index + 1 + candidate.token.unit_size
    gap = 0
    while k < len(tokens) and gap <= 4:
        token = tokens[k]
        if token.kind == NUMBER or token.word in _STOPS:
            break
        size = _after_cue(tokens, k, "baseline", cues) if token.kind == MENTION else 0
        if token.kind == MENTION and token.word in METHOD_TYPES and size and _word(tokens, k - 1) != "of":
            candidate.baseline = token
            return
        k += 1
        gap += 1
    if candidate.kind in ("improvement", "relative-improvement", "reduction"):
        j = candidate.index - 1
        while j > 0 and candidate.index - j <= _METHOD_GAP:
            token = tokens[j]
            if token.kind == NUMBER or token.word in _STOPS:
                break
            if token.kind == MENTION and token.word in METHOD_TYPES and _after_cue(tokens, j, "baseline", cues) \
                    and _word(tokens, j - 1) != "of":
                candidate.baseline = token
                return
            j -= 1


def _method(tokens: list[Token], candidate: _Candidate, cues: Cues) -> None:
    """The subject that achieves the value, when a result verb stands between them."""
    j = candidate.index - 1
    verb = False
    while j >= 0 and candidate.index - j <= _METHOD_GAP + 4:
        token = tokens[j]
        if token.kind == NUMBER or token.word in _STOPS:
            break
        if token.kind == WORD and cues.has("result-verb", (token.word,)) and token.word not in ("of", "with", "at", "="):
            verb = True
        if token.kind == MENTION and token.word in METHOD_TYPES and verb and token is not candidate.baseline \
                and not _phrase_before(tokens, j, "baseline", cues):
            candidate.method = token
            return
        j -= 1


def _own_cue(tokens: list[Token], candidate: _Candidate, cues: Cues) -> bool:
    words = [t.word for t in tokens[: candidate.index] if t.kind == WORD]
    return any(cues.has("own", (w,)) for w in words) or any(
        cues.has("own", tuple(words[i : i + 2])) for i in range(len(words) - 1)
    )


def _names_lower_metric(tokens: list[Token], candidate: _Candidate) -> bool:
    """The words right after the value name an error or a loss ("1.93% validation error"):
    the benchmark's usual metric is not what the value measures."""
    k = _past_aside(tokens, candidate.index + 1 + candidate.token.unit_size)
    words = tuple(t.word for t in tokens[k : k + 3] if t.kind == WORD)
    return bundled_directions().better([" ".join(words)]) == "lower" if words else False


def _default_metric(dataset: str, token: Token, tokens: list[Token]) -> str | None:
    """The metric a benchmark reports in (``kg/data/results/default_metrics.jsonl``), when the
    value's unit and size fit it and the sentence names no other metric of its kind ("top-5
    accuracy ... approaches 50%" is no top-1 accuracy)."""
    default = bundled_default_metrics().get(compact(dataset))
    if default is None or token.unit not in default.units or (token.upper or token.number or 0.0) > default.largest:
        return None
    head = default.metric.split()[-1]
    for other in tokens:
        if other.kind == MENTION and other.word == "Metric" and other.mention is not None \
                and other.mention.canonical != default.metric and other.mention.canonical.split()[-1] == head:
            return None
    return default.metric


def _near_task(tokens: list[Token], candidate: _Candidate) -> Token | None:
    """The nearest task mention within a few tokens of the value, no other value between."""
    best: tuple[int, Token] | None = None
    for k, token in enumerate(tokens):
        if token.kind != MENTION or token.word != "Task":
            continue
        low, high = sorted((k, candidate.index))
        if high - low > _TASK_GAP or any(t.kind == NUMBER and t.candidate for t in tokens[low + 1 : high]) \
                or any(t.word in _STOPS for t in tokens[low + 1 : high]):
            continue
        if best is None or high - low < best[0]:
            best = (high - low, token)
    return best[1] if best else None


def _span(token: Token | None) -> list[int] | None:
    return [token.start, token.end] if token is not None else None


def _canonical(token: Token | None) -> str | None:
    return token.mention.canonical if token is not None and token.mention is not None else None


def _result(
    tokens: list[Token], candidate: _Candidate, field: str, start: int, end: int, context: _Context, cues: Cues,
) -> Result:
    """The record; a dataset the sentence does not name comes from the context (the previous
    sentence's, else the paper's only one), a metric from the benchmark's usual one, and the
    rule says so."""
    token = candidate.token
    rule = f"result.{candidate.how}"
    confidence = _CONFIDENCE[candidate.how]
    metric = _canonical(candidate.metric)
    dataset = _canonical(candidate.dataset)
    if dataset is None and token.unit != "×" and not any(t.kind == WORD and t.word in _PLURAL_SETS for t in tokens):
        dataset = context.fallback_dataset()
        rule += "-dataset-in-context" if dataset is not None else ""
        confidence -= 0.1
    if metric is None and dataset is not None and token.unit != "×" and not candidate.error \
            and not _names_lower_metric(tokens, candidate):
        metric = _default_metric(dataset, token, tokens)
        if metric is not None:
            rule, confidence = f"{rule}-metric-of-dataset", confidence - 0.15
    method = _canonical(candidate.method)
    if method is None and context.own and _own_cue(tokens, candidate, cues):
        method = context.own[0]
    task_token = _near_task(tokens, candidate)
    task = _canonical(task_token)
    spans = {name: span for name, span in (
        ("metric", _span(candidate.metric)), ("dataset", _span(candidate.dataset)), ("task", _span(task_token)),
        ("method", _span(candidate.method)), ("baseline", _span(candidate.baseline)),
    ) if span is not None}
    return make_result(
        token.text, token.number or 0.0, token.upper, token.unit if token.unit != "count" else "", candidate.kind,
        metric, dataset, task, method, _canonical(candidate.baseline), candidate.baseline_value,
        field, start, end, token.start, token.end, spans, rule, round(max(confidence, 0.1), 2),
    )
