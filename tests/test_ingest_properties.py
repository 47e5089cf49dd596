"""Property-based tests of every reader: any bytes in, no exception out, and every valid record
mixed into garbage still arrives (hypothesis)."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.ingest import READERS, read_entries
from kg.ingest.fields import ReadOptions
from kg.report import RunReport

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
WORDS = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=30)
TITLE = st.from_regex(r"[A-Z][a-z]{2,9}( [A-Za-z0-9]{1,9}){0,4}", fullmatch=True)
ABSTRACT = st.lists(st.from_regex(r"[A-Za-z]{1,12}", fullmatch=True), min_size=3, max_size=30).map(" ".join)
# bytes that would change how the whole file is read when they open it: gzip magic, byte-order marks
OPENINGS = (b"\x1f\x8b", b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")


def _read(data: bytes, suffix: str, input_format: str | None = None) -> tuple[list, RunReport]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        report = RunReport()
        return list(read_entries([path], report, ReadOptions(input_format))), report


@SETTINGS
@given(data=st.binary(max_size=4000), fmt=st.sampled_from([None, *READERS.names()]),
       suffix=st.sampled_from(["", ".txt", ".jsonl", ".csv", ".tsv", ".gz"]))
def test_ingest_properties_any_bytes_in_no_exception_out(data: bytes, fmt: str | None, suffix: str) -> None:
    papers, _ = _read(data, suffix, fmt)
    for paper in papers:
        json.dumps(paper.to_dict(), ensure_ascii=False).encode("utf-8")  # every record is writable


@SETTINGS
@given(data=st.text(max_size=2000), fmt=st.sampled_from(READERS.names()))
def test_ingest_properties_any_text_in_no_exception_out(data: str, fmt: str) -> None:
    _read(data.encode("utf-8", errors="surrogatepass"), "", fmt)


def _garbage() -> st.SearchStrategy[bytes]:
    return st.binary(max_size=200).filter(lambda b: b"\n" not in b and b"\r" not in b)


@SETTINGS
@given(good=st.lists(st.tuples(TITLE, ABSTRACT), min_size=1, max_size=8, unique_by=lambda r: r[0].casefold()),
       garbage=st.lists(_garbage(), max_size=8), seed=st.randoms())
def test_ingest_properties_valid_json_lines_survive_garbage(good, garbage, seed) -> None:
    lines = [json.dumps({"title": t, "abstract": a}).encode() for t, a in good] + garbage
    seed.shuffle(lines)
    if lines[0].startswith(OPENINGS):
        lines.insert(0, b"")
    papers, _ = _read(b"\n".join(lines) + b"\n", ".jsonl")
    found = {p.title for p in papers}
    assert {t for t, _ in good} <= found


@SETTINGS
@given(good=st.lists(st.tuples(TITLE, ABSTRACT), min_size=1, max_size=8, unique_by=lambda r: r[0].casefold()),
       garbage=st.lists(st.text(st.characters(codec="utf-8", exclude_characters="\r\n\x00,\t"), max_size=60),
                        max_size=8),
       seed=st.randoms(), delimiter=st.sampled_from([",", "\t"]))
def test_ingest_properties_valid_csv_rows_survive_garbage(good, garbage, seed, delimiter) -> None:
    """Garbage lines hold stray quotes but no delimiter: a garbage line ``x,"`` and a later
    ``",y`` around a valid row make a well-formed two-field row that no reader can tell
    from a quoted multi-line field, so that case is not a loss the reader could avoid."""
    def row(fields: list[str]) -> str:
        out = io.StringIO()
        csv.writer(out, delimiter=delimiter, lineterminator="").writerow(fields)
        return out.getvalue()

    rows = [row([t, a]) for t, a in good] + garbage
    seed.shuffle(rows)
    suffix = ".csv" if delimiter == "," else ".tsv"
    text = row(["title", "abstract"]) + "\n" + "\n".join(rows) + "\n"
    papers, _ = _read(text.encode("utf-8"), suffix)
    assert {t for t, _ in good} <= {p.title for p in papers}


@SETTINGS
@given(good=st.lists(st.tuples(TITLE, ABSTRACT), min_size=1, max_size=6, unique_by=lambda r: r[0].casefold()),
       noise=st.lists(WORDS, max_size=6))
def test_ingest_properties_listing_entries_survive_noise_between_them(good, noise) -> None:
    blocks = []
    for index, (title, abstract) in enumerate(good):
        blocks.append(f"{title}\n\n{abstract}. {abstract}.")
        if index < len(noise):
            blocks.append(f"{noise[index]}\n\n{'x' * 300}")  # a noise entry of its own, never glued to ours
    papers, _ = _read("\n\n".join(blocks).encode("utf-8") + b"\n", ".txt")
    assert {t for t, _ in good} <= {p.title for p in papers}
