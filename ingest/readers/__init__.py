"""Readers: files, folders, zip archives and API records to RawArticle / ReadError, lazily.

Pure Python, no Django. Every entry point returns a generator; whatever is wrong with the input
is yielded as a ReadError, never raised, so one broken file, line or row never stops the rest.
Only a wrong argument (an unknown fmt, a bad ReaderOptions) raises ValueError, at once.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from functools import partial
from pathlib import Path, PurePath

from .archive import MAX_ZIP_MEMBERS, member_names, read_zip
from .base import (
    DEFAULT_OPTIONS,
    MAX_ARTICLE_FILE_BYTES,
    MAX_RECORD_CHARS,
    MIB,
    Dispatch,
    RawArticle,
    Reader,
    ReaderOptions,
    ReadError,
    ReadResult,
    Source,
    describe,
)
from .csv import read_csv
from .fields import article_from_mapping, json_type_name
from .html import read_html
from .jsonl import read_jsonl
from .paths import folder_origin, iter_folder, read_file
from .txt import read_txt

__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "MAX_ARTICLE_FILE_BYTES",
    "MAX_RECORD_CHARS",
    "READERS",
    "RawArticle",
    "ReadError",
    "ReadResult",
    "ReaderOptions",
    "detect_format",
    "estimate_count",
    "read_bytes",
    "read_path",
    "read_records",
]

# One reader per format; a new format registers here and gets a sample file and a round-trip test.
READERS: dict[str, Reader] = {"txt": read_txt, "jsonl": read_jsonl, "csv": read_csv, "html": read_html}
FORMATS = tuple(READERS)
# File name endings and what they mean; "zip" is an archive of such files.
EXTENSIONS = {
    ".txt": "txt", ".text": "txt", ".md": "txt",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".csv": "csv", ".tsv": "csv",
    ".html": "html", ".htm": "html",
    ".zip": "zip",
}  # fmt: skip


def detect_format(name: str) -> str | None:
    """The format a file name's extension means ("zip" for an archive), or None if unsupported."""
    return EXTENSIONS.get(PurePath(name).suffix.lower())


def read_path(
    path: str | os.PathLike[str], *, fmt: str | None = None, options: ReaderOptions | None = None
) -> Iterator[ReadResult]:
    """Lazily read a file, a folder (recursive, in name order) or a .zip archive.

    fmt forces the format of every file (archives are still opened as archives, and fmt="zip"
    opens any file as one); otherwise each file's extension decides. Origins: "a.txt" for a
    file, "<folder name>/<relative path>" in a folder, "<zip origin>!/<member>" in an archive.
    """
    return _read_path(Path(path), _dispatcher(fmt, options))


def read_bytes(
    name: str, data: Source, *, fmt: str | None = None, options: ReaderOptions | None = None
) -> Iterator[ReadResult]:
    """Lazily read one uploaded file (bytes, or a binary stream; a zip archive if name ends .zip).

    name is the origin and, unless fmt is given, decides the format.
    """
    return _guarded(name, _dispatcher(fmt, options)(PurePath(name).name, data, name))


def read_records(
    records: Iterable[object], *, origin: str = "request", options: ReaderOptions | None = None
) -> Iterator[ReadResult]:
    """Lazily read a JSON list of objects sent to the API, as JSONL records are read.

    Origins are "<origin>:<index>", the index counted from 1 like JSONL lines; items that are not
    objects, or lack a text, become ReadErrors.
    """
    return _read_records(records, origin, options or DEFAULT_OPTIONS)


def estimate_count(path: str | os.PathLike[str], *, fmt: str | None = None) -> int | None:
    """A cheap estimate of how many results read_path will yield, for a progress bar; None if unknown.

    Counts files, and lines of JSONL and CSV files (one pass over their bytes, no parsing);
    None for archives holding JSONL or CSV, whose lines cannot be counted without inflating them.
    """
    _check_format(fmt)
    path = Path(path)
    try:
        if path.is_dir():
            counts = [1 if isinstance(item, ReadError) else _estimate_file(item, fmt) for item in iter_folder(path)]
            return None if None in counts else sum(counts)
        return _estimate_file(path, fmt) if path.is_file() else 1
    except OSError:
        return None


