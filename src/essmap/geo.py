"""French places: the 18 regions, the 101 departments and the 22 former regions.

A place typed by a person (any case, accents or not, slug, INSEE code, ISO 3166-2
code, former region name) resolves to a `Place`: a label and a set of department codes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from essmap.model import Term, Vocabulary
from essmap.text import fold, slugify


@dataclass(frozen=True, slots=True)
class Region:
    slug: str
    name: str
    insee: str
    iso: tuple[str, ...]
    abbreviations: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Department:
    code: str
    name: str
    region: str


@dataclass(frozen=True, slots=True)
class Place:
    """What a place option resolved to: its kind, id, label and department codes."""

    kind: str
    id: str
    label: str
    departments: frozenset[str]


REGIONS: tuple[Region, ...] = (
    Region("auvergne-rhone-alpes", "Auvergne-Rhône-Alpes", "84", ("FR-ARA",), ("ARA", "AURA")),
    Region(
        "bourgogne-franche-comte",
        "Bourgogne-Franche-Comté",
        "27",
        ("FR-BFC",),
        ("BFC", "Burgundy-Franche-Comté"),
    ),
    Region("bretagne", "Bretagne", "53", ("FR-BRE",), ("BZH", "Breizh", "Brittany")),
    Region("centre-val-de-loire", "Centre-Val de Loire", "24", ("FR-CVL",), ("CVL",)),
    Region("corse", "Corse", "94", ("FR-20R", "FR-COR"), ("Corsica",)),
    Region("grand-est", "Grand Est", "44", ("FR-GES",), ("GE", "ACAL")),
    Region("hauts-de-france", "Hauts-de-France", "32", ("FR-HDF",), ("HDF",)),
    Region("ile-de-france", "Île-de-France", "11", ("FR-IDF",), ("IDF", "Région parisienne", "Paris region")),
    Region("normandie", "Normandie", "28", ("FR-NOR",), ("Normandy",)),
    Region(
        "nouvelle-aquitaine", "Nouvelle-Aquitaine", "75", ("FR-NAQ",), ("NA", "NAQ", "ALPC", "New Aquitaine")
    ),
    Region("occitanie", "Occitanie", "76", ("FR-OCC",), ("OCC", "LRMP", "Occitania")),
    Region("pays-de-la-loire", "Pays de la Loire", "52", ("FR-PDL",), ("PDL",)),
    Region(
        "provence-alpes-cote-d-azur",
        "Provence-Alpes-Côte d'Azur",
        "93",
        ("FR-PAC",),
        ("PACA", "Région Sud", "Sud"),
    ),
    Region("guadeloupe", "Guadeloupe", "01", ("FR-971", "FR-GP", "FR-GUA")),
    Region("martinique", "Martinique", "02", ("FR-972", "FR-MQ", "FR-MTQ")),
    Region("guyane", "Guyane", "03", ("FR-973", "FR-GF", "FR-GUF"), ("French Guiana", "Guyane française")),
    Region(
        "la-reunion",
        "La Réunion",
        "04",
        ("FR-974", "FR-RE", "FR-LRE"),
        ("Réunion", "Reunion Island", "Réunion Island"),
    ),
    Region("mayotte", "Mayotte", "06", ("FR-976", "FR-YT", "FR-MAY")),
)

_DEPARTMENTS = """
01 Ain auvergne-rhone-alpes|02 Aisne hauts-de-france|03 Allier auvergne-rhone-alpes
04 Alpes-de-Haute-Provence provence-alpes-cote-d-azur|05 Hautes-Alpes provence-alpes-cote-d-azur
06 Alpes-Maritimes provence-alpes-cote-d-azur|07 Ardèche auvergne-rhone-alpes|08 Ardennes grand-est
09 Ariège occitanie|10 Aube grand-est|11 Aude occitanie|12 Aveyron occitanie
13 Bouches-du-Rhône provence-alpes-cote-d-azur|14 Calvados normandie|15 Cantal auvergne-rhone-alpes
16 Charente nouvelle-aquitaine|17 Charente-Maritime nouvelle-aquitaine|18 Cher centre-val-de-loire
19 Corrèze nouvelle-aquitaine|2A Corse-du-Sud corse|2B Haute-Corse corse
21 Côte-d'Or bourgogne-franche-comte|22 Côtes-d'Armor bretagne|23 Creuse nouvelle-aquitaine
24 Dordogne nouvelle-aquitaine|25 Doubs bourgogne-franche-comte|26 Drôme auvergne-rhone-alpes
27 Eure normandie|28 Eure-et-Loir centre-val-de-loire|29 Finistère bretagne|30 Gard occitanie
31 Haute-Garonne occitanie|32 Gers occitanie|33 Gironde nouvelle-aquitaine|34 Hérault occitanie
35 Ille-et-Vilaine bretagne|36 Indre centre-val-de-loire|37 Indre-et-Loire centre-val-de-loire
38 Isère auvergne-rhone-alpes|39 Jura bourgogne-franche-comte|40 Landes nouvelle-aquitaine
41 Loir-et-Cher centre-val-de-loire|42 Loire auvergne-rhone-alpes|43 Haute-Loire auvergne-rhone-alpes
44 Loire-Atlantique pays-de-la-loire|45 Loiret centre-val-de-loire|46 Lot occitanie
47 Lot-et-Garonne nouvelle-aquitaine|48 Lozère occitanie|49 Maine-et-Loire pays-de-la-loire
50 Manche normandie|51 Marne grand-est|52 Haute-Marne grand-est|53 Mayenne pays-de-la-loire
54 Meurthe-et-Moselle grand-est|55 Meuse grand-est|56 Morbihan bretagne|57 Moselle grand-est
58 Nièvre bourgogne-franche-comte|59 Nord hauts-de-france|60 Oise hauts-de-france|61 Orne normandie
62 Pas-de-Calais hauts-de-france|63 Puy-de-Dôme auvergne-rhone-alpes
64 Pyrénées-Atlantiques nouvelle-aquitaine|65 Hautes-Pyrénées occitanie
66 Pyrénées-Orientales occitanie|67 Bas-Rhin grand-est|68 Haut-Rhin grand-est
69 Rhône auvergne-rhone-alpes|70 Haute-Saône bourgogne-franche-comte
71 Saône-et-Loire bourgogne-franche-comte|72 Sarthe pays-de-la-loire|73 Savoie auvergne-rhone-alpes
74 Haute-Savoie auvergne-rhone-alpes|75 Paris ile-de-france|76 Seine-Maritime normandie
77 Seine-et-Marne ile-de-france|78 Yvelines ile-de-france|79 Deux-Sèvres nouvelle-aquitaine
80 Somme hauts-de-france|81 Tarn occitanie|82 Tarn-et-Garonne occitanie
83 Var provence-alpes-cote-d-azur|84 Vaucluse provence-alpes-cote-d-azur|85 Vendée pays-de-la-loire
86 Vienne nouvelle-aquitaine|87 Haute-Vienne nouvelle-aquitaine|88 Vosges grand-est
89 Yonne bourgogne-franche-comte|90 Territoire de Belfort bourgogne-franche-comte|91 Essonne ile-de-france
92 Hauts-de-Seine ile-de-france|93 Seine-Saint-Denis ile-de-france|94 Val-de-Marne ile-de-france
95 Val-d'Oise ile-de-france|971 Guadeloupe guadeloupe|972 Martinique martinique|973 Guyane guyane
974 La Réunion la-reunion|976 Mayotte mayotte
"""


def _parse_departments(table: str) -> tuple[Department, ...]:
    departments = []
    for cell in table.replace("\n", "|").split("|"):
        if cell.strip():
            code, rest = cell.strip().split(" ", 1)
            name, region = rest.rsplit(" ", 1)
            departments.append(Department(code, name, region))
    return tuple(departments)


DEPARTMENTS: tuple[Department, ...] = _parse_departments(_DEPARTMENTS)

# The 22 metropolitan regions before 2016, by the departments they held.
FORMER_REGIONS: dict[str, tuple[str, ...]] = {
    "Alsace": ("67", "68"),
    "Aquitaine": ("24", "33", "40", "47", "64"),
    "Auvergne": ("03", "15", "43", "63"),
    "Basse-Normandie": ("14", "50", "61"),
    "Bourgogne": ("21", "58", "71", "89"),
    "Bretagne": ("22", "29", "35", "56"),
    "Centre": ("18", "28", "36", "37", "41", "45"),
    "Champagne-Ardenne": ("08", "10", "51", "52"),
    "Corse": ("2A", "2B"),
    "Franche-Comté": ("25", "39", "70", "90"),
    "Haute-Normandie": ("27", "76"),
    "Île-de-France": ("75", "77", "78", "91", "92", "93", "94", "95"),
    "Languedoc-Roussillon": ("11", "30", "34", "48", "66"),
    "Limousin": ("19", "23", "87"),
    "Lorraine": ("54", "55", "57", "88"),
    "Midi-Pyrénées": ("09", "12", "31", "32", "46", "65", "81", "82"),
    "Nord-Pas-de-Calais": ("59", "62"),
    "Pays de la Loire": ("44", "49", "53", "72", "85"),
    "Picardie": ("02", "60", "80"),
    "Poitou-Charentes": ("16", "17", "79", "86"),
    "Provence-Alpes-Côte d'Azur": ("04", "05", "06", "13", "83", "84"),
    "Rhône-Alpes": ("01", "07", "26", "38", "42", "69", "73", "74"),
}

# Approximate latitude and longitude of each metropolitan prefecture.
_PREFECTURES = """
01 46.20 5.22|02 49.56 3.62|03 46.57 3.33|04 44.09 6.24|05 44.56 6.08|06 43.70 7.27|07 44.74 4.60
08 49.77 4.72|09 42.97 1.61|10 48.30 4.08|11 43.21 2.35|12 44.35 2.57|13 43.30 5.37|14 49.18 -0.37
15 44.93 2.44|16 45.65 0.16|17 46.16 -1.15|18 47.08 2.40|19 45.27 1.77|2A 41.93 8.74|2B 42.70 9.45
21 47.32 5.04|22 48.51 -2.76|23 46.17 1.87|24 45.18 0.72|25 47.24 6.02|26 44.93 4.89|27 49.02 1.15
28 48.45 1.49|29 48.00 -4.10|30 43.84 4.36|31 43.60 1.44|32 43.65 0.59|33 44.84 -0.58|34 43.61 3.88
35 48.11 -1.68|36 46.81 1.69|37 47.39 0.69|38 45.19 5.72|39 46.67 5.55|40 43.89 -0.50|41 47.59 1.33
42 45.44 4.39|43 45.04 3.89|44 47.22 -1.55|45 47.90 1.91|46 44.45 1.44|47 44.20 0.62|48 44.52 3.50
49 47.47 -0.55|50 49.12 -1.09|51 48.96 4.36|52 48.11 5.14|53 48.07 -0.77|54 48.69 6.18|55 48.77 5.16
56 47.66 -2.76|57 49.12 6.18|58 46.99 3.16|59 50.63 3.06|60 49.43 2.08|61 48.43 0.09|62 50.29 2.78
63 45.78 3.08|64 43.30 -0.37|65 43.23 0.08|66 42.70 2.90|67 48.57 7.75|68 48.08 7.36|69 45.76 4.84
70 47.62 6.15|71 46.31 4.83|72 48.00 0.20|73 45.57 5.92|74 45.90 6.13|75 48.86 2.35|76 49.44 1.10
77 48.54 2.66|78 48.80 2.13|79 46.32 -0.46|80 49.89 2.30|81 43.93 2.15|82 44.02 1.35|83 43.12 5.93
84 43.95 4.81|85 46.67 -1.43|86 46.58 0.34|87 45.83 1.26|88 48.17 6.45|89 47.80 3.57|90 47.64 6.86
91 48.63 2.44|92 48.89 2.21|93 48.91 2.44|94 48.79 2.46|95 49.04 2.08
"""


def _parse_prefectures(text: str) -> dict[str, tuple[float, float]]:
    table = {}
    for cell in text.replace("\n", "|").split("|"):
        if cell.strip():
            code, lat, lon = cell.split()
            table[code] = (float(lat), float(lon))
    return table


PREFECTURES: dict[str, tuple[float, float]] = _parse_prefectures(_PREFECTURES)


def nearby_departments(code: str, count: int = 4, within_km: float = 160.0) -> list[str]:
    """The metropolitan departments whose prefecture is nearest to this one's (none overseas)."""
    if code not in PREFECTURES:
        return []
    here = PREFECTURES[code]
    distances = sorted((_km(here, there), other) for other, there in PREFECTURES.items() if other != code)
    return [other for distance, other in distances[:count] if distance <= within_km]


