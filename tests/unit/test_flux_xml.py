"""The XML flux standard loader on the real excerpts in shared/finess/legacy-samples."""

from __future__ import annotations

import gzip
import math
import re
import tracemalloc
from collections import Counter
from pathlib import Path

import pytest

from graph.errors import InvalidData
from graph.model import Edge, Node, Record, Snapshot
from loaders import flux_xml
from loaders.legacy_geo import commune_code
from loaders.source import read_head

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SAMPLES = SHARED / "finess" / "legacy-samples"
EJ = SAMPLES / "finess_cs1400101_stock_20211214-0333.xml"
ET = SAMPLES / "finess_cs1400102_stock_20211214-0336.xml"
CARE = SAMPLES / "finess_cs1400103_stock_20211214-0343.xml"
EML = SAMPLES / "finess_cs1400104_stock_20211214-0345.xml"
SOCIAL = SAMPLES / "finess_cs1400105_stock_20211214-0346.xml"
GEO = SAMPLES / "finess_cs1400109_stock_20211210-0438.xml.gz"


def load(path: Path) -> tuple[Snapshot, list[Record]]:
    snapshot = flux_xml.read(path)
    return snapshot, list(snapshot.records)


def kinds(records: list[Record]) -> Counter[str]:
    return Counter(r.label if isinstance(r, Node) else r.type for r in records)


def node(records: list[Record], node_id: str) -> Node:
    found = [r for r in records if isinstance(r, Node) and r.id == node_id]
    assert len(found) == 1, f"{node_id}: {len(found)} nodes"
    return found[0]


def edges(records: list[Record], kind: str) -> set[tuple[str, str]]:
    return {(r.source, r.target) for r in records if isinstance(r, Edge) and r.type == kind}


