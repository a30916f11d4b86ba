"""The synthetic FINESS+ generator: real layout, measured shapes, exact counts, valid ids, history."""

from __future__ import annotations

import gzip
import random
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import orjson
import pytest

from graph.finess_number import finess_problem, luhn_ok
from loaders.synthetic import calibration, generate, histograms
from loaders.synthetic.__main__ import main
from loaders.synthetic.build import _with_room, build_world
from loaders.synthetic.census import read_paths
from loaders.synthetic.figures import Table, load
from loaders.synthetic.identifiers import KEPT_FOR_OPENINGS, NumberBook
from loaders.synthetic.places import DEPARTMENTS, finess_prefix
from loaders.synthetic.writer import write_document
from tests.factories import ACTIVITIES, SHARED, STRUCTURES

SCALE = 0.01
DAY1, DAY2 = "20260813", "20260814"
CENSUS = SHARED / "finess" / "census"
# Keys the JSON schema defines for organic-group members (relationEntiteGroupeEGE); the national
# file publishes no establishment member, so neither the sample nor the census shows them.
SCHEMA_ONLY = {"gco.egeDuGco[].egeId", "gco.egeDuGco[].typeRoleEntiteGroupe"}
PREFIXES = {finess_prefix(d.code) for d in DEPARTMENTS}


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two days of a 1 % register (written in parallel, the default)."""
    folder = tmp_path_factory.mktemp("synthetic")
    generate(folder, scale=SCALE, days=2, seed=0)
    return folder


@cache
def _doc(path: Path) -> dict[str, Any]:
    with gzip.open(path, "rb") as stream:
        return orjson.loads(stream.read())  # type: ignore[no-any-return]


def _day(out: Path, kind: str, day: str) -> dict[str, Any]:
    return _doc(out / f"finess-{kind}-journalier-{day}.json.gz")


def _walk(doc: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield every object of a FINESS+ document with its key path (census notation)."""

    def walk(value: Any, path: str) -> Iterator[tuple[str, dict[str, Any]]]:
        if isinstance(value, dict):
            yield path, value
            for key, child in value.items():
                yield from walk(child, f"{path}.{key}")
        elif isinstance(value, list):
            for item in value:
                yield from walk(item, path + "[]")

    for name in ("gco", "gcc", "pmej"):
        for item in doc.get(name, []):
            yield from walk(item, name)


def _shape(doc: dict[str, Any]) -> tuple[dict[str, set[str]], dict[str, set[tuple[str, ...]]]]:
    """Return every key path (census notation) with its value kinds, and each object's key orders."""
    kinds: dict[str, set[str]] = defaultdict(set)
    orders: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for path, obj in _walk(doc):
        orders[path].add(tuple(obj))
        for key, child in obj.items():
            kinds[f"{path}.{key}"].add(type(child).__name__)
    return kinds, orders


def _eges(doc: dict[str, Any]) -> dict[str, tuple[str, dict[str, Any]]]:
    return {
        e["informationsGeneralesEGE"]["egeId"]: (p["informationsGeneralesPMEJ"]["pmSmsseId"], e)
        for p in doc["pmej"]
        for e in p["ege"]
    }


