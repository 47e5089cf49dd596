"""The command line through a real subprocess: exit codes, one-line errors, help everywhere."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kg import __version__
from kg.cli import command_modules

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def kg(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg", *args], capture_output=True, text=True, cwd=cwd, timeout=300
    )


def test_cli_version_and_help() -> None:
    assert kg("--version").stdout.strip() == f"kg {__version__}"
    result = kg("--help")
    assert result.returncode == 0
    assert "exit codes:" in result.stdout
    for module in command_modules():
        assert module.NAME in result.stdout


@pytest.mark.parametrize("module", command_modules(), ids=lambda m: m.NAME)
def test_cli_every_command_has_help_with_examples(module) -> None:
    assert module.EXAMPLES.strip().startswith("kg " + module.NAME)
    result = kg(module.NAME, "--help")
    assert result.returncode == 0, result.stderr
    assert "examples:" in result.stdout
    assert module.EXAMPLES.strip().splitlines()[0] in result.stdout


def test_cli_papers_bundled_corpus_to_file(tmp_path: Path) -> None:
    out = tmp_path / "papers.jsonl"
    result = kg("papers", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr.strip() == "kg: papers: 454 entries, 411 papers, 43 duplicates merged"
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 411
    assert set(records[0]) == {
        "id", "title", "abstract", "authors", "author_count", "organisation", "date",
        "upvotes", "links", "categories", "sources", "extra",
    }
    assert "\r" not in result.stderr  # no progress bar when stderr is not a terminal


def test_cli_papers_warns_and_goes_on(tmp_path: Path) -> None:
    result = kg("papers", str(tmp_path / "missing.txt"), str(FIXTURES / "line_layout.txt"))
    assert result.returncode == 0
    assert len(result.stdout.splitlines()) == 3
    lines = result.stderr.strip().splitlines()
    assert lines[0] == f"kg: warning: {tmp_path / 'missing.txt'}: no such file"
    assert lines[1].endswith("line_layout.txt:7: entry 'Short Title Without Abstract' has a title but no abstract; skipped")
    assert lines[-1] == "kg: papers: 3 entries, 3 papers, 2 warning(s)"


def test_cli_nothing_readable_exits_1_with_one_line(tmp_path: Path) -> None:
    out = tmp_path / "never.jsonl"
    result = kg("papers", str(tmp_path / "missing.txt"), "-o", str(out))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "kg: error: no paper could be read from 1 input file(s) (1 warning(s) above)"
    )
    assert "Traceback" not in result.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []  # no half-written or temporary file left


def test_cli_bad_usage_exits_2() -> None:
    result = kg("papers", "--input-format", "bogus")
    assert result.returncode == 2
    assert "invalid choice: 'bogus'" in result.stderr
    assert kg().returncode == 2
