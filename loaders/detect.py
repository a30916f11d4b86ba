"""Tell an official file's format from its content and read it as a snapshot."""

from __future__ import annotations

import importlib
from pathlib import Path

from graph.errors import InvalidData
from graph.model import Snapshot
from loaders.source import read_head
from loaders.values import checked

# Each module offers `matches(head) -> bool` and `read(path) -> Snapshot`; tried in this order.
FORMATS = ("finess_plus", "etalab_csv", "nomenclature", "flux_xml")
KNOWN = (
    "FINESS+ JSON structures or activities, etalab CSV cs1100501/502/507, "
    "XML flux cs1400101–109, nomenclatures cs1500106/107"
)


def read_snapshot(path: Path) -> Snapshot:
    """Open `path` (plain or gzip) with the loader its content calls for."""
    if not path.is_file():
        raise InvalidData(str(path), None, "no such file")
    head = read_head(path, 65536)
    if not head.strip():
        raise InvalidData(str(path), "line 1", "the file is empty")
    for name in FORMATS:
        fmt = importlib.import_module(f"loaders.{name}")
        if fmt.matches(head):
            snapshot: Snapshot = fmt.read(path)
            snapshot.records = checked(snapshot.records, snapshot.report)
            return snapshot
    raise InvalidData(str(path), "line 1", f"is not a format this tool reads ({KNOWN})")
