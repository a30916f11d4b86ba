"""The Neo4j loader's item states kept in a local file between loads, named by what they describe.

A daily load compares each record's content hash with the one the database holds: reading the
7 million states of a national database takes about 50 s of a next-day load, loading a dataset's
part of this file 2–3 s. The file is used only when the database's committed content is the one the
file was written for (`mark`: the database's id and the load that last wrote each dataset, which
changes with every commit, wherever it ran); anything else — another mark, an unreadable or foreign
file — is a miss, and the states are read from the database as before.

The states are kept a dataset at a time, so that a process comparing one dataset's file reads only
that dataset's states (graph/snapshot_diff.py): an 8-byte header length, the header (format, mark,
and where each dataset's part lies, with its CRC-32), then each part, each marshalled on its own.
A part is four dicts of content hashes: its nodes present and absent (closed), its relationships
present and absent — what comparing a file needs is the first and the third, and one string per
item is quicker to read than a tuple of three. A part that does not read back as written (its
CRC-32) is a miss too, found by the process reading it: the load then reads the database.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import tempfile
import zlib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from graph.errors import DamagedStates

FORMAT = "finess-graph states 4"
States = dict[str, tuple[str | None, str | None, bool]]  # id → (content hash, dataset, present)
Hashes = dict[str, str | None]  # id → content hash
Part = tuple[Hashes, Hashes, Hashes, Hashes]  # nodes present, absent; relationships present, absent
Parts = dict[str | None, Part]  # by dataset
HEAD = 8  # bytes of the header's length, little-endian


class Kept:
    """A states file open for reading, its mark checked: it stays readable if replaced meanwhile."""

    def __init__(self, fd: int, index: dict[str | None, tuple[int, int, int]]) -> None:
        self.fd, self.index = fd, index

    def part(self, dataset: str | None) -> Part:
        """Return one dataset's part; raise DamagedStates if it does not read back as written."""
        if dataset not in self.index:
            return {}, {}, {}, {}
        offset, size, crc = self.index[dataset]
        try:
            blob = os.pread(self.fd, size, offset)
            # A changed byte could still unmarshal, as another id or hash: an item closed by mistake.
            if len(blob) != size or zlib.crc32(blob) != crc:
                raise ValueError("checksum")
            found: Any = marshal.loads(blob)
        except (OSError, EOFError, ValueError, TypeError) as exc:
            raise DamagedStates(f"the state cache's part of {dataset} is damaged ({exc})") from exc
        if not (isinstance(found, tuple) and len(found) == 4):
            raise DamagedStates(f"the state cache's part of {dataset} is not one")
        return found

    def parts(self) -> Parts:
        """Return every dataset's states."""
        return {dataset: self.part(dataset) for dataset in self.index}

    def close(self) -> None:
        if self.fd >= 0:
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.fd = -1


class StateCache:
    """One database's item states in `folder`, a file per database (its URI without the password)."""

    def __init__(self, folder: Path, uri: str) -> None:
        parts = urlsplit(uri)
        where = f"{parts.hostname}:{parts.port}/{parts.path.strip('/')}?{parts.username}"
        self.path = folder / (hashlib.sha256(where.encode()).hexdigest()[:24] + ".states")

    def open(self, mark: str) -> Kept | None:
        """Return the file written for `mark`, open, or None."""
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except OSError:
            return None
        try:
            size = os.fstat(fd).st_size
            length = int.from_bytes(os.pread(fd, HEAD, 0), "little")
            found: Any = marshal.loads(os.pread(fd, length, HEAD)) if HEAD + length <= size else None
            if isinstance(found, tuple) and len(found) == 3 and found[:2] == (FORMAT, mark):
                start = HEAD + length
                index = {ds: (start + at, part, crc) for ds, (at, part, crc) in found[2].items()}
                if all(at + part <= size for at, part, _ in index.values()):
                    return Kept(fd, index)
        except (OSError, EOFError, ValueError, TypeError):
            pass
        os.close(fd)
        return None

    def write(self, mark: str, parts: Parts) -> None:
        """Keep the states for `mark` in place of any earlier ones; a write that fails keeps none."""
        folder = self.path.parent
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            # Written beside, then renamed: a reader never finds half a file.
            fd, name = tempfile.mkstemp(dir=folder, prefix=".states-")
            try:
                blobs = [marshal.dumps(part) for part in parts.values()]
                index: dict[str | None, tuple[int, int, int]] = {}
                offset = 0
                for dataset, blob in zip(parts, blobs, strict=True):
                    index[dataset] = (offset, len(blob), zlib.crc32(blob))
                    offset += len(blob)
                head = marshal.dumps((FORMAT, mark, index))  # offsets from the end of the header
                with os.fdopen(fd, "wb") as file:
                    file.write(len(head).to_bytes(HEAD, "little"))
                    file.write(head)
                    for blob in blobs:
                        file.write(blob)
                os.replace(name, self.path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(name)
                raise
        except OSError:
            # A full or read-only disk costs the next load its 50 s, never this load: an outdated file
            # is left out by its mark, and removed if it can be.
            with contextlib.suppress(OSError):
                self.path.unlink()


def by_dataset(nodes: States, edges: States) -> Parts:
    """Return the states split by the dataset that holds each item."""
    parts: Parts = {}
    for column, states in ((0, nodes), (2, edges)):
        for ident, (digest, dataset, present) in states.items():
            part = parts.get(dataset)
            if part is None:
                part = parts[dataset] = ({}, {}, {}, {})
            part[column if present else column + 1][ident] = digest
    return parts


def states(parts: Parts) -> tuple[States, States]:
    """Return the (node, relationship) states that `parts` hold, all datasets together."""
    nodes: States = {}
    edges: States = {}
    for dataset, part in parts.items():
        for column, found in ((0, nodes), (2, edges)):
            found.update((i, (h, dataset, True)) for i, h in part[column].items())
            found.update((i, (h, dataset, False)) for i, h in part[column + 1].items())
    return nodes, edges


def moved(parts: Parts, nodes: States, edges: States, written: tuple[set[str], set[str]]) -> None:
    """Put in `parts` the state of each item `written` (node ids, relationship identities) now has."""
    for column, found, idents in ((0, nodes, written[0]), (2, edges, written[1])):
        for ident in idents:
            for part in parts.values():
                part[column].pop(ident, None)
                part[column + 1].pop(ident, None)
            digest, dataset, present = found[ident]
            into = parts.get(dataset)
            if into is None:
                into = parts[dataset] = ({}, {}, {}, {})
            into[column if present else column + 1][ident] = digest
