"""What readers produce (articles and errors), the options they take, and the limits they enforce.

Pure Python: no Django here, so every reader is testable without a database.
"""

from __future__ import annotations

import codecs
import io
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO, TypeAlias

MIB = 1024 * 1024

# A single-article txt/html file larger than this is not an article (a dump, a log, a mistake).
MAX_ARTICLE_FILE_BYTES = 10 * MIB
# The longest article text we accept; a million characters is already a short book.
MAX_RECORD_CHARS = 1_000_000
# One JSONL/CSV line holds one record: its text (up to 4 bytes a character, or 6-12 as a JSON
# \u escape) plus metadata. Longer lines are refused without being held in memory.
MAX_LINE_BYTES = 8 * MAX_RECORD_CHARS
# Readers sniff the encoding (and the CSV delimiter) from this much of a stream's start.
HEAD_BYTES = 64 * 1024

# Our field names, in the order of RawArticle; ReaderOptions.column_map keys must be among them.
FIELDS = ("text", "title", "url", "byline", "published", "source", "language")


@dataclass(frozen=True, slots=True)
class RawArticle:
    """One article as read from its file, before cleaning."""

    origin: str  # "feeds/a.txt", "feed.jsonl:12", "table.csv:row 7", "bundle.zip!/dir/a.txt", "request:3"
    raw_text: str  # exactly as imported, decoded (HTML: the page source; JSONL/CSV: the text field)
    text: str  # the text to clean; for HTML the extracted main text, paragraphs split by a blank line
    title: str = ""
    url: str = ""
    byline: str = ""
    published: str = ""  # as the record states it, unparsed
    source: str = ""  # outlet name, if the record states it
    language: str = ""
    format: str = ""  # "txt" | "jsonl" | "csv" | "html"
    verbatim: bool = False  # keep ``text`` exactly (no cleaning): the sender's offsets point into it


@dataclass(frozen=True, slots=True)
class ReadError:
    """One file, line, row or record that could not be read, and why."""

    origin: str
    message: str  # readable: what is wrong and, where possible, what to do


ReadResult: TypeAlias = RawArticle | ReadError


@dataclass(frozen=True)
class ReaderOptions:
    """How to read: which CSV column / JSON key holds each field, and a forced text encoding."""

    column_map: dict[str, str] = field(default_factory=dict)  # OUR field -> column/key, {"text": "content"}
    encoding: str | None = None  # None: detect (BOM, UTF-8, then charset-normalizer)
    verbatim: bool = False  # every record's text is kept exactly as sent (a record may ask alone: "verbatim")

    def __post_init__(self) -> None:
        # A wrong option is the caller's mistake, not bad input: refuse it at once, not per file.
        unknown = sorted(set(self.column_map) - set(FIELDS))
        if unknown:
            raise ValueError(f"unknown field(s) in column map: {', '.join(unknown)}; fields: {', '.join(FIELDS)}")
        if any(not isinstance(name, str) or not name.strip() for name in self.column_map.values()):
            raise ValueError("column map values must be non-empty column names")
        if self.encoding is not None:
            try:
                codecs.lookup(self.encoding)
            except LookupError:
                raise ValueError(f"unknown text encoding {self.encoding!r}") from None


DEFAULT_OPTIONS = ReaderOptions()

# Input of a reader: the whole content, or a binary stream (an open file, a zip member).
Source: TypeAlias = bytes | BinaryIO
Reader: TypeAlias = Callable[[Source, str, ReaderOptions], Iterator[ReadResult]]
# Reads one named input (a file, an archive member) of any format: (name, data, origin) -> results.
Dispatch: TypeAlias = Callable[[str, Source, str], Iterator[ReadResult]]


class TooLarge(Exception):
    """The input holds more bytes than allowed; size is None when the stream cannot tell."""

    def __init__(self, size: int | None) -> None:
        super().__init__(size)
        self.size = size


def megabytes(size: int) -> str:
    """Format a byte count for a message: 52428800 -> "50.0 MB"."""
    return f"{size / MIB:.1f} MB"


def describe(error: BaseException) -> str:
    """A readable one-line description of an unexpected exception."""
    text = str(error).strip()
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def as_stream(data: Source) -> BinaryIO:
    """Wrap bytes in a stream; return streams unchanged."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        return io.BytesIO(data)
    return data


def read_at_most(data: Source, limit: int) -> bytes:
    """Return all of data; raise TooLarge if it is bigger than limit.

    Reads at most limit + 1 bytes, and nothing at all when the file size is known to be too big.
    """
    if isinstance(data, (bytes, bytearray, memoryview)):
        if len(data) > limit:
            raise TooLarge(len(data))
        return bytes(data)
    size = _remaining_size(data)
    if size is not None and size > limit:
        raise TooLarge(size)
    content = data.read(limit + 1)
    if len(content) > limit:
        raise TooLarge(size)
    return content


def _remaining_size(stream: BinaryIO) -> int | None:
    """Bytes left in a real file, from the file system; None for other streams."""
    try:
        return os.fstat(stream.fileno()).st_size - stream.tell()
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is both
        return None


class _Prefixed(io.RawIOBase):
    """A raw stream that replays bytes already read (the head) before the rest of the stream."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        super().__init__()
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if len(self._head):
            count = min(len(buffer), len(self._head))
            buffer[:count] = self._head[:count]
            self._head = self._head[count:]
            return count
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def open_with_head(data: Source, size: int = HEAD_BYTES) -> tuple[bytes, BinaryIO]:
    """Return the first size bytes of data and a buffered stream that still starts at the beginning.

    Works on streams that cannot seek (uploads, zip members) without reading them whole.
    """
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data[:size]), io.BytesIO(data)
    head = data.read(size)
    return head, io.BufferedReader(_Prefixed(head, data), buffer_size=MIB)
