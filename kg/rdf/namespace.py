"""The kg ontology as a closed namespace, plus the standard vocabularies it aligns to.

``KGO`` raises on a misspelt term, and a test checks that its terms and the
classes and properties declared in ``schemas/kg.ttl`` agree one for one.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef

from kg.errors import UsageError
from kg.ids import DEFAULT_BASE_IRI

ONTOLOGY_IRI = "https://w3id.org/kg/ontology"


class KGO(DefinedNamespace):
    """Classes and properties of the kg ontology (``schemas/kg.ttl``)."""

    _NS = Namespace(ONTOLOGY_IRI + "#")
    _fail = True

    # classes
    Paper: URIRef
    Entity: URIRef
    Method: URIRef
    Dataset: URIRef
    Architecture: URIRef
    Metric: URIRef
    Task: URIRef
    Edge: URIRef
    Evidence: URIRef
    # paper -> entity
    mentions: URIRef
    proposes: URIRef
    uses: URIRef
    evaluatedOn: URIRef
    reportsMetric: URIRef
    addresses: URIRef
    # entity -> entity
    isA: URIRef
    basedOn: URIRef
    variantOf: URIRef
    outperforms: URIRef
    memberOf: URIRef
    # edges and evidence
    hasEvidence: URIRef
    weight: URIRef
    confidence: URIRef
    inPaper: URIRef
    field: URIRef
    sentence: URIRef
    start: URIRef
    end: URIRef
    rule: URIRef
    # papers
    authorName: URIRef
    authorCount: URIRef
    organisation: URIRef
    upvotes: URIRef
    category: URIRef
    source: URIRef
    # entities
    key: URIRef
    acronym: URIRef
    lookupLabel: URIRef
    paperCount: URIRef
    mentionCount: URIRef
    # counts materialised at build time
    EdgeCount: URIRef
    Cooccurrence: URIRef
    MethodOnDataset: URIRef
    MonthCount: URIRef
    countedEntity: URIRef
    edgeType: URIRef
    dataset: URIRef
    metric: URIRef
    method: URIRef
    month: URIRef
    cooccurrenceRank: URIRef
    usageRank: URIRef
    # results
    Result: URIRef
    reportedIn: URIRef
    value: URIRef
    upperValue: URIRef
    valueText: URIRef
    unit: URIRef
    resultKind: URIRef
    measures: URIRef
    onDataset: URIRef
    forTask: URIRef
    achievedBy: URIRef
    comparedWith: URIRef
    baselineValue: URIRef
    higherIsBetter: URIRef
    leaderboardRank: URIRef
    bestOfYear: URIRef
    rankedResult: URIRef
    valueStart: URIRef
    valueEnd: URIRef
    metricStart: URIRef
    metricEnd: URIRef
    datasetStart: URIRef
    datasetEnd: URIRef
    taskStart: URIRef
    taskEnd: URIRef
    methodStart: URIRef
    methodEnd: URIRef
    baselineStart: URIRef
    baselineEnd: URIRef


SCHEMA = Namespace("https://schema.org/")
DCTERMS = Namespace("http://purl.org/dc/terms/")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
PROV = Namespace("http://www.w3.org/ns/prov#")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
SOSA = Namespace("http://www.w3.org/ns/sosa/")


def prefixes(base_iri: str = DEFAULT_BASE_IRI) -> dict[str, str]:
    """Prefixes for Turtle and JSON-LD output and for SPARQL queries."""
    return {
        "kgo": str(KGO._NS),
        "paper": base_iri + "paper/",
        "entity": base_iri + "entity/",
        "edge": base_iri + "edge/",
        "evidence": base_iri + "evidence/",
        "result": base_iri + "result/",
        "schema": str(SCHEMA),
        "dcterms": str(DCTERMS),
        "skos": str(SKOS),
        "prov": str(PROV),
        "rdf": str(RDF),
        "rdfs": str(RDFS),
        "xsd": str(XSD),
        "sosa": str(SOSA),
    }


_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def check_base_iri(base_iri: str) -> str:
    """An absolute http(s) IRI ending in ``/`` or ``#`` that needs no escaping, else UsageError."""
    parts = urlsplit(base_iri)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"--base-iri: expected an absolute http(s) IRI, found {base_iri!r}")
    if not base_iri.endswith(("/", "#")):
        raise UsageError(f"--base-iri: expected the IRI to end with '/' or '#', found {base_iri!r}")
    if _IRI_FORBIDDEN.search(base_iri):
        raise UsageError(f"--base-iri: {base_iri!r} contains a character not allowed in an IRI")
    return base_iri


def segment(value: str) -> str:
    """Percent-encode ``value`` as one IRI path segment (``:`` kept, ``/`` and ``%`` escaped)."""
    return quote(value, safe=":-._~")