def blocks(path: Path, tag: str) -> int:
    """Count the blocks the way one would by hand: grep -c '<tag>'."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as stream:
        return sum(line.count(f"<{tag}>") for line in stream)


def lambert93_to_wgs84(x: float, y: float) -> tuple[float, float]:
    """Inverse Lambert-93 from the IGN constants (no pyproj): an independent check."""
    n, c, xs, ys, e = 0.7256077650, 11754255.426, 700000.0, 12655612.050, 0.08181919112
    r, gamma = math.hypot(x - xs, ys - y), math.atan((x - xs) / (ys - y))
    iso = -math.log(r / c) / n
    phi = 2 * math.atan(math.exp(iso)) - math.pi / 2
    for _ in range(20):
        s = e * math.sin(phi)
        phi = 2 * math.atan(((1 + s) / (1 - s)) ** (e / 2) * math.exp(iso)) - math.pi / 2
    return 3 + math.degrees(gamma / n), math.degrees(phi)


def variant(tmp_path: Path, source: Path, name: str, *swaps: tuple[str, str]) -> Path:
    """Write a copy of a sample with some text replaced (each replacement must apply)."""
    text = source.read_text("utf-8")
    for old, new in swaps:
        assert old in text, old
        text = text.replace(old, new, 1)
    target = tmp_path / name
    target.write_text(text, "utf-8")
    return target


def test_matches_reads_the_content_not_the_name(tmp_path: Path) -> None:
    for path in (EJ, ET, CARE, EML, SOCIAL, GEO):
        assert flux_xml.matches(read_head(path)), path.name
    renamed = tmp_path / "whatever.txt"
    renamed.write_bytes(EJ.read_bytes())
    assert flux_xml.matches(read_head(renamed))
    others = [SAMPLES / "finess_cs1600101_stock_20211214-0332.xml"]
    others += sorted((SHARED / "finess" / "nomenclatures").glob("*cs15001*"))
    for path in others:
        assert not flux_xml.matches(read_head(path)), path.name
    assert not flux_xml.matches(b"finess;etalab;96;2021-12-14\n")


def test_legal_entities_with_address_and_commune() -> None:
    snapshot, records = load(EJ)
    assert (snapshot.dataset, snapshot.date) == ("flux-cs1400101", "2021-12-14")  # from the name
    assert blocks(EJ, "structureej") == 3
    assert kinds(records) == {
        "LegalEntity": 3,
        "Address": 3,
        "HAS_ADDRESS": 3,
        "Commune": 3,
        "LOCATED_IN": 6,
    }
    hospital = node(records, "010008407")
    assert hospital == Node(
        "010008407",
        "LegalEntity",
        {
            "finess": "010008407",
            "name": "CH DU HAUT BUGEY",
            "longName": "CENTRE HOSPITALIER DU HAUT BUGEY",
            "phone": "0474731001",
            "fax": "0474731002",
            "legalStatus": "14",
            "category": "355",
            "siren": "260110218",
            "sirenChangedOn": "2011-02-07",
            "sirenChangeOrigin": "RMESSMAIA_AUTO",
            "apeCode": "8730A",
            "openedOn": "2001-01-01",
            "updatedAt": "2020-02-04",
            "creationQualifier": "GEN",
        },
        "2001-01-01",
        None,
    )
    assert node(records, "addr:010008407:0").props == {
        "number": "1",
        "streetType": "RTE",
        "street": "DE VEYZIAT",
        "locality": "CS 20100",
        "postalCode": "01117",
        "routing": "01117 OYONNAX CEDEX",
        "communeCode": "01283",
    }
    has_address = [r for r in records if isinstance(r, Edge) and r.type == "HAS_ADDRESS"]
    assert has_address[0].props == {"usage": "legacy", "rank": 0}
    assert node(records, "com:01283").props == {"code": "01283", "name": "OYONNAX"}
    assert ("addr:010008407:0", "com:01283") in edges(records, "LOCATED_IN")
    closed = node(records, "010000164")
    assert (closed.valid_to, closed.props["closureType"]) == ("2002-07-10", "NDI")
    assert snapshot.labels is not None
    assert snapshot.labels["legal_status"]["14"] == ("Etablissement Public Intercommunal d'Hospitalisation")
    assert snapshot.report.counts["LegalEntity"] == 3
    assert snapshot.report.warnings == []


def test_establishments_attached_to_their_legal_entity() -> None:
    snapshot, records = load(ET)
    assert blocks(ET, "structureet") == 14
    assert kinds(records) == {
        "Establishment": 14,
        "ATTACHED_TO": 14,
        "Address": 14,
        "HAS_ADDRESS": 14,
        "Commune": 4,
        "LOCATED_IN": 28,
    }
    nantua = node(records, "010000040")
    assert nantua.props == {
        "finess": "010000040",
        "name": "[Fermé] CH NANTUA",
        "longName": "CENTRE HOSPITALIER NANTUA",
        "phone": "0474754800",
        "fax": "0774750663",
        "category": "355",
        "categoryAggregate": "1102",
        "establishmentType": "S",
        "mainEstablishment": "010000057",
        "establishmentNature": "G",
        "siret": "26011021800047",
        "siretChangedOn": "2009-01-01",
        "siretChangeOrigin": "SAISIE",
        "tariffMode": "03",
        "espic": ["1"],
        "openedOn": "1901-01-01",
        "closureType": "DEF",
        "closedOn": "2007-04-20",
        "firstAuthorisedOn": "1901-01-01",
        "updatedAt": "2008-01-17",
    }
    assert (nantua.valid_from, nantua.valid_to) == ("1901-01-01", "2007-04-20")
    assert ("010000040", "010008407") in edges(records, "ATTACHED_TO")
    assert ("590782553", "590000741") in edges(records, "ATTACHED_TO")
    assert node(records, "addr:010000040:0").props["communeCode"] == "01269"
    assert snapshot.labels is not None
    assert snapshot.labels["category_aggregate"]["1102"] == "Centres Hospitaliers"
    assert snapshot.labels["espic"]["1"] == "Etablissement public de santé"


def test_care_activities_authorised_and_operated() -> None:
    snapshot, records = load(CARE)
    assert (snapshot.dataset, snapshot.date) == ("flux-cs1400103", "2022-08-24")  # horodatage
    rows = blocks(CARE, "activiteoffresoin")
    assert rows == 7
    assert kinds(records) == {
        "AuthorizedActivity": rows,
        "HOLDS": rows,
        "OperatedActivity": rows,
        "OPERATES": rows,
        "IMPLEMENTS": rows,
    }  # the 4 summary <structureej> make no node: cs1400101 holds the legal entities
    assert snapshot.report.counts["summary-structures"] == 4
    dialysis = node(records, "aa:xamf:442218650")
    assert dialysis.props == {
        "nature": "AMF",
        "activity": "16",
        "modality": "42",
        "form": "00",
        "authorisationNumber": "442218650",
        "startOn": "2005-10-11",
        "linkType": "J",
        "lineNumber": "15239",
        "arhgosAuthorisationNumber": "01-00-000",
        "endOn": "2026-05-03",
        "lapseFlag": "N",
        "deletedFlag": "N",
        "updatedAt": "2022-08-24",
    }
    assert (dialysis.valid_from, dialysis.valid_to) == ("2005-10-11", "2026-05-03")
    operated = node(records, "ae:xamf:442218650")
    assert operated.props["startOn"] == operated.valid_from == "2008-12-04"
    assert operated.props["arhgosSiteNumber"] == "01-00-000"
    assert ("010008407", "aa:xamf:442218650") in edges(records, "HOLDS")
    assert ("010005239", "ae:xamf:442218650") in edges(records, "OPERATES")
    assert ("ae:xamf:442218650", "aa:xamf:442218650") in edges(records, "IMPLEMENTS")
    assert snapshot.labels is not None
    assert snapshot.labels["amf_modality"]["42"] == "Hémodialyse en unité médicalisée"


def test_heavy_equipment() -> None:
    _, records = load(EML)
    rows = blocks(EML, "equipmateriellourd")
    assert rows == 5
    counts = kinds(records)
    assert counts["AuthorizedActivity"] == counts["OperatedActivity"] == counts["IMPLEMENTS"] == 5
    scanner = node(records, "ae:xeml:532212840")
    assert scanner.props == {
        "nature": "EML",
        "equipment": "05602",
        "authorisationNumber": "532212840",
        "arhgosSiteNumber": "01-00-0000",
        "serialNumber": "155602",
        "brand": "0000",
        "startOn": "2011-10-19",
        "endOn": "2029-01-01",
    }
    assert node(records, "aa:xeml:532212840").valid_from == "2007-11-06"
    assert all(r.id.startswith(("aa:x", "ae:x")) for r in records if isinstance(r, Node))


def test_social_places_held_by_the_legal_entity_of_their_site() -> None:
    snapshot, records = load(SOCIAL)
    rows = blocks(SOCIAL, "equipementsocial")
    assert rows == 10
    assert kinds(records)["AuthorizedActivity"] == kinds(records)["OperatedActivity"] == rows
    key = "xsoc:580006104:509:16:010"
    assert ("580000149", f"aa:{key}") in edges(records, "HOLDS")  # from the summary <structureet>
    assert node(records, f"aa:{key}").props["authorisedCapacity"] == 37
    assert node(records, f"ae:{key}").props["installedCapacity"] == 37
    # One discipline/mode/clientele listed four times at 010003598: four activities, numbered.
    repeated = "aa:xsoc:010003598:957:11:810"
    ids = {r.id for r in records if isinstance(r, Node)}
    assert {repeated, f"{repeated}#2", f"{repeated}#3", f"{repeated}#4"} <= ids
    assert snapshot.report.warning_counts["repeated-key"] == 3
    assert node(records, f"{repeated}#2").props["authorisedCapacity"] == 75


def test_geolocation_reprojected_onto_the_address() -> None:
    snapshot, records = load(GEO)
    assert (snapshot.dataset, snapshot.date) == ("flux-cs1400109", "2021-12-10")
    assert blocks(GEO, "structureet") == blocks(GEO, "geolocalisation") == 2
    # Only part of an establishment's fields: a separate geolocated address, no Establishment node
    # that would overwrite the full cs1400102 record.
    assert kinds(records)["Establishment"] == 0
    assert ("010000040", "addr:010000040:geo") in edges(records, "HAS_ADDRESS")
    address = node(records, "addr:010000040:geo")
    lon, lat = lambert93_to_wgs84(901292.8, 6564338.8)
    assert address.props["longitude"] == pytest.approx(lon, abs=1e-3)
    assert address.props["latitude"] == pytest.approx(lat, abs=1e-3)
    assert (address.props["x"], address.props["y"]) == (901292.8, 6564338.8)
    assert address.props["projection"] == "LAMBERT_93"
    assert address.props["geocodedOn"] == "2021-11-08"
    assert address.props["street"] == "PAUL PAINLEVE"


def test_overseas_coordinates_and_unknown_projection(tmp_path: Path) -> None:
    text = gzip.decompress(GEO.read_bytes()).decode("utf-8")
    plain = tmp_path / "finess_cs1400109_stock_20211210-0438.xml"
    plain.write_text(text, "utf-8")
    reunion = variant(
        tmp_path,
        plain,
        "reunion_20211210.xml",
        ("<coordxet>901292.8</coordxet>", "<coordxet>338000</coordxet>"),
        ("<coordyet>6564338.8</coordyet>", "<coordyet>7690000</coordyet>"),
        ("V2.2,LAMBERT_93", "V2.2,UTM_S40"),
        ("V2.2,LAMBERT_93", "V2.2,MERCATOR"),
    )
    snapshot, records = load(reunion)
    south = node(records, "addr:010000040:geo").props
    assert 55.2 < south["longitude"] < 55.9
    assert -21.4 < south["latitude"] < -20.8
    unknown = node(records, "addr:010787190:geo").props
    assert "longitude" not in unknown
    assert unknown["x"] == 882736.1
    assert snapshot.report.warning_counts["bad-coordinates"] == 1


def test_commune_codes_of_overseas_and_corsica() -> None:
    assert commune_code("01", "283") == ("01283", None)
    assert commune_code("2A", "004") == ("2A004", None)
    assert commune_code("9A", "101", "97139") == ("97101", None)
    assert commune_code("9D", "411", "97400") == ("97411", None)
    assert commune_code("9D", "101")[0] is None  # La Réunion's communes are 4xx


def test_overseas_commune_in_a_file(tmp_path: Path) -> None:
    path = variant(
        tmp_path,
        EJ,
        "finess_cs1400101_stock_20211214-0333.xml",
        ("<commune>283</commune>", "<commune>411</commune>"),
        ("<departement>01</departement>", "<departement>9D</departement>"),
    )
    _, records = load(path)
    assert node(records, "com:97411").props == {"code": "97411", "name": "OYONNAX"}


def test_invalid_finess_is_warned_counted_and_loaded(tmp_path: Path) -> None:
    path = variant(
        tmp_path,
        ET,
        "finess_cs1400102_stock_20211214-0336.xml",
        ("<nofinesset>010000040</nofinesset>", "<nofinesset>010000041</nofinesset>"),
    )
    snapshot, records = load(path)
    assert node(records, "010000041").label == "Establishment"
    assert snapshot.report.warning_counts["invalid-finess"] == 1
    assert snapshot.report.counts["invalid FINESS numbers"] == 1
    assert "010000041" in snapshot.report.warnings[0]


def test_truncated_file_names_the_line(tmp_path: Path) -> None:
    truncated = tmp_path / "finess_cs1400102_stock_20211214-0336.xml"
    truncated.write_text("".join(ET.read_text("utf-8").splitlines(keepends=True)[:80]), "utf-8")
    snapshot = flux_xml.read(truncated)  # the first block is whole: the end fails while reading
    with pytest.raises(InvalidData) as caught:
        list(snapshot.records)
    assert caught.value.where == "line 81, column 0"
    assert "line 81" in str(caught.value)


def test_garbled_file_names_the_line(tmp_path: Path) -> None:
    garbled = variant(
        tmp_path,
        ET,
        "finess_cs1400102_stock_20211214-0336.xml",
        ("<voie>PAUL PAINLEVE</voie>", "<voie>PAUL PAINLEVE</voix>"),
    )
    with pytest.raises(InvalidData) as caught:
        list(flux_xml.read(garbled).records)
    # <voie> is the 10th leaf of the first block, which opens on line 3.
    assert caught.value.where is not None
    assert caught.value.where.startswith("line 12,")
    assert "mismatched tag" in caught.value.reason


def test_date_is_required(tmp_path: Path) -> None:
    nameless = tmp_path / "legal-entities.xml"
    nameless.write_bytes(EJ.read_bytes())
    with pytest.raises(InvalidData, match="datemaj"):
        flux_xml.read(nameless)


def test_another_flux_is_refused(tmp_path: Path) -> None:
    # cs1400106 starts like cs1400105 (summary <structureet> blocks), then differs.
    text = SOCIAL.read_text("utf-8").replace("equipementsocial>", "disciplineenseignee>")
    teaching = tmp_path / "finess_cs1400106_stock_20211214-0333.xml"
    teaching.write_text(text, "utf-8")
    assert not flux_xml.matches(read_head(teaching))  # the head shows a foreign block
    assert flux_xml.matches(read_head(teaching, 700))  # summaries only: undecided, accepted
    with pytest.raises(InvalidData, match="disciplineenseignee"):
        flux_xml.read(teaching)


def test_memory_stays_flat_on_a_large_file(tmp_path: Path) -> None:
    block = re.search(r"    <structureej>.*?</structureej>\n", EJ.read_text("utf-8"), re.S)
    assert block is not None
    big = tmp_path / "finess_cs1400101_stock_20211214-0333.xml"
    with big.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<fluxfiness xmlns:xsi="')
        out.write('http://www.w3.org/2001/XMLSchema-instance">\n')
        for i in range(4000):
            out.write(block.group(0).replace("010008407", f"01{i:07d}"))
        out.write("</fluxfiness>\n")
    assert big.stat().st_size > 6_000_000
    tracemalloc.start()
    try:
        count = sum(1 for _ in flux_xml.read(big).records)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 4000 * 5 + 1  # node, address, HAS_ADDRESS, 2 LOCATED_IN; one commune
    assert peak < 2_000_000  # a parsed tree of this file would take tens of megabytes
