"""Contacts and engagements of legal entities and establishments in the structures file."""

from __future__ import annotations

import random
from typing import Any

from loaders.synthetic.common import ESTABLISHMENT, engagement, iso, past_day
from loaders.synthetic.figures import Figures, Table
from loaders.synthetic.geo import Geography
from loaders.synthetic.places import phone_prefix

PATHS = {1: "pmej", 2: "pmej.ege[]"}  # common.LEGAL_ENTITY, common.ESTABLISHMENT


class Details:
    """Draws contacts and engagements with the null rates measured at their own paths."""

    def __init__(self, figs: Figures, geo: Geography, base: int) -> None:
        self.geo, self.base = geo, base
        n = figs.null
        self.p = {
            kind: {
                name: n("structures", f"{path}.{name}")
                for name in (
                    "contact[].telecom.telephone",
                    "contact[].telecom.telecopie",
                    "contact[].telecom.courriel",
                    "engagement[].typeEngagement",
                    "engagement[].sousTypeEngagement",
                    "engagement[].motifArrete",
                    "engagement[].dateFinEngagement",
                )
            }
            for kind, path in PATHS.items()
        }
        self.kinds = Table({f"{t}|{s}": n for t, s, n in figs.data["codes"]["engagementKinds"]})
        self.authorities, self.motifs = figs.table("autorite"), figs.table("motifArrete")

    def contact(self, r: random.Random, dept: str, kind: int) -> dict[str, Any]:
        """Return one contact (phone numbers of the département's numbering zone)."""
        p = self.p[kind]
        prefix = phone_prefix(self.geo.departments[dept].region)
        phone = prefix + str(r.randrange(10 ** (10 - len(prefix)))).zfill(10 - len(prefix))
        fax = phone[:-2] + str(r.randrange(100)).zfill(2)
        u = [r.random() for _ in range(3)]
        mail = f"contact{r.randrange(1000)}@exemple.fr"
        return {
            "typeContact": {"roleContact": "01"},
            "telecom": {
                "telephone": None if u[0] < p["contact[].telecom.telephone"] else phone,
                "telecopie": None if u[1] < p["contact[].telecom.telecopie"] else fax,
                "courriel": None if u[2] < p["contact[].telecom.courriel"] else mail,
            },
        }

    def engagement(
        self,
        kind: int,
        ident: int,
        j: int,
        after: int,
        dept: str,
        r: random.Random,
        recent: bool = False,
    ) -> dict[str, Any]:
        """Return one engagement: old ones bare, recent ones (FINESS+ era) fully described."""
        p = self.p[kind]
        t, s = self.kinds.pick(r).split("|")
        u = [r.random() for _ in range(4)]
        # Only recent engagements carry an end, a notification and an authority (census: the
        # same 88 of 77,260 on establishments; all 8 on legal entities).
        recent = recent or u[0] >= p["engagement[].dateFinEngagement"]
        effect = self.base - 1 - r.randrange(200) if recent else past_day(r, self.base, after)
        region = self.geo.departments[dept].region
        authority = self.authorities.pick(r) if r.random() < 0.5 else f"ARS-{region}"
        motif = self.motifs.pick(r)
        # Establishments: the recent engagements carry the motif (82 of 88); entities: half of them.
        null_motif = not recent if kind == ESTABLISHMENT else u[3] < p["engagement[].motifArrete"]
        return engagement(
            f"{kind}{ident}{j:02d}",
            (
                None if u[1] < p["engagement[].typeEngagement"] else t,
                None if u[2] < p["engagement[].sousTypeEngagement"] else s,
            ),
            iso(effect),
            iso(effect + 5475) if recent else None,
            None if null_motif else motif,
            [authority] if recent else [],
        )
