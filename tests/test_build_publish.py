"""The output folder is one generation: builds are killed at several points, fail, run twice
at once, and every time ``kg query``, ``--update`` and a rerun either work on a consistent
folder or refuse it with a message saying how to repair it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.cli import main
from kg.folder import JOURNAL, STAGING, check_folder, locked, read_stamp, report_generation

pytestmark = pytest.mark.slow
ABSTRACT = "We propose FooNet for image classification and evaluate it on ImageNet with top-1 accuracy."


def corpus(folder: Path, name: str, count: int, start: int = 0) -> Path:
    path = folder / name
    path.write_text("".join(json.dumps({"id": f"2401.{start + i:05d}", "title": f"Paper number {start + i}",
                                        "abstract": f"{ABSTRACT} Variant {start + i}."}) + "\n"
                            for i in range(count)), encoding="utf-8")
    return path


def kg(*args: str, kill: str | None = None) -> subprocess.CompletedProcess[str]:
    """``kg ARGS`` in a subprocess; ``kill`` is Python run first that patches a function of
    kg to SIGKILL the process at a chosen point (as kill -9 would, with no clean-up)."""
    code = textwrap.dedent(f"""
        import os, signal, sys
        def die(*args, **kwargs):
            os.kill(os.getpid(), signal.SIGKILL)
        {kill or ''}
        from kg.cli import main
        sys.exit(main({list(args)!r}))
    """)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)


def lines(path: Path) -> int:
    return path.read_bytes().count(b"\n")


def consistent(folder: Path, *, settled: bool = True) -> None:
    """Every part of the folder is of one generation, and the store holds exactly kg.nt;
    ``settled``: no staged generation is left either (a kill leaves one, for --resume)."""
    generation = check_folder(folder)
    assert generation is not None and generation == report_generation(folder)
    assert read_stamp(folder / "store") == read_stamp(folder / "work") == generation
    store = ox.Store.read_only(str(folder / "store"))
    assert len(store) == lines(folder / "kg.nt") == json.loads((folder / "build-report.json").read_text())["triples"]
    del store
    assert not (folder / JOURNAL).exists()
    assert not settled or not (folder / STAGING).exists()


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path]:
    """A folder holding a finished build of 12 papers, and a larger corpus to rebuild it with."""
    out = tmp_path / "D"
    assert kg("build", str(corpus(tmp_path, "small.jsonl", 12)), "-o", str(out), "--formats", "ttl,nt",
              "--no-progress").returncode == 0
    return out, corpus(tmp_path, "large.jsonl", 60)


KILLS = {
    "ingest": "import kg.build.run as r; r.prepare = die",
    "extract": "import kg.build.run as r; r.extract_all = die",
    "store": "import kg.build.run as r; r.load_store = die",
    "report": "import kg.build.run as r; r.write_report = die",
}


@pytest.mark.parametrize("point", sorted(KILLS))
def test_build_publish_rebuild_killed_before_the_switch_leaves_the_previous_build(built, point: str) -> None:
    out, large = built
    before = {name: (out / name).read_bytes() for name in ("kg.nt", "kg.ttl", "build-report.json")}
    killed = kg("build", str(large), "-o", str(out), "--formats", "ttl,nt", "--no-progress", kill=KILLS[point])
    assert killed.returncode == -9
    assert {name: (out / name).read_bytes() for name in before} == before
    consistent(out, settled=False)
    queried = kg("query", str(out / "store"), "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", "--format", "csv")
    assert queried.returncode == 0 and queried.stdout.split()[1] == str(lines(out / "kg.nt"))
    again = kg("build", str(large), "-o", str(out), "--formats", "ttl,nt", "--no-progress")
    assert again.returncode == 0, again.stderr
    consistent(out)
    assert json.loads((out / "build-report.json").read_text())["papers"] == 60


@pytest.mark.parametrize("renames", [1, 3, 6])
def test_build_publish_kill_during_the_switch_is_completed_by_the_next_reader(built, renames: int) -> None:
    out, large = built
    kill = textwrap.dedent(f"""
        import kg.folder as f
        real, done = f._rename, [0]
        def counting(a, b):
            done[0] += 1
            if done[0] > {renames}:
                die()
            real(a, b)
        f._rename = counting
    """).replace("\n", "\n        ")
    killed = kg("build", str(large), "-o", str(out), "--formats", "ttl,nt", "--no-progress", kill=kill)
    assert killed.returncode == -9 and (out / JOURNAL).exists()
    queried = kg("query", str(out / "store"), "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", "--format", "csv")
    assert queried.returncode == 0, queried.stderr
    consistent(out)  # the reader finished the switch: the new generation, whole
    assert json.loads((out / "build-report.json").read_text())["papers"] == 60


def test_build_publish_update_killed_anywhere_changes_nothing(built, tmp_path: Path) -> None:
    out, _ = built
    before = (out / "kg.nt").read_bytes()
    new = corpus(tmp_path, "new.jsonl", 5, start=500)
    for kill in ("import kg.build.run as r; r.update_store = die",
                 "import kg.build.run as r; r.write_records = die"):
        killed = kg("build", "--update", str(out / "store"), str(new), "--no-progress", kill=kill)
        assert killed.returncode == -9
        assert (out / "kg.nt").read_bytes() == before
        consistent(out, settled=False)
    updated = kg("build", "--update", str(out / "store"), str(new), "--formats", "ttl,nt", "--no-progress")
    assert updated.returncode == 0, updated.stderr
    consistent(out)
    assert json.loads((out / "build-report.json").read_text())["papers"] == 17


def test_build_publish_failed_rebuild_keeps_the_previous_build_and_its_work(built, tmp_path: Path) -> None:
    out, _ = built
    before = (out / "kg.nt").read_bytes()
    assert main(["build", str(tmp_path / "missing.jsonl"), "-o", str(out), "--no-progress"]) == 1
    assert (out / "kg.nt").read_bytes() == before
    consistent(out)
    new = corpus(tmp_path, "new.jsonl", 3, start=900)
    assert main(["build", "--update", str(out), str(new), "--formats", "nt", "--no-progress"]) == 0
    consistent(out)


def test_build_publish_second_build_of_a_folder_fails_at_once(built, capsys) -> None:
    out, large = built
    with locked(out):
        assert main(["build", str(large), "-o", str(out), "--no-progress"]) == 1
    assert f"kg: error: {out}: another kg build is writing this folder (pid {os.getpid()})" in capsys.readouterr().err
    consistent(out)


def test_build_publish_parts_of_two_builds_are_refused(built, capsys) -> None:
    out, large = built
    (out / "store" / "kg-generation").write_text("0" * 32 + "\n", encoding="utf-8")
    assert main(["query", str(out / "store"), "SELECT * { ?s ?p ?o } LIMIT 1"]) == 1
    err = capsys.readouterr().err
    assert "its parts come from different builds" in err and f"rebuild it with kg build -o {out}" in err
    assert main(["build", "--update", str(out), str(large), "--no-progress"]) == 1
    assert "its parts come from different builds" in capsys.readouterr().err


def test_build_publish_leftovers_of_a_kill_are_removed(built, tmp_path: Path) -> None:
    out, large = built
    (out / ".kg.ttl.abc.tmp").write_text("half", encoding="utf-8")
    (out / "store.tmp").mkdir()
    (out / STAGING).mkdir()
    (out / STAGING / "kg.nt").write_text("half", encoding="utf-8")
    assert main(["build", str(large), "-o", str(out), "--formats", "ttl,nt", "--no-progress"]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        ".kg-lock", "build-report.json", "build-timings.json", "entities.json", "extractions.jsonl",
        "kg.nt", "kg.ttl", "store", "work"]


def test_build_publish_resumed_build_reports_the_first_runs_reading(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"  # entries of about 1,100 bytes: 4 partitions of 10
    source.write_text("".join(json.dumps({"id": f"2401.{i:05d}", "title": f"Paper number {i}",
                                          "abstract": f"{ABSTRACT} Variant {i}. " + "More words. " * 80}) + "\n"
                              for i in range(40)), encoding="utf-8")
    with source.open("a", encoding="utf-8") as handle:
        handle.write("not json\n" + json.dumps({"title": "Paper number 3", "abstract": ABSTRACT}) + "\n")
    whole = tmp_path / "whole"
    assert main(["build", str(source), "-o", str(whole), "--formats", "nt", "--no-progress",
                 "--partition-size", "10"]) == 0
    out = tmp_path / "D"
    stop = "import kg.build.extract_step as x; real = x.extract_task; seen = []; " \
           "x.extract_task = lambda t: die() if seen.append(t) or len(seen) > 2 else real(t)"
    assert kg("build", str(source), "-o", str(out), "--formats", "nt", "--no-progress",
              "--partition-size", "10", kill=stop).returncode == -9
    resumed = kg("build", str(source), "-o", str(out), "--formats", "nt", "--no-progress",
                 "--partition-size", "10", "--resume")
    assert resumed.returncode == 0, resumed.stderr
    first, second = (json.loads((folder / "build-report.json").read_text()) for folder in (whole, out))
    for key in ("entries", "files", "duplicates", "warnings.malformed"):
        assert second["counts"][key] == first["counts"][key], key
    assert second["papers"] == first["papers"] == 40
    assert second["warnings"] == first["warnings"] and second["counts"]["partitions.reused"] > 0
    assert (out / "kg.nt").read_bytes() == (whole / "kg.nt").read_bytes()


def _children(pid: int) -> list[int]:
    """Worker processes (``spawn_main``) whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if entry.name.isdigit() and int(stat.rsplit(")", 1)[1].split()[1]) == pid and b"spawn_main" in command:
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        return "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()
    except OSError:
        return False


def test_build_publish_killed_workers_build_leaves_no_worker_behind(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"  # about 16 partitions: the workers are busy for a while
    source.write_text("".join(json.dumps({"title": f"Paper number {i}", "abstract": f"{ABSTRACT} " * 9})
                              + "\n" for i in range(800)), encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "kg", "build", str(source), "-o", str(tmp_path / "D"),
                                "--workers", "2", "--partition-size", "50", "--no-progress", "--formats", "nt"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: list[int] = []
    try:
        for _ in range(1200):
            workers = _children(process.pid)
            if len(workers) >= 2 or process.poll() is not None:
                break
            time.sleep(0.05)
        assert len(workers) == 2, "the build finished before its workers could be seen"
    finally:
        process.kill()
        process.wait()
    for _ in range(100):
        if not any(_alive(pid) for pid in workers):
            break
        time.sleep(0.1)
    assert not [pid for pid in workers if _alive(pid)], "workers outlived the killed build"
