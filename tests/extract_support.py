"""Shared helpers of the extraction rule tests: what the pipeline finds in a text."""

from __future__ import annotations

from kg.extract import extract_papers
from kg.records import Paper


def found(nlp, abstract: str, title: str = "") -> list[tuple[str, str, str]]:
    (ex,) = extract_papers([Paper(id="p", title=title, abstract=abstract)], nlp)
    for m in ex.mentions:
        text = title if m.field == "title" else abstract
        assert text[m.start:m.end] == m.text  # offsets index exactly into the field
    return [(m.text, m.type, m.rule) for m in ex.mentions]


def has(nlp, abstract, text, type_, rule_prefix="", title=""):
    return any(t == text and ty == type_ and r.startswith(rule_prefix)
               for t, ty, r in found(nlp, abstract, title))
