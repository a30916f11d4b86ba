"""Places in the flux standard: commune codes (COG) and coordinates reprojected to WGS84."""

from __future__ import annotations

import re
from typing import Any

from pyproj import Transformer

# `sourcecoordet` ends with the projection's name ("1,ATLASANTE,100,IGN,BD_ADRESSE,V2.2,LAMBERT_93").
# Mainland rows are Lambert-93; the overseas departments use the UTM zone of their official datum.
PROJECTIONS: dict[str, str] = {
    "LAMBERT_93": "EPSG:2154",  # RGF93 / Lambert-93
    "UTM_N20": "EPSG:5490",  # RGAF09 / UTM 20N: Guadeloupe, Martinique
    "UTM_N21": "EPSG:4467",  # RGSPM06 / UTM 21N: Saint-Pierre-et-Miquelon
    "UTM_N22": "EPSG:2972",  # RGFG95 / UTM 22N: Guyane
    "UTM_S38": "EPSG:4471",  # RGM04 / UTM 38S: Mayotte
    "UTM_S40": "EPSG:2975",  # RGR92 / UTM 40S: La Réunion
}
LAMBERT_93 = "LAMBERT_93"

# FINESS writes the overseas departments 9A…9F; their communes are numbered 1xx…6xx after "97".
_OVERSEAS = {"9A": "1", "9B": "2", "9C": "3", "9D": "4", "9E": "5", "9F": "6"}
_DEPARTMENT = re.compile(r"^(?:0[1-9]|1[0-9]|2[1-9AB]|[3-8][0-9]|9[0-5])$")
_COMMUNE = re.compile(r"^[0-9]{3}$")


def commune_code(department: str | None, commune: str | None) -> tuple[str | None, str | None]:
    """Return (COG, None) for a department and 3-digit commune number, or (None, why not)."""
    if department is None or commune is None:
        return None, None
    if not _COMMUNE.match(commune):
        return None, f"commune {commune!r} is not 3 digits"
    if department in _OVERSEAS:
        if commune[0] != _OVERSEAS[department]:
            return None, f"commune {commune!r} does not belong to department {department}"
        return "97" + commune, None
    if not _DEPARTMENT.match(department):
        return None, f"department {department!r} is not a known FINESS department code"
    return department + commune, None


def projection_of(source: str | None) -> str | None:
    """Return the projection named at the end of a `sourcecoordet` value."""
    if not source:
        return None
    return source.rsplit(",", 1)[-1].strip().upper() or None


class Reprojector:
    """Turns projected coordinates into WGS84 longitude/latitude, one Transformer per projection."""

    def __init__(self) -> None:
        self._transformers: dict[str, Transformer] = {}

    def to_wgs84(self, projection: str, x: float, y: float) -> tuple[float, float] | None:
        """Return (longitude, latitude), or None when the projection is not one FINESS uses."""
        crs = PROJECTIONS.get(projection)
        if crs is None:
            return None
        transformer = self._transformers.get(projection)
        if transformer is None:
            transformer = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
            self._transformers[projection] = transformer
        lon, lat = transformer.transform(x, y)
        return round(float(lon), 7), round(float(lat), 7)

    def address_props(self, geo: tuple[str | None, ...]) -> tuple[dict[str, Any], str | None]:
        """Return the Address properties of one (x, y, source, date) geolocation, and any problem."""
        raw_x, raw_y, source, updated = geo
        props: dict[str, Any] = {}
        if source:
            props["coordinateSource"] = source
        if updated:
            props["geocodedOn"] = updated
        if raw_x is None or raw_y is None:
            return props, None
        try:
            x, y = float(raw_x), float(raw_y)
        except ValueError:
            return props, f"coordinates {raw_x!r}, {raw_y!r} are not numbers"
        projection = projection_of(source)
        lonlat = self.to_wgs84(projection, x, y) if projection else None
        if projection == LAMBERT_93:
            props["x"], props["y"] = x, y
        else:
            # The public schema keeps x/y for Lambert-93 only; other projections keep their raw values.
            props["sourceX"], props["sourceY"] = x, y
        if lonlat is None:
            return props, f"projection {projection!r} is unknown: coordinates kept unprojected"
        props["longitude"], props["latitude"] = lonlat
        return props, None
