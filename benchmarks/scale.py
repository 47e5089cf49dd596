"""Scale benchmark: build N synthetic abstracts end to end and query the result.

For each size it builds with ``kg build`` (a subprocess, as a user runs it)
and prints wall time, abstracts/s per core, peak RSS of the whole process
tree, store size, and the median latency of every saved query, directly on
the store and over ``kg serve``.

    python benchmarks/scale.py --sizes 10000,100000 --workers 1,2
    python benchmarks/scale.py --sizes 1000000 --workers 2 --evidence none
    python benchmarks/scale.py --quick --folder /tmp/scale   # 300 abstracts, one worker

Targets (2 cores): 1M abstracts in under 30 minutes with peak RSS under
2 GiB; --workers 2 at least 1.7x one process at 100k; every saved query
under 100 ms median on the 1M graph.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import write_corpus  # noqa: E402

from kg.rdf.queries import bindings, run, saved_queries  # noqa: E402

KG = [sys.executable, "-m", "kg"]
REPEATS = 7
PARAMS = {"text": "net", "entity": "Transformer", "dataset": "ImageNet"}  # for queries with no default


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants, read from /proc."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
                        break
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    stack.extend(int(c) for c in children.read().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def run_measured(command: list[str]) -> tuple[float, int]:
    """Wall seconds and peak tree RSS of a command."""
    peak = [0]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], tree_rss(process.pid))
            done.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    done.set()
    sampler.join()
    elapsed = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"build failed ({process.returncode}):\n{stderr[-2000:]}")
    return elapsed, peak[0]


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def inline_params(text: str, values: dict[str, str]) -> str:
    """For HTTP (no substitution in the protocol): bind parameters with VALUES at the top
    of the group that uses them (a subquery does not see bindings from outside)."""
    if not values:
        return text
    rows = " ".join(f"VALUES ?{name} {{ {json.dumps(value)} }}" for name, value in values.items())
    body = text.find("WHERE {")
    uses = [text.find(f"?{name}", body) for name in values]
    first_use = min((at for at in uses if at >= 0), default=-1)
    while True:
        at = text.find("\n", first_use)
        line = text[text.rfind("\n", 0, first_use) + 1 : at]
        if not line.strip().startswith("SELECT"):
            break
        first_use = min((x for x in (text.find(f"?{n}", at) for n in values) if x >= 0), default=-1)
    where = text.rfind("WHERE {", 0, first_use)
    if where < 0:
        return text
    cut = where + len("WHERE {")
    return text[:cut] + " " + rows + text[cut:]


def params(query) -> dict[str, str]:
    """The query's declared defaults, and a value from PARAMS for a parameter without one."""
    given = {p.name: PARAMS[p.name] for p in query.parameters if p.default is None and p.name in PARAMS}
    return bindings(query, given)


def median_ms(action, repeats: int = REPEATS) -> float:
    action()  # warm-up
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def query_latencies(store_path: Path, repeats: int = REPEATS) -> dict[str, tuple[float, float]]:
    import pyoxigraph as ox

    queries = saved_queries()
    def direct_latencies() -> dict[str, float]:
        """On the store opened read-only in this process (closed on return, before serving)."""
        store = ox.Store.read_only(str(store_path))
        return {name: median_ms(lambda q=q: list(run(store, q.text, params(q))), repeats)
                for name, q in queries.items()}

    direct = direct_latencies()
    server = subprocess.Popen([*KG, "serve", str(store_path), "--port", "0"], stderr=subprocess.PIPE, text=True)
    try:
        started = server.stderr.readline()
        found = re.search(r"http://127\.0\.0\.1:(\d+)/query", started)
        if found is None:
            raise SystemExit(f"kg serve did not start: {started}{server.stderr.read()}")
        port = int(found.group(1))
        from kg.rdf.namespace import prefixes

        declared = "".join(f"PREFIX {k}: <{v}>\n" for k, v in prefixes().items())

        def over_http(q) -> None:
            body = urllib.parse.urlencode({"query": declared + inline_params(q.text, params(q))}).encode()
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/query", data=body,
                headers={"Accept": "application/sparql-results+json",
                         "Content-Type": "application/x-www-form-urlencoded"},
            )
            with urllib.request.urlopen(request, timeout=120) as response:
                response.read()

        served = {name: median_ms(lambda q=q: over_http(q), repeats) for name, q in queries.items()}
    finally:
        server.terminate()
        server.wait(timeout=10)
    return {name: (direct[name], served[name]) for name in queries}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000", help="comma-separated corpus sizes (default 10000)")
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts (default 1,2)")
    parser.add_argument("--folder", type=Path, default=Path("benchmarks/out/scale"))
    parser.add_argument("--keep", action="store_true", help="keep the built folders")
    parser.add_argument("--evidence", choices=("sentences", "none"), default="sentences",
                        help="kg build --evidence (default sentences; none for the lean graph)")
    parser.add_argument("--quick", action="store_true",
                        help="300 abstracts, one worker, one timing per query: the smallest check")
    args = parser.parse_args(argv)
    repeats = REPEATS
    if args.quick:
        args.sizes, args.workers, repeats = "300", "1", 1
    args.folder.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",")]
    workers = [int(w) for w in args.workers.split(",")]
    for size in sizes:
        corpus = args.folder / f"synth-{size}.jsonl"
        if not corpus.exists():
            write_corpus(size, corpus, seed=0)
        walls: dict[int, float] = {}
        for count in workers:
            out = args.folder / f"build-{size}-w{count}"
            shutil.rmtree(out, ignore_errors=True)
            command = [*KG, "build", str(corpus), "-o", str(out), "--formats", "ttl,nt",
                       "--workers", str(count), "--no-progress", "--evidence", args.evidence]
            wall, peak = run_measured(command)
            walls[count] = wall
            store = out / "store"
            built = json.loads((out / "build-report.json").read_text(encoding="utf-8"))
            print(f"{size:>9,} abstracts  workers={count}  evidence={args.evidence}  wall {wall:8.1f} s  "
                  f"{size / wall / count:7.1f} abstracts/s per core  {size / wall:7.1f} abstracts/s  "
                  f"peak RSS {peak / 2**30:5.2f} GiB  store {folder_size(store) / 2**20:8.1f} MiB  "
                  f"{built['triples']:,} triples", flush=True)
            timings = json.loads((out / "build-timings.json").read_text(encoding="utf-8"))
            print("    stages (s): " + "  ".join(f"{k} {v:.1f}" for k, v in timings.items()), flush=True)
            if count == workers[-1]:
                for name, (direct, served) in query_latencies(store, repeats).items():
                    print(f"    {name:<32} direct {direct:8.1f} ms   over kg serve {served:8.1f} ms", flush=True)
            if not args.keep:
                shutil.rmtree(out, ignore_errors=True)
        if 1 in walls and len(walls) > 1:
            best = max(walls)
            print(f"    speed-up workers={best} vs 1: {walls[1] / walls[best]:.2f}x", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
