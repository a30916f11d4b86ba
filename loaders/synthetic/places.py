"""Départements for synthetic data: share of structures, rough centre and spread, projection."""

# The census has no per-département counts (its FINESS-number value list is a truncated head of
# the file), so the shares below are population weights (INSEE 2021 municipal populations, in
# thousands, rounded), which FINESS establishment counts follow closely. Centres are approximate
# geographic centres (overseas: the main populated area) in WGS84 degrees; `radius` keeps the
# generated points inside the département around that centre.

from __future__ import annotations

from typing import NamedTuple


class Department(NamedTuple):
    """One département: code, name, region, population weight, centre, spread, projection."""

    code: str
    name: str
    region: str
    weight: int
    lat: float
    lon: float
    radius: float
    epsg: int  # the projected CRS FINESS+ uses for directionLatitude/Longitude there


_METRO = """
01|Ain|84|660|46.10|5.35|.22;02|Aisne|32|530|49.56|3.55|.22;03|Allier|84|335|46.39|3.19|.22
04|Alpes-de-Haute-Provence|93|165|44.10|6.24|.22;05|Hautes-Alpes|93|141|44.66|6.26|.2
06|Alpes-Maritimes|93|1100|43.80|7.15|.12;07|Ardèche|84|330|44.75|4.42|.2
08|Ardennes|44|270|49.62|4.64|.2;09|Ariège|76|155|42.95|1.50|.18;10|Aube|44|310|48.30|4.16|.22
11|Aude|76|375|43.10|2.41|.2;12|Aveyron|76|280|44.28|2.68|.25;13|Bouches-du-Rhône|93|2050|43.50|5.10|.15
14|Calvados|28|700|49.10|-0.36|.18;15|Cantal|84|144|45.05|2.67|.2;16|Charente|75|350|45.72|0.20|.2
17|Charente-Maritime|75|660|45.78|-0.67|.15;18|Cher|24|300|47.06|2.49|.25;19|Corrèze|75|240|45.36|1.88|.2
21|Côte-d'Or|27|535|47.42|4.77|.25;22|Côtes-d'Armor|53|600|48.40|-2.86|.18;23|Creuse|75|116|46.09|2.02|.2
24|Dordogne|75|413|45.10|0.74|.25;25|Doubs|27|545|47.17|6.36|.18;26|Drôme|84|520|44.68|5.17|.2
27|Eure|28|600|49.11|1.02|.2;28|Eure-et-Loir|24|430|48.39|1.37|.2;29|Finistère|53|915|48.26|-4.00|.15
2A|Corse-du-Sud|94|160|41.90|8.95|.12;2B|Haute-Corse|94|185|42.40|9.20|.15
30|Gard|76|750|43.99|4.18|.2;31|Haute-Garonne|76|1420|43.50|1.30|.15;32|Gers|76|192|43.69|0.45|.2
33|Gironde|75|1650|44.83|-0.50|.2;34|Hérault|76|1200|43.60|3.50|.15;35|Ille-et-Vilaine|53|1100|48.15|-1.64|.2
36|Indre|24|218|46.78|1.58|.22;37|Indre-et-Loire|24|610|47.26|0.69|.2;38|Isère|84|1270|45.26|5.58|.2
39|Jura|27|260|46.73|5.70|.18;40|Landes|75|415|43.97|-0.78|.22;41|Loir-et-Cher|24|330|47.62|1.43|.22
42|Loire|84|765|45.73|4.17|.2;43|Haute-Loire|84|228|45.13|3.81|.18;44|Loire-Atlantique|52|1450|47.36|-1.68|.18
45|Loiret|24|680|47.91|2.34|.22;46|Lot|76|174|44.62|1.60|.2;47|Lot-et-Garonne|75|331|44.37|0.46|.2
48|Lozère|76|77|44.52|3.50|.18;49|Maine-et-Loire|52|820|47.39|-0.56|.22;50|Manche|28|495|49.08|-1.25|.12
51|Marne|44|565|48.95|4.24|.25;52|Haute-Marne|44|172|48.11|5.23|.2;53|Mayenne|52|307|48.15|-0.65|.18
54|Meurthe-et-Moselle|44|733|48.75|6.16|.15;55|Meuse|44|184|48.99|5.38|.2;56|Morbihan|53|760|47.85|-2.81|.18
57|Moselle|44|1045|49.04|6.66|.2;58|Nièvre|27|204|47.12|3.50|.22;59|Nord|32|2610|50.45|3.22|.15
60|Oise|32|830|49.41|2.42|.2;61|Orne|28|280|48.62|0.13|.2;62|Pas-de-Calais|32|1460|50.49|2.29|.2
63|Puy-de-Dôme|84|665|45.73|3.14|.25;64|Pyrénées-Atlantiques|75|687|43.26|-0.76|.2
65|Hautes-Pyrénées|76|229|43.10|0.16|.15;66|Pyrénées-Orientales|76|480|42.62|2.52|.15
67|Bas-Rhin|44|1150|48.67|7.55|.18;68|Haut-Rhin|44|765|47.86|7.27|.15;69|Rhône|84|1880|45.80|4.70|.12
70|Haute-Saône|27|235|47.64|6.09|.2;71|Saône-et-Loire|27|550|46.64|4.54|.25;72|Sarthe|52|565|47.99|0.22|.22
73|Savoie|84|440|45.48|6.44|.18;74|Haute-Savoie|84|830|46.03|6.43|.15;75|Paris|11|2150|48.857|2.345|.025
76|Seine-Maritime|28|1255|49.66|1.03|.2;77|Seine-et-Marne|11|1420|48.62|2.93|.2;78|Yvelines|11|1450|48.81|1.90|.12
79|Deux-Sèvres|75|375|46.56|-0.32|.22;80|Somme|32|570|49.96|2.29|.22;81|Tarn|76|390|43.79|2.17|.2
82|Tarn-et-Garonne|76|260|44.08|1.28|.18;83|Var|93|1080|43.46|6.22|.2;84|Vaucluse|93|560|44.01|5.18|.15
85|Vendée|52|690|46.67|-1.30|.2;86|Vienne|75|440|46.56|0.46|.22;87|Haute-Vienne|75|372|45.89|1.23|.2
88|Vosges|44|362|48.20|6.38|.2;89|Yonne|27|335|47.84|3.56|.22;90|Territoire de Belfort|27|140|47.63|6.88|.05
91|Essonne|11|1300|48.52|2.24|.1;92|Hauts-de-Seine|11|1625|48.85|2.24|.03;93|Seine-Saint-Denis|11|1650|48.91|2.48|.04
94|Val-de-Marne|11|1400|48.77|2.47|.04;95|Val-d'Oise|11|1250|49.08|2.13|.1
"""
_OVERSEAS = """
971|Guadeloupe|01|384|16.20|-61.55|.05|5490;972|Martinique|02|360|14.64|-61.02|.06|5490
973|Guyane|03|285|4.90|-52.40|.08|2972;974|La Réunion|04|870|-21.10|55.52|.1|2975
976|Mayotte|06|300|-12.80|45.14|.03|4471
"""


