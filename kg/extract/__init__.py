"""Extract: typed mentions of methods, datasets, architectures, metrics and tasks.

``build_nlp`` and ``extract_papers`` need spaCy and are imported lazily, so
``kg.extract.canon`` (the build's reduce step) never imports spaCy.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

    from kg.records import Extraction, Paper

__all__ = ["BATCH_SIZE", "build_nlp", "extract_papers"]

BATCH_SIZE = 64  # papers the extractor takes through each stage together


def build_nlp(model: str | None = None) -> Language:
    """``spacy.blank("en")`` with the tuned tokenizer and kg's registered components;
    with ``model``, that installed statistical pipeline plus the same components."""
    from kg.extract.pipeline import build_nlp as _build

    return _build(model)


def extract_papers(
    papers: Iterable[Paper], nlp: Language | None = None, batch_size: int = BATCH_SIZE
) -> Iterator[Extraction]:
    """One ``Extraction`` per paper (mentions, acronyms, sentences; relations empty)."""
    from kg.extract.pipeline import extract_papers as _extract

    return _extract(papers, nlp, batch_size)