def distance_km(here: Iterable[str], there: Iterable[str]) -> float:
    """The shortest distance between the prefectures of two sets of departments (inf if unknown)."""
    points = [PREFECTURES[d] for d in here if d in PREFECTURES]
    others = [PREFECTURES[d] for d in there if d in PREFECTURES]
    return min((_km(a, b) for a in points for b in others), default=math.inf)


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


REGION_VOCABULARY = Vocabulary("region", tuple(Term(r.slug, r.name) for r in REGIONS))
REGION_BY_SLUG: dict[str, Region] = {r.slug: r for r in REGIONS}
DEPARTMENT_BY_CODE: dict[str, Department] = {d.code: d for d in DEPARTMENTS}
DEPARTMENTS_OF_REGION: dict[str, frozenset[str]] = {
    r.slug: frozenset(d.code for d in DEPARTMENTS if d.region == r.slug) for r in REGIONS
}
ALL_DEPARTMENTS: frozenset[str] = frozenset(DEPARTMENT_BY_CODE)


# What the people of a large town are called, for "la métropole lilloise", "un projet nantais"
# (matched by stem, so the feminine and plural forms meet): demonym -> commune name.
DEMONYMS = {
    "parisien": "Paris",
    "marseillais": "Marseille",
    "lyonnais": "Lyon",
    "toulousain": "Toulouse",
    "nicois": "Nice",
    "nantais": "Nantes",
    "montpellierain": "Montpellier",
    "strasbourgeois": "Strasbourg",
    "bordelais": "Bordeaux",
    "lillois": "Lille",
    "rennais": "Rennes",
    "toulonnais": "Toulon",
    "remois": "Reims",
    "havrais": "Le Havre",
    "stephanois": "Saint-Étienne",
    "grenoblois": "Grenoble",
    "dijonnais": "Dijon",
    "angevin": "Angers",
    "nimois": "Nîmes",
    "clermontois": "Clermont-Ferrand",
    "manceau": "Le Mans",
    "tourangeau": "Tours",
    "brestois": "Brest",
    "amienois": "Amiens",
    "limougeaud": "Limoges",
    "caennais": "Caen",
    "rouennais": "Rouen",
    "nanceien": "Nancy",
    "messin": "Metz",
    "bisontin": "Besançon",
    "orleanais": "Orléans",
    "perpignanais": "Perpignan",
    "poitevin": "Poitiers",
    "ajaccien": "Ajaccio",
    "bastiais": "Bastia",
    "avignonnais": "Avignon",
    "mulhousien": "Mulhouse",
    "rochelais": "La Rochelle",
    "palois": "Pau",
    "bayonnais": "Bayonne",
    "dionysien": "Saint-Denis",
    "quimperois": "Quimper",
    "lorientais": "Lorient",
    "vannetais": "Vannes",
}


