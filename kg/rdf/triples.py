"""RDF triples from records, streamed as N-Triples terms.

Papers, entities and edges become triples one record at a time, each term
already in canonical N-Triples syntax, so a writer only joins strings and a
corpus can be written shard by shard. IRIs are built from stable ids; edge and
evidence IRIs are hashes of what identifies them, so they never change
between runs.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from urllib.parse import quote

from kg.graph.edges import ENTITY_NODE, PAPER_NODE
from kg.records import Edge, Entity, Evidence, Paper
from kg.rdf.namespace import (
    DCTERMS,
    DEFAULT_BASE_IRI,
    KGO,
    PROV,
    RDF,
    SCHEMA,
    SKOS,
    XSD,
    segment,
)

Triple = tuple[str, str, str]

_ESCAPES = {
    "\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f",
}
_ESCAPES.update({chr(c): f"\\u{c:04X}" for c in [*range(0, 8), 0x0B, *range(0x0E, 0x20), 0x7F]})
_NEEDS_ESCAPE = re.compile("[" + re.escape("".join(_ESCAPES)) + "]")
_IRI_UNSAFE = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def iri(value: str) -> str:
    return f"<{value}>"


def literal(value: str, datatype: str | None = None) -> str:
    """A canonical N-Triples literal (``xsd:string`` is left implicit)."""
    if _NEEDS_ESCAPE.search(value):
        value = _NEEDS_ESCAPE.sub(lambda m: _ESCAPES[m.group()], value)
    if datatype is None:
        return f'"{value}"'
    return f'"{value}"^^<{datatype}>'


def integer(value: int) -> str:
    return f'"{int(value)}"^^<{XSD.integer}>'


def decimal(value: float) -> str:
    """A confidence as ``xsd:decimal`` in fixed notation, so output never depends on float repr."""
    text = f"{value:.6f}".rstrip("0")
    return f'"{text}0"^^<{XSD.decimal}>' if text.endswith(".") else f'"{text}"^^<{XSD.decimal}>'


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


def safe_link(url: str) -> str | None:
    """An http(s) link as an IRI, with characters IRIs forbid percent-encoded; None otherwise."""
    url = url.strip()
    if not url.lower().startswith(("http://", "https://")):
        return None
    return _IRI_UNSAFE.sub(lambda m: quote(m.group(), safe=""), url)


class IRIs:
    """Instance IRIs under one base IRI."""

    def __init__(self, base_iri: str = DEFAULT_BASE_IRI) -> None:
        self.base = base_iri

    def paper(self, paper_id: str) -> str:
        return f"{self.base}paper/{segment(paper_id)}"

    def entity(self, key: str) -> str:
        return f"{self.base}entity/{segment(key)}"

    def node(self, node: str) -> str:
        """The IRI of a graph node id (``paper:<id>`` or ``entity:<key>``)."""
        if node.startswith(PAPER_NODE):
            return self.paper(node[len(PAPER_NODE):])
        return self.entity(node[len(ENTITY_NODE):])

    def edge(self, edge: Edge) -> str:
        return f"{self.base}edge/{_digest(edge.source, edge.type, edge.target)}"

    def evidence(self, edge: Edge, item: Evidence) -> str:
        """Hash of the edge, the paper, the field, the offsets and the rule."""
        digest = _digest(
            edge.source, edge.type, edge.target, item.paper, item.field,
            str(item.start), str(item.end), item.rule,
        )
        return f"{self.base}evidence/{digest}"


def _digest(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:20]


_A = iri(str(RDF.type))
_P = {name: iri(str(KGO[name])) for name in KGO.__annotations__}
_T = {
    "title": iri(str(DCTERMS.title)),
    "abstract": iri(str(DCTERMS.abstract)),
    "date": iri(str(DCTERMS.date)),
    "identifier": iri(str(DCTERMS.identifier)),
    "url": iri(str(SCHEMA.url)),
    "article": iri(str(SCHEMA.ScholarlyArticle)),
    "prefLabel": iri(str(SKOS.prefLabel)),
    "altLabel": iri(str(SKOS.altLabel)),
    "subject": iri(str(RDF.subject)),
    "predicate": iri(str(RDF.predicate)),
    "object": iri(str(RDF.object)),
    "derived": iri(str(PROV.wasDerivedFrom)),
}


def paper_triples(paper: Paper, iris: IRIs) -> Iterator[Triple]:
    s = iri(iris.paper(paper.id))
    yield s, _A, _P["Paper"]
    yield s, _A, _T["article"]
    yield s, _T["identifier"], literal(paper.id)
    yield s, _T["title"], literal(paper.title)
    if paper.abstract:
        yield s, _T["abstract"], literal(paper.abstract)
    if paper.date:
        yield s, _T["date"], date_literal(paper.date)
    for name in paper.authors:
        yield s, _P["authorName"], literal(name)
    if paper.author_count is not None:
        yield s, _P["authorCount"], integer(paper.author_count)
    if paper.organisation:
        yield s, _P["organisation"], literal(paper.organisation)
    if paper.upvotes is not None:
        yield s, _P["upvotes"], integer(paper.upvotes)
    for link in paper.links:
        safe = safe_link(link)
        if safe:
            yield s, _T["url"], iri(safe)
    for category in paper.categories:
        yield s, _P["category"], literal(category)
    for source in paper.sources:
        yield s, _P["source"], literal(str(source))


def entity_triples(entity: Entity, iris: IRIs) -> Iterator[Triple]:
    s = iri(iris.entity(entity.key))
    yield s, _A, _P["Entity"]
    yield s, _A, _P[entity.type]
    yield s, _P["key"], literal(entity.key)
    yield s, _T["prefLabel"], literal(entity.name)
    for alias in entity.aliases:
        if alias != entity.name:
            yield s, _T["altLabel"], literal(alias)
    if entity.acronym:
        yield s, _P["acronym"], literal(entity.acronym)
        yield s, _T["altLabel"], literal(entity.acronym)
    yield s, _P["paperCount"], integer(entity.paper_count)
    yield s, _P["mentionCount"], integer(entity.mention_count)


def edge_triples(edge: Edge, iris: IRIs) -> Iterator[Triple]:
    """The direct statement, the edge resource that reifies it, and one resource per evidence."""
    source, target, predicate = iri(iris.node(edge.source)), iri(iris.node(edge.target)), _P[edge.type]
    yield source, predicate, target
    e = iri(iris.edge(edge))
    yield e, _A, _P["Edge"]
    yield e, _T["subject"], source
    yield e, _T["predicate"], predicate
    yield e, _T["object"], target
    yield e, _P["weight"], integer(edge.weight)
    yield e, _P["confidence"], decimal(edge.confidence)
    for item in edge.evidence:
        v = iri(iris.evidence(edge, item))
        yield e, _P["hasEvidence"], v
        yield v, _A, _P["Evidence"]
        yield v, _P["inPaper"], iri(iris.paper(item.paper))
        yield v, _T["derived"], iri(iris.paper(item.paper))
        yield v, _P["field"], literal(item.field)
        yield v, _P["sentence"], literal(item.sentence)
        yield v, _P["start"], integer(item.start)
        yield v, _P["end"], integer(item.end)
        yield v, _P["rule"], literal(item.rule)
        yield v, _P["confidence"], decimal(item.confidence)


def triples(
    papers: Iterable[Paper],
    entities: Iterable[Entity],
    edges: Iterable[Edge],
    base_iri: str = DEFAULT_BASE_IRI,
) -> Iterator[Triple]:
    """Every triple of the graph, streamed record by record (unsorted; writers sort)."""
    iris = IRIs(base_iri)
    for paper in papers:
        yield from paper_triples(paper, iris)
    for entity in entities:
        yield from entity_triples(entity, iris)
    for edge in edges:
        yield from edge_triples(edge, iris)
