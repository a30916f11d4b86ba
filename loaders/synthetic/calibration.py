"""Building `figures.json` from the census: counts, null rates, code frequencies, histograms, rates."""

# Usage: `python -m loaders.synthetic.calibration CENSUS_DIR SAMPLE_STRUCTURES CATEGORIES_CSV`
# prints the figures as JSON; commit the output as `loaders/synthetic/figures.json` (a unit test
# rebuilds it from shared/finess and fails when the committed file is stale).

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from loaders.synthetic import histograms
from loaders.synthetic.calibration_codes import (
    AUTH,
    OPER,
    SPEC,
    activity_codes,
    rates,
    structure_codes,
)
from loaders.synthetic.census import (
    PathFigures,
    read_category_labels,
    read_codes,
    read_engagement_kinds,
    read_paths,
)

# Fitted tails: (census path, file, lowest tail value, highest, pinned values). Pinned values are
# real outliers: CROIX ROUGE FRANCAISE (1,062 establishments), DEPARTEMENT DE LA LOIRE ATLANTIQUE
# (294) and ORSAC (153) in the real sample; its establishment with 150 addresses.
TAILS = {
    "legalEntity.establishments": ("pmej.ege", "s", 2, 300, [1062, 294, 153]),
    "establishment.addresses": ("pmej.ege[].adresse", "s", 3, 40, [150]),
    "establishment.engagements": ("pmej.ege[].engagement", "s", 2, 40, []),
    "establishment.activities": ("pmej.ege[].activitesExercees", "a", 2, 120, []),
    "authorised.capacities": (AUTH + ".capacite", "a", 2, 30, []),
    "gcc.members": ("gcc.pmejDuGcc", "s", 4, 30, []),
    "zone.communes": (AUTH + ".zoneIntervention.communeZI", "a", 3, 5000, []),
}
COMPLETE_LISTS = {
    "legalEntity.contacts": ("pmej.contact", "s"),
    "establishment.contacts": ("pmej.ege[].contact", "s"),
    "legalEntity.engagements": ("pmej.engagement", "s"),
    "establishment.engagement.authorities": ("pmej.ege[].engagement[].autoriteRegulationEngagement", "s"),
    "authorised.engagements": (AUTH + ".engagement", "a"),
    "authorised.engagement.authorities": (AUTH + ".engagement[].autoriteRegulationEngagement", "a"),
    "operated.devices": (OPER + SPEC + "appareil", "a"),
}


def build(census: Path, sample: Path, categories: Path) -> dict[str, Any]:
    """Return the figures the generator needs, measured from the census files in `census`."""
    s = read_paths(next(census.glob("structures-paths-*.txt")))
    a = read_paths(next(census.glob("activites-paths-*.txt")))
    codes = read_codes(next(census.glob("codes-observed-*.csv")))
    files = {"s": s, "a": a}

    def values(fig: PathFigures) -> dict[str, int]:
        return dict(fig.values or {})

    counts = {
        "legalEntities": s["pmej"].present,
        "establishments": s["pmej.ege[].informationsGeneralesEGE"].present,
        "establishmentAddresses": s["pmej.ege[].adresse[].usageAdresse"].present,
        "gco": s["gco"].present,
        "gcc": s["gcc"].present,
        "gccMemberships": s["gcc.pmejDuGcc[].pmSmsseId"].present,
        "authorised": a[AUTH + ".caracteristiquesGeneriques"].present,
        "operated": a[OPER + ".caracteristiquesGeneriques"].present,
        "activityLegalEntities": a["pmej"].present,
        "activityEstablishments": a["pmej.ege[].egeId"].present,
        "installedCapacities": values(a[OPER + ".capacite[].statutCapacite"])["08"],
    }
    role = s["pmej.ege[].roleEge"]
    role_entries = s["pmej.ege[].roleEge[].roleRelationEge"].present
    hubs = role.present - sum(role.cardinalities.values())
    hub_entries = role_entries - role.cardinalities[1]
    # Each relation is listed on both establishments; hubs (2+ entries) carry one end of most of
    # them, the rest are isolated pairs of single-entry establishments.
    counts["roleHubs"] = hubs
    counts["rolePairs"] = (role.cardinalities[1] - hub_entries) // 2
    hists: dict[str, Any] = {}
    for name, (path, f, lo, hi, pinned) in TAILS.items():
        fig = files[f][path]
        total = _list_total(files[f], path)
        fitted = histograms.fit(fig.present, total, fig.cardinalities, lo, hi, pinned)
        hists[name] = {"hist": _str_keys(fitted), "pinned": pinned}
    # Hub degrees: the real sample's busiest porteuse has 66 relations, the census head 39 (78/2).
    hub_pins = [66, 39]
    hists["roleHub.degree"] = {
        "hist": _str_keys(histograms.fit(hubs, hub_entries, {}, 2, 40, hub_pins)),
        "pinned": hub_pins,
    }
    zero_installed = round(
        counts["operated"] * a[OPER + ".capacite"].cardinalities[0] / a[AUTH + ".capacite"].cardinalities[0]
    )
    hists["operated.installedCapacities"] = {
        "hist": _str_keys(
            histograms.fit(counts["operated"], counts["installedCapacities"], {0: zero_installed}, 1, 40)
        ),
        "pinned": [],
    }
    for name, (path, f) in COMPLETE_LISTS.items():
        fig = files[f][path]
        hists[name] = {"hist": _str_keys(_complete(fig, files[f], path)), "pinned": []}
    return {
        "about": _ABOUT,
        "counts": counts,
        "nulls": {
            "structures": _nulls(s),
            "activites": _nulls(a),
        },
        "codes": _codes(s, a, codes, sample),
        "histograms": hists,
        "rates": rates(s, a),
        "categoryLabels": read_category_labels(categories),
    }