def _region_place(region: Region) -> Place:
    return Place("region", region.slug, region.name, DEPARTMENTS_OF_REGION[region.slug])


def _department_place(dep: Department) -> Place:
    return Place("department", dep.code, f"{dep.name} ({dep.code})", frozenset({dep.code}))


# The English names of former regions people still write ("test organic farming in Burgundy").
FORMER_REGIONS_IN_ENGLISH = {"Burgundy": "Bourgogne", "Picardy": "Picardie"}

# Historic provinces and "pays" people name their home by ("dans le Beaujolais", "en Touraine",
# "the Basque Country"), with the departments that hold most of them; English names after a slash.
TRADITIONAL_AREAS: dict[str, tuple[str, ...]] = {
    "Pays basque/Basque Country/French Basque Country": ("64",),
    "Béarn": ("64",),
    "Bigorre": ("65",),
    "Touraine": ("37",),
    "Anjou": ("49",),
    "Berry": ("18", "36"),
    "Sologne": ("41", "45", "18"),
    "Beauce": ("28", "45"),
    "Périgord/Perigord": ("24",),
    "Quercy": ("46", "82"),
    "Rouergue": ("12",),
    "Gascogne/Gascony": ("32", "40"),
    "Médoc": ("33",),
    "Beaujolais": ("69",),
    "Dauphiné": ("38", "26", "05"),
    "Savoie/Savoy": ("73", "74"),
    "Vivarais": ("07",),
    "Velay": ("43",),
    "Bourbonnais": ("03",),
    "Nivernais": ("58",),
    "Morvan": ("58", "71", "21", "89"),
    "Bresse": ("01", "71"),
    "Cévennes/Cevennes": ("30", "48"),
    "Camargue": ("13", "30"),
    "Provence": ("04", "13", "83", "84"),
    "Côte d'Azur/French Riviera/Riviera": ("06", "83"),
    "Roussillon/Pays catalan": ("66",),
    "Cotentin": ("50",),
    "Pays de Caux": ("76",),
    "Pays d'Auge": ("14",),
    "Bocage normand": ("50", "61", "14"),
    "Artois": ("62",),
    "Flandre/Flanders/French Flanders": ("59",),
    "Hainaut": ("59",),
    "Thiérache": ("02",),
    "Brie": ("77",),
    "Vexin": ("95", "27"),
    "Balagne": ("2B",),
    "Cap Corse": ("2B",),
    # the overseas collectivities the catalogue places with the Guadeloupe (their former department)
    "Saint-Martin/Saint Martin/Sint Maarten": ("971",),
    "Saint-Barthélemy/Saint Barth/St Barth/Saint-Barth": ("971",),
}