def _parse() -> tuple[Department, ...]:
    rows: list[Department] = []
    for text, default_epsg in ((_METRO, 2154), (_OVERSEAS, 0)):
        for item in text.replace("\n", ";").split(";"):
            if not item.strip():
                continue
            parts = item.split("|")
            epsg = int(parts[7]) if len(parts) > 7 else default_epsg
            rows.append(
                Department(
                    parts[0],
                    parts[1],
                    parts[2],
                    int(parts[3]),
                    float(parts[4]),
                    float(parts[5]),
                    float(parts[6]),
                    epsg,
                )
            )
    return tuple(rows)


DEPARTMENTS: tuple[Department, ...] = _parse()


def finess_prefix(dept: str) -> str:
    """Return the first characters of a FINESS number in `dept` (overseas: 970 + last digit)."""
    return "970" + dept[2] if len(dept) == 3 else dept


def phone_prefix(region: str) -> str:
    """Return the start of a landline number in `region` (French numbering zones)."""
    zones = {"11": "01", "24": "02", "28": "02", "52": "02", "53": "02", "27": "03", "32": "03"}
    zones |= {"44": "03", "84": "04", "93": "04", "94": "04", "75": "05", "76": "05"}
    zones |= {"01": "0590", "02": "0596", "03": "0594", "04": "0262", "06": "0269"}
    return zones.get(region, "01")
