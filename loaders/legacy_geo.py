"""Places in the legacy CSV and XML extracts: commune codes (COG) and coordinates reprojected to WGS84."""

from __future__ import annotations

import math
import re
from typing import Any

from pyproj import Transformer
from pyproj.exceptions import CRSError, ProjError

from loaders.values import MAX_PROJECTED

# `sourcecoordet` ends with the projection ("1,ATLASANTE,100,IGN,BD_ADRESSE,V2.2,LAMBERT_93"), or
# names an EPSG code.
PROJECTIONS: dict[str, str] = {
    "LAMBERT_93": "EPSG:2154",
    "UTM_N20": "EPSG:32620",  # Guadeloupe, Martinique
    "UTM_N21": "EPSG:4467",  # Saint-Pierre-et-Miquelon
    "UTM_N22": "EPSG:2972",  # Guyane
    "UTM_N38": "EPSG:4471",  # Mayotte
    "UTM_N40": "EPSG:2975",  # La Réunion
    "UTM_S38": "EPSG:4471",  # Mayotte and La Réunion lie south of the equator: some rows say so
    "UTM_S40": "EPSG:2975",
}
_EPSG = re.compile(r"EPSG:\s*(\d+)", re.IGNORECASE)

# FINESS writes the overseas departments 9A…9F (971…976); their communes are then numbered
# 1xx…6xx, the COG's last three digits, after "97" (or "98" when the postal code says so).
_OVERSEAS = {"9A": "1", "9B": "2", "9C": "3", "9D": "4", "9E": "5", "9F": "6"}
_DEPARTMENT = re.compile(r"^(?:0[1-9]|1[0-9]|2[1-9AB]|[3-8][0-9]|9[0-5])$")
_COMMUNE = re.compile(r"^[0-9]{3}$")


def commune_code(
    department: str | None, commune: str | None, postal_code: str | None = None
) -> tuple[str | None, str | None]:
    """Return (COG, None) for a department and 3-digit commune number, or (None, why not)."""
    if department is None or commune is None:
        return None, None
    if not _COMMUNE.match(commune):
        return None, f"commune {commune!r} is not 3 digits"
    department = department.upper()
    if len(department) == 3 and department.isdigit():  # 971…: the commune repeats its last digit
        return department + commune[-2:], None
    if re.fullmatch(r"9[A-Z]", department):
        if department in _OVERSEAS and commune[0] != _OVERSEAS[department]:
            return None, f"commune {commune!r} does not belong to department {department}"
        prefix = postal_code[:2] if postal_code and postal_code[:2] in ("97", "98") else "97"
        return prefix + commune, None
    if not _DEPARTMENT.match(department):
        return None, f"department {department!r} is not a known FINESS department code"
    return department + commune, None


def projection_of(source: str | None) -> tuple[str | None, str | None]:
    """Return the projection a `sourcecoordet` value names, and its CRS when it is known."""
    if not source:
        return None, None
    epsg = _EPSG.search(source)
    if epsg:
        name = f"EPSG:{epsg.group(1)}"
        return name, name
    name = source.rsplit(",", 1)[-1].strip().upper()
    return name or None, PROJECTIONS.get(name)


class Reprojector:
    """Turns projected coordinates into WGS84 longitude/latitude, one Transformer per projection."""

    def __init__(self) -> None:
        self._transformers: dict[str, Transformer | None] = {}

    def to_wgs84(self, crs: str, x: float, y: float) -> tuple[float, float] | None:
        """Return (longitude, latitude), or None when the CRS is unknown or the point fails."""
        if crs not in self._transformers:
            try:
                self._transformers[crs] = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
            except (CRSError, ProjError):
                self._transformers[crs] = None
        transformer = self._transformers[crs]
        if transformer is None:
            return None
        lon, lat = transformer.transform(x, y)
        if not (abs(lon) <= 180 and abs(lat) <= 90):  # also false for inf and nan
            return None
        return round(float(lon), 6), round(float(lat), 6)

    def address_props(self, geo: tuple[str | None, ...]) -> tuple[dict[str, Any], str | None]:
        """Return the Address properties of an (x, y, source, date) geolocation, and any problem."""
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
        if not (math.isfinite(x) and math.isfinite(y)) or max(abs(x), abs(y)) > MAX_PROJECTED:
            return props, f"coordinates {raw_x!r}, {raw_y!r} are no point of the Earth"
        props["x"], props["y"] = x, y
        name, crs = projection_of(source)
        if name:
            props["projection"] = name
        lonlat = self.to_wgs84(crs, x, y) if crs else None
        if lonlat is None:
            return props, f"{x}, {y} in {source!r} cannot be reprojected: kept as x/y"
        props["longitude"], props["latitude"] = lonlat
        return props, None
