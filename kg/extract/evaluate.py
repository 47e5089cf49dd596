"""Scoring the extractor against gold mentions (SciERC / SciREX JSON Lines layout).

Gold records: ``id``, ``text``, ``entities`` (``start``, ``end``, ``type``),
optionally ``title``, ``salient`` (type -> entity names) and
``salient_mentions`` (name -> spans). Gold types are mapped onto ours with
a ``TypeMap`` ("Material=Dataset,Method=Method|Architecture"); gold types
left out of the map are still gold spans, so a prediction that overlaps
only them is a false positive.

The text is whitespace-normalised before extraction (as ingest does) and
predicted offsets are mapped back to the gold text for scoring.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import InputError, UsageError
from kg.records import ENTITY_TYPES, Extraction, Paper

DEFAULT_MAP = "Material=Dataset,Method=Method|Architecture,Metric=Metric,Task=Task"
_SPACE = re.compile(r"\s+")


# --- type map -----------------------------------------------------------------------------


def parse_type_map(spec: str) -> dict[str, frozenset[str]]:
    """ "Material=Dataset,Method=Method|Architecture" -> {"Material": {"Dataset"}, ...}.

    Gold types not named map to nothing; ``Type`` alone maps to itself.
    """
    out: dict[str, frozenset[str]] = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        gold, _, ours = part.partition("=")
        gold = gold.strip()
        targets = [t.strip() for t in (ours or gold).split("|") if t.strip()]
        bad = [t for t in targets if t not in ENTITY_TYPES]
        if not gold or bad or not targets:
            raise UsageError(
                f"--map: cannot read {part!r}; expected GOLD=Type[|Type...] with types among "
                + ", ".join(ENTITY_TYPES)
            )
        out[gold] = frozenset(targets)
    return out


# --- gold reading and text normalisation ----------------------------------------------------


@dataclass(slots=True)
class GoldSpan:
    start: int
    end: int
    type: str


@dataclass(slots=True)
class GoldRelation:
    type: str
    head: tuple[int, int]
    tail: tuple[int, int]


@dataclass(slots=True)
class GoldDoc:
    id: str
    text: str
    title: str
    spans: list[GoldSpan]
    salient: dict[str, list[str]] | None = None
    salient_mentions: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    relations: list[GoldRelation] = field(default_factory=list)


def read_gold(path: Path) -> Iterator[GoldDoc]:
    """Gold documents of one JSON Lines file; a malformed line names file and line."""
    try:
        handle = open(path, encoding="utf-8")  # noqa: SIM115  (closed by the with below)
    except OSError as err:
        raise InputError(f"{path}: cannot open: {err.strerror or err}") from err
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
                text = rec["text"]
                spans = [GoldSpan(int(e["start"]), int(e["end"]), str(e["type"]))
                         for e in rec.get("entities", [])]
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as err:
                raise InputError(f"{path}:{number}: not a gold record (expected JSON with "
                                 f"text and entities[start, end, type]): {err}") from err
            try:
                mentions = {
                    name: [(int(m["start"]), int(m["end"])) for m in spans_]
                    for name, spans_ in (rec.get("salient_mentions") or {}).items()
                }
                relations = [
                    GoldRelation(str(r["type"]), (int(r["head_start"]), int(r["head_end"])),
                                 (int(r["tail_start"]), int(r["tail_end"])))
                    for r in rec.get("relations") or [] if isinstance(r, dict) and "head_start" in r
                ]
            except (AttributeError, KeyError, TypeError, ValueError) as err:
                raise InputError(f"{path}:{number}: not a gold record (salient_mentions as name -> "
                                 "[{start, end}], relations as [{type, head_start, head_end, "
                                 f"tail_start, tail_end}}]): {err!r}") from err
            yield GoldDoc(str(rec.get("id", number)), text, rec.get("title") or "", spans,
                          rec.get("salient"), mentions, relations)


def normalise_with_offsets(text: str) -> tuple[str, list[int]]:
    """Collapse whitespace runs to one space and strip; return the new text and, for each
    of its characters (plus one past the end), the offset in ``text``."""
    out: list[str] = []
    where: list[int] = []
    pos = 0
    stripped_start = len(text) - len(text.lstrip())
    body = text.strip()
    for match in _SPACE.finditer(body):
        for k in range(pos, match.start()):
            out.append(body[k])
            where.append(stripped_start + k)
        out.append(" ")
        where.append(stripped_start + match.start())
        pos = match.end()
    for k in range(pos, len(body)):
        out.append(body[k])
        where.append(stripped_start + k)
    where.append(stripped_start + len(body))
    return "".join(out), where


# --- scoring ---------------------------------------------------------------------------------


@dataclass(slots=True)
class Counts:
    pred: int = 0
    pred_exact: int = 0
    pred_overlap: int = 0
    gold: int = 0
    gold_exact: int = 0
    gold_overlap: int = 0

    def add(self, other: Counts) -> None:
        for name in self.__slots__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _ratio(a: int, b: int) -> float | None:
    return a / b if b else None


def _f1(p: float | None, r: float | None) -> float | None:
    if p is None or r is None or p + r == 0:
        return None if p is None or r is None else 0.0
    return 2 * p * r / (p + r)


@dataclass(slots=True)
class Scores:
    """Counts per row: each of our types, and each multi-type gold group ("Method|Architecture")."""

    rows: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    salient: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0, 0]))
    documents: int = 0
    salient_documents: int = 0
    # entity -> entity edges: our type -> [predicted, right, gold, found]
    relations: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0, 0]))
    relation_documents: int = 0

    def table(self) -> list[dict[str, Any]]:
        out = []
        for name, c in self.rows.items():
            pe, po = _ratio(c.pred_exact, c.pred), _ratio(c.pred_overlap, c.pred)
            re_, ro = _ratio(c.gold_exact, c.gold), _ratio(c.gold_overlap, c.gold)
            out.append({
                "type": name, "predicted": c.pred, "gold": c.gold,
                "exact": {"p": pe, "r": re_, "f1": _f1(pe, re_)},
                "overlap": {"p": po, "r": ro, "f1": _f1(po, ro)},
            })
        order = {t: i for i, t in enumerate(ENTITY_TYPES)}
        out.sort(key=lambda row: (row["type"] not in order, order.get(row["type"], 0), row["type"]))
        return out

    def salient_table(self) -> list[dict[str, Any]]:
        out = []
        for name, (tp_p, n_p, tp_g, n_g) in sorted(self.salient.items()):
            out.append({"type": name, "predicted": n_p, "gold": n_g,
                        "p": _ratio(tp_p, n_p), "r": _ratio(tp_g, n_g)})
        return out

    def relation_table(self) -> list[dict[str, Any]]:
        out = []
        for name in [*RELATION_MAP, "all"]:
            if name not in self.relations:
                continue
            right_p, n_p, found_g, n_g = self.relations[name]
            p, r = _ratio(right_p, n_p), _ratio(found_g, n_g)
            out.append({"type": name, "gold_type": RELATION_MAP.get(name, ("*",))[0],
                        "predicted": n_p, "gold": n_g, "p": p, "r": r, "f1": _f1(p, r)})
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"documents": self.documents, "mentions": self.table(),
                "salient_documents": self.salient_documents, "salient": self.salient_table(),
                "relation_documents": self.relation_documents, "relations": self.relation_table()}


# Our entity -> entity edge types and the SciERC relation each is scored against, with its
# direction: "same" (X isA Y is X HYPONYM-OF Y), "reversed" (X basedOn Y is Y USED-FOR X),
# or "either" (COMPARE has no direction).
RELATION_MAP: dict[str, tuple[str, str]] = {
    "isA": ("HYPONYM-OF", "same"),
    "outperforms": ("COMPARE", "either"),
    "basedOn": ("USED-FOR", "reversed"),
}


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score_document(
    gold: GoldDoc,
    predicted: list[tuple[int, int, str, str]],
    type_map: dict[str, frozenset[str]],
    scores: Scores,
) -> None:
    """Add one document's counts. ``predicted``: (start, end, type, canonical) in gold offsets."""
    scores.documents += 1
    groups = {t for targets in type_map.values() for t in targets}
    multi = {"|".join(sorted(ts, key=ENTITY_TYPES.index)): ts
             for ts in type_map.values() if len(ts) > 1}
    gold_typed = [(g.start, g.end, type_map.get(g.type, frozenset())) for g in gold.spans]

    def pred_ok(p, types: frozenset[str]) -> tuple[bool, bool]:
        exact = overlap = False
        for gs, ge, gtypes in gold_typed:
            if gtypes & types and _overlaps((p[0], p[1]), (gs, ge)):
                overlap = True
                if (gs, ge) == (p[0], p[1]):
                    exact = True
                    break
        return exact, overlap

    rows: list[tuple[str, frozenset[str]]] = [(t, frozenset({t})) for t in sorted(groups)]
    rows += [(name, ts) for name, ts in multi.items()]
    for row, types in rows:
        c = scores.rows[row]
        preds = [p for p in predicted if p[2] in types]
        for p in preds:
            exact, overlap = pred_ok(p, types)
            c.pred += 1
            c.pred_exact += exact
            c.pred_overlap += overlap
        for gs, ge, gtypes in gold_typed:
            if not gtypes & types:
                continue
            c.gold += 1
            spans = [(p[0], p[1]) for p in preds]
            c.gold_exact += (gs, ge) in spans
            c.gold_overlap += any(_overlaps((gs, ge), s) for s in spans)
    if gold.salient is not None:
        scores.salient_documents += 1
        _score_salient(gold, predicted, type_map, scores)


