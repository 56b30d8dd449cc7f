"""Zip archives, read member by member in memory: never extracted to disk, guarded against bombs."""

from __future__ import annotations

import io
import re
import stat
import zipfile
from collections.abc import Iterator
from pathlib import PurePosixPath

from .base import MIB, Dispatch, ReadError, ReadResult, Source, as_stream, describe, megabytes
from .paths import is_ignored

# More files than this is not a batch of articles but a mistake (or an attack).
MAX_ZIP_MEMBERS = 20_000
# One member may be a big JSONL/CSV export (streamed); beyond this it is not a sane upload.
MAX_MEMBER_BYTES = 1024 * MIB
# All members together may not inflate to more than this.
MAX_TOTAL_BYTES = 2048 * MIB
# Text deflates 3-10x and deflate tops out near 1000x: far above the former is a zip bomb.
MAX_COMPRESSION_RATIO = 100
# Small members (a page of spaces) may compress that well harmlessly: judge the ratio only above this.
RATIO_FLOOR_BYTES = 1 * MIB
# A whole archive is judged by its ratio too, above this many inflated bytes (many members each
# under RATIO_FLOOR_BYTES could otherwise add up to a bomb).
ARCHIVE_RATIO_FLOOR_BYTES = 64 * MIB
# Members with these endings are archives themselves: we read one level only.
ARCHIVE_SUFFIXES = (".zip", ".gz", ".tgz", ".tar", ".bz2", ".xz", ".zst", ".7z", ".rar", ".jar")


class _MemberTooLarge(Exception):
    """A member inflated beyond its cap although its header said otherwise."""

    def __init__(self, cap: int) -> None:
        super().__init__(cap)
        self.cap = cap


class _ArchiveTooLarge(Exception):
    """The archive's members together inflated beyond MAX_TOTAL_BYTES."""


class _Budget:
    """Uncompressed bytes the archive may still inflate to."""

    def __init__(self, total: int) -> None:
        self.left = total

    def spend(self, count: int) -> None:
        self.left -= count
        if self.left < 0:
            raise _ArchiveTooLarge


class _CappedMember(io.RawIOBase):
    """A member's stream that reads at most cap + 1 bytes and charges them to the budget."""

    def __init__(self, stream: io.BufferedIOBase, cap: int, budget: _Budget) -> None:
        super().__init__()
        self._stream, self._cap, self._budget, self._read = stream, cap, budget, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._stream.read(min(len(buffer), self._cap + 1 - self._read))
        self._read += len(data)
        self._budget.spend(len(data))
        if self._read > self._cap:
            raise _MemberTooLarge(self._cap)
        buffer[: len(data)] = data
        return len(data)


