"""Checks on what a client asks for, shared by GraphQL, REST and the command line: one sentence each."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from graph.errors import InvalidRequest, NotFound
from graph.finess_number import identifier_problem
from graph.queries import RELATION_TYPES

MAX_TEXT = 200
# The shapes of the codes a search filters by: COG codes (Corsica's 2A/2B included) and FINESS categories;
# anchored, as the OpenAPI document gives them to clients.
CODES = {
    "department": (r"^(?:[0-9]{2,3}|2[AB])$", "2 or 3 characters (21, 2A, 971)"),
    "region": (r"^[0-9]{2}$", "2 digits (27)"),
    "commune": (r"^[0-9][0-9AB][0-9]{3}$", "a COG code of 5 characters (21231, 2A004)"),
    "category": (r"^[0-9]{3}$", "3 digits (355)"),
}


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


def code_checked(name: str, value: str | None) -> str | None:
    """Return a search filter's code once its shape is right; refuse it in one sentence otherwise."""
    if value is None:
        return None
    shape, example = CODES[name]
    if not re.fullmatch(shape, value):
        shown = value if len(value) <= 40 else value[:40] + "…"
        raise InvalidRequest(f"{name}: {shown!r} is not a code of its kind: use {example}")
    return value


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
