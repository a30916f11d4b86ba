"""The Neo4j loader's item states kept in a local file between loads, named by what they describe.

A daily load compares each record's content hash with the one the database holds: reading the
12 million states of a national database takes about 50 s of a next-day load, loading them from this
file about 6 s. The file is used only when the database's committed content is the one the file was
written for (`mark`: the database's id and the load that last wrote each dataset, which changes with
every commit, wherever it ran); anything else — another mark, an unreadable or foreign file — is a
miss, and the states are read from the database as before.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

FORMAT = "finess-graph states 1"
States = dict[str, tuple[str | None, str | None, bool]]


class StateCache:
    """One database's item states in `folder`, a file per database (its URI without the password)."""

    def __init__(self, folder: Path, uri: str) -> None:
        parts = urlsplit(uri)
        where = f"{parts.hostname}:{parts.port}/{parts.path.strip('/')}?{parts.username}"
        self.path = folder / (hashlib.sha256(where.encode()).hexdigest()[:24] + ".states")

    def read(self, mark: str) -> tuple[States, States] | None:
        """Return the (node, relationship) states written for `mark`, or None."""
        try:
            # From bytes: marshal.load on a file reads it a few bytes at a time (21 s instead of 6).
            found: Any = marshal.loads(self.path.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            return None
        if not (isinstance(found, tuple) and len(found) == 4 and found[:2] == (FORMAT, mark)):
            return None
        return found[2], found[3]

    def write(self, mark: str, nodes: States, edges: States) -> None:
        """Keep the states for `mark` in place of any earlier ones; a write that fails keeps none."""
        folder = self.path.parent
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            # Written beside, then renamed: a reader never finds half a file.
            fd, name = tempfile.mkstemp(dir=folder, prefix=".states-")
            try:
                with os.fdopen(fd, "wb") as file:
                    file.write(marshal.dumps((FORMAT, mark, nodes, edges)))
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
