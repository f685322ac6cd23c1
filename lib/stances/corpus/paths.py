"""A path under the data folder, and reading it: one rule for every path in it (``confine``) and
one way to read a file's bytes (``file_bytes``; the two in turn: ``confined_bytes``), so that no
read follows a path out of the folder or waits on a FIFO. (Writing is ``stances.files``.)"""

from __future__ import annotations

import errno
import functools
import os
import stat
from pathlib import Path


def confine(data_dir: Path, path: object, inside: str = "") -> tuple[str | None, str]:
    """The one rule for every path under the data directory, read or written, declared or not:
    relative, no ``..``, and inside ``data_dir/inside`` with symlinks resolved. The resolved
    path, or None and why not."""
    where = f"data/{inside}/" if inside else "data/"
    if not isinstance(path, str) or not path:
        return None, f"must be a non-empty path inside {where}"
    if os.path.isabs(path) or path.startswith(("/", "\\")):
        return None, f"{path!r} is absolute; give a path inside {where}"
    if ".." in path.replace("\\", "/").split("/") or "\x00" in path:
        return None, f"{path!r} escapes {where}"
    head, name = os.path.split(os.path.join(data_dir, path))
    real = os.path.join(real_folder(head), name)  # each folder is resolved once per load
    try:
        if os.path.islink(real):
            real = os.path.realpath(real, strict=True)
    except OSError as err:
        if err.errno != errno.ENOENT:  # a symlink loop, a name too long; a dangling link is missing
            return None, f"{path!r} cannot be resolved ({err.strerror})"
    if not real.startswith(real_folder(os.path.join(data_dir, inside)).rstrip(os.sep) + os.sep):
        return None, f"{path!r} escapes {where}"
    return real, ""


def confined_bytes(data_dir: Path, path: object, inside: str = "") -> tuple[bytes | None, str]:
    """The bytes of a path under ``data_dir/inside`` (:func:`confine`, then :func:`file_bytes`),
    or None and why not."""
    resolved, why = confine(data_dir, path, inside)
    return file_bytes(resolved) if resolved is not None else (None, why)


real_folder = functools.lru_cache(maxsize=4096)(os.path.realpath)  # cleared by every read_package


def file_bytes(path: str | os.PathLike) -> tuple[bytes | None, str]:
    """The bytes of a regular file, or None and why not."""
    handle = None
    try:  # non-blocking, so that opening a FIFO does not wait for a writer
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            return None, ("is a directory, not a file" if stat.S_ISDIR(info.st_mode)
                          else "is not a regular file")
        content = os.read(handle, info.st_size + 1)  # one call, without a file object's buffering
        while chunk := os.read(handle, 1 << 20):  # the file grew since fstat, or is over 2 GiB
            content += chunk
        return content, ""
    except FileNotFoundError:
        return None, "does not exist"
    except OSError as err:
        return None, f"cannot be read ({err.strerror or err})"
    finally:
        if handle is not None:
            os.close(handle)
