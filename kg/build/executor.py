"""Run one function over many partitions: in-process, in N local processes, or on Dask.

The function receives a partition (plain data) and returns plain records, never
spaCy Docs: only what is needed crosses process or machine boundaries. Results
are yielded as partitions finish, each tagged with the partition's name, so the
caller can write it to disk at once and hold nothing else. A partition that
fails is retried once; a second failure raises ``PartitionError`` naming it.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from kg.errors import KGError, PartitionError, UsageError

LOOPBACK = "127.0.0.1"


@dataclass(frozen=True, slots=True)
class Executor:
    """Where partitions run: ``workers`` local processes, or a Dask scheduler.

    ``scheduler`` is ``None`` (local processes), ``"local"`` (a Dask
    LocalCluster on 127.0.0.1 with ``workers`` single-threaded workers) or the
    address of a running scheduler (``tcp://host:8786``).
    """

    workers: int = 1
    scheduler: str | None = None

    def __post_init__(self) -> None:
        if self.workers < 1:
            raise UsageError(f"--workers must be at least 1, found {self.workers}")
        if self.scheduler not in (None, "local") and "://" not in self.scheduler:
            raise UsageError(
                f"--scheduler must be 'local' or an address like tcp://host:8786, found {self.scheduler!r}"
            )

    @property
    def shares_files(self) -> bool:
        """Whether workers see this machine's files (local processes or a LocalCluster);
        workers of a remote cluster may not."""
        return self.scheduler in (None, "local")

    @property
    def parallel(self) -> bool:
        """Whether partitions run beside this process (more than one core in use)."""
        return self.workers > 1 or self.scheduler is not None

    def map(self, function: Callable[[Any], Any], partitions: Iterable[Any]) -> Iterator[tuple[str, Any]]:
        """Yield ``(partition name, result)`` as partitions finish (in any order)."""
        if self.scheduler is not None:
            yield from _map_dask(function, partitions, self)
        elif self.workers == 1:
            for partition in partitions:
                yield partition.name, _run_with_retry(function, partition)
        else:
            yield from _map_processes(function, partitions, self.workers)


def _run_with_retry(function: Callable[[Any], Any], partition: Any) -> Any:
    try:
        return function(partition)
    except KGError:
        raise
    except Exception:  # noqa: BLE001 - any failure of user data or a worker gets one retry
        try:
            return function(partition)
        except Exception as err:  # noqa: BLE001
            raise PartitionError(f"partition {partition.name} failed twice: {err!r}") from err


def _drive(
    function: Callable[[Any], Any],
    partitions: Iterable[Any],
    submit: Callable[[Callable[[Any], Any], Any], Any],
    wait_first: Callable[[list[Any]], Iterable[Any]],
    window: int,
) -> Iterator[tuple[str, Any]]:
    """Keep at most ``window`` partitions in flight (reading the input never runs far
    ahead), retry a failed partition once, and yield results as they finish."""
    pending: dict[Any, Any] = {}
    retried: set[str] = set()
    iterator = iter(partitions)

    def fill() -> None:
        while len(pending) < window:
            partition = next(iterator, None)
            if partition is None:
                return
            pending[submit(function, partition)] = partition

    fill()
    while pending:
        for future in sorted(wait_first(list(pending)), key=lambda f: pending[f].name):
            partition = pending.pop(future)
            try:
                result = future.result()
            except KGError:
                raise
            except Exception as err:  # noqa: BLE001 - a worker or data failure gets one retry
                if partition.name in retried:
                    raise PartitionError(f"partition {partition.name} failed twice: {err!r}") from err
                retried.add(partition.name)
                pending[submit(function, partition)] = partition
                continue
            yield partition.name, result
        fill()


def _exit_with_parent(parent: int) -> None:
    """Run in each worker process: end it when the process that started it is gone (a
    killed ``kg build`` must not leave workers behind; they would wait for work forever)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="kg-parent-watch", daemon=True).start()


def _map_processes(
    function: Callable[[Any], Any], partitions: Iterable[Any], workers: int
) -> Iterator[tuple[str, Any]]:
    context = multiprocessing.get_context("spawn")
    with cf.ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_exit_with_parent,
                                initargs=(os.getpid(),)) as pool:
        yield from _drive(
            function,
            partitions,
            pool.submit,
            lambda futures: cf.wait(futures, return_when=cf.FIRST_COMPLETED)[0],
            2 * workers,
        )


def _map_dask(
    function: Callable[[Any], Any], partitions: Iterable[Any], executor: Executor
) -> Iterator[tuple[str, Any]]:
    from distributed import Client, LocalCluster, wait

    cluster = None
    if executor.scheduler == "local":
        cluster = LocalCluster(
            n_workers=executor.workers,
            threads_per_worker=1,
            processes=True,
            host=LOOPBACK,
            dashboard_address=f"{LOOPBACK}:0",  # HTTP endpoints on loopback, any free port
            worker_dashboard_address=f"{LOOPBACK}:0",
        )
        client = Client(cluster)
    else:
        client = Client(executor.scheduler)
    try:
        threads = sum(client.nthreads().values()) or executor.workers
        yield from _drive(
            function,
            partitions,
            lambda fn, partition: client.submit(fn, partition, pure=False),
            lambda futures: wait(futures, return_when="FIRST_COMPLETED").done,
            2 * threads,
        )
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
