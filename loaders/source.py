"""Opening an input file, plain or gzip, and reading its first bytes to tell its format.

Every file is read through a counter of the bytes it gives once decompressed: past the bound that the
command sets from the `max_input_bytes` setting (`input_limit`), the file is refused. A gzip bomb (a
few MB that decompress to gigabytes) is then refused after that many bytes, in bounded memory.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import zlib
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import BinaryIO, cast

from graph.errors import InvalidData
from graph.settings import MAX_INPUT_BYTES

GZIP_MAGIC = b"\x1f\x8b"
_MAX_INPUT = ContextVar("max_input_bytes", default=MAX_INPUT_BYTES)


@contextlib.contextmanager
def input_limit(max_bytes: int) -> Iterator[None]:
    """Refuse, while in this block, an input file that holds more than `max_bytes` decompressed."""
    token = _MAX_INPUT.set(max_bytes)
    try:
        yield
    finally:
        _MAX_INPUT.reset(token)


class _Bounded(io.RawIOBase):
    """A stream that counts the bytes read through it and refuses its file past a bound."""

    def __init__(self, inner: io.BufferedIOBase, file: str, limit: int) -> None:
        self.inner, self.file, self.limit, self.count = inner, file, limit, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        n = self.inner.readinto(buffer)
        self.count += n
        if self.count > self.limit:
            raise InvalidData(
                self.file,
                f"byte {self.limit:,}",
                f"holds more than {self.limit:,} bytes once decompressed (setting max_input_bytes): "
                "refused, as a gzip bomb would be",
            )
        return n

    def close(self) -> None:
        self.inner.close()
        super().close()


def open_binary(path: Path) -> io.BufferedIOBase:
    """Open `path` for reading bytes, decompressing it when it is gzip (by content, not name)."""
    try:
        raw = path.open("rb")
    except OSError as exc:
        raise InvalidData(str(path), None, f"cannot be read ({exc.strerror})") from exc
    inner: io.BufferedIOBase = raw
    if raw.read(2) == GZIP_MAGIC:
        raw.seek(0)
        inner = gzip.GzipFile(fileobj=raw, mode="rb")
    else:
        raw.seek(0)
    return io.BufferedReader(_Bounded(inner, str(path), _MAX_INPUT.get()), 1 << 16)


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
