"""``kg build``: the corpus to the graph in every format, partition by partition.

One module per step: ``options`` (what a build produces and how it runs, output
names), ``spill`` (inputs into partitions), ``manifest`` (the work folder's
record, resume), ``executor`` (local processes or Dask), ``shards`` (the files
of a partition's work), ``extract_step``, ``triples_step``, ``store`` (load and
update), ``outputs`` (RDF files, records, exports, report), ``progress``, and
``run``, which ties them together (``run_build``, ``update_build``).
"""

from __future__ import annotations

from kg.build.executor import Executor
from kg.build.options import BuildOptions, BuildResult, RunSettings
from kg.build.run import run_build, update_build

__all__ = ["BuildOptions", "BuildResult", "Executor", "RunSettings", "run_build", "update_build"]
