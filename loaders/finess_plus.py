"""Loader of the FINESS+ structures file: legal entities, establishments, GCO and GCC groupings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from graph.errors import InvalidData
from graph.finess_number import finess_problem
from graph.model import Edge, LoadReport, Node, Record, Snapshot
from loaders import finess_plus_activities
from loaders.finess_plus_fields import addresses, contact, engagements, events, pick
from loaders.json_stream import Member, iter_members
from loaders.source import open_binary
from loaders.values import items, snapshot_day

LEGAL_ENTITY_FIELDS = {
    "numFinessPm": "finess",
    "denominationPm": "name",
    "denominationLonguePmSmsse": "longName",
    "siren": "siren",
    "statutJuridique": "legalStatus",
    "codeApe": "apeCode",
    "typePersonneMorale": "personType",
    "fonctionPublique": "publicService",
    "typeGroupeGco": "groupingType",
    "categorieentiteGeographiqueExercice": "category",
    "complementAdressePmSmsse": "addressComplement",
    "dateCreation": "openedOn",
    "dateFermeture": "closedOn",
    "pmSmsseId": "pmSmsseId",
    "etatObjet": "state",
    "dateDerniereMaj": "updatedAt",
}
ESTABLISHMENT_FIELDS = {
    "numFinessEge": "finess",
    "nomEgeCourt": "name",
    "nomEgeLong": "longName",
    "complementDenominationEg": "nameComplement",
    "siret": "siret",
    "categorieentiteGeographiqueExercice": "category",
    "modefixationtarifaire": "tariffMode",
    "typeBudget": "budgetTypes",
    "espic": "espic",
    "dateOuverture": "openedOn",
    "dateFermeture": "closedOn",
    "datePremiereAutorisation": "firstAuthorisedOn",
    "numeroEducationNationale": "nationalEducationNumber",
    "numeroReferenceExterne": "externalReference",
    "egeId": "egeId",
    "etatObjet": "state",
    "dateDerniereMaj": "updatedAt",
}
GCC_FIELDS = {
    "numFinessGcc": "finess",
    "nomGcc": "name",
    "typeGcc": "groupingType",
    "gccId": "gccId",
    "etatObjet": "state",
    "dateDerniereMaj": "updatedAt",
}
STRUCTURE_KEYS = (b'"gco"', b'"gcc"', b"informationsGeneralesPMEJ")
ARRAYS = ("pmej", "gcc", "gco")  # top-level members that must be arrays
ACTIVITY_KEYS = (b"activitesAutorisees", b"activitesExercees")


def matches(head: bytes) -> bool:
    """Tell whether the content is a FINESS+ JSON file (structures or activities)."""
    text = head.lstrip()
    return text.startswith(b"{") and (b'"pmej"' in head or b'"generatedAt"' in head)


def read(path: Path) -> Snapshot:
    """Open a FINESS+ structures or activities file as a snapshot dated by its `generatedAt`."""
    file = str(path)
    stream = open_binary(path)
    members = iter_members(stream, file)
    header: dict[str, Any] = {}
    first: Member | None = None
    for member in members:
        if member.position is not None:
            first = member
            break
        if member.key in ARRAYS:
            stream.close()
            raise _not_an_array(file, member)
        header[member.key] = member.value
    generated = header.get("generatedAt")
    if not isinstance(generated, str) or len(generated) < 10:
        stream.close()
        raise InvalidData(file, "$.generatedAt", "missing or not a date: the snapshot cannot be dated")
    try:
        date = snapshot_day(generated[:10], file, "$.generatedAt")
    except InvalidData:
        stream.close()
        raise
    dataset = _dataset(first, file)
    report = LoadReport(file=file, dataset=dataset, snapshot=date)

    def records() -> Iterator[Record]:
        with stream:
            rest = _arrays(file, first, members)
            if dataset == "finess-plus-activities":
                yield from finess_plus_activities.records(rest, report)
            else:
                yield from _structures(rest, report)

    return Snapshot(dataset, date, file, records(), report, dated_by="$.generatedAt")


def _not_an_array(file: str, member: Member) -> InvalidData:
    # Read as an empty array, it would make a snapshot without entries: everything closed.
    kind = type(member.value).__name__
    return InvalidData(file, f"line {member.line} ($.{member.key})", f"is {kind}, not an array")


def _arrays(file: str, first: Member | None, rest: Iterator[Member]) -> Iterator[Member]:
    """The members after the header, refusing a top-level array of FINESS+ that is something else."""
    if first is not None:
        yield first
    for member in rest:
        if member.position is None and member.key in ARRAYS:
            raise _not_an_array(file, member)
        yield member


def _dataset(first: Member | None, file: str) -> str:
    if first is None or first.key in ("gco", "gcc"):
        return "finess-plus-structures"
    item = first.value
    if first.key == "pmej" and isinstance(item, dict):
        if "informationsGeneralesPMEJ" in item:
            return "finess-plus-structures"
        if "activitesAutorisees" in item or ("ege" in item and "numFiness" in item):
            return "finess-plus-activities"
    raise InvalidData(file, f"$.{first.key}[0]", "is neither a FINESS+ structures nor activities entry")


def _check(number: Any, path: str, report: LoadReport) -> None:
    problem = finess_problem(number if isinstance(number, str) else None)
    report.count("FINESS numbers checked")
    if problem:
        report.count("invalid FINESS numbers")
        report.warn("invalid-finess", f"{report.file}, {path}: {problem}")


def _structures(members: Iterator[Member], report: LoadReport) -> Iterator[Record]:
    """Yield the records of a structures file; groupings and EGE roles come last, once ids resolve."""
    pm_finess: dict[str, str] = {}
    ege_finess: dict[str, str] = {}
    pm_names: dict[str, str] = {}
    gco: list[tuple[int, dict[str, Any]]] = []
    gcc: list[tuple[int, dict[str, Any]]] = []
    roles: list[tuple[str, str, str, str]] = []
    communes: set[str] = set()
    for m in members:
        if not isinstance(m.value, dict):
            if m.position is not None:
                report.warn("not-an-object", f"$.{m.key}[{m.position}] line {m.line}", skipped=True)
            continue
        if m.key == "gco":
            gco.append((m.position or 0, m.value))
        elif m.key == "gcc":
            gcc.append((m.position or 0, m.value))
        elif m.key == "pmej":
            yield from _legal_entity(m, report, pm_finess, ege_finess, pm_names, roles, communes)
        else:
            report.warn("unknown-array", f"$.{m.key} is not a FINESS+ structures array; skipped")
    for index, entry in gcc:
        yield from _gcc(index, entry, report, pm_finess, ege_finess)
    for index, entry in gco:
        yield from _gco(index, entry, report, pm_finess, ege_finess, pm_names)
    for path, porteuse, non_porteuse, role in roles:
        src, dst = ege_finess.get(porteuse), ege_finess.get(non_porteuse)
        if src is None or dst is None:
            missing = porteuse if src is None else non_porteuse
            report.warn("dangling-reference", f"{path}: egeId {missing} is not in the file")
            continue
        yield Edge("RELATED_TO", src, dst, {"role": role}, key=role)


def _legal_entity(
    m: Member,
    report: LoadReport,
    pm_finess: dict[str, str],
    ege_finess: dict[str, str],
    pm_names: dict[str, str],
    roles: list[tuple[str, str, str, str]],
    communes: set[str],
) -> Iterator[Record]:
    path = f"$.pmej[{m.position}]"
    entry = m.value
    info = entry.get("informationsGeneralesPMEJ")
    if not isinstance(info, dict) or not info.get("numFinessPm"):
        report.warn("missing-id", f"{path} (line {m.line}) has no numFinessPm", skipped=True)
        return
    finess = str(info["numFinessPm"])
    _check(finess, f"{path}.informationsGeneralesPMEJ.numFinessPm", report)
    props = pick(info, LEGAL_ENTITY_FIELDS, {}, f"{path}.informationsGeneralesPMEJ", report)
    for key, name in (("etatObjet", "state"), ("dateDerniereMaj", "updatedAt")):
        if entry.get(key):
            props[name] = entry[key]
    contact(entry, props, path, report)
    if info.get("pmSmsseId"):
        pm_finess[str(info["pmSmsseId"])] = finess
        pm_names[str(info["pmSmsseId"])] = str(props.get("name", ""))
    report.count("legal entities")
    yield Node(finess, "LegalEntity", props, props.get("openedOn"), props.get("closedOn"))
    yield from addresses(finess, entry, path, report, communes)
    yield from engagements(finess, entry, path, report)
    yield from events(finess, entry, path, report)
    for j, ege in enumerate(items(entry.get("ege"), f"{path}.ege", report)):
        yield from _establishment(f"{path}.ege[{j}]", ege, finess, report, ege_finess, roles, communes)


def _establishment(
    path: str,
    ege: Any,
    parent: str,
    report: LoadReport,
    ege_finess: dict[str, str],
    roles: list[tuple[str, str, str, str]],
    communes: set[str],
) -> Iterator[Record]:
    info = ege.get("informationsGeneralesEGE") if isinstance(ege, dict) else None
    if not isinstance(info, dict) or not info.get("numFinessEge"):
        report.warn("missing-id", f"{path} has no numFinessEge", skipped=True)
        return
    finess = str(info["numFinessEge"])
    _check(finess, f"{path}.informationsGeneralesEGE.numFinessEge", report)
    props = pick(info, ESTABLISHMENT_FIELDS, {}, f"{path}.informationsGeneralesEGE", report)
    top = {k: v for k, v in ege.items() if k not in ("informationsGeneralesEGE", "roleEge")}
    pick(top, ESTABLISHMENT_FIELDS, props, path, report)
    contact(ege, props, path, report)
    if info.get("egeId"):
        ege_finess[str(info["egeId"])] = finess
    report.count("establishments")
    yield Node(finess, "Establishment", props, props.get("openedOn"), props.get("closedOn"))
    yield Edge("ATTACHED_TO", finess, parent, {})
    report.count("establishment addresses", len(items(ege.get("adresse"), f"{path}.adresse", report)))
    yield from addresses(finess, ege, path, report, communes)
    yield from engagements(finess, ege, path, report)
    yield from events(finess, ege, path, report)
    for k, role in enumerate(items(ege.get("roleEge"), f"{path}.roleEge", report)):
        if isinstance(role, dict) and role.get("idEgePorteuse") and role.get("idEgeNonPorteuse"):
            roles.append(
                (
                    f"{path}.roleEge[{k}]",
                    str(role["idEgePorteuse"]),
                    str(role["idEgeNonPorteuse"]),
                    str(role.get("roleRelationEge") or ""),
                )
            )


def _members(
    group_id: str,
    path: str,
    entry: dict[str, Any],
    keys: tuple[str, str],
    report: LoadReport,
    pm_finess: dict[str, str],
    ege_finess: dict[str, str],
) -> Iterator[Record]:
    for key, ids, id_key in ((keys[0], pm_finess, "pmSmsseId"), (keys[1], ege_finess, "egeId")):
        for i, member in enumerate(items(entry.get(key), f"$.{path}.{key}", report)):
            ref = str(member.get(id_key) or "") if isinstance(member, dict) else ""
            finess = ids.get(ref)
            if finess is None:
                report.warn(
                    "dangling-reference",
                    f"$.{path}.{key}[{i}]: {id_key} {ref or '?'} is not in the file",
                )
                continue
            role = str(member.get("typeRoleEntiteGroupe") or "M")
            yield Edge("MEMBER_OF", finess, group_id, {"role": role})


def _gcc(
    index: int,
    entry: dict[str, Any],
    report: LoadReport,
    pm_finess: dict[str, str],
    ege_finess: dict[str, str],
) -> Iterator[Record]:
    path = f"gcc[{index}]"
    if not entry.get("gccId"):
        report.warn("missing-id", f"$.{path} has no gccId", skipped=True)
        return
    group_id = f"gcc:{entry['gccId']}"
    own = {k: v for k, v in entry.items() if k not in ("pmejDuGcc", "egeDuGcc")}
    props = pick(own, GCC_FIELDS, {}, f"$.{path}", report)
    report.count("conventional groupings")
    yield Node(group_id, "ConventionalGrouping", props)
    yield from _members(group_id, path, entry, ("pmejDuGcc", "egeDuGcc"), report, pm_finess, ege_finess)
    yield from engagements(group_id, entry, f"$.{path}", report)
    yield from events(group_id, entry, f"$.{path}", report)


def _gco(
    index: int,
    entry: dict[str, Any],
    report: LoadReport,
    pm_finess: dict[str, str],
    ege_finess: dict[str, str],
    pm_names: dict[str, str],
) -> Iterator[Record]:
    path = f"gco[{index}]"
    head = str(entry.get("pmSmsseId") or "")
    if not head:
        report.warn("missing-id", f"$.{path} has no pmSmsseId", skipped=True)
        return
    group_id = f"gco:{head}"
    props: dict[str, Any] = {"pmSmsseId": head}
    if entry.get("typeGco"):
        props["groupingType"] = entry["typeGco"]
    head_finess = pm_finess.get(head)
    if head_finess:
        props["finess"], props["name"] = head_finess, pm_names.get(head, "")
    report.count("organic groupings")
    yield Node(group_id, "OrganicGrouping", props)
    if head_finess:
        yield Edge("HEADED_BY", group_id, head_finess, {})
    else:
        report.warn(
            "dangling-reference",
            f"$.{path}.pmSmsseId: the head legal entity {head} is not in the file",
        )
    yield from _members(group_id, path, entry, ("pmejDuGco", "egeDuGco"), report, pm_finess, ege_finess)
