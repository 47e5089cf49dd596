"""Query results as an aligned table, CSV, TSV or SPARQL JSON.

CSV, TSV and JSON are the W3C SPARQL results formats, written by Oxigraph;
the table is for people: IRIs shortened with kg's prefixes, literals shown by
their text, long cells cut to a width.
"""

from __future__ import annotations

import pyoxigraph as ox

from kg.errors import UsageError
from kg.rdf.namespace import DEFAULT_BASE_IRI, prefixes

RESULT_FORMATS = ("table", "csv", "tsv", "json")
_STANDARD = {
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "json": ox.QueryResultsFormat.JSON,
}

Result = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


def shorten(term: object, names: list[tuple[str, str]]) -> str:
    """A term as a person reads it: ``entity:imagenet``, ``ImageNet``, ``42``."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, namespace in names:
            if term.value.startswith(namespace) and len(term.value) > len(namespace):
                return f"{prefix}:{term.value[len(namespace):]}"
        return f"<{term.value}>"
    if isinstance(term, ox.Literal):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term)


def _cell(text: str, width: int) -> str:
    text = " ".join(text.split())
    if width and len(text) > width:
        return text[: max(width - 1, 1)] + "…"
    return text


def table(
    result: ox.QuerySolutions, *, width: int = 80, base_iri: str = DEFAULT_BASE_IRI
) -> tuple[str, int]:
    """(aligned text table, row count); ``width`` caps each cell (0: no cap)."""
    names = sorted(prefixes(base_iri).items(), key=lambda item: -len(item[1]))
    columns = [variable.value for variable in result.variables]
    rows = [[_cell(shorten(solution[c], names), width) for c in columns] for solution in result]
    widths = [max([len(c), *(len(row[i]) for row in rows)]) for i, c in enumerate(columns)]

    def line(cells: list[str]) -> str:
        return "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(cells)).rstrip()

    out = [line(columns), line(["-" * w for w in widths])]
    out.extend(line(row) for row in rows)
    return "\n".join(out) + "\n", len(rows)


def render(
    result: Result, fmt: str = "table", *, width: int = 80, base_iri: str = DEFAULT_BASE_IRI
) -> tuple[bytes, str | None]:
    """(output bytes, what it holds: "12 row(s)", "8 triple(s)", None when not counted)."""
    if fmt not in RESULT_FORMATS:
        raise UsageError(f"unknown result format {fmt!r}; expected one of: {', '.join(RESULT_FORMATS)}")
    if isinstance(result, ox.QuerySolutions):
        if fmt == "table":
            text, count = table(result, width=width, base_iri=base_iri)
            return text.encode("utf-8"), f"{count} row(s)"
        return result.serialize(format=_STANDARD[fmt]) or b"", None
    if isinstance(result, ox.QueryBoolean):
        if fmt == "table":
            return (b"true\n" if bool(result) else b"false\n"), None
        return result.serialize(format=_STANDARD[fmt]) or b"", None
    triples = list(result)
    rdf = ox.RdfFormat.TURTLE if fmt == "table" else (
        ox.RdfFormat.JSON_LD if fmt == "json" else ox.RdfFormat.N_TRIPLES
    )
    data = ox.serialize(triples, format=rdf, prefixes=prefixes(base_iri) if fmt == "table" else None)
    return data or b"", f"{len(triples)} triple(s)"