def _activities(doc: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    auth = {
        a["caracteristiquesGeneriques"]["activiteAeId"]: (p["pmSmsseId"], a)
        for p in doc["pmej"]
        for a in p["activitesAutorisees"]
    }
    oper = {
        a["caracteristiquesGeneriques"]["activiteAeId"]: (e["egeId"], a)
        for p in doc["pmej"]
        for e in p["ege"]
        for a in e["activitesExercees"]
    }
    return auth, oper


def test_files_are_named_and_dated_like_the_daily_flow(out: Path) -> None:
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(
        [f"finess-{k}-journalier-{d}.json.gz" for k in ("structures", "activites") for d in (DAY1, DAY2)]
        + [f"changes-{DAY1}.json", f"changes-{DAY2}.json"]
    )
    for kind, minute in (("structures", "0"), ("activites", "1")):
        doc = _day(out, kind, DAY2)
        assert doc["schemaVersion"] == "v1.0.0"
        assert re.fullmatch(rf"2026-08-14T02:{minute}\d:\d\d\.\d{{9}}Z", doc["generatedAt"])


def test_returned_paths_are_the_finess_files_day_by_day(tmp_path: Path) -> None:
    paths = generate(tmp_path, scale=0.002, days=2, seed=3, parallel=False)
    assert [p.name for p in paths] == [
        f"finess-{k}-journalier-{d}.json.gz" for d in (DAY1, DAY2) for k in ("structures", "activites")
    ]
    assert (tmp_path / f"changes-{DAY2}.json").is_file()


def test_every_real_key_path_is_generated_with_the_same_nesting_and_order(out: Path) -> None:
    census = set(read_paths(next(CENSUS.glob("structures-paths-*.txt"))))
    census |= set(read_paths(next(CENSUS.glob("activites-paths-*.txt"))))
    for real_file, kind in ((STRUCTURES, "structures"), (ACTIVITIES, "activites")):
        real_kinds, real_orders = _shape(_doc(real_file))
        gen_kinds, gen_orders = _shape(_day(out, kind, DAY1))
        assert set(real_kinds) <= set(gen_kinds), set(real_kinds) - set(gen_kinds)
        # Extra paths are those the national census shows but the 30-entity sample lacks.
        assert set(gen_kinds) - set(real_kinds) <= census | SCHEMA_ONLY
        for path, kinds in gen_kinds.items():
            assert kinds <= {"dict", "list", "str", "NoneType"}, (path, kinds)  # numbers as strings
            real = real_kinds.get(path, set()) - {"NoneType"}
            if real and kinds - {"NoneType"}:
                assert kinds - {"NoneType"} == real, path
        for path, orders in gen_orders.items():
            if path in real_orders:
                assert orders <= real_orders[path], path
    # Engagements elsewhere (legal entities, authorisations: absent from the sample) are laid out
    # like the sample's establishment engagements.
    real_engagement = _shape(_doc(STRUCTURES))[1]["pmej.ege[].engagement[]"]
    for kind in ("structures", "activites"):
        for path, orders in _shape(_day(out, kind, DAY1))[1].items():
            if path.endswith(".engagement[]"):
                assert orders <= real_engagement, path
    assert _shape(_day(out, "structures", DAY1))[1]["gco.egeDuGco[]"] == {("egeId", "typeRoleEntiteGroupe")}


def test_counts_scale_the_national_register_exactly(out: Path) -> None:
    s, a = _day(out, "structures", DAY1), _day(out, "activites", DAY1)
    eges = [e for p in s["pmej"] for e in p["ege"]]
    auth, oper = _activities(a)
    assert len(s["pmej"]) == round(98168 * SCALE)
    assert len(eges) == round(174508 * SCALE)
    assert sum(len(e["adresse"]) for e in eges) == round(180447 * SCALE)
    assert len(s["gco"]) == round(1856 * SCALE)
    assert len(s["gcc"]) == round(135 * SCALE)
    assert sum(len(g["pmejDuGcc"]) for g in s["gcc"]) == round(761 * SCALE)
    assert len(auth) == len(oper) == round(292873 * SCALE)


def test_the_national_world_keeps_the_real_outliers() -> None:
    world = build_world(load(), 1.0, 0, date(2026, 8, 13).toordinal())
    assert len(world.entities) == 98168
    assert len(world.establishments) == 174508
    assert sum(e.addresses for e in world.establishments) == 180447
    assert len(world.activities) == 292873
    assert sum(len(g.members) for g in world.gccs) == 761
    sizes = Counter(len(e.establishments) for e in world.entities)
    assert max(sizes) == 1062  # CROIX ROUGE FRANCAISE
    assert sizes[294] >= 1
    assert sizes[153] >= 1
    assert sizes[0] == 19646
    assert sizes[1] == 63560
    assert max(e.addresses for e in world.establishments) == 150


def test_each_ght_has_one_support_and_real_members(out: Path) -> None:
    for day in (DAY1, DAY2):
        doc = _day(out, "structures", day)
        ids = {p["informationsGeneralesPMEJ"]["pmSmsseId"] for p in doc["pmej"]}
        assert doc["gcc"]
        for gcc in doc["gcc"]:
            roles = Counter(m["typeRoleEntiteGroupe"] for m in gcc["pmejDuGcc"])
            assert roles["S"] == 1
            assert set(roles) <= {"S", "M"}
            assert {m["pmSmsseId"] for m in gcc["pmejDuGcc"]} <= ids


def test_identifiers_are_valid_and_unique(out: Path) -> None:
    s, a = _day(out, "structures", DAY2), _day(out, "activites", DAY2)
    finess, sirens, corsican = [], {}, 0
    for pm in s["pmej"]:
        info = pm["informationsGeneralesPMEJ"]
        finess.append(info["numFinessPm"])
        if info["siren"]:
            assert re.fullmatch(r"\d{9}", info["siren"])
            assert luhn_ok(info["siren"])
            sirens[info["pmSmsseId"]] = info["siren"]
        for ege in pm["ege"]:
            gen = ege["informationsGeneralesEGE"]
            finess.append(gen["numFinessEge"])
            if gen["siret"]:
                assert gen["siret"].startswith(sirens[info["pmSmsseId"]])
                assert luhn_ok(gen["siret"])
    for number in finess:
        assert finess_problem(number) is None, number
        assert number[:2] in PREFIXES or number[:4] in PREFIXES
        corsican += number[:2] in ("2A", "2B")
    assert len(set(finess)) == len(finess)
    assert 0 < corsican < len(finess) * 0.02
    ids: dict[str, list[str]] = defaultdict(list)

    def collect(value: Any) -> None:
        if isinstance(value, dict):
            for key in ("evenementId", "engagementId", "idCapacite", "gccId"):
                if value.get(key) is not None:  # capacities carry a null engagementId
                    ids[key].append(value[key])
            for child in value.values():
                collect(child)
        elif isinstance(value, list):
            for child in value:
                collect(child)

    collect(s)
    collect(a)
    ids["pmSmsseId"] = [p["informationsGeneralesPMEJ"]["pmSmsseId"] for p in s["pmej"]]
    ids["egeId"] = list(_eges(s))
    auth, oper = _activities(a)
    ids["activiteAeId"] = list(auth) + list(oper)
    for key, values in ids.items():
        assert values, key
        assert len(set(values)) == len(values), key


def test_a_full_departement_is_drawn_no_more_and_keeps_numbers_for_openings() -> None:
    # Scale 3.0 gave La Réunion more structures than the 10,000 numbers its prefix 9704 allows.
    book = NumberBook(random.Random(1), scale=3.0)
    numbered = 0
    while book.has_room("974"):
        book.finess("974")
        numbered += 1
    assert 10_000 - KEPT_FOR_OPENINGS - 50 < numbered < 10_000 - KEPT_FOR_OPENINGS
    openings = [book.finess("974") for _ in range(KEPT_FOR_OPENINGS)]
    assert all(finess_problem(n) is None and n.startswith("9704") for n in openings)
    mostly_reunion = Table({"974": 1000.0, "75": 1.0})
    assert {_with_room(mostly_reunion, book, random.Random(2)) for _ in range(20)} == {"75"}


def test_every_operated_activity_resolves_within_its_legal_entity(out: Path) -> None:
    for day in (DAY1, DAY2):
        s, a = _day(out, "structures", day), _day(out, "activites", day)
        owners = {ege: pm for ege, (pm, _) in _eges(s).items()}
        for pm in a["pmej"]:
            own = {x["caracteristiquesGeneriques"]["activiteAeId"] for x in pm["activitesAutorisees"]}
            assert own
            for ege in pm["ege"]:
                assert owners[ege["egeId"]] == pm["pmSmsseId"]
                for x in ege["activitesExercees"]:
                    generic = x["caracteristiquesGeneriques"]
                    assert generic["identifiantAutorisation"] in own
                    assert generic["egeId"] == ege["egeId"]


def test_groupings_and_roles_point_at_existing_objects(out: Path) -> None:
    s = _day(out, "structures", DAY1)
    pms = {p["informationsGeneralesPMEJ"]["pmSmsseId"]: p for p in s["pmej"]}
    eges = _eges(s)
    with_members = 0
    for gco in s["gco"]:
        head = pms[gco["pmSmsseId"]]["informationsGeneralesPMEJ"]
        assert head["typeGroupeGco"] == gco["typeGco"]
        assert {m["pmSmsseId"] for m in gco["pmejDuGco"]} <= set(pms)
        assert {m["egeId"] for m in gco["egeDuGco"]} <= set(eges)
        if gco["pmejDuGco"]:
            assert gco["typeGco"] in ("001", "002")  # GCS and GCSMS heads list their members
            with_members += 1
    assert with_members
    relations: Counter[tuple[str, str]] = Counter()
    for ege_id, (_, ege) in eges.items():
        for role in ege["roleEge"]:
            assert ege_id in (role["idEgePorteuse"], role["idEgeNonPorteuse"])
            assert role["idEgePorteuse"] in eges
            assert role["idEgeNonPorteuse"] in eges
            relations[(role["idEgePorteuse"], role["idEgeNonPorteuse"])] += 1
    assert relations
    assert set(relations.values()) == {2}


def test_coordinates_are_wgs84_and_lambert93_inside_france(out: Path) -> None:
    s = _day(out, "structures", DAY1)
    addresses = [a for p in s["pmej"] for a in p["adresse"]]
    addresses += [a for p in s["pmej"] for e in p["ege"] for a in e["adresse"]]
    points = [(a["cogCommune"], a["coordonneesGeographique"]) for a in addresses]
    metro = [(cog, c) for cog, c in points if c and not cog.startswith("97")]
    assert len(metro) > 0.5 * len(points)
    for _, c in metro:
        assert -5.3 < float(c["coordonneeX"]) < 9.7
        assert 41.3 < float(c["coordonneeY"]) < 51.2
        assert 90_000 < float(c["directionLongitude"]) < 1_250_000
        assert 6_000_000 < float(c["directionLatitude"]) < 7_130_000


def _null_counts(doc: dict[str, Any]) -> tuple[Counter[str], Counter[str]]:
    """Return how often each key path is present, and null, in a FINESS+ document."""
    present: Counter[str] = Counter()
    nulls: Counter[str] = Counter()
    for path, obj in _walk(doc):
        for key, child in obj.items():
            present[f"{path}.{key}"] += 1
            nulls[f"{path}.{key}"] += child is None
    return present, nulls


def test_null_rates_follow_the_census(out: Path) -> None:
    checked = 0
    for kind in ("structures", "activites"):
        census = read_paths(next(CENSUS.glob(f"{kind}-paths-*.txt")))
        present, nulls = _null_counts(_day(out, kind, DAY1))
        for path, n in present.items():
            if n >= 400 and path in census and census[path].present:
                expected = census[path].nulls / census[path].present
                assert abs(nulls[path] / n - expected) < 0.08, (path, nulls[path] / n, expected)
                checked += 1
    assert checked > 150


def test_code_frequencies_follow_the_figures(out: Path) -> None:
    figs = load()
    s, a = _day(out, "structures", DAY1), _day(out, "activites", DAY1)
    drawn = {
        "statutJuridique": [p["informationsGeneralesPMEJ"]["statutJuridique"] for p in s["pmej"]],
        "categorie": [e["categorieentiteGeographiqueExercice"] for p in s["pmej"] for e in p["ege"]],
        "codeNature": [x["nature"]["codeNature"] for p in a["pmej"] for x in p["activitesAutorisees"]],
    }
    for name, values in drawn.items():
        table = {k: v for k, v in figs.data["codes"][name].items() if k in ("60", "620", "ASMR", "ASDR")}
        total = sum(figs.data["codes"][name].values())
        for code, n in table.items():
            # Within 0.05: sampling noise at 1 % plus the statuts GHTs and GCS heads impose.
            assert abs(values.count(code) / len(values) - n / total) < 0.05, (name, code)


def test_same_seed_same_bytes_other_seed_other_data(out: Path, tmp_path: Path) -> None:
    generate(tmp_path / "again", scale=SCALE, days=1, seed=0, parallel=False)
    generate(tmp_path / "other", scale=SCALE, days=1, seed=1)
    for kind in ("structures", "activites"):
        name = f"finess-{kind}-journalier-{DAY1}.json.gz"
        first = (out / name).read_bytes()
        assert (tmp_path / "again" / name).read_bytes() == first
        assert gzip.decompress((tmp_path / "other" / name).read_bytes()) != gzip.decompress(first)


def test_day_two_differs_from_day_one_by_exactly_the_recorded_changes(out: Path) -> None:
    first = orjson.loads((out / f"changes-{DAY1}.json").read_bytes())
    changes = orjson.loads((out / f"changes-{DAY2}.json").read_bytes())
    assert first["previous"] is None
    assert not any(first["counts"].values())
    assert changes["date"] == "2026-08-14"
    assert changes["previous"] == "2026-08-13"
    assert all(changes["counts"][k] == len(changes[k]) >= 1 for k in changes["counts"])
    s1, s2 = _day(out, "structures", DAY1), _day(out, "structures", DAY2)
    e1, e2 = _eges(s1), _eges(s2)

    def ids(kind: str, key: str = "egeId") -> set[str]:
        return {c[key] for c in changes[kind]}

    assert set(e2) - set(e1) == ids("openings")
    assert not set(e1) - set(e2)
    changed = {k for k in e1 if e1[k][1] != e2[k][1]}
    assert changed == ids("closures") | ids("transfers") | ids("renames")
    assert {k for k in e1 if e1[k][0] != e2[k][0]} == ids("transfers")
    for c in changes["transfers"]:
        assert (e1[c["egeId"]][0], e2[c["egeId"]][0]) == (c["fromPmSmsseId"], c["toPmSmsseId"])
        assert e1[c["egeId"]][1]["informationsGeneralesEGE"]["numFinessEge"] == c["numFinessEge"]
    for c in changes["closures"]:
        assert e2[c["egeId"]][1]["etatObjet"] == "I"
        assert e2[c["egeId"]][1]["informationsGeneralesEGE"]["dateFermeture"] == "2026-08-14"
    for c in changes["renames"]:
        before, after = (e[c["egeId"]][1]["informationsGeneralesEGE"] for e in (e1, e2))
        assert before["nomEgeCourt"] != after["nomEgeCourt"] or before["nomEgeLong"] != after["nomEgeLong"]
    pm1, pm2 = (
        {
            p["informationsGeneralesPMEJ"]["pmSmsseId"]: {k: v for k, v in p.items() if k != "ege"}
            for p in s["pmej"]
        }
        for s in (s1, s2)
    )
    moved = ids("transfers", "fromPmSmsseId") | ids("transfers", "toPmSmsseId")
    assert {k for k in pm1 if pm1[k] != pm2[k]} == moved
    g1, g2 = ({g["gccId"]: g for g in s["gcc"]} for s in (s1, s2))
    assert {k for k in g1 if g1[k] != g2[k]} == ids("gccMemberships", "gccId")
    for c in changes["gccMemberships"]:
        members = {m["pmSmsseId"] for m in g2[c["gccId"]]["pmejDuGcc"]}
        assert (c["pmSmsseId"] in members) == (c["change"] == "added")
    assert s1["gco"] == s2["gco"]
    (a1, o1), (a2, o2) = _activities(_day(out, "activites", DAY1)), _activities(_day(out, "activites", DAY2))
    assert set(a2) - set(a1) == ids("authorisationsStarted", "activiteAeId")
    assert set(o2) - set(o1) == ids("authorisationsStarted", "operatedActiviteAeId")
    assert {k for k in a1 if a1[k][1] != a2[k][1]} == ids("authorisationsEnded", "activiteAeId")
    assert {k for k in o1 if o1[k][1] != o2[k][1]} == ids("authorisationsEnded", "operatedActiviteAeId")
    for c in changes["authorisationsEnded"]:
        generic = a2[c["activiteAeId"]][1]["caracteristiquesGeneriques"]
        assert generic["dateFinEffectiveActivite"] == "2026-08-14"
        assert generic["etatObjet"] == "I"
    carried = {x for c in changes["transfers"] for x in c["activiteAeIds"]}
    assert {k for k in a1 if a1[k][0] != a2[k][0]} == carried


def test_writer_lays_out_the_real_files_byte_for_byte(tmp_path: Path) -> None:
    for real, lists in ((STRUCTURES, ("gco", "gcc", "pmej")), (ACTIVITIES, ("pmej",))):
        doc = _doc(real)
        path = tmp_path / real.name
        header = {k: doc[k] for k in ("schemaVersion", "generatedAt")}
        write_document(path, header, [(k, iter(doc[k])) for k in lists])
        with gzip.open(real, "rb") as original, gzip.open(path, "rb") as rewritten:
            assert rewritten.read() == original.read()


def test_writer_streams_items_to_disk_as_they_come(tmp_path: Path) -> None:
    path, partial, sizes = tmp_path / "big.json.gz", tmp_path / "big.json.gz.part", []
    noise = random.Random(0)

    def items() -> Any:
        for i in range(3000):
            if i == 2999:
                sizes.append(partial.stat().st_size)
            yield {"id": str(i), "pad": noise.randbytes(500).hex()}  # ~1 KB that barely compresses

    write_document(path, {"schemaVersion": "v1.0.0"}, [("pmej", items())])
    assert sizes[0] > 500_000  # most items were on disk before the last one was even made
    assert not partial.exists()
    assert len(orjson.loads(gzip.decompress(path.read_bytes()))["pmej"]) == 3000


def test_figures_json_is_what_the_census_measures() -> None:
    rebuilt = calibration.build(
        CENSUS,
        STRUCTURES,
        SHARED / "finess" / "nomenclatures" / "nomenclature_categorie_finess.csv",
    )
    assert orjson.loads(orjson.dumps(rebuilt)) == load().data


def test_histograms_fit_and_draw_exact_totals() -> None:
    fitted = histograms.fit(135, 761, {1: 11, 2: 14, 3: 20}, 4, 30)
    assert sum(fitted.values()) == 135
    assert sum(k * n for k, n in fitted.items()) == 761
    assert (fitted[1], fitted[2], fitted[3]) == (11, 14, 20)
    hist, _ = load().histogram("establishment.activities")
    values = histograms.draw(hist, 1397, 2929, random.Random(5), floor=1)
    assert len(values) == 1397
    assert sum(values) == 2929


def test_bad_arguments_and_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ValueError, match="scale"):
        generate(tmp_path, scale=0)
    with pytest.raises(ValueError, match="days"):
        generate(tmp_path, days=0)
    assert main([str(tmp_path / "cli"), "--scale", "0.002", "--seed", "4"]) == 0
    assert "2 files in" in capsys.readouterr().out
    assert (tmp_path / "cli" / f"finess-activites-journalier-{DAY1}.json.gz").is_file()
