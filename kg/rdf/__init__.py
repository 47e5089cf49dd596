"""RDF: triples generated from records, one writer module per serialisation, loading and
querying. N-Triples and Turtle are written through Oxigraph for speed; ``load``
returns an rdflib ``Graph`` for users who want rdflib's API.

Every serialisation is a module with ``RDFLIB_FORMAT`` and ``OXIGRAPH_FORMAT``
(what reads it) and ``write_file(source, path, base_iri=...)``, which writes kg's
own sorted N-Triples file ``source`` in that format; ``RDF_FORMATS`` finds them by
name and by file name ending.
"""

from __future__ import annotations

from kg.registry import Plugin, Registry

RDF_FORMATS = Registry(
    "RDF format",
    [
        Plugin("ttl", "kg.rdf.turtle", "write_file", (".ttl", ".turtle")),
        Plugin("nt", "kg.rdf.ntriples", "write_file", (".nt", ".ntriples")),
        Plugin("jsonld", "kg.rdf.jsonld", "write_file", (".jsonld", ".json")),
    ],
    aliases={"turtle": "ttl", "ntriples": "nt", "n-triples": "nt", "json-ld": "jsonld"},
)
