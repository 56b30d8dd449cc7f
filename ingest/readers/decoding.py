"""Bytes to text: BOMs, UTF-8, legacy encodings guessed by charset-normalizer, binary files refused."""

from __future__ import annotations

import codecs
import io
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from typing import BinaryIO

from charset_normalizer import from_bytes

from .base import (
    MAX_ARTICLE_FILE_BYTES,
    ReaderOptions,
    Source,
    TooLarge,
    megabytes,
    read_at_most,
)

# Checked longest first: the UTF-32 LE BOM starts with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# File signatures of binary formats users drop into an import by mistake.
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"\x7fELF", "ELF executable"),
    (b"PK\x03\x04", "zip archive"),
    (b"\x1f\x8b", "gzip archive"),
)
# C0 control bytes that no text encoding we read uses for letters (tab, newlines, form feed,
# backspace and escape do occur in real text files, so they are allowed).
_CONTROL_BYTES = bytes(sorted(set(range(0x20)) - set(b"\t\n\r\x0b\x0c\x08\x1b"))) + b"\x7f"
_NOT_CONTROL = bytes(sorted(set(range(256)) - set(_CONTROL_BYTES)))
# The share of control bytes that marks binary data (random bytes: ~10%; text: ~0%).
_BINARY_CONTROL_SHARE = 0.05
# How much of a file the binary heuristic looks at.
_BINARY_SAMPLE_BYTES = 8192
# Western European is the likeliest legacy encoding of a news corpus; charset-normalizer often
# cannot tell it from its Central European sibling on short texts, so it wins ties.
_PREFERRED_LEGACY = "cp1252"
# How much more "chaos" (charset-normalizer's mess ratio) cp1252 may show and still win:
# on short texts a Baltic or DOS code page can edge it out by a hair while turning curly
# quotes into letters.
_PREFERRED_CHAOS_MARGIN = 0.02
# What to tell users whose file is not UTF-8 and cannot be guessed.
_ENCODING_HINT = "save the file as UTF-8, or set the encoding option (e.g. --encoding cp1252)"


class TextError(ValueError):
    """Bytes that cannot become usable text: binary, unknown encoding, empty or too large."""


@dataclass(frozen=True, slots=True)
class Line:
    """One physical line of a text stream, newline kept."""

    number: int  # 1-based
    text: str | None  # None when the line could not be read at all (too long, undecodable wide text)
    problem: str = ""  # why the line is bad; text then holds a lossy decoding (or None)


def normalise_newlines(text: str) -> str:
    """Turn Windows and old Mac line ends into "\\n"."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def bom_encoding(head: bytes) -> str | None:
    """The codec named by a byte order mark at the start of head, if any."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    return None


def binary_reason(head: bytes) -> str | None:
    """Why head looks like binary data rather than text, or None if it looks like text."""
    for signature, name in _SIGNATURES:
        if head.startswith(signature):
            return name
    if b"\x00" in head:
        return "contains NUL bytes"
    sample = head[:_BINARY_SAMPLE_BYTES]
    controls = len(sample.translate(None, _NOT_CONTROL))
    if controls >= 2 and controls > _BINARY_CONTROL_SHARE * len(sample):
        return f"{controls} control bytes in the first {len(sample)}"
    return None


def guess_encoding(data: bytes) -> str | None:
    """charset-normalizer's best guess for non-UTF-8 bytes, preferring cp1252 among equals."""
    matches = list(from_bytes(data))
    if not matches:
        return None
    least_chaos = min(match.chaos for match in matches)
    for match in matches:
        if match.chaos <= least_chaos + _PREFERRED_CHAOS_MARGIN and _PREFERRED_LEGACY in match.could_be_from_charset:
            return _PREFERRED_LEGACY
    return matches[0].encoding