def _check_format(fmt: str | None) -> None:
    if fmt is not None and fmt not in (*FORMATS, "zip"):
        raise ValueError(f"unknown format {fmt!r}; choose one of: {', '.join((*FORMATS, 'zip'))}")


def _dispatcher(fmt: str | None, options: ReaderOptions | None) -> Dispatch:
    """The function that reads one named input with these arguments, checked now rather than later."""
    _check_format(fmt)
    return partial(_dispatch, fmt=fmt, options=options or DEFAULT_OPTIONS)


def _dispatch(name: str, data: Source, origin: str, *, fmt: str | None, options: ReaderOptions) -> Iterator[ReadResult]:
    """Read one file or archive member with the reader its format calls for."""
    detected = detect_format(name)
    if fmt == "zip" or detected == "zip":
        members = partial(_dispatch, fmt=None if fmt == "zip" else fmt, options=options)
        yield from read_zip(data, origin, dispatch=members)
        return
    chosen = fmt or detected
    if chosen is None:
        suffix = PurePath(name).suffix.lower() or "(no extension)"
        yield ReadError(origin, f"unsupported file type {suffix}; supported: {', '.join(EXTENSIONS)}")
        return
    yield from READERS[chosen](data, origin, options)


def _read_path(path: Path, dispatch: Dispatch) -> Iterator[ReadResult]:
    if path.is_dir():
        for item in iter_folder(path):
            if isinstance(item, ReadError):
                yield item
            else:
                yield from read_file(item, folder_origin(path, item), dispatch)
    elif path.is_file():
        yield from read_file(path, path.name, dispatch)
    elif path.exists():
        yield ReadError(str(path), "not a regular file or folder")
    else:
        yield ReadError(str(path), "no such file or folder")


def _guarded(origin: str, results: Iterator[ReadResult]) -> Iterator[ReadResult]:
    """Pass results through; an unexpected failure ends them with a ReadError instead of raising."""
    try:
        yield from results
    except Exception as error:  # upload boundary
        yield ReadError(origin, f"stopped reading this file ({describe(error)})")


def _read_records(records: Iterable[object], origin: str, options: ReaderOptions) -> Iterator[ReadResult]:
    if isinstance(records, (str, bytes, Mapping)) or not isinstance(records, Iterable):
        yield ReadError(origin, f"expected a list of objects, got {json_type_name(records)}")
        return
    for index, record in enumerate(records, start=1):
        item_origin = f"{origin}:{index}"
        if not isinstance(record, Mapping):
            yield ReadError(item_origin, f"item {index} is not an object (got {json_type_name(record)})")
            continue
        try:
            yield article_from_mapping(record, origin=item_origin, where=f"item {index}", fmt="jsonl", options=options)
        except Exception as error:  # item boundary
            yield ReadError(item_origin, f"item {index}: could not read it ({describe(error)})")


def _estimate_file(path: Path, fmt: str | None) -> int | None:
    """Results one file will give: its lines for JSONL/CSV, its members for a zip, else 1."""
    detected = detect_format(path.name)
    if fmt == "zip" or detected == "zip":
        with path.open("rb") as stream:
            names = member_names(stream)
        if names is None:
            return 1
        member_fmt = None if fmt == "zip" else fmt
        if any((member_fmt or detect_format(name)) in ("jsonl", "csv") for name in names):
            return None
        return min(len(names), MAX_ZIP_MEMBERS + 1)
    chosen = fmt or detected
    if chosen in ("jsonl", "csv"):
        header = 1 if chosen == "csv" else 0
        return max(_count_lines(path) - header, 1)
    return 1


def _count_lines(path: Path) -> int:
    """Lines in a file, counting a last line without a newline; reads it in 1 MiB chunks."""
    count, last = 0, b"\n"
    with path.open("rb") as stream:
        while chunk := stream.read(MIB):
            count += chunk.count(b"\n")
            last = chunk[-1:]
    return count + (last != b"\n")
