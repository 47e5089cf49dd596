"""The partitioned build: the same bytes however the work is split, resumable, updatable."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg.ingest import bundled_corpus

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

from synthetic import write_corpus  # noqa: E402

FORMATS = "ttl,nt"


def kg(*args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "kg", *args], capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def report(folder: Path) -> dict:
    return json.loads((folder / "build-report.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The sample corpus plus 1,500 synthetic abstracts: enough for several partitions."""
    folder = tmp_path_factory.mktemp("corpus")
    synthetic = write_corpus(1500, folder / "synthetic.jsonl", seed=3)
    return [*bundled_corpus(), synthetic]


@pytest.fixture(scope="module")
def single(corpus: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("single")
    kg("build", *map(str, corpus), "-o", str(out), "--formats", FORMATS, "--partition-size", "400")
    return out


def test_build_partitioned_build_writes_store_and_counts(single: Path) -> None:
    data = report(single)
    assert data["papers"] == 411 + 1500
    assert data["counts"]["partitions"] == 7  # estimated from input bytes: 2.6 MB / 1100 B / 400
    assert data["counts"]["papers.extracted"] == 1911
    assert data["counts"]["entries"] == 454 + 1500
    assert (single / "store").is_dir() and (single / "kg.nt").stat().st_size > 0
    assert not list((single / "work" / "buckets").glob(".*"))


def test_build_partitioned_store_loaded_in_chunks_holds_exactly_kg_nt(single: Path, tmp_path: Path) -> None:
    import pyoxigraph as ox

    from kg.build.store import load_store

    nt = single / "kg.nt"
    assert b"_:" not in nt.read_bytes()  # chunked loading relies on IRIs only
    load_store(nt, tmp_path / "store", chunk_bytes=100_000)  # about 100 chunks
    whole = ox.Store()  # in memory, one strict load: the store's own literal normal form
    whole.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
    loaded = {str(quad) for quad in ox.Store.read_only(str(tmp_path / "store"))}
    assert len(loaded) == nt.read_bytes().count(b"\n") and loaded == {str(quad) for quad in whole}
    assert not (tmp_path / "store.tmp").exists()


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [["--workers", "2"], ["--scheduler", "local", "--workers", "2"], ["--partition-size", "100000"]],
    ids=["workers-2", "dask-local", "one-partition"],
)
def test_build_partitioned_output_does_not_depend_on_the_split(
    args: list[str], corpus: list[Path], single: Path, tmp_path: Path
) -> None:
    kg("build", *map(str, corpus), "-o", str(tmp_path), "--formats", FORMATS,
       "--partition-size", "400", *args)
    assert (tmp_path / "kg.nt").read_bytes() == (single / "kg.nt").read_bytes()
    assert (tmp_path / "kg.ttl").read_bytes() == (single / "kg.ttl").read_bytes()


@pytest.mark.slow
def test_build_partitioned_resume_redoes_only_unfinished_partitions(corpus: list[Path], single: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(single, out)
    shards = out / "work" / "shards"
    lost = sorted(shards.glob("*.summary.json"))[2]  # as if the run died while this one was in flight
    lost.unlink()
    name = lost.name.removesuffix(".summary.json")
    (shards / f"{name}.extractions.jsonl").unlink()
    (out / "kg.nt").unlink()
    kg("build", *map(str, corpus), "-o", str(out), "--formats", FORMATS, "--partition-size", "400", "--resume")
    data = report(out)
    assert data["counts"]["partitions.reused"] == 6
    with open(shards / f"{name}.papers.jsonl", encoding="utf-8") as lost:
        papers_in_lost = sum(1 for _ in lost)
    assert data["counts"]["papers.extracted"] == papers_in_lost
    assert (out / "kg.nt").read_bytes() == (single / "kg.nt").read_bytes()


@pytest.mark.slow
def test_build_partitioned_update_equals_a_full_build_of_the_union(tmp_path: Path) -> None:
    import pyoxigraph as ox

    first, second = bundled_corpus()[:3], bundled_corpus()[3:]
    full, grown = tmp_path / "full", tmp_path / "grown"
    kg("build", *map(str, first + second), "-o", str(full), "--formats", FORMATS, "--partition-size", "100")
    kg("build", *map(str, first), "-o", str(grown), "--formats", FORMATS, "--partition-size", "100")
    before = report(grown)["papers"]
    kg("build", "--update", str(grown / "store"), *map(str, second), "--formats", FORMATS)
    data = report(grown)
    assert data["papers"] == 411
    assert data["counts"]["papers.extracted"] == 411 - before  # only papers not seen before
    assert data["counts"]["store.added"] > 0
    assert (grown / "kg.nt").read_bytes() == (full / "kg.nt").read_bytes()

    def dump(folder: Path) -> list[str]:
        store = ox.Store.read_only(str(folder / "store"))
        return sorted(str(quad) for quad in store)

    assert dump(grown) == dump(full)


def test_build_partitioned_update_refuses_a_folder_it_did_not_build(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kg", "build", "--update", str(tmp_path), str(bundled_corpus()[0])],
        capture_output=True, text=True,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == f"kg: error: {tmp_path}: not a folder written by kg build (no work/manifest.json and store/)"
