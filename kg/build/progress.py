"""What a run tells as it goes: partitions done on stderr (a bar on a terminal, one line per
partition in logs) and wall-clock seconds per stage."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from kg.build.extract_step import Notify


def progress_printer(enabled: bool) -> Notify | None:
    """The callback ``extract_all`` calls as partitions finish; None when progress is off."""
    if not enabled:
        return None
    if sys.stderr.isatty():
        from tqdm import tqdm

        bars: list[Any] = []

        def on_terminal(name: str, done: int, total: int, result: dict[str, Any]) -> None:
            if not bars:
                bars.append(tqdm(total=total, desc="partitions", unit="part", leave=False, file=sys.stderr))
            bars[0].update(1)
            bars[0].set_postfix_str(name)
            if done == total:
                bars[0].close()

        return on_terminal

    def in_log(name: str, done: int, total: int, result: dict[str, Any]) -> None:
        if total > 1:
            print(f"kg: partition {name} done ({result['count']} papers, {done}/{total})", file=sys.stderr)

    return in_log


class Timer:
    """Wall-clock seconds per stage (a stage entered twice adds up)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = round(self.seconds.get(name, 0.0) + time.perf_counter() - started, 3)
