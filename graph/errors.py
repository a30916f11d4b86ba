"""One exception root for the whole project, with a few precise subclasses."""

from __future__ import annotations


class FinessGraphError(Exception):
    """Root of every error this project raises on purpose."""


class NotFound(FinessGraphError):
    """A structure, grouping or snapshot that the store does not hold."""


class InvalidData(FinessGraphError):
    """Input that cannot be loaded: names the file, where in it, and why."""

    def __init__(self, file: str, where: str | None, reason: str) -> None:
        self.file = file
        self.where = where
        self.reason = reason
        place = f"{file}, {where}" if where else file
        super().__init__(f"{place}: {reason}")

    def __reduce__(self) -> tuple[type[InvalidData], tuple[str, str | None, str]]:
        # Pickled whole (a file compared in a child process, graph/snapshot_diff.py), not by message.
        return (InvalidData, (self.file, self.where, self.reason))


class SnapshotRefused(FinessGraphError):
    """A snapshot older than the latest one already loaded for its dataset."""


class StoreUnavailable(FinessGraphError):
    """The store cannot be opened or reached (missing file, server down)."""


class QueryTimeout(FinessGraphError):
    """A store query ran longer than the query timeout and was stopped."""


class BodyTooLarge(FinessGraphError):
    """A request whose body is larger than the API accepts."""


class DamagedStates(FinessGraphError):
    """A part of the state cache file that does not read back as written: the database is read instead."""


class LoadInProgress(FinessGraphError):
    """Another load into the same Neo4j database is still running."""


class InvalidRequest(FinessGraphError):
    """A question the project cannot answer as asked: an unknown export format, an argument out of range."""


class AnswerTooLarge(InvalidRequest):
    """A question whose answer would hold more nodes than one request may fetch."""
