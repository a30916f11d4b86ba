"""Tests of the etalab cs1100501/502/507 CSV loader, on small extracts written for each test."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from graph.errors import InvalidData
from graph.model import Edge, Node, Record, Snapshot
from loaders.etalab_csv import EJ_COLUMNS, ET_COLUMNS, GEO_COLUMNS, matches, read

LAYOUTS = Path(__file__).resolve().parents[3] / "shared" / "finess" / "legacy-formats"
LAMBERT = "1,ATLASANTE,100,IGN,BD_ADRESSE,V2.2,LAMBERT_93"

# Values from the FINESS sample extracts (CH du Haut Bugey, CH de Fleyriat).
HAUT_BUGEY = {
    "nofiness": "010008407", "rs": "CH DU HAUT BUGEY",
    "rslongue": "CENTRE HOSPITALIER DU HAUT BUGEY",
    "numvoie": "1", "typvoie": "RTE", "voie": "DE VEYZIAT", "lieuditbp": "CS 20100",
    "commune": "283", "ligneacheminement": "01117 OYONNAX CEDEX", "departement": "01",
    "libdepartement": "AIN", "telephone": "0474731001", "statutjuridique": "14",
    "libstatutjuridique": "Etablissement Public Intercommunal d'Hospitalisation",
    "categetab": "355", "libcategetab": "Centre Hospitalier (C.H.)", "siren": "260110218",
    "codeape": "8730A", "datecrea": "2001-01-01",
}  # fmt: skip
FLEYRIAT = {
    "nofinesset": "010000024", "nofinessej": "010780054", "rs": "CH DE FLEYRIAT",
    "rslongue": "CENTRE HOSPITALIER DE BOURG-EN-BRESSE FLEYRIAT", "numvoie": "900",
    "typvoie": "RTE", "voie": "DE PARIS", "commune": "451", "departement": "01",
    "libdepartement": "AIN", "ligneacheminement": "01440 VIRIAT", "telephone": "0474454647",
    "telecopie": "0474454114", "categetab": "355", "libcategetab": "Centre Hospitalier (C.H.)",
    "categagretab": "1102", "libcategagretab": "Centres Hospitaliers", "siret": "26010004500012",
    "codeape": "8610Z", "codemft": "03",
    "libmft": "ARS établissements Publics de santé dotation globale", "codesph": "1",
    "libsph": "Etablissement public de santé", "dateouv": "1979-02-13", "dateautor": "1979-02-13",
    "datemaj": "2020-02-04",
}  # fmt: skip


def ej(**values: str) -> str:
    return ";".join(["structureej", *(({**HAUT_BUGEY, **values}).get(c, "") for c in EJ_COLUMNS)])


def et(*, old_layout: bool = False, **values: str) -> str:
    columns = ET_COLUMNS[:-1] if old_layout else ET_COLUMNS
    return ";".join(["structureet", *(({**FLEYRIAT, **values}).get(c, "") for c in columns)])


def geo(finess: str, x: str, y: str, source: str = LAMBERT) -> str:
    return ";".join(["geolocalisation", finess, x, y, source, "2021-04-08"])


def write(
    path: Path, lines: list[str], *, encoding: str = "latin-1", gz: bool = False, eol: str = "\n"
) -> Path:
    data = "".join(line + eol for line in lines).encode(encoding)
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def load(snapshot: Snapshot) -> tuple[dict[str, Node], list[Edge]]:
    records: list[Record] = list(snapshot.records)
    nodes = {r.id: r for r in records if isinstance(r, Node)}
    assert len(nodes) == sum(isinstance(r, Node) for r in records), "a node was emitted twice"
    return nodes, [r for r in records if isinstance(r, Edge)]


def labels(nodes: dict[str, Node]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for node in nodes.values():
        counts[node.label] = counts.get(node.label, 0) + 1
    return counts


@pytest.mark.skipif(not LAYOUTS.is_dir(), reason="the shared layout files are not here")
@pytest.mark.parametrize(
    ("flux", "section", "columns"),
    [
        ("01", "structureej", EJ_COLUMNS),
        ("02", "structureet", ET_COLUMNS),
        ("07", "structureet", ET_COLUMNS[:-1]),
        ("07", "geolocalisation", GEO_COLUMNS),
    ],
)
def test_columns_follow_the_published_layouts(flux: str, section: str, columns: tuple[str, ...]) -> None:
    layout = (LAYOUTS / f"format_etalabcs11005{flux}.csv").read_text(encoding="latin-1")
    rows = [line.split(";") for line in layout.splitlines()[1:]]
    assert tuple(row[6] for row in rows if row[10] == section and row[6]) == columns


def test_matches_tells_an_etalab_extract_by_its_first_bytes() -> None:
    assert matches(b"finess;etalab;111;2026-05-12\nstructureet;010000024;")
    assert matches(b"\xef\xbb\xbffiness;etalab;96;2026-03-11\n")
    assert not matches(b'<?xml version="1.0" encoding="UTF-8"?>\n<fluxfiness>')
    assert not matches(b'{"pmej": []}')
    assert not matches(b"structureet;010000024;010780054;CH DE FLEYRIAT")


def test_legal_entities_with_their_address_and_commune(tmp_path: Path) -> None:
    path = write(
        tmp_path / "etalab-cs1100501-stock-20211214.csv",
        [
            "finess;etalab;93;2021-12-14",
            ej(),
            ej(nofiness="010780054", rs="CH BOURG EN BRESSE", rslongue="", voie="DE L'HÔPITAL"),
        ],
        eol="\r\n",
    )
    snapshot = read(path)
    assert (snapshot.dataset, snapshot.date, snapshot.path) == (
        "etalab-cs1100501",
        "2021-12-14",
        str(path),
    )
    nodes, edges = load(snapshot)

    assert labels(nodes) == {"LegalEntity": 2, "Address": 2, "Commune": 1}
    entity = nodes["010008407"]
    assert entity.label == "LegalEntity"
    assert entity.props == {
        "finess": "010008407", "name": "CH DU HAUT BUGEY",
        "longName": "CENTRE HOSPITALIER DU HAUT BUGEY", "legalStatus": "14", "category": "355",
        "siren": "260110218", "apeCode": "8730A", "openedOn": "2001-01-01", "phone": "0474731001",
    }  # fmt: skip
    assert (entity.valid_from, entity.valid_to) == ("2001-01-01", None)
    assert nodes["addr:010008407:0"].props == {
        "number": "1", "streetType": "RTE", "street": "DE VEYZIAT", "locality": "CS 20100",
        "postalCode": "01117", "routing": "OYONNAX CEDEX", "communeCode": "01283",
    }  # fmt: skip
    assert nodes["addr:010780054:0"].props["street"] == "DE L'HÔPITAL"
    assert "longName" not in nodes["010780054"].props
    assert nodes["com:01283"].props == {"code": "01283"}
    assert Edge("HAS_ADDRESS", "010008407", "addr:010008407:0", {"usage": "legacy", "rank": 0}) in edges
    assert Edge("LOCATED_IN", "010008407", "com:01283", {}) in edges
    assert Edge("LOCATED_IN", "addr:010008407:0", "com:01283", {}) in edges
    assert len(edges) == 6
    assert snapshot.report.counts == {"structureej rows": 2}
    assert (snapshot.report.dataset, snapshot.report.snapshot) == ("etalab-cs1100501", "2021-12-14")


@pytest.mark.parametrize(
    ("encoding", "gz"), [("latin-1", False), ("latin-1", True), ("utf-8", False), ("utf-8", True)]
)
def test_establishments_in_either_encoding_plain_or_gzip(tmp_path: Path, encoding: str, gz: bool) -> None:
    lines = [
        "finess;etalab;111;2026-05-12",
        et(numuai="0011048J"),
        et(nofinesset="010005239", rs="IFSI CH DU HAUT BUGEY", complrs="SITE GÉOVREISSET"),
    ]
    path = write(tmp_path / "extract.csv.gz", lines, encoding=encoding, gz=gz)
    snapshot = read(path)
    assert snapshot.dataset == "etalab-cs1100502"
    nodes, edges = load(snapshot)

    assert labels(nodes) == {"Establishment": 2, "Address": 2, "Commune": 1}
    establishment = nodes["010000024"]
    assert establishment.props == {
        "finess": "010000024", "name": "CH DE FLEYRIAT",
        "longName": "CENTRE HOSPITALIER DE BOURG-EN-BRESSE FLEYRIAT", "siret": "26010004500012",
        "category": "355", "apeCode": "8610Z", "tariffMode": "03", "openedOn": "1979-02-13",
        "firstAuthorisedOn": "1979-02-13", "updatedAt": "2020-02-04",
        "nationalEducationNumber": "0011048J", "phone": "0474454647", "fax": "0474454114",
        "espic": ["1"],
    }  # fmt: skip
    assert establishment.valid_from == "1979-02-13"
    assert nodes["010005239"].props["nameComplement"] == "SITE GÉOVREISSET"
    assert Edge("ATTACHED_TO", "010000024", "010780054", {}) in edges
    assert Edge("LOCATED_IN", "010005239", "com:01451", {}) in edges
    assert nodes["addr:010000024:0"].props["communeCode"] == "01451"
    assert len(edges) == 2 * 4
    assert snapshot.report.counts == {"structureet rows": 2}


def test_quoted_fields_are_read_as_csv(tmp_path: Path) -> None:
    rs = '"LIEU DE VIE ""MAVOUNA MEMA 1"""'
    path = write(tmp_path / "f.csv", ["finess;etalab;111;2026-05-12", et(rs=rs, voie='"A;B"')])
    nodes, _ = load(read(path))
    assert nodes["010000024"].props["name"] == 'LIEU DE VIE "MAVOUNA MEMA 1"'
    assert nodes["addr:010000024:0"].props["street"] == "A;B"


