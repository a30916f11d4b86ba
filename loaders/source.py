"""Opening an input file, plain or gzip, and reading its first bytes to tell its format."""

from __future__ import annotations

import gzip
import io
import zlib
from pathlib import Path
from typing import BinaryIO, cast

from graph.errors import InvalidData

GZIP_MAGIC = b"\x1f\x8b"


def open_binary(path: Path) -> io.BufferedIOBase:
    """Open `path` for reading bytes, decompressing it when it is gzip (by content, not name)."""
    try:
        raw = path.open("rb")
    except OSError as exc:
        raise InvalidData(str(path), None, f"cannot be read ({exc.strerror})") from exc
    if raw.read(2) == GZIP_MAGIC:
        raw.seek(0)
        return gzip.GzipFile(fileobj=raw, mode="rb")
    raw.seek(0)
    return raw


def read_head(path: Path, size: int = 4096) -> bytes:
    """Return the first `size` bytes of the (decompressed) content of `path`."""
    with open_binary(path) as stream:
        try:
            return stream.read(size)
        except (OSError, EOFError, zlib.error) as exc:
            raise InvalidData(str(path), "byte 0", f"is not a readable gzip file ({exc})") from exc


def text_stream(path: Path, encoding: str) -> io.TextIOWrapper:
    """Open `path` as text in `encoding`, with strict decoding so that a wrong encoding is caught."""
    return io.TextIOWrapper(cast(BinaryIO, open_binary(path)), encoding=encoding, errors="strict", newline="")
