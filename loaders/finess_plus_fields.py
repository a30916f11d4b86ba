"""Field mappings shared by the FINESS+ structures and activities loaders."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import Any

from graph.model import Edge, LoadReport, Node, Props
from loaders.values import MAX_PROJECTED, items

EVENT_FIELDS = {
    "codeEvenement": "code",
    "dateEvenement": "date",
    "dateEnregistrement": "recordedAt",
    "typeObjet1": "objectType",
    "identifiantObjet1": "objectId",
    "typeObjet2": "objectType2",
    "identifiantObjet2": "objectId2",
    "etatObjet1": "state",
    "systemeMaitre": "masterSystem",
    "evenementId": "eventId",
}
ENGAGEMENT_FIELDS = {
    "typeEngagement": "engagementType",
    "sousTypeEngagement": "engagementSubtype",
    "nomEngagement": "name",
    "identifiantEngagement": "reference",
    "dateEffetEngagement": "effectiveOn",
    "dateSignatureEngagement": "signedOn",
    "dateNotificationEngagement": "notifiedOn",
    "dateFinEngagement": "endOn",
    "dateCaduciteEngagement": "lapseOn",
    "motifArrete": "reason",
    "engagementId": "engagementId",
}
ADDRESS_FIELDS = {
    "usageAdresse": "usage",
    "numeroVoie": "number",
    "typeVoie": "streetType",
    "libelleVoie": "street",
    "complementVoie": "streetComplement",
    "complementPointGeographique": "placeComplement",
    "lieuDit": "locality",
    "cogCommune": "communeCode",
    "codePostal": "postalCode",
    "ligneAcheminement": "routing",
    "ligneUne": "line1",
    "ligneDeux": "line2",
    "ligneTrois": "line3",
    "ligneQuatre": "line4",
    "ligneCinq": "line5",
    "ligneSix": "line6",
}
IGNORED = {"adresse", "contact", "engagement", "evenement", "coordonneesGeographique"}


def is_data(value: Any) -> bool:
    """Tell whether a JSON value carries data (not null, not an empty string or list)."""
    # Written so (and so inline in `pick`) because `value != []` made a list at each of millions of calls.
    return bool(value) or not (value is None or type(value) is str or type(value) is list)


def scalar(value: Any) -> Any:
    """Turn a JSON value into a property value: scalars as they are, lists of scalars kept."""
    if isinstance(value, list):
        return [v for v in value if v is not None and not isinstance(v, dict | list)]
    return value


def pick(
    src: Mapping[str, Any], fields: Mapping[str, str], props: Props, path: str, report: LoadReport
) -> Props:
    """Copy the known fields of `src` under their English names and keep unknown ones as they are."""
    for key, value in src.items():
        # `is_data` and `scalar` inline: a call each for every field of millions of items cost 4 s.
        if not value and (value is None or type(value) is str or type(value) is list):
            continue
        name = fields.get(key)
        if name is not None:
            props[name] = scalar(value) if type(value) is list else value
        elif key not in IGNORED and key not in props:
            if isinstance(value, dict):
                report.warn("unknown-field", f"{path}.{key} is an object; not kept", skipped=False)
                continue
            # Schema drift: a field this loader does not know is kept under its own name.
            props[key] = scalar(value)
            report.warn("unknown-field", f"{path}.{key} kept as {key!r}")
    return props


def events(owner: str, src: Mapping[str, Any], path: str, report: LoadReport) -> Iterator[Node | Edge]:
    """Yield the Event nodes of `src["evenement"]` and the RECORDED edges from their owner."""
    for i, ev in enumerate(items(src.get("evenement"), f"{path}.evenement", report)):
        ev_id = ev.get("evenementId") if isinstance(ev, dict) else None
        if not ev_id:
            report.warn("missing-id", f"{path}.evenement[{i}] has no evenementId", skipped=True)
            continue
        props = pick(ev, EVENT_FIELDS, {}, f"{path}.evenement[{i}]", report)
        node_id = f"ev:{ev_id}"
        yield Node(node_id, "Event", props, props.get("date"), None)
        yield Edge("RECORDED", owner, node_id, {})


def engagements(owner: str, src: Mapping[str, Any], path: str, report: LoadReport) -> Iterator[Node | Edge]:
    """Yield the Engagement and Authority nodes of `src["engagement"]` with BOUND_BY and ISSUED_BY."""
    for i, eng in enumerate(items(src.get("engagement"), f"{path}.engagement", report)):
        eng_id = eng.get("engagementId") if isinstance(eng, dict) else None
        if not eng_id:
            report.warn("missing-id", f"{path}.engagement[{i}] has no engagementId", skipped=True)
            continue
        where = f"{path}.engagement[{i}]"
        key = "autoriteRegulationEngagement"
        authorities = items(eng.get(key), f"{where}.{key}", report)
        props = pick(
            {k: v for k, v in eng.items() if k != "autoriteRegulationEngagement"},
            ENGAGEMENT_FIELDS,
            {},
            where,
            report,
        )
        node_id = f"eng:{eng_id}"
        end = props.get("endOn") or props.get("lapseOn")
        yield Node(node_id, "Engagement", props, props.get("effectiveOn"), end)
        yield Edge("BOUND_BY", owner, node_id, {})
        for auth in authorities:
            code = auth.get("autoriteRegulationid") if isinstance(auth, dict) else None
            if not code:
                continue
            kind, _, territory = str(code).partition("-")
            auth_id = f"auth:{code}"
            yield Node(auth_id, "Authority", {"code": code, "kind": kind, "territory": territory})
            yield Edge("ISSUED_BY", node_id, auth_id, {})


def _number(text: Any) -> float | None:
    """Return a finite number, or None for what is not one (text, null, NaN, infinity)."""
    try:
        value = float(text)
    except (TypeError, ValueError, OverflowError):
        return None
    return value if math.isfinite(value) else None


def coordinates(geo: Mapping[str, Any], path: str, report: LoadReport) -> Props:
    """Return WGS84 `longitude`/`latitude` and projected `x`/`y`, each pair decided by magnitude."""
    pairs = [
        (_number(geo.get("coordonneeX")), _number(geo.get("coordonneeY"))),
        (_number(geo.get("directionLongitude")), _number(geo.get("directionLatitude"))),
    ]
    out: Props = {}
    raw = (
        (geo.get("coordonneeX"), geo.get("coordonneeY")),
        (geo.get("directionLongitude"), geo.get("directionLatitude")),
    )
    for (a, b), given in zip(pairs, raw, strict=True):
        if a is None or b is None:
            if a is not None or b is not None or any(is_data(v) for v in given):
                report.warn("bad-coordinates", f"{path}: {given[0]!r}, {given[1]!r} are not two numbers")
            continue
        if abs(a) <= 180 and abs(b) <= 180:
            # Degrees. The name says which is which, but a latitude beyond ±90 means swapped.
            lon, lat = (b, a) if abs(b) > 90 >= abs(a) else (a, b)
            if abs(lat) > 90:
                report.warn("bad-coordinates", f"{path}: {a}, {b} hold no latitude (both beyond ±90)")
                continue
            out["longitude"], out["latitude"] = lon, lat
        elif abs(a) > MAX_PROJECTED or abs(b) > MAX_PROJECTED:
            report.warn("bad-coordinates", f"{path}: {a}, {b} are beyond any projection of the Earth")
        else:
            out["x"], out["y"] = a, b
    if is_data(geo.get("cleInInteropBAN")):
        out["banKey"] = geo["cleInInteropBAN"]
    score = _number(geo.get("scoreBAN"))
    if score is not None:
        out["banScore"] = score
    return out


def addresses(
    owner: str, src: Mapping[str, Any], path: str, report: LoadReport, communes: set[str]
) -> Iterator[Node | Edge]:
    """Yield the Address nodes of `src["adresse"]` with HAS_ADDRESS and LOCATED_IN edges.

    The owner is located in the commune of its first address; a commune met for the first time in
    this file (tracked in `communes`) is yielded as a Commune node.
    """
    for rank, addr in enumerate(items(src.get("adresse"), f"{path}.adresse", report)):
        if not isinstance(addr, dict):
            report.warn("bad-address", f"{path}.adresse[{rank}] is not an object", skipped=True)
            continue
        where = f"{path}.adresse[{rank}]"
        props = pick(addr, ADDRESS_FIELDS, {}, where, report)
        geo = addr.get("coordonneesGeographique")
        if isinstance(geo, dict):
            props.update(coordinates(geo, f"{where}.coordonneesGeographique", report))
        addr_id = f"addr:{owner}:{rank}"
        yield Node(addr_id, "Address", props)
        yield Edge("HAS_ADDRESS", owner, addr_id, {"usage": props.get("usage"), "rank": rank})
        cog = props.get("communeCode")
        if isinstance(cog, str) and cog:
            if cog not in communes:
                communes.add(cog)
                yield Node(f"com:{cog}", "Commune", {"code": cog})
            yield Edge("LOCATED_IN", addr_id, f"com:{cog}", {})
            if rank == 0:
                yield Edge("LOCATED_IN", owner, f"com:{cog}", {})


def contact(src: Mapping[str, Any], props: Props, path: str, report: LoadReport) -> None:
    """Copy the first phone, fax and e-mail of `src["contact"]` into `props`."""
    for c in items(src.get("contact"), f"{path}.contact", report):
        telecom = c.get("telecom") if isinstance(c, dict) else None
        if not isinstance(telecom, dict):
            continue
        for key, name in (("telephone", "phone"), ("telecopie", "fax"), ("courriel", "email")):
            if is_data(telecom.get(key)) and name not in props:
                props[name] = telecom[key]
