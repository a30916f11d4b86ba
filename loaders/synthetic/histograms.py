"""Cardinality histograms: fitting a census tail and drawing exact-sum count lists at any scale."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence


def power_tail(lo: int, hi: int, mean: float) -> list[float]:
    """Return the probabilities of lo..hi under a truncated power law whose mean is `mean`."""
    mean = min(max(mean, lo + 1e-9), hi - 1e-9)
    ks = range(lo, hi + 1)

    def mean_of(alpha: float) -> float:
        weights = [pow(float(k), -alpha) for k in ks]
        return float(sum(k * w for k, w in zip(ks, weights, strict=True)) / sum(weights))

    # The mean falls as alpha grows: bisect on a wide bracket (negative alpha favours the top).
    low, high = -6.0, 12.0
    for _ in range(80):
        mid = (low + high) / 2
        if mean_of(mid) > mean:
            low = mid
        else:
            high = mid
    weights = [pow(float(k), -low) for k in ks]
    total = sum(weights)
    return [w / total for w in weights]


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split the integer `total` in proportion to `weights` by largest remainders."""
    wsum = sum(weights)
    if total <= 0 or wsum <= 0:
        return [0] * len(weights)
    raw = [total * w / wsum for w in weights]
    counts = [int(x) for x in raw]
    order = sorted(range(len(raw)), key=lambda i: (counts[i] - raw[i], i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def fit(
    items: int,
    total: int,
    known: Mapping[int, int],
    lo: int,
    hi: int,
    pinned: Sequence[int] = (),
) -> dict[int, int]:
    """Complete a census histogram whose tail was cut with a power-law tail on lo..hi, sums exact."""
    # `pinned` outliers count in the item and element totals but are left out of the result (the
    # generator adds them back, scaled).
    rest_items = items - sum(known.values()) - len(pinned)
    rest_total = total - sum(k * n for k, n in known.items()) - sum(pinned)
    hist = dict(known)
    if rest_items > 0:
        # Rounding empties the thin far tail, lowering the sum: aim the fit higher until it lands.
        aim = rest_total / rest_items
        for _ in range(40):
            counts = apportion(rest_items, power_tail(lo, hi, aim))
            missing = rest_total - sum((lo + i) * n for i, n in enumerate(counts))
            if abs(missing) <= rest_items // 1000:
                break
            aim += missing / rest_items
        tail = {lo + i: n for i, n in enumerate(counts) if n}
        _settle(tail, rest_total, lo, hi)
        for k, n in tail.items():
            hist[k] = hist.get(k, 0) + n
    return dict(sorted(hist.items()))


def _settle(tail: dict[int, int], target: int, lo: int, hi: int) -> None:
    """Move single items one bucket up or down until the weighted sum is exactly `target`."""
    diff = target - sum(k * n for k, n in tail.items())
    step = 1 if diff > 0 else -1
    while diff:
        movable = [k for k, n in sorted(tail.items()) if n and lo <= k + step <= hi]
        if not movable:
            return
        # One item per bucket and pass, so the correction spreads over the whole tail.
        for k in movable[::-step]:
            if not diff:
                break
            tail[k] -= 1
            tail[k + step] = tail.get(k + step, 0) + 1
            diff -= step


def draw(
    hist: Mapping[int, int],
    items: int,
    total: int | None,
    rng: random.Random,
    floor: int = 0,
) -> list[int]:
    """Return `items` shuffled counts shaped like `hist`, summing exactly to `total` when given."""
    # Buckets are scaled by largest remainders, so the national histogram comes back exactly at
    # scale 1.0 and a proportionally thinner tail at smaller scales; the sum is then adjusted one
    # unit at a time on random items at or above `floor` (so the 0 and 1 buckets keep their share).
    keys = sorted(hist)
    counts = apportion(items, [hist[k] for k in keys])
    values = [k for k, n in zip(keys, counts, strict=True) for _ in range(n)]
    rng.shuffle(values)
    if total is None or not values:
        return values
    diff = total - sum(values)
    adjustable = [i for i, v in enumerate(values) if v >= max(floor, 1)] or list(range(len(values)))
    while diff:
        i = adjustable[rng.randrange(len(adjustable))]
        if diff > 0:
            values[i] += 1
            diff -= 1
        elif values[i] > max(floor, 1):
            values[i] -= 1
            diff += 1
        elif all(values[j] <= max(floor, 1) for j in adjustable):
            break
    return values
