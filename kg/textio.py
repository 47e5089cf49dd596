"""Reading and writing files safely: transparent gzip, per-line decoding, atomic output."""

from __future__ import annotations

import contextlib
import gzip
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from kg.errors import InputError
from kg.report import RunReport

FALLBACK_ENCODING = "cp1252"


def open_binary(path: Path) -> IO[bytes]:
    """Open a file for reading bytes, un-gzipping ``.gz`` files on the fly."""
    try:
        if path.suffix == ".gz":
            return gzip.open(path, "rb")
        return open(path, "rb")
    except OSError as err:
        raise InputError(f"{path}: cannot open: {err.strerror or err}") from err


def read_lines(path: Path, report: RunReport) -> Iterator[tuple[int, str]]:
    """Yield ``(line_number, text)`` for each line, without the line ending.

    Lines are decoded as UTF-8; a line that is not valid UTF-8 is decoded as
    cp1252 instead (never dropped) and the first such line of a file is
    reported once, naming file and line.
    """
    warned = False
    with open_binary(path) as handle:
        try:
            for number, raw in enumerate(handle, start=1):
                if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                    raw = raw[3:]
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError as err:
                    text = raw.decode(FALLBACK_ENCODING, errors="replace")
                    if not warned:
                        report.warn(
                            "encoding",
                            path,
                            number,
                            f"not valid UTF-8 (byte 0x{raw[err.start]:02x} at column "
                            f"{err.start + 1}); read as {FALLBACK_ENCODING}",
                        )
                        warned = True
                yield number, text.rstrip("\r\n")
        except (OSError, EOFError, gzip.BadGzipFile) as err:
            report.warn("unreadable", path, None, f"read failed part-way: {err}")


def sniff(path: Path, size: int = 4096) -> str:
    """Return the first characters of a file (decoded leniently) for format sniffing."""
    with open_binary(path) as handle:
        try:
            head = handle.read(size)
        except (OSError, EOFError, gzip.BadGzipFile) as err:
            raise InputError(f"{path}: cannot read: {err}") from err
    return head.decode("utf-8", errors="replace").lstrip("\ufeff")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_write(path: Path | str, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    """Write to a temporary file beside ``path`` and move it in place only on success.

    A run that fails half-way leaves the previous file (or none), never a
    truncated one.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are ordinary files
    try:
        if "b" in mode:
            handle: IO = os.fdopen(fd, mode)
        else:
            handle = open(fd, mode, encoding=encoding, newline="\n")  # noqa: SIM115 - closed below
        with handle:
            yield handle
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
