"""RDF triples from records, streamed as N-Triples lines grouped by subject.

Papers, entities and edges become triples one record at a time, each line
already in canonical N-Triples syntax, so a writer only sorts and joins
strings and a corpus can be written shard by shard. IRIs are built from stable ids; edge and
evidence IRIs are hashes of what identifies them, so they never change
between runs.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from kg.ids import DEFAULT_BASE_IRI, ENTITY_NODE, PAPER_NODE, iri_link
from kg.rdf.namespace import (
    DCTERMS,
    KGO,
    PROV,
    RDF,
    SCHEMA,
    SKOS,
    XSD,
    segment,
)
from kg.records import Edge, Entity, Evidence, Paper

Triple = tuple[str, str, str]
Group = tuple[str, list[str]]

_ESCAPES = {
    "\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f",
}
_ESCAPES.update({chr(c): f"\\u{c:04X}" for c in [*range(0, 8), 0x0B, *range(0x0E, 0x20), 0x7F]})
# A lone surrogate (from a JSON "\ud800" escape) is not a character RDF can hold.
_NEEDS_ESCAPE = re.compile("[" + re.escape("".join(_ESCAPES)) + "\ud800-\udfff]")


def iri(value: str) -> str:
    return f"<{value}>"


@lru_cache(maxsize=1 << 14)
def literal(value: str, datatype: str | None = None) -> str:
    """A canonical N-Triples literal (``xsd:string`` is left implicit). Cached: a sentence
    supporting several edges, field names and rule ids recur."""
    if _NEEDS_ESCAPE.search(value):
        value = _NEEDS_ESCAPE.sub(lambda m: _ESCAPES.get(m.group(), "\ufffd"), value)
    if datatype is None:
        return f'"{value}"'
    return f'"{value}"^^<{datatype}>'


_INTEGER = f"^^<{XSD.integer}>"
_BOOLEAN = {True: f'"true"^^<{XSD.boolean}>', False: f'"false"^^<{XSD.boolean}>'}
_DECIMAL = f"^^<{XSD.decimal}>"


@lru_cache(maxsize=1 << 16)
def integer(value: int) -> str:
    return f'"{int(value)}"{_INTEGER}'


@lru_cache(maxsize=1 << 16)
def decimal(value: float) -> str:
    """A confidence as ``xsd:decimal`` in fixed notation, so output never depends on float repr."""
    text = f"{value:.6f}".rstrip("0")
    return f'"{text}0"{_DECIMAL}' if text.endswith(".") else f'"{text}"{_DECIMAL}'


_DATE_TYPES = (
    (re.compile(r"^\d{4}-\d{2}-\d{2}$"), str(XSD.date)),
    (re.compile(r"^\d{4}-\d{2}$"), str(XSD.gYearMonth)),
    (re.compile(r"^--\d{2}-\d{2}$"), str(XSD.gMonthDay)),
    (re.compile(r"^\d{4}$"), str(XSD.gYear)),
)


def date_literal(value: str) -> str:
    """An ISO date typed by its precision (``--MM-DD`` is an ``xsd:gMonthDay``)."""
    for pattern, datatype in _DATE_TYPES:
        if pattern.match(value):
            return literal(value, datatype)
    return literal(value)


class IRIs:
    """Instance IRIs under one base IRI (paper and entity IRIs are cached: evidence repeats them)."""

    def __init__(self, base_iri: str = DEFAULT_BASE_IRI) -> None:
        self.base = base_iri
        self._papers: dict[str, str] = {}
        self._entities: dict[str, str] = {}

    def paper(self, paper_id: str) -> str:
        found = self._papers.get(paper_id)
        if found is None:
            found = self._papers[paper_id] = f"{self.base}paper/{segment(paper_id)}"
        return found

    def entity(self, key: str) -> str:
        found = self._entities.get(key)
        if found is None:
            found = self._entities[key] = f"{self.base}entity/{segment(key)}"
        return found

    def node(self, node: str) -> str:
        """The IRI of a graph node id (``paper:<id>`` or ``entity:<key>``)."""
        if node.startswith(PAPER_NODE):
            return self.paper(node[len(PAPER_NODE):])
        return self.entity(node[len(ENTITY_NODE):])

    def edge(self, edge: Edge) -> str:
        return f"{self.base}edge/{digest(edge.source, edge.type, edge.target)}"

    def evidence(self, edge: Edge, item: Evidence) -> str:
        """Hash of the edge, the paper, the field, the offsets and the rule."""
        key = digest(
            edge.source, edge.type, edge.target, item.paper, item.field,
            str(item.start), str(item.end), item.rule,
        )
        return f"{self.base}evidence/{key}"


def digest(*parts: str) -> str:
    """A short stable hash of the parts: the last segment of edge, evidence and result IRIs."""
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:20]


def _p(term: object) -> str:
    """A predicate or object IRI padded for joining into a line."""
    return f" <{term}> "


_A = _p(RDF.type)
_K = {name: _p(KGO[name]) for name in KGO.__annotations__}
_C = {name: f"<{KGO[name]}>" for name in KGO.__annotations__}
_TITLE, _ABSTRACT, _DATE, _IDENTIFIER = (_p(DCTERMS[n]) for n in ("title", "abstract", "date", "identifier"))
_URL, _ARTICLE = _p(SCHEMA.url), f"<{SCHEMA.ScholarlyArticle}>"
_PREF, _ALT = _p(SKOS.prefLabel), _p(SKOS.altLabel)
_SUBJECT, _PREDICATE, _OBJECT = _p(RDF.subject), _p(RDF.predicate), _p(RDF.object)
_DERIVED = _p(PROV.wasDerivedFrom)
_END = " .\n"


def paper_lines(paper: Paper, iris: IRIs) -> list[str]:
    """The N-Triples lines of one paper."""
    s = f"<{iris.paper(paper.id)}>"
    out = [
        f"{s}{_A}{_C['Paper']}{_END}",
        f"{s}{_A}{_ARTICLE}{_END}",
        f"{s}{_IDENTIFIER}{literal(paper.id)}{_END}",
        f"{s}{_TITLE}{literal(paper.title)}{_END}",
    ]
    add = out.append
    if paper.abstract:
        add(f"{s}{_ABSTRACT}{literal(paper.abstract)}{_END}")
    if paper.date:
        add(f"{s}{_DATE}{date_literal(paper.date)}{_END}")
    for name in paper.authors:
        add(f"{s}{_K['authorName']}{literal(name)}{_END}")
    if paper.author_count is not None:
        add(f"{s}{_K['authorCount']}{integer(paper.author_count)}{_END}")
    if paper.organisation:
        add(f"{s}{_K['organisation']}{literal(paper.organisation)}{_END}")
    if paper.upvotes is not None:
        add(f"{s}{_K['upvotes']}{integer(paper.upvotes)}{_END}")
    for link in paper.links:
        safe = iri_link(link)
        if safe:
            add(f"{s}{_URL}<{safe}>{_END}")
    for category in paper.categories:
        add(f"{s}{_K['category']}{literal(category)}{_END}")
    for source in paper.sources:
        add(f"{s}{_K['source']}{literal(str(source))}{_END}")
    return out


def entity_lines(entity: Entity, iris: IRIs) -> list[str]:
    """The N-Triples lines of one entity: types, key, labels, counts and its family."""
    s = f"<{iris.entity(entity.key)}>"
    out = [
        f"{s}{_A}{_C['Entity']}{_END}",
        f"{s}{_A}{_C[entity.type]}{_END}",
        f"{s}{_K['key']}{literal(entity.key)}{_END}",
        f"{s}{_PREF}{literal(entity.name)}{_END}",
        f"{s}{_K['paperCount']}{integer(entity.paper_count)}{_END}",
        f"{s}{_K['mentionCount']}{integer(entity.mention_count)}{_END}",
    ]
    add = out.append
    for alias in entity.aliases:
        if alias != entity.name:
            add(f"{s}{_ALT}{literal(alias)}{_END}")
    if entity.acronym:
        add(f"{s}{_K['acronym']}{literal(entity.acronym)}{_END}")
        add(f"{s}{_ALT}{literal(entity.acronym)}{_END}")
    if entity.family:
        add(f"{s}{_K['memberOf']}<{iris.entity(entity.family)}>{_END}")
    if entity.better:
        add(f"{s}{_K['higherIsBetter']}{_BOOLEAN[entity.better == 'higher']}{_END}")
    lookup = _K["lookupLabel"]
    for label in sorted(lookup_labels(entity)):
        add(f"{s}{lookup}{literal(label)}{_END}")
    return out


def lookup_labels(entity: Entity) -> set[str]:
    """The entity's names in lower case, as SPARQL's LCASE gives them: saved queries find
    an entity by name through this index instead of scanning every label."""
    names = [entity.name, *entity.aliases]
    if entity.acronym:
        names.append(entity.acronym)
    return {name.lower() for name in names}


EVIDENCE_LEVELS = ("sentences", "none")


def edge_lines(edge: Edge, iris: IRIs, evidence: str = "sentences") -> list[Group]:
    """The direct statement, the edge resource that reifies it, and one resource per
    evidence, grouped by subject; only the direct statement when ``evidence`` is
    ``"none"`` (a lean graph for corpora too large to keep every sentence in RDF)."""
    source, target, predicate = f"<{iris.node(edge.source)}>", f"<{iris.node(edge.target)}>", _C[edge.type]
    direct: Group = (source, [f"{source} {predicate} {target}{_END}"])
    if evidence == "none":
        return [direct]
    e = f"<{iris.edge(edge)}>"
    groups: list[Group] = [
        direct,
        (e, [
            f"{e}{_A}{_C['Edge']}{_END}",
            f"{e}{_SUBJECT}{source}{_END}",
            f"{e}{_PREDICATE}{predicate}{_END}",
            f"{e}{_OBJECT}{target}{_END}",
            f"{e}{_K['weight']}{integer(edge.weight)}{_END}",
            f"{e}{_K['confidence']}{decimal(edge.confidence)}{_END}",
        ]),
    ]
    add = groups[1][1].append
    has, kind, in_paper, field, sentence = (
        _K["hasEvidence"], _C["Evidence"], _K["inPaper"], _K["field"], _K["sentence"])
    start, end, rule, confidence = _K["start"], _K["end"], _K["rule"], _K["confidence"]
    for item in edge.evidence:
        v = f"<{iris.evidence(edge, item)}>"
        paper = f"<{iris.paper(item.paper)}>"
        add(f"{e}{has}{v}{_END}")
        groups.append((v, [
            f"{v}{_A}{kind}{_END}",
            f"{v}{in_paper}{paper}{_END}",
            f"{v}{_DERIVED}{paper}{_END}",
            f"{v}{field}{literal(item.field)}{_END}",
            f"{v}{sentence}{literal(item.sentence)}{_END}",
            f"{v}{start}{integer(item.start)}{_END}",
            f"{v}{end}{integer(item.end)}{_END}",
            f"{v}{rule}{literal(item.rule)}{_END}",
            f"{v}{confidence}{decimal(item.confidence)}{_END}",
        ]))
        if item.dataset:
            groups[-1][1].append(f"{v}{_K['onDataset']}<{iris.entity(item.dataset)}>{_END}")
        if item.metric:
            groups[-1][1].append(f"{v}{_K['measures']}<{iris.entity(item.metric)}>{_END}")
    return groups
