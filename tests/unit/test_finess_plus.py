"""The FINESS+ JSON loader on the real sample: exact counts, links, tolerance of drift and nulls."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from graph.model import Edge, Node
from loaders import finess_plus
from loaders.detect import read_snapshot
from tests import factories
from tests.factories import ACTIVITIES, STRUCTURES


def _records(path: Path) -> tuple[list[Node], list[Edge], finess_plus.Snapshot]:
    snap = finess_plus.read(path)
    records = list(snap.records)
    return (
        [r for r in records if isinstance(r, Node)],
        [r for r in records if isinstance(r, Edge)],
        snap,
    )


def test_structures_sample_gives_the_expected_graph(shared: Path) -> None:
    nodes, edges, snap = _records(STRUCTURES)
    labels = Counter(n.label for n in nodes)
    assert snap.dataset == "finess-plus-structures"
    assert snap.date == "2026-08-13"
    assert labels["LegalEntity"] == 30
    assert labels["Establishment"] == 1753
    establishment_ids = {n.id for n in nodes if n.label == "Establishment"}
    ege_addresses = [e for e in edges if e.type == "HAS_ADDRESS" and e.source in establishment_ids]
    assert len(ege_addresses) == 2000
    assert labels["ConventionalGrouping"] == 1
    ght = next(n for n in nodes if n.label == "ConventionalGrouping")
    members = {e.source: e.props["role"] for e in edges if e.type == "MEMBER_OF" and e.target == ght.id}
    assert len(members) == 9
    supports = [finess for finess, role in members.items() if role == "S"]
    assert supports == ["210780581"]
    chu = next(n for n in nodes if n.id == "210780581")
    assert chu.props["name"] == "CHU DIJON BOURGOGNE"
    assert Counter(e.type for e in edges)["ATTACHED_TO"] == 1753


def test_activities_sample_links_every_operated_activity_to_its_authorisation(shared: Path) -> None:
    nodes, edges, snap = _records(ACTIVITIES)
    labels = Counter(n.label for n in nodes)
    assert snap.dataset == "finess-plus-activities"
    assert labels["AuthorizedActivity"] == 3660
    assert labels["OperatedActivity"] == 3660
    authorised = {n.id for n in nodes if n.label == "AuthorizedActivity"}
    implements = [e for e in edges if e.type == "IMPLEMENTS"]
    assert len(implements) == 3660
    assert {e.source for e in implements} == {n.id for n in nodes if n.label == "OperatedActivity"}
    assert all(e.target in authorised for e in implements)


def test_capacities_split_into_authorised_and_installed(shared: Path) -> None:
    nodes, _, _ = _records(ACTIVITIES)
    operated = [n for n in nodes if n.label == "OperatedActivity" and "capacities" in n.props]
    assert operated, "the sample has operated activities with capacities"
    for n in operated:
        lines = [c.split("|") for c in n.props["capacities"]]
        assert n.props["installedCapacity"] == sum(int(c[2]) for c in lines if c[0] == "08")
        assert n.props["authorisedCapacity"] == sum(int(c[2]) for c in lines if c[0] == "09")
    assert sum(n.props["installedCapacity"] for n in operated) > 0


def test_every_all_digit_finess_passes_luhn_and_gco_heads_are_reported(shared: Path) -> None:
    _, _, snap = _records(STRUCTURES)
    report = snap.report
    assert report.counts["FINESS numbers checked"] == 1783
    assert "invalid FINESS numbers" not in report.counts
    assert report.warning_counts["dangling-reference"] == 3
    assert all("403" in w or "405" in w or "421" in w for w in report.warnings if "dangling" in w)


def test_coordinates_are_decided_by_magnitude(tmp_path: Path, shared: Path) -> None:
    doc = factories.structures()
    _, ege = factories.establishment(doc, "010780195")
    geo = ege["adresse"][0]["coordonneesGeographique"]
    # The earlier ANS sample had the WGS84 and Lambert-93 pairs the other way round.
    geo["coordonneeX"], geo["directionLongitude"] = geo["directionLongitude"], geo["coordonneeX"]
    geo["coordonneeY"], geo["directionLatitude"] = geo["directionLatitude"], geo["coordonneeY"]
    nodes, _, _ = _records(factories.write(doc, tmp_path / "swapped.json.gz"))
    address = next(n for n in nodes if n.id == "addr:010780195:0")
    assert address.props["longitude"] == 5.254203
    assert address.props["latitude"] == 46.211257
    assert address.props["x"] == 873766.07
    assert address.props["y"] == 6570414.61


def test_nulls_and_unknown_fields_are_tolerated_and_kept(tmp_path: Path, shared: Path) -> None:
    doc = factories.structures()
    pm, ege = factories.establishment(doc, "010780195")
    ege["informationsGeneralesEGE"]["nouveauChamp"] = "X1"  # schema drift
    ege["adresse"] = None
    ege["evenement"] = None
    pm["contact"] = None
    nodes, edges, snap = _records(factories.write(doc, tmp_path / "drift.json.gz"))
    et = next(n for n in nodes if n.id == "010780195")
    assert et.props["nouveauChamp"] == "X1"
    assert et.props["siret"] == "77220148900022"
    assert et.props["espic"] == ["0"]
    assert not [e for e in edges if e.source == "010780195" and e.type == "HAS_ADDRESS"]
    assert snap.report.warning_counts["unknown-field"] == 1


def test_detection_is_by_content_not_name(tmp_path: Path, shared: Path) -> None:
    plain = factories.write(factories.activities(), tmp_path / "whatever.txt", gz=False)
    assert read_snapshot(plain).dataset == "finess-plus-activities"
