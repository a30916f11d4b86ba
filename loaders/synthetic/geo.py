"""Synthetic communes per département, and points with both WGS84 and projected coordinates."""

from __future__ import annotations

import bisect
import math
import random
from typing import NamedTuple

from pyproj import Transformer

from loaders.synthetic.places import DEPARTMENTS, Department
from loaders.synthetic.texts import commune_name


class Commune(NamedTuple):
    """A commune: INSEE code, main postcode, name, centre."""

    cog: str
    postcode: str
    name: str
    lat: float
    lon: float


class Geography:
    """Deterministic communes for every département, and coordinate projection."""

    def __init__(self, seed: int) -> None:
        rng = random.Random(seed * 7919 + 17)
        self.departments = {d.code: d for d in DEPARTMENTS}
        self.communes: dict[str, list[Commune]] = {}
        self.cumulative: dict[str, list[float]] = {}
        for dept in DEPARTMENTS:
            pool = self._communes(dept, rng, max(12, dept.weight // 10))
            self.communes[dept.code] = pool
            # Structures concentrate in the big towns: Zipf weights by rank.
            total, cum = 0.0, []
            for rank in range(len(pool)):
                total += 1.0 / (rank + 1)
                cum.append(total)
            self.cumulative[dept.code] = cum
        self._projections = {
            epsg: Transformer.from_crs(4326, epsg, always_xy=True) for epsg in {d.epsg for d in DEPARTMENTS}
        }

    @staticmethod
    def _communes(dept: Department, rng: random.Random, count: int) -> list[Commune]:
        digits = 5 - len(dept.code)
        codes = rng.sample(range(1, 10**digits - 10 ** (digits - 1)), count)
        post_root = "20" if dept.code in ("2A", "2B") else dept.code
        pool = []
        for i, number in enumerate(codes):
            angle, dist = rng.random() * 2 * math.pi, dept.radius * math.sqrt(rng.random())
            lat = dept.lat + dist * math.sin(angle) * (0.3 if i == 0 else 1.0)
            lon = dept.lon + dist * math.cos(angle) / math.cos(math.radians(dept.lat))
            tail = 5 - len(post_root)
            post = post_root + ("0" * tail if i == 0 else str(rng.randrange(1, 10**tail)).zfill(tail))
            pool.append(Commune(dept.code + str(number).zfill(digits), post, commune_name(rng), lat, lon))
        return pool

    def commune(self, dept: str, rng: random.Random) -> Commune:
        """Return a commune of `dept`, big towns more often."""
        cum = self.cumulative[dept]
        index = min(len(cum) - 1, bisect.bisect(cum, rng.random() * cum[-1]))
        return self.communes[dept][index]

    def point(self, commune: Commune, rng: random.Random) -> tuple[float, float, float, float]:
        """Return (lon, lat, projected x, projected y) of an address in `commune`."""
        lon = commune.lon + (rng.random() - 0.5) * 0.02
        lat = commune.lat + (rng.random() - 0.5) * 0.014
        dept = self.departments[_dept_of(commune.cog)]
        x, y = self._projections[dept.epsg].transform(lon, lat)
        return lon, lat, x, y


def _dept_of(cog: str) -> str:
    return cog[:3] if cog.startswith("97") else cog[:2]