def test_geolocated_establishments_are_reprojected_to_wgs84(tmp_path: Path) -> None:
    mayotte = "2,ATLASANTE,89,BAN,EPSG:4471 RGM04/UTM zone 38S (Mayotte)"
    unknown = LAMBERT.replace("LAMBERT_93", "GAUSS_LABORDE")
    lines = [
        "finess;etalab;94;2020-03-04",
        et(old_layout=True),  # cs1100507 files before 2020 have no numuai column
        et(nofinesset="010005239", commune="283", ligneacheminement="01108 OYONNAX CEDEX"),
        et(nofinesset="970400024", commune="411", departement="9D",
           ligneacheminement="97405 ST DENIS CEDEX"),
        et(nofinesset="980502199", commune="610", departement="9F",
           ligneacheminement="97600 KOUNGOU"),
        geo("010000024", "873766.07", "6570414.61"),
        geo("010005239", "904151.72", "6576178.36", unknown),
        geo("970400024", "338452.0", "7690823.0", LAMBERT.replace("LAMBERT_93", "UTM_N40")),
        geo("980502199", "514224.0", "8587385.0", mayotte),
        geo("010003598", "873766.07", "6570414.61"),
    ]  # fmt: skip
    # Named after the wrong flux on purpose: the content decides.
    path = write(tmp_path / "etalab-cs1100502-stock.csv", lines, encoding="utf-8")
    snapshot = read(path)
    assert snapshot.dataset == "etalab-cs1100507"
    nodes, edges = load(snapshot)

    assert labels(nodes) == {"Establishment": 4, "Address": 4, "Commune": 4}
    bourg = nodes["addr:010000024:0"].props
    assert bourg["longitude"] == pytest.approx(5.2542, abs=1e-3)
    assert bourg["latitude"] == pytest.approx(46.2113, abs=1e-3)
    assert (bourg["x"], bourg["y"], bourg["projection"]) == (873766.07, 6570414.61, "LAMBERT_93")
    assert bourg["longitude"] == round(bourg["longitude"], 6)
    # A southern UTM zone read as northern would put La Réunion and Mayotte in the Arctic.
    lon, lat = (nodes["addr:970400024:0"].props[k] for k in ("longitude", "latitude"))
    assert (55.2 < lon < 55.9, -21.4 < lat < -20.8) == (True, True)
    assert nodes["addr:970400024:0"].props["communeCode"] == "97411"
    mamoudzou = nodes["addr:980502199:0"].props
    assert (44.9 < mamoudzou["longitude"] < 45.4, -13.1 < mamoudzou["latitude"] < -12.6) == (
        True,
        True,
    )
    assert (mamoudzou["projection"], mamoudzou["communeCode"]) == ("EPSG:4471", "97610")
    raw = nodes["addr:010005239:0"].props
    assert {"longitude", "latitude"}.isdisjoint(raw)
    assert (raw["x"], raw["y"], raw["projection"]) == (904151.72, 6576178.36, "GAUSS_LABORDE")
    report = snapshot.report
    assert report.warning_counts == {"unknown-projection": 1, "orphan-geolocalisation": 1}
    assert any("line 7" in w and "GAUSS_LABORDE" in w for w in report.warnings)
    assert report.counts == {
        "structureet rows": 4, "geolocalisation rows": 5, "reprojected coordinates": 4,
    }  # fmt: skip
    assert nodes["010000024"].props["espic"] == ["1"]
    assert "nationalEducationNumber" not in nodes["010000024"].props
    assert len(edges) == 4 * 4


