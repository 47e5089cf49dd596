"""SHACL validation of a kg graph against the bundled shapes and ontology."""

from __future__ import annotations

from dataclasses import dataclass

import rdflib
from rdflib.namespace import SH

from kg.rdf.namespace import DEFAULT_BASE_IRI, prefixes
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


def validate(graph: rdflib.Graph, base_iri: str = DEFAULT_BASE_IRI) -> tuple[bool, list[Violation]]:
    """(conforms, violations sorted by focus node and path) for an rdflib graph."""
    from pyshacl import validate as shacl

    conforms, results, _ = shacl(
        graph,
        shacl_graph=_schema(SHAPES),
        ont_graph=_schema(ONTOLOGY),
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
    )
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
    return bool(conforms), violations