_ABOUT = (
    "Measured from the FINESS+ national census of July 2026 (structures-paths-202607.txt, "
    "activites-paths-202607.txt, codes-observed-202607.csv). counts: PRESENT column; nulls: "
    "NULS/PRESENT per path; codes: complete census value lists when they had under 60 values, "
    "else every observed code of codes-observed (domains merged over natures are split, see "
    "census.split_domain); histograms: census CARDINALITES (cut at 20 characters) completed by a "
    "power-law tail fitted to the exact item and element totals, plus pinned real outliers; "
    "rates: event and state probabilities from value counts; engagementKinds: joint "
    "(type, sub-type) counts from the real sample; categoryLabels: FINESS category nomenclature."
)


def _str_keys(hist: dict[int, int]) -> dict[str, int]:
    return {str(k): n for k, n in sorted(hist.items()) if n}


def _list_total(paths: dict[str, PathFigures], path: str) -> int:
    """Return how many elements the list at `path` holds in all (its first child's PRESENT)."""
    prefix = path + "[]"
    return min(
        fig.present
        for p, fig in paths.items()
        if p.startswith(prefix) and "." not in p[len(prefix) + 1 :] and fig.present
    )


def _complete(fig: PathFigures, paths: dict[str, PathFigures], path: str) -> dict[int, int]:
    """Return a histogram the census gave almost fully, the one missing bucket rebuilt by sums."""
    hist = dict(fig.cardinalities)
    missing = fig.present - sum(hist.values())
    if missing:
        total = _list_total(paths, path) - sum(k * n for k, n in hist.items())
        hist[round(total / missing)] = missing
    return hist


def _nulls(paths: dict[str, PathFigures]) -> dict[str, float]:
    return {p: round(f.nulls / f.present, 6) for p, f in sorted(paths.items()) if f.nulls}


def _codes(
    s: dict[str, PathFigures],
    a: dict[str, PathFigures],
    codes: dict[str, dict[str, int]],
    sample: Path,
) -> dict[str, Any]:
    """Return the code frequency tables the generator draws from."""
    out = structure_codes(s, codes)
    out |= activity_codes(a, codes)
    out["engagementKinds"] = read_engagement_kinds(sample)
    return out


def main(argv: list[str]) -> int:
    """Print the figures built from the census directory and sample given on the command line."""
    import orjson

    census, sample, categories = (Path(x) for x in argv[1:4])
    figures = build(census, sample, categories)
    opts = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS
    sys.stdout.write(orjson.dumps(figures, option=opts).decode() + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
