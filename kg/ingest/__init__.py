"""Ingest: turn input files into ``Paper`` records, one reader module per format.

Readers are found through ``READERS`` (name -> module), chosen by file
extension or by sniffing the first bytes, and can be forced with
``ReadOptions.input_format``. Every reader streams: it yields papers as it parses them,
from lines that ``kg.textio.read_lines`` decodes, and every paper passes
``kg.ingest.checks`` on its way out. An input is opened once, so a pipe or
``-`` (standard input) loses nothing to sniffing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from kg.errors import InputError
from kg.ingest.checks import checked
from kg.ingest.fields import ReadOptions
from kg.records import Paper, Source
from kg.registry import Plugin, Registry
from kg.report import RunReport
from kg.resources import data_path
from kg.textio import STDIN, head_text, open_binary, read_lines

READERS = Registry("input format", [
    Plugin("listing", "kg.ingest.listing", "read", (".txt", ".text", ".md")),
    Plugin("jsonl", "kg.ingest.jsonl", "read", (".jsonl", ".ndjson", ".json")),
    Plugin("csv", "kg.ingest.table", "read", (".csv", ".tsv")),
])


BUNDLED_PREFIX = "kg:corpus/"


def _corpus_folder() -> Path:
    return data_path("corpus")


def bundled_corpus() -> list[Path]:
    """The sample listing pages shipped inside the package."""
    return sorted(p for p in _corpus_folder().iterdir() if p.name.endswith(".txt"))


def source_name(path: Path) -> str:
    """How a source file is named in records: as given, or ``kg:corpus/NAME`` for the
    bundled corpus, so records and graphs are the same on every machine."""
    if str(path) != STDIN and path.parent.resolve() == _corpus_folder().resolve():
        return BUNDLED_PREFIX + path.name
    return str(path)


def detect_format(path: Path, head: str | None = None) -> str:
    """Pick a reader by extension (``.gz`` looked through), else by the first characters
    (``head``; read from ``path`` when not given)."""
    suffixes = path.suffixes
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    claimed = READERS.for_suffix(suffixes[-1]) if suffixes else None
    if claimed is not None:
        return claimed.name
    if head is None:
        with open_binary(path) as stream:
            head = head_text(stream)
    head = head.lstrip()
    if head.startswith("{"):
        return "jsonl"
    first_line = head.split("\n", 1)[0].lower()
    if ("," in first_line or "\t" in first_line) and "title" in first_line:
        return "csv"
    return "listing"


def reader_for(name: str):
    """Return the ``read`` function of a reader by name; an unknown name lists the known ones."""
    return READERS.get(name).load()


def read_file(path: Path, report: RunReport, reading: ReadOptions | None = None) -> Iterator[Paper]:
    """Yield the papers of one file; a file that cannot be opened is a warning, not a crash."""
    reading = reading or ReadOptions()
    if str(path) != STDIN:
        try:
            if not path.exists():
                report.warn("missing", path, None, "no such file")
                return
            if path.is_dir():
                report.warn("missing", path, None, "is a directory, expected a file")
                return
        except OSError as err:  # a folder on the way without search permission
            report.warn("unreadable", path, None, f"cannot open: {err.strerror or err}")
            return
    try:
        stream = open_binary(path)
        try:
            read = reader_for(reading.input_format or detect_format(path, head_text(stream)))
        except BaseException:
            stream.close()
            raise
        report.count("files")
        name = source_name(path)
        for paper in read(path, report, read_lines(path, report, stream), reading):
            if name != str(path):
                paper.sources = [Source(name, s.line) for s in paper.sources]
            yield checked(paper, report)
    except InputError as err:
        report.warn("unreadable", path, None, str(err).removeprefix(f"{path}: "))


def read_entries(
    paths: Iterable[Path], report: RunReport, reading: ReadOptions | None = None
) -> Iterator[Paper]:
    """Yield every entry of every file, duplicates included, counting them."""
    if reading is not None and reading.input_format is not None:
        reader_for(reading.input_format)  # fail early on an unknown name
    for path in paths:
        for paper in read_file(Path(path), report, reading):
            report.count("entries")
            yield paper


def read_papers(
    paths: Iterable[Path] | None, report: RunReport, reading: ReadOptions | None = None
) -> list[Paper]:
    """Read and de-duplicate papers; with no paths, the bundled sample corpus.

    Raises ``InputError`` only when not a single paper could be read.
    """
    from kg.ingest.merge import merge_papers

    paths = list(paths) if paths else bundled_corpus()
    papers = merge_papers(read_entries(paths, report, reading), report)
    if not papers:
        raise InputError(
            f"no paper could be read from {len(paths)} input file(s)"
            + (f" ({report.warning_count} warning(s) above)" if report.warning_count else "")
        )
    return papers
