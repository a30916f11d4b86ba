"""Code frequency tables and event/state rates measured from the census (see calibration.py)."""

from __future__ import annotations

from typing import Any

from loaders.synthetic.census import PathFigures, split_domain

AUTH = "pmej.activitesAutorisees[]"
OPER = "pmej.ege[].activitesExercees[]"
SPEC = ".nature.caracteristiquesSpecifiques."
NATURE_TYPES = {
    "ASDR": ("typeActiviteASDR", "activiteSanitaireDiverseRegulee"),
    "ASMR": ("typeActiviteAMSR", "activiteSocialeRegulee"),
    "ASOCR": ("typeActiviteASOCR", "activiteSocialeRegulee"),
    "AER": ("typeActiviteAER", "activiteEnseignementRegulee"),
}
OTHER_FIELDS = {
    "AMM": ("typeActiviteAMM", ["activiteAMM", "modaliteAMM", "mentionAMM", "ptsAMM", "declarationAMM"]),
    "AMF": ("typeActiviteAMF", ["activiteAMF", "modaliteActivite", "formeActivite"]),
    "AASA": ("typeActiviteAASA", ["activiteSanitaireRegulee", "modaliteActivite", "formeActivite"]),
    "EML": ("typeActiviteEML", ["typeEmlId"]),
}
# First digit of typeActiviteSMSSE per nature: the digit totals match the nature totals (x2).
SMSSE_DIGIT = {"3": "AASA", "8": "ASOCR", "6": "AER", "5": "ASDR", "2": "AMF", "1": "EML"}
SMSSE_DIGIT |= {"4": "AMM", "7": "ASMR"}


def _v(paths: dict[str, PathFigures], path: str) -> dict[str, int]:
    return dict(paths[path].values or {})


def structure_codes(s: dict[str, PathFigures], codes: dict[str, dict[str, int]]) -> dict[str, Any]:
    """Return the structures file's code tables (census lists when complete, else every code)."""
    ege_state = _v(s, "pmej.ege[].evenement[].etatObjet1")
    pm_state = _v(s, "pmej.evenement[].etatObjet1")
    usage = _v(s, "pmej.ege[].adresse[].usageAdresse")
    return {
        "statutJuridique": codes["statut_juridique"],
        "codeApe": codes["code_ape"],
        "fonctionPublique": _v(s, "pmej.informationsGeneralesPMEJ.fonctionPublique"),
        "typeGco": _v(s, "gco.typeGco"),
        "typeGcc": _v(s, "gcc.typeGcc"),
        "typeVoie": codes["type_voie"],
        "complementVoie": _v(s, "pmej.ege[].adresse[].complementVoie"),
        "extraAddressUsage": {k: n for k, n in usage.items() if k != "03"},
        "categorie": codes["categorie_etablissement"],
        "modeFixationTarifaire": codes["mode_fixation_tarifaire"],
        "typeBudget": _v(s, "pmej.ege[].typeBudget[]"),
        "espic": _v(s, "pmej.ege[].informationsGeneralesEGE.espic[]"),
        "motifArrete": codes["motif_arrete"],
        "autorite": codes["autorite_regulation"],
        "roleRelationEge": _v(s, "pmej.ege[].roleEge[].roleRelationEge"),
        "systemeMaitre.legalEntity": _v(s, "pmej.evenement[].systemeMaitre"),
        "systemeMaitre.establishment": _v(s, "pmej.ege[].evenement[].systemeMaitre"),
        # State codes carried by closure events (005): the other states mirror the event code.
        "closureState.legalEntity": {k: pm_state[k] for k in ("005", "101", "004")},
        "closureState.establishment": {k: ege_state[k] for k in ("100", "101", "102", "103", "005")},
        "gccEventDate": _v(s, "gcc.evenement[].dateEvenement"),
    }


