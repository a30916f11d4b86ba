"""The historical etalab CSV extracts cs1100501 (legal entities), cs1100502 and cs1100507
(establishments, the latter with coordinates), read as graph records.

N in line 1 (`finess;etalab;N;YYYY-MM-DD`) is a sequence number in the real files (96, 111…), not
the flux number: the dataset is told from the sections present.
"""

from __future__ import annotations

import codecs
import csv
import math
import re
import zlib
from collections.abc import Iterator
from pathlib import Path

from graph.errors import InvalidData
from graph.finess_number import finess_problem
from graph.model import Edge, LoadReport, Node, Props, Record, Snapshot
from loaders.legacy_geo import Reprojector, commune_code, projection_of
from loaders.source import open_binary, read_head
from loaders.values import MAX_PROJECTED, snapshot_day

MAGIC = b"finess;etalab;"
# Used only when the file has no data line to tell its dataset by.
FLUX_DATASETS = {flux: f"etalab-cs{flux}" for flux in ("1100501", "1100502", "1100507")}
SNIFF_BYTES = 1 << 20
MAX_LINE = 1 << 20  # the longest line read; a real one is under 1 KB

# Column order of shared/finess/legacy-formats/format_etalabcs11005NN.csv, section name excluded.
EJ_COLUMNS = (
    "nofiness", "rs", "rslongue", "complrs", "numvoie", "typvoie", "voie", "compvoie",
    "compldistrib", "lieuditbp", "commune", "ligneacheminement", "departement", "libdepartement",
    "telephone", "statutjuridique", "libstatutjuridique", "categetab", "libcategetab", "siren",
    "codeape", "datecrea",
)  # fmt: skip
ET_COLUMNS = (
    "nofinesset", "nofinessej", "rs", "rslongue", "complrs", "compldistrib", "numvoie", "typvoie",
    "voie", "compvoie", "lieuditbp", "commune", "departement", "libdepartement",
    "ligneacheminement", "telephone", "telecopie", "categetab", "libcategetab", "categagretab",
    "libcategagretab", "siret", "codeape", "codemft", "libmft", "codesph", "libsph", "dateouv",
    "dateautor", "datemaj", "numuai",
)  # fmt: skip
GEO_COLUMNS = ("nofinesset", "coordxet", "coordyet", "sourcecoordet", "datemaj")
SECTIONS = {"structureej": EJ_COLUMNS, "structureet": ET_COLUMNS, "geolocalisation": GEO_COLUMNS}
DATASET_SECTIONS = {
    "etalab-cs1100501": ("structureej",),
    "etalab-cs1100502": ("structureet",),
    "etalab-cs1100507": ("structureet", "geolocalisation"),
}

EJ_PROPS = (
    ("finess", "nofiness"), ("name", "rs"), ("longName", "rslongue"), ("nameComplement", "complrs"),
    ("legalStatus", "statutjuridique"), ("category", "categetab"), ("siren", "siren"),
    ("apeCode", "codeape"), ("openedOn", "datecrea"), ("phone", "telephone"),
)  # fmt: skip
ET_PROPS = (
    ("finess", "nofinesset"), ("name", "rs"), ("longName", "rslongue"),
    ("nameComplement", "complrs"), ("siret", "siret"), ("category", "categetab"),
    ("apeCode", "codeape"), ("tariffMode", "codemft"), ("openedOn", "dateouv"),
    ("firstAuthorisedOn", "dateautor"), ("updatedAt", "datemaj"),
    ("nationalEducationNumber", "numuai"), ("phone", "telephone"), ("fax", "telecopie"),
)  # fmt: skip
ADDRESS_PROPS = (
    ("number", "numvoie"), ("streetType", "typvoie"), ("street", "voie"),
    ("streetComplement", "compvoie"), ("placeComplement", "compldistrib"),
    ("locality", "lieuditbp"),
)  # fmt: skip

_DATE = re.compile(r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])")

Fields = dict[str, str]
# longitude, latitude (None when not reprojected), x, y, projection: a tuple keeps it compact.
Point = tuple[float | None, float | None, float, float, str]


def matches(head: bytes) -> bool:
    """Tell whether the (decompressed) first bytes are those of an etalab CSV extract."""
    return head.removeprefix(codecs.BOM_UTF8).startswith(MAGIC)


def read(path: Path) -> Snapshot:
    """Read an etalab cs1100501/502/507 extract as a snapshot whose records come lazily."""
    head = read_head(path, SNIFF_BYTES)
    reader = _Reader(path, _encoding(head))
    report = reader.report
    report.snapshot, flux = reader.header(head)
    report.dataset = reader.dataset(flux)
    records = reader.records(report.dataset)
    return Snapshot(report.dataset, report.snapshot, str(path), records, report, dated_by="line 1")


