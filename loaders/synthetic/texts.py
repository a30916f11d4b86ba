"""Names for synthetic structures, streets and communes, in the upper-case style of FINESS."""

from __future__ import annotations

import random
import unicodedata


def _words(text: str, sep: str | None = None) -> tuple[str, ...]:
    """Split a word list kept as one readable string."""
    return tuple(text.split(sep))


SURNAMES = _words(
    "MARTIN BERNARD THOMAS PETIT ROBERT RICHARD DURAND DUBOIS MOREAU LAURENT SIMON MICHEL LEFEBVRE "
    "LEROY ROUX DAVID BERTRAND MOREL FOURNIER GIRARD BONNET DUPONT LAMBERT FONTAINE ROUSSEAU "
    "VINCENT MULLER FAURE ANDRE MERCIER BLANC GUERIN BOYER GARNIER CHEVALIER LEGRAND GAUTHIER "
    "GARCIA PERRIN ROBIN CLEMENT MORIN NICOLAS HENRY ROUSSEL MATHIEU MASSON MARCHAND DUVAL DENIS "
    "DUMONT LEMAIRE NOEL MEYER DUFOUR MEUNIER BRUN BLANCHARD GIRAUD JOLY RIVIERE LUCAS BRUNET "
    "GAILLARD BARBIER ARNAUD COLIN LEMOINE ROCHE RENARD AUBERT PICARD LEBLANC SCHMITT"
)
FIRST_NAMES = _words(
    "MARIE JEAN PIERRE MICHEL ANNE CLAIRE SOPHIE NICOLAS JULIE PHILIPPE ISABELLE FRANCOIS "
    "CATHERINE LAURENT NATHALIE OLIVIER SYLVIE THIERRY CHRISTINE ERIC"
)
PLACES = _words(
    "LES TILLEULS|LES CHENES|LE PARC|LA ROSERAIE|LES GLYCINES|SAINT JOSEPH|SAINTE MARIE|LES JARDINS|"
    "LE VAL FLEURI|LES PINS|BEAU SEJOUR|LA COLLINE|LES LILAS|LE BOCAGE|LES CEDRES|LA SOURCE|"
    "LES MIMOSAS|LE MOULIN|LES ACACIAS|LES PEUPLIERS|L'ORANGERIE|LES VIGNES|LA FONTAINE|LE CLOS|"
    "LES HORTENSIAS|LES MARRONNIERS|LA PROVIDENCE|NOTRE DAME|SAINT LUC|SAINTE ANNE|LES ERABLES|"
    "LE PRIEURE|LES SOURCES|L'ESCALE|LE HAMEAU|LES OLIVIERS|LA BRUYERE|LES SAULES|LE VERGER",
    "|",
)
STREETS = _words(
    "DE LA REPUBLIQUE|VICTOR HUGO|JEAN JAURES|DU GENERAL DE GAULLE|PASTEUR|DE LA GARE|DES ECOLES|"
    "GAMBETTA|DU MARECHAL FOCH|JULES FERRY|DE LA LIBERATION|NATIONALE|DE L'EGLISE|DU STADE|"
    "DES LILAS|CARNOT|DE PARIS|DU 8 MAI 1945|DE VERDUN|ANATOLE FRANCE|DE LA MAIRIE|DU MOULIN|"
    "DES TILLEULS|DU GENERAL LECLERC|DE LA PAIX|EMILE ZOLA|DU CHATEAU|DE LA FONTAINE|SAINT MARTIN|"
    "DES ROSES|DE L'HOPITAL|DES PEUPLIERS|LOUIS PASTEUR|DE LA LIBERTE|DU PORT|DES CHAMPS",
    "|",
)
VOIE_WORDS = {
    "R": "RUE", "AV": "AVENUE", "BD": "BOULEVARD", "PL": "PLACE", "RTE": "ROUTE", "CHE": "CHEMIN",
    "ALL": "ALLEE", "QUA": "QUAI", "IMP": "IMPASSE", "LOT": "LOTISSEMENT", "CRS": "COURS",
    "SQ": "SQUARE", "FG": "FAUBOURG", "PROM": "PROMENADE", "RES": "RESIDENCE", "ZA": "ZONE",
}  # fmt: skip
_ROOTS = _words("BEAU MONT VAL VILLE NEUF BOURG CHATEAU ROCHE FONT MAR SAL BRI COUR VER PONT BOIS")
_ENDS = _words("VILLE COURT MONT ENAY IGNY AC EUIL ON ANS Y ERES ELLE IERS OIS")
_LEADS = ("SAINT ", "", "", "", "LE ", "LA ", "", "SAINTE ", "")
_LINKS = frozenset({"A", "AU", "AUX", "DE", "DU", "DES", "ET", "EN", "POUR", "LA", "LE", "LES", "SUR"})
_RIVERS = ("SUR MER", "SUR LOIRE", "SUR SEINE", "EN BRESSE", "LES BAINS", "SUR MARNE", "D'AZUR")
# Short prefixes FINESS names use for the commonest categories (else the label's first words).
CATEGORY_WORDS = {
    "620": "PHARMACIE", "460": "SAAD", "500": "EHPAD", "611": "LBM", "610": "LABM",
    "124": "CENTRE DE SANTE", "603": "MSP", "170": "HALTE GARDERIE", "202": "RESIDENCE AUTONOMIE",
    "156": "CMP", "354": "SSIAD", "292": "CHS", "355": "CH", "183": "IME", "246": "ESAT",
    "182": "SESSAD", "177": "MECS", "101": "CHR", "106": "CH", "362": "USLD", "382": "FOYER DE VIE",
    "437": "FAM", "255": "MAS", "209": "SPASAD", "197": "CSAPA", "190": "CAMSP", "425": "CATTP",
    "446": "SAVS", "445": "SAMSAH", "109": "CLINIQUE SSR", "128": "CLINIQUE", "129": "CLINIQUE",
}  # fmt: skip


