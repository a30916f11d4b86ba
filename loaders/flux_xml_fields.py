"""Field maps of the flux standard: XML leaf → public-schema property, and code → label leaves.

Names follow `docs/graph-schema.md`; fields the schema does not name get an English camelCase
name (`sirenChangedOn`, `lapseFlag`…). Leaves that only repeat another record (`rsej`, `rset`: the
names of the holder and of the site, which the structure files carry) are read but not copied.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from loaders.flux_xml_stream import Fields

ADDRESS = {
    "numvoie": "number",
    "typvoie": "streetType",
    "voie": "street",
    "compvoie": "streetComplement",
    "compldistrib": "placeComplement",
    "lieuditbp": "locality",
    "codepostal": "postalCode",
    "ligneacheminement": "routing",
    "libellepays": "country",
    "codepays": "countryCode",
}
# Leaves turned into the commune code and the Commune node; department names come from
# graph/data/departments.csv (Department nodes), so `libdepartement` is not copied.
PLACE = {"commune", "departement", "libcommune", "libdepartement"}

LEGAL_ENTITY = {
    "nofiness": "finess",
    "rs": "name",
    "rslongue": "longName",
    "complrs": "nameComplement",
    "telephone": "phone",
    "telecopie": "fax",
    "statutjuridique": "legalStatus",
    "categetab": "category",
    "siren": "siren",
    "datemodifsiren": "sirenChangedOn",
    "originemodifsiren": "sirenChangeOrigin",
    "codeape": "apeCode",
    "datecrea": "openedOn",
    "datemaj": "updatedAt",
    "datefermeture": "closedOn",
    "typefermeture": "closureType",
    "qualifcreation": "creationQualifier",
}

ESTABLISHMENT = {
    "nofinesset": "finess",
    "rs": "name",
    "rslongue": "longName",
    "complrs": "nameComplement",
    "telephone": "phone",
    "telecopie": "fax",
    "courriel": "email",
    "categetab": "category",
    "categagretab": "categoryAggregate",
    "typeet": "establishmentType",
    "nofinessppal": "mainEstablishment",
    "natureet": "establishmentNature",
    "siret": "siret",
    "datemodifsiret": "siretChangedOn",
    "originemodifsiret": "siretChangeOrigin",
    "codeape": "apeCode",
    "codemft": "tariffMode",
    "dateouv": "openedOn",
    "datelimite": "lapseOn",
    "indcaduc": "lapseFlag",
    "typefermeture": "closureType",
    "datefermeture": "closedOn",
    "dateautor": "firstAuthorisedOn",
    "datemaj": "updatedAt",
    "numuai": "nationalEducationNumber",
}

# cs1400103 <activiteoffresoin>: the authorisation side, then the implantation (site) side.
CARE_AUTHORISED = {
    "activite": "activity",
    "modalite": "modality",
    "forme": "form",
    "noautor": "authorisationNumber",
    "dateautor": "startOn",
    "indnatlien": "linkType",
    "noligautor": "lineNumber",
    "noligautoranc": "formerLineNumber",
    "noautorarhgos": "arhgosAuthorisationNumber",
    "noancautact": "formerActivityNumber",
    "noancauteml": "formerEquipmentNumber",
    "sectpsy": "psychiatricSector",
    "datefin": "endOn",
    "datelimite": "lapseOn",
    "indcaduc": "lapseFlag",
    "daterenouv": "renewedOn",
    "indrenouv": "renewalFlag",
    "indsupact": "deletedFlag",
    "datemajact": "updatedAt",
}
CARE_OPERATED = {
    "activite": "activity",
    "modalite": "modality",
    "forme": "form",
    "noautor": "authorisationNumber",
    "noimplarhgos": "arhgosSiteNumber",
    "datemeo": "startOn",
    "datefin": "endOn",
    "indsupsite": "deletedFlag",
    "datemajsite": "updatedAt",
}

# cs1400104 <equipmateriellourd>: an authorisation of heavy equipment, installed on a site.
EQUIPMENT_AUTHORISED = {
    "eml": "equipment",
    "noautor": "authorisationNumber",
    "noautorarhgos": "arhgosAuthorisationNumber",
    "dateautor": "startOn",
    "datelimite": "lapseOn",
    "indcaduc": "lapseFlag",
    "indnatlien": "linkType",
    "indrempl": "replacementFlag",
    "noautorremplacement": "replacementAuthorisationNumber",
    "indsup": "deletedFlag",
    "datemaj": "updatedAt",
}
EQUIPMENT_OPERATED = {
    "eml": "equipment",
    "noautor": "authorisationNumber",
    "noimplarhgos": "arhgosSiteNumber",
    "numserie": "serialNumber",
    "marque": "brand",
    "datemeo": "startOn",
    "datefin": "endOn",
}

# cs1400105 <equipementsocial>: one discipline/mode/clientele at a site, authorised and installed.
SOCIAL_AUTHORISED = {
    "de": "discipline",
    "ta": "mode",
    "client": "clientele",
    "sourceinfo": "infoSource",
    "capautot": "authorisedCapacity",
    "capautm": "authorisedCapacityMen",
    "capautf": "authorisedCapacityWomen",
    "capauthab": "authorisedCapacitySocialAid",
    "ageminiaut": "minAge",
    "agemaxiaut": "maxAge",
    "indsupaut": "deletedFlag",
    "dateautor": "startOn",
    "datepremautor": "firstAuthorisedOn",
    "datemajaut": "updatedAt",
}
SOCIAL_OPERATED = {
    "de": "discipline",
    "ta": "mode",
    "client": "clientele",
    "sourceinfo": "infoSource",
    "capinstot": "installedCapacity",
    "capinstm": "installedCapacityMen",
    "capinstf": "installedCapacityWomen",
    "capinsthab": "installedCapacitySocialAid",
    "ageminiinst": "minAge",
    "agemaxiinst": "maxAge",
    "indsupinst": "deletedFlag",
    "datederinst": "lastInstalledOn",
    "datemajinst": "updatedAt",
}

# Whole numbers in the flux (capacities and ages) become integers.
INTEGERS = {
    "capautot", "capautm", "capautf", "capauthab", "capinstot", "capinstm", "capinstf",
    "capinsthab", "ageminiaut", "agemaxiaut", "ageminiinst", "agemaxiinst",
}  # fmt: skip

# code leaf → (label leaf, short label leaf, table): labels go to Snapshot.labels, not to nodes.
LABELS: dict[str, tuple[str, str | None, str]] = {
    "statutjuridique": ("libstatutjuridique", "libcourtstatutjuridique", "legal_status"),
    "categetab": ("libcategetab", "libcourtcategetab", "category"),
    "categagretab": ("libcategagretab", "libcourtcategagretab", "category_aggregate"),
    "codemft": ("libmft", "libcourtmft", "tariff_mode"),
    "codesph": ("libsph", "libcourtsph", "espic"),
    "activite": ("libactivite", None, "amf_activity"),
    "modalite": ("libmodalite", None, "amf_modality"),
    "forme": ("libforme", None, "amf_form"),
    "sectpsy": ("libsectpsy", None, "psychiatric_sector"),
    "eml": ("libeml", "libcourteml", "heavy_equipment"),
    "de": ("libde", "libcourtde", "discipline"),
    "ta": ("libta", "libcourtta", "operating_mode"),
    "client": ("libclient", "libcourtclient", "clientele"),
    "sourceinfo": ("libsourceinfo", None, "info_source"),
}
LABEL_LEAVES = {leaf for long, short, _ in LABELS.values() for leaf in (long, short) if leaf}
COPIES = {"rsej", "rset"}


def props(fields: Fields, mapping: dict[str, str]) -> dict[str, Any]:
    """Return the mapped properties of the leaves that carry data."""
    out: dict[str, Any] = {}
    for leaf, name in mapping.items():
        value = fields.get(leaf)
        if value is None:
            continue
        if leaf in INTEGERS and value.lstrip("-").isdigit():
            out[name] = int(value)
        else:
            out[name] = value
    return out


def labels_of(fields: Fields) -> list[tuple[str, str, str]]:
    """Return the (table, code, label) facts a block carries; the long label, else the short one."""
    facts = []
    for leaf, (long, short, table) in LABELS.items():
        code = fields.get(leaf)
        label = fields.get(long) or (fields.get(short) if short else None)
        if code is not None and label is not None:
            facts.append((table, code, label))
    return facts


def unmapped(fields: Fields, *mappings: dict[str, str], also: Collection[str] = ()) -> list[str]:
    """Return the leaves carrying data that no mapping reads: a newer flux version's additions."""
    known = set().union(*mappings) | LABEL_LEAVES | COPIES | set(also)
    return [leaf for leaf, value in fields.items() if value is not None and leaf not in known]
