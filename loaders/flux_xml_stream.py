"""Streaming reader of the XML "flux standard" files: one flat block at a time, bounded memory.

Every flux file is a `<fluxfiness>` root holding an optional `<horodatage>` and then a long run
of flat blocks (`<structureej>`, `<structureet>`, `<equipementsocial>`, `<nomenclstatutavecagr>`…),
each a list of leaf elements. This module yields each block as a dict of its leaves, then drops it.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from graph.errors import InvalidData
from loaders.source import open_binary
from loaders.values import snapshot_day

ROOT = "fluxfiness"
HORODATAGE = "horodatage"
_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"
_POSITION = re.compile(r": line \d+, column \d+$")
_NAME_DATE = re.compile(r"_(\d{4})(\d{2})(\d{2})(?:-\d{4})?(?:\.[a-z]+)*$", re.IGNORECASE)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

Fields = dict[str, str | None]
# The longest text or tag read: a real leaf is a few hundred bytes, and the parser holds a leaf whole
# until it ends (a gzip bomb of one endless leaf took 9.6 GB before it was refused at its end).
MAX_RUN = 1 << 20


class _Runs:
    """The stream the parser reads, refusing a run of more than MAX_RUN bytes without `<` or `>`."""

    def __init__(self, stream: io.BufferedIOBase, file: str) -> None:
        self.stream, self.file = stream, file
        self.since = 0  # bytes since the last `<` or `>`
        self.line = 1

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size if size > 0 else 1 << 16)
        last = max(data.rfind(b"<"), data.rfind(b">"))
        self.since = self.since + len(data) if last == -1 else len(data) - last - 1
        self.line += data.count(b"\n")
        if self.since > MAX_RUN:
            reason = f"holds a text or tag longer than {MAX_RUN:,} bytes: not a flux standard file"
            raise InvalidData(self.file, f"line {self.line}", reason)
        return data


def _value(elem: ET.Element) -> str | None:
    """The stripped text of a leaf, None when it is nil or empty."""
    if elem.get(_NIL) == "true":
        return None
    text = (elem.text or "").strip()
    return text or None


def iter_blocks(path: Path) -> Iterator[tuple[str, Fields]]:
    """Yield (tag, {leaf tag: value or None}) for each child of the `<fluxfiness>` root."""
    file = str(path)
    with open_binary(path) as stream:
        depth = 0
        root: ET.Element | None = None
        runs = _Runs(stream, file)
        try:
            for event, elem in ET.iterparse(runs, events=("start", "end")):
                if event == "start":
                    depth += 1
                    if depth == 1:
                        root = elem
                        if elem.tag != ROOT:
                            raise InvalidData(file, "line 1", f"root element is <{elem.tag}>, not <{ROOT}>")
                    continue
                depth -= 1
                if depth == 1 and root is not None:
                    for child in elem:
                        if len(child):  # what it holds would be dropped without a word
                            reason = f"<{child.tag}> of a <{elem.tag}> holds elements, not a value"
                            raise InvalidData(file, f"line {runs.line}", reason)
                    yield elem.tag, {child.tag: _value(child) for child in elem}
                    # Dropping every finished block keeps memory flat whatever the file size.
                    root.clear()
        except ET.ParseError as exc:
            line, column = exc.position
            reason = _POSITION.sub("", str(exc))
            raise InvalidData(
                file, f"line {line}, column {column}", f"is not well-formed XML ({reason})"
            ) from exc
        except (OSError, EOFError, zlib.error) as exc:
            raise InvalidData(file, None, f"cannot be read to its end ({exc})") from exc


def head_blocks(head: bytes) -> tuple[str | None, list[tuple[str, set[str]]]]:
    """Return the root tag and the top-level blocks (tag, leaf tags) that the first bytes hold."""
    parser: ET.XMLPullParser[ET.Element] = ET.XMLPullParser(events=("start", "end"))
    root: str | None = None
    blocks: list[tuple[str, set[str]]] = []
    depth = 0
    try:
        parser.feed(head)
        for item in parser.read_events():
            elem = item[-1]
            if not isinstance(elem, ET.Element):
                continue
            if item[0] == "start":
                depth += 1
                if depth == 1:
                    root = elem.tag
                elif depth == 2:
                    blocks.append((elem.tag, set()))
                elif depth == 3 and blocks:
                    blocks[-1][1].add(elem.tag)
            else:
                depth -= 1
    except ET.ParseError:
        # A head cut in the middle of a tag is expected; what was read before it still counts.
        pass
    return root, blocks


def iso_date(value: str | None) -> str | None:
    """Return `value` when it is a real ISO date (YYYY-MM-DD), else None."""
    if value is None or not _ISO_DATE.match(value):
        return None
    try:
        date.fromisoformat(value)
    except ValueError:
        return None
    return value


def name_date(path: Path) -> str | None:
    """Return the extract date that the official file name carries (`…_stock_AAAAMMJJ-HHMM.xml`)."""
    match = _NAME_DATE.search(path.name)
    if match is None:
        return None
    return iso_date("-".join(match.groups()))


def dated_by(stamp: str | None) -> str:
    """Where a flux file's snapshot date comes from: its horodatage, else its name."""
    return "horodatage" if iso_date(stamp) else "its name"


def snapshot_date(path: Path, stamp: str | None) -> str:
    """Return the snapshot date: the horodatage `datemaj`, else the file name's date, else fail."""
    found = iso_date(stamp) or name_date(path)
    if found is None:
        raise InvalidData(str(path), "horodatage", "has no <datemaj> and its name carries no extract date")
    return snapshot_day(found, str(path), dated_by(stamp))
