"""Streaming reader of one large JSON object whose big members are arrays.

The FINESS+ files are a single object (`{"generatedAt": …, "pmej": [ … ]}`) of up to 1.5 GB. This
reader yields its scalar members and, one by one, the items of its array members, decoding each item
with the C JSON scanner. Memory holds one read chunk plus the item being decoded, whatever the file size.
"""

from __future__ import annotations

import codecs
import io
import json
import math
import re
import zlib
from collections.abc import Iterator
from typing import Any, NamedTuple

from graph.errors import InvalidData

CHUNK = 1 << 22
# One array item longer than this is refused rather than buffered: the largest of the real sample (the
# activities of a legal entity of 1,062 establishments) is 7 MB, and 64 Mi characters keep a loader
# within 1 GiB whatever the characters.
MAX_ITEM = 64 << 20
INT64 = (-(1 << 63), (1 << 63) - 1)
_WS = re.compile(r"[ \t\n\r]*")


def _constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _integer(text: str) -> int:
    value = int(text)
    if not INT64[0] <= value <= INT64[1]:
        raise ValueError(f"the whole number {text[:30]}… is beyond 64 bits, which no store keeps")
    return value


def _float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise ValueError(f"the number {text[:30]} is beyond the range of a double")
    return value


# Python's reader takes NaN and Infinity, which are not JSON, and numbers no store can keep: refused.
_DECODER = json.JSONDecoder(parse_constant=_constant, parse_int=_integer, parse_float=_float)


class Member(NamedTuple):
    """A top-level member: `position` is None for a scalar member, the item's index in an array."""

    key: str
    position: int | None
    value: Any
    line: int


class _Buffer:
    """A sliding text window over the decompressed stream, tracking line numbers."""

    def __init__(self, stream: io.BufferedIOBase, file: str) -> None:
        self.stream = stream
        self.file = file
        self.decoder = codecs.getincrementaldecoder("utf-8")("strict")
        self.text = ""
        self.pos = 0
        self.line = 1
        self.eof = False
        self.bytes_read = 0

    def fail(self, reason: str, at: int | None = None, path: str = "") -> InvalidData:
        line = self.line + self.text.count("\n", self.pos, at if at is not None else self.pos)
        where = f"line {line}" + (f" ({path})" if path else "")
        return InvalidData(self.file, where, reason)

    def fill(self) -> None:
        # As much again as is pending: an item decoded anew after each read is read in few reads.
        try:
            raw = self.stream.read(max(CHUNK, len(self.text) - self.pos))
        except (OSError, EOFError, zlib.error) as exc:
            raise self.fail(f"the compressed data is truncated or corrupt ({exc})") from exc
        try:
            decoded = self.decoder.decode(raw, final=not raw)
        except UnicodeDecodeError as exc:
            raise InvalidData(
                self.file, f"byte {self.bytes_read + exc.start}", "is not valid UTF-8 text"
            ) from exc
        self.bytes_read += len(raw)
        self.text = self.text[self.pos :] + decoded
        self.pos = 0
        self.eof = not raw

    def peek(self) -> str:
        """Skip whitespace and return the next character, or '' at the end of the input."""
        while True:
            m = _WS.match(self.text, self.pos)
            assert m is not None  # the pattern matches the empty string
            self.line += self.text.count("\n", self.pos, m.end())
            self.pos = m.end()
            if self.pos < len(self.text):
                return self.text[self.pos]
            if self.eof:
                return ""
            self.fill()

    def expect(self, chars: str, path: str) -> str:
        ch = self.peek()
        if not ch or ch not in chars:
            found = repr(ch) if ch else "the end of the file"
            wanted = " or ".join(repr(c) for c in chars)
            raise self.fail(f"expected {wanted} but found {found}", path=path)
        self.pos += 1
        return ch

    def value(self, path: str) -> Any:
        """Decode the JSON value at the current position, reading more input as needed."""
        self.peek()
        while True:
            try:
                obj, end = _DECODER.raw_decode(self.text, self.pos)
            except json.JSONDecodeError as exc:
                if self.eof:
                    raise self.fail(f"invalid JSON: {exc.msg}", at=exc.pos, path=path) from None
                if len(self.text) - self.pos > MAX_ITEM:
                    reason = f"an item is longer than {MAX_ITEM:,} characters; refusing to buffer it"
                    raise self.fail(reason, path=path) from None
                self.fill()
                continue
            except ValueError as exc:  # a number or constant refused by the hooks above
                raise self.fail(f"invalid JSON: {exc}", path=path) from None
            except RecursionError:
                reason = "invalid JSON: nested deeper than the reader allows (about 1,000 levels)"
                raise self.fail(reason, path=path) from None
            # A number ending exactly at the window's end might continue in the next chunk.
            if end == len(self.text) and not self.eof:
                self.fill()
                continue
            self.line += self.text.count("\n", self.pos, end)
            self.pos = end
            return obj


def iter_members(stream: io.BufferedIOBase, file: str) -> Iterator[Member]:
    """Yield the scalar members and the array items of the top-level JSON object in `stream`."""
    buf = _Buffer(stream, file)
    buf.expect("{", "$")
    if buf.peek() == "}":
        buf.pos += 1
    else:
        while True:
            if buf.peek() != '"':
                raise buf.fail("expected a member name", path="$")
            key = buf.value("$")
            buf.expect(":", f"$.{key}")
            line = buf.line
            if buf.peek() == "[":
                buf.pos += 1
                index = 0
                if buf.peek() == "]":
                    buf.pos += 1
                else:
                    while True:
                        line = buf.line
                        item = buf.value(f"$.{key}[{index}]")
                        yield Member(key, index, item, line)
                        index += 1
                        if buf.expect(",]", f"$.{key}[{index}]") == "]":
                            break
            else:
                yield Member(key, None, buf.value(f"$.{key}"), line)
            if buf.expect(",}", "$") == "}":
                break
    if buf.peek():
        raise buf.fail("unexpected data after the end of the JSON object")