def activity_codes(a: dict[str, PathFigures], codes: dict[str, dict[str, int]]) -> dict[str, Any]:
    """Return the activities file's code tables, per nature where codes depend on it."""
    out: dict[str, Any] = {"codeNature": _v(a, AUTH + ".nature.codeNature")}
    for code, n in codes["type_activite_smsse"].items():
        if nature := SMSSE_DIGIT.get(code[0]):
            out.setdefault(f"{nature}.typeActiviteSMSSE", {})[code] = max(1, n // 2)
    for nature, (key, fields) in OTHER_FIELDS.items():
        for name in fields:
            out[f"{nature}.{name}"] = _v(a, AUTH + SPEC + key + "." + name)
    # Activity codes of the merged domain have one shape per nature: Q... (AMM), A. (AASA), two
    # digits (AMF), three digits (ASDR, ASMR, ASOCR, AER: split by the census top values).
    regulated = codes["activite_regulee"]
    shapes = {"AMM.activiteAMM": "Q", "AASA.activiteSanitaireRegulee": "A", "AMF.activiteAMF": "2"}
    for name, shape in shapes.items():
        out[name] = {
            c: max(1, n // 2)
            for c, n in regulated.items()
            if (c.startswith(shape) if shape != "2" else len(c) == 2 and c.isdigit())
        }
    out["AMM.modaliteAMM"] = {c: max(1, n // 2) for c, n in codes["modalite_amm"].items()}
    three = {c: n for c, n in regulated.items() if len(c) == 3 and c.isdigit()}
    for field, domain, natures in (
        ("activite", three, ("ASDR", "ASMR", "ASOCR", "AER")),
        ("modeFonctionnement", codes["mode_fonctionnement"], ("ASDR", "ASMR", "ASOCR", "AER")),
        ("public", codes["public"], ("ASDR", "ASMR", "ASOCR", "AER")),
    ):
        complete, partial = _census_lists(
            a, {n: NATURE_TYPES[n][0] + "." + _field(n, field) for n in natures}
        )
        out |= {f"{n}.{field}": t for n, t in split_domain(domain, complete, partial).items()}
    for field, name in (("modaliteActivite", "modalite_activite"), ("formeActivite", "forme_activite")):
        complete, partial = _census_lists(a, {n: OTHER_FIELDS[n][0] + "." + field for n in ("AASA", "AMF")})
        out |= {f"{n}.{field}": t for n, t in split_domain(codes[name], complete, partial).items()}
    cap, op_cap = AUTH + ".capacite[].", OPER + ".capacite[]."
    for name in ("genre", "habilitation", "modeFinancement", "typeLogement", "uniteMesureCapacite"):
        auth, oper = _v(a, cap + name), _v(a, op_cap + name)
        out[f"capacity.{name}"] = auth
        # Operated lists copy the authorised capacities: the installed ones are the difference.
        out[f"installed.{name}"] = {k: n - auth.get(k, 0) for k, n in oper.items() if n > auth.get(k, 0)}
    out["age.min"] = _v(a, AUTH + SPEC + "ageMinAutorise")
    out["age.max"] = _v(a, AUTH + SPEC + "ageMaxAutorise")
    out["etatArhgos"] = _v(a, OPER + SPEC + "etatArhgos")
    for name in ("typeAppareilAMM", "statutAppareilAMM", "nombreAppareilAMM"):
        out[f"device.{name}"] = _v(a, OPER + SPEC + "appareil[]." + name)
    out["systemeMaitre.authorised"] = _v(a, AUTH + ".evenement[].systemeMaitre")
    out["systemeMaitre.operated"] = _v(a, OPER + ".evenement[].systemeMaitre")
    for name in ("typeEngagement", "sousTypeEngagement", "motifArrete"):
        out[f"activityEngagement.{name}"] = _v(a, AUTH + ".engagement[]." + name)
    return out


def _field(nature: str, field: str) -> str:
    return NATURE_TYPES[nature][1] if field == "activite" else field


def _census_lists(
    a: dict[str, PathFigures], keys: dict[str, str]
) -> tuple[dict[str, dict[str, int]], dict[str, tuple[int, dict[str, int], bool]]]:
    """Sort natures into those whose census value list is complete and the others (with totals)."""
    complete: dict[str, dict[str, int]] = {}
    partial: dict[str, tuple[int, dict[str, int], bool]] = {}
    for nature, key in keys.items():
        fig = a[AUTH + SPEC + key]
        if fig.complete:
            complete[nature] = dict(fig.values or {})
        else:
            total = a[AUTH + SPEC + key.split(".")[0]].present
            # Under 60 distinct values the census counted every row: its top counts are exact.
            partial[nature] = (total, dict(fig.values or {}), fig.distinct < 60)
    return complete, partial


def rates(s: dict[str, PathFigures], a: dict[str, PathFigures]) -> dict[str, float]:
    """Return state and event probabilities (per object, or per object in a given state)."""
    pm, ege = s["pmej"].present, s["pmej.ege[].informationsGeneralesEGE"].present
    pm_closed = _v(s, "pmej.etatObjet")["I"]
    ege_closed = _v(s, "pmej.ege[].etatObjet")["I"]
    acts = a[AUTH + ".caracteristiquesGeneriques"].present
    act_closed = _v(a, AUTH + ".caracteristiquesGeneriques.etatObjet")["I"]
    pm_ev = _v(s, "pmej.evenement[].codeEvenement")
    ege_ev = _v(s, "pmej.ege[].evenement[].codeEvenement")
    au_ev = _v(a, AUTH + ".evenement[].codeEvenement")
    op_ev = _v(a, OPER + ".evenement[].codeEvenement")
    pm_close_date = pm - s["pmej.informationsGeneralesPMEJ.dateFermeture"].nulls
    ege_close_date = ege - s["pmej.ege[].informationsGeneralesEGE.dateFermeture"].nulls

    def g(path: str) -> int:
        fig = a[AUTH + ".caracteristiquesGeneriques." + path]
        return fig.present - fig.nulls

    return {
        "legalEntity.closed": pm_closed / pm,
        "legalEntity.closeDateWhenActive": max(0, pm_close_date - pm_closed) / (pm - pm_closed),
        "establishment.closed": ege_closed / ege,
        "establishment.closeDateWhenClosed": min(ege_close_date, ege_closed) / ege_closed,
        "activity.closed": act_closed / acts,
        "activity.ended": g("dateFinEffectiveActivite") / acts,
        "pmEvent.005|closed": pm_ev["005"] / pm_closed,
        "pmEvent.034": pm_ev["034"] / pm,
        "pmEvent.002": pm_ev["002"] / pm,
        "pmEvent.037": pm_ev["037"] / pm,
        "pmEvent.016": pm_ev["016"] / pm,
        "egeEvent.003": ege_ev["003"] / ege,
        "egeEvent.007": ege_ev["007"] / ege,
        "egeEvent.005|closed": min(1.0, ege_ev["005"] / ege_closed),
        "egeEvent.035+036": ege_ev["035"] / ege,
        "egeEvent.018+019": ege_ev["018"] / ege,
        "authEvent.010extra": (au_ev["010"] - acts) / acts,
        "authEvent.013|closed": min(1.0, au_ev["013"] / act_closed),
        "authEvent.008": au_ev["008"] / acts,
        "authEvent.030+031": au_ev["030"] / acts,
        "authEvent.009": au_ev["009"] / acts,
        "opEvent.010extra": (op_ev["010"] - acts) / acts,
        "opEvent.012": op_ev["012"] / acts,
        "opEvent.013|closed": min(1.0, op_ev["013"] / act_closed),
        "opEvent.015": op_ev["015"] / acts,
        "opEvent.021+022": op_ev["021"] / acts,
        "zoneIntervention": a[AUTH + ".zoneIntervention.activiteAeId"].present / acts,
        "operated.caducite": (lambda f: (f.present - f.nulls) / f.present)(
            a[OPER + ".caracteristiquesGeneriques.dateCaduciteAutorisation"]
        ),
        "operated.arhgosKept": (lambda f: (f.present - f.nulls) / max(1, g("numAutorisationArhgos")))(
            a[OPER + ".caracteristiquesGeneriques.numAutorisationArhgos"]
        ),
    }
