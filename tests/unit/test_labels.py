"""The bundled label tables, their lookups, overrides, and the script that builds them."""

from __future__ import annotations

import gzip
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from graph.labels import Labels
from loaders import build_labels

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
NOMENCLATURES = SHARED / "finess" / "nomenclatures"
BUNDLED = Path(__file__).resolve().parents[2] / "graph" / "data" / "labels"
CATEGORIES = NOMENCLATURES / "finess_cs1500106_stock_20250526-0337.xml.gz"


def official_category_label(code: str) -> str:
    """Read the label of a category straight from the official cs1500106 file."""
    root = ET.fromstring(gzip.decompress(CATEGORIES.read_bytes()))
    for block in root.iter("nomenclcategorieETavecagr"):
        if block.findtext("code") == code:
            return block.findtext("libelle") or ""
    raise AssertionError(f"category {code} is not in the official file")


@pytest.fixture(scope="module")
def labels() -> Labels:
    return Labels.bundled()


def test_category_355_has_its_official_label(labels: Labels) -> None:
    assert labels.label("category", "355") == official_category_label("355")
    assert labels.label("category", "355") == "Centre Hospitalier (C.H.)"
    entry = labels.entry("category", "355")
    assert isinstance(entry, dict)
    assert entry["short"] == "C.H."
    assert entry["domain"] == "SAN"
    assert entry["aggregates"] == [
        ["1102", "Centres Hospitaliers"],
        ["1100", "Etablissements Hospitaliers"],
        ["1000", "Etablissements Relevant de la Loi Hospitalière"],
    ]
    assert labels.label("category_aggregate", "1102") == "Centres Hospitaliers"


def test_unknown_codes_and_tables_have_no_label(labels: Labels) -> None:
    assert labels.label("category", "999") is None
    assert labels.label("category", None) is None
    assert labels.label("no_such_table", "355") is None
    # No file in shared/ states the labels of r371 GCC types: no table, the code is shown.
    assert labels.label("gcc_type", "001") is None


def test_other_tables(labels: Labels) -> None:
    assert labels.label("legal_status", "14") == ("Etablissement Public Intercommunal d'Hospitalisation")
    assert labels.label("legal_status_aggregate", "1100") == "Etat et Collectivités Territoriales"
    assert labels.label("member_role", "S") == "Support"
    assert labels.label("member_role", "M") == "Membre"
    assert labels.label("amm_activity", "QA002") == "Chirurgie"
    assert labels.label("amm_modality", "MO007") == "Pédiatrie"  # zero-width space removed
    # MO026 names two things depending on the activity: no plain label, both kept.
    assert labels.label("amm_modality", "MO026") is None
    entry = labels.entry("amm_modality", "MO026")
    assert isinstance(entry, dict)
    assert entry["byActivity"]["QA012"] == "Socle"
    closed = labels.entry("category", "001")
    assert isinstance(closed, dict)
    assert closed["to"] == "1999-09-15"
    renamed = labels.entry("category", "228")
    assert isinstance(renamed, dict)
    assert renamed["formerLabel"] == "Centre Planification ou Education Familiale"


def test_merge_overrides_labels_and_keeps_other_facts() -> None:
    labels = Labels.bundled()
    labels.merge("category", {"355": "Centre hospitalier", "999": "Nouvelle catégorie"})
    assert labels.label("category", "355") == "Centre hospitalier"
    assert labels.label("category", "999") == "Nouvelle catégorie"
    entry = labels.entry("category", "355")
    assert isinstance(entry, dict)
    assert entry["short"] == "C.H."
    labels.merge_all({"gcc_type": {"001": "GHT"}})
    assert labels.label("gcc_type", "001") == "GHT"
    assert Labels.bundled().label("category", "355") == "Centre Hospitalier (C.H.)"  # untouched


def test_built_tables_match_the_bundled_files(tmp_path: Path) -> None:
    assert build_labels.main([str(NOMENCLATURES), str(tmp_path)]) == 0
    built = sorted(path.name for path in tmp_path.glob("*.json"))
    assert built == [
        "amm_activity.json",
        "amm_declaration.json",
        "amm_mention.json",
        "amm_modality.json",
        "amm_practice.json",
        "category.json",
        "category_aggregate.json",
        "legal_status.json",
        "legal_status_aggregate.json",
    ]
    for name in built:  # the committed files are what the script makes from the official ones
        assert (tmp_path / name).read_text("utf-8") == (BUNDLED / name).read_text("utf-8"), name
    categories = json.loads((tmp_path / "category.json").read_text("utf-8"))
    text = gzip.decompress(CATEGORIES.read_bytes()).decode("utf-8")
    assert len(categories) == text.count("<nomenclcategorieETavecagr>") == 312


def test_build_labels_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert build_labels.main([]) == 2
    assert "usage" in capsys.readouterr().err


def test_labels_from_a_directory(tmp_path: Path) -> None:
    (tmp_path / "clientele.json").write_text('{"700": "Personnes Agées"}', "utf-8")
    (tmp_path / "notes.md").write_text("not a table", "utf-8")
    labels = Labels.from_directory(tmp_path)
    assert labels.tables() == ["clientele"]
    assert labels.label("clientele", " 700 ") == "Personnes Agées"
