"""Files and folders on disk: a deterministic walk that stays inside the folder it was given."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from .base import Dispatch, ReadError, ReadResult, describe

# Clutter that operating systems leave in folders and archives; never articles.
IGNORED_NAMES = frozenset({"__MACOSX", "Thumbs.db", "desktop.ini"})


def is_ignored(parts: Iterable[str]) -> bool:
    """Whether a path (as its parts) is hidden (".git/", ".DS_Store") or OS clutter (__MACOSX/)."""
    return any(part.startswith(".") or part in IGNORED_NAMES for part in parts if part not in ("", "."))


def folder_origin(root: Path, path: Path) -> str:
    """A file's origin inside a folder: the folder's name and the relative path, "feeds/2024/a.txt"."""
    relative = path.relative_to(root).as_posix()
    name = root.name or root.resolve().name
    return f"{name}/{relative}" if name else relative


def iter_folder(root: Path) -> Iterator[Path | ReadError]:
    """Yield every regular file under root, recursively, in name order; ReadError for what is refused.

    Hidden files and folders and OS clutter are skipped silently. Symbolic links pointing outside
    root are refused; symlinked folders are not followed (what they point to inside root is
    walked anyway, and following them could loop).
    """
    yield from _walk(root, root, root.resolve())


def _walk(folder: Path, root: Path, real_root: Path) -> Iterator[Path | ReadError]:
    try:
        entries = sorted(folder.iterdir(), key=lambda entry: entry.name)
    except OSError as error:
        origin = folder_origin(root, folder) if folder != root else str(root)
        yield ReadError(origin, f"cannot list folder ({describe(error)})")
        return
    for entry in entries:
        if is_ignored([entry.name]):
            continue
        if entry.is_symlink():
            if not entry.exists():
                yield ReadError(folder_origin(root, entry), "broken symbolic link; skipped")
                continue
            if not entry.resolve().is_relative_to(real_root):
                yield ReadError(folder_origin(root, entry), "symbolic link to outside the folder; not followed")
                continue
            if entry.is_dir():
                continue
        if entry.is_dir():
            yield from _walk(entry, root, real_root)
        elif entry.is_file():
            yield entry
        else:
            yield ReadError(folder_origin(root, entry), "not a regular file (a device, socket or pipe); skipped")


def read_file(path: Path, origin: str, dispatch: Dispatch) -> Iterator[ReadResult]:
    """Open one file and yield what dispatch reads from it; a failure becomes a ReadError for the file."""
    try:
        with path.open("rb") as stream:
            yield from dispatch(path.name, stream, origin)
    except OSError as error:
        yield ReadError(origin, f"cannot read file ({error.strerror or describe(error)})")
    except Exception as error:  # file boundary: one broken file never stops the others
        yield ReadError(origin, f"stopped reading this file ({describe(error)})")