def _score_salient(gold, predicted, type_map, scores: Scores) -> None:
    """Per-paper entity sets: a predicted entity (canonical form, type) is right if one of its
    mentions overlaps a salient mention of a gold entity of a matching type; a salient entity
    is found if one of its mentions overlaps a prediction of a matching type."""
    salient_spans: list[tuple[int, int, frozenset[str]]] = []
    gold_entities: list[tuple[frozenset[str], list[tuple[int, int]]]] = []
    for gtype, names in gold.salient.items():
        types = type_map.get(gtype, frozenset())
        for name in names:
            spans = gold.salient_mentions.get(name, [])
            gold_entities.append((types, spans))
            salient_spans.extend((s, e, types) for s, e in spans)
    entities: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for s, e, t, canonical in predicted:
        entities[(t, canonical)].append((s, e))
    row_of = _salient_rows(type_map)
    for (t, _), spans in entities.items():
        row = row_of.get(t)
        if row is None:
            continue
        ok = any(t in types and _overlaps(sp, (gs, ge)) for sp in spans for gs, ge, types in salient_spans)
        counts = scores.salient[row]
        counts[0] += ok
        counts[1] += 1
    for types, spans in gold_entities:
        if not types:
            continue
        row = "|".join(sorted(types, key=ENTITY_TYPES.index))
        found = any(p[2] in types and _overlaps((p[0], p[1]), sp) for p in predicted for sp in spans)
        counts = scores.salient[row]
        counts[2] += found
        counts[3] += 1