@pytest.mark.parametrize(
    ("department", "commune", "routing", "code"),
    [
        ("01", "283", "01100 OYONNAX", "01283"),
        ("2A", "004", "20167 AFA", "2A004"),
        ("2B", "033", "20200 BASTIA", "2B033"),
        ("9A", "120", "97110 POINTE A PITRE", "97120"),
        ("9D", "411", "97405 ST DENIS CEDEX", "97411"),
        ("9F", "606", "97620 CHIRONGUI", "97606"),
        ("9J", "613", "98600 UVEA", "98613"),
        ("971", "120", "97110 POINTE A PITRE", "97120"),
    ],
)
def test_commune_cog_code(tmp_path: Path, department: str, commune: str, routing: str, code: str) -> None:
    line = ej(departement=department, commune=commune, ligneacheminement=routing)
    nodes, edges = load(read(write(tmp_path / "f.csv", ["finess;etalab;1;2021-12-14", line])))
    assert nodes[f"com:{code}"].props == {"code": code}
    assert Edge("LOCATED_IN", "010008407", f"com:{code}", {}) in edges


def test_invalid_finess_numbers_are_reported_and_loaded(tmp_path: Path) -> None:
    lines = ["finess;etalab;111;2026-05-12", et(), et(nofinesset="010000025"), et(nofinesset="")]
    snapshot = read(write(tmp_path / "f.csv", lines))
    nodes, edges = load(snapshot)

    assert nodes["010000025"].label == "Establishment"
    assert Edge("ATTACHED_TO", "010000025", "010780054", {}) in edges
    assert {"", "addr::0"}.isdisjoint(nodes)
    report = snapshot.report
    assert report.counts["invalid FINESS numbers"] == 2
    assert report.warning_counts == {"invalid-finess": 2}
    assert report.warnings[0] == (
        f"invalid-finess: {tmp_path / 'f.csv'} line 3: FINESS number '010000025' fails its Luhn key"
    )
    assert "line 4: missing FINESS number" in report.warnings[1]
    assert report.skipped == 1


