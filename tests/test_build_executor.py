"""The same partition function in-process, in local processes, and on a Dask LocalCluster."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from kg.build.executor import Executor
from kg.errors import PartitionError, UsageError


@dataclass(frozen=True)
class Part:
    name: str
    values: tuple[int, ...]


def square_sum(part: Part) -> int:
    return sum(v * v for v in part.values)


def always_fails(part: Part) -> int:
    raise ValueError(f"bad data in {part.name}")


PARTS = [Part(f"part-{i:03d}", tuple(range(i, i + 5))) for i in range(7)]
EXPECTED = {p.name: square_sum(p) for p in PARTS}


@pytest.mark.parametrize("executor", [Executor(1), Executor(2)], ids=["inline", "processes"])
def test_build_executor_results_do_not_depend_on_the_executor(executor: Executor) -> None:
    assert dict(executor.map(square_sum, PARTS)) == EXPECTED


@pytest.mark.slow
def test_build_executor_dask_local_cluster_on_loopback() -> None:
    assert dict(Executor(2, "local").map(square_sum, PARTS)) == EXPECTED


@pytest.mark.parametrize("executor", [Executor(1), Executor(2)], ids=["inline", "processes"])
def test_build_executor_failing_partition_is_retried_then_named(executor: Executor) -> None:
    with pytest.raises(PartitionError, match=r"partition part-000 failed twice: ValueError\('bad data in part-000'\)"):
        list(executor.map(always_fails, PARTS[:1]))


@pytest.mark.parametrize(
    "workers,scheduler,needle",
    [(0, None, "at least 1"), (1, "somehost:8786", "tcp://host:8786")],
)
def test_build_executor_bad_options(workers: int, scheduler: str | None, needle: str) -> None:
    with pytest.raises(UsageError, match=needle):
        Executor(workers, scheduler)


@dataclass(frozen=True)
class FlakyPart:
    name: str
    marker: str


def fails_once(part: FlakyPart) -> str:
    from pathlib import Path

    marker = Path(part.marker)
    if not marker.exists():
        marker.write_text("failed once")
        raise OSError("worker lost")
    return "recovered"


@pytest.mark.parametrize("executor", [Executor(1), Executor(2)], ids=["inline", "processes"])
def test_build_executor_partition_failing_once_is_retried(executor: Executor, tmp_path) -> None:
    part = FlakyPart("part-007", str(tmp_path / "marker"))
    assert list(executor.map(fails_once, [part])) == [("part-007", "recovered")]
