"""Checks on what a client asks for, shared by GraphQL, REST and the command line: one sentence each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from graph.errors import InvalidRequest, NotFound
from graph.finess_number import identifier_problem
from graph.queries import RELATION_TYPES

MAX_TEXT = 200


def checked(finess: str) -> str:
    """Return an identifier once its shape is right; refuse it in one sentence otherwise."""
    problem = identifier_problem(finess.strip())
    if problem:
        raise InvalidRequest(problem)
    return finess.strip()


def bounded(name: str, value: int, low: int, high: int) -> int:
    """Refuse an argument out of its bounds, naming it."""
    if not low <= value <= high:
        raise InvalidRequest(f"{name}: {value} is out of range; use {low} to {high}")
    return value


def text_checked(text: str | None) -> str | None:
    """Refuse a search text longer than any name."""
    if text is not None and len(text) > MAX_TEXT:
        raise InvalidRequest(f"text: {len(text)} characters is too long; use at most {MAX_TEXT}")
    return text


def day_text(as_of: dt.date | None) -> str | None:
    """Return a date as the ISO string the stores take."""
    return as_of.isoformat() if as_of else None


def relations_checked(relations: Iterable[str] | None) -> list[str] | None:
    """Return the relationship types asked for, sorted, or None for the default ones; refuse unknown ones."""
    if relations is None:
        return None
    names = sorted(set(relations))
    unknown = [n for n in names if n not in RELATION_TYPES]
    if unknown:
        raise InvalidRequest(
            f"unknown relation type {', '.join(unknown)}: choose among {', '.join(sorted(RELATION_TYPES))}"
        )
    return names


def absent(what: str, at: str | None) -> NotFound:
    """Return the error for a structure (or grouping) the store does not hold at that date."""
    when = f" at {at}" if at else ""
    return NotFound(f"no structure with FINESS number or id {what!r}{when} in the store")
