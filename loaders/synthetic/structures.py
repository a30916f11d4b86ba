"""The pmej items of a structures file (legal entities and their establishments) for one day."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

from loaders.synthetic.common import (
    ESTABLISHMENT,
    LEGAL_ENTITY,
    NAME,
    AddressMaker,
    event,
    event_id,
    iso,
    past_day,
    registered,
    seed_of,
    stamp,
)
from loaders.synthetic.details import Details
from loaders.synthetic.figures import Figures, Table
from loaders.synthetic.geo import Geography
from loaders.synthetic.identifiers import siret
from loaders.synthetic.texts import PLACES, establishment_names, legal_entity_names
from loaders.synthetic.world import Establishment, LegalEntity, World

PM = "pmej.informationsGeneralesPMEJ."
EG = "pmej.ege[].informationsGeneralesEGE."


def _count_table(figs: Figures, name: str) -> Table:
    hist, _ = figs.histogram(name)
    return Table({str(k): n for k, n in hist.items()})


class StructuresWriter:
    """Renders the structures file's items; every object draws from its own seeded generator."""

    def __init__(self, figs: Figures, world: World, geo: Geography) -> None:
        self.figs, self.world, self.geo = figs, world, geo
        self.rng = random.Random()
        self.ege_rng = random.Random()  # establishments draw apart from their legal entity
        self.names = random.Random()
        self.pm_address = AddressMaker(figs, geo, "pmej.adresse[]")
        self.ege_address = AddressMaker(figs, geo, "pmej.ege[].adresse[]")
        n = figs.null
        self.p_pm = {k: n("structures", PM + k) for k in ("codeApe", "complementAdressePmSmsse")}
        self.p_eg = {
            k: n("structures", EG + k)
            for k in (
                "complementDenominationEg",
                "dateOuverture",
                "datePremiereAutorisation",
                "numeroEducationNationale",
                "numeroReferenceExterne",
                "espic",
            )
        }
        self.p_no_category = n("structures", "pmej.ege[].categorieentiteGeographiqueExercice")
        self.details = Details(figs, geo, world.base_day)
        self.contacts = {
            "pm": _count_table(figs, "legalEntity.contacts"),
            "ege": _count_table(figs, "establishment.contacts"),
        }
        self.engagements = {
            "pm": _count_table(figs, "legalEntity.engagements"),
            "ege": _count_table(figs, "establishment.engagements"),
        }
        self.t = {name: figs.table(name) for name in figs.data["codes"] if name != "engagementKinds"}
        self.rates = figs.rates
        self.base = world.base_day

    # -- legal entities ----------------------------------------------------------------------

    def pmej_items(self) -> Iterator[dict[str, Any]]:
        """Yield the pmej entries with their establishments, by pmSmsseId."""
        for entity in self.world.entities:
            yield self.legal_entity(entity)

    def legal_entity(self, e: LegalEntity) -> dict[str, Any]:
        """Return one pmej entry."""
        # Every draw happens whatever the object's current state, so that a change on one day
        # (closure, new establishment…) leaves all the other fields as they were.
        r, p = self.rng, self.p_pm
        r.seed(seed_of(self.world.seed, LEGAL_ENTITY, e.pm_id))
        created = past_day(r, self.base - 30, skew=0.6)
        closed_on = past_day(r, self.base, created)
        base_touch = past_day(r, self.base, max(created, self.base - 3650))
        future_close = r.random() < self.rates["legalEntity.closeDateWhenActive"]
        commune = self.geo.commune(e.dept, r)
        short, long = legal_entity_names(r, e.statut, commune.name)
        u = [r.random() for _ in range(4)]
        ape, public_service = self.t["codeApe"].pick(r), self.t["fonctionPublique"].pick(r)
        complement = r.choice(PLACES)
        events = [self._pm_event(e, 0, created, "001", "001", r)]
        for code, key in (("034", "pmEvent.034"), ("002", "pmEvent.002"), ("037", "pmEvent.037")):
            if r.random() < self.rates[key]:
                day = past_day(r, self.base, created)
                events.append(self._pm_event(e, len(events), day, code, code, r))
        state = self.t["closureState.legalEntity"].pick(r)
        if e.closed and u[0] < self.rates["pmEvent.005|closed"]:
            events.append(self._pm_event(e, len(events), closed_on, "005", state, r))
        address = self.pm_address.make(r, "02", commune, short)
        contacts = [
            self.details.contact(r, e.dept, LEGAL_ENTITY) for _ in range(int(self.contacts["pm"].pick(r)))
        ]
        engagements = [
            self.details.engagement(LEGAL_ENTITY, e.pm_id, j, created, e.dept, r)
            for j in range(int(self.engagements["pm"].pick(r)))
        ]
        updated = stamp(e.touched, r) if e.touched else f"{iso(base_touch)} 00:00:00"
        return {
            "informationsGeneralesPMEJ": {
                "pmSmsseId": str(e.pm_id),
                "codeApe": None if e.siren is None else ape,
                "complementAdressePmSmsse": None if u[1] < p["complementAdressePmSmsse"] else complement,
                "dateCreation": iso(created),
                "dateFermeture": iso(closed_on)
                if e.closed
                else iso(self.base + 400)
                if future_close
                else None,
                "denominationLonguePmSmsse": long,
                "denominationPm": short,
                "numFinessPm": e.finess,
                "fonctionPublique": public_service if e.statut < "31" else None,
                "categorieentiteGeographiqueExercice": None,
                "siren": e.siren,
                "statutJuridique": e.statut,
                "typeGroupeGco": e.gco_type,
                "typePersonneMorale": "01",
            },
            "adresse": [address],
            "contact": contacts,
            "engagement": engagements,
            "evenement": events,
            "ege": [self.establishment(x) for x in e.establishments],
            "etatObjet": "I" if e.closed else "A",
            "dateDerniereMaj": updated,
        }

    def _pm_event(
        self, e: LegalEntity, j: int, day: int, code: str, state: str, r: random.Random
    ) -> dict[str, Any]:
        when = registered(day, self.base, r)
        master = self.t["systemeMaitre.legalEntity"].pick(r)
        return event(
            event_id(LEGAL_ENTITY, e.pm_id, j),
            when,
            iso(day),
            state,
            str(e.pm_id),
            None,
            master,
            "PM",
            None,
            code,
        )

    # -- establishments ----------------------------------------------------------------------

    def establishment(self, x: Establishment) -> dict[str, Any]:
        """Return one ege entry of its legal entity."""
        r, p, rates = self.ege_rng, self.p_eg, self.rates
        r.seed(seed_of(self.world.seed, ESTABLISHMENT, x.ege_id))
        opened = x.opened_on or past_day(r, self.base - 30, skew=0.6)
        base_close = past_day(r, self.base, opened)
        base_touch = past_day(r, self.base, max(opened, self.base - 3650))
        first_authorised = opened if r.random() < 0.7 else past_day(r, base_close, opened)
        commune = self.geo.commune(x.dept, r)
        u = [r.random() for _ in range(12)]
        names = self.names
        names.seed(seed_of(self.world.seed, NAME, x.ege_id, x.name_version))
        short, long = establishment_names(names, x.category, self.figs.category_labels, commune.name)
        mft, budget, espic = (self.t[k].pick(r) for k in ("modeFixationTarifaire", "typeBudget", "espic"))
        complement = r.choice(PLACES)
        usages = [self.t["extraAddressUsage"].pick(r) for _ in range(x.addresses - 1)]
        addresses = [self.ege_address.make(r, "03", commune, short)]
        addresses += [self.ege_address.make(r, usage, self.geo.commune(x.dept, r), short) for usage in usages]
        contacts = [
            self.details.contact(r, x.dept, ESTABLISHMENT) for _ in range(int(self.contacts["ege"].pick(r)))
        ]
        count, showcase = int(self.engagements["ege"].pick(r)), x.ege_id == self.world.showcase
        engagements = [
            self.details.engagement(ESTABLISHMENT, x.ege_id, j, opened, x.dept, r, showcase and not j)
            for j in range(max(count, showcase))
        ]
        events = self._ege_events(x, opened, base_close, r, u)
        updated = stamp(x.touched, r) if x.touched else f"{iso(base_touch)} 00:00:00"
        no_category = u[0] < self.p_no_category
        closed_on = x.closed_on or base_close
        dated_close = x.closed_on or (x.closed and u[1] < rates["establishment.closeDateWhenClosed"])
        siren = x.owner.siren
        return {
            "informationsGeneralesEGE": {
                "egeId": str(x.ege_id),
                "complementDenominationEg": None if u[2] < p["complementDenominationEg"] else complement,
                "dateFermeture": iso(closed_on) if dated_close else None,
                "dateOuverture": None if u[3] < p["dateOuverture"] and not x.opened_on else iso(opened),
                "datePremiereAutorisation": None
                if u[4] < p["datePremiereAutorisation"]
                else iso(first_authorised),
                "nomEgeCourt": short,
                "nomEgeLong": long,
                "numeroEducationNationale": None
                if u[5] < p["numeroEducationNationale"]
                else f"{x.dept.zfill(3)}{x.ege_id % 10000:04d}{chr(65 + x.ege_id % 26)}",
                "numeroReferenceExterne": None
                if u[6] < p["numeroReferenceExterne"]
                else f"{x.dept}#{x.ege_id % 1000000:06d}",
                "numFinessEge": x.finess,
                "espic": None if u[7] < p["espic"] else [espic],
                "siret": None if siren is None or u[8] < 0.05 else siret(siren, x.nic),
            },
            "categorieentiteGeographiqueExercice": None if no_category else x.category,
            "modefixationtarifaire": None if no_category else mft,
            "typeBudget": None if no_category else [budget],
            "adresse": addresses,
            "contact": contacts,
            "engagement": engagements,
            "evenement": events,
            "roleEge": [
                {"idEgeNonPorteuse": str(a), "idEgePorteuse": str(b), "roleRelationEge": role}
                for a, b, role in x.roles
            ],
            "etatObjet": "I" if x.closed or x.closed_on else "A",
            "dateDerniereMaj": updated,
        }

    def _ege_events(
        self, x: Establishment, opened: int, closed_on: int, r: random.Random, u: list[float]
    ) -> list[dict[str, Any]]:
        """Return the establishment's history; the day's events come last, after the base ones."""
        rates, ident = self.rates, str(x.ege_id)
        out: list[dict[str, Any]] = []
        middle = past_day(r, self.base, opened)
        other_pm = str(r.randrange(1, len(self.world.entities) + 1))
        planned = [
            (u[9] < rates["egeEvent.003"] or x.opened_on, opened, "003", "003", None),
            (u[10] < rates["egeEvent.007"] or x.opened_on, opened, "007", "007", None),
            (u[11] < rates["egeEvent.035+036"], middle, "035", "035", None),
            (u[11] < rates["egeEvent.035+036"], middle, "036", "036", None),
            (u[11] > 1 - rates["egeEvent.018+019"], middle, "018", "018", other_pm),
            (u[11] > 1 - rates["egeEvent.018+019"], middle, "019", "019", str(x.owner.pm_id)),
            (x.closed, closed_on, "005", self.t["closureState.establishment"].pick(r), None),
        ]
        if x.moved_on:  # the day's transfer: leaving one legal entity, joining another
            planned.append((True, x.moved_on, "018", "018", str(x.moved_from)))
            planned.append((True, x.moved_on, "019", "019", str(x.owner.pm_id)))
        if x.closed_on:
            planned.append((True, x.closed_on, "005", "100", None))
        for wanted, day, code, state, other in planned:
            if wanted:
                when = registered(day, self.base, r)
                master = self.t["systemeMaitre.establishment"].pick(r)
                out.append(
                    event(
                        event_id(ESTABLISHMENT, x.ege_id, len(out)),
                        when,
                        iso(day),
                        state,
                        ident,
                        other,
                        master,
                        "EG",
                        "PM" if other else None,
                        code,
                    )
                )
        return out
