"""FINESS numbers: nine characters, the last a Luhn key (except Corsican 2A/2B numbers)."""

from __future__ import annotations

import re

_SHAPE = re.compile(r"^[0-9][0-9AB][0-9]{7}$")


def luhn_ok(digits: str) -> bool:
    """Tell whether an all-digit string passes the Luhn check."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def finess_problem(number: str | None) -> str | None:
    """Return why `number` is not a valid FINESS number, or None when it is."""
    if not number:
        return "missing FINESS number"
    if not _SHAPE.match(number):
        return f"FINESS number {number!r} is not 9 characters of the form 99 9999999 (2A/2B allowed)"
    if number.isdigit() and not luhn_ok(number):
        return f"FINESS number {number!r} fails its Luhn key"
    # Corsican numbers (2A…, 2B…) follow a key rule not published: accepted unchecked.
    return None


# What a structure can be asked for by: a FINESS number, a GCC number (11 digits), a grouping id.
IDENTIFIER_PATTERN = r"^(?:[0-9][0-9AB][0-9]{7}|[0-9]{11}|gc[co]:[0-9A-Za-z_.-]{1,40})$"
_IDENTIFIER = re.compile(IDENTIFIER_PATTERN)


def identifier_problem(text: str) -> str | None:
    """Return why `text` cannot name a structure, or None when its shape is right (it may not exist)."""
    if _IDENTIFIER.fullmatch(text):  # not match: `$` would let a final newline through
        return None
    shown = text if len(text) <= 40 else text[:40] + "…"
    return (
        f"{shown!r} is not a FINESS number (9 characters), a GCC number (11 digits) "
        "or a grouping id (gcc:…, gco:…)"
    )
