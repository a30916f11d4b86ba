"""Time rules shared by both stores: when an item is valid, and which version of it was in force.

Observed time is kept as a flat tuple of snapshot dates `(from1, to1, from2, to2, …)`: an odd
length means the item is still present; `from1` is None for an item seen in the first snapshot of
its dataset (nothing is known of its start). Valid time comes from the source dates.
"""

from __future__ import annotations

from collections.abc import Sequence

Observed = tuple[str | None, ...]


def intervals(observed: Observed) -> list[tuple[str | None, str | None]]:
    """Return the observed intervals as (from, to) pairs, `to` None while present."""
    if len(observed) == 1:  # the common case: present since its first observation
        return [(observed[0], None)]
    items = list(observed)
    if len(items) % 2:
        items.append(None)
    return [(items[i], items[i + 1]) for i in range(0, len(items), 2)]


def is_present(observed: Observed) -> bool:
    """Tell whether the item was in the latest snapshot of its dataset."""
    return len(observed) % 2 == 1


def within(day: str, start: str | None, end: str | None) -> bool:
    """Tell whether `day` is in [start, end), an open bound being None."""
    return (start is None or start <= day) and (end is None or day < end)


def valid_at(day: str, valid_from: str | None, valid_to: str | None, observed: Observed) -> bool:
    """Apply the one validity rule (see docs/graph-schema.md, *Time*) to an item at `day`."""
    seen = any(within(day, start, end) for start, end in intervals(observed))
    if valid_from is None and valid_to is None:
        return seen
    if not within(day, valid_from, valid_to):
        return False
    first = observed[0] if observed else None
    # Source-dated items are valid before their first observation, never in a later gap.
    return seen or (first is not None and day < first)


def observed_at(day: str, observed: Observed) -> bool:
    """Tell whether the item was in the snapshot in force at `day` (observed time)."""
    return any(within(day, start, end) for start, end in intervals(observed))


def version_index(day: str, history_untils: Sequence[str]) -> int:
    """Return which version was in force at `day`: the index of the first version whose end is after it.

    `history_untils` are the end dates of the previous versions, oldest first; the result equals
    their count when the current version is the one in force.
    """
    for i, until in enumerate(history_untils):
        if day < until:
            return i
    return len(history_untils)
