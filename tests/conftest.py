"""Fixtures shared across test modules."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def nlp():
    """kg's default spaCy pipeline, built once per session (a module may define its own)."""
    from kg.extract import build_nlp

    return build_nlp()