def _salient_rows(type_map) -> dict[str, str]:
    rows = {}
    for targets in type_map.values():
        name = "|".join(sorted(targets, key=ENTITY_TYPES.index))
        for t in targets:
            rows[t] = name
    return rows


def evaluate(
    golds: Iterable[GoldDoc],
    type_map: dict[str, frozenset[str]],
    extract,  # Callable[[list[Paper]], Iterable[Extraction]]
    batch: int = 256,
) -> Scores:
    """Run ``extract`` on the gold texts (normalised) and score the abstract mentions."""
    scores = Scores()
    buffer: list[tuple[GoldDoc, list[int]]] = []

    def flush() -> None:
        papers = []
        for g, _ in buffer:
            norm, _ = normalise_with_offsets(g.text)
            papers.append(Paper(id=g.id, title=_SPACE.sub(" ", g.title).strip(), abstract=norm))
        for (g, where), ex in zip(buffer, extract(papers), strict=True):
            score_document(g, predictions_in_gold_offsets(ex, where), type_map, scores)
            if g.relations:
                score_relations(g, relations_in_gold_offsets(ex, where), scores)
        buffer.clear()

    for g in golds:
        buffer.append((g, normalise_with_offsets(g.text)[1]))
        if len(buffer) >= batch:
            flush()
    if buffer:
        flush()
    return scores


