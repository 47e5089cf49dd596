"""Reading and writing files safely: transparent gzip, pipes, per-line decoding, atomic output."""

from __future__ import annotations

import codecs
import contextlib
import gzip
import io
import os
import re
import sys
import tempfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from kg.errors import InputError
from kg.report import RunReport

FALLBACK_ENCODING = "cp1252"
STDIN = "-"  # an input path meaning standard input
_CHUNK = 1 << 16
_LINE_END = re.compile(rb"\r\n|\r|\n")
_GZIP_MAGIC = b"\x1f\x8b"
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# what a stream can raise part-way: an unreadable device or file, a truncated or
# corrupt gzip member (a bad block is a zlib.error)
READ_ERRORS = (OSError, EOFError, zlib.error)


def open_binary(path: Path) -> IO[bytes]:
    """A buffered binary stream of an input that can be peeked at without being consumed:
    a file, a pipe or ``-`` (standard input); gzip is looked through, recognised by its
    magic bytes (``.gz`` or not), so sniffing never loses the first bytes of a pipe."""
    try:
        raw: IO[bytes] = sys.stdin.buffer if str(path) == STDIN else open(path, "rb")  # noqa: SIM115
    except OSError as err:
        raise InputError(f"{path}: cannot open: {err.strerror or err}") from err
    stream = raw if isinstance(raw, io.BufferedReader) else io.BufferedReader(raw, _CHUNK)  # type: ignore[arg-type]
    try:
        magic = stream.peek(2)[:2]
    except READ_ERRORS as err:
        stream.close()
        raise InputError(f"{path}: cannot read: {err}") from err
    if magic == _GZIP_MAGIC:
        return io.BufferedReader(gzip.GzipFile(fileobj=stream, mode="rb"), _CHUNK)  # type: ignore[arg-type]
    return stream


def head_text(stream: IO[bytes], size: int = 4096) -> str:
    """The first characters of a stream (decoded leniently) without consuming them; empty
    when even they cannot be read (reading the lines then reports why)."""
    try:
        head = stream.peek(size)[:size]  # type: ignore[attr-defined]
    except READ_ERRORS:
        return ""
    for bom in _UTF16_BOMS:
        if head.startswith(bom):
            return head.decode("utf-16", errors="replace").lstrip("\ufeff")
    return head.decode("utf-8", errors="replace").lstrip("\ufeff")


def read_lines(path: Path, report: RunReport, stream: IO[bytes] | None = None) -> Iterator[tuple[int, str]]:
    """Yield ``(line_number, text)`` for each line of an input, without the line ending.

    Lines end at ``\n``, ``\r\n`` or a lone ``\r``. A file that starts with a
    UTF-16 byte-order mark is read as UTF-16. Otherwise lines are decoded as
    UTF-8, and a line that is not valid UTF-8 is decoded as cp1252 instead
    (never dropped); the first such line of a file is reported once, naming
    file and line. A stream that fails part-way (a corrupt gzip block, a
    device error) is one warning; the lines read before it are kept.
    ``stream`` is an already opened ``open_binary`` stream (it is closed here).
    """
    if stream is None:
        try:
            stream = open_binary(path)
        except InputError as err:
            report.warn("unreadable", path, None, str(err).removeprefix(f"{path}: "))
            return
    number = 0
    with stream:
        try:
            head = stream.peek(4)[:4]  # type: ignore[attr-defined]
            if head.startswith(_UTF16_BOMS):
                text = io.TextIOWrapper(stream, encoding="utf-16", errors="replace", newline=None)
                for number, line in enumerate(text, start=1):  # noqa: B007 - the count is kept
                    yield number, line.rstrip("\n")
                return
            if head.startswith(codecs.BOM_UTF8):
                stream.read(3)
            warned = False
            for number, raw in enumerate(_split_lines(stream), start=1):  # noqa: B007
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError as err:
                    line = raw.decode(FALLBACK_ENCODING, errors="replace")
                    if not warned:
                        report.warn(
                            "encoding", path, number,
                            f"not valid UTF-8 (byte 0x{raw[err.start]:02x} at column {err.start + 1}); "
                            f"read as {FALLBACK_ENCODING}",
                        )
                        warned = True
                yield number, line
        except READ_ERRORS as err:
            report.warn("unreadable", path, number + 1, f"read failed part-way: {err}")


def _split_lines(stream: IO[bytes]) -> Iterator[bytes]:
    """Lines of a binary stream split at ``\r\n``, ``\r`` or ``\n``, read in chunks.

    Chunks without a line end are only collected, so a file that is one long line
    (a JSON array as ``json.dump`` writes it) costs linear time, not quadratic."""
    pieces: list[bytes] = []  # of the line not yet ended
    while chunk := stream.read(_CHUNK):
        pieces.append(chunk)
        if chunk.endswith(b"\r") or (b"\n" not in chunk and b"\r" not in chunk):
            continue  # no line ends here, or a \r\n may straddle the chunk boundary
        *lines, pending = _LINE_END.split(b"".join(pieces))
        pieces = [pending] if pending else []
        yield from lines
    if pieces:
        *lines, last = _LINE_END.split(b"".join(pieces))
        yield from lines
        if last:
            yield last


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
