"""The cyclic garbage collector tuned for a process that answers queries: long-lived objects frozen."""

from __future__ import annotations

import gc


def long_lived(collect: bool = False) -> None:
    """Freeze what exists now and collect the young generation every 100,000 allocations, not 700.

    `collect` first frees the garbage of the moment, which would otherwise be frozen for ever (not
    worth a full pass right after a store was read: it made no garbage).
    """
    if collect:
        gc.collect()
    # Frozen, the objects that live as long as the process (an embedded store's millions, the
    # schema, the modules) stay out of the collector's full passes: hundreds of ms nationally,
    # which fell into some query's latency.
    gc.freeze()
    # A large answer is tens of thousands of young objects, all kept: collecting the young
    # generation every 700 allocations (the default) walked them again and again, a fifth of
    # the largest organigram's time. Every 100,000 allocations frees the same cycles.
    gc.set_threshold(100_000, *gc.get_threshold()[1:])
