"""The run report: what a run read, skipped and warned about.

Every stage counts into one ``RunReport`` so the command line can print a
summary and ``kg build`` can write it as JSON. Reports of partitions merge.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, TextIO

from kg.errors import located


@dataclass(slots=True)
class Warning_:
    """One problem with the input that the run stepped over."""

    kind: str
    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return located(self.file, self.line, self.message)


@dataclass
class RunReport:
    """Counters and warnings of one run (or one partition of it)."""

    counts: Counter[str] = field(default_factory=Counter)
    warnings: list[Warning_] = field(default_factory=list)
    echo: TextIO | None = None

    def warn(self, kind: str, file: object, line: int | None, message: str) -> None:
        """Record a warning, count it by kind, and print it at once when echoing."""
        warning = Warning_(kind, str(file), line, message)
        self.warnings.append(warning)
        self.counts[f"warnings.{kind}"] += 1
        if self.echo is not None:
            print(f"kg: warning: {warning}", file=self.echo)

    def count(self, name: str, n: int = 1) -> None:
        self.counts[name] += n

    @property
    def warning_count(self) -> int:
        return len(self.warnings)

    def merge(self, other: RunReport) -> None:
        self.counts.update(other.counts)
        self.warnings.extend(other.warnings)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunReport:
        """A report as ``to_dict`` wrote it (``echo`` off: its warnings were printed then)."""
        return cls(
            Counter(data.get("counts", {})),
            [Warning_(w["kind"], w["file"], w["line"], w["message"]) for w in data.get("warnings", [])],
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "counts": dict(sorted(self.counts.items())),
            "warnings": [
                {"kind": w.kind, "file": w.file, "line": w.line, "message": w.message}
                for w in self.warnings
            ],
        }


def stderr_report() -> RunReport:
    """A report that prints each warning to stderr as it happens."""
    return RunReport(echo=sys.stderr)
