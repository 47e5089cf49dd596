"""kg as a user installs it: a wheel built from the sources, installed into a fresh venv
outside the checkout, runs ``kg build``, ``kg validate`` and ``kg query --saved`` from
another folder on the bundled corpus, and builds the same graph as ``graphs/``.

The venv gets kg from the wheel and nothing else: its dependencies (spaCy, rdflib,
Oxigraph, ...) are borrowed from the test environment through a ``.pth`` line, so
the test needs no network. A ``.pth`` line adds a folder to ``sys.path`` without
running the ``.pth`` files inside it, so the editable install of the checkout stays
out, which the test checks by asking the venv where ``kg`` comes from.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SOURCES = ("kg", "pyproject.toml", "README.md")

pytestmark = pytest.mark.slow


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from a copy of the tracked sources (the checkout stays clean)."""
    root = tmp_path_factory.mktemp("wheel")
    source = root / "src"
    source.mkdir()
    for name in SOURCES:
        path = REPO / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(path, source / name)
    dist = root / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
          "--wheel-dir", str(dist), str(source)], cwd=root)
    (found,) = dist.glob("kg-*.whl")
    return found


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel installed (dependencies borrowed, see the module docstring)."""
    folder = tmp_path_factory.mktemp("venv") / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(folder)], cwd=folder.parent)
    python = folder / "bin" / "python"
    purelib = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                   cwd=folder.parent).stdout.strip()
    Path(purelib, "kg-test-dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
          str(wheel)], cwd=folder.parent)
    return folder


def test_package_wheel_holds_every_data_file(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    package = REPO / "kg"
    expected = {
        path.relative_to(REPO).as_posix()
        for path in (package / "data").rglob("*") if path.is_file()
    }
    assert expected, "no package data found"
    assert expected <= names, sorted(expected - names)
    assert "kg/py.typed" in names


def test_package_wheel_installed_outside_the_checkout_builds_validates_and_queries(
    venv: Path, tmp_path: Path
) -> None:
    bin_dir = venv / "bin"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    where = _run([str(bin_dir / "python"), "-c", "import kg; print(kg.__file__)"], elsewhere, env).stdout
    assert Path(where.strip()).resolve().is_relative_to(venv.resolve()), where

    built = _run([str(bin_dir / "kg"), "build", "-o", "out", "--no-progress"], elsewhere, env)
    assert "411 papers" in built.stderr
    out = elsewhere / "out"
    assert (out / "kg.nt").read_bytes() == (REPO / "graphs" / "kg.nt").read_bytes()

    valid = _run([str(bin_dir / "kg"), "validate", "out/kg.ttl"], elsewhere, env)
    assert "conforms" in valid.stderr

    queried = _run([str(bin_dir / "kg"), "query", "out/store", "--saved", "most-used-datasets",
                    "--format", "csv"], elsewhere, env)
    rows = queried.stdout.splitlines()
    assert rows[0].startswith("dataset,")
    assert rows[1].startswith("MNIST,")

    table = elsewhere / "table.csv"
    table.write_text('titles,summaries\nA paper,"We train $\\mathcal{M}$ on ImageNet."\n', encoding="utf-8")
    read = _run([str(bin_dir / "kg"), "papers", "table.csv"], elsewhere, env)  # fields.jsonl, pylatexenc
    assert json.loads(read.stdout)["abstract"] == "We train M on ImageNet."