def relations_in_gold_offsets(ex: Extraction, where: list[int]) -> list[tuple[str, tuple[int, int], tuple[int, int]]]:
    """Entity -> entity relations of the abstract as (type, head span, tail span) in gold
    offsets. A relation keeps its tail's offsets; its head is the mention of the head entity
    in the same sentence nearest the tail."""
    out = []
    mentions = [m for m in ex.mentions if m.field == "abstract"]
    for r in ex.relations:
        if r.head == "paper" or r.field != "abstract" or r.type not in RELATION_MAP:
            continue
        heads = [m for m in mentions if m.canonical == r.head
                 and r.sentence_start <= m.start and m.end <= r.sentence_end]
        if not heads:
            continue
        head = min(heads, key=lambda m: abs(m.start - r.start))
        out.append((r.type, (where[head.start], where[head.end - 1] + 1),
                    (where[r.start], where[r.end - 1] + 1)))
    return out


def score_relations(gold: GoldDoc, predicted: list[tuple[str, tuple[int, int], tuple[int, int]]],
                    scores: Scores) -> None:
    """Count one document's entity -> entity relations against its gold relations: a
    prediction is right when a gold relation of the mapped type links spans overlapping its
    head and tail, in the mapped direction."""
    scores.relation_documents += 1

    def links(ours: str, head: tuple[int, int], tail: tuple[int, int], g: GoldRelation) -> bool:
        gold_type, direction = RELATION_MAP[ours]
        if g.type != gold_type:
            return False
        same = _overlaps(head, g.head) and _overlaps(tail, g.tail)
        back = _overlaps(head, g.tail) and _overlaps(tail, g.head)
        return same if direction == "same" else back if direction == "reversed" else same or back

    for ours, (gold_type, _) in RELATION_MAP.items():
        preds = [(h, t) for kind, h, t in predicted if kind == ours]
        golds = [g for g in gold.relations if g.type == gold_type]
        found = (sum(any(links(ours, h, t, g) for g in golds) for h, t in preds), len(preds),
                 sum(any(links(ours, h, t, g) for h, t in preds) for g in golds), len(golds))
        for row in (ours, "all"):
            counts = scores.relations[row]
            for index, n in enumerate(found):
                counts[index] += n


def predictions_in_gold_offsets(ex: Extraction, where: list[int]) -> list[tuple[int, int, str, str]]:
    """Abstract mentions with offsets mapped back to the un-normalised gold text."""
    out = []
    for m in ex.mentions:
        if m.field != "abstract":
            continue
        out.append((where[m.start], where[m.end - 1] + 1, m.type, m.canonical))
    return out


# --- formatting ------------------------------------------------------------------------------


def _fmt(x: float | None) -> str:
    return "   -" if x is None else f"{x:.2f}"


def format_scores(scores: Scores, title: str = "") -> str:
    lines = []
    if title:
        lines.append(title)
    lines.append(f"documents: {scores.documents}")
    lines.append("")
    lines.append(f"{'type':<22}{'pred':>6}{'gold':>6}   {'exact P':>7} {'R':>5} {'F1':>5}   "
                 f"{'overlap P':>9} {'R':>5} {'F1':>5}")
    for row in scores.table():
        e, o = row["exact"], row["overlap"]
        lines.append(
            f"{row['type']:<22}{row['predicted']:>6}{row['gold']:>6}   {_fmt(e['p']):>7} "
            f"{_fmt(e['r']):>5} {_fmt(e['f1']):>5}   {_fmt(o['p']):>9} {_fmt(o['r']):>5} "
            f"{_fmt(o['f1']):>5}"
        )
    if scores.salient_documents:
        lines.append("")
        lines.append(f"salient entities per paper ({scores.salient_documents} papers with `salient`)")
        lines.append(f"{'type':<22}{'pred':>6}{'gold':>6}   {'P':>5} {'R':>5}")
        for row in scores.salient_table():
            lines.append(f"{row['type']:<22}{row['predicted']:>6}{row['gold']:>6}   "
                         f"{_fmt(row['p']):>5} {_fmt(row['r']):>5}")
    if scores.relation_documents:
        lines.append("")
        lines.append(f"entity -> entity relations ({scores.relation_documents} abstracts with gold "
                     "relations; a relation is right when a gold one of the mapped type links "
                     "overlapping spans)")
        lines.append(f"{'type':<14}{'gold type':<12}{'pred':>6}{'gold':>6}   {'P':>5} {'R':>5} {'F1':>5}")
        for row in scores.relation_table():
            lines.append(f"{row['type']:<14}{row['gold_type']:<12}{row['predicted']:>6}{row['gold']:>6}   "
                         f"{_fmt(row['p']):>5} {_fmt(row['r']):>5} {_fmt(row['f1']):>5}")
    return "\n".join(lines)