# Towns with a name of their own in English ("a bike repair shop around Dunkirk").
TOWNS_IN_ENGLISH = {
    "Dunkirk": "Dunkerque",
    "Marseilles": "Marseille",
    "Lyons": "Lyon",
    "Rheims": "Reims",
    "Strasburg": "Strasbourg",
    "Cayenne City": "Cayenne",
}


def _region_spellings() -> dict[str, Place]:
    table: dict[str, Place] = {}
    for name, codes in FORMER_REGIONS.items():
        table[fold(name)] = Place("former-region", slugify(name), name, frozenset(codes))
    for english, french in FORMER_REGIONS_IN_ENGLISH.items():
        table[fold(english)] = table[fold(french)]
    for names, codes in TRADITIONAL_AREAS.items():
        first = names.split("/")[0]
        codes_label = ", ".join(codes)
        area = Place("area", slugify(first), f"{first} ({codes_label})", frozenset(codes))
        for name in names.split("/"):
            table.setdefault(fold(name), area)
    for region in REGIONS:  # current regions win over a former one of the same name
        place = _region_place(region)
        for spelling in (region.slug, region.name, region.insee, *region.iso, *region.abbreviations):
            table[fold(spelling)] = place
    return table


def _department_spellings() -> dict[str, Place]:
    table: dict[str, Place] = {}
    for dep in DEPARTMENTS:
        place = _department_place(dep)
        for spelling in (dep.code, dep.name, f"FR-{dep.code}"):
            table[fold(spelling)] = place
        if dep.code.isdigit() and len(dep.code) == 2:
            table[str(int(dep.code))] = place  # '1' for the Ain
    return table


REGION_SPELLINGS = _region_spellings()
DEPARTMENT_SPELLINGS = _department_spellings()


def find_region(text: str) -> Place | None:
    return REGION_SPELLINGS.get(fold(text))


def find_department(text: str) -> Place | None:
    return DEPARTMENT_SPELLINGS.get(fold(text))


def region_name(slug: str) -> str:
    return REGION_BY_SLUG[slug].name


def department_label(code: str) -> str:
    return _department_place(DEPARTMENT_BY_CODE[code]).label


def coverage(national: bool, regions: tuple[str, ...], departments: tuple[str, ...]) -> frozenset[str]:
    """The department codes where a structure works.

    A national structure works everywhere. For each listed region, the listed
    departments of that region if there are any, else the whole region.
    """
    if national:
        return ALL_DEPARTMENTS
    covered = set(departments)
    for region in regions:
        own = DEPARTMENTS_OF_REGION[region]
        if not own & covered:
            covered |= own
    return frozenset(covered)
