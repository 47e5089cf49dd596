"""Every benchmark runs: each script in ``benchmarks/`` in its smallest mode (``--quick``),
as a user runs it, so an import error or a renamed API can never hide there."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from viewer_support import require_browser

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
GRAPHS = BENCHMARKS.parent / "graphs"


def run(script: str, *args: str, cwd: Path) -> str:
    done = subprocess.run([sys.executable, str(BENCHMARKS / script), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{script} exited {done.returncode}:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def test_benchmarks_every_script_has_a_test() -> None:
    scripts = {p.name for p in BENCHMARKS.glob("*.py")}
    tested = {name for name in scripts if f'"{name}"' in Path(__file__).read_text(encoding="utf-8")}
    assert scripts == tested, sorted(scripts - tested)


@pytest.mark.slow
def test_benchmarks_extract_speed(tmp_path: Path) -> None:
    out = run("extract_speed.py", "--quick", cwd=tmp_path)
    assert "papers (title + abstract as two texts): 411" in out and "ratio extractor/tokenizer" in out


@pytest.mark.slow
def test_benchmarks_rdf_speed(tmp_path: Path) -> None:
    out = run("rdf_speed.py", "--quick", cwd=tmp_path)
    triples = json.loads((GRAPHS / "build-report.json").read_text(encoding="utf-8"))["triples"]
    assert f"{triples:,} triples" in out and "ratio, Turtle serialiser" in out  # the sample graph


@pytest.mark.slow
def test_benchmarks_gephi_export(tmp_path: Path) -> None:
    out = run("gephi_export.py", "--quick", cwd=tmp_path)
    assert out.startswith("synthetic graph:")
    for projection in ("bipartite", "entities", "papers"):
        assert f"{projection:9s}:" in out


@pytest.mark.slow
def test_benchmarks_synthetic(tmp_path: Path) -> None:
    run("synthetic.py", "20", "-o", str(tmp_path / "synth.jsonl"), "--seed", "1", cwd=tmp_path)
    assert len((tmp_path / "synth.jsonl").read_text(encoding="utf-8").splitlines()) == 20


@pytest.mark.slow
def test_benchmarks_scale(tmp_path: Path) -> None:
    out = run("scale.py", "--quick", "--folder", str(tmp_path / "scale"), cwd=tmp_path)
    assert "300 abstracts  workers=1" in out and "stages (s): ingest" in out
    assert "over kg serve" in out


@pytest.mark.slow
@pytest.mark.browser
def test_benchmarks_viewer_load(tmp_path: Path) -> None:
    out = run("viewer_load.py", "--quick", "--chromium", require_browser(), cwd=tmp_path)
    assert out.startswith("sample") and "synthetic" in out and "load-to-interactive" in out


@pytest.mark.slow
def test_benchmarks_readme_figures_are_current(tmp_path: Path) -> None:
    """The README's build counts, Gephi sizes, viewer figures and layout are what the
    code gives today (run benchmarks/readme_figures.py after a change)."""
    out = run("readme_figures.py", "--check", cwd=tmp_path)
    assert out.startswith("README.md figures current: build-counts, build-summary, gephi-sample, layout")
