"""A FHIR R4 Bundle (collection) of a subgraph: structures, grouping memberships and activities.

Identifiers and code systems follow the French profiles (docs/exports.md gives each source):
fr-core's Organization identifier slices (FINESS, SIREN, SIRET, types FINEJ / FINEG) as the ANS
Annuaire Santé uses them, and the FINESS+ schemas' own code systems for every coded value.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from api.formats.names import code_labels, display_name
from api.formats.node_link import ExportMeta, ordered_edges, ordered_nodes
from graph.labels import Labels
from graph.queries import Subgraph, span
from graph.store import EdgeView, NodeView

FINESS = "https://finess.esante.gouv.fr"
SIRENE = "https://sirene.fr"
IDENTIFIER_TYPE = "https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203"
TRE = "https://smt.esante.gouv.fr/fhir/CodeSystem/"
NOS = "https://mos.esante.gouv.fr/NOS/"
R274 = NOS + "TRE_R274-ActiviteSanitaireRegulee/FHIR/TRE-R274-ActiviteSanitaireRegulee"
# The code system of each coded property, as schema-structures-v1 / schema-activites-v1 state it.
SYSTEMS = {
    "category": TRE + "tre-r397-categorie-entite-geographique-exercice",
    "legalStatus": TRE + "tre-r400-finess-statut-juridique",
    "ConventionalGrouping": TRE + "tre-r371-type-groupe-gcc",
    "OrganicGrouping": TRE + "tre-r372-type-groupe-gco",
    "role": TRE + "tre-r360-type-role-entite-groupe",
    "mode": TRE + "tre-r404-mode-fonctionnement-activite-smsse-regulee",
    "clientele": TRE + "tre-r403-public-activite-smsse-regulee",
    "form": NOS + "TRE_R276-FormeActivite/FHIR/TRE-R276-FormeActivite",
    "modality": NOS + "TRE_R275-ModaliteActivite/FHIR/TRE-R275-ModaliteActivite",
    "mention": TRE + "tre-r383-mention-act-de-soin-amm",
    "specificPractice": TRE + "tre-r384-pratique-therapeutique-specifique-act-de-soin-amm",
    "declaration": TRE + "tre-r385-declaration-act-de-soin-amm",
}
AMM_MODALITY = TRE + "tre-r382-modalite-act-de-soin-amm"
# An activity's code system depends on its nature (codeNature).
ACTIVITY_SYSTEMS = {
    "AASA": R274,
    "ASR": R274,
    "AMF": R274,
    "AMM": TRE + "tre-r381-activite-amm",
    "EML": NOS + "TRE_R272-EquipementMaterielLourd/FHIR/TRE-R272-EquipementMaterielLourd",
    "ASDR": TRE + "tre-r347-activite-sanitaire-diverse-regulee",
    "ASOCR": TRE + "tre-r401-activite-sociale-regulee",
    "AMSR": TRE + "tre-r401-activite-sociale-regulee",
    "ASMR": TRE + "tre-r401-activite-sociale-regulee",  # the files' spelling of the schema's AMSR
    "AER": TRE + "tre-r402-activite-enseignement-regulee",
}
CHARACTERISTICS = ("mode", "clientele", "form", "modality", "mention", "specificPractice", "declaration")
# FHIR R4 has no capacity on HealthcareService: a documented extension (docs/exports.md).
EXTENSION = "urn:finess-graph:fhir:extension:"
GEOLOCATION = "http://hl7.org/fhir/StructureDefinition/geolocation"
ORGANISATIONS = {
    "LegalEntity": "Entité juridique",
    "Establishment": "Établissement (entité géographique)",
    "ConventionalGrouping": "Groupement de coopération conventionnelle",
    "OrganicGrouping": "Groupement de coopération organique",
}
SERVICES = {"AuthorizedActivity": "activité autorisée", "OperatedActivity": "activité exercée"}
ROLES = {"S": "support", "M": "member"}
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_DNS, "finess-graph")


def full_url(key: str) -> str:
    """Return the stable `urn:uuid:` of a node id (or relationship key) in every bundle."""
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, key)}"


def bundle(sub: Subgraph, labels: Labels, meta: ExportMeta) -> dict[str, Any]:
    """Return the FHIR R4 Bundle of type collection of a subgraph (docs/exports.md, *FHIR*)."""
    nodes = ordered_nodes(sub)
    refs = {n.id: _ref(n, labels) for n in nodes if n.label in ORGANISATIONS}
    owners: dict[str, str] = {}  # activity → holder / operator; establishment → legal entity
    addresses: dict[str, list[tuple[int, NodeView]]] = {}
    for edge in sub.edges:
        if (
            edge.type in ("HOLDS", "OPERATES", "ATTACHED_TO")
            and {edge.source, edge.target} <= sub.nodes.keys()
        ):
            if edge.type == "ATTACHED_TO":
                owners[edge.source] = edge.target
            else:
                owners[edge.target] = edge.source
        elif edge.type == "HAS_ADDRESS" and edge.target in sub.nodes:
            rank = int(edge.props.get("rank") or 0)
            addresses.setdefault(edge.source, []).append((rank, sub.nodes[edge.target]))
    entries: list[dict[str, Any]] = []
    for node in nodes:
        if node.label in ORGANISATIONS:
            found = sorted(addresses.get(node.id, ()), key=lambda pair: (pair[0], pair[1].id))
            parent = refs.get(owners.get(node.id, "")) if node.label == "Establishment" else None
            resource = _organization(node, labels, meta, [a for _, a in found], parent)
        elif node.label in SERVICES:
            resource = _service(node, labels, meta, refs.get(owners.get(node.id, "")))
        else:
            continue
        entries.append({"fullUrl": full_url(node.id), "resource": resource})
    for key, edge in ordered_edges(sub):
        if edge.type == "MEMBER_OF" and edge.source in refs and edge.target in refs:
            ident = f"{edge.source}|{key}|{edge.target}"
            resource = _affiliation(ident, edge, refs, meta)
            entries.append({"fullUrl": full_url(ident), "resource": resource})
    # No `total`: FHIR allows it on search and history bundles only (bdl-1).
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}


def _organization(
    node: NodeView, labels: Labels, meta: ExportMeta, addresses: list[NodeView], parent: dict[str, str] | None
) -> dict[str, Any]:
    p = node.props
    named = code_labels(node, labels)
    coded = "groupingType" if node.label in ("ConventionalGrouping", "OrganicGrouping") else None
    coded = coded or ("legalStatus" if node.label == "LegalEntity" else "category")
    system = SYSTEMS.get(node.label if coded == "groupingType" else coded, "")
    types = [{"text": ORGANISATIONS[node.label]}]
    if p.get(coded):
        types.append(_concept(system, str(p[coded]), named.get(coded)))
    resource: dict[str, Any] = {
        "resourceType": "Organization",
        "id": _fhir_id(node.id),
        "identifier": _identifiers(node),
        "active": _active(node.props.get("state"), _node_until(node), meta.as_of),
        "type": types,
        "name": display_name(node, labels),
    }
    if p.get("longName") and p["longName"] != resource["name"]:
        resource["alias"] = [str(p["longName"])]
    telecom = [
        {"system": system, "value": str(p[key]), "use": "work"}
        for key, system in (("phone", "phone"), ("fax", "fax"), ("email", "email"))
        if p.get(key)
    ]
    if telecom:
        resource["telecom"] = telecom
    if addresses:
        resource["address"] = [_address(a) for a in addresses]
    if parent:
        resource["partOf"] = parent
    return _compact(resource)


def _identifiers(node: NodeView) -> list[dict[str, Any]]:
    p, found = node.props, []
    if p.get("finess"):
        kind = {"LegalEntity": "FINEJ", "Establishment": "FINEG", "OrganicGrouping": "FINEJ"}.get(node.label)
        # A GCC's number (numFinessGcc, 11 characters) is neither an EJ's nor an EG's.
        label = "FINESS d'entité juridique" if kind == "FINEJ" else "FINESS d'entité géographique"
        kind_type = {"coding": [_coding(IDENTIFIER_TYPE, kind, label)]} if kind else {"text": "numFinessGcc"}
        found.append({"use": "official", "type": kind_type, "system": FINESS, "value": str(p["finess"])})
    for key, code, label in (
        ("siren", "SIREN", "Identification de l'organisation au SIREN"),
        ("siret", "SIRET", "Identification de l'organisation au SIRET"),
    ):
        if p.get(key):
            kind_type = {"coding": [_coding(IDENTIFIER_TYPE, code, label)]}
            found.append({"use": "official", "type": kind_type, "system": SIRENE, "value": str(p[key])})
    return found


def _address(node: NodeView) -> dict[str, Any]:
    p = node.props
    street = " ".join(str(p[k]) for k in ("number", "streetType", "street") if p.get(k)) or p.get("line4")
    lines = [street, *(p.get(k) for k in ("streetComplement", "placeComplement", "locality"))]
    address: dict[str, Any] = {
        "use": "work",
        "type": "physical",
        "line": [str(line) for line in lines if line],
        "city": p.get("routing"),
        "postalCode": p.get("postalCode"),
        "country": "FR",
    }
    if p.get("latitude") is not None and p.get("longitude") is not None:
        address["extension"] = [
            {
                "url": GEOLOCATION,
                "extension": [
                    {"url": "latitude", "valueDecimal": float(p["latitude"])},
                    {"url": "longitude", "valueDecimal": float(p["longitude"])},
                ],
            }
        ]
    return _compact(address)


def _service(
    node: NodeView, labels: Labels, meta: ExportMeta, provider: dict[str, str] | None
) -> dict[str, Any]:
    p = node.props
    named = code_labels(node, labels)
    nature = str(p.get("nature") or "")
    resource: dict[str, Any] = {
        "resourceType": "HealthcareService",
        "id": _fhir_id(node.id),
        "active": _active(p.get("state"), _node_until(node), meta.as_of),
        "providedBy": provider,
        "category": [{"text": f"{nature} ({SERVICES[node.label]})".strip()}],
        "name": display_name(node, labels),
    }
    if p.get("authorisationNumber"):
        number = {"type": {"text": "numéro d'autorisation (ARHGOS)"}, "value": str(p["authorisationNumber"])}
        resource["identifier"] = [number]
    if p.get("activity"):
        system = ACTIVITY_SYSTEMS.get(nature)
        resource["type"] = [_concept(system, str(p["activity"]), named.get("activity"))]
    characteristics = [
        _concept(
            AMM_MODALITY if key == "modality" and nature == "AMM" else SYSTEMS[key],
            str(p[key]),
            named.get(key),
        )
        for key in CHARACTERISTICS
        if p.get(key)
    ]
    if characteristics:
        resource["characteristic"] = characteristics
    extensions = [
        {"url": f"{EXTENSION}{name}", "valueInteger": int(p[key])}
        for key, name in (
            ("authorisedCapacity", "authorised-capacity"),
            ("installedCapacity", "installed-capacity"),
        )
        if p.get(key) is not None
    ]
    if extensions:
        resource["extension"] = extensions
    return _compact(resource)


def _affiliation(
    ident: str, edge: EdgeView, refs: dict[str, dict[str, str]], meta: ExportMeta
) -> dict[str, Any]:
    since, until = span(edge)
    role = edge.props.get("role")
    resource: dict[str, Any] = {
        "resourceType": "OrganizationAffiliation",
        "id": _fhir_id(ident),
        "active": _active(None, until, meta.as_of),
        "period": _compact({"start": since, "end": until}) or None,
        "organization": refs[edge.target],
        "participatingOrganization": refs[edge.source],
    }
    if role is not None:
        coding = _coding(SYSTEMS["role"], str(role), {"S": "Support", "M": "Membre"}.get(str(role)))
        resource["code"] = [{"coding": [coding], "text": ROLES.get(str(role), str(role))}]
    return _compact(resource)


def _active(state: Any, until: str | None, as_of: str | None) -> bool:
    """Active unless its state says otherwise or it ended (before `as_of`, or at all without one)."""
    if state is not None and state != "A":
        return False
    return until is None or (as_of is not None and as_of < until)


def _node_until(node: NodeView) -> str | None:
    return node.valid_to or (node.observed[-1][1] if node.observed else None)


def _ref(node: NodeView, labels: Labels) -> dict[str, str]:
    return {"reference": full_url(node.id), "display": display_name(node, labels)}


def _concept(system: str | None, code: str, label: str | None) -> dict[str, Any]:
    return _compact({"coding": [_coding(system, code, label)], "text": label})


def _coding(system: str | None, code: str, display: str | None) -> dict[str, str]:
    return _compact({"system": system, "code": code, "display": display})


def _fhir_id(text: str) -> str:
    """Return a FHIR id ([A-Za-z0-9-.]{1,64}) for a node id or relationship key, readable and stable."""
    plain = re.sub(r"[^A-Za-z0-9.-]+", "-", text).strip("-")
    return plain if len(plain) <= 64 else str(uuid.uuid5(NAMESPACE, text))


def _compact(data: dict[str, Any]) -> dict[str, Any]:
    """Drop absent values: FHIR forbids nulls and empty arrays."""
    return {k: v for k, v in data.items() if v is not None and v != [] and v != ""}
