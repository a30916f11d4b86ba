"""The items of an activities file (pmej with authorised and operated activities) for one day."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

from loaders.synthetic.common import (
    AUTHORISED,
    OPERATED,
    engagement,
    event,
    event_id,
    iso,
    past_day,
    registered,
    seed_of,
)
from loaders.synthetic.figures import Figures, Table
from loaders.synthetic.nature import NatureMaker
from loaders.synthetic.places import DEPARTMENTS
from loaders.synthetic.world import Activity, LegalEntity, World

AUTH = "pmej.activitesAutorisees[]."
OPER = "pmej.ege[].activitesExercees[]."
CAP_KEYS = ("genre", "habilitation", "modeFinancement", "typeLogement", "uniteMesureCapacite")


def _count_table(figs: Figures, name: str) -> Table:
    hist, _ = figs.histogram(name)
    return Table({str(k): n for k, n in hist.items()})


class ActivitiesWriter:
    """Renders the activities file; each activity pair draws from a generator seeded by its id."""

    def __init__(self, figs: Figures, world: World) -> None:
        self.figs, self.world, self.base = figs, world, world.base_day
        self.rng = random.Random()
        self.natures = NatureMaker(figs)
        n, g = figs.null, "caracteristiquesGeneriques."
        self.p = {
            "arhgos": n("activites", AUTH + g + "numAutorisationArhgos"),
            "start": n("activites", AUTH + g + "dateDebutActiviteAutorisee"),
            "op_start": n("activites", OPER + g + "dateDebutActiviteAutorisee"),
            "end": n("activites", AUTH + g + "dateFinActiviteAutorisee"),
            "exploitant": n("activites", AUTH + g + "pmSmsseExploitanteId"),
            "ege_exploitant": n("activites", OPER + g + "egeExploitanteId"),
            "auth_ev_obj2": n("activites", AUTH + "evenement[].identifiantObjet2"),
            "op_ev_obj2": n("activites", OPER + "evenement[].identifiantObjet2"),
            "number": n("activites", AUTH + "capacite[].nombre"),
            "zone_label": n("activites", AUTH + "zoneIntervention.libelleZI"),
            "eng_sub": n("activites", AUTH + "engagement[].sousTypeEngagement"),
        }
        # Operated lists hold copies of the authorised capacities plus the installed ones: the
        # installed ones' null rates are what is left once the copies are taken out.
        hist, _ = figs.histogram("authorised.capacities")
        copies = sum(k * v for k, v in hist.items())
        installed = figs.counts["installedCapacities"]
        auth_nulls = {k: n("activites", AUTH + "capacite[]." + k) for k in CAP_KEYS}
        op_nulls = {k: n("activites", OPER + "capacite[]." + k) for k in CAP_KEYS}
        self.cap_nulls = {
            "capacity.": auth_nulls,
            "installed.": {
                k: 1 - ((1 - op_nulls[k]) * (copies + installed) - (1 - auth_nulls[k]) * copies) / installed
                for k in CAP_KEYS
            },
        }
        self.t = {
            k: figs.table(k)
            for k in figs.data["codes"]
            if k.startswith(("capacity.", "installed.", "systemeMaitre.", "activityEngagement."))
        }
        self.t["autorite"] = figs.table("autorite")
        self.counts = {
            "caps": _count_table(figs, "authorised.capacities"),
            "installed": _count_table(figs, "operated.installedCapacities"),
            "engagements": _count_table(figs, "authorised.engagements"),
            "communes": _count_table(figs, "zone.communes"),
        }
        self.rates = figs.rates
        self.regions = {d.code: d.region for d in DEPARTMENTS}
        self.dept_codes = [d.code for d in DEPARTMENTS if len(d.code) == 2]

    def pmej_items(self) -> Iterator[dict[str, Any]]:
        """Yield one entry per legal entity holding authorisations, by pmSmsseId."""
        for entity in self.world.entities:
            if entity.authorisations:
                yield self.legal_entity(entity)

    def legal_entity(self, e: LegalEntity) -> dict[str, Any]:
        """Return one pmej entry: its authorised activities, then its establishments' operated ones."""
        operated: dict[int, dict[str, Any]] = {}
        authorised = []
        for act in sorted(e.authorisations, key=lambda a: a.ae_id):
            auth, oper = self.pair(act)
            authorised.append(auth)
            operated[act.ae_id] = oper
        return {
            "numFiness": e.finess,
            "pmSmsseId": str(e.pm_id),
            "activitesAutorisees": authorised,
            "ege": [
                {
                    "egeId": str(x.ege_id),
                    "numFinessEge": x.finess,
                    "activitesExercees": [operated[a.ae_id] for a in x.activities],
                }
                for x in e.establishments
            ],
        }

    def pair(self, a: Activity) -> tuple[dict[str, Any], dict[str, Any]]:
        """Return the authorised activity and the operated one that runs it."""
        r, p, rates = self.rng, self.p, self.rates
        r.seed(seed_of(self.world.seed, AUTHORISED, a.ae_id))
        ae, op = str(a.ae_id), str(a.ae_id + 1)
        start = a.started_on or past_day(r, self.base - 10, skew=0.5)
        op_start = start if r.random() < 0.9 else min(self.base - 1, start + r.randrange(400))
        base_end = past_day(r, self.base, start)
        u = [r.random() for _ in range(16)]
        region = self.regions[a.establishment.dept]
        arhgos = f"{region}-{r.randrange(10, 100)}-{r.randrange(1, 100000)}"
        spec_auth, spec_op, smsse = self.natures.make(a.nature, ae, op, r)
        caps = [self._capacity(r, ae, j, "09", "capacity.") for j in range(int(self.counts["caps"].pick(r)))]
        installed = int(self.counts["installed"].pick(r))
        op_caps = [dict(c, idCapacite=f"9{op}{j:02d}", activiteAeId=op) for j, c in enumerate(caps)]
        op_caps += [self._capacity(r, op, len(caps) + j, "08", "installed.") for j in range(installed)]
        engagements = [self._engagement(r, a, j) for j in range(int(self.counts["engagements"].pick(r)))]
        zone = self._zone(r, a) if u[0] < rates["zoneIntervention"] else None
        auth_events, op_events = self._events(r, a, start, base_end, u)
        ended_on = a.ended_on or (base_end if a.ended else 0)
        closed = a.closed or bool(a.ended_on)
        state = "I" if closed else "A"
        end = None if u[1] < p["end"] else iso(start + 365 * 15)
        exploiting_pm = str(r.randrange(1, len(self.world.entities) + 1))
        exploiting_ege = str(r.randrange(1, self.world.next_ege_id))
        op_caducite = iso(self.base + r.randrange(400, 1500))
        auth = {
            "caracteristiquesGeneriques": {
                "activiteAeId": ae,
                "etatObjet": state,
                "identifiantAutorisation": None,
                "numAutorisationArhgos": None if u[2] < p["arhgos"] else arhgos,
                "dateDebutActiviteAutorisee": None if u[3] < p["start"] and not a.started_on else iso(start),
                "dateFinActiviteAutorisee": end,
                "dateFinEffectiveActivite": iso(ended_on) if ended_on else None,
                "dateCaduciteAutorisation": iso(ended_on) if ended_on else None,
                "egeId": None,
                "typeActiviteSMSSE": smsse,
                "pmSmsseExploitanteId": None if u[4] >= 1 - p["exploitant"] else exploiting_pm,
            },
            "nature": {"codeNature": a.nature, "caracteristiquesSpecifiques": spec_auth},
            "evenement": auth_events,
            "engagement": engagements,
            "capacite": caps,
            "zoneIntervention": zone,
        }
        exploited = u[5] < 1 - p["ege_exploitant"]
        has_arhgos, kept = u[2] >= p["arhgos"], rates["operated.arhgosKept"]
        oper = {
            "caracteristiquesGeneriques": {
                "activiteAeId": op,
                "etatObjet": state,
                "identifiantAutorisation": ae,
                "numAutorisationArhgos": arhgos if has_arhgos and u[6] < kept else None,
                "dateDebutActiviteAutorisee": None
                if u[7] < p["op_start"] and not a.started_on
                else iso(op_start),
                "dateFinActiviteAutorisee": end,
                "dateFinEffectiveActivite": iso(ended_on) if ended_on else None,
                "dateCaduciteAutorisation": iso(ended_on)
                if ended_on
                else op_caducite
                if u[8] < rates["operated.caducite"]
                else None,
                "egeId": str(a.establishment.ege_id),
                "typeActiviteSMSSE": smsse,
                "egeExploitanteId": exploiting_ege if exploited else None,
                "egeFacturante": "O" if exploited else None,
            },
            "nature": {"codeNature": a.nature, "caracteristiquesSpecifiques": spec_op},
            "evenement": op_events,
            "engagement": [],
            "capacite": op_caps,
            "zoneIntervention": None,
        }
        return auth, oper

    def _capacity(self, r: random.Random, ae: str, j: int, status: str, table: str) -> dict[str, Any]:
        u = [r.random() for _ in range(6)]
        number = 0 if u[5] < 0.04 else int(2.718 ** (u[5] * 5.3))
        values = {k: self.t[table + k].pick(r) for k in CAP_KEYS}
        nulls = self.cap_nulls[table]
        return {
            "idCapacite": f"9{ae}{j:02d}",
            "nombre": None if u[0] < self.p["number"] else str(number),
            "precision": None,
            "variation": None,
            "activiteAeId": ae,
            "engagementId": None,
            "habilitation": None if u[1] < nulls["habilitation"] else values["habilitation"],
            "statutCapacite": status,
            "modeFinancement": None if u[2] < nulls["modeFinancement"] else values["modeFinancement"],
            "uniteMesureCapacite": values["uniteMesureCapacite"],
            "typeLogement": None if u[3] < nulls["typeLogement"] else values["typeLogement"],
            "genre": None if u[4] < nulls["genre"] else values["genre"],
        }

    def _engagement(self, r: random.Random, a: Activity, j: int) -> dict[str, Any]:
        effect = self.base - 1 - r.randrange(200)
        kind = self.t["activityEngagement.typeEngagement"].pick(r)
        sub = self.t["activityEngagement.sousTypeEngagement"].pick(r)
        region = self.regions[a.establishment.dept]
        return engagement(
            f"8{a.ae_id}{j:02d}",
            (kind, None if r.random() < self.p["eng_sub"] else sub),
            iso(effect),
            iso(effect + 5475),
            self.t["activityEngagement.motifArrete"].pick(r),
            [self.t["autorite"].pick(r) if r.random() < 0.3 else f"ARS-{region}"],
            name=f"ARRETE {r.randrange(2020, 2027)}-{r.randrange(1, 5000)}",
            reference="",
        )

    def _zone(self, r: random.Random, a: Activity) -> dict[str, Any]:
        count = int(self.counts["communes"].pick(r))
        dept = a.establishment.dept
        codes = self.dept_codes
        first = codes.index(dept) if dept in codes else r.randrange(len(codes))
        # Consecutive commune codes from the establishment's département on (large zones span
        # the next départements, as regional zones do).
        communes = [
            {"commune": f"{codes[(first + k // 899) % len(codes)]}{k % 899 + 1:03d}"} for k in range(count)
        ]
        label = None if r.random() < self.p["zone_label"] else f"ZI {dept} {r.randrange(1, 99)}"
        return {
            "zoneInterventionAutoriseeId": str(a.ae_id // 2),
            "libelleZI": label,
            "activiteAeId": str(a.ae_id),
            "communeZI": communes,
        }

    def _events(
        self, r: random.Random, a: Activity, start: int, base_end: int, u: list[float]
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Return both activities' histories; the day's events come after the base ones."""
        rates, p = self.rates, self.p
        later = past_day(r, self.base, start)
        ae, op = a.ae_id, a.ae_id + 1
        pm, ege = str(a.origin_pm), str(a.establishment.ege_id)
        auth_plan = [
            (True, start, "010"),
            (u[9] < rates["authEvent.010extra"], later, "010"),
            (u[10] < rates["authEvent.008"], later, "008"),
            (u[11] < rates["authEvent.030+031"], later, "030"),
            (u[11] < rates["authEvent.030+031"], later, "031"),
            (a.closed, base_end, "013"),
        ]
        op_plan = [
            (True, start, "010"),
            (u[12] < rates["opEvent.012"], start, "012"),
            (u[9] < rates["opEvent.010extra"], later, "010"),
            (u[10] < rates["authEvent.008"], later, "008"),
            (u[13] < rates["opEvent.015"], later, "015"),
            (u[14] < rates["opEvent.021+022"], later, "021"),
            (u[14] < rates["opEvent.021+022"], later, "022"),
            (a.closed, base_end, "013"),
        ]
        day_plan = [(True, a.ended_on, "013")] if a.ended_on else []
        auth_events: list[dict[str, Any]] = []
        op_events: list[dict[str, Any]] = []
        for plan, out, kind, ident, other, type2, master, p_null in (
            (auth_plan, auth_events, AUTHORISED, ae, pm, "PM", "authorised", p["auth_ev_obj2"]),
            (op_plan, op_events, OPERATED, op, ege, "EG", "operated", p["op_ev_obj2"]),
            (day_plan, auth_events, AUTHORISED, ae, pm, "PM", "authorised", p["auth_ev_obj2"]),
            (day_plan, op_events, OPERATED, op, ege, "EG", "operated", p["op_ev_obj2"]),
        ):
            for wanted, day, code in plan:
                if wanted:
                    when = registered(day, self.base, r)
                    system = self.t["systemeMaitre." + master].pick(r)
                    named = r.random() >= p_null
                    out.append(
                        event(
                            event_id(kind, ident, len(out)),
                            when,
                            iso(day),
                            code,
                            str(ident),
                            other if named else None,
                            system,
                            "AC",
                            type2 if named else None,
                            code,
                        )
                    )
        return auth_events, op_events
