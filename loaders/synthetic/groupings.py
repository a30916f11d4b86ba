"""The gco and gcc items of a structures file: organic and conventional groupings."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

from loaders.synthetic.common import GCC, event, event_id, seed_of, stamp
from loaders.synthetic.figures import Figures
from loaders.synthetic.world import World


def gco_items(world: World) -> Iterator[dict[str, Any]]:
    """Yield the gco entries by head id; GCS and GCSMS heads list their members (role M)."""
    for g in sorted(world.gcos, key=lambda g: g.head.pm_id):
        yield {
            "pmSmsseId": str(g.head.pm_id),
            "typeGco": g.type_gco,
            "pmejDuGco": [{"pmSmsseId": str(m.pm_id), "typeRoleEntiteGroupe": "M"} for m in g.members],
            "egeDuGco": [
                {"egeId": str(e.ege_id), "typeRoleEntiteGroupe": "M"} for e in g.member_establishments
            ],
        }


def gcc_items(world: World, figs: Figures) -> Iterator[dict[str, Any]]:
    """Yield the gcc entries (GHTs) by gccId, with their members and one support (S) each."""
    dates = figs.table("gccEventDate")
    r = random.Random()
    for g in world.gccs:
        r.seed(seed_of(world.seed, GCC, g.gcc_id))
        ident = str(g.gcc_id)
        when = dates.pick(r)
        registered = stamp(world.base_day - 37, r)
        number = str(r.randrange(10**10, 10**11))  # numFinessGcc has 11 digits in the real file
        yield {
            "gccId": ident,
            "nomGcc": g.name,
            "typeGcc": g.type_gcc,
            "numFinessGcc": number,
            "engagement": [],
            "evenement": [
                event(
                    event_id(GCC, g.gcc_id, 0), registered, when, "003", ident, None, "01", "GR", None, "003"
                )
            ],
            "pmejDuGcc": [{"pmSmsseId": str(e.pm_id), "typeRoleEntiteGroupe": role} for e, role in g.members],
            "egeDuGcc": [],
            "etatObjet": "A",
            # Untouched GHTs carry the register's "never updated" placeholder, as in the real file.
            "dateDerniereMaj": stamp(g.touched, r) if g.touched else "1900-01-01 00:00:00",
        }