def plain(text: str) -> str:
    """Return `text` upper-cased without accents, as FINESS writes names."""
    decomposed = unicodedata.normalize("NFKD", text.upper())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def commune_name(rng: random.Random) -> str:
    """Return a plausible French commune name."""
    name = rng.choice(_LEADS) + rng.choice(_ROOTS) + rng.choice(_ENDS)
    if rng.random() < 0.12:
        name += " " + rng.choice(_RIVERS)
    return name


def category_word(category: str, labels: dict[str, str]) -> str:
    """Return the short word a name starts with for an establishment of `category`."""
    if category in CATEGORY_WORDS:
        return CATEGORY_WORDS[category]
    words = plain(labels.get(category, "ETABLISSEMENT")).split("(")[0].replace(".", " ").split()
    kept = words[:1]
    for word in words[1:3]:  # up to three words, cut before a linking word ("A", "DE", "POUR"…)
        if word in _LINKS or word.startswith(("D'", "L'")):
            break
        kept.append(word)
    return " ".join(kept)


def establishment_names(
    rng: random.Random, category: str, labels: dict[str, str], commune: str
) -> tuple[str, str]:
    """Return a short (38 characters at most) and a long name for an establishment."""
    word = category_word(category, labels)
    if word in ("PHARMACIE", "LBM", "LABM"):
        tail = rng.choice(SURNAMES)
    elif rng.random() < 0.5:
        tail = rng.choice(PLACES)
    else:
        tail = "DE " + commune
    short = f"{word} {tail}"[:38].rstrip()
    long = f"{plain(labels.get(category, word))} {tail}"[:80].rstrip()
    return short, long if rng.random() < 0.7 else short


def legal_entity_names(rng: random.Random, statut: str, commune: str) -> tuple[str, str]:
    """Return the short (38) and long (98 characters at most) names of a legal entity."""
    place = rng.choice(PLACES)
    person = rng.choice(SURNAMES)
    forms = {
        "60": ("ASS " + place, "ASSOCIATION " + place),
        "61": ("ASS " + place, "ASSOCIATION " + place + " RECONNUE D'UTILITE PUBLIQUE"),
        "85": ("SELARL PHARMACIE " + person, "SELARL PHARMACIE " + person),
        "91": ("SELAS " + person, "SELAS " + person + " " + rng.choice(FIRST_NAMES)),
        "72": ("SARL " + place, "SARL " + place),
        "95": ("SAS " + place, "SAS " + place),
        "73": ("SA " + place, "SOCIETE ANONYME " + place),
        "70": (person + " " + rng.choice(FIRST_NAMES), person + " " + rng.choice(FIRST_NAMES)),
        "17": ("CCAS " + commune, "CENTRE COMMUNAL D'ACTION SOCIALE DE " + commune),
        "03": ("COMMUNE DE " + commune, "COMMUNE DE " + commune),
        "13": ("CH DE " + commune, "CENTRE HOSPITALIER DE " + commune),
        "14": ("CH INTERCOMMUNAL " + commune, "CENTRE HOSPITALIER INTERCOMMUNAL DE " + commune),
        "29": ("GCS " + place, "GROUPEMENT DE COOPERATION SANITAIRE " + place),
        "89": ("GCS " + place, "GROUPEMENT DE COOPERATION SANITAIRE " + place),
        "30": ("GCSMS " + place, "GCSMS " + place),
        "66": ("GCSMS " + place, "GCSMS " + place),
        "63": ("FONDATION " + place, "FONDATION " + place),
    }
    short, long = forms.get(statut, (place + " " + commune, place + " " + commune))
    return short[:38].rstrip(), long[:98].rstrip()
