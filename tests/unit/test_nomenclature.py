"""The loader of user-supplied cs1500106 / cs1500107 nomenclature files."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from graph.errors import InvalidData
from graph.labels import Labels
from loaders import nomenclature
from loaders.source import read_head

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
NOMENCLATURES = SHARED / "finess" / "nomenclatures"
CATEGORIES = NOMENCLATURES / "finess_cs1500106_stock_20250526-0337.xml.gz"
STATUSES = NOMENCLATURES / "finess_cs1500107_stock_20250526-0337.xml.gz"
LEGACY_EJ = SHARED / "finess" / "legacy-samples" / "finess_cs1400101_stock_20211214-0333.xml"


def count_blocks(path: Path, tag: str) -> int:
    return gzip.decompress(path.read_bytes()).decode("utf-8").count(f"<{tag}>")


def test_matches_only_the_two_nomenclatures() -> None:
    assert nomenclature.matches(read_head(CATEGORIES))
    assert nomenclature.matches(read_head(STATUSES))
    assert not nomenclature.matches(read_head(LEGACY_EJ))
    assert not nomenclature.matches(b'{"pmej": []}')


def test_categories() -> None:
    snapshot = nomenclature.read(CATEGORIES)
    assert (snapshot.dataset, snapshot.date) == ("nomenclature-cs1500106", "2025-05-26")
    assert list(snapshot.records) == []
    assert snapshot.labels is not None
    categories = snapshot.labels["category"]
    assert len(categories) == count_blocks(CATEGORIES, "nomenclcategorieETavecagr") == 312
    assert categories["355"] == "Centre Hospitalier (C.H.)"
    assert snapshot.labels["category_aggregate"]["1102"] == "Centres Hospitaliers"
    assert len(snapshot.labels["category_aggregate"]) == 106
    assert snapshot.report.counts["category"] == 312


def test_legal_statuses() -> None:
    snapshot = nomenclature.read(STATUSES)
    assert snapshot.dataset == "nomenclature-cs1500107"
    assert snapshot.labels is not None
    statuses = snapshot.labels["legal_status"]
    assert len(statuses) == count_blocks(STATUSES, "nomenclstatutavecagr") == 69
    assert statuses["01"] == "Etat"
    assert snapshot.labels["legal_status_aggregate"]["1000"] == ("Organismes et Etablissements Publics")


def newer_categories(tmp_path: Path, name: str, horodatage: bool = True) -> Path:
    """A user's newer cs1500106: code 355 relabelled, one new code."""
    stamp = "<horodatage><datemaj>2026-03-01</datemaj></horodatage>" if horodatage else ""
    path = tmp_path / name
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<fluxfiness xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        f"{stamp}\n"
        "<nomenclcategorieETavecagr><code>355</code><libelle>Centre hospitalier</libelle>"
        "<codeagr3>1102</codeagr3><libelleagr3>Centres hospitaliers</libelleagr3>"
        "</nomenclcategorieETavecagr>\n"
        "<nomenclcategorieETavecagr><code>701</code><libelle>Nouvelle catégorie</libelle>"
        '<datefin xsi:nil="true"/></nomenclcategorieETavecagr>\n'
        "</fluxfiness>\n",
        "utf-8",
    )
    return path


def test_a_newer_nomenclature_overrides_the_bundled_labels(tmp_path: Path) -> None:
    snapshot = nomenclature.read(newer_categories(tmp_path, "categories.xml"))
    assert snapshot.date == "2026-03-01"
    assert snapshot.labels == {
        "category": {"355": "Centre hospitalier", "701": "Nouvelle catégorie"},
        "category_aggregate": {"1102": "Centres hospitaliers"},
    }
    labels = Labels.bundled()
    labels.merge_all(snapshot.labels)
    assert labels.label("category", "355") == "Centre hospitalier"
    assert labels.label("category", "701") == "Nouvelle catégorie"
    assert labels.label("category", "101") == "Centre Hospitalier Régional (C.H.R.)"


def test_date_from_the_file_name_else_refused(tmp_path: Path) -> None:
    named = newer_categories(tmp_path, "finess_cs1500106_stock_20260401-0300.xml", False)
    assert nomenclature.read(named).date == "2026-04-01"
    with pytest.raises(InvalidData, match="datemaj"):
        nomenclature.read(newer_categories(tmp_path, "categories.xml", False))


def test_truncated_nomenclature_names_the_line(tmp_path: Path) -> None:
    text = gzip.decompress(CATEGORIES.read_bytes()).decode("utf-8")
    truncated = tmp_path / "finess_cs1500106_stock_20250526-0337.xml"
    lines = text.splitlines()[:100]
    truncated.write_text("\n".join(lines), "utf-8")
    with pytest.raises(InvalidData) as caught:
        nomenclature.read(truncated)
    assert caught.value.where == f"line 100, column {len(lines[-1])}"  # the end of the cut
    assert "line 100" in str(caught.value)


def test_a_structure_file_is_not_a_nomenclature() -> None:
    with pytest.raises(InvalidData, match="no cs1500106 or cs1500107"):
        nomenclature.read(LEGACY_EJ)