@pytest.mark.parametrize(
    "first",
    ["finess;etalab;111", "nofiness;etalab;111;2021-12-14", "finess;etalab;111;14/12/2021", ""],
)
def test_a_bad_first_line_is_refused_by_read(tmp_path: Path, first: str) -> None:
    with pytest.raises(InvalidData) as caught:
        read(write(tmp_path / "f.csv", [first, et()]))
    assert caught.value.where == "line 1"
    assert "finess;etalab;N;YYYY-MM-DD" in caught.value.reason


def test_a_line_with_the_wrong_column_count_is_named(tmp_path: Path) -> None:
    lines = ["finess;etalab;111;2026-05-12", et(), ";".join(et().split(";")[:20]), et()]
    snapshot = read(write(tmp_path / "f.csv", lines))  # lazy: the header is fine
    records = iter(snapshot.records)
    first = next(records)
    assert isinstance(first, Node)
    assert first.id == "010000024"
    with pytest.raises(InvalidData) as caught:
        list(records)
    assert caught.value.where == "line 3"
    assert caught.value.reason == "structureet line has 20 columns, expected 32"


def test_a_geolocalisation_line_with_the_wrong_column_count(tmp_path: Path) -> None:
    lines = ["finess;etalab;111;2026-05-12", et(), geo("010000024", "1", "2") + ";extra"]
    with pytest.raises(InvalidData, match="line 3: geolocalisation line has 7 columns, expected 6"):
        list(read(write(tmp_path / "f.csv", lines)).records)


def test_a_byte_in_another_encoding_after_the_first_megabyte(tmp_path: Path) -> None:
    rows = 1 + (1 << 20) // len(et()) + 1  # the UTF-8 looking part goes past the first megabyte
    lines = ["finess;etalab;111;2026-05-12", *[et()] * rows]
    path = write(tmp_path / "f.csv", lines, encoding="utf-8")
    with path.open("ab") as out:
        out.write(et(voie="DE L'HÔPITAL").encode("latin-1") + b"\n")
    with pytest.raises(InvalidData) as caught:
        list(read(path).records)
    assert caught.value.where == f"line {rows + 2}"
    assert "0xd4 is not UTF-8" in caught.value.reason


@pytest.mark.parametrize(
    ("lines", "where"),
    [
        (["finess;etalab;111;2026-05-12", "structurexx;010000024;x"], "line 2"),
        (["finess;etalab;111;2026-05-12", ej(), et()], "line 3"),
    ],
)
def test_an_unknown_section_is_refused(tmp_path: Path, lines: list[str], where: str) -> None:
    with pytest.raises(InvalidData, match="unknown section") as caught:
        list(read(write(tmp_path / "f.csv", lines)).records)
    assert caught.value.where == where


def test_a_file_without_data_takes_its_dataset_from_the_flux_number(tmp_path: Path) -> None:
    snapshot = read(write(tmp_path / "f.csv", ["finess;etalab;1100507;2021-12-14"]))
    assert (snapshot.dataset, list(snapshot.records)) == ("etalab-cs1100507", [])
    with pytest.raises(InvalidData, match="no data line"):
        read(write(tmp_path / "g.csv", ["finess;etalab;111;2021-12-14"]))
