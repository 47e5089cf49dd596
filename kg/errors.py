"""One small exception hierarchy: every failure the user can cause is a KGError.

Messages say what was expected, what was found, and where (``file:line``),
so the command line can print them as one line without a traceback.
"""

from __future__ import annotations


class KGError(Exception):
    """Base of every error kg raises on purpose."""

    exit_code = 1


class InputError(KGError):
    """An input file cannot be used at all (missing, unreadable, nothing parsable)."""


class DataFileError(KGError):
    """A bundled or user-supplied rule, gazetteer or palette file is invalid."""


class UsageError(KGError):
    """Options that contradict each other or name something that does not exist."""

    exit_code = 2


class GraphError(KGError):
    """A graph, store or query cannot be built, read or answered."""


class OutputError(KGError):
    """An output cannot be written (disk full, read-only filesystem, permission denied)."""


class PartitionError(KGError):
    """A partition of a build failed twice; the run must not write a graph that silently lacks it."""


def located(path: object, line: int | None, message: str) -> str:
    """Format ``file:line: message`` (``file: message`` when the line is unknown)."""
    where = f"{path}:{line}" if line else f"{path}"
    return f"{where}: {message}"