def read_zip(data: Source, origin: str, *, dispatch: Dispatch) -> Iterator[ReadResult]:
    """Yield the results of every member, in name order, each read in memory by dispatch.

    Member origins are "<origin>!/<member path>". Unsafe, nested, encrypted, symlinked and
    bomb-like members each give a ReadError; an archive whose directory exceeds the member
    count, the total size or the compression ratio gives one ReadError and nothing is read;
    members inflating past what the directory claims still stop at the total size. Directories, hidden files and __MACOSX/ are skipped.
    """
    try:
        archive = zipfile.ZipFile(as_stream(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as error:
        yield ReadError(origin, f"not a readable zip archive ({describe(error)})")
        return
    with archive:
        budget = _Budget(MAX_TOTAL_BYTES)
        members = sorted(_members(archive), key=lambda info: info.filename)
        if problem := directory_problem(members):
            yield ReadError(origin, problem)
            return
        for info in members:
            member_origin = f"{origin}!/{info.filename}"
            try:
                yield from _read_member(archive, info, member_origin, dispatch, budget)
            except _ArchiveTooLarge:
                yield ReadError(origin, _too_large_total())
                return
            except _MemberTooLarge as error:
                message = f"inflates to more than {megabytes(error.cap)}, more than its header says"
                yield ReadError(member_origin, f"{message}; skipped as a zip bomb")
            except Exception as error:  # member boundary: a corrupt member never stops the others
                yield ReadError(member_origin, f"cannot read this member ({describe(error)})")


def directory_problem(members: list[zipfile.ZipInfo]) -> str:
    """Why the whole archive is refused, judged from its central directory before any member is
    inflated, or "": too many members, too many bytes in all, or a bomb's compression ratio.
    (The sizes are the archive's own claims; capped streams hold every member to them.)"""
    if len(members) > MAX_ZIP_MEMBERS:
        return f"archive has {len(members):,} files, more than {MAX_ZIP_MEMBERS:,}; nothing read. Split it"
    inflated = sum(info.file_size for info in members)
    if inflated > MAX_TOTAL_BYTES:
        return (f"archive inflates to {megabytes(inflated)}, more than {megabytes(MAX_TOTAL_BYTES)}; nothing read. "
                "Split it into smaller archives")
    compressed = sum(info.compress_size for info in members)
    if inflated > ARCHIVE_RATIO_FLOOR_BYTES and inflated > MAX_COMPRESSION_RATIO * compressed:
        ratio = inflated // max(compressed, 1)
        return (f"archive's compression ratio {ratio:,}:1 looks like a zip bomb (limit {MAX_COMPRESSION_RATIO}:1); "
                "nothing read")
    return ""


def member_names(data: Source) -> list[str] | None:
    """Names of the members read_zip would read or report, without inflating any; None if unreadable."""
    try:
        with zipfile.ZipFile(as_stream(data)) as archive:
            return [info.filename for info in _members(archive)]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        return None


def _members(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """The entries to read or report: not directories, hidden files or __MACOSX/ (unsafe ones are reported)."""
    return [
        info
        for info in archive.infolist()
        if not info.is_dir() and (is_unsafe(info.filename) or not is_ignored(PurePosixPath(info.filename).parts))
    ]


def is_unsafe(name: str) -> bool:
    """Whether a member name could escape the folder it is extracted to: absolute, a drive, or "..". """
    return name.startswith(("/", "\\")) or bool(re.match(r"[A-Za-z]:", name)) or ".." in re.split(r"[\\/]", name)


def _read_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, origin: str, dispatch: Dispatch, budget: _Budget
) -> Iterator[ReadResult]:
    """Check one member's header, then read it through a capped stream."""
    name = info.filename
    if is_unsafe(name):
        yield ReadError(origin, f"unsafe path in archive ({name!r} points outside it); skipped")
        return
    problem = _header_problem(info)
    if problem:
        yield ReadError(origin, problem)
        return
    if info.file_size > budget.left:
        raise _ArchiveTooLarge  # stop before inflating a member that cannot fit
    cap = _member_cap(info)
    with archive.open(info) as member:
        stream = io.BufferedReader(_CappedMember(member, cap, budget), buffer_size=MIB)
        yield from dispatch(PurePosixPath(name).name, stream, origin)


def _header_problem(info: zipfile.ZipInfo) -> str:
    """Why a member must not be read, judged from its header, or ""."""
    if info.filename.lower().endswith(ARCHIVE_SUFFIXES):
        return "nested archive; extract it and import its files directly"
    if info.flag_bits & 0x1:
        return "encrypted member; decrypt the archive first"
    if stat.S_ISLNK(info.external_attr >> 16):
        return "symbolic link in archive; skipped"
    if info.file_size > MAX_MEMBER_BYTES:
        return f"member inflates to {megabytes(info.file_size)}, more than the {megabytes(MAX_MEMBER_BYTES)} limit"
    if info.file_size > _member_cap(info):
        ratio = info.file_size // max(info.compress_size, 1)
        return f"compression ratio {ratio:,}:1 looks like a zip bomb (limit {MAX_COMPRESSION_RATIO}:1); skipped"
    return ""


def _member_cap(info: zipfile.ZipInfo) -> int:
    """The most bytes a member may inflate to: the member limit, or less if it is small when compressed."""
    by_ratio = max(RATIO_FLOOR_BYTES, MAX_COMPRESSION_RATIO * info.compress_size)
    return min(MAX_MEMBER_BYTES, by_ratio)


def _too_large_total() -> str:
    return f"archive inflates to more than {megabytes(MAX_TOTAL_BYTES)}; stopped. Split it into smaller archives"
