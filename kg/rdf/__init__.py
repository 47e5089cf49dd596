"""RDF: triples generated from records, one writer module per serialisation, loading and
querying. N-Triples and Turtle are written through Oxigraph for speed; ``load``
returns an rdflib ``Graph`` for users who want rdflib's API."""

from __future__ import annotations