def decode_bytes(data: bytes, *, encoding: str | None = None, declared: str | None = None) -> str:
    """Decode a whole file to text with "\\n" newlines; raise TextError if it is not text.

    Order: BOM, the caller's encoding, UTF-8, the encoding the file declares (HTML meta charset),
    charset-normalizer's guess.
    """
    bom = bom_encoding(data)
    if bom:
        return normalise_newlines(_strict(data, bom))
    if encoding and _is_wide(encoding):
        return normalise_newlines(_strict(data, encoding))  # wide encodings are full of NUL bytes
    reason = binary_reason(data[:_BINARY_SAMPLE_BYTES]) or ("contains NUL bytes" if b"\x00" in data else None)
    if reason:
        raise TextError(f"binary file, not text ({reason})")
    if encoding:
        return normalise_newlines(_strict(data, encoding))
    try:
        return normalise_newlines(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        utf8_error = error
    if declared:
        with suppress(UnicodeDecodeError, LookupError):
            return normalise_newlines(data.decode(declared))
    guessed = guess_encoding(data)  # only now: guessing is the slow step
    if guessed:
        with suppress(UnicodeDecodeError, LookupError):
            return normalise_newlines(data.decode(guessed))
    problem = f"not UTF-8 ({_where(utf8_error)}), and no other encoding fits"
    raise TextError(f"unknown text encoding: {problem}; {_ENCODING_HINT}")


def decode_article_file(
    data: Source,
    options: ReaderOptions,
    *,
    declared: Callable[[bytes], str | None] | None = None,
) -> str:
    """Read and decode a one-article file; return its text, or raise TextError with the reason.

    Reads at most MAX_ARTICLE_FILE_BYTES + 1 bytes (nothing if the file system says it is larger).
    declared: finds the encoding the file itself declares (an HTML meta charset), if any.
    """
    try:
        content = read_at_most(data, MAX_ARTICLE_FILE_BYTES)
    except TooLarge as error:
        size = f"{megabytes(error.size)}, " if error.size is not None else ""
        raise TextError(
            f"file is too large ({size}the limit for one article is {megabytes(MAX_ARTICLE_FILE_BYTES)}); "
            "split it, or import many articles as JSONL or CSV"
        ) from None
    hint = declared(content) if declared else None
    text = decode_bytes(content, encoding=options.encoding, declared=hint)
    if not text.strip():
        raise TextError("file is empty")
    return text


def sniff_encoding(head: bytes, encoding: str | None = None) -> str:
    """Choose the codec for a stream from its first bytes; raise TextError if it is not text."""
    bom = bom_encoding(head)
    if bom:
        return bom
    if encoding and _is_wide(encoding):
        return encoding  # wide encodings are full of NUL bytes
    reason = binary_reason(head)
    if reason:
        raise TextError(f"binary file, not text ({reason})")
    if encoding:
        return "utf-8-sig" if codecs.lookup(encoding).name == "utf-8" else encoding
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)  # head may end mid-character
        return "utf-8-sig"  # like utf-8, and drops a BOM on the first line
    except UnicodeDecodeError as error:
        utf8_error = error
    guessed = guess_encoding(head)
    if guessed is None:
        raise TextError(f"unknown text encoding: not UTF-8 ({_where(utf8_error)}); {_ENCODING_HINT}")
    return guessed


def iter_lines(stream: BinaryIO, encoding: str, max_bytes: int) -> Iterator[Line]:
    """Yield the lines of a byte stream, decoded one by one, with constant memory.

    A line longer than max_bytes is skipped unread (text None). In byte-oriented encodings a line
    that does not decode comes with a problem and a lossy text, and the next lines still decode.
    """
    if _is_wide(encoding):
        yield from _iter_wide_lines(stream, encoding, max_bytes)
        return
    for number, raw in _iter_raw_lines(stream, max_bytes):
        if raw is None:
            yield Line(number, None, _too_long(max_bytes))
            continue
        try:
            yield Line(number, raw.decode(encoding))
        except UnicodeDecodeError as error:
            problem = f"is not valid {_display(encoding)} ({_where(error)}); {_ENCODING_HINT}"
            yield Line(number, raw.decode(encoding, "replace"), problem)


def _iter_raw_lines(stream: BinaryIO, max_bytes: int) -> Iterator[tuple[int, bytes | None]]:
    """Yield (number, line bytes), or (number, None) for a line over max_bytes, which is drained."""
    number = 0
    while line := stream.readline(max_bytes + 1):
        number += 1
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while (rest := stream.readline(io.DEFAULT_BUFFER_SIZE)) and not rest.endswith(b"\n"):
                pass
            yield number, None
        else:
            yield number, line


def _iter_wide_lines(stream: BinaryIO, encoding: str, max_bytes: int) -> Iterator[Line]:
    """Lines of a UTF-16/32 stream, where b"\\n" is not a line end; stops at the first bad byte."""
    text_stream = io.TextIOWrapper(stream, encoding=encoding, newline="")
    number = 0
    try:
        while line := text_stream.readline(max_bytes + 1):
            number += 1
            if len(line) > max_bytes and not line.endswith("\n"):
                while (rest := text_stream.readline(io.DEFAULT_BUFFER_SIZE)) and not rest.endswith("\n"):
                    pass
                yield Line(number, None, _too_long(max_bytes))
            else:
                yield Line(number, line)
    except UnicodeDecodeError as error:
        yield Line(number + 1, None, f"is not valid {encoding} ({error.reason}); the rest of the file was skipped")
    finally:
        text_stream.detach()  # leave the caller's stream open


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise TextError(f"not valid {_display(encoding)} ({_where(error)}); {_ENCODING_HINT}") from None


def _is_wide(encoding: str) -> bool:
    return codecs.lookup(encoding).name.startswith(("utf-16", "utf-32"))


def _display(encoding: str) -> str:
    """The encoding's name for a message: "utf-8-sig" is what users call UTF-8."""
    name = codecs.lookup(encoding).name
    return "UTF-8" if name in ("utf-8", "utf-8-sig") else name


def _where(error: UnicodeDecodeError) -> str:
    return f"invalid byte 0x{error.object[error.start]:02x} at position {error.start}"


def _too_long(max_bytes: int) -> str:
    return f"is longer than {megabytes(max_bytes)}; skipped (split the record or shorten its text)"
