"""The nature-specific part of an activity (caracteristiquesSpecifiques), authorised and operated."""

from __future__ import annotations

import random
from typing import Any

from loaders.synthetic.common import iso
from loaders.synthetic.figures import Figures

SPEC = "pmej.ege[].activitesExercees[].nature.caracteristiquesSpecifiques."
AUTH_SPEC = "pmej.activitesAutorisees[].nature.caracteristiquesSpecifiques."
# codeNature -> (key of its type object, [(JSON field, figure table)]).
TYPES: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "ASDR": ("typeActiviteASDR", [("activiteSanitaireDiverseRegulee", "activite"),
                                  ("modeFonctionnement", "modeFonctionnement"), ("public", "public")]),
    "ASMR": ("typeActiviteAMSR", [("activiteSocialeRegulee", "activite"),
                                  ("modeFonctionnement", "modeFonctionnement"), ("public", "public")]),
    "ASOCR": ("typeActiviteASOCR", [("activiteSocialeRegulee", "activite"),
                                    ("modeFonctionnement", "modeFonctionnement"), ("public", "public")]),
    "AER": ("typeActiviteAER", [("activiteEnseignementRegulee", "activite"),
                                ("modeFonctionnement", "modeFonctionnement"), ("public", "public")]),
    "AMM": ("typeActiviteAMM", [(k, k) for k in
                                ("activiteAMM", "modaliteAMM", "mentionAMM", "ptsAMM", "declarationAMM")]),
    "AMF": ("typeActiviteAMF", [(k, k) for k in ("activiteAMF", "modaliteActivite", "formeActivite")]),
    "AASA": ("typeActiviteAASA", [(k, k) for k in
                                  ("activiteSanitaireRegulee", "modaliteActivite", "formeActivite")]),
    "EML": ("typeActiviteEML", [("typeEmlId", "typeEmlId")]),
}  # fmt: skip
DEVICE_TYPES = ("230", "231", "232", "233")


class NatureMaker:
    """Draws an activity's type codes and the nature-specific fields of both of its records."""

    def __init__(self, figs: Figures) -> None:
        self.tables = {
            (nature, field): figs.table(f"{nature}.{table}")
            for nature, (_, fields) in TYPES.items()
            for field, table in fields
        }
        self.smsse = {nature: figs.table(f"{nature}.typeActiviteSMSSE") for nature in TYPES}
        self.age_min, self.age_max = figs.table("age.min"), figs.table("age.max")
        self.device_count, self.arhgos = figs.table("device.nombreAppareilAMM"), figs.table("etatArhgos")
        n = figs.null
        dev_hist, _ = figs.histogram("operated.devices")
        self.p = {
            "asdr_id": n("activites", SPEC + "aaSanitaireDiverseReguleeId"),
            "social_id": n("activites", SPEC + "aaSocialeReguleeId"),
            "ages": n("activites", SPEC + "ageMaxAutorise"),
            "lim_dep": n("activites", SPEC + "dateLimDep"),
            "lim_visit": n("activites", SPEC + "dateLimVisiteConformite"),
            "visit": n("activites", SPEC + "dateVisite"),
            "serial": n("activites", AUTH_SPEC + "numeroSerie"),
            "devices": dev_hist.get(8, 0) / max(1, sum(dev_hist.values())),
        }

    def make(
        self, nature: str, ae: str, op: str, r: random.Random
    ) -> tuple[dict[str, Any], dict[str, Any], str]:
        """Return (authorised specifics, operated specifics, typeActiviteSMSSE) for one pair."""
        key, fields = TYPES[nature]
        kind = {field: self.tables[nature, field].pick(r) for field, _ in fields}
        smsse = self.smsse[nature].pick(r)
        u = [r.random() for _ in range(6)]
        p, base = self.p, int(ae) // 2
        auth: dict[str, Any]
        oper: dict[str, Any]
        if nature == "ASDR":
            op_id = None if u[0] < p["asdr_id"] else str(base)
            auth = {"aaSanitaireDiverseReguleeId": None, "activiteAeId": None, key: kind}
            oper = {"aaSanitaireDiverseReguleeId": op_id, "activiteAeId": op if op_id else None, key: kind}
        elif nature in ("ASMR", "ASOCR"):
            social = u[0] >= p["social_id"]
            low, high = sorted((int(self.age_min.pick(r)), int(self.age_max.pick(r))))
            ages = [None] * 4 if u[1] < p["ages"] else [str(high), str(high), str(low), str(low)]
            names = ("ageMaxAutorise", "ageMaxInstalle", "ageMinAutorise", "ageMinInstalle")
            auth = {"aaSocialeReguleeId": str(base) if social else None}
            auth |= dict(zip(names, ages, strict=True))
            oper = dict(auth, aaSocialeReguleeId=str(base + 1) if social else None)
            auth |= {"activiteAeId": ae if social else None, key: kind}
            oper |= {"activiteAeId": op if social else None, key: kind}
        elif nature == "AER":
            auth, oper = {"activiteAeId": ae, key: kind}, {"activiteAeId": op, key: kind}
        elif nature in ("AMM", "AMF"):
            own = "aaSoinAmmId" if nature == "AMM" else "aaSoinAmfId"
            auth = {own: None, "activiteAeId": None}
            oper = {own: str(base), "activiteAeId": op}
            if nature == "AMM":
                auth["appareil"] = []
                oper["appareil"] = self._devices(r) if u[0] < p["devices"] else []
            auth[key], oper[key] = kind, kind
        elif nature == "AASA":
            day = 740_000 + int(u[5] * 2500)  # between 2027 and 2033
            auth = {
                "aaAutreActSoinId": ae,
                "dateLimDep": None,
                "dateLimVisiteConformite": None,
                "dateVisite": None,
                "numDecision": f"{2000 + base % 26}-{base % 997}",
                "resultatVisite": None,
                "etatArhgos": None,
                "activiteAeId": ae,
                key: kind,
            }
            oper = {
                "aaAutreActSoinId": op,
                "dateLimDep": None if u[0] < p["lim_dep"] else iso(day),
                "dateLimVisiteConformite": None if u[1] < p["lim_visit"] else iso(day - 900),
                "dateVisite": None if u[2] < p["visit"] else iso(day - 1200),
                "numDecision": None,
                "resultatVisite": None,
                "etatArhgos": self.arhgos.pick(r),
                "activiteAeId": op,
                key: kind,
            }
        else:  # EML: heavy equipment, identified on the authorisation only
            serial = None if u[0] < p["serial"] else f"SN{base % 100000:05d}"
            auth = {
                "aaEmlId": str(base),
                "marque": "0000",
                "numeroSerie": serial,
                "activiteAeId": ae,
                key: kind,
            }
            oper = {"aaEmlId": None, "marque": None, "numeroSerie": None, "activiteAeId": None, key: kind}
        return auth, oper, smsse

    def _devices(self, r: random.Random) -> list[dict[str, str]]:
        """Return the eight device lines (four types, authorised 09 and installed 08)."""
        counts = [self.device_count.pick(r) for _ in DEVICE_TYPES]
        return [
            {"typeAppareilAMM": t, "statutAppareilAMM": status, "nombreAppareilAMM": n}
            for status in ("09", "08")
            for t, n in zip(DEVICE_TYPES, counts, strict=True)
        ]
