"""SHACL validation of a kg graph against the bundled shapes and ontology."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import rdflib
from rdflib.namespace import RDF, SH

from kg.rdf.namespace import DEFAULT_BASE_IRI, prefixes
from kg.rdf.statistics import COUNT_FOLDERS
from kg.resources import schema_path

SHAPES = "shapes.ttl"
ONTOLOGY = "kg.ttl"


@dataclass(frozen=True, slots=True)
class Violation:
    """One SHACL result, in words: the node, the property path, what is wrong."""

    focus: str
    path: str
    message: str
    severity: str
    value: str

    def __str__(self) -> str:
        where = f"{self.focus} {self.path}".strip()
        value = f" (value: {self.value})" if self.value else ""
        return f"{self.severity}: {where}: {self.message}{value}"


def _schema(name: str) -> rdflib.Graph:
    return rdflib.Graph().parse(schema_path(name), format="turtle")


# The shapes real data can break: their nodes pair entities by the type the whole corpus
# voted for, so one paper's reading can disagree with it. Every other shape holds by
# construction (ids, labels and evidence are written by kg from checked records).
SHAPES_IRI = "https://w3id.org/kg/shapes#"
FAST_SHAPES = ("EdgeCountShape", "CooccurrenceShape", "MethodOnDatasetShape", "MonthCountShape")


def validate(graph: rdflib.Graph, base_iri: str = DEFAULT_BASE_IRI,
             shapes: rdflib.Graph | None = None) -> tuple[bool, list[Violation]]:
    """(conforms, violations sorted by focus node and path) for an rdflib graph, against
    every bundled shape or only ``shapes``."""
    from pyshacl import validate as shacl

    conforms, results, _ = shacl(
        graph,
        shacl_graph=shapes if shapes is not None else _schema(SHAPES),
        ont_graph=_schema(ONTOLOGY),
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
    )
    return bool(conforms), _violations(results, base_iri)


def fast_shapes() -> rdflib.Graph:
    """The ``FAST_SHAPES`` of the bundled shapes, each with the blank nodes it is made of."""
    shapes, kgsh = _schema(SHAPES), rdflib.Namespace(SHAPES_IRI)
    selected = rdflib.Graph()
    for name in FAST_SHAPES:
        selected += shapes.cbd(kgsh[name])
    return selected


def fast_check(lines: Iterable[str], base_iri: str = DEFAULT_BASE_IRI) -> tuple[bool, list[Violation]]:
    """``validate`` with the ``FAST_SHAPES`` on N-Triples ``lines``: only the count nodes and
    the entity types they refer to are read, so the check costs seconds at any corpus size."""
    counted = tuple(f"<{base_iri}{folder}/" for folder in COUNT_FOLDERS)
    entity, typed = f"<{prefixes(base_iri)['entity']}", f"> <{RDF.type}> "
    wanted = [line for line in lines
              if line.startswith(counted) or (line.startswith(entity) and typed in line)]
    graph = rdflib.Graph().parse(data="".join(wanted), format="nt")
    return validate(graph, base_iri, fast_shapes())


def _violations(results: rdflib.Graph, base_iri: str) -> list[Violation]:
    names = sorted({**prefixes(base_iri), "sh": str(SH)}.items(), key=lambda item: -len(item[1]))

    def text(node: object) -> str:
        if node is None:
            return ""
        if isinstance(node, rdflib.URIRef):
            for prefix, namespace in names:
                if node.startswith(namespace) and len(node) > len(namespace):
                    return f"{prefix}:{node[len(namespace):]}"
            return f"<{node}>"
        if isinstance(node, rdflib.Literal):
            return repr(str(node)) if len(str(node)) < 80 else repr(str(node)[:77] + "...")
        return str(node)

    violations = []
    for result in results.subjects(rdflib.RDF.type, SH.ValidationResult):
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        severity = results.value(result, SH.resultSeverity)
        violations.append(Violation(
            focus=text(results.value(result, SH.focusNode)),
            path=text(results.value(result, SH.resultPath)),
            message="; ".join(messages) or text(results.value(result, SH.sourceConstraintComponent)),
            severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
            value=text(results.value(result, SH.value)),
        ))
    violations.sort(key=lambda v: (v.focus, v.path, v.message))
    return violations
