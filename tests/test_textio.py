from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kg.textio import atomic_write


def test_atomic_write_replaces_only_on_success(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_write(target) as handle:
        handle.write("half")
        raise RuntimeError("stop")
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]
    with atomic_write(target) as handle:
        handle.write("new")
    assert target.read_text(encoding="utf-8") == "new"


def test_atomic_write_makes_ordinary_file_modes(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        with atomic_write(tmp_path / "out.bin", "wb") as handle:
            handle.write(b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "out.bin").stat().st_mode) == 0o644
