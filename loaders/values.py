"""What the loaders make of values that an official file may get wrong: dates, lists, property values.

Every record a loader yields passes through `checked` on its way to a store: a property value no store
can keep (an object, a list mixing types, a number that is not finite or beyond 64 bits) is dropped or
turned into text, a valid-time bound that is not a real date is dropped, a structure given twice is
reported; each with a warning of its kind. Both stores then keep the same records.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterator
from typing import Any

from graph.errors import InvalidData
from graph.model import LoadReport, Node, Record
from graph.store import STRUCTURE_LABELS

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
INT64 = (-(1 << 63), (1 << 63) - 1)
SCALARS = (str, bool, int, float)
# No metric projection gives a point of the Earth beyond 100,000 km: past it a value is no coordinate.
MAX_PROJECTED = 1e8


def iso_date(value: Any) -> str | None:
    """Return `value` when it is a real date written YYYY-MM-DD, else None."""
    if not isinstance(value, str) or not _ISO.fullmatch(value):
        return None
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return None
    return value


def snapshot_day(value: Any, file: str, where: str) -> str:
    """Return the date of a snapshot, refusing one that is no real date or is later than tomorrow.

    A snapshot dated in the future (9999-12-31) would make every real one after it "older" and refused.
    """
    day = iso_date(value)
    if day is None:
        reason = f"{str(value)[:40]!r} is not a date (YYYY-MM-DD): the snapshot cannot be dated"
        raise InvalidData(file, where, reason)
    tomorrow = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)
    if dt.date.fromisoformat(day) > tomorrow:
        raise InvalidData(file, where, f"{day} is a date in the future: no snapshot is dated so")
    return day


def items(value: Any, path: str, report: LoadReport) -> list[Any]:
    """Return a JSON array's items; anything else where an array belongs is warned about and skipped."""
    if isinstance(value, list):
        return value
    if value is not None and value != "" and value != {}:
        report.warn("not-a-list", f"{path} is {type(value).__name__}, not a list: skipped", skipped=True)
    return []


def _int64(value: int) -> bool:
    return INT64[0] <= value <= INT64[1]


def _storable(value: Any) -> tuple[Any, str | None]:
    """Return a value as a store keeps it (None: dropped) and what was wrong with it, if anything."""
    kind = type(value)
    if kind is str or kind is bool:
        return value, None
    if kind is int:
        return (value, None) if _int64(value) else (str(value), "a whole number beyond 64 bits")
    if kind is float:
        return (value, None) if math.isfinite(value) else (None, f"the number {value}")
    if kind is list:
        kept = [v for v in value if isinstance(v, SCALARS) and (type(v) is not float or math.isfinite(v))]
        if len({type(v) for v in kept}) > 1 or not all(_int64(v) for v in kept if type(v) is int):
            return [str(v) for v in kept], "a list of mixed values, kept as text"
        if len(kept) < len(value):
            return kept, "a list holding objects, lists or non-finite numbers, left out"
        return value, None
    return None, f"{'an object' if kind is dict else kind.__name__}, not a value"


def _props(record: Record, report: LoadReport) -> Record:
    props = record.props
    if not props:  # most relationships
        return record
    bad = [k for k, v in props.items() if type(v) is not str and _storable(v)[1] is not None]
    if not bad:
        return record
    props = dict(props)
    name = record.id if isinstance(record, Node) else record.ident
    for key in bad:
        value, problem = _storable(props[key])
        report.warn("bad-value", f"{name}: property {key} is {problem}")
        if value is None:
            del props[key]
        else:
            props[key] = value
    return record._replace(props=props)


def checked(records: Iterator[Record], report: LoadReport) -> Iterator[Record]:
    """Yield the records with what no store keeps fixed or left out, each fix warned about."""
    structures: set[str] = set()
    # The valid-time bounds found to be real dates so far: a few thousand days for millions of records.
    days: set[str | None] = {None}
    for record in records:
        record = _props(record, report)
        start, end = record.valid_from, record.valid_to
        try:
            known = start in days and end in days
        except TypeError:  # a list or an object where a date belongs
            known = False
        if not known and all(v is None or iso_date(v) for v in (start, end)):
            days.update((start, end))
        elif not known:
            name = record.id if isinstance(record, Node) else record.ident
            for value in (v for v in (start, end) if v is not None and iso_date(v) is None):
                reason = f"{value!r} is not a date (YYYY-MM-DD); not used as valid time"
                report.warn("bad-date", f"{name}: {reason}")
            record = record._replace(
                valid_from=start if iso_date(start) else None, valid_to=end if iso_date(end) else None
            )
        if type(record) is Node and record.label in STRUCTURE_LABELS:
            if record.id in structures:
                twice = f"{record.label} {record.id} is given twice: the last one is kept"
                report.warn("duplicate-id", twice)
            structures.add(record.id)
        yield record
