"""Pieces shared by both files' writers: seeds, dates, events, engagements, addresses."""

from __future__ import annotations

import random
from datetime import date
from functools import cache
from typing import Any

from loaders.synthetic.figures import Figures, Table
from loaders.synthetic.geo import Commune, Geography
from loaders.synthetic.texts import PLACES, STREETS, VOIE_WORDS

# Kinds of objects, for seeds and for the prefixes that keep generated ids unique across kinds.
LEGAL_ENTITY, ESTABLISHMENT, AUTHORISED, OPERATED, GCC, NAME = 1, 2, 3, 4, 5, 6
FIRST_DAY = date(1950, 1, 1).toordinal()


def seed_of(seed: int, kind: int, ident: int, extra: int = 0) -> int:
    """Return the seed of one object's own random draws (stable whatever the day)."""
    return ((seed * 16 + kind) * 10_000_000 + ident) * 64 + extra


def event_id(kind: int, ident: int, index: int) -> str:
    """Return a unique evenementId: kind digit, owner id, two-digit rank."""
    return f"{kind}{ident}{index:02d}"


@cache
def iso(ordinal: int) -> str:
    """Return the ISO date of a day ordinal."""
    return date.fromordinal(ordinal).isoformat()


def stamp(ordinal: int, rng: random.Random) -> str:
    """Return a 'YYYY-MM-DD HH:MM:SS' registration time on day `ordinal`."""
    s = rng.randrange(6 * 3600, 20 * 3600)
    return f"{iso(ordinal)} {s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}"


MIGRATION_DAY = date(2023, 3, 15).toordinal()  # FINESS+ took over older history on this day


def registered(day: int, base: int, rng: random.Random) -> str:
    """Return when an event of `day` was registered: a little later, or at the migration."""
    if day < MIGRATION_DAY - 2000:
        return stamp(MIGRATION_DAY + rng.randrange(3), rng)
    return stamp(min(max(day, base - 1), day + rng.randrange(60)), rng)


def past_day(rng: random.Random, before: int, after: int = FIRST_DAY, skew: float = 0.7) -> int:
    """Return a day ordinal between `after` and `before`, recent days more likely (skew < 1)."""
    span = max(1, before - after)
    return before - 1 - int(span * rng.random() ** (1 / skew) * 0.999)


def event(
    ident: str,
    registered: str,
    when: str,
    state: str | None,
    obj1: str,
    obj2: str | None,
    master: str,
    type1: str,
    type2: str | None,
    code: str,
) -> dict[str, Any]:
    """Return one evenement in the real key order."""
    return {
        "evenementId": ident,
        "dateEnregistrement": registered,
        "dateEvenement": when,
        "etatObjet1": state,
        "identifiantObjet1": obj1,
        "identifiantObjet2": obj2,
        "systemeMaitre": master,
        "typeObjet1": type1,
        "typeObjet2": type2,
        "codeEvenement": code,
    }


def engagement(
    ident: str,
    kind: tuple[str | None, str | None],
    effect: str | None,
    end: str | None,
    motif: str | None,
    authorities: list[str],
    name: str | None = None,
    reference: str | None = None,
) -> dict[str, Any]:
    """Return one engagement (arrêté, convention, label…) in the real key order."""
    return {
        "engagementId": ident,
        "typeEngagement": kind[0],
        "sousTypeEngagement": kind[1],
        "dateEffetEngagement": effect,
        "dateSignatureEngagement": effect,
        "dateCaduciteEngagement": None,
        "dateFinEngagement": end,
        "dateNotificationEngagement": effect if end else None,
        "nomEngagement": name,
        "identifiantEngagement": reference,
        "motifArrete": motif,
        "autoriteRegulationEngagement": [{"autoriteRegulationid": a} for a in authorities],
    }


_ADDRESS_FIELDS = (
    "numeroVoie",
    "typeVoie",
    "libelleVoie",
    "complementVoie",
    "complementPointGeographique",
    "lieuDit",
    "ligneAcheminement",
    "ligneUne",
    "ligneDeux",
    "ligneTrois",
    "ligneQuatre",
    "ligneCinq",
    "ligneSix",
    "coordonneesGeographique",
)
_POINTS = ("MAIRIE", "CENTRE SOCIAL", "1ER ETAGE", "HOTEL DE VILLE", "BATIMENT A", "CHEF LIEU")


class AddressMaker:
    """Draws addresses with the null rates measured at one address path (pmej or EGE)."""

    def __init__(self, figs: Figures, geo: Geography, path: str) -> None:
        self.geo = geo
        self.p = [figs.null("structures", f"{path}.{name}") for name in _ADDRESS_FIELDS]
        self.voies: Table = figs.table("typeVoie")
        self.complements: Table = figs.table("complementVoie")

    def make(self, rng: random.Random, usage: str, commune: Commune, title: str) -> dict[str, Any]:
        """Return one address in `commune`; every draw happens whatever is null (stable streams)."""
        r = rng.random
        p = self.p
        u = [r() for _ in p]
        number, voie, street = str(rng.randint(1, 240)), self.voies.pick(rng), rng.choice(STREETS)
        lon, lat, x, y = self.geo.point(commune, rng)
        street_code, score = rng.randrange(10000), 0.45 + 0.55 * r()
        line4 = f"{number} {VOIE_WORDS.get(voie.strip(), voie.strip())} {street}"
        return {
            "usageAdresse": usage,
            "numeroVoie": None if u[0] < p[0] else number,
            "typeVoie": None if u[1] < p[1] else voie,
            "libelleVoie": None if u[2] < p[2] else street,
            "complementVoie": None if u[3] < p[3] else self.complements.pick(rng),
            "complementPointGeographique": None if u[4] < p[4] else _POINTS[street_code % 6],
            "lieuDit": None if u[5] < p[5] else f"BP {street_code % 900 + 10}",
            "cogCommune": commune.cog,
            "ligneAcheminement": None if u[6] < p[6] else commune.name,
            "ligneUne": None if u[7] < p[7] else title,
            "ligneDeux": None if u[8] < p[8] else rng.choice(PLACES),
            "ligneTrois": None if u[9] < p[9] else "",
            "ligneQuatre": None if u[10] < p[10] else line4[:64],
            "ligneCinq": None if u[11] < p[11] else "",
            "ligneSix": None if u[12] < p[12] else f"{commune.postcode} {commune.name.title()}",
            "codePostal": commune.postcode,
            "coordonneesGeographique": None
            if u[13] < p[13]
            else {
                "coordonneeX": _num(lon, 6),
                "coordonneeY": _num(lat, 6),
                "directionLatitude": _num(y, 2),
                "directionLongitude": _num(x, 2),
                "cleInInteropBAN": f"{commune.cog}_{street_code:04d}_{int(number):05d}",
                "scoreBAN": _num(score, 5),
            },
        }


def _num(value: float, digits: int) -> str:
    """Format like the real files: fixed decimals, trailing zeros dropped."""
    text = f"{value:.{digits}f}".rstrip("0")
    return text[:-1] if text.endswith(".") else text