def _encoding(head: bytes) -> str:
    """Return UTF-8 when the first megabyte decodes strictly as UTF-8, else Latin-1."""
    try:
        # Not final unless the file is shorter: the chunk may end inside a character.
        codecs.getincrementaldecoder("utf-8")().decode(head, final=len(head) < SNIFF_BYTES)
    except UnicodeDecodeError:
        return "latin-1"
    return "utf-8"


def _props(fields: Fields, mapping: tuple[tuple[str, str], ...]) -> Props:
    return {prop: fields[column] for prop, column in mapping if fields.get(column)}


class _Reader:
    """The passes over one file: header, dataset detection, coordinates, records."""

    def __init__(self, path: Path, encoding: str) -> None:
        self.path = path
        self.file = str(path)
        self.encoding = encoding
        self.report = LoadReport(file=self.file)
        self.communes: set[str] = set()
        self.reprojector = Reprojector()

    def header(self, head: bytes) -> tuple[str, str]:
        """Check line 1 and return the extract date and the number it gives."""
        first = self._decode(1, head.split(b"\n", 1)[0]).rstrip("\r")
        parts = first.split(";")
        if len(parts) != 4 or parts[:2] != ["finess", "etalab"] or not _DATE.fullmatch(parts[3]):
            reason = f"expected 'finess;etalab;N;YYYY-MM-DD', found {first[:60]!r}"
            raise InvalidData(self.file, "line 1", reason)
        return snapshot_day(parts[3], self.file, "line 1"), parts[2]

    def dataset(self, flux: str) -> str:
        """Tell the dataset from the sections present, or from `flux` in a file without data."""
        structures = False
        for n, raw in self._raw_lines():
            if n == 1 or not raw.strip():
                continue
            # geolocalisation lines follow all structureet lines: only cs1100507 has them.
            if raw.startswith(b"geolocalisation;"):
                return "etalab-cs1100507"
            if structures:
                continue
            if raw.startswith(b"structureej;"):
                return "etalab-cs1100501"
            if not raw.startswith(b"structureet;"):
                section = raw.split(b";", 1)[0].decode(self.encoding, "replace").strip()
                raise InvalidData(self.file, f"line {n}", f"unknown section {section!r}")
            structures = True
        if structures:
            return "etalab-cs1100502"
        key = flux.lower().removeprefix("cs")
        known = FLUX_DATASETS.get("1100" + key if len(key) == 3 else key)
        if known is None:
            raise InvalidData(self.file, "line 1", f"no data line, and {flux!r} names no flux")
        return known

    def records(self, dataset: str) -> Iterator[Record]:
        """Yield the nodes and edges of every line, one line at a time."""
        sections = DATASET_SECTIONS[dataset]
        # A first pass keeps the coordinates only, so that addresses go out with their rows.
        points = self._points() if "geolocalisation" in sections else {}
        for n, row in self._rows():
            section = row[0]
            if section not in sections:
                where = f"line {n}"
                raise InvalidData(self.file, where, f"unknown section {section!r} in {dataset}")
            if section == "structureej":
                yield from self._legal_entity(self._fields(section, row, n), n)
            elif section == "structureet":
                yield from self._establishment(self._fields(section, row, n), n, points)
        for finess in points:
            self.report.warn("orphan-geolocalisation", f"{self.file}: no structureet for {finess}")

    def _legal_entity(self, fields: Fields, n: int) -> Iterator[Record]:
        self.report.count("structureej rows")
        finess = self._finess(fields, "nofiness", n)
        if not finess:  # without a number the row has no id: only then is it left out
            self.report.skipped += 1
            return
        props = _props(fields, EJ_PROPS)
        yield Node(finess, "LegalEntity", props, valid_from=props.get("openedOn"))
        yield from self._address(finess, fields, n, None)

    def _establishment(self, fields: Fields, n: int, points: dict[str, Point]) -> Iterator[Record]:
        self.report.count("structureet rows")
        finess = self._finess(fields, "nofinesset", n)
        if not finess:
            self.report.skipped += 1
            return
        props = _props(fields, ET_PROPS)
        if fields["codesph"]:  # FINESS+ keeps the SPH/ESPIC code as a list
            props["espic"] = [fields["codesph"]]
        yield Node(finess, "Establishment", props, valid_from=props.get("openedOn"))
        owner = self._finess(fields, "nofinessej", n)
        if owner:
            yield Edge("ATTACHED_TO", finess, owner, {})
        yield from self._address(finess, fields, n, points.pop(finess, None))

    def _address(self, owner: str, fields: Fields, n: int, point: Point | None) -> Iterator[Record]:
        address = f"addr:{owner}:0"
        props = _props(fields, ADDRESS_PROPS)
        postal_code, _, routing = fields["ligneacheminement"].partition(" ")
        if not re.fullmatch(r"\d{5}", postal_code):
            postal_code, routing = "", fields["ligneacheminement"]
        commune, problem = commune_code(fields["departement"], fields["commune"], postal_code)
        if problem:
            self.report.warn("bad-commune", f"{self.file} line {n}: {problem}")
        extra = {"postalCode": postal_code, "routing": routing.strip(), "communeCode": commune}
        props.update((key, value) for key, value in extra.items() if value)
        if point:
            names = ("longitude", "latitude", "x", "y", "projection")
            props.update((k, v) for k, v in zip(names, point, strict=True) if v not in (None, ""))
        yield Node(address, "Address", props)
        yield Edge("HAS_ADDRESS", owner, address, {"usage": "legacy", "rank": 0})
        if commune is None:
            self.report.warn("no-commune", f"{self.file} line {n}: no commune code for {owner}")
            return
        if commune not in self.communes:
            self.communes.add(commune)
            yield Node(f"com:{commune}", "Commune", {"code": commune})
        yield Edge("LOCATED_IN", owner, f"com:{commune}", {})
        yield Edge("LOCATED_IN", address, f"com:{commune}", {})

    def _points(self) -> dict[str, Point]:
        points: dict[str, Point] = {}
        for n, raw in self._raw_lines():
            if raw.startswith(b"geolocalisation;"):
                row = next(csv.reader([self._decode(n, raw)], delimiter=";"))
                fields = self._fields("geolocalisation", row, n)
                self.report.count("geolocalisation rows")
                point = self._point(fields, n)
                if point:
                    points[fields["nofinesset"]] = point
        return points

    def _point(self, fields: Fields, n: int) -> Point | None:
        if not fields["coordxet"] or not fields["coordyet"]:
            return None
        try:
            x, y = float(fields["coordxet"]), float(fields["coordyet"])
        except ValueError:
            self.report.warn("bad-coordinates", f"{self.file} line {n}: not numbers")
            return None
        if not (math.isfinite(x) and math.isfinite(y)) or max(abs(x), abs(y)) > MAX_PROJECTED:
            self.report.warn("bad-coordinates", f"{self.file} line {n}: {x}, {y} are no coordinates")
            return None
        source = fields["sourcecoordet"]
        name, crs = projection_of(source)
        lonlat = self.reprojector.to_wgs84(crs, x, y) if crs else None
        if lonlat is None:
            kind = "bad-coordinates" if crs else "unknown-projection"
            self.report.warn(kind, f"{self.file} line {n}: {x}, {y} in {source!r} kept as x/y")
            return None, None, x, y, name or ""
        self.report.count("reprojected coordinates")
        return lonlat[0], lonlat[1], x, y, name or ""

    def _finess(self, fields: Fields, column: str, n: int) -> str:
        problem = finess_problem(fields[column])
        if problem:
            self.report.count("invalid FINESS numbers")
            self.report.warn("invalid-finess", f"{self.file} line {n}: {problem}")
        return fields[column]

    def _fields(self, section: str, row: list[str], n: int) -> Fields:
        columns = SECTIONS[section]
        found, expected = len(row), len(columns) + 1
        # cs1100507 files before 2020 had no trailing numuai column.
        if found == expected or (section == "structureet" and found == expected - 1):
            values = [value.strip() for value in row[1:]] + [""] * (expected - found)
            return dict(zip(columns, values, strict=True))
        reason = f"{section} line has {found} columns, expected {expected}"
        raise InvalidData(self.file, f"line {n}", reason)

    def _rows(self) -> Iterator[tuple[int, list[str]]]:
        texts = (self._decode(n, raw) for n, raw in self._raw_lines())
        reader = csv.reader(texts, delimiter=";")
        next(reader, None)  # line 1, checked by header()
        try:
            for row in reader:
                if row:
                    yield reader.line_num, row
        except csv.Error as exc:
            raise InvalidData(self.file, f"line {reader.line_num}", f"bad CSV ({exc})") from exc

    def _decode(self, n: int, raw: bytes) -> str:
        try:
            text = raw.decode(self.encoding)
        except UnicodeDecodeError as exc:
            # Only UTF-8 can fail: the first megabyte decoded, so the file mixes encodings.
            reason = f"byte 0x{raw[exc.start]:02x} is not UTF-8, unlike the start of the file"
            raise InvalidData(self.file, f"line {n}", reason) from exc
        return text.removeprefix("\ufeff") if n == 1 else text

    def _raw_lines(self) -> Iterator[tuple[int, bytes]]:
        n = 0
        with open_binary(self.path) as stream:
            try:
                # A line at most MAX_LINE long is read: a file of one endless line is refused, not held.
                while raw := stream.readline(MAX_LINE + 1):
                    n += 1
                    if len(raw) > MAX_LINE:
                        reason = f"is longer than {MAX_LINE:,} bytes: not a line of an etalab extract"
                        raise InvalidData(self.file, f"line {n}", reason)
                    yield n, raw
            except (OSError, EOFError, zlib.error) as exc:
                raise InvalidData(self.file, f"line {n + 1}", f"cannot be read ({exc})") from exc
