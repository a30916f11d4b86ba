"""Records of the FINESS+ activities file: authorised activities (legal entity) and operated ones (EGE)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from graph.model import Edge, LoadReport, Node, Props, Record
from loaders.finess_plus_fields import engagements, events, is_data, pick, scalar
from loaders.json_stream import Member
from loaders.values import items

GENERIC_FIELDS = {
    "activiteAeId": "activityId",
    "etatObjet": "state",
    "identifiantAutorisation": "authorisationId",
    "numAutorisationArhgos": "authorisationNumber",
    "dateDebutActiviteAutorisee": "startOn",
    "dateFinActiviteAutorisee": "endOn",
    "dateFinEffectiveActivite": "effectiveEndOn",
    "dateCaduciteAutorisation": "lapseOn",
    "egeId": "egeId",
    "typeActiviteSMSSE": "activityType",
    "pmSmsseExploitanteId": "operatorLegalEntityId",
    "egeExploitanteId": "operatorEstablishmentId",
    "egeFacturante": "billingEstablishmentId",
}
# The codes of each nature's `typeActiviteXXX` block, under one set of names for all natures.
SPECIFIC_FIELDS = {
    "activiteSanitaireRegulee": "activity",
    "activiteSocialeRegulee": "activity",
    "activiteSanitaireDiverseRegulee": "activity",
    "activiteEnseignementRegulee": "activity",
    "activiteAMF": "activity",
    "activiteAMM": "activity",
    "typeEmlId": "activity",
    "modeFonctionnement": "mode",
    "public": "clientele",
    "formeActivite": "form",
    "modaliteActivite": "modality",
    "modaliteAMM": "modality",
    "mentionAMM": "mention",
    "ptsAMM": "specificPractice",
    "declarationAMM": "declaration",
    "ageMinAutorise": "minAgeAuthorised",
    "ageMaxAutorise": "maxAgeAuthorised",
    "ageMinInstalle": "minAgeInstalled",
    "ageMaxInstalle": "maxAgeInstalled",
    "numDecision": "decisionNumber",
    "dateLimDep": "filingDeadline",
    "dateLimVisiteConformite": "complianceVisitDeadline",
    "dateVisite": "visitOn",
    "resultatVisite": "visitResult",
    "etatArhgos": "arhgosState",
    "marque": "brand",
    "numeroSerie": "serialNumber",
}
CAPACITY_AUTHORISED = "09"
CAPACITY_INSTALLED = "08"


def records(members: Iterator[Member], report: LoadReport) -> Iterator[Record]:
    """Yield the activity records of an activities file, linked to their structures by FINESS number."""
    for m in members:
        if m.key != "pmej":
            if m.position is not None:
                report.warn("unknown-array", f"$.{m.key} is not a FINESS+ activities array; skipped")
            continue
        entry = m.value
        path = f"$.pmej[{m.position}]"
        if not isinstance(entry, dict) or not entry.get("numFiness"):
            report.warn("missing-id", f"{path} (line {m.line}) has no numFiness", skipped=True)
            continue
        holder = str(entry["numFiness"])
        authorised = items(entry.get("activitesAutorisees"), f"{path}.activitesAutorisees", report)
        for i, act in enumerate(authorised):
            yield from _activity(
                "AuthorizedActivity", holder, f"{path}.activitesAutorisees[{i}]", act, report
            )
        for j, ege in enumerate(items(entry.get("ege"), f"{path}.ege", report)):
            if not isinstance(ege, dict) or not ege.get("numFinessEge"):
                report.warn("missing-id", f"{path}.ege[{j}] has no numFinessEge", skipped=True)
                continue
            where = f"{path}.ege[{j}]"
            operated = items(ege.get("activitesExercees"), f"{where}.activitesExercees", report)
            for k, act in enumerate(operated):
                yield from _activity(
                    "OperatedActivity",
                    str(ege["numFinessEge"]),
                    f"{where}.activitesExercees[{k}]",
                    act,
                    report,
                )


def _activity(label: str, owner: str, path: str, act: Any, report: LoadReport) -> Iterator[Record]:
    generic = act.get("caracteristiquesGeneriques") if isinstance(act, dict) else None
    if not isinstance(generic, dict) or not generic.get("activiteAeId"):
        report.warn("missing-id", f"{path} has no caracteristiquesGeneriques.activiteAeId", skipped=True)
        return
    props = pick(generic, GENERIC_FIELDS, {}, f"{path}.caracteristiquesGeneriques", report)
    nature = act.get("nature")
    if isinstance(nature, dict):
        if is_data(nature.get("codeNature")):
            props["nature"] = nature["codeNature"]
        specific = nature.get("caracteristiquesSpecifiques")
        if isinstance(specific, dict):
            _specific(specific, props, f"{path}.nature.caracteristiquesSpecifiques", report)
    _capacities(items(act.get("capacite"), f"{path}.capacite", report), props)
    zone = act.get("zoneIntervention")
    if isinstance(zone, dict):
        zone_communes = items(zone.get("communeZI"), f"{path}.zoneIntervention.communeZI", report)
        communes = [c.get("commune") for c in zone_communes if isinstance(c, dict)]
        props["interventionCommunes"] = [c for c in communes if c]
        if is_data(zone.get("libelleZI")):
            props["interventionZone"] = zone["libelleZI"]
    prefix = "aa" if label == "AuthorizedActivity" else "ae"
    node_id = f"{prefix}:{generic['activiteAeId']}"
    ends: list[str] = [str(props[k]) for k in ("effectiveEndOn", "lapseOn", "endOn") if props.get(k)]
    report.count("authorised activities" if prefix == "aa" else "operated activities")
    yield Node(node_id, label, props, props.get("startOn"), min(ends) if ends else None)
    if prefix == "aa":
        yield Edge("HOLDS", owner, node_id, {})
    else:
        yield Edge("OPERATES", owner, node_id, {})
        authorisation = props.get("authorisationId")
        if authorisation:
            yield Edge("IMPLEMENTS", node_id, f"aa:{authorisation}", {})
        else:
            report.warn("unlinked-activity", f"{path} has no identifiantAutorisation")
    yield from engagements(node_id, act, path, report)
    yield from events(node_id, act, path, report)


def _specific(specific: Mapping[str, Any], props: Props, path: str, report: LoadReport) -> None:
    for key, value in specific.items():
        if isinstance(value, dict):
            pick(value, SPECIFIC_FIELDS, props, f"{path}.{key}", report)
        elif key == "appareil" and isinstance(value, list):
            devices = [
                f"{d.get('typeAppareilAMM')}:{d.get('statutAppareilAMM')}:{d.get('nombreAppareilAMM')}"
                for d in value
                if isinstance(d, dict)
            ]
            if devices:
                props["devices"] = devices
        elif key in SPECIFIC_FIELDS and is_data(value):
            props[SPECIFIC_FIELDS[key]] = scalar(value)
        elif key.endswith("Id") and is_data(value):
            # The nature's own row id (aaSocialeReguleeId…): kept, it is what the ANS systems cite.
            if key != "activiteAeId":
                props["natureRowId"] = value
        elif is_data(value) and not isinstance(value, list):
            props[key] = value
            report.warn("unknown-field", f"{path}.{key} kept as {key!r}")


def _capacities(capacities: list[Any], props: Props) -> None:
    """Sum authorised (status 09) and installed (08) capacity; keep each line as a compact string."""
    authorised = installed = 0
    lines: list[str] = []
    for cap in capacities:
        if not isinstance(cap, dict):
            continue
        try:
            number = int(cap.get("nombre") or 0)
        except (TypeError, ValueError, OverflowError):
            number = 0
        status = cap.get("statutCapacite")
        if status == CAPACITY_AUTHORISED:
            authorised += number
        elif status == CAPACITY_INSTALLED:
            installed += number
        fields = (
            "statutCapacite",
            "uniteMesureCapacite",
            "nombre",
            "genre",
            "habilitation",
            "typeLogement",
            "modeFinancement",
            "precision",
            "variation",
        )
        lines.append("|".join("" if cap.get(f) is None else str(cap.get(f)) for f in fields))
    if lines:
        props["authorisedCapacity"] = authorised
        props["installedCapacity"] = installed
        props["capacities"] = lines
