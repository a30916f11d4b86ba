"""Streaming a FINESS+ JSON document to gzip, byte for byte in the layout of the real files."""

# The real files are orjson-style two-space indented JSON with CRLF line ends; top-level lists
# are written one item at a time so a national file never sits in memory.

from __future__ import annotations

import gzip
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import orjson

_BUFFER = 1 << 20  # bytes gathered before each compressor call (fewer, larger writes are faster)


class _Sink:
    """A buffered byte sink in front of a gzip stream."""

    def __init__(self, stream: gzip.GzipFile) -> None:
        self.stream = stream
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> None:
        self.parts.append(data)
        self.size += len(data)
        if self.size >= _BUFFER:
            self.flush()

    def flush(self) -> None:
        self.stream.write(b"".join(self.parts))
        self.parts.clear()
        self.size = 0


def item_bytes(item: Any) -> bytes:
    """Return one list item of a top-level array as the real files lay it out (4-space margin)."""
    return b"    " + orjson.dumps(item, option=orjson.OPT_INDENT_2).replace(b"\n", b"\r\n    ")


def write_document(
    path: Path,
    header: dict[str, str],
    lists: Iterable[tuple[str, Iterable[Any]]],
    compresslevel: int = 6,
    mtime: float = 0,
) -> None:
    """Write `header` fields then each named list, streaming items, as a gzip JSON file."""
    # Written under a temporary name and renamed at the end: a reader never sees half a file.
    partial = path.with_name(path.name + ".part")
    with (
        partial.open("wb") as raw,
        gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=compresslevel, mtime=mtime) as zipped,
    ):
        sink = _Sink(zipped)
        sink.write(b"{")
        first_field = True
        for key, value in header.items():
            sink.write((b"\r\n  " if first_field else b",\r\n  ") + _field(key, value))
            first_field = False
        for key, items in lists:
            sink.write((b"\r\n  " if first_field else b",\r\n  ") + orjson.dumps(key) + b": [")
            first_field = False
            empty = True
            for item in items:
                sink.write((b"\r\n" if empty else b",\r\n") + item_bytes(item))
                empty = False
            sink.write(b"]" if empty else b"\r\n  ]")
        sink.write(b"\r\n}" if not first_field else b"}")
        sink.flush()
    partial.replace(path)


def _field(key: str, value: Any) -> bytes:
    return orjson.dumps(key) + b": " + orjson.dumps(value)
